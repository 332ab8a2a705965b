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
                sink(kind, Event::Note("header_line", 1))
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::jetstream::tests::{FIXTURES, golden, tables};
    use crate::dataset::clean::Policy;
    use crate::dataset::{DataSpec, Format, TableSource, load};

    fn follows_spec(path: &Path) -> DataSpec {
        let mut src = TableSource::new(path);
        src.format = Some(Format::named("bluesky-csv").unwrap());
        DataSpec {
            order: Default::default(),
            format: None,
            accounts: None,
            follows: Some(src),
            interactions: None,
            policy: Policy::default(),
        }
    }

    #[test]
    fn the_follower_list_loads_to_its_golden_tables_plain_and_gzipped() {
        let dir = Path::new(FIXTURES).join("failla_rossetti");
        let (columns, want) = golden(&dir);
        for file in ["followers.csv", "followers.csv.gz"] {
            let ds = load(&follows_spec(&dir.join(file))).unwrap();
            assert_eq!(tables(&ds, &columns), want, "{file}");
            let r = &ds.reports[0];
            assert_eq!((r.rows_read, r.rows_used), (6, 6), "{file}");
            assert!(r.rejected.is_empty() && r.notes.is_empty(), "{r:?}");
        }
    }

    #[test]
    fn a_header_line_is_noted_and_other_tables_are_refused() {
        let dir = std::env::temp_dir().join(format!("rankaudit-bsky-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("followers.csv");
        std::fs::write(&path, "u,v\n0,1\n1,0\n2,0,9\n").unwrap();
        let e = format!("{:#}", load(&follows_spec(&path)).unwrap_err());
        assert!(
            e.ends_with("followers.csv: line 4: malformed row (wrong_field_count): expected 2 fields, found 3. Fix the row, or set `malformed = \"skip\"` under [data.policy] to reject such rows and count them in the manifest"),
            "{e}"
        );
        std::fs::write(&path, "u,v\n0,1\n1,0\n").unwrap();
        let ds = load(&follows_spec(&path)).unwrap();
        assert_eq!(ds.follows.edge_count(), 2);
        let r = &ds.reports[0];
        assert_eq!((r.rows_read, r.rows_used), (2, 2));
        assert_eq!(r.notes.get("header_line"), Some(&1));

        let mut spec = follows_spec(&path);
        spec.interactions = spec.follows.clone();
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.contains("followers.csv: the bluesky-csv format reads the follower list (followers.csv.gz) as the follows table; the dataset's interactions.csv.gz is not supported"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
