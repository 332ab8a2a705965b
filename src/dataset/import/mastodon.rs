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
const LABEL: &str = "label";

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
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list the folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .file_name()
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
