//! The one writer of result tables: a [`Table`] of typed columns becomes a polars
//! DataFrame, written as CSV and Parquet, each atomically (temporary name, then rename),
//! so a failed run never leaves a half-written table that looks complete.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use polars::prelude::{
    Column, CsvWriter, DataFrame, ParquetCompression, ParquetWriter, PlSmallStr, SerWriter,
};

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

/// Write `table` as `dir/<name>.csv` and `dir/<name>.parquet`; returns both paths.
pub fn write_table(dir: &Path, table: &Table) -> Result<Vec<PathBuf>> {
    let mut df = table.to_frame()?;
    let csv = dir.join(format!("{}.csv", table.name));
    atomic_file(&csv, |f: &mut File| {
        CsvWriter::new(f)
            .include_header(true)
            .finish(&mut df)
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
