//! The results model: everything an audit computed, as the report, the figures and the
//! tables read it. A leaf: it imports the stages' result types and nothing that reads
//! it, so the report and the orchestrator both depend on it and not on each other.

use std::path::PathBuf;

use crate::critique;
use crate::dataset::Dataset;
use crate::rankings::{MethodSpec, Ranking};
use crate::study::Study;

pub use crate::compare::Comparison;
pub use crate::critique::stage::HierarchyResult;
pub use crate::sensitivity::stage::{FamilyResult, MultiverseResult};

pub use crate::dataset::SeedList;

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

/// A figure written, with the sentence it states.
pub struct Figure {
    pub name: String,
    pub title: String,
    pub alt: String,
    pub files: Vec<PathBuf>,
}
