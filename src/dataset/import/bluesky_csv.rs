//! The follower edge list of Failla & Rossetti's "Bluesky Social Dataset" (Zenodo,
//! doi:10.5281/zenodo.14669616), `followers.csv.gz`: as its description says, "each row
//! consists of two comma-separated integers u, v, representing a directed following
//! relation (i.e., user u follows user v)". The ids are anonymised integers (no DIDs, no
//! handles). One table, the follows table, read as delimited text (plain or gzip'd):
//! the columns are `follower`, `followee` by position. No header line is documented;
//! a first line that is not two integers is taken for one and noted (`header_line`).
//!
//! The dataset's `interactions.csv.gz` is not read: the description names five of its
//! six integer fields (`user_id, replied_author, thread_root_author, reposted_author,
//! quoted_author`) but not the sixth, nor how an absent author is written, and guessing
//! would make up interactions.

use anyhow::{Result, bail};

use super::text::read_text;
use super::{Importer, Sink};
use crate::dataset::read::{Event, TableSource};
use crate::dataset::schema::{self, TableKind};

pub(super) struct FaillaRossetti;

impl Importer for FaillaRossetti {
    fn name(&self) -> &'static str {
        "bluesky-csv"
    }

    /// None: the file is `.csv`, which plain CSV claims; this layout is named by format.
    fn extensions(&self) -> &'static [&'static str] {
        &[]
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let path = src.path.display();
        match want {
            [TableKind::Follows] => {}
            [TableKind::Interactions] => bail!(
                "{path}: the bluesky-csv format reads the follower list (followers.csv.gz) as the follows table; the dataset's interactions.csv.gz is not supported (its description does not say what its sixth field is, nor how an absent author is written). Map its columns yourself as a csv file with `header = false` once you know them"
            ),
            _ => bail!(
                "{path}: the bluesky-csv format holds only the follows table (the follower list followers.csv.gz); name it under [data.follows]"
            ),
        }
        let kind = TableKind::Follows;
        let mut plain = src.clone();
        plain.header = false;
        let names = [schema::FOLLOWER, schema::FOLLOWEE].map(String::from);
        let mut first = true;
        read_text(&plain, b',', &mut |ev| match ev {
            Event::Header(h) if h.len() != names.len() => bail!(
                "{path}: the first line has {} fields; the follower list has two per line (u,v: user u follows user v)",
                h.len()
            ),
            Event::Header(_) => sink(kind, Event::Header(&names)),
            Event::Row(rec) if first && !rec.fields.iter().all(|f| is_integer(f)) => {
                first = false;
                sink(kind, Event::Note("header_line"))
            }
            ev => {
                first = false;
                sink(kind, ev)
            }
        })
    }
}

fn is_integer(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
