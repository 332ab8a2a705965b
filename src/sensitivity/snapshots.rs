//! Count snapshots: the platform counts (followers, tweets) an audit ranks by are one
//! snapshot, taken when the data was collected, and a collection sees the same account
//! at several times with other counts (twarc2 keeps every tweet's author as it was when
//! the page was fetched). Each universe draws every account's counts from the values
//! its snapshots showed: how much of the ranking is the moment of collection.

use anyhow::{Result, bail};
use rand::RngExt;
use serde::Deserialize;

use super::data::DataChange;
use super::{Base, Entry, Perturbation, RngFor, Universe, Universes, settings};
use crate::dataset::schema::COUNT_COLUMNS;

pub const ENTRY: Entry = Entry {
    name: "count-snapshots",
    about: "each account's counts drawn from the values its snapshots showed (`<count>_seen` columns, written by the twarc2 importer), R times",
    build: |t, replicates| {
        let Settings { columns } = settings(t)?;
        if columns.is_empty() {
            bail!("columns is empty; name the counts to draw (e.g. [\"followers\"])");
        }
        Ok(Box::new(CountSnapshots {
            columns,
            replicates,
        }))
    },
    describe: |u| {
        format!(
            "{} draws of every account's counts from its snapshots",
            u.len()
        )
    },
};

/// `count-snapshots`' settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The count columns to draw (default: followers, following, statuses).
    #[serde(default = "default_columns")]
    columns: Vec<String>,
}

fn default_columns() -> Vec<String> {
    COUNT_COLUMNS.iter().map(|c| c.to_string()).collect()
}

pub struct CountSnapshots {
    columns: Vec<String>,
    replicates: u64,
}

impl Perturbation for CountSnapshots {
    fn family(&self) -> &'static str {
        ENTRY.name
    }

    fn universes<'a>(&'a self, _base: &Base<'a>, rng_for: RngFor<'a>) -> Result<Universes<'a>> {
        Ok(Universes::new(self.replicates, move |i| Universe {
            label: format!("snapshot draw #{}", i + 1),
            x: Some(i as f64 + 1.0),
            params: toml::Table::new(),
            seed_list: None,
            data: Some(DataChange::DrawCounts {
                columns: self.columns.clone(),
                seed: rng_for(i).random(),
            }),
        }))
    }
}
