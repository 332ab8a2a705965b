//! Weighted Kendall tau (Vigna 2015), the additive hyperbolic τ_h: Kendall's tau in
//! which an exchange between the elements of rank r and s (0 = most important) weighs
//! 1/(r + 1) + 1/(s + 1), so disagreement at the top of two league tables counts more
//! than disagreement in the tail. With no external rank, the importance of an element is
//! its position in the decreasing lexicographic order by (x, y), and τ_h is the average
//! of that and of the same by (y, x): exactly what `scipy.stats.weightedtau(x, y)` does
//! with its defaults, ties included (elements equal in both x and y take consecutive
//! ranks, the later input first, as scipy's stable sort reversed gives them).
//!
//! Because the weight of an exchange is a sum, the statistic splits per element:
//! Σ_{i<j} (w_i + w_j) s_ij = Σ_i w_i C_i, where s_ij = sgn(x_i − x_j) sgn(y_i − y_j) and
//! C_i is element i's concordant minus discordant count, found for every i in O(n log n)
//! with a Fenwick tree; likewise the denominators Σ_i w_i · #{j : x_j ≠ x_i} and the same
//! for y (ties are left out of both, as in tau-b).
//!
//! Reference: S. Vigna, "A weighted correlation index for rankings with ties", WWW 2015.

use std::cmp::Ordering;

/// τ_h of paired scores (higher = more important, as scipy expects: negate ranks).
///
/// `None` if the lengths differ, n < 2, a value is NaN, or either side is constant.
/// O(n log n) time, O(n) memory.
pub fn weighted_tau(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    // -0.0 and 0.0 are one value: every comparison is `partial_cmp` or `==`, which
    // hold them equal.
    weighted_tau_of(x, y)
}

/// [`weighted_tau`] of any totally ordered values (no NaN): τ_h depends only on how the
/// values compare, so negated ranks may be given as `Reverse(rank)` (four bytes, not
/// eight). `None` if the lengths differ, n < 2 or either side is constant.
pub fn weighted_tau_of<T: PartialOrd + Copy + Sync>(x: &[T], y: &[T]) -> Option<f64> {
    let n = x.len();
    if n != y.len() || n < 2 || n > u32::MAX as usize {
        return None;
    }
    // The two orders are independent: side by side.
    let (a, b) = rayon::join(|| ranked_by(x, y), || ranked_by(y, x));
    Some(((a? + b?) / 2.0).clamp(-1.0, 1.0))
}

/// [`weighted_tau_of`] of `Reverse(x)` and `Reverse(y)` for ranks (1 = best, so the
/// smaller rank is the more important element), without comparison sorts: every order
/// the statistic needs (by x, by y, by (x, y), by (y, x), ties by input position) is a
/// stable counting sort over the rank values, O(n + max rank), and the orders by x and
/// by y are shared by the two halves. The orders are the ones the comparison sorts give
/// (they are total: ties go by position), so the result is the same to the bit.
pub fn weighted_tau_ranks(x: &[u32], y: &[u32]) -> Option<f64> {
    weighted_tau_ranks_as(x, y, x.len() <= SIDE_BY_SIDE)
}

/// [`weighted_tau_ranks`] with its two halves side by side or one after the other.
pub(crate) fn weighted_tau_ranks_as(x: &[u32], y: &[u32], side_by_side: bool) -> Option<f64> {
    let n = x.len();
    if n != y.len() || n < 2 || n > u32::MAX as usize {
        return None;
    }
    let (sx, sy) = rayon::join(|| by_rank(x, None), || by_rank(y, None));
    let half = |(x, y, sx, sy)| move || ranked_by_ranks(x, y, sx, sy);
    let (one, other) = (half((x, y, &sx, &sy)), half((y, x, &sy, &sx)));
    // Each half holds ~24 bytes an element while it runs. Side by side on lists up to
    // [`SIDE_BY_SIDE`]; one after the other on longer ones, where memory binds: a
    // comparison runs tau-b and Spearman beside them (see
    // [`crate::compare::Pair::compare`]), so the cores still have work (the results
    // are the same bits either way).
    let (a, b) = if side_by_side {
        rayon::join(one, other)
    } else {
        (one(), other())
    };
    Some(((a? + b?) / 2.0).clamp(-1.0, 1.0))
}

/// The longest lists whose two halves [`weighted_tau_ranks`] runs side by side: 4M
/// elements, ~100 MB a half. Past it (150M-edge graphs) the halves run one after the
/// other: 0.2 GB less at a comparison's peak, for ~15 % longer comparisons.
const SIDE_BY_SIDE: usize = 1 << 22;

/// Positions in the ascending order of `Reverse(r)`, i.e. the largest rank first, by a
/// counting sort. Stable: equal ranks keep their order in `within` (or their order of
/// position when `None`).
fn by_rank(r: &[u32], within: Option<&[u32]>) -> Vec<u32> {
    let max = r.iter().copied().max().unwrap_or(0) as usize;
    // key(i) = max − r[i]: ascending keys are descending ranks.
    let mut start = vec![0u32; max + 2];
    for &v in r {
        start[max - v as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut out = vec![0u32; r.len()];
    let mut place = |i: u32| {
        let k = max - r[i as usize] as usize;
        out[start[k] as usize] = i;
        start[k] += 1;
    };
    match within {
        Some(order) => order.iter().for_each(|&i| place(i)),
        None => (0..r.len() as u32).for_each(&mut place),
    }
    out
}

/// [`ranked_by`] for `Reverse` ranks, given the positions sorted by x (`sx`) and by y
/// (`sy`).
fn ranked_by_ranks(x: &[u32], y: &[u32], sx: &[u32], sy: &[u32]) -> Option<f64> {
    // By (x, y), ties by position: by y first, then stably by x.
    ranked_given(x, y, by_rank(x, Some(sy)), sx, sy)
}

fn cmp<T: PartialOrd>(a: T, b: T) -> Ordering {
    a.partial_cmp(&b).expect("no NaN")
}

/// The indices 0..n in increasing order of `key`, equal keys in index order (what a
/// stable sort gives, without its buffer: four bytes an element in all).
fn sorted_indices(n: usize, key: impl Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&i, &j| key(i as usize, j as usize).then(i.cmp(&j)));
    order
}

/// τ_h with the elements ranked by decreasing (x, y).
fn ranked_by<T: PartialOrd + Copy>(x: &[T], y: &[T]) -> Option<f64> {
    let n = x.len();
    // Stable: equal (x, y) keep input order; reversed, the later input ranks first.
    let perm = sorted_indices(n, |i, j| cmp(x[i], x[j]).then_with(|| cmp(y[i], y[j])));
    let sx = sorted_indices(n, |i, j| cmp(x[i], x[j]));
    let sy = sorted_indices(n, |i, j| cmp(y[i], y[j]));
    ranked_given(x, y, perm, &sx, &sy)
}

/// τ_h given the orders it needs, each with ties in position order: `perm` by (x, y),
/// `sx` by x, `sy` by y (all increasing).
fn ranked_given<T: PartialOrd + Copy>(
    x: &[T],
    y: &[T],
    perm: Vec<u32>,
    sx: &[u32],
    sy: &[u32],
) -> Option<f64> {
    let n = x.len();
    // Element i weighs 1/(r + 1), r its place from the end of `perm`. The places are
    // kept (four bytes an element, not eight) and the weight computed where it is
    // used, by the same expression: the same bits.
    let mut place = vec![0u32; n];
    for (r, &i) in perm.iter().rev().enumerate() {
        place[i as usize] = r as u32;
    }
    let w = |i: u32| 1.0 / (place[i as usize] as f64 + 1.0);
    let c = concordance(x, y, &perm, sy);
    drop(perm);
    let untied = |v: &[T], order: &[u32]| -> f64 {
        let mut sum = 0.0;
        for run in order.chunk_by(|&i, &j| v[i as usize] == v[j as usize]) {
            let others = (n - run.len()) as f64;
            sum += run.iter().map(|&i| w(i)).sum::<f64>() * others;
        }
        sum
    };
    let (dx, dy) = (untied(x, sx), untied(y, sy));
    if dx == 0.0 || dy == 0.0 {
        return None;
    }
    let num: f64 = (0..n).map(|i| w(i as u32) * c[i] as f64).sum();
    Some(num / (dx * dy).sqrt())
}

/// For each element, (pairs concordant with it) − (pairs discordant with it); `perm`
/// sorts the elements by x, `by_y` by y.
fn concordance<T: PartialOrd + Copy>(x: &[T], y: &[T], perm: &[u32], by_y: &[u32]) -> Vec<i64> {
    let n = x.len();
    // y as dense ranks 1..=m for the Fenwick tree.
    let mut yr = vec![0u32; n];
    let mut m = 0usize;
    for run in by_y.chunk_by(|&i, &j| y[i as usize] == y[j as usize]) {
        m += 1;
        for &i in run {
            yr[i as usize] = m as u32;
        }
    }
    let same_x = |i: &u32, j: &u32| x[*i as usize] == x[*j as usize];
    let mut c = vec![0i64; n];
    // Elements with smaller x: concordant if their y is smaller; then larger x: if larger.
    for (order, sign) in [(false, 1i64), (true, -1i64)] {
        // Counts (at most n < 2³²), four bytes an entry.
        let mut tree = vec![0u32; m + 1];
        let mut inserted = 0i64;
        let walk: Box<dyn Iterator<Item = &[u32]>> = if order {
            Box::new(perm.chunk_by(same_x).rev())
        } else {
            Box::new(perm.chunk_by(same_x))
        };
        for g in walk {
            for &i in g {
                let r = yr[i as usize] as usize;
                let less = prefix(&tree, r - 1);
                let greater = inserted - prefix(&tree, r);
                c[i as usize] += sign * (less - greater);
            }
            for &i in g {
                let mut k = yr[i as usize] as usize;
                while k <= m {
                    tree[k] += 1;
                    k += k & k.wrapping_neg();
                }
                inserted += 1;
            }
        }
    }
    c
}

fn prefix(tree: &[u32], mut k: usize) -> i64 {
    let mut s = 0i64;
    while k > 0 {
        s += i64::from(tree[k]);
        k &= k - 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, pair by pair (O(n^2)), with the same ranks.
    fn brute(x: &[f64], y: &[f64]) -> Option<f64> {
        let one = |x: &[f64], y: &[f64]| {
            let n = x.len();
            let mut perm: Vec<usize> = (0..n).collect();
            perm.sort_by(|&i, &j| cmp(x[i], x[j]).then_with(|| cmp(y[i], y[j])));
            let mut w = vec![0.0; n];
            for (r, &i) in perm.iter().rev().enumerate() {
                w[i] = 1.0 / (r as f64 + 1.0);
            }
            let (mut num, mut dx, mut dy) = (0.0, 0.0, 0.0);
            for i in 0..n {
                for j in i + 1..n {
                    let wij = w[i] + w[j];
                    let sx = cmp(x[i], x[j]) as i32 as f64;
                    let sy = cmp(y[i], y[j]) as i32 as f64;
                    num += wij * sx * sy;
                    dx += wij * sx.abs();
                    dy += wij * sy.abs();
                }
            }
            num / (dx * dy).sqrt()
        };
        Some((one(x, y) + one(y, x)) / 2.0)
    }

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *seed >> 33
    }

    #[test]
    fn equals_the_pairwise_definition_with_ties() {
        let mut s = 7u64;
        for n in [2usize, 3, 5, 17, 60] {
            for levels in [2u64, 4, 1000] {
                let x: Vec<f64> = (0..n).map(|_| (lcg(&mut s) % levels) as f64).collect();
                let y: Vec<f64> = (0..n).map(|_| (lcg(&mut s) % levels) as f64).collect();
                let (a, b) = (weighted_tau(&x, &y), brute(&x, &y));
                match (a, b) {
                    (Some(a), Some(b)) if b.is_finite() => {
                        assert!((a - b).abs() < 1e-12, "n {n} levels {levels}: {a} vs {b}")
                    }
                    (None, Some(b)) => assert!(!b.is_finite(), "n {n}: None vs {b}"),
                    other => panic!("n {n} levels {levels}: {other:?}"),
                }
            }
        }
    }

    /// Values of `scipy.stats.weightedtau(x, y).statistic` (scipy 1.17.1, defaults; generated into weighted_scipy.rs).
    #[test]
    fn agrees_with_scipy() {
        for (x, y, want) in SCIPY {
            let got = weighted_tau(x, y).unwrap();
            assert!((got - want).abs() < 1e-12, "{x:?} {y:?}: {got} vs {want}");
        }
        assert_eq!(weighted_tau(&[1.0, 1.0], &[1.0, 2.0]), None, "constant x");
        assert_eq!(weighted_tau(&[1.0], &[1.0]), None);
        assert_eq!(weighted_tau(&[1.0, f64::NAN], &[1.0, 2.0]), None);
    }

    include!("weighted_scipy.rs");
}
