//! Summaries of a family's rankings: per account (nominal, median and 5–95 % rank,
//! P(top N), P(ranked)) and per universe (how many ranked, top-N Jaccard with nominal).
//!
//! Quantiles are type 1 of Hyndman & Fan (1996): the smallest rank r with
//! F(r) >= q, so they are always ranks that occurred. An account not ranked in a
//! universe (it did not qualify) has rank +inf there; a quantile that falls on +inf is
//! reported as None ("unranked").

use std::collections::BTreeSet;

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
pub fn summarise(
    nominal: &Ranking,
    universes: &[Ranking],
    n_accounts: usize,
    top_n: u32,
) -> (Vec<AccountStability>, Vec<UniverseSummary>) {
    let nominal_rank = nominal.rank_of(n_accounts);
    let nominal_top = nominal.top(top_n);
    let ranks: Vec<Vec<Option<u32>>> = universes.iter().map(|r| r.rank_of(n_accounts)).collect();
    let in_top: Vec<Vec<bool>> = universes
        .iter()
        .map(|u| {
            let mut v = vec![false; n_accounts];
            for a in u.top(top_n) {
                v[a as usize] = true;
            }
            v
        })
        .collect();
    let nominal_in: std::collections::HashSet<u32> = nominal_top.iter().copied().collect();
    let mut covered: BTreeSet<u32> = nominal.entries.iter().map(|e| e.account).collect();
    for u in universes {
        covered.extend(u.top(top_n));
    }
    let r = universes.len() as f64;
    let mut per_account = Vec::with_capacity(covered.len());
    for a in covered {
        let mut rs: Vec<Option<u32>> = ranks.iter().map(|v| v[a as usize]).collect();
        // None must sort after every rank.
        rs.sort_by_key(|x| x.unwrap_or(u32::MAX));
        let in_top = in_top.iter().filter(|v| v[a as usize]).count();
        let ranked = rs.iter().filter(|x| x.is_some()).count();
        per_account.push(AccountStability {
            account: a,
            nominal_in_top: nominal_in.contains(&a),
            nominal_rank: nominal_rank[a as usize],
            median_rank: quantile(&rs, 0.5),
            rank_q05: quantile(&rs, 0.05),
            rank_q95: quantile(&rs, 0.95),
            p_top_n: if r > 0.0 { in_top as f64 / r } else { 0.0 },
            p_ranked: if r > 0.0 { ranked as f64 / r } else { 0.0 },
        });
    }
    per_account.sort_by_key(|s| (s.nominal_rank.unwrap_or(u32::MAX), s.account));
    let per_universe = universes
        .iter()
        .map(|u| {
            let top = u.top(top_n);
            UniverseSummary {
                n_ranked: u.entries.len(),
                n_top: top.len(),
                jaccard_top_n: jaccard(&top, &nominal_top),
            }
        })
        .collect();
    (per_account, per_universe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::Entry;

    fn ranking(order: &[u32]) -> Ranking {
        Ranking {
            entries: order
                .iter()
                .enumerate()
                .map(|(i, &a)| Entry {
                    account: a,
                    score: 0.0,
                    rank: i as u32 + 1,
                })
                .collect(),
            qualified: None,
            diagnostics: Default::default(),
        }
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
