//! The audit's figures: for each chart, which results it shows and the sentence its
//! title states (computed from the same results as the tables), then the drawing in
//! [`crate::plots`]. A new chart is a drawing in `plots/` and a function here, listed
//! in [`figures`].

use std::path::Path;

use anyhow::Result;

use crate::critique;
use crate::plots;
use crate::rankings::{MethodSpec, Ranking};
use crate::results::{FamilyResult, Figure, MultiverseResult, Results};
use crate::sensitivity::{self, multiverse, threshold};

/// Every figure of the audit, in the order the report shows them.
pub fn figures(res: &Results, dir: &Path) -> Result<Vec<Figure>> {
    let mut figs = Vec::new();
    if res.rankings.len() >= 2 {
        figs.push(bump_figure(res, dir)?);
        figs.push(heatmap_figure(res, dir)?);
    }
    if let Some(f) = gaming_figure(res, dir)? {
        figs.push(f);
    }
    if let Some(f) = lorenz_figure(res, dir)? {
        figs.push(f);
    }
    for attr in &res.study.critique.attributes {
        figs.push(representation_figure(res, attr, dir)?);
    }
    for f in res
        .families
        .iter()
        .filter(|f| f.family != threshold::FAMILY)
    {
        figs.push(membership_figure(res, f, dir)?);
    }
    if let Some(mv) = &res.multiverse {
        figs.extend(multiverse_figures(res, mv, dir)?);
    }
    for f in &res.families {
        figs.push(if f.family == threshold::FAMILY {
            sweep_figure(res, f, dir)?
        } else {
            caterpillar_figure(res, f, dir)?
        });
    }
    Ok(figs)
}

/// Rank intervals of the nominal top N under a family.
fn caterpillar_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let rows: Vec<plots::caterpillar::IntervalRow> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top)
        .map(|a| plots::caterpillar::IntervalRow {
            label: names[a.account as usize].to_string(),
            nominal: a.nominal_rank.expect("filtered"),
            median: a.median_rank.map(f64::from),
            lo: a.rank_q05.map(f64::from),
            hi: a.rank_q95.map(f64::from),
            p_top: a.p_top_n,
        })
        .collect();
    let stable = rows.iter().filter(|r| r.p_top >= 0.95).count();
    let what = sensitivity::describe(&f.family, &f.universes);
    let title = format!(
        "{stable} of the top {} stay in the top {top_n} in at least 95 % of {what}",
        rows.len()
    );
    let subtitle = format!(
        "Ranking {:?}: published rank (tick), median rank (dot) and 5-95 % rank interval per account",
        f.ranking
    );
    let name = figure_name(res, f, "caterpillar");
    let stem = dir.join(&name);
    let files = plots::caterpillar::caterpillar(&rows, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name,
        alt: format!(
            "Rank intervals of the {} accounts in the nominal top {top_n} of {:?} under {}; {stable} stay in the top {top_n} in at least 95 % of runs.",
            rows.len(),
            f.ranking,
            what
        ),
        title,
        files,
    })
}

/// The published top accounts followed across every ranking.
fn bump_figure(res: &Results, dir: &Path) -> Result<Figure> {
    const SHOW: usize = 10;
    // More than 8 columns of lines cannot be followed by eye at blog width.
    const METHODS: usize = 8;
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.clone());
    let (first_spec, first) = res
        .rankings
        .iter()
        .find(|(s, _)| Some(&s.name) == main.as_ref())
        .unwrap_or(&res.rankings[0]);
    let chosen: Vec<&(MethodSpec, Ranking)> = res
        .rankings
        .iter()
        .filter(|(s, _)| s.name == first_spec.name)
        .chain(
            res.rankings
                .iter()
                .filter(|(s, _)| s.name != first_spec.name),
        )
        .take(METHODS)
        .collect();
    let methods: Vec<String> = chosen.iter().map(|(s, _)| s.name.clone()).collect();
    let ranks: Vec<Vec<Option<u32>>> = chosen
        .iter()
        .map(|(_, r)| r.rank_of(res.data.accounts.len()))
        .collect();
    let series: Vec<plots::bump::BumpSeries> = first
        .entries
        .iter()
        .take(SHOW)
        .map(|e| plots::bump::BumpSeries {
            label: names[e.account as usize].to_string(),
            ranks: ranks
                .iter()
                .map(|r| r[e.account as usize].filter(|&k| k <= top_n))
                .collect(),
            highlight: true,
        })
        .collect();
    let stay = series
        .iter()
        .filter(|s| s.ranks.iter().all(Option::is_some))
        .count();
    let title = format!(
        "{stay} of the top {} under `{}` are in the top {top_n} of every one of {} rankings",
        series.len(),
        first_spec.name,
        methods.len()
    );
    let subtitle = format!(
        "Rank of the top {} accounts of `{}` under each ranking (top {top_n} shown)",
        series.len(),
        first_spec.name
    );
    let name = "bump".to_string();
    let files = plots::bump::bump(
        &methods,
        &series,
        top_n,
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Bump chart: {title}."),
        name,
        title,
        files,
    })
}

/// Kendall tau-b (lower triangle) and RBO (upper) between every pair of rankings.
fn heatmap_figure(res: &Results, dir: &Path) -> Result<Figure> {
    let labels: Vec<String> = res.rankings.iter().map(|(s, _)| s.name.clone()).collect();
    let n = labels.len();
    let idx = |name: &str| labels.iter().position(|l| l == name).expect("a ranking");
    let mut values = vec![vec![None; n]; n];
    let mut below_half = 0usize;
    for c in &res.comparisons {
        let (i, j) = (idx(&c.a), idx(&c.b));
        let (lo, hi) = (i.max(j), i.min(j));
        values[lo][hi] = c.all.tau_b;
        values[hi][lo] = c.all.rbo;
        if c.all.rbo.is_some_and(|r| r < 0.5) {
            below_half += 1;
        }
    }
    let title = format!(
        "{below_half} of {} pairs of rankings agree on less than half of who is on top (RBO < 0.5)",
        res.comparisons.len()
    );
    let subtitle = format!(
        "Kendall tau-b over the accounts both rank (lower triangle) and rank-biased overlap, p = {} (upper)",
        res.study.study.rbo_p
    );
    let name = "heatmap".to_string();
    let files = plots::heatmap::heatmap(
        &labels,
        &values,
        "Kendall tau-b",
        "RBO",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Heatmap of agreement between {n} rankings. {title}."),
        name,
        title,
        files,
    })
}

/// How cheaply each costed ranking can be gamed.
fn gaming_figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let top_n = res.study.study.top_n;
    let rows: Vec<plots::gaming::GamingRow> = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_none())
        .take(60)
        .map(|g| plots::gaming::GamingRow {
            // * = costed by search on a sample (upper bounds).
            method: match g.how {
                critique::gaming::How::Search => format!("{}*", g.ranking),
                critique::gaming::How::Exact => g.ranking.clone(),
            },
            share_self_only: g.share_self_only.unwrap_or(0.0),
            median_self: g.median_self_only,
            median_others: g.median_others,
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let cheap = rows
        .iter()
        // The largest share; among equal shares, the fewest own actions.
        .max_by(|a, b| {
            a.share_self_only.total_cmp(&b.share_self_only).then(
                b.median_self
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&a.median_self.unwrap_or(f64::INFINITY)),
            )
        })
        .expect("non-empty");
    let title = format!(
        "`{}` is the easiest to game: {:.0} % of outsiders could enter its top {top_n} by their own actions alone",
        cheap.method.trim_end_matches('*'),
        100.0 * cheap.share_self_only
    );
    let subtitle = format!(
        "Accounts outside each top {top_n}: share that can get in alone (following, posting, engaging) and median actions needed; * = by search on a sample, costs are upper bounds"
    );
    let name = "gaming-cost".to_string();
    let files = plots::gaming::gaming_cost(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Gaming cost by ranking. {title}."),
        name,
        title,
        files,
    }))
}

/// Lorenz curves of the rankings whose scores are non-negative (at most 8).
fn lorenz_figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let curves: Vec<plots::lorenz::LorenzCurve> = res
        .hierarchy
        .iter()
        .filter_map(|h| {
            Some(plots::lorenz::LorenzCurve {
                method: h.ranking.clone(),
                points: h.lorenz.clone()?,
                gini: h.concentration.gini?,
            })
        })
        .take(8)
        .collect();
    let Some(top) = curves.iter().max_by(|a, b| a.gini.total_cmp(&b.gini)) else {
        return Ok(None);
    };
    let title = format!(
        "`{}` concentrates prominence most (Gini {:.2})",
        top.method, top.gini
    );
    let subtitle =
        "Cumulative share of the score held by the lowest-scoring share of the ranked accounts"
            .to_string();
    let name = "lorenz".to_string();
    let files = plots::lorenz::lorenz(&curves, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Lorenz curves of {} rankings. {title}.", curves.len()),
        name,
        title,
        files,
    }))
}

/// Each group's share of each top N against its share of the population.
fn representation_figure(res: &Results, attr: &str, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let mut cells = Vec::new();
    let mut worst: Option<(f64, String, String)> = None;
    for h in &res.hierarchy {
        for (a, groups) in &h.representation {
            if a != attr {
                continue;
            }
            for g in groups {
                let gap = g.top_share - g.population_share;
                if worst.as_ref().is_none_or(|w| gap.abs() > w.0.abs()) {
                    worst = Some((gap, h.ranking.clone(), g.group.clone()));
                }
                cells.push(plots::representation::GroupShare {
                    method: h.ranking.clone(),
                    group: g.group.clone(),
                    population_share: g.population_share,
                    top_share: g.top_share,
                    lo: g.lo,
                    hi: g.hi,
                });
            }
        }
    }
    let title = match &worst {
        Some((gap, r, g)) => format!(
            "`{r}` {} {attr} {g} most: {:+.0} points in its top {top_n}",
            if *gap > 0.0 {
                "over-represents"
            } else {
                "under-represents"
            },
            gap * 100.0
        ),
        None => format!("Representation by {attr}"),
    };
    let subtitle = format!(
        "Share of each {attr} in the top {top_n} (95 % Wilson interval) against its share of the population (tick)"
    );
    let name = format!("representation-{attr}");
    let files =
        plots::representation::representation(&cells, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Representation of {attr} groups in each top {top_n}. {title}."),
        name,
        title,
        files,
    })
}

/// P(top N) per account under a family.
fn membership_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let mut rows: Vec<plots::membership::Membership> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top || a.p_top_n > 0.0)
        .map(|a| plots::membership::Membership {
            label: names[a.account as usize].to_string(),
            p: a.p_top_n,
            nominal_in: a.nominal_in_top,
        })
        .collect();
    rows.sort_by(|a, b| b.p.total_cmp(&a.p).then_with(|| a.label.cmp(&b.label)));
    rows.truncate(80);
    let core = rows.iter().filter(|r| r.p >= 0.95).count();
    let what = sensitivity::describe(&f.family, &f.universes);
    let title = if core == 0 {
        format!("No account is in the top {top_n} in at least 95 % of {what}")
    } else {
        format!(
            "A stable core of {core}: the accounts in the top {top_n} in at least 95 % of {what}"
        )
    };
    let subtitle = format!(
        "Ranking `{}`: probability of being in the top {top_n}; filled = in the published top {top_n}",
        f.ranking
    );
    let name = figure_name(res, f, "membership");
    let files = plots::membership::membership(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Membership probability under {what}. {title}."),
        name,
        title,
        files,
    })
}

/// The specification curve and the variance attribution of the multiverse.
fn multiverse_figures(res: &Results, mv: &MultiverseResult, dir: &Path) -> Result<Vec<Figure>> {
    let top_n = res.study.study.top_n;
    let Some(fam) = res.families.iter().find(|f| f.family == multiverse::FAMILY) else {
        return Ok(Vec::new());
    };
    let factors: Vec<String> = mv.spec.factors.iter().map(|f| f.name.clone()).collect();
    let points: Vec<plots::spec_curve::SpecPoint> = fam
        .per_universe
        .iter()
        .zip(&mv.choices)
        .enumerate()
        .map(|(u, (s, c))| plots::spec_curve::SpecPoint {
            value: s.jaccard_top_n.unwrap_or(0.0),
            lo: None,
            hi: None,
            choices: c
                .iter()
                .zip(&mv.spec.factors)
                .map(|(&l, f)| sensitivity::multiverse::MultiverseSpec::level(&f.values[l]))
                .collect(),
            nominal: Some(u) == mv.nominal_universe,
        })
        .collect();
    let half = points.iter().filter(|p| p.value < 0.5).count();
    let title = format!(
        "In {half} of {} equally defensible universes the top {top_n} shares less than half its members with the published one",
        points.len()
    );
    let subtitle = format!(
        "Jaccard overlap of each universe's top {top_n} with the published top {top_n}; below, the choices each universe makes"
    );
    let name = "specification-curve".to_string();
    let files = plots::spec_curve::specification_curve(
        &factors,
        &points,
        "Jaccard with the published top N",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    let mut figs = vec![Figure {
        alt: format!("Specification curve. {title}."),
        name,
        title,
        files,
    }];
    let effects: Vec<plots::variance::FactorEffect> = mv
        .effects
        .iter()
        .map(|e| plots::variance::FactorEffect {
            factor: e.factor.clone(),
            first_order: e.first_order,
            total: e.total.unwrap_or(e.first_order),
        })
        .collect();
    if let Some(top) = mv.effects.iter().max_by(|a, b| {
        a.total
            .unwrap_or(a.first_order)
            .total_cmp(&b.total.unwrap_or(b.first_order))
    }) {
        let title = format!(
            "The {} moves ranks most: {:.1} places on average when it alone changes",
            top.factor,
            top.total.unwrap_or(top.first_order)
        );
        let subtitle = format!(
            "Mean absolute rank change per choice (ranks censored at {}); first-order and total effects",
            2 * top_n + 1
        );
        let name = "variance-attribution".to_string();
        let files = plots::variance::variance_bars(
            &effects,
            "mean absolute rank change",
            &title,
            &subtitle,
            &dir.join(&name),
        )?;
        figs.push(Figure {
            alt: format!("Variance attribution. {title}."),
            name,
            title,
            files,
        });
    }
    Ok(figs)
}

/// `<kind>-<family>`, or `<kind>-<ranking>-<family>` for a family that perturbs another
/// ranking than `[sensitivity] ranking` (so two such figures never share a file).
fn figure_name(res: &Results, f: &FamilyResult, kind: &str) -> String {
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
    if main == Some(f.ranking.as_str()) {
        format!("{kind}-{}", f.family)
    } else {
        format!("{kind}-{}-{}", f.ranking, f.family)
    }
}

/// Qualifiers and top-N overlap at every threshold.
fn sweep_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let nominal_k = res
        .rankings
        .iter()
        .find(|(s, _)| s.name == f.ranking)
        .and_then(|(s, _)| s.params.get("min_follows"))
        .and_then(|v| v.as_integer())
        .unwrap_or(0) as u32;
    let points: Vec<plots::sweep::SweepPoint> = f
        .universes
        .iter()
        .zip(&f.rankings)
        .zip(&f.per_universe)
        .map(|((u, r), s)| {
            let k = u.x.unwrap_or(0.0) as u32;
            plots::sweep::SweepPoint {
                k,
                n_qualified: r.diagnostics.get("qualified").copied().unwrap_or(0) as u32,
                jaccard_top_n: s.jaccard_top_n,
                nominal: k == nominal_k,
            }
        })
        .collect();
    let title = sweep_title(&points, nominal_k, top_n);
    let subtitle = format!(
        "Ranking {:?}: qualifiers and overlap of the top {top_n} with the published k = {nominal_k}",
        f.ranking
    );
    let stem = dir.join(threshold::FAMILY);
    let files = plots::sweep::threshold_sweep(&points, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name: threshold::FAMILY.into(),
        alt: format!(
            "Number of qualifying accounts and Jaccard overlap of the top {top_n} with the published threshold, for k = 1 to {}.",
            points.len()
        ),
        title,
        files,
    })
}

/// The finding of a threshold sweep: how much of the top N one step of k changes.
fn sweep_title(points: &[plots::sweep::SweepPoint], k: u32, top_n: u32) -> String {
    let at = |k: u32| {
        points
            .iter()
            .find(|p| p.k == k)
            .and_then(|p| p.jaccard_top_n)
    };
    let near: Vec<String> = [k.checked_sub(1), Some(k + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| at(j).map(|v| format!("{v:.2} at k = {j}")))
        .collect();
    let n_at = |k: u32| points.iter().find(|p| p.k == k).map(|p| p.n_qualified);
    match (near.is_empty(), n_at(k)) {
        (false, Some(q)) => format!(
            "One step from the published k = {k} ({q} qualify) already changes the top {top_n}: overlap {}",
            near.join(", ")
        ),
        _ => format!("Qualifiers and top-{top_n} overlap for every threshold k"),
    }
}
