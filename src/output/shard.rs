//! Shard files: what `rankaudit audit --shard i/N` writes and `rankaudit merge` reads.
//!
//! A compact binary, little-endian, lossless (scores as their f64 bits), with a
//! checksum at the end so a truncated or damaged file is refused, not half read:
//!
//! ```text
//! magic "RKSHARD\0" · format u32 · version (str) · key [32] · index u64 · count u64
//! parts u32 · per part: name (str) · total u64 · computed u64 ·
//!   per universe: index u64 · entries u64 · per entry: account u32, score f64 bits,
//!   rank u32 · qualified u8 (0 none, 1 then len u64 + one u8 per account) ·
//!   diagnostics u32 · per diagnostic: name (str), value u64
//! sha256 of everything before [32]
//! ```
//!
//! (str = length u32 + UTF-8.) The key identifies the run: SHA-256 of the study seed
//! and of every input's own SHA-256 (data files, seed lists, the study file), in the
//! manifest's order; paths are left out, so shards computed on other machines, where
//! the same files sit elsewhere, still merge.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use super::{sha256_file, write_atomic};
use crate::rankings::{Entry, Ranking};
use crate::sensitivity::shard::{Part, Slice};

const MAGIC: &[u8; 8] = b"RKSHARD\0";
const FORMAT: u32 = 1;
/// File extension of a shard file.
pub const EXT: &str = "rkshard";

/// One shard file's contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Shard {
    /// The rankaudit version that wrote it.
    pub version: String,
    pub key: [u8; 32],
    pub slice: Slice,
    pub parts: Vec<Part>,
}

/// The key of a run: its seed and its inputs' hashes (see the module docs).
pub fn run_key(inputs: &[PathBuf], seed: u64) -> Result<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"rankaudit shard key 1\0");
    h.update(seed.to_le_bytes());
    for p in inputs {
        h.update(sha256_file(p)?.as_bytes());
        h.update(b"\0");
    }
    Ok(h.finalize().into())
}

/// `shard-i-of-N.rkshard`.
pub fn file_name(slice: Slice) -> String {
    format!("shard-{}-of-{}.{EXT}", slice.index, slice.count)
}

/// The bytes of a shard file.
pub fn encode(s: &Shard) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&FORMAT.to_le_bytes());
    put_str(&mut b, &s.version);
    b.extend_from_slice(&s.key);
    b.extend_from_slice(&s.slice.index.to_le_bytes());
    b.extend_from_slice(&s.slice.count.to_le_bytes());
    b.extend_from_slice(&(s.parts.len() as u32).to_le_bytes());
    for p in &s.parts {
        put_str(&mut b, &p.name);
        b.extend_from_slice(&p.total.to_le_bytes());
        b.extend_from_slice(&(p.computed.len() as u64).to_le_bytes());
        for (u, r) in &p.computed {
            b.extend_from_slice(&u.to_le_bytes());
            b.extend_from_slice(&(r.len() as u64).to_le_bytes());
            for e in r.entries() {
                b.extend_from_slice(&e.account.to_le_bytes());
                b.extend_from_slice(&e.score.to_bits().to_le_bytes());
                b.extend_from_slice(&e.rank.to_le_bytes());
            }
            match &r.qualified {
                None => b.push(0),
                Some(q) => {
                    b.push(1);
                    b.extend_from_slice(&(q.len() as u64).to_le_bytes());
                    b.extend(q.iter().map(|&x| x as u8));
                }
            }
            b.extend_from_slice(&(r.diagnostics.len() as u32).to_le_bytes());
            for (k, v) in &r.diagnostics {
                put_str(&mut b, k);
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    let sum: [u8; 32] = Sha256::digest(&b).into();
    b.extend_from_slice(&sum);
    b
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

/// Write `dir/shard-i-of-N.rkshard` atomically; returns its path.
pub fn write(dir: &Path, s: &Shard) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(file_name(s.slice));
    write_atomic(&path, &encode(s))?;
    Ok(path)
}

/// Why a file is not a shard this build can read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BadShard {
    #[error("not a rankaudit shard file (it does not start with the shard magic)")]
    NotAShard,
    #[error("shard file format {0}, this rankaudit reads format {FORMAT}")]
    Format(u32),
    #[error(
        "truncated or damaged (its checksum does not match its contents): the run that wrote it did not finish, or the copy is incomplete"
    )]
    Damaged,
    #[error("malformed at byte {0}")]
    Malformed(usize),
}

/// Read a shard file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Shard, BadShard> {
    if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(BadShard::NotAShard);
    }
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if format != FORMAT {
        return Err(BadShard::Format(format));
    }
    if bytes.len() < 12 + 32 {
        return Err(BadShard::Damaged);
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(BadShard::Damaged);
    }
    let mut r = Reader { b: body, at: 12 };
    let version = r.str()?;
    let key: [u8; 32] = r.take(32)?.try_into().expect("32 bytes");
    let index = r.u64()?;
    let count = r.u64()?;
    if count == 0 || index == 0 || index > count {
        return Err(BadShard::Malformed(r.at));
    }
    let n_parts = r.u32()?;
    let mut parts = Vec::new();
    for _ in 0..n_parts {
        let name = r.str()?;
        let total = r.u64()?;
        let n = r.u64()?;
        let mut computed = Vec::with_capacity(r.cap(n, 17));
        for _ in 0..n {
            let u = r.u64()?;
            let n_entries = r.u64()?;
            let mut entries = Vec::with_capacity(r.cap(n_entries, 16));
            for _ in 0..n_entries {
                entries.push(Entry {
                    account: r.u32()?,
                    score: f64::from_bits(r.u64()?),
                    rank: r.u32()?,
                });
            }
            let qualified = match r.take(1)?[0] {
                0 => None,
                1 => {
                    let len = r.u64()?;
                    let len = usize::try_from(len).map_err(|_| BadShard::Malformed(r.at))?;
                    Some(r.take(len)?.iter().map(|&x| x != 0).collect())
                }
                _ => return Err(BadShard::Malformed(r.at)),
            };
            let mut diagnostics = std::collections::BTreeMap::new();
            for _ in 0..r.u32()? {
                let k = r.str()?;
                diagnostics.insert(k, r.u64()?);
            }
            let mut ranking =
                Ranking::from_entries(entries).map_err(|_| BadShard::Malformed(r.at))?;
            ranking.qualified = qualified;
            ranking.diagnostics = diagnostics;
            computed.push((u, ranking));
        }
        parts.push(Part {
            name,
            total,
            computed,
        });
    }
    if r.at != body.len() {
        return Err(BadShard::Malformed(r.at));
    }
    Ok(Shard {
        version,
        key,
        slice: Slice { index, count },
        parts,
    })
}

/// Bounds-checked little-endian reads.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BadShard> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(BadShard::Malformed(self.at))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, BadShard> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn u64(&mut self) -> Result<u64, BadShard> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    fn str(&mut self) -> Result<String, BadShard> {
        let n = self.u32()? as usize;
        let at = self.at;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| BadShard::Malformed(at))
    }
    /// A capacity for `n` items of at least `size` bytes each: never more than the
    /// bytes left could hold, whatever count the file claims.
    fn cap(&self, n: u64, size: usize) -> usize {
        let left = (self.b.len() - self.at) / size;
        (n.min(left as u64)) as usize
    }
}

/// The shard files named on the command line: files as given, folders as every
/// `shard-*-of-*.rkshard` in them (sorted).
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for a in args {
        if a.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(a)
                .with_context(|| format!("{}: cannot list the folder", a.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(&format!(".{EXT}")))
                })
                .collect();
            if found.is_empty() {
                bail!(
                    "{}: no shard files (shard-i-of-N.{EXT}) in this folder; run `rankaudit audit STUDY --shard i/N --out {}` for each i first",
                    a.display(),
                    a.display()
                );
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(a.clone());
        }
    }
    if files.is_empty() {
        bail!("no shard files given: pass the shard files or the folder that holds them");
    }
    Ok(files)
}

/// Read the shard files and check that they are shards 1..=N of one run, each once,
/// written by this rankaudit version. `study` is the study file as the user named it,
/// for the commands the messages suggest. Returns the shards in index order with their
/// files. Whether they are this study's shards is [`check_key`]'s to say, once the
/// inputs are known.
pub fn read_all(files: &[PathBuf], study: &Path) -> Result<Vec<(PathBuf, Shard)>> {
    let rerun = |s: Slice| {
        format!(
            "rankaudit audit {} --shard {}/{}",
            study.display(),
            s.index,
            s.count
        )
    };
    let mut shards: Vec<(PathBuf, Shard)> = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).with_context(|| format!("{}: cannot read", f.display()))?;
        let s = decode(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}: {e}; re-run the shard that wrote it (`rankaudit audit {} --shard i/N`)",
                f.display(),
                study.display()
            )
        })?;
        if s.version != env!("CARGO_PKG_VERSION") {
            bail!(
                "{}: written by rankaudit {}, this is {}: shards and merge must be one version; re-run it with `{}`",
                f.display(),
                s.version,
                env!("CARGO_PKG_VERSION"),
                rerun(s.slice)
            );
        }
        shards.push((f.clone(), s));
    }
    let n = shards[0].1.slice.count;
    if let Some((f, s)) = shards.iter().find(|(_, s)| s.slice.count != n) {
        bail!(
            "{} is shard {} of {}, but {} is of {n}: all shards of a run share N; re-run them with one N",
            f.display(),
            s.slice.index,
            s.slice.count,
            shards[0].0.display()
        );
    }
    shards.sort_by_key(|(_, s)| s.slice.index);
    for w in shards.windows(2) {
        if w[0].1.slice.index == w[1].1.slice.index {
            bail!(
                "{} and {} are both shard {} of {n}: pass each shard once",
                w[0].0.display(),
                w[1].0.display(),
                w[0].1.slice.index
            );
        }
    }
    let have: Vec<u64> = shards.iter().map(|(_, s)| s.slice.index).collect();
    let missing: Vec<u64> = (1..=n).filter(|i| have.binary_search(i).is_err()).collect();
    if let Some(&first) = missing.first() {
        let list: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
        bail!(
            "shard{} {} of {n} {} missing: run `{}`{}",
            if missing.len() > 1 { "s" } else { "" },
            list.join(", ") + if missing.len() > 10 { ", ..." } else { "" },
            if missing.len() > 1 { "are" } else { "is" },
            rerun(Slice {
                index: first,
                count: n
            }),
            if missing.len() > 1 {
                " (and likewise for the others)"
            } else {
                ""
            }
        );
    }
    Ok(shards)
}

/// Refuse shards computed from another study file, other inputs or another seed.
pub fn check_key(shards: &[(PathBuf, Shard)], key: &[u8; 32], study: &Path) -> Result<()> {
    for (f, s) in shards {
        if &s.key != key {
            bail!(
                "{}: shard {} of {} was computed from another study file, other input data or another seed than {} now has: re-run it with `rankaudit audit {} --shard {}/{}`",
                f.display(),
                s.slice.index,
                s.slice.count,
                study.display(),
                study.display(),
                s.slice.index,
                s.slice.count
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shard {
        let mut diagnostics = std::collections::BTreeMap::new();
        diagnostics.insert("iterations".to_string(), 17);
        Shard {
            version: env!("CARGO_PKG_VERSION").into(),
            key: [7; 32],
            slice: Slice { index: 2, count: 3 },
            parts: vec![
                Part {
                    name: "family 0 (edge-dropout)".into(),
                    total: 5,
                    computed: vec![
                        (1, {
                            let mut r = Ranking::from_entries([
                                Entry {
                                    account: 3,
                                    score: 0.1 + 0.2,
                                    rank: 1,
                                },
                                Entry {
                                    account: 0,
                                    score: f64::NEG_INFINITY,
                                    rank: 2,
                                },
                            ])
                            .unwrap();
                            r.qualified = Some(vec![true, false]);
                            r.diagnostics = diagnostics;
                            r
                        }),
                        (4, Ranking::default()),
                    ],
                },
                Part {
                    name: "multiverse".into(),
                    total: 1,
                    computed: vec![],
                },
            ],
        }
    }

    #[test]
    fn shards_round_trip_bit_for_bit() {
        let s = sample();
        let b = encode(&s);
        assert_eq!(decode(&b).unwrap(), s);
        let back = &decode(&b).unwrap().parts[0].computed[0].1.entry(0);
        assert_eq!(back.score.to_bits(), (0.1f64 + 0.2).to_bits());
    }

    /// Any truncation or flipped byte is refused with a reason, never a panic.
    #[test]
    fn damaged_shards_are_refused() {
        let b = encode(&sample());
        for len in 0..b.len() {
            assert!(decode(&b[..len]).is_err(), "truncated at {len}");
        }
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0x40;
            assert!(decode(&c).is_err(), "byte {i} flipped");
        }
        assert_eq!(
            decode(b"hello world, not a shard"),
            Err(BadShard::NotAShard)
        );
    }
}
