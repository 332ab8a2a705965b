//! `k-core`: the core number of every account.
//!
//! Summary: the k-core is the largest subgraph in which every node has degree ≥ k
//! (degree counted inside the subgraph); a node's core number is the largest k whose
//! k-core holds it. Degree by `mode`:
//! - `total` (default): in-degree + out-degree, each arc counted once at each end, so a
//!   mutual follow counts twice. This is networkx `core_number` on a DiGraph. On a graph
//!   stored with both directions of every undirected edge it gives twice the undirected
//!   core number (use `in` there).
//! - `in`: followers inside the core (the k-in-core: followed by ≥ k members).
//! - `out`: followees inside the core.
//!
//! Degrees count distinct neighbours (the CSR merges parallel edges) and ignore edge
//! weights and self-loops (networkx refuses self-loops; a self-loop would otherwise add
//! to a node's own degree forever). Ties are the rule, not the exception: the ranking
//! gives them competition ranks.
//!
//! Algorithm: Batagelj & Zaversnik's bucket peeling: nodes sorted by degree in buckets;
//! take the lowest, its current degree is its core number, decrement the degree of the
//! neighbours it counted towards (out-neighbours for `in`, in-neighbours for `out`, both
//! for `total`) that are still above it, moving each one bucket down in O(1).
//! Complexity O(n + m), sequential (it is linear and already fast).
//! Reference: Batagelj & Zaversnik (2003), "An O(m) algorithm for cores decomposition of
//! networks", arXiv:cs/0310049; Seidman (1983) for k-cores.

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::params::{self, GraphChoice};
use super::{CostModel, cost_model::Helpers};
use super::{Input, Method, Precision, Scores};
use crate::graph::{Csr, Graph};

/// Which degree the cores are built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoreMode {
    /// In-degree + out-degree (networkx `core_number` on a DiGraph).
    #[default]
    Total,
    In,
    Out,
}

/// Number of neighbours of `v` in `csr`, not counting `v` itself.
fn degree_without_loop(csr: &Csr, v: u32) -> u32 {
    let nb = csr.neighbors(v);
    (nb.len() - usize::from(nb.binary_search(&v).is_ok())) as u32
}

/// Core number of every node of `g` under `mode`.
pub fn core_numbers(g: &Graph, mode: CoreMode) -> Vec<u32> {
    let n = g.node_count();
    // Whose degree counts the arc u -> v: v's for `in`, u's for `out`, both for `total`.
    // Removing v then lowers the degree of the nodes in `lowers`'s lists.
    let (counts, lowers): (&[&Csr], &[&Csr]) = match mode {
        CoreMode::Total => (&[&g.inn, &g.out], &[&g.out, &g.inn]),
        CoreMode::In => (&[&g.inn], &[&g.out]),
        CoreMode::Out => (&[&g.out], &[&g.inn]),
    };
    let mut deg: Vec<u32> = (0..n as u32)
        .map(|v| counts.iter().map(|c| degree_without_loop(c, v)).sum())
        .collect();
    let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
    // u32 positions (n < 2^32): half the memory traffic of usize in the peeling loop,
    // which is bound by random reads of these arrays.
    // bin[d] = first position of degree d in `vert` (nodes sorted by current degree).
    let mut bin = vec![0u32; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for d in 0..=max_deg {
        bin[d + 1] += bin[d];
    }
    let mut pos = vec![0u32; n];
    let mut vert = vec![0u32; n];
    {
        let mut fill = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = fill[d];
            vert[fill[d] as usize] = v as u32;
            fill[d] += 1;
        }
    }
    for i in 0..n {
        let v = vert[i];
        let dv = deg[v as usize];
        for csr in lowers {
            for &u in csr.neighbors(v) {
                let du = deg[u as usize];
                if u == v || du <= dv {
                    continue;
                }
                // Swap u with the first node of its bucket, then shrink the bucket.
                let (pu, pw) = (pos[u as usize], bin[du as usize]);
                let w = vert[pw as usize];
                if u != w {
                    vert.swap(pu as usize, pw as usize);
                    pos[u as usize] = pw;
                    pos[w as usize] = pu;
                }
                bin[du as usize] += 1;
                deg[u as usize] = du - 1;
            }
        }
    }
    deg
}

/// The ranking method.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KCore {
    #[serde(default)]
    pub graph: GraphChoice,
    #[serde(default)]
    pub mode: CoreMode,
}

impl KCore {
    pub fn from_params(p: &toml::Table) -> Result<KCore> {
        params::parse("k-core", p)
    }
}

impl Method for KCore {
    fn method(&self) -> &'static str {
        "k-core"
    }

    /// Searched over new edges, the best-scored helpers first.
    fn cost_model(&self) -> CostModel {
        CostModel::graph_search(self.graph, Helpers::Score, &[])
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let core = core_numbers(self.graph.pick(input)?, self.mode);
        let mut diagnostics = std::collections::BTreeMap::new();
        let max = core.iter().copied().max().unwrap_or(0);
        diagnostics.insert("max_core".into(), max as u64);
        diagnostics.insert(
            "max_core_nodes".into(),
            core.iter().filter(|&&c| c == max).count() as u64,
        );
        Ok(Scores {
            score: core.into_iter().map(f64::from).collect(),
            tiebreak: Vec::new(),
            eligible: input.population.to_vec(),
            qualified: None,
            diagnostics,
            precision: Precision::Exact,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::dataset::{Accounts, Ids};
    use crate::rankings::rank;

    /// A triangle with both directions (0, 1, 2) and 3 -> 0.
    fn triangle_and_pendant() -> Graph {
        Graph::from_pairs(4, &[(0, 1), (1, 0), (1, 2), (2, 1), (0, 2), (2, 0), (3, 0)])
    }

    #[test]
    fn modes_on_a_triangle_with_a_pendant() {
        let g = triangle_and_pendant();
        // total: in 2 + out 2 inside the triangle; 3 has one arc.
        assert_eq!(core_numbers(&g, CoreMode::Total), vec![4, 4, 4, 1]);
        // in: nobody follows 3.
        assert_eq!(core_numbers(&g, CoreMode::In), vec![2, 2, 2, 0]);
        // out: 3 follows one core member.
        assert_eq!(core_numbers(&g, CoreMode::Out), vec![2, 2, 2, 1]);
    }

    #[test]
    fn in_and_out_cores_need_cycles() {
        // Leaves 1..4 -> 0: total core 1 everywhere, but no node survives in-peeling or
        // out-peeling past 0.
        let star = Graph::from_pairs(5, &[(1, 0), (2, 0), (3, 0), (4, 0)]);
        assert_eq!(core_numbers(&star, CoreMode::Total), vec![1; 5]);
        assert_eq!(core_numbers(&star, CoreMode::In), vec![0; 5]);
        assert_eq!(core_numbers(&star, CoreMode::Out), vec![0; 5]);
        let cycle = Graph::from_pairs(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        assert_eq!(core_numbers(&cycle, CoreMode::Total), vec![2; 4]);
        assert_eq!(core_numbers(&cycle, CoreMode::In), vec![1; 4]);
        assert_eq!(core_numbers(&cycle, CoreMode::Out), vec![1; 4]);
    }

    #[test]
    fn self_loops_and_weights_are_ignored() {
        let g = Graph::from_edges(
            3,
            vec![(0, 0, 5.0), (0, 1, 9.0), (1, 0, 1.0), (2, 2, 1.0)],
            true,
        );
        for mode in [CoreMode::Total, CoreMode::In, CoreMode::Out] {
            let want = if mode == CoreMode::Total {
                vec![2, 2, 0]
            } else {
                vec![1, 1, 0]
            };
            assert_eq!(core_numbers(&g, mode), want, "{mode:?}");
        }
        assert!(core_numbers(&Graph::from_pairs(0, &[]), CoreMode::Total).is_empty());
    }

    #[test]
    fn two_components_keep_their_own_cores() {
        // K4 both ways (in-core 3) and a 2-cycle (in-core 1), plus an isolated node.
        let mut pairs: Vec<(u32, u32)> = (0..4)
            .flat_map(|u| (0..4).filter(move |&v| v != u).map(move |v| (u, v)))
            .collect();
        pairs.extend([(4, 5), (5, 4)]);
        let g = Graph::from_pairs(7, &pairs);
        assert_eq!(core_numbers(&g, CoreMode::In), vec![3, 3, 3, 3, 1, 1, 0]);
        assert_eq!(core_numbers(&g, CoreMode::Total), vec![6, 6, 6, 6, 2, 2, 0]);
    }

    #[test]
    fn ties_get_competition_ranks() {
        let g = triangle_and_pendant();
        let mut ids = Ids::new();
        for n in ["d", "b", "c", "a"] {
            ids.intern(n);
        }
        let acc = Accounts {
            ids,
            listed: 4,
            ..Default::default()
        };
        let (pop, lists) = (vec![true; 4], BTreeMap::new());
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let mut p = toml::Table::new();
        p.insert("mode".into(), "in".into());
        let m = KCore::from_params(&p).unwrap();
        let s = m.score(&input).unwrap();
        assert_eq!(s.diagnostics["max_core"], 2);
        assert_eq!(s.diagnostics["max_core_nodes"], 3);
        let r = rank(s, acc.ids.names());
        let got: Vec<(&str, u32, f64)> = r
            .entries()
            .map(|e| (acc.ids.name(e.account), e.rank, e.score))
            .collect();
        assert_eq!(
            got,
            vec![("b", 1, 2.0), ("c", 1, 2.0), ("d", 1, 2.0), ("a", 4, 0.0)]
        );
        p.insert("mode".into(), "both".into());
        assert!(KCore::from_params(&p).is_err());
    }
}
