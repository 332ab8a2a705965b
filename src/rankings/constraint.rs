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

use super::CostModel;
use super::params::{self, GraphChoice};
use super::{Input, Method, Precision, Scores};
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
    /// Whether every value of the measure comes from its exact rational (see
    /// [`Exact::to_f64`]); otherwise some carry the rounding of float sums.
    pub constraint_exact: bool,
    pub effective_size_exact: bool,
}

/// An exact rational num / den (den > 0) in i128; every operation is checked and gives
/// None on overflow, where the float value is kept instead. With whole-number mutual
/// weights both measures are rationals: effective size n − (Σ_v T_v / M_v) / S_u, with
/// small denominators (M_v ∈ {1, 2} on a follow graph), and constraint
/// Σ_v (w_uv + Σ_w w_uw w_vw / S_w)² / S_u², whose denominators are products of
/// contact strengths and can outgrow i128 around hubs.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Exact {
    num: i128,
    den: i128,
}

impl Exact {
    fn int(n: i128) -> Exact {
        Exact { num: n, den: 1 }
    }

    /// self + num / den (den > 0). The denominator stays the least common multiple.
    fn add(self, num: i128, den: i128) -> Option<Exact> {
        if self.den % den == 0 {
            let scaled = num.checked_mul(self.den / den)?;
            return Some(Exact {
                num: self.num.checked_add(scaled)?,
                den: self.den,
            });
        }
        let g = gcd(self.den, den);
        let (a, b) = (self.den / g, den / g);
        Some(Exact {
            num: self.num.checked_mul(b)?.checked_add(num.checked_mul(a)?)?,
            den: self.den.checked_mul(b)?,
        })
    }

    fn plus(self, other: Exact) -> Option<Exact> {
        self.add(other.num, other.den)
    }

    fn square(self) -> Option<Exact> {
        Some(Exact {
            num: self.num.checked_mul(self.num)?,
            den: self.den.checked_mul(self.den)?,
        })
    }

    /// In lowest terms, so that equal rationals have one representation.
    fn reduced(self) -> Exact {
        let g = gcd(self.num, self.den).max(1);
        Exact {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// The f64 of the fraction in lowest terms: correctly rounded (one IEEE division of
    /// two exact integers) when numerator and denominator are at most 2^53, as they are
    /// for effective size; otherwise within 1.5 ulp. Either way a function of the
    /// rational alone, so equal rationals give equal bits.
    fn to_f64(self) -> f64 {
        let r = self.reduced();
        r.num as f64 / r.den as f64
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
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
///
/// Each value is computed in floats and, when every mutual weight is a whole number,
/// also as an exact rational ([`Exact`]); the exact value, correctly rounded, replaces
/// the float wherever it fits, so mathematically equal values are equal bits
/// (methodology §1).
pub fn structural_holes(g: &Graph, cfg: &HolesConfig) -> StructuralHoles {
    let n = g.node_count();
    let c = Contacts::build(g, cfg.weighted);
    let integer = !cfg.weighted || g.has_integer_weights();
    let sum: Vec<f64> = (0..n as u32).map(|v| c.of(v).1.iter().sum()).collect();
    let max: Vec<f64> = (0..n as u32)
        .map(|v| c.of(v).1.iter().fold(0.0, |a: f64, &b| a.max(b)))
        .collect();
    // Whole numbers below 2^53 (has_integer_weights), so `as i128` is exact.
    let int = |x: f64| x as i128;
    let values: Vec<((f64, bool), (f64, bool))> = (0..n as u32)
        .into_par_iter()
        .map_init(
            // pos[w] = 1 + the index of w in the current node's contact list (0: not a
            // contact); reset after each node.
            || vec![0u32; n],
            |pos, u| {
                let (nu, wu) = c.of(u);
                if nu.is_empty() {
                    return ((f64::NAN, true), (f64::NAN, true));
                }
                let su = sum[u as usize];
                for (j, &w) in nu.iter().enumerate() {
                    pos[w as usize] = j as u32 + 1;
                }
                let (mut cons, mut size) = (0.0, 0.0);
                // Exact: Σ_v Q_v² and Σ_v T_v / M_v (None once either overflows).
                let zero = Some(Exact::int(0));
                let (mut cons_x, mut size_x) = if integer { (zero, zero) } else { (None, None) };
                for (&v, &m_uv) in nu.iter().zip(wu) {
                    let (nv, wv) = c.of(v);
                    // Over shared contacts w: Σ p_uw p_wv and Σ p_uw m_vw (mutual weights
                    // are symmetric: a_wv + a_vw is v's weight for w).
                    let (mut via, mut redundancy) = (0.0, 0.0);
                    let (mut q_x, mut t_x) = (cons_x.map(|_| Exact::int(int(m_uv))), Some(0i128));
                    let mut add = |w: u32, m_uw: f64, m_vw: f64| {
                        let p_uw = m_uw / su;
                        via += p_uw * (m_vw / sum[w as usize]);
                        redundancy += p_uw * (m_vw / max[v as usize]);
                        if integer {
                            let prod = int(m_uw) * int(m_vw);
                            q_x = q_x.and_then(|q| q.add(prod, int(sum[w as usize])));
                            t_x = t_x.and_then(|t| t.checked_add(prod));
                        }
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
                    cons_x = cons_x.and_then(|s| s.plus(q_x?.reduced().square()?));
                    size_x = size_x.and_then(|s| s.add(t_x?, int(max[v as usize])));
                }
                for &w in nu {
                    pos[w as usize] = 0;
                }
                // c = (Σ Q_v²) / S_u²; e = n_u − (Σ T_v / M_v) / S_u.
                let s = int(su);
                let cons_x = cons_x.and_then(|x| {
                    let x = x.reduced();
                    Some(
                        Exact {
                            num: x.num,
                            den: x.den.checked_mul(s.checked_mul(s)?)?,
                        }
                        .to_f64(),
                    )
                });
                let size_x = size_x.and_then(|x| {
                    let den = x.den.checked_mul(s)?;
                    Some(
                        Exact {
                            num: (nu.len() as i128).checked_mul(den)?.checked_sub(x.num)?,
                            den,
                        }
                        .to_f64(),
                    )
                });
                (
                    (cons_x.unwrap_or(cons), cons_x.is_some()),
                    (size_x.unwrap_or(size), size_x.is_some()),
                )
            },
        )
        .collect();
    StructuralHoles {
        constraint: values.iter().map(|v| v.0.0).collect(),
        effective_size: values.iter().map(|v| v.1.0).collect(),
        constraint_exact: values.iter().all(|v| v.0.1),
        effective_size_exact: values.iter().all(|v| v.1.1),
    }
}

/// The ranking methods (`constraint`, `effective-size`).
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralHolesMethod {
    pub measure: Measure,
    pub config: HolesConfig,
    pub graph: GraphChoice,
}

impl StructuralHolesMethod {
    pub fn from_params(p: &toml::Table, measure: Measure) -> Result<StructuralHolesMethod> {
        let name = match measure {
            Measure::Constraint => "constraint",
            Measure::EffectiveSize => "effective-size",
        };
        let (own, config): (params::OnGraph, HolesConfig) = params::parse_split(name, p)?;
        Ok(StructuralHolesMethod {
            measure,
            config,
            graph: own.graph,
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

    fn cost_model(&self) -> CostModel {
        CostModel::NotCosted(super::cost_model::TOO_COSTLY_TO_SEARCH.into())
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let g = self.graph.pick(input)?;
        let h = structural_holes(g, &self.config);
        let (values, exact) = match self.measure {
            Measure::Constraint => (h.constraint, h.constraint_exact),
            Measure::EffectiveSize => (h.effective_size, h.effective_size_exact),
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
            precision: Precision::exact_if(exact),
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
        let got: Vec<_> = r.entries().map(|e| (e.account, e.rank)).collect();
        // Hub: 4 contacts (incl. node 5, which is ranked out but still a contact).
        assert_eq!(got, vec![(0, 1), (1, 2), (2, 2), (3, 2)]);
        assert!(close(r.entry(0).score, -0.25));
        assert_eq!(r.entry(1).score, -1.0);
        let m = super::super::build("effective-size", &toml::Table::new()).unwrap();
        let r = crate::rankings::rank(m.score(&input).unwrap(), &names);
        assert_eq!(r.entry(0).account, 0);
        assert_eq!(r.entry(0).score, 4.0);
        assert!(super::super::build("constraint", &"alpha = 1".parse().unwrap()).is_err());
    }

    /// Random undirected graphs, relabelled: the neighbours of equal nodes come in
    /// different orders, where float sums round differently.
    fn random_undirected(seed: u64, n: u32, p: f64) -> Vec<(u32, u32)> {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let pairs: Vec<(u32, u32)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .filter(|_| rng.random::<f64>() < p)
            .collect();
        both_ways(&pairs)
    }

    /// On an undirected unweighted graph effective size is Borgatti's n − 2t/n (t ties
    /// among the n contacts): the value must be that rational correctly rounded, bit for
    /// bit — the float sums gave 10.999999999999998 for 11.
    #[test]
    fn effective_size_is_exactly_borgattis_n_minus_2t_over_n() {
        for seed in 0..30 {
            let n = 40;
            let pairs = random_undirected(seed, n, 0.3);
            let g = Graph::from_pairs(n as usize, &pairs);
            let h = holes(&g);
            assert!(h.effective_size_exact && h.constraint_exact);
            for u in 0..n {
                let nu = g.out.neighbors(u);
                if nu.is_empty() {
                    continue;
                }
                let t: usize = nu
                    .iter()
                    .map(|&v| {
                        nu.iter()
                            .filter(|&&w| g.out.neighbors(v).contains(&w))
                            .count()
                    })
                    .sum::<usize>()
                    / 2;
                let k = nu.len() as f64;
                let want = (k * k - 2.0 * t as f64) / k;
                assert_eq!(
                    h.effective_size[u as usize].to_bits(),
                    want.to_bits(),
                    "node {u}"
                );
            }
        }
    }

    /// Constraint against an independent exact computation (reduced fractions in u128,
    /// straight from c(u) = Σ_v (p_uv + Σ_w p_uw p_wv)² with p_uv = 1/d_u): bit-equal.
    #[test]
    fn constraint_is_the_correctly_rounded_rational() {
        fn gcd(a: u128, b: u128) -> u128 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        fn add((a, b): (u128, u128), (c, d): (u128, u128)) -> (u128, u128) {
            let (n, m) = (a * d + c * b, b * d);
            let g = gcd(n, m);
            (n / g, m / g)
        }
        for seed in 0..20 {
            let n = 14;
            let pairs = random_undirected(100 + seed, n, 0.35);
            let g = Graph::from_pairs(n as usize, &pairs);
            let h = holes(&g);
            let d = |v: u32| g.out.degree(v) as u128;
            for u in 0..n {
                let nu = g.out.neighbors(u);
                if nu.is_empty() {
                    continue;
                }
                let mut c = (0u128, 1u128);
                for &v in nu {
                    let mut q = (1, d(u));
                    for &w in nu.iter().filter(|&&w| g.out.neighbors(v).contains(&w)) {
                        q = add(q, (1, d(u) * d(w)));
                    }
                    c = add(c, (q.0 * q.0, q.1 * q.1));
                }
                assert!(c.0 < 1 << 53 && c.1 < 1 << 53);
                let want = c.0 as f64 / c.1 as f64;
                assert_eq!(
                    h.constraint[u as usize].to_bits(),
                    want.to_bits(),
                    "node {u}"
                );
            }
        }
    }

    /// Non-integer weights keep the float values, declared rounded; whole-number
    /// weights are exact.
    #[test]
    fn exactness_follows_the_weights() {
        let g = Graph::from_edges(3, vec![(0, 1, 0.5), (1, 2, 1.0), (2, 0, 2.0)], true);
        let h = holes(&g);
        assert!(!h.constraint_exact && !h.effective_size_exact);
        let h = structural_holes(&g, &HolesConfig { weighted: false });
        assert!(h.constraint_exact && h.effective_size_exact);
        let g = Graph::from_edges(3, vec![(0, 1, 3.0), (1, 2, 1.0), (2, 0, 2.0)], true);
        assert!(holes(&g).constraint_exact);
    }
}
