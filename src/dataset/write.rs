//! The one writer of result tables: a [`Table`] of typed columns is written as CSV (by
//! [`write_csv`], here) and as Parquet (through a polars DataFrame), each atomically
//! (temporary name, then rename), so a failed run never leaves a half-written table that
//! looks complete.
//!
//! The CSV is byte for byte what polars' `CsvWriter` wrote with its defaults, which this
//! crate used before (polars' `csv` feature is off to shorten the build): `,` separator,
//! `\n` line ends, a header; a null is an empty field; a string is quoted when it is
//! empty (so it differs from a null) or holds `,` `"` `\n` or `\r`, with `"` doubled;
//! floats in the shortest form that reads back exactly (zmij, the formatter polars uses:
//! `249.0`, `0.1`, `1e-7`, `1e+16`, `NaN`, `inf`); integers in decimal; booleans `true`/`false`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter, PlSmallStr};

use crate::output::atomic_file;

/// A typed column.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    Str(Vec<String>),
    OptStr(Vec<Option<String>>),
    U32(Vec<u32>),
    OptU32(Vec<Option<u32>>),
    U64(Vec<u64>),
    F64(Vec<f64>),
    OptF64(Vec<Option<f64>>),
    Bool(Vec<bool>),
    OptBool(Vec<Option<bool>>),
}

impl Col {
    fn len(&self) -> usize {
        match self {
            Col::Str(v) => v.len(),
            Col::OptStr(v) => v.len(),
            Col::U32(v) => v.len(),
            Col::OptU32(v) => v.len(),
            Col::U64(v) => v.len(),
            Col::F64(v) => v.len(),
            Col::OptF64(v) => v.len(),
            Col::Bool(v) => v.len(),
            Col::OptBool(v) => v.len(),
        }
    }

    fn to_column(&self, name: &str) -> Column {
        let name: PlSmallStr = name.into();
        match self {
            Col::Str(v) => Column::new(name, v),
            Col::OptStr(v) => Column::new(name, v),
            Col::U32(v) => Column::new(name, v),
            Col::OptU32(v) => Column::new(name, v),
            Col::U64(v) => Column::new(name, v),
            Col::F64(v) => Column::new(name, v),
            Col::OptF64(v) => Column::new(name, v),
            Col::Bool(v) => Column::new(name, v),
            Col::OptBool(v) => Column::new(name, v),
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

fn put_display(buf: &mut Vec<u8>, x: impl std::fmt::Display) {
    // Writing to a Vec cannot fail.
    let _ = write!(buf, "{x}");
}

impl Col {
    /// Field `row` as CSV.
    fn put(&self, buf: &mut Vec<u8>, row: usize) {
        match self {
            Col::Str(v) => put_str(buf, &v[row]),
            Col::OptStr(v) => {
                if let Some(s) = &v[row] {
                    put_str(buf, s)
                }
            }
            Col::U32(v) => put_display(buf, v[row]),
            Col::OptU32(v) => {
                if let Some(x) = v[row] {
                    put_display(buf, x)
                }
            }
            Col::U64(v) => put_display(buf, v[row]),
            Col::F64(v) => put_f64(buf, v[row]),
            Col::OptF64(v) => {
                if let Some(x) = v[row] {
                    put_f64(buf, x)
                }
            }
            Col::Bool(v) => put_display(buf, v[row]),
            Col::OptBool(v) => {
                if let Some(x) = v[row] {
                    put_display(buf, x)
                }
            }
        }
    }
}

/// A named table in long format.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, Col)>,
}

impl Table {
    pub fn new(name: &str) -> Table {
        Table {
            name: name.to_string(),
            columns: Vec::new(),
        }
    }

    pub fn col(mut self, name: &str, col: Col) -> Table {
        self.columns.push((name.to_string(), col));
        self
    }

    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    pub fn to_frame(&self) -> Result<DataFrame> {
        let h = self.height();
        for (n, c) in &self.columns {
            anyhow::ensure!(
                c.len() == h,
                "table {}: column {n} has {} rows, expected {h}",
                self.name,
                c.len()
            );
        }
        let cols = self.columns.iter().map(|(n, c)| c.to_column(n)).collect();
        DataFrame::new(h, cols).with_context(|| format!("building table {}", self.name))
    }
}

/// `table` as CSV (the format is in the module docs).
pub fn write_csv(w: &mut impl Write, table: &Table) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 16);
    for (i, (name, _)) in table.columns.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        put_str(&mut buf, name);
    }
    buf.push(b'\n');
    for row in 0..table.height() {
        for (i, (_, col)) in table.columns.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            col.put(&mut buf, row);
        }
        buf.push(b'\n');
        if buf.len() >= 1 << 16 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)
}

/// Write `table` as `dir/<name>.csv` and `dir/<name>.parquet`; returns both paths.
pub fn write_table(dir: &Path, table: &Table) -> Result<Vec<PathBuf>> {
    // Checks the columns' lengths before anything is written.
    let mut df = table.to_frame()?;
    let csv = dir.join(format!("{}.csv", table.name));
    atomic_file(&csv, |f: &mut File| {
        let mut w = BufWriter::new(f);
        write_csv(&mut w, table)
            .and_then(|()| w.flush())
            .with_context(|| format!("writing {}", csv.display()))
    })?;
    let pq = dir.join(format!("{}.parquet", table.name));
    atomic_file(&pq, |f: &mut File| {
        ParquetWriter::new(f)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut df)
            .map(|_| ())
            .with_context(|| format!("writing {}", pq.display()))
    })?;
    Ok(vec![csv, pq])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(t: &Table) -> String {
        let mut v = Vec::new();
        write_csv(&mut v, t).unwrap();
        String::from_utf8(v).unwrap()
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
