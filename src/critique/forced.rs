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

    /// From a relation that is already a strict partial order (irreflexive and
    /// transitive, as set inclusion is): `upper_over(lower, upper)` says whether
    /// `upper` dominates `lower`. Not closed or checked: [`Poset::from_relations`] does.
    pub fn from_fn(n: usize, upper_over: impl Fn(usize, usize) -> bool) -> Poset {
        Poset {
            above: (0..n)
                .map(|lo| (0..n).map(|hi| lo != hi && upper_over(lo, hi)).collect())
                .collect(),
        }
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

/// The O(n²)–O(n³) approximations of the expected rank that netrankr's
/// `approx_rank_expected` offers, for posets too large to count exactly. Each is
/// computed in netrankr's convention (rank n = top) from s(x) = #items below x, l(x) =
/// #items above x and I(x) = the items incomparable to x, then turned to ours (rank 1 =
/// top) as n + 1 − r:
///
/// * `Lpom` (local partial order model; Brüggemann, Sørensen, Lerche & Carlsen 2004):
///   r(x) = (s(x) + 1)(n + 1) / (n + 1 − |I(x)|);
/// * `Glpom` (its generalisation, De Loof, De Baets & De Meyer 2011, as netrankr
///   computes it): r(x) = s(x) + 1 + Σ_{y ∈ I(x)} (|S(x) ∩ I(y)| + 1) / (|I(y) \ I(x)| + 1),
///   S(x) the set below x;
/// * `Loof1` (De Loof et al. 2011, mutual rank probabilities from local counts):
///   r(x) = s(x) + 1 + Σ_{y ∈ I(x)} q(x, y), q(x, y) = (s(x)+1)(l(y)+1) /
///   ((s(x)+1)(l(y)+1) + (s(y)+1)(l(x)+1));
/// * `Loof2`: `Loof1` with s and l first replaced by s(x) + Σ_{y ∈ I(x)} q(x, y) and
///   l(x) + Σ_{y ∈ I(x)} q(y, x) (one refinement step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approx {
    Lpom,
    Glpom,
    Loof1,
    Loof2,
}

impl Approx {
    pub const ALL: [Approx; 4] = [Approx::Lpom, Approx::Glpom, Approx::Loof1, Approx::Loof2];

    pub fn label(self) -> &'static str {
        match self {
            Approx::Lpom => "lpom",
            Approx::Glpom => "glpom",
            Approx::Loof1 => "loof1",
            Approx::Loof2 => "loof2",
        }
    }
}

/// The lpom expected rank (1 = top) of an item with `below` items under it and
/// `incomparable` items incomparable to it among `n` (see [`Approx::Lpom`]).
pub fn lpom_rank(n: usize, below: usize, incomparable: usize) -> f64 {
    let nf = n as f64;
    nf + 1.0 - (below as f64 + 1.0) * (nf + 1.0) / (nf + 1.0 - incomparable as f64)
}

/// Bubley–Dyer chain settings: `chains` independent chains from random linear
/// extensions, `steps` proposals each (the first half discarded as burn-in), `batches`
/// batch means per chain for the mixing diagnostic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcmc {
    pub chains: usize,
    pub steps: u64,
    pub batches: usize,
    pub seed: u64,
}

/// Expected ranks and P(rank ≤ k) estimated by [`Poset::mcmc`], with the
/// Gelman–Rubin potential scale reduction of each item's expected rank.
#[derive(Debug, Clone, PartialEq)]
pub struct McmcRanks {
    pub expected: Vec<f64>,
    pub p_top: Vec<f64>,
    /// R̂ per item (1 for an item that never moved in any chain).
    pub r_hat: Vec<f64>,
    pub steps: u64,
    pub chains: usize,
}

impl McmcRanks {
    /// The largest R̂: below [`R_HAT_MIXED`] the chains agree.
    pub fn max_r_hat(&self) -> f64 {
        self.r_hat.iter().copied().fold(1.0, f64::max)
    }
}

/// R̂ below which the chains are taken to have mixed (Gelman et al., Bayesian Data
/// Analysis, 3rd ed., §11.4, suggest 1.1; we ask more).
pub const R_HAT_MIXED: f64 = 1.05;

impl Poset {
    /// Counts below (s) and above (l) each item, and its incomparables.
    fn local_counts(&self) -> (Vec<f64>, Vec<f64>, Vec<Vec<usize>>) {
        let n = self.len();
        let below: Vec<f64> = (0..n)
            .map(|x| (0..n).filter(|&u| self.above[u][x]).count() as f64)
            .collect();
        let above: Vec<f64> = (0..n)
            .map(|x| self.above[x].iter().filter(|&&b| b).count() as f64)
            .collect();
        let inc = (0..n)
            .map(|x| {
                (0..n)
                    .filter(|&y| y != x && !self.above[x][y] && !self.above[y][x])
                    .collect()
            })
            .collect();
        (below, above, inc)
    }

    /// Approximate expected ranks (1 = top); see [`Approx`].
    pub fn approx_ranks(&self, method: Approx) -> Vec<f64> {
        let n = self.len();
        let nf = n as f64;
        let (s, l, inc) = self.local_counts();
        let q = |sx: f64, sy: f64, lx: f64, ly: f64| {
            (sx + 1.0) * (ly + 1.0) / ((sx + 1.0) * (ly + 1.0) + (sy + 1.0) * (lx + 1.0))
        };
        let loof = |s2: &[f64], l2: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|x| {
                    s[x] + 1.0
                        + inc[x]
                            .iter()
                            .map(|&y| q(s2[x], s2[y], l2[x], l2[y]))
                            .sum::<f64>()
                })
                .collect()
        };
        let theirs: Vec<f64> = match method {
            Approx::Lpom => (0..n)
                .map(|x| nf + 1.0 - lpom_rank(n, s[x] as usize, inc[x].len()))
                .collect(),
            Approx::Glpom => (0..n)
                .map(|x| {
                    let in_x = |v: usize| inc[x].binary_search(&v).is_ok();
                    s[x] + 1.0
                        + inc[x]
                            .iter()
                            .map(|&y| {
                                let below_x_inc_y =
                                    inc[y].iter().filter(|&&u| self.above[u][x]).count();
                                let only_y = inc[y].iter().filter(|&&u| !in_x(u)).count();
                                (below_x_inc_y + 1) as f64 / (only_y + 1) as f64
                            })
                            .sum::<f64>()
                })
                .collect(),
            Approx::Loof1 => loof(&s, &l),
            Approx::Loof2 => {
                let s2: Vec<f64> = (0..n)
                    .map(|x| {
                        s[x] + inc[x]
                            .iter()
                            .map(|&y| q(s[x], s[y], l[x], l[y]))
                            .sum::<f64>()
                    })
                    .collect();
                let l2: Vec<f64> = (0..n)
                    .map(|x| {
                        l[x] + inc[x]
                            .iter()
                            .map(|&y| q(s[y], s[x], l[y], l[x]))
                            .sum::<f64>()
                    })
                    .collect();
                loof(&s2, &l2)
            }
        };
        theirs.iter().map(|r| nf + 1.0 - r).collect()
    }

    /// A uniformly random item among those whose dominators are all placed, repeated:
    /// a random linear extension (not uniform over extensions; a chain's start).
    fn random_extension(&self, rng: &mut impl rand::Rng) -> Vec<usize> {
        use rand::RngExt;
        let n = self.len();
        let mut waiting: Vec<usize> = (0..n)
            .map(|i| self.above[i].iter().filter(|&&b| b).count())
            .collect();
        let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while !ready.is_empty() {
            let x = ready.swap_remove(rng.random_range(0..ready.len()));
            order.push(x);
            for (y, w) in waiting.iter_mut().enumerate() {
                if self.above[y][x] {
                    *w -= 1;
                    if *w == 0 {
                        ready.push(y);
                    }
                }
            }
        }
        order
    }

    /// Expected ranks and P(rank ≤ k) under the uniform distribution over linear
    /// extensions, by the Bubley–Dyer (1999) chain netrankr's `mcmc_rank_prob` runs:
    /// pick an adjacent pair of places uniformly and, with probability 1/2, swap its
    /// items unless the upper dominates the lower. The chain is symmetric on the linear
    /// extensions, so its stationary distribution is uniform; Bubley & Dyer bound its
    /// mixing time by O(n³ log n). Each chain's second half is averaged (time-weighted);
    /// the mixing diagnostic is R̂ over the chains' batch means (Gelman & Rubin 1992).
    pub fn mcmc(&self, k: usize, cfg: Mcmc) -> McmcRanks {
        use rayon::prelude::*;
        let n = self.len();
        let chains = cfg.chains.max(2);
        let batches = cfg.batches.max(2);
        let burn = cfg.steps / 2;
        let batch_len = ((cfg.steps - burn) / batches as u64).max(1);
        // Each chain on its own stream: the same numbers at any thread count.
        let runs: Vec<(Vec<Vec<f64>>, Vec<u64>)> = (0..chains)
            .into_par_iter()
            .map(|c| self.chain(c, k, cfg.seed, burn, batches, batch_len))
            .collect();
        let means: Vec<&Vec<Vec<f64>>> = runs.iter().map(|r| &r.0).collect();
        let mut top_time = vec![0u64; n];
        for (_, t) in &runs {
            for (sum, x) in top_time.iter_mut().zip(t) {
                *sum += x;
            }
        }
        let total = (chains as u64 * batches as u64 * batch_len) as f64;
        let expected = (0..n)
            .map(|x| {
                means
                    .iter()
                    .flat_map(|c| c.iter())
                    .map(|b| b[x])
                    .sum::<f64>()
                    / (chains * batches) as f64
            })
            .collect();
        let r_hat = (0..n)
            .map(|x| {
                let series: Vec<Vec<f64>> = means
                    .iter()
                    .map(|c| c.iter().map(|b| b[x]).collect())
                    .collect();
                gelman_rubin(&series)
            })
            .collect();
        McmcRanks {
            expected,
            p_top: top_time.iter().map(|&t| t as f64 / total).collect(),
            r_hat,
            steps: cfg.steps,
            chains,
        }
    }
}

impl Poset {
    /// One Bubley–Dyer chain (see [`Poset::mcmc`]): its batches' time-averaged ranks
    /// and each item's steps in the top k after burn-in.
    fn chain(
        &self,
        c: usize,
        k: usize,
        seed: u64,
        burn: u64,
        batches: usize,
        batch_len: u64,
    ) -> (Vec<Vec<f64>>, Vec<u64>) {
        use rand::{Rng, SeedableRng};
        let n = self.len();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(
            seed ^ (c as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let mut order = self.random_extension(&mut rng);
        // `above` flattened, row i at i·n: the chain's one lookup per step is then a
        // single load (this loop runs up to 10⁸ times per chain).
        let above: Vec<bool> = self.above.iter().flatten().copied().collect();
        let places = n.saturating_sub(1) as u64;
        if places == 0 {
            // One item: it never moves.
            let means = vec![vec![1.0f64; n]; batches];
            let top_time = vec![if k > 0 { batches as u64 * batch_len } else { 0 }; n];
            return (means, top_time);
        }
        // The step's place p (the high 32 bits of one draw, scaled to n − 1 places) and
        // whether its two items swap (the draw's low bit, and the lower item not above
        // the upper), as 0 or 1. Branch-free from here on: the coin is a fair one, so a
        // branch on it would be mispredicted every other step.
        let mut step = |order: &mut [usize]| -> (usize, usize) {
            let r = rng.next_u64();
            let p = (((r >> 32) * places) >> 32) as usize;
            let (a, b) = (order[p], order[p + 1]);
            let s = (r & 1) as usize & usize::from(!above[b * n + a]);
            let x = (a ^ b) & s.wrapping_neg();
            order[p] = a ^ x;
            order[p + 1] = b ^ x;
            (p, s)
        };
        for _ in 0..burn {
            step(&mut order);
        }
        let mut pos = vec![0usize; n];
        for (x, &item) in order.iter().enumerate() {
            pos[item] = x;
        }
        let mut top_time = vec![0u64; n];
        let mut means = vec![vec![0.0f64; n]; batches];
        for batch in means.iter_mut() {
            // Time-weighted sums, flushed when an item moves: since[x] is when x last
            // moved within this batch. A flush at a step without a swap adds 0 to every
            // sum (0.0 to a non-negative float leaves it as it was), so it is done
            // unconditionally with the elapsed time masked to 0.
            let mut since = vec![0u64; n];
            let mut rank_sum = vec![0.0f64; n];
            let mut flush = |x: usize, t: u64, at: usize, since: &mut [u64]| {
                let d = t - since[x];
                rank_sum[x] += d as f64 * (at + 1) as f64;
                top_time[x] += d * u64::from(at < k);
                since[x] = t;
            };
            for t in 0..batch_len {
                let (p, s) = step(&mut order);
                // After the step the items at p and p + 1 are (b, a) if they swapped,
                // else (a, b): flush each at its place before the step.
                let (hi, lo) = (order[p], order[p + 1]);
                let m = (s as u64).wrapping_neg();
                for (x, before) in [(hi, p + s), (lo, p + 1 - s)] {
                    let at_t = since[x] + ((t - since[x]) & m);
                    flush(x, at_t, before, &mut since);
                }
                pos[hi] = p;
                pos[lo] = p + 1;
            }
            for (x, &at) in pos.iter().enumerate() {
                flush(x, batch_len, at, &mut since);
            }
            for (m, r) in batch.iter_mut().zip(&rank_sum) {
                *m = r / batch_len as f64;
            }
        }
        (means, top_time)
    }
}

/// The potential scale reduction R̂ of m chains' series of b batch means (Gelman &
/// Rubin 1992): W the mean within-chain variance, B/b the variance of the chain means,
/// R̂ = √(((b − 1)/b · W + B/b) / W); 1 when nothing varies.
pub fn gelman_rubin(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len() as f64;
    let b = chains.first().map_or(0, Vec::len) as f64;
    if m < 2.0 || b < 2.0 {
        return f64::NAN;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let chain_means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    let grand = mean(&chain_means);
    let between = b / (m - 1.0) * chain_means.iter().map(|c| (c - grand).powi(2)).sum::<f64>();
    let within = chains
        .iter()
        .zip(&chain_means)
        .map(|(c, cm)| c.iter().map(|y| (y - cm).powi(2)).sum::<f64>() / (b - 1.0))
        .sum::<f64>()
        / m;
    if within <= 0.0 {
        return if between <= 0.0 { 1.0 } else { f64::INFINITY };
    }
    (((b - 1.0) / b * within + between / b) / within).sqrt()
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

    /// netrankr's `test_approximations.R`: the same 5-element poset, its four
    /// approximations rounded to 3 decimals (rank n = top there).
    #[test]
    fn netrankr_approximations() {
        let p = Poset::from_relations(5, &[(0, 2), (0, 3), (0, 4), (1, 3), (2, 4)]).unwrap();
        let cases = [
            (Approx::Lpom, [1.2, 2.0, 3.0, 4.5, 4.5]),
            (Approx::Glpom, [1.250, 2.167, 2.833, 4.333, 4.417]),
            (Approx::Loof1, [1.333, 2.143, 2.917, 4.250, 4.357]),
            (Approx::Loof2, [1.340, 2.204, 2.910, 4.198, 4.349]),
        ];
        for (m, want) in cases {
            let got = p.approx_ranks(m);
            for (g, w) in got.iter().zip(want) {
                let theirs = 6.0 - g;
                assert!(
                    (theirs - w).abs() <= 5e-4 + 1e-12,
                    "{}: {got:?} vs {want:?}",
                    m.label()
                );
            }
        }
    }

    #[test]
    fn bubley_dyer_agrees_with_the_exact_counts() {
        let cfg = Mcmc {
            chains: 8,
            steps: 2_000_000,
            batches: 50,
            seed: 7,
        };
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut posets =
            vec![Poset::from_relations(5, &[(0, 2), (0, 3), (0, 4), (1, 3), (2, 4)]).unwrap()];
        for _ in 0..5 {
            let n = 9;
            let rel: Vec<(usize, usize)> = (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .filter(|_| next() % 4 == 0)
                .collect();
            posets.push(Poset::from_relations(n, &rel).unwrap());
        }
        for (case, p) in posets.iter().enumerate() {
            let k = 3;
            let exact = p.uniform_ranks().unwrap();
            let mc = p.mcmc(k, cfg);
            assert!(mc.max_r_hat() < R_HAT_MIXED, "case {case}: {:?}", mc.r_hat);
            for x in 0..p.len() {
                assert!(
                    (mc.expected[x] - exact.expected[x]).abs() < 0.05,
                    "case {case}, item {x}: {} vs {}",
                    mc.expected[x],
                    exact.expected[x]
                );
                assert!((mc.p_top[x] - exact.p_top(x, k)).abs() < 0.02);
            }
            // The same seed gives the same numbers.
            assert_eq!(p.mcmc(k, cfg), mc);
        }
        // A chain too short to mix says so: 40 items in an antichain, 200 steps.
        let wide = Poset::from_relations(40, &[]).unwrap();
        let short = wide.mcmc(
            10,
            Mcmc {
                chains: 8,
                steps: 400,
                batches: 10,
                seed: 1,
            },
        );
        assert!(short.max_r_hat() > R_HAT_MIXED, "{}", short.max_r_hat());
    }

    #[test]
    fn gelman_rubin_detects_disagreeing_chains() {
        let same = vec![vec![1.0, 2.0, 1.5, 1.8], vec![1.2, 1.9, 1.4, 1.7]];
        assert!(gelman_rubin(&same) < 1.1);
        let apart = vec![vec![1.0, 1.1, 0.9, 1.0], vec![5.0, 5.1, 4.9, 5.0]];
        assert!(gelman_rubin(&apart) > 3.0);
        assert_eq!(gelman_rubin(&[vec![2.0, 2.0], vec![2.0, 2.0]]), 1.0);
    }
}
