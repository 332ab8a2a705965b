//! `reciprocity`: how much of an account's conversation is two-way.
//!
//! Summary: on the graph of selected events (arc u -> v when u acted on v at least
//! once; self-interactions dropped), let, for an account v, O(v) be its successors,
//! I(v) its predecessors, m(v) = |O ∩ I| its mutual partners and p(v) = |O ∪ I| its
//! partners (connected dyads). Two definitions:
//! - `arc` (default; networkx `reciprocity(G, v)`): the share of v's arcs, in and out,
//!   that are reciprocated: r_e = 2 m / (|O| + |I|);
//! - `dyad`: the share of v's connected dyads that are mutual: r_d = m / p.
//!
//! Since |O| + |I| = p + m, the two are one function of the other,
//! r_e = 2 r_d / (1 + r_d) (the identity NodeXL states for its graph-level "reciprocated
//! vertex pair ratio" and "reciprocated edge ratio"); it holds per account and for the
//! whole graph, so both definitions rank accounts identically. They differ in scale:
//! one mutual partner out of two is r_d = 0.5 but r_e = 0.667.
//!
//! Accounts with no arc (p = 0), or fewer than `min_partners` partners, are not ranked
//! (counted in the diagnostics): the ratio is undefined, never NaN. Ties share a rank.
//!
//! Arguments: `kinds` (default all), `definition` (`arc` | `dyad`), `min_partners`
//! (default 1).
//! Complexity: O(m log m) to build the CSR, then O(n + m) (one merge of the sorted in-
//! and out-lists per account).
//! Reference: Garlaschelli & Loffredo (2004), "Patterns of link reciprocity in directed
//! networks", PRL 93:268701; Hansen, Shneiderman & Smith (2011), "Analyzing social media
//! networks with NodeXL" (the pair/edge ratio identity); networkx `reciprocity`.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::CostModel;
use super::conversation::{Conversation, Diag, Measured, On, merge_partners};
use super::{Input, Precision, params};
use crate::graph::Graph;

/// Which share is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Definition {
    /// Reciprocated arcs / arcs (networkx).
    #[default]
    Arc,
    /// Mutual dyads / connected dyads.
    Dyad,
}

/// Reciprocity settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReciprocityConfig {
    pub definition: Definition,
    /// Accounts with fewer distinct partners are not ranked.
    pub min_partners: u32,
}

impl ReciprocityConfig {
    pub const DEFAULT_MIN_PARTNERS: u32 = 1;
}

impl Default for ReciprocityConfig {
    fn default() -> Self {
        ReciprocityConfig {
            definition: Definition::Arc,
            min_partners: Self::DEFAULT_MIN_PARTNERS,
        }
    }
}

/// One account's dyad counts (self-loops never included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DyadCounts {
    /// Partners with arcs both ways.
    pub mutual: u32,
    /// Partners with an arc either way.
    pub partners: u32,
    /// Arcs in + arcs out (= partners + mutual).
    pub arcs: u32,
}

impl DyadCounts {
    /// The share under `def`; None when the account has no arc.
    pub fn share(self, def: Definition) -> Option<f64> {
        if self.partners == 0 {
            return None;
        }
        Some(match def {
            Definition::Arc => 2.0 * self.mutual as f64 / self.arcs as f64,
            Definition::Dyad => self.mutual as f64 / self.partners as f64,
        })
    }
}

/// Dyad counts of every node of `g` (edge weights ignored).
pub fn dyad_counts(g: &Graph) -> Vec<DyadCounts> {
    (0..g.node_count() as u32)
        .map(|v| {
            let mut c = DyadCounts::default();
            merge_partners(g.out.neighbors(v), g.inn.neighbors(v), v, |_, o, i| {
                c.partners += 1;
                c.mutual += (o.is_some() && i.is_some()) as u32;
            });
            c.arcs = c.partners + c.mutual;
            c
        })
        .collect()
}

/// Whole-graph reciprocity (arc, dyad), self-loops excluded; None for a graph with no
/// arc. The arc form is networkx `overall_reciprocity` on a graph without self-loops.
pub fn overall(g: &Graph) -> Option<(f64, f64)> {
    // Each mutual dyad is counted at both ends, each arc at both ends.
    let (mut mutual2, mut arcs2) = (0u64, 0u64);
    for c in dyad_counts(g) {
        mutual2 += c.mutual as u64;
        arcs2 += c.arcs as u64;
    }
    if arcs2 == 0 {
        return None;
    }
    let (m, a) = (mutual2 as f64 / 2.0, arcs2 as f64 / 2.0);
    Some((2.0 * m / a, m / (a - m)))
}

/// Per-account reciprocity and eligibility under `cfg`; the diagnostics count accounts
/// in `population` left unranked and why.
pub fn reciprocity(
    g: &Graph,
    cfg: &ReciprocityConfig,
    population: &[bool],
    diagnostics: &mut BTreeMap<String, u64>,
) -> (Vec<f64>, Vec<bool>) {
    let counts = dyad_counts(g);
    let mut score = vec![0.0; counts.len()];
    let mut eligible = population.to_vec();
    let (mut no_arcs, mut below) = (0u64, 0u64);
    for (v, c) in counts.iter().enumerate() {
        match c.share(cfg.definition) {
            None => {
                no_arcs += population[v] as u64;
                eligible[v] = false;
            }
            Some(_) if c.partners < cfg.min_partners => {
                below += population[v] as u64;
                eligible[v] = false;
            }
            Some(r) => score[v] = r,
        }
    }
    diagnostics.insert("unranked_no_arcs".into(), no_arcs);
    if cfg.min_partners > 1 {
        diagnostics.insert("unranked_below_min_partners".into(), below);
    }
    (score, eligible)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reciprocity {
    pub config: ReciprocityConfig,
    pub kinds: Option<Vec<String>>,
}

impl Reciprocity {
    pub fn from_params(p: &toml::Table) -> Result<Reciprocity> {
        let (own, q): (params::OfKinds, ReciprocityConfig) = params::parse_split("reciprocity", p)?;
        if q.min_partners == 0 {
            bail!("reciprocity: min_partners must be >= 1 (reciprocity needs a partner)");
        }
        Ok(Reciprocity {
            config: q,
            kinds: own.kinds,
        })
    }
}

impl Conversation for Reciprocity {
    fn name(&self) -> &'static str {
        "reciprocity"
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    /// Searched over new conversation events.
    fn cost_model(&self) -> CostModel {
        CostModel::events(self.kinds.as_ref())
    }

    fn measure(&self, on: On<'_>, input: &Input, diag: &mut Diag) -> Result<Measured> {
        let (score, eligible) = reciprocity(on.graph(), &self.config, input.population, diag);
        Ok(Measured {
            score,
            eligible: Some(eligible),
            precision: Precision::Exact,
        })
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::rankings::conversation::fixture::{self, *};
    #[allow(unused_imports)]
    use crate::rankings::conversation::{self, Conv};
    #[allow(unused_imports)]
    use crate::rankings::{Method, Scores};

    fn run(p: &str) -> Result<Scores> {
        fixture::score(&Reciprocity::from_params(&params(p))?)
    }

    #[test]
    fn arc_definition_by_hand() {
        // All kinds. a: O {b,c} I {b,c,d,e}: 2 mutual of 6 arcs. b: O {a} I {a,c}: 2/3.
        // c: O {a,b,d} I {a,d}: 4/5. d: O {a,c} I {c}: 2/3. e: O {a}: 0.
        let s = run("").unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (2.0 / 3.0, true),
                (2.0 / 3.0, true),
                (4.0 / 5.0, true),
                (2.0 / 3.0, true),
                (0.0, true)
            ]
        );
        assert_eq!(s.diagnostics["unranked_no_arcs"], 0);
    }

    #[test]
    fn dyad_definition_by_hand() {
        // a: 2 mutual of 4 partners; b 1/2; c 2/3; d 1/2; e 0/1.
        let s = run("definition = \"dyad\"").unwrap();
        assert_eq!(s.score, vec![0.5, 0.5, 2.0 / 3.0, 0.5, 0.0]);
    }

    #[test]
    fn accounts_without_arcs_are_unranked_not_nan() {
        // Replies: a>b, b>a, a>c; the self-reply a>a and the weight-0 b>d do not count,
        // so d and e have no arc.
        let s = run("kinds = [\"reply\"]").unwrap();
        assert_eq!(
            pairs(&s),
            vec![
                (2.0 / 3.0, true),
                (1.0, true),
                (0.0, true),
                (0.0, false),
                (0.0, false)
            ]
        );
        assert_eq!(s.diagnostics["unranked_no_arcs"], 2);
        assert!(s.score.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn min_partners_leaves_small_denominators_out() {
        let s = run("min_partners = 3").unwrap();
        assert_eq!(s.eligible, vec![true, false, true, false, false]);
        assert_eq!(s.diagnostics["unranked_below_min_partners"], 3);
        assert!(run("min_partners = 0").is_err());
        assert!(run("definition = \"edge\"").is_err());
    }

    #[test]
    fn self_loops_are_not_reciprocated_arcs() {
        // networkx would count 0 -> 0 as a reciprocated arc of node 0 (2*1/2 = 1).
        let g = Graph::from_pairs(2, &[(0, 0), (0, 1)]);
        let c = dyad_counts(&g);
        assert_eq!(
            c[0],
            DyadCounts {
                mutual: 0,
                partners: 1,
                arcs: 1
            }
        );
        assert_eq!(overall(&g), Some((0.0, 0.0)));
        assert_eq!(overall(&Graph::from_pairs(2, &[(1, 1)])), None);
    }

    #[test]
    fn overall_by_hand() {
        // 0<->1, 1->2, 2->0: 4 arcs, 3 dyads, 1 mutual: arc 2/4, dyad 1/3.
        let g = Graph::from_pairs(3, &[(0, 1), (1, 0), (1, 2), (2, 0)]);
        assert_eq!(overall(&g), Some((0.5, 1.0 / 3.0)));
    }

    /// NodeXL's identity r_e = 2 r_d / (1 + r_d), per account and overall, on random
    /// digraphs of varied density, with self-loops and repeated arcs thrown in.
    #[test]
    fn edge_ratio_is_a_function_of_pair_ratio_on_random_graphs() {
        let mut rng = ChaCha8Rng::seed_from_u64(2011);
        for case in 0..200 {
            let n = rng.random_range(2..40u32);
            let m = rng.random_range(0..(n * n));
            let edges: Vec<(u32, u32)> = (0..m)
                .map(|_| (rng.random_range(0..n), rng.random_range(0..n)))
                .collect();
            let g = Graph::from_pairs(n as usize, &edges);
            let ident = |rd: f64| 2.0 * rd / (1.0 + rd);
            for (v, c) in dyad_counts(&g).iter().enumerate() {
                match (c.share(Definition::Arc), c.share(Definition::Dyad)) {
                    (Some(re), Some(rd)) => {
                        assert!((re - ident(rd)).abs() < 1e-12, "case {case} node {v}")
                    }
                    (None, None) => assert_eq!(c.partners, 0),
                    other => panic!("case {case} node {v}: {other:?}"),
                }
            }
            if let Some((re, rd)) = overall(&g) {
                assert!((re - ident(rd)).abs() < 1e-12, "case {case}");
            }
        }
    }
}
