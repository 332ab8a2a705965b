//! Where a table comes from ([`TableSource`]: the file, its format and the per-format
//! options) and what any importer hands the loader: a header plus located records.
//!
//! Every record carries its location (the 1-based line for text files, the 1-based row
//! for Parquet) so that every error and every rejected row can be pointed at. Empty
//! fields and Parquet nulls both mean "missing". The formats themselves are in
//! [`super::import`].

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use super::import::Format;
use super::import::{IMPORTERS, Importer};
use super::schema::TableKind;

/// Where a table comes from and how to read it. `columns` maps a canonical column name
/// (e.g. `follower`) to the name it has in the file (e.g. `src`); unmapped canonical
/// columns are looked up by their own name. With `header = false` the file's columns are
/// named `1`, `2`, ... (1-based positions), so `follower = "1"` maps the first column.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    pub path: PathBuf,
    /// The importer, by name ([`super::import::IMPORTERS`]); default: `[data] format`,
    /// then the file name's extension.
    #[serde(default)]
    pub format: Option<Format>,
    /// A single character; overrides the format's default (`,` for csv, tab for tsv).
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default = "default_true")]
    pub header: bool,
    /// Lines starting with this character are skipped (and counted as comments).
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Value recoding for `kind` (e.g. SNAP's `RT`/`MT`/`RE` to `retweet`/`mention`/
    /// `reply`): `[data.interactions.recode.kind] RT = "retweet"`. Values not listed pass
    /// through unchanged.
    #[serde(default)]
    pub recode: BTreeMap<String, BTreeMap<String, String>>,
    /// For a follower or following list that does not say whose it is (twarc2 pages
    /// saved with `--no-metadata`): `"followers:<id>"` (the list holds the followers of
    /// account `<id>`) or `"following:<id>"` (the accounts `<id>` follows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Interactions only: the kind of every row, for a file with no kind column (a list
    /// of retweets, say): `constant_kind = "retweet"` (quick mode: `--kind retweet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant_kind: Option<String>,
    /// Follows only: the prepared graph file to use when it is current (`rankaudit
    /// prepare`); default: `<follows file>.rkgraph` beside the follows file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared: Option<PathBuf>,
}

fn default_true() -> bool {
    true
}

impl TableSource {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        TableSource {
            path: path.into(),
            format: None,
            delimiter: None,
            header: true,
            comment: None,
            columns: BTreeMap::new(),
            recode: BTreeMap::new(),
            subject: None,
            constant_kind: None,
            prepared: None,
        }
    }

    /// The importer: the declared format, else the one claiming the file name's
    /// extension (`.csv`, `.tsv`, `.tab`, `.txt`, `.parquet`, `.pq`, ..., each optionally
    /// followed by `.gz`), else the one recognising the file's first line
    /// ([`Importer::sniff`]: twarc2 JSON lines).
    pub fn importer(&self) -> Result<&'static dyn Importer> {
        if let Some(f) = self.format {
            return Ok(f.importer());
        }
        let name = self
            .path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(f) = Format::by_extension(&name) {
            return Ok(f.importer());
        }
        match sniff(&self.path) {
            Some(i) => Ok(i),
            None => {
                // `format = "csv"`, "tsv" or "parquet"
                let names: Vec<String> = IMPORTERS
                    .iter()
                    .map(|i| format!("\"{}\"", i.name()))
                    .collect();
                let mut list = format!("`format = {}`", names[0]);
                for (k, n) in names.iter().enumerate().skip(1) {
                    list += if k + 1 == names.len() { " or " } else { ", " };
                    list += n;
                }
                bail!(
                    "{}: cannot tell the format from the file name; set {list} (and `delimiter` if needed)",
                    self.path.display()
                )
            }
        }
    }

    /// The one-byte delimiter: declared, else the format's `default`.
    pub(crate) fn delimiter_byte(&self, default: u8) -> Result<u8> {
        match &self.delimiter {
            None => Ok(default),
            Some(d) => {
                let d = if d == "\\t" { "\t" } else { d.as_str() };
                if d.len() != 1 {
                    bail!(
                        "{}: delimiter {d:?} must be a single one-byte character (e.g. \",\", \"\\t\", \" \")",
                        self.path.display()
                    );
                }
                Ok(d.as_bytes()[0])
            }
        }
    }

    /// The file's name for a canonical column.
    pub fn file_column<'a>(&'a self, canonical: &'a str) -> &'a str {
        self.columns
            .get(canonical)
            .map(String::as_str)
            .unwrap_or(canonical)
    }
}

/// The importer whose [`Importer::sniff`] recognises the first line of `path` (read
/// through gzip when gzip'd), if any. An unreadable file is left to the importer's own
/// read, which names the problem.
fn sniff(path: &Path) -> Option<&'static dyn Importer> {
    let mut head = Vec::new();
    open_maybe_gz(path)
        .ok()?
        .take(1 << 16)
        .read_to_end(&mut head)
        .ok()?;
    let end = memchr::memchr(b'\n', &head).unwrap_or(head.len());
    let line = head[..end].strip_suffix(b"\r").unwrap_or(&head[..end]);
    IMPORTERS.iter().copied().find(|i| i.sniff(line))
}

/// Where a record is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Loc {
    /// 1-based line of a text file (the line the record starts on).
    Line(u64),
    /// 1-based data row of a Parquet file.
    Row(u64),
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Line(n) => write!(f, "line {n}"),
            Loc::Row(n) => write!(f, "row {n}"),
        }
    }
}

/// A record that could not be split into fields (wrong field count, invalid UTF-8).
#[derive(Debug, Clone)]
pub struct BadRecord {
    pub loc: Loc,
    pub reason: &'static str,
    pub detail: String,
}

/// One record handed to a visitor: its location and its fields (missing = empty).
pub struct Record<'a> {
    pub loc: Loc,
    pub fields: &'a [&'a str],
}

/// What a reader hands its visitor, in file order: the header once, then each record
/// (well-formed or not).
pub enum Event<'a> {
    Header(&'a [String]),
    Row(Record<'a>),
    /// A record that cannot be read: the `malformed` policy decides (stop, or reject).
    Bad(BadRecord),
    /// A record read whole that the format, by its documented policy, turns into no row
    /// of this table (a Jetstream like, a follow deleted later in the stream): rejected
    /// under its reason whatever the `malformed` policy, since nothing in it is wrong.
    Skip(BadRecord),
    /// Not a record: a count the importer keeps about the table (a handle that changed,
    /// the follows a SNAP ego folder implies), added to the table's `notes` in the
    /// manifest.
    Note(&'static str, u64),
    /// Not a record: a file read for the table when the source is a folder (or a file
    /// with companions), so that the manifest hashes what was read, not the folder.
    Input(&'a Path),
}

/// Read one table of `src` with its importer (see [`TableSource::importer`]), handing
/// `visit` the header (once, first), then every record: a [`Event::Row`] when it splits
/// into the header's number of fields, a [`Event::Bad`] otherwise.
pub fn read_table(
    src: &TableSource,
    kind: TableKind,
    visit: &mut dyn FnMut(Event<'_>) -> Result<()>,
) -> Result<()> {
    read_tables(src, &[kind], &mut |_, ev| visit(ev))
}

/// Read the tables `want` of `src` with its importer: what [`Importer::read`] hands
/// over, after the checks every format shares.
pub fn read_tables(
    src: &TableSource,
    want: &[TableKind],
    sink: &mut super::import::Sink<'_>,
) -> Result<()> {
    let importer = src.importer()?;
    if !src.path.exists() {
        bail!(
            "{}: file not found (check the path; relative paths are resolved from the study file's folder)",
            src.path.display()
        );
    }
    importer.read(src, want, sink)
}

/// Open a file, transparently un-gzipping it when it starts with the gzip magic bytes.
/// Bytes read from input files so far in this process (the compressed bytes of a gzip
/// file), for the load's progress bar only: nothing read depends on it.
pub static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// A reader that adds what it reads to [`BYTES_READ`].
struct Counting<R>(R);

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        BYTES_READ.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub fn open_maybe_gz(path: &Path) -> Result<Box<dyn Read>> {
    let mut file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut magic = [0u8; 2];
    let n = file
        .read(&mut magic)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let file =
        Counting(File::open(path).with_context(|| format!("{}: cannot open", path.display()))?);
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
    }
}
