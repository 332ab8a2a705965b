//! Text and charts against the tables: every count the report's lede, its tables, the
//! share card and the figures' titles state is recomputed here from the CSV tables (not
//! from the code that wrote the text) and compared. `check` runs on both bundled audits
//! (tests/bundled.rs), so a sentence that drifts from its table fails CI.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

type Csv = (Vec<String>, Vec<Vec<String>>);

/// A CSV table with quoting (labels of universes hold commas).
fn read_csv(path: &Path) -> Csv {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

fn col(t: &Csv, name: &str) -> usize {
    t.0.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", t.0))
}

/// Every integer in a piece of text, in order ("27 of 50" → [27, 50]).
fn ints(s: &str) -> Vec<u64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect()
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// The strict top N of each ranking (a tie straddling place N is left out), from
/// rankings.csv.
fn strict_tops(out: &Path, top_n: usize) -> BTreeMap<String, BTreeSet<String>> {
    let r = read_csv(&out.join("tables/rankings.csv"));
    let (ci, ca, cr) = (col(&r, "ranking"), col(&r, "account"), col(&r, "rank"));
    let mut ranks: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for row in &r.1 {
        ranks
            .entry(row[ci].clone())
            .or_default()
            .push((row[cr].parse().unwrap(), row[ca].clone()));
    }
    ranks
        .into_iter()
        .map(|(name, v)| {
            let top = v
                .iter()
                .filter(|(rank, _)| v.iter().filter(|(r2, _)| r2 <= rank).count() <= top_n)
                .map(|(_, a)| a.clone())
                .collect();
            (name, top)
        })
        .collect()
}

/// Per (ranking, family): the bands of the accounts, recomputed from stability.csv.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Counts {
    nominal_top: usize,
    core_in_top: usize,
    accidents: usize,
    entrants: usize,
    core_outside: usize,
    runs: usize,
}

fn bands(
    out: &Path,
    tops: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<(String, String), Counts> {
    let s = read_csv(&out.join("tables/stability.csv"));
    let (cr, cf, ca, cp, cn) = (
        col(&s, "ranking"),
        col(&s, "family"),
        col(&s, "account"),
        col(&s, "p_top_n"),
        col(&s, "n_universes"),
    );
    let mut m: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for row in &s.1 {
        let c = m.entry((row[cr].clone(), row[cf].clone())).or_default();
        let p: f64 = row[cp].parse().unwrap();
        let inside = tops[&row[cr]].contains(&row[ca]);
        c.runs = row[cn].parse().unwrap();
        c.nominal_top += usize::from(inside);
        c.core_in_top += usize::from(inside && p >= 0.95);
        c.accidents += usize::from(inside && p < 0.5);
        c.entrants += usize::from(!inside && p > 0.0);
        c.core_outside += usize::from(!inside && p >= 0.95);
    }
    m
}

/// The markdown table that follows `heading` in the report: its header and rows.
fn md_table(report: &str, heading: &str) -> Csv {
    let from = report
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?}"));
    let lines: Vec<&str> = report[from..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let cells = |l: &str| -> Vec<String> {
        l.trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect()
    };
    (
        cells(lines[0]),
        lines[2..].iter().map(|l| cells(l)).collect(),
    )
}

/// The text of an SVG's `<text>` elements, joined by spaces, entities decoded.
fn svg_text(svg: &str) -> String {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let body = part.split_once('>').map_or("", |x| x.1);
        let body = body.split("</text>").next().unwrap_or("");
        out.push(
            body.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        );
    }
    out.join(" ")
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks an audit folder's report, share card and figure titles against its tables.
/// `main` is the study's `[sensitivity] ranking`; `key` the family the report leads
/// with.
pub fn check(out: &Path, top_n: usize, main: &str, key: &str) {
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let tops = strict_tops(out, top_n);
    let bands = bands(out, &tops);
    let k = bands[&(main.to_string(), key.to_string())];

    // 1. The lede (the first paragraph after the title) states the key family's counts.
    let lede = report.lines().nth(2).unwrap();
    let n = k.nominal_top;
    let kept = if k.core_in_top == 0 {
        format!("not one of the {n} accounts in the top {top_n}")
    } else if k.core_in_top == n {
        format!("all {n} accounts in the top {top_n}")
    } else {
        format!(
            "only {} of the {n} accounts in the top {top_n}",
            k.core_in_top
        )
    };
    assert!(
        lede.contains(&kept),
        "lede vs stability.csv: want {kept:?} in {lede}"
    );
    if k.accidents > 0 {
        assert!(
            lede.contains(&format!("and {} drop out in more than half", k.accidents)),
            "{lede}"
        );
    }

    // 2. The lede's overlap with the other measures, from rankings.csv.
    let mut shared: Vec<(usize, String)> = tops
        .iter()
        // A ranking with no clear top N (a tie from rank 1 across place N) is named
        // apart, not counted as sharing none.
        .filter(|(name, t)| name.as_str() != main && !t.is_empty())
        .map(|(name, t)| (t.intersection(&tops[main]).count(), name.clone()))
        .collect();
    shared.sort();
    if let Some(s) = between(lede, "a median of ", " stay in the top") {
        let median = shared[shared.len() / 2].0;
        assert_eq!(ints(s), [median as u64, n as u64], "{lede}");
        let range = between(lede, "(from ", "):").unwrap();
        let range = range.split("; ").next().unwrap();
        let (lo, hi) = (&shared[0], shared.last().unwrap());
        assert_eq!(
            range,
            format!("{} under “{}” to {} under “{}”", lo.0, lo.1, hi.0, hi.1),
            "{lede}"
        );
        assert!(lede.contains(&format!("by {} other measures", shared.len())));
    } else {
        assert!(
            shared.is_empty(),
            "the lede leaves out the other measures: {lede}"
        );
    }

    // 3. Gameability of the audited ranking, from gaming.csv.
    let g = read_csv(&out.join("tables/gaming.csv"));
    if let Some(row) = g.1.iter().find(|r| r[col(&g, "ranking")] == main) {
        let share: f64 = row[col(&g, "share_self_only")].parse().unwrap_or(0.0);
        let said = between(lede, "It can be gamed: ", " of the accounts outside");
        if (0.005..1.0).contains(&share) {
            assert_eq!(
                said,
                Some(format!("{:.0} %", 100.0 * share).as_str()),
                "{lede}"
            );
        } else if share == 0.0 {
            assert_eq!(said, None, "{lede}");
        }
    }

    // 4. The perturbation table: one row per family, every count from stability.csv.
    let t = md_table(&report, "## How fragile is the table");
    for row in &t.1 {
        let fam = bands
            .iter()
            .filter(|((r, f), c)| {
                r == &row[0] && f != "threshold-sweep" && c.runs.to_string() == row[2]
            })
            .map(|(_, c)| *c)
            .find(|c| {
                row[4] == format!("{} of {}", c.core_in_top, c.nominal_top)
                    && row[5] == format!("{} of {}", c.accidents, c.nominal_top)
                    && row[6] == c.entrants.to_string()
            });
        assert!(
            fam.is_some(),
            "no family of {} matches the row {row:?}: {bands:?}",
            row[0]
        );
    }
    let families = bands.keys().filter(|(_, f)| f != "threshold-sweep").count();
    assert_eq!(t.1.len(), families, "one row per family");

    // 5. Every pair of rankings in one table, values as in comparisons.csv.
    let c = read_csv(&out.join("tables/comparisons.csv"));
    let all: Vec<&Vec<String>> =
        c.1.iter()
            .filter(|r| r[col(&c, "subset")] == "all")
            .collect();
    let p = md_table(&report, "## Every pair of rankings compared");
    assert_eq!(p.1.len(), all.len(), "one row per pair");
    let f3 = |s: &str| {
        s.parse::<f64>()
            .map_or("n/a".to_string(), |v| format!("{v:.3}"))
    };
    for (md, csv) in p.1.iter().zip(&all) {
        assert_eq!(
            md[0],
            csv[col(&c, "ranking_a")]
                .replace('_', "\\_")
                .replace("\\_", "_")
        );
        assert_eq!(md[3], f3(&csv[col(&c, "kendall_tau_b")]), "{md:?} {csv:?}");
        assert_eq!(md[4], f3(&csv[col(&c, "spearman")]), "{md:?} {csv:?}");
        assert_eq!(md[5], f3(&csv[col(&c, "weighted_tau")]), "{md:?} {csv:?}");
    }

    // 6. The share card shows the key family's bands.
    let card = svg_text(&std::fs::read_to_string(out.join("share-card.svg")).unwrap());
    assert!(
        card.contains(&format!(
            "nearly always in the top {top_n}: {}",
            k.core_in_top
        )),
        "{card}"
    );
    assert!(
        card.contains(&format!("by accident: {}", k.accidents)),
        "{card}"
    );
    assert!(
        card.contains(&format!(
            "in and out: {}",
            k.nominal_top - k.core_in_top - k.accidents
        )),
        "{card}"
    );

    // 7. Every figure appears once, its caption is the title drawn in its SVG.
    let figs: BTreeSet<String> = std::fs::read_dir(out.join("figures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".png"))
        .collect();
    let mut captions: HashMap<String, String> = HashMap::new();
    for f in &figs {
        let link = format!("](figures/{f})");
        assert_eq!(
            report.matches(&link).count(),
            1,
            "figures/{f} is shown once"
        );
        let after = &report[report.find(&link).unwrap()..];
        let caption = between(after, "\n\n*", "*\n").unwrap().replace('\\', "");
        let svg =
            std::fs::read_to_string(out.join("figures").join(f.replace(".png", ".svg"))).unwrap();
        assert!(
            words(&svg_text(&svg)).contains(&words(&caption)),
            "{f}: the caption {caption:?} is not the chart's title"
        );
        captions.insert(f.trim_end_matches(".png").to_string(), caption);
    }
    titles(&captions, &bands, main, top_n);
    other_titles(out, &captions, main, n);
    forced(out, &captions, &report, top_n);
    vouch(out, &report, top_n);
    sobol(out, &captions);
}

/// The Sobol chart's title against sobol_indices.csv: the factor named first has the
/// largest total index of ranks, and its total and interval are that row's, to 2
/// decimals; a factor said to matter little has the smallest, with its total.
fn sobol(out: &Path, captions: &HashMap<String, String>) {
    let Some(t) = captions.get("sobol") else {
        return;
    };
    let s = read_csv(&out.join("tables/sobol_indices.csv"));
    let rows: Vec<&Vec<String>> =
        s.1.iter()
            .filter(|r| r[col(&s, "output")] == "ranks" && r[col(&s, "factor")] != "(dummy)")
            .collect();
    let num = |r: &Vec<String>, c: &str| -> f64 { r[col(&s, c)].parse().unwrap() };
    let by_total =
        |a: &&&Vec<String>, b: &&&Vec<String>| num(a, "total").total_cmp(&num(b, "total"));
    let top = rows.iter().max_by(by_total).expect("sobol rows");
    let leaders: Vec<&&Vec<String>> = rows
        .iter()
        .filter(|r| num(r, "total_hi95") >= num(top, "total_lo95"))
        .collect();
    let want = if leaders.len() == 1 {
        format!(
            "The {} drives the ranks most: total Sobol index {:.2} (95 % {:.2}–{:.2})",
            top[col(&s, "factor")],
            num(top, "total"),
            num(top, "total_lo95"),
            num(top, "total_hi95")
        )
    } else {
        // Named together, largest total first; every one's numbers from its row.
        let mut l = leaders.clone();
        l.sort_by(|a, b| num(b, "total").total_cmp(&num(a, "total")));
        let names: Vec<String> = l
            .iter()
            .map(|r| format!("the {}", r[col(&s, "factor")]))
            .collect();
        let first = names.join(" and ");
        assert!(l.len() == 2, "the test reads two leaders; got {}", l.len());
        format!(
            "T{} drive the ranks about equally (total Sobol indices {:.2} and {:.2}, 95 % intervals overlapping)",
            &first[1..],
            num(l[0], "total"),
            num(l[1], "total")
        )
    };
    assert!(
        t.starts_with(&want),
        "sobol title {t:?} vs sobol_indices.csv: want {want:?}"
    );
    if let Some(rest) = t.split("; the choice of ").nth(1) {
        let low = rows.iter().min_by(by_total).unwrap();
        let want = format!(
            "{} matters little ({:.2})",
            low[col(&s, "factor")],
            num(low, "total")
        );
        assert_eq!(rest, want, "sobol title vs sobol_indices.csv");
    }
}

/// The forced-order chart's title and the report's sentence against forced_order.csv,
/// whose in-every-top-N count is itself recomputed from the rank intervals in
/// forced_order_accounts.csv (worst rank ≤ N).
fn forced(out: &Path, captions: &HashMap<String, String>, report: &str, top_n: usize) {
    let path = out.join("tables/forced_order.csv");
    if !path.exists() {
        return;
    }
    let f = read_csv(&path);
    let a = read_csv(&out.join("tables/forced_order_accounts.csv"));
    for row in &f.1 {
        let name = &row[col(&f, "ranking")];
        let forced_in: usize = row[col(&f, "forced_in")].parse().unwrap();
        let open: usize = row[col(&f, "open")].parse().unwrap();
        let top: usize = row[col(&f, "top_n")].parse().unwrap();
        let worst_in =
            a.1.iter()
                .filter(|r| &r[col(&a, "ranking")] == name)
                .filter(|r| r[col(&a, "worst_rank")].parse::<usize>().unwrap() <= top_n)
                .count();
        assert_eq!(worst_in, forced_in, "{name}: forced_in vs the intervals");
        if let Some(t) = captions.get(&format!("forced-order-{name}")) {
            assert_eq!(
                ints(t)[..3],
                [forced_in as u64, top as u64, open as u64],
                "forced-order title {t:?} vs forced_order.csv"
            );
            let sentence = format!("**{forced_in} of the top {top} are in it under every");
            assert!(report.contains(&sentence), "report: want {sentence:?}");
        }
    }
}

/// The report's "the data vouches for X of the top N; Y more accounts could be in it; Z
/// cannot" against rank_confidence_summary.csv, whose confidently-in count is recomputed
/// from the per-account rank sets in rank_confidence.csv.
fn vouch(out: &Path, report: &str, top_n: usize) {
    let path = out.join("tables/rank_confidence_summary.csv");
    let s = read_csv(&path);
    let a = read_csv(&out.join("tables/rank_confidence.csv"));
    for row in &s.1 {
        if !row[col(&s, "not_computed")].is_empty() {
            continue;
        }
        let name = &row[col(&s, "ranking")];
        let num = |c: &str| -> u64 { row[col(&s, c)].parse().unwrap() };
        let sure =
            a.1.iter()
                .filter(|r| &r[col(&a, "ranking")] == name)
                .filter(|r| r[col(&a, "rank_hi95")].parse::<usize>().unwrap() <= top_n)
                .count() as u64;
        assert_eq!(
            sure,
            num("confidently_in"),
            "{name}: confidently in vs the sets"
        );
        let said = |start: &str| -> Vec<u64> {
            let line = report
                .lines()
                .find(|l| l.contains(start) && l.contains("vouches for"))
                .unwrap_or_else(|| panic!("report: no line {start:?} … vouches for"));
            between(line, "vouches for ", ".")
                .unwrap()
                .replace(',', "")
                .replace("none", "0")
                .split(|c: char| !c.is_ascii_digit())
                .filter(|w| !w.is_empty())
                .map(|w| w.parse().unwrap())
                .collect()
        };
        let reps = &row[col(&s, "bootstrap_replicates")];
        if !reps.is_empty() {
            let boot_in = a
                .1
                .iter()
                .filter(|r| &r[col(&a, "ranking")] == name)
                .filter(|r| r[col(&a, "rank_hi95_bootstrap")].parse::<usize>().unwrap() <= top_n)
                .count() as u64;
            assert_eq!(
                boot_in,
                num("confidently_in_bootstrap"),
                "{name}: bootstrap"
            );
            assert_eq!(
                said(&format!("“{name}”: from the {reps} replicates")),
                [boot_in, top_n as u64, num("undetermined_bootstrap")],
                "{name}: the bootstrap sentence"
            );
        }
        let line = format!("“{name}” (");
        let said = said(&line);
        assert_eq!(
            said,
            [
                num("confidently_in"),
                top_n as u64,
                num("undetermined"),
                num("confidently_out")
            ],
            "{name}: the vouch sentence"
        );
    }
}

/// The heatmap's, the specification curve's and the threshold sweep's counts, against
/// comparisons.csv and universes.csv.
fn other_titles(out: &Path, captions: &HashMap<String, String>, main: &str, n0: usize) {
    let c = read_csv(&out.join("tables/comparisons.csv"));
    let all: Vec<&Vec<String>> =
        c.1.iter()
            .filter(|r| r[col(&c, "subset")] == "all")
            .collect();
    if let Some(t) = captions.get("heatmap") {
        let below = all
            .iter()
            .filter(|r| r[col(&c, "rbo_ext")].parse::<f64>().is_ok_and(|x| x < 0.5))
            .count();
        assert_eq!(
            ints(t)[..2],
            [below as u64, all.len() as u64],
            "heatmap: {t}"
        );
    }
    let u = read_csv(&out.join("tables/universes.csv"));
    let (cr, cf, cj) = (
        col(&u, "ranking"),
        col(&u, "family"),
        col(&u, "jaccard_top_n"),
    );
    let family = |f: &str| -> Vec<&Vec<String>> {
        u.1.iter().filter(|r| r[cr] == main && r[cf] == f).collect()
    };
    if let Some(t) = captions.get("specification-curve") {
        let runs = family("multiverse");
        let cn = col(&u, "n_top_n");
        // Fewer than half of the original top N kept: |A ∩ B| = J (|A| + |B|) / (1 + J).
        let below = runs
            .iter()
            .filter(|r| {
                let j: f64 = r[cj].parse().unwrap_or(0.0);
                let a: f64 = r[cn].parse().unwrap();
                2.0 * j * (a + n0 as f64) / (1.0 + j) < n0 as f64
            })
            .count();
        assert_eq!(
            ints(t)[..2],
            [below as u64, runs.len() as u64],
            "specification curve: {t}"
        );
    }
    if let Some(t) = captions.get("threshold-sweep") {
        let runs = family("threshold-sweep");
        let (cx, cq) = (col(&u, "x"), col(&u, "n_qualified"));
        let at = |k: u64| {
            runs.iter()
                .find(|r| r[cx].parse::<f64>().ok() == Some(k as f64))
                .unwrap_or_else(|| panic!("no k = {k} in universes.csv"))
        };
        // "… k = K (Q qualify) …": Q is the number qualifying at K.
        let k = ints(between(t, "k = ", " (").unwrap())[0];
        let q = ints(between(t, "(", " qualify").unwrap())[0];
        assert_eq!(at(k)[cq], q.to_string(), "threshold sweep: {t}");
        // "overlap J at k = K": J is the Jaccard at K, to 2 decimals.
        for part in t.split("overlap ").skip(1) {
            let (j, rest) = part.split_once(" at k = ").unwrap();
            let kk = ints(rest)[0];
            let want: f64 = at(kk)[cj].parse().unwrap();
            assert_eq!(j, format!("{want:.2}"), "threshold sweep at k = {kk}: {t}");
        }
    }
}

/// The counts the membership and caterpillar titles state, against stability.csv.
fn titles(
    captions: &HashMap<String, String>,
    bands: &BTreeMap<(String, String), Counts>,
    main: &str,
    top_n: usize,
) {
    for ((ranking, family), c) in bands {
        if family == "threshold-sweep" {
            continue;
        }
        let name = |kind: &str| {
            if ranking == main {
                format!("{kind}-{family}")
            } else {
                format!("{kind}-{ranking}-{family}")
            }
        };
        if let Some(t) = captions.get(&name("caterpillar")) {
            if c.core_in_top == 0 {
                let none = format!("None of the top {}", c.nominal_top);
                assert!(t.starts_with(&none), "caterpillar {family}: {t:?} vs {c:?}");
            } else {
                let n = ints(t);
                assert_eq!(
                    n[..2],
                    [c.core_in_top as u64, c.nominal_top as u64],
                    "caterpillar {family}: {t:?} vs {c:?}"
                );
            }
            assert!(ints(t).contains(&(top_n as u64)), "{t}");
        }
        if let Some(t) = captions.get(&name("membership")) {
            if c.core_in_top + c.core_outside == 0 {
                assert!(
                    t.starts_with("No account"),
                    "membership {family}: {t:?} vs {c:?}"
                );
            } else {
                let n = ints(t);
                assert_eq!(
                    n[..2],
                    [c.core_in_top as u64, c.nominal_top as u64],
                    "membership {family}: {t:?} vs {c:?}"
                );
                if c.core_outside > 0 {
                    let verb = if c.core_outside == 1 { "joins" } else { "join" };
                    let join = format!("and {} from outside {verb} them", c.core_outside);
                    assert!(t.ends_with(&join), "membership {family}: {t:?} vs {c:?}");
                }
            }
        }
    }
}
