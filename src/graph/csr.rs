//! Compressed sparse row adjacency.
//!
//! Invariants of [`Csr`] (checked by `debug_assert` in the constructor):
//! - `offsets.len() == n + 1`, `offsets[0] == 0`, non-decreasing, last = `targets.len()`;
//! - the neighbours of `v` are `targets[offsets[v]..offsets[v + 1]]`, sorted ascending
//!   and distinct (parallel edges are merged by summing their weights);
//! - `weights`, when present, has one finite weight > 0 per target.
//!
//! Storage: `offsets` and `targets` are [`Slab`]s, owned or mapped from a prepared graph
//! file (then used in place; [`Csr::from_slabs`] checks the invariants in every build,
//! since the file comes from outside the program). Methods that change a CSR copy a
//! mapped array first.
//!
//! [`Graph`] holds both directions: `out` (v -> its successors) and `inn` (v -> its
//! predecessors), with the same edges and weights.

use rayon::prelude::*;

use super::slab::Slab;

/// A CSR's offsets: `u32` where the edges number fewer than 2^32 (4 bytes a node
/// rather than 8: a graph of tens of millions of accounts holds two CSRs for the whole
/// run), `usize` past that, and as they are when mapped from a prepared graph file
/// (which stores them as u64, used in place). Either reads as `usize`.
#[derive(Debug, Clone)]
enum Offsets {
    Narrow(Slab<u32>),
    Wide(Slab<usize>),
}

impl Offsets {
    /// Built offsets, narrowed when the last (the edge count) fits in a `u32`.
    fn of(wide: Vec<usize>) -> Offsets {
        if wide.last().is_none_or(|&m| m <= u32::MAX as usize) {
            Offsets::Narrow(wide.iter().map(|&o| o as u32).collect::<Vec<u32>>().into())
        } else {
            Offsets::Wide(wide.into())
        }
    }

    #[inline]
    fn get(&self, i: usize) -> usize {
        match self {
            Offsets::Narrow(v) => v[i] as usize,
            Offsets::Wide(v) => v[i],
        }
    }

    fn len(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.len(),
            Offsets::Wide(v) => v.len(),
        }
    }

    fn is_mapped(&self) -> bool {
        match self {
            Offsets::Narrow(v) => v.is_mapped(),
            Offsets::Wide(v) => v.is_mapped(),
        }
    }

    fn iter(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Equal values, whatever the width.
impl PartialEq for Offsets {
    fn eq(&self, other: &Offsets) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// One direction of adjacency.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    offsets: Offsets,
    targets: Slab<u32>,
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
            offsets: Offsets::of(offsets),
            targets: targets.into(),
            weights: weighted.then_some(weights),
        };
        debug_assert!(csr.check());
        csr
    }

    /// From raw parts that already satisfy the invariants (checked in debug builds).
    pub fn from_parts(offsets: Vec<usize>, targets: Vec<u32>, weights: Option<Vec<f64>>) -> Csr {
        let csr = Csr {
            offsets: Offsets::of(offsets),
            targets: targets.into(),
            weights,
        };
        debug_assert!(csr.check());
        csr
    }

    /// An unweighted CSR from arrays read from outside the program (a prepared graph
    /// file): the invariants are checked in every build, in one parallel pass over the
    /// arrays, and a violation is an error saying which, never a later panic.
    pub fn from_slabs(offsets: Slab<usize>, targets: Slab<u32>) -> Result<Csr, String> {
        let Some(n) = offsets.len().checked_sub(1) else {
            return Err("the offsets are empty (they hold n + 1 entries)".into());
        };
        if offsets[0] != 0 {
            return Err(format!("the offsets start at {}, not 0", offsets[0]));
        }
        if offsets[n] != targets.len() {
            return Err(format!(
                "the offsets end at {}, but there are {} edges",
                offsets[n],
                targets.len()
            ));
        }
        const CHUNK: usize = 1 << 14;
        let bad = (0..n.div_ceil(CHUNK)).into_par_iter().find_map_first(|c| {
            for v in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let (a, b) = (offsets[v], offsets[v + 1]);
                if a > b || b > targets.len() {
                    return Some(format!("the offsets decrease at node {v}"));
                }
                let list = &targets[a..b];
                if list.last().is_some_and(|&t| t as usize >= n) {
                    return Some(format!("node {v} has a neighbour beyond the {n} nodes"));
                }
                if !list.windows(2).all(|w| w[0] < w[1]) {
                    return Some(format!(
                        "the neighbours of node {v} are not sorted and distinct"
                    ));
                }
            }
            None
        });
        if let Some(why) = bad {
            return Err(why);
        }
        Ok(Csr {
            offsets: Offsets::Wide(offsets),
            targets,
            weights: None,
        })
    }

    /// The offsets (n + 1 entries), for writers.
    pub fn offsets(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.offsets.iter()
    }

    /// The targets, list after list, for writers.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// Whether any array is used in place from a mapped file.
    pub fn is_mapped(&self) -> bool {
        self.offsets.is_mapped() || self.targets.is_mapped()
    }

    fn check(&self) -> bool {
        let n = self.offsets.len() - 1;
        self.offsets.get(0) == 0
            && (0..n).all(|v| self.offsets.get(v) <= self.offsets.get(v + 1))
            && self.offsets.get(n) == self.targets.len()
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
        &self.targets[self.offsets.get(v as usize)..self.offsets.get(v as usize + 1)]
    }

    /// Weights parallel to `neighbors(v)`; `None` when the graph is unweighted.
    pub fn neighbor_weights(&self, v: u32) -> Option<&[f64]> {
        self.weights
            .as_ref()
            .map(|w| &w[self.offsets.get(v as usize)..self.offsets.get(v as usize + 1)])
    }

    pub fn degree(&self, v: u32) -> usize {
        self.offsets.get(v as usize + 1) - self.offsets.get(v as usize)
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

    /// Whether every weight is a whole number and the weights sum to at most 2^53, so
    /// that any sum of them is exact in f64 whatever the order of summation (true when
    /// unweighted). Methods whose scores are sums and ratios of weights use it to
    /// declare their scores exact (methodology §1).
    pub fn has_integer_weights(&self) -> bool {
        self.weights.as_ref().is_none_or(|w| {
            w.iter().all(|x| x.fract() == 0.0) && w.iter().sum::<f64>() <= EXACT_INTEGER_LIMIT
        })
    }

    /// The reverse direction, with the same weights: a counting sort by target.
    /// Sources are visited in ascending order, so each reversed list comes out sorted.
    /// In parallel over ranges of targets holding about equal numbers of edges: each
    /// range scans every list and places its own edges, so the result does not depend
    /// on the ranges. O(n + m) time per range; memory: the new CSR only.
    pub fn transpose(&self) -> Csr {
        let n = self.node_count();
        let mut offsets = vec![0usize; n + 1];
        for &t in self.targets.iter() {
            offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let bounds = balanced_ranges(&offsets, rayon::current_num_threads());
        let (targets, weights) = fill_ranges(
            &offsets,
            &bounds,
            self.weights.is_some(),
            |w, out_t, out_w| {
                let (t0, t1) = (w[0], w[1]);
                let base = offsets[t0];
                let mut next: Vec<usize> = offsets[t0..t1].iter().map(|o| o - base).collect();
                for v in 0..n {
                    for e in self.offsets.get(v)..self.offsets.get(v + 1) {
                        let t = self.targets[e] as usize;
                        if t < t0 || t >= t1 {
                            continue;
                        }
                        let slot = next[t - t0];
                        next[t - t0] += 1;
                        out_t[slot] = v as u32;
                        if let Some(w) = &self.weights {
                            out_w[slot] = w[e];
                        }
                    }
                }
            },
        );
        Csr::from_parts(offsets, targets, weights)
    }

    /// The same edges with node `order[k]` renumbered `k` (`new_of` is the inverse:
    /// `new_of[order[k]] == k`), on `order.len()` nodes: each list mapped and sorted
    /// again, weights carried along. Nodes of `order` beyond this CSR's nodes have no
    /// edges. In parallel over ranges of new nodes holding about equal numbers of edges;
    /// the result does not depend on the ranges. Memory: the new CSR only.
    pub fn renumbered(&self, order: &[u32], new_of: &[u32]) -> Csr {
        let n = order.len();
        let old_n = self.node_count();
        debug_assert!(new_of.len() >= old_n && old_n <= n);
        let degree = |k: usize| {
            let v = order[k] as usize;
            if v < old_n {
                self.offsets.get(v + 1) - self.offsets.get(v)
            } else {
                0
            }
        };
        let mut offsets = vec![0usize; n + 1];
        for k in 0..n {
            offsets[k + 1] = offsets[k] + degree(k);
        }
        let bounds = balanced_ranges(&offsets, 4 * rayon::current_num_threads());
        let (targets, weights) = fill_ranges(
            &offsets,
            &bounds,
            self.weights.is_some(),
            |w, out_t, out_w| {
                let base = offsets[w[0]];
                let mut pairs: Vec<(u32, f64)> = Vec::new();
                for k in w[0]..w[1] {
                    let (a, b) = (offsets[k] - base, offsets[k + 1] - base);
                    if a == b {
                        continue;
                    }
                    let v = order[k] as usize;
                    let list = &self.targets[self.offsets.get(v)..self.offsets.get(v + 1)];
                    match &self.weights {
                        None => {
                            let dst = &mut out_t[a..b];
                            for (d, &t) in dst.iter_mut().zip(list) {
                                *d = new_of[t as usize];
                            }
                            dst.sort_unstable();
                        }
                        Some(ws) => {
                            let ws = &ws[self.offsets.get(v)..self.offsets.get(v + 1)];
                            pairs.clear();
                            pairs.extend(
                                list.iter().zip(ws).map(|(&t, &x)| (new_of[t as usize], x)),
                            );
                            pairs.sort_unstable_by_key(|p| p.0);
                            for (j, &(t, x)) in pairs.iter().enumerate() {
                                out_t[a + j] = t;
                                out_w[a + j] = x;
                            }
                        }
                    }
                }
            },
        );
        Csr::from_parts(offsets, targets, weights)
    }

    /// Unweighted adjacency from (from, to) pairs, consumed: peak memory is the pairs
    /// (8 bytes per edge) plus the targets (4), never (u32, u32, f64) triples.
    pub fn from_pairs_owned(n: usize, pairs: Vec<(u32, u32)>) -> Csr {
        Csr::from_pairs_merging(n, &pairs).0
    }

    /// Unweighted adjacency from (from, to) pairs: a counting sort by source, then each
    /// list sorted and its parallel edges merged. In parallel over ranges of sources
    /// holding about equal numbers of edges: each range scans every pair and places its
    /// own, so the result does not depend on the ranges. Also returns the sources that
    /// had parallel edges, ascending. Memory: the targets (4 bytes per edge) beside the
    /// caller's pairs.
    pub fn from_pairs_merging(n: usize, pairs: &[(u32, u32)]) -> (Csr, Vec<u32>) {
        let mut offsets = vec![0usize; n + 1];
        for &(a, _) in pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let bounds = balanced_ranges(&offsets, rayon::current_num_threads());
        let mut targets = vec![0u32; pairs.len()];
        let mut degree = vec![0usize; n];
        let edges_in = |w: &[usize]| offsets[w[1]] - offsets[w[0]];
        let out_t = split_lengths(&mut targets, bounds.windows(2).map(edges_in));
        let out_d = split_lengths(&mut degree, bounds.windows(2).map(|w| w[1] - w[0]));
        let jobs: Vec<_> = bounds.windows(2).zip(out_t).zip(out_d).collect();
        // Each range fills its lists in file order, then sorts and compacts them to
        // the front of its own slice.
        let merged: Vec<(usize, Vec<u32>)> = jobs
            .into_par_iter()
            .map(|((w, t), d)| {
                let (v0, v1) = (w[0], w[1]);
                let base = offsets[v0];
                let mut next: Vec<usize> = offsets[v0..v1].iter().map(|o| o - base).collect();
                for &(a, b) in pairs {
                    let a = a as usize;
                    if a >= v0 && a < v1 {
                        t[next[a - v0]] = b;
                        next[a - v0] += 1;
                    }
                }
                drop(next);
                let mut write = 0usize;
                let mut merged = Vec::new();
                for (k, deg) in d.iter_mut().enumerate() {
                    let v = v0 + k;
                    let (start, end) = (offsets[v] - base, offsets[v + 1] - base);
                    let list = &mut t[start..end];
                    if !list.is_sorted() {
                        list.sort_unstable();
                    }
                    let begin = write;
                    for i in start..end {
                        let x = t[i];
                        if write == begin || t[write - 1] != x {
                            t[write] = x;
                            write += 1;
                        }
                    }
                    *deg = write - begin;
                    if *deg < end - start {
                        merged.push(v as u32);
                    }
                }
                (write, merged)
            })
            .collect();
        // Close the gaps between the ranges' compacted prefixes, in order.
        let mut write = 0usize;
        let mut with_parallel = Vec::new();
        for (w, (kept, merged)) in bounds.windows(2).zip(merged) {
            let from = offsets[w[0]];
            targets.copy_within(from..from + kept, write);
            write += kept;
            with_parallel.extend(merged);
        }
        targets.truncate(write);
        targets.shrink_to_fit();
        offsets[0] = 0;
        for v in 0..n {
            offsets[v + 1] = offsets[v] + degree[v];
        }
        let csr = Csr {
            offsets: Offsets::of(offsets),
            targets: targets.into(),
            weights: None,
        };
        debug_assert!(csr.check());
        (csr, with_parallel)
    }

    /// The same adjacency on `n >= node_count()` nodes (the new ones without edges).
    /// Mapped offsets are copied only when nodes are added.
    pub fn with_node_count(mut self, n: usize) -> Csr {
        if n != self.node_count() {
            let mut wide: Vec<usize> = self.offsets.iter().collect();
            let last = *wide.last().expect("offsets hold n + 1 entries");
            wide.resize(n + 1, last);
            self.offsets = Offsets::of(wide);
        }
        self
    }
}

/// Node ranges `[b[r], b[r + 1])` covering `0..n` that hold about equal numbers of
/// edges under `offsets` (n + 1 entries), at most `parts` of them.
fn balanced_ranges(offsets: &[usize], parts: usize) -> Vec<usize> {
    let n = offsets.len() - 1;
    let m = offsets[n];
    let parts = parts.max(1);
    let mut bounds: Vec<usize> = (0..=parts)
        .map(|k| offsets.partition_point(|&o| o < k * m / parts).min(n))
        .collect();
    bounds[0] = 0;
    bounds[parts] = n;
    bounds.dedup();
    bounds
}

/// New targets (and weights when `weighted`) for `offsets`, filled in parallel: `fill`
/// gets each range of nodes `w[0]..w[1]` (consecutive `bounds`) with the slices of
/// targets and weights that hold that range's edges (the weight slice is empty when
/// unweighted). The ranges are disjoint, so the result does not depend on the threads.
fn fill_ranges(
    offsets: &[usize],
    bounds: &[usize],
    weighted: bool,
    fill: impl Fn(&[usize], &mut [u32], &mut [f64]) + Sync,
) -> (Vec<u32>, Option<Vec<f64>>) {
    let m = offsets[offsets.len() - 1];
    let mut targets = vec![0u32; m];
    let mut weights = weighted.then(|| vec![0.0; m]);
    let edges_in = |w: &[usize]| offsets[w[1]] - offsets[w[0]];
    let out_t = split_lengths(&mut targets, bounds.windows(2).map(edges_in));
    // Unweighted: one empty weight slice per range.
    let out_w = match weights.as_deref_mut() {
        Some(w) => split_lengths(w, bounds.windows(2).map(edges_in)),
        None => split_lengths(&mut [], bounds.windows(2).map(|_| 0)),
    };
    let jobs: Vec<_> = bounds.windows(2).zip(out_t).zip(out_w).collect();
    jobs.into_par_iter()
        .for_each(|((w, out_t), out_w)| fill(w, out_t, out_w));
    (targets, weights)
}

/// `data` cut into consecutive slices of the given lengths (which must not exceed it).
fn split_lengths<T>(mut data: &mut [T], lengths: impl Iterator<Item = usize>) -> Vec<&mut [T]> {
    lengths
        .map(|len| {
            let (head, rest) = std::mem::take(&mut data).split_at_mut(len);
            data = rest;
            head
        })
        .collect()
}

/// No nodes, no edges.
impl Default for Csr {
    fn default() -> Csr {
        Csr {
            offsets: Offsets::of(vec![0]),
            targets: Vec::new().into(),
            weights: None,
        }
    }
}

/// 2^53: every integer up to it is exact in f64.
pub const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

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
        Graph::from_out(Csr::from_pairs_owned(n, pairs))
    }

    /// The graph of an unweighted or weighted out-adjacency.
    pub fn from_out(out: Csr) -> Graph {
        let inn = out.transpose();
        Graph { out, inn }
    }

    pub fn node_count(&self) -> usize {
        self.out.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.out.edge_count()
    }

    /// [`Csr::has_integer_weights`] of the graph's edges.
    pub fn has_integer_weights(&self) -> bool {
        self.out.has_integer_weights()
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

    /// The parallel builders give the same graph at any thread count (their ranges
    /// follow the thread count).
    #[test]
    fn builders_do_not_depend_on_the_thread_count() {
        let mut state = 0x0123_4567_89AB_CDEFu64;
        let mut next = move |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % k
        };
        let n = 300;
        let pairs: Vec<(u32, u32)> = (0..5_000)
            .map(|_| (next(n) as u32, next(n) as u32))
            .collect();
        let weighted: Vec<(u32, u32, f64)> = pairs
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| (a, b, 1.0 + i as f64))
            .collect();
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            pool.install(|| {
                (
                    Graph::from_pairs(n as usize, &pairs),
                    Csr::from_pairs_merging(n as usize, &pairs).1,
                    Graph::from_edges(n as usize, weighted.clone(), true),
                )
            })
        };
        let one = build(1);
        for threads in [2, 3, 7] {
            assert_eq!(build(threads), one, "{threads} threads");
        }
    }

    /// Arrays from outside the program are checked: a valid pair is the CSR the
    /// builders make; each broken invariant is an error, never a panic.
    #[test]
    fn slabs_are_checked() {
        let g = Graph::from_pairs(4, &[(0, 1), (0, 2), (2, 1), (3, 3)]);
        let of = |o: &[usize], t: &[u32]| Csr::from_slabs(o.to_vec().into(), t.to_vec().into());
        let offsets: Vec<usize> = g.out.offsets().collect();
        assert_eq!(of(&offsets, g.out.targets()).unwrap(), g.out);
        assert!(of(&[], &[]).unwrap_err().contains("empty"));
        assert!(of(&[1, 1], &[0]).unwrap_err().contains("start at 1"));
        assert!(of(&[0, 2], &[0]).unwrap_err().contains("end at 2"));
        assert!(of(&[0, 2, 1, 2], &[0, 1]).unwrap_err().contains("decrease"));
        assert!(of(&[0, 1, 1], &[2]).unwrap_err().contains("beyond"));
        assert!(of(&[0, 2, 2], &[1, 0]).unwrap_err().contains("sorted"));
        assert!(of(&[0, 2, 2], &[1, 1]).unwrap_err().contains("distinct"));
        // Padding a CSR (mapped or not) adds nodes without edges.
        let padded = of(&offsets, g.out.targets()).unwrap().with_node_count(6);
        assert_eq!(padded.node_count(), 6);
        assert_eq!(padded.degree(5), 0);
        assert_eq!(padded.neighbors(0), &[1, 2]);
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
