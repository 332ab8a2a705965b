//! Method parameters: every method reads its own typed parameters from the same
//! key/value table, whether they came from a study file (`[[ranking]]` keys) or from
//! quick-mode flags (`--min-follows 5` becomes `min_follows = 5`).

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

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
    pub fn pick<'a>(self, input: &crate::rankings::Input<'a>) -> Result<&'a crate::graph::Graph> {
        match self {
            GraphChoice::Follows => Ok(input.follows),
            GraphChoice::Interactions => input.interactions.ok_or_else(|| {
                anyhow::anyhow!(
                    "graph = \"interactions\" needs an interactions table; add one to the data"
                )
            }),
        }
    }
}
