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
    pub forced: Vec<critique::forced_order::ForcedResult>,
    pub rank_inference: Vec<critique::rank_inference::RankInference>,
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

impl Results {
    /// The forced-order result the report and its chart lead with: a rule's with a
    /// chart ([`critique::forced_order::ForcedResult::charted`]), that of
    /// `[sensitivity] ranking` first.
    pub fn key_forced(&self) -> Option<&critique::forced_order::ForcedResult> {
        let main = self.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
        let mut charted = self.forced.iter().filter(|f| f.charted());
        charted
            .clone()
            .find(|f| Some(f.ranking.as_str()) == main)
            .or_else(|| charted.next())
    }

    /// The follower-set inclusion result of a measure ranking, for the report's
    /// sentence on what the network forces: that of the first such ranking.
    pub fn inclusion_forced(&self) -> Option<&critique::forced_order::ForcedResult> {
        self.forced
            .iter()
            .find(|f| f.columns.is_empty() && f.not_computed.is_none() && f.share_top.is_some())
    }
    /// The perturbation family whose chart carries the story (the report's key chart,
    /// its lede and the share card): the multiverse when there is one, else seed
    /// resampling, else the first family; those of `[sensitivity] ranking` first.
    pub fn key_family(&self) -> Option<&FamilyResult> {
        let main = self.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
        let order = |f: &FamilyResult| match f.family.as_str() {
            crate::sensitivity::multiverse::FAMILY => 0,
            "seed-resample" => 1,
            _ => 2,
        };
        let candidates = self
            .families
            .iter()
            .filter(|f| f.family != crate::sensitivity::threshold::FAMILY);
        candidates
            .clone()
            .filter(|f| Some(f.ranking.as_str()) == main)
            .min_by_key(|f| order(f))
            .or_else(|| candidates.min_by_key(|f| order(f)))
    }
}
