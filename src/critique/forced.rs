//! Forced order: the part of a ranking that any increasing rule must give, as a
//! dominance partial order, and what it leaves open (issue #14, part 1; the core, not
//! yet in the audit's outputs).
//!
//! * [`Poset::pareto`]: j dominates i over a rule's own columns (followers, tweets, seeds
//!   followed, ...) when j is at least as high on every column and higher on one. The
//!   linear extensions of this order are exactly the strict rankings that *some*
//!   increasing combination of the columns can give.
//! * [`Poset::rank_intervals`]: over every consistent ranking, i's rank (1 = top) lies in
//!   [1 + #dominators(i), n − #dominated(i)] (Brüggemann & Patil 2011; netrankr's
//!   `rank_intervals`).
//! * [`Poset::uniform_ranks`]: expected rank and P(rank ≤ k) under the uniform
//!   distribution over linear extensions, exact by dynamic programming over the up-sets
//!   (O(2^n · n), for n ≤ [`EXACT_MAX`]): f(S) counts the orders of an up-set S as the
//!   top |S| places, g(S) the orders of the rest; x is at place |S| + 1 in f(S) ·
//!   g(S ∪ {x}) extensions whenever every dominator of x is in S.
//!
//! Golden test: netrankr's 5-element poset with 9 linear extensions and expected ranks
//! 4/3, 19/9, 26/9, 38/9, 40/9 in its "rank n is top" convention (here n + 1 − those).

/// Largest poset [`Poset::uniform_ranks`] counts exactly.
pub const EXACT_MAX: usize = 20;

/// A strict partial order on `n` items: `above[i]` holds the items that dominate i
/// (rank above it in every consistent ranking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poset {
    above: Vec<Vec<bool>>,
}

/// Expected rank and rank distribution of every item under the uniform distribution
/// over linear extensions.
#[derive(Debug, Clone, PartialEq)]
pub struct UniformRanks {
    /// Number of linear extensions.
    pub extensions: u128,
    /// Expected rank of each item (1 = top).
    pub expected: Vec<f64>,
    /// `p_rank[i][r]`: probability that item i has rank r + 1.
    pub p_rank: Vec<Vec<f64>>,
}

impl UniformRanks {
    /// P(rank of item i ≤ k).
    pub fn p_top(&self, i: usize, k: usize) -> f64 {
        self.p_rank[i].iter().take(k).sum()
    }
}

impl Poset {
    /// From relations `(lower, upper)`: `upper` dominates `lower`. The transitive
    /// closure is taken; None if the relations have a cycle (not a partial order).
    pub fn from_relations(n: usize, rel: &[(usize, usize)]) -> Option<Poset> {
        let mut above = vec![vec![false; n]; n];
        for &(lo, hi) in rel {
            above[lo][hi] = true;
        }
        // Warshall's transitive closure.
        for k in 0..n {
            let via = above[k].clone();
            for row in above.iter_mut() {
                if row[k] {
                    for (cell, &v) in row.iter_mut().zip(&via) {
                        *cell |= v;
                    }
                }
            }
        }
        (0..n).all(|i| !above[i][i]).then_some(Poset { above })
    }

    /// Pareto dominance over columns (`cols[c][i]`: item i's value on column c, higher
    /// is better): j dominates i when j ≥ i on every column and > on one. Items equal on
    /// every column are incomparable (tied), not dominating each other.
    pub fn pareto(cols: &[Vec<f64>]) -> Poset {
        let n = cols.first().map_or(0, Vec::len);
        let above = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| cols.iter().all(|c| c[j] >= c[i]) && cols.iter().any(|c| c[j] > c[i]))
                    .collect()
            })
            .collect();
        Poset { above }
    }

    pub fn len(&self) -> usize {
        self.above.len()
    }

    pub fn is_empty(&self) -> bool {
        self.above.is_empty()
    }

    /// Whether j dominates i.
    pub fn dominates(&self, j: usize, i: usize) -> bool {
        self.above[i][j]
    }

    /// Best and worst rank (1 = top) of each item over every consistent ranking.
    pub fn rank_intervals(&self) -> Vec<(usize, usize)> {
        let n = self.len();
        (0..n)
            .map(|i| {
                let dominators = (0..n).filter(|&j| self.above[i][j]).count();
                let dominated = (0..n).filter(|&j| self.above[j][i]).count();
                (1 + dominators, n - dominated)
            })
            .collect()
    }

    /// Share of the n(n − 1)/2 pairs that the order decides (one dominates the other).
    pub fn comparable_share(&self) -> Option<f64> {
        let n = self.len();
        let pairs = n * n.saturating_sub(1) / 2;
        let decided = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .filter(|&(i, j)| self.above[i][j] || self.above[j][i])
            .count();
        (pairs > 0).then(|| decided as f64 / pairs as f64)
    }

    /// Exact expected ranks and rank distributions over the linear extensions; None
    /// above [`EXACT_MAX`] items.
    pub fn uniform_ranks(&self) -> Option<UniformRanks> {
        let n = self.len();
        if n > EXACT_MAX {
            return None;
        }
        let full = (1usize << n) - 1;
        // Dominators of each item as a bit mask.
        let dom: Vec<usize> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| self.above[i][j])
                    .fold(0, |m, j| m | 1 << j)
            })
            .collect();
        // f[S]: orders of up-set S as the top |S| places (0 when S is not an up-set).
        let mut f = vec![0u128; full + 1];
        f[0] = 1;
        for s in 0..=full {
            if f[s] == 0 {
                continue;
            }
            for (x, &d) in dom.iter().enumerate() {
                if s & (1 << x) == 0 && d & !s == 0 {
                    f[s | 1 << x] += f[s];
                }
            }
        }
        // g[S]: orders of the items outside up-set S as the places below |S|.
        let mut g = vec![0u128; full + 1];
        g[full] = 1;
        for s in (0..full).rev() {
            if f[s] == 0 {
                continue;
            }
            g[s] = dom
                .iter()
                .enumerate()
                .filter(|&(x, &d)| s & (1 << x) == 0 && d & !s == 0)
                .map(|(x, _)| g[s | 1 << x])
                .sum();
        }
        let total = f[full];
        let mut count = vec![vec![0u128; n]; n];
        for s in 0..full {
            if f[s] == 0 {
                continue;
            }
            let place = s.count_ones() as usize;
            for (x, &d) in dom.iter().enumerate() {
                if s & (1 << x) == 0 && d & !s == 0 {
                    count[x][place] += f[s] * g[s | 1 << x];
                }
            }
        }
        let p_rank: Vec<Vec<f64>> = count
            .iter()
            .map(|c| c.iter().map(|&k| k as f64 / total as f64).collect())
            .collect();
        let expected = p_rank
            .iter()
            .map(|p| p.iter().enumerate().map(|(r, q)| (r + 1) as f64 * q).sum())
            .collect();
        Some(UniformRanks {
            extensions: total,
            expected,
            p_rank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All linear extensions by brute force: permutations (top first) that respect
    /// the order.
    fn brute(p: &Poset) -> Vec<Vec<usize>> {
        fn perms(rest: Vec<usize>, acc: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            if rest.is_empty() {
                out.push(acc.clone());
            }
            for (k, &x) in rest.iter().enumerate() {
                let mut r = rest.clone();
                r.remove(k);
                acc.push(x);
                perms(r, acc, out);
                acc.pop();
            }
        }
        let mut all = Vec::new();
        perms((0..p.len()).collect(), &mut Vec::new(), &mut all);
        all.retain(|o| (0..o.len()).all(|a| (a + 1..o.len()).all(|b| !p.dominates(o[b], o[a]))));
        all
    }

    #[test]
    fn netrankr_five_element_poset() {
        // netrankr's test poset (9 linear extensions; expected ranks 4/3, 19/9, 26/9,
        // 38/9, 40/9 with rank n = top), as relations lower -> upper.
        let p = Poset::from_relations(5, &[(0, 2), (0, 3), (0, 4), (1, 3), (2, 4)]).unwrap();
        let u = p.uniform_ranks().unwrap();
        assert_eq!(u.extensions, 9);
        let netrankr = [4.0 / 3.0, 19.0 / 9.0, 26.0 / 9.0, 38.0 / 9.0, 40.0 / 9.0];
        for (i, want) in netrankr.iter().enumerate() {
            // Our rank 1 is the top: n + 1 − netrankr's.
            assert!(
                (u.expected[i] - (6.0 - want)).abs() < 1e-12,
                "{i}: {:?}",
                u.expected
            );
        }
        assert_eq!(brute(&p).len(), 9);
        assert_eq!(p.rank_intervals()[0], (4, 5));
        assert_eq!(p.rank_intervals()[4], (1, 3));
    }

    #[test]
    fn exact_counts_agree_with_brute_force_on_random_posets() {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for case in 0..60 {
            let n = 1 + (case % 7);
            let rel: Vec<(usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .filter(|_| next() % 3 == 0)
                .collect();
            let p = Poset::from_relations(n, &rel).unwrap();
            let u = p.uniform_ranks().unwrap();
            let ext = brute(&p);
            assert_eq!(u.extensions, ext.len() as u128, "case {case}");
            for x in 0..n {
                let mean = ext
                    .iter()
                    .map(|o| (o.iter().position(|&y| y == x).unwrap() + 1) as f64)
                    .sum::<f64>()
                    / ext.len() as f64;
                assert!(
                    (u.expected[x] - mean).abs() < 1e-12,
                    "case {case}, item {x}"
                );
                let k = 1 + n / 2;
                let top = ext
                    .iter()
                    .filter(|o| o.iter().position(|&y| y == x).unwrap() < k)
                    .count() as f64
                    / ext.len() as f64;
                assert!((u.p_top(x, k) - top).abs() < 1e-12);
                // Every rank in an extension lies within the interval.
                let (lo, hi) = p.rank_intervals()[x];
                for o in &ext {
                    let r = o.iter().position(|&y| y == x).unwrap() + 1;
                    assert!(lo <= r && r <= hi);
                }
            }
        }
    }

    #[test]
    fn pareto_dominance_over_columns() {
        // followers, tweets: a (10, 5) dominates b (8, 5) and c (1, 1); d (20, 0) and a
        // are incomparable; e equals c: tied, neither dominates.
        let cols = vec![
            vec![10.0, 8.0, 1.0, 20.0, 1.0],
            vec![5.0, 5.0, 1.0, 0.0, 1.0],
        ];
        let p = Poset::pareto(&cols);
        assert!(p.dominates(0, 1) && p.dominates(0, 2) && !p.dominates(0, 3));
        assert!(!p.dominates(2, 4) && !p.dominates(4, 2));
        assert!(
            !p.dominates(3, 2),
            "d (20, 0) vs c (1, 1): fewer tweets, no dominance"
        );
        let iv = p.rank_intervals();
        assert_eq!(iv[0], (1, 2), "a: nobody above it; b, c, e below");
        assert!(
            Poset::from_relations(2, &[(0, 1), (1, 0)]).is_none(),
            "a cycle"
        );
        assert!(p.comparable_share().unwrap() > 0.0);
        assert!(
            Poset::from_relations(EXACT_MAX + 1, &[])
                .unwrap()
                .uniform_ranks()
                .is_none()
        );
    }
}
