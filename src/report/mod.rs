//! The plain-language report (`report.md`, `report.html`): findings first, in sentences built from the
//! computed numbers (never canned), then the method, the data accounting and caveats.

use std::path::Path;

pub mod html;
pub mod model;

use Align::{Left as L, Right as R};
pub use model::{Align, Block, Document};

use crate::rankings::{self, Audience};
use crate::results::{FamilyResult, Figure, Results};
use crate::sensitivity::{multiverse, threshold};

/// Text from the data (account ids) made literal in markdown: the characters that would
/// end a table cell (`|`), open code or emphasis, links or HTML are backslash-escaped
/// (`_` only where it could start or end emphasis, not inside a word), and control
/// characters (a newline would end the table row) are shown as escapes (`\n`).
pub fn md_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\\' | '|' | '`' | '*' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            c if c.is_control() => {
                for e in c.escape_debug() {
                    if e == '\\' {
                        out.push('\\');
                    }
                    out.push(e);
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn f3(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{v:.3}"))
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = xs.collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Sentences about one perturbation family.
fn family_sentences(res: &Results, f: &FamilyResult) -> Vec<String> {
    let top_n = res.study.study.top_n;
    let names = res.data.accounts.labels();
    let nominal_top: Vec<_> = f.accounts.iter().filter(|a| a.nominal_in_top).collect();
    let n = nominal_top.len();
    let stable = nominal_top.iter().filter(|a| a.p_top_n >= 0.95).count();
    let accident: Vec<_> = nominal_top.iter().filter(|a| a.p_top_n < 0.5).collect();
    let js: Vec<f64> = f
        .per_universe
        .iter()
        .filter_map(|u| u.jaccard_top_n)
        .collect();
    let jmean = mean(js.iter().copied());
    let jmin = js.iter().copied().fold(f64::INFINITY, f64::min);
    let newcomers = f
        .accounts
        .iter()
        .filter(|a| !a.nominal_in_top && a.p_top_n > 0.0)
        .count();
    let mut out = Vec::new();
    match f.family.as_str() {
        threshold::FAMILY => {
            let parts: Vec<String> = f
                .universes
                .iter()
                .zip(&f.rankings)
                .map(|(u, r)| {
                    format!(
                        "{}: {}",
                        u.label,
                        r.diagnostics.get("qualified").copied().unwrap_or(0)
                    )
                })
                .collect();
            out.push(format!(
                "Qualifiers by threshold ({}). Over all thresholds the top {top_n} shares on average {} of its members with the published one (lowest {}).",
                parts.join(", "),
                f3(jmean),
                f3(jmin.is_finite().then_some(jmin))
            ));
        }
        _ => {
            let what = crate::sensitivity::describe(&f.family, &f.universes);
            out.push(format!(
                "`{}` across {what}: the top {top_n} shares on average {} of its members with the published top {top_n} (Jaccard; lowest {}). {stable} of the {n} published top-{top_n} accounts stay in the top {top_n} in at least 95 % of these lists; {} are there by accident (in the top {top_n} in fewer than half of them); {newcomers} accounts outside the published top {top_n} enter it in at least one list.",
                f.ranking,
                f3(jmean),
                f3(jmin.is_finite().then_some(jmin)),
                accident.len()
            ));
            if !accident.is_empty() {
                let mut a = accident.clone();
                a.sort_by(|x, y| x.p_top_n.total_cmp(&y.p_top_n));
                let list: Vec<String> = a
                    .iter()
                    .take(5)
                    .map(|x| {
                        format!(
                            "{} (published rank {}, in the top {top_n} in {})",
                            md_text(names[x.account as usize]),
                            x.nominal_rank.unwrap_or(0),
                            pct(x.p_top_n)
                        )
                    })
                    .collect();
                out.push(format!("Least secure: {}.", list.join("; ")));
            }
        }
    }
    out
}

/// Builds the report from the results: [`Document::markdown`] renders `report.md`,
/// [`html::render`] `report.html`. Figure paths are made relative to `out`.
pub fn build(res: &Results, figs: &[Figure], out: &Path) -> Document {
    let s = &res.study;
    let top_n = s.study.top_n;
    let names = res.data.accounts.labels();
    let mut blocks = Vec::new();
    let title = s
        .study
        .title
        .clone()
        .unwrap_or_else(|| format!("Audit of {}", s.study.name));
    blocks.push(Block::Heading(1, title.clone()));
    if let Some(d) = &s.study.description {
        blocks.extend(
            d.trim()
                .split("\n\n")
                .map(|p| Block::Paragraph(p.to_string())),
        );
    }
    let lead = headline(res);
    if !lead.is_empty() {
        blocks.push(Block::Heading(2, "In short".into()));
        blocks.push(Block::Paragraph(lead.join(" ")));
    }
    blocks.push(Block::Heading(2, "Findings".into()));
    let mut findings = Vec::new();
    let published = res.study.sensitivity.as_ref().map(|x| x.ranking.clone());
    let audience = Audience {
        accounts: res.data.accounts.len(),
        population: res.population_size,
        population_rule: String::new(),
        seed_lists: &res.seed_lists,
        flags: false,
    };
    for (spec, r) in &res.rankings {
        let method = rankings::build(&spec.method, &spec.params);
        if let Some(sentence) = method
            .ok()
            .and_then(|m| m.summary(&spec.name, r, &audience))
        {
            findings.push(sentence);
        }
    }
    for f in &res.families {
        findings.extend(family_sentences(res, f));
    }
    if let Some(pubname) = &published {
        for cmp in &res.comparisons {
            let (a, b, c) = (&cmp.a, &cmp.b, &cmp.all);
            if a != pubname && b != pubname {
                continue;
            }
            let other = if a == pubname { b } else { a };
            // Two rules ordering by the same counts agree perfectly on whoever both rank;
            // all their difference is in who gets in. Say so, or tau = 1 misleads.
            let same_order =
                c.tau_b.is_some_and(|t| t > 0.999) && c.jaccard_top_k.is_some_and(|j| j < 0.999);
            findings.push(format!(
                "`{pubname}` against `{other}`: Kendall tau-b {} and Spearman {} over the {} accounts both rank; the two top-{top_n} lists share {} (Jaccard); rank-biased overlap (p = {}) {}.{}",
                f3(c.tau_b),
                f3(c.spearman),
                c.n_common,
                f3(c.jaccard_top_k),
                c.rbo_p,
                f3(c.rbo),
                if same_order {
                    " Both put the accounts they share in the same order, so the whole difference is in who qualifies."
                } else {
                    ""
                }
            ));
        }
    }
    if let Some(mv) = &res.multiverse {
        findings.extend(multiverse_sentences(res, mv));
    }
    findings.extend(gaming_sentence(res));
    findings.extend(agreement_sentence(res));
    blocks.push(Block::List(findings));
    for f in figs {
        let png = f
            .files
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "png"));
        if let Some(png) = png {
            let rel = png.strip_prefix(out).unwrap_or(png);
            blocks.push(Block::Figure {
                alt: f.alt.clone(),
                src: rel.display().to_string(),
                caption: f.title.clone(),
            });
        }
    }
    if let Some(pubname) = &published
        && let Some((_, r)) = res.rankings.iter().find(|(sp, _)| &sp.name == pubname)
    {
        blocks.push(Block::Heading(
            2,
            format!("The top {top_n} and how secure each place is"),
        ));
        let fams: Vec<&FamilyResult> = res
            .families
            .iter()
            .filter(|f| f.family != threshold::FAMILY && f.ranking == *pubname)
            .collect();
        let mut head: Vec<String> = vec!["rank".into(), "account".into(), "score".into()];
        let mut align = vec![Align::Right, Align::Left, Align::Right];
        for f in &fams {
            head.push(format!("P(top {top_n}), {}", f.family));
            head.push(format!("5–95 % rank, {}", f.family));
            align.extend([Align::Right, Align::Right]);
        }
        let shown = r.top(top_n).len();
        let rows = r.entries[..shown]
            .iter()
            .map(|e| {
                let mut row = vec![
                    e.rank.to_string(),
                    md_text(names[e.account as usize]),
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
                row
            })
            .collect();
        blocks.push(Block::Table { head, align, rows });
    }
    top_table(res, &mut blocks);
    comparison_table(res, &mut blocks);
    blocks.push(Block::Heading(2, "Method".into()));
    let mut method: Vec<String> = res
        .seed_lists
        .iter()
        .map(|l| {
            format!(
                "Seed list `{}` ({} accounts, `{}`): {}",
                l.name,
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
        method.push(format!(
            "Ranking `{}`: method `{}` ({}); {} accounts ranked.",
            spec.name,
            spec.method,
            params.join(", "),
            r.entries.len()
        ));
    }
    method.push(format!(
        "Ranks are competition ranks (tied accounts share the best rank: 1-2-2-4). The top {top_n} holds the accounts certainly among the {top_n} best: a tie that straddles position {top_n} is left out, so the top {top_n} may hold fewer accounts. Rank intervals are the 5th and 95th percentiles (type 1) over the perturbed runs; an account that does not qualify in a run counts as unranked. Random seed lists derive from the study seed {}. See methodology.md for every formula.",
        s.study.seed
    ));
    blocks.push(Block::List(method));
    blocks.push(Block::Heading(2, "Data accounting".into()));
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
    blocks.push(Block::Table {
        head: head.map(String::from).to_vec(),
        align: [L, L, R, R, R, L, L].to_vec(),
        rows,
    });
    blocks.push(Block::Paragraph(format!(
        "Follow graph: {} accounts, {} follow edges after the policies; population: {} accounts.",
        res.follow_graph.0, res.follow_graph.1, res.population_size
    )));
    Document { title, blocks }
}

/// Three to five plain sentences that lead the report, all computed.
fn headline(res: &Results) -> Vec<String> {
    let top_n = res.study.study.top_n;
    let mut out = Vec::new();
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.clone());
    if let Some(f) = res.families.iter().find(|f| f.family == multiverse::FAMILY) {
        let core = f.accounts.iter().filter(|a| a.p_top_n >= 0.95).count();
        let accident = f
            .accounts
            .iter()
            .filter(|a| a.nominal_in_top && a.p_top_n < 0.5)
            .count();
        let n_top = f.accounts.iter().filter(|a| a.nominal_in_top).count();
        out.push(format!(
            "Across {} equally defensible versions of the `{}` rule, {} of its top {top_n} stay in the top {top_n} in at least 95 % of them, and {accident} of {n_top} are there by accident (in fewer than half).",
            f.universes.len(),
            f.ranking,
            if core == 0 { "none".to_string() } else { core.to_string() },
        ));
    }
    if let Some(mv) = &res.multiverse
        && let Some(e) = mv.effects.iter().max_by(|a, b| {
            a.total
                .unwrap_or(a.first_order)
                .total_cmp(&b.total.unwrap_or(b.first_order))
        })
    {
        out.push(format!(
            "The choice that matters most is the {}: changing it alone moves an account {:.1} places on average.",
            e.factor,
            e.total.unwrap_or(e.first_order)
        ));
    }
    if let Some(m) = &main {
        let mut rbo: Vec<(f64, &str)> = res
            .comparisons
            .iter()
            .filter(|c| &c.a == m || &c.b == m)
            .filter_map(|c| {
                c.all.rbo.map(|r| {
                    (
                        r,
                        if &c.a == m {
                            c.b.as_str()
                        } else {
                            c.a.as_str()
                        },
                    )
                })
            })
            .collect();
        rbo.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let (Some(lo), Some(hi)) = (rbo.first(), rbo.last()) {
            let median = rbo[rbo.len() / 2].0;
            out.push(format!(
                "Set beside {} alternative rankings of the same people, the `{m}` list overlaps them by a median rank-biased overlap of {median:.2} (from {:.2} with `{}` to {:.2} with `{}`): who is on top depends on what is measured.",
                rbo.len(),
                lo.0,
                lo.1,
                hi.0,
                hi.1
            ));
        }
    }
    if let Some(h) = res
        .hierarchy
        .iter()
        .filter(|h| h.concentration.gini.is_some())
        .max_by(|a, b| {
            a.concentration
                .gini
                .unwrap_or(0.0)
                .total_cmp(&b.concentration.gini.unwrap_or(0.0))
        })
    {
        out.push(format!(
            "`{}` concentrates prominence most (Gini {:.2}; its top {top_n} hold {} of the total score).",
            h.ranking,
            h.concentration.gini.unwrap_or(0.0),
            h.concentration.top_n_share.map_or("n/a".to_string(), pct)
        ));
    }
    out
}

/// The stable core, the accidents and the choice that matters most, from the multiverse.
fn multiverse_sentences(res: &Results, mv: &crate::results::MultiverseResult) -> Vec<String> {
    let top_n = res.study.study.top_n;
    let names = res.data.accounts.labels();
    let Some(f) = res.families.iter().find(|f| f.family == multiverse::FAMILY) else {
        return Vec::new();
    };
    let list = |v: Vec<&crate::sensitivity::summary::AccountStability>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|a| {
                    format!(
                        "{} ({})",
                        md_text(names[a.account as usize]),
                        pct(a.p_top_n)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut core: Vec<_> = f.accounts.iter().filter(|a| a.p_top_n >= 0.95).collect();
    core.sort_by(|a, b| b.p_top_n.total_cmp(&a.p_top_n));
    let mut accident: Vec<_> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top && a.p_top_n < 0.5)
        .collect();
    accident.sort_by(|a, b| a.p_top_n.total_cmp(&b.p_top_n));
    let mut out = vec![
        format!(
            "**Stable core** (in the top {top_n} in at least 95 % of the {} universes): {}.",
            f.universes.len(),
            list(core)
        ),
        format!(
            "**There by accident** (in the published top {top_n}, but in fewer than half of the universes): {}.",
            list(accident)
        ),
    ];
    let mut effects: Vec<_> = mv.effects.iter().collect();
    effects.sort_by(|a, b| {
        b.total
            .unwrap_or(b.first_order)
            .total_cmp(&a.total.unwrap_or(a.first_order))
    });
    let parts: Vec<String> = effects
        .iter()
        .map(|e| {
            format!(
                "{} {:.1} places ({:.0} % of the rank variance in total, {:.0} % alone)",
                e.factor,
                e.total.unwrap_or(e.first_order),
                100.0 * e.total_share.unwrap_or(e.first_order_share),
                100.0 * e.first_order_share
            )
        })
        .collect();
    out.push(format!(
        "Which choice moves ranks most (mean absolute rank change when only that choice changes, ranks censored at {}): {}.",
        2 * top_n + 1,
        parts.join("; ")
    ));
    out
}

/// Which rankings an outsider can enter by their own actions, and at what cost.
fn gaming_sentence(res: &Results) -> Option<String> {
    let top_n = res.study.study.top_n;
    let mut g: Vec<_> = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_none() && g.candidates > 0)
        .collect();
    if g.is_empty() {
        return None;
    }
    g.sort_by(|a, b| {
        b.share_self_only
            .unwrap_or(0.0)
            .total_cmp(&a.share_self_only.unwrap_or(0.0))
    });
    let parts: Vec<String> = g
        .iter()
        .map(|x| {
            format!(
                "`{}`{} {} ({})",
                x.ranking,
                if x.how == crate::critique::gaming::How::Search {
                    "*"
                } else {
                    ""
                },
                pct(x.share_self_only.unwrap_or(0.0)),
                match (x.median_self_only, x.median_others) {
                    (Some(s), _) => format!("median {s:.0} own actions"),
                    (None, Some(o)) => format!("needs a median {o:.0} actions by others"),
                    _ => "no way in found".into(),
                }
            )
        })
        .collect();
    let skipped = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_some())
        .count();
    let sample = g
        .iter()
        .filter(|x| x.how == crate::critique::gaming::How::Search)
        .map(|x| x.candidates)
        .max();
    let searched = match sample {
        Some(m) => format!(
            " * = found by search on up to {m} evenly spaced outsiders: a share from a sample and costs that are upper bounds (methodology §6c)."
        ),
        None => String::new(),
    };
    let not_costed = match skipped {
        0 => String::new(),
        1 => " 1 ranking is not costed (see tables/gaming.csv).".to_string(),
        k => format!(" {k} rankings are not costed (see tables/gaming.csv)."),
    };
    Some(format!(
        "**Gaming:** share of the accounts outside each top {top_n} that could get in by their own actions alone (following the missing seeds, posting, engaging): {}.{searched}{not_costed}",
        parts.join("; ")
    ))
}

/// The most and least similar pair of rankings, by Spearman over all common accounts.
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
    let top = |c: &crate::results::Comparison| {
        c.top
            .iter()
            .map(|t| format!("{} over the top {} %", f3(t.spearman), t.fraction * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(format!(
        "Of the {} pairs of rankings, `{}` and `{}` agree least (Spearman {} over all {} accounts both rank; {}) and `{}` and `{}` most (Spearman {}; {}).",
        res.comparisons.len(),
        lo.1.a,
        lo.1.b,
        f3(Some(lo.0)),
        lo.1.all.n_common,
        top(lo.1),
        hi.1.a,
        hi.1.b,
        f3(Some(hi.0)),
        top(hi.1)
    ))
}

/// The top 10 of every ranking side by side: who is on top depends on what is measured.
fn top_table(res: &Results, blocks: &mut Vec<Block>) {
    const SHOW: u32 = 10;
    let names = res.data.accounts.labels();
    blocks.push(Block::Heading(
        2,
        format!("The top {SHOW} under each ranking"),
    ));
    // Eight rankings per table keeps each table readable at page width.
    for chunk in res.rankings.chunks(8) {
        let mut head = vec!["position".to_string()];
        let mut align = vec![R];
        for (s, _) in chunk {
            head.push(s.name.to_string());
            align.push(L);
        }
        let rows = (0..SHOW as usize)
            .map(|pos| {
                let mut row = vec![(pos + 1).to_string()];
                for (_, r) in chunk {
                    row.push(r.entries.get(pos).map_or(String::new(), |e| {
                        format!("{} ({})", md_text(names[e.account as usize]), e.rank)
                    }));
                }
                row
            })
            .collect();
        blocks.push(Block::Table { head, align, rows });
    }
    blocks.push(Block::Paragraph(
        "Each cell: account (its competition rank; ties share a rank).".into(),
    ));
}

/// Every pair of rankings, all the agreement measures.
fn comparison_table(res: &Results, blocks: &mut Vec<Block>) {
    if res.comparisons.is_empty() {
        return;
    }
    let top_n = res.study.study.top_n;
    let fr = &res.study.study.compare_top;
    blocks.push(Block::Heading(2, "How the rankings agree".into()));
    let mut head: Vec<String> = ["ranking", "ranking", "both rank", "tau-b", "Spearman"]
        .map(String::from)
        .to_vec();
    let mut align = vec![L, L, R, R, R];
    for f in fr {
        head.push(format!("Spearman, top {} %", f * 100.0));
        align.push(R);
    }
    head.push(format!("Jaccard, top {top_n}"));
    head.push(format!("RBO (p = {})", res.study.study.rbo_p));
    align.extend([R, R]);
    let rows = res
        .comparisons
        .iter()
        .map(|c| {
            let mut row = vec![
                c.a.to_string(),
                c.b.to_string(),
                c.all.n_common.to_string(),
                f3(c.all.tau_b),
                f3(c.all.spearman),
            ];
            for t in &c.top {
                row.push(format!("{} (n = {})", f3(t.spearman), t.n));
            }
            row.push(f3(c.all.jaccard_top_k));
            row.push(f3(c.all.rbo));
            row
        })
        .collect();
    blocks.push(Block::Table { head, align, rows });
    blocks.push(Block::Paragraph(
        "Correlations are over the accounts both rankings rank; the top-fraction columns keep the accounts in the top fraction of either ranking (methodology.md §5).".into(),
    ));
}

fn fmt_score(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}
