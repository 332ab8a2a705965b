//! `constraint` and `effective-size`: Burt's structural-hole measures, exactly as
//! networkx 3.6 `constraint` / `effective_size` define them on a directed graph.
//!
//! Summary: a node's contacts N(u) are its in- and out-neighbours together (direction
//! is ignored, strength is not). The mutual weight of u and v is a_uv + a_vu (edge
//! weights, or 1 per edge with `weighted = false`), p_uv is u's mutual weight with v
//! over the sum of u's mutual weights, and m_vw is v's mutual weight with w over v's
//! largest mutual weight.
//! - constraint c(u) = Σ_{v ∈ N(u)} (p_uv + Σ_{w ∈ N(u)} p_uw p_wv)² (Burt 1992, 2004):
//!   how much u's ties are invested in contacts who are tied to each other. LOW
//!   constraint = more brokerage, so the ranking score is −c(u): the least constrained
//!   account ranks first, and the table's `score` column holds −c.
//! - effective size e(u) = Σ_{v ∈ N(u)} (1 − Σ_{w ∈ N(u)} p_uw m_vw) (Burt 1992): the
//!   number of contacts, less their redundancy. Higher = more brokerage; score = e(u).
//!
//! Policies: a node with no contacts has no defined value (networkx returns NaN); it is
//! not ranked and counted in the diagnostic `no_contacts_not_ranked`. Self-loops are
//! ignored (Burt's sums run over j ≠ i; networkx would count a self-loop as a contact).
//!
//! Arguments: the graph and a [`HolesConfig`].
//! Returns: both measures for every node (NaN for a node without contacts).
//! Complexity: O(Σ_{u–v contact} min(d_u, d_v) · log d) time over the contact pairs (the
//! shared contacts of u and v are found from the smaller list), O(n + m) memory;
//! parallel over nodes, each node's sums in a fixed order (thread-count independent).
//! References: R. S. Burt (1992), *Structural Holes: The Social Structure of
//! Competition*, Harvard University Press; R. S. Burt (2004), "Structural holes and
//! good ideas", American Journal of Sociology 110(2); networkx `structuralholes.py`.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{self, GraphChoice};
use super::{Input, Method, Scores};
use crate::graph::Graph;

/// Which measure a method ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Rank by lowest constraint (score = −constraint).
    Constraint,
    /// Rank by highest effective size.
    EffectiveSize,
}

/// Structural-hole settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HolesConfig {
    /// Use edge weights (interaction counts) in the mutual weights; follow edges all
    /// weigh 1 anyway. networkx's `weight="weight"` (true) or `weight=None` (false).
    pub weighted: bool,
}

impl HolesConfig {
    pub const DEFAULT_WEIGHTED: bool = true;
}

impl Default for HolesConfig {
    fn default() -> Self {
        HolesConfig {
            weighted: Self::DEFAULT_WEIGHTED,
        }
    }
}

/// Both measures, indexed by node; NaN where a node has no contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralHoles {
    pub constraint: Vec<f64>,
    pub effective_size: Vec<f64>,
}

/// The contact lists: for each node the sorted union of its in- and out-neighbours
/// (itself excluded) with the mutual weight of each contact.
struct Contacts {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Contacts {
    fn build(g: &Graph, weighted: bool) -> Contacts {
        let n = g.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        let weight = |ws: Option<&[f64]>, j: usize| match ws {
            Some(w) if weighted => w[j],
            _ => 1.0,
        };
        for v in 0..n as u32 {
            let (a, b) = (g.out.neighbors(v), g.inn.neighbors(v));
            let (wa, wb) = (g.out.neighbor_weights(v), g.inn.neighbor_weights(v));
            let (mut i, mut j) = (0, 0);
            // Merge two sorted lists; a contact in both gets both weights.
            while i < a.len() || j < b.len() {
                let (t, w) = if j == b.len() || (i < a.len() && a[i] < b[j]) {
                    i += 1;
                    (a[i - 1], weight(wa, i - 1))
                } else if i == a.len() || b[j] < a[i] {
                    j += 1;
                    (b[j - 1], weight(wb, j - 1))
                } else {
                    i += 1;
                    j += 1;
                    (a[i - 1], weight(wa, i - 1) + weight(wb, j - 1))
                };
                if t != v {
                    targets.push(t);
                    weights.push(w);
                }
            }
            offsets.push(targets.len());
        }
        Contacts {
            offsets,
            targets,
            weights,
        }
    }

    fn of(&self, v: u32) -> (&[u32], &[f64]) {
        let r = self.offsets[v as usize]..self.offsets[v as usize + 1];
        (&self.targets[r.clone()], &self.weights[r])
    }
}

/// Burt's constraint and effective size of every node of `g`.
pub fn structural_holes(g: &Graph, cfg: &HolesConfig) -> StructuralHoles {
    let n = g.node_count();
    let c = Contacts::build(g, cfg.weighted);
    let sum: Vec<f64> = (0..n as u32).map(|v| c.of(v).1.iter().sum()).collect();
    let max: Vec<f64> = (0..n as u32)
        .map(|v| c.of(v).1.iter().fold(0.0, |a: f64, &b| a.max(b)))
        .collect();
    let (constraint, effective_size) = (0..n as u32)
        .into_par_iter()
        .map_init(
            // pos[w] = 1 + the index of w in the current node's contact list (0: not a
            // contact); reset after each node.
            || vec![0u32; n],
            |pos, u| {
                let (nu, wu) = c.of(u);
                if nu.is_empty() {
                    return (f64::NAN, f64::NAN);
                }
                let su = sum[u as usize];
                for (j, &w) in nu.iter().enumerate() {
                    pos[w as usize] = j as u32 + 1;
                }
                let (mut cons, mut size) = (0.0, 0.0);
                for (&v, &m_uv) in nu.iter().zip(wu) {
                    let (nv, wv) = c.of(v);
                    // Over shared contacts w: Σ p_uw p_wv and Σ p_uw m_vw (mutual weights
                    // are symmetric: a_wv + a_vw is v's weight for w).
                    let (mut via, mut redundancy) = (0.0, 0.0);
                    let mut add = |w: u32, m_uw: f64, m_vw: f64| {
                        let p_uw = m_uw / su;
                        via += p_uw * (m_vw / sum[w as usize]);
                        redundancy += p_uw * (m_vw / max[v as usize]);
                    };
                    if nv.len() <= nu.len() {
                        for (&w, &m_vw) in nv.iter().zip(wv) {
                            let k = pos[w as usize];
                            if k != 0 {
                                add(w, wu[k as usize - 1], m_vw);
                            }
                        }
                    } else {
                        for (&w, &m_uw) in nu.iter().zip(wu) {
                            if let Ok(k) = nv.binary_search(&w) {
                                add(w, m_uw, wv[k]);
                            }
                        }
                    }
                    cons += (m_uv / su + via).powi(2);
                    size += 1.0 - redundancy;
                }
                for &w in nu {
                    pos[w as usize] = 0;
                }
                (cons, size)
            },
        )
        .unzip();
    StructuralHoles {
        constraint,
        effective_size,
    }
}

/// The ranking methods (`constraint`, `effective-size`).
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralHolesMethod {
    pub measure: Measure,
    pub config: HolesConfig,
    pub graph: GraphChoice,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    graph: GraphChoice,
    #[serde(default = "d_weighted")]
    weighted: bool,
}

fn d_weighted() -> bool {
    HolesConfig::DEFAULT_WEIGHTED
}

impl StructuralHolesMethod {
    pub fn from_params(p: &toml::Table, measure: Measure) -> Result<StructuralHolesMethod> {
        let name = match measure {
            Measure::Constraint => "constraint",
            Measure::EffectiveSize => "effective-size",
        };
        let q: Params = params::parse(name, p)?;
        Ok(StructuralHolesMethod {
            measure,
            config: HolesConfig {
                weighted: q.weighted,
            },
            graph: q.graph,
        })
    }
}

impl Method for StructuralHolesMethod {
    fn method(&self) -> &'static str {
        match self.measure {
            Measure::Constraint => "constraint",
            Measure::EffectiveSize => "effective-size",
        }
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let g = self.graph.pick(input)?;
        let h = structural_holes(g, &self.config);
        let values = match self.measure {
            Measure::Constraint => h.constraint,
            Measure::EffectiveSize => h.effective_size,
        };
        let mut eligible = input.population.to_vec();
        let mut no_contacts = 0u64;
        let score = values
            .iter()
            .zip(eligible.iter_mut())
            .map(|(&x, e)| {
                if x.is_nan() {
                    no_contacts += u64::from(*e);
                    *e = false;
                    // Not ranked; the value is never shown.
                    0.0
                } else if self.measure == Measure::Constraint {
                    -x
                } else {
                    x
                }
            })
            .collect();
        let mut diagnostics = BTreeMap::new();
        diagnostics.insert("no_contacts_not_ranked".into(), no_contacts);
        Ok(Scores {
            score,
            tiebreak: Vec::new(),
            eligible,
            qualified: None,
            diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Accounts, Ids};

    fn holes(g: &Graph) -> StructuralHoles {
        structural_holes(g, &HolesConfig::default())
    }

    fn both_ways(pairs: &[(u32, u32)]) -> Vec<(u32, u32)> {
        pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-15
    }

    #[test]
    fn a_star_hub_is_unconstrained_and_leaves_fully_constrained() {
        // Hub 0 with 5 leaves that are not tied to each other: c(hub) = 5 · (1/5)² = 1/5,
        // e(hub) = 5; each leaf has one contact: c = 1, e = 1. Direction does not matter.
        for pairs in [
            both_ways(&[(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]),
            vec![(1, 0), (2, 0), (3, 0), (0, 4), (0, 5)],
        ] {
            let h = holes(&Graph::from_pairs(6, &pairs));
            assert!(close(h.constraint[0], 0.2), "{:?}", h.constraint);
            assert!(close(h.effective_size[0], 5.0));
            assert!(h.constraint[1..].iter().all(|&c| c == 1.0));
            assert!(h.effective_size[1..].iter().all(|&e| e == 1.0));
        }
    }

    #[test]
    fn a_closed_triangle_is_redundant() {
        // Each node: two contacts (p = 1/2) tied to each other:
        // c = 2 (1/2 + 1/2 · 1/2)² = 9/8; e = 2 − 2 · 1/2 = 1 (Borgatti: n − 2t/n).
        let h = holes(&Graph::from_pairs(3, &both_ways(&[(0, 1), (1, 2), (0, 2)])));
        assert!(
            h.constraint.iter().all(|&c| close(c, 9.0 / 8.0)),
            "{:?}",
            h.constraint
        );
        assert!(h.effective_size.iter().all(|&e| close(e, 1.0)));
    }

    #[test]
    fn reciprocated_ties_weigh_double_and_weights_count() {
        // 0 <-> 1 and 0 -> 2: mutual weights 2 and 1, so p01 = 2/3, p02 = 1/3;
        // c(0) = 4/9 + 1/9 = 5/9; no shared contacts, so e(0) = 2.
        let g = Graph::from_pairs(3, &[(0, 1), (1, 0), (0, 2)]);
        let h = holes(&g);
        assert!(close(h.constraint[0], 5.0 / 9.0), "{}", h.constraint[0]);
        assert_eq!(h.effective_size[0], 2.0);
        // Weighted: 0 -> 1 (3), 1 -> 0 (1), 0 -> 2 (4): mutual weights 4 and 4: c = 1/2.
        let g = Graph::from_edges(3, vec![(0, 1, 3.0), (1, 0, 1.0), (0, 2, 4.0)], true);
        assert!(close(holes(&g).constraint[0], 0.5));
        // ... unless weights are switched off: back to 5/9.
        let h = structural_holes(&g, &HolesConfig { weighted: false });
        assert!(close(h.constraint[0], 5.0 / 9.0));
    }

    #[test]
    fn isolated_and_self_loop_only_nodes_have_no_value() {
        // 0 -> 1, node 2 isolated, node 3 with only a self-loop.
        let g = Graph::from_pairs(4, &[(0, 1), (3, 3)]);
        let h = holes(&g);
        assert_eq!(h.constraint[0], 1.0);
        assert!(h.constraint[2].is_nan() && h.constraint[3].is_nan());
        assert!(h.effective_size[2].is_nan() && h.effective_size[3].is_nan());
    }

    #[test]
    fn the_method_ranks_lowest_constraint_first_and_skips_nodes_without_contacts() {
        // Star: hub 0, leaves 1..=3; node 4 isolated; node 5 outside the population.
        let mut ids = Ids::new();
        for n in ["hub", "l1", "l2", "l3", "alone", "other"] {
            ids.intern(n);
        }
        let acc = Accounts {
            ids,
            listed: 6,
            ..Default::default()
        };
        let g = Graph::from_pairs(6, &[(1, 0), (2, 0), (3, 0), (5, 0)]);
        let pop = vec![true, true, true, true, true, false];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let names: Vec<String> = ["hub", "l1", "l2", "l3", "alone", "other"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = super::super::build("constraint", &toml::Table::new()).unwrap();
        let s = m.score(&input).unwrap();
        assert_eq!(s.diagnostics["no_contacts_not_ranked"], 1);
        let r = crate::rankings::rank(s, &names);
        let got: Vec<_> = r.entries.iter().map(|e| (e.account, e.rank)).collect();
        // Hub: 4 contacts (incl. node 5, which is ranked out but still a contact).
        assert_eq!(got, vec![(0, 1), (1, 2), (2, 2), (3, 2)]);
        assert!(close(r.entries[0].score, -0.25));
        assert_eq!(r.entries[1].score, -1.0);
        let m = super::super::build("effective-size", &toml::Table::new()).unwrap();
        let r = crate::rankings::rank(m.score(&input).unwrap(), &names);
        assert_eq!(r.entries[0].account, 0);
        assert_eq!(r.entries[0].score, 4.0);
        assert!(super::super::build("constraint", &"alpha = 1".parse().unwrap()).is_err());
    }
}
