//! Method parameters: every method reads its own typed parameters from the same
//! key/value table, whether they came from a study file (`[[ranking]]` keys) or from
//! quick-mode flags (`--min-follows 5` becomes `min_follows = 5`).

use std::borrow::Cow;

use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;

use crate::graph::{Graph, InteractionFilter, interaction_graph};
use crate::rankings::{Input, conversation};

/// Parse a method's parameter table into its typed config, naming the method on error.
pub fn parse<T: DeserializeOwned>(method: &str, params: &toml::Table) -> Result<T> {
    toml::Value::Table(params.clone())
        .try_into::<T>()
        .with_context(|| format!("parameters of method {method:?}"))
}

/// Which graph a network method runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GraphChoice {
    #[default]
    Follows,
    Interactions,
}

impl GraphChoice {
    pub fn pick<'a>(self, input: &Input<'a>) -> Result<&'a Graph> {
        match self {
            GraphChoice::Follows => Ok(input.follows),
            GraphChoice::Interactions => input.interactions.ok_or_else(|| {
                anyhow::anyhow!(
                    "graph = \"interactions\" needs an interactions table; add one to the data"
                )
            }),
        }
    }

    /// The graph, restricted to interaction `kinds` when given (empty = all kinds). The
    /// kinds are checked as every conversation method checks them: a kind the data lacks
    /// is an error listing the kinds present (a typo would otherwise select nothing).
    pub fn pick_kinds<'a>(
        self,
        input: &Input<'a>,
        method: &str,
        kinds: &[String],
    ) -> Result<Cow<'a, Graph>> {
        if kinds.is_empty() {
            return self.pick(input).map(Cow::Borrowed);
        }
        if self == GraphChoice::Follows {
            bail!("`kinds` selects interaction kinds; set graph = \"interactions\" too");
        }
        let events = conversation::events(input, method)?;
        conversation::EventFilter::new(events, method, Some(kinds), conversation::ALL_KINDS)?;
        Ok(Cow::Owned(interaction_graph(
            events,
            input.accounts.len(),
            &InteractionFilter {
                kinds: kinds.to_vec(),
            },
        )))
    }
}
