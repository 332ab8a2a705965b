//! `pagerank` and `personalized-pagerank`.
//!
//! Summary: the stationary distribution of a random surfer who, with probability α,
//! follows an out-edge of the current node (chosen in proportion to edge weight) and
//! otherwise teleports to a node drawn from the teleport vector p (uniform, or uniform
//! over a seed list for personalised PageRank). A dangling node (no out-edges) passes
//! its mass according to the dangling policy: `uniform` (default: to every node equally)
//! or `teleport` (to p, networkx's default when a personalization is given).
//!
//! Iteration (exactly networkx 3.x `pagerank`, so results agree iteration for
//! iteration): x0 = 1/n; x' = α (xᵀ W) + α (Σ_{dangling} x) d + (1 − α) p, where W is
//! the row-normalised weight matrix; stop when ‖x' − x‖₁ < n · tol. No renormalisation
//! between steps (the update preserves Σx = 1 up to rounding).
//!
//! Arguments: the graph, a [`PageRankConfig`], an optional teleport set.
//! Returns: one score per node, summing to 1; an error if not converged in `max_iter`.
//! Complexity: O(max_iter · (n + m)), parallel over nodes (each node's new value is a
//! sum over its in-neighbours in fixed order, so results do not depend on threads).
//! Reference: Page, Brin, Motwani & Winograd (1999), "The PageRank citation ranking:
//! bringing order to the web"; Haveliwala (2002) for the personalised form; networkx
//! `pagerank` for the exact iteration and stopping rule.

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::params::{self, GraphChoice};
use super::{CostModel, cost_model::Helpers};
use super::{Input, Method, Precision, Scores};
use crate::graph::Graph;

/// Where a dangling node's mass goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dangling {
    /// To every node equally.
    #[default]
    Uniform,
    /// To the teleport vector (networkx's default for personalised PageRank).
    Teleport,
}

/// Nodes per parallel work item: fixed, so the work split never depends on threads.
const CHUNK: usize = 4096;

/// The stopping rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopNorm {
    /// networkx's: the L1 change of an iteration below n · tol.
    #[default]
    Networkx,
    /// NetworKit's default: the L2 norm of the change at most tol (NetworKit's default
    /// tol is 1e-8).
    L2,
}

/// PageRank settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PageRankConfig {
    /// α, the probability of following an edge.
    pub damping: f64,
    /// Convergence: stop when the L1 change of an iteration is below n · tol
    /// (networkx's rule; networkx's default tol is 1e-6, ours is tighter).
    pub tol: f64,
    pub max_iter: usize,
    pub dangling: Dangling,
    /// Use edge weights (interaction counts); follow edges all weigh 1 anyway.
    pub weighted: bool,
    /// The stopping rule `tol` applies to.
    pub norm: StopNorm,
}

impl PageRankConfig {
    pub const DEFAULT_DAMPING: f64 = 0.85;
    pub const DEFAULT_TOL: f64 = 1e-10;
    pub const DEFAULT_MAX_ITER: usize = 1000;
}

impl Default for PageRankConfig {
    fn default() -> Self {
        PageRankConfig {
            damping: Self::DEFAULT_DAMPING,
            tol: Self::DEFAULT_TOL,
            max_iter: Self::DEFAULT_MAX_ITER,
            dangling: Dangling::Uniform,
            weighted: true,
            norm: StopNorm::Networkx,
        }
    }
}

/// Result of a PageRank run.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankResult {
    pub scores: Vec<f64>,
    pub iterations: usize,
    /// The change of the last iteration, in the stopping rule's norm.
    pub l1_change: f64,
}

/// PageRank of `g`. `teleport`: None = uniform; Some(set) = uniform over `set`.
pub fn pagerank(
    g: &Graph,
    cfg: &PageRankConfig,
    teleport: Option<&[u32]>,
) -> Result<PageRankResult> {
    let n = g.node_count();
    if n == 0 {
        bail!("PageRank of an empty graph");
    }
    if !(0.0..1.0).contains(&cfg.damping) {
        bail!("damping = {} must be in [0, 1)", cfg.damping);
    }
    if cfg.tol.is_nan() || cfg.tol <= 0.0 {
        bail!("tol = {} must be > 0", cfg.tol);
    }
    let p: Vec<f64> = match teleport {
        None => vec![1.0 / n as f64; n],
        Some(set) => {
            if set.is_empty() {
                bail!("personalised PageRank needs a non-empty teleport set");
            }
            let mut p = vec![0.0; n];
            for &s in set {
                p[s as usize] = 1.0;
            }
            let k = p.iter().filter(|&&x| x > 0.0).count() as f64;
            p.iter_mut().for_each(|x| *x /= k);
            p
        }
    };
    let d: Vec<f64> = match cfg.dangling {
        Dangling::Uniform => vec![1.0 / n as f64; n],
        Dangling::Teleport => p.clone(),
    };
    let weighted = cfg.weighted && g.out.is_weighted();
    let inv_out: Vec<f64> = (0..n as u32)
        .map(|v| {
            let s = if weighted {
                g.out.strength(v)
            } else {
                g.out.degree(v) as f64
            };
            if s > 0.0 { 1.0 / s } else { 0.0 }
        })
        .collect();
    let dangling_nodes: Vec<u32> = (0..n as u32)
        .filter(|&v| inv_out[v as usize] == 0.0)
        .collect();
    let alpha = cfg.damping;
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    // contrib[u] = x[u] / outdeg(u): the pull loop then reads one array per in-edge.
    // The product is the one the per-edge form computes, so results are bit-identical.
    let mut contrib = vec![0.0; n];
    for iter in 1..=cfg.max_iter {
        let dsum: f64 = dangling_nodes.iter().map(|&v| x[v as usize]).sum();
        if !weighted {
            contrib
                .par_chunks_mut(CHUNK)
                .zip(x.par_chunks(CHUNK).zip(inv_out.par_chunks(CHUNK)))
                .for_each(|(c, (xs, inv))| {
                    for ((c, &xv), &iv) in c.iter_mut().zip(xs).zip(inv) {
                        *c = xv * iv;
                    }
                });
        }
        // Fixed chunks of nodes; each node's sum runs over its in-list in CSR order, so
        // the result does not depend on the thread count.
        next.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(ci, chunk)| {
                let base = ci * CHUNK;
                for (k, out) in chunk.iter_mut().enumerate() {
                    let v = base + k;
                    let nb = g.inn.neighbors(v as u32);
                    let mut acc = 0.0;
                    match (weighted, g.inn.neighbor_weights(v as u32)) {
                        (true, Some(ws)) => {
                            for (&u, &w) in nb.iter().zip(ws) {
                                acc += x[u as usize] * w * inv_out[u as usize];
                            }
                        }
                        _ => {
                            for &u in nb {
                                acc += contrib[u as usize];
                            }
                        }
                    }
                    *out = alpha * acc + alpha * dsum * d[v] + (1.0 - alpha) * p[v];
                }
            });
        // Sequential sums (a millisecond at a million nodes): the same bits at any
        // thread count.
        let (err, converged) = match cfg.norm {
            StopNorm::Networkx => {
                let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
                (err, err < n as f64 * cfg.tol)
            }
            StopNorm::L2 => {
                let sq: f64 = next.iter().zip(&x).map(|(a, b)| (a - b) * (a - b)).sum();
                (sq.sqrt(), sq.sqrt() <= cfg.tol)
            }
        };
        std::mem::swap(&mut x, &mut next);
        if converged {
            return Ok(PageRankResult {
                scores: x,
                iterations: iter,
                l1_change: err,
            });
        }
    }
    bail!(
        "PageRank did not converge in {} iterations (tol = {}); raise max_iter or tol",
        cfg.max_iter,
        cfg.tol
    )
}

/// The ranking method (plain or personalised).
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankMethod {
    pub config: PageRankConfig,
    pub graph: GraphChoice,
    /// Interaction kinds (graph = "interactions"; empty = all).
    pub kinds: Vec<String>,
    /// Seed list name for the personalised form.
    pub seeds: Option<String>,
}

/// The method's own keys; the algorithm's are [`PageRankConfig`]'s.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Own {
    #[serde(default)]
    graph: GraphChoice,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    seeds: Option<String>,
}

impl PageRankMethod {
    pub fn from_params(p: &toml::Table, personalised: bool) -> Result<PageRankMethod> {
        let name = if personalised {
            "personalized-pagerank"
        } else {
            "pagerank"
        };
        let (own, q): (Own, PageRankConfig) = params::parse_split(name, p)?;
        // Checked here, not only when scoring, so a bad value fails before any data is read.
        if !(0.0..1.0).contains(&q.damping) {
            bail!(
                "{name}: damping = {} must be in [0, 1) (the probability of following a link rather than teleporting)",
                q.damping
            );
        }
        if q.tol.is_nan() || q.tol <= 0.0 {
            bail!("{name}: tol = {} must be > 0", q.tol);
        }
        if personalised && own.seeds.is_none() {
            bail!("{name}: give `seeds` (the seed list to teleport to)");
        }
        if !personalised && own.seeds.is_some() {
            bail!("pagerank: `seeds` is for personalized-pagerank");
        }
        Ok(PageRankMethod {
            config: q,
            graph: own.graph,
            kinds: own.kinds,
            seeds: own.seeds,
        })
    }
}

impl Method for PageRankMethod {
    fn method(&self) -> &'static str {
        if self.seeds.is_some() {
            "personalized-pagerank"
        } else {
            "pagerank"
        }
    }

    /// Searched over new edges; a new follower passes on its score split over its
    /// follows.
    fn cost_model(&self) -> CostModel {
        CostModel::graph_search(self.graph, Helpers::PassOn, &self.kinds)
    }

    /// A uniform teleport respects follower-set inclusion (methodology §6d); a
    /// personalised one does not (the teleport favours the seeds).
    fn forced_order(&self) -> Option<super::Forced> {
        self.graph
            .follower_inclusion()
            .filter(|_| self.seeds.is_none())
    }

    fn seed_list(&self) -> Option<&str> {
        self.seeds.as_deref()
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let g = self.graph.pick_kinds(input, self.method(), &self.kinds)?;
        let teleport = match &self.seeds {
            None => None,
            Some(name) => Some(super::seed_list(input, "personalized-pagerank", name)?),
        };
        let r = pagerank(&g, &self.config, teleport.map(|v| v.as_slice()))?;
        let mut diagnostics = std::collections::BTreeMap::new();
        diagnostics.insert("iterations".into(), r.iterations as u64);
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

    #[test]
    fn two_nodes_match_networkx_at_its_default_tolerance() {
        // networkx.pagerank({1->2}) with its default tol = 1e-6.
        let g = Graph::from_pairs(2, &[(0, 1)]);
        let cfg = PageRankConfig {
            tol: 1e-6,
            ..Default::default()
        };
        let r = pagerank(&g, &cfg, None).unwrap();
        assert!((r.scores[0] - 0.3508773619).abs() < 1e-10, "{:?}", r.scores);
        assert!((r.scores[1] - 0.6491226381).abs() < 1e-10);
    }

    #[test]
    fn two_nodes_converge_to_the_exact_solution() {
        // x0 = 0.15/2 + 0.85 * x1 / 2 and x0 + x1 = 1  =>  x0 = 20/57.
        let g = Graph::from_pairs(2, &[(0, 1)]);
        let r = pagerank(
            &g,
            &PageRankConfig {
                tol: 1e-15,
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert!((r.scores[0] - 20.0 / 57.0).abs() < 1e-14);
        assert!((r.scores.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    }

    #[test]
    fn directed_cycle_is_uniform() {
        let g = Graph::from_pairs(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        let r = pagerank(&g, &PageRankConfig::default(), None).unwrap();
        assert!(r.scores.iter().all(|&x| (x - 0.25).abs() < 1e-15));
    }

    #[test]
    fn personalised_mass_stays_near_the_seed() {
        // 0 -> 1 -> 2, 3 isolated; teleport to 0 with teleport-dangling: 3 gets nothing.
        let g = Graph::from_pairs(4, &[(0, 1), (1, 2)]);
        let cfg = PageRankConfig {
            dangling: Dangling::Teleport,
            tol: 1e-15,
            ..Default::default()
        };
        let r = pagerank(&g, &cfg, Some(&[0])).unwrap();
        assert_eq!(r.scores[3], 0.0);
        assert!(r.scores[0] > r.scores[1] && r.scores[1] > r.scores[2]);
    }

    #[test]
    fn non_convergence_is_an_error() {
        let g = Graph::from_pairs(3, &[(0, 1), (1, 2)]);
        let cfg = PageRankConfig {
            max_iter: 1,
            tol: 1e-15,
            ..Default::default()
        };
        assert!(
            pagerank(&g, &cfg, None)
                .unwrap_err()
                .to_string()
                .contains("did not converge")
        );
    }

    /// Scores are bit-identical at 1 and 2 threads (fixed chunks, sequential sums).
    #[test]
    fn same_bits_at_any_thread_count() {
        let mut state = 0x0123_4567_89AB_CDEFu64;
        let mut next = move |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % k
        };
        let n = 3 * CHUNK + 17;
        let pairs: Vec<(u32, u32)> = (0..8 * n)
            .map(|_| (next(n as u64) as u32, next(n as u64 / 7) as u32))
            .collect();
        let g = Graph::from_pairs(n, &pairs);
        for norm in [StopNorm::Networkx, StopNorm::L2] {
            let cfg = PageRankConfig {
                norm,
                tol: 1e-9,
                ..Default::default()
            };
            let run = |threads: usize| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| pagerank(&g, &cfg, Some(&[1, 2, 3])).unwrap())
            };
            let (one, two) = (run(1), run(2));
            assert_eq!(one.iterations, two.iterations);
            assert!(
                one.scores
                    .iter()
                    .zip(&two.scores)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            );
        }
    }
}
