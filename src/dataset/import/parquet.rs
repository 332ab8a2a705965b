//! Parquet: one table per file. Every column is read as text (numbers formatted, nulls
//! as missing) and every record carries its 1-based row.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result, bail};
use polars::prelude::{DataType, ParquetReader, SerReader};

use super::{Importer, Sink};
use crate::dataset::read::{Event, Loc, Record, TableSource};
use crate::dataset::schema::TableKind;

pub(super) struct Parquet;

impl Importer for Parquet {
    fn name(&self) -> &'static str {
        "parquet"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["parquet", "pq"]
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let &[kind] = want else {
            bail!("{}: a parquet file holds one table", src.path.display());
        };
        read_parquet(&src.path, &mut |ev| sink(kind, ev))
    }
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
