//! The one writer of result tables: a [`Table`] of typed columns is written as CSV (by
//! [`write_csv`], here) and as Parquet (through polars, one row group's DataFrame at a
//! time), both at once, each atomically (temporary name, then rename), so a failed run
//! never leaves a half-written table that looks complete. Columns of repeating strings
//! (account ids, ranking names) are [`Col::Dict`]: codes into a shared [`Dictionary`],
//! so a table of millions of rows holds no string per row.
//!
//! The CSV is byte for byte what polars' `CsvWriter` wrote with its defaults, which this
//! crate used before (polars' `csv` feature is off to shorten the build): `,` separator,
//! `\n` line ends, a header; a null is an empty field; a string is quoted when it is
//! empty (so it differs from a null) or holds `,` `"` `\n` or `\r`, with `"` doubled;
//! floats in the shortest form that reads back exactly (zmij, the formatter polars uses:
//! `249.0`, `0.1`, `1e-7`, `1e+16`, `NaN`, `inf`); integers in decimal; booleans `true`/`false`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter, PlSmallStr};
use rayon::prelude::*;

use crate::dataset::{Ids, Names};
use crate::output::atomic_file;

/// Rows one parallel task formats as CSV. Tasks run a window of two per thread at a
/// time, so the text held at once stays a few megabytes whatever the table's height.
const CSV_CHUNK_ROWS: usize = 1 << 15;

/// Polars' row group size: `ParquetWriter::finish` cuts a one-chunk frame of `h` rows
/// into `max(1, h / ROW_GROUP_ROWS)` equal parts, the last taking the remainder.
/// [`row_groups`] cuts the same way, so the files keep the layout they had when whole
/// frames were handed to polars.
const ROW_GROUP_ROWS: usize = 512 * 512;

/// The values of a dictionary column, stored end to end in one buffer: a lookup
/// touches two adjacent offsets and the bytes, not a `String` header and a separate
/// allocation (a table of accounts in rank order looks names up at random).
#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary(Values);

#[derive(Debug, Clone, PartialEq)]
enum Values {
    /// Value `i` is `text[ends[i]..ends[i + 1]]`; `ends[0]` is 0.
    Own { text: String, ends: Vec<usize> },
    /// The account ids themselves, shared with the dataset's [`Ids`] (not a copy of
    /// a million ids' text).
    Ids(Arc<Names>),
}

impl Dictionary {
    pub fn new<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Dictionary {
        let (mut text, mut ends) = (String::new(), vec![0]);
        for v in values {
            text.push_str(v.as_ref());
            ends.push(text.len());
        }
        Dictionary(Values::Own { text, ends })
    }

    /// The account ids as a dictionary (code = account index), shared, not copied.
    pub fn of_ids(ids: &Ids) -> Dictionary {
        Dictionary(Values::Ids(ids.shared_names()))
    }

    fn len(&self) -> usize {
        match &self.0 {
            Values::Own { ends, .. } => ends.len() - 1,
            Values::Ids(names) => names.len(),
        }
    }

    fn get(&self, code: u32) -> &str {
        let i = code as usize;
        match &self.0 {
            Values::Own { text, ends } => &text[ends[i]..ends[i + 1]],
            Values::Ids(names) => names.get(i),
        }
    }
}

/// A typed column.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    Str(Vec<String>),
    /// Strings that repeat (account ids, ranking names): row `i` is
    /// `values[codes[i]]`, so a row costs four bytes and no allocation, and tables share
    /// one dictionary. Written as a plain string column: the Parquet dtype is String, as
    /// for [`Col::Str`].
    Dict {
        codes: Vec<u32>,
        values: Arc<Dictionary>,
    },
    OptStr(Vec<Option<String>>),
    U32(Vec<u32>),
    OptU32(Vec<Option<u32>>),
    U64(Vec<u64>),
    OptI64(Vec<Option<i64>>),
    F64(Vec<f64>),
    OptF64(Vec<Option<f64>>),
    Bool(Vec<bool>),
    OptBool(Vec<Option<bool>>),
}

impl Col {
    /// A [`Col::Dict`] over a dictionary of its own or a shared one (`Arc`).
    pub fn dict(codes: Vec<u32>, values: impl Into<Arc<Dictionary>>) -> Col {
        Col::Dict {
            codes,
            values: values.into(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Col::Str(v) => v.len(),
            Col::Dict { codes, .. } => codes.len(),
            Col::OptStr(v) => v.len(),
            Col::U32(v) => v.len(),
            Col::OptU32(v) => v.len(),
            Col::U64(v) => v.len(),
            Col::OptI64(v) => v.len(),
            Col::F64(v) => v.len(),
            Col::OptF64(v) => v.len(),
            Col::Bool(v) => v.len(),
            Col::OptBool(v) => v.len(),
        }
    }

    /// Rows `rows` as a polars column.
    fn to_column(&self, name: &str, rows: Range<usize>) -> Column {
        let name: PlSmallStr = name.into();
        match self {
            Col::Str(v) => Column::new(name, &v[rows]),
            Col::Dict { codes, values } => Column::new(
                name,
                codes[rows]
                    .iter()
                    .map(|&c| values.get(c))
                    .collect::<Vec<_>>(),
            ),
            Col::OptStr(v) => Column::new(name, &v[rows]),
            Col::U32(v) => Column::new(name, &v[rows]),
            Col::OptU32(v) => Column::new(name, &v[rows]),
            Col::U64(v) => Column::new(name, &v[rows]),
            Col::OptI64(v) => Column::new(name, &v[rows]),
            Col::F64(v) => Column::new(name, &v[rows]),
            Col::OptF64(v) => Column::new(name, &v[rows]),
            Col::Bool(v) => Column::new(name, &v[rows]),
            Col::OptBool(v) => Column::new(name, &v[rows]),
        }
    }
}

/// A string field, quoted only where needed (see the module docs).
fn put_str(buf: &mut Vec<u8>, s: &str) {
    if s.is_empty() {
        buf.extend_from_slice(b"\"\"");
    } else if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

fn put_f64(buf: &mut Vec<u8>, x: f64) {
    buf.extend_from_slice(zmij::Buffer::new().format(x).as_bytes());
}

fn put_int(buf: &mut Vec<u8>, x: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
}

fn put_bool(buf: &mut Vec<u8>, x: bool) {
    buf.extend_from_slice(if x { b"true" } else { b"false" });
}

impl Col {
    /// Field `row` as CSV.
    fn put(&self, buf: &mut Vec<u8>, row: usize) {
        match self {
            Col::Str(v) => put_str(buf, &v[row]),
            Col::Dict { codes, values } => put_str(buf, values.get(codes[row])),
            Col::OptStr(v) => {
                if let Some(s) = &v[row] {
                    put_str(buf, s)
                }
            }
            Col::U32(v) => put_int(buf, v[row]),
            Col::OptU32(v) => {
                if let Some(x) = v[row] {
                    put_int(buf, x)
                }
            }
            Col::U64(v) => put_int(buf, v[row]),
            Col::OptI64(v) => {
                if let Some(x) = v[row] {
                    put_int(buf, x)
                }
            }
            Col::F64(v) => put_f64(buf, v[row]),
            Col::OptF64(v) => {
                if let Some(x) = v[row] {
                    put_f64(buf, x)
                }
            }
            Col::Bool(v) => put_bool(buf, v[row]),
            Col::OptBool(v) => {
                if let Some(x) = v[row] {
                    put_bool(buf, x)
                }
            }
        }
    }
}

/// A named table in long format: its columns held whole, or made a range of rows at a
/// time ([`Table::streamed`]) so that a table of millions of rows is never held at once.
pub struct Table<'a> {
    pub name: String,
    /// What the table holds, in a sentence or two (its declaration's doc comment), for
    /// the outputs that describe the tables (the notebook).
    pub about: String,
    /// The columns (names and types; for a streamed table, empty: its rows come from
    /// `rows`).
    pub columns: Vec<(String, Col)>,
    rows: Option<Rows<'a>>,
}

/// A streamed table's rows: `make(range)` returns the columns of those rows, in the
/// table's column order.
struct Rows<'a> {
    height: usize,
    make: Box<dyn Fn(Range<usize>) -> Vec<Col> + Send + Sync + 'a>,
}

impl<'a> Table<'a> {
    pub fn new(name: &str) -> Table<'a> {
        Table {
            name: name.to_string(),
            about: String::new(),
            columns: Vec::new(),
            rows: None,
        }
    }

    pub fn about(mut self, about: &str) -> Table<'a> {
        self.about = about.to_string();
        self
    }

    pub fn col(mut self, name: &str, col: Col) -> Table<'a> {
        self.columns.push((name.to_string(), col));
        self
    }

    /// This table (its names, types and about; its columns empty) with `height` rows
    /// made by `make`, a range at a time, when written: the CSV and Parquet writers ask
    /// for a few chunks at once, so memory stays a few row groups whatever the height.
    /// `make` must return the same rows for the same range each time.
    pub fn streamed(
        mut self,
        height: usize,
        make: impl Fn(Range<usize>) -> Vec<Col> + Send + Sync + 'a,
    ) -> Table<'a> {
        self.rows = Some(Rows {
            height,
            make: Box::new(make),
        });
        self
    }

    pub fn height(&self) -> usize {
        match &self.rows {
            Some(r) => r.height,
            None => self.columns.first().map_or(0, |(_, c)| c.len()),
        }
    }

    /// Every column has the table's height and every dictionary code has a value.
    fn check(&self) -> Result<()> {
        if self.rows.is_some() {
            anyhow::ensure!(
                self.columns.iter().all(|(_, c)| c.len() == 0),
                "table {}: a streamed table holds no rows of its own",
                self.name
            );
            return Ok(());
        }
        check_columns(
            &self.name,
            self.columns.iter().map(|(n, c)| (n.as_str(), c)),
            self.height(),
        )
    }

    /// `f` on the columns that hold rows `rows`, with the range of those rows in them:
    /// the table's own columns and `rows`, or a streamed table's made columns (checked)
    /// and `0..rows.len()`.
    pub(crate) fn with_rows<R>(
        &self,
        rows: Range<usize>,
        f: impl FnOnce(&[&Col], Range<usize>) -> R,
    ) -> Result<R> {
        match &self.rows {
            None => {
                let cols: Vec<&Col> = self.columns.iter().map(|(_, c)| c).collect();
                Ok(f(&cols, rows))
            }
            Some(r) => {
                let n = rows.len();
                let made = (r.make)(rows);
                anyhow::ensure!(
                    made.len() == self.columns.len(),
                    "table {}: {} columns made, expected {}",
                    self.name,
                    made.len(),
                    self.columns.len()
                );
                check_columns(
                    &self.name,
                    self.columns.iter().map(|(n, _)| n.as_str()).zip(&made),
                    n,
                )?;
                let cols: Vec<&Col> = made.iter().collect();
                Ok(f(&cols, 0..n))
            }
        }
    }

    /// Rows `rows` as a DataFrame.
    fn frame(&self, rows: Range<usize>) -> Result<DataFrame> {
        let n = rows.len();
        let cols = self.with_rows(rows, |cols, rows| {
            self.columns
                .iter()
                .zip(cols)
                .map(|((n, _), c)| c.to_column(n, rows.clone()))
                .collect()
        })?;
        DataFrame::new(n, cols).with_context(|| format!("building table {}", self.name))
    }

    /// Rows `rows` as CSV lines.
    fn put_rows(&self, buf: &mut Vec<u8>, rows: Range<usize>) -> Result<()> {
        self.with_rows(rows, |cols, rows| {
            for row in rows {
                for (i, col) in cols.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    col.put(buf, row);
                }
                buf.push(b'\n');
            }
        })
    }
}

/// Every column has `height` rows and every dictionary code has a value.
fn check_columns<'c>(
    table: &str,
    columns: impl Iterator<Item = (&'c str, &'c Col)>,
    height: usize,
) -> Result<()> {
    for (n, c) in columns {
        anyhow::ensure!(
            c.len() == height,
            "table {table}: column {n} has {} rows, expected {height}",
            c.len()
        );
        if let Col::Dict { codes, values } = c {
            anyhow::ensure!(
                codes.iter().all(|&x| (x as usize) < values.len()),
                "table {table}: column {n} has a code past its {} values",
                values.len()
            );
        }
    }
    Ok(())
}

/// `table` as CSV (the format is in the module docs). Chunks of rows are formatted in
/// parallel and written in order.
pub fn write_csv(w: &mut impl Write, table: &Table) -> Result<()> {
    let mut head = Vec::new();
    for (i, (name, _)) in table.columns.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        put_str(&mut head, name);
    }
    head.push(b'\n');
    w.write_all(&head)?;
    let h = table.height();
    let window = CSV_CHUNK_ROWS * 2 * rayon::current_num_threads();
    for start in (0..h).step_by(window) {
        let end = h.min(start + window);
        let chunks: Vec<Vec<u8>> = (start..end)
            .into_par_iter()
            .step_by(CSV_CHUNK_ROWS)
            .map(|from| {
                let mut buf = Vec::new();
                table.put_rows(&mut buf, from..end.min(from + CSV_CHUNK_ROWS))?;
                Ok(buf)
            })
            .collect::<Result<_>>()?;
        for c in &chunks {
            w.write_all(c)?;
        }
    }
    Ok(())
}

/// Row ranges of the Parquet row groups of a table of height `h` (see
/// [`ROW_GROUP_ROWS`]); none when `h` is 0.
fn row_groups(h: usize) -> impl Iterator<Item = Range<usize>> {
    let n = if h == 0 {
        0
    } else {
        (h / ROW_GROUP_ROWS).max(1)
    };
    let size = h / n.max(1);
    (0..n).map(move |i| i * size..if i + 1 == n { h } else { (i + 1) * size })
}

/// `table` as zstd Parquet, one row group at a time: the next group's frame is built
/// while polars compresses and writes the current one, so two groups' frames are held
/// at most, never the whole table's.
fn write_parquet(f: &mut File, table: &Table) -> Result<()> {
    let mut w = ParquetWriter::new(f)
        .with_compression(ParquetCompression::Zstd(None))
        .batched(table.frame(0..0)?.schema())?;
    let mut groups = row_groups(table.height());
    let mut next = groups.next().map(|rows| table.frame(rows)).transpose()?;
    while let Some(df) = next {
        let (wrote, built) = rayon::join(
            || w.write_batch(&df),
            || groups.next().map(|rows| table.frame(rows)).transpose(),
        );
        wrote?;
        next = built?;
    }
    w.finish()?;
    Ok(())
}

/// Write `table` as `dir/<name>.csv` and `dir/<name>.parquet` (at the same time);
/// returns both paths.
pub fn write_table(dir: &Path, table: &Table) -> Result<Vec<PathBuf>> {
    // Checks the columns before anything is written.
    table.check()?;
    let csv = dir.join(format!("{}.csv", table.name));
    let pq = dir.join(format!("{}.parquet", table.name));
    let (wrote_csv, wrote_pq) = rayon::join(
        || {
            atomic_file(&csv, |f: &mut File| {
                let mut w = BufWriter::new(f);
                write_csv(&mut w, table)
                    .and_then(|()| Ok(w.flush()?))
                    .with_context(|| format!("writing {}", csv.display()))
            })
        },
        || {
            atomic_file(&pq, |f: &mut File| {
                write_parquet(f, table).with_context(|| format!("writing {}", pq.display()))
            })
        },
    );
    wrote_csv?;
    wrote_pq?;
    Ok(vec![csv, pq])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same strings as a plain and as a dictionary column.
    fn plain_and_dict(n: usize) -> (Col, Col) {
        let values = ["a", "", "b,c", "say \"hi\"", "acct-42"];
        let codes: Vec<u32> = (0..n).map(|i| (i * 7 % values.len()) as u32).collect();
        let plain = codes
            .iter()
            .map(|&c| values[c as usize].to_string())
            .collect();
        (Col::Str(plain), Col::dict(codes, Dictionary::new(values)))
    }

    #[test]
    fn dict_columns_write_as_their_strings() {
        use polars::prelude::SerReader;
        // More rows than one CSV window, so chunks formatted in parallel must come out in
        // order; and more than one Parquet row group.
        let n = 2 * CSV_CHUNK_ROWS * 2 * rayon::current_num_threads() + ROW_GROUP_ROWS + 3;
        let (plain, dict) = plain_and_dict(n);
        let x = Col::U32((0..n as u32).collect());
        let a = Table::new("t").col("s", plain).col("x", x.clone());
        let b = Table::new("t").col("s", dict).col("x", x);
        b.check().unwrap();
        assert_eq!(csv(&a), csv(&b));
        let mut want = String::from("s,x\n");
        let firsts = ["a", "\"b,c\"", "acct-42", "\"\"", "\"say \"\"hi\"\"\""];
        for (i, s) in firsts.iter().enumerate() {
            want += &format!("{s},{i}\n");
        }
        assert!(csv(&b).starts_with(&want), "{}", &csv(&b)[..60]);
        assert_eq!(csv(&b).lines().count(), n + 1);
        assert!(csv(&b).ends_with(&format!(",{}\n", n - 1)));
        for rows in [0..n, 5..9, 0..0] {
            let (fa, fb) = (a.frame(rows.clone()).unwrap(), b.frame(rows).unwrap());
            assert_eq!(fa.schema(), fb.schema());
            assert!(fa.equals(&fb));
        }
        let dir = std::env::temp_dir().join(format!("rankaudit-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files = write_table(&dir, &b).unwrap();
        let back = polars::prelude::ParquetReader::new(File::open(&files[1]).unwrap())
            .finish()
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let whole = a.frame(0..n).unwrap();
        assert_eq!(back.schema(), whole.schema());
        assert!(back.equals(&whole));
    }

    #[test]
    fn a_dict_code_past_its_values_is_an_error_not_a_panic() {
        let t = Table::new("t").col("s", Col::dict(vec![0, 2], Dictionary::new(["x", "y"])));
        let e = t.check().unwrap_err().to_string();
        assert!(e.contains("column s has a code past its 2 values"), "{e}");
    }

    /// The ids' own names as a dictionary read as a copy of them does, the empty id and
    /// the codes past the end included.
    #[test]
    fn a_dictionary_of_the_ids_is_their_names() {
        let mut ids = Ids::new();
        for s in ["b", "", "a,c", "dd"] {
            ids.intern(s);
        }
        let shared = Dictionary::of_ids(&ids);
        let copied = Dictionary::new(ids.names().iter());
        assert_eq!(shared.len(), 4);
        for code in 0..4 {
            assert_eq!(shared.get(code), copied.get(code));
        }
        let t = Table::new("t").col("s", Col::dict(vec![3, 4], shared));
        let e = t.check().unwrap_err().to_string();
        assert!(e.contains("column s has a code past its 4 values"), "{e}");
        // Adding ids after sharing copies the names; the dictionary keeps its four.
        ids.intern("e");
        assert_eq!(Dictionary::of_ids(&ids).len(), 5);
    }

    #[test]
    fn row_groups_cut_as_polars_does() {
        let cut = |h| row_groups(h).collect::<Vec<_>>();
        assert!(cut(0).is_empty());
        assert_eq!(cut(10), vec![0..10]);
        let r = ROW_GROUP_ROWS;
        assert_eq!(cut(2 * r - 1), vec![0..2 * r - 1]);
        // 2.5 groups' worth: two equal parts, the last taking the remainder.
        let h = 5 * r / 2;
        assert_eq!(cut(h), vec![0..h / 2, h / 2..h]);
        let h = 3 * r + 7;
        assert_eq!(cut(h), vec![0..h / 3, h / 3..2 * (h / 3), 2 * (h / 3)..h]);
    }

    fn csv(t: &Table) -> String {
        let mut v = Vec::new();
        write_csv(&mut v, t).unwrap();
        String::from_utf8(v).unwrap()
    }

    /// A table of `n` rows: a dictionary column, an integer and an optional float.
    fn whole(n: usize) -> Table<'static> {
        let (_, dict) = plain_and_dict(n);
        Table::new("t")
            .col("name", dict)
            .col("i", Col::U64((0..n as u64).collect()))
            .col(
                "x",
                Col::OptF64(
                    (0..n)
                        .map(|i| (i % 3 != 0).then_some(i as f64 / 7.0))
                        .collect(),
                ),
            )
    }

    #[test]
    fn a_streamed_table_writes_the_bytes_of_the_whole_one() {
        // More rows than a CSV window and than one Parquet row group, so both writers
        // ask for several ranges, and a remainder.
        let n = ROW_GROUP_ROWS + 3 * CSV_CHUNK_ROWS + 5;
        let full = whole(n);
        let cols: Vec<Col> = full.columns.iter().map(|(_, c)| c.clone()).collect();
        let schema = Table::new("t")
            .col("name", Col::dict(Vec::new(), Dictionary::new(["a"])))
            .col("i", Col::U64(Vec::new()))
            .col("x", Col::OptF64(Vec::new()));
        let cut = |c: &Col, r: Range<usize>| match c {
            Col::Dict { codes, values } => Col::Dict {
                codes: codes[r].to_vec(),
                values: values.clone(),
            },
            Col::U64(v) => Col::U64(v[r].to_vec()),
            Col::OptF64(v) => Col::OptF64(v[r].to_vec()),
            _ => unreachable!("the test's column types"),
        };
        let streamed = schema.streamed(n, |r| cols.iter().map(|c| cut(c, r.clone())).collect());
        assert_eq!(streamed.height(), n);
        assert_eq!(csv(&streamed), csv(&full));
        let dir = std::env::temp_dir().join(format!("rankaudit-streamed-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::create_dir_all(dir.join("b")).unwrap();
        write_table(&dir.join("a"), &full).unwrap();
        write_table(&dir.join("b"), &streamed).unwrap();
        for f in ["t.csv", "t.parquet"] {
            let a = std::fs::read(dir.join("a").join(f)).unwrap();
            let b = std::fs::read(dir.join("b").join(f)).unwrap();
            assert!(a == b, "{f} differs");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_streamed_table_that_makes_the_wrong_rows_is_an_error_not_a_panic() {
        let schema = || Table::new("t").col("i", Col::U64(Vec::new()));
        // Too few rows for the range asked.
        let short = schema().streamed(10, |r| vec![Col::U64(vec![0; r.len() - 1])]);
        let mut out = Vec::new();
        let err = write_csv(&mut out, &short).unwrap_err();
        assert!(
            format!("{err:#}").contains("column i has 9 rows, expected 10"),
            "{err:#}"
        );
        // A column too many.
        let wide = schema().streamed(2, |r| vec![Col::U64(vec![0; r.len()]); 2]);
        let err = write_csv(&mut Vec::new(), &wide).unwrap_err();
        assert!(
            format!("{err:#}").contains("2 columns made, expected 1"),
            "{err:#}"
        );
        // A streamed table with rows of its own is refused before anything is written.
        let both = Table::new("t")
            .col("i", Col::U64(vec![1]))
            .streamed(1, |_| vec![Col::U64(vec![1])]);
        let dir = std::env::temp_dir();
        assert!(write_table(&dir, &both).is_err());
    }

    #[test]
    fn csv_quotes_only_where_needed_and_keeps_empty_apart_from_null() {
        let t = Table::new("t")
            .col(
                "s",
                Col::OptStr(vec![
                    Some("plain".into()),
                    Some("".into()),
                    None,
                    Some("a,b".into()),
                    Some("say \"hi\"".into()),
                    Some("two\nlines".into()),
                ]),
            )
            .col(
                "b",
                Col::OptBool(vec![Some(true), Some(false), None, None, None, None]),
            );
        assert_eq!(
            csv(&t),
            "s,b\nplain,true\n\"\",false\n,\n\"a,b\",\n\"say \"\"hi\"\"\",\n\"two\nlines\",\n"
        );
    }

    #[test]
    fn csv_numbers_are_polars_shortest_round_trip_forms() {
        let t = Table::new("t")
            .col(
                "x",
                Col::F64(vec![
                    249.0,
                    0.1,
                    1e-7,
                    0.6428571428571429,
                    1e16,
                    -0.0,
                    f64::NAN,
                    f64::INFINITY,
                ]),
            )
            .col("n", Col::U64(vec![0, 1, 42, u64::MAX, 7, 8, 9, 10]))
            .col(
                "o",
                Col::OptF64(vec![None, Some(2.5), None, None, None, None, None, None]),
            );
        let text = csv(&t);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "x,n,o");
        assert_eq!(lines[1], "249.0,0,");
        assert_eq!(lines[2], "0.1,1,2.5");
        assert_eq!(lines[3], "1e-7,42,");
        assert_eq!(lines[4], "0.6428571428571429,18446744073709551615,");
        assert_eq!(lines[5], "1e+16,7,");
        assert_eq!(lines[6], "-0.0,8,");
        assert_eq!(lines[7], "NaN,9,");
        assert_eq!(lines[8], "inf,10,");
        for (x, s) in [(249.0, "249.0"), (0.1, "0.1"), (1e-7, "1e-7")] {
            assert_eq!(s.parse::<f64>().unwrap(), x, "reads back exactly");
        }
    }
}
