//! The report's sections after the lede, one function per question a reader asks, then
//! the reference sections (the top N's security, every pair of rankings, caveats and
//! the methods appendix). Each pushes its blocks and claims its figures by name.

use super::lede::{self, family_words, join_and, pct_words, ranking_name};
use super::{Align, Block, Figures, f3, fmt_score, md_text, mean, pct};
use crate::critique::forced_order::Expected;
use crate::critique::gaming::How;
use crate::critique::rank_inference::label_words;
use crate::plots::kit;
use crate::rankings::{self, Audience};
use crate::results::{FamilyResult, Results};
use crate::sensitivity::summary::{AccountStability, Bands};
use crate::sensitivity::{multiverse, threshold};
use Align::{Left as L, Right as R};

fn heading(b: &mut Vec<Block>, t: &str) {
    b.push(Block::Heading(2, t.to_string()));
}

/// Names with a share each: "A (3 %), B (12 %)", at most `max` of them and "and k more".
fn named(res: &Results, v: &[&AccountStability], max: usize) -> String {
    let accounts = &res.data.accounts;
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|a| {
            format!(
                "{} ({})",
                md_text(accounts.label(a.account)),
                pct(a.p_top_n)
            )
        })
        .collect();
    if v.len() > max {
        parts.push(format!("{} more", v.len() - max));
    }
    join_and(&parts)
}

/// How many of the nominal top N a universe's top N keeps, from the Jaccard index J of
/// the two sets and their sizes: |A ∩ B| = J (|A| + |B|) / (1 + J).
fn kept(j: f64, a: usize, b: usize) -> f64 {
    j * (a + b) as f64 / (1.0 + j)
}

/// 1. What the rule does with this data: who qualifies, who is left out, ties at the cut.
pub fn rule(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    let audience = Audience {
        accounts: res.data.accounts.len(),
        population: res.population_size,
        population_rule: String::new(),
        seed_lists: &res.seed_lists,
        flags: false,
    };
    let mut items: Vec<String> = res
        .rankings
        .iter()
        .filter_map(|(spec, r)| {
            rankings::build(&spec.method, &spec.params)
                .ok()
                .and_then(|m| m.summary(&spec.name, r, &audience))
        })
        .collect();
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
    if let Some((spec, r)) = res
        .rankings
        .iter()
        .find(|(s, _)| Some(s.name.as_str()) == main)
    {
        let shown = r.top(top_n).len();
        if shown < top_n as usize && r.len() > shown {
            items.push(format!(
                "Ties at the cut: in {}, accounts tie across place {top_n}, so its top {top_n} holds the {shown} accounts certainly in it.",
                ranking_name(&spec.name)
            ));
        }
    }
    let sweep: Vec<&FamilyResult> = res
        .families
        .iter()
        .filter(|f| f.family == threshold::FAMILY)
        .collect();
    for f in &sweep {
        let parts: Vec<String> = f
            .universes
            .iter()
            .zip(&f.diagnostics)
            .map(|(u, d)| format!("{}: {}", u.label, d.get("qualified").copied().unwrap_or(0)))
            .collect();
        let js: Vec<f64> = f
            .per_universe
            .iter()
            .filter_map(|u| u.jaccard_top_n)
            .collect();
        items.push(format!(
            "The threshold decides who qualifies ({}). Over all thresholds the top {top_n} has on average {} of its members in common with the {} top {top_n} (share of the two lists' members in common; lowest {}).",
            parts.join(", "),
            pct_words(mean(js.iter().copied()).unwrap_or(0.0)),
            ranking_name(&f.ranking),
            pct_words(js.iter().copied().fold(f64::INFINITY, f64::min).min(1.0))
        ));
    }
    if items.is_empty() {
        return;
    }
    heading(b, "What the rule does with this data");
    b.push(Block::List(items));
    b.extend(figs.take_prefix("threshold-sweep"));
}

/// Question 2, how fragile the table is and to which choice: one row per perturbation,
/// the multiverse's stable core and accidents, the choice that matters most.
pub fn fragility(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    let fams: Vec<&FamilyResult> = res
        .families
        .iter()
        .filter(|f| f.family != threshold::FAMILY)
        .collect();
    if fams.is_empty() {
        return;
    }
    heading(b, "How fragile is the table, and to which choice?");
    b.push(Block::Paragraph(format!(
        "Each row changes one thing a list-maker could defensibly have done differently and redraws the table many times. \"Kept\" is how many of the top {top_n} are still in the top {top_n} on average; \"nearly always\" counts those in it in at least 95 % of the runs, \"by accident\" those in it in fewer than half; \"newcomers\" are accounts outside the top {top_n} that get in at least once."
    )));
    let head = [
        "ranking",
        "what changes",
        "runs",
        "kept on average",
        "nearly always",
        "by accident",
        "newcomers",
    ];
    let rows = fams
        .iter()
        .map(|f| {
            let bands = Bands::of(&f.accounts);
            let n = bands.nominal_top;
            let k = mean(
                f.per_universe
                    .iter()
                    .filter_map(|u| u.jaccard_top_n.map(|j| kept(j, u.n_top, n))),
            );
            vec![
                md_text(&f.ranking),
                family_words(res, f),
                f.universes.len().to_string(),
                k.map_or("n/a".into(), |k| format!("{k:.0} of {n}")),
                format!("{} of {n}", bands.core_in_top),
                format!("{} of {n}", bands.accidents),
                bands.entrants().to_string(),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: head.map(String::from).to_vec(),
        align: vec![L, L, R, R, R, R, R],
        rows,
    });
    // Accounts outside the nominal top N that are in it in nearly every run (the #51
    // that any small change lets in): named, so the counts above add up.
    let outside: Vec<String> = fams
        .iter()
        .filter_map(|f| {
            let v: Vec<_> = f
                .accounts
                .iter()
                .filter(|a| !a.nominal_in_top && a.p_top_n >= 0.95)
                .collect();
            (!v.is_empty())
                .then(|| format!("under {}: {}", family_words(res, f), named(res, &v, 5)))
        })
        .collect();
    if !outside.is_empty() {
        b.push(Block::Paragraph(format!(
            "Not in the top {top_n}, yet in it in nearly every run (so one of its members is usually displaced by them):"
        )));
        b.push(Block::List(outside));
    }
    if let Some(f) = res.key_family() {
        let mut core: Vec<_> = f
            .accounts
            .iter()
            .filter(|a| a.nominal_in_top && a.p_top_n >= 0.95)
            .collect();
        core.sort_by(|a, b| {
            b.p_top_n
                .total_cmp(&a.p_top_n)
                .then(a.account.cmp(&b.account))
        });
        let mut accident: Vec<_> = f
            .accounts
            .iter()
            .filter(|a| a.nominal_in_top && a.p_top_n < 0.5)
            .collect();
        accident.sort_by(|a, b| {
            a.p_top_n
                .total_cmp(&b.p_top_n)
                .then(a.account.cmp(&b.account))
        });
        let what = family_words(res, f);
        b.push(Block::List(vec![
            format!(
                "**Nearly always in the top {top_n}** across {what}: {}.",
                if core.is_empty() {
                    "no account".to_string()
                } else {
                    named(res, &core, 60)
                }
            ),
            format!(
                "**In the top {top_n} by accident** (in it in fewer than half of them): {}.",
                if accident.is_empty() {
                    "no account".to_string()
                } else {
                    named(res, &accident, 60)
                }
            ),
        ]));
    }
    if let Some(mv) = &res.multiverse {
        b.push(Block::Paragraph(choice_sentence(res, mv)));
        b.extend(figs.take("variance-attribution"));
        if let Some(sb) = &mv.sobol {
            b.extend(sobol_sentence(mv, sb).map(Block::Paragraph));
            b.extend(figs.take("sobol"));
        }
        b.extend(figs.take("specification-curve"));
    }
    b.extend(figs.take_prefix("caterpillar-"));
    b.extend(figs.take_prefix("membership-"));
}

/// What is forced and what is a choice (methodology §6d): the part of the rule's order
/// that every increasing combination of its columns gives, and the part of a measure's
/// order that every measure respecting who follows whom gives.
pub fn forced(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    if res.forced.is_empty() {
        return;
    }
    let top_n = res.study.study.top_n;
    heading(b, "What is forced, and what is a choice?");
    if let Some(f) = res.key_forced() {
        let cols = crate::plots::forced::columns_in_words(&f.columns);
        let how = match &f.expected {
            Some(Expected::Exact { extensions }) => {
                format!("counted exactly over all {extensions} orders")
            }
            Some(Expected::Mcmc {
                chains, max_r_hat, ..
            }) => format!(
                "estimated by {chains} independent Markov chains over the orders (Bubley–Dyer), which agree: R̂ ≤ {max_r_hat:.2}{}",
                if *max_r_hat > crate::critique::forced::R_HAT_MIXED {
                    ", above 1.05, so treat these numbers as rough"
                } else {
                    ""
                }
            ),
            _ => "approximated".to_string(),
        };
        b.push(Block::Paragraph(format!(
            "{} ranks its {} qualifiers by {cols}. Part of that order holds however the counts are combined: when one account has at least as much of each and more of one, every sensible combination puts it higher. That decides {} of all pairs of qualifiers and {} of the pairs within the top {}. **{} of the top {} are in it under every increasing combination of {cols}; {} accounts are in it under some and not others; {} under none.** The chart shows, for each account, the best and worst rank any such combination gives, and its expected rank if every consistent order is equally likely ({how}).",
            ranking_name(&f.ranking),
            f.accounts,
            pct_words(f.share_all.unwrap_or(0.0)),
            pct_words(f.share_top.unwrap_or(0.0)),
            f.top,
            f.forced_in,
            f.top,
            f.open(),
            f.forced_out,
        )));
        b.extend(figs.take(&format!("forced-order-{}", f.ranking)));
    }
    if let Some(f) = res.inclusion_forced() {
        let pairs = f.top * f.top.saturating_sub(1) / 2;
        let decided = (f.share_top.unwrap_or(0.0) * pairs as f64).round() as usize;
        let respecting: Vec<String> = res
            .forced
            .iter()
            .filter(|g| g.columns.is_empty())
            .map(|g| ranking_name(&g.ranking))
            .collect();
        let verdict = if decided == 0 {
            "so none of that order is forced by the network: all of it is a choice of index"
                .to_string()
        } else {
            format!(
                "the rest ({}) is a choice of index, not a fact of the network",
                pct_words(1.0 - f.share_top.unwrap_or(0.0))
            )
        };
        b.push(Block::Paragraph(format!(
            "On the follow graph, one account is above another for every measure that respects who follows whom when everyone who follows the second also follows the first (and someone more). In-degree, PageRank, Katz, eigenvector and HITS authority scores all respect that (here: {}). **Among the top {} of {}, it orders {} of the {} pairs, {verdict}.** Over all {} ranked accounts it decides {} of the pairs; {} accounts could be in the top {top_n} under some such measure.",
            join_and(&respecting),
            f.top,
            ranking_name(&f.ranking),
            kit::count(decided as f64),
            kit::count(pairs as f64),
            kit::count(f.accounts as f64),
            pct_words(f.share_all.unwrap_or(0.0)),
            kit::count(f.candidates as f64),
        )));
    }
    let rows = res
        .forced
        .iter()
        .map(|f| {
            let share = |x: Option<f64>| x.map_or("n/a".to_string(), pct);
            vec![
                md_text(&f.ranking),
                f.order.clone(),
                f.accounts.to_string(),
                share(f.share_all),
                share(f.share_top),
                f.forced_in.to_string(),
                f.open().to_string(),
                f.forced_out.to_string(),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: [
            "ranking",
            "order it respects",
            "ranked",
            "pairs decided",
            &format!("top-{top_n} pairs decided"),
            &format!("in every top {top_n}"),
            "in some",
            "in none",
        ]
        .map(String::from)
        .to_vec(),
        align: vec![L, L, R, R, R, R, R, R],
        rows,
    });
}

/// Which choice moves ranks most, from the multiverse's variance attribution.
fn choice_sentence(res: &Results, mv: &crate::results::MultiverseResult) -> String {
    let top_n = res.study.study.top_n;
    let parts: Vec<String> = lede::effects_by_size(mv)
        .iter()
        .map(|e| {
            format!(
                "the {} moves an account {:.1} places ({:.0} % of the variation of ranks in total, {:.0} % on its own)",
                e.factor,
                e.total.unwrap_or(e.first_order),
                100.0 * e.total_share.unwrap_or(e.first_order_share),
                100.0 * e.first_order_share
            )
        })
        .collect();
    format!(
        "Changing one choice at a time (average change of rank, with ranks past {} counted as {}): {}.",
        2 * top_n,
        2 * top_n + 1,
        join_and(&parts)
    )
}

/// The Sobol design's indices of ranks in words, each with its interval, the dummy's
/// noise floor, and the exact grid's shares beside them where the grid ran in full.
fn sobol_sentence(
    mv: &crate::results::MultiverseResult,
    sb: &crate::sensitivity::sobol_multiverse::SobolResult,
) -> Option<String> {
    use crate::sensitivity::sobol_multiverse::RANKS;
    let o = sb.outputs.iter().find(|o| o.output == RANKS)?;
    let f = o.factors.as_ref()?;
    let full_grid = mv.spec.design == crate::sensitivity::multiverse::Design::Grid
        && mv.effects.iter().all(|e| e.total_share.is_some())
        && mv.choices.len() as u64
            == mv
                .spec
                .factors
                .iter()
                .map(|f| f.values.len() as u64)
                .product::<u64>();
    let parts: Vec<String> = sb
        .factors
        .iter()
        .zip(f)
        .zip(&mv.effects)
        .map(|((name, (s1, st)), e)| {
            let mut p = format!(
                "the {name} {:.2} alone (95 % {:.2} to {:.2}) and {:.2} in total (95 % {:.2} to {:.2})",
                s1.estimate, s1.lower, s1.upper, st.estimate, st.lower, st.upper
            );
            if full_grid && let Some(t) = e.total_share {
                p.push_str(&format!(
                    " (the exact grid: {:.2} and {t:.2})",
                    e.first_order_share
                ));
            }
            p
        })
        .collect();
    let floor = o
        .dummy
        .map(|d| {
            format!(
                " A dummy choice that changes nothing scores up to {:.2}: a choice whose interval stays below that is indistinguishable from noise at this sample size.",
                d.0.upper.max(d.1.upper)
            )
        })
        .unwrap_or_default();
    Some(format!(
        "A Sobol index is the share of the variation in ranks a choice explains, alone (first order) or with its interactions with the other choices (total). Sampling {} universes quasi-randomly (a Sobol sequence, N = {}): {}.{floor}",
        sb.universes,
        sb.spec.samples,
        join_and(&parts)
    ))
}

/// Question 3, what other measures say: overlap with the audited ranking, agreement
/// between all pairs, the top 10 of each side by side.
pub fn measures(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    if res.rankings.len() < 2 {
        return;
    }
    let top_n = res.study.study.top_n;
    heading(b, "What do other measures say?");
    let mut items = Vec::new();
    if let Some(main) = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str()) {
        let ov = lede::overlaps(res, main);
        if !ov.is_empty() {
            let n = lede::shared_top(res, main, main).map_or(0, |x| x.1);
            let parts: Vec<String> = ov
                .iter()
                .map(|(k, name)| format!("{} {k}", md_text(name)))
                .collect();
            items.push(format!(
                "Accounts of the {} top {top_n} ({n}) that each other ranking also puts in its top {top_n}: {}.",
                ranking_name(main),
                parts.join(", ")
            ));
        }
        let same: Vec<String> = res
            .comparisons
            .iter()
            .filter(|c| c.a == main || c.b == main)
            .filter(|c| {
                c.all.tau_b.is_some_and(|t| t > 0.999)
                    && c.all.jaccard_top_k.is_some_and(|j| j < 0.999)
            })
            .map(|c| md_text(if c.a == main { &c.b } else { &c.a }))
            .collect();
        if !same.is_empty() {
            items.push(format!(
                "{} and {} put the accounts they both rank in the same order: all their difference is in who qualifies.",
                ranking_name(main),
                join_and(&same)
            ));
        }
    }
    items.extend(agreement_sentence(res));
    b.push(Block::List(items));
    b.extend(figs.take("bump"));
    b.extend(figs.take("heatmap"));
    top_table(res, b);
}

/// The least and most similar pair of rankings, by Spearman over all common accounts.
fn agreement_sentence(res: &Results) -> Option<String> {
    let with: Vec<_> = res
        .comparisons
        .iter()
        .filter_map(|c| c.all.spearman.map(|r| (r, c)))
        .collect();
    if with.len() < 2 {
        return None;
    }
    let lo = with.iter().min_by(|x, y| x.0.total_cmp(&y.0))?;
    let hi = with.iter().max_by(|x, y| x.0.total_cmp(&y.0))?;
    let n_hi = with.iter().filter(|x| x.0 == hi.0).count();
    let best = if n_hi > 1 {
        format!(
            "{n_hi} pairs agree perfectly or equally well (Spearman {})",
            f3(Some(hi.0))
        )
    } else {
        format!(
            "{} and {} agree most (Spearman {})",
            ranking_name(&hi.1.a),
            ranking_name(&hi.1.b),
            f3(Some(hi.0))
        )
    };
    Some(format!(
        "Of the {} pairs of rankings, {} and {} agree least (Spearman correlation {} over the {} accounts both rank; 1 = same order, 0 = unrelated, −1 = reversed); {best}. Every pair is in the table below.",
        res.comparisons.len(),
        ranking_name(&lo.1.a),
        ranking_name(&lo.1.b),
        f3(Some(lo.0)),
        lo.1.all.n_common,
    ))
}

/// The top 10 of every ranking side by side.
fn top_table(res: &Results, b: &mut Vec<Block>) {
    const SHOW: usize = 10;
    let accounts = &res.data.accounts;
    b.push(Block::Heading(
        3,
        format!("The top {SHOW} under each ranking"),
    ));
    // Eight rankings per table keeps each table readable at page width.
    for chunk in res.rankings.chunks(8) {
        let mut head = vec!["place".to_string()];
        let mut align = vec![R];
        for (s, _) in chunk {
            head.push(md_text(&s.name));
            align.push(L);
        }
        let rows = (0..SHOW)
            .map(|pos| {
                let mut row = vec![(pos + 1).to_string()];
                for (_, r) in chunk {
                    row.push(r.get(pos).map_or(String::new(), |e| {
                        format!("{} ({})", md_text(accounts.label(e.account)), e.rank)
                    }));
                }
                row
            })
            .collect();
        b.push(Block::Table { head, align, rows });
    }
    b.push(Block::Paragraph(
        "Each cell: account (its rank; tied accounts share a rank).".into(),
    ));
}

/// 4. How gameable each ranking is.
pub fn gaming(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    let mut g: Vec<_> = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_none() && g.candidates > 0)
        .collect();
    if g.is_empty() && res.gaming.is_empty() {
        return;
    }
    heading(b, "How easy is it to game?");
    b.push(Block::Paragraph(format!(
        "For each ranking: the share of the accounts outside its top {top_n} that could get in by their own actions alone (following the missing seeds, posting, engaging), and the median number of actions the cheapest way in takes."
    )));
    g.sort_by(|a, b| {
        b.share_self_only
            .unwrap_or(0.0)
            .total_cmp(&a.share_self_only.unwrap_or(0.0))
            .then_with(|| a.ranking.cmp(&b.ranking))
    });
    let mut items = Vec::new();
    let shares: Vec<f64> = g.iter().map(|x| x.share_self_only.unwrap_or(0.0)).collect();
    if !shares.is_empty() && shares.iter().all(|&s| s == shares[0]) {
        items.push(format!(
            "In every ranking costed, {} of the accounts outside the top {top_n} could get in by their own actions alone (following the missing seeds, posting, engaging).",
            pct_words(shares[0])
        ));
    }
    let rows: Vec<Vec<String>> = g
        .iter()
        .map(|x| {
            let n = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.0}"));
            vec![
                md_text(&x.ranking),
                if x.how == How::Search {
                    "by search"
                } else {
                    "exact"
                }
                .to_string(),
                x.candidates.to_string(),
                pct(x.share_self_only.unwrap_or(0.0)),
                n(x.median_self_only),
                n(x.median_others),
            ]
        })
        .collect();
    if let Some(m) = g
        .iter()
        .filter(|x| x.how == How::Search)
        .map(|x| x.candidates)
        .max()
    {
        items.push(format!(
            "\"By search\": costs found by searching on up to {m} evenly spaced outsiders, so the share is from a sample and the costs are upper bounds (methodology §6c)."
        ));
    }
    for x in res.gaming.iter().filter(|x| x.reason.is_some()) {
        items.push(format!(
            "Why {} is cheap to enter: {}.",
            ranking_name(&x.ranking),
            md_text(x.reason.as_deref().unwrap_or(""))
        ));
    }
    let skipped: Vec<String> = res
        .gaming
        .iter()
        .filter_map(|g| {
            g.not_computed
                .as_ref()
                .map(|why| format!("{} ({why})", ranking_name(&g.ranking)))
        })
        .collect();
    if !skipped.is_empty() {
        items.push(format!("Not costed: {}.", skipped.join("; ")));
    }
    b.push(Block::List(items));
    if !rows.is_empty() {
        b.push(Block::Table {
            head: [
                "ranking",
                "costed",
                "outsiders costed",
                "could get in alone",
                "median own actions",
                "median actions by others",
            ]
            .map(String::from)
            .to_vec(),
            align: vec![L, L, R, R, R, R],
            rows,
        });
    }
    b.extend(figs.take("gaming-cost"));
}

/// 5. Whom the rankings favour: concentration of prominence and group representation.
pub fn favour(res: &Results, figs: &mut Figures<'_>, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    if res.hierarchy.is_empty() {
        return;
    }
    heading(b, "Whom does it favour?");
    let mut items = Vec::new();
    let mut conc: Vec<_> = res
        .hierarchy
        .iter()
        .filter_map(|h| Some((h.concentration.top_n_share?, h)))
        .collect();
    conc.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.ranking.cmp(&b.1.ranking))
    });
    if let (Some(hi), Some(lo)) = (conc.first(), conc.last())
        && conc.len() >= 2
        && hi.0 > lo.0
    {
        items.push(format!(
            "Prominence is most concentrated in {}: its top {top_n} hold {} of the total score (Gini {:.2}; 0 = everyone equal, 1 = one account has everything), against {} in {}.",
            ranking_name(&hi.1.ranking),
            pct(hi.0),
            hi.1.concentration.gini.unwrap_or(0.0),
            pct(lo.0),
            ranking_name(&lo.1.ranking)
        ));
    }
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
    for h in res
        .hierarchy
        .iter()
        .filter(|h| Some(h.ranking.as_str()) == main)
    {
        for (attr, groups) in &h.representation {
            let parts: Vec<String> = groups
                .iter()
                .filter(|g| g.population_n > 0)
                .map(|g| {
                    format!(
                        "{} {} of the top {top_n} ({}–{}) against {} of the population",
                        md_text(&g.group),
                        pct(g.top_share),
                        pct(g.lo),
                        pct(g.hi),
                        pct(g.population_share)
                    )
                })
                .collect();
            if !parts.is_empty() {
                items.push(format!(
                    "By {}, in {}: {} (95 % intervals).",
                    md_text(attr),
                    ranking_name(&h.ranking),
                    parts.join("; ")
                ));
            }
        }
        if let Some((n, rho, _)) = h.offline {
            items.push(format!(
                "Against the offline hierarchy, {} correlates {} with it (Spearman, {n} accounts).",
                ranking_name(&h.ranking),
                f3(rho)
            ));
        }
    }
    b.push(Block::List(items));
    b.extend(figs.take("lorenz"));
    b.extend(figs.take_prefix("representation-"));
}

/// The audited ranking's top N with how secure each place is under each family.
pub fn security(res: &Results, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    let accounts = &res.data.accounts;
    let Some(main) = res.study.sensitivity.as_ref().map(|x| x.ranking.clone()) else {
        return;
    };
    let Some((_, r)) = res.rankings.iter().find(|(sp, _)| sp.name == main) else {
        return;
    };
    heading(b, &format!("The top {top_n} and how secure each place is"));
    let fams: Vec<&FamilyResult> = res
        .families
        .iter()
        .filter(|f| f.family != threshold::FAMILY && f.ranking == main)
        .collect();
    b.push(Block::Paragraph(format!(
        "For each account of the {} top {top_n}: how often it stays in the top {top_n} under each kind of change, and the range its rank takes in 90 % of the runs (5th to 95th percentile; \"unranked\" when it does not qualify).",
        ranking_name(&main)
    )));
    let mut head: Vec<String> = vec!["rank".into(), "account".into(), "score".into()];
    let mut align = vec![R, L, R];
    for f in &fams {
        let what = if f.family == multiverse::FAMILY {
            "multiverse"
        } else {
            f.family.as_str()
        };
        head.push(format!("in top {top_n}, {what}"));
        head.push(format!("rank range, {what}"));
        align.extend([R, R]);
    }
    // What every consistent combination of the rule's columns allows (§6d), and what
    // the counts vouch for (§6e), where the ranking has them.
    let forced = res.forced.iter().find(|f| f.ranking == main && f.charted());
    if forced.is_some() {
        head.push("possible ranks, any combination".into());
        head.push(format!("in top {top_n}, consistent orders"));
        align.extend([R, R]);
    }
    let vouched = res
        .rank_inference
        .iter()
        .find(|v| v.ranking == main && v.not_computed.is_none());
    if vouched.is_some() {
        head.push("95 % rank set".into());
        head.push(format!("top {top_n}"));
        align.extend([R, L]);
    }
    let shown = r.top(top_n).len();
    let rows = r
        .entries()
        .take(shown)
        .map(|e| {
            let mut row = vec![
                e.rank.to_string(),
                md_text(accounts.label(e.account)),
                fmt_score(e.score),
            ];
            for f in &fams {
                match f.accounts.iter().find(|a| a.account == e.account) {
                    Some(a) => {
                        let hi = a.rank_q95.map_or("unranked".to_string(), |v| v.to_string());
                        let lo = a.rank_q05.map_or("unranked".to_string(), |v| v.to_string());
                        row.push(pct(a.p_top_n));
                        row.push(format!("{lo}–{hi}"));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            if let Some(f) = forced {
                match f.rows.iter().find(|x| x.account == e.account) {
                    Some(x) => {
                        row.push(format!("{}–{}", x.best, x.worst));
                        row.push(x.p_top.map_or(String::new(), pct));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            if let Some(v) = vouched {
                match v.rows.iter().find(|x| x.account == e.account) {
                    Some(x) => {
                        row.push(format!("{}–{}", x.set.lower, x.set.upper));
                        row.push(label_words(x.label).to_string());
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row
        })
        .collect();
    b.push(Block::Table { head, align, rows });
}

/// Which ranks of a ranking by event counts the data can vouch for (methodology §6e).
pub fn vouch(res: &Results, b: &mut Vec<Block>) {
    let done: Vec<_> = res
        .rank_inference
        .iter()
        .filter(|v| v.not_computed.is_none())
        .collect();
    if done.is_empty() {
        return;
    }
    let top_n = res.study.study.top_n;
    let accounts = &res.data.accounts;
    heading(b, "Which places can the data vouch for?");
    b.push(Block::Paragraph(format!(
        "A ranking by events received (retweets, mentions, replies) reads a sample of the conversation: with a different week, or a different sample of it, the counts would differ by chance. Reading the events as one random sample, every pair of accounts is compared by an exact test and the conclusions are corrected so that all of them hold together with 95 % confidence (Mogstad, Romano, Shaikh & Wilhelm 2024, csranks). An account is **confidently in** the top {top_n} when even the lowest rank the data allows is within it, **confidently out** when even the highest is not, and **undetermined** otherwise."
    )));
    let items = done
        .iter()
        .map(|v| {
            format!(
                "{} ({} events over {} accounts): the data vouches for {} of the top {top_n}; {} more accounts could be in it; {} cannot.",
                ranking_name(&v.ranking),
                kit::count(v.events as f64),
                kit::count(v.accounts as f64),
                lede::count(v.confidently_in),
                kit::count(v.undetermined as f64),
                kit::count(v.confidently_out as f64),
            )
        })
        .collect();
    b.push(Block::List(items));
    let boots: Vec<String> = done
        .iter()
        .filter_map(|v| {
            let b = v.bootstrap.as_ref()?.as_ref().ok()?;
            Some(format!(
                "{}: from the {} replicates of the event bootstrap instead (each account's counts and how they vary together, csranks' method), the data vouches for {} of the top {top_n}; {} more accounts could be in it.",
                ranking_name(&v.ranking),
                b.replicates,
                lede::count(b.confidently_in),
                kit::count(b.undetermined as f64),
            ))
        })
        .collect();
    if !boots.is_empty() {
        b.push(Block::Paragraph(
            "The same question answered without the model of one random sample, from how the counts vary when the events are resampled:".into(),
        ));
        b.push(Block::List(boots));
    }
    let v = done[0];
    let shown: Vec<_> = v.rows.iter().filter(|x| x.rank <= top_n).collect();
    b.push(Block::Paragraph(format!(
        "The top {top_n} of {} with the ranks each account could hold: with 95 % confidence for all accounts at once (the sets the labels use), and for one account looked at alone (narrower; right for a question about that one account):",
        ranking_name(&v.ranking)
    )));
    let with_boot = shown.iter().any(|x| x.bootstrap.is_some());
    let mut head: Vec<String> = [
        "rank",
        "account",
        "events",
        "95 % rank set, all at once",
        "95 % rank set, alone",
    ]
    .map(String::from)
    .to_vec();
    let mut align = vec![R, L, R, R, R];
    if with_boot {
        head.push("95 % rank set, event bootstrap".into());
        align.push(R);
    }
    head.push(format!("top {top_n}"));
    align.push(L);
    b.push(Block::Table {
        head,
        align,
        rows: shown
            .iter()
            .map(|x| {
                let mut row = vec![
                    x.rank.to_string(),
                    md_text(accounts.label(x.account)),
                    x.events.to_string(),
                    format!("{}–{}", x.set.lower, x.set.upper),
                    format!("{}–{}", x.marginal.lower, x.marginal.upper),
                ];
                if with_boot {
                    row.push(
                        x.bootstrap
                            .map_or(String::new(), |s| format!("{}–{}", s.lower, s.upper)),
                    );
                }
                row.push(label_words(x.label).to_string());
                row
            })
            .collect(),
    });
    let groups: Vec<String> = done
        .iter()
        .flat_map(|v| {
            v.groups.iter().filter(|g| g.upper > 0.0).map(move |g| {
                format!(
                    "{}, {} = {}: {} of the top {top_n} places; allowing for chance, between {} and {}.",
                    ranking_name(&v.ranking),
                    md_text(&g.attribute),
                    md_text(&g.group),
                    pct(g.observed),
                    pct(g.lower),
                    pct(g.upper)
                )
            })
        })
        .collect();
    if !groups.is_empty() {
        b.push(Block::Paragraph("Whom the top places favour, with that uncertainty (a group's share lies between its confidently-in accounts and all that are not confidently out):".into()));
        b.push(Block::List(groups));
    }
}

/// Every pair of rankings, every agreement measure, in one sortable table.
pub fn pairs(res: &Results, b: &mut Vec<Block>) {
    if res.comparisons.is_empty() {
        return;
    }
    let top_n = res.study.study.top_n;
    let fr = &res.study.study.compare_top;
    heading(b, "Every pair of rankings compared");
    b.push(Block::Paragraph(format!(
        "{} pairs; click a column header to sort. Correlations are over the accounts both rankings rank (1 = same order, 0 = unrelated); the top-fraction columns keep the accounts in the top fraction of either ranking. The terms are defined under Methods.",
        res.comparisons.len()
    )));
    let mut head: Vec<String> = [
        "ranking",
        "ranking",
        "both rank",
        "Kendall tau-b",
        "Spearman",
        "weighted tau",
    ]
    .map(String::from)
    .to_vec();
    let mut align = vec![L, L, R, R, R, R];
    for f in fr {
        head.push(format!("Spearman, top {} %", f * 100.0));
        align.push(R);
    }
    head.push(format!("top {top_n} in common (Jaccard)"));
    head.push(format!("RBO (p = {})", res.study.study.rbo_p));
    align.extend([R, R]);
    let rows = res
        .comparisons
        .iter()
        .map(|c| {
            let mut row = vec![
                md_text(&c.a),
                md_text(&c.b),
                c.all.n_common.to_string(),
                f3(c.all.tau_b),
                f3(c.all.spearman),
                f3(c.all.weighted_tau),
            ];
            for t in &c.top {
                row.push(format!("{} (n = {})", f3(t.spearman), t.n));
            }
            row.push(f3(c.all.jaccard_top_k));
            row.push(f3(c.all.rbo));
            row
        })
        .collect();
    b.push(Block::Table { head, align, rows });
}

/// What the data cannot say: limits of the inputs and of the method, as they apply here.
pub fn caveats(res: &Results, b: &mut Vec<Block>) {
    let top_n = res.study.study.top_n;
    let mut items = Vec::new();
    if res.population_size < res.data.accounts.len() {
        items.push(format!(
            "Only the {} accounts of the population are ranked; the other {} accounts in the data only count as followers, followees or seeds.",
            res.population_size,
            res.data.accounts.len() - res.population_size
        ));
    }
    let rejected: u64 = res.data.reports.iter().map(|t| t.rows_rejected).sum();
    if rejected > 0 {
        items.push(format!(
            "{rejected} input rows were rejected (each reason is counted under Data accounting); results rest on the rows used."
        ));
    }
    let left_out: Vec<String> = res
        .rankings
        .iter()
        .filter_map(|(s, r)| {
            let m = r
                .diagnostics
                .get("excluded_missing_count")
                .copied()
                .unwrap_or(0);
            (m > 0).then(|| format!("{} leaves out {m}", ranking_name(&s.name)))
        })
        .collect();
    if !left_out.is_empty() {
        items.push(format!(
            "Accounts with a missing count cannot be ranked by it: {}.",
            join_and(&left_out)
        ));
    }
    items.push(
        "A follow graph is a snapshot: follows made or dropped after it was collected, private accounts and accounts outside the data are not in it, so a ranking reflects the data as collected, not the platform today.".into(),
    );
    if !res.families.is_empty() {
        items.push(format!(
            "The perturbations are choices a list-maker could defensibly have made; how often an account stays in the top {top_n} is a share of those choices, not a probability that it \"deserves\" its place, and a choice not varied here can matter too."
        ));
    }
    if res.rankings.len() > 1 {
        items.push(
            "The other measures are alternatives, not the truth: they show how much the table depends on what is measured, not which table is right.".into(),
        );
    }
    if res.gaming.iter().any(|g| g.how == How::Search) {
        items.push(
            "Gaming costs found by search are upper bounds: a cheaper way in may exist.".into(),
        );
    }
    heading(b, "What the data cannot say");
    b.push(Block::List(items));
}

/// The methods appendix: the terms, the seed lists, every ranking with its parameters,
/// and the data accounting.
pub fn methods(res: &Results, b: &mut Vec<Block>) {
    let s = &res.study;
    let top_n = s.study.top_n;
    heading(b, "Methods");
    b.push(Block::Heading(3, "Terms".into()));
    b.push(Block::List(vec![
        format!("**Rank**: competition ranks: tied accounts share the best rank (1, 2, 2, 4). **Top {top_n}**: the accounts certainly among the {top_n} best; a tie that straddles place {top_n} is left out, so it may hold fewer."),
        format!("**Nearly always / by accident**: in the top {top_n} in at least 95 % / in fewer than 50 % of the perturbed runs. **Rank range**: the 5th to 95th percentile of an account's rank over the runs (type 1 quantiles; \"unranked\" when it did not qualify)."),
        format!("**Top {top_n} in common (Jaccard)**: accounts in both top {top_n} lists divided by accounts in either."),
        "**Spearman** and **Kendall tau-b**: rank correlations over the accounts both rankings rank (1 = same order, 0 = unrelated, −1 = reversed); tau-b counts agreeing and disagreeing pairs and corrects for ties.".into(),
        "**Weighted tau**: Kendall's tau with swaps near the top weighing more (hyperbolic weights 1/(rank+1); Vigna 2015, as scipy.stats.weightedtau).".into(),
        format!("**RBO** (rank-biased overlap, p = {}): the overlap of the two lists at every depth, weighted so that the top counts most (Webber, Moffat & Zobel 2010); 1 = identical, 0 = disjoint.", s.study.rbo_p),
        format!("**Gini**: inequality of scores over the accounts ranked (0 = equal, 1 = one account holds everything). Random seed lists and replicates derive from the study seed {}. Every formula is in methodology.md.", s.study.seed),
    ]));
    b.push(Block::Heading(3, "Seed lists and rankings".into()));
    let mut items: Vec<String> = res
        .seed_lists
        .iter()
        .map(|l| {
            format!(
                "Seed list {} ({} accounts, `{}`): {}",
                ranking_name(&l.name),
                l.accounts.len(),
                l.path,
                l.rationale
                    .as_deref()
                    .unwrap_or("no rationale given")
                    .trim()
            )
        })
        .collect();
    for (spec, r) in &res.rankings {
        let params: Vec<String> = spec
            .params
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let with = if params.is_empty() {
            String::new()
        } else {
            format!(" with {}", params.join(", "))
        };
        items.push(format!(
            "Ranking {}: method {}{with}; {} accounts ranked.",
            ranking_name(&spec.name),
            spec.method,
            r.len()
        ));
    }
    b.push(Block::List(items));
    b.push(Block::Heading(3, "Data accounting".into()));
    let head = [
        "table",
        "file",
        "rows read",
        "used",
        "rejected",
        "reasons",
        "notes",
    ];
    let rows = res
        .data
        .reports
        .iter()
        .map(|t| {
            let reasons: Vec<String> = t
                .rejected
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            let notes: Vec<String> = t.notes.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            vec![
                t.table.to_string(),
                format!("`{}`", t.file),
                t.rows_read.to_string(),
                t.rows_used.to_string(),
                t.rows_rejected.to_string(),
                reasons.join(", "),
                notes.join(", "),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: head.map(String::from).to_vec(),
        align: [L, L, R, R, R, L, L].to_vec(),
        rows,
    });
    b.push(Block::Paragraph(format!(
        "Follow graph: {} accounts, {} follow edges after the policies; population: {} accounts.",
        res.follow_graph.0, res.follow_graph.1, res.population_size
    )));
}
