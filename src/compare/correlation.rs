//! Rank correlation of two paired samples: Kendall's tau-b, Spearman's rho, and the
//! average ("mid") ranks that Spearman's rho is built on.
//!
//! This file owns the numeric definitions only; which accounts are paired is decided
//! by the caller ([`super::compare`]). Each function reproduces its `scipy.stats`
//! counterpart (`kendalltau` variant "b", `spearmanr`, `rankdata(method="average")`)
//! so results can be checked against scipy fixtures to 1e-12. Where scipy answers
//! NaN (fewer than two pairs, a constant side, NaN in the input) these functions
//! answer `None`; they never panic.

use std::cmp::Ordering;

/// Total order on non-NaN floats that treats `-0.0` and `0.0` as equal.
///
/// `f64::total_cmp` alone would split the two zeros into separate tie groups,
/// whereas scipy (and `==`) treats them as one value. Adding `0.0` maps `-0.0` to
/// `+0.0` under IEEE round-to-nearest and leaves every other value unchanged.
fn cmp_f64(a: f64, b: f64) -> Ordering {
    (a + 0.0).total_cmp(&(b + 0.0))
}

/// Number of unordered pairs among `t` items: t(t-1)/2.
fn pairs(t: usize) -> u64 {
    let t = t as u64;
    t * t.saturating_sub(1) / 2
}

/// Number of pairs tied within the runs of equal elements of a sorted slice.
fn tied_pairs<T: PartialEq>(sorted: &[T]) -> u64 {
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| pairs(run.len()))
        .sum()
}

/// Average (mid) ranks of `x`: 1-based, ascending, tied values share the mean of the
/// positions they occupy.
///
/// Matches `scipy.stats.rankdata(x, method="average")`. For example
/// `[10, 20, 20, 5]` ranks to `[2, 3.5, 3.5, 1]`. `-0.0` and `0.0` are one value.
///
/// # Arguments
/// * `x`: the values to rank; any length, including zero.
///
/// # Returns
/// A vector of `x.len()` ranks, `out[i]` being the rank of `x[i]`. If any value is
/// NaN the whole result is NaN (scipy's default `nan_policy="propagate"`), because a
/// NaN has no place in the order and would shift every rank after it. `+-inf` are
/// ranked like any other value.
///
/// # Complexity
/// O(n log n) time, O(n) extra memory.
///
/// # Reference
/// Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*
/// 33(3), 239-251 (mid-rank convention).
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    if x.iter().any(|v| v.is_nan()) {
        return vec![f64::NAN; x.len()];
    }
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_unstable_by(|&i, &j| cmp_f64(x[i], x[j]));
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0usize;
    for run in order.chunk_by(|&i, &j| x[i] == x[j]) {
        // The run fills 0-based positions start..end, i.e. ranks start+1..=end;
        // their mean (start+1+end)/2 is a half-integer, exact in f64.
        let end = start + run.len();
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in run {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson correlation of two equal-length samples, `None` if either has zero
/// variance. The caller guarantees equal lengths >= 2 and no NaN.
fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    pearson_of(a.len(), || a.iter().copied(), || b.iter().copied())
}

/// [`pearson`] of `n` paired values that `a()` and `b()` yield afresh on each call (two
/// passes), so that they need not be held: the same sums in the same order, so the
/// same bits.
fn pearson_of<A, B>(n: usize, a: impl Fn() -> A, b: impl Fn() -> B) -> Option<f64>
where
    A: Iterator<Item = f64>,
    B: Iterator<Item = f64>,
{
    let n = n as f64;
    let mean_a = a().sum::<f64>() / n;
    let mean_b = b().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (u, v) in a().zip(b()) {
        // Centre first: the textbook one-pass formula loses digits when the means
        // are large relative to the spread (ranks of long lists).
        let (du, dv) = (u - mean_a, v - mean_b);
        sab += du * dv;
        saa += du * du;
        sbb += dv * dv;
    }
    if saa == 0.0 || sbb == 0.0 {
        return None;
    }
    // sqrt of the product rather than a product of square roots: symmetric, and
    // exactly 1 for identical ranks (sqrt of a correctly rounded square is exact).
    // The clamp guards the remaining last-bit rounding at perfect (anti)monotonicity.
    Some((sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation rho: the Pearson correlation of the average ranks of
/// `x` and of `y`.
///
/// Matches `scipy.stats.spearmanr(x, y).statistic`. Because ties get mid-ranks (see
/// [`average_ranks`]) this is the tie-corrected rho, not the `1 - 6 sum d^2 / (n^3 - n)`
/// shortcut, which is exact only without ties.
///
/// # Arguments
/// * `x`, `y`: paired observations, `x[i]` with `y[i]`.
///
/// # Returns
/// `Some(rho)` with rho in [-1, 1], or `None` if the lengths differ, n < 2, either
/// side contains NaN, or either side is constant (its ranks have zero variance, so
/// rho is 0/0).
///
/// # Complexity
/// O(n log n) time (two sorts), O(n) extra memory.
///
/// # Reference
/// Spearman, C. (1904). The proof and measurement of association between two things.
/// *American Journal of Psychology* 15(1), 72-101. Kendall, M. G. (1945), *Biometrika*
/// 33(3), 239-251, for mid-ranks under ties.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    if x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Sorts `v` ascending (by `less`, a strict weak order) with a bottom-up merge sort
/// and returns the number of strict inversions, i.e. pairs i < j with v[j] less than
/// v[i].
///
/// Equal elements are taken from the left run first, so pairs tied in `v` are never
/// counted: in Knight's algorithm those pairs are ties in y, not discordances. Two runs
/// already in order (the last of the left not above the first of the right) are copied
/// without merging, so long sorted stretches, as two similar rankings give, cost one
/// comparison per run.
fn sort_count_inversions<T: Copy + Default>(v: &mut Vec<T>, less: impl Fn(T, T) -> bool) -> u64 {
    let n = v.len();
    let mut src = std::mem::take(v);
    let mut dst = vec![T::default(); n];
    let mut inversions = 0u64;
    let mut width = 1usize;
    while width < n {
        let mut lo = 0usize;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            if mid == hi || !less(src[mid], src[mid - 1]) {
                dst[lo..hi].copy_from_slice(&src[lo..hi]);
                lo = hi;
                continue;
            }
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                if less(src[j], src[i]) {
                    // src[j] is smaller than every element still waiting in the
                    // left run (they are >= src[i] > src[j]): mid - i inversions.
                    inversions += (mid - i) as u64;
                    dst[k] = src[j];
                    j += 1;
                } else {
                    dst[k] = src[i];
                    i += 1;
                }
                k += 1;
            }
            dst[k..k + (mid - i)].copy_from_slice(&src[i..mid]);
            k += mid - i;
            dst[k..k + (hi - j)].copy_from_slice(&src[j..hi]);
            lo = hi;
        }
        std::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    *v = src;
    inversions
}

/// Kendall's tau-b rank correlation, computed in O(n log n) with Knight's merge-sort
/// algorithm.
///
/// tau_b = (n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2)), where n_0 = n(n-1)/2,
/// n_1 and n_2 are the pairs tied in `x` and in `y`, and n_c, n_d the concordant and
/// discordant pairs (a pair tied on either side is neither). Knight's identity
/// n_c - n_d = n_0 - n_1 - n_2 + n_3 - 2 n_d, with n_3 the pairs tied on both sides,
/// lets n_d come from counting the inversions of y after sorting by (x, y).
/// Matches `scipy.stats.kendalltau(x, y, variant="b").statistic` (to the last bit or
/// two: the integer counts are identical, only the final division is ordered differently).
///
/// # Arguments
/// * `x`, `y`: paired observations, `x[i]` with `y[i]`. `+-inf` are ordinary values;
///   `-0.0` equals `0.0`.
///
/// # Returns
/// `Some(tau_b)` in [-1, 1], or `None` if the lengths differ, n < 2, either side
/// contains NaN, or either side is constant (every pair tied, so the denominator
/// is 0).
///
/// # Complexity
/// O(n log n) time, O(n) extra memory.
///
/// # Reference
/// Knight, W. R. (1966). A computer method for calculating Kendall's tau with
/// ungrouped data. *JASA* 61(314), 436-439. Kendall, M. G. (1945). The treatment of
/// ties in ranking problems. *Biometrika* 33(3), 239-251 (the tau-b denominator).
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n != y.len() || n < 2 {
        return None;
    }
    if x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    // Normalise -0.0 to 0.0 once, so the `==` used for runs agrees with `cmp_f64`.
    let mut xy: Vec<(f64, f64)> = x.iter().zip(y).map(|(&a, &b)| (a + 0.0, b + 0.0)).collect();
    xy.sort_unstable_by(|p, q| cmp_f64(p.0, q.0).then_with(|| cmp_f64(p.1, q.1)));

    let total = pairs(n);
    let x_ties = tied_pairs(&xy.iter().map(|p| p.0).collect::<Vec<_>>());
    let joint_ties = tied_pairs(&xy);
    let mut ys: Vec<f64> = xy.iter().map(|p| p.1).collect();
    // Within an x-tie the y's are already ascending, so every inversion left is a
    // pair strictly ordered in x and strictly reversed in y: a discordant pair.
    let discordant = sort_count_inversions(&mut ys, |a, b| cmp_f64(a, b) == Ordering::Less);
    let y_ties = tied_pairs(&ys);
    if x_ties == total || y_ties == total {
        return None;
    }
    // i128: each term fits in u64, the signed combination may not fit in i64 when
    // n is near 2^32.
    let con_minus_dis = i128::from(total) - i128::from(x_ties) - i128::from(y_ties)
        + i128::from(joint_ties)
        - 2 * i128::from(discordant);
    // One square root of the exact (u128) product: the result is then exactly
    // symmetric in x and y, and tau(x, x) is exactly 1 whenever the product fits in
    // 53 bits, since sqrt(m^2) = m. (scipy divides by two square roots in turn, which
    // can differ from this in the last bit.)
    let denominator = (u128::from(total - x_ties) * u128::from(total - y_ties)) as f64;
    let tau = con_minus_dis as f64 / denominator.sqrt();
    Some(tau.clamp(-1.0, 1.0))
}

/// Kendall tau-b and Spearman rho of integer ranks whose `x` side is already sorted
/// ascending, as the paired ranks of two rankings are when taken in the first ranking's
/// order. The results are bit-for-bit those of [`kendall_tau_b`] and [`spearman`] on
/// the same values as `f64`: tau-b is the same function of the same five integer
/// counts, and Spearman's mid-ranks are the same half-integers fed to the same Pearson
/// sum in the same order. Knowing x sorted saves the (x, y) sort (only the y's inside
/// each x tie need sorting) and both mid-rank sorts, and integer keys compare faster.
///
/// # Arguments
/// * `x`: non-decreasing ranks (debug builds check).
/// * `y`: the paired ranks, `y[i]` with `x[i]`, in any order.
///
/// # Returns
/// `(tau_b, rho)`, each `None` where the `f64` functions answer `None`.
///
/// # Complexity
/// O(n log n) time, O(n + max y) extra memory (O(n) when y is huge: see below).
pub(crate) fn rank_correlations_sorted_x(x: &[u32], y: &[u32]) -> (Option<f64>, Option<f64>) {
    let n = x.len();
    if n != y.len() || n < 2 {
        return (None, None);
    }
    debug_assert!(x.windows(2).all(|w| w[0] <= w[1]));
    // Run lengths fit u32: n is at most the number of accounts, which are u32s.
    let x_runs: Vec<u32> = x.chunk_by(|a, b| a == b).map(|r| r.len() as u32).collect();

    // Kendall: sort y inside each x tie, which is what sorting by (x, y) does.
    let mut ys = y.to_vec();
    let mut joint_ties = 0u64;
    let mut start = 0usize;
    for &len in &x_runs {
        let len = len as usize;
        let run = &mut ys[start..start + len];
        if len > 1 {
            run.sort_unstable();
            joint_ties += tied_pairs(run);
        }
        start += len;
    }
    let total = pairs(n);
    let x_ties: u64 = x_runs.iter().map(|&t| pairs(t as usize)).sum();
    let discordant = sort_count_inversions(&mut ys, |a: u32, b| a < b);
    let y_ties = tied_pairs(&ys);
    let tau = if x_ties == total || y_ties == total {
        None
    } else {
        let con_minus_dis = i128::from(total) - i128::from(x_ties) - i128::from(y_ties)
            + i128::from(joint_ties)
            - 2 * i128::from(discordant);
        let denominator = (u128::from(total - x_ties) * u128::from(total - y_ties)) as f64;
        Some((con_minus_dis as f64 / denominator.sqrt()).clamp(-1.0, 1.0))
    };

    // Spearman: mid-ranks of x from its runs; of y from the runs of the sorted y's,
    // looked up by value (a table when the values are small, a binary search if not).
    // Both are made as they are summed, not held: 16 bytes a pair less at the peak of a
    // comparison of millions.
    let mid = |start: usize, end: usize| (start + 1 + end) as f64 / 2.0;
    let mid_x = || {
        let mut start = 0usize;
        x_runs.iter().flat_map(move |&len| {
            let (s, len) = (start, len as usize);
            start += len;
            std::iter::repeat_n(mid(s, s + len), len)
        })
    };
    let max_y = ys[n - 1] as usize;
    let spearman = if max_y <= 4 * n + 1024 {
        let mut table = vec![0.0; max_y + 1];
        let mut start = 0usize;
        for run in ys.chunk_by(|a, b| a == b) {
            table[run[0] as usize] = mid(start, start + run.len());
            start += run.len();
        }
        drop(ys);
        pearson_of(n, mid_x, || y.iter().map(|&v| table[v as usize]))
    } else {
        let mid_y = |v: u32| {
            mid(
                ys.partition_point(|&u| u < v),
                ys.partition_point(|&u| u <= v),
            )
        };
        pearson_of(n, mid_x, || y.iter().map(|&v| mid_y(v)))
    };
    (tau, spearman)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiny xorshift64 generator: deterministic test data without the rand crate.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut s = self.0;
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            self.0 = s;
            s
        }
        /// Uniform-ish integer in 0..k, returned as f64 (ties are frequent for small k).
        fn below(&mut self, k: u64) -> f64 {
            (self.next() % k) as f64
        }
    }

    /// O(n^2) tau-b straight from the definition, as the oracle for Knight's algorithm.
    fn tau_b_brute(x: &[f64], y: &[f64]) -> Option<f64> {
        let n = x.len();
        let (mut s, mut untied_x, mut untied_y) = (0i64, 0i64, 0i64);
        for i in 0..n {
            for j in i + 1..n {
                let dx = (x[i] - x[j]).signum() * f64::from(x[i] != x[j]);
                let dy = (y[i] - y[j]).signum() * f64::from(y[i] != y[j]);
                s += (dx * dy) as i64;
                untied_x += i64::from(x[i] != x[j]);
                untied_y += i64::from(y[i] != y[j]);
            }
        }
        if untied_x == 0 || untied_y == 0 {
            return None;
        }
        Some(s as f64 / ((untied_x as f64) * (untied_y as f64)).sqrt())
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn tau_b_scipy_doc_example() {
        // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) (scipy 1.17.1).
        let x = [12.0, 2.0, 1.0, 12.0, 2.0];
        let y = [1.0, 4.0, 7.0, 1.0, 0.0];
        let t = kendall_tau_b(&x, &y).unwrap();
        assert!(close(t, -0.4714045207910316, 1e-12), "{t}");
    }

    #[test]
    fn tau_b_hand_value_with_ties() {
        // x=[12,2,1,12,2], y=[1,4,7,1,0], the 10 index pairs by sign(dx)*sign(dy):
        // concordant (0,4),(3,4); discordant (0,1),(0,2),(1,2),(1,3),(2,3),(2,4);
        // tied in x only (1,4); tied in both (0,3). So nc - nd = 2 - 6 = -4, pairs
        // untied in x = 10 - 2 = 8, untied in y = 10 - 1 = 9: tau_b = -4/sqrt(72).
        let t = kendall_tau_b(&[12.0, 2.0, 1.0, 12.0, 2.0], &[1.0, 4.0, 7.0, 1.0, 0.0]).unwrap();
        assert!(close(t, -4.0 / 72f64.sqrt(), 1e-15), "{t}");
    }

    #[test]
    fn tau_b_identity_reversal_symmetry() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let neg: Vec<f64> = x.iter().map(|v| -v).collect();
        let y = [2.0, 7.0, 1.0, 8.0, 2.0, 8.0, 1.0, 8.0];
        assert_eq!(kendall_tau_b(&x, &x), Some(1.0));
        assert_eq!(kendall_tau_b(&x, &neg), Some(-1.0));
        assert_eq!(kendall_tau_b(&x, &y), kendall_tau_b(&y, &x));
    }

    #[test]
    fn tau_b_matches_brute_force_on_heavy_ties() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for case in 0..400 {
            let n = 2 + (rng.next() % 60) as usize;
            // Few distinct values: most pairs are tied on one side or both.
            let kx = 1 + rng.next() % 6;
            let ky = 1 + rng.next() % 6;
            let x: Vec<f64> = (0..n).map(|_| rng.below(kx)).collect();
            let y: Vec<f64> = (0..n).map(|_| rng.below(ky)).collect();
            let fast = kendall_tau_b(&x, &y);
            let slow = tau_b_brute(&x, &y);
            match (fast, slow) {
                (Some(f), Some(s)) => assert!(close(f, s, 1e-12), "case {case}: {f} vs {s}"),
                (None, None) => {}
                other => panic!("case {case}: {other:?} for x={x:?} y={y:?}"),
            }
            assert_eq!(fast, kendall_tau_b(&y, &x), "symmetry, case {case}");
        }
    }

    #[test]
    fn tau_b_degenerate_inputs() {
        assert_eq!(kendall_tau_b(&[], &[]), None);
        assert_eq!(kendall_tau_b(&[1.0], &[2.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 2.0], &[1.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, f64::NAN, 3.0], &[1.0, 2.0, 3.0]), None);
        // n = 2: one pair, concordant or discordant.
        assert_eq!(kendall_tau_b(&[1.0, 2.0], &[3.0, 4.0]), Some(1.0));
        assert_eq!(kendall_tau_b(&[1.5, 2.5], &[4.0, 3.0]), Some(-1.0));
        // Infinities are ordinary values; -0.0 ties with 0.0 (so x is constant).
        assert_eq!(
            kendall_tau_b(&[f64::NEG_INFINITY, 0.0, f64::INFINITY], &[1.0, 2.0, 3.0]),
            Some(1.0)
        );
        assert_eq!(kendall_tau_b(&[-0.0, 0.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn average_ranks_match_scipy_rankdata() {
        // rankdata([10, 20, 20, 5]) = [2, 3.5, 3.5, 1].
        assert_eq!(
            average_ranks(&[10.0, 20.0, 20.0, 5.0]),
            vec![2.0, 3.5, 3.5, 1.0]
        );
        // rankdata([0, 2, 3, 2]) = [1, 2.5, 4, 2.5].
        assert_eq!(
            average_ranks(&[0.0, 2.0, 3.0, 2.0]),
            vec![1.0, 2.5, 4.0, 2.5]
        );
        // Three-way tie in positions 2..4 -> 3; -0.0 and 0.0 are one value.
        assert_eq!(
            average_ranks(&[7.0, -0.0, 1.0, 0.0, 0.0]),
            vec![5.0, 2.0, 4.0, 2.0, 2.0]
        );
        assert!(average_ranks(&[]).is_empty());
        assert_eq!(average_ranks(&[4.2]), vec![1.0]);
        assert!(average_ranks(&[1.0, f64::NAN]).iter().all(|r| r.is_nan()));
    }

    #[test]
    fn spearman_hand_values_with_ties() {
        // x=[1,2,2,3] -> ranks [1,2.5,2.5,4]; y=[1,2,3,4] -> [1,2,3,4]. Centred
        // (mean 2.5): dx=[-1.5,0,0,1.5], dy=[-1.5,-.5,.5,1.5]. sum dx*dy = 4.5,
        // sum dx^2 = 4.5, sum dy^2 = 5 -> rho = 4.5/sqrt(22.5) = 3/sqrt(10).
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!(close(r, 3.0 / 10f64.sqrt(), 1e-15), "{r}");

        // Ties on both sides: x=[1,1,2,2] -> [1.5,1.5,3.5,3.5], y=[1,2,2,3] ->
        // [1,2.5,2.5,4]. dx=[-1,-1,1,1], dy=[-1.5,0,0,1.5]: sum dx*dy = 3,
        // sum dx^2 = 4, sum dy^2 = 4.5 -> rho = 3/sqrt(18) = 1/sqrt(2).
        let r = spearman(&[1.0, 1.0, 2.0, 2.0], &[1.0, 2.0, 2.0, 3.0]).unwrap();
        assert!(close(r, 0.5f64.sqrt(), 1e-15), "{r}");

        // No ties: 1 - 6*sum(d^2)/(n^3-n) with d=[0,-1,1,0]: 1 - 12/60 = 0.8.
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!(close(r, 0.8, 1e-15), "{r}");

        // scipy.stats.spearmanr([12,2,1,12,2],[1,4,7,1,0]) = -0.5407380704358752.
        let r = spearman(&[12.0, 2.0, 1.0, 12.0, 2.0], &[1.0, 4.0, 7.0, 1.0, 0.0]).unwrap();
        assert!(close(r, -0.5407380704358752, 1e-12), "{r}");
    }

    #[test]
    fn average_ranks_and_spearman_match_definitions_on_random_data() {
        let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
        for case in 0..300 {
            let n = 2 + (rng.next() % 40) as usize;
            let k = 1 + rng.next() % 8;
            let x: Vec<f64> = (0..n).map(|_| rng.below(k)).collect();
            // Mid-rank by definition: (#smaller) + (#equal + 1) / 2.
            let ranks = average_ranks(&x);
            for (i, &xi) in x.iter().enumerate() {
                let less = x.iter().filter(|&&v| v < xi).count() as f64;
                let equal = x.iter().filter(|&&v| v == xi).count() as f64;
                assert_eq!(ranks[i], less + (equal + 1.0) / 2.0, "case {case}");
            }
            // Without ties rho = 1 - 6 sum d^2 / (n^3 - n): use two random permutations.
            let mut perm = |seed: u64| {
                let mut v: Vec<f64> = (0..n).map(|i| i as f64).collect();
                for i in (1..n).rev() {
                    v.swap(i, ((rng.next() ^ seed) % (i as u64 + 1)) as usize);
                }
                v
            };
            let (a, b) = (perm(1), perm(2));
            let d2: f64 = a.iter().zip(&b).map(|(u, v)| (u - v) * (u - v)).sum();
            let nf = n as f64;
            let want = 1.0 - 6.0 * d2 / (nf * nf * nf - nf);
            let got = spearman(&a, &b).unwrap();
            assert!(close(got, want, 1e-12), "case {case}: {got} vs {want}");
        }
    }

    #[test]
    fn spearman_degenerate_inputs() {
        assert_eq!(spearman(&[], &[]), None);
        assert_eq!(spearman(&[1.0], &[1.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[3.0, 3.0, 3.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[f64::NAN, 1.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[5.0, 9.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
    }

    /// The integer, sorted-x path gives the same bits as the f64 functions, with heavy
    /// ties, without ties, and with huge rank values (the binary-search branch).
    #[test]
    fn sorted_x_path_is_bit_identical() {
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        for case in 0..600 {
            let n = (rng.next() % 200) as usize;
            let kx = 1 + rng.next() % if case % 3 == 0 { 4 } else { 1000 };
            let ky = 1 + rng.next() % if case % 2 == 0 { 5 } else { 1000 };
            let big = if case % 7 == 0 { 1 << 30 } else { 1 };
            let mut x: Vec<u32> = (0..n).map(|_| 1 + (rng.next() % kx) as u32).collect();
            x.sort_unstable();
            let y: Vec<u32> = (0..n).map(|_| (1 + rng.next() % ky) as u32 * big).collect();
            let xf: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
            let yf: Vec<f64> = y.iter().map(|&v| f64::from(v)).collect();
            let (tau, rho) = rank_correlations_sorted_x(&x, &y);
            let bits = |o: Option<f64>| o.map(f64::to_bits);
            assert_eq!(bits(tau), bits(kendall_tau_b(&xf, &yf)), "tau, case {case}");
            assert_eq!(bits(rho), bits(spearman(&xf, &yf)), "rho, case {case}");
        }
    }
}
