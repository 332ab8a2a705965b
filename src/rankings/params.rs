//! Method parameters: every method reads its own typed parameters from the same
//! key/value table, whether they came from a study file (`[[ranking]]` keys) or from
//! quick-mode flags (`--min-follows 5` becomes `min_follows = 5`).

use std::borrow::Cow;

use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;

use crate::dataset::Interactions;
use crate::graph::{Graph, InteractionFilter, interaction_graph};
use crate::rankings::Input;

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

    /// The graph, restricted to interaction `kinds` when given (empty = all kinds).
    pub fn pick_kinds<'a>(self, input: &Input<'a>, kinds: &[String]) -> Result<Cow<'a, Graph>> {
        if kinds.is_empty() {
            return self.pick(input).map(Cow::Borrowed);
        }
        if self == GraphChoice::Follows {
            bail!("`kinds` selects interaction kinds; set graph = \"interactions\" too");
        }
        let events = checked_kinds(input, kinds)?;
        Ok(Cow::Owned(interaction_graph(
            events,
            input.accounts.len(),
            &InteractionFilter {
                kinds: kinds.to_vec(),
            },
        )))
    }
}

/// The raw events, after checking that every kind in `kinds` occurs in them (a typo in
/// a kind would otherwise silently select nothing).
pub fn checked_kinds<'a>(input: &Input<'a>, kinds: &[String]) -> Result<&'a Interactions> {
    let events = input.events.ok_or_else(|| {
        anyhow::anyhow!("interaction kinds were selected but the data has no interactions table")
    })?;
    for k in kinds {
        if !events.kinds.iter().any(|x| x == k) {
            bail!(
                "interaction kind {k:?} does not occur in the data; kinds present: {}",
                events.kinds.join(", ")
            );
        }
    }
    Ok(events)
}
