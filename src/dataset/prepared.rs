//! The prepared graph file (`rankaudit prepare`): the follows table's result, the ids
//! interned up to it, the out- and in-adjacency and the table's row accounting, in one
//! file that later runs map into memory instead of parsing the edge list again.
//!
//! # Layout (little-endian; every section starts at a multiple of 8 bytes)
//!
//! ```text
//! 0   b"RKGRAPH\0"                       magic
//! 8   u32 format version                  (FORMAT_VERSION)
//! 12  u32 0x01020304                      byte-order mark
//! 16  u64 header length h
//! 24  h bytes of JSON                     the Header: key, counts, row accounting,
//!                                         and where each section lies
//! ... zero padding to a multiple of 8     (the data start)
//!     sections, at the header's offsets from the data start:
//!     id_ends      u64 × nodes            where each id ends in id_text
//!     id_text      u8 × bytes             the ids end to end, in index order
//!     out_offsets  u64 × (nodes + 1)      out-adjacency (follower -> followees)
//!     out_targets  u32 × edges
//!     in_offsets   u64 × (nodes + 1)      in-adjacency (followee -> followers)
//!     in_targets   u32 × edges
//!     order        u32 × nodes            only in a file prepared for `order =
//!                                         "in-degree"`: index k holds the account
//!                                         first seen k-th (see below)
//! ```
//!
//! A study with `[data] order = "in-degree"` ([`super::renumber`]) is prepared in that
//! order: the ids and both adjacencies are stored renumbered, most-followed first, so a
//! warm run does not renumber them again (0.7 s at 150M edges), and `order` maps each
//! index back to the position its account had as first seen, to check the accounts
//! table against (the key below) and to put its columns in the new order. The file's
//! order is part of its key.
//!
//! The CSR sections are used in place from the map ([`crate::graph::Slab`]); the ids are
//! copied (the id index must be rebuilt anyway, and they are small next to the edges).
//!
//! # The key: when a prepared file is used
//!
//! A prepared file is used only when all of these hold, else it is ignored with a
//! one-line message saying why and how to refresh it:
//! - the follows file has the size and modification time (to the nanosecond) recorded
//!   when the file was prepared; its SHA-256, computed then, is reused for the manifest
//!   (the rule of make and of git's index: a warm run does not read the edge list);
//! - the follows table's shape is the same: importer, delimiter, header, comment
//!   character, column mapping, subject, and the row policies;
//! - the ids before the follows table (those of the accounts table) are exactly the
//!   ones recorded, in the same order: the accounts table is parsed on every run and
//!   compared, so an edited accounts table that lists the same ids keeps the file valid
//!   and one that does not makes it stale;
//! - the study asks for the order the file was prepared in (`[data] order`).
//!
//! The risk of the size + time rule: a follows file rewritten with the same size and
//! its old modification time restored (`touch -r`, `cp -p` of a same-size file) is
//! not noticed. `rankaudit prepare --verify` re-hashes the file and says whether the
//! prepared file still matches.
//!
//! A file that cannot be read as a prepared graph (truncated, corrupt, another version)
//! is ignored the same way, with what is wrong with it: it is a cache, and a run never
//! fails because of it. Every section is checked when mapped (bounds, alignment, the CSR
//! invariants, the ids), so a bad file is never a panic.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};

use super::clean::{Policy, TableReport};
use super::ids::Ids;
use super::read::TableSource;
use super::renumber::Order;
use crate::graph::{Csr, Slab};

pub const MAGIC: &[u8; 8] = b"RKGRAPH\0";
/// Bumped whenever the layout or the meaning of a field changes, or the follows parsing
/// changes what it produces: an older file is then ignored (and says so).
pub const FORMAT_VERSION: u32 = 1;
const BYTE_ORDER_MARK: u32 = 0x0102_0304;
/// The fixed part before the header: magic, version, byte-order mark, header length.
const PREAMBLE: usize = 24;
/// The default file name's extension, appended to the follows file's name.
pub const EXTENSION: &str = "rkgraph";

/// Where the follows file's prepared graph is looked for: `prepared` of its table if
/// set, else `<follows file>.rkgraph` beside it.
pub fn path_for(src: &TableSource) -> PathBuf {
    if let Some(p) = &src.prepared {
        return p.clone();
    }
    let mut name = src.path.as_os_str().to_owned();
    name.push(".");
    name.push(EXTENSION);
    PathBuf::from(name)
}

/// The follows file as it was when prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub bytes: u64,
    /// Modification time, nanoseconds since 1970 (negative before), as a string: JSON
    /// numbers are not exact beyond 2^53.
    pub mtime_ns: String,
}

impl Stamp {
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        let m = std::fs::metadata(path)?;
        let mtime = m.modified()?;
        let ns: i128 = match mtime.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Ok(Stamp {
            bytes: m.len(),
            mtime_ns: ns.to_string(),
        })
    }
}

/// What shapes the follows table's result besides the file's bytes: importer, reading
/// options, column mapping, row policies. Compared as JSON, key by key.
pub fn shape(src: &TableSource, policy: &Policy) -> anyhow::Result<serde_json::Value> {
    let importer = src.importer()?.name();
    Ok(serde_json::json!({
        "importer": importer,
        "delimiter": src.delimiter,
        "header": src.header,
        "comment": src.comment,
        "columns": src.columns,
        "subject": src.subject,
        "policy": policy,
    }))
}

/// One section: where it starts (bytes from the data start) and how many values.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Section {
    offset: u64,
    len: u64,
}

/// The JSON header.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The rankaudit version that wrote the file.
    pub rankaudit: String,
    /// When, in seconds since 1970 (UTC).
    pub prepared_at: u64,
    /// The follows file as given when prepared (for messages).
    pub follows: String,
    pub stamp: Stamp,
    /// The follows file's SHA-256 (hex), reused for the manifest of a warm run.
    pub sha256: String,
    pub shape: serde_json::Value,
    /// How many ids come before the follows table (the accounts table's).
    pub ids_before: u64,
    pub nodes: u64,
    pub edges: u64,
    /// The follows table's row accounting.
    pub report: TableReport,
    /// The order the accounts are numbered in (absent: as first seen).
    #[serde(default, skip_serializing_if = "Order::is_file")]
    pub order: Order,
    sections: BTreeMap<String, Section>,
}

impl Header {
    /// "2026-12-05 13:40 UTC".
    pub fn prepared_when(&self) -> String {
        let secs = self.prepared_at;
        let (y, m, d) = civil_from_days((secs / 86_400) as i64);
        let (h, min) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
        format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02} UTC")
    }
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// What a prepared file holds, to write one.
pub struct Contents<'a> {
    pub follows: &'a Path,
    pub stamp: Stamp,
    pub sha256: String,
    pub shape: serde_json::Value,
    pub ids: &'a Ids,
    pub ids_before: usize,
    pub out: &'a Csr,
    pub inn: &'a Csr,
    pub report: &'a TableReport,
    /// For a file in another order than first seen: the order, and the account (as
    /// first seen) of each index ([`super::renumber::permutation`]).
    pub order: Option<(Order, &'a [u32])>,
}

/// Write a prepared file to `w` (the caller makes it atomic).
pub fn write(w: &mut File, c: &Contents) -> std::io::Result<()> {
    let names = c.ids.names();
    let n = c.ids.len();
    assert_eq!(c.out.node_count(), n, "the adjacency covers every id");
    assert_eq!(c.inn.node_count(), n, "the adjacency covers every id");
    let mut sections = BTreeMap::new();
    let mut at = 0u64;
    let mut place = |name: &str, len: usize, width: usize| {
        sections.insert(
            name.to_string(),
            Section {
                offset: at,
                len: len as u64,
            },
        );
        at += ((len * width) as u64).next_multiple_of(8);
    };
    place("id_ends", n, 8);
    place("id_text", names.text().len(), 1);
    place("out_offsets", n + 1, 8);
    place("out_targets", c.out.edge_count(), 4);
    place("in_offsets", n + 1, 8);
    place("in_targets", c.inn.edge_count(), 4);
    if let Some((_, perm)) = c.order {
        assert_eq!(perm.len(), n, "the order covers every id");
        place("order", n, 4);
    }
    let header = Header {
        rankaudit: env!("CARGO_PKG_VERSION").to_string(),
        prepared_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        follows: c.follows.display().to_string(),
        stamp: c.stamp.clone(),
        sha256: c.sha256.clone(),
        shape: c.shape.clone(),
        ids_before: c.ids_before as u64,
        nodes: n as u64,
        edges: c.out.edge_count() as u64,
        report: c.report.clone(),
        order: c.order.map_or(Order::File, |(o, _)| o),
        sections,
    };
    let json = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    let mut w = BufWriter::with_capacity(1 << 20, w);
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT_VERSION.to_le_bytes())?;
    w.write_all(&BYTE_ORDER_MARK.to_le_bytes())?;
    w.write_all(&(json.len() as u64).to_le_bytes())?;
    w.write_all(&json)?;
    pad(&mut w, PREAMBLE + json.len())?;
    write_u64s(&mut w, names.ends())?;
    w.write_all(names.text().as_bytes())?;
    pad(&mut w, names.text().len())?;
    for csr in [c.out, c.inn] {
        write_u64s(&mut w, csr.offsets())?;
        let mut buf = Vec::with_capacity(1 << 16);
        for chunk in csr.targets().chunks(1 << 14) {
            buf.clear();
            buf.extend(chunk.iter().flat_map(|t| t.to_le_bytes()));
            w.write_all(&buf)?;
        }
        pad(&mut w, csr.edge_count() * 4)?;
    }
    if let Some((_, perm)) = c.order {
        let bytes: Vec<u8> = perm.iter().flat_map(|v| v.to_le_bytes()).collect();
        w.write_all(&bytes)?;
        pad(&mut w, bytes.len())?;
    }
    w.flush()
}

fn write_u64s(w: &mut impl Write, values: impl IntoIterator<Item = usize>) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 17);
    for v in values {
        buf.extend((v as u64).to_le_bytes());
        if buf.len() == 1 << 17 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    w.write_all(&buf)
}

/// Zeros after `written` bytes up to the next multiple of 8.
fn pad(w: &mut impl Write, written: usize) -> std::io::Result<()> {
    w.write_all(&[0u8; 8][..written.next_multiple_of(8) - written])
}

/// Why a prepared file was not used.
#[derive(Debug, thiserror::Error)]
pub enum NotUsed {
    /// It is out of date (the follows file, its reading options or the accounts' ids
    /// changed): a re-run of `prepare` refreshes it.
    #[error("it is out of date: {0}")]
    Stale(String),
    /// It cannot be read as a prepared graph.
    #[error("it is not a usable prepared graph file: {0}")]
    Unreadable(String),
}

/// An opened prepared file whose header has been read; nothing else checked yet.
pub struct Prepared {
    pub path: PathBuf,
    pub header: Header,
    map: Arc<Mmap>,
    data_start: usize,
}

/// Map `path` and read its header (magic, version, byte order, JSON).
pub fn open(path: &Path) -> Result<Prepared, NotUsed> {
    let bad = |why: String| NotUsed::Unreadable(why);
    let f = File::open(path).map_err(|e| bad(format!("cannot open it ({e})")))?;
    // SAFETY: the map is read-only; the file is only ever replaced by a rename (the
    // atomic writer), which leaves this inode as it is. A truncation of the file by
    // another program while it is mapped is the one thing that is not guarded against
    // (as for every mapped file): see `graph::slab`.
    let map = unsafe { Mmap::map(&f) }.map_err(|e| bad(format!("cannot map it ({e})")))?;
    if map.len() < PREAMBLE || &map[..8] != MAGIC {
        return Err(bad(
            "it does not start as a rankaudit prepared graph (wrong magic bytes)".into(),
        ));
    }
    let word = |at: usize| u32::from_le_bytes(map[at..at + 4].try_into().expect("4 bytes"));
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(NotUsed::Stale(format!(
            "it has format version {version}; this rankaudit reads version {FORMAT_VERSION}"
        )));
    }
    if word(12) != BYTE_ORDER_MARK {
        return Err(bad("its byte-order mark is wrong".into()));
    }
    if cfg!(target_endian = "big") {
        return Err(bad(
            "this host is big-endian; prepared graph files are little-endian".into(),
        ));
    }
    let len = u64::from_le_bytes(map[16..24].try_into().expect("8 bytes"));
    let end = usize::try_from(len)
        .ok()
        .and_then(|l| l.checked_add(PREAMBLE))
        .filter(|&e| e <= map.len())
        .ok_or_else(|| bad(format!("the file is truncated ({} bytes)", map.len())))?;
    let header: Header = serde_json::from_slice(&map[PREAMBLE..end])
        .map_err(|e| bad(format!("its header does not parse ({e})")))?;
    Ok(Prepared {
        path: path.to_path_buf(),
        header,
        map: Arc::new(map),
        data_start: end.next_multiple_of(8),
    })
}

/// The graph of a prepared file, checked.
pub struct Loaded {
    pub ids: Ids,
    pub out: Csr,
    pub inn: Csr,
    /// In a file prepared in another order than first seen: the position (as first
    /// seen) of each index's account; the accounts table's take the first
    /// `ids_before` indices among themselves.
    pub first_seen: Option<Vec<u32>>,
}

impl Prepared {
    /// Whether the file is current for the follows table `src` read under `policy`
    /// after the ids `before` (the accounts table's): the key of the module docs.
    pub fn check_key(
        &self,
        src: &TableSource,
        policy: &Policy,
        before: &Ids,
        order: Order,
    ) -> Result<(), NotUsed> {
        let h = &self.header;
        let stale = |why: String| Err(NotUsed::Stale(why));
        if h.order != order {
            return stale(format!(
                "it was prepared for `order = \"{}\"`, and the data now asks for `order = \"{}\"`",
                h.order.name(),
                order.name()
            ));
        }
        let now = Stamp::of(&src.path).map_err(|e| {
            NotUsed::Stale(format!(
                "{}: cannot read its metadata ({e})",
                src.path.display()
            ))
        })?;
        if now.bytes != h.stamp.bytes {
            return stale(format!(
                "{} has {} bytes, {} when prepared",
                src.path.display(),
                now.bytes,
                h.stamp.bytes
            ));
        }
        if now.mtime_ns != h.stamp.mtime_ns {
            return stale(format!(
                "{} was modified after it was prepared",
                src.path.display()
            ));
        }
        let shape = shape(src, policy).map_err(|e| NotUsed::Stale(format!("{e:#}")))?;
        if shape != h.shape {
            let changed: Vec<String> = match (shape.as_object(), h.shape.as_object()) {
                (Some(a), Some(b)) => a
                    .keys()
                    .chain(b.keys())
                    .filter(|k| a.get(*k) != b.get(*k))
                    .cloned()
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                _ => vec!["the reading options".into()],
            };
            return stale(format!(
                "the follows table is read differently now ({} changed)",
                changed.join(", ")
            ));
        }
        if before.len() as u64 != h.ids_before {
            return stale(format!(
                "the accounts table lists {} accounts now, {} when prepared",
                before.len(),
                h.ids_before
            ));
        }
        let ends = self.u64s("id_ends")?;
        let n = before.len();
        let text_end = if n == 0 {
            0
        } else {
            ends.get(n - 1).map_or(usize::MAX, |&e| e as usize)
        };
        let text = self.bytes("id_text")?;
        let same = match h.order {
            Order::File => {
                text_end == before.names().text().len()
                    && text.get(..text_end) == Some(before.names().text().as_bytes())
                    && ends[..n]
                        .iter()
                        .zip(before.names().ends())
                        .all(|(&a, b)| a as usize == b)
            }
            // Index k holds the account first seen first_seen[k]-th: for the accounts
            // table's, its id there. (The file's ids are distinct, so this also says
            // the first n indices are the accounts table's accounts, each once.)
            _ => {
                let first_seen: Slab<u32> = self.slab("order")?;
                let id_at = |k: usize| {
                    let start = if k == 0 {
                        0
                    } else {
                        *ends.get(k - 1)? as usize
                    };
                    text.get(start..*ends.get(k)? as usize)
                };
                first_seen.len() >= n
                    && (0..n).all(|k| {
                        let v = first_seen[k] as usize;
                        v < n && id_at(k) == Some(before.name(v as u32).as_bytes())
                    })
            }
        };
        if !same {
            return stale(
                "the accounts table lists other account ids (or in another order) than when prepared"
                    .into(),
            );
        }
        Ok(())
    }

    /// The ids and both adjacencies, checked (lengths, offsets, targets, ids); the CSRs
    /// stay in the map.
    pub fn load(&self) -> Result<Loaded, NotUsed> {
        let h = &self.header;
        let bad = |what: &str, why: String| NotUsed::Unreadable(format!("{what}: {why}"));
        let n = usize::try_from(h.nodes).map_err(|_| bad("nodes", "too many".into()))?;
        let m = usize::try_from(h.edges).map_err(|_| bad("edges", "too many".into()))?;
        let text = std::str::from_utf8(self.bytes("id_text")?)
            .map_err(|e| bad("the ids", e.to_string()))?
            .to_string();
        let ends: Vec<usize> = self.u64s("id_ends")?.iter().map(|&e| e as usize).collect();
        if ends.len() != n {
            return Err(bad("the ids", format!("{} ids for {n} nodes", ends.len())));
        }
        let ids = Ids::from_parts(text, ends).map_err(|e| bad("the ids", e))?;
        let csr = |dir: &str| -> Result<Csr, NotUsed> {
            let offsets = self.offsets(&format!("{dir}_offsets"))?;
            let targets: Slab<u32> = self.slab(&format!("{dir}_targets"))?;
            if offsets.len() != n + 1 || targets.len() != m {
                return Err(bad(
                    &format!("the {dir}-adjacency"),
                    format!(
                        "{} offsets and {} edges, for {n} nodes and {m} edges",
                        offsets.len(),
                        targets.len()
                    ),
                ));
            }
            Csr::from_slabs(offsets, targets).map_err(|e| bad(&format!("the {dir}-adjacency"), e))
        };
        let first_seen = match h.order {
            Order::File => None,
            _ => {
                let v: Vec<u32> = self.slab::<u32>("order")?.to_vec();
                let before = usize::try_from(h.ids_before).unwrap_or(usize::MAX);
                let mut seen = vec![false; n];
                let permutation = v.len() == n
                    && v.iter().enumerate().all(|(k, &p)| {
                        let p = p as usize;
                        p < n
                            && !std::mem::replace(&mut seen[p], true)
                            && (k < before) == (p < before)
                    });
                if !permutation {
                    return Err(bad(
                        "the order",
                        "not a permutation of the accounts that keeps the accounts table's first"
                            .into(),
                    ));
                }
                Some(v)
            }
        };
        Ok(Loaded {
            ids,
            out: csr("out")?,
            inn: csr("in")?,
            first_seen,
        })
    }

    fn section(&self, name: &str) -> Result<(usize, usize), NotUsed> {
        let s =
            self.header.sections.get(name).ok_or_else(|| {
                NotUsed::Unreadable(format!("its header lists no section {name:?}"))
            })?;
        let offset = usize::try_from(s.offset)
            .ok()
            .and_then(|o| o.checked_add(self.data_start))
            .ok_or_else(|| NotUsed::Unreadable(format!("section {name:?} lies beyond the file")))?;
        let len = usize::try_from(s.len)
            .map_err(|_| NotUsed::Unreadable(format!("section {name:?} is too long")))?;
        Ok((offset, len))
    }

    fn slab<T: crate::graph::slab::Pod>(&self, name: &str) -> Result<Slab<T>, NotUsed> {
        let (offset, len) = self.section(name)?;
        Slab::mapped(Arc::clone(&self.map), offset, len).map_err(|e| {
            NotUsed::Unreadable(format!(
                "section {name:?}: {e} (the file is truncated or corrupt)"
            ))
        })
    }

    fn bytes(&self, name: &str) -> Result<&[u8], NotUsed> {
        let (offset, len) = self.section(name)?;
        self.map
            .get(offset..offset.saturating_add(len))
            .ok_or_else(|| {
                NotUsed::Unreadable(format!(
                    "section {name:?} runs past the end of the file (truncated)"
                ))
            })
    }

    fn u64s(&self, name: &str) -> Result<Slab<u64>, NotUsed> {
        self.slab(name)
    }

    /// Offsets as `usize`: mapped in place on a 64-bit host, converted elsewhere.
    fn offsets(&self, name: &str) -> Result<Slab<usize>, NotUsed> {
        #[cfg(target_pointer_width = "64")]
        {
            self.slab(name)
        }
        #[cfg(not(target_pointer_width = "64"))]
        {
            let wide = self.u64s(name)?;
            wide.iter()
                .map(|&v| usize::try_from(v))
                .collect::<Result<Vec<usize>, _>>()
                .map(Slab::from)
                .map_err(|_| {
                    NotUsed::Unreadable(format!(
                        "section {name:?}: an offset beyond this host's address space"
                    ))
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_427), (2025, 12, 5));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    fn sample() -> (Ids, Csr, Csr) {
        let mut ids = Ids::new();
        for n in ["alice", "bob", "carol", "dave"] {
            ids.intern(n);
        }
        let out = Csr::from_pairs_owned(4, vec![(0, 1), (0, 2), (2, 1), (1, 0), (0, 1)]);
        let inn = out.transpose();
        (ids, out, inn)
    }

    fn write_sample(path: &Path, follows: &Path) {
        let (ids, out, inn) = sample();
        write_graph(path, follows, (&ids, &out, &inn), None);
    }

    /// A prepared file of these ids and adjacencies (two ids before the follows) for
    /// the empty follows file `follows`, in `order`.
    fn write_graph(
        path: &Path,
        follows: &Path,
        (ids, out, inn): (&Ids, &Csr, &Csr),
        order: Option<(Order, &[u32])>,
    ) {
        let src = TableSource::new(follows);
        let report = TableReport::new("follows", follows);
        let c = Contents {
            follows,
            stamp: Stamp::of(follows).unwrap(),
            sha256: "00".into(),
            shape: shape(&src, &Policy::default()).unwrap(),
            ids,
            ids_before: 2,
            out,
            inn,
            report: &report,
            order,
        };
        write(&mut File::create(path).unwrap(), &c).unwrap();
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rankaudit-prepared-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    #[test]
    fn the_file_round_trips_and_maps_in_place() {
        let follows = temp("rt.csv");
        std::fs::write(&follows, "follower,followee\n").unwrap();
        let path = temp("rt.rkgraph");
        write_sample(&path, &follows);
        let p = open(&path).unwrap();
        let (ids, out, inn) = sample();
        let mut before = Ids::new();
        before.intern("alice");
        before.intern("bob");
        p.check_key(
            &TableSource::new(&follows),
            &Policy::default(),
            &before,
            Order::File,
        )
        .unwrap();
        let l = p.load().unwrap();
        assert_eq!(l.ids.names(), ids.names());
        assert_eq!(l.out, out);
        assert_eq!(l.inn, inn);
        assert!(l.out.is_mapped() && l.inn.is_mapped());
        // Accounts added after the follows (from interactions) pad the mapped CSRs: the
        // offsets are copied, the targets stay in the map.
        let padded = l.out.clone().with_node_count(6);
        assert_eq!(padded, out.clone().with_node_count(6));
        assert!(padded.is_mapped(), "the targets are still mapped");
        // Another accounts prefix, another policy, another size: stale.
        let mut other = Ids::new();
        other.intern("bob");
        other.intern("alice");
        assert!(matches!(
            p.check_key(
                &TableSource::new(&follows),
                &Policy::default(),
                &other,
                Order::File
            ),
            Err(NotUsed::Stale(_))
        ));
        let keep = Policy {
            self_loops: crate::dataset::clean::KeepOrDrop::Keep,
            ..Policy::default()
        };
        let e = p
            .check_key(&TableSource::new(&follows), &keep, &before, Order::File)
            .unwrap_err();
        assert!(e.to_string().contains("policy changed"), "{e}");
        std::fs::write(&follows, "follower,followee\na,b\n").unwrap();
        let e = p
            .check_key(
                &TableSource::new(&follows),
                &Policy::default(),
                &before,
                Order::File,
            )
            .unwrap_err();
        assert!(e.to_string().contains("bytes"), "{e}");
    }

    /// A file prepared most-followed first stores the renumbered ids and adjacencies
    /// and where each account was first seen; its key checks the accounts table (in
    /// file order) through that, and the study's order.
    #[test]
    fn a_file_in_another_order_keeps_where_each_account_was_first_seen() {
        let follows = temp("ord.csv");
        std::fs::write(&follows, "follower,followee\n").unwrap();
        let path = temp("ord.rkgraph");
        // First seen: alice, bob (the accounts table), carol, dave; renumbered: bob,
        // alice, dave, carol.
        let (ids, out, _) = sample();
        let first_seen = [1u32, 0, 3, 2];
        let mut new_of = [0u32; 4];
        for (k, &v) in first_seen.iter().enumerate() {
            new_of[v as usize] = k as u32;
        }
        let ids = ids.reordered(&first_seen);
        let out = out.renumbered(&first_seen, &new_of);
        let inn = out.transpose();
        let graph = (&ids, &out, &inn);
        write_graph(&path, &follows, graph, Some((Order::InDegree, &first_seen)));
        let src = TableSource::new(&follows);
        let p = open(&path).unwrap();
        assert_eq!(p.header.order, Order::InDegree);
        let mut before = Ids::new();
        before.intern("alice");
        before.intern("bob");
        let key = |before: &Ids, order| p.check_key(&src, &Policy::default(), before, order);
        key(&before, Order::InDegree).unwrap();
        let e = key(&before, Order::File).unwrap_err().to_string();
        assert!(e.contains("prepared for `order = \"in-degree\"`"), "{e}");
        // The same accounts listed in another order: stale, as for a file in file order.
        let mut swapped = Ids::new();
        swapped.intern("bob");
        swapped.intern("alice");
        assert!(matches!(
            key(&swapped, Order::InDegree),
            Err(NotUsed::Stale(_))
        ));
        let l = p.load().unwrap();
        assert_eq!(l.first_seen.as_deref(), Some(&first_seen[..]));
        assert_eq!(l.ids.names(), ids.names());
        assert!(l.out == out && l.inn == inn);
        // An order that is not a permutation keeping the accounts table's first is
        // refused as unreadable, not used.
        for bad in [[1u32, 0, 3, 3], [2, 0, 3, 1], [1, 0, 3, 9]] {
            let path = temp("ord-bad.rkgraph");
            write_graph(&path, &follows, graph, Some((Order::InDegree, &bad)));
            let e = open(&path).unwrap().load().err().unwrap().to_string();
            assert!(e.contains("not a permutation"), "{bad:?}: {e}");
        }
    }

    /// Every truncation and a spread of byte flips give an error or a valid graph,
    /// never a panic.
    #[test]
    fn damaged_files_are_refused_not_panics() {
        let follows = temp("dmg.csv");
        std::fs::write(&follows, "follower,followee\n").unwrap();
        let path = temp("dmg.rkgraph");
        write_sample(&path, &follows);
        let whole = std::fs::read(&path).unwrap();
        let damaged = temp("dmg-x.rkgraph");
        let try_load = |bytes: &[u8]| -> Result<Loaded, NotUsed> {
            std::fs::write(&damaged, bytes).unwrap();
            open(&damaged)?.load()
        };
        for cut in 0..whole.len() {
            assert!(try_load(&whole[..cut]).is_err(), "cut at {cut}");
        }
        let mut refused = 0;
        for at in 0..whole.len() {
            let mut b = whole.clone();
            b[at] ^= 0x5A;
            refused += usize::from(try_load(&b).is_err());
        }
        assert!(
            refused > whole.len() / 2,
            "{refused} of {} refused",
            whole.len()
        );
        // A decreasing offset is named.
        let p = open(&path).unwrap();
        let (at, _) = p.section("out_offsets").unwrap();
        let mut b = whole.clone();
        b[at + 8..at + 16].copy_from_slice(&99u64.to_le_bytes());
        let e = try_load(&b).err().unwrap().to_string();
        assert!(e.contains("out-adjacency"), "{e}");
    }
}
