//! Compressed sparse row adjacency.
//!
//! Invariants of [`Csr`] (checked by `debug_assert` in the constructor):
//! - `offsets.len() == n + 1`, `offsets[0] == 0`, non-decreasing, last = `targets.len()`;
//! - the neighbours of `v` are `targets[offsets[v]..offsets[v + 1]]`, sorted ascending
//!   and distinct (parallel edges are merged by summing their weights);
//! - `weights`, when present, has one finite weight > 0 per target.
//!
//! [`Graph`] holds both directions: `out` (v -> its successors) and `inn` (v -> its
//! predecessors), with the same edges and weights.

/// One direction of adjacency.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Option<Vec<f64>>,
}

impl Csr {
    /// Build from edges `(from, to, weight)`. Edges are sorted and parallel edges merged
    /// (weights summed); with `weighted = false` weights are dropped (all edges weigh 1).
    pub fn from_edges(n: usize, mut edges: Vec<(u32, u32, f64)>, weighted: bool) -> Csr {
        // Perturbed copies of a graph arrive already sorted: skip the sort then.
        if !edges.is_sorted_by_key(|e| (e.0, e.1)) {
            edges.sort_unstable_by_key(|e| (e.0, e.1));
        }
        let mut offsets = vec![0usize; n + 1];
        let mut targets = Vec::with_capacity(edges.len());
        let mut weights = Vec::with_capacity(if weighted { edges.len() } else { 0 });
        let mut last: Option<(u32, u32)> = None;
        for (a, b, w) in edges {
            if last == Some((a, b)) {
                if weighted {
                    *weights.last_mut().expect("an edge was pushed") += w;
                }
                continue;
            }
            last = Some((a, b));
            offsets[a as usize + 1] += 1;
            targets.push(b);
            if weighted {
                weights.push(w);
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let csr = Csr {
            offsets,
            targets,
            weights: weighted.then_some(weights),
        };
        debug_assert!(csr.check());
        csr
    }

    /// From raw parts that already satisfy the invariants (checked in debug builds).
    pub fn from_parts(offsets: Vec<usize>, targets: Vec<u32>, weights: Option<Vec<f64>>) -> Csr {
        let csr = Csr {
            offsets,
            targets,
            weights,
        };
        debug_assert!(csr.check());
        csr
    }

    fn check(&self) -> bool {
        let n = self.offsets.len() - 1;
        self.offsets[0] == 0
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self.offsets[n] == self.targets.len()
            && (0..n).all(|v| self.neighbors(v as u32).windows(2).all(|w| w[0] < w[1]))
            && self.targets.iter().all(|&t| (t as usize) < n)
            && self.weights.as_ref().is_none_or(|w| {
                w.len() == self.targets.len() && w.iter().all(|x| x.is_finite() && *x > 0.0)
            })
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// Weights parallel to `neighbors(v)`; `None` when the graph is unweighted.
    pub fn neighbor_weights(&self, v: u32) -> Option<&[f64]> {
        self.weights
            .as_ref()
            .map(|w| &w[self.offsets[v as usize]..self.offsets[v as usize + 1]])
    }

    pub fn degree(&self, v: u32) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    /// Sum of edge weights out of `v` (the degree when unweighted).
    pub fn strength(&self, v: u32) -> f64 {
        match self.neighbor_weights(v) {
            Some(w) => w.iter().sum(),
            None => self.degree(v) as f64,
        }
    }

    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// The reverse direction, with the same weights: a counting sort by target. Sources
    /// are visited in ascending order, so each reversed list comes out sorted.
    /// O(n + m) time; memory: the new CSR only.
    pub fn transpose(&self) -> Csr {
        let n = self.node_count();
        let mut offsets = vec![0usize; n + 1];
        for &t in &self.targets {
            offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets[..n].to_vec();
        let mut targets = vec![0u32; self.targets.len()];
        let mut weights = self.weights.as_ref().map(|w| vec![0.0; w.len()]);
        for v in 0..n {
            for e in self.offsets[v]..self.offsets[v + 1] {
                let t = self.targets[e] as usize;
                let slot = next[t];
                next[t] += 1;
                targets[slot] = v as u32;
                if let (Some(out), Some(w)) = (weights.as_mut(), self.weights.as_ref()) {
                    out[slot] = w[e];
                }
            }
        }
        let csr = Csr {
            offsets,
            targets,
            weights,
        };
        debug_assert!(csr.check());
        csr
    }

    /// Unweighted adjacency from (from, to) pairs, consumed: a stable counting sort by
    /// source, each list sorted and parallel edges merged. Peak memory: the pairs (8
    /// bytes per edge) plus the targets (4), never (u32, u32, f64) triples.
    pub fn from_pairs_owned(n: usize, pairs: Vec<(u32, u32)>) -> Csr {
        let mut offsets = vec![0usize; n + 1];
        for &(a, _) in &pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut targets = vec![0u32; pairs.len()];
        let mut next = offsets[..n].to_vec();
        for &(a, b) in &pairs {
            let slot = &mut next[a as usize];
            targets[*slot] = b;
            *slot += 1;
        }
        drop(pairs);
        drop(next);
        // Sort and de-duplicate each list, compacting in place (lists only shrink).
        let mut write = 0usize;
        let mut start = 0usize;
        for v in 0..n {
            let end = offsets[v + 1];
            let list = &mut targets[start..end];
            if !list.is_sorted() {
                list.sort_unstable();
            }
            let begin = write;
            for i in start..end {
                let t = targets[i];
                if write == begin || targets[write - 1] != t {
                    targets[write] = t;
                    write += 1;
                }
            }
            start = end;
            offsets[v + 1] = write;
        }
        targets.truncate(write);
        targets.shrink_to_fit();
        let csr = Csr {
            offsets,
            targets,
            weights: None,
        };
        debug_assert!(csr.check());
        csr
    }
}

/// A directed graph with out- and in-adjacency.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub out: Csr,
    pub inn: Csr,
}

impl Graph {
    pub fn from_edges(n: usize, edges: Vec<(u32, u32, f64)>, weighted: bool) -> Graph {
        let out = Csr::from_edges(n, edges, weighted);
        let inn = out.transpose();
        Graph { out, inn }
    }

    /// Unweighted graph from (from, to) pairs.
    pub fn from_pairs(n: usize, pairs: &[(u32, u32)]) -> Graph {
        Graph::from_pair_vec(n, pairs.to_vec())
    }

    /// Unweighted graph from (from, to) pairs, consumed; the pairs are freed before the
    /// in-adjacency is built, so peak memory is 12 bytes per edge (then 8).
    pub fn from_pair_vec(n: usize, pairs: Vec<(u32, u32)>) -> Graph {
        let out = Csr::from_pairs_owned(n, pairs);
        let inn = out.transpose();
        Graph { out, inn }
    }

    pub fn node_count(&self) -> usize {
        self.out.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.out.edge_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_edges_merge_and_transpose_round_trips() {
        let g = Graph::from_edges(
            3,
            vec![(0, 1, 1.0), (0, 1, 2.0), (2, 0, 1.5), (0, 2, 1.0)],
            true,
        );
        assert_eq!(g.out.neighbors(0), &[1, 2]);
        assert_eq!(g.out.neighbor_weights(0), Some(&[3.0, 1.0][..]));
        assert_eq!(g.inn.neighbors(0), &[2]);
        assert_eq!(g.inn.neighbors(1), &[0]);
        assert_eq!(g.out.strength(0), 4.0);
        assert_eq!(g.inn.transpose(), g.out);
        assert_eq!(g.edge_count(), 3);
    }

    #[test]
    fn isolated_nodes_have_no_neighbours() {
        let g = Graph::from_pairs(4, &[(0, 1)]);
        assert_eq!(g.out.degree(3), 0);
        assert_eq!(g.inn.degree(1), 1);
        assert!(g.out.neighbors(2).is_empty());
    }

    /// The counting-sort builders equal the sort-based builder on random multigraphs.
    #[test]
    fn lean_builders_equal_the_triple_builder() {
        let mut state = 0xDEAD_BEEF_CAFE_F00Du64;
        let mut next = move |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % k
        };
        for case in 0..60 {
            let n = 1 + next(40) as usize;
            let m = next(200) as usize;
            let pairs: Vec<(u32, u32)> = (0..m)
                .map(|_| (next(n as u64) as u32, next(n as u64) as u32))
                .collect();
            let old_out =
                Csr::from_edges(n, pairs.iter().map(|&(a, b)| (a, b, 1.0)).collect(), false);
            let g = Graph::from_pairs(n, &pairs);
            assert_eq!(g.out, old_out, "case {case}");
            let mut rev: Vec<(u32, u32, f64)> = Vec::new();
            for v in 0..n as u32 {
                for &t in old_out.neighbors(v) {
                    rev.push((t, v, 1.0));
                }
            }
            assert_eq!(g.inn, Csr::from_edges(n, rev, false), "case {case}");
            // Weighted transpose keeps each edge's weight.
            let w: Vec<(u32, u32, f64)> = pairs
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| (a, b, 1.0 + i as f64))
                .collect();
            let gw = Graph::from_edges(n, w, true);
            assert_eq!(gw.inn.transpose(), gw.out, "case {case}");
        }
    }
}
