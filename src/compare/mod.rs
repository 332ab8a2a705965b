//! Agreement between two rankings of the same accounts: which accounts each measure
//! looks at (the common-set policy) and the [`PairComparison`] record that carries
//! the results.
//!
//! The measures themselves live in [`correlation`] (Kendall tau-b, Spearman rho,
//! average ranks) and [`overlap`] (top-k Jaccard, rank-biased overlap). This file only
//! decides what each of them is fed:
//!
//! * tau-b and Spearman: the accounts ranked in both lists, paired by account, each
//!   carrying its rank in either list;
//! * Jaccard: the top-k sets `{rank <= k}` of each list, ties at the boundary included;
//! * RBO: the full lists, of possibly different lengths, with ties as tie groups.

pub mod correlation;
mod ids;
pub mod lists;
pub mod overlap;
pub mod weighted;

pub(crate) use ids::IdIndex;

use rayon::prelude::*;

use correlation::rank_correlations_sorted_x;
use overlap::{Depths, jaccard, rbo_ext_indexed};

/// A ranked list: (account id, competition rank) pairs sorted by rank ascending; ties
/// share a rank (1, 2, 2, 4, ...).
pub type Ranked = [(u32, u32)];

/// The agreement between two rankings `a` and `b`, as returned by [`compare`].
#[derive(Debug, Clone, PartialEq)]
pub struct PairComparison {
    /// Distinct accounts in `a`.
    pub n_a: usize,
    /// Distinct accounts in `b`.
    pub n_b: usize,
    /// Accounts ranked in both lists: the sample size of `tau_b` and `spearman`.
    pub n_common: usize,
    /// Kendall tau-b between the two ranks of the common accounts; `None` if fewer
    /// than two are common or one side's ranks are all tied.
    pub tau_b: Option<f64>,
    /// Spearman rho between the two ranks of the common accounts; `None` as for `tau_b`.
    pub spearman: Option<f64>,
    /// Weighted Kendall tau τ_h (Vigna 2015, [`weighted::weighted_tau`]) of the common
    /// accounts' negated ranks, taken in `a`'s order: `scipy.stats.weightedtau(-rank_a,
    /// -rank_b)`. Disagreement at the top weighs more. `None` as for `tau_b`.
    pub weighted_tau: Option<f64>,
    /// The cut-off used for `jaccard_top_k`.
    pub k: usize,
    /// Jaccard similarity of the two top-k sets (ties at rank k included); `None` if
    /// both are empty (k = 0, or both lists empty).
    pub jaccard_top_k: Option<f64>,
    /// The RBO persistence used for `rbo`.
    pub rbo_p: f64,
    /// Extrapolated rank-biased overlap of the full lists; `None` if either list is
    /// empty or `rbo_p` is not in (0, 1).
    pub rbo: Option<f64>,
}

/// Stable-sorts a copy of `list` by rank and drops repeated ids, keeping each id's
/// best rank. Valid input is already sorted and repeat-free, so this changes nothing
/// there; it only makes malformed input well defined instead of order dependent.
fn normalise(list: &Ranked) -> Vec<(u32, u32)> {
    let mut v = list.to_vec();
    v.sort_by_key(|&(_, rank)| rank);
    let mut seen = IdIndex::for_ids(v.iter().map(|e| e.0), v.len());
    v.retain(|&(id, _)| seen.insert_new(id, 0));
    v
}

/// The accounts certainly among the best `k` of a rank-sorted list: the longest prefix
/// of at most `k` entries that does not split a tie group. A tie straddling position k
/// is left out (the set then has fewer than k accounts): otherwise a mass tie, such as
/// every account with zero retweets, would put thousands "in the top 50".
pub fn top_k_strict(list: &[(u32, u32)], k: usize) -> &[(u32, u32)] {
    &list[..strict_top_len(list.len(), k, |i| list[i].1)]
}

/// The length of that prefix for any rank-sorted list of `len` entries whose i-th rank is
/// `rank(i)`: the one definition of "top k" that every top-N set in the crate uses.
pub fn strict_top_len(len: usize, k: usize, rank: impl Fn(usize) -> u32) -> usize {
    let mut m = k.min(len);
    if m < len {
        while m > 0 && rank(m) == rank(m - 1) {
            m -= 1;
        }
    }
    m
}

/// The depth at which each id of a normalised list of `len` entries, entry `i` being
/// `at(i)` = (id, rank), is first seen: 1 + the position of the first entry of its tie
/// group (consecutive entries with equal rank), as [`overlap::rbo_ext`] reads tie
/// groups.
fn first_depths(len: usize, at: impl Fn(usize) -> (u32, u32)) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(len);
    let mut start = 0u32;
    for i in 0..len {
        let (id, rank) = at(i);
        if i > 0 && rank != at(i - 1).1 {
            start = i as u32;
        }
        out.push((id, start + 1));
    }
    out
}

/// Whether [`first_depths`] of the list would be the list itself: each rank is 1 + the
/// position of its tie group's first entry (competition ranks, as every ranking has).
fn first_depths_are_ranks(len: usize, rank: impl Fn(usize) -> u32) -> bool {
    (0..len).all(|i| (i > 0 && rank(i) == rank(i - 1)) || rank(i) == i as u32 + 1)
}

/// Compares two rankings of the same population of accounts with four measures, each
/// on its own set of accounts.
///
/// * **tau-b and Spearman** use the accounts ranked in *both* lists (`n_common`): for
///   each such account its rank in `a` is paired with its rank in `b` and the pairs are
///   correlated. Accounts ranked in only one list are left out because they have no
///   rank to pair with; the ranks are used as given (not re-ranked within the common
///   set), which changes nothing for tau-b and Spearman since both depend only on order.
/// * **Top-k Jaccard** compares `{id : rank <= k}` of each list, all ids of each list
///   being eligible (not only common ones). Accounts tied at rank k are all included, so
///   a set may hold more than k ids.
/// * **RBO** (extrapolated, persistence `p`) compares the full lists, of possibly
///   different lengths; entries with equal rank form one tie group (only order and
///   equality of ranks matter), treated as in [`overlap::rbo_ext`].
///
/// # Arguments
/// * `a`, `b`: rankings as (account id, competition rank) pairs sorted by rank. Unsorted
///   input is sorted (stably) first; an id listed twice keeps its best rank.
/// * `k`: the top-k cut-off for Jaccard.
/// * `p`: RBO persistence in (0, 1); typical values 0.9 (about 86% of the weight on
///   the top 10) or 0.98 (top 50).
///
/// # Returns
/// A [`PairComparison`]; every measure that is undefined for this input is `None`
/// (see the field docs). Never panics.
///
/// # Complexity
/// O((|a| + |b|) log(|a| + |b|)) time, O(|a| + |b|) extra memory.
///
/// # Reference
/// Kendall, M. G. (1945), *Biometrika* 33(3), 239-251; Knight, W. R. (1966), *JASA*
/// 61(314), 436-439; Webber, W., Moffat, A., Zobel, J. (2010), *ACM TOIS* 28(4), 20.
pub fn compare(a: &Ranked, b: &Ranked, k: usize, p: f64) -> PairComparison {
    let (a, b): (Prepared, Prepared) = (Prepared::new(a), Prepared::new(b));
    Pair::new(&a, &b).compare(k, p)
}

/// Rank correlation restricted to the top of either list, as Cha et al. (2010) compare
/// influence measures "for the top x % of users".
#[derive(Debug, Clone, PartialEq)]
pub struct TopCorrelation {
    pub fraction: f64,
    /// Accounts in the subset that both lists rank (the sample size).
    pub n: usize,
    pub tau_b: Option<f64>,
    pub spearman: Option<f64>,
}

/// Kendall tau-b and Spearman rho over the accounts in the top `fraction` of `a` OR of
/// `b` that both lists rank, using their ranks in the full lists. An account is in the
/// top fraction of a list when its whole tie group lies within the first
/// ceil(fraction · list length) positions: a tie straddling the cut-off is left out,
/// because otherwise a mass tie (e.g. everyone with zero replies) would make the "top
/// 10 %" the whole list.
///
/// The union (not the intersection) is used so that an account at the top of one list
/// and far down the other counts against agreement; on the intersection two measures
/// that disagree about who is on top would look spuriously similar.
///
/// Complexity O((|a| + |b|) log(|a| + |b|)).
/// Reference: Cha, Haddadi, Benevenuto & Gummadi (2010), *Measuring user influence in
/// Twitter: the million follower fallacy*, ICWSM.
pub fn correlate_top(a: &Ranked, b: &Ranked, fraction: f64) -> TopCorrelation {
    let (a, b): (Prepared, Prepared) = (Prepared::new(a), Prepared::new(b));
    Pair::new(&a, &b).correlate_top(fraction)
}

/// A ranked list as the comparisons read it: entry `i`'s account id and competition
/// rank. A ranking implements it, so that the comparisons read it in place
/// ([`Prepared::of_list`]).
pub trait RankedList: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn id(&self, i: usize) -> u32;
    fn rank(&self, i: usize) -> u32;
}

impl RankedList for [(u32, u32)] {
    fn len(&self) -> usize {
        <[(u32, u32)]>::len(self)
    }

    #[inline]
    fn id(&self, i: usize) -> u32 {
        self[i].0
    }

    #[inline]
    fn rank(&self, i: usize) -> u32 {
        self[i].1
    }
}

/// The normalised list (sorted by rank, each id once) a prepared ranking reads: a copy
/// of its own, or a ranking read in place.
enum List<'a, L: ?Sized> {
    Own(Vec<(u32, u32)>),
    /// A list in rank order with each account once, as every ranking is: borrowed,
    /// not copied (8 bytes an account less for each ranking of a comparison stage).
    Borrowed(&'a L),
}

impl<L: RankedList + ?Sized> List<'_, L> {
    #[inline]
    fn len(&self) -> usize {
        match self {
            List::Own(v) => v.len(),
            List::Borrowed(l) => l.len(),
        }
    }

    /// Entry `i`: (id, rank).
    #[inline]
    fn at(&self, i: usize) -> (u32, u32) {
        match self {
            List::Own(v) => v[i],
            List::Borrowed(l) => (l.id(i), l.rank(i)),
        }
    }

    #[inline]
    fn id(&self, i: usize) -> u32 {
        match self {
            List::Own(v) => v[i].0,
            List::Borrowed(l) => l.id(i),
        }
    }

    #[inline]
    fn rank(&self, i: usize) -> u32 {
        match self {
            List::Own(v) => v[i].1,
            List::Borrowed(l) => l.rank(i),
        }
    }

    /// The length of the strict top `k` (see [`top_k_strict`]).
    fn top_len(&self, k: usize) -> usize {
        strict_top_len(self.len(), k, |i| self.rank(i))
    }

    /// The ids of the strict top `k`, for the top-k Jaccard.
    fn top_ids(&self, k: usize) -> Vec<u32> {
        (0..self.top_len(k)).map(|i| self.id(i)).collect()
    }
}

/// A ranking made ready for any number of comparisons: normalised, with each id's
/// position and each entry's first-seen depth. A study compares every ranking with
/// every other, so this work is done once per ranking instead of once per pair.
pub struct Prepared<'a, L: ?Sized = [(u32, u32)]> {
    list: List<'a, L>,
    /// Position of each id in `list`, while it is held: [`compare_all`] holds the
    /// index of one ranking at a time (a dense index takes 4 bytes per account of the
    /// dataset, whatever the list's length).
    pos: Option<IdIndex>,
    /// (id, first-seen depth) of each entry, as [`overlap::rbo_ext_depths`] takes them;
    /// `None` when they are `list` itself (competition ranks: an entry's rank is 1 + the
    /// position of its tie group's first entry), which saves eight bytes an entry.
    depths: Option<Vec<(u32, u32)>>,
}

impl<'a, L: RankedList + ?Sized> Prepared<'a, L> {
    /// Normalises `list` (see [`compare`]) and indexes it. O(n log n).
    pub fn new(list: &Ranked) -> Prepared<'a, L> {
        Prepared::indexed(List::Own(normalise(list))).expect("normalised: each id once")
    }

    /// A ranked list, read in place where it is normalised (in rank order, each
    /// account once: every ranking is); a normalised copy of its (account, rank) pairs
    /// otherwise. The same comparisons either way.
    pub fn of_list(list: &'a L) -> Prepared<'a, L> {
        if (1..list.len()).all(|i| list.rank(i - 1) <= list.rank(i))
            && let Some(p) = Prepared::indexed(List::Borrowed(list))
        {
            return p;
        }
        let pairs: Vec<(u32, u32)> = (0..list.len())
            .map(|i| (list.id(i), list.rank(i)))
            .collect();
        Prepared::new(&pairs)
    }

    /// `list` (sorted by rank) indexed; None if an id is in it twice.
    fn indexed(list: List<'a, L>) -> Option<Prepared<'a, L>> {
        let n = list.len();
        let pos = index_of(&list)?;
        let depths =
            (!first_depths_are_ranks(n, |i| list.rank(i))).then(|| first_depths(n, |i| list.at(i)));
        Some(Prepared {
            list,
            pos: Some(pos),
            depths,
        })
    }

    /// Builds the position index again if it was released.
    fn hold_index(&mut self) {
        if self.pos.is_none() {
            self.pos = Some(index_of(&self.list).expect("indexed once: each id once"));
        }
    }

    fn release_index(&mut self) {
        self.pos = None;
    }

    /// The position index (held: see [`Self::hold_index`]).
    fn index(&self) -> &IdIndex {
        self.pos.as_ref().expect("the index is held")
    }
}

/// The position of each id of `list`; None if an id is in it twice.
fn index_of<L: RankedList + ?Sized>(list: &List<'_, L>) -> Option<IdIndex> {
    let n = list.len();
    let mut pos = IdIndex::for_ids((0..n).map(|i| list.id(i)), n);
    for i in 0..n {
        if !pos.insert_new(list.id(i), i as u32) {
            return None;
        }
    }
    Some(pos)
}

/// A prepared ranking's (id, first-seen depth) entries.
impl<L: RankedList + ?Sized> Depths for Prepared<'_, L> {
    fn len(&self) -> usize {
        self.list.len()
    }

    fn at(&self, i: usize) -> (u32, u32) {
        match &self.depths {
            Some(d) => d[i],
            None => self.list.at(i),
        }
    }
}

/// Two prepared rankings and the accounts both rank: what [`compare`] and
/// [`correlate_top`] share, computed once per pair.
pub struct Pair<'a, L: ?Sized = [(u32, u32)]> {
    a: &'a Prepared<'a, L>,
    b: &'a Prepared<'a, L>,
    /// For each id of `a` that `b` ranks, in `a`'s order: (position in a, position in
    /// b). Ranks in `a` are then non-decreasing along the vector.
    common: Vec<(u32, u32)>,
}

impl<'a, L: RankedList + ?Sized> Pair<'a, L> {
    pub fn new(a: &'a Prepared<'a, L>, b: &'a Prepared<'a, L>) -> Pair<'a, L> {
        let common = (0..a.list.len())
            .into_par_iter()
            .filter_map(|pa| b.index().get(a.list.id(pa)).map(|pb| (pa as u32, pb)))
            .collect();
        Pair { a, b, common }
    }

    /// Tau-b and Spearman over the common accounts that `keep` (given the positions in
    /// a and b) accepts, from their ranks in the full lists; and how many there are.
    fn correlations(&self, keep: impl Fn(u32, u32) -> bool) -> (usize, Option<f64>, Option<f64>) {
        let (x, y) = self.ranks(keep);
        let (tau_b, spearman) = rank_correlations_sorted_x(&x, &y);
        (x.len(), tau_b, spearman)
    }

    /// The ranks in a and in b of the common accounts that `keep` (given the positions
    /// in a and b) accepts, in a's order.
    fn ranks(&self, keep: impl Fn(u32, u32) -> bool) -> (Vec<u32>, Vec<u32>) {
        self.common
            .iter()
            .filter(|&&(pa, pb)| keep(pa, pb))
            .map(|&(pa, pb)| (self.a.list.rank(pa as usize), self.b.list.rank(pb as usize)))
            .unzip()
    }

    /// [`compare`] of the pair.
    pub fn compare(&self, k: usize, p: f64) -> PairComparison {
        let (a, b) = (&self.a.list, &self.b.list);
        // The common accounts' ranks, shared by both halves of the work, which run side
        // by side (see [`compare_all`]). scipy's weighted tau is given them negated
        // (`weighted_tau_ranks` orders them so).
        let (x, y) = self.ranks(|_, _| true);
        let n_common = x.len();
        let ((tau_b, spearman), weighted_tau) = rayon::join(
            || rank_correlations_sorted_x(&x, &y),
            || weighted::weighted_tau_ranks(&x, &y),
        );
        PairComparison {
            n_a: a.len(),
            n_b: b.len(),
            n_common,
            tau_b,
            spearman,
            weighted_tau,
            k,
            jaccard_top_k: jaccard(&a.top_ids(k), &b.top_ids(k)),
            rbo_p: p,
            rbo: {
                // The longer list's depths by id, from its own index (b on equal lengths).
                let long = if a.len() <= b.len() { self.b } else { self.a };
                rbo_ext_indexed(
                    self.a,
                    self.b,
                    |id| long.index().get(id).map(|i| long.at(i as usize).1),
                    p,
                )
            },
        }
    }

    /// [`correlate_top`] of the pair. An id is in a list's top fraction exactly when its
    /// position is below that list's strict top length, so no id set is built.
    pub fn correlate_top(&self, fraction: f64) -> TopCorrelation {
        let cut = |l: &List<L>| l.top_len((fraction * l.len() as f64).ceil() as usize) as u32;
        let (top_a, top_b) = (cut(&self.a.list), cut(&self.b.list));
        let (n, tau_b, spearman) = self.correlations(|pa, pb| pa < top_a || pb < top_b);
        TopCorrelation {
            fraction,
            n,
            tau_b,
            spearman,
        }
    }
}

/// One pair of rankings compared: over everything both rank, and over top fractions.
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub all: PairComparison,
    pub top: Vec<TopCorrelation>,
}

/// What every pair is compared on.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The top-k of the Jaccard overlap.
    pub k: usize,
    /// The RBO persistence.
    pub rbo_p: f64,
    /// Top fractions over which tau-b and Spearman are computed again.
    pub top_fractions: &'a [f64],
}

/// Every pair (i < j) of `items`, in pair order. Each ranking is prepared (normalised)
/// once, not once per pair, and dropped at the end. The pairs run one after the other,
/// each in parallel inside (the correlations beside the weighted tau, the top fractions
/// side by side): a pair's working vectors cost ~60 bytes per common account, so two
/// pairs at once would double the stage's peak on a graph of millions. For the same
/// reason the pairs are taken by their second ranking (b), whose position index is the
/// one a pair reads, so that one index is held at a time (two when a is the longer list,
/// whose index RBO then reads); the results are the same in any order.
pub fn compare_all<'a, T: Sync, L: RankedList + ?Sized + 'a>(
    items: &'a [T],
    name: impl Fn(&T) -> &str + Sync,
    list: impl Fn(&'a T) -> &'a L + Sync,
    s: &Settings,
) -> Vec<Comparison> {
    let mut prepared: Vec<Prepared<'a, L>> = items
        .par_iter()
        .map(|t| {
            let mut p = Prepared::of_list(list(t));
            p.release_index();
            p
        })
        .collect();
    let n = items.len();
    // Pair (i, j) is the k-th in pair order.
    let k_of = |i: usize, j: usize| i * n - i * (i + 1) / 2 + (j - i - 1);
    let mut out: Vec<Option<Comparison>> = (0..n * n.saturating_sub(1) / 2).map(|_| None).collect();
    for j in 1..n {
        prepared[j].hold_index();
        for i in 0..j {
            let a_longer = prepared[i].len() > prepared[j].len();
            if a_longer {
                prepared[i].hold_index();
            }
            let pair = Pair::new(&prepared[i], &prepared[j]);
            out[k_of(i, j)] = Some(Comparison {
                a: name(&items[i]).to_string(),
                b: name(&items[j]).to_string(),
                all: pair.compare(s.k, s.rbo_p),
                top: s
                    .top_fractions
                    .par_iter()
                    .map(|&f| pair.correlate_top(f))
                    .collect(),
            });
            if a_longer {
                prepared[i].release_index();
            }
        }
        prepared[j].release_index();
    }
    out.into_iter()
        .map(|c| c.expect("every pair compared"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Reverse;

    #[test]
    fn top_fraction_uses_the_union_of_both_tops() {
        // a: 1..10 in order; b: reversed. Top 20 %: a's {1, 2}, b's {10, 9}.
        let a: Vec<(u32, u32)> = (1..=10).map(|i| (i, i)).collect();
        let b: Vec<(u32, u32)> = (1..=10).map(|i| (i, 11 - i)).collect();
        let t = correlate_top(&a, &b, 0.2);
        assert_eq!(t.n, 4);
        assert_eq!(t.tau_b, Some(-1.0));
        let full = correlate_top(&a, &a, 1.0);
        assert_eq!((full.n, full.tau_b), (10, Some(1.0)));
        // A tie across the cut-off is left out: ranks 1, 2, 2, 2 with a 50 % cut (2
        // positions) keep only the first account.
        let c = [(1, 1), (2, 2), (3, 2), (4, 2)];
        assert_eq!(correlate_top(&c, &c, 0.5).n, 1);
    }

    fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= tol)
    }

    fn depths(p: &Prepared) -> Vec<(u32, u32)> {
        (0..Depths::len(p)).map(|i| p.at(i)).collect()
    }

    #[test]
    fn depths_are_the_list_itself_exactly_for_competition_ranks() {
        let are_ranks = |l: &[(u32, u32)]| first_depths_are_ranks(l.len(), |i| l[i].1);
        let competition = [(7, 1), (3, 2), (9, 2), (4, 4)];
        assert!(are_ranks(&competition));
        assert_eq!(first_depths(4, |i| competition[i]), competition.to_vec());
        // Dense ranks (1, 2, 2, 3): the last group is first seen at depth 4, not 3.
        let dense = [(7, 1), (3, 2), (9, 2), (4, 3)];
        assert!(!are_ranks(&dense));
        assert!(!are_ranks(&[(1, 2)]) && are_ranks(&[]) && are_ranks(&[(5, 1), (6, 1)]));
        let p = Prepared::new(&dense);
        assert_eq!(depths(&p), [(7, 1), (3, 2), (9, 2), (4, 4)]);
        // Either way RBO is what the depths give.
        let q = Prepared::new(&competition);
        assert_eq!(depths(&q), competition);
    }

    /// Every pair, in pair order, as [`compare`] and [`correlate_top`] give it, with
    /// lists of different lengths (a longer than b and b longer than a) and one out of
    /// rank order.
    #[test]
    fn compare_all_gives_every_pair_in_pair_order() {
        let lists: Vec<(String, Vec<(u32, u32)>)> = vec![
            ("short".into(), vec![(9, 1), (1, 2), (4, 2)]),
            (
                "long".into(),
                (0..12).map(|i| (11 - i, i / 3 * 3 + 1)).collect(),
            ),
            (
                "mid".into(),
                vec![(4, 1), (2, 2), (9, 2), (1, 4), (7, 5), (3, 6)],
            ),
            ("unsorted".into(), vec![(9, 3), (4, 1), (1, 2), (2, 1)]),
            ("long again".into(), (0..12).map(|i| (i, i + 1)).collect()),
        ];
        let fractions = [0.25, 1.0];
        let settings = Settings {
            k: 2,
            rbo_p: 0.9,
            top_fractions: &fractions,
        };
        let all = compare_all(&lists, |l| l.0.as_str(), |l| l.1.as_slice(), &settings);
        let mut k = 0;
        for i in 0..lists.len() {
            for j in i + 1..lists.len() {
                let (a, b) = (&lists[i].1, &lists[j].1);
                let c = &all[k];
                assert_eq!(
                    (c.a.as_str(), c.b.as_str()),
                    (lists[i].0.as_str(), lists[j].0.as_str())
                );
                assert_eq!(c.all, compare(a, b, 2, 0.9), "{} vs {}", c.a, c.b);
                for (t, &f) in c.top.iter().zip(&fractions) {
                    assert_eq!(*t, correlate_top(a, b, f), "{} vs {} at {f}", c.a, c.b);
                }
                k += 1;
            }
        }
        assert_eq!(all.len(), k);
    }

    /// A ranked list compared in place gives what its (account, rank) pairs give, for
    /// a normalised list (read in place) and for one out of rank order or with an
    /// account twice (copied and normalised).
    #[test]
    fn lists_in_place_compare_as_their_pairs() {
        /// A list shaped as a ranking: accounts and ranks in columns.
        struct Columns {
            accounts: Vec<u32>,
            ranks: Vec<u32>,
        }
        impl RankedList for Columns {
            fn len(&self) -> usize {
                self.accounts.len()
            }
            fn id(&self, i: usize) -> u32 {
                self.accounts[i]
            }
            fn rank(&self, i: usize) -> u32 {
                self.ranks[i]
            }
        }
        let list = |e: &[(u32, u32)]| Columns {
            accounts: e.iter().map(|p| p.0).collect(),
            ranks: e.iter().map(|p| p.1).collect(),
        };
        let a = [(4, 1), (2, 2), (9, 2), (1, 4), (7, 5), (3, 6)];
        let b = [(9, 1), (1, 2), (4, 3), (8, 3), (2, 5), (7, 6)];
        let unsorted = [(9, 3), (4, 1), (4, 2), (1, 2), (2, 1)];
        let (la, lb, lu) = (list(&a), list(&b), list(&unsorted));
        assert!(matches!(Prepared::of_list(&la).list, List::Borrowed(_)));
        assert!(matches!(Prepared::of_list(&lu).list, List::Own(_)));
        for ((x, lx), (y, ly)) in [
            ((&a[..], &la), (&b[..], &lb)),
            ((&b, &lb), (&a, &la)),
            ((&a, &la), (&unsorted, &lu)),
            ((&unsorted, &lu), (&b, &lb)),
        ] {
            let (px, py) = (Prepared::of_list(lx), Prepared::of_list(ly));
            let pair = Pair::new(&px, &py);
            assert_eq!(pair.compare(2, 0.9), compare(x, y, 2, 0.9));
            assert_eq!(pair.correlate_top(0.5), correlate_top(x, y, 0.5));
        }
    }

    #[test]
    fn weighted_tau_of_reversed_ranks_equals_it_of_negated_float_ranks() {
        let mut s = 7u64;
        let mut next = |m: u64| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) % m
        };
        // Ranks drawn from few values (many ties), from many, and sparse large ones.
        for (n, values) in [
            (2usize, 2u64),
            (3, 2),
            (10, 6),
            (200, 101),
            (200, 7),
            (5000, 5000),
            (5000, 40),
            (3000, 1 << 20),
        ] {
            let a: Vec<u32> = (0..n).map(|_| next(values) as u32 + 1).collect();
            let b: Vec<u32> = (0..n).map(|_| next(values) as u32 + 1).collect();
            let neg = |v: &[u32]| v.iter().map(|&r| -f64::from(r)).collect::<Vec<_>>();
            let rev = |v: &[u32]| v.iter().map(|&r| Reverse(r)).collect::<Vec<_>>();
            let want = weighted::weighted_tau(&neg(&a), &neg(&b));
            assert_eq!(
                weighted::weighted_tau_of(&rev(&a), &rev(&b)),
                want,
                "n = {n}"
            );
            // The counting-sort path for ranks: the same to the bit, its halves side
            // by side or one after the other.
            assert_eq!(
                weighted::weighted_tau_ranks(&a, &b),
                want,
                "n = {n}, {values} values"
            );
            assert_eq!(weighted::weighted_tau_ranks_as(&a, &b, false), want);
        }
        // All tied on one side: no statistic, either way.
        let ones = vec![1u32; 10];
        let other: Vec<u32> = (1..=10).collect();
        assert_eq!(weighted::weighted_tau_ranks(&ones, &other), None);
        assert_eq!(weighted::weighted_tau_ranks(&[1], &[1]), None);
    }

    #[test]
    fn identical_rankings_agree_fully() {
        let a = [(7, 1), (3, 2), (9, 2), (4, 4)];
        let c = compare(&a, &a, 2, 0.9);
        assert_eq!((c.n_a, c.n_b, c.n_common), (4, 4, 4));
        assert_eq!(c.tau_b, Some(1.0));
        assert_eq!(c.spearman, Some(1.0));
        assert_eq!(c.jaccard_top_k, Some(1.0));
        assert!(close(c.rbo, 1.0, 1e-12), "{:?}", c.rbo);
    }

    #[test]
    fn worked_example_with_ties_and_uneven_lengths() {
        let a = [(10, 1), (11, 2), (12, 2), (13, 4), (14, 5)];
        let b = [(11, 1), (10, 2), (13, 3), (15, 3), (12, 5), (16, 6)];
        let c = compare(&a, &b, 2, 0.5);
        assert_eq!((c.n_a, c.n_b, c.n_common), (5, 6, 4));

        // Common ids 10, 11, 12, 13 with ranks x = [1, 2, 2, 4], y = [2, 1, 5, 3].
        // Pairs: (10,11) d, (10,12) c, (10,13) c, (11,12) tied in x, (11,13) c,
        // (12,13) d: nc - nd = 1, n0 = 6, n1 = 1, n2 = 0 -> tau_b = 1/sqrt(5*6).
        assert!(close(c.tau_b, 1.0 / 30f64.sqrt(), 1e-15), "{:?}", c.tau_b);
        // Mid-ranks x -> [1, 2.5, 2.5, 4], y -> [2, 1, 4, 3]; centred at 2.5:
        // sum dx dy = 1.5, sum dx^2 = 4.5, sum dy^2 = 5 -> rho = 1.5/sqrt(22.5) = 1/sqrt(10).
        assert!(close(c.spearman, 0.1f64.sqrt(), 1e-15), "{:?}", c.spearman);

        // Top-2: in a the tie 11, 12 at rank 2 straddles position 2, so a's top 2 is
        // {10}; b's is {11, 10}. |{10}| / |{10,11}| = 1/2.
        assert!(close(c.jaccard_top_k, 0.5, 1e-15));

        // RBO, p = 1/2. S = a (s = 5), L = b (l = 6). First-seen depths:
        // a: 10@1, 11@2, 12@2, 13@4, 14@5; b: 11@1, 10@2, 13@3, 15@3, 12@5, 16@6.
        // Common ids enter the overlap at the later depth: 10@2, 11@2, 13@4, 12@5.
        // |a:d| = 1,3,3,4,5; |b:d| = 1,2,4,4,5,6; X_d = 0,2,2,3,4,4.
        // A_1..A_5 = 0, 4/5, 4/7, 3/4, 4/5 (= A_s); A_6 = 2(4 + 4/5)/(6 + 6) = 4/5.
        // (1-p) sum p^(d-1) A_d = 1/5 + 1/14 + 3/64 + 1/40 + 1/80;
        // tail p^6 (X_6 + (6-5) A_s)/6 = 1/80. Total 825/2240 = 165/448.
        assert!(close(c.rbo, 165.0 / 448.0, 1e-15), "{:?}", c.rbo);
        assert_eq!(c.rbo_p, 0.5);
        assert_eq!(c.k, 2);

        // Top-3: a's {10,11,12} (the tie ends at position 3); in b the tie 13, 15 at
        // rank 3 straddles position 3, so b's top 3 is {11, 10}: 2/3.
        assert!(close(
            compare(&a, &b, 3, 0.5).jaccard_top_k,
            2.0 / 3.0,
            1e-15
        ));
    }

    /// The pair's weighted tau is scipy's `weightedtau(-rank_a, -rank_b)` over the
    /// accounts both rank, in `a`'s order: here accounts 1..=5 in both, 6 only in `a`.
    #[test]
    fn weighted_tau_is_over_the_common_accounts_negated_ranks() {
        let a = [(1, 1), (2, 2), (3, 2), (4, 4), (5, 5), (6, 6)];
        let b = [(2, 1), (1, 2), (4, 3), (3, 4), (5, 4)];
        let c = compare(&a, &b, 3, 0.9);
        let want = weighted::weighted_tau(
            &[-1.0, -2.0, -2.0, -4.0, -5.0],
            &[-2.0, -1.0, -4.0, -3.0, -4.0],
        );
        assert_eq!(c.weighted_tau, want);
        assert!(want.is_some_and(|w| w > 0.0 && w < 1.0), "{want:?}");
        assert_eq!(compare(&a, &a, 3, 0.9).weighted_tau, Some(1.0));
    }

    #[test]
    fn degenerate_inputs_give_none_not_panics() {
        let c = compare(&[], &[], 10, 0.9);
        assert_eq!(
            c,
            PairComparison {
                n_a: 0,
                n_b: 0,
                n_common: 0,
                tau_b: None,
                spearman: None,
                weighted_tau: None,
                k: 10,
                jaccard_top_k: None,
                rbo_p: 0.9,
                rbo: None,
            }
        );
        // One common account: no correlation; k = 0: empty top sets; bad p: no RBO.
        let c = compare(&[(1, 1), (2, 2)], &[(2, 1), (3, 2)], 0, f64::NAN);
        assert_eq!(c.n_common, 1);
        assert_eq!(
            (c.tau_b, c.spearman, c.jaccard_top_k, c.rbo),
            (None, None, None, None)
        );
        // Huge k takes every id; disjoint lists give Jaccard 0 and RBO 0.
        let c = compare(&[(1, 1)], &[(2, 1)], usize::MAX, 0.9);
        assert_eq!((c.jaccard_top_k, c.rbo), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn unsorted_and_repeated_input_is_normalised() {
        let clean = [(1, 1), (2, 2), (3, 3)];
        let messy = [(3, 3), (1, 1), (2, 2), (1, 5)];
        let other = [(2, 1), (1, 2), (3, 3)];
        assert_eq!(
            compare(&messy, &other, 2, 0.9),
            compare(&clean, &other, 2, 0.9)
        );
    }
}
