//! Set-overlap measures between two rankings: Jaccard similarity of two id sets and
//! extrapolated rank-biased overlap (RBO_EXT) of two ranked lists with ties.
//!
//! This file owns the formulas only; which ids go in (top-k sets, full lists) is
//! decided by the caller ([`super::compare`]). Undefined results (both sets empty, an
//! empty list, `p` outside (0, 1)) are `None`; nothing here panics.
//!
//! Tie rule for RBO. League tables put tied accounts at the same rank, and a tie there
//! means equality, not an unknown order. We therefore use the treatment of Webber,
//! Moffat & Zobel (2010, §4.3) as completed for prefixes and uneven lengths by Corsi &
//! Urbano (2024), variant "w": every member of a tie group counts as seen from the
//! depth of the group's first position, so the prefix `S:d` may hold more than `d`
//! items, and the agreement at depth d is `A_d = 2 X_d / (|S:d| + |L:d|)` (Webber
//! et al. eq. 28). Without ties this is exactly `X_d / d` and the whole measure is
//! Webber et al.'s eq. 32. See [`rbo_ext`] for the full formula.

use super::IdIndex;

/// Sorted, de-duplicated copy of an id slice.
fn sorted_set(ids: &[u32]) -> Vec<u32> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Jaccard similarity |A ∩ B| / |A ∪ B| of two sets of ids.
///
/// # Arguments
/// * `a`, `b`: the two sets as slices; order is irrelevant and repeated ids count once.
///
/// # Returns
/// `Some(j)` with j in [0, 1]: 1 when the sets are equal, 0 when disjoint (including
/// one empty and one non-empty). `None` when both are empty, where the ratio is 0/0
/// and "identical" and "unrelated" would both be defensible answers.
///
/// # Complexity
/// O((|a| + |b|) log(|a| + |b|)) time for the sorts, O(|a| + |b|) extra memory.
///
/// # Reference
/// Jaccard, P. (1912). The distribution of the flora in the alpine zone.
/// *New Phytologist* 11(2), 37-50.
pub fn jaccard(a: &[u32], b: &[u32]) -> Option<f64> {
    let a = sorted_set(a);
    let b = sorted_set(b);
    if a.is_empty() && b.is_empty() {
        return None;
    }
    // Intersection by merging the two sorted sets.
    let (mut i, mut j, mut common) = (0usize, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    Some(common as f64 / union as f64)
}

/// Depth (1-based) at which each id of a tie-grouped list is first seen: the position
/// of the first slot of its group. An id repeated later in the same list is dropped
/// and takes no slot, so the list behaves as if it had been de-duplicated first;
/// empty groups take no slot either.
fn first_depths(groups: &[Vec<u32>]) -> Vec<(u32, u32)> {
    let total = groups.iter().map(Vec::len).sum();
    let mut seen = IdIndex::for_ids(groups.iter().flatten().copied(), total);
    let mut depth = Vec::with_capacity(total);
    for group in groups {
        let top = depth.len() as u32 + 1;
        for &id in group {
            if seen.insert_new(id, 0) {
                depth.push((id, top));
            }
        }
    }
    depth
}

/// Extrapolated rank-biased overlap RBO_EXT of two ranked lists, possibly of
/// different lengths, possibly with ties.
///
/// Let S be the shorter list (s items) and L the longer (l items; either one if
/// s = l, the result is symmetric). A member of a tie group is *seen* from depth
/// t = (items in earlier groups) + 1 onward. For depth d let `|S:d|`, `|L:d|` be the
/// numbers of items seen by depth d and X_d the number of ids seen in both. Then
///
/// * for d <= s: `A_d = 2 X_d / (|S:d| + |L:d|)`;
/// * for s < d <= l (S has run out; Webber et al. assume its unseen items agree at
///   the rate A_s): `A_d = 2 (X_d + (d - s) A_s) / (d + |L:d|)`;
/// * `RBO_EXT = (1 - p) sum_{d=1..l} p^(d-1) A_d + p^l (X_l + (l - s) A_s) / l`.
///
/// Without ties `|S:d| = |L:d| = d` (up to s) and this is, term for term, Webber et
/// al.'s eq. 32 (what the `rbo` package on PyPI computes):
///
/// ```text
/// RBO_EXT = (1-p)/p [ sum_{d=1..l} X_d/d p^d + sum_{d=s+1..l} X_s (d-s)/(s d) p^d ]
///         + [ (X_l - X_s)/l + X_s/s ] p^l
/// ```
///
/// With ties it is Corsi & Urbano's RBO^w_EXT. Consequences: identical lists, and a
/// list that is a prefix of the other, score 1; disjoint lists score 0.
///
/// # Arguments
/// * `a`, `b`: ranked lists as tie groups; `a[i]` holds the ids sharing the i-th
///   distinct position, best first. An id repeated within one list keeps only its
///   first (best) occurrence; empty groups are ignored.
/// * `p`: persistence, strictly between 0 and 1 (larger = deeper comparison).
///
/// # Returns
/// `Some(rbo)` in [0, 1] (clamped against rounding), or `None` if `p` is not in
/// (0, 1) (including NaN) or either list has no ids: with s = 0 the extrapolated
/// agreement `A_s = X_s / s` is 0/0. (The `rbo` package returns 0 or 1 there instead.)
///
/// # Complexity
/// O(|a| + |b|) expected time (hashing), O(|a| + |b|) extra memory.
///
/// # Reference
/// Webber, W., Moffat, A., Zobel, J. (2010). A similarity measure for indefinite
/// rankings. *ACM TOIS* 28(4), article 20, eqs. 28 and 32. Corsi, M., Urbano, J.
/// (2024). The treatment of ties in rank-biased overlap. *SIGIR 2024* (variant w).
pub fn rbo_ext(a: &[Vec<u32>], b: &[Vec<u32>], p: f64) -> Option<f64> {
    rbo_ext_depths(&first_depths(a), &first_depths(b), p)
}

/// Bounds on the rank-biased overlap of two indefinite rankings of which only the
/// first `a.len()` and `b.len()` items are known: `(RBO_min, residual)`, so that the
/// full rankings' RBO lies in `[RBO_min, RBO_min + residual]` whatever follows (Webber,
/// Moffat & Zobel 2010, §4.1–4.3, "RBO_MIN" and "RBO_RES").
///
/// With X_d the overlap of the two known prefixes at depth d (items past a list's end
/// are unknown, counted as no match), RBO_min = (1 − p)/p · Σ_{d ≥ 1} p^d X_d / d. The
/// maximum assumes every unknown item matches whenever it can: at depth d, with
/// u_a = max(0, d − |a|) unknown items of `a` (u_b likewise), K_a = min(d, |a|) known
/// ones (K_b likewise), the overlap is at most X_d + m1 + m2 + m3, where m1 =
/// min(u_a, K_b − X_d) unknowns of `a` match known unmatched items of `b`, m2 =
/// min(u_b, K_a − X_d) the converse and m3 = min(u_a − m1, u_b − m2) unknowns match each
/// other; the residual is the weighted sum of that excess. Both sums run until p^d is
/// below 1e-17 of the first term. Lists are taken in their given order (ties broken by
/// position); ids repeated within a list count once, at their first position.
///
/// `None` if `p` is not in (0, 1) or either list is empty.
pub fn rbo_bounds(a: &[u32], b: &[u32], p: f64) -> Option<(f64, f64)> {
    if !(p > 0.0 && p < 1.0) || a.is_empty() || b.is_empty() {
        return None;
    }
    let dedup = |l: &[u32]| {
        let mut seen = std::collections::HashSet::new();
        l.iter()
            .copied()
            .filter(|x| seen.insert(*x))
            .collect::<Vec<u32>>()
    };
    let (a, b) = (dedup(a), dedup(b));
    let (la, lb) = (a.len(), b.len());
    let long = la.max(lb);
    // Past depth `long` the known overlap is constant and the tail geometric: sum on
    // until the weight p^d has fallen by 1e-17.
    let depth = long + ((1e-17f64).ln() / p.ln()).ceil() as usize;
    let (mut seen_a, mut seen_b) = (
        std::collections::HashSet::new(),
        std::collections::HashSet::new(),
    );
    let mut x = 0usize;
    let (mut min, mut res) = (0.0f64, 0.0f64);
    let mut w = 1.0f64; // p^d
    for d in 1..=depth {
        w *= p;
        if d <= la {
            let id = a[d - 1];
            x += usize::from(seen_b.contains(&id));
            seen_a.insert(id);
        }
        if d <= lb {
            let id = b[d - 1];
            x += usize::from(seen_a.contains(&id));
            seen_b.insert(id);
        }
        let (ka, kb) = (d.min(la), d.min(lb));
        let (ua, ub) = (d - ka, d - kb);
        let m1 = ua.min(kb - x);
        let m2 = ub.min(ka - x);
        let m3 = (ua - m1).min(ub - m2);
        let extra = (m1 + m2 + m3).min(d - x);
        min += w * x as f64 / d as f64;
        res += w * extra as f64 / d as f64;
    }
    let k = (1.0 - p) / p;
    Some(((k * min).clamp(0.0, 1.0), (k * res).clamp(0.0, 1.0)))
}

/// 2^-54: for a normal x, x * 2^-54 is below half of x's ulp (which is >= x * 2^-53).
const HALF_ULP_FACTOR: f64 = 1.0 / (1u64 << 54) as f64;
/// A sum at least this large stays normal when scaled by [`HALF_ULP_FACTOR`].
const NORMAL_SUM: f64 = 1e-270;

/// [`rbo_ext`] from each list's (distinct id, first-seen depth) pairs, depths
/// non-decreasing along each list (as both `first_depths` give them).
pub(crate) fn rbo_ext_depths(
    depth_a: &[(u32, u32)],
    depth_b: &[(u32, u32)],
    p: f64,
) -> Option<f64> {
    let long = if depth_a.len() <= depth_b.len() {
        depth_b
    } else {
        depth_a
    };
    let mut long_depth = IdIndex::for_ids(long.iter().map(|e| e.0), long.len());
    for &(id, d) in long {
        long_depth.insert_new(id, d);
    }
    rbo_ext_indexed(depth_a, depth_b, |id| long_depth.get(id), p)
}

/// A list of (distinct id, first-seen depth) entries, depths non-decreasing: a slice of
/// pairs, or a prepared ranking read in place ([`super::Prepared`]).
pub(crate) trait Depths {
    fn len(&self) -> usize;
    /// Entry `i`: (id, first-seen depth).
    fn at(&self, i: usize) -> (u32, u32);
}

impl Depths for [(u32, u32)] {
    fn len(&self) -> usize {
        <[(u32, u32)]>::len(self)
    }

    fn at(&self, i: usize) -> (u32, u32) {
        self[i]
    }
}

/// Depth up to which [`rbo_ext_indexed`] first tries to settle the sum: with p = 0.9 it
/// settles within a few hundred depths, with p = 0.98 within a few thousand.
const FIRST_LIMIT: usize = 1 << 15;

/// [`rbo_ext_depths`] given the first-seen depth of any id in the longer list (the
/// second list when both have the same length), so a caller that has an index of each
/// list need not build one per pair. Work is O(depth at which the sum settles) when it
/// settles early (the usual case), O(|a| + |b|) otherwise.
pub(crate) fn rbo_ext_indexed<A: Depths + ?Sized, B: Depths + ?Sized>(
    depth_a: &A,
    depth_b: &B,
    long_depth: impl Fn(u32) -> Option<u32>,
    p: f64,
) -> Option<f64> {
    // Written so that NaN fails the test too.
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if depth_a.len() == 0 || depth_b.len() == 0 {
        return None;
    }
    if depth_a.len() <= depth_b.len() {
        rbo_settled(depth_a, depth_b, &long_depth, p)
    } else {
        rbo_settled(depth_b, depth_a, &long_depth, p)
    }
}

/// [`rbo_ext_indexed`] of the shorter and the longer list: first up to
/// [`FIRST_LIMIT`], then (if it did not settle) to the end.
fn rbo_settled<S: Depths + ?Sized, L: Depths + ?Sized>(
    short: &S,
    long: &L,
    long_depth: &impl Fn(u32) -> Option<u32>,
    p: f64,
) -> Option<f64> {
    let l = long.len();
    if l > FIRST_LIMIT
        && let Some(r) = rbo_upto(short, long, long_depth, p, FIRST_LIMIT)
    {
        return Some(r);
    }
    rbo_upto(short, long, long_depth, p, l)
}

/// The RBO sum over depths 1..=limit (limit <= l): the answer if it settles by then
/// (see the loop) or limit = l, `None` otherwise. Only entries seen by depth `limit`
/// are read, and depths are non-decreasing, so each list is read up to that depth.
fn rbo_upto<S: Depths + ?Sized, L: Depths + ?Sized>(
    short: &S,
    long: &L,
    long_depth: &impl Fn(u32) -> Option<u32>,
    p: f64,
    limit: usize,
) -> Option<f64> {
    let (s, l) = (short.len(), long.len());

    // Items entering each prefix, and the overlap, at each depth (index = depth).
    // An id common to both lists is in the overlap from the later of its two depths.
    // Every depth is in 1..=its list's length <= l; only those <= limit are kept.
    let mut enter_s = vec![0usize; limit + 1];
    let mut enter_l = vec![0usize; limit + 1];
    let mut enter_both = vec![0usize; limit + 1];
    let seen_by_limit = |e: &(u32, u32)| e.1 as usize <= limit;
    for (id, ds) in (0..s).map(|i| short.at(i)).take_while(seen_by_limit) {
        enter_s[ds as usize] += 1;
        if let Some(dl) = long_depth(id)
            && ds.max(dl) as usize <= limit
        {
            enter_both[ds.max(dl) as usize] += 1;
        }
    }
    for (_, dl) in (0..l).map(|i| long.at(i)).take_while(seen_by_limit) {
        enter_l[dl as usize] += 1;
    }

    let (mut seen_s, mut seen_l, mut overlap) = (0usize, 0usize, 0usize);
    let mut agreement_s = 0.0; // A_s, fixed once depth s is reached
    let mut weight = 1.0 - p; // (1 - p) p^(d-1)
    let mut p_pow = 1.0; // p^(d-1), then p^l after the loop
    let mut sum = 0.0;
    for d in 1..=limit {
        // Every later term is weight * A_d <= weight (A_d <= 1) and the tail is at most
        // p_pow; both only shrink. Once both are below half an ulp of the sum, adding
        // them cannot change a bit of it, so stop: the answer is the sum as it stands.
        // This is not only a shortcut: repeated `*= p` sticks at the smallest subnormal
        // instead of reaching 0, and a million subnormal products are slow.
        // (A sum >= NORMAL_SUM keeps sum * 2^-54 normal, so the bound is exact.)
        if sum >= NORMAL_SUM && weight.max(p_pow) < sum * HALF_ULP_FACTOR {
            return Some(sum.clamp(0.0, 1.0));
        }
        seen_s += enter_s[d];
        seen_l += enter_l[d];
        overlap += enter_both[d];
        let agreement = if d <= s {
            // Each list's first kept id is seen at depth 1, so the denominator is
            // at least 2.
            2.0 * overlap as f64 / (seen_s + seen_l) as f64
        } else {
            2.0 * (overlap as f64 + (d - s) as f64 * agreement_s) / (d + seen_l) as f64
        };
        if d == s {
            agreement_s = agreement;
        }
        sum += weight * agreement;
        weight *= p;
        p_pow *= p;
    }
    if limit < l {
        return None;
    }
    // Tail beyond depth l: the agreement reached at l is assumed to hold forever.
    let tail = p_pow * (overlap as f64 + (l - s) as f64 * agreement_s) / l as f64;
    Some((sum + tail).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Untied list: one id per group.
    fn flat(ids: &[u32]) -> Vec<Vec<u32>> {
        ids.iter().map(|&id| vec![id]).collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Truncated RBO of two untied (conceptually infinite) lists: (1-p) sum p^(d-1) X_d/d
    /// over the first `depth` positions (Webber et al. eq. 7). Used to bracket RBO_EXT.
    fn rbo_truncated(s: &[u32], t: &[u32], p: f64, depth: usize) -> f64 {
        let mut seen_s = std::collections::HashSet::new();
        let mut seen_t = std::collections::HashSet::new();
        let (mut x, mut sum, mut w) = (0usize, 0.0, 1.0 - p);
        for d in 1..=depth {
            let (a, b) = (s[d - 1], t[d - 1]);
            if a == b {
                x += 1;
            } else {
                x += usize::from(seen_t.contains(&a)) + usize::from(seen_s.contains(&b));
            }
            seen_s.insert(a);
            seen_t.insert(b);
            sum += w * x as f64 / d as f64;
            w *= p;
        }
        sum
    }

    #[test]
    fn jaccard_values() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), Some(0.5));
        assert_eq!(jaccard(&[1, 1, 2], &[2, 1]), Some(1.0));
        assert_eq!(jaccard(&[1, 2], &[3]), Some(0.0));
        assert_eq!(jaccard(&[], &[3]), Some(0.0));
        assert_eq!(jaccard(&[], &[]), None);
        // |{2,5}| / |{1,2,3,5,8}| = 2/5.
        assert_eq!(jaccard(&[5, 1, 2, 3], &[8, 2, 5]), Some(0.4));
    }

    #[test]
    fn rbo_identical_and_disjoint() {
        let a = flat(&[4, 9, 1, 7, 3]);
        let r = rbo_ext(&a, &a, 0.9).unwrap();
        assert!(close(r, 1.0, 1e-12), "{r}");
        let r = rbo_ext(&flat(&[1, 2, 3]), &flat(&[4, 5, 6, 7]), 0.9).unwrap();
        assert_eq!(r, 0.0);
        // Identical lists with ties are still identical.
        let t = vec![vec![1, 2], vec![3], vec![4, 5, 6]];
        let r = rbo_ext(&t, &t, 0.7).unwrap();
        assert!(close(r, 1.0, 1e-12), "{r}");
    }

    #[test]
    fn rbo_degenerate_inputs() {
        let a = flat(&[1, 2, 3]);
        assert_eq!(rbo_ext(&a, &a, 0.0), None);
        assert_eq!(rbo_ext(&a, &a, 1.0), None);
        assert_eq!(rbo_ext(&a, &a, f64::NAN), None);
        assert_eq!(rbo_ext(&a, &[], 0.9), None);
        assert_eq!(rbo_ext(&[], &[], 0.9), None);
        assert_eq!(rbo_ext(&a, &[vec![], vec![]], 0.9), None);
        // One item each: RBO_EXT reduces to A_1.
        assert_eq!(rbo_ext(&flat(&[7]), &flat(&[7]), 0.5), Some(1.0));
        assert_eq!(rbo_ext(&flat(&[7]), &flat(&[8]), 0.5), Some(0.0));
    }

    #[test]
    fn rbo_repeats_and_empty_groups_are_ignored() {
        // [1, 2, 1, (), 3] is read as [1, 2, 3].
        let messy = vec![vec![1], vec![2, 2], vec![1], vec![], vec![3]];
        let clean = flat(&[1, 2, 3]);
        let other = flat(&[2, 7, 1, 9]);
        assert_eq!(rbo_ext(&messy, &other, 0.8), rbo_ext(&clean, &other, 0.8));
    }

    #[test]
    fn rbo_matches_python_rbo_package_without_ties() {
        // Reference values: PyPI package `rbo` 0.1.3 (changyaochen/rbo), computed as
        // `rbo.RankingSimilarity(S, T).rbo_ext(p=p)` with Python 3.11 / numpy 1.26.
        let cases: [(&[u32], &[u32], f64, f64); 6] = [
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                &[3, 1, 2, 7, 4, 11, 5, 12, 6, 13],
                0.9,
                0.6586284785142857,
            ),
            (
                &[1, 2, 3, 4, 5],
                &[2, 7, 1, 9, 4, 3, 11, 12],
                0.8,
                0.5069202285714286,
            ),
            // Same pair with the longer list first: the package gives the same value.
            (
                &[2, 7, 1, 9, 4, 3, 11, 12],
                &[1, 2, 3, 4, 5],
                0.8,
                0.5069202285714286,
            ),
            (&[5], &[1, 2, 5, 3], 0.5, 0.07291666666666666),
            (&[1, 2], &[2, 1, 3], 0.5, 0.5),
            (
                &[
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                ],
                &[
                    2, 1, 4, 3, 22, 6, 5, 8, 7, 30, 10, 9, 12, 11, 25, 14, 13, 16, 15, 40, 18, 17,
                    20, 19, 33, 21, 23, 24, 26, 27,
                ],
                0.98,
                0.8861814179590879,
            ),
        ];
        for (s, t, p, want) in cases {
            let got = rbo_ext(&flat(s), &flat(t), p).unwrap();
            assert!(
                close(got, want, 1e-12),
                "{s:?} {t:?} p={p}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn rbo_hand_values_without_ties() {
        // S=[5], L=[1,2,5,3], p=1/2 (eq. 32): s=1, l=4, X_d = 0,0,1,1, X_s = 0.
        // (1-p)/p = 1; sum X_d/d p^d = (1/3)/8 + (1/4)/16; the X_s terms vanish;
        // tail ((X_l - X_s)/l + X_s/s) p^l = (1/4)/16. Total 1/24 + 1/32 = 7/96.
        let r = rbo_ext(&flat(&[5]), &flat(&[1, 2, 5, 3]), 0.5).unwrap();
        assert!(close(r, 7.0 / 96.0, 1e-15), "{r}");
        // S=[1,2], L=[2,1,3], p=1/2: X = 0,2,2; sum X_d/d p^d = 2/2/4 + 2/3/8 = 1/4+1/12;
        // second sum (d=3) X_s (d-s)/(s d) p^d = 2*1/6/8 = 1/24; tail (0/3 + 2/2)/8.
        // Total 6/24 + 2/24 + 1/24 + 3/24 = 1/2.
        let r = rbo_ext(&flat(&[1, 2]), &flat(&[2, 1, 3]), 0.5).unwrap();
        assert!(close(r, 0.5, 1e-15), "{r}");
    }

    #[test]
    fn rbo_equal_lengths_reduce_to_eq_30() {
        // Webber et al. eq. 30 (s = l = k): X_k/k p^k + (1-p)/p sum_{d<=k} X_d/d p^d.
        let s = [1u32, 2, 3, 4, 5, 6];
        let t = [2u32, 9, 1, 4, 8, 3];
        let p: f64 = 0.75;
        let x = [0.0, 1.0, 2.0, 3.0, 3.0, 4.0]; // X_d counted by hand
        let mut want = x[5] / 6.0 * p.powi(6);
        for (d, xd) in x.iter().enumerate() {
            let d = d as i32 + 1;
            want += (1.0 - p) / p * xd / f64::from(d) * p.powi(d);
        }
        let got = rbo_ext(&flat(&s), &flat(&t), p).unwrap();
        assert!(close(got, want, 1e-14), "{got} vs {want}");
    }

    #[test]
    fn rbo_identical_prefix_scores_one() {
        // Eq. 32 extrapolates the short list at its own agreement A_s = 1, so a list
        // that is a prefix of the other is indistinguishable from it.
        for p in [0.1, 0.5, 0.9, 0.98] {
            let r = rbo_ext(&flat(&[1, 2, 3]), &flat(&[1, 2, 3, 4, 5]), p).unwrap();
            assert!(close(r, 1.0, 1e-12), "p={p}: {r}");
            let r = rbo_ext(&flat(&[1, 2, 3, 4, 5]), &flat(&[1, 2, 3]), p).unwrap();
            assert!(close(r, 1.0, 1e-12), "p={p}: {r}");
        }
        // Same with a tie group straddling nothing: [(1 2)] vs [(1 2), 3].
        let r = rbo_ext(&[vec![1, 2]], &[vec![1, 2], vec![3]], 0.5).unwrap();
        assert!(close(r, 1.0, 1e-15), "{r}");
    }

    #[test]
    fn rbo_ext_lies_between_min_and_max() {
        // Webber et al. §4: RBO_EXT is a point estimate between the bounds reached by
        // the least and the most favourable continuations of the lists. Build both
        // continuations explicitly and evaluate them deep enough that p^depth < 1e-13.
        let p: f64 = 0.8;
        let depth = 150;
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200 {
            let (ls, lt) = (1 + (next() % 8) as usize, 1 + (next() % 8) as usize);
            // Draw distinct ids from a small pool so lists overlap often.
            let mut pick = |len: usize| {
                let mut v: Vec<u32> = Vec::new();
                while v.len() < len {
                    let id = (next() % 12) as u32;
                    if !v.contains(&id) {
                        v.push(id);
                    }
                }
                v
            };
            let (s, t) = (pick(ls), pick(lt));
            let ext = rbo_ext(&flat(&s), &flat(&t), p).unwrap();
            // Least favourable: each list continues with fresh ids of its own.
            let mut s_min = s.clone();
            let mut t_min = t.clone();
            s_min.extend((0..depth as u32).map(|i| 1000 + i));
            t_min.extend((0..depth as u32).map(|i| 5000 + i));
            // Most favourable: each list next takes the other's unmatched ids, then
            // both continue with the same fresh ids.
            let mut s_max = s.clone();
            s_max.extend(t.iter().filter(|id| !s.contains(id)));
            let mut t_max = t.clone();
            t_max.extend(s.iter().filter(|id| !t.contains(id)));
            let shared = |v: &mut Vec<u32>| {
                let start = v.len();
                v.extend((0..(depth - start) as u32).map(|i| 9000 + i));
            };
            shared(&mut s_max);
            shared(&mut t_max);
            // Both prefixes now hold |s ∪ t| ids, so the shared ids line up.
            let lo = rbo_truncated(&s_min, &t_min, p, depth);
            let hi = rbo_truncated(&s_max, &t_max, p, depth) + p.powi(depth as i32);
            assert!(
                lo - 1e-12 <= ext && ext <= hi + 1e-12,
                "{s:?} {t:?}: {lo} {ext} {hi}"
            );
        }
    }

    #[test]
    fn rbo_ties_hand_derived_top_tie() {
        // a = [(1 2), 3], b = [1, 2, 3], p = 1/2, s = l = 3.
        // In a, ids 1 and 2 are both seen from depth 1 (their group's first slot).
        // d=1: |a:1| = 2, |b:1| = 1, X_1 = |{1}| = 1  -> A_1 = 2*1/(2+1) = 2/3
        // d=2: |a:2| = 2, |b:2| = 2, X_2 = 2          -> A_2 = 1
        // d=3: |a:3| = 3, |b:3| = 3, X_3 = 3          -> A_3 = 1
        // (1-p) sum p^(d-1) A_d = 1/2*2/3 + 1/4 + 1/8 = 1/3 + 3/8; tail p^3 X_3/3 = 1/8.
        // Total 1/3 + 1/2 = 5/6. Cross-checked: Corsi & Urbano's reference code
        // (sigir2024-rbo, rbo/Python/rbo.py, ties='w', score 'ext') gives 0.8333333333333333.
        let a = vec![vec![1, 2], vec![3]];
        let b = flat(&[1, 2, 3]);
        let r = rbo_ext(&a, &b, 0.5).unwrap();
        assert!(close(r, 5.0 / 6.0, 1e-15), "{r}");
        assert_eq!(rbo_ext(&b, &a, 0.5), Some(r));
    }

    #[test]
    fn rbo_ties_hand_derived_uneven() {
        // a = [1, (2 3)] (s = 3), b = [2, 1, 4, (3 5)] (l = 5), p = 1/2.
        // Depth first seen: a: 1@1, 2@2, 3@2; b: 2@1, 1@2, 4@3, 3@4, 5@4.
        // Common ids enter the overlap at the later depth: 1@2, 2@2, 3@4.
        // |a:d| = 1,3,3; |b:d| = 1,2,3,5,5; X_d = 0,2,2,3,3.
        // d<=s: A_1 = 0, A_2 = 2*2/(3+2) = 4/5, A_3 = 2*2/(3+3) = 2/3 = A_s.
        // d>s:  A_4 = 2(3 + 1*2/3)/(4+5) = 22/27, A_5 = 2(3 + 2*2/3)/(5+5) = 13/15.
        // (1-p) sum p^(d-1) A_d = 4/5/4 + 2/3/8 + 22/27/16 + 13/15/32
        //                       = 864/4320 + 360/4320 + 220/4320 + 117/4320;
        // tail p^5 (X_5 + (5-3) A_s)/5 = (13/3)/5/32 = 117/4320.
        // Total 1678/4320 = 839/2160. Corsi & Urbano's code (ties='w') gives
        // 0.38842592592592595.
        let a = vec![vec![1], vec![2, 3]];
        let b = vec![vec![2], vec![1], vec![4], vec![3, 5]];
        let r = rbo_ext(&a, &b, 0.5).unwrap();
        assert!(close(r, 839.0 / 2160.0, 1e-15), "{r}");
        assert_eq!(rbo_ext(&b, &a, 0.5), Some(r));
    }

    /// The RBO sum without any shortcut: every depth to l, then the tail (the formula
    /// as documented on [`rbo_ext`]), as the oracle for the early stop.
    fn rbo_every_depth(a: &[(u32, u32)], b: &[(u32, u32)], p: f64) -> f64 {
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let (s, l) = (short.len(), long.len());
        let long_depth: std::collections::HashMap<u32, u32> = long.iter().copied().collect();
        let (mut es, mut el, mut eb) = (
            vec![0usize; l + 1],
            vec![0usize; l + 1],
            vec![0usize; l + 1],
        );
        for &(id, ds) in short {
            es[ds as usize] += 1;
            if let Some(&dl) = long_depth.get(&id) {
                eb[ds.max(dl) as usize] += 1;
            }
        }
        for &(_, dl) in long {
            el[dl as usize] += 1;
        }
        let (mut ss, mut sl, mut x, mut a_s) = (0usize, 0usize, 0usize, 0.0);
        let (mut w, mut pp, mut sum) = (1.0 - p, 1.0, 0.0);
        for d in 1..=l {
            ss += es[d];
            sl += el[d];
            x += eb[d];
            let ag = if d <= s {
                2.0 * x as f64 / (ss + sl) as f64
            } else {
                2.0 * (x as f64 + (d - s) as f64 * a_s) / (d + sl) as f64
            };
            if d == s {
                a_s = ag;
            }
            sum += w * ag;
            w *= p;
            pp *= p;
        }
        (sum + pp * (x as f64 + (l - s) as f64 * a_s) / l as f64).clamp(0.0, 1.0)
    }

    /// Stopping once the remaining terms cannot change the sum gives the same bits, for
    /// lists longer than the first try's depth limit, with ties, deep-only overlap (the
    /// sum stays 0 long enough to need the full pass) and several persistences.
    #[test]
    fn early_stop_is_bit_identical() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |k: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % k
        };
        let n = FIRST_LIMIT + 5000;
        for case in 0..6 {
            // b: a shuffled copy of a (every third case: new ids in all but the last 2000).
            let a: Vec<u32> = (0..n as u32).collect();
            let mut b: Vec<u32> = a.clone();
            for i in (1..n).rev() {
                b.swap(i, next(i as u64 + 1) as usize);
            }
            if case % 3 == 2 {
                for (i, id) in b.iter_mut().enumerate().take(n - 2000) {
                    *id = (n + i) as u32;
                }
            }
            let b = &b[..n - 10 * case];
            let tie = 1 + case % 2; // groups of 1 or 2
            let groups =
                |ids: &[u32]| -> Vec<Vec<u32>> { ids.chunks(tie).map(<[u32]>::to_vec).collect() };
            let (ga, gb) = (first_depths(&groups(&a)), first_depths(&groups(b)));
            for p in [0.5, 0.9, 0.98, 0.999] {
                let got = rbo_ext(&groups(&a), &groups(b), p).unwrap();
                let want = rbo_every_depth(&ga, &gb, p);
                assert_eq!(got.to_bits(), want.to_bits(), "case {case}, p {p}");
            }
        }
    }
    #[test]
    fn rbo_bounds_golden_and_bracketing() {
        let p = 0.9;
        // Disjoint one-item lists at p = 0.5: nothing agrees yet (min 0); at best every
        // later depth agrees fully: (1-p)/p Σ_{d≥2} p^d = p.
        let (min, res) = rbo_bounds(&[1], &[2], 0.5).unwrap();
        assert!(
            min.abs() < 1e-15 && (res - 0.5).abs() < 1e-15,
            "{min} {res}"
        );
        // Identical lists of depth k: at best the rest agrees too, so min + res = 1, and
        // min is Webber et al.'s eq. 11: (1-p)/p (Σ_{d≤k} (X_d − X_k) p^d / d − X_k ln(1 − p)).
        let k = 7;
        let l: Vec<u32> = (0..k).collect();
        let (min, res) = rbo_bounds(&l, &l, p).unwrap();
        let eq11 = (1.0 - p) / p
            * ((1..=k)
                .map(|d| (f64::from(d) - f64::from(k)) * p.powi(d as i32) / f64::from(d))
                .sum::<f64>()
                - f64::from(k) * (1.0 - p).ln());
        assert!((min - eq11).abs() < 1e-12, "{min} {eq11}");
        assert!((min + res - 1.0).abs() < 1e-12);
        // Eq. 11 on two lists of depth 4 that share some items.
        let (a, b) = ([1, 2, 3, 4], [2, 5, 1, 6]);
        let xs = [0.0, 1.0, 2.0, 2.0];
        let eq11 = (1.0 - p) / p
            * ((1..=4)
                .map(|d| (xs[d - 1] - 2.0) * p.powi(d as i32) / d as f64)
                .sum::<f64>()
                - 2.0 * (1.0 - p).ln());
        let (min, res) = rbo_bounds(&a, &b, p).unwrap();
        assert!((min - eq11).abs() < 1e-12, "{min} {eq11}");
        // The extrapolated RBO of the known prefixes lies within the bounds.
        let groups = |l: &[u32]| l.iter().map(|&x| vec![x]).collect::<Vec<_>>();
        let ext = rbo_ext(&groups(&a), &groups(&b), p).unwrap();
        assert!(min <= ext && ext <= min + res, "{min} {ext} {res}");
        let (a, b): (Vec<u32>, Vec<u32>) =
            ((0..30).collect(), (0..20).rev().chain(40..45).collect());
        let (min, res) = rbo_bounds(&a, &b, 0.95).unwrap();
        let ext = rbo_ext(&groups(&a), &groups(&b), 0.95).unwrap();
        assert!(min <= ext && ext <= min + res, "{min} {ext} {res}");
        assert_eq!(rbo_bounds(&[], &[1], p), None);
        assert_eq!(rbo_bounds(&[1], &[1], 1.0), None);
    }
}
