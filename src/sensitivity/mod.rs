//! Sensitivity: re-run one ranking under a perturbation family and summarise how ranks
//! move.
//!
//! A [`Perturbation`] enumerates [`Universe`]s: each changes the method's parameters
//! and/or replaces a named seed list. The universes of a family are made sequentially
//! (replicate i draws from its own RNG, derived from (study seed, family, i)), then run
//! in parallel and collected in order, so results are identical at any thread count.
//! Adding a family = one file + one line in [`build`] + its tests.

pub mod bootstrap;
pub mod combine;
pub mod data;
pub mod dropout;
pub mod multiverse;
pub mod seed_masks;
pub mod seeds;
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
    /// The ranking to perturb, if not `[sensitivity] ranking`.
    #[serde(default)]
    pub ranking: Option<String>,
    /// `edge-dropout`: probability that a follow edge is missing (default 0.1).
    #[serde(default)]
    pub rate: Option<f64>,
    /// `m-out-of-n`: m / n (default 0.5).
    #[serde(default)]
    pub m_fraction: Option<f64>,
    /// `time-window`: window lengths in days (default [1, 3, 7]).
    #[serde(default)]
    pub lengths_days: Option<Vec<u32>>,
    /// `time-window`: days between window ends (default 1).
    #[serde(default)]
    pub step_days: Option<u32>,
}

/// Family names and what they do.
pub const FAMILIES: &[(&str, &str)] = &[
    ("seed-leave-one-out", "drop each seed in turn"),
    (
        "seed-resample",
        "draw a new seed list of the same size from a candidate pool, R times",
    ),
    ("threshold-sweep", "min_follows k = 1..|S|"),
    (
        "combination-rule",
        "every way of combining the count columns (lexicographic, rank-sum, z-sum, product, ratio, each alone)",
    ),
    (
        "edge-dropout",
        "follow edges missing at random with probability `rate`, R times",
    ),
    (
        "event-bootstrap",
        "interaction events resampled n out of n with replacement, R times",
    ),
    (
        "m-out-of-n",
        "interaction events resampled m = m_fraction * n with replacement, R times (Hall & Miller 2009)",
    ),
    (
        "time-window",
        "every window of `lengths_days` days, ends stepped by `step_days`",
    ),
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
        "combination-rule" => Box::new(combine::CombinationRule),
        "edge-dropout" => Box::new(dropout::EdgeDropout {
            rate: spec.rate.unwrap_or(0.1),
            replicates: spec.replicates.unwrap_or(default_replicates),
        }),
        "event-bootstrap" => Box::new(bootstrap::EventBootstrap {
            fraction: 1.0,
            replicates: spec.replicates.unwrap_or(default_replicates),
            family: "event-bootstrap",
        }),
        "m-out-of-n" => Box::new(bootstrap::EventBootstrap {
            fraction: spec.m_fraction.unwrap_or(0.5),
            replicates: spec.replicates.unwrap_or(default_replicates),
            family: "m-out-of-n",
        }),
        "time-window" => Box::new(window::TimeWindow {
            lengths_days: spec.lengths_days.clone().unwrap_or_else(|| vec![1, 3, 7]),
            step_days: spec.step_days.unwrap_or(1),
        }),
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

/// The universes of a family in words, for titles and the report ("the 14 lists that
/// drop one seed").
pub fn describe(family: &str, universes: &[Universe]) -> String {
    let n = universes.len();
    match family {
        "seed-leave-one-out" => format!("the {n} lists that drop one seed"),
        "seed-resample" => format!("{n} random seed lists from the candidate pool"),
        "combination-rule" => format!("the {n} ways of combining the counts"),
        "threshold-sweep" => format!("the {n} thresholds"),
        "edge-dropout" => match universes.first().and_then(|u| u.data.as_ref()) {
            Some(data::DataChange::DropFollows { rate, .. }) => {
                format!(
                    "{n} runs with {} % of follow edges missing at random",
                    rate * 100.0
                )
            }
            _ => format!("{n} runs with follow edges missing at random"),
        },
        "event-bootstrap" => format!("{n} bootstrap resamples of the events"),
        "m-out-of-n" => match universes.first().and_then(|u| u.data.as_ref()) {
            Some(data::DataChange::ResampleEvents { m, .. }) => {
                format!("{n} resamples of {m} events (m out of n)")
            }
            _ => format!("{n} m-out-of-n resamples of the events"),
        },
        "time-window" => format!("{n} time windows"),
        "multiverse" => format!("the {n} universes of the multiverse"),
        other => format!("{n} {other} variants"),
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
    let mut params = spec.params.clone();
    for (k, v) in &u.params {
        params.insert(k.clone(), v.clone());
    }
    let method = rankings::build(&spec.method, &params)?;
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

/// All universes of a family, run in parallel, results in universe order. `tick` is
/// called once per finished universe (for progress bars). Seed-list universes of the
/// follow-seeds rule run from precomputed bitsets ([`seed_masks`]), with the same
/// results; family rankings carry no per-account `qualified` flags.
pub fn run_family(
    universes: &[Universe],
    spec: &MethodSpec,
    input: &Input,
    tie: &TieOrder,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Ranking>> {
    let masks = seed_masks::SeedMasks::prepare(universes, spec, input);
    universes
        .par_iter()
        .map(|u| {
            let r = match masks.as_ref().and_then(|m| m.run(u, spec, input, tie)) {
                Some(r) => r,
                None => run_universe(u, spec, input, tie),
            }
            .map(|mut r| {
                r.qualified = None;
                r
            });
            tick();
            r
        })
        .collect()
}
