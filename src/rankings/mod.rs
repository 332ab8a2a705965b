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
pub mod composite;
pub mod constraint;
pub mod conversation;
pub mod count;
pub mod eigenvector;
pub mod follow_seeds;
pub mod hits;
pub mod indegree;
pub mod kcore;
pub mod pagerank;
pub mod params;
pub mod reciprocity;
pub mod registry;
pub mod spectral;
pub mod tags;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use anyhow::Result;

use crate::dataset::{Accounts, Interactions};
use crate::graph::Graph;

pub use registry::{MethodSpec, build};

/// Named seed lists resolved to account indices.
pub type SeedIds = BTreeMap<String, Vec<u32>>;

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
}

/// A method behind the registry.
pub trait Method: Send + Sync {
    /// Short method name, e.g. `pagerank`.
    fn method(&self) -> &'static str;
    /// Checks of the declared configuration against the data (run once, on the nominal
    /// ranking; perturbed universes skip them).
    fn validate(&self, _input: &Input) -> Result<()> {
        Ok(())
    }
    fn score(&self, input: &Input) -> Result<Scores>;
}

/// One ranked account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub account: u32,
    pub score: f64,
    /// Competition rank, 1 = best.
    pub rank: u32,
}

/// A ranking: eligible accounts in rank order (ties ordered by account id text, so the
/// order is deterministic).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub entries: Vec<Entry>,
    pub qualified: Option<Vec<bool>>,
    pub diagnostics: BTreeMap<String, u64>,
}

impl Ranking {
    /// (account, rank) pairs in rank order, as [`crate::compare`] takes them.
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        self.entries.iter().map(|e| (e.account, e.rank)).collect()
    }

    /// The top n: accounts certainly among the n best (a tie straddling position n
    /// is left out; see [`crate::compare::top_k_strict`]).
    pub fn top(&self, n: u32) -> Vec<u32> {
        let m = crate::compare::strict_top_len(self.entries.len(), n as usize, |i| {
            self.entries[i].rank
        });
        self.entries[..m].iter().map(|e| e.account).collect()
    }

    /// Rank of every account (None = not ranked), indexed by account.
    pub fn rank_of(&self, n_accounts: usize) -> Vec<Option<u32>> {
        let mut out = vec![None; n_accounts];
        for e in &self.entries {
            out[e.account as usize] = Some(e.rank);
        }
        out
    }
}

/// Compare two accounts' keys, best first. NaN scores are not produced by any method;
/// `total_cmp` keeps the order total if one ever appears.
fn key_cmp(s: &Scores, a: usize, b: usize) -> Ordering {
    s.score[b].total_cmp(&s.score[a]).then_with(|| {
        for k in &s.tiebreak {
            let o = k[b].total_cmp(&k[a]);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    })
}

/// Competition ranking (1-2-2-4) of the eligible accounts. Accounts tied on every key
/// share the rank of the first of them; within a tie, order is by account id text.
pub fn rank(scores: Scores, names: &[String]) -> Ranking {
    let mut order: Vec<usize> = (0..scores.score.len())
        .filter(|&i| scores.eligible[i])
        .collect();
    order.sort_by(|&a, &b| key_cmp(&scores, a, b).then_with(|| names[a].cmp(&names[b])));
    let mut entries: Vec<Entry> = Vec::with_capacity(order.len());
    for (pos, &i) in order.iter().enumerate() {
        let rank = match entries.last() {
            Some(prev) if key_cmp(&scores, order[pos - 1], i) == Ordering::Equal => prev.rank,
            _ => pos as u32 + 1,
        };
        entries.push(Entry {
            account: i as u32,
            score: scores.score[i],
            rank,
        });
    }
    Ranking {
        entries,
        qualified: scores.qualified,
        diagnostics: scores.diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        };
        let r = rank(s, &names(5));
        let got: Vec<_> = r.entries.iter().map(|e| (e.account, e.rank)).collect();
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
        };
        let r = rank(s, &names(3));
        let got: Vec<_> = r.entries.iter().map(|e| (e.account, e.rank)).collect();
        assert_eq!(got, vec![(1, 1), (0, 2), (2, 2)]);
    }
}
