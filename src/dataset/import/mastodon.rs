//! Mastodon's `following_accounts.csv` exports (Preferences > Import and export > Data
//! export > "Follows"): the accounts one user follows, one `Account address` per row
//! (header `Account address,Show boosts,Notify on new posts,Languages`; older or
//! third-party exports have fewer columns, or no header and the address alone).
//!
//! The file does not say whose follows these are, so the exporter's address is the
//! name of the folder the file is in: `exports/alice@mastodon.social/following_accounts.csv`
//! is alice's. The source is one such file, or a folder holding such folders (any
//! depth; walked in sorted order, so the tables do not depend on the file system):
//! every export found there combines into one follow graph. A folder name that is not an
//! address (`user@domain`) is an error, never a guess.
//!
//! Each row is a follow exporter -> address. Addresses are normalised as Mastodon
//! matches them: trimmed, one leading `@` dropped, lower-cased; a row whose address is
//! not `user@domain` is rejected (`bad_address`). Show boosts, Notify and Languages do
//! not enter the tables. The accounts table lists every exporter and followee once,
//! with `label` = the normalised address. **Followers are not exported**: an export holds
//! its exporter's out-list only, so in-degrees count followers among the exporters
//! only; the follows table's note `exports_without_followers` says how many exports
//! were read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Importer, Sink};
use crate::dataset::read::{BadRecord, Event, Loc, Record, TableSource, open_maybe_gz};
use crate::dataset::schema::{ACCOUNT, FOLLOWEE, FOLLOWER, TableKind};

pub(super) struct Mastodon;

/// The export's file name (Mastodon names every follows export so).
const FILE_NAME: &str = "following_accounts.csv";
/// The first header of an export with a header line (Mastodon's import checks it too).
const ADDRESS_HEADER: &str = "Account address";
/// The accounts table's display column.
use crate::dataset::schema::LABEL;

/// `user@domain`, normalised: trimmed, one leading `@` dropped, lower-cased. `None`
/// when what is left is not one `@` between a non-empty user and domain (no blanks).
pub(super) fn normalise(address: &str) -> Option<String> {
    let a = address.trim();
    let a = a.strip_prefix('@').unwrap_or(a);
    let (user, domain) = a.split_once('@')?;
    let ok = |s: &str| !s.is_empty() && !s.contains('@') && !s.contains(char::is_whitespace);
    (ok(user) && ok(domain)).then(|| a.to_lowercase())
}

/// The exports of `path`, with their exporters: the file itself, or every
/// `following_accounts.csv` (or `.csv.gz`) under the folder, in sorted path order.
fn exports(path: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    if path.is_dir() {
        walk(path, &mut files)?;
        if files.is_empty() {
            bail!(
                "{}: no {FILE_NAME} under this folder; put each export in a folder named by its exporter's address (`{}/alice@mastodon.social/{FILE_NAME}`)",
                path.display(),
                path.display()
            );
        }
    } else {
        files.push(path.to_path_buf());
    }
    files
        .into_iter()
        .map(|f| {
            let folder = f
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match normalise(&folder) {
                Some(exporter) => Ok((f, exporter)),
                None => bail!(
                    "{}: whose export is this? A Mastodon export does not name its exporter, and the folder name {folder:?} is not an address (user@domain); move the file into a folder named by the exporter's address, e.g. `exports/alice@mastodon.social/{FILE_NAME}`",
                    f.display()
                ),
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    // (path, is a folder): a symbolic link is followed to a file, never to a folder
    // (a link to an ancestor would walk forever).
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list the folder", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.sort();
    for (p, is_dir) in entries {
        if is_dir {
            walk(&p, out)?;
        } else if !p.is_dir()
            && p.file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .is_some_and(|n| n == FILE_NAME || n == format!("{FILE_NAME}.gz"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// One export's rows: (line, normalised address) or a bad record, in file order.
fn read_export(
    path: &Path,
    exporter: &str,
    visit: &mut dyn FnMut(std::result::Result<(Loc, String), BadRecord>) -> Result<()>,
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(open_maybe_gz(path)?);
    let name = format!(
        "in {exporter}/{}: ",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        let more = rdr.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            anyhow::anyhow!("{}: line {line}: cannot read the file: {e}", path.display())
        })?;
        if !more {
            return Ok(());
        }
        let loc = Loc::Line(record.position().map(|p| p.line()).unwrap_or(0));
        if record.len() == 1 && record[0].trim_ascii().is_empty() {
            continue;
        }
        let field = std::str::from_utf8(&record[0]);
        if std::mem::take(&mut first) {
            // A header line, or (older exports) the first address of a headerless file.
            let f = field.unwrap_or("").trim().trim_start_matches('\u{feff}');
            if f.eq_ignore_ascii_case(ADDRESS_HEADER) {
                continue;
            }
        }
        visit(match field {
            Err(_) => Err(BadRecord {
                loc,
                reason: "invalid_utf8",
                detail: format!("{name}the address is not valid UTF-8"),
            }),
            Ok(a) => match normalise(a.trim_start_matches('\u{feff}')) {
                Some(a) => Ok((loc, a)),
                None => Err(BadRecord {
                    loc,
                    reason: "bad_address",
                    detail: format!("{name}{a:?} is not an account address (user@domain)"),
                }),
            },
        })?;
    }
}

impl Importer for Mastodon {
    fn name(&self) -> &'static str {
        "mastodon"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &[]
    }

    fn tables(&self) -> Option<&'static [TableKind]> {
        Some(&[TableKind::Accounts, TableKind::Follows])
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let accounts = want.contains(&TableKind::Accounts);
        let follows = want.contains(&TableKind::Follows);
        if accounts {
            let names = [ACCOUNT, LABEL].map(String::from);
            sink(TableKind::Accounts, Event::Header(&names))?;
        }
        if follows {
            let names = [FOLLOWER, FOLLOWEE].map(String::from);
            sink(TableKind::Follows, Event::Header(&names))?;
        }
        // Every account once, in first-seen order, with where it was first seen.
        let mut seen: HashMap<String, ()> = HashMap::new();
        let mut order: Vec<(String, Loc)> = Vec::new();
        let mut add = |a: &str, loc: Loc| {
            if accounts && !seen.contains_key(a) {
                seen.insert(a.to_string(), ());
                order.push((a.to_string(), loc));
            }
        };
        let files = exports(&src.path)?;
        for (path, exporter) in &files {
            for &t in want {
                sink(t, Event::Input(path))?;
            }
            add(exporter, Loc::Line(1));
            read_export(path, exporter, &mut |row| {
                match row {
                    Ok((loc, followee)) => {
                        add(&followee, loc);
                        if follows {
                            let fields = [exporter.as_str(), followee.as_str()];
                            sink(
                                TableKind::Follows,
                                Event::Row(Record {
                                    loc,
                                    fields: &fields,
                                }),
                            )?;
                        }
                    }
                    Err(bad) if follows => sink(TableKind::Follows, Event::Bad(bad))?,
                    Err(_) => {}
                }
                Ok(())
            })?;
        }
        if follows {
            sink(
                TableKind::Follows,
                Event::Note("exports_without_followers", files.len() as u64),
            )?;
        }
        for (a, loc) in &order {
            let fields = [a.as_str(), a.as_str()];
            sink(
                TableKind::Accounts,
                Event::Row(Record {
                    loc: *loc,
                    fields: &fields,
                }),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{both, fixture, golden, tables};
    use super::*;
    use crate::dataset::clean::OnMalformed;
    use crate::dataset::load;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rankaudit-mastodon-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn addresses_are_normalised_as_mastodon_matches_them() {
        for (raw, want) in [
            ("alice@mastodon.social", Some("alice@mastodon.social")),
            ("@Bob@Fosstodon.ORG ", Some("bob@fosstodon.org")),
            (" carol@hachyderm.io", Some("carol@hachyderm.io")),
            ("alice", None),
            ("@alice", None),
            ("a@b@c", None),
            ("@@a@b", None),
            ("a @b", None),
            ("", None),
        ] {
            assert_eq!(normalise(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn the_fixture_gives_its_golden_tables() {
        let dir = fixture("mastodon/exports");
        let ds = load(&both(&dir, "mastodon")).unwrap();
        assert_eq!(tables(&ds), golden(&fixture("mastodon")));
        let [a, f] = &ds.reports[..] else {
            panic!("{:?}", ds.reports)
        };
        assert_eq!((a.rows_read, a.rows_used), (7, 7));
        // Gina's blank line is not a row.
        assert_eq!((f.rows_read, f.rows_used, f.rows_rejected), (8, 8, 0));
        assert_eq!(f.notes["exports_without_followers"], 3);
        // The manifest hashes the three exports, in sorted order, not the folder.
        let exporters: Vec<String> = ds
            .files
            .iter()
            .map(|p| {
                p.parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            exporters,
            [
                "alice@mastodon.social",
                "erin@fosstodon.org",
                "gina@hachyderm.io"
            ]
        );

        // One export: its exporter's follows only.
        let one = dir.join("alice@mastodon.social/following_accounts.csv");
        let ds = load(&both(&one, "mastodon")).unwrap();
        let (accounts, follows) = tables(&ds);
        assert_eq!(accounts.len(), 4);
        assert!(follows.iter().all(|(f, _)| f == "alice@mastodon.social"));
        assert_eq!(follows.len(), 3);
        assert_eq!(ds.files, [one]);
    }

    #[test]
    fn bad_rows_are_rejected_with_file_and_line_and_gzip_reads_the_same() {
        let dir = temp_dir("bad");
        let export = dir.join("exports/Zed@Example.Social/following_accounts.csv");
        std::fs::create_dir_all(export.parent().unwrap()).unwrap();
        // Headerless (older exports): the first line is an address.
        let text = "a@x.org\nnot-an-address,true\n,true\n\"@B@X.org\",false\nzed@example.social\nb@x.org\n";
        std::fs::write(&export, text).unwrap();
        let mut spec = both(&dir.join("exports"), "mastodon");
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: line 2: malformed row (bad_address): in zed@example.social/following_accounts.csv: \"not-an-address\" is not an account address (user@domain). Fix the row",
                dir.join("exports").display()
            )),
            "{e}"
        );
        spec.policy.malformed = OnMalformed::Skip;
        let plain = load(&spec).unwrap();
        let f = &plain.reports[1];
        assert_eq!((f.rows_read, f.rows_used), (6, 2));
        assert_eq!(
            f.rejected.clone().into_iter().collect::<Vec<_>>(),
            [
                ("bad_address".into(), 2),
                ("duplicate_follow".into(), 1),
                ("self_loop".into(), 1)
            ]
        );
        assert_eq!(
            f.examples["duplicate_follow"],
            ["line 6: \"zed@example.social\" -> \"b@x.org\" already listed"]
        );
        // The same export gzip'd (`following_accounts.csv.gz`).
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
        std::fs::remove_file(&export).unwrap();
        std::fs::write(export.with_extension("csv.gz"), enc.finish().unwrap()).unwrap();
        let gz = load(&spec).unwrap();
        assert_eq!(tables(&gz), tables(&plain));
        assert_eq!(gz.reports[1].rejected, f.rejected);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_export_outside_an_address_folder_is_an_error_that_says_how_to_fix_it() {
        let dir = temp_dir("where");
        let file = dir.join("Downloads/following_accounts.csv");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "Account address,Show boosts\na@x.org,true\n").unwrap();
        let e = format!("{:#}", load(&both(&file, "mastodon")).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: whose export is this? A Mastodon export does not name its exporter, and the folder name \"Downloads\" is not an address (user@domain); move the file into a folder named by the exporter's address",
                file.display()
            )),
            "{e}"
        );
        let empty = dir.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let e = format!("{:#}", load(&both(&empty, "mastodon")).unwrap_err());
        assert!(
            e.contains("no following_accounts.csv under this folder"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
