//! `bridging` and `ei-index`: how much of an account's conversation crosses a group
//! boundary (party, role, insider/outsider: any accounts column named by `attribute`).
//!
//! Summary: an account v's ties are its partners in either direction on the chosen
//! graph (`on = "interactions"`: selected events, self-interactions dropped; `on =
//! "follows"`: follow arcs). Each tie to a partner in another group is external, to
//! one in the same group internal; with `count = "events"` a tie weighs the summed
//! weight of the events (follow arcs) between the two, both directions, with `count =
//! "partners"` every partner weighs 1. With E and I the external and internal totals:
//! - `bridging` = E / (E + I), in [0, 1] (default `count = "events"`: the share of the
//!   conversation that crosses the boundary);
//! - `ei-index` = (E − I) / (E + I), in [−1, 1] (Krackhardt & Stern's E-I index;
//!   default `count = "partners"`: ties, as in the original).
//!
//! Under the same `count` the two order accounts identically (E-I = 2·bridging − 1);
//! they are two methods because their defaults and scales differ.
//!
//! Missing attributes: ties to partners with no value are left out of E and I and
//! counted (`excluded_ties_missing_attribute`, distinct (account, partner) pairs); an
//! account with no value is not ranked (`accounts_missing_attribute`), nor is one with
//! no counted tie (`unranked_no_ties`) or fewer than `min_partners` counted partners.
//! All diagnostics count accounts of the population only. Ties share a rank.
//!
//! Group level (see [`group_ei`]): for a group g, E-I_g = (E_g − I_g) / (E_g + I_g) with
//! E_g the dyads with exactly one end in g and I_g those with both; for the whole
//! network, E-I = (E − I) / (E + I) over all dyads with both ends known.
//!
//! Complexity: O(m log m) to build the CSR, then O(n + m).
//! Reference: Krackhardt & Stern (1988), "Informal networks and organizational crises:
//! an experimental simulation", Social Psychology Quarterly 51(2):123-140.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::CostModel;
use super::conversation::{self, Conversation, Diag, Measured, Reads, merge_partners};
use super::{Input, Precision, params};
use crate::dataset::Accounts;
use crate::graph::Graph;

/// What a tie weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Count {
    /// Summed event weights (follow arcs) between the two accounts, both directions.
    Events,
    /// 1 per distinct partner.
    Partners,
}

/// Which ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum On {
    #[default]
    Interactions,
    Follows,
}

/// The reported form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// E / (E + I).
    Share,
    /// (E − I) / (E + I).
    EiIndex,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Share => "bridging",
            Form::EiIndex => "ei-index",
        }
    }

    fn default_count(self) -> Count {
        match self {
            Form::Share => Count::Events,
            Form::EiIndex => Count::Partners,
        }
    }
}

/// Bridging settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BridgingConfig {
    pub form: Form,
    pub count: Count,
    pub min_partners: u32,
}

impl BridgingConfig {
    pub const DEFAULT_MIN_PARTNERS: u32 = 1;
}

/// Group id per account (None = missing), and the group names in id order.
pub fn groups(accounts: &Accounts, attribute: &str) -> (Vec<Option<u32>>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let ids = (0..accounts.len())
        .map(|i| {
            accounts.text_value(attribute, i).map(|v| {
                *index.entry(v.clone()).or_insert_with(|| {
                    names.push(v);
                    names.len() as u32 - 1
                })
            })
        })
        .collect();
    (ids, names)
}

/// Calls `f(partner, weight)` for every partner of `v` on `g` other than itself, where
/// weight sums both directions (1 per arc on an unweighted graph).
fn ties(g: &Graph, v: u32, mut f: impl FnMut(u32, f64)) {
    let (ow, iw) = (g.out.neighbor_weights(v), g.inn.neighbor_weights(v));
    let w = |ws: Option<&[f64]>, j: Option<usize>| j.map_or(0.0, |j| ws.map_or(1.0, |w| w[j]));
    merge_partners(g.out.neighbors(v), g.inn.neighbors(v), v, |p, jo, ji| {
        f(p, w(ow, jo) + w(iw, ji))
    });
}

/// Per-account scores and eligibility.
pub fn bridging(
    g: &Graph,
    group: &[Option<u32>],
    cfg: &BridgingConfig,
    population: &[bool],
    diagnostics: &mut BTreeMap<String, u64>,
) -> (Vec<f64>, Vec<bool>) {
    let n = g.node_count();
    let mut score = vec![0.0; n];
    let mut eligible = population.to_vec();
    let (mut missing_self, mut missing_ties, mut no_ties, mut below) = (0u64, 0u64, 0u64, 0u64);
    for v in 0..n {
        if !population[v] {
            continue;
        }
        let Some(gv) = group[v] else {
            missing_self += 1;
            eligible[v] = false;
            continue;
        };
        let (mut e, mut i, mut partners) = (0.0, 0.0, 0u32);
        ties(g, v as u32, |p, w| {
            let Some(gp) = group[p as usize] else {
                missing_ties += 1;
                return;
            };
            let w = match cfg.count {
                Count::Events => w,
                Count::Partners => 1.0,
            };
            partners += 1;
            if gp == gv {
                i += w;
            } else {
                e += w;
            }
        });
        if partners == 0 {
            no_ties += 1;
            eligible[v] = false;
        } else if partners < cfg.min_partners {
            below += 1;
            eligible[v] = false;
        } else {
            score[v] = match cfg.form {
                Form::Share => e / (e + i),
                Form::EiIndex => (e - i) / (e + i),
            };
        }
    }
    diagnostics.insert("accounts_missing_attribute".into(), missing_self);
    diagnostics.insert("excluded_ties_missing_attribute".into(), missing_ties);
    diagnostics.insert("unranked_no_ties".into(), no_ties);
    if cfg.min_partners > 1 {
        diagnostics.insert("unranked_below_min_partners".into(), below);
    }
    (score, eligible)
}

/// External and internal totals of one group, or of the whole network.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ExternalInternal {
    pub external: f64,
    pub internal: f64,
}

impl ExternalInternal {
    /// (E − I) / (E + I); None without ties.
    pub fn ei(self) -> Option<f64> {
        let t = self.external + self.internal;
        (t > 0.0).then(|| (self.external - self.internal) / t)
    }
}

/// Group-level and whole-network E-I totals over dyads (each pair of accounts once)
/// whose two ends both have a group: per group id, then the whole network. All
/// accounts count, not only a population.
pub fn group_ei(
    g: &Graph,
    group: &[Option<u32>],
    n_groups: usize,
    count: Count,
) -> (Vec<ExternalInternal>, ExternalInternal) {
    let mut per = vec![ExternalInternal::default(); n_groups];
    let mut all = ExternalInternal::default();
    for v in 0..g.node_count() as u32 {
        let Some(gv) = group[v as usize] else {
            continue;
        };
        ties(g, v, |p, w| {
            let Some(gp) = group[p as usize] else {
                return;
            };
            if p < v {
                return; // the dyad was counted from p
            }
            let w = match count {
                Count::Events => w,
                Count::Partners => 1.0,
            };
            if gp == gv {
                per[gv as usize].internal += w;
                all.internal += w;
            } else {
                per[gv as usize].external += w;
                per[gp as usize].external += w;
                all.external += w;
            }
        });
    }
    (per, all)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bridging {
    pub config: BridgingConfig,
    pub attribute: String,
    pub on: On,
    pub kinds: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    attribute: Option<String>,
    #[serde(default)]
    count: Option<Count>,
    #[serde(default)]
    on: On,
    #[serde(default)]
    kinds: Option<Vec<String>>,
    #[serde(default = "d_min_partners")]
    min_partners: u32,
}

fn d_min_partners() -> u32 {
    BridgingConfig::DEFAULT_MIN_PARTNERS
}

impl Bridging {
    pub fn from_params(p: &toml::Table, form: Form) -> Result<Bridging> {
        let name = form.name();
        let q: Params = params::parse(name, p)?;
        let Some(attribute) = q.attribute else {
            bail!(
                "{name}: give `attribute`, the accounts column whose groups ties cross (e.g. --param attribute=party)"
            );
        };
        if q.on == On::Follows && q.kinds.is_some() {
            bail!(
                "{name}: `kinds` selects interaction events; it does not apply with on = \"follows\""
            );
        }
        if q.min_partners == 0 {
            bail!("{name}: min_partners must be >= 1");
        }
        Ok(Bridging {
            config: BridgingConfig {
                form,
                count: q.count.unwrap_or(form.default_count()),
                min_partners: q.min_partners,
            },
            attribute,
            on: q.on,
            kinds: q.kinds,
        })
    }

    /// The group of every account, or an error naming the columns there are.
    fn groups(&self, accounts: &Accounts) -> Result<Vec<Option<u32>>> {
        let name = self.config.form.name();
        if !accounts.has_column(&self.attribute) {
            let mut cols: Vec<&String> = accounts
                .text
                .keys()
                .chain(accounts.numeric.keys())
                .collect();
            cols.sort();
            bail!(
                "{name}: {}: no accounts column {:?}; columns: {}",
                accounts.describe_source(),
                self.attribute,
                if cols.is_empty() {
                    "(none: give an accounts table)".to_string()
                } else {
                    cols.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
        }
        let (ids, names) = groups(accounts, &self.attribute);
        if names.len() < 2 {
            bail!(
                "{name}: column {:?} has {} distinct value(s) ({}); a boundary needs at least two groups",
                self.attribute,
                names.len(),
                names.join(", ")
            );
        }
        Ok(ids)
    }
}

impl Conversation for Bridging {
    fn name(&self) -> &'static str {
        self.config.form.name()
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    fn reads(&self) -> Reads {
        match self.on {
            On::Follows => Reads::Follows,
            On::Interactions => Reads::EventGraph,
        }
    }

    /// The attribute's groups exist before any event is read.
    fn check(&self, input: &Input) -> Result<()> {
        self.groups(input.accounts).map(|_| ())
    }

    /// Searched over new conversation events.
    fn cost_model(&self) -> CostModel {
        CostModel::events(self.kinds.as_ref())
    }

    fn measure(
        &self,
        on: conversation::On<'_>,
        input: &Input,
        diag: &mut Diag,
    ) -> Result<Measured> {
        let g = on.graph();
        let group = self.groups(input.accounts)?;
        let (score, eligible) = bridging(g, &group, &self.config, input.population, diag);
        Ok(Measured {
            score,
            eligible: Some(eligible),
            precision: Precision::exact_if(g.has_integer_weights()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::conversation::fixture::{self, *};
    #[allow(unused_imports)]
    use crate::rankings::conversation::{self, ALL_KINDS, Conv, EventFilter};
    #[allow(unused_imports)]
    use crate::rankings::{Method, Scores};

    fn run(form: Form, p: &str) -> Result<Scores> {
        fixture::score(&Bridging::from_params(&params(p), form)?)
    }

    const P: &str = "attribute = \"party\"\n";

    #[test]
    fn bridging_by_events_by_hand() {
        // Parties a D, b D, c R, d R, e missing. Event weights per dyad, both ways:
        // a-b 2 (int), a-c 1+2+1 = 4 (ext), a-d 1 (ext), a-e 1 (excluded), b-c 1 (ext),
        // c-d 2 (int). a: E 5 I 2; b: E 1 I 2; c: E 5 I 2; d: E 1 I 2.
        let s = run(Form::Share, P).unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (5.0 / 7.0, true),
                (1.0 / 3.0, true),
                (5.0 / 7.0, true),
                (1.0 / 3.0, true),
                (0.0, false)
            ]
        );
        assert_eq!(s.diagnostics["accounts_missing_attribute"], 1);
        assert_eq!(s.diagnostics["excluded_ties_missing_attribute"], 1);
        let s = run(Form::EiIndex, &format!("{P}count = \"events\"")).unwrap();
        assert_eq!(s.score[..4], [3.0 / 7.0, -1.0 / 3.0, 3.0 / 7.0, -1.0 / 3.0]);
    }

    #[test]
    fn ei_index_by_partners_by_hand() {
        // a: b int, c ext, d ext (e excluded); b: a int, c ext; c: a ext, b ext, d int;
        // d: a ext, c int.
        let s = run(Form::EiIndex, P).unwrap();
        assert_eq!(s.score[..4], [1.0 / 3.0, 0.0, 1.0 / 3.0, 0.0]);
        let s = run(Form::Share, &format!("{P}count = \"partners\"")).unwrap();
        assert_eq!(s.score[..4], [2.0 / 3.0, 0.5, 2.0 / 3.0, 0.5]);
    }

    #[test]
    fn on_follows() {
        // Follows a>b b>a a>c c>d e>a. Partners: a: b int, c ext (e excluded) -> 0;
        // b: a int -> -1; c: a ext, d int -> 0; d: c int -> -1.
        let s = run(Form::EiIndex, &format!("{P}on = \"follows\"")).unwrap();
        assert_eq!(s.score[..4], [0.0, -1.0, 0.0, -1.0]);
        assert_eq!(s.diagnostics["excluded_ties_missing_attribute"], 1);
        assert!(!s.diagnostics.contains_key(conversation::EVENTS_USED));
        // Arcs: the mutual a<->b weighs 2. a: E 1 I 2.
        let s = run(
            Form::EiIndex,
            &format!("{P}on = \"follows\"\ncount = \"events\""),
        )
        .unwrap();
        assert_eq!(s.score[..4], [-1.0 / 3.0, -1.0, 0.0, -1.0]);
        let e = run(
            Form::EiIndex,
            &format!("{P}on = \"follows\"\nkinds = [\"reply\"]"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("does not apply"), "{e}");
    }

    #[test]
    fn only_ties_to_missing_attributes_leave_an_account_unranked() {
        // Mentions a>c, c>d, e>a: a E 1 (e excluded) -> 1; c E 1 I 1 -> 1/2; d I 1 -> 0;
        // b has no mention at all.
        let s = run(Form::Share, &format!("{P}kinds = [\"mention\"]")).unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (1.0, true),
                (0.0, false),
                (0.5, true),
                (0.0, true),
                (0.0, false)
            ]
        );
        assert_eq!(s.diagnostics["unranked_no_ties"], 1);
        // With a>c turned into a reply, a's only mention tie is to e (no party).
        let mut it = fixture::events();
        it.kind[2] = 0; // a>c becomes a reply
        let m = Bridging::from_params(&params(&format!("{P}kinds = [\"mention\"]")), Form::Share)
            .unwrap();
        let s = fixture::score_with(&m, Some(&it)).unwrap();
        assert!(!s.eligible[A]);
        assert_eq!(s.diagnostics["unranked_no_ties"], 2);
        assert_eq!(s.diagnostics["excluded_ties_missing_attribute"], 1);
    }

    #[test]
    fn min_partners_and_parameter_errors() {
        let s = run(Form::EiIndex, &format!("{P}min_partners = 3")).unwrap();
        assert_eq!(s.eligible, vec![true, false, true, false, false]);
        assert_eq!(s.diagnostics["unranked_below_min_partners"], 2);
        let e = run(Form::Share, "").unwrap_err().to_string();
        assert!(e.contains("give `attribute`"), "{e}");
        let e = run(Form::Share, "attribute = \"role\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no accounts column \"role\"; columns: party"),
            "{e}"
        );
        let e = run(Form::Share, &format!("{P}count = \"dyads\"")).unwrap_err();
        assert!(
            format!("{e:#}").contains("unknown variant `dyads`"),
            "{e:#}"
        );
    }

    #[test]
    fn one_group_is_an_error() {
        let mut acc = fixture::accounts();
        acc.text.get_mut("party").unwrap()[2] = Some("D".into());
        acc.text.get_mut("party").unwrap()[3] = Some("D".into());
        let m = Bridging::from_params(&params(P), Form::Share).unwrap();
        let e = m.groups(&acc).unwrap_err().to_string();
        assert!(e.contains("has 1 distinct value(s) (D)"), "{e}");
    }

    #[test]
    fn population_limits_what_is_ranked_and_counted() {
        let acc = fixture::accounts();
        let fg = fixture::follows();
        let it = fixture::events();
        let pop = vec![true, true, false, true, false];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &fg,
            interactions: None,
            events: Some(&it),
            population: &pop,
            seed_lists: &lists,
        };
        let m = Bridging::from_params(&params(P), Form::Share).unwrap();
        let s = Conv(m).score(&input).unwrap();
        // c is out of the population but still a partner of a, b and d.
        assert_eq!(s.eligible, vec![true, true, false, true, false]);
        assert_eq!(s.score[A], 5.0 / 7.0);
        assert_eq!(s.diagnostics["accounts_missing_attribute"], 0);
    }

    #[test]
    fn group_level_ei_by_hand() {
        let acc = fixture::accounts();
        let (group, names) = groups(&acc, "party");
        assert_eq!(names, vec!["D", "R"]);
        let it = fixture::events();
        let g = EventFilter::new(&it, "t", None, ALL_KINDS)
            .unwrap()
            .graph("t", 5, &mut BTreeMap::new())
            .unwrap();
        // Dyads with both ends known: a-b D-D, c-d R-R, a-c, a-d, b-c across.
        let (per, all) = group_ei(&g, &group, 2, Count::Partners);
        assert_eq!(
            all,
            ExternalInternal {
                external: 3.0,
                internal: 2.0
            }
        );
        assert_eq!(all.ei(), Some(0.2));
        assert_eq!(
            per[0],
            ExternalInternal {
                external: 3.0,
                internal: 1.0
            }
        );
        assert_eq!(per[1].ei(), Some(0.5));
        // Weighted: a-b 2, c-d 2 inside; a-c 4, a-d 1, b-c 1 across.
        let (per, all) = group_ei(&g, &group, 2, Count::Events);
        assert_eq!(
            all,
            ExternalInternal {
                external: 6.0,
                internal: 4.0
            }
        );
        assert_eq!(
            per[0],
            ExternalInternal {
                external: 6.0,
                internal: 2.0
            }
        );
        assert_eq!(ExternalInternal::default().ei(), None);
    }
}
