//! Reading any supported file as a header plus located text records.
//!
//! Formats: CSV, TSV or any single-byte delimiter (optionally gzip'd, detected by the
//! gzip magic bytes, not the name) and Parquet. Every record carries its location (the
//! 1-based line for text files, the 1-based row for Parquet) so that every error and
//! every rejected row can be pointed at. Empty fields and Parquet nulls both mean
//! "missing".

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use polars::prelude::{DataType, ParquetReader, SerReader};
use serde::{Deserialize, Serialize};

/// File format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Tsv,
    Parquet,
}

/// Where a table comes from and how to read it. `columns` maps a canonical column name
/// (e.g. `follower`) to the name it has in the file (e.g. `src`); unmapped canonical
/// columns are looked up by their own name. With `header = false` the file's columns are
/// named `1`, `2`, ... (1-based positions), so `follower = "1"` maps the first column.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    pub path: PathBuf,
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
        }
    }

    /// The format: declared, or guessed from the name (`.csv`, `.tsv`, `.tab`, `.txt`,
    /// `.parquet`, `.pq`, each optionally followed by `.gz`).
    pub fn resolved_format(&self) -> Result<Format> {
        if let Some(f) = self.format {
            return Ok(f);
        }
        let name = self
            .path
            .file_name()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit('.').next().unwrap_or("");
        match ext {
            "csv" => Ok(Format::Csv),
            "tsv" | "tab" | "txt" | "edgelist" | "edges" => Ok(Format::Tsv),
            "parquet" | "pq" => Ok(Format::Parquet),
            _ => bail!(
                "{}: cannot tell the format from the file name; set `format = \"csv\"`, \"tsv\" or \"parquet\" (and `delimiter` if needed)",
                self.path.display()
            ),
        }
    }

    pub(super) fn delimiter_byte(&self, format: Format) -> Result<u8> {
        match &self.delimiter {
            None => Ok(if format == Format::Csv { b',' } else { b'\t' }),
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
    Bad(BadRecord),
}

/// Read a whole table, handing `visit` the header (once, first), then every record: a
/// [`Event::Row`] when it splits into the header's number of fields, a [`Event::Bad`]
/// otherwise. Lines starting with the `comment` character are not data and are skipped.
pub fn read_table(src: &TableSource, visit: &mut dyn FnMut(Event<'_>) -> Result<()>) -> Result<()> {
    let format = src.resolved_format()?;
    let path = &src.path;
    if !path.exists() {
        bail!(
            "{}: file not found (check the path; relative paths are resolved from the study file's folder)",
            path.display()
        );
    }
    match format {
        Format::Parquet => read_parquet(path, visit),
        Format::Csv | Format::Tsv => read_text(src, format, visit),
    }
}

/// Open a file, transparently un-gzipping it when it starts with the gzip magic bytes.
pub fn open_maybe_gz(path: &Path) -> Result<Box<dyn Read>> {
    let mut file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut magic = [0u8; 2];
    let n = file
        .read(&mut magic)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
    }
}

fn read_text(
    src: &TableSource,
    format: Format,
    visit: &mut dyn FnMut(Event<'_>) -> Result<()>,
) -> Result<()> {
    let path = &src.path;
    let delimiter = src.delimiter_byte(format)?;
    let comment = match &src.comment {
        None => None,
        Some(c) if c.len() == 1 => Some(c.as_bytes()[0]),
        Some(c) => bail!("{}: comment {c:?} must be one character", path.display()),
    };
    let reader = open_maybe_gz(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .comment(comment)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut owned: Vec<String> = Vec::new();
    loop {
        let more = rdr.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            anyhow::anyhow!("{}: line {line}: cannot read the file: {e}", path.display())
        })?;
        if !more {
            break;
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        // A lone empty line (e.g. a trailing newline pair) carries no data.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let Some(names) = &header else {
            let names: Vec<String> = if src.header {
                record
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        String::from_utf8(f.to_vec())
                            .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
                            .map_err(|_| {
                                anyhow::anyhow!(
                                    "{}: line {line}, column {}: the header is not valid UTF-8",
                                    path.display(),
                                    i + 1
                                )
                            })
                    })
                    .collect::<Result<_>>()?
            } else {
                (1..=record.len()).map(|i| i.to_string()).collect()
            };
            visit(Event::Header(&names))?;
            let is_header_line = src.header;
            header = Some(names);
            if is_header_line {
                continue;
            }
            // Headerless: this first line is data; fall through with the header set.
            let names = header.as_ref().expect("just set");
            visit_text_record(&record, names.len(), line, &mut owned, visit)?;
            continue;
        };
        visit_text_record(&record, names.len(), line, &mut owned, visit)?;
    }
    if header.is_none() {
        bail!(
            "{}: the file is empty (expected a header line naming the columns)",
            path.display()
        );
    }
    Ok(())
}

fn visit_text_record(
    record: &csv::ByteRecord,
    width: usize,
    line: u64,
    owned: &mut Vec<String>,
    visit: &mut dyn FnMut(Event<'_>) -> Result<()>,
) -> Result<()> {
    let loc = Loc::Line(line);
    if record.len() != width {
        return visit(Event::Bad(BadRecord {
            loc,
            reason: "wrong_field_count",
            detail: format!("expected {width} fields, found {}", record.len()),
        }));
    }
    // The field buffers are reused from record to record: no allocation per field.
    owned.resize_with(record.len(), String::new);
    for (i, f) in record.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) => {
                owned[i].clear();
                owned[i].push_str(s.trim());
            }
            Err(_) => {
                return visit(Event::Bad(BadRecord {
                    loc,
                    reason: "invalid_utf8",
                    detail: format!("column {} is not valid UTF-8", i + 1),
                }));
            }
        }
    }
    let view: Vec<&str> = owned.iter().map(String::as_str).collect();
    visit(Event::Row(Record { loc, fields: &view }))
}

fn read_parquet(path: &Path, visit: &mut dyn FnMut(Event<'_>) -> Result<()>) -> Result<()> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let df = ParquetReader::new(file)
        .finish()
        .with_context(|| format!("{}: cannot read as Parquet", path.display()))?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    visit(Event::Header(&names))?;
    let mut cols = Vec::with_capacity(names.len());
    for name in &names {
        let col = df
            .column(name)
            .and_then(|c| c.cast(&DataType::String))
            .with_context(|| format!("{}: column {name}: cannot read as text", path.display()))?;
        cols.push(col);
    }
    let strs: Vec<_> = cols
        .iter()
        .map(|c| c.str().cloned())
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: cannot read columns as text", path.display()))?;
    let mut owned: Vec<String> = Vec::with_capacity(names.len());
    for row in 0..df.height() {
        owned.clear();
        for s in &strs {
            owned.push(s.get(row).unwrap_or("").trim().to_string());
        }
        let view: Vec<&str> = owned.iter().map(String::as_str).collect();
        visit(Event::Row(Record {
            loc: Loc::Row(row as u64 + 1),
            fields: &view,
        }))?;
    }
    Ok(())
}
