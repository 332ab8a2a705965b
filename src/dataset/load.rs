//! Building a [`Dataset`] from the table files: header checks, row policies, id mapping.
//!
//! Each table's header and records come from its importer ([`super::import`], picked by
//! `format` or the file name), through a `Feed`: its own read of its file, or, when
//! one file yields several tables, one read whose later tables are staged until their
//! turn (accounts first), unless its importer reads each table apart
//! ([`super::import::Importer::reads_each_table`]). The follows table of a delimited-text file is read by the
//! parallel reader (`dataset/fast.rs`) when it applies.
//!
//! Columns are checked once at the header: a missing required column is an error that
//! names the file, the column looked for, the columns found and the mapping to use.
//! Each row is then used or rejected under [`Policy`], and counted in a [`TableReport`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::clean::{
    KeepOrDrop, OnUnknownId, Policy, TableReport, malformed, parse_count, parse_time, quoted,
};
use super::fast;
use super::ids::Ids;
use super::import::{Format, Owned};
use super::numbers::Numbers;
use super::prepared;
use super::read::{Event, Loc, TableSource, read_table, read_tables};
use super::renumber::Order;
use super::schema::{self, TableKind};
use crate::graph::Csr;
use crate::progress::{Observer, Task};

/// Which files make up the data. Accounts are optional (without them every id is added
/// from the edges); at least one of follows and interactions is required.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// The importer of every table that names none (by name, [`super::import`]);
    /// default: each file's extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    #[serde(default)]
    pub accounts: Option<TableSource>,
    #[serde(default)]
    pub follows: Option<TableSource>,
    #[serde(default)]
    pub interactions: Option<TableSource>,
    #[serde(default)]
    pub policy: Policy,
    /// The order accounts are numbered in memory ([`super::renumber`]): `file`
    /// (default) or `in-degree`.
    #[serde(default, skip_serializing_if = "Order::is_file")]
    pub order: Order,
}

/// The accounts table, column-oriented, one entry per account index (accounts added from
/// edges have missing values everywhere).
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub ids: Ids,
    /// The first `listed` indices come from the accounts table.
    pub listed: usize,
    /// Columns whose non-missing values are all numbers (platform counts always are).
    pub numeric: BTreeMap<String, Numbers>,
    /// All other attribute columns.
    pub text: BTreeMap<String, Vec<Option<String>>>,
    /// Source of each column for messages: (file, 1-based column number).
    pub column_origin: BTreeMap<String, (String, usize)>,
    /// The accounts table's file, for messages (None: accounts come from the edges only).
    pub file: Option<String>,
}

impl Accounts {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A numeric column, or an error that says which columns exist.
    pub fn numeric_column(&self, name: &str) -> Result<&Numbers> {
        if let Some(c) = self.numeric.get(name) {
            return Ok(c);
        }
        if let Some((file, col)) = self.column_origin.get(name) {
            let example = self.text[name]
                .iter()
                .flatten()
                .find(|v| exact_number(v).is_none())
                .map(|v| {
                    let why = if v.trim().parse::<f64>().is_ok_and(f64::is_finite) {
                        ", an integer beyond 2^53 = 9007199254740992 that a 64-bit float cannot hold exactly"
                    } else {
                        ""
                    };
                    format!("{}{why}", quoted(v))
                })
                .unwrap_or_default();
            bail!(
                "{file}: column {col} ({name:?}) is not numeric (e.g. {example}); rank by a numeric column: {}",
                self.numeric.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
        bail!(
            "{}: no accounts column {name:?}; numeric columns are: {}",
            self.describe_source(),
            if self.numeric.is_empty() {
                "(none)".to_string()
            } else {
                self.numeric.keys().cloned().collect::<Vec<_>>().join(", ")
            }
        )
    }

    /// Where account columns come from, for messages: the accounts file, or why there is
    /// no column at all.
    pub fn describe_source(&self) -> String {
        match &self.file {
            Some(f) => f.clone(),
            None => "no accounts table was given (--accounts FILE, or [data.accounts] in the study file)".into(),
        }
    }

    /// A column rendered as text (numeric columns formatted), for attribute filters.
    pub fn text_value(&self, name: &str, i: usize) -> Option<String> {
        if let Some(c) = self.text.get(name) {
            return c[i].clone();
        }
        self.numeric
            .get(name)
            .and_then(|c| c.get(i).map(|v| format!("{v}")))
    }

    /// How account `i` is shown: its label (the accounts table's `label` column), or
    /// its id where it has none.
    pub fn label(&self, i: u32) -> &str {
        self.text
            .get(schema::LABEL)
            .and_then(|c| c.get(i as usize))
            .and_then(|l| l.as_deref())
            .unwrap_or_else(|| self.ids.name(i))
    }

    /// Every account's [`Self::label`], by index.
    pub fn labels(&self) -> Vec<&str> {
        (0..self.len() as u32).map(|i| self.label(i)).collect()
    }

    /// Whether the accounts table gave any account a label.
    pub fn has_labels(&self) -> bool {
        self.text
            .get(schema::LABEL)
            .is_some_and(|c| c.iter().any(Option::is_some))
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.text.contains_key(name) || self.numeric.contains_key(name)
    }

    fn pad(&mut self) {
        let n = self.ids.len();
        for c in self.numeric.values_mut() {
            c.resize(n);
        }
        for c in self.text.values_mut() {
            c.resize(n, None);
        }
    }
}

/// Interaction events, column-oriented.
#[derive(Debug, Clone, Default)]
pub struct Interactions {
    pub source: Vec<u32>,
    pub target: Vec<u32>,
    /// Index into `kinds`.
    pub kind: Vec<u16>,
    pub kinds: Vec<String>,
    pub time: Vec<Option<i64>>,
    pub weight: Vec<f64>,
    /// Index into `tags`.
    pub tag: Vec<Option<u32>>,
    pub tags: Vec<String>,
}

impl Interactions {
    pub fn len(&self) -> usize {
        self.source.len()
    }

    /// The events at `idx` (repeats allowed), with the same kind and tag tables.
    pub fn select(&self, idx: &[usize]) -> Interactions {
        Interactions {
            source: idx.iter().map(|&i| self.source[i]).collect(),
            target: idx.iter().map(|&i| self.target[i]).collect(),
            kind: idx.iter().map(|&i| self.kind[i]).collect(),
            kinds: self.kinds.clone(),
            time: idx.iter().map(|&i| self.time[i]).collect(),
            weight: idx.iter().map(|&i| self.weight[i]).collect(),
            tag: idx.iter().map(|&i| self.tag[i]).collect(),
            tags: self.tags.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }
}

/// Everything the algorithms read.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub accounts: Accounts,
    /// Follow edges after the policies, as the follower -> followee adjacency (parallel
    /// edges merged; accounts added after the follows table have no entry). Moved out
    /// (left empty) by [`super::follow_graph`].
    pub follows: Csr,
    /// The follow in-adjacency, when it came ready-made from a prepared graph file (then
    /// [`super::follow_graph`] uses it rather than transposing `follows`).
    pub follows_in: Option<Csr>,
    pub interactions: Interactions,
    pub reports: Vec<TableReport>,
    /// Input files read, for the manifest.
    pub files: Vec<PathBuf>,
    /// SHA-256 (hex) of input files known without reading them (a prepared graph file
    /// records its follows file's), reused by the manifest.
    pub known_sha256: BTreeMap<PathBuf, String>,
    /// The prepared graph file used for the follows table, if any.
    pub prepared: Option<PreparedUse>,
    /// The order the accounts are numbered in: first seen, unless they were renumbered
    /// after loading or the prepared file came in another order (then the accounts that
    /// follow are numbered after its).
    pub numbered: Order,
}

/// A prepared graph file used instead of parsing the follows table; the manifest
/// records it (the one difference from the manifest of a run that parsed).
#[derive(Debug, Clone, Serialize)]
pub struct PreparedUse {
    /// The prepared file.
    pub file: String,
    /// When it was prepared ("2026-12-05 13:40 UTC").
    pub prepared_at: String,
    /// The follows file whose parse it replaced.
    pub follows: String,
}

/// Resolve the canonical columns of a table against its header.
struct ColumnMap {
    /// canonical name -> index in the file's fields
    index: HashMap<&'static str, usize>,
}

fn map_columns(src: &TableSource, kind: TableKind, header: &[String]) -> Result<ColumnMap> {
    let mut index = HashMap::new();
    for key in src.columns.keys() {
        if !kind.required().contains(&key.as_str()) && !kind.optional().contains(&key.as_str()) {
            bail!(
                "{}: the column mapping names {key:?}, which is not a column of a {} table (known: {})",
                src.path.display(),
                kind.name(),
                kind.required()
                    .iter()
                    .chain(kind.optional())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let mut seen = HashSet::new();
    for (i, h) in header.iter().enumerate() {
        if !seen.insert(h) {
            bail!(
                "{}: line 1, column {}: the column name {h:?} appears twice in the header",
                src.path.display(),
                i + 1
            );
        }
    }
    for (&name, required) in kind
        .required()
        .iter()
        .map(|n| (n, true))
        .chain(kind.optional().iter().map(|n| (n, false)))
    {
        let wanted = src.file_column(name);
        if name == schema::KIND
            && let Some(k) = &src.constant_kind
        {
            let mapped = src.columns.contains_key(name);
            if mapped || header.iter().any(|h| h == wanted) {
                bail!(
                    "{}: the file has a kind column ({wanted:?}) and a constant kind ({k:?}) is given too; drop `constant_kind` (`--kind`) to use the column, or recode its values (`[data.interactions.recode.kind]`, `--recode-kind`)",
                    src.path.display()
                );
            }
            continue;
        }
        match header.iter().position(|h| h == wanted) {
            Some(i) => {
                index.insert(name, i);
            }
            None if required => bail!(
                "{}: no column {wanted:?} (the {} table needs {:?}); columns found: {}. Rename the column, or map it in the study file (`[data.{}.columns] {name} = \"your_column\"`) or with --{}-col{}",
                src.path.display(),
                kind.name(),
                name,
                header.join(", "),
                kind.name(),
                name,
                text_header_hint(src, kind, header)
                    .map(|h| format!(". {h}"))
                    .unwrap_or_default()
            ),
            None if src.columns.contains_key(name) => bail!(
                "{}: the mapping names column {wanted:?} for {name:?}, but the file has no such column; columns found: {}",
                src.path.display(),
                header.join(", ")
            ),
            None => {}
        }
    }
    Ok(ColumnMap { index })
}

/// For a CSV/TSV table: what its first line suggests ([`super::import::header_hint`]).
fn text_header_hint(src: &TableSource, table: TableKind, header: &[String]) -> Option<String> {
    let name = src.importer().ok()?.name();
    matches!(name, "csv" | "tsv")
        .then(|| super::import::header_hint(src, table.name(), header))
        .flatten()
}

/// Read all tables named in `spec` and apply the policies.
pub fn load(spec: &DataSpec) -> Result<Dataset> {
    load_observed(spec, &crate::progress::Silent)
}

/// [`load`], with each table's read shown to `obs` as a task measured in bytes of its
/// file (or folder). A current prepared graph file of the follows table
/// ([`super::prepared`]) is used instead of parsing it.
pub fn load_observed(spec: &DataSpec, obs: &dyn Observer) -> Result<Dataset> {
    let mut ds = load_with(spec, obs, true)?;
    // (A prepared file in the study's order came numbered so: nothing to do. The
    // accounts added after it, by the interactions, follow the file's, which is where
    // renumbering puts them: none of them is followed.)
    if spec.order == Order::InDegree && ds.numbered != Order::InDegree {
        let task = obs.task(0, "numbering accounts most-followed first");
        let order = super::renumber::permutation(&ds);
        super::renumber::apply(&mut ds, &order);
        ds.numbered = Order::InDegree;
        task.finish();
    }
    Ok(ds)
}

/// [`load_observed`] that always parses the follows table (`rankaudit prepare`).
pub fn load_parsing(spec: &DataSpec, obs: &dyn Observer) -> Result<Dataset> {
    load_with(spec, obs, false)
}

fn load_with(spec: &DataSpec, obs: &dyn Observer, use_prepared: bool) -> Result<Dataset> {
    // An accounts table alone is enough for rules over its columns (count, columns,
    // kardashian-index, composite); the graph is then empty.
    if spec.follows.is_none() && spec.interactions.is_none() && spec.accounts.is_none() {
        if spec.policy.from_flags {
            bail!(
                "none of --accounts FILE, --follows FILE or --interactions FILE was given; give the tables the method reads"
            );
        }
        bail!(
            "[data] names neither a follows nor an interactions table; add [data.follows] or [data.interactions] with a `path`"
        );
    }
    for (name, t) in [("accounts", &spec.accounts), ("follows", &spec.follows)] {
        if let Some(t) = t
            && t.constant_kind.is_some()
        {
            bail!(
                "{}: constant_kind applies to the interactions table only, not to {name}",
                t.path.display()
            );
        }
    }
    for (name, t) in [
        ("accounts", &spec.accounts),
        ("interactions", &spec.interactions),
    ] {
        if let Some(t) = t
            && t.prepared.is_some()
        {
            bail!(
                "{}: `prepared` applies to the follows table only (its prepared graph file), not to {name}; move it under [data.follows]",
                t.path.display()
            );
        }
    }
    let mut ds = Dataset::default();
    // Tables in load order: accounts first (the unknown-id policy needs all of them).
    let tables: Vec<(TableKind, TableSource)> = [
        (TableKind::Accounts, &spec.accounts),
        (TableKind::Follows, &spec.follows),
        (TableKind::Interactions, &spec.interactions),
    ]
    .into_iter()
    .filter_map(|(kind, src)| {
        let mut src = src.clone()?;
        src.format = src.format.or(spec.format);
        Some((kind, src))
    })
    .collect();
    let mut staged: Vec<(TableKind, Vec<Owned>)> = Vec::new();
    for (i, (kind, src)) in tables.iter().enumerate() {
        let kind = *kind;
        let also: Vec<TableKind>;
        let feed = match staged.iter().position(|(k, _)| *k == kind) {
            Some(k) => Feed::Staged(staged.swap_remove(k).1),
            None => {
                also = same_read(&tables[i..])?;
                if also.is_empty() {
                    Feed::Read(src)
                } else {
                    Feed::Group {
                        src,
                        also: &also,
                        staged: &mut staged,
                    }
                }
            }
        };
        if kind == TableKind::Follows
            && use_prepared
            && matches!(feed, Feed::Read(_))
            && use_prepared_file(src, spec, &mut ds, obs)
        {
            continue;
        }
        let task = obs.task(input_bytes(&src.path), &format!("reading {}", kind.name()));
        let ds = &mut ds;
        let loaded = watch_bytes(&*task, || match kind {
            TableKind::Accounts => load_accounts(src, &spec.policy, ds, feed),
            TableKind::Follows => load_follows(src, &spec.policy, ds, feed),
            TableKind::Interactions => load_interactions(src, &spec.policy, ds, feed),
        });
        task.finish();
        loaded?;
    }
    // A table whose every row was rejected (`malformed = "skip"`, `unknown_ids = "drop"`)
    // would later look like a table never given; say so here, with the reasons.
    if let Some(r) = ds
        .reports
        .iter()
        .find(|r| r.rows_read > 0 && r.rows_used == 0)
    {
        bail!("{}", all_rejected(r));
    }
    ds.accounts.pad();
    debug_assert!(ds.reports.iter().all(TableReport::balanced));
    Ok(ds)
}

/// Take the follows table from its prepared graph file if there is one and it is
/// current (the key of [`super::prepared`]); else say why not (when there is a file)
/// and return false, and the table is parsed.
fn use_prepared_file(
    src: &TableSource,
    spec: &DataSpec,
    ds: &mut Dataset,
    obs: &dyn Observer,
) -> bool {
    let policy = &spec.policy;
    let path = prepared::path_for(src);
    let refresh = if policy.from_flags {
        "`rankaudit prepare` with the same data flags"
    } else {
        "`rankaudit prepare STUDY.toml`"
    };
    if !path.is_file() {
        if src.prepared.is_some() {
            obs.say(&format!(
                "rankaudit: no prepared graph file {} (parsing {}); write it with {refresh}",
                path.display(),
                src.path.display()
            ));
        }
        return false;
    }
    let opened = prepared::open(&path).and_then(|p| {
        p.check_key(src, policy, &ds.accounts.ids, spec.order)?;
        let loaded = p.load()?;
        Ok((p, loaded))
    });
    let (p, loaded) = match opened {
        Ok(x) => x,
        Err(e) => {
            obs.say(&format!(
                "rankaudit: not using the prepared file {} ({e}); parsing {} instead. Refresh it with {refresh}",
                path.display(),
                src.path.display()
            ));
            return false;
        }
    };
    ds.accounts.ids = loaded.ids;
    ds.follows = loaded.out;
    ds.follows_in = Some(loaded.inn);
    if let Some(first_seen) = &loaded.first_seen {
        // The accounts table's columns (one value per listed account so far) in the
        // file's order: index k takes the account first seen first_seen[k]-th.
        let listed = ds.accounts.listed;
        super::renumber::reorder_columns(&mut ds.accounts, &first_seen[..listed]);
        ds.numbered = p.header.order;
    }
    let mut report = p.header.report.clone();
    report.file = src.path.display().to_string();
    ds.reports.push(report);
    add_input(&mut ds.files, &src.path);
    ds.known_sha256
        .insert(src.path.clone(), p.header.sha256.clone());
    let use_ = PreparedUse {
        file: path.display().to_string(),
        prepared_at: p.header.prepared_when(),
        follows: src.path.display().to_string(),
    };
    obs.say(&format!(
        "rankaudit: follow graph from the prepared file {} (prepared {}; skips parsing {})",
        use_.file, use_.prepared_at, use_.follows
    ));
    ds.prepared = Some(use_);
    true
}

/// The size of an input: a file's, or the sum of the files in a folder (one level down
/// and below), for the progress bar.
fn input_bytes(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| input_bytes(&e.path()))
            .sum(),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// Runs `read`, showing the bytes read meanwhile (see [`super::read::BYTES_READ`]) on
/// `task` five times a second.
fn watch_bytes<T>(task: &dyn Task, read: impl FnOnce() -> T) -> T {
    use std::sync::atomic::Ordering;
    let start = super::read::BYTES_READ.load(Ordering::Relaxed);
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(std::time::Duration::from_millis(200))
            {
                let now = super::read::BYTES_READ.load(Ordering::Relaxed);
                task.at(now.saturating_sub(start));
            }
        });
        let out = read();
        drop(stop);
        out
    })
}

/// Where one table's events come from.
enum Feed<'a> {
    /// Its own read of its file (the follows table may take the parallel reader).
    Read(&'a TableSource),
    /// A read of a file that also yields the tables `also` (a dump format), whose events
    /// are staged for their turn.
    Group {
        src: &'a TableSource,
        also: &'a [TableKind],
        staged: &'a mut Vec<(TableKind, Vec<Owned>)>,
    },
    /// Events staged by the read of an earlier table of the same file.
    Staged(Vec<Owned>),
}

impl Feed<'_> {
    /// Hand `visit` the events of table `kind`.
    fn run(self, kind: TableKind, visit: &mut dyn FnMut(Event<'_>) -> Result<()>) -> Result<()> {
        match self {
            Feed::Read(src) => read_table(src, kind, visit),
            Feed::Group { src, also, staged } => {
                let first = staged.len();
                staged.extend(also.iter().map(|&k| (k, Vec::new())));
                let want: Vec<TableKind> =
                    std::iter::once(kind).chain(also.iter().copied()).collect();
                read_tables(src, &want, &mut |k, ev| {
                    if k == kind {
                        return visit(ev);
                    }
                    if let Some((_, events)) = staged[first..].iter_mut().find(|(s, _)| *s == k) {
                        events.push(Owned::of(ev));
                    }
                    Ok(())
                })
            }
            Feed::Staged(events) => Owned::replay(events, visit),
        }
    }
}

/// The later tables of `tables` that the read of the first one yields too: those naming
/// the same file with the same dump format. Also checks that the first table is one
/// its format yields.
fn same_read(tables: &[(TableKind, TableSource)]) -> Result<Vec<TableKind>> {
    let (kind, src) = &tables[0];
    let importer = src.importer()?;
    let Some(yields) = importer.tables() else {
        return Ok(Vec::new());
    };
    if !yields.contains(kind) {
        bail!(
            "{}: the {} format yields the {} tables, not the {} table",
            src.path.display(),
            importer.name(),
            yields
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(" and "),
            kind.name()
        );
    }
    if importer.reads_each_table() {
        return Ok(Vec::new());
    }
    Ok(tables[1..]
        .iter()
        .filter(|(k, s)| {
            yields.contains(k) && s.path == src.path && s.importer().is_ok_and(|i| i == importer)
        })
        .map(|(k, _)| *k)
        .collect())
}

/// "every row of FILE was rejected (N rows: reasons with an example each)".
fn all_rejected(r: &TableReport) -> String {
    let reasons: Vec<String> = r
        .rejected
        .iter()
        .map(
            |(why, n)| match r.examples.get(why).and_then(|e| e.first()) {
                Some(ex) => format!("{why} {n}, e.g. {ex}"),
                None => format!("{why} {n}"),
            },
        )
        .collect();
    format!(
        "{}: every row of the {} table was rejected ({} rows: {}); nothing is left to rank. Fix the rows (or the delimiter and column mapping), or relax the policy that rejects them",
        r.file,
        r.table,
        r.rows_read,
        reasons.join("; ")
    )
}

/// Count what an importer skipped on purpose (rejected under its reason, whatever the
/// `malformed` policy) or noted. Other events are the caller's.
fn skipped_or_noted(report: &mut TableReport, ev: Event<'_>) -> Result<()> {
    match ev {
        Event::Skip(s) => report.reject(s.reason, s.loc, &s.detail),
        Event::Note(what, n) => report.note_many(what, n),
        Event::Header(_) | Event::Row(_) | Event::Bad(_) | Event::Input(_) => {
            unreachable!("headers, rows and bad records are counted by the table's loader")
        }
    }
    Ok(())
}

/// A number from an attribute column, if it is one exactly: an integer literal beyond
/// 2^53 is not (an f64 would round it; such columns, e.g. 20-digit ids, stay text).
fn exact_number(s: &str) -> Option<f64> {
    let v = s.parse::<f64>().ok().filter(|x| x.is_finite())?;
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let integer_literal = digits.bytes().all(|b| b.is_ascii_digit());
    (!integer_literal || v.abs() < crate::dataset::clean::MAX_COUNT).then_some(v)
}

fn load_accounts(src: &TableSource, policy: &Policy, ds: &mut Dataset, feed: Feed) -> Result<()> {
    let mut report = TableReport::new("accounts", &src.path);
    let mut cols: Option<ColumnMap> = None;
    let mut header: Vec<String> = Vec::new();
    let mut raw: Vec<Vec<Option<String>>> = Vec::new(); // per extra column
    let mut extra: Vec<(usize, String)> = Vec::new(); // (file index, name)
    let mut counts: Vec<(&'static str, usize, Vec<Option<f64>>)> = Vec::new();
    // The label column (file index) and its values: text, whatever they look like.
    let mut label: Option<(usize, Vec<Option<String>>)> = None;
    // Where each account (by index) was listed, for the duplicate-id message.
    let mut first_line: Vec<Loc> = Vec::new();
    let ids = &mut ds.accounts.ids;
    // Room for an id per 16 bytes of input up front: growing the id index one doubling
    // at a time re-reads every id so far at random (a third of the load of 8M accounts).
    // A line is rarely shorter; longer lines only leave slots unused, and the index
    // grows as before past the estimate (a compressed file's is low).
    ids.reserve((input_bytes(&src.path) / 16) as usize);
    let files = &mut ds.files;
    feed.run(TableKind::Accounts, &mut |ev| match ev {
        Event::Header(h) => {
            let m = map_columns(src, TableKind::Accounts, h)?;
            header = h.to_vec();
            let mapped: HashSet<usize> = m.index.values().copied().collect();
            for (i, name) in h.iter().enumerate() {
                if !mapped.contains(&i) {
                    extra.push((i, name.clone()));
                    raw.push(Vec::new());
                }
            }
            for c in schema::COUNT_COLUMNS {
                if let Some(&i) = m.index.get(c) {
                    counts.push((c, i, Vec::new()));
                }
            }
            label = m.index.get(schema::LABEL).map(|&i| (i, Vec::new()));
            cols = Some(m);
            Ok(())
        }
        Event::Row(rec) => {
            let m = cols.as_ref().expect("header first");
            let id_col = m.index[schema::ACCOUNT];
            let id = rec.fields[id_col];
            if id.is_empty() {
                return malformed(
                    policy,
                    &mut report,
                    "empty_account",
                    rec.loc,
                    &format!("column {} ({:?}) is empty", id_col + 1, header[id_col]),
                );
            }
            // Parse every count before committing the row, so a rejected row leaves no trace.
            let mut parsed = Vec::with_capacity(counts.len());
            for (name, i, _) in &counts {
                match parse_count(rec.fields[*i]) {
                    Ok(v) => parsed.push(v),
                    Err(msg) => {
                        return malformed(
                            policy,
                            &mut report,
                            "bad_count",
                            rec.loc,
                            &format!("column {} ({name}): {msg}", i + 1),
                        );
                    }
                }
            }
            let (i, new) = ids.intern(id);
            if !new {
                bail!(
                    "{}: {}: account {} appears twice (first at {}); account ids must be unique",
                    src.path.display(),
                    rec.loc,
                    quoted(id),
                    first_line[i as usize]
                );
            }
            first_line.push(rec.loc);
            for ((_, _, col), v) in counts.iter_mut().zip(parsed) {
                col.push(v);
            }
            if let Some((i, col)) = &mut label {
                let l = rec.fields[*i].trim();
                col.push((!l.is_empty()).then(|| l.to_string()));
            }
            for ((i, _), col) in extra.iter().zip(raw.iter_mut()) {
                let v = rec.fields[*i];
                col.push(if v.is_empty() {
                    None
                } else {
                    Some(v.to_string())
                });
            }
            report.used();
            Ok(())
        }
        Event::Bad(bad) => malformed(policy, &mut report, bad.reason, bad.loc, &bad.detail),
        ev @ (Event::Skip(_) | Event::Note(..)) => skipped_or_noted(&mut report, ev),
        Event::Input(p) => {
            add_input(files, p);
            Ok(())
        }
    })?;
    let acc = &mut ds.accounts;
    acc.listed = acc.ids.len();
    let file = src.path.display().to_string();
    acc.file = Some(file.clone());
    for (name, i, col) in counts {
        let missing = col.iter().filter(|v| v.is_none()).count() as u64;
        if missing > 0 {
            report.notes.insert(format!("missing_{name}"), missing);
        }
        acc.column_origin
            .insert(name.to_string(), (file.clone(), i + 1));
        acc.numeric.insert(name.to_string(), col.into());
    }
    if let Some((i, col)) = label {
        let missing = col.iter().filter(|v| v.is_none()).count() as u64;
        if missing > 0 {
            report
                .notes
                .insert(format!("missing_{}", schema::LABEL), missing);
        }
        acc.column_origin
            .insert(schema::LABEL.to_string(), (file.clone(), i + 1));
        acc.text.insert(schema::LABEL.to_string(), col);
    }
    for ((i, name), col) in extra.into_iter().zip(raw) {
        acc.column_origin
            .insert(name.clone(), (file.clone(), i + 1));
        let numeric: Option<Vec<Option<f64>>> = col
            .iter()
            .map(|v| match v {
                None => Some(None),
                Some(s) => exact_number(s).map(Some),
            })
            .collect();
        let any_value = col.iter().any(Option::is_some);
        match numeric {
            Some(n) if any_value => {
                acc.numeric.insert(name, n.into());
            }
            _ => {
                acc.text.insert(name, col);
            }
        }
    }
    if acc.listed == 0 && report.rows_read > 0 {
        bail!("{}", all_rejected(&report));
    }
    if acc.listed == 0 && !policy.empty_tables {
        bail!(
            "{}: the accounts table has a header but no usable rows",
            src.path.display()
        );
    }
    add_input(&mut ds.files, &src.path);
    ds.reports.push(report);
    Ok(())
}

/// Record an input file for the manifest, once. A folder (an importer reading every
/// export in it) is not itself an input: its importer names the files it read.
fn add_input(files: &mut Vec<PathBuf>, path: &std::path::Path) {
    if !path.is_dir() && !files.iter().any(|f| f == path) {
        files.push(path.to_path_buf());
    }
}

/// Resolve an edge endpoint under the unknown-id policy. `Ok(None)` = reject the row.
fn resolve_id(
    ids: &mut Ids,
    have_accounts: bool,
    policy: &Policy,
    id: &str,
    report: &mut TableReport,
    file: &str,
    (loc, column): (Loc, usize),
) -> Result<Option<u32>> {
    if let Some(i) = ids.get(id) {
        return Ok(Some(i));
    }
    if !have_accounts {
        return Ok(Some(ids.intern(id).0));
    }
    match policy.unknown_ids {
        OnUnknownId::Add => {
            // get() missed, so this id is new: the note counts distinct accounts added.
            report.note("accounts_added");
            Ok(Some(ids.intern(id).0))
        }
        OnUnknownId::Drop => {
            report.reject(
                "unknown_id",
                loc,
                &format!(
                    "column {column}: {} is not in the accounts table",
                    quoted(id)
                ),
            );
            Ok(None)
        }
        OnUnknownId::Error => bail!(
            "{file}: {loc}, column {column}: account {} is not in the accounts table; add it there, or set {}",
            quoted(id),
            policy.how_to_set("unknown_ids", "add\" or \"drop")
        ),
    }
}

/// Resolve both ends of an edge row: the self-loop policy, then the unknown-id policy
/// for each end. `Ok(None)` = the row was rejected (and counted).
fn resolve_edge(
    ids: &mut Ids,
    have_accounts: bool,
    policy: &Policy,
    report: &mut TableReport,
    file: &str,
    loc: Loc,
    [(from, from_col), (to, to_col)]: [(&str, usize); 2],
) -> Result<Option<(u32, u32)>> {
    if from == to && policy.self_loops == KeepOrDrop::Drop {
        report.reject("self_loop", loc, &format!("{} -> {0}", quoted(from)));
        return Ok(None);
    }
    let Some(a) = resolve_id(
        ids,
        have_accounts,
        policy,
        from,
        report,
        file,
        (loc, from_col + 1),
    )?
    else {
        return Ok(None);
    };
    let Some(b) = resolve_id(
        ids,
        have_accounts,
        policy,
        to,
        report,
        file,
        (loc, to_col + 1),
    )?
    else {
        return Ok(None);
    };
    Ok(Some((a, b)))
}

/// Follow rows kept by the row policies, in file order, with where each came from.
struct FollowRows {
    pairs: Vec<(u32, u32)>,
    /// `(i, n)`: `pairs[i]` is at line/row n, later pairs on the following lines up to
    /// the next mark (one mark per run of consecutive lines, not one per edge).
    marks: Vec<(u32, u64)>,
    /// Lines (text) or rows (Parquet).
    rows: bool,
    /// Line/row of the last pair pushed.
    last: u64,
    /// Files the importer read for the table ([`Event::Input`]).
    inputs: Vec<PathBuf>,
}

impl FollowRows {
    fn new(rows: bool) -> Self {
        FollowRows {
            pairs: Vec::new(),
            marks: Vec::new(),
            rows,
            last: 0,
            inputs: Vec::new(),
        }
    }

    fn push(&mut self, e: (u32, u32), at: u64) {
        if self.pairs.is_empty() || at != self.last + 1 {
            self.marks.push((self.pairs.len() as u32, at));
        }
        self.last = at;
        self.pairs.push(e);
    }

    fn loc(&self, i: u32) -> Loc {
        let k = self.marks.partition_point(|m| m.0 <= i) - 1;
        let (j, at) = self.marks[k];
        let n = at + u64::from(i - j);
        if self.rows { Loc::Row(n) } else { Loc::Line(n) }
    }
}

/// The row logic of the follows table, shared by both readers: empty ids, then the
/// self-loop and unknown-id policies. `Ok(None)` = rejected (and counted).
#[allow(clippy::too_many_arguments)]
fn follow_row(
    ids: &mut Ids,
    have_accounts: bool,
    policy: &Policy,
    report: &mut TableReport,
    file: &str,
    header: &[String],
    loc: Loc,
    [(f, fi), (t, ti)]: [(&str, usize); 2],
) -> Result<Option<(u32, u32)>> {
    for (v, i) in [(f, fi), (t, ti)] {
        if v.is_empty() {
            malformed(
                policy,
                report,
                "empty_id",
                loc,
                &format!("column {} ({:?}) is empty", i + 1, header[i]),
            )?;
            return Ok(None);
        }
    }
    resolve_edge(
        ids,
        have_accounts,
        policy,
        report,
        file,
        loc,
        [(f, fi), (t, ti)],
    )
}

/// The parallel reader's sink: clean edges are appended, pending rows go through
/// [`follow_row`].
struct FastSink<'a> {
    src: &'a TableSource,
    rows: FollowRows,
    ids: &'a mut Ids,
    have_accounts: bool,
    policy: &'a Policy,
    report: &'a mut TableReport,
    file: &'a str,
    header: Vec<String>,
    cols: (usize, usize),
}

impl FastSink<'_> {
    /// Record where a run of clean rows starting at pair `base` came from.
    fn mark_run(&mut self, base: u32, len: usize, marks: &[(u32, u64)]) {
        for &(i, at) in marks {
            self.rows.marks.push((base + i, at));
        }
        if let Some(&(i, at)) = marks.last() {
            self.rows.last = at + (len as u64 - 1 - u64::from(i));
        }
    }
}

impl fast::EdgeSink for FastSink<'_> {
    fn layout(&mut self, h: &[String]) -> Result<fast::Layout> {
        let m = map_columns(self.src, TableKind::Follows, h)?;
        self.header = h.to_vec();
        self.cols = (m.index[schema::FOLLOWER], m.index[schema::FOLLOWEE]);
        Ok(fast::Layout {
            delimiter: b',',
            whitespace: false,
            width: h.len(),
            from_col: self.cols.0,
            to_col: self.cols.1,
            drop_self_loops: self.policy.self_loops == KeepOrDrop::Drop,
            intern: !self.have_accounts,
        })
    }

    fn edges(&mut self, edges: &[(u32, u32)], marks: &[(u32, u64)]) {
        let base = self.rows.pairs.len() as u32;
        self.rows.pairs.extend_from_slice(edges);
        self.mark_run(base, edges.len(), marks);
    }

    fn intern(&mut self, name: &str) -> (u32, usize) {
        (self.ids.intern(name).0, self.ids.len())
    }

    fn pending(&mut self, row: fast::Pending) -> Result<()> {
        match row {
            fast::Pending::Bad {
                line,
                reason,
                detail,
            } => malformed(self.policy, self.report, reason, Loc::Line(line), &detail),
            fast::Pending::Row { line, from, to } => {
                if let Some(e) = follow_row(
                    self.ids,
                    self.have_accounts,
                    self.policy,
                    self.report,
                    self.file,
                    &self.header,
                    Loc::Line(line),
                    [(&from, self.cols.0), (&to, self.cols.1)],
                )? {
                    self.rows.push(e, line);
                }
                Ok(())
            }
        }
    }
}

/// Read the follows table with the parallel reader; `Ok(None)` when it does not apply
/// (then nothing has changed).
fn read_follows_fast(
    src: &TableSource,
    policy: &Policy,
    ids: &mut Ids,
    report: &mut TableReport,
    block: usize,
) -> Result<Option<FollowRows>> {
    let importer = src.importer()?;
    // A comment character turns the parallel reader off (it does not parse comments);
    // a folder is left to its importer.
    if src.comment.is_some() || !src.path.is_file() {
        return Ok(None);
    }
    let names = |width: usize| importer.whitespace_header(src, width).unwrap_or_default();
    let split = match importer.edge_delimiter(src)? {
        Some(d) => fast::Split::Byte(d),
        None if importer.whitespace_header(src, 2).is_some() => fast::Split::Whitespace(&names),
        None => return Ok(None),
    };
    let file = src.path.display().to_string();
    let known = ids.len();
    // Without an accounts table every id is new: the parallel pass parses the ids and
    // the sink interns them in file order.
    let lookup = fast::Lookup::new(ids);
    let mut sink = FastSink {
        src,
        rows: FollowRows::new(false),
        ids,
        have_accounts: known > 0,
        policy,
        report,
        file: &file,
        header: Vec::new(),
        cols: (0, 0),
    };
    let outcome = fast::read_edges(src, split, &lookup, &mut sink, block)?;
    let rows = std::mem::replace(&mut sink.rows, FollowRows::new(false));
    match outcome {
        None => Ok(None),
        Some(Ok(())) => Ok(Some(rows)),
        Some(Err(fast::Fallback::Restart)) => {
            ids.truncate(known);
            *report = TableReport::new("follows", &src.path);
            Ok(None)
        }
    }
}

/// Read the follows table with the general (record by record) reader.
fn read_follows_general(
    src: &TableSource,
    policy: &Policy,
    ids: &mut Ids,
    report: &mut TableReport,
    feed: Feed,
) -> Result<FollowRows> {
    let file = src.path.display().to_string();
    let have_accounts = !ids.is_empty();
    let mut cols: Option<ColumnMap> = None;
    let mut header: Vec<String> = Vec::new();
    let mut rows = FollowRows::new(false);
    feed.run(TableKind::Follows, &mut |ev| match ev {
        Event::Header(h) => {
            cols = Some(map_columns(src, TableKind::Follows, h)?);
            header = h.to_vec();
            Ok(())
        }
        Event::Row(rec) => {
            let m = cols.as_ref().expect("header first");
            let (fi, ti) = (m.index[schema::FOLLOWER], m.index[schema::FOLLOWEE]);
            if let Some(e) = follow_row(
                ids,
                have_accounts,
                policy,
                report,
                &file,
                &header,
                rec.loc,
                [(rec.fields[fi], fi), (rec.fields[ti], ti)],
            )? {
                rows.rows = matches!(rec.loc, Loc::Row(_));
                rows.push(e, loc_key(rec.loc));
            }
            Ok(())
        }
        Event::Bad(bad) => malformed(policy, report, bad.reason, bad.loc, &bad.detail),
        ev @ (Event::Skip(_) | Event::Note(..)) => skipped_or_noted(report, ev),
        Event::Input(p) => {
            rows.inputs.push(p.to_path_buf());
            Ok(())
        }
    })?;
    Ok(rows)
}

fn load_follows(src: &TableSource, policy: &Policy, ds: &mut Dataset, feed: Feed) -> Result<()> {
    let mut report = TableReport::new("follows", &src.path);
    let file = src.path.display().to_string();
    let ids = &mut ds.accounts.ids;
    let fast = match feed {
        Feed::Read(_) => read_follows_fast(src, policy, ids, &mut report, fast::BLOCK)?,
        _ => None,
    };
    let rows = match fast {
        Some(rows) => rows,
        None => read_follows_general(src, policy, ids, &mut report, feed)?,
    };
    let (out, with_parallel) = Csr::from_pairs_merging(ids.len(), &rows.pairs);
    let mut kept = rows.pairs.len() as u64;
    if !with_parallel.is_empty() && policy.duplicate_follows == KeepOrDrop::Drop {
        // Every occurrence after the first of a (follower, followee) pair is rejected,
        // reported in (follower, followee, file position) order.
        let mut has_dup = vec![false; ids.len()];
        for &v in &with_parallel {
            has_dup[v as usize] = true;
        }
        let mut dups: Vec<(u32, u32, u32)> = rows
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, e)| has_dup[e.0 as usize])
            .map(|(pos, &(a, b))| (a, b, pos as u32))
            .collect();
        dups.sort_unstable();
        for w in dups.windows(2) {
            let ((a0, b0, _), (a, b, pos)) = (w[0], w[1]);
            if (a0, b0) == (a, b) {
                kept -= 1;
                let names = (ids.name(a), ids.name(b));
                report.reject(
                    "duplicate_follow",
                    rows.loc(pos),
                    &format!("{} -> {} already listed", quoted(names.0), quoted(names.1)),
                );
            }
        }
    }
    report.used_many(kept);
    if report.rows_read == 0 && !policy.empty_tables {
        bail!("{file}: the follows table has a header but no rows");
    }
    ds.follows = out;
    for p in &rows.inputs {
        add_input(&mut ds.files, p);
    }
    add_input(&mut ds.files, &src.path);
    ds.reports.push(report);
    Ok(())
}

fn loc_key(loc: Loc) -> u64 {
    match loc {
        Loc::Line(n) | Loc::Row(n) => n,
    }
}

fn load_interactions(
    src: &TableSource,
    policy: &Policy,
    ds: &mut Dataset,
    feed: Feed,
) -> Result<()> {
    if let Some(col) = src.recode.keys().find(|c| c.as_str() != schema::KIND) {
        bail!(
            "{}: recode is supported for the `kind` column only, not {col:?}",
            src.path.display()
        );
    }
    let recode_kind = src.recode.get(schema::KIND);
    let mut report = TableReport::new("interactions", &src.path);
    let file = src.path.display().to_string();
    let have_accounts = ds.accounts.listed > 0;
    let mut cols: Option<ColumnMap> = None;
    let mut header: Vec<String> = Vec::new();
    let mut kinds: HashMap<String, u16> = HashMap::new();
    let mut tags: HashMap<String, u32> = HashMap::new();
    let it = &mut ds.interactions;
    let ids = &mut ds.accounts.ids;
    let files = &mut ds.files;
    feed.run(TableKind::Interactions, &mut |ev| match ev {
        Event::Header(h) => {
            cols = Some(map_columns(src, TableKind::Interactions, h)?);
            header = h.to_vec();
            Ok(())
        }
        Event::Row(rec) => {
            let m = cols.as_ref().expect("header first");
            let (si, ti) = (m.index[schema::SOURCE], m.index[schema::TARGET]);
            let ki = m.index.get(schema::KIND).copied();
            for i in [Some(si), Some(ti), ki].into_iter().flatten() {
                if rec.fields[i].is_empty() {
                    return malformed(
                        policy,
                        &mut report,
                        "empty_required",
                        rec.loc,
                        &format!("column {} ({:?}) is empty", i + 1, header[i]),
                    );
                }
            }
            let time = match m.index.get(schema::TIME) {
                Some(&i) if !rec.fields[i].is_empty() => match parse_time(rec.fields[i]) {
                    Ok(t) => Some(t),
                    Err(msg) => {
                        return malformed(
                            policy,
                            &mut report,
                            "bad_time",
                            rec.loc,
                            &format!("column {} ({:?}): {msg}", i + 1, header[i]),
                        );
                    }
                },
                _ => None,
            };
            let weight = match m.index.get(schema::WEIGHT) {
                Some(&i) if !rec.fields[i].is_empty() => match rec.fields[i].parse::<f64>() {
                    Ok(w) if w.is_finite() && w >= 0.0 => Some(w),
                    _ => {
                        return malformed(
                            policy,
                            &mut report,
                            "bad_weight",
                            rec.loc,
                            &format!(
                                "column {} ({:?}): {} is not a number >= 0",
                                i + 1,
                                header[i],
                                quoted(rec.fields[i])
                            ),
                        );
                    }
                },
                _ => None,
            };
            let (s, t) = (rec.fields[si], rec.fields[ti]);
            let Some((a, b)) = resolve_edge(
                ids,
                have_accounts,
                policy,
                &mut report,
                &file,
                rec.loc,
                [(s, si), (t, ti)],
            )?
            else {
                return Ok(());
            };
            let k = match (ki, &src.constant_kind) {
                (Some(ki), _) => rec.fields[ki],
                (None, Some(k)) => {
                    report.note("kind_from_constant_kind");
                    k.as_str()
                }
                (None, None) => unreachable!("map_columns requires a kind column or a constant"),
            };
            let k = recode_kind.and_then(|m| m.get(k)).map_or(k, String::as_str);
            let kind = match kinds.get(k) {
                Some(&x) => x,
                None => {
                    let x = u16::try_from(it.kinds.len()).map_err(|_| {
                        anyhow::anyhow!(
                            "{file}: {}: more than 65535 distinct interaction kinds",
                            rec.loc
                        )
                    })?;
                    kinds.insert(k.to_string(), x);
                    it.kinds.push(k.to_string());
                    x
                }
            };
            let tag = match m.index.get(schema::TAG) {
                Some(&i) if !rec.fields[i].is_empty() => {
                    let v = rec.fields[i];
                    Some(match tags.get(v) {
                        Some(&x) => x,
                        None => {
                            let x = it.tags.len() as u32;
                            tags.insert(v.to_string(), x);
                            it.tags.push(v.to_string());
                            x
                        }
                    })
                }
                _ => None,
            };
            if weight.is_none() {
                report.note("weight_defaulted");
            }
            it.source.push(a);
            it.target.push(b);
            it.kind.push(kind);
            it.time.push(time);
            it.weight.push(weight.unwrap_or(1.0));
            it.tag.push(tag);
            report.used();
            Ok(())
        }
        Event::Bad(bad) => malformed(policy, &mut report, bad.reason, bad.loc, &bad.detail),
        ev @ (Event::Skip(_) | Event::Note(..)) => skipped_or_noted(&mut report, ev),
        Event::Input(p) => {
            add_input(files, p);
            Ok(())
        }
    })?;
    if report.rows_read == 0 && !policy.empty_tables {
        bail!("{file}: the interactions table has a header but no rows");
    }
    add_input(&mut ds.files, &src.path);
    ds.reports.push(report);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::clean::{OnMalformed, OnUnknownId};

    struct XorShift(u64);
    impl XorShift {
        fn below(&mut self, k: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % k
        }
    }

    /// A follows file with every kind of row: clean, unknown ids, empty fields, wrong
    /// field counts, invalid UTF-8, self-loops, duplicates, padding spaces, no final
    /// newline, and (with `crlf`) blank lines and some CRLF line ends. `two`: the
    /// table has the two id columns only (the one-pass parse of integer lines).
    fn messy_file(
        rng: &mut XorShift,
        (ints, crlf, two): (bool, bool, bool),
        rows: usize,
    ) -> Vec<u8> {
        let id = |rng: &mut XorShift| -> String {
            let k = rng.below(45);
            if ints && k >= 40 {
                // Far beyond the dense table: the hash map of large ids.
                format!("{}", 1_000_000_000_000 + k)
            } else if ints {
                format!("{k}")
            } else {
                format!("a{k}")
            }
        };
        let (header, third): (&[u8], &str) = if two {
            (b"follower,followee\n", "")
        } else {
            (b"follower,followee,note\n", ",x")
        };
        let mut out = header.to_vec();
        for _ in 0..rows {
            let (f, t) = (id(rng), id(rng));
            let line: Vec<u8> = match rng.below(40) {
                0 if crlf => b"".to_vec(),
                1 if two => f.clone().into_bytes(),
                1 => format!("{f},{t}").into_bytes(),
                2 => format!(",{t}{third}").into_bytes(),
                3 => format!("{f},{f}{third}").into_bytes(),
                4 => [
                    f.as_bytes(),
                    b",",
                    t.as_bytes(),
                    &third.as_bytes()[..third.len().min(1)],
                    b"\xff\xfe",
                ]
                .concat(),
                5 => format!(" {f} ,\t{t} {third}").into_bytes(),
                6 => format!("{f},{t},x,y").into_bytes(),
                7 => format!("{f},007{third}").into_bytes(),
                8 => format!("{f},0{third}").into_bytes(),
                9 => format!("{f},12345678901234567890{third}").into_bytes(),
                _ => format!("{f},{t}{third}").into_bytes(),
            };
            out.extend_from_slice(&line);
            out.extend_from_slice(if crlf && rng.below(5) == 0 {
                b"\r\n"
            } else {
                b"\n"
            });
        }
        out.extend_from_slice(if two { b"1,2" } else { b"1,2,no-newline" });
        out
    }

    fn accounts(ints: bool) -> Ids {
        let mut ids = Ids::new();
        // Accounts 0..30 are listed; 30..45 are unknown.
        for k in 0..30 {
            ids.intern(&if ints {
                format!("{k}")
            } else {
                format!("a{k}")
            });
        }
        ids
    }

    type Read = (Result<Vec<((u32, u32), Loc)>, String>, String, Vec<String>);

    /// Read `path` with the general reader (`fast_block` None) or the parallel one;
    /// with `listed`, the accounts table lists ids 0..30 first.
    fn read(
        path: &std::path::Path,
        policy: &Policy,
        (ints, listed): (bool, bool),
        fast_block: Option<usize>,
    ) -> Read {
        read_src(&TableSource::new(path), policy, (ints, listed), fast_block)
    }

    fn read_src(
        src: &TableSource,
        policy: &Policy,
        (ints, listed): (bool, bool),
        fast_block: Option<usize>,
    ) -> Read {
        let path = &src.path;
        let src = src.clone();
        let mut ids = if listed { accounts(ints) } else { Ids::new() };
        let mut report = TableReport::new("follows", path);
        let rows = match fast_block {
            Some(b) => read_follows_fast(&src, policy, &mut ids, &mut report, b)
                .map(|r| r.expect("the fast path applies")),
            None => read_follows_general(&src, policy, &mut ids, &mut report, Feed::Read(&src)),
        };
        let rows = rows
            .map(|r| {
                (0..r.pairs.len() as u32)
                    .map(|i| (r.pairs[i as usize], r.loc(i)))
                    .collect()
            })
            .map_err(|e| format!("{e:#}"));
        (
            rows,
            serde_json::to_string(&report).unwrap(),
            ids.names().to_vec(),
        )
    }

    /// The row policies of property-test case `case`: malformed rows an error in every
    /// sixth case, the unknown-id policy cycling through `unknown`, self-loops kept in
    /// half; duplicates dropped.
    fn case_policy(case: usize, unknown: &[OnUnknownId]) -> Policy {
        Policy {
            malformed: if case % 6 == 5 {
                OnMalformed::Error
            } else {
                OnMalformed::Skip
            },
            unknown_ids: unknown[(case / 2) % unknown.len()],
            self_loops: if case % 4 < 2 {
                KeepOrDrop::Drop
            } else {
                KeepOrDrop::Keep
            },
            duplicate_follows: KeepOrDrop::Drop,
            ..Default::default()
        }
    }

    #[test]
    fn parallel_reader_equals_the_general_reader() {
        let dir = std::env::temp_dir().join(format!("rankaudit-fast-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut rng = XorShift(0x1234_5678_9ABC_DEF1);
        for case in 0..24 {
            let ints = case % 2 == 0;
            let crlf = case % 3 == 2;
            let two = case % 5 < 2;
            let text = messy_file(&mut rng, (ints, crlf, two), 300);
            let path = dir.join(format!("f{case}.csv"));
            std::fs::write(&path, &text).unwrap();
            let unknown = [OnUnknownId::Add, OnUnknownId::Drop, OnUnknownId::Error];
            let policy = case_policy(case, &unknown);
            // Without an accounts table every id is interned as it first appears.
            let listed = case % 8 < 6;
            let want = read(&path, &policy, (ints, listed), None);
            // Blocks far smaller than the file: many blocks, pieces and line offsets.
            for block in [64, 257, 4096, 1 << 20] {
                let got = read(&path, &policy, (ints, listed), Some(block));
                if !crlf {
                    assert_eq!(got, want, "case {case}, block {block}");
                    continue;
                }
                // The `csv` crate gives the record after a blank line or a CRLF-ended
                // line the line where it resumed reading (one too early); the fast
                // reader gives the physical line. Rows, ids and counts agree.
                let strip = |r: &Read| {
                    let rows =
                        r.0.as_ref()
                            .map(|v| v.iter().map(|x| x.0).collect::<Vec<_>>());
                    let report: serde_json::Value = serde_json::from_str(&r.1).unwrap();
                    (
                        rows.map_err(|_| ()),
                        report["rejected"].clone(),
                        r.2.clone(),
                    )
                };
                assert_eq!(strip(&got), strip(&want), "case {case}, block {block}");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A SNAP edge list with every kind of line: `#` comments (also indented and between
    /// data lines), tabs, spaces and runs of both, blanks at both ends, blank lines,
    /// wrong field counts, invalid UTF-8, self-loops, duplicates, non-canonical and
    /// non-integer ids, and (with `crlf`) CRLF ends.
    fn messy_snap(rng: &mut XorShift, (ints, crlf): (bool, bool), rows: usize) -> Vec<u8> {
        let id = |rng: &mut XorShift| -> String {
            let k = rng.below(45);
            if ints && k >= 40 {
                format!("{}", 1_000_000_000_000 + k)
            } else if ints {
                format!("{k}")
            } else {
                format!("a{k}")
            }
        };
        // A clean first data line: it sets the width (and the fast path then applies).
        let mut out = b"# Directed graph\n# FromNodeId\tToNodeId\n\n 0\t1\n".to_vec();
        for _ in 0..rows {
            let (f, t) = (id(rng), id(rng));
            let line: Vec<u8> = match rng.below(30) {
                0 => b"".to_vec(),
                1 => b"   \t ".to_vec(),
                2 => b"# between".to_vec(),
                3 => b"  \t# indented".to_vec(),
                4 => format!("{f}  \t {t}").into_bytes(),
                5 => format!(" {f} {t}\t").into_bytes(),
                6 => f.clone().into_bytes(),
                7 => format!("{f} {t} 9").into_bytes(),
                8 => format!("{f} {f}").into_bytes(),
                9 => [f.as_bytes(), b" \xff", t.as_bytes()].concat(),
                10 => format!("{f}\t007").into_bytes(),
                11 => format!("{f}\t{t}").into_bytes(),
                _ => format!("{f} {t}").into_bytes(),
            };
            out.extend_from_slice(&line);
            out.extend_from_slice(if crlf && rng.below(5) == 0 {
                b"\r\n"
            } else {
                b"\n"
            });
        }
        out.extend_from_slice(b"1 2");
        out
    }

    #[test]
    fn parallel_reader_equals_the_snap_reader() {
        let dir = std::env::temp_dir().join(format!("rankaudit-fast-snap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut rng = XorShift(0x0DDB_1A5E_5BAD_5EED);
        for case in 0..16 {
            let ints = case % 2 == 0;
            let crlf = case % 5 == 4;
            let path = dir.join(format!("s{case}.txt"));
            std::fs::write(&path, messy_snap(&mut rng, (ints, crlf), 300)).unwrap();
            let mut src = TableSource::new(&path);
            src.format = Some(Format::named("snap").unwrap());
            let policy = case_policy(case, &[OnUnknownId::Add, OnUnknownId::Drop]);
            let listed = case % 8 < 5;
            let want = read_src(&src, &policy, (ints, listed), None);
            for block in [64, 257, 4096, 1 << 20] {
                let got = read_src(&src, &policy, (ints, listed), Some(block));
                assert_eq!(got, want, "case {case}, block {block}");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A follows file in `dir`: with a header line, or headerless with the columns
    /// mapped by position.
    fn follows_file(
        dir: &std::path::Path,
        name: &str,
        header: bool,
        text: &str,
    ) -> (std::path::PathBuf, TableSource) {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let mut src = TableSource::new(&path);
        src.header = header;
        if !header {
            src.columns = [("follower", "1"), ("followee", "2")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into();
        }
        (path, src)
    }

    #[test]
    fn a_first_line_longer_than_a_block_is_left_to_the_general_reader() {
        // Found by the `follows` fuzz target (tests/fuzz; its blocks are 64 bytes): the
        // first line was cut at the end of the first block, so the header lost columns
        // or, without a header, the field count came out wrong.
        let dir = std::env::temp_dir().join(format!("rankaudit-longhead-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let long = "n".repeat(40);
        for (name, header, text) in [
            (
                "header.csv",
                true,
                format!("follower,followee,{long}\n1,2,x\n2,3,y\n"),
            ),
            ("headerless.csv", false, format!("1,2,{long},x\n2,3,y,z\n")),
        ] {
            let (path, src) = follows_file(&dir, name, header, &text);
            let policy = Policy::default();
            let mut ids = Ids::new();
            let mut report = TableReport::new("follows", &path);
            let fast = read_follows_fast(&src, &policy, &mut ids, &mut report, 16);
            assert!(matches!(fast, Ok(None)), "{name}: the fast path applied");
            let rows = read_follows_general(&src, &policy, &mut ids, &mut report, Feed::Read(&src))
                .unwrap();
            assert_eq!(rows.pairs, [(0, 1), (1, 2)], "{name}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_id() {
        // Found by the `follows` fuzz target: the `csv` crate drops a byte-order mark at
        // the start of a file, the parallel reader kept it in a headerless table's
        // first id (a new account "\u{feff}0" instead of account 0).
        let dir = std::env::temp_dir().join(format!("rankaudit-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, header, text) in [
            ("header.csv", true, "\u{feff}follower,followee\n0,1\n1,2\n"),
            ("headerless.csv", false, "\u{feff}0,1\n1,2\n"),
        ] {
            let (path, src) = follows_file(&dir, name, header, text);
            let policy = Policy::default();
            let mut ids = Ids::new();
            let mut report = TableReport::new("follows", &path);
            let fast = read_follows_fast(&src, &policy, &mut ids, &mut report, 1 << 20)
                .unwrap()
                .expect("the fast path applies");
            assert_eq!(fast.pairs, [(0, 1), (1, 2)], "{name}");
            assert_eq!(ids.names().to_vec(), ["0", "1", "2"], "{name}");
            let mut general_ids = Ids::new();
            let general = read_follows_general(
                &src,
                &policy,
                &mut general_ids,
                &mut report,
                Feed::Read(&src),
            )
            .unwrap();
            assert_eq!(general.pairs, fast.pairs, "{name}");
            assert_eq!(general_ids.names().to_vec(), ids.names().to_vec(), "{name}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn quotes_fall_back_to_the_general_reader_and_leave_no_trace() {
        let dir = std::env::temp_dir().join(format!("rankaudit-quote-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("q.csv");
        let mut text = b"follower,followee\n".to_vec();
        for k in 0..200 {
            text.extend_from_slice(format!("{},new{k}\n", k % 30).as_bytes());
        }
        text.extend_from_slice(b"\"1\",\"2\"\n");
        std::fs::write(&path, &text).unwrap();
        let src = TableSource::new(&path);
        let mut ids = accounts(true);
        let mut report = TableReport::new("follows", &path);
        let got = read_follows_fast(&src, &Policy::default(), &mut ids, &mut report, 256).unwrap();
        assert!(got.is_none());
        assert_eq!(ids.names(), accounts(true).names());
        assert_eq!(report.rows_read, 0);
        // The general reader then takes the quoted row as 1 -> 2.
        let rows = read_follows_general(
            &src,
            &Policy::default(),
            &mut ids,
            &mut report,
            Feed::Read(&src),
        )
        .unwrap();
        assert_eq!(rows.pairs.last(), Some(&(1, 2)));
        assert_eq!(rows.loc(rows.pairs.len() as u32 - 1), Loc::Line(202));
        std::fs::remove_dir_all(&dir).ok();
    }
}
