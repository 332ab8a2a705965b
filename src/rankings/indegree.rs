//! `in-degree`: how many accounts in the data follow an account (its follower count
//! within the data), or on the interaction graph its in-strength (summed event weights
//! received). Ties share a rank. Complexity O(n).

use anyhow::Result;
use serde::Deserialize;

use super::params::{self, GraphChoice};
use super::{CostModel, cost_model::Mover};
use super::{Input, Method, Precision, Scores};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InDegree {
    #[serde(default)]
    pub graph: GraphChoice,
    /// Interaction kinds counted (with graph = "interactions"; empty = all): e.g.
    /// `kinds = ["retweet"]` gives retweets received.
    #[serde(default)]
    pub kinds: Vec<String>,
}

impl InDegree {
    pub fn from_params(p: &toml::Table) -> Result<InDegree> {
        params::parse("in-degree", p)
    }
}

impl Method for InDegree {
    fn method(&self) -> &'static str {
        "in-degree"
    }

    /// On the follow graph: more followers, a larger count (methodology §6d).
    fn forced_order(&self) -> Option<super::Forced> {
        self.graph.follower_inclusion()
    }

    /// On the interaction graph: events received, summed (whole numbers checked where
    /// the confidence sets are computed).
    fn counts_events(&self) -> bool {
        self.graph == GraphChoice::Interactions
    }

    /// A follower (or an event) is someone else's act.
    fn cost_model(&self) -> CostModel {
        CostModel::Count(Mover::Others)
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let g = self.graph.pick_kinds(input, self.method(), &self.kinds)?;
        let score = (0..g.node_count() as u32)
            .map(|v| g.inn.strength(v))
            .collect();
        Ok(Scores {
            score,
            tiebreak: Vec::new(),
            eligible: input.population.to_vec(),
            qualified: None,
            diagnostics: Default::default(),
            precision: Precision::exact_if(g.has_integer_weights()),
        })
    }
}
