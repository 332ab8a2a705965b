//! Sobol bars with intervals: per factor of the multiverse's Sobol design, the
//! first-order and total Sobol index of the covered accounts' ranks with their 95 %
//! bootstrap intervals, over a shaded "noise floor" from 0 to the dummy factor's upper
//! bound (a factor whose bars stay inside it cannot be told from a choice that changes
//! nothing). Drawn by the variance chart ([`super::variance::variance_bars_with`]);
//! this file says which results it shows and the sentence its title states.

use std::path::Path;

use anyhow::Result;

use super::variance::{FactorEffect, variance_bars_with};
use crate::results::{Figure, Results};
use crate::sensitivity::sobol::Interval;
use crate::sensitivity::sobol_multiverse::{RANKS, SobolResult};

/// The title's finding, from the `ranks` rows of `sobol_indices`: the factor with the
/// largest total index and its interval, and the one with the smallest where its
/// interval reaches the noise floor or below 0.05.
pub fn title(sb: &SobolResult) -> Option<String> {
    let o = sb.outputs.iter().find(|o| o.output == RANKS)?;
    let f = o.factors.as_ref()?;
    let by_total = |a: &&(usize, &(Interval, Interval)), b: &&(usize, &(Interval, Interval))| {
        a.1.1.estimate.total_cmp(&b.1.1.estimate)
    };
    let indexed: Vec<(usize, &(Interval, Interval))> = f.iter().enumerate().collect();
    let (top, (_, t)) = indexed.iter().max_by(by_total)?;
    // Every factor whose total interval reaches the largest one's: no "most" among
    // factors the data cannot tell apart.
    let mut leaders: Vec<&(usize, &(Interval, Interval))> = indexed
        .iter()
        .filter(|(i, (_, x))| i == top || x.upper >= t.lower)
        .collect();
    leaders.sort_by(|a, b| by_total(b, a).then(a.0.cmp(&b.0)));
    let mut s = if leaders.len() == 1 {
        format!(
            "The {} drives the ranks most: total Sobol index {:.2} (95 % {:.2}–{:.2})",
            sb.factors[*top], t.estimate, t.lower, t.upper
        )
    } else {
        let names: Vec<String> = leaders
            .iter()
            .map(|(i, _)| format!("the {}", sb.factors[*i]))
            .collect();
        let values: Vec<String> = leaders
            .iter()
            .map(|(_, (_, x))| format!("{:.2}", x.estimate))
            .collect();
        let mut s = crate::plots::kit::join_and(&names);
        s.replace_range(..1, "T");
        format!(
            "{s} drive the ranks about equally (total Sobol indices {}, 95 % intervals overlapping)",
            crate::plots::kit::join_and(&values)
        )
    };
    let floor = o.dummy.map_or(0.0, |d| d.0.upper.max(d.1.upper));
    if let Some((low, (_, lt))) = indexed.iter().min_by(by_total)
        && low != top
        && lt.lower <= floor.max(0.05)
    {
        s.push_str(&format!(
            "; the choice of {} matters little ({:.2})",
            sb.factors[*low], lt.estimate
        ));
    }
    Some(s)
}

/// The Sobol bars of the multiverse's Sobol design, if it ran and its ranks vary.
pub fn figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let Some(sb) = res.multiverse.as_ref().and_then(|m| m.sobol.as_ref()) else {
        return Ok(None);
    };
    let Some(o) = sb.outputs.iter().find(|o| o.output == RANKS) else {
        return Ok(None);
    };
    let (Some(f), Some(title)) = (o.factors.as_ref(), title(sb)) else {
        return Ok(None);
    };
    let rows: Vec<FactorEffect> = sb
        .factors
        .iter()
        .zip(f)
        .map(|(name, (first, total))| FactorEffect {
            factor: name.clone(),
            first_order: first.estimate,
            total: total.estimate,
            first_ci: Some((first.lower, first.upper)),
            total_ci: Some((total.lower, total.upper)),
        })
        .collect();
    let floor = o.dummy.map(|d| d.0.upper.max(d.1.upper));
    let subtitle = format!(
        "Share of the variance of the top {}'s ranks each choice explains, over {} Sobol-sampled universes (N = {})",
        res.study.study.top_n, sb.universes, sb.spec.samples
    );
    let name = "sobol".to_string();
    let files = variance_bars_with(
        &rows,
        floor,
        "Sobol index: share of the variance of ranks",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Some(Figure {
        alt: format!("Sobol bars with intervals. {title}."),
        name,
        title,
        files,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::sobol_multiverse::{OutputIndices, SobolSpec};

    fn iv(e: f64, l: f64, u: f64) -> Interval {
        Interval {
            estimate: e,
            lower: l,
            upper: u,
        }
    }

    #[test]
    fn the_title_names_the_largest_and_the_negligible_total() {
        let mut sb = SobolResult {
            spec: SobolSpec::default(),
            factors: vec!["threshold k".into(), "seed list".into(), "rule".into()],
            universes: 320,
            outputs: vec![OutputIndices {
                output: RANKS,
                factors: Some(vec![
                    (iv(0.2, 0.1, 0.3), iv(0.45, 0.38, 0.53)),
                    (iv(0.3, 0.2, 0.4), iv(0.65, 0.55, 0.75)),
                    (iv(0.0, -0.01, 0.01), iv(0.01, 0.006, 0.014)),
                ]),
                dummy: Some((iv(0.07, 0.06, 0.08), iv(0.0, 0.0, 0.02))),
            }],
            accounts: vec![],
        };
        assert_eq!(
            title(&sb).unwrap(),
            "The seed list drives the ranks most: total Sobol index 0.65 (95 % 0.55–0.75); the choice of rule matters little (0.01)"
        );
        // A smallest factor clearly above the floor is not called negligible.
        if let Some(f) = sb.outputs[0].factors.as_mut() {
            f[2].1 = iv(0.3, 0.2, 0.4);
        }
        assert_eq!(
            title(&sb).unwrap(),
            "The seed list drives the ranks most: total Sobol index 0.65 (95 % 0.55–0.75)"
        );
        // Two leaders whose intervals overlap are named together, largest first.
        if let Some(f) = sb.outputs[0].factors.as_mut() {
            f[0].1 = iv(0.68, 0.61, 0.76);
            f[1].1 = iv(0.63, 0.56, 0.71);
        }
        assert_eq!(
            title(&sb).unwrap(),
            "The threshold k and the seed list drive the ranks about equally (total Sobol indices 0.68 and 0.63, 95 % intervals overlapping)"
        );
    }
}
