//! `count`: rank by one numeric column of the accounts table, as a league table of
//! "most followers" does. Higher is better unless `ascending = true`. Missing values:
//! `exclude` (default, unranked and counted) or `zero`. Ties share a rank. O(n).

use anyhow::Result;
use serde::Deserialize;

use super::follow_seeds::Missing;
use super::params;
use super::{CostModel, cost_model::Mover};
use super::{Input, Method, Scores};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// A numeric column of the accounts table.
    pub column: String,
    /// Rank the smallest value first (for "lower is better" columns).
    #[serde(default)]
    pub ascending: bool,
    #[serde(default)]
    pub missing: Missing,
    /// Rank only the accounts whose column `within[0]` reads `within[1]` (one category's
    /// league table, e.g. `within = ["category", "individuals"]`).
    #[serde(default)]
    pub within: Option<[String; 2]>,
}

impl Count {
    pub fn from_params(p: &toml::Table) -> Result<Count> {
        params::parse("count", p)
    }
}

impl Method for Count {
    fn method(&self) -> &'static str {
        "count"
    }

    fn reads_graph(&self) -> bool {
        false
    }

    fn validate(&self, input: &Input) -> Result<()> {
        input.accounts.numeric_column(&self.column)?;
        if let Some([column, group]) = &self.within {
            let a = &input.accounts;
            if !a.text.contains_key(column) && !a.numeric.contains_key(column) {
                anyhow::bail!(
                    "count: within = [{column:?}, {group:?}]: {} has no column {column:?}",
                    a.describe_source()
                );
            }
            let values: std::collections::BTreeSet<String> = (0..a.len())
                .filter_map(|i| a.text_value(column, i))
                .collect();
            if !values.contains(group) {
                let shown: Vec<&String> = values.iter().take(12).collect();
                anyhow::bail!(
                    "count: within = [{column:?}, {group:?}]: no account has {column} = {group:?}; its values are {shown:?}{}",
                    if values.len() > 12 { " …" } else { "" }
                );
            }
        }
        Ok(())
    }

    /// One more unit of the column, by whoever moves it; lower-is-better columns are
    /// searched, lowering the count down to zero.
    fn cost_model(&self) -> CostModel {
        if self.ascending {
            CostModel::ColumnDown(self.column.clone())
        } else {
            CostModel::Count(Mover::Column(self.column.clone()))
        }
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let col = input.accounts.numeric_column(&self.column)?;
        let sign = if self.ascending { -1.0 } else { 1.0 };
        let n = input.accounts.len();
        let mut eligible = input.population.to_vec();
        let mut score = vec![0.0; n];
        let (mut excluded, mut zeroed, mut outside) = (0u64, 0u64, 0u64);
        for i in 0..n {
            if !eligible[i] {
                continue;
            }
            if let Some([column, group]) = &self.within
                && input.accounts.text_value(column, i).as_ref() != Some(group)
            {
                eligible[i] = false;
                outside += 1;
                continue;
            }
            match (col.get(i), self.missing) {
                (Some(v), _) => score[i] = sign * v,
                (None, Missing::Zero) => zeroed += 1,
                (None, Missing::Exclude) => {
                    eligible[i] = false;
                    excluded += 1;
                }
            }
        }
        Ok(Scores::exact(
            score,
            eligible,
            &[
                ("excluded_missing_count", excluded),
                ("missing_count_as_zero", zeroed),
                ("outside_group", outside),
            ],
        ))
    }
}
