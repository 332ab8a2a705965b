//! `eigenvector` and `katz`: centrality from the in-edges' eigen-structure.
//!
//! Eigenvector centrality (Bonacich 1972): a node is central when central nodes point
//! to it: λ x = Aᵀx (x_v = Σ_{u->v} w x_u / λ), the leading left eigenvector of A. On
//! the follow graph: followed by the followed. As networkx `eigenvector_centrality` on
//! a DiGraph: x₀ = 1/n; x ← (x + Aᵀx) / ‖x + Aᵀx‖₂ (the shift by I makes the iteration
//! converge on periodic graphs such as a directed cycle); stop when ‖x' − x‖₁ < n · tol.
//! Scores have unit Euclidean norm.
//!
//! Where it is ill-defined (the graph is not strongly connected): each strongly
//! connected component (SCC) has its own leading eigenvalue. If exactly one SCC has the
//! largest, λ, the eigenvector is unique: positive on that SCC and on every node it
//! reaches, exactly 0 elsewhere (networkx converges to the same vector, with tiny
//! residues where we have zeros). If the graph has no directed cycle (λ = 0) we return
//! [`SpectralError::Acyclic`] (networkx fails to converge, or at a loose tol stops on an
//! arbitrary vector). If two SCCs share λ we return [`SpectralError::NotUnique`]
//! (networkx returns a mix that depends on its start vector, or fails to converge when
//! one reaches the other).
//!
//! Katz centrality (Katz 1953): x = α Aᵀx + β, i.e. x = β Σ_k (αAᵀ)^k 1, counting
//! walks into a node with length-k walks discounted by α^k. As networkx
//! `katz_centrality`: x₀ = 0; x ← α Aᵀx + β; stop when ‖x' − x‖₁ < n · tol · β (networkx
//! compares with n · tol; identical at the default β = 1, and this way β, which only
//! scales x, cannot stop the iteration early); then x / ‖x‖₂. The series converges iff
//! α < 1/λ_max; otherwise [`SpectralError::KatzDiverges`] states λ_max (estimated by a
//! power iteration) and the largest usable α. Katz is unique whenever it converges.
//!
//! Complexity: O(iterations · (n + m)), parallel over nodes with fixed-order sums (the
//! same result at any thread count); eigenvector adds O(n + m) for the SCCs.
//! References: Bonacich (1972), "Factoring and weighting approaches to status scores and
//! clique identification", J. Math. Sociology 2:113–120; Bonacich (1987), "Power and
//! centrality: a family of measures", AJS 92:1170–1182; Katz (1953), "A new status index
//! derived from sociometric analysis", Psychometrika 18:39–43.

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{self, GraphChoice};
use super::spectral::{self, SpectralError, neighbour_sum};
use super::{CostModel, cost_model::Helpers};
use super::{Input, Method, Precision, Scores};
use crate::graph::Graph;

/// Eigenvector-centrality settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EigenvectorConfig {
    /// Stop when the L1 change of an iteration is below n · tol.
    pub tol: f64,
    pub max_iter: usize,
    /// Use edge weights (interaction counts); follow edges all weigh 1 anyway.
    pub weighted: bool,
}

impl EigenvectorConfig {
    pub const DEFAULT_TOL: f64 = 1e-10;
    pub const DEFAULT_MAX_ITER: usize = 1000;
}

impl Default for EigenvectorConfig {
    fn default() -> Self {
        EigenvectorConfig {
            tol: Self::DEFAULT_TOL,
            max_iter: Self::DEFAULT_MAX_ITER,
            weighted: true,
        }
    }
}

/// Katz settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KatzConfig {
    /// α, the attenuation per step; must be below 1/λ_max.
    pub alpha: f64,
    /// β, the score every node starts with; it scales x and so not the normalised scores.
    pub beta: f64,
    /// Stop when the L1 change of an iteration is below n · tol · β.
    pub tol: f64,
    pub max_iter: usize,
    pub weighted: bool,
}

impl KatzConfig {
    pub const DEFAULT_ALPHA: f64 = 0.1;
    pub const DEFAULT_BETA: f64 = 1.0;
    pub const DEFAULT_TOL: f64 = 1e-10;
    pub const DEFAULT_MAX_ITER: usize = 1000;
}

impl Default for KatzConfig {
    fn default() -> Self {
        KatzConfig {
            alpha: Self::DEFAULT_ALPHA,
            beta: Self::DEFAULT_BETA,
            tol: Self::DEFAULT_TOL,
            max_iter: Self::DEFAULT_MAX_ITER,
            weighted: true,
        }
    }
}

/// Result of an eigenvector or Katz run.
#[derive(Debug, Clone, PartialEq)]
pub struct CentralityResult {
    /// Unit Euclidean norm.
    pub scores: Vec<f64>,
    pub iterations: usize,
    /// Eigenvector: λ, the leading eigenvalue. Katz: α.
    pub value: f64,
    /// Eigenvector: nodes with a positive score (the dominant SCC and all it reaches).
    /// Katz: n.
    pub support: usize,
}

fn normalise_l2(x: &mut [f64]) -> f64 {
    let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
    x.iter_mut().for_each(|v| *v /= norm);
    norm
}

/// Eigenvector centrality of `g` (in-edges: the leading left eigenvector of A).
pub fn eigenvector(g: &Graph, cfg: &EigenvectorConfig) -> Result<CentralityResult, SpectralError> {
    const METHOD: &str = "eigenvector";
    let n = g.node_count();
    if n == 0 {
        return Err(SpectralError::Empty { method: METHOD });
    }
    let sccs = spectral::strong_components(&g.out);
    // λ > 0 iff some SCC holds an edge: a self-loop or two or more nodes.
    let cyclic = (0..n as u32).any(|v| {
        let c = sccs.id[v as usize];
        g.out.neighbors(v).iter().any(|&u| sccs.id[u as usize] == c)
    });
    if !cyclic {
        return Err(SpectralError::Acyclic);
    }
    let w = cfg.weighted;
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    let mut lambda = 0.0;
    let mut done = None;
    for iter in 1..=cfg.max_iter {
        next.par_iter_mut()
            .enumerate()
            .for_each(|(v, o)| *o = x[v] + neighbour_sum(&g.inn, v as u32, w, &x));
        let prev_norm = if iter == 1 {
            (n as f64).sqrt().recip()
        } else {
            1.0
        };
        // ‖x + Aᵀx‖ / ‖x‖ = 1 + λ at the fixed point.
        lambda = normalise_l2(&mut next) / prev_norm - 1.0;
        let change = spectral::l1_distance(&next, &x);
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * cfg.tol {
            done = Some(iter);
            break;
        }
    }
    let Some(iterations) = done else {
        // Say why when we can: two SCCs sharing λ, one reaching the other, make the
        // iteration crawl (a Jordan block) rather than settle.
        let (rho, tied) = leading_sccs(g, &sccs, w, cfg.max_iter.max(10_000));
        return Err(match tied[..] {
            [c0, c1, ..] => SpectralError::NotUnique {
                method: METHOD,
                kind: "strongly connected components",
                blocks: tied.len(),
                value: rho,
                examples: (sccs.members(c0)[0], sccs.members(c1)[0]),
            },
            _ => SpectralError::NotConverged {
                method: METHOD,
                max_iter: cfg.max_iter,
                tol: cfg.tol,
                hint: "raise max_iter or tol; if it still fails, strongly connected \
                       components that reach one another share the leading eigenvalue and \
                       eigenvector centrality is ill-defined here: use katz or pagerank",
            },
        });
    };
    let dominant = dominant_scc(g, &sccs, &x, lambda, cfg)?;
    // The exact eigenvector is positive on what the dominant SCC reaches, 0 elsewhere.
    let mut reached = vec![false; n];
    let mut stack: Vec<u32> = sccs.members(dominant).to_vec();
    stack.iter().for_each(|&v| reached[v as usize] = true);
    while let Some(v) = stack.pop() {
        for &u in g.out.neighbors(v) {
            if !reached[u as usize] {
                reached[u as usize] = true;
                stack.push(u);
            }
        }
    }
    x.iter_mut()
        .zip(&reached)
        .for_each(|(v, &r)| *v = if r { *v } else { 0.0 });
    normalise_l2(&mut x);
    Ok(CentralityResult {
        scores: x,
        iterations,
        value: lambda,
        support: reached.iter().filter(|&&r| r).count(),
    })
}

/// z = Aᵀy restricted to SCC `c` (edges from other SCCs left out), at c's members.
fn scc_product(
    g: &Graph,
    sccs: &spectral::Blocks,
    weighted: bool,
    c: usize,
    y: &[f64],
    z: &mut [f64],
) {
    for &v in sccs.members(c) {
        let nb = g.inn.neighbors(v);
        let ws = g.inn.neighbor_weights(v).filter(|_| weighted);
        z[v as usize] = nb
            .iter()
            .enumerate()
            .filter(|&(_, &u)| sccs.id[u as usize] == c as u32)
            .map(|(j, &u)| ws.map_or(1.0, |ws| ws[j]) * y[u as usize])
            .sum();
    }
}

/// The SCC whose leading eigenvalue is λ, if exactly one is (`x`: the iteration's vector,
/// the warm start of each SCC's test).
fn dominant_scc(
    g: &Graph,
    sccs: &spectral::Blocks,
    x: &[f64],
    lambda: f64,
    cfg: &EigenvectorConfig,
) -> Result<usize, SpectralError> {
    let n = g.node_count();
    let (mut y, mut z) = (vec![0.0; n], vec![0.0; n]);
    spectral::dominant_block(
        "eigenvector",
        "strongly connected components",
        sccs,
        lambda,
        |c| {
            let members = sccs.members(c);
            members.iter().for_each(|&v| y[v as usize] = x[v as usize]);
            spectral::block_verdict(
                members,
                &mut y,
                &mut z,
                |y, z| scc_product(g, sccs, cfg.weighted, c, y, z),
                lambda,
                cfg.max_iter,
            )
        },
    )
}

/// λ_max of A, the largest eigenvalue of its SCCs, each bounded by Collatz–Wielandt
/// (exact to ~1e-12 relative even where a global power iteration crawls), and the SCCs
/// that attain it within [`spectral::TIE_TOL`].
pub fn largest_eigenvalue(g: &Graph, weighted: bool, max_iter: usize) -> f64 {
    leading_sccs(g, &spectral::strong_components(&g.out), weighted, max_iter).0
}

fn leading_sccs(
    g: &Graph,
    sccs: &spectral::Blocks,
    weighted: bool,
    max_iter: usize,
) -> (f64, Vec<usize>) {
    let n = g.node_count();
    let (mut y, mut z) = (vec![0.0; n], vec![0.0; n]);
    spectral::leading_blocks(
        sccs,
        &mut y,
        &mut z,
        |c, y, z| scc_product(g, sccs, weighted, c, y, z),
        max_iter,
    )
}

/// Katz centrality of `g` (walks into a node).
pub fn katz(g: &Graph, cfg: &KatzConfig) -> Result<CentralityResult, SpectralError> {
    let n = g.node_count();
    if n == 0 {
        return Err(SpectralError::Empty { method: "katz" });
    }
    let w = cfg.weighted;
    let (alpha, beta) = (cfg.alpha, cfg.beta);
    let mut x = vec![0.0; n];
    let mut next = vec![0.0; n];
    for iter in 1..=cfg.max_iter {
        next.par_iter_mut()
            .enumerate()
            .for_each(|(v, o)| *o = alpha * neighbour_sum(&g.inn, v as u32, w, &x) + beta);
        let change = spectral::l1_distance(&next, &x);
        std::mem::swap(&mut x, &mut next);
        if !change.is_finite() {
            break; // overflow: the series diverges
        }
        if change < n as f64 * cfg.tol * beta {
            normalise_l2(&mut x);
            return Ok(CentralityResult {
                scores: x,
                iterations: iter,
                value: alpha,
                support: n,
            });
        }
    }
    let lambda = largest_eigenvalue(g, w, cfg.max_iter.max(10_000));
    if alpha * lambda >= 1.0 - spectral::TIE_TOL {
        return Err(SpectralError::KatzDiverges {
            alpha,
            lambda,
            limit: 1.0 / lambda,
        });
    }
    Err(SpectralError::NotConverged {
        method: "katz",
        max_iter: cfg.max_iter,
        tol: cfg.tol,
        hint: "alpha is close to 1/λ_max, so the series converges slowly: raise max_iter \
               or lower alpha",
    })
}

/// The ranking methods.
#[derive(Debug, Clone, PartialEq)]
pub enum EigenMethod {
    Eigenvector {
        graph: GraphChoice,
        config: EigenvectorConfig,
    },
    Katz {
        graph: GraphChoice,
        config: KatzConfig,
    },
}

impl EigenMethod {
    pub fn eigenvector_from_params(p: &toml::Table) -> Result<EigenMethod> {
        let (own, q): (params::OnGraph, EigenvectorConfig) = params::parse_split("eigenvector", p)?;
        if q.tol.is_nan() || q.tol <= 0.0 {
            bail!("eigenvector: tol = {} must be > 0", q.tol);
        }
        Ok(EigenMethod::Eigenvector {
            graph: own.graph,
            config: q,
        })
    }

    pub fn katz_from_params(p: &toml::Table) -> Result<EigenMethod> {
        let (own, q): (params::OnGraph, KatzConfig) = params::parse_split("katz", p)?;
        if !(q.alpha > 0.0 && q.alpha.is_finite()) {
            bail!("katz: alpha = {} must be > 0 (and below 1/λ_max)", q.alpha);
        }
        if !(q.beta > 0.0 && q.beta.is_finite()) {
            bail!("katz: beta = {} must be > 0", q.beta);
        }
        if q.tol.is_nan() || q.tol <= 0.0 {
            bail!("katz: tol = {} must be > 0", q.tol);
        }
        Ok(EigenMethod::Katz {
            graph: own.graph,
            config: q,
        })
    }
}

impl Method for EigenMethod {
    fn method(&self) -> &'static str {
        match self {
            EigenMethod::Eigenvector { .. } => "eigenvector",
            EigenMethod::Katz { .. } => "katz",
        }
    }

    /// Both sum their followers' scores: they respect follower-set inclusion
    /// (methodology §6d).
    fn forced_order(&self) -> Option<super::Forced> {
        let (EigenMethod::Eigenvector { graph, .. } | EigenMethod::Katz { graph, .. }) = self;
        graph.follower_inclusion()
    }

    /// Searched over new edges, the best-scored helpers first.
    fn cost_model(&self) -> CostModel {
        let (EigenMethod::Eigenvector { graph, .. } | EigenMethod::Katz { graph, .. }) = self;
        CostModel::graph_search(*graph, Helpers::Score, &[])
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let r = match self {
            EigenMethod::Eigenvector { graph, config } => eigenvector(graph.pick(input)?, config),
            EigenMethod::Katz { graph, config } => katz(graph.pick(input)?, config),
        }
        .map_err(|e| spectral::with_accounts(e, input))?;
        let mut diagnostics = std::collections::BTreeMap::new();
        diagnostics.insert("iterations".into(), r.iterations as u64);
        if let EigenMethod::Eigenvector { .. } = self {
            diagnostics.insert("positive_score_nodes".into(), r.support as u64);
        }
        Ok(Scores {
            score: r.scores,
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

    fn tight() -> EigenvectorConfig {
        EigenvectorConfig {
            tol: 1e-15,
            ..Default::default()
        }
    }

    fn close(got: &[f64], want: &[f64], eps: f64) {
        assert_eq!(got.len(), want.len());
        for (a, b) in got.iter().zip(want) {
            assert!((a - b).abs() < eps, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn directed_cycle_is_uniform() {
        let g = Graph::from_pairs(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]);
        let r = eigenvector(&g, &tight()).unwrap();
        close(&r.scores, &[5f64.sqrt().recip(); 5], 1e-15);
        assert!((r.value - 1.0).abs() < 1e-14);
    }

    #[test]
    fn upstream_node_is_exactly_zero_downstream_node_inherits() {
        // 3-cycle 0 -> 1 -> 2 -> 0, with 2 -> 3 (reached) and 4 -> 0 (not reached):
        // λ = 1, x = (1, 1, 1, 1, 0) / 2.
        let g = Graph::from_pairs(5, &[(0, 1), (1, 2), (2, 0), (2, 3), (4, 0)]);
        let r = eigenvector(&g, &tight()).unwrap();
        close(&r.scores, &[0.5, 0.5, 0.5, 0.5, 0.0], 1e-14);
        assert_eq!(r.scores[4], 0.0);
        assert_eq!(r.support, 4);
    }

    #[test]
    fn bipartite_star_converges_thanks_to_the_shift() {
        // Undirected star, 4 leaves: eigenvalues ±2, an unshifted iteration oscillates.
        // x_hub = 2 x_leaf: hub 1/√2, leaves 1/(2√2).
        let g = Graph::from_pairs(
            5,
            &[
                (0, 1),
                (1, 0),
                (0, 2),
                (2, 0),
                (0, 3),
                (3, 0),
                (0, 4),
                (4, 0),
            ],
        );
        let r = eigenvector(&g, &tight()).unwrap();
        let s = 2f64.sqrt();
        close(
            &r.scores,
            &[1.0 / s, 0.5 / s, 0.5 / s, 0.5 / s, 0.5 / s],
            1e-14,
        );
        assert!((r.value - 2.0).abs() < 1e-13);
    }

    #[test]
    fn larger_component_wins_the_smaller_scores_zero() {
        // K3 both ways (λ = 2) and a disjoint 3-cycle (λ = 1).
        let g = Graph::from_pairs(
            6,
            &[
                (0, 1),
                (1, 0),
                (1, 2),
                (2, 1),
                (0, 2),
                (2, 0),
                (3, 4),
                (4, 5),
                (5, 3),
            ],
        );
        let r = eigenvector(&g, &tight()).unwrap();
        let t = 3f64.sqrt().recip();
        assert_eq!(r.scores[3..], [0.0, 0.0, 0.0]);
        close(&r.scores[..3], &[t, t, t], 1e-15);
    }

    #[test]
    fn weights_and_self_loops_count() {
        // 0 -> 0 (w 2) and 0 -> 1 (w 1): λ = 2, x1 = x0 / 2: (2, 1)/√5.
        let g = Graph::from_edges(2, vec![(0, 0, 2.0), (0, 1, 1.0)], true);
        let r = eigenvector(&g, &tight()).unwrap();
        close(&r.scores, &[2.0 / 5f64.sqrt(), 1.0 / 5f64.sqrt()], 1e-14);
        assert!((r.value - 2.0).abs() < 1e-13);
    }

    #[test]
    fn ill_defined_graphs_are_refused() {
        let dag = Graph::from_pairs(3, &[(0, 1), (1, 2), (0, 2)]);
        assert_eq!(eigenvector(&dag, &tight()), Err(SpectralError::Acyclic));
        let two = Graph::from_pairs(6, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)]);
        assert!(matches!(
            eigenvector(&two, &tight()),
            Err(SpectralError::NotUnique { blocks: 2, .. })
        ));
        // A 2-cycle feeding another 2-cycle: λ = 1 twice in a Jordan block; the
        // iteration crawls, and the failure names the cause.
        let chained = Graph::from_pairs(4, &[(0, 1), (1, 0), (1, 2), (2, 3), (3, 2)]);
        match eigenvector(&chained, &EigenvectorConfig::default()) {
            Err(SpectralError::NotUnique { value, blocks, .. }) => {
                assert_eq!(blocks, 2);
                assert!((value - 1.0).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn katz_counts_discounted_walks() {
        // Path 0 -> 1 -> 2, α = 0.5: x = (1, 1.5, 1.75), then unit norm.
        let g = Graph::from_pairs(3, &[(0, 1), (1, 2)]);
        let cfg = KatzConfig {
            alpha: 0.5,
            tol: 1e-15,
            ..Default::default()
        };
        let r = katz(&g, &cfg).unwrap();
        let norm = (1.0f64 + 2.25 + 3.0625).sqrt();
        close(&r.scores, &[1.0 / norm, 1.5 / norm, 1.75 / norm], 1e-15);
        // β only scales x: the normalised scores do not move.
        let r2 = katz(&g, &KatzConfig { beta: 7.0, ..cfg }).unwrap();
        close(&r2.scores, &r.scores, 1e-15);
    }

    #[test]
    fn katz_in_star_and_cycle() {
        // Leaves 1..4 -> 0, α = 0.1: hub 1 + 4α = 1.4, leaves 1.
        let g = Graph::from_pairs(5, &[(1, 0), (2, 0), (3, 0), (4, 0)]);
        let r = katz(&g, &KatzConfig::default()).unwrap();
        let norm = (1.96f64 + 4.0).sqrt();
        close(
            &r.scores,
            &[1.4 / norm, 1.0 / norm, 1.0 / norm, 1.0 / norm, 1.0 / norm],
            1e-15,
        );
        let c = Graph::from_pairs(3, &[(0, 1), (1, 2), (2, 0)]);
        let r = katz(
            &c,
            &KatzConfig {
                alpha: 0.9,
                tol: 1e-15,
                max_iter: 10_000,
                ..Default::default()
            },
        )
        .unwrap();
        close(&r.scores, &[3f64.sqrt().recip(); 3], 1e-15);
    }

    #[test]
    fn katz_past_one_over_lambda_says_so() {
        // K3 both ways: λ = 2, so α = 0.5 is exactly at the limit.
        let g = Graph::from_pairs(3, &[(0, 1), (1, 0), (1, 2), (2, 1), (0, 2), (2, 0)]);
        let e = katz(
            &g,
            &KatzConfig {
                alpha: 0.5,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Katz does not converge for alpha = 0.5: the largest eigenvalue is 2.000000; use \
             alpha < 0.500000"
        );
        assert!(
            katz(
                &g,
                &KatzConfig {
                    alpha: 0.45,
                    ..Default::default()
                }
            )
            .is_ok()
        );
        assert!((largest_eigenvalue(&g, true, 1000) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn katz_params_are_checked() {
        let mut p = toml::Table::new();
        p.insert("alpha".into(), 0.0.into());
        assert!(EigenMethod::katz_from_params(&p).is_err());
        p.insert("alpha".into(), 0.05.into());
        p.insert("beta".into(), 2.0.into());
        match EigenMethod::katz_from_params(&p).unwrap() {
            EigenMethod::Katz { config, graph } => {
                assert_eq!((config.alpha, config.beta), (0.05, 2.0));
                assert_eq!(graph, GraphChoice::Follows);
            }
            other => panic!("{other:?}"),
        }
        p.insert("mode".into(), "in".into());
        assert!(EigenMethod::katz_from_params(&p).is_err());
        assert!(EigenMethod::eigenvector_from_params(&toml::Table::new()).is_ok());
    }
}
