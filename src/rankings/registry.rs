//! The registry: method name -> constructor. The one `match` that knows every method.

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::{Method, betweenness, constraint, follow_seeds, indegree, pagerank};

/// A ranking as declared in a study file: a label, a method and its parameters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MethodSpec {
    /// Label used in tables and charts, unique within a study.
    pub name: String,
    /// Method name (see [`METHODS`]).
    pub method: String,
    /// Method parameters, e.g. `min_follows = 5`.
    #[serde(flatten)]
    pub params: toml::Table,
}

/// Every method with a one-line description, for `--help` and error messages.
pub const METHODS: &[(&str, &str)] = &[
    (
        "follow-seeds",
        "the published rule: qualify by following >= min_follows of a seed list, rank qualifiers by count columns combined by `combine`",
    ),
    (
        "in-degree",
        "number of followers within the data (or interaction in-strength)",
    ),
    ("pagerank", "PageRank on the follow (or interaction) graph"),
    (
        "personalized-pagerank",
        "PageRank teleporting to a seed list: who is close to the seeds",
    ),
    (
        "betweenness",
        "shortest-path betweenness: who lies between others (exact, or sampled with an error bound)",
    ),
    (
        "constraint",
        "Burt's constraint, lowest first: who brokers between contacts that are not tied to each other",
    ),
    (
        "effective-size",
        "Burt's effective size: contacts less their redundancy",
    ),
];

/// Build a method from its name and parameters.
pub fn build(method: &str, params: &toml::Table) -> Result<Box<dyn Method>> {
    Ok(match method {
        "follow-seeds" => Box::new(follow_seeds::FollowSeeds::from_params(params)?),
        "in-degree" => Box::new(indegree::InDegree::from_params(params)?),
        "pagerank" => Box::new(pagerank::PageRankMethod::from_params(params, false)?),
        "personalized-pagerank" => Box::new(pagerank::PageRankMethod::from_params(params, true)?),
        "betweenness" => Box::new(betweenness::BetweennessMethod::from_params(params)?),
        "constraint" => Box::new(constraint::StructuralHolesMethod::from_params(
            params,
            constraint::Measure::Constraint,
        )?),
        "effective-size" => Box::new(constraint::StructuralHolesMethod::from_params(
            params,
            constraint::Measure::EffectiveSize,
        )?),
        other => bail!(
            "unknown method {other:?}; known methods: {}",
            METHODS
                .iter()
                .map(|(m, _)| *m)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}
