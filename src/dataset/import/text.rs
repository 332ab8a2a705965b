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
