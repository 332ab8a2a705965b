//! What the eigenvector-type methods (`hits`, `eigenvector`, `katz`) share: the weighted
//! neighbour sum every power iteration runs, the blocks of a graph (strongly connected
//! components; the connected parts of the hub/authority double cover) and the test of
//! which block carries the leading eigenvalue, and the errors a caller branches on.
//!
//! Why blocks: on a graph that is not (strongly) connected the matrix is reducible, each
//! block has its own leading eigenvalue, and a power iteration ends on a vector whose
//! support depends on which blocks attain the largest one. When exactly one block does,
//! the answer is unique and every node outside that block's reach scores exactly 0 (a
//! power iteration leaves tiny residues there that would order the zero-score nodes by
//! noise; we set them to 0 so they tie). When two or more blocks attain it, the answer
//! depends on the start vector and we refuse with [`SpectralError::NotUnique`].
//!
//! The test is certified by Collatz–Wielandt bounds: for an irreducible non-negative
//! matrix M and a positive vector y, min_i (My)_i / y_i ≤ ρ(M) ≤ max_i (My)_i / y_i.
//! Started from the main iteration's vector (warm), most blocks are decided in one pass;
//! the rest run a shifted power iteration y ← (y + My)/‖y + My‖₁ on the block until the
//! bounds decide. Reference: Meyer (2000), *Matrix Analysis and Applied Linear Algebra*,
//! §8.3–8.4 (reducible Perron–Frobenius, Collatz–Wielandt formula).

use thiserror::Error;

use crate::graph::Csr;

/// Two leading eigenvalues within this relative distance count as tied: such a graph is
/// refused as not unique (or too close to call).
pub const TIE_TOL: f64 = 1e-6;

/// No block: the node has no edge of the kind the blocks are made of.
pub const NO_BLOCK: u32 = u32::MAX;

/// Errors of the eigenvector-type methods.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SpectralError {
    #[error("{method}: the graph has no nodes")]
    Empty { method: &'static str },
    #[error("{method}: the graph has no edges, so every score would be 0")]
    NoEdges { method: &'static str },
    #[error(
        "eigenvector: the graph has no directed cycle, so its largest eigenvalue is 0 and \
         eigenvector centrality is undefined (networkx's iteration does not converge); use \
         katz or pagerank"
    )]
    Acyclic,
    #[error("{method} did not converge in {max_iter} iterations (tol = {tol}); {hint}")]
    NotConverged {
        method: &'static str,
        max_iter: usize,
        tol: f64,
        hint: &'static str,
    },
    #[error(
        "{method} is not unique on this graph: {blocks} {kind} share the leading eigenvalue \
         {value:.6} (within a relative {TIE_TOL:e}), so the scores depend on the start \
         vector; rank within one of them, or use pagerank"
    )]
    NotUnique {
        method: &'static str,
        kind: &'static str,
        blocks: usize,
        value: f64,
        /// One node of each of the first two tied blocks ([`with_accounts`] names them).
        examples: (u32, u32),
    },
    #[error(
        "{method}: no block of the graph reaches the leading eigenvalue {value:.6} found by the \
         iteration; it stopped too early: lower tol or raise max_iter"
    )]
    Unsettled { method: &'static str, value: f64 },
    #[error(
        "Katz does not converge for alpha = {alpha}: the largest eigenvalue is {lambda:.6}; use \
         alpha < {limit:.6}"
    )]
    KatzDiverges { alpha: f64, lambda: f64, limit: f64 },
}

/// `e` as an anyhow error; a [`SpectralError::NotUnique`] also names the two example
/// accounts, so the user can see which parts of the data tie.
pub fn with_accounts(e: SpectralError, input: &super::Input) -> anyhow::Error {
    let names = if let SpectralError::NotUnique { examples, .. } = &e {
        let ids = &input.accounts.ids;
        Some((
            ids.name(examples.0).to_owned(),
            ids.name(examples.1).to_owned(),
        ))
    } else {
        None
    };
    match names {
        Some((a, b)) => anyhow::Error::new(e).context(format!(
            "accounts {a:?} and {b:?} are in different tied parts"
        )),
        None => anyhow::Error::new(e),
    }
}

/// Σ w(v, u) · x[u] over the neighbours u of `v` in `csr` (w = 1 when unweighted or
/// `weighted` is false), in neighbour order, so the sum is the same on every run.
#[inline]
pub fn neighbour_sum(csr: &Csr, v: u32, weighted: bool, x: &[f64]) -> f64 {
    let nb = csr.neighbors(v);
    match csr.neighbor_weights(v) {
        Some(ws) if weighted => nb.iter().zip(ws).map(|(&u, &w)| w * x[u as usize]).sum(),
        _ => nb.iter().map(|&u| x[u as usize]).sum(),
    }
}

/// Σ |a_i − b_i|.
pub fn l1_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// Nodes grouped by block: `members(b)` lists block b's nodes in ascending order.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocks {
    /// Block of each node ([`NO_BLOCK`] for none).
    pub id: Vec<u32>,
    offsets: Vec<usize>,
    nodes: Vec<u32>,
}

impl Blocks {
    /// Group nodes by `id` (a counting sort: O(n + blocks)).
    pub fn from_ids(id: Vec<u32>) -> Blocks {
        let count = id
            .iter()
            .filter(|&&b| b != NO_BLOCK)
            .map(|&b| b as usize + 1)
            .max()
            .unwrap_or(0);
        let mut offsets = vec![0usize; count + 1];
        for &b in id.iter().filter(|&&b| b != NO_BLOCK) {
            offsets[b as usize + 1] += 1;
        }
        for i in 0..count {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut nodes = vec![0u32; offsets[count]];
        for (v, &b) in id.iter().enumerate() {
            if b != NO_BLOCK {
                nodes[fill[b as usize]] = v as u32;
                fill[b as usize] += 1;
            }
        }
        Blocks { id, offsets, nodes }
    }

    pub fn count(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn members(&self, b: usize) -> &[u32] {
        &self.nodes[self.offsets[b]..self.offsets[b + 1]]
    }
}

/// Strongly connected components of the graph whose out-adjacency is `out` (Tarjan's
/// algorithm with an explicit stack, so deep graphs cannot overflow the call stack).
/// Component ids are dense, in the order components complete. O(n + m).
pub fn strong_components(out: &Csr) -> Blocks {
    let n = out.node_count();
    let unset = u32::MAX;
    let mut index = vec![unset; n];
    let mut low = vec![0u32; n];
    let mut comp = vec![NO_BLOCK; n];
    let mut on_path: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, usize)> = Vec::new();
    let (mut next_index, mut next_comp) = (0u32, 0u32);
    for s in 0..n as u32 {
        if index[s as usize] != unset {
            continue;
        }
        index[s as usize] = next_index;
        low[s as usize] = next_index;
        next_index += 1;
        on_path.push(s);
        call.push((s, 0));
        while let Some(top) = call.last_mut() {
            let v = top.0;
            let nb = out.neighbors(v);
            if top.1 < nb.len() {
                let w = nb[top.1];
                top.1 += 1;
                if index[w as usize] == unset {
                    index[w as usize] = next_index;
                    low[w as usize] = next_index;
                    next_index += 1;
                    on_path.push(w);
                    call.push((w, 0));
                } else if comp[w as usize] == NO_BLOCK {
                    // Visited and not yet in a component: w is on the Tarjan stack.
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
            } else {
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    low[p as usize] = low[p as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    while let Some(w) = on_path.pop() {
                        comp[w as usize] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    Blocks::from_ids(comp)
}

/// The connected parts of the double cover used by HITS: every node v has a hub copy and
/// an authority copy, and an edge u -> v joins hub u to authority v. Returns (hub blocks,
/// authority blocks) with the same part ids; a node without out-edges (in-edges) has no
/// hub (authority) part. AᵀA is block diagonal over these parts, so HITS's leading
/// singular value is the largest of the parts' own. Union–find, O(m α(n)).
pub fn hits_parts(out: &Csr) -> (Blocks, Blocks) {
    let n = out.node_count();
    let mut parent: Vec<u32> = (0..2 * n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up; // path halving
            x = up;
        }
        x
    }
    for u in 0..n as u32 {
        for &v in out.neighbors(u) {
            let (a, b) = (find(&mut parent, u), find(&mut parent, n as u32 + v));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    let mut dense = vec![NO_BLOCK; 2 * n];
    let mut next = 0u32;
    let mut label = |parent: &mut [u32], x: u32| {
        let r = find(parent, x) as usize;
        if dense[r] == NO_BLOCK {
            dense[r] = next;
            next += 1;
        }
        dense[r]
    };
    let mut hub = vec![NO_BLOCK; n];
    let mut auth = vec![NO_BLOCK; n];
    for u in 0..n as u32 {
        if out.degree(u) > 0 {
            hub[u as usize] = label(&mut parent, u);
        }
    }
    // Authorities: nodes with an in-edge, i.e. some out-list names them.
    let mut has_in = vec![false; n];
    for u in 0..n as u32 {
        for &v in out.neighbors(u) {
            has_in[v as usize] = true;
        }
    }
    for v in 0..n as u32 {
        if has_in[v as usize] {
            auth[v as usize] = label(&mut parent, n as u32 + v);
        }
    }
    (Blocks::from_ids(hub), Blocks::from_ids(auth))
}

/// Can a block reach the leading eigenvalue?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Certified: ρ(block) ≥ value · (1 − TIE_TOL).
    Attains,
    /// Certified: ρ(block) < value · (1 − TIE_TOL).
    Below,
    /// The bounds did not separate within the iteration limit.
    Undecided,
}

/// Decide whether the irreducible non-negative matrix M of one block (`members`) has
/// spectral radius ≥ `value` · (1 − [`TIE_TOL`]). `apply(y, z)` must set z_i = (M y)_i
/// for every member i, reading y only at members. `y` holds the warm start at the
/// members (any non-positive entry makes the start all ones); both `y` and `z` are
/// scratch of graph length, changed only at members.
pub fn block_verdict(
    members: &[u32],
    y: &mut [f64],
    z: &mut [f64],
    mut apply: impl FnMut(&[f64], &mut [f64]),
    value: f64,
    max_iter: usize,
) -> Verdict {
    if members
        .iter()
        .any(|&i| y[i as usize].is_nan() || y[i as usize] <= 0.0)
    {
        members.iter().for_each(|&i| y[i as usize] = 1.0);
    }
    let bar = value * (1.0 - TIE_TOL);
    for _ in 0..=max_iter {
        apply(y, z);
        let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
        for &i in members {
            let (yi, zi) = (y[i as usize], z[i as usize]);
            if yi > 0.0 {
                lo = lo.min(zi / yi);
                hi = hi.max(zi / yi);
            } else {
                // An entry underflowed: the upper bound is lost, the lower one holds.
                hi = f64::INFINITY;
            }
        }
        if hi < bar {
            return Verdict::Below;
        }
        if lo >= bar {
            return Verdict::Attains;
        }
        let s: f64 = members.iter().map(|&i| y[i as usize] + z[i as usize]).sum();
        members
            .iter()
            .for_each(|&i| y[i as usize] = (y[i as usize] + z[i as usize]) / s);
    }
    Verdict::Undecided
}

/// Bounds (lo, hi) on the spectral radius of one block's irreducible non-negative matrix
/// (arguments as [`block_verdict`]; the start is all ones). Iterates until hi − lo ≤
/// 1e-12 · hi, or until hi < `floor` (the block cannot matter), or `max_iter`.
pub fn block_radius(
    members: &[u32],
    y: &mut [f64],
    z: &mut [f64],
    mut apply: impl FnMut(&[f64], &mut [f64]),
    floor: f64,
    max_iter: usize,
) -> (f64, f64) {
    members.iter().for_each(|&i| y[i as usize] = 1.0);
    let (mut lo, mut hi) = (0.0, f64::INFINITY);
    for _ in 0..=max_iter {
        apply(y, z);
        (lo, hi) = (f64::INFINITY, 0.0f64);
        for &i in members {
            let (yi, zi) = (y[i as usize], z[i as usize]);
            if yi > 0.0 {
                lo = lo.min(zi / yi);
                hi = hi.max(zi / yi);
            } else {
                hi = f64::INFINITY;
            }
        }
        if hi - lo <= 1e-12 * hi || hi < floor {
            break;
        }
        let s: f64 = members.iter().map(|&i| y[i as usize] + z[i as usize]).sum();
        members
            .iter()
            .for_each(|&i| y[i as usize] = (y[i as usize] + z[i as usize]) / s);
    }
    (lo, hi)
}

/// The largest spectral radius over all blocks (the midpoint of its bounds) and the
/// blocks that may attain it within [`TIE_TOL`] (upper bound ≥ (1 − TIE_TOL) times the
/// best lower bound). `apply(b, y, z)` computes block b's product as in
/// [`block_verdict`]; `y`, `z` are scratch of graph length.
pub fn leading_blocks(
    blocks: &Blocks,
    y: &mut [f64],
    z: &mut [f64],
    mut apply: impl FnMut(usize, &[f64], &mut [f64]),
    max_iter: usize,
) -> (f64, Vec<usize>) {
    let mut bounds = Vec::with_capacity(blocks.count());
    let mut best = (0.0f64, 0.0f64);
    for b in 0..blocks.count() {
        let floor = best.0 * (1.0 - TIE_TOL);
        let (lo, hi) = block_radius(
            blocks.members(b),
            y,
            z,
            |y, z| apply(b, y, z),
            floor,
            max_iter,
        );
        if lo > best.0 {
            best = (lo, hi);
        }
        bounds.push(hi);
    }
    let floor = best.0 * (1.0 - TIE_TOL);
    let tied = (0..blocks.count())
        .filter(|&b| best.0 > 0.0 && bounds[b] >= floor)
        .collect();
    ((best.0 + best.1) / 2.0, tied)
}

/// The one block that carries the leading eigenvalue, given each block's verdict
/// (Undecided counts as possibly attaining, so a near tie is refused, not guessed).
pub fn dominant_block(
    method: &'static str,
    kind: &'static str,
    blocks: &Blocks,
    value: f64,
    mut verdict: impl FnMut(usize) -> Verdict,
) -> Result<usize, SpectralError> {
    let mut candidates = Vec::new();
    for b in 0..blocks.count() {
        if verdict(b) != Verdict::Below {
            candidates.push(b);
        }
    }
    match candidates[..] {
        [b] => Ok(b),
        [] => Err(SpectralError::Unsettled { method, value }),
        [b0, b1, ..] => Err(SpectralError::NotUnique {
            method,
            kind,
            blocks: candidates.len(),
            value,
            examples: (blocks.members(b0)[0], blocks.members(b1)[0]),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;

    fn groups(b: &Blocks) -> Vec<Vec<u32>> {
        let mut g: Vec<Vec<u32>> = (0..b.count()).map(|i| b.members(i).to_vec()).collect();
        g.sort();
        g
    }

    #[test]
    fn strong_components_of_two_cycles_and_a_tail() {
        // 0 <-> 1 -> 2 -> 3 -> 2, 4 -> 0, 5 alone.
        let g = Graph::from_pairs(6, &[(0, 1), (1, 0), (1, 2), (2, 3), (3, 2), (4, 0)]);
        let b = strong_components(&g.out);
        assert_eq!(groups(&b), vec![vec![0, 1], vec![2, 3], vec![4], vec![5]]);
        // Completion order is reverse topological: {2,3} completes before {0,1}.
        assert!(b.id[2] < b.id[0] && b.id[0] < b.id[4]);
    }

    #[test]
    fn strong_components_survive_a_long_path() {
        // A 200 000-node cycle: a recursive Tarjan would overflow the stack.
        let n = 200_000u32;
        let pairs: Vec<(u32, u32)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        let b = strong_components(&Graph::from_pairs(n as usize, &pairs).out);
        assert_eq!(b.count(), 1);
        assert_eq!(b.members(0).len(), n as usize);
    }

    #[test]
    fn hits_parts_join_co_cited_and_co_citing_nodes() {
        // 0 -> 2, 1 -> 2, 1 -> 3 share authority 2: one part. 4 -> 5 is another.
        let g = Graph::from_pairs(7, &[(0, 2), (1, 2), (1, 3), (4, 5)]);
        let (hub, auth) = hits_parts(&g.out);
        assert_eq!(groups(&hub), vec![vec![0, 1], vec![4]]);
        assert_eq!(groups(&auth), vec![vec![2, 3], vec![5]]);
        assert_eq!(hub.id[0], auth.id[3]);
        assert_eq!(hub.id[4], auth.id[5]);
        assert_eq!(hub.id[6], NO_BLOCK);
        assert_eq!(auth.id[0], NO_BLOCK);
    }

    #[test]
    fn verdict_separates_a_3_cycle_from_a_2_cycle() {
        // M = adjacency of a directed cycle: ρ = 1 whatever its length.
        let g = Graph::from_pairs(5, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3)]);
        let b = strong_components(&g.out);
        let (mut y, mut z) = (vec![0.0; 5], vec![0.0; 5]);
        let mut verdict = |blk: usize, value: f64| {
            let comp = b.id.clone();
            block_verdict(
                b.members(blk),
                &mut y,
                &mut z,
                |y, z| {
                    for &i in b.members(blk) {
                        z[i as usize] = g
                            .inn
                            .neighbors(i)
                            .iter()
                            .filter(|&&u| comp[u as usize] == blk as u32)
                            .map(|&u| y[u as usize])
                            .sum();
                    }
                },
                value,
                100,
            )
        };
        let c3 = b.id[0] as usize;
        assert_eq!(verdict(c3, 1.0), Verdict::Attains);
        assert_eq!(verdict(c3, 1.5), Verdict::Below);
        // Just inside the tie tolerance still attains.
        assert_eq!(verdict(c3, 1.0 + 0.5 * TIE_TOL), Verdict::Attains);
    }

    #[test]
    fn leading_blocks_finds_the_largest_radius_and_its_ties() {
        // Blocks: a 3-cycle (ρ = 1), K3 both ways (ρ = 2), another 3-cycle, a lone node.
        let mut pairs = vec![(0, 1), (1, 2), (2, 0), (6, 7), (7, 8), (8, 6)];
        pairs.extend([(3, 4), (4, 3), (4, 5), (5, 4), (3, 5), (5, 3)]);
        let g = Graph::from_pairs(10, &pairs);
        let b = strong_components(&g.out);
        let (mut y, mut z) = (vec![0.0; 10], vec![0.0; 10]);
        let mut apply = |blk: usize, y: &[f64], z: &mut [f64]| {
            for &i in b.members(blk) {
                z[i as usize] = g
                    .inn
                    .neighbors(i)
                    .iter()
                    .filter(|&&u| b.id[u as usize] == blk as u32)
                    .map(|&u| y[u as usize])
                    .sum();
            }
        };
        let (rho, tied) = leading_blocks(&b, &mut y, &mut z, &mut apply, 1000);
        assert!((rho - 2.0).abs() < 1e-12, "{rho}");
        assert_eq!(tied, vec![b.id[3] as usize]);
        // Without K3 the two 3-cycles tie at 1.
        let g2 = Graph::from_pairs(10, &pairs[..6]);
        let b2 = strong_components(&g2.out);
        let mut apply2 = |blk: usize, y: &[f64], z: &mut [f64]| {
            for &i in b2.members(blk) {
                z[i as usize] = g2
                    .inn
                    .neighbors(i)
                    .iter()
                    .filter(|&&u| b2.id[u as usize] == blk as u32)
                    .map(|&u| y[u as usize])
                    .sum();
            }
        };
        let (rho, mut tied) = leading_blocks(&b2, &mut y, &mut z, &mut apply2, 1000);
        assert_eq!(rho, 1.0);
        tied.sort();
        let mut want = vec![b2.id[0] as usize, b2.id[6] as usize];
        want.sort();
        assert_eq!(tied, want);
    }

    #[test]
    fn dominant_block_refuses_ties_and_names_examples() {
        let b = Blocks::from_ids(vec![0, 0, 1, 1, NO_BLOCK]);
        assert_eq!(b.members(1), &[2, 3]);
        let got = dominant_block("t", "parts", &b, 2.0, |_| Verdict::Attains);
        assert_eq!(
            got,
            Err(SpectralError::NotUnique {
                method: "t",
                kind: "parts",
                blocks: 2,
                value: 2.0,
                examples: (0, 2)
            })
        );
        let one = dominant_block("t", "parts", &b, 2.0, |i| {
            if i == 1 {
                Verdict::Undecided
            } else {
                Verdict::Below
            }
        });
        assert_eq!(one, Ok(1));
        assert!(matches!(
            dominant_block("t", "parts", &b, 2.0, |_| Verdict::Below),
            Err(SpectralError::Unsettled { .. })
        ));
    }
}
