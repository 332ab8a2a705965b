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
use super::{Input, Method, Scores};
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
    // bin[d] = first position of degree d in `vert` (nodes sorted by current degree).
    let mut bin = vec![0usize; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for d in 0..=max_deg {
        bin[d + 1] += bin[d];
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0u32; n];
    {
        let mut fill = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = fill[d];
            vert[fill[d]] = v as u32;
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
                let w = vert[pw];
                if u != w {
                    vert.swap(pu, pw);
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
        })
    }
}
