//! `columns`: every account in the population ranked by count columns combined by one of
//! follow-seeds' rules (`lexicographic`, `rank-sum`, `z-sum`, `product`, `ratio`,
//! `only:<column>`), with no seed list to qualify by: an organisational league table such
//! as NHS Providers' 2014 "Followers/Statuses Index". Missing counts: `exclude` (default,
//! unranked and counted) or `zero`. O(n log n).

use anyhow::{Result, bail};
use serde::Deserialize;

use super::follow_seeds::{Combine, FollowSeeds, Missing};
use super::{Audience, Input, Method, Ranking, params};

/// Parameters of `columns`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Count columns of the accounts table, in priority order.
    pub by: Vec<String>,
    #[serde(default = "default_combine")]
    pub combine: Combine,
    #[serde(default)]
    pub missing: Missing,
}

fn default_combine() -> Combine {
    Combine::Lexicographic
}

/// The method's name in a study (`method = "columns"`).
pub const NAME: &str = "columns";

impl Columns {
    pub fn from_params(p: &toml::Table) -> Result<Columns> {
        let c: Columns = params::parse(NAME, p)?;
        if c.by.is_empty() {
            bail!(
                "columns: `by` is empty; name at least one count column (e.g. by = [\"followers\", \"statuses\"])"
            );
        }
        if c.combine == Combine::Ratio && c.by.len() != 2 {
            bail!(
                "columns: combine = \"ratio\" needs exactly two `by` columns (numerator, denominator), got {}",
                c.by.len()
            );
        }
        Ok(c)
    }

    /// The same combination as a follow-seeds rule whose qualifiers are given.
    fn rule(&self) -> FollowSeeds {
        FollowSeeds {
            seeds: String::new(),
            min_follows: 1,
            by: self.by.clone(),
            combine: self.combine.clone(),
            missing: self.missing,
        }
    }
}

impl Method for Columns {
    fn method(&self) -> &'static str {
        NAME
    }

    fn reads_graph(&self) -> bool {
        false
    }

    fn validate(&self, input: &Input) -> Result<()> {
        for c in &self.by {
            input.accounts.numeric_column(c)?;
        }
        Ok(())
    }

    fn is_rule(&self) -> bool {
        true
    }

    /// Pareto dominance over the `by` columns, as for follow-seeds.
    fn forced_order(&self) -> Option<super::Forced> {
        (self.by.len() >= 2 && self.combine != Combine::Ratio)
            .then(|| super::Forced::Columns(self.by.clone()))
    }

    fn summary(&self, name: &str, r: &Ranking, a: &Audience) -> Option<String> {
        let left = a.population.saturating_sub(r.len());
        let left = match left {
            0 => String::new(),
            m => format!(" ({m} left out: a count to rank by is missing or a denominator is 0)"),
        };
        Some(format!(
            "**{name}**: {} of the {} accounts in the population are ranked{left}, by {} ({}).",
            r.len(),
            a.population,
            self.by.join(", "),
            self.combine.label()
        ))
    }

    fn score(&self, input: &Input) -> Result<super::Scores> {
        let n = input.accounts.len();
        let everyone: Vec<u32> = (0..n as u32)
            .filter(|&i| input.population[i as usize])
            .collect();
        let mut q = self.rule().combine_qualifiers(input, &everyone)?;
        q.diagnostics.remove("qualified");
        Ok(q.scores(n, None))
    }
}
