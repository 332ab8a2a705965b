//! `give-take`: does an account address others more than it is addressed?
//!
//! Summary: over the selected events (default kinds `reply` and `mention`; weights
//! summed, self-interactions dropped), given(v) = Σ weight of events with source v and
//! received(v) = Σ weight of events with target v. Two measures:
//! - `ratio` (default): (given − received) / (given + received), in [−1, 1]: 1 = only
//!   gives, −1 = only receives, 0 = balanced. It orders accounts exactly as
//!   given / received does, but is bounded and defined when received = 0;
//! - `difference`: given − received (unbounded; grows with volume).
//!
//! Accounts with given + received = 0, or fewer than `min_partners` distinct partners
//! (either direction), are not ranked (counted in the diagnostics). Ties share a rank.
//! High rank means "gives more than it takes": the conversationalist, not the
//! broadcaster who is talked at.
//!
//! Arguments: `kinds` (default `["reply", "mention"]`), `measure`, `min_partners`
//! (default 1).
//! Complexity: O(m log m) to build the CSR, then O(n + m).
//! Reference: Cha et al. (2010) on replies and mentions as conversation rather than
//! audience.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::CostModel;
use super::conversation::{Conversation, Diag, Measured, On, merge_partners};
use super::{Input, Precision, params};
use crate::graph::Graph;

/// The kinds read when `kinds` is not given.
pub const DEFAULT_KINDS: &[&str] = &["reply", "mention"];

/// How given and received combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// (given − received) / (given + received).
    #[default]
    Ratio,
    /// given − received.
    Difference,
}

/// give-take settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GiveTakeConfig {
    pub measure: Measure,
    pub min_partners: u32,
}

impl GiveTakeConfig {
    pub const DEFAULT_MIN_PARTNERS: u32 = 1;
}

impl Default for GiveTakeConfig {
    fn default() -> Self {
        GiveTakeConfig {
            measure: Measure::Ratio,
            min_partners: Self::DEFAULT_MIN_PARTNERS,
        }
    }
}

/// Per-account balance and eligibility on `g` (weights = summed event weights; self-
/// loops ignored).
pub fn give_take(
    g: &Graph,
    cfg: &GiveTakeConfig,
    population: &[bool],
    diagnostics: &mut BTreeMap<String, u64>,
) -> (Vec<f64>, Vec<bool>) {
    let n = g.node_count();
    let mut score = vec![0.0; n];
    let mut eligible = population.to_vec();
    let (mut silent, mut below) = (0u64, 0u64);
    let strength = |adj: &crate::graph::Csr, v: u32| -> f64 {
        let ws = adj.neighbor_weights(v);
        adj.neighbors(v)
            .iter()
            .enumerate()
            .filter(|&(_, &u)| u != v)
            .map(|(j, _)| ws.map_or(1.0, |w| w[j]))
            .sum()
    };
    for v in 0..n as u32 {
        let (given, received) = (strength(&g.out, v), strength(&g.inn, v));
        let mut partners = 0u32;
        merge_partners(g.out.neighbors(v), g.inn.neighbors(v), v, |_, _, _| {
            partners += 1
        });
        let i = v as usize;
        if partners == 0 {
            silent += population[i] as u64;
            eligible[i] = false;
        } else if partners < cfg.min_partners {
            below += population[i] as u64;
            eligible[i] = false;
        } else {
            score[i] = match cfg.measure {
                Measure::Ratio => (given - received) / (given + received),
                Measure::Difference => given - received,
            };
        }
    }
    diagnostics.insert("unranked_no_events".into(), silent);
    if cfg.min_partners > 1 {
        diagnostics.insert("unranked_below_min_partners".into(), below);
    }
    (score, eligible)
}

#[derive(Debug, Clone, PartialEq)]
pub struct GiveTake {
    pub config: GiveTakeConfig,
    pub kinds: Option<Vec<String>>,
}

impl GiveTake {
    pub fn from_params(p: &toml::Table) -> Result<GiveTake> {
        let (own, q): (params::OfKinds, GiveTakeConfig) = params::parse_split("give-take", p)?;
        if q.min_partners == 0 {
            bail!(
                "give-take: min_partners must be >= 1 (an account with no events has no balance)"
            );
        }
        Ok(GiveTake {
            config: q,
            kinds: own.kinds,
        })
    }
}

impl Conversation for GiveTake {
    fn name(&self) -> &'static str {
        "give-take"
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    fn default_kinds(&self) -> &'static [&'static str] {
        DEFAULT_KINDS
    }

    /// Searched over new conversation events.
    fn cost_model(&self) -> CostModel {
        CostModel::events(self.kinds.as_ref())
    }

    fn measure(&self, on: On<'_>, input: &Input, diag: &mut Diag) -> Result<Measured> {
        let g = on.graph();
        let (score, eligible) = give_take(g, &self.config, input.population, diag);
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
    use crate::rankings::conversation::{self, Conv};
    #[allow(unused_imports)]
    use crate::rankings::{Method, Scores};

    fn run(p: &str) -> Result<Scores> {
        fixture::score(&GiveTake::from_params(&params(p))?)
    }

    #[test]
    fn default_kinds_are_replies_and_mentions() {
        // given: a 1+1+2 = 4, b 1, c 1, d 0, e 1; received: a 2, b 1, c 3, d 1, e 0.
        let s = run("").unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (2.0 / 6.0, true),
                (0.0, true),
                (-0.5, true),
                (-1.0, true),
                (1.0, true)
            ]
        );
        let s = run("measure = \"difference\"").unwrap();
        assert_eq!(s.score, vec![2.0, 0.0, -2.0, -1.0, 1.0]);
    }

    #[test]
    fn accounts_with_nothing_given_or_received_are_unranked() {
        // Quotes: d>c, c>b. a and e neither give nor receive.
        let s = run("kinds = [\"quote\"]").unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (0.0, false),
                (-1.0, true),
                (0.0, true),
                (1.0, true),
                (0.0, false)
            ]
        );
        assert_eq!(s.diagnostics["unranked_no_events"], 2);
    }

    #[test]
    fn self_replies_are_neither_given_nor_received() {
        // Replies: a>b, b>a, a>c (w 2), a>a (self), b>d (w 0): a gives 3, receives 1.
        let s = run("kinds = [\"reply\"]").unwrap();
        assert_eq!(s.score[A], 0.5);
        assert_eq!(s.diagnostics[conversation::EXCLUDED_SELF], 1);
        // d's only reply has weight 0: d is not in the conversation.
        assert!(!s.eligible[D]);
        // A graph that kept a self-loop still ignores it.
        let g = Graph::from_edges(2, vec![(0, 0, 5.0), (0, 1, 1.0)], true);
        let (sc, el) = give_take(
            &g,
            &GiveTakeConfig::default(),
            &[true, true],
            &mut BTreeMap::new(),
        );
        assert_eq!((sc, el), (vec![1.0, -1.0], vec![true, true]));
    }

    #[test]
    fn default_kinds_absent_from_the_data_is_an_error() {
        let mut it = fixture::events();
        it.kinds = vec!["engagement".into(), "x".into(), "y".into(), "z".into()];
        let m = GiveTake::from_params(&params("")).unwrap();
        let e = fixture::score_with(&m, Some(&it)).unwrap_err().to_string();
        assert!(
            e.contains("none of its default kinds (reply, mention)"),
            "{e}"
        );
        assert!(e.contains("kinds=[\"engagement\"]"), "{e}");
    }

    #[test]
    fn min_partners() {
        // Default kinds: partners a {b,c,e} 3, b {a} 1, c {a,d} 2, d {c} 1, e {a} 1.
        let s = run("min_partners = 2").unwrap();
        assert_eq!(s.eligible, vec![true, false, true, false, false]);
        assert_eq!(s.diagnostics["unranked_below_min_partners"], 3);
    }
}
