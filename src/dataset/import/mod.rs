//! Importers: one file per input format behind one trait, [`Importer`], and one table
//! of them, [`IMPORTERS`], that a study's `format = "..."` (under `[data]` or a table's
//! section) and quick mode's `--format` pick from by name. With no format named, the
//! file name's extension picks (`.csv`, `.tsv`, `.parquet`, ..., each optionally
//! followed by `.gz`).
//!
//! An importer turns a file into canonical records and nothing else: for each canonical
//! table it yields (accounts, follows, interactions), the header once, then every record
//! in file order with its location, or a [`BadRecord`] with the reason it could not be
//! split. Column mapping, the row policies, id mapping and the accounting of every row
//! (used, or rejected with a reason the manifest counts) are the loader's
//! ([`super::load`]), the same for every importer, so a new format cannot drop a row
//! silently or count it differently.
//!
//! Two kinds of importer:
//! - a *table format* (CSV, TSV, Parquet: [`Importer::tables`] is `None`) holds one
//!   table, whichever the study section that names the file says (`[data.follows]`);
//! - a *dump format* (twarc2 JSONL, Bluesky Jetstream, SNAP ego folders: `tables` lists
//!   what one file yields) holds several. Every section naming the same file with the
//!   same format is filled from one read: the loader asks for all of them at once,
//!   loads accounts first (the unknown-id policy needs the whole accounts table) and
//!   holds the records of the later tables until then. A dump format whose accounts
//!   are spread over the whole file (twarc2) says [`Importer::reads_each_table`]
//!   instead: the loader then reads the file once per table, each read streaming, so
//!   nothing is held but the tables themselves.
//!
//! # Adding an importer
//!
//! 1. A file here, `import/<format>.rs`, with a unit struct implementing [`Importer`]:
//!    `name` (what users write in `format = "..."`), `extensions` (what auto-detection
//!    claims; `&[]` to be picked by name only), `tables`, and `read`, which hands
//!    `sink` each wanted table's header (the canonical column names of
//!    [`super::schema`], or the file's own, which the user's column mapping then maps)
//!    and records. Reject what cannot be split as [`Event::Bad`] (counted under
//!    `reason`, or an error, as the `malformed` policy says), never skip it; a record
//!    read whole that the format's documented policy turns into no row (a like, an
//!    unfollow) is an [`Event::Skip`] with its reason, counted whatever that policy; fail
//!    with an error naming the file and line for what cannot be read at all. Counts of
//!    your own that are not rows (the follows a SNAP ego folder implies, a handle that
//!    changed) go to the table's notes as [`Event::Note`]; a source that is a folder (or
//!    a file with companions) names each file it read as [`Event::Input`], for the
//!    manifest's hashes. Optionally, [`Importer::sniff`] recognises the format
//!    from a file's first line (for extensions several formats share).
//! 2. One line in [`IMPORTERS`].
//! 3. Its tests: a small file per table it yields, through [`super::load`], checking the
//!    tables and the row accounting (see `tests::TwoTables` below for the pattern).
//!
//! Nothing else changes: the study and `--format` take the name from the registry, and
//! their error for an unknown format lists it.

mod bluesky_csv;
mod jetstream;
mod mastodon;
mod parquet;
mod snap;
mod text;
mod twarc2;

use std::fmt;

use anyhow::Result;
use serde::{Deserialize, Serialize};

pub(crate) use text::header_hint;

use super::read::{BadRecord, Event, TableSource};
use super::schema::TableKind;

/// What an importer hands the loader: which table an event belongs to, and the event
/// (that table's header once, before its records; then its records in file order).
/// Events of different tables may interleave.
pub type Sink<'a> = dyn FnMut(TableKind, Event<'_>) -> Result<()> + 'a;

/// One input format.
pub trait Importer: Sync {
    /// The name a study's `format = "..."` and `--format` select it by.
    fn name(&self) -> &'static str;

    /// The file-name endings (lowercase, without a trailing `.gz`) that select this
    /// importer when no format is named.
    fn extensions(&self) -> &'static [&'static str];

    /// The tables one file yields: `None` for a table format (one table, the one the
    /// section naming the file says), or the list a dump format yields.
    fn tables(&self) -> Option<&'static [TableKind]> {
        None
    }

    /// Read `src` (an existing path), handing `sink` the events of the tables in `want`
    /// (one, for a table format; a non-empty subset of [`Importer::tables`] otherwise).
    /// The per-format options are in `src` (delimiter, header, comment character); the
    /// column mapping is applied by the loader to the header given here.
    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()>;

    /// For delimited text: the field delimiter, so that the follows table may be read
    /// by the parallel edge reader (`dataset/fast.rs`) instead of [`Importer::read`].
    /// That reader parses the same text exactly as `read` would (or gives up before
    /// handing anything over). `None` (the default): always use `read`.
    fn edge_delimiter(&self, src: &TableSource) -> Result<Option<u8>> {
        let _ = src;
        Ok(None)
    }

    /// For headerless edge lists split at runs of blanks, with `#` comment lines
    /// (SNAP): the header `read` gives a follows table whose first data line has
    /// `width` fields, so that the parallel edge reader may read the table in its
    /// whitespace mode, parsing the text exactly as `read` would. `None` (the default):
    /// not such a format (or not with these options).
    fn whitespace_header(&self, src: &TableSource, width: usize) -> Option<Vec<String>> {
        let _ = (src, width);
        None
    }

    /// For a dump format: `true` to have the loader read the file once per table
    /// (`read` is then called with one table in `want`) instead of once for all of them
    /// with the later tables' records staged as owned strings until their turn. For a
    /// format whose accounts are spread over the whole file (twarc2), so that memory is
    /// bounded by the tables, not by the file. Default `false`.
    fn reads_each_table(&self) -> bool {
        false
    }

    /// Whether the file's first line (up to 64 kB, without its line end) looks like this
    /// format: asked, in [`IMPORTERS`] order, when the file name's extension claims no
    /// importer (`.jsonl`, `.json`). Default `false` (picked by extension or name only).
    fn sniff(&self, first_line: &[u8]) -> bool {
        let _ = first_line;
        false
    }
}

/// Every importer, in the order listed to users. Auto-detection tries them in order.
pub static IMPORTERS: &[&dyn Importer] = &[
    &text::CSV,
    &text::TSV,
    &parquet::Parquet,
    &jetstream::Jetstream,
    &bluesky_csv::FaillaRossetti,
    &snap::Snap,
    &snap::SnapEgo,
    &mastodon::Mastodon,
    &twarc2::Twarc2,
    // A dump format yielding follows and interactions from one file, for the tests.
    #[cfg(test)]
    &tests::TwoTables,
];

/// The registered names, for messages: `csv, tsv, parquet`.
pub fn known() -> String {
    IMPORTERS
        .iter()
        .map(|i| i.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An importer's name, checked against [`IMPORTERS`]: what `format = "..."` holds.
/// Serialised as the name (`"csv"`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Format(&'static dyn Importer);

impl Format {
    /// The importer called `name`, or an error that lists the known formats.
    pub fn named(name: &str) -> Result<Format, UnknownFormat> {
        IMPORTERS
            .iter()
            .find(|i| i.name() == name)
            .map(|&i| Format(i))
            .ok_or_else(|| UnknownFormat(name.to_string()))
    }

    /// The importer whose extensions end `file_name` (a `.gz` suffix aside).
    pub fn by_extension(file_name: &str) -> Option<Format> {
        let name = file_name.to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit('.').next().unwrap_or("");
        IMPORTERS
            .iter()
            .find(|i| i.extensions().contains(&ext))
            .map(|&i| Format(i))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn importer(self) -> &'static dyn Importer {
        self.0
    }
}

impl PartialEq for dyn Importer {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn Importer {}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({:?})", self.name())
    }
}

/// A format name no importer has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}; known formats: {known}", known = known())]
pub struct UnknownFormat(pub String);

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
        let name = String::deserialize(d)?;
        Format::named(&name).map_err(serde::de::Error::custom)
    }
}

/// An event owned, to be handed over later: the records of a table that a dump format
/// yields before the loader can take them (see the module docs).
#[derive(Debug)]
pub(super) enum Owned {
    Header(Vec<String>),
    Row(super::read::Loc, Vec<String>),
    Bad(BadRecord),
    Skip(BadRecord),
    Note(&'static str, u64),
    Input(std::path::PathBuf),
}

impl Owned {
    pub(super) fn of(ev: Event<'_>) -> Owned {
        match ev {
            Event::Header(h) => Owned::Header(h.to_vec()),
            Event::Row(r) => Owned::Row(r.loc, r.fields.iter().map(|f| f.to_string()).collect()),
            Event::Bad(b) => Owned::Bad(b),
            Event::Skip(b) => Owned::Skip(b),
            Event::Note(what, n) => Owned::Note(what, n),
            Event::Input(p) => Owned::Input(p.to_path_buf()),
        }
    }

    /// Hand `events` to `visit`, in order.
    pub(super) fn replay(
        events: Vec<Owned>,
        visit: &mut dyn FnMut(Event<'_>) -> Result<()>,
    ) -> Result<()> {
        for ev in events {
            match ev {
                Owned::Header(h) => visit(Event::Header(&h))?,
                Owned::Row(loc, fields) => {
                    let view: Vec<&str> = fields.iter().map(String::as_str).collect();
                    visit(Event::Row(super::read::Record { loc, fields: &view }))?
                }
                Owned::Bad(b) => visit(Event::Bad(b))?,
                Owned::Skip(b) => visit(Event::Skip(b))?,
                Owned::Note(what, n) => visit(Event::Note(what, n))?,
                Owned::Input(p) => visit(Event::Input(&p))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! A dump format for the tests: one text file whose lines are `F,a,b` (a follow) or
    //! `I,a,b,kind` (an interaction), so that one file yields two tables.

    use std::io::BufRead;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::dataset::clean::{OnMalformed, Policy};
    use crate::dataset::read::{Loc, Record};
    use crate::dataset::{DataSpec, load};

    pub(crate) struct TwoTables;

    /// How many times a `TwoTables` file was read.
    static READS: AtomicUsize = AtomicUsize::new(0);

    impl Importer for TwoTables {
        fn name(&self) -> &'static str {
            "two-tables"
        }

        fn extensions(&self) -> &'static [&'static str] {
            &[]
        }

        fn tables(&self) -> Option<&'static [TableKind]> {
            Some(&[TableKind::Follows, TableKind::Interactions])
        }

        fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
            let headers: [(TableKind, &[&str]); 2] = [
                (TableKind::Follows, &["follower", "followee"]),
                (TableKind::Interactions, &["source", "target", "kind"]),
            ];
            for (kind, names) in headers {
                if want.contains(&kind) {
                    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
                    sink(kind, Event::Header(&names))?;
                }
            }
            READS.fetch_add(1, Ordering::SeqCst);
            let file = std::fs::File::open(&src.path)?;
            for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line?;
                let loc = Loc::Line(i as u64 + 1);
                let fields: Vec<&str> = line.split(',').map(str::trim).collect();
                let (kind, width) = match fields[0] {
                    "F" => (TableKind::Follows, 3),
                    "I" => (TableKind::Interactions, 4),
                    _ => anyhow::bail!("{}: {loc}: not F or I", src.path.display()),
                };
                if !want.contains(&kind) {
                    continue;
                }
                let ev = if fields.len() == width {
                    Event::Row(Record {
                        loc,
                        fields: &fields[1..],
                    })
                } else {
                    Event::Bad(BadRecord {
                        loc,
                        reason: "wrong_field_count",
                        detail: format!("expected {width} fields, found {}", fields.len()),
                    })
                };
                sink(kind, ev)?;
            }
            Ok(())
        }
    }

    /// A fixture of `tests/fixtures/import/`.
    pub(crate) fn fixture(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(rel)
    }

    /// Accounts (id -> label, empty when none) and follows, as sets: what the golden
    /// tables of a fixture compare.
    pub(crate) type Tables = (
        std::collections::BTreeMap<String, String>,
        std::collections::BTreeSet<(String, String)>,
    );

    /// The golden tables of fixture folder `dir` (`expected_accounts.csv`,
    /// `expected_follows.csv`; their `interactions` are empty for these formats).
    pub(crate) fn golden(dir: &std::path::Path) -> Tables {
        let rows = |name: &str| -> Vec<Vec<String>> {
            let mut r = csv::Reader::from_path(dir.join(name)).unwrap();
            r.records()
                .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
                .collect()
        };
        let interactions = rows("expected_interactions.csv");
        assert!(interactions.is_empty(), "{}", dir.display());
        (
            rows("expected_accounts.csv")
                .into_iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect(),
            rows("expected_follows.csv")
                .into_iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect(),
        )
    }

    /// The loaded tables in the golden tables' shape.
    pub(crate) fn tables(ds: &crate::dataset::Dataset) -> Tables {
        let ids = &ds.accounts.ids;
        let label = ds.accounts.text.get("label");
        let accounts = (0..ids.len())
            .map(|i| {
                let l = label.and_then(|c| c[i].clone()).unwrap_or_default();
                (ids.name(i as u32).to_string(), l)
            })
            .collect();
        let follows = (0..ds.follows.node_count() as u32)
            .flat_map(|v| {
                ds.follows
                    .neighbors(v)
                    .iter()
                    .map(move |&w| (ids.name(v).to_string(), ids.name(w).to_string()))
            })
            .collect();
        (accounts, follows)
    }

    /// A spec reading accounts and follows from `path` with `format`.
    pub(crate) fn both(path: &std::path::Path, format: &str) -> DataSpec {
        DataSpec {
            order: Default::default(),
            format: Some(Format::named(format).unwrap()),
            accounts: Some(TableSource::new(path)),
            follows: Some(TableSource::new(path)),
            interactions: None,
            policy: Policy::default(),
        }
    }

    fn two_tables_file(name: &str, text: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rankaudit-import-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.txt");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Both sections name the same file with the same dump format: one read fills
    /// both tables, each with its own row accounting; the file is an input once.
    #[test]
    fn one_file_yields_two_tables_with_their_row_accounting() {
        let path = two_tables_file(
            "two",
            "F,a,b\nI,a,b,reply\nF,b,c\nF,b,b\nI,c,a,mention\nI,c,a\nF,a,b\nF,c\n",
        );
        let spec = DataSpec {
            order: Default::default(),
            // `[data] format`, `.txt` would otherwise say tsv.
            format: Some(Format::named("two-tables").unwrap()),
            accounts: None,
            follows: Some(TableSource::new(&path)),
            interactions: Some(TableSource::new(&path)),
            policy: Policy {
                malformed: OnMalformed::Skip,
                ..Policy::default()
            },
        };
        let before = READS.load(Ordering::SeqCst);
        let ds = load(&spec).unwrap();
        assert_eq!(READS.load(Ordering::SeqCst) - before, 1, "one read");
        assert_eq!(ds.files, std::slice::from_ref(&path));
        assert_eq!(ds.accounts.ids.names().to_vec(), ["a", "b", "c"]);
        assert_eq!(ds.follows.neighbors(0), [1]);
        assert_eq!(ds.follows.neighbors(1), [2]);
        assert_eq!(
            (
                ds.interactions.source.clone(),
                ds.interactions.target.clone()
            ),
            (vec![0, 2], vec![1, 0])
        );
        assert_eq!(ds.interactions.kinds, ["reply", "mention"]);
        let [f, i] = &ds.reports[..] else {
            panic!("{:?}", ds.reports)
        };
        assert_eq!(
            (f.table.as_str(), f.rows_read, f.rows_used),
            ("follows", 5, 2)
        );
        assert_eq!(
            f.rejected.clone().into_iter().collect::<Vec<_>>(),
            [
                ("duplicate_follow".to_string(), 1),
                ("self_loop".to_string(), 1),
                ("wrong_field_count".to_string(), 1)
            ]
        );
        assert_eq!(
            f.examples["wrong_field_count"],
            ["line 8: expected 3 fields, found 2"]
        );
        assert_eq!(
            (i.table.as_str(), i.rows_read, i.rows_used),
            ("interactions", 3, 2)
        );
        assert_eq!(
            i.examples["wrong_field_count"],
            ["line 6: expected 4 fields, found 3"]
        );
        assert!(ds.reports.iter().all(|r| r.balanced()));

        // Each table from its own read (two sections, two formats named per table)
        // gives the same tables and counts.
        let mut apart = spec.clone();
        apart.format = None;
        for t in [apart.follows.as_mut(), apart.interactions.as_mut()] {
            t.unwrap().format = Some(Format::named("two-tables").unwrap());
        }
        let mut other = apart.clone();
        other.interactions = Some(TableSource {
            path: path.with_file_name("copy.txt"),
            ..apart.interactions.clone().unwrap()
        });
        std::fs::copy(&path, path.with_file_name("copy.txt")).unwrap();
        let before = READS.load(Ordering::SeqCst);
        let ds2 = load(&other).unwrap();
        assert_eq!(
            READS.load(Ordering::SeqCst) - before,
            2,
            "two files, two reads"
        );
        assert_eq!(ds2.reports[0].rejected, f.rejected);
        assert_eq!(ds2.reports[1].rejected, i.rejected);
        assert_eq!(ds2.interactions.source, ds.interactions.source);

        // A table the format does not yield.
        let mut wrong = spec.clone();
        wrong.accounts = Some(TableSource::new(&path));
        let e = format!("{:#}", load(&wrong).unwrap_err());
        assert!(
            e.ends_with("events.txt: the two-tables format yields the follows and interactions tables, not the accounts table"),
            "{e}"
        );
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }

    #[test]
    fn names_and_extensions_pick_the_importer() {
        assert_eq!(Format::named("tsv").unwrap().name(), "tsv");
        let e = Format::named("jsonl").unwrap_err().to_string();
        assert!(
            e.starts_with("unknown format \"jsonl\"; known formats: csv, tsv, parquet"),
            "{e}"
        );
        for (file, want) in [
            ("a.csv", Some("csv")),
            ("a.CSV.gz", Some("csv")),
            ("a.tsv.gz", Some("tsv")),
            ("a.edges", Some("tsv")),
            ("a.txt", Some("tsv")),
            ("a.pq", Some("parquet")),
            ("a.parquet", Some("parquet")),
            ("a.dat", None),
            ("a", None),
        ] {
            assert_eq!(Format::by_extension(file).map(Format::name), want, "{file}");
        }
        // Round trip through a study file's TOML.
        let src: TableSource = toml::from_str("path = \"x.dat\"\nformat = \"csv\"").unwrap();
        assert_eq!(src.importer().unwrap().name(), "csv");
        assert!(toml::to_string(&src).unwrap().contains("format = \"csv\""));
    }
}
