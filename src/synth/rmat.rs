//! R-MAT edges (Chakrabarti, Zhan & Faloutsos 2004; the Graph500 generator).
//!
//! Summary: each edge picks one quadrant of the adjacency matrix per bit of the node id,
//! with probabilities a (top-left), b (top-right), c (bottom-left), d (bottom-right), so
//! that node ids with many 0 bits collect many edges: a skewed, heavy-tailed degree
//! distribution with community-like blocks. Node labels are then permuted by a seeded
//! shuffle (as Graph500 does), so a node's id says nothing about its degree.
//!
//! Determinism: edges are drawn in blocks of [`BLOCK`]; block `b` of round `r` draws from
//! ChaCha8(key, stream r·2³² + b) and blocks are concatenated in index order, so the
//! output is the same at any thread count. In simple mode (no self-loops, no duplicate
//! edges) self-loops are dropped, the edges sorted and deduplicated, and further rounds
//! top up the deficit until exactly `edges` distinct edges remain.
//!
//! Complexity: O(m · scale) draws; the simple mode adds a parallel sort per round.

use anyhow::{Result, bail};
use rand::Rng;
use rayon::prelude::*;

use super::{Purpose, rng};

/// Edges per RNG stream.
pub const BLOCK: u64 = 1 << 16;
/// Rounds of top-up before the simple mode gives up (the graph is then too dense).
const MAX_ROUNDS: u64 = 64;

/// R-MAT settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmatConfig {
    /// Nodes = 2^scale.
    pub scale: u32,
    /// Edges to produce.
    pub edges: u64,
    /// Quadrant probabilities a, b, c, d (sum 1).
    pub abcd: [f64; 4],
    pub seed: u64,
    /// Keep self-loops and duplicate edges (a multigraph) instead of a simple graph.
    pub multigraph: bool,
}

impl RmatConfig {
    /// Graph500's quadrant probabilities.
    pub const DEFAULT_ABCD: [f64; 4] = [0.57, 0.19, 0.19, 0.05];

    pub fn nodes(&self) -> u64 {
        1u64 << self.scale
    }

    pub fn validate(&self) -> Result<()> {
        if !(1..=31).contains(&self.scale) {
            bail!("scale = {} must be in 1..=31 (nodes = 2^scale)", self.scale);
        }
        if self.edges == 0 {
            bail!("edges must be >= 1");
        }
        if self.abcd.iter().any(|p| !(p.is_finite() && *p >= 0.0)) {
            bail!(
                "the probabilities a,b,c,d must be >= 0, got {:?}",
                self.abcd
            );
        }
        let s: f64 = self.abcd.iter().sum();
        if (s - 1.0).abs() > 1e-9 {
            bail!("the probabilities a,b,c,d must sum to 1, got {s}");
        }
        let n = self.nodes();
        // Rejection of duplicates stalls near saturation; half the possible arcs is far
        // beyond any realistic follow graph.
        if !self.multigraph && self.edges > n * (n - 1) / 2 {
            bail!(
                "{} distinct edges on {n} nodes is too dense for R-MAT (at most n(n-1)/2 = {}); raise --scale or lower --edges",
                self.edges,
                n * (n - 1) / 2
            );
        }
        Ok(())
    }
}

/// Thresholds on a u32 draw: quadrant 0 below t[0], 1 below t[1], 2 below t[2], else 3.
fn thresholds(abcd: [f64; 4]) -> [u64; 3] {
    let scale = (1u64 << 32) as f64;
    let a = abcd[0];
    let ab = a + abcd[1];
    let abc = ab + abcd[2];
    [
        (a * scale) as u64,
        (ab * scale) as u64,
        (abc * scale) as u64,
    ]
}

/// One R-MAT edge (unpermuted labels).
fn edge(r: &mut impl Rng, scale: u32, t: &[u64; 3]) -> (u32, u32) {
    let (mut u, mut v) = (0u32, 0u32);
    let mut bits = 0u64;
    for level in 0..scale {
        // Two 32-bit draws per u64.
        if level % 2 == 0 {
            bits = r.next_u64();
        }
        let x = if level % 2 == 0 {
            bits & 0xffff_ffff
        } else {
            bits >> 32
        };
        let q = if x < t[0] {
            0
        } else if x < t[1] {
            1
        } else if x < t[2] {
            2
        } else {
            3
        };
        u = (u << 1) | (q >> 1);
        v = (v << 1) | (q & 1);
    }
    (u, v)
}

/// Pack an edge so sorting orders by follower, then followee.
pub fn pack(u: u32, v: u32) -> u64 {
    ((u as u64) << 32) | v as u64
}

pub fn unpack(e: u64) -> (u32, u32) {
    ((e >> 32) as u32, e as u32)
}

/// `count` edges of round `round`, labels permuted by `perm`, in block order.
fn draw(cfg: &RmatConfig, perm: &[u32], round: u64, count: u64) -> Vec<u64> {
    let t = thresholds(cfg.abcd);
    let blocks = count.div_ceil(BLOCK);
    let parts: Vec<Vec<u64>> = (0..blocks)
        .into_par_iter()
        .map(|b| {
            let mut r = rng(cfg.seed, Purpose::Edges, (round << 32) | b);
            let todo = BLOCK.min(count - b * BLOCK);
            (0..todo)
                .map(|_| {
                    let (u, v) = edge(&mut r, cfg.scale, &t);
                    pack(perm[u as usize], perm[v as usize])
                })
                .collect()
        })
        .collect();
    parts.concat()
}

/// The edge list, packed ([`pack`]). Simple mode: sorted, distinct, no self-loops,
/// exactly `cfg.edges` long. Multigraph mode: exactly as drawn.
pub fn generate(
    cfg: &RmatConfig,
    perm: &[u32],
    mut on_round: impl FnMut(u64, u64),
) -> Result<Vec<u64>> {
    cfg.validate()?;
    if cfg.multigraph {
        let e = draw(cfg, perm, 0, cfg.edges);
        on_round(0, e.len() as u64);
        return Ok(e);
    }
    let mut edges: Vec<u64> = Vec::with_capacity(cfg.edges as usize);
    for round in 0..MAX_ROUNDS {
        let deficit = cfg.edges - edges.len() as u64;
        if deficit == 0 {
            return Ok(edges);
        }
        let fresh = draw(cfg, perm, round, deficit);
        edges.extend(fresh.into_iter().filter(|&e| {
            let (u, v) = unpack(e);
            u != v
        }));
        edges.par_sort_unstable();
        edges.dedup();
        on_round(round, edges.len() as u64);
    }
    if edges.len() as u64 == cfg.edges {
        return Ok(edges);
    }
    bail!(
        "after {MAX_ROUNDS} rounds only {} of {} distinct edges: the graph is too dense for these probabilities; raise --scale or lower --edges",
        edges.len(),
        cfg.edges
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(multigraph: bool) -> RmatConfig {
        RmatConfig {
            scale: 10,
            edges: 20_000,
            abcd: RmatConfig::DEFAULT_ABCD,
            seed: 7,
            multigraph,
        }
    }

    fn identity(n: u64) -> Vec<u32> {
        (0..n as u32).collect()
    }

    #[test]
    fn simple_mode_gives_exactly_m_distinct_non_loop_edges() {
        let c = cfg(false);
        let e = generate(&c, &identity(c.nodes()), |_, _| {}).unwrap();
        assert_eq!(e.len(), 20_000);
        assert!(e.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        assert!(e.iter().all(|&x| {
            let (u, v) = unpack(x);
            u != v && (u as u64) < c.nodes() && (v as u64) < c.nodes()
        }));
    }

    #[test]
    fn multigraph_mode_keeps_what_it_draws() {
        let c = cfg(true);
        let e = generate(&c, &identity(c.nodes()), |_, _| {}).unwrap();
        assert_eq!(e.len(), 20_000);
        let mut s = e.clone();
        s.sort_unstable();
        s.dedup();
        assert!(s.len() < e.len(), "R-MAT at this density draws duplicates");
    }

    #[test]
    fn quadrant_a_collects_the_most_edges() {
        // With a = 0.57 the first bit of both ends is 0 for ~57 % of the edges.
        let c = cfg(true);
        let e = generate(&c, &identity(c.nodes()), |_, _| {}).unwrap();
        let half = (c.nodes() / 2) as u32;
        let top_left = e
            .iter()
            .filter(|&&x| {
                let (u, v) = unpack(x);
                u < half && v < half
            })
            .count() as f64
            / e.len() as f64;
        assert!((top_left - 0.57).abs() < 0.02, "{top_left}");
    }

    #[test]
    fn bad_settings_are_errors() {
        let mut c = cfg(false);
        c.abcd = [0.5, 0.5, 0.5, 0.5];
        assert!(c.validate().is_err());
        let mut c = cfg(false);
        c.edges = 1 << 20;
        assert!(c.validate().is_err());
        let mut c = cfg(false);
        c.scale = 0;
        assert!(c.validate().is_err());
    }
}
