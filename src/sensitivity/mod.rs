//! Sensitivity: re-run one ranking under a perturbation family and summarise how ranks
//! move.
//!
//! A [`Perturbation`] enumerates [`Universe`]s: each changes the method's parameters
//! and/or replaces a named seed list. The universes of a family are made sequentially
//! (replicate i draws from its own RNG, derived from (study seed, family, i)), then run
//! in parallel and collected in order, so results are identical at any thread count.
//! Adding a family = one file + one line in [`build`] + its tests.

pub mod seeds;
pub mod summary;
pub mod threshold;

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rankings::{self, Input, MethodSpec, Ranking};

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
}

/// What a family needs to know about the ranking it perturbs.
pub struct Base<'a> {
    pub spec: &'a MethodSpec,
    pub seed_lists: &'a BTreeMap<String, Vec<u32>>,
}

impl Base<'_> {
    /// The seed list the ranking uses (its `seeds` parameter).
    pub fn seed_list(&self) -> Result<(&str, &[u32])> {
        let Some(name) = self.spec.params.get("seeds").and_then(|v| v.as_str()) else {
            bail!(
                "ranking {:?} ({}) has no seed list to perturb",
                self.spec.name,
                self.spec.method
            );
        };
        match self.seed_lists.get(name) {
            Some(l) => Ok((name, l)),
            None => bail!("ranking {:?}: no seed list named {name:?}", self.spec.name),
        }
    }
}

/// A perturbation family.
pub trait Perturbation: Send + Sync {
    /// Family name used in tables, e.g. `seed-leave-one-out`.
    fn family(&self) -> &'static str;
    /// The universes of this family. `rng_for(i)` gives replicate i its own RNG.
    fn universes(&self, base: &Base, rng_for: &dyn Fn(u64) -> ChaCha8Rng) -> Result<Vec<Universe>>;
}

/// A family as declared in a study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilySpec {
    pub family: String,
    /// Replicates for random families.
    #[serde(default)]
    pub replicates: Option<usize>,
    /// Candidate pool (a seed list name) for `seed-resample`.
    #[serde(default)]
    pub pool: Option<String>,
}

/// Family names and what they do.
pub const FAMILIES: &[(&str, &str)] = &[
    ("seed-leave-one-out", "drop each seed in turn"),
    (
        "seed-resample",
        "draw a new seed list of the same size from a candidate pool, R times",
    ),
    ("threshold-sweep", "min_follows k = 1..|S|"),
];

/// Build a family from its spec (the one match that knows every family).
pub fn build(spec: &FamilySpec, default_replicates: usize) -> Result<Box<dyn Perturbation>> {
    Ok(match spec.family.as_str() {
        "seed-leave-one-out" => Box::new(seeds::LeaveOneOut),
        "seed-resample" => Box::new(seeds::Resample {
            pool: spec.pool.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "family seed-resample needs `pool` (the name of a candidate seed list)"
                )
            })?,
            replicates: spec.replicates.unwrap_or(default_replicates),
        }),
        "threshold-sweep" => Box::new(threshold::ThresholdSweep),
        other => bail!(
            "unknown perturbation family {other:?}; known: {}",
            FAMILIES
                .iter()
                .map(|(f, _)| *f)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
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
    names: &[String],
) -> Result<Ranking> {
    let mut params = spec.params.clone();
    for (k, v) in &u.params {
        params.insert(k.clone(), v.clone());
    }
    let method = rankings::build(&spec.method, &params)?;
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
    Ok(rankings::rank(method.score(&input)?, names))
}

/// All universes of a family, run in parallel, results in universe order. `tick` is
/// called once per finished universe (for progress bars).
pub fn run_family(
    universes: &[Universe],
    spec: &MethodSpec,
    input: &Input,
    names: &[String],
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Ranking>> {
    universes
        .par_iter()
        .map(|u| {
            let r = run_universe(u, spec, input, names);
            tick();
            r
        })
        .collect()
}
