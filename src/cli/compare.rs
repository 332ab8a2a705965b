//! `rankaudit compare LIST LIST [LIST…]`: two or more ranked lists with no graph (a
//! published top 50 and an alternative, or the rankings of an audit), compared with the
//! audit's measures: Kendall tau-b, Spearman and weighted tau over the names both rank,
//! rank-biased overlap with its bounds, the top-k in common, and who is in one list
//! only. Writes `comparisons.csv`, `names.csv`, a bump chart, `report.md` and a
//! manifest; prints the lede. Reading the lists: [`crate::compare::lists`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail, ensure};

use crate::compare::lists::{self, Columns, List};
use crate::compare::{self, overlap, top_k_strict};
use crate::output::{self, sha256_file, write_atomic};
use crate::plots::bump::{self, BumpSeries};
use crate::report::md_text;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Ranked lists: text (one name per line, in rank order, optionally "12. name"),
    /// CSV/TSV with a name column and a rank or score column, or an audit's
    /// tables/rankings.csv (FILE:NAME picks one of its rankings).
    #[arg(value_name = "LIST", required = true)]
    lists: Vec<String>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "compare-out")]
    out: PathBuf,
    /// k of the top-k overlap and of the bump chart (default: 50, or the shortest
    /// list's length if shorter).
    #[arg(long, value_name = "K")]
    top: Option<usize>,
    /// Persistence p of rank-biased overlap, in (0, 1): with 0.9 the top 10 carry 86 %
    /// of the weight.
    #[arg(long, value_name = "P", default_value_t = 0.9)]
    rbo_p: f64,
    /// Take only this ranking from an audit's rankings table (repeatable).
    #[arg(long, value_name = "NAME")]
    ranking: Vec<String>,
    /// Name column of table lists (default: the first of label, name, handle,
    /// screen_name, username, account, user).
    #[arg(long, value_name = "COLUMN")]
    name_column: Option<String>,
    /// Rank column of table lists, ascending (default: `rank`).
    #[arg(long, value_name = "COLUMN")]
    rank_column: Option<String>,
    /// Score column of table lists, higher is better (default: `score`; used when there
    /// is no rank column).
    #[arg(long, value_name = "COLUMN")]
    score_column: Option<String>,
}

/// One pair of lists compared.
struct PairRow {
    a: usize,
    b: usize,
    cmp: compare::PairComparison,
    /// Names in both top k.
    top_common: usize,
    /// (RBO_min, residual) of the lists as given.
    bounds: Option<(f64, f64)>,
    only_a: Vec<u32>,
    only_b: Vec<u32>,
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    ensure!(
        args.rbo_p > 0.0 && args.rbo_p < 1.0,
        "--rbo-p {} must be strictly between 0 and 1 (e.g. 0.9)",
        args.rbo_p
    );
    let cols = Columns {
        name: args.name_column.clone(),
        rank: args.rank_column.clone(),
        score: args.score_column.clone(),
        rankings: args.ranking.clone(),
    };
    let mut all: Vec<List> = Vec::new();
    for l in &args.lists {
        all.extend(lists::read(l, &cols)?);
    }
    if all.len() < 2 {
        bail!(
            "compare needs at least two lists; {} gave {} (give two files, or an audit's rankings table with two rankings or more)",
            args.lists.join(" "),
            all.len()
        );
    }
    ensure!(
        all.len() <= bump::MAX_METHODS,
        "{} lists is more than {} (pick rankings with --ranking)",
        all.len(),
        bump::MAX_METHODS
    );
    // Two lists from two files may share a stem: number them apart.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in &mut all {
        let n = seen.entry(l.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            l.name = format!("{}-{n}", l.name);
        }
    }
    // One id per matching key; the first spelling is shown.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut shown: Vec<String> = Vec::new();
    let ranked: Vec<Vec<(u32, u32)>> = all
        .iter()
        .map(|l| {
            l.items
                .iter()
                .map(|it| {
                    let id = *ids.entry(lists::key(&it.name)).or_insert_with(|| {
                        shown.push(it.name.clone());
                        (shown.len() - 1) as u32
                    });
                    (id, it.rank)
                })
                .collect()
        })
        .collect();
    let shortest = ranked.iter().map(Vec::len).min().unwrap_or(0);
    let k = args.top.unwrap_or(50.min(shortest));
    ensure!(k >= 1, "--top must be at least 1");
    let mut pairs = Vec::new();
    for a in 0..all.len() {
        for b in a + 1..all.len() {
            let (la, lb) = (&ranked[a], &ranked[b]);
            let cmp = compare::compare(la, lb, k, args.rbo_p);
            let ta: Vec<u32> = top_k_strict(la, k).iter().map(|e| e.0).collect();
            let tb: Vec<u32> = top_k_strict(lb, k).iter().map(|e| e.0).collect();
            let in_b = |id: u32, l: &[(u32, u32)]| l.iter().any(|e| e.0 == id);
            let order = |l: &[(u32, u32)]| l.iter().map(|e| e.0).collect::<Vec<u32>>();
            pairs.push(PairRow {
                a,
                b,
                top_common: ta.iter().filter(|x| tb.contains(x)).count(),
                bounds: overlap::rbo_bounds(&order(la), &order(lb), args.rbo_p),
                only_a: la.iter().map(|e| e.0).filter(|&x| !in_b(x, lb)).collect(),
                only_b: lb.iter().map(|e| e.0).filter(|&x| !in_b(x, la)).collect(),
                cmp,
            });
        }
    }
    output::begin_run(&args.out)?;
    let mut files = Vec::new();
    let out = &args.out;
    let path = out.join("comparisons.csv");
    write_atomic(&path, &comparisons_csv(&all, &pairs)?)?;
    files.push(path);
    let path = out.join("names.csv");
    write_atomic(&path, &names_csv(&all, &ranked, &shown)?)?;
    files.push(path);
    let (title, bump_files) = bump_chart(&all, &ranked, &shown, &pairs, k, out)?;
    files.extend(bump_files);
    let lede = lede(&all, &pairs, k);
    let report = report(&all, &pairs, &shown, k, args.rbo_p, &lede, &title);
    let path = out.join("report.md");
    write_atomic(&path, report.as_bytes())?;
    files.push(path);
    manifest(&args, &all, &files)?;
    if !quiet {
        eprintln!("rankaudit: wrote {}", out.display());
    }
    println!("{lede}");
    Ok(())
}

/// "a", "a and b", "a, b and c".
fn join_and(v: &[String]) -> String {
    crate::report::lede::join_and(v)
}

fn names_of(shown: &[String], ids: &[u32]) -> Vec<String> {
    ids.iter().map(|&i| shown[i as usize].clone()).collect()
}

/// Two or three plain sentences, every number from the pair rows.
fn lede(all: &[List], pairs: &[PairRow], k: usize) -> String {
    let mut s = String::new();
    if let [p] = pairs {
        let (a, b) = (&all[p.a], &all[p.b]);
        let ka = top_k_strict_len(a, k);
        let kb = top_k_strict_len(b, k);
        let top = if ka == kb {
            format!("{} of their top {ka}", p.top_common)
        } else {
            format!(
                "{} of their top {k} ({ka} and {kb} names, ties at place {k} left out)",
                p.top_common
            )
        };
        let _ = write!(
            s,
            "“{}” and “{}” share {top}; {} names are only in “{}” and {} only in “{}”.",
            a.name,
            b.name,
            p.only_a.len(),
            a.name,
            p.only_b.len(),
            b.name
        );
        if let Some(t) = p.cmp.spearman {
            let _ = write!(
                s,
                " For the {} names in both, the order agrees {} (Spearman correlation {t:.2}, where 1 is the same order and 0 no relation; weighted tau {}, which counts swaps near the top more).",
                p.cmp.n_common,
                agreement_words(t),
                p.cmp
                    .weighted_tau
                    .map_or("n/a".into(), |w| format!("{w:.2}"))
            );
        }
        if let Some((min, res)) = p.bounds {
            let _ = write!(
                s,
                " Their rank-biased overlap, a 0–1 score of how alike the two lists are that weighs the top most, is at least {min:.2} and at most {:.2} whatever follows the names listed.",
                min + res
            );
        }
    } else {
        let mut v: Vec<&PairRow> = pairs.iter().collect();
        v.sort_by(|x, y| {
            x.top_common
                .cmp(&y.top_common)
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        let (lo, hi) = (v[0], v[v.len() - 1]);
        let _ = write!(
            s,
            "Of {} lists, the most alike pair, “{}” and “{}”, shares {} of its top {k}; the least alike, “{}” and “{}”, {}.",
            all.len(),
            all[hi.a].name,
            all[hi.b].name,
            hi.top_common,
            all[lo.a].name,
            all[lo.b].name,
            lo.top_common
        );
    }
    s
}

fn top_k_strict_len(l: &List, k: usize) -> usize {
    compare::strict_top_len(l.items.len(), k, |i| l.items[i].rank)
}

fn agreement_words(rho: f64) -> &'static str {
    match rho {
        r if r >= 0.9 => "closely",
        r if r >= 0.7 => "largely",
        r if r >= 0.4 => "only in part",
        r if r >= 0.1 => "weakly",
        r if r > -0.1 => "not at all",
        _ => "in reverse",
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

fn csv_bytes(head: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(head)?;
    for r in rows {
        w.write_record(r)?;
    }
    Ok(w.into_inner()?)
}

fn comparisons_csv(all: &[List], pairs: &[PairRow]) -> Result<Vec<u8>> {
    let head = [
        "list_a",
        "list_b",
        "n_a",
        "n_b",
        "n_common",
        "kendall_tau_b",
        "spearman",
        "weighted_tau",
        "k",
        "top_k_in_common",
        "jaccard_top_k",
        "rbo_p",
        "rbo_ext",
        "rbo_min",
        "rbo_max",
        "only_in_a",
        "only_in_b",
    ];
    let rows = pairs
        .iter()
        .map(|p| {
            let c = &p.cmp;
            vec![
                all[p.a].name.clone(),
                all[p.b].name.clone(),
                c.n_a.to_string(),
                c.n_b.to_string(),
                c.n_common.to_string(),
                opt(c.tau_b),
                opt(c.spearman),
                opt(c.weighted_tau),
                c.k.to_string(),
                p.top_common.to_string(),
                opt(c.jaccard_top_k),
                c.rbo_p.to_string(),
                opt(c.rbo),
                opt(p.bounds.map(|b| b.0)),
                opt(p.bounds.map(|b| b.0 + b.1)),
                p.only_a.len().to_string(),
                p.only_b.len().to_string(),
            ]
        })
        .collect();
    csv_bytes(&head, rows)
}

fn names_csv(all: &[List], ranked: &[Vec<(u32, u32)>], shown: &[String]) -> Result<Vec<u8>> {
    let mut rank: Vec<Vec<Option<u32>>> = vec![vec![None; all.len()]; shown.len()];
    for (j, l) in ranked.iter().enumerate() {
        for &(id, r) in l {
            rank[id as usize][j] = Some(r);
        }
    }
    let mut head = vec!["name", "key", "lists"];
    let cols: Vec<String> = all.iter().map(|l| format!("rank_{}", l.name)).collect();
    head.extend(cols.iter().map(String::as_str));
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut row = vec![
                n.clone(),
                lists::key(n),
                rank[i].iter().flatten().count().to_string(),
            ];
            row.extend(
                rank[i]
                    .iter()
                    .map(|r| r.map_or(String::new(), |r| r.to_string())),
            );
            row
        })
        .collect();
    csv_bytes(&head, rows)
}

/// The bump chart: every name in the top k of any list (at most [`bump::MAX_SERIES`]),
/// the first list's top 10 highlighted.
fn bump_chart(
    all: &[List],
    ranked: &[Vec<(u32, u32)>],
    shown: &[String],
    pairs: &[PairRow],
    k: usize,
    out: &Path,
) -> Result<(String, Vec<PathBuf>)> {
    let mut ids: Vec<u32> = Vec::new();
    for l in ranked {
        for &(id, _) in top_k_strict(l, k) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.truncate(bump::MAX_SERIES);
    let first: Vec<u32> = top_k_strict(&ranked[0], 10.min(k))
        .iter()
        .map(|e| e.0)
        .collect();
    let series: Vec<BumpSeries> = ids
        .iter()
        .map(|&id| BumpSeries {
            label: shown[id as usize].clone(),
            ranks: ranked
                .iter()
                .map(|l| top_k_strict(l, k).iter().find(|e| e.0 == id).map(|e| e.1))
                .collect(),
            highlight: first.contains(&id),
        })
        .collect();
    let title = match pairs {
        [p] => format!(
            "The two lists share {} of their top {k}; {} names appear in only one of them",
            p.top_common,
            p.only_a.len() + p.only_b.len()
        ),
        _ => {
            let in_all = ids
                .iter()
                .filter(|&&id| {
                    ranked
                        .iter()
                        .all(|l| top_k_strict(l, k).iter().any(|e| e.0 == id))
                })
                .count();
            format!(
                "{in_all} names are in the top {k} of all {} lists",
                all.len()
            )
        }
    };
    let subtitle = format!(
        "Rank of each name in the top {k} of any list; coloured: the top {} of “{}”",
        first.len(),
        all[0].name
    );
    let methods: Vec<String> = all.iter().map(|l| l.name.clone()).collect();
    let files = bump::bump(
        &methods,
        &series,
        k as u32,
        &title,
        &subtitle,
        &out.join("bump"),
    )?;
    Ok((title, files))
}

fn report(
    all: &[List],
    pairs: &[PairRow],
    shown: &[String],
    k: usize,
    p: f64,
    lede: &str,
    title: &str,
) -> String {
    let names: Vec<String> = all.iter().map(|l| format!("“{}”", l.name)).collect();
    let mut md = format!("# Comparing {}\n\n{}\n\n", join_and(&names), md_text(lede));
    let _ = writeln!(
        md,
        "![{}](bump.png)\n\n*{}*\n",
        md_text(title),
        md_text(title)
    );
    md.push_str("## Every pair\n\n");
    md.push_str("| list | list | both rank | Kendall tau-b | Spearman | weighted tau | top k in common | RBO | RBO at least | RBO at most | only in the first | only in the second |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let f = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    for q in pairs {
        let c = &q.cmp;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} of {k} | {} | {} | {} | {} | {} |",
            md_text(&all[q.a].name),
            md_text(&all[q.b].name),
            c.n_common,
            f(c.tau_b),
            f(c.spearman),
            f(c.weighted_tau),
            q.top_common,
            f(c.rbo),
            f(q.bounds.map(|b| b.0)),
            f(q.bounds.map(|b| b.0 + b.1)),
            q.only_a.len(),
            q.only_b.len()
        );
    }
    md.push_str("\n## Who is in one list and not the other\n\n");
    for q in pairs {
        for (from, other, only) in [(q.a, q.b, &q.only_a), (q.b, q.a, &q.only_b)] {
            let v: Vec<String> = names_of(shown, only).iter().map(|n| md_text(n)).collect();
            let _ = writeln!(
                md,
                "- In “{}”, not in “{}” ({}): {}",
                md_text(&all[from].name),
                md_text(&all[other].name),
                v.len(),
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            );
        }
    }
    let repeats: Vec<String> = all
        .iter()
        .flat_map(|l| {
            l.repeats.iter().map(move |(n, line, kept)| {
                format!(
                    "{} line {line}: {} repeats line {kept} (the first is kept)",
                    md_text(&l.source),
                    md_text(n)
                )
            })
        })
        .collect();
    if !repeats.is_empty() {
        md.push_str("\n## Names listed twice\n\n");
        for r in repeats {
            let _ = writeln!(md, "- {r}");
        }
    }
    md.push_str("\n## How the lists were read and compared\n\n");
    let sources: Vec<String> = all
        .iter()
        .map(|l| {
            format!(
                "“{}” from `{}`: {} names",
                md_text(&l.name),
                l.source,
                l.items.len()
            )
        })
        .collect();
    let _ = writeln!(md, "- {}.", sources.join("; "));
    let _ = writeln!(
        md,
        "- Names are matched across lists ignoring case, surrounding spaces and a leading `@`; the first spelling is shown. Tied names share a rank (1, 2, 2, 4); the top {k} leaves out a tie that straddles place {k}."
    );
    let _ = writeln!(
        md,
        "- **Kendall tau-b** (Kendall 1945) and **Spearman**: rank correlations over the names both lists rank (1 = same order, 0 = unrelated, −1 = reversed). **Weighted tau** (Vigna 2015, as scipy.stats.weightedtau): Kendall's tau with swaps near the top weighing more."
    );
    let _ = writeln!(
        md,
        "- **RBO** (rank-biased overlap, Webber, Moffat & Zobel 2010, p = {p}): the share of names in common at every depth, averaged with weights that favour the top; 1 = identical, 0 = disjoint. The lists are the tops of longer rankings, so RBO is known only within bounds: \"at least\" assumes nothing in common beyond the names listed, \"at most\" assumes everything unseen agrees; the RBO column is the extrapolated point estimate (methodology.md §5)."
    );
    md
}

fn manifest(args: &Args, all: &[List], files: &[PathBuf]) -> Result<()> {
    let mut inputs: Vec<String> = all.iter().map(|l| l.source.clone()).collect();
    inputs.dedup();
    let inputs = inputs
        .iter()
        .map(|p| {
            Ok(serde_json::json!({
                "path": p,
                "sha256": sha256_file(Path::new(p))?,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    let outputs = files
        .iter()
        .map(|p| {
            Ok(serde_json::json!({
                "path": p.strip_prefix(&args.out).unwrap_or(p).display().to_string(),
                "sha256": sha256_file(p)?,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    let m = serde_json::json!({
        "tool": "rankaudit",
        "version": env!("CARGO_PKG_VERSION"),
        "mode": {"command": "compare", "top": args.top, "rbo_p": args.rbo_p, "rankings": args.ranking},
        "inputs": inputs,
        "lists": all.iter().map(|l| serde_json::json!({"name": l.name, "source": l.source, "names": l.items.len(), "repeated": l.repeats.len()})).collect::<Vec<_>>(),
        "outputs": outputs,
    });
    write_atomic(
        &args.out.join("manifest.json"),
        serde_json::to_string_pretty(&m)?.as_bytes(),
    )
}
