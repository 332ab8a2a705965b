//! Summaries of a family's rankings: per account (nominal, median and 5–95 % rank,
//! P(top N), P(ranked)) and per universe (how many ranked, top-N Jaccard with nominal).
//!
//! Quantiles are type 1 of Hyndman & Fan (1996): the smallest rank r with
//! F(r) >= q, so they are always ranks that occurred. An account not ranked in a
//! universe (it did not qualify) has rank +inf there; a quantile that falls on +inf is
//! reported as None ("unranked").

use rayon::prelude::*;

use crate::compare::overlap::jaccard;
use crate::rankings::Ranking;

/// Per-account summary within one family.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountStability {
    pub account: u32,
    pub nominal_rank: Option<u32>,
    /// In the nominal top N (ties straddling position N excluded).
    pub nominal_in_top: bool,
    pub median_rank: Option<u32>,
    pub rank_q05: Option<u32>,
    pub rank_q95: Option<u32>,
    /// Share of universes with rank <= N.
    pub p_top_n: f64,
    /// Share of universes in which the account is ranked at all.
    pub p_ranked: f64,
}

/// P(top N) at or above this: the account is in the **stable core**.
pub const STABLE: f64 = 0.95;
/// P(top N) below this, for an account in the nominal top N: it is there **by accident**.
pub const ACCIDENT: f64 = 0.5;

/// One family's accounts sorted into the bands that every chart and sentence names,
/// so that a count in a title and a count in the report are the same count.
///
/// The nominal top N splits into `core_in_top` (P ≥ [`STABLE`]), `in_and_out`
/// (between) and `accidents` (P < [`ACCIDENT`]); the accounts outside it split into
/// `core_outside` (P ≥ [`STABLE`]: in the top N of nearly every perturbed run although
/// not of the nominal one, e.g. the #51), `often_outside` ([`ACCIDENT`] ≤ P < [`STABLE`])
/// and `rarely_outside` (0 < P < [`ACCIDENT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bands {
    pub nominal_top: usize,
    pub core_in_top: usize,
    pub in_and_out: usize,
    pub accidents: usize,
    pub core_outside: usize,
    pub often_outside: usize,
    pub rarely_outside: usize,
}

impl Bands {
    pub fn of(accounts: &[AccountStability]) -> Self {
        let mut b = Bands::default();
        for a in accounts {
            let p = a.p_top_n;
            match (a.nominal_in_top, p >= STABLE, p >= ACCIDENT) {
                (true, true, _) => b.core_in_top += 1,
                (true, false, true) => b.in_and_out += 1,
                (true, false, false) => b.accidents += 1,
                (false, true, _) => b.core_outside += 1,
                (false, false, true) => b.often_outside += 1,
                (false, false, false) if p > 0.0 => b.rarely_outside += 1,
                _ => {}
            }
            b.nominal_top += usize::from(a.nominal_in_top);
        }
        b
    }

    /// Every account in the top N in at least [`STABLE`] of the runs, inside or outside
    /// the nominal top N.
    pub fn core(&self) -> usize {
        self.core_in_top + self.core_outside
    }

    /// Accounts outside the nominal top N that enter it in at least one run.
    pub fn entrants(&self) -> usize {
        self.core_outside + self.often_outside + self.rarely_outside
    }
}

/// Per-universe summary.
#[derive(Debug, Clone, PartialEq)]
pub struct UniverseSummary {
    pub n_ranked: usize,
    pub n_top: usize,
    /// Jaccard of this universe's top N with the nominal top N (None if both empty).
    pub jaccard_top_n: Option<f64>,
}

/// Type-1 quantile of sorted ranks where `None` sorts last (+inf).
fn quantile(sorted: &[Option<u32>], q: f64) -> Option<u32> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let pos = ((q * n as f64).ceil() as usize).clamp(1, n);
    sorted[pos - 1]
}

/// Summarise a family. Accounts covered: those ranked nominally, plus any account in the
/// top N of some universe.
///
/// Complexity: O(n + sum of the universes' lengths + c · R log R) for c covered
/// accounts and R universes (never an n × R table).
pub fn summarise(
    nominal: &Ranking,
    universes: &[Ranking],
    n_accounts: usize,
    top_n: u32,
) -> (Vec<AccountStability>, Vec<UniverseSummary>) {
    let nominal_top = nominal.top(top_n);
    let tops: Vec<Vec<u32>> = universes.par_iter().map(|u| u.top(top_n)).collect();
    // slot[a]: a's row among the covered accounts (ascending account order), or MAX.
    const NONE: u32 = u32::MAX;
    let mut slot = vec![NONE; n_accounts];
    for a in nominal
        .entries()
        .map(|e| e.account)
        .chain(tops.iter().flatten().copied())
    {
        slot[a as usize] = 0;
    }
    let mut covered = Vec::new();
    for (a, s) in slot.iter_mut().enumerate() {
        if *s != NONE {
            *s = covered.len() as u32;
            covered.push(a as u32);
        }
    }
    let mut nominal_rank: Vec<Option<u32>> = vec![None; covered.len()];
    for e in nominal.entries() {
        nominal_rank[slot[e.account as usize] as usize] = Some(e.rank);
    }
    let mut nominal_in = vec![false; covered.len()];
    for &a in &nominal_top {
        nominal_in[slot[a as usize] as usize] = true;
    }
    // ranks[c * R + j]: the rank of covered account c in universe j (MAX = unranked).
    let nu = universes.len();
    let mut ranks = vec![NONE; covered.len() * nu];
    let mut in_top = vec![0usize; covered.len()];
    for (j, (u, top)) in universes.iter().zip(&tops).enumerate() {
        for e in u.entries() {
            let c = slot[e.account as usize];
            if c != NONE {
                ranks[c as usize * nu + j] = e.rank;
            }
        }
        for &a in top {
            in_top[slot[a as usize] as usize] += 1;
        }
    }
    let r = nu as f64;
    let mut per_account: Vec<AccountStability> = covered
        .par_iter()
        .enumerate()
        .map(|(c, &a)| {
            let mut rs: Vec<Option<u32>> = if nu == 0 {
                Vec::new()
            } else {
                ranks[c * nu..(c + 1) * nu]
                    .iter()
                    .map(|&x| (x != NONE).then_some(x))
                    .collect()
            };
            // None must sort after every rank.
            rs.sort_by_key(|x| x.unwrap_or(u32::MAX));
            let ranked = rs.iter().filter(|x| x.is_some()).count();
            AccountStability {
                account: a,
                nominal_in_top: nominal_in[c],
                nominal_rank: nominal_rank[c],
                median_rank: quantile(&rs, 0.5),
                rank_q05: quantile(&rs, 0.05),
                rank_q95: quantile(&rs, 0.95),
                p_top_n: if r > 0.0 { in_top[c] as f64 / r } else { 0.0 },
                p_ranked: if r > 0.0 { ranked as f64 / r } else { 0.0 },
            }
        })
        .collect();
    per_account.sort_by_key(|s| (s.nominal_rank.unwrap_or(u32::MAX), s.account));
    let per_universe = universes
        .par_iter()
        .zip(&tops)
        .map(|(u, top)| UniverseSummary {
            n_ranked: u.len(),
            n_top: top.len(),
            jaccard_top_n: jaccard(top, &nominal_top),
        })
        .collect();
    (per_account, per_universe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(order: &[u32]) -> Ranking {
        let mut r = Ranking::default();
        for &a in order {
            r.push(a, 0.0, false);
        }
        r
    }

    #[test]
    fn bands_split_inside_and_outside_the_nominal_top() {
        let a = |nominal_in_top: bool, p_top_n: f64| AccountStability {
            account: 0,
            nominal_rank: None,
            nominal_in_top,
            median_rank: None,
            rank_q05: None,
            rank_q95: None,
            p_top_n,
            p_ranked: 1.0,
        };
        let accounts = [
            a(true, 1.0),
            a(true, 0.95),
            a(true, 0.94),
            a(true, 0.5),
            a(true, 0.49),
            a(true, 0.0),
            a(false, 0.97),
            a(false, 0.5),
            a(false, 0.01),
            a(false, 0.0),
        ];
        let b = Bands::of(&accounts);
        assert_eq!(
            b,
            Bands {
                nominal_top: 6,
                core_in_top: 2,
                in_and_out: 2,
                accidents: 2,
                core_outside: 1,
                often_outside: 1,
                rarely_outside: 1,
            }
        );
        assert_eq!((b.core(), b.entrants()), (3, 3));
    }

    #[test]
    fn type_one_quantiles_with_unranked_last() {
        let s = [Some(1), Some(2), Some(3), None];
        assert_eq!(quantile(&s, 0.05), Some(1));
        assert_eq!(quantile(&s, 0.5), Some(2));
        assert_eq!(quantile(&s, 0.75), Some(3));
        assert_eq!(quantile(&s, 0.95), None);
    }

    #[test]
    fn stability_of_a_swap_and_a_dropout() {
        let nominal = ranking(&[0, 1, 2]);
        let universes = vec![
            ranking(&[0, 1, 2]),
            ranking(&[1, 0, 2]),
            ranking(&[0, 1]),
            ranking(&[0, 2, 1]),
        ];
        let (acc, uni) = summarise(&nominal, &universes, 4, 2);
        let a0 = &acc[0];
        assert_eq!(
            (a0.account, a0.nominal_rank, a0.median_rank),
            (0, Some(1), Some(1))
        );
        assert_eq!((a0.rank_q05, a0.rank_q95), (Some(1), Some(2)));
        assert_eq!(a0.p_top_n, 1.0);
        let a2 = &acc[2];
        assert_eq!(a2.account, 2);
        assert_eq!(a2.p_ranked, 0.75);
        assert_eq!(a2.rank_q95, None);
        assert_eq!(a2.p_top_n, 0.25);
        assert_eq!(uni[0].jaccard_top_n, Some(1.0));
        assert_eq!(uni[3].jaccard_top_n, Some(1.0 / 3.0));
    }
}
