//! Sharded sensitivity: which universes one shard of a run computes ([`Slice`]), what
//! it hands back ([`Part`]: one per run of many universes), and where the sensitivity
//! stage takes its rankings from ([`Source`]: compute all, compute a slice, or take
//! them from the shards). The file format lives in [`crate::output::shard`].
//!
//! A slice is round-robin by universe index: shard i of N computes the universes
//! u with u mod N = i - 1, in every run of many universes. Round-robin, not contiguous
//! blocks, because the cost of a universe often follows its index (a threshold sweep,
//! a multiverse grid in factor order, a Sobol design's blocks): interleaving gives every
//! shard its share of the slow ones. Universe u is made from its own RNG (derived
//! from (study seed, family, u) by [`super::replicate_rng`]) and from nothing another
//! universe did, so a shard computes exactly what a one-process run computes for u.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use crate::rankings::Ranking;

/// Shard `index` (1-based) of `count`: `--shard i/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub index: u64,
    pub count: u64,
}

/// Shards a run may be cut into at most (well beyond any scheduler's array size).
pub const MAX_SHARDS: u64 = 1 << 20;

impl Slice {
    /// `i/N`, 1 <= i <= N; errors name the flag.
    pub fn parse(s: &str) -> Result<Slice> {
        let how = "write it as i/N with 1 <= i <= N, e.g. --shard 1/4 for the first of four shards";
        let Some((i, n)) = s.split_once('/') else {
            bail!("--shard {s:?}: not i/N; {how}");
        };
        let (Ok(index), Ok(count)) = (i.trim().parse::<u64>(), n.trim().parse::<u64>()) else {
            bail!("--shard {s:?}: i and N must be whole numbers; {how}");
        };
        if count == 0 {
            bail!("--shard {s:?}: N must be at least 1; {how}");
        }
        if count > MAX_SHARDS {
            bail!("--shard {s:?}: N must be at most {MAX_SHARDS}");
        }
        if index == 0 || index > count {
            bail!(
                "--shard {s:?}: i must be between 1 and N = {count} (shards count from 1); {how}"
            );
        }
        Ok(Slice { index, count })
    }

    /// Whether this shard computes universe `u`.
    pub fn owns(&self, u: u64) -> bool {
        u % self.count == self.index - 1
    }

    /// How many of `len` universes this shard computes.
    pub fn len_of(&self, len: u64) -> u64 {
        let first = self.index - 1;
        if len <= first {
            0
        } else {
            (len - first).div_ceil(self.count)
        }
    }

    /// Universe number `j` of this shard's slice.
    pub fn universe(&self, j: u64) -> u64 {
        self.index - 1 + j * self.count
    }
}

/// One run of many universes (a family, the multiverse, the Sobol design), as a shard
/// computed it: its name, how many universes the whole run has, and the rankings of the
/// ones this shard computed, by universe index, in increasing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub total: u64,
    pub computed: Vec<(u64, Ranking)>,
}

/// Where the sensitivity stage takes each universe's ranking from.
pub enum Source {
    /// Compute every universe (a one-process run).
    All,
    /// Compute only this shard's universes; the stage keeps them as [`Part`]s and
    /// summarises nothing.
    Slice(Slice),
    /// Take every ranking from merged shards: run name -> rankings in universe order.
    Taken(BTreeMap<String, Vec<Ranking>>),
}

/// The rankings of every run, in universe order, from the parts of all N shards
/// (already checked to be one run's shards 1..=N, each once). `file(k)` names the file
/// of part list k, for errors. Every universe must be covered exactly once.
pub fn assemble(
    shards: Vec<Vec<Part>>,
    file: &dyn Fn(usize) -> String,
) -> Result<BTreeMap<String, Vec<Ranking>>> {
    /// One run's rankings as the shards deliver them.
    struct Gathered {
        total: u64,
        slots: Vec<Option<Ranking>>,
        /// The part list the run was first seen in.
        first: usize,
    }
    let mut runs: BTreeMap<String, Gathered> = BTreeMap::new();
    for (k, parts) in shards.into_iter().enumerate() {
        for p in parts {
            let entry = runs.entry(p.name.clone()).or_insert_with(|| Gathered {
                total: p.total,
                slots: Vec::new(),
                first: k,
            });
            if entry.total != p.total {
                bail!(
                    "{}: {} has {} universes there, {} in {}: the shards are not of one run; re-run them all",
                    file(k),
                    p.name,
                    p.total,
                    entry.total,
                    file(entry.first)
                );
            }
            for (u, r) in p.computed {
                if u >= p.total {
                    bail!(
                        "{}: {} universe {u} is past its {} universes: the file is corrupt; re-run that shard",
                        file(k),
                        p.name,
                        p.total
                    );
                }
                // Grown as universes arrive, never from a count the file claims.
                let slots = &mut entry.slots;
                if slots.len() <= u as usize {
                    slots.resize(u as usize + 1, None);
                }
                if slots[u as usize].replace(r).is_some() {
                    bail!(
                        "{}: {} universe {u} is also in another shard: the shards overlap; re-run them with one N",
                        file(k),
                        p.name
                    );
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, Gathered { total, slots, .. }) in runs {
        // Never resized to a count the file claims: a gap or a short tail is missing.
        let missing = slots
            .iter()
            .position(Option::is_none)
            .or_else(|| ((slots.len() as u64) < total).then_some(slots.len()));
        if let Some(u) = missing {
            bail!(
                "{name}: universe {u} of {total} is in no shard: the shards do not cover the run; re-run them with one N"
            );
        }
        out.insert(name, slots.into_iter().flatten().collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_flags_are_checked_with_the_flag_named() {
        assert_eq!(Slice::parse("2/4").unwrap(), Slice { index: 2, count: 4 });
        assert_eq!(Slice::parse("1/1").unwrap(), Slice { index: 1, count: 1 });
        for bad in ["0/4", "5/4", "a/b", "1/0", "3", "", "-1/4", "1/4/2"] {
            let e = Slice::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("--shard"), "{bad}: {e}");
        }
    }

    /// Round-robin: every universe in exactly one shard, slices of the sizes counted,
    /// empty where N exceeds the universes.
    #[test]
    fn slices_partition_the_universes() {
        for len in [0u64, 1, 4, 7, 25] {
            for n in 1..=6u64 {
                let mut seen = vec![0; len as usize];
                for i in 1..=n {
                    let s = Slice { index: i, count: n };
                    let k = s.len_of(len);
                    for j in 0..k {
                        let u = s.universe(j);
                        assert!(u < len && s.owns(u));
                        seen[u as usize] += 1;
                    }
                    assert_eq!(k, (0..len).filter(|&u| s.owns(u)).count() as u64);
                }
                assert!(seen.iter().all(|&c| c == 1), "len {len} n {n}");
            }
        }
    }

    fn r(x: u32) -> Ranking {
        let mut r = Ranking::default();
        r.push(x, x as f64, false);
        r
    }

    #[test]
    fn assembly_needs_every_universe_once() {
        let part = |c: Vec<u64>| Part {
            name: "f".into(),
            total: 3,
            computed: c.into_iter().map(|u| (u, r(u as u32))).collect(),
        };
        let f = |k: usize| format!("file{k}");
        let ok = assemble(vec![vec![part(vec![0, 2])], vec![part(vec![1])]], &f).unwrap();
        assert_eq!(ok["f"], vec![r(0), r(1), r(2)]);
        let e = assemble(vec![vec![part(vec![0, 2])], vec![part(vec![])]], &f).unwrap_err();
        assert!(
            e.to_string().contains("universe 1 of 3 is in no shard"),
            "{e}"
        );
        let e = assemble(vec![vec![part(vec![0, 1])], vec![part(vec![1, 2])]], &f).unwrap_err();
        assert!(e.to_string().contains("file1: f universe 1 is also"), "{e}");
        let e = assemble(vec![vec![part(vec![5])]], &f).unwrap_err();
        assert!(e.to_string().contains("past its 3"), "{e}");
    }
}
