//! Building a [`Dataset`] from the table files: header checks, row policies, id mapping.
//!
//! Columns are checked once at the header: a missing required column is an error that
//! names the file, the column looked for, the columns found and the mapping to use.
//! Each row is then used or rejected under [`Policy`], and counted in a [`TableReport`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::clean::{
    KeepOrDrop, OnUnknownId, Policy, TableReport, malformed, parse_count, parse_time,
};
use super::ids::Ids;
use super::read::{Event, Loc, TableSource, read_table};
use super::schema::{self, TableKind};

/// Which files make up the data. Accounts are optional (without them every id is added
/// from the edges); at least one of follows and interactions is required.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    #[serde(default)]
    pub accounts: Option<TableSource>,
    #[serde(default)]
    pub follows: Option<TableSource>,
    #[serde(default)]
    pub interactions: Option<TableSource>,
    #[serde(default)]
    pub policy: Policy,
}

/// The accounts table, column-oriented, one entry per account index (accounts added from
/// edges have missing values everywhere).
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub ids: Ids,
    /// The first `listed` indices come from the accounts table.
    pub listed: usize,
    /// Columns whose non-missing values are all numbers (platform counts always are).
    pub numeric: BTreeMap<String, Vec<Option<f64>>>,
    /// All other attribute columns.
    pub text: BTreeMap<String, Vec<Option<String>>>,
    /// Source of each column for messages: (file, 1-based column number).
    pub column_origin: BTreeMap<String, (String, usize)>,
}

impl Accounts {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A numeric column, or an error that says which columns exist.
    pub fn numeric_column(&self, name: &str) -> Result<&[Option<f64>]> {
        if let Some(c) = self.numeric.get(name) {
            return Ok(c);
        }
        if let Some((file, col)) = self.column_origin.get(name) {
            let example = self.text[name]
                .iter()
                .flatten()
                .find(|v| v.parse::<f64>().is_err())
                .cloned()
                .unwrap_or_default();
            bail!(
                "{file}: column {col} ({name:?}) is not numeric (e.g. {example:?}); rank by a numeric column: {}",
                self.numeric.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
        bail!(
            "no accounts column {name:?}; numeric columns are: {}",
            if self.numeric.is_empty() {
                "(none)".to_string()
            } else {
                self.numeric.keys().cloned().collect::<Vec<_>>().join(", ")
            }
        )
    }

    /// A column rendered as text (numeric columns formatted), for attribute filters.
    pub fn text_value(&self, name: &str, i: usize) -> Option<String> {
        if let Some(c) = self.text.get(name) {
            return c[i].clone();
        }
        self.numeric
            .get(name)
            .and_then(|c| c[i].map(|v| format!("{v}")))
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.text.contains_key(name) || self.numeric.contains_key(name)
    }

    fn pad(&mut self) {
        let n = self.ids.len();
        for c in self.numeric.values_mut() {
            c.resize(n, None);
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
    /// Follow edges (follower, followee), sorted, after the policies.
    pub follows: Vec<(u32, u32)>,
    pub interactions: Interactions,
    pub reports: Vec<TableReport>,
    /// Input files read, for the manifest.
    pub files: Vec<PathBuf>,
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
        match header.iter().position(|h| h == wanted) {
            Some(i) => {
                index.insert(name, i);
            }
            None if required => bail!(
                "{}: no column {wanted:?} (the {} table needs {:?}); columns found: {}. Rename the column, or map it in the study file (`[data.{}.columns] {name} = \"your_column\"`) or with --{}-col",
                src.path.display(),
                kind.name(),
                name,
                header.join(", "),
                kind.name(),
                name
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

/// Read all tables named in `spec` and apply the policies.
pub fn load(spec: &DataSpec) -> Result<Dataset> {
    if spec.follows.is_none() && spec.interactions.is_none() {
        bail!("the data names neither a follows nor an interactions file; give at least one");
    }
    let mut ds = Dataset::default();
    if let Some(src) = &spec.accounts {
        load_accounts(src, &spec.policy, &mut ds)?;
    }
    if let Some(src) = &spec.follows {
        load_follows(src, &spec.policy, &mut ds)?;
    }
    if let Some(src) = &spec.interactions {
        load_interactions(src, &spec.policy, &mut ds)?;
    }
    ds.accounts.pad();
    debug_assert!(ds.reports.iter().all(TableReport::balanced));
    Ok(ds)
}

fn load_accounts(src: &TableSource, policy: &Policy, ds: &mut Dataset) -> Result<()> {
    let mut report = TableReport::new("accounts", &src.path);
    let mut cols: Option<ColumnMap> = None;
    let mut header: Vec<String> = Vec::new();
    let mut raw: Vec<Vec<Option<String>>> = Vec::new(); // per extra column
    let mut extra: Vec<(usize, String)> = Vec::new(); // (file index, name)
    let mut counts: Vec<(&'static str, usize, Vec<Option<f64>>)> = Vec::new();
    let mut first_line: HashMap<String, Loc> = HashMap::new();
    let ids = &mut ds.accounts.ids;
    read_table(src, &mut |ev| match ev {
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
            if let Some(prev) = first_line.get(id) {
                bail!(
                    "{}: {}: account {id:?} appears twice (first at {prev}); account ids must be unique",
                    src.path.display(),
                    rec.loc
                );
            }
            first_line.insert(id.to_string(), rec.loc);
            ids.intern(id);
            for ((_, _, col), v) in counts.iter_mut().zip(parsed) {
                col.push(v);
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
    })?;
    let acc = &mut ds.accounts;
    acc.listed = acc.ids.len();
    let file = src.path.display().to_string();
    for (name, i, col) in counts {
        let missing = col.iter().filter(|v| v.is_none()).count() as u64;
        if missing > 0 {
            report.notes.insert(format!("missing_{name}"), missing);
        }
        acc.column_origin
            .insert(name.to_string(), (file.clone(), i + 1));
        acc.numeric.insert(name.to_string(), col);
    }
    for ((i, name), col) in extra.into_iter().zip(raw) {
        acc.column_origin
            .insert(name.clone(), (file.clone(), i + 1));
        let numeric: Option<Vec<Option<f64>>> = col
            .iter()
            .map(|v| match v {
                None => Some(None),
                Some(s) => s.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
            })
            .collect();
        let any_value = col.iter().any(Option::is_some);
        match numeric {
            Some(n) if any_value => {
                acc.numeric.insert(name, n);
            }
            _ => {
                acc.text.insert(name, col);
            }
        }
    }
    if acc.listed == 0 {
        bail!(
            "{}: the accounts table has a header but no usable rows",
            src.path.display()
        );
    }
    ds.files.push(src.path.clone());
    ds.reports.push(report);
    Ok(())
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
                &format!("column {column}: {id:?} is not in the accounts table"),
            );
            Ok(None)
        }
        OnUnknownId::Error => bail!(
            "{file}: {loc}, column {column}: account {id:?} is not in the accounts table; add it there, or set `unknown_ids = \"add\"` or \"drop\" under [data.policy]"
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
        report.reject("self_loop", loc, &format!("{from:?} -> {from:?}"));
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

fn load_follows(src: &TableSource, policy: &Policy, ds: &mut Dataset) -> Result<()> {
    let mut report = TableReport::new("follows", &src.path);
    let file = src.path.display().to_string();
    let have_accounts = ds.accounts.listed > 0;
    let mut cols: Option<ColumnMap> = None;
    let mut header: Vec<String> = Vec::new();
    let mut edges: Vec<(u32, u32, Loc)> = Vec::new();
    let ids = &mut ds.accounts.ids;
    read_table(src, &mut |ev| match ev {
        Event::Header(h) => {
            cols = Some(map_columns(src, TableKind::Follows, h)?);
            header = h.to_vec();
            Ok(())
        }
        Event::Row(rec) => {
            let m = cols.as_ref().expect("header first");
            let (fi, ti) = (m.index[schema::FOLLOWER], m.index[schema::FOLLOWEE]);
            let (f, t) = (rec.fields[fi], rec.fields[ti]);
            for (v, i) in [(f, fi), (t, ti)] {
                if v.is_empty() {
                    return malformed(
                        policy,
                        &mut report,
                        "empty_id",
                        rec.loc,
                        &format!("column {} ({:?}) is empty", i + 1, header[i]),
                    );
                }
            }
            let Some((a, b)) = resolve_edge(
                ids,
                have_accounts,
                policy,
                &mut report,
                &file,
                rec.loc,
                [(f, fi), (t, ti)],
            )?
            else {
                return Ok(());
            };
            edges.push((a, b, rec.loc));
            Ok(())
        }
        Event::Bad(bad) => malformed(policy, &mut report, bad.reason, bad.loc, &bad.detail),
    })?;
    // Sort by edge then by file position so "first occurrence" is well defined.
    edges.sort_unstable_by_key(|&(a, b, loc)| (a, b, loc_key(loc)));
    let mut out = Vec::with_capacity(edges.len());
    let mut prev: Option<(u32, u32)> = None;
    for (a, b, loc) in edges {
        if prev == Some((a, b)) && policy.duplicate_follows == KeepOrDrop::Drop {
            let names = (ds.accounts.ids.name(a), ds.accounts.ids.name(b));
            report.reject(
                "duplicate_follow",
                loc,
                &format!("{:?} -> {:?} already listed", names.0, names.1),
            );
            continue;
        }
        prev = Some((a, b));
        out.push((a, b));
        report.used();
    }
    if report.rows_read == 0 {
        bail!("{file}: the follows table has a header but no rows");
    }
    ds.follows = out;
    ds.files.push(src.path.clone());
    ds.reports.push(report);
    Ok(())
}

fn loc_key(loc: Loc) -> u64 {
    match loc {
        Loc::Line(n) | Loc::Row(n) => n,
    }
}

fn load_interactions(src: &TableSource, policy: &Policy, ds: &mut Dataset) -> Result<()> {
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
    read_table(src, &mut |ev| match ev {
        Event::Header(h) => {
            cols = Some(map_columns(src, TableKind::Interactions, h)?);
            header = h.to_vec();
            Ok(())
        }
        Event::Row(rec) => {
            let m = cols.as_ref().expect("header first");
            let (si, ti, ki) = (
                m.index[schema::SOURCE],
                m.index[schema::TARGET],
                m.index[schema::KIND],
            );
            for i in [si, ti, ki] {
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
                                "column {} ({:?}): {:?} is not a number >= 0",
                                i + 1,
                                header[i],
                                rec.fields[i]
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
            let k = rec.fields[ki];
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
    })?;
    if report.rows_read == 0 {
        bail!("{file}: the interactions table has a header but no rows");
    }
    ds.files.push(src.path.clone());
    ds.reports.push(report);
    Ok(())
}
