//! Rank inference for rankings by event counts (issue #14, part 2; methodology §6e):
//! which of a "most retweeted" top N the data can vouch for.
//!
//! The events an account received are read as one multinomial sample of the
//! conversation (csranks' `csranks_multinom`; Bazylik, Mogstad, Romano, Shaikh &
//! Wilhelm 2021): every pair of accounts is compared by an exact binomial test on their
//! two counts, and Holm's correction keeps all statements jointly true with probability
//! ≥ 95 % ([`rank_ci::multinomial_exact_band`]). The family is the pairs with at least
//! one account in the *band*, the top [`BAND_FACTOR`] · N by count: the sets of the band
//! accounts are what the top-N question needs; those outside the band are valid and
//! wider. Per account: the 95 % set of ranks and a label for the top N (confidently in:
//! worst rank ≤ N; confidently out: best rank > N; else undetermined). Per attribute
//! group: its share of the top N with the interval the labels give.

use super::rank_ci::{self, RankInterval, TopLabel};
use crate::dataset::Accounts;
use crate::rankings::Ranking;

/// The band is the top `BAND_FACTOR · N` accounts by count (with everyone tied at its
/// last place).
pub const BAND_FACTOR: usize = 3;
/// Joint coverage of all the statements.
pub const COVERAGE: f64 = 0.95;

/// One account of the band.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub account: u32,
    pub events: u64,
    pub rank: u32,
    /// The 95 % set of ranks, all statements jointly.
    pub set: RankInterval,
    /// The 95 % set for this account alone (its own family; never wider).
    pub marginal: RankInterval,
    pub label: TopLabel,
    /// The joint 95 % set from the event bootstrap's replicates (csranks with their
    /// covariance), where the study runs one on this ranking.
    pub bootstrap: Option<RankInterval>,
}

/// The same question answered from the event bootstrap's replicates instead of the
/// multinomial model ([`rank_ci::bootstrap_band_ci`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapSets {
    pub replicates: usize,
    pub confidently_in: usize,
    pub undetermined: usize,
    pub confidently_out: usize,
}

/// A group's share of the top N, with the interval the labels allow.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupShare {
    pub attribute: String,
    pub group: String,
    /// Its share of the ranking's strict top N.
    pub observed: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The rank inference of one ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInference {
    pub ranking: String,
    pub accounts: usize,
    pub events: u64,
    pub band: usize,
    pub confidently_in: usize,
    pub undetermined: usize,
    pub confidently_out: usize,
    /// The τ-worst set for τ = N (csranks' `cstauworst`): how many accounts could be
    /// among the N with the fewest events, from the band at the bottom (the last
    /// `BAND_FACTOR · N`, extended over a tie at its start).
    pub could_be_bottom_n: usize,
    /// Band rows in rank order.
    pub rows: Vec<Row>,
    pub groups: Vec<GroupShare>,
    /// From the event bootstrap, when the study runs one on this ranking and it fits
    /// [`BOOTSTRAP_BUDGET`]; else why not (None when there is no bootstrap).
    pub bootstrap: Option<Result<BootstrapSets, String>>,
    /// Why it was not computed, if so.
    pub not_computed: Option<String>,
}

/// Largest replicates × accounts matrix the bootstrap version reads (8 bytes each).
pub const BOOTSTRAP_BUDGET: usize = 50_000_000;
/// Draws of the max-t statistic for its critical values (csranks' default R).
pub const BOOTSTRAP_DRAWS: usize = 1000;

/// The analysis of ranking `name`, whose scores are event counts; `attributes` are
/// account columns whose groups' shares of the top N get intervals.
/// `replicates`: the rankings of the event bootstrap's replicates of this ranking, if
/// the study runs one; `seed` draws its critical values.
pub fn analyse(
    name: &str,
    r: &Ranking,
    top_n: u32,
    accounts: &Accounts,
    attributes: &[String],
    replicates: Option<&[Ranking]>,
    seed: u64,
) -> RankInference {
    let n = r.len();
    let mut res = RankInference {
        ranking: name.to_string(),
        accounts: n,
        events: 0,
        band: 0,
        confidently_in: 0,
        undetermined: 0,
        confidently_out: 0,
        could_be_bottom_n: 0,
        rows: Vec::new(),
        groups: Vec::new(),
        bootstrap: None,
        not_computed: None,
    };
    let whole = r
        .entries()
        .all(|e| e.score >= 0.0 && e.score.fract() == 0.0 && e.score < 9.0e15);
    if !whole {
        res.not_computed =
            Some("the scores are not whole numbers of events (weighted events)".into());
        return res;
    }
    let counts: Vec<u64> = r.entries().map(|e| e.score as u64).collect();
    res.events = counts.iter().sum();
    let top = top_n as usize;
    if res.events == 0 || n < 2 || top >= n {
        res.not_computed = Some(if res.events == 0 {
            "no events".to_string()
        } else {
            format!("{n} ranked accounts: no more than the top {top_n}")
        });
        return res;
    }
    // The band: the first BAND_FACTOR · N entries, extended over a tie at its end.
    let mut b = (BAND_FACTOR * top).min(n);
    while b < n && r.tied_with_previous(b) {
        b += 1;
    }
    let band: Vec<bool> = (0..n).map(|i| i < b).collect();
    res.band = b;
    let sets = match rank_ci::multinomial_exact_band(&counts, &band, COVERAGE) {
        Ok(s) => s,
        Err(e) => {
            res.not_computed = Some(e);
            return res;
        }
    };
    let marginal = match rank_ci::multinomial_exact_marginal_band(&counts, &band, COVERAGE) {
        Ok(s) => s,
        Err(e) => {
            res.not_computed = Some(e);
            return res;
        }
    };
    let labels = rank_ci::top_n_labels(&sets, top).expect("1 ≤ N < n");
    let mut low = n - (BAND_FACTOR * top).min(n);
    while low > 0 && r.tied_with_previous(low) {
        low -= 1;
    }
    let bottom: Vec<bool> = (0..n).map(|i| i >= low).collect();
    match rank_ci::multinomial_exact_band(&counts, &bottom, COVERAGE)
        .and_then(|s| rank_ci::tau_worst(&s, top))
    {
        Ok(w) => res.could_be_bottom_n = w.iter().filter(|&&x| x).count(),
        Err(e) => {
            res.not_computed = Some(e);
            return res;
        }
    }
    let boot = replicates.map(|reps| bootstrap_sets(r, &counts, reps, &band, seed));
    let boot_sets = boot.as_ref().and_then(|b| b.as_ref().ok());
    res.bootstrap = boot.as_ref().map(|b| {
        b.as_ref().map_err(Clone::clone).map(|sets| {
            let l = rank_ci::top_n_labels(sets, top).expect("1 ≤ N < n");
            let count = |x: TopLabel| l.iter().filter(|&&y| y == x).count();
            BootstrapSets {
                replicates: replicates.map_or(0, <[Ranking]>::len),
                confidently_in: count(TopLabel::In),
                undetermined: count(TopLabel::Undetermined),
                confidently_out: count(TopLabel::Out),
            }
        })
    });
    for l in &labels {
        match l {
            TopLabel::In => res.confidently_in += 1,
            TopLabel::Out => res.confidently_out += 1,
            TopLabel::Undetermined => res.undetermined += 1,
        }
    }
    res.rows = (0..b)
        .map(|i| Row {
            account: r.entry(i).account,
            events: counts[i],
            rank: r.entry(i).rank,
            set: sets[i],
            marginal: marginal[i].expect("a band account"),
            label: labels[i],
            bootstrap: boot_sets.map(|s| s[i]),
        })
        .collect();
    let strict = r.top(top_n).len();
    for attr in attributes {
        let groups: Vec<Option<String>> = r
            .entries()
            .map(|e| accounts.text_value(attr, e.account as usize))
            .collect();
        // Per group: (in the strict top N, confidently in, not confidently out).
        let mut tally: std::collections::BTreeMap<&String, (usize, usize, usize)> =
            std::collections::BTreeMap::new();
        for (k, g) in groups.iter().enumerate() {
            if let Some(g) = g {
                let t = tally.entry(g).or_default();
                t.0 += usize::from(k < strict);
                t.1 += usize::from(labels[k] == TopLabel::In);
                t.2 += usize::from(labels[k] != TopLabel::Out);
            }
        }
        for (g, (within, sure, possible)) in tally {
            res.groups.push(GroupShare {
                attribute: attr.clone(),
                group: g.clone(),
                observed: within as f64 / top as f64,
                lower: sure as f64 / top as f64,
                upper: (possible as f64 / top as f64).min(1.0),
            });
        }
    }
    res
}

/// The joint sets from the replicates' scores (an account a replicate does not rank
/// scores 0: it received no event in that resample).
fn bootstrap_sets(
    r: &Ranking,
    counts: &[u64],
    reps: &[Ranking],
    band: &[bool],
    seed: u64,
) -> Result<Vec<RankInterval>, String> {
    let n = counts.len();
    if reps.len().saturating_mul(n) > BOOTSTRAP_BUDGET {
        return Err(format!(
            "{} replicates × {n} accounts exceed the {BOOTSTRAP_BUDGET} values this reads",
            reps.len()
        ));
    }
    let index: std::collections::HashMap<u32, usize> = r
        .entries()
        .enumerate()
        .map(|(i, e)| (e.account, i))
        .collect();
    let matrix: Vec<Vec<f64>> = reps
        .iter()
        .map(|rep| {
            let mut row = vec![0.0; n];
            for e in rep.entries() {
                if let Some(&i) = index.get(&e.account) {
                    row[i] = e.score;
                }
            }
            row
        })
        .collect();
    let est: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    rank_ci::bootstrap_band_ci(&est, &matrix, band, COVERAGE, BOOTSTRAP_DRAWS, seed)
}

/// The label in words, for tables and the report.
pub fn label_words(l: TopLabel) -> &'static str {
    match l {
        TopLabel::In => "confidently in",
        TopLabel::Out => "confidently out",
        TopLabel::Undetermined => "undetermined",
    }
}
