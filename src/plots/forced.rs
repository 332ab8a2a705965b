//! The forced-order chart: for a rule's top N, each account's best and worst rank over
//! every increasing combination of the rule's columns (the linear extensions of their
//! Pareto order), its expected rank if all are equally likely, and how often it is in
//! the top N ([`crate::critique::forced_order`]). Drawn as a caterpillar, so it reads
//! beside the perturbation caterpillars.

use std::path::Path;

use anyhow::Result;

use super::caterpillar::{IntervalRow, Words, caterpillar_with};
use super::kit;
use crate::critique::forced_order::{Expected, ForcedResult};
use crate::results::{Figure, Results};

const WORDS: Words = Words {
    over: "consistent orders",
    interval: "best to worst possible rank",
    centre: "expected rank",
    x_title: "Rank over every order consistent with the counts",
};

/// The rule's columns in words: `followers_in_sample` → "followers in sample".
pub fn columns_in_words(cols: &[String]) -> String {
    kit::join_and(&cols.iter().map(|c| c.replace('_', " ")).collect::<Vec<_>>())
}

/// The forced-order chart of [`Results::key_forced`], if there is one.
pub fn figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let Some(f) = res.key_forced() else {
        return Ok(None);
    };
    Ok(Some(draw(res, f, dir)?))
}

fn draw(res: &Results, f: &ForcedResult, dir: &Path) -> Result<Figure> {
    let accounts = &res.data.accounts;
    let n = res.study.study.top_n;
    let rows: Vec<IntervalRow> = f.rows[..f.top]
        .iter()
        .map(|r| IntervalRow {
            label: accounts.label(r.account).to_string(),
            nominal: r.rank,
            median: r.expected,
            lo: Some(r.best as f64),
            hi: Some(r.worst as f64),
            p_top: r.p_top.unwrap_or(0.0),
        })
        .collect();
    let cols = columns_in_words(&f.columns);
    let sure = f.forced_in;
    let rest = f.top.saturating_sub(sure);
    let title = format!(
        "{} of the top {} {} in it however {cols} are combined; {} accounts could take the other {rest} places",
        sure,
        f.top,
        if sure == 1 { "is" } else { "are" },
        f.open(),
    );
    let how = match &f.expected {
        Some(Expected::Exact { extensions }) => {
            format!("exact over {} orders", kit::count(*extensions as f64))
        }
        Some(Expected::Mcmc { max_r_hat, .. }) => {
            format!(
                "estimated by Markov chains that agree to R-hat ≤ {:.2}",
                max_r_hat
            )
        }
        _ => "approximate".to_string(),
    };
    let subtitle = format!(
        "Ranking {}: its rank (tick); the best to the worst rank any increasing combination of {cols} gives (bar); the expected rank if every such order is equally likely ({how}, dot); colour: share of those orders with the account in the top {n}",
        kit::quoted(&f.ranking)
    );
    let name = format!("forced-order-{}", f.ranking);
    let files = caterpillar_with(&rows, n, &title, &subtitle, &WORDS, &dir.join(&name))?;
    Ok(Figure {
        alt: format!(
            "Rank intervals of the top {} of {:?} over every increasing combination of {cols}: {sure} are in the top {n} in all of them, {} more accounts in some.",
            f.top,
            f.ranking,
            f.open()
        ),
        name,
        title,
        files,
    })
}
