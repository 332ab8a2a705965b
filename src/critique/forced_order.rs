//! The forced-order analysis of one ranking (issue #14, part 1; methodology §6d): what
//! any ranking of its kind must say, and what is a choice.
//!
//! A ranking whose method declares a [`Forced`] order is read against it:
//!
//! * **the order's reach**: the share of all pairs of ranked accounts it decides, and
//!   of the pairs within the ranking's top N;
//! * **rank intervals**: each account's best and worst rank over every ranking that
//!   respects the order, 1 + #dominators and n − #dominated;
//! * **the cut**: accounts in the top N of every such ranking (worst rank ≤ N), in none
//!   (best rank > N), and the open rest;
//! * **expected rank and P(top N)** under the uniform distribution over the
//!   consistent rankings, over the *candidates* (best rank ≤ N, an up-set of the order)
//!   placed above everyone else: exact up to [`EXACT_MAX`] candidates, by the
//!   Bubley–Dyer chain up to [`MCMC_MAX`] (with its R̂), else the lpom approximation of
//!   the expected rank over all accounts and no P(top N).
//!
//! Cost: Pareto O(q² · c) for q ranked accounts and c columns (skipped above
//! [`PARETO_MAX`]); follower-set inclusion O(Σ_i Σ_{f ∈ N⁻(i)} d⁺(f) log d) over the
//! ranked accounts (skipped when the follow graph has more than [`INCLUSION_EDGES`]
//! edges; the reason is in the table).

use anyhow::{Context, Result};

use super::forced::{EXACT_MAX, Mcmc, Poset, lpom_rank};
use super::inclusion::{Inclusion, Stamp, Variant};
use crate::dataset::Accounts;
use crate::graph::Graph;
use crate::rankings::{Forced, Ranking};

/// Most ranked accounts for the Pareto order (q² comparisons).
pub const PARETO_MAX: usize = 20_000;
/// Most follow edges for the inclusion order.
pub const INCLUSION_EDGES: usize = 5_000_000;
/// Most candidates the chain runs on.
pub const MCMC_MAX: usize = 400;
/// Proposals per chain: 30 n³ within these bounds (Bubley & Dyer bound the mixing
/// time by O(n³ log n); on the bundled posets of 50–110 candidates 20 n³ gave R̂ ≤
/// 1.055 and 30 n³ R̂ ≤ 1.04; R̂ is reported either way).
const STEPS_MIN: u64 = 200_000;
const STEPS_MAX: u64 = 100_000_000;
const CHAINS: usize = 8;
const BATCHES: usize = 50;

/// How the expected ranks were obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Exact over the candidates' linear extensions.
    Exact { extensions: u128 },
    /// The Bubley–Dyer chain.
    Mcmc {
        chains: usize,
        steps: u64,
        max_r_hat: f64,
    },
    /// lpom over all ranked accounts (too many candidates for the chain).
    Lpom,
}

impl Expected {
    pub fn label(&self) -> &'static str {
        match self {
            Expected::Exact { .. } => "exact",
            Expected::Mcmc { .. } => "mcmc",
            Expected::Lpom => "lpom",
        }
    }
}

/// One account in the band: the ranking's top N and the candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub account: u32,
    pub rank: u32,
    pub best: usize,
    pub worst: usize,
    pub expected: Option<f64>,
    pub p_top: Option<f64>,
}

/// The forced-order analysis of one ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct ForcedResult {
    pub ranking: String,
    /// The order in words ("Pareto over followers, statuses", "follower-set
    /// inclusion").
    pub order: String,
    pub columns: Vec<String>,
    /// Ranked accounts the order is over.
    pub accounts: usize,
    /// Why nothing was computed, if so.
    pub not_computed: Option<String>,
    pub share_all: Option<f64>,
    pub share_top: Option<f64>,
    /// Accounts in the strict top N whose pairs `share_top` is over.
    pub top: usize,
    pub forced_in: usize,
    pub forced_out: usize,
    pub candidates: usize,
    pub expected: Option<Expected>,
    /// Band rows in rank order of the ranking, then candidates outside its top N.
    pub rows: Vec<Row>,
}

impl ForcedResult {
    /// A rule's result (Pareto over its columns) whose top N has expected ranks over
    /// the consistent orders (exact or by the chain): what the forced-order chart draws.
    pub fn charted(&self) -> bool {
        !self.columns.is_empty()
            && self.top > 0
            && matches!(
                self.expected,
                Some(Expected::Exact { .. } | Expected::Mcmc { .. })
            )
    }

    /// Accounts in the top N of some consistent ranking and not of all.
    pub fn open(&self) -> usize {
        self.candidates - self.forced_in
    }
}

/// Dominance counts among the ranked accounts: (dominators, dominated) per entry.
trait Order {
    fn dominates(&self, j: usize, i: usize) -> bool;
    fn counts(&mut self, i: usize) -> (usize, usize);
    /// [`Order::counts`] of entries 0..q, in order.
    fn all_counts(&mut self, q: usize) -> Vec<(usize, usize)> {
        (0..q).map(|i| self.counts(i)).collect()
    }
}

struct Pareto {
    cols: Vec<Vec<f64>>,
}

impl Order for Pareto {
    fn dominates(&self, j: usize, i: usize) -> bool {
        self.cols.iter().all(|c| c[j] >= c[i]) && self.cols.iter().any(|c| c[j] > c[i])
    }

    fn counts(&mut self, i: usize) -> (usize, usize) {
        self.counts_of(i)
    }

    /// q² comparisons: in parallel over the entries (counts are integers, so the
    /// result is the same at any thread count).
    fn all_counts(&mut self, q: usize) -> Vec<(usize, usize)> {
        use rayon::prelude::*;
        let this = &*self;
        (0..q).into_par_iter().map(|i| this.counts_of(i)).collect()
    }
}

impl Pareto {
    fn counts_of(&self, i: usize) -> (usize, usize) {
        let n = self.cols.first().map_or(0, Vec::len);
        (0..n).fold((0, 0), |(up, down), j| {
            (
                up + usize::from(self.dominates(j, i)),
                down + usize::from(self.dominates(i, j)),
            )
        })
    }
}

struct Followers<'a> {
    inc: Inclusion<'a>,
    ids: Vec<u32>,
    stamp: Stamp,
}

impl Order for Followers<'_> {
    fn dominates(&self, j: usize, i: usize) -> bool {
        self.inc.dominates(self.ids[j], self.ids[i])
    }

    fn counts(&mut self, i: usize) -> (usize, usize) {
        self.inc.counts(self.ids[i], &mut self.stamp)
    }

    /// In parallel over the entries, a scratch stamp per worker (counts are integers:
    /// the same at any thread count).
    fn all_counts(&mut self, q: usize) -> Vec<(usize, usize)> {
        use rayon::prelude::*;
        let n = self.stamp.len();
        let (inc, ids) = (&self.inc, &self.ids);
        (0..q)
            .into_par_iter()
            .map_init(|| Stamp::new(n), |stamp, i| inc.counts(ids[i], stamp))
            .collect()
    }
}

/// The analysis of ranking `name` (entries `r`) under `forced`, for top N `top_n`.
/// `seed` makes the chain reproducible.
pub fn analyse(
    name: &str,
    forced: &Forced,
    r: &Ranking,
    accounts: &Accounts,
    follows: &Graph,
    top_n: u32,
    seed: u64,
) -> Result<ForcedResult> {
    let q = r.len();
    let mut res = ForcedResult {
        ranking: name.to_string(),
        order: String::new(),
        columns: Vec::new(),
        accounts: q,
        not_computed: None,
        share_all: None,
        share_top: None,
        top: 0,
        forced_in: 0,
        forced_out: 0,
        candidates: 0,
        expected: None,
        rows: Vec::new(),
    };
    let ids: Vec<u32> = r.entries().map(|e| e.account).collect();
    let mut members = vec![false; follows.node_count()];
    for &a in &ids {
        members[a as usize] = true;
    }
    let mut order: Box<dyn Order + '_> = match forced {
        Forced::Columns(cols) => {
            res.order = format!("Pareto dominance over {}", cols.join(", "));
            res.columns = cols.clone();
            if q > PARETO_MAX {
                res.not_computed = Some(format!(
                    "{q} ranked accounts: more than {PARETO_MAX}, the most compared pairwise"
                ));
                return Ok(res);
            }
            let mut values = Vec::new();
            for c in cols {
                let col = accounts
                    .numeric_column(c)
                    .with_context(|| format!("forced order of {name:?}: column {c:?}"))?;
                // A ranked account with a missing count was ranked with it as 0
                // (`missing = "zero"`); the others have every count.
                values.push(
                    ids.iter()
                        .map(|&a| col.get(a as usize).unwrap_or(0.0))
                        .collect(),
                );
            }
            Box::new(Pareto { cols: values })
        }
        Forced::FollowerInclusion => {
            res.order = Variant::Open.label().to_string();
            if follows.edge_count() > INCLUSION_EDGES {
                res.not_computed = Some(format!(
                    "the follow graph has {} edges, more than {INCLUSION_EDGES}",
                    follows.edge_count()
                ));
                return Ok(res);
            }
            Box::new(Followers {
                inc: Inclusion::new(follows, &members, Variant::Open),
                ids: ids.clone(),
                stamp: Stamp::new(follows.node_count()),
            })
        }
    };
    let counts = order.all_counts(q);
    let pairs = q * q.saturating_sub(1) / 2;
    res.share_all =
        (pairs > 0).then(|| counts.iter().map(|c| c.0).sum::<usize>() as f64 / pairs as f64);
    let top = r.top(top_n).len();
    res.top = top;
    let top_pairs = top * top.saturating_sub(1) / 2;
    res.share_top = (top_pairs > 0).then(|| {
        let decided = (0..top)
            .flat_map(|i| (i + 1..top).map(move |j| (i, j)))
            .filter(|&(i, j)| order.dominates(i, j) || order.dominates(j, i))
            .count();
        decided as f64 / top_pairs as f64
    });
    let n = top_n as usize;
    let interval = |i: usize| (1 + counts[i].0, q - counts[i].1);
    let cands: Vec<usize> = (0..q).filter(|&i| interval(i).0 <= n).collect();
    res.candidates = cands.len();
    res.forced_in = (0..q).filter(|&i| interval(i).1 <= n).count();
    res.forced_out = q - cands.len();

    // Expected rank and P(top N) over the candidates.
    let mut expected = vec![None; q];
    let mut p_top = vec![None; q];
    if cands.len() <= MCMC_MAX {
        let sub = Poset::from_fn(cands.len(), |lo, hi| order.dominates(cands[hi], cands[lo]));
        if cands.len() <= EXACT_MAX {
            let u = sub.uniform_ranks().expect("within EXACT_MAX");
            for (k, &i) in cands.iter().enumerate() {
                expected[i] = Some(u.expected[k]);
                p_top[i] = Some(u.p_top(k, n));
            }
            res.expected = Some(Expected::Exact {
                extensions: u.extensions,
            });
        } else {
            let m = cands.len() as u64;
            let cfg = Mcmc {
                chains: CHAINS,
                steps: (30 * m * m * m).clamp(STEPS_MIN, STEPS_MAX),
                batches: BATCHES,
                seed,
            };
            let mc = sub.mcmc(n, cfg);
            for (k, &i) in cands.iter().enumerate() {
                expected[i] = Some(mc.expected[k]);
                p_top[i] = Some(mc.p_top[k]);
            }
            res.expected = Some(Expected::Mcmc {
                chains: mc.chains,
                steps: mc.steps,
                max_r_hat: mc.max_r_hat(),
            });
        }
    } else {
        // lpom from the counts: incomparables = q − 1 − dominators − dominated.
        for (i, e) in expected.iter_mut().enumerate() {
            let (up, down) = counts[i];
            *e = Some(lpom_rank(q, down, q - 1 - up - down));
        }
        res.expected = Some(Expected::Lpom);
    }
    // The candidates too where their expected ranks are over them (exact or chain).
    let listed = cands.len() <= MCMC_MAX;
    let in_band = |i: usize| i < top || (listed && interval(i).0 <= n);
    res.rows = (0..q)
        .filter(|&i| in_band(i))
        .map(|i| Row {
            account: ids[i],
            rank: r.entry(i).rank,
            best: interval(i).0,
            worst: interval(i).1,
            expected: expected[i],
            p_top: p_top[i],
        })
        .collect();
    Ok(res)
}
