//! The parallel reader of two-column edge tables (follows): the fast path of
//! [`super::read`] for large plain or gzip'd CSV/TSV files.
//!
//! The file is read in blocks of [`BLOCK`] bytes (gzip is inflated on one thread), each
//! block cut into pieces at line boundaries, and the pieces parsed in parallel. Ids
//! that are canonical integers are parsed from the bytes and resolved after each
//! piece's parse in one tight loop (so the lookups' cache misses overlap): against the
//! accounts table (a dense table), or, without one, against the ids interned before the
//! block started; ids seen for the first time are then interned one by one in file
//! order, so indices are exactly the general reader's. Other ids go through a hash
//! map. Line numbers come from counting the newlines of each piece and summing them
//! in order. Every row the parallel pass cannot decide alone (wrong field count,
//! invalid UTF-8, an empty field, a self-loop, an id not in the accounts table) is
//! handed back in file order, with its line, to the same row logic the general reader
//! uses, so policies, counts, messages and the order in which unknown ids are added
//! are exactly the general reader's.
//!
//! It reads the delimited text of the CSV/TSV importers (`import/text.rs`: the caller
//! asks the importer for its delimiter, [`super::import::Importer::edge_delimiter`],
//! and does not call it for a table with a comment character). What the fast path does
//! not parse, it leaves to the importer's reader (the `csv` crate): a quote character
//! anywhere or a carriage return that does not end a line makes [`read_edges`] return
//! `Ok(None)` before the caller has been handed any row, or [`Fallback::Restart`]
//! after, and the caller reads the whole table again.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{Result, bail};
use rayon::prelude::*;

use super::ids::{FxBuild, Ids};
use super::read::{TableSource, open_maybe_gz};

/// Bytes read per block: large enough to keep both cores busy, small enough that the
/// text never costs more than a few bytes per edge.
#[cfg(not(fuzzing))]
pub(super) const BLOCK: usize = 8 << 20;
/// In the fuzz build (tests/fuzz sets `cfg(fuzzing)`) blocks are tiny, so that even a
/// small input spans many blocks: the carried partial line, a line longer than a block
/// and a header past the first block are fuzzed, not only the one-block case.
#[cfg(fuzzing)]
pub(super) const BLOCK: usize = 64;

/// Id text -> account index, for the ids known when the table starts (a copy, so the
/// caller may add ids while the table is read).
pub(super) struct Lookup {
    /// Canonical decimal id -> index (`u32::MAX` = absent), when every known id is one.
    ints: Option<Vec<u32>>,
    map: HashMap<String, u32, FxBuild>,
}

/// The value of a canonical decimal integer (no sign, no leading zero unless "0").
fn canonical_int(s: &str) -> Option<u64> {
    canonical_int_bytes(s.as_bytes())
}

/// [`canonical_int`] of a field with ASCII blanks around it: a field this accepts is
/// trimmed to the same digits by `str::trim`, so it stands for the same id.
fn blank_padded_int(f: &[u8]) -> Option<u64> {
    canonical_int_bytes(f.trim_ascii())
}

fn canonical_int_bytes(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 19 || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    let mut v = 0u64;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    Some(v)
}

/// The canonical integer at `text[pos..]` up to the byte `stop` (or the end of `text`
/// when `stop` is a newline): (value, position after `stop`). `None` when anything
/// else comes first, or the digits are not canonical.
fn int_until(text: &[u8], pos: usize, stop: u8) -> Option<(u64, usize)> {
    let end = text[pos..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(text.len(), |k| pos + k);
    let stopped = if end < text.len() {
        text[end] == stop
    } else {
        stop == b'\n'
    };
    if !stopped {
        return None;
    }
    canonical_int_bytes(&text[pos..end]).map(|v| (v, end + 1))
}

/// A whole line `from<delimiter>to` of two canonical integers at `text[pos..]` (the
/// common line of a two-column edge list): (from, to, start of the next line).
fn two_ints(text: &[u8], pos: usize, delimiter: u8) -> Option<(u64, u64, usize)> {
    let (a, next) = int_until(text, pos, delimiter)?;
    let (b, next) = int_until(text, next, b'\n')?;
    Some((a, b, next.min(text.len())))
}

impl Lookup {
    pub(super) fn new(ids: &Ids) -> Lookup {
        let names = ids.names();
        let ints: Option<Vec<u64>> = names.iter().map(canonical_int).collect();
        let ints = ints.and_then(|vals| {
            let max = vals.iter().copied().max()?;
            if max > 8 * vals.len() as u64 + 1024 {
                return None;
            }
            let mut t = vec![u32::MAX; max as usize + 1];
            for (i, v) in vals.into_iter().enumerate() {
                t[v as usize] = i as u32;
            }
            Some(t)
        });
        let map = if ints.is_some() {
            HashMap::default()
        } else {
            names
                .iter()
                .enumerate()
                .map(|(i, s)| (s.to_string(), i as u32))
                .collect()
        };
        Lookup { ints, map }
    }

    /// Whether every listed id is a canonical integer (then [`Lookup::get_int`] works).
    fn has_ints(&self) -> bool {
        self.ints.is_some()
    }

    fn get_int(&self, v: u64) -> Option<u32> {
        let t = self.ints.as_ref()?;
        t.get(usize::try_from(v).ok()?)
            .copied()
            .filter(|&i| i != u32::MAX)
    }

    fn get(&self, s: &str) -> Option<u32> {
        if self.has_ints() {
            canonical_int(s).and_then(|v| self.get_int(v))
        } else {
            self.map.get(s).copied()
        }
    }
}

/// Canonical decimal id -> account index for the ids the follows table adds (no
/// accounts table): a dense table while the values stay within a few times the number
/// of ids (synthetic and renumbered graphs), a hash map for the rest (platform ids).
#[derive(Default)]
struct KeyMap {
    dense: Vec<u32>,
    sparse: HashMap<u64, u32, FxBuild>,
}

impl KeyMap {
    fn get(&self, v: u64) -> Option<u32> {
        match self.dense.get(v as usize) {
            Some(&i) if i != u32::MAX => Some(i),
            _ if self.sparse.is_empty() => None,
            _ => self.sparse.get(&v).copied(),
        }
    }

    /// The index of id `v`, interned through `sink` when it is new here (an id the
    /// sink already knows, from a row handed back, keeps its index).
    fn index(&mut self, v: u64, sink: &mut dyn EdgeSink) -> u32 {
        if let Some(i) = self.get(v) {
            return i;
        }
        let (i, known) = sink.intern(&v.to_string());
        // Dense while the table stays within 4 slots per id plus 4 MB.
        let room = 4 * known + (1 << 20);
        if (v as usize) < self.dense.len() {
            self.dense[v as usize] = i;
        } else if (v as usize) < room {
            let len = (v as usize + 1).next_power_of_two().min(room);
            self.dense.resize(len, u32::MAX);
            self.dense[v as usize] = i;
        } else {
            self.sparse.insert(v, i);
        }
        i
    }
}

/// A row the parallel pass hands back, in file order.
pub(super) enum Pending {
    /// A well-formed row: the two endpoint fields, trimmed.
    Row { line: u64, from: String, to: String },
    /// A row that could not be split into fields.
    Bad {
        line: u64,
        reason: &'static str,
        detail: String,
    },
}

/// What the parallel pass makes of one piece of text.
#[derive(Default)]
struct Piece {
    /// Rows resolved without help: (from, to), in file order.
    edges: Vec<(u32, u32)>,
    /// In [`Layout::intern`] mode: the edges with an id not yet interned when the
    /// block started (`u32::MAX` in `edges`), as `(i, from, to)` for `edges[i]`.
    unresolved: Vec<(u32, u64, u64)>,
    /// The line of each edge: `(i, line)` marks `edges[i]` at `line`, later edges on
    /// the following lines up to the next mark.
    marks: Vec<(u32, u64)>,
    /// (edges before it in this piece, the row).
    pending: Vec<(u32, Pending)>,
    /// Text the fast path does not parse (quotes, a bare carriage return).
    unsupported: bool,
}

impl Piece {
    /// Resolve the edges parsed as integer ids (`(i, from, to)` for `edges[i]`) where
    /// the ids were interned before the block started; the rest go to `unresolved`.
    /// One tight loop after the parse, so that the table's cache misses overlap
    /// instead of stalling the parse one by one.
    fn resolve_interned(&mut self, ints: &[(u32, u64, u64)], keys: &KeyMap) {
        for &(i, a, b) in ints {
            let e = (
                keys.get(a).unwrap_or(u32::MAX),
                keys.get(b).unwrap_or(u32::MAX),
            );
            if e.0 == u32::MAX || e.1 == u32::MAX {
                self.unresolved.push((i, a, b));
            }
            self.edges[i as usize] = e;
        }
    }

    /// Resolve the edges parsed as integer ids against the accounts table, in one
    /// tight loop; false if an id is not there (then the row must be handed back, and
    /// the piece is parsed again row by row).
    fn resolve_listed(&mut self, ints: &[(u32, u64, u64)], lookup: &Lookup) -> bool {
        for &(i, a, b) in ints {
            match lookup.get_int(a).zip(lookup.get_int(b)) {
                Some(e) => self.edges[i as usize] = e,
                None => return false,
            }
        }
        true
    }
}

/// Why the fast path gave up after handing rows to the caller.
pub(super) enum Fallback {
    Restart,
}

/// How the lines of the text split into fields.
pub(super) enum Split<'a> {
    /// At every occurrence of one byte (CSV, TSV): the header line names the columns
    /// (or, with `header = false`, the columns are named `1`, `2`, ...).
    Byte(u8),
    /// At runs of ASCII blanks, lines starting with `#` (after blanks) skipped, no
    /// header line (SNAP edge lists, `import/snap.rs`): the columns are named by the
    /// function, given the first data line's width.
    Whitespace(&'a dyn Fn(usize) -> Vec<String>),
}

/// The table's layout as the fast path needs it.
pub(super) struct Layout {
    pub delimiter: u8,
    /// [`Split::Whitespace`] (then `delimiter` is unused).
    pub whitespace: bool,
    pub width: usize,
    pub from_col: usize,
    pub to_col: usize,
    pub drop_self_loops: bool,
    /// No accounts table: ids are interned ([`EdgeSink::intern`]) in file order as
    /// they first appear; canonical integer ids are parsed in parallel.
    pub intern: bool,
}

/// Sink for the rows, called in file order: clean edges in runs (with their line
/// marks), pending rows one at a time.
pub(super) trait EdgeSink {
    /// The column layout for this header (or the header check's error). The delimiter
    /// is filled in by the reader.
    fn layout(&mut self, header: &[String]) -> Result<Layout>;
    fn edges(&mut self, edges: &[(u32, u32)], marks: &[(u32, u64)]);
    /// In [`Layout::intern`] mode: the index of id `name`, added if new; and the
    /// number of ids known.
    fn intern(&mut self, name: &str) -> (u32, usize);
    fn pending(&mut self, row: Pending) -> Result<()>;
}

/// The field-count and UTF-8 checks of the general reader, for one line.
fn split_line<'l>(
    line: &'l [u8],
    lay: &Layout,
    fields: &mut Vec<&'l [u8]>,
) -> std::result::Result<(), (&'static str, String)> {
    split_fields(line, lay.delimiter, fields);
    if fields.len() != lay.width {
        return Err((
            "wrong_field_count",
            format!("expected {} fields, found {}", lay.width, fields.len()),
        ));
    }
    for (i, f) in fields.iter().enumerate() {
        if std::str::from_utf8(f).is_err() {
            return Err((
                "invalid_utf8",
                format!("column {} is not valid UTF-8", i + 1),
            ));
        }
    }
    Ok(())
}

fn field_text(f: &[u8]) -> &str {
    std::str::from_utf8(f).expect("checked").trim()
}

/// Split `line` at runs of ASCII blanks into `fields` (cleared first), as
/// `str::split_ascii_whitespace` does.
fn split_blanks<'l>(line: &'l [u8], fields: &mut Vec<&'l [u8]>) {
    fields.clear();
    fields.extend(
        line.split(u8::is_ascii_whitespace)
            .filter(|f| !f.is_empty()),
    );
}

/// Split `line` at `delimiter` into `fields` (cleared first), by a plain byte loop.
fn split_fields<'l>(line: &'l [u8], delimiter: u8, fields: &mut Vec<&'l [u8]>) {
    fields.clear();
    let mut start = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == delimiter {
            fields.push(&line[start..i]);
            start = i + 1;
        }
    }
    fields.push(&line[start..]);
}

fn parse_piece(
    text: &[u8],
    first_line: u64,
    lay: &Layout,
    lookup: &Lookup,
    keys: &KeyMap,
) -> Piece {
    let defer = lay.intern || lookup.has_ints();
    parse_lines(text, first_line, lay, lookup, keys, defer).unwrap_or_else(|| {
        parse_lines(text, first_line, lay, lookup, keys, false).expect("resolved")
    })
}

/// The rows of one piece. With `defer`, integer ids are parsed first and resolved
/// after the loop; `None` when a deferred id is not in the accounts table.
fn parse_lines(
    text: &[u8],
    first_line: u64,
    lay: &Layout,
    lookup: &Lookup,
    keys: &KeyMap,
    defer: bool,
) -> Option<Piece> {
    let mut out = Piece::default();
    if memchr::memchr(b'"', text).is_some() {
        out.unsupported = true;
        return Some(out);
    }
    let has_cr = memchr::memchr(b'\r', text).is_some();
    let all_utf8 = std::str::from_utf8(text).is_ok();
    let mut fields: Vec<&[u8]> = Vec::with_capacity(lay.width + 1);
    // With `defer`: (edge, from, to) of the edges whose ids are resolved after the loop.
    let mut ints: Vec<(u32, u64, u64)> = Vec::new();
    let mut prev_line = 0u64;
    let mut line_no = first_line;
    let mut pos = 0usize;
    // Two columns of integer ids: most lines are parsed in one pass over their bytes.
    let fused = defer && lay.width == 2;
    while pos < text.len() {
        if fused
            && let Some((a, b, next)) = if lay.whitespace {
                two_ints(text, pos, b' ').or_else(|| two_ints(text, pos, b'\t'))
            } else {
                two_ints(text, pos, lay.delimiter)
            }
            && !(lay.drop_self_loops && a == b)
        {
            let (this_line, before) = (line_no, out.edges.len() as u32);
            line_no += 1;
            pos = next;
            ints.push(if lay.from_col == 0 {
                (before, a, b)
            } else {
                (before, b, a)
            });
            out.edges.push((0, 0));
            if before == 0 || this_line != prev_line + 1 {
                out.marks.push((before, this_line));
            }
            prev_line = this_line;
            continue;
        }
        let end = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
        let raw = &text[pos..end];
        pos = end + 1;
        let this_line = line_no;
        line_no += 1;
        let line = if has_cr {
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            if memchr::memchr(b'\r', line).is_some() {
                out.unsupported = true;
                return Some(out);
            }
            line
        } else {
            raw
        };
        if line.is_empty() {
            continue;
        }
        let checked = if lay.whitespace {
            // The checks of `import/snap.rs`, in its order.
            let line = line.trim_ascii();
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            split_blanks(line, &mut fields);
            if !all_utf8 && std::str::from_utf8(line).is_err() {
                Err(("invalid_utf8", "the line is not valid UTF-8".to_string()))
            } else if fields.len() != lay.width {
                Err((
                    "wrong_field_count",
                    format!("expected {} fields, found {}", lay.width, fields.len()),
                ))
            } else {
                Ok(())
            }
        } else {
            split_fields(line, lay.delimiter, &mut fields);
            if all_utf8 && fields.len() == lay.width {
                Ok(())
            } else {
                split_line(line, lay, &mut fields)
            }
        };
        let before = out.edges.len() as u32;
        if let Err((reason, detail)) = checked {
            out.pending.push((
                before,
                Pending::Bad {
                    line: this_line,
                    reason,
                    detail,
                },
            ));
            continue;
        }
        // Canonical integer ids need no text: the common case.
        let parsed = if defer {
            blank_padded_int(fields[lay.from_col])
                .zip(blank_padded_int(fields[lay.to_col]))
                .filter(|(a, b)| !(lay.drop_self_loops && a == b))
        } else {
            None
        };
        let taken = match parsed {
            Some((a, b)) => {
                ints.push((before, a, b));
                out.edges.push((0, 0));
                Ok(())
            }
            None => {
                let (from, to) = (
                    field_text(fields[lay.from_col]),
                    field_text(fields[lay.to_col]),
                );
                let clean =
                    !(from.is_empty() || to.is_empty() || (lay.drop_self_loops && from == to));
                let taken = if !clean {
                    None
                } else if lay.intern {
                    canonical_int(from).zip(canonical_int(to)).map(|(a, b)| {
                        ints.push((before, a, b));
                        out.edges.push((0, 0));
                    })
                } else {
                    lookup
                        .get(from)
                        .zip(lookup.get(to))
                        .map(|e| out.edges.push(e))
                };
                taken.ok_or((from, to))
            }
        };
        match taken {
            Ok(()) => {
                if before == 0 || this_line != prev_line + 1 {
                    out.marks.push((before, this_line));
                }
                prev_line = this_line;
            }
            Err((from, to)) => out.pending.push((
                before,
                Pending::Row {
                    line: this_line,
                    from: from.to_string(),
                    to: to.to_string(),
                },
            )),
        }
    }
    if lay.intern {
        out.resolve_interned(&ints, keys);
    } else if !out.resolve_listed(&ints, lookup) {
        return None;
    }
    Some(out)
}

/// Cut `block` into about `parts` pieces at line boundaries.
fn pieces(block: &[u8], parts: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    let step = block.len().div_ceil(parts.max(1)).max(1);
    while start < block.len() {
        let mut end = (start + step).min(block.len());
        while end < block.len() && block[end - 1] != b'\n' {
            end += 1;
        }
        out.push(&block[start..end]);
        start = end;
    }
    out
}

fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Fill `buf` from `r` up to its capacity; returns false at end of input.
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, path: &std::path::Path) -> Result<bool> {
    let want = buf.capacity();
    let mut len = buf.len();
    buf.resize(want, 0);
    while len < want {
        match r.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(false);
            }
            Ok(k) => len += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => bail!("{}: cannot read the file: {e}", path.display()),
        }
    }
    buf.truncate(len);
    Ok(true)
}

/// The header line of a text table as the general reader reads it: the first
/// non-empty line, fields trimmed (and a byte-order mark dropped). Returns the names,
/// the 1-based line and the byte offset after the header (or at its start when the
/// table has no header line). `Ok(None)`: the fast path does not apply. `more`: the
/// file goes on after `buf`.
type Header = (Vec<String>, u64, usize);

fn header(buf: &[u8], src: &TableSource, split: &Split, more: bool) -> Result<Option<Header>> {
    let mut pos = 0usize;
    let mut line_no = 1u64;
    while pos < buf.len() {
        let end = match buf[pos..].iter().position(|&b| b == b'\n') {
            Some(i) => pos + i,
            // The first line runs past the first block: its fields (or, without a
            // header, its field count) are not all here, so it is left to the general
            // reader.
            None if more => return Ok(None),
            None => buf.len(),
        };
        let raw = &buf[pos..end];
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.contains(&b'\r') || line.contains(&b'"') {
            return Ok(None);
        }
        let delimiter = match split {
            Split::Byte(d) => *d,
            Split::Whitespace(names) => {
                // No header line: the first data line, after blank and `#` lines,
                // gives the width (a line that is not UTF-8 is left to the importer).
                let data = line.trim_ascii();
                if data.is_empty() || data[0] == b'#' {
                    pos = end + 1;
                    line_no += 1;
                    continue;
                }
                if std::str::from_utf8(data).is_err() {
                    return Ok(None);
                }
                let mut fields = Vec::new();
                split_blanks(data, &mut fields);
                return Ok(Some((names(fields.len()), line_no, pos)));
            }
        };
        if line.is_empty() {
            pos = end + 1;
            line_no += 1;
            continue;
        }
        let fields: Vec<&[u8]> = line.split(|&b| b == delimiter).collect();
        if !src.header {
            let names = (1..=fields.len()).map(|i| i.to_string()).collect();
            return Ok(Some((names, line_no, pos)));
        }
        let names = fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                std::str::from_utf8(f)
                    .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "{}: line {line_no}, column {}: the header is not valid UTF-8",
                            src.path.display(),
                            i + 1
                        )
                    })
            })
            .collect::<Result<_>>()?;
        return Ok(Some((names, line_no, (end + 1).min(buf.len()))));
    }
    Ok(None)
}

/// Read an edge table in parallel. `sink.layout` is called once with the header.
/// `Ok(None)`: the fast path does not apply and nothing was handed to `sink`;
/// `Err(Fallback)` inside `Ok(Some(..))`: it stopped applying after rows were handed.
pub(super) fn read_edges(
    src: &TableSource,
    split: Split,
    lookup: &Lookup,
    sink: &mut dyn EdgeSink,
    block: usize,
) -> Result<Option<std::result::Result<(), Fallback>>> {
    let path = &src.path;
    let mut reader = open_maybe_gz(path)?;
    let mut buf: Vec<u8> = Vec::with_capacity(block);
    let mut more = fill(&mut *reader, &mut buf, path)?;
    // The header must be in the first block; a longer header line is left to the
    // general reader.
    // A UTF-8 byte-order mark at the start of the file is not data (the `csv` crate
    // drops it too; without a header line it would join the first id).
    let bom = if buf.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let Some((names, _, data_start)) = header(&buf[bom..], src, &split, more)? else {
        return Ok(None);
    };
    let data_start = bom + data_start;
    let (delimiter, whitespace) = match split {
        Split::Byte(d) => (d, false),
        Split::Whitespace(_) => (b' ', true),
    };
    let lay = Layout {
        delimiter,
        whitespace,
        ..sink.layout(&names)?
    };
    let parts = 4 * rayon::current_num_threads().max(1);
    let mut keys = KeyMap::default();
    // Line number of the first byte of the block being parsed.
    let mut line = 1 + count_newlines(&buf[..data_start]);
    let mut start = data_start;
    loop {
        // Parse up to the last newline; keep the partial last line for the next block.
        let cut = if more {
            match buf[start..].iter().rposition(|&b| b == b'\n') {
                Some(i) => start + i + 1,
                None => start,
            }
        } else {
            buf.len()
        };
        let block = &buf[start..cut];
        let ps = pieces(block, parts);
        let newlines: Vec<u64> = ps.par_iter().map(|p| count_newlines(p)).collect();
        let mut first = Vec::with_capacity(ps.len());
        let mut l = line;
        for n in &newlines {
            first.push(l);
            l += n;
        }
        let parsed: Vec<Piece> = ps
            .par_iter()
            .zip(&first)
            .map(|(p, &f)| parse_piece(p, f, &lay, lookup, &keys))
            .collect();
        if parsed.iter().any(|p| p.unsupported) {
            return Ok(Some(Err(Fallback::Restart)));
        }
        for mut p in parsed {
            // New ids are interned in file order: the edges before a pending row are
            // resolved (and handed over) before the sink takes that row.
            let mut unresolved = std::mem::take(&mut p.unresolved).into_iter().peekable();
            let clean = p.edges.len();
            let mut done = 0usize;
            let mut marks = p.marks.as_slice();
            let mut emit = |upto: usize, keys: &mut KeyMap, sink: &mut dyn EdgeSink| {
                if upto > done {
                    while let Some(&(i, a, b)) = unresolved.peek()
                        && (i as usize) < upto
                    {
                        let e = (keys.index(a, sink), keys.index(b, sink));
                        p.edges[i as usize] = e;
                        unresolved.next();
                    }
                    let k = marks.partition_point(|m| (m.0 as usize) < upto);
                    let run: Vec<(u32, u64)> = marks[..k]
                        .iter()
                        .map(|&(i, ln)| (i - done as u32, ln))
                        .collect();
                    sink.edges(&p.edges[done..upto], &run);
                    marks = &marks[k..];
                    done = upto;
                }
            };
            for (before, row) in p.pending {
                emit(before as usize, &mut keys, sink);
                sink.pending(row)?;
            }
            emit(clean, &mut keys, sink);
        }
        line = l;
        if !more {
            break;
        }
        buf.drain(..cut);
        start = 0;
        if buf.len() == buf.capacity() {
            // One line longer than a block: make room for it.
            buf.reserve(buf.capacity());
        }
        more = fill(&mut *reader, &mut buf, path)?;
    }
    Ok(Some(Ok(())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_ints_only() {
        assert_eq!(canonical_int("0"), Some(0));
        assert_eq!(canonical_int("12"), Some(12));
        assert_eq!(canonical_int("012"), None);
        assert_eq!(canonical_int("-1"), None);
        assert_eq!(canonical_int(""), None);
        assert_eq!(canonical_int("1a"), None);
    }

    #[test]
    fn pieces_end_at_line_boundaries_and_cover_the_block() {
        let text = b"a,b\nccc,d\n\ne,f\ng,h\n";
        for parts in 1..10 {
            let ps = pieces(text, parts);
            assert_eq!(ps.concat(), text.to_vec());
            assert!(ps.iter().all(|p| p.ends_with(b"\n")));
        }
    }
}
