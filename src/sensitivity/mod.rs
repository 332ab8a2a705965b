//! Sensitivity: re-run one ranking under a perturbation family and summarise how ranks
//! move.
//!
//! A [`Perturbation`] describes its [`Universe`]s as a lazy [`Universes`] view: how many
//! there are, and universe i on demand. Each changes the method's parameters and/or
//! replaces a named seed list. No family's universes are ever allocated up front (a
//! study may ask for 10^12 replicates: [`check_budget`] refuses that before any work,
//! and nothing before it allocates per universe). Universe i is made inside the parallel
//! loop that runs it, from its own RNG (derived from (study seed, family, i)), and the
//! results are collected in order, so they are identical at any thread count.
//! Adding a family = one file (its [`Entry`], its settings, its [`Perturbation`]) + one
//! line in [`FAMILIES`] + its tests.

pub mod bootstrap;
pub mod combine;
#[cfg(test)]
mod contract;
pub mod data;
pub mod dropout;
pub mod multiverse;
pub mod seed_masks;
pub mod seeds;
pub mod shard;
pub mod snapshots;
pub mod sobol;
pub mod sobol_multiverse;
pub mod stage;
pub mod summary;
pub mod threshold;
pub mod window;

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rankings::{self, Input, MethodSpec, Ranking, TieOrder};

/// One variant of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Universe {
    /// Human-readable, e.g. "without @AOC", "k = 3", "resample 17".
    pub label: String,
    /// A numeric coordinate where the family has one (k for the threshold sweep).
    pub x: Option<f64>,
    /// Parameters replaced in the method spec.
    pub params: toml::Table,
    /// A seed list replaced: (name, accounts).
    pub seed_list: Option<(String, Vec<u32>)>,
    /// A change to the data (dropped edges, resampled events, a time window).
    pub data: Option<data::DataChange>,
}

/// What a family needs to know about the ranking it perturbs.
pub struct Base<'a> {
    pub spec: &'a MethodSpec,
    pub seed_lists: &'a BTreeMap<String, Vec<u32>>,
    pub events: Option<&'a crate::dataset::Interactions>,
}

impl<'a> Base<'a> {
    /// The seed list the ranking uses (its method's [`rankings::Method::seed_list`]).
    pub fn seed_list(&self) -> Result<(&'a str, &'a [u32])> {
        let method = rankings::build(&self.spec.method, &self.spec.params)?;
        let Some(name) = method.seed_list() else {
            bail!(
                "ranking {:?} ({}) has no seed list to perturb",
                self.spec.name,
                self.spec.method
            );
        };
        match self.seed_lists.get_key_value(name) {
            Some((name, l)) => Ok((name, l)),
            None => bail!("ranking {:?}: no seed list named {name:?}", self.spec.name),
        }
    }
}

/// The RNG of replicate i of one family (see [`replicate_rng`]).
pub type RngFor<'a> = &'a (dyn Fn(u64) -> ChaCha8Rng + Sync);

/// The universes of a family, made on demand: `len` of them, universe i by [`Self::get`].
/// Making a universe is cheap next to ranking it, and deterministic in i, so the
/// parallel loop makes each one where it runs it.
pub struct Universes<'a> {
    len: u64,
    make: Box<dyn Fn(u64) -> Universe + Send + Sync + 'a>,
}

impl<'a> Universes<'a> {
    /// `len` universes; `make(i)` is called only with i < len.
    pub fn new(len: u64, make: impl Fn(u64) -> Universe + Send + Sync + 'a) -> Self {
        Universes {
            len,
            make: Box::new(make),
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Universe i (0-based), or None past the end.
    pub fn get(&self, i: u64) -> Option<Universe> {
        (i < self.len).then(|| (self.make)(i))
    }
}

/// A perturbation family.
pub trait Perturbation: Send + Sync {
    /// Family name used in tables, e.g. `seed-leave-one-out`.
    fn family(&self) -> &'static str;
    /// The universes of this family, as a lazy view: the family's settings are checked
    /// against the data here (errors name the family), and anything every universe
    /// shares is computed once; no universe is made. `rng_for(i)` gives replicate i its
    /// own RNG.
    fn universes<'a>(&'a self, base: &Base<'a>, rng_for: RngFor<'a>) -> Result<Universes<'a>>;
    /// How to have fewer universes, for the memory budget's message; `{fits}` stands
    /// for the largest count that fits.
    fn fewer(&self) -> &'static str {
        "set `replicates` (the family's, or [study] replicates) to {fits} or less"
    }
    /// The seed list the family draws new lists from, if any: the study checks that it
    /// is declared and at least as large as the list it redraws.
    fn seed_pool(&self) -> Option<&str> {
        None
    }
}

/// A family as declared in a study file: its name, the two keys every family takes, and
/// its own settings, which only the family reads (see [`Entry::build`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilySpec {
    pub family: String,
    /// Replicates for random families.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicates: Option<usize>,
    /// The ranking to perturb, if not `[sensitivity] ranking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<String>,
    /// Every other key of the family's table (`rate`, `pool`, ...).
    #[serde(flatten)]
    pub settings: toml::Table,
}

/// A registered family. Each family's file declares its entries; [`FAMILIES`] lists them.
pub struct Entry {
    /// The name a study's `family = "..."` selects it by.
    pub name: &'static str,
    /// What it varies, for `rankaudit methods`.
    pub about: &'static str,
    /// The family from its own settings (the declared keys other than `family`,
    /// `replicates` and `ranking`, read with [`settings`], ranges checked) and the
    /// replicate count (the family's own, or `[study] replicates`). An unknown key, a
    /// bad value or a missing one is an error here, before any data is read.
    pub build: fn(&toml::Table, u64) -> Result<Box<dyn Perturbation>>,
    /// Its universes in words, for titles and the report ("the 14 lists that drop one
    /// seed").
    pub describe: fn(&[Universe]) -> String,
}

/// Every perturbation family, one entry each; nothing else in the crate lists them.
pub const FAMILIES: &[Entry] = &[
    seeds::LEAVE_ONE_OUT,
    seeds::RESAMPLE,
    threshold::ENTRY,
    combine::ENTRY,
    dropout::ENTRY,
    bootstrap::BOOTSTRAP,
    bootstrap::M_OUT_OF_N,
    window::ENTRY,
    snapshots::ENTRY,
];

/// A family's own settings, read into its `P` (a struct with `deny_unknown_fields`, so
/// a key the family does not take is an error that lists the ones it does).
pub fn settings<P: serde::de::DeserializeOwned>(t: &toml::Table) -> Result<P> {
    Ok(P::deserialize(toml::Value::Table(t.clone()))?)
}

/// The settings of a family that takes none.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoSettings {}

/// Build a family from its spec, through its [`FAMILIES`] entry.
pub fn build(spec: &FamilySpec, default_replicates: usize) -> Result<Box<dyn Perturbation>> {
    // usize -> u64 never loses a value on the 64-bit targets rankaudit builds for.
    let replicates = spec.replicates.unwrap_or(default_replicates) as u64;
    match FAMILIES.iter().find(|e| e.name == spec.family) {
        Some(e) => (e.build)(&spec.settings, replicates),
        None => bail!(
            "unknown perturbation family {:?}; known: {}",
            spec.family,
            FAMILIES
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The universes of a family in words, for titles and the report ("the 14 lists that
/// drop one seed").
pub fn describe(family: &str, universes: &[Universe]) -> String {
    let n = universes.len();
    match FAMILIES.iter().find(|e| e.name == family) {
        Some(e) => (e.describe)(universes),
        None if family == multiverse::FAMILY => format!("the {n} universes of the multiverse"),
        None => format!("{n} {family} variants"),
    }
}

/// The RNG of replicate `i` of family number `family_index`: ChaCha8 seeded from the
/// study seed, on a stream that encodes (family, replicate). Streams never overlap.
pub fn replicate_rng(seed: u64, family_index: u32, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((family_index as u64) << 40) | i);
    rng
}

/// Run one universe: the base spec with the universe's changes, ranked.
pub fn run_universe(
    u: &Universe,
    spec: &MethodSpec,
    input: &Input,
    tie: &TieOrder,
) -> Result<Ranking> {
    // A published rule changed by the universe runs as the method it stands for.
    let method = if u.params.is_empty() {
        rankings::build(&spec.method, &spec.params)?
    } else {
        let (name, params) =
            rankings::catalogue::underlying(&spec.method, &spec.params, &u.params)?;
        rankings::build(&name, &params)?
    };
    let applied = u.data.as_ref().map(|d| data::apply(d, input)).transpose()?;
    let perturbed;
    let input = match &applied {
        Some(a) => {
            perturbed = a.input(input);
            &perturbed
        }
        None => input,
    };
    let lists;
    let input = match &u.seed_list {
        None => Input { ..*input },
        Some((name, list)) => {
            let mut l = input.seed_lists.clone();
            l.insert(name.clone(), list.clone());
            lists = l;
            Input {
                seed_lists: &lists,
                ..*input
            }
        }
    };
    Ok(rankings::rank_with(method.score(&input)?, tie))
}

/// All universes of a family, each made and run inside the parallel loop, results in
/// universe order. `tick` is called once per finished universe (for progress bars).
/// Seed-list universes of the follow-seeds rule run from precomputed bitsets
/// ([`seed_masks`]), with the same results; family rankings carry no per-account
/// `qualified` flags. Call [`check_budget`] first: the results hold every universe.
pub fn run_family(
    universes: &Universes,
    spec: &MethodSpec,
    input: &Input,
    tie: &TieOrder,
    tick: &(dyn Fn() + Sync),
) -> Result<(Vec<Universe>, Vec<Ranking>)> {
    let masks = seed_masks::SeedMasks::prepare(universes, spec, input);
    let results: Vec<(Universe, Ranking)> = (0..universes.len())
        .into_par_iter()
        .map(|i| {
            let u = universes.get(i).expect("i < len");
            let r = match masks.as_ref().and_then(|m| m.run(&u, spec, input, tie)) {
                Some(r) => r,
                None => run_universe(&u, spec, input, tie),
            }
            .map(|mut r| {
                r.qualified = None;
                (u, r)
            });
            tick();
            r
        })
        .collect::<Result<_>>()?;
    Ok(results.into_iter().unzip())
}

/// Bytes a family's results hold per ranked account of a universe: one rank entry
/// (account u32, score f64; the ranks are bits, [`rankings::Ranking`]).
pub const BYTES_PER_ENTRY: u64 = rankings::Ranking::BYTES_PER_ENTRY as u64;

/// Bytes a family's results hold per universe beyond its entries: the universe (label,
/// parameters, data change), its ranking's diagnostics, its summary row and its top-N
/// list. An upper estimate from the sizes of those structures with short labels.
pub const BYTES_PER_UNIVERSE: u64 = 1024;

/// Universes a family may have at most, whatever the study bounds say: replicate i's RNG
/// stream is (family << 40) | i, so i must stay below 2^40 for the streams of two
/// families never to overlap.
pub const STREAM_UNIVERSES: u64 = 1 << 40;

/// The RNG stream family number of the multiverse sample; perturbation families use
/// 0, 1, ..., so a study holds fewer families than this (`study::MAX_FAMILIES`).
pub const MULTIVERSE_STREAM: u32 = 1000;

/// The memory the sensitivity results of one run may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryBudget {
    pub bytes: u64,
    /// Where the number comes from, for messages.
    pub source: String,
}

/// Half of the machine's memory (`MemTotal` in /proc/meminfo), or 4 GiB where that
/// cannot be read. Half, because the data, the graphs and the nominal rankings live
/// beside the results; MemTotal, not MemAvailable, so that the same study on the same
/// machine is accepted or refused the same way whatever else runs (methodology.md §6).
pub fn memory_budget() -> MemoryBudget {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| mem_total_bytes(&m));
    match total {
        Some(t) => MemoryBudget {
            bytes: t / 2,
            source: format!("half of this machine's {}", size(t)),
        },
        None => MemoryBudget {
            bytes: FALLBACK_BUDGET,
            source: "the default where /proc/meminfo cannot be read".into(),
        },
    }
}

/// Bytes for messages: "1.5 GiB", "12.0 MiB", "640 B".
fn size(b: u64) -> String {
    const KIB: u64 = 1 << 10;
    match b {
        b if b >= KIB << 20 => format!("{:.1} GiB", b as f64 / (KIB << 20) as f64),
        b if b >= KIB << 10 => format!("{:.1} MiB", b as f64 / (KIB << 10) as f64),
        b if b >= KIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b => format!("{b} B"),
    }
}

/// The budget where /proc/meminfo cannot be read (not Linux).
pub const FALLBACK_BUDGET: u64 = 4 << 30;

/// `MemTotal:  16318460 kB` in bytes.
fn mem_total_bytes(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kb.checked_mul(1024)
}

/// What a family's results are expected to hold, for [`check_budget`].
pub struct BudgetCheck<'a> {
    /// Family name (or "multiverse").
    pub family: &'a str,
    /// The study file, for the message.
    pub study_file: &'a std::path::Path,
    pub universes: u64,
    /// Accounts the nominal ranking ranks: the estimate of each universe's length.
    pub ranked: u64,
    /// Bytes already held by the families run before this one.
    pub spent: u64,
    pub budget: &'a MemoryBudget,
    /// How to have fewer universes (see [`Perturbation::fewer`]).
    pub fewer: &'a str,
}

/// Refuse a family whose results would not fit the memory budget, before any universe
/// is made. Returns the bytes the family's results are expected to hold. All
/// arithmetic is checked: any count is either accepted or refused, never overflows.
pub fn check_budget(c: &BudgetCheck) -> Result<u64> {
    let per_universe = c
        .ranked
        .saturating_mul(BYTES_PER_ENTRY)
        .saturating_add(BYTES_PER_UNIVERSE);
    let need = c.universes.saturating_mul(per_universe);
    let left = c.budget.bytes.saturating_sub(c.spent);
    if need > left {
        let fits = (left / per_universe).min(STREAM_UNIVERSES);
        bail!(
            "{}: family {} would hold {} universes x ({} ranked accounts x {BYTES_PER_ENTRY} B + {BYTES_PER_UNIVERSE} B) = {} of results, more than the {} left of the memory budget ({}, {}{}); at most {fits} universes fit: {}",
            c.study_file.display(),
            c.family,
            c.universes,
            c.ranked,
            size(need),
            size(left),
            size(c.budget.bytes),
            c.budget.source,
            if c.spent > 0 {
                format!("; {} taken by the families before it", size(c.spent))
            } else {
                String::new()
            },
            c.fewer.replace("{fits}", &fits.to_string())
        );
    }
    // Reached only where the budget holds more than 2^40 universes.
    if c.universes > STREAM_UNIVERSES {
        bail!(
            "{}: family {} has {} universes, more than the {STREAM_UNIVERSES} (2^40) the replicate streams allow: {}",
            c.study_file.display(),
            c.family,
            c.universes,
            c.fewer.replace("{fits}", &STREAM_UNIVERSES.to_string())
        );
    }
    Ok(need)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(universes: u64, ranked: u64, spent: u64, budget: u64) -> Result<u64> {
        check_budget(&BudgetCheck {
            family: "edge-dropout",
            study_file: std::path::Path::new("dir/study.toml"),
            universes,
            ranked,
            spent,
            budget: &MemoryBudget {
                bytes: budget,
                source: "a test budget".into(),
            },
            fewer: "set `replicates` to {fits} or less",
        })
    }

    /// The estimate is universes x (ranked x 12 B + 1 KiB); over the budget the message
    /// names the family, the study file, the numbers and the largest count that fits.
    #[test]
    fn the_budget_refuses_with_the_largest_count_that_fits() {
        assert_eq!(BYTES_PER_ENTRY, 12);
        // 100 universes of 1000 ranked accounts: 100 x 13024 B.
        assert_eq!(check(100, 1000, 0, 1 << 30).unwrap(), 1_302_400);
        let e = check(1_000_000_000_000, 1000, 0, 1 << 30)
            .unwrap_err()
            .to_string();
        let fits = (1u64 << 30) / 13_024;
        for want in [
            "dir/study.toml",
            "edge-dropout",
            "1000000000000 universes",
            "1000 ranked accounts",
            "1.0 GiB, a test budget",
            &format!("at most {fits} universes fit: set `replicates` to {fits} or less"),
        ] {
            assert!(e.contains(want), "{want:?} not in {e}");
        }
        // What the families before it hold counts; exactly the budget fits.
        let slack = (1 << 30) - fits * 13_024;
        assert!(check(fits, 1000, slack, 1 << 30).is_ok());
        assert!(check(fits, 1000, slack + 1, 1 << 30).is_err());
        assert!(check(fits + 1, 1000, 0, 1 << 30).is_err());
        let e = check(fits, 1000, 1 << 20, 1 << 30).unwrap_err().to_string();
        assert!(e.contains("1.0 MiB taken by the families before it"), "{e}");
    }

    /// No count overflows: u64::MAX universes of u64::MAX accounts is refused.
    #[test]
    fn any_count_is_refused_not_overflowed() {
        assert!(check(u64::MAX, u64::MAX, u64::MAX, u64::MAX).is_err());
        assert!(check(u64::MAX, 0, 0, u64::MAX).is_err());
        let e = check(STREAM_UNIVERSES + 1, 0, 0, u64::MAX)
            .unwrap_err()
            .to_string();
        assert!(e.contains("2^40"), "{e}");
        assert!(check(STREAM_UNIVERSES, 0, 0, u64::MAX).is_ok());
    }

    #[test]
    fn mem_total_is_read_from_meminfo() {
        let m = "MemTotal:       16318460 kB\nMemFree:         1000 kB\n";
        assert_eq!(mem_total_bytes(m), Some(16_318_460 * 1024));
        assert_eq!(mem_total_bytes("MemFree: 1 kB\n"), None);
        assert_eq!(mem_total_bytes("MemTotal: 99999999999999999999 kB"), None);
        let b = memory_budget();
        assert!(b.bytes > 0 && !b.source.is_empty());
    }
}
