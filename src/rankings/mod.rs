//! Ranking methods: one trait, one registry, one file per method.
//!
//! A method turns the data ([`Input`]) into [`Scores`]: a score per account (higher is
//! better), optional tie-break keys, and which accounts are eligible (in the population
//! and, for a rule, qualified). [`rank`] then turns scores into a [`Ranking`] with
//! competition ranks (1-2-2-4: tied accounts share the best rank, the next rank skips).
//! Adding a method = one file + one line in [`registry::build`] + its tests.

pub mod amplification;
pub mod balance;
pub mod betweenness;
pub mod breadth;
pub mod bridging;
pub mod catalogue;
pub mod columns;
pub mod composite;
pub mod constraint;
pub mod cost_model;
#[cfg(test)]
mod contract;
pub mod conversation;
pub mod count;
pub mod eigenvector;
pub mod explain;
pub mod follow_seeds;
pub mod hits;
pub mod indegree;
pub mod kardashian;
pub mod kcore;
pub mod pagerank;
pub mod params;
mod ranking;
pub mod reciprocity;
pub mod registry;
pub mod spectral;
pub mod tags;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;

use crate::dataset::{Accounts, Interactions, NameList};
use crate::graph::Graph;

pub use cost_model::CostModel;
pub use explain::{Audience, explain_empty};
pub use ranking::{Entry, Ranking};
pub use registry::{MethodSpec, build};

/// Named seed lists resolved to account indices.
pub use crate::dataset::SeedIds;

/// The seed list `name`, or an error naming the method and the declared lists.
pub fn seed_list<'a>(input: &Input<'a>, method: &str, name: &str) -> Result<&'a Vec<u32>> {
    input.seed_lists.get(name).ok_or_else(|| {
        anyhow::anyhow!(
            "{method}: no seed list named {name:?}; declared lists: {}",
            input
                .seed_lists
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// What a method may read.
pub struct Input<'a> {
    pub accounts: &'a Accounts,
    pub follows: &'a Graph,
    /// The interaction graph over all kinds (source -> target, summed weights).
    pub interactions: Option<&'a Graph>,
    /// The raw interaction events (kinds, times, tags), for conversation methods that
    /// select kinds or count distinct partners or tags.
    pub events: Option<&'a Interactions>,
    /// Accounts that may be ranked (the study's population).
    pub population: &'a [bool],
    /// Named seed lists, resolved to account indices.
    pub seed_lists: &'a BTreeMap<String, Vec<u32>>,
}

impl<'a> Input<'a> {
    /// What the methods read of a loaded dataset: its accounts and events, the follow
    /// graph and (where there are events) the interaction graph made from it.
    pub fn of(
        ds: &'a crate::dataset::Dataset,
        follows: &'a Graph,
        interactions: Option<&'a Graph>,
        population: &'a [bool],
        seed_lists: &'a BTreeMap<String, Vec<u32>>,
    ) -> Input<'a> {
        Input {
            accounts: &ds.accounts,
            follows,
            interactions,
            events: (!ds.interactions.is_empty()).then_some(&ds.interactions),
            population,
            seed_lists,
        }
    }
}

/// A method's output before ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// One score per account; higher ranks better.
    pub score: Vec<f64>,
    /// Further keys compared, in order, when scores tie (lexicographic rules).
    pub tiebreak: Vec<Vec<f64>>,
    /// Accounts that get a rank.
    pub eligible: Vec<bool>,
    /// For rules: who passed the qualifying test (None for plain rankings).
    pub qualified: Option<Vec<bool>>,
    /// Counts a method reports about its own run (e.g. `missing_count_excluded`).
    pub diagnostics: BTreeMap<String, u64>,
    /// Whether equal scores are equal bits or equal within [`TIE_RTOL`].
    pub precision: Precision,
}

impl Scores {
    /// Exact scores of a plain ranking (no tie-break keys, no qualifying test), with the
    /// diagnostics whose count is not zero.
    pub fn exact(score: Vec<f64>, eligible: Vec<bool>, counts: &[(&str, u64)]) -> Scores {
        Scores {
            score,
            tiebreak: Vec::new(),
            eligible,
            qualified: None,
            diagnostics: counts
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (k.to_string(), *n))
                .collect(),
            precision: Precision::Exact,
        }
    }
}

/// How the scores of a method may be compared: the tie policy (methodology §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Every score is its exact mathematical value, or the correctly rounded value of an
    /// exact rational (one IEEE division of two exact integers): equal values are equal
    /// bits, so scores tie exactly when they are equal. Counts, degrees, core numbers,
    /// ratios of counts, and structural holes where the exact rational fits.
    Exact,
    /// Scores carry rounding error (iterations, sums of fractions in varying order):
    /// scores within [`TIE_RTOL`] of the best score of their group are one tie.
    Rounded,
}

impl Precision {
    /// `Exact` when `exact` holds, else `Rounded`.
    pub fn exact_if(exact: bool) -> Precision {
        if exact {
            Precision::Exact
        } else {
            Precision::Rounded
        }
    }
}

/// The tie tolerance of [`Precision::Rounded`] scores, relative: y ties with the best
/// score x of its group when x − y ≤ TIE_RTOL · max(|x|, |y|). Rounding differences
/// between mathematically equal scores are ~1e-16 per operation (1e-13 after thousands
/// of terms or iterations); the references agree to 1e-9 where semantics match, so
/// differences below that are not evidence of a different score.
pub const TIE_RTOL: f64 = 1e-9;

/// A method behind the registry. [`registry::build`] wraps every method so that its
/// scores are checked at the boundary: no NaN among the eligible accounts.
pub trait Method: Send + Sync {
    /// Short method name, e.g. `pagerank`.
    fn method(&self) -> &'static str;
    /// Checks of the declared configuration against the data (run once, on the nominal
    /// ranking; perturbed universes skip them).
    fn validate(&self, _input: &Input) -> Result<()> {
        Ok(())
    }
    fn score(&self, input: &Input) -> Result<Scores>;

    /// How the gaming analysis costs entering this method's top N (see
    /// [`cost_model`]). Default: not costed.
    fn cost_model(&self) -> CostModel {
        CostModel::NotCosted(format!("no cost model for {}", self.method()))
    }

    /// The seed list (by name) the method reads, if any: the list seed families perturb.
    fn seed_list(&self) -> Option<&str> {
        None
    }

    /// For a rule that qualifies accounts by how many of its seed list they follow: the
    /// parameter holding that threshold and its value (the threshold sweep marks it;
    /// the study checks it against the list's size).
    fn seed_threshold(&self) -> Option<(&'static str, usize)> {
        None
    }

    /// Whether this is a published rule (qualify, then order by counts) rather than a
    /// measure of the network or the conversation.
    fn is_rule(&self) -> bool {
        false
    }

    /// Why `r` (the method's nominal ranking) is empty, in the method's own terms, if
    /// it can say more than the counts at each filter ([`explain`] says those).
    fn explain_empty(&self, _r: &Ranking, _a: &Audience) -> Option<String> {
        None
    }

    /// The dominance order every score of this method respects (j dominates i ⇒
    /// score(j) ≥ score(i)), if it has one: the part of its ranking that is forced
    /// rather than chosen (methodology §6d). Default: none.
    fn forced_order(&self) -> Option<Forced> {
        None
    }

    /// Whether the method reads a graph (follows or interactions); those that read only
    /// the accounts table's columns say no, and run with an accounts table alone.
    fn reads_graph(&self) -> bool {
        true
    }

    /// Whether each score counts events from the events table (retweets, mentions,
    /// replies received), so that the counts can be read as one multinomial sample and
    /// ranks get confidence sets ([`crate::critique::rank_ci`]). Default: no.
    fn counts_events(&self) -> bool {
        false
    }

    /// What the ranking `name` did, in one sentence of markdown, for the report's
    /// findings: rules say who qualified and how the qualifiers are ordered. Default:
    /// nothing (the comparisons speak for measures).
    fn summary(&self, _name: &str, _r: &Ranking, _a: &Audience) -> Option<String> {
        None
    }
}

/// A dominance order a method respects (see [`Method::forced_order`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forced {
    /// Pareto dominance over these account columns among the ranked accounts: the
    /// ranking is one of the orders an increasing combination of them can give.
    Columns(Vec<String>),
    /// Inclusion of follower sets on the follow graph
    /// ([`crate::critique::inclusion`], open variant).
    FollowerInclusion,
}

/// Where each account's id text falls in byte order: the order of accounts within a
/// tie in [`rank`]. Sorting a million ids takes a while, so it is computed once per
/// dataset and shared by every ranking and replicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieOrder(Vec<u32>);

impl TieOrder {
    pub fn new(names: &(impl NameList + ?Sized)) -> TieOrder {
        // Sort by the first 8 bytes as a big-endian integer (zero-padded: a shorter name
        // sorts first, as in byte order), then by the whole name within equal prefixes:
        // byte order overall, without a string comparison per step.
        let prefix = |s: &str| {
            let mut b = [0u8; 8];
            let k = s.len().min(8);
            b[..k].copy_from_slice(&s.as_bytes()[..k]);
            u64::from_be_bytes(b)
        };
        let mut keyed: Vec<(u64, u32)> = (0..names.count())
            .into_par_iter()
            .map(|i| (prefix(names.name_at(i)), i as u32))
            .collect();
        keyed.par_sort_unstable();
        let mut start = 0;
        while start < keyed.len() {
            let end = start + keyed[start..].partition_point(|k| k.0 == keyed[start].0);
            if end - start > 1 {
                keyed[start..end].sort_unstable_by(|a, b| {
                    names.name_at(a.1 as usize).cmp(names.name_at(b.1 as usize))
                });
            }
            start = end;
        }
        let mut pos = vec![0u32; names.count()];
        for (p, &(_, i)) in keyed.iter().enumerate() {
            pos[i as usize] = p as u32;
        }
        TieOrder(pos)
    }

    fn of(&self, account: u32) -> u32 {
        self.0[account as usize]
    }
}

/// `x` mapped to a `u64` whose unsigned order is `f64::total_cmp`'s order, reversed (so
/// that ascending keys put higher scores first).
fn descending_key(x: f64) -> u64 {
    let bits = x.to_bits() as i64;
    let total = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    !((total as u64) ^ (1 << 63))
}

/// Competition ranking (1-2-2-4) of the eligible accounts. Accounts tied on every key
/// share the rank of the first of them; within a tie, order is by account id text.
pub fn rank(scores: Scores, names: &(impl NameList + ?Sized)) -> Ranking {
    rank_with(scores, &TieOrder::new(names))
}

/// [`rank`] with the tie order computed once by the caller.
pub fn rank_with(scores: Scores, tie: &TieOrder) -> Ranking {
    let accounts: Vec<u32> = (0..scores.score.len() as u32)
        .filter(|&i| scores.eligible[i as usize])
        .collect();
    let score: Vec<f64> = accounts.iter().map(|&i| scores.score[i as usize]).collect();
    let tiebreak: Vec<Vec<f64>> = scores
        .tiebreak
        .iter()
        .map(|k| accounts.iter().map(|&i| k[i as usize]).collect())
        .collect();
    let mut r = rank_entries(&accounts, &score, &tiebreak, scores.precision, tie);
    r.qualified = scores.qualified;
    r.diagnostics = scores.diagnostics;
    r
}

/// The competition ranking of `accounts[j]` with score `score[j]` and further keys
/// `tiebreak[k][j]` (higher is better on every key), ties ordered by `tie`; no
/// qualified flags and no diagnostics (the caller sets them).
///
/// The tie policy (methodology §1): −0.0 and +0.0 are one value (the entry shows 0);
/// `Rounded` scores are first snapped to their tie group's best score
/// ([`snap_to_ties`]), so that the entries' scores are equal exactly when their ranks
/// are (given equal tie-break keys); tie-break keys are counts and compare exactly.
pub fn rank_entries(
    accounts: &[u32],
    score: &[f64],
    tiebreak: &[Vec<f64>],
    precision: Precision,
    tie: &TieOrder,
) -> Ranking {
    let score: Vec<f64> = match precision {
        Precision::Exact => score.iter().map(|&x| x + 0.0).collect(),
        Precision::Rounded => snap_to_ties(score),
    };
    let tiebreak: Vec<Vec<f64>> = tiebreak
        .iter()
        .map(|k| k.iter().map(|&x| x + 0.0).collect())
        .collect();
    // Sort (key, tie position, j): every sort key is distinct (tie positions are), so
    // the unstable parallel sort gives one order at any thread count.
    let mut order: Vec<(u64, u32, u32)> = (0..accounts.len())
        .map(|j| (descending_key(score[j]), tie.of(accounts[j]), j as u32))
        .collect();
    let same = |a: usize, b: usize| {
        score[a].total_cmp(&score[b]) == Ordering::Equal
            && tiebreak
                .iter()
                .all(|k| k[a].total_cmp(&k[b]) == Ordering::Equal)
    };
    if tiebreak.is_empty() {
        order.par_sort_unstable();
    } else {
        order.par_sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| {
                    for k in &tiebreak {
                        let o = k[y.2 as usize].total_cmp(&k[x.2 as usize]);
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    Ordering::Equal
                })
                .then(x.1.cmp(&y.1))
        });
    }
    let mut ranked = Ranking::with_capacity(order.len());
    for (pos, &(_, _, j)) in order.iter().enumerate() {
        let j = j as usize;
        let tied = pos > 0 && same(order[pos - 1].2 as usize, j);
        ranked.push(accounts[j], score[j], tied);
    }
    ranked
}

/// Rounded scores snapped to their tie groups: the distinct values, best first, are
/// cut into groups greedily — a value joins the group of the best value x above it
/// when it is within [`TIE_RTOL`] of x (relative) — and every member takes x. Greedy
/// from the top so that the groups do not depend on the accounts' order, and anchored
/// on the group's best so that a chain of near-equal values cannot drift into one
/// group wider than the tolerance. −0.0 becomes +0.0.
pub fn snap_to_ties(score: &[f64]) -> Vec<f64> {
    let mut distinct: Vec<u64> = score.par_iter().map(|&x| descending_key(x + 0.0)).collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    let value = |k: u64| score_of_key(k);
    let mut leader: Vec<f64> = Vec::with_capacity(distinct.len());
    let mut best = f64::NAN;
    for &k in &distinct {
        let x = value(k);
        let joins = best == x
            || (best.is_finite()
                && x.is_finite()
                && best - x <= TIE_RTOL * best.abs().max(x.abs()));
        if !joins {
            best = x;
        }
        leader.push(best);
    }
    score
        .par_iter()
        .map(|&x| {
            let k = descending_key(x + 0.0);
            leader[distinct.binary_search(&k).expect("every score is a key")]
        })
        .collect()
}

/// The inverse of [`descending_key`].
fn score_of_key(k: u64) -> f64 {
    let total = !k ^ (1 << 63);
    let bits = total as i64;
    f64::from_bits((bits ^ ((((bits >> 63) as u64) >> 1) as i64)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefix-keyed tie order is plain byte order of the names.
    #[test]
    fn tie_order_is_byte_order_of_names() {
        let names: Vec<String> = [
            "12",
            "123",
            "12\0",
            "",
            "abcdefgh",
            "abcdefghi",
            "abcdefgg",
            "abcdefgh2",
            "Zürich",
            "Zurich",
            "9",
            "10",
            "0",
            "ab",
            "a",
            "abcdefghij",
            "abcdefghia",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let tie = TieOrder::new(&names);
        let mut want: Vec<usize> = (0..names.len()).collect();
        want.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let mut got: Vec<usize> = (0..names.len()).collect();
        got.sort_by_key(|&i| tie.of(i as u32));
        assert_eq!(got, want);
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a{i}")).collect()
    }

    #[test]
    fn competition_ranks_1_2_2_4() {
        let s = Scores {
            score: vec![5.0, 3.0, 3.0, 1.0, 9.0],
            tiebreak: vec![],
            eligible: vec![true, true, true, true, false],
            qualified: None,
            diagnostics: BTreeMap::new(),
            precision: Precision::Exact,
        };
        let r = rank(s, &names(5));
        let got: Vec<_> = r.entries().map(|e| (e.account, e.rank)).collect();
        assert_eq!(got, vec![(0, 1), (1, 2), (2, 2), (3, 4)]);
        // The tie at rank 2 straddles position 2: the top 2 is only account 0.
        assert_eq!(r.top(2), vec![0]);
        assert_eq!(r.top(3), vec![0, 1, 2]);
    }

    #[test]
    fn tiebreak_keys_split_ties() {
        let s = Scores {
            score: vec![3.0, 3.0, 3.0],
            tiebreak: vec![vec![1.0, 2.0, 1.0]],
            eligible: vec![true; 3],
            qualified: None,
            diagnostics: BTreeMap::new(),
            precision: Precision::Exact,
        };
        let r = rank(s, &names(3));
        let got: Vec<_> = r.entries().map(|e| (e.account, e.rank)).collect();
        assert_eq!(got, vec![(1, 1), (0, 2), (2, 2)]);
    }

    /// The keyed sort equals a plain comparator sort (keys best first, then id text)
    /// on random scores with many ties, negative zero (equal to zero) and infinities.
    #[test]
    fn keyed_sort_equals_the_comparator_sort() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let vals = [-1.5, -0.0, 0.0, 1.0, 2.5, f64::INFINITY, f64::NEG_INFINITY];
        for case in 0..50 {
            let n = 1 + (next() % 40) as usize;
            let names: Vec<String> = (0..n).map(|i| format!("{}", (i * 7919) % 1000)).collect();
            let pick = |r: u64| vals[(r % vals.len() as u64) as usize];
            let score: Vec<f64> = (0..n).map(|_| pick(next())).collect();
            let tiebreak: Vec<Vec<f64>> = (0..(case % 3))
                .map(|_| (0..n).map(|_| pick(next())).collect())
                .collect();
            // The reference compares −0.0 and +0.0 as one value, by construction.
            let zeroed = |v: &[f64]| v.iter().map(|&x| if x == 0.0 { 0.0 } else { x }).collect();
            let (score_ref, tiebreak_ref): (Vec<f64>, Vec<Vec<f64>>) =
                (zeroed(&score), tiebreak.iter().map(|k| zeroed(k)).collect());
            let eligible: Vec<bool> = (0..n).map(|_| next() % 5 != 0).collect();
            let s = Scores {
                score: score.clone(),
                tiebreak: tiebreak.clone(),
                eligible: eligible.clone(),
                qualified: None,
                diagnostics: BTreeMap::new(),
                precision: Precision::Exact,
            };
            let got = rank(s, &names);
            let key = |a: usize, b: usize| {
                score_ref[b].total_cmp(&score_ref[a]).then_with(|| {
                    for k in &tiebreak_ref {
                        let o = k[b].total_cmp(&k[a]);
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                    Ordering::Equal
                })
            };
            let mut order: Vec<usize> = (0..n).filter(|&i| eligible[i]).collect();
            order.sort_by(|&a, &b| key(a, b).then_with(|| names[a].cmp(&names[b])));
            let mut want: Vec<(u32, u32)> = Vec::new();
            for (pos, &i) in order.iter().enumerate() {
                let r = match want.last() {
                    Some(&(_, r)) if key(order[pos - 1], i) == Ordering::Equal => r,
                    _ => pos as u32 + 1,
                };
                want.push((i as u32, r));
            }
            assert_eq!(got.pairs(), want, "case {case}");
        }
    }

    fn scores(score: Vec<f64>, precision: Precision) -> Scores {
        Scores {
            eligible: vec![true; score.len()],
            score,
            tiebreak: vec![],
            qualified: None,
            diagnostics: BTreeMap::new(),
            precision,
        }
    }

    fn ranks(r: &Ranking) -> Vec<(u32, u32, f64)> {
        r.entries().map(|e| (e.account, e.rank, e.score)).collect()
    }

    /// An empty float sum is −0.0: it ties with +0.0 and is shown as 0.
    #[test]
    fn negative_zero_ties_with_zero_and_prints_as_zero() {
        for precision in [Precision::Exact, Precision::Rounded] {
            let r = rank(scores(vec![-0.0, 1.0, 0.0, -0.0], precision), &names(4));
            assert_eq!(
                ranks(&r),
                vec![(1, 1, 1.0), (0, 2, 0.0), (2, 2, 0.0), (3, 2, 0.0)]
            );
            assert!(r.entries().all(|e| e.score.is_sign_positive()));
        }
    }

    /// Rounded scores within the tolerance tie, and show the best score of their group;
    /// exact scores never merge, however close (counts of a billion differ by 1e-9).
    #[test]
    fn rounded_scores_tie_within_the_tolerance_exact_scores_do_not() {
        let near = 10.999999999999998;
        let r = rank(
            scores(vec![near, 11.0, 10.0], Precision::Rounded),
            &names(3),
        );
        assert_eq!(ranks(&r), vec![(0, 1, 11.0), (1, 1, 11.0), (2, 3, 10.0)]);
        let r = rank(scores(vec![near, 11.0, 10.0], Precision::Exact), &names(3));
        assert_eq!(ranks(&r), vec![(1, 1, 11.0), (0, 2, near), (2, 3, 10.0)]);
        let big = vec![1e9 + 1.0, 1e9];
        let r = rank(scores(big, Precision::Exact), &names(2));
        assert_eq!(ranks(&r), vec![(0, 1, 1e9 + 1.0), (1, 2, 1e9)]);
    }

    /// Groups are anchored on their best score: a chain of values each within the
    /// tolerance of the next cannot grow one group wider than the tolerance; infinities
    /// and NaN join nothing; negative scores group by magnitude too.
    #[test]
    fn tie_groups_are_anchored_and_bounded() {
        let x = 1.0;
        let chain = vec![
            x,
            x * (1.0 - 0.6e-9),
            x * (1.0 - 1.2e-9),
            x * (1.0 - 1.5e-9),
        ];
        assert_eq!(
            snap_to_ties(&chain),
            vec![x, x, chain[2], chain[2]],
            "the third value starts a new group"
        );
        let inf = vec![f64::INFINITY, f64::MAX, f64::NEG_INFINITY, -f64::MAX];
        assert_eq!(snap_to_ties(&inf), inf);
        let neg = vec![-2.0, -2.0 * (1.0 + 1e-12), -2.0 * (1.0 + 1e-6)];
        assert_eq!(snap_to_ties(&neg), vec![-2.0, -2.0, neg[2]]);
        // Order of the input does not matter.
        let mut rev = chain.clone();
        rev.reverse();
        let mut want = snap_to_ties(&chain);
        want.reverse();
        assert_eq!(snap_to_ties(&rev), want);
    }

    /// The key and its inverse round-trip every kind of f64.
    #[test]
    fn descending_key_round_trips() {
        for x in [
            0.0,
            1.5,
            -1.5,
            f64::MIN_POSITIVE,
            -f64::MAX,
            f64::INFINITY,
            5e-324,
        ] {
            assert_eq!(score_of_key(descending_key(x)).to_bits(), x.to_bits());
        }
    }
}
