//! A ranking's storage: its entries as columns (accounts, scores) with the competition
//! ranks kept as the tie groups' boundaries, 12 bytes an entry instead of 16 (8 where
//! every score is a count: in-degree, k-core, ...). On a graph
//! of millions every full-population ranking is held from the rankings stage to the end
//! of the audit, so the four bytes of each entry's rank are most of what a ranking can
//! give back (methodology §1: ranks are competition ranks, so a rank is fixed by where
//! its tie group starts).

use std::collections::BTreeMap;

/// One ranked account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub account: u32,
    pub score: f64,
    /// Competition rank, 1 = best.
    pub rank: u32,
}

/// A ranking: eligible accounts in rank order (ties ordered by account id text, so the
/// order is deterministic), each with its score and competition rank (1-2-2-4).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranking {
    accounts: Vec<u32>,
    scores: Scores,
    ranks: Ranks,
    pub qualified: Option<Vec<bool>>,
    pub diagnostics: BTreeMap<String, u64>,
}

/// The scores in rank order: `u32`s while every score is a whole number from 0 to
/// 2^32 − 1 (+0.0, not −0.0: it must read back with its sign), `f64`s from the first
/// score that is not (the column is then widened once). Either reads back exactly the
/// scores pushed.
#[derive(Debug, Clone)]
enum Scores {
    Counts(Vec<u32>),
    Any(Vec<f64>),
}

impl Default for Scores {
    fn default() -> Scores {
        Scores::Counts(Vec::new())
    }
}

impl Scores {
    #[inline]
    fn get(&self, i: usize) -> f64 {
        match self {
            Scores::Counts(v) => v[i] as f64,
            Scores::Any(v) => v[i],
        }
    }

    fn len(&self) -> usize {
        match self {
            Scores::Counts(v) => v.len(),
            Scores::Any(v) => v.len(),
        }
    }

    fn push(&mut self, x: f64) {
        if let Scores::Counts(v) = self {
            if x.fract() == 0.0 && x.is_sign_positive() && x <= u32::MAX as f64 {
                v.push(x as u32);
                return;
            }
            let mut wide = Vec::with_capacity(v.capacity());
            wide.extend(v.iter().map(|&c| c as f64));
            *self = Scores::Any(wide);
        }
        if let Scores::Any(v) = self {
            v.push(x);
        }
    }
}

/// Equal scores, bit for bit (so that −0.0 and NaN are told apart as before), whatever
/// the form.
impl PartialEq for Scores {
    fn eq(&self, other: &Scores) -> bool {
        self.len() == other.len()
            && (0..self.len()).all(|i| self.get(i).to_bits() == other.get(i).to_bits())
    }
}

/// Competition ranks of a list, as where each tie group starts: a bit per entry (set
/// where the entry's rank is its position + 1) and, per 64 entries, the rank of the
/// first of them, so that any entry's rank is found in O(1) with no scan over a long
/// tie (millions of accounts can share the bottom rank). About 0.19 bytes an entry.
#[derive(Debug, Clone, PartialEq, Default)]
struct Ranks {
    starts: Vec<u64>,
    first: Vec<u32>,
    len: usize,
}

impl Ranks {
    fn with_capacity(n: usize) -> Ranks {
        Ranks {
            starts: Vec::with_capacity(n.div_ceil(64)),
            first: Vec::with_capacity(n.div_ceil(64)),
            len: 0,
        }
    }

    /// Appends an entry that starts a tie group (`true`) or joins the previous entry's.
    fn push(&mut self, starts_group: bool) {
        let i = self.len;
        if i.is_multiple_of(64) {
            let rank = if starts_group {
                i as u32 + 1
            } else {
                self.rank(i - 1)
            };
            self.starts.push(0);
            self.first.push(rank);
        }
        if starts_group {
            self.starts[i / 64] |= 1 << (i % 64);
        }
        self.len += 1;
    }

    #[inline]
    fn rank(&self, i: usize) -> u32 {
        debug_assert!(i < self.len);
        let w = i / 64;
        let bits = self.starts[w] & (u64::MAX >> (63 - i % 64));
        if bits == 0 {
            self.first[w]
        } else {
            (w * 64 + 63 - bits.leading_zeros() as usize) as u32 + 1
        }
    }

    /// Whether entry `i` (> 0) shares the rank of entry `i - 1`.
    fn tied_with_previous(&self, i: usize) -> bool {
        self.starts[i / 64] >> (i % 64) & 1 == 0
    }
}

impl Ranking {
    /// An empty ranking with room for `n` entries.
    pub fn with_capacity(n: usize) -> Ranking {
        Ranking {
            accounts: Vec::with_capacity(n),
            scores: Scores::Counts(Vec::with_capacity(n)),
            ranks: Ranks::with_capacity(n),
            qualified: None,
            diagnostics: BTreeMap::new(),
        }
    }

    /// Appends the next entry in rank order, tied with the last one or not (the first
    /// entry is never tied).
    pub fn push(&mut self, account: u32, score: f64, tied_with_last: bool) {
        self.accounts.push(account);
        self.scores.push(score);
        self.ranks.push(!tied_with_last || self.ranks.len == 0);
    }

    /// A ranking of `entries` given in rank order with competition ranks; an error
    /// naming the first entry whose rank is not one (the first entry's rank is 1, every
    /// other's is its predecessor's or its position + 1).
    pub fn from_entries(entries: impl IntoIterator<Item = Entry>) -> Result<Ranking, String> {
        let entries = entries.into_iter();
        let mut r = Ranking::with_capacity(entries.size_hint().0);
        for (i, e) in entries.enumerate() {
            let tied = i > 0 && e.rank == r.rank(i - 1);
            if !tied && e.rank as usize != i + 1 {
                return Err(format!(
                    "entry {} (account {}) has rank {}: a competition rank there is {} or {}",
                    i + 1,
                    e.account,
                    e.rank,
                    if i == 0 { 1 } else { r.rank(i - 1) },
                    i + 1
                ));
            }
            r.push(e.account, e.score, tied);
        }
        Ok(r)
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The ranked accounts, best first.
    pub fn accounts(&self) -> &[u32] {
        &self.accounts
    }

    /// The score of entry `i` (0 = the first).
    #[inline]
    pub fn score(&self, i: usize) -> f64 {
        self.scores.get(i)
    }

    /// The competition rank of entry `i` (0 = the first).
    #[inline]
    pub fn rank(&self, i: usize) -> u32 {
        self.ranks.rank(i)
    }

    /// Entry `i` (0 = the first). Panics past the end, as indexing does.
    #[inline]
    pub fn entry(&self, i: usize) -> Entry {
        Entry {
            account: self.accounts[i],
            score: self.scores.get(i),
            rank: self.ranks.rank(i),
        }
    }

    /// Entry `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<Entry> {
        (i < self.len()).then(|| self.entry(i))
    }

    /// The entries in rank order.
    pub fn entries(
        &self,
    ) -> impl ExactSizeIterator<Item = Entry> + DoubleEndedIterator + Clone + '_ {
        (0..self.len()).map(|i| self.entry(i))
    }

    /// Whether both rank the same accounts in the same order with the same scores and
    /// ranks (the flags and diagnostics aside).
    pub fn same_entries(&self, other: &Ranking) -> bool {
        self.accounts == other.accounts && self.scores == other.scores && self.ranks == other.ranks
    }

    /// Whether entry `i` (> 0) shares the rank of entry `i - 1`.
    pub fn tied_with_previous(&self, i: usize) -> bool {
        self.ranks.tied_with_previous(i)
    }

    /// (account, rank) pairs in rank order, as [`crate::compare`] takes them.
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        self.entries().map(|e| (e.account, e.rank)).collect()
    }

    /// The top n: accounts certainly among the n best (a tie straddling position n
    /// is left out; see [`crate::compare::top_k_strict`]).
    pub fn top(&self, n: u32) -> Vec<u32> {
        let m = crate::compare::strict_top_len(self.len(), n as usize, |i| self.rank(i));
        self.accounts[..m].to_vec()
    }

    /// Rank of every account (None = not ranked), indexed by account.
    pub fn rank_of(&self, n_accounts: usize) -> Vec<Option<u32>> {
        let mut out = vec![None; n_accounts];
        for e in self.entries() {
            out[e.account as usize] = Some(e.rank);
        }
        out
    }

    /// Bytes held per entry at most (the accounts, scores and tie bits; flags aside).
    pub const BYTES_PER_ENTRY: usize = 12;
}

/// The comparisons read a ranking in place.
impl crate::compare::RankedList for Ranking {
    fn len(&self) -> usize {
        self.accounts.len()
    }

    #[inline]
    fn id(&self, i: usize) -> u32 {
        self.accounts[i]
    }

    #[inline]
    fn rank(&self, i: usize) -> u32 {
        self.ranks.rank(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(ranks: &[u32]) -> Vec<Entry> {
        ranks
            .iter()
            .enumerate()
            .map(|(i, &rank)| Entry {
                account: 1000 - i as u32,
                score: -(rank as f64),
                rank,
            })
            .collect()
    }

    #[test]
    fn ranks_read_back_across_words_and_long_ties() {
        // Ties inside a word, across a word boundary, a tie covering several whole
        // words, and singletons between them.
        let mut ranks = vec![1, 2, 2, 4];
        while ranks.len() < 62 {
            ranks.push(ranks.len() as u32 + 1);
        }
        ranks.extend([63, 63, 63, 63]); // positions 62..66 straddle the first word
        ranks.extend(std::iter::repeat_n(67, 200)); // whole words of one tie
        ranks.push(267);
        ranks.push(268);
        ranks.extend(std::iter::repeat_n(269, 64)); // a tie starting mid-word
        let e = entries(&ranks);
        let r = Ranking::from_entries(e.iter().copied()).unwrap();
        assert_eq!(r.len(), e.len());
        assert_eq!(r.entries().collect::<Vec<_>>(), e);
        assert_eq!(
            r.entries().rev().collect::<Vec<_>>(),
            e.iter().rev().copied().collect::<Vec<_>>()
        );
        for (i, x) in e.iter().enumerate() {
            assert_eq!(r.entry(i), *x, "entry {i}");
            if i > 0 {
                assert_eq!(
                    r.tied_with_previous(i),
                    x.rank == e[i - 1].rank,
                    "entry {i}"
                );
            }
        }
        assert_eq!(r.get(e.len()), None);
        // Every length around a word boundary, all tied and none tied.
        for n in [1, 63, 64, 65, 127, 128, 129] {
            let all = Ranking::from_entries(entries(&vec![1; n])).unwrap();
            assert!(all.entries().all(|x| x.rank == 1), "n {n}");
            let none: Vec<u32> = (1..=n as u32).collect();
            let r = Ranking::from_entries(entries(&none)).unwrap();
            assert_eq!(r.entries().map(|x| x.rank).collect::<Vec<_>>(), none);
        }
    }

    /// Whole-number scores are held as u32 until one that is not arrives (a fraction,
    /// −0.0, a negative, past 2^32 − 1, infinite), then all as f64; every score reads
    /// back with its bits either way.
    #[test]
    fn scores_read_back_bit_for_bit_in_either_form() {
        for odd in [0.5, -0.0, -3.0, u32::MAX as f64 + 1.0, f64::NEG_INFINITY] {
            let mut r = Ranking::default();
            let scores = [u32::MAX as f64, 9.0, 9.0, 0.0, odd, 0.0];
            for (i, &x) in scores.iter().enumerate() {
                r.push(i as u32, x, i > 0 && x == scores[i - 1]);
                if i == 3 {
                    assert!(matches!(r.scores, Scores::Counts(_)), "{odd}");
                }
            }
            assert!(matches!(r.scores, Scores::Any(_)), "{odd}");
            for (i, &x) in scores.iter().enumerate() {
                assert_eq!(r.score(i).to_bits(), x.to_bits(), "{odd} at {i}");
                assert_eq!(r.entry(i).score.to_bits(), x.to_bits());
            }
            // The same scores pushed in either form compare equal.
            let mut counts = Ranking::default();
            let mut any = Ranking::default();
            any.push(0, 0.5, false);
            for (i, x) in [3.0, 2.0].into_iter().enumerate() {
                counts.push(i as u32, x, false);
            }
            let mut wide = counts.clone();
            wide.scores = Scores::Any(vec![3.0, 2.0]);
            assert!(counts.same_entries(&wide));
            assert!(!counts.same_entries(&any));
        }
    }

    #[test]
    fn only_competition_ranks_are_taken() {
        assert!(Ranking::from_entries(entries(&[1, 2, 2, 4])).is_ok());
        let dense = Ranking::from_entries(entries(&[1, 2, 2, 3])).unwrap_err();
        assert!(
            dense.contains("entry 4") && dense.contains("rank 3"),
            "{dense}"
        );
        assert!(Ranking::from_entries(entries(&[2])).is_err());
        assert!(Ranking::from_entries(entries(&[1, 1, 4])).is_err());
    }

    #[test]
    fn equality_is_over_the_entries() {
        let a = Ranking::from_entries(entries(&[1, 2, 2, 4])).unwrap();
        let b = Ranking::from_entries(entries(&[1, 2, 3, 4])).unwrap();
        assert!(a.same_entries(&a.clone()));
        assert!(!a.same_entries(&b));
        assert_eq!(a.pairs(), vec![(1000, 1), (999, 2), (998, 2), (997, 4)]);
        assert_eq!(a.top(2), vec![1000]);
        assert_eq!(a.top(3), vec![1000, 999, 998]);
    }
}
