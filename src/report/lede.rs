//! The lede: two to four plain sentences a reader (or a blogger) can quote, every number
//! computed from the results and rounded for reading, no internal ids in backticks.
//!
//! The lede speaks of the *key family* ([`Results::key_family`]), whose chart follows it
//! and whose bands the share card draws.

use crate::compare::strict_top_len;
use crate::results::{FamilyResult, Results};
use crate::sensitivity::multiverse;
use crate::sensitivity::summary::Bands;

/// A ranking named for readers: its name in quotes.
pub fn ranking_name(name: &str) -> String {
    format!("“{name}”")
}

/// What a family varied, in plain words.
pub fn family_words(res: &Results, f: &FamilyResult) -> String {
    if f.family == multiverse::FAMILY
        && let Some(mv) = &res.multiverse
    {
        let factors: Vec<&str> = mv.spec.factors.iter().map(|x| x.name.as_str()).collect();
        return format!(
            "{} equally defensible versions of the rule (every combination of {})",
            f.universes.len(),
            join_and(&factors)
        );
    }
    crate::sensitivity::describe(&f.family, &f.universes)
}

pub use crate::plots::kit::join_and;

/// A count for a sentence: "none" for 0.
pub fn count(n: usize) -> String {
    if n == 0 { "none".into() } else { n.to_string() }
}

/// How many of the top N of `a` are in the top N of `b` (strict tops: a tie straddling
/// position N is left out of both, as in every top-N table).
pub fn shared_top(res: &Results, a: &str, b: &str) -> Option<(usize, usize)> {
    let top_n = res.study.study.top_n;
    let find = |n: &str| res.rankings.iter().find(|(s, _)| s.name == n).map(|x| &x.1);
    let (ra, rb) = (find(a)?, find(b)?);
    let ta = ra.top(top_n);
    let tb: std::collections::HashSet<u32> = rb.top(top_n).into_iter().collect();
    Some((ta.iter().filter(|x| tb.contains(x)).count(), ta.len()))
}

/// The rankings with no clear top N: accounts tie across place N from the first place
/// on, so their strict top N is empty; with how many tie at rank 1.
pub fn no_clear_top(res: &Results) -> Vec<(String, usize)> {
    let top_n = res.study.study.top_n;
    res.rankings
        .iter()
        .filter(|(_, r)| !r.is_empty() && r.top(top_n).is_empty())
        .map(|(s, r)| {
            let first = r.entries().filter(|e| e.rank == 1).count();
            (s.name.clone(), first)
        })
        .collect()
}

/// For every other ranking with a clear top N: how many of the audited ranking's top N
/// it shares, sorted from fewest to most (ties by name).
pub fn overlaps(res: &Results, main: &str) -> Vec<(usize, String)> {
    let unclear: Vec<String> = no_clear_top(res).into_iter().map(|x| x.0).collect();
    let mut v: Vec<(usize, String)> = res
        .rankings
        .iter()
        .filter(|(s, _)| s.name != main && !unclear.contains(&s.name))
        .filter_map(|(s, _)| shared_top(res, main, &s.name).map(|(k, _)| (k, s.name.clone())))
        .collect();
    v.sort();
    v
}

/// The multiverse's factors, the largest total effect (first-order where there is no
/// total) first; equal effects by name.
pub fn effects_by_size(
    mv: &crate::results::MultiverseResult,
) -> Vec<&crate::sensitivity::multiverse::Effect> {
    let mut effects: Vec<_> = mv.effects.iter().collect();
    effects.sort_by(|a, b| {
        b.total
            .unwrap_or(b.first_order)
            .total_cmp(&a.total.unwrap_or(a.first_order))
            .then_with(|| a.factor.cmp(&b.factor))
    });
    effects
}

/// The lede's sentences.
pub fn lede(res: &Results) -> Vec<String> {
    let top_n = res.study.study.top_n;
    let mut out = Vec::new();
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.clone());
    if let Some(f) = res.key_family() {
        let b = Bands::of(&f.accounts);
        let n = b.nominal_top;
        let what = if f.family == multiverse::FAMILY {
            format!(
                "{} equally defensible versions of the rule",
                f.universes.len()
            )
        } else {
            family_words(res, f)
        };
        let table = ranking_name(&f.ranking);
        let cut = if n < top_n as usize {
            format!(" (a tie at place {top_n} leaves {n} accounts certainly in it)")
        } else {
            String::new()
        };
        let who = format!("accounts in the top {top_n} of the {table} table{cut}");
        let kept = match b.core_in_top {
            0 => format!("not one of the {n} {who} stays there"),
            k if k == n => format!("all {n} {who} stay there"),
            1 => format!("only 1 of the {n} {who} stays there"),
            k => format!("only {k} of the {n} {who} stay there"),
        };
        let tail = match b.accidents {
            0 if b.core_in_top == n => format!(": this top {top_n} is robust to these choices"),
            0 => String::new(),
            k => format!(", and {k} drop out in more than half of them"),
        };
        out.push(format!(
            "Across {what}, {kept} in nearly all of them (95 %){tail}."
        ));
    }
    if let Some(mv) = &res.multiverse {
        let effects = effects_by_size(mv);
        if let Some(e) = effects.first() {
            let v = e.total.unwrap_or(e.first_order);
            let tied = effects
                .get(1)
                .is_some_and(|x| (x.total.unwrap_or(x.first_order) - v).abs() < 0.05);
            if !tied {
                out.push(format!(
                    "The choice that matters most is the {}: changing it alone moves an account about {v:.0} places.",
                    e.factor
                ));
            }
        }
    }
    if let Some(m) = &main {
        let ov = overlaps(res, m);
        let n = res
            .rankings
            .iter()
            .find(|(s, _)| &s.name == m)
            .map_or(0, |(_, r)| {
                strict_top_len(r.len(), top_n as usize, |i| r.entry(i).rank)
            });
        if let (Some(lo), Some(hi)) = (ov.first(), ov.last())
            && n > 0
        {
            let median = ov[ov.len() / 2].0;
            out.push(format!(
                "Ranked instead by {} other measures of the same people, a median of {median} of these {n} accounts stay in the top {top_n} (from {} under {} to {} under {}{}): who comes out on top depends on what is measured.",
                ov.len(),
                lo.0,
                ranking_name(&lo.1),
                hi.0,
                ranking_name(&hi.1),
                unclear_words(res, top_n)
            ));
        }
    }
    if let Some(g) = res.gaming.iter().find(|g| {
        Some(&g.ranking) == main.as_ref()
            && g.not_computed.is_none()
            && g.share_self_only.is_some_and(|s| s > 0.0)
    }) {
        out.push(format!(
            "It can be gamed: {} of the accounts outside its top {top_n} could get in by their own actions alone.",
            pct_words(g.share_self_only.unwrap_or(0.0))
        ));
    }
    out.truncate(4);
    out
}

/// "; “x” has no clear top 3 (4 accounts tie at rank 1)", for the rankings left out of
/// the overlaps.
pub fn unclear_words(res: &Results, top_n: u32) -> String {
    no_clear_top(res)
        .iter()
        .map(|(name, k)| {
            format!(
                "; {} has no clear top {top_n}: {k} accounts tie at rank 1",
                ranking_name(name)
            )
        })
        .collect()
}

/// A share for a sentence: "3 %", "less than 1 %", "all".
pub fn pct_words(x: f64) -> String {
    if x >= 1.0 {
        "all".into()
    } else if x > 0.0 && x < 0.005 {
        "less than 1 %".into()
    } else {
        format!("{:.0} %", 100.0 * x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_words() {
        assert_eq!(join_and::<&str>(&[]), "");
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(count(0), "none");
        assert_eq!(pct_words(0.001), "less than 1 %");
        assert_eq!(pct_words(0.25), "25 %");
        assert_eq!(pct_words(1.0), "all");
    }
}
