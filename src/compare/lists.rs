//! Ranked lists read from files, for `rankaudit compare`: a published top 50 copied from
//! a PDF, a blogger's alternative, an audit's rankings table. No graph, no study.
//!
//! A file is either
//! * **text**: one name per line in rank order (blank lines and lines starting with `#`
//!   are skipped). A line may start with its rank ("12. name", "12) name", "12: name",
//!   "12<tab>name"); then every line must, ranks must not decrease, and equal ranks are
//!   a tie. Without rank prefixes the n-th name has rank n;
//! * **a table** (CSV, or TSV by extension `.tsv`/`.tab` or a tab in the header) with a
//!   header: a name column (`--name-column`, else the first of [`NAME_COLUMNS`]), and a
//!   `rank` column (ascending; `--rank-column`) or a `score` column (descending;
//!   `--score-column`), else the rows' order. An audit's `tables/rankings.csv` (it has a
//!   `ranking` column) holds several rankings: each is one list, or those picked.
//!
//! Ranks become competition ranks (1, 2, 2, 4) from the order and the ties given.
//! Names are matched across lists by [`key`]: trimmed, a leading `@` removed,
//! lower-cased; the first spelling is the one shown.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Name columns tried, in order, when none is given.
pub const NAME_COLUMNS: &[&str] = &[
    "label",
    "name",
    "handle",
    "screen_name",
    "username",
    "account",
    "user",
];

/// The matching key of a name: trimmed, one leading `@` removed, lower-cased.
pub fn key(name: &str) -> String {
    let t = name.trim();
    t.strip_prefix('@').unwrap_or(t).trim().to_lowercase()
}

/// One entry of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The name as written (trimmed).
    pub name: String,
    /// Competition rank within the list.
    pub rank: u32,
    /// Line of the file it came from (1-based).
    pub line: usize,
}

/// A ranked list read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// What the list is called in outputs: the file stem, or the ranking's name.
    pub name: String,
    /// The file (and ranking) it came from, for messages.
    pub source: String,
    /// Entries in rank order, each key once.
    pub items: Vec<Item>,
    /// Names repeated within the list: (name, line of the repeat, line kept). The first
    /// occurrence is kept.
    pub repeats: Vec<(String, usize, usize)>,
}

/// How to read table files.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub name: Option<String>,
    pub rank: Option<String>,
    pub score: Option<String>,
    /// Rankings to take from a table with a `ranking` column (empty: all).
    pub rankings: Vec<String>,
}

/// Reads `path` as one or more lists (several for an audit's rankings table). A
/// `path:NAME` suffix picks one ranking of such a table.
pub fn read(arg: &str, cols: &Columns) -> Result<Vec<List>> {
    let (path, pick) = match arg.rsplit_once(':') {
        Some((p, r)) if !Path::new(arg).exists() && Path::new(p).exists() => {
            (p.to_string(), Some(r.to_string()))
        }
        _ => (arg.to_string(), None),
    };
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{path}: cannot read the list (check the path; lists are UTF-8 text or CSV/TSV files)"
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let stem = Path::new(&path)
        .file_stem()
        .map_or(path.clone(), |s| s.to_string_lossy().into_owned());
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let ext = Path::new(&path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let delim = match ext.as_deref() {
        Some("tsv" | "tab") => Some(b'\t'),
        Some("csv") => Some(b','),
        _ if first.contains('\t') && has_known_header(first, '\t', cols) => Some(b'\t'),
        _ if first.contains(',') && has_known_header(first, ',', cols) => Some(b','),
        _ => None,
    };
    let mut rankings = cols.rankings.clone();
    rankings.extend(pick);
    match delim {
        Some(d) => table(&path, &stem, text, d, cols, &rankings),
        None => {
            if !rankings.is_empty() {
                bail!(
                    "{path}: a plain text list holds one ranking; --ranking (or FILE:NAME) picks rankings of an audit's rankings table"
                );
            }
            Ok(vec![plain(&path, &stem, text)?])
        }
    }
}

fn has_known_header(line: &str, sep: char, cols: &Columns) -> bool {
    line.split(sep).any(|c| {
        let c = c.trim().trim_matches('"').to_lowercase();
        NAME_COLUMNS.contains(&c.as_str())
            || cols.name.as_deref().is_some_and(|n| n.to_lowercase() == c)
    })
}

/// A list's row: (name, order value: rank, or minus the score, or the row number; line).
type Row = (String, f64, usize);

/// Competition ranks from (name, order value, line) triples already in rank order:
/// equal order values tie.
fn ranked(path: &str, name: &str, rows: Vec<Row>) -> Result<List> {
    let mut items: Vec<Item> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut repeats = Vec::new();
    let mut prev: Option<f64> = None;
    let mut rank = 0u32;
    let mut position = 0u32;
    for (n, v, line) in rows {
        if let Some(&kept) = seen.get(&key(&n)) {
            repeats.push((n, line, kept));
            continue;
        }
        position += 1;
        if prev != Some(v) {
            rank = position;
        }
        prev = Some(v);
        seen.insert(key(&n), line);
        items.push(Item {
            name: n,
            rank,
            line,
        });
    }
    if items.is_empty() {
        bail!(
            "{path}: the list {name:?} has no names (one name per line, or a table with a name column)"
        );
    }
    Ok(List {
        name: name.to_string(),
        source: path.to_string(),
        items,
        repeats,
    })
}

/// A rank prefix: "12. x", "12) x", "12: x", "12<tab>x" → (12, "x").
fn rank_prefix(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = &t[digits..];
    let rest = rest
        .strip_prefix(['.', ')', ':', '\t'])
        .filter(|r| !r.trim().is_empty())?;
    Some((t[..digits].parse().ok()?, rest.trim()))
}

fn plain(path: &str, stem: &str, text: &str) -> Result<List> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let numbered = lines
        .iter()
        .filter(|(_, l)| rank_prefix(l).is_some())
        .count();
    let mut rows = Vec::with_capacity(lines.len());
    if numbered > 0 && numbered < lines.len() {
        let (line, l) = lines
            .iter()
            .find(|(_, l)| rank_prefix(l).is_none())
            .expect("some line has no prefix");
        bail!(
            "{path}: line {line}, column 1: {l:?} has no rank although other lines start with one (\"12. name\"); number every line, or none (then the order is the rank)"
        );
    }
    let mut last = 0u32;
    for (i, (line, l)) in lines.iter().enumerate() {
        let (rank, name) = match rank_prefix(l) {
            Some((r, n)) if numbered > 0 => (r, n),
            _ => (i as u32 + 1, *l),
        };
        if rank < last {
            bail!(
                "{path}: line {line}, column 1: rank {rank} comes after rank {last}; a list is in rank order (equal ranks are a tie)"
            );
        }
        if rank == 0 {
            bail!("{path}: line {line}, column 1: rank 0; ranks start at 1");
        }
        last = rank;
        rows.push((name.to_string(), f64::from(rank), *line));
    }
    ranked(path, stem, rows)
}

fn table(
    path: &str,
    stem: &str,
    text: &str,
    delim: u8,
    cols: &Columns,
    pick: &[String],
) -> Result<Vec<List>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .with_context(|| format!("{path}: line 1: cannot read the header"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let find = |want: &str| header.iter().position(|h| h.eq_ignore_ascii_case(want));
    let name_col = match &cols.name {
        Some(n) => find(n).with_context(|| {
            format!("{path}: line 1: no column {n:?} (--name-column); the header has {header:?}")
        })?,
        None => NAME_COLUMNS.iter().find_map(|n| find(n)).with_context(|| {
            format!("{path}: line 1: no name column; name one of {NAME_COLUMNS:?}, or give --name-column (the header has {header:?})")
        })?,
    };
    let named = |flag: &str, c: &Option<String>, default: &str| -> Result<Option<usize>> {
        match c {
            Some(n) => find(n).map(Some).with_context(|| {
                format!("{path}: line 1: no column {n:?} ({flag}); the header has {header:?}")
            }),
            None => Ok(find(default)),
        }
    };
    let rank_col = named("--rank-column", &cols.rank, "rank")?;
    let score_col = if rank_col.is_none() {
        named("--score-column", &cols.score, "score")?
    } else {
        None
    };
    let group_col = find("ranking");
    // An audit's rankings table: a label may be empty (the account id is shown then).
    let fallback = group_col.and(find("account"));
    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{path}: line {line}: cannot read the row"))?;
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        let mut name = cell(name_col).to_string();
        if name.is_empty()
            && let Some(f) = fallback
        {
            name = cell(f).to_string();
        }
        if name.is_empty() {
            bail!(
                "{path}: line {line}, column {}: the name ({:?}) is empty; every row needs a name",
                name_col + 1,
                header[name_col]
            );
        }
        let value = |c: usize, what: &str| -> Result<f64> {
            cell(c)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .with_context(|| {
                    format!(
                        "{path}: line {line}, column {}: {what} {:?} is not a number",
                        c + 1,
                        cell(c)
                    )
                })
        };
        let v = match (rank_col, score_col) {
            (Some(c), _) => value(c, "rank")?,
            (None, Some(c)) => -value(c, "score")?,
            (None, None) => i as f64,
        };
        let g = group_col.map_or(stem.to_string(), |c| cell(c).to_string());
        match groups.iter_mut().find(|(n, _)| *n == g) {
            Some((_, rows)) => rows.push((name, v, line)),
            None => groups.push((g, vec![(name, v, line)])),
        }
    }
    for p in pick {
        if group_col.is_none() {
            bail!("{path}: has no `ranking` column, so there is no ranking {p:?} to pick");
        }
        if !groups.iter().any(|(n, _)| n == p) {
            let have: Vec<&str> = groups.iter().map(|(n, _)| n.as_str()).collect();
            bail!("{path}: no ranking {p:?}; it holds {have:?}");
        }
    }
    groups
        .into_iter()
        .filter(|(n, _)| pick.is_empty() || pick.contains(n))
        .map(|(n, mut rows)| {
            rows.sort_by(|a, b| a.1.total_cmp(&b.1));
            ranked(path, &n, rows)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, text: &str) -> String {
        let d = std::env::temp_dir().join(format!("rankaudit-lists-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn ranks(l: &List) -> Vec<(String, u32)> {
        l.items.iter().map(|i| (i.name.clone(), i.rank)).collect()
    }

    #[test]
    fn keys_ignore_case_at_and_spaces() {
        assert_eq!(key(" @AOC "), "aoc");
        assert_eq!(key("aoc"), key("@Aoc"));
    }

    #[test]
    fn text_lists_with_and_without_ranks() {
        let p = tmp("a.txt", "# top\n@Alice\n\nbob\ncarol\n");
        let l = &read(&p, &Columns::default()).unwrap()[0];
        assert_eq!(l.name, "a");
        assert_eq!(
            ranks(l),
            [("@Alice".into(), 1), ("bob".into(), 2), ("carol".into(), 3)]
        );
        let p = tmp("b.txt", "1. x\n2) y\n2: z\n4\tw\n");
        let l = &read(&p, &Columns::default()).unwrap()[0];
        assert_eq!(
            ranks(l),
            [
                ("x".into(), 1),
                ("y".into(), 2),
                ("z".into(), 2),
                ("w".into(), 4)
            ]
        );
        // A numeric handle alone on its line is a name, not a rank.
        let p = tmp("c.txt", "12345\nbob\n");
        assert_eq!(
            ranks(&read(&p, &Columns::default()).unwrap()[0])[0],
            ("12345".into(), 1)
        );
    }

    #[test]
    fn repeats_are_kept_once_and_reported() {
        let p = tmp("d.txt", "a\nb\n@A\n");
        let l = &read(&p, &Columns::default()).unwrap()[0];
        assert_eq!(l.items.len(), 2);
        assert_eq!(l.repeats, [("@A".to_string(), 3, 1)]);
    }

    #[test]
    fn bad_text_names_the_line() {
        let p = tmp("e.txt", "1. a\nb\n");
        let e = read(&p, &Columns::default()).unwrap_err().to_string();
        assert!(
            e.contains("line 2, column 1") && e.contains("no rank"),
            "{e}"
        );
        let p = tmp("f.txt", "2. a\n1. b\n");
        let e = read(&p, &Columns::default()).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("rank order"), "{e}");
        let e = read(&tmp("g.txt", "# nothing\n"), &Columns::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no names"), "{e}");
        let e = read("/nonexistent/list.txt", &Columns::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/list.txt"), "{e}");
    }

    #[test]
    fn tables_by_score_rank_and_ranking() {
        let p = tmp("s.csv", "handle,score\na,3\nb,5\nc,5\nd,1\n");
        let l = &read(&p, &Columns::default()).unwrap()[0];
        assert_eq!(
            ranks(l),
            [
                ("b".into(), 1),
                ("c".into(), 1),
                ("a".into(), 3),
                ("d".into(), 4)
            ]
        );
        let p = tmp("r.tsv", "rank\tname\n2\tq\n1\tp\n");
        assert_eq!(
            ranks(&read(&p, &Columns::default()).unwrap()[0]),
            [("p".into(), 1), ("q".into(), 2)]
        );
        let p = tmp(
            "rankings.csv",
            "ranking,account,label,score,rank\nx,1,A,2,1\nx,2,,1,2\ny,2,,5,1\n",
        );
        let all = read(&p, &Columns::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(ranks(&all[0]), [("A".into(), 1), ("2".into(), 2)]);
        let y = read(&format!("{p}:y"), &Columns::default()).unwrap();
        assert_eq!((y.len(), y[0].name.as_str()), (1, "y"));
        let e = read(&format!("{p}:z"), &Columns::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no ranking \"z\""), "{e}");
        let p = tmp("bad.csv", "name,score\na,x\n");
        let e = read(&p, &Columns::default()).unwrap_err().to_string();
        assert!(
            e.contains("line 2, column 2") && e.contains("not a number"),
            "{e}"
        );
        let p = tmp("noname.csv", "who,score\na,1\n");
        let e = read(&p, &Columns::default()).unwrap_err().to_string();
        assert!(
            e.contains("no name column") && e.contains("--name-column"),
            "{e}"
        );
    }
}
