//! Delimited text (CSV, TSV or any single-byte delimiter), plain or gzip'd (detected by
//! the gzip magic bytes, not the name): one table per file. Every record carries its
//! 1-based line; a record with the wrong number of fields or invalid UTF-8 is handed
//! over as a [`BadRecord`]. The follows table may instead be read by the parallel edge
//! reader (`dataset/fast.rs`), which parses this same text.

use anyhow::{Result, bail};

use super::{Importer, Sink};
use crate::dataset::read::{BadRecord, Event, Loc, Record, TableSource, open_maybe_gz};
use crate::dataset::schema::TableKind;

/// A delimited text format: its name, the extensions it claims and its default
/// delimiter (a study's `delimiter` overrides it).
pub(super) struct Text {
    name: &'static str,
    extensions: &'static [&'static str],
    delimiter: u8,
}

pub(super) static CSV: Text = Text {
    name: "csv",
    extensions: &["csv"],
    delimiter: b',',
};

pub(super) static TSV: Text = Text {
    name: "tsv",
    extensions: &["tsv", "tab", "txt", "edgelist", "edges"],
    delimiter: b'\t',
};

impl Importer for Text {
    fn name(&self) -> &'static str {
        self.name
    }

    fn extensions(&self) -> &'static [&'static str] {
        self.extensions
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let &[kind] = want else {
            bail!(
                "{}: a {} file holds one table",
                src.path.display(),
                self.name
            );
        };
        read_text(src, self.delimiter, &mut |ev| sink(kind, ev))
    }

    fn edge_delimiter(&self, src: &TableSource) -> Result<Option<u8>> {
        src.delimiter_byte(self.delimiter).map(Some)
    }
}

pub(super) fn read_text(
    src: &TableSource,
    default_delimiter: u8,
    visit: &mut dyn FnMut(Event<'_>) -> Result<()>,
) -> Result<()> {
    let path = &src.path;
    let delimiter = src.delimiter_byte(default_delimiter)?;
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

/// Why a delimited file's header may have no column the table needs, when its first
/// line gives it away: a `#` line (a SNAP edge list), one column holding blanks (the
/// delimiter is wrong), or numbers only (the file has no header). `None` otherwise.
/// The loader adds it to its missing-column error.
pub(crate) fn header_hint(src: &TableSource, table: &str, header: &[String]) -> Option<String> {
    let snap = format!(
        "`format = \"snap\"` (`--format snap`, or `--{table}-format snap` for this file only), which skips `#` lines, splits lines on runs of spaces and tabs and reads the first two columns as follower and followee"
    );
    let snap = snap.as_str();
    if !src.header {
        return None;
    }
    let first = header.first()?;
    if first.starts_with('#') {
        return Some(format!(
            "The first line starts with `#`, as a SNAP edge list's comment lines do; read such a file with {snap}"
        ));
    }
    if let [only] = header
        && only.contains([' ', '\t'])
    {
        return Some(format!(
            "The header is one column ({only:?}): the delimiter looks wrong. For a file split by spaces or tabs use {snap}; otherwise set the delimiter (`delimiter = \"...\"`, `--delimiter`, or `--{table}-delimiter` for this file only)"
        ));
    }
    if header
        .iter()
        .all(|h| !h.is_empty() && h.parse::<f64>().is_ok())
    {
        return Some(format!(
            "The first line ({}) looks like data, not a header: if the file has no header line, set `header = false` (`--no-header`, or `--{table}-no-header` for this file only) and map the columns by position (`follower = \"1\"` under [data.follows.columns], `--follower-col 1`); for a SNAP edge list use {snap}",
            header.join(", ")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::dataset::clean::Policy;
    use crate::dataset::{DataSpec, TableSource, load};

    /// The missing-column error for a follows file with `text`, read as TSV.
    fn error_for(name: &str, text: &[u8], header: bool) -> String {
        let dir = std::env::temp_dir().join(format!("rankaudit-hint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let mut src = TableSource::new(&path);
        src.header = header;
        let spec = DataSpec {
            order: Default::default(),
            format: None,
            accounts: None,
            follows: Some(src),
            interactions: None,
            policy: Policy::default(),
        };
        let e = format!("{:#}", load(&spec).unwrap_err());
        std::fs::remove_file(&path).ok();
        e
    }

    #[test]
    fn a_first_line_that_is_no_header_suggests_snap_or_no_header() {
        let e = error_for(
            "snap.txt",
            b"# Directed graph\n# FromNodeId\tToNodeId\n1\t2\n",
            true,
        );
        assert!(e.contains("no column \"follower\""), "{e}");
        assert!(
            e.ends_with("The first line starts with `#`, as a SNAP edge list's comment lines do; read such a file with `format = \"snap\"` (`--format snap`, or `--follows-format snap` for this file only), which skips `#` lines, splits lines on runs of spaces and tabs and reads the first two columns as follower and followee"),
            "{e}"
        );
        let e = error_for("spaces.edges", b"1 2\n2 3\n", true);
        assert!(
            e.contains(". The header is one column (\"1 2\"): the delimiter looks wrong. For a file split by spaces or tabs use `format = \"snap\"`"),
            "{e}"
        );
        let e = error_for("data.tsv", b"1\t2\n2\t3\n", true);
        assert!(
            e.contains(". The first line (1, 2) looks like data, not a header: if the file has no header line, set `header = false` (`--no-header`, or `--follows-no-header` for this file only)"),
            "{e}"
        );
        // A real header, or no header at all: no hint.
        for (text, header) in [(&b"src\tdst\n1\t2\n"[..], true), (&b"1\t2\n"[..], false)] {
            let e = error_for("plain.tsv", text, header);
            assert!(e.ends_with("or with --follower-col"), "{e}");
        }
    }
}
