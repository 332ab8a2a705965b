//! `hits-authority` and `hits-hub`: Kleinberg's hubs and authorities.
//!
//! Summary: a good authority is pointed to by good hubs and a good hub points to good
//! authorities: a = Aᵀh, h = Aa, so a is the leading eigenvector of AᵀA and h of AAᵀ
//! (A[u][v] = weight of u -> v). On the follow graph (follower -> followee) authority is
//! "followed by accounts that follow the well-followed", hub is "follows them".
//!
//! Iteration: a₀ = 1/n (uniform start); a ← AᵀA a / ‖AᵀA a‖₁; stop when ‖a' − a‖₁ < n ·
//! tol (networkx's rule for its power iterations); then h = A a / ‖A a‖₁. Both vectors
//! sum to 1, as networkx's `hits(normalized=True)`, which computes the same vectors with
//! ARPACK `svds` (so it agrees with us after normalisation, not iteration by iteration).
//!
//! Uniqueness: AᵀA is block diagonal over the parts of [`spectral::hits_parts`]. When
//! one part has the largest leading value, the answer is unique and every node outside
//! that part scores exactly 0 (as the exact eigenvector does). When two parts tie (e.g.
//! two disjoint copies of one star) the answer depends on the start vector (networkx's
//! too: ARPACK's start is random) and we return [`SpectralError::NotUnique`].
//!
//! Arguments: the graph, a [`HitsConfig`]. Returns: hubs and authorities, each summing
//! to 1. Complexity: O(iterations · (n + m)), parallel over nodes (each node's value is a
//! fixed-order sum over its neighbours, so results do not depend on the thread count);
//! the uniqueness check is O(n + m) plus, rarely, an iteration on one part.
//! Reference: Kleinberg (1999), "Authoritative sources in a hyperlinked environment",
//! JACM 46(5):604–632; networkx `hits` for the normalisation.

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{self, GraphChoice};
use super::spectral::{self, SpectralError, neighbour_sum};
use super::{CostModel, cost_model::Helpers};
use super::{Input, Method, Precision, Scores};
use crate::graph::Graph;

/// HITS settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HitsConfig {
    /// Stop when the L1 change of the authority vector is below n · tol.
    pub tol: f64,
    pub max_iter: usize,
    /// Use edge weights (interaction counts); follow edges all weigh 1 anyway.
    pub weighted: bool,
}

impl HitsConfig {
    pub const DEFAULT_TOL: f64 = 1e-10;
    pub const DEFAULT_MAX_ITER: usize = 1000;
}

impl Default for HitsConfig {
    fn default() -> Self {
        HitsConfig {
            tol: Self::DEFAULT_TOL,
            max_iter: Self::DEFAULT_MAX_ITER,
            weighted: true,
        }
    }
}

/// Result of a HITS run.
#[derive(Debug, Clone, PartialEq)]
pub struct HitsResult {
    pub hubs: Vec<f64>,
    pub authorities: Vec<f64>,
    pub iterations: usize,
    /// σ₁², the leading eigenvalue of AᵀA.
    pub value: f64,
    /// Nodes in the dominant part (as authority or hub).
    pub part_nodes: usize,
}

/// out[v] = Σ_{u ∈ csr.neighbors(v)} w · x[u], in parallel.
fn apply(csr: &crate::graph::Csr, weighted: bool, x: &[f64], out: &mut [f64]) {
    out.par_iter_mut()
        .enumerate()
        .for_each(|(v, o)| *o = neighbour_sum(csr, v as u32, weighted, x));
}

/// out[v] = Σ_{u ∈ csr.neighbors(v)} w · x[u] for each v of `nodes`; in parallel for a
/// large node set (the dominant part is most of the graph), each sum in fixed order.
fn scatter_sums(
    csr: &crate::graph::Csr,
    nodes: &[u32],
    weighted: bool,
    x: &[f64],
    out: &mut [f64],
) {
    if nodes.len() < PARALLEL_PART {
        for &v in nodes {
            out[v as usize] = neighbour_sum(csr, v, weighted, x);
        }
        return;
    }
    let sums: Vec<f64> = nodes
        .par_iter()
        .map(|&v| neighbour_sum(csr, v, weighted, x))
        .collect();
    for (&v, s) in nodes.iter().zip(sums) {
        out[v as usize] = s;
    }
}

/// Parts at least this large are multiplied in parallel by [`scatter_sums`].
const PARALLEL_PART: usize = 4096;

fn normalise_sum(x: &mut [f64]) -> f64 {
    let s: f64 = x.iter().sum();
    x.iter_mut().for_each(|v| *v /= s);
    s
}

/// HITS hubs and authorities of `g`.
pub fn hits(g: &Graph, cfg: &HitsConfig) -> Result<HitsResult, SpectralError> {
    const METHOD: &str = "hits";
    let n = g.node_count();
    if n == 0 {
        return Err(SpectralError::Empty { method: METHOD });
    }
    if g.edge_count() == 0 {
        return Err(SpectralError::NoEdges { method: METHOD });
    }
    let w = cfg.weighted;
    let mut a = vec![1.0 / n as f64; n];
    let mut h = vec![0.0; n];
    let mut next = vec![0.0; n];
    let mut done = None;
    for iter in 1..=cfg.max_iter {
        apply(&g.out, w, &a, &mut h);
        apply(&g.inn, w, &h, &mut next);
        // a sums to 1 and is non-negative, so the L1 growth estimates σ₁².
        let value = normalise_sum(&mut next);
        let change = spectral::l1_distance(&next, &a);
        std::mem::swap(&mut a, &mut next);
        if change < n as f64 * cfg.tol {
            done = Some((iter, value));
            break;
        }
    }
    let Some((iterations, value)) = done else {
        return Err(SpectralError::NotConverged {
            method: METHOD,
            max_iter: cfg.max_iter,
            tol: cfg.tol,
            hint: "raise max_iter or tol",
        });
    };

    let (hub_parts, auth_parts) = spectral::hits_parts(&g.out);
    let (mut y, mut z, mut hh) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let part = spectral::dominant_block(METHOD, "disconnected parts", &auth_parts, value, |p| {
        let (auths, hubs) = (auth_parts.members(p), hub_parts.members(p));
        auths.iter().for_each(|&v| y[v as usize] = a[v as usize]);
        spectral::block_verdict(
            auths,
            &mut y,
            &mut z,
            |y, z| {
                // z = AᵀA y on the part: every edge of a part's hub stays in the part.
                scatter_sums(&g.out, hubs, w, y, &mut hh);
                scatter_sums(&g.inn, auths, w, &hh, z);
            },
            value,
            cfg.max_iter,
        )
    })?;
    // The exact eigenvector is 0 outside the part; drop the iteration's residue there.
    a.iter_mut()
        .zip(&auth_parts.id)
        .for_each(|(x, &p)| *x = if p as usize == part { *x } else { 0.0 });
    normalise_sum(&mut a);
    apply(&g.out, w, &a, &mut h);
    normalise_sum(&mut h);
    Ok(HitsResult {
        hubs: h,
        authorities: a,
        iterations,
        value,
        part_nodes: auth_parts.members(part).len() + hub_parts.members(part).len(),
    })
}

/// Which HITS vector ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Authority,
    Hub,
}

/// The ranking method (authority or hub score).
#[derive(Debug, Clone, PartialEq)]
pub struct HitsMethod {
    pub side: Side,
    pub graph: GraphChoice,
    pub config: HitsConfig,
}

impl HitsMethod {
    pub fn from_params(p: &toml::Table, side: Side) -> Result<HitsMethod> {
        let name = match side {
            Side::Authority => "hits-authority",
            Side::Hub => "hits-hub",
        };
        let (own, q): (params::OnGraph, HitsConfig) = params::parse_split(name, p)?;
        if q.tol.is_nan() || q.tol <= 0.0 {
            anyhow::bail!("{name}: tol = {} must be > 0", q.tol);
        }
        Ok(HitsMethod {
            side,
            graph: own.graph,
            config: q,
        })
    }
}

impl Method for HitsMethod {
    fn method(&self) -> &'static str {
        match self.side {
            Side::Authority => "hits-authority",
            Side::Hub => "hits-hub",
        }
    }

    /// Searched over new edges: authorities gain from hubs, hubs from following
    /// authorities.
    /// Authorities respect follower-set inclusion (a_v sums its followers' hub
    /// scores); hubs do not (methodology §6d).
    fn forced_order(&self) -> Option<super::Forced> {
        match self.side {
            Side::Authority => self.graph.follower_inclusion(),
            Side::Hub => None,
        }
    }

    fn cost_model(&self) -> CostModel {
        let helpers = match self.side {
            Side::Authority => Helpers::Authority,
            Side::Hub => Helpers::Hub,
        };
        CostModel::graph_search(self.graph, helpers, &[])
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let g = self.graph.pick(input)?;
        let r = hits(g, &self.config).map_err(|e| spectral::with_accounts(e, input))?;
        let mut diagnostics = std::collections::BTreeMap::new();
        diagnostics.insert("iterations".into(), r.iterations as u64);
        diagnostics.insert("dominant_part_nodes".into(), r.part_nodes as u64);
        let score = match self.side {
            Side::Authority => r.authorities,
            Side::Hub => r.hubs,
        };
        Ok(Scores {
            score,
            tiebreak: Vec::new(),
            eligible: input.population.to_vec(),
            qualified: None,
            diagnostics,
            precision: Precision::Rounded,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tight() -> HitsConfig {
        HitsConfig {
            tol: 1e-15,
            ..Default::default()
        }
    }

    #[test]
    fn in_star_hub_is_the_only_authority() {
        // Leaves 1..4 follow 0: AᵀA = [4] on node 0.
        let g = Graph::from_pairs(5, &[(1, 0), (2, 0), (3, 0), (4, 0)]);
        let r = hits(&g, &tight()).unwrap();
        assert_eq!(r.authorities, vec![1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(r.hubs, vec![0.0, 0.25, 0.25, 0.25, 0.25]);
        assert_eq!(r.value, 4.0);
    }

    #[test]
    fn weighted_part_gives_the_golden_ratio() {
        // 0 -2-> 2, 1 -> 2, 1 -> 3: AᵀA on {2, 3} = [[5, 1], [1, 1]], σ₁² = 3 + √5;
        // a ∝ (1, √5 − 2), h ∝ (φ, 1).
        let g = Graph::from_edges(4, vec![(0, 2, 2.0), (1, 2, 1.0), (1, 3, 1.0)], true);
        let r = hits(&g, &tight()).unwrap();
        let s5 = 5f64.sqrt();
        let phi = (1.0 + s5) / 2.0;
        let want_a = [0.0, 0.0, (s5 + 1.0) / 4.0, (s5 - 2.0) / (s5 - 1.0)];
        let want_h = [1.0 / phi, 1.0 / (phi * phi), 0.0, 0.0];
        for i in 0..4 {
            assert!(
                (r.authorities[i] - want_a[i]).abs() < 1e-14,
                "{:?}",
                r.authorities
            );
            assert!((r.hubs[i] - want_h[i]).abs() < 1e-14, "{:?}", r.hubs);
        }
        assert!((r.value - (3.0 + s5)).abs() < 1e-12);
        // Unweighted, the same graph gives AᵀA = [[2, 1], [1, 1]].
        let r = hits(
            &g,
            &HitsConfig {
                weighted: false,
                ..tight()
            },
        )
        .unwrap();
        assert!((r.value - (3.0 + s5) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn smaller_part_scores_exactly_zero() {
        // In-stars with 3 and 2 leaves: σ² = 3 and 2, the second part gets nothing.
        let g = Graph::from_pairs(7, &[(1, 0), (2, 0), (3, 0), (5, 4), (6, 4)]);
        let r = hits(&g, &tight()).unwrap();
        assert_eq!(r.authorities, vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(r.hubs[4..], [0.0, 0.0, 0.0]);
        assert!((r.hubs[1] - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(r.part_nodes, 4);
    }

    #[test]
    fn equal_parts_are_refused() {
        // Two copies of a 2-leaf in-star.
        let g = Graph::from_pairs(6, &[(1, 0), (2, 0), (4, 3), (5, 3)]);
        match hits(&g, &tight()) {
            Err(SpectralError::NotUnique {
                blocks, examples, ..
            }) => {
                assert_eq!(blocks, 2);
                assert_eq!(examples, (0, 3));
            }
            other => panic!("{other:?}"),
        }
        // An undirected star stored both ways is bipartite: its hub side and authority
        // side form two parts with the same σ₁, so HITS is not unique there either.
        let both = Graph::from_pairs(4, &[(0, 1), (1, 0), (0, 2), (2, 0), (0, 3), (3, 0)]);
        assert!(matches!(
            hits(&both, &tight()),
            Err(SpectralError::NotUnique { .. })
        ));
    }

    #[test]
    fn empty_edgeless_and_unconverged_are_errors() {
        assert!(matches!(
            hits(&Graph::from_pairs(3, &[]), &tight()),
            Err(SpectralError::NoEdges { .. })
        ));
        assert!(matches!(
            hits(&Graph::from_pairs(0, &[]), &tight()),
            Err(SpectralError::Empty { .. })
        ));
        let g = Graph::from_edges(4, vec![(0, 2, 2.0), (1, 2, 1.0), (1, 3, 1.0)], true);
        let cfg = HitsConfig {
            max_iter: 2,
            ..tight()
        };
        assert!(matches!(
            hits(&g, &cfg),
            Err(SpectralError::NotConverged { max_iter: 2, .. })
        ));
    }

    #[test]
    fn params_pick_the_side_and_reject_unknown_keys() {
        let mut p = toml::Table::new();
        p.insert("graph".into(), "interactions".into());
        p.insert("max_iter".into(), 50.into());
        let m = HitsMethod::from_params(&p, Side::Hub).unwrap();
        assert_eq!(m.method(), "hits-hub");
        assert_eq!(m.graph, GraphChoice::Interactions);
        assert_eq!(m.config.max_iter, 50);
        assert_eq!(m.config.tol, HitsConfig::DEFAULT_TOL);
        p.insert("damping".into(), 0.5.into());
        let e = HitsMethod::from_params(&p, Side::Authority).unwrap_err();
        assert!(format!("{e:#}").contains("damping"), "{e:#}");
    }
}
