//! The results model: everything an audit computed, as the report, the figures and the
//! tables read it. A leaf: it imports the stages' result types and nothing that reads
//! it, so the report and the orchestrator both depend on it and not on each other.

use std::path::PathBuf;

use serde::Serialize;

use crate::compare::{self, PairComparison};
use crate::critique;
use crate::dataset::Dataset;
use crate::rankings::{MethodSpec, Ranking};
use crate::sensitivity::{self, Universe, summary};
use crate::study::Study;

/// A resolved seed list.
#[derive(Debug, Clone, Serialize)]
pub struct SeedList {
    pub name: String,
    pub path: String,
    pub rationale: Option<String>,
    pub accounts: Vec<String>,
}

/// Everything computed, for the report and the figures.
pub struct Results {
    pub study: Study,
    pub data: Dataset,
    pub population_size: usize,
    pub seed_lists: Vec<SeedList>,
    pub rankings: Vec<(MethodSpec, Ranking)>,
    pub comparisons: Vec<Comparison>,
    pub families: Vec<FamilyResult>,
    pub hierarchy: Vec<HierarchyResult>,
    pub gaming: Vec<critique::gaming::GamingSummary>,
    pub multiverse: Option<MultiverseResult>,
    pub follow_graph: (usize, usize),
}

/// Concentration and representation of one ranking.
pub struct HierarchyResult {
    pub ranking: String,
    /// (accounts with a value, Spearman, Kendall tau-b) between score and the offline
    /// hierarchy column.
    pub offline: Option<(usize, Option<f64>, Option<f64>)>,
    pub concentration: critique::hierarchy::Concentration,
    pub lorenz: Option<Vec<(f64, f64)>>,
    /// (attribute, groups)
    pub representation: Vec<(String, Vec<critique::hierarchy::GroupRepresentation>)>,
}

/// The multiverse's own results (its rankings are a [`FamilyResult`] named "multiverse").
pub struct MultiverseResult {
    pub spec: sensitivity::multiverse::MultiverseSpec,
    /// Level index of every factor, per universe.
    pub choices: Vec<Vec<usize>>,
    pub effects: Vec<sensitivity::multiverse::Effect>,
    pub nominal_universe: Option<usize>,
}

/// One pair of rankings compared: over everything both rank, and over top fractions.
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub all: PairComparison,
    pub top: Vec<compare::TopCorrelation>,
}

/// One perturbation family's results.
pub struct FamilyResult {
    pub family: String,
    pub ranking: String,
    pub universes: Vec<Universe>,
    pub rankings: Vec<Ranking>,
    pub accounts: Vec<summary::AccountStability>,
    pub per_universe: Vec<summary::UniverseSummary>,
}

/// A figure written, with the sentence it states.
pub struct Figure {
    pub name: String,
    pub title: String,
    pub alt: String,
    pub files: Vec<PathBuf>,
}
