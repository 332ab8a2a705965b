//! The registry: method name -> constructor. The one `match` that knows every method.

use anyhow::{Result, bail};

use crate::dataset::NameList;
use serde::{Deserialize, Serialize};

use super::breadth::Direction;
use super::bridging::Form;
use super::{
    Input, Method, Scores, amplification, balance, betweenness, breadth, bridging, composite,
    constraint, count, eigenvector, follow_seeds, hits, indegree, kcore, pagerank, reciprocity,
    tags,
};

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
        "count",
        "one numeric column of the accounts table (\"most followers\")",
    ),
    (
        "composite",
        "weighted, normalised indicators aggregated arithmetically or geometrically (COINr's choices)",
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
        "hits-authority",
        "HITS authority: followed by good hubs (Kleinberg); scores sum to 1",
    ),
    (
        "hits-hub",
        "HITS hub: follows good authorities (Kleinberg); scores sum to 1",
    ),
    (
        "k-core",
        "core number: the deepest k-core holding the account (mode = total, in or out degree)",
    ),
    (
        "eigenvector",
        "eigenvector centrality: followed by the followed (leading left eigenvector)",
    ),
    (
        "katz",
        "Katz centrality: walks into the account, discounted by alpha per step",
    ),
    (
        "breadth-out",
        "distinct accounts an account replied to / mentioned / retweeted (`kinds`)",
    ),
    (
        "breadth-in",
        "distinct accounts that replied to / mentioned / retweeted an account (`kinds`)",
    ),
    (
        "reciprocity",
        "share of an account's ties that go both ways (`definition` = arc | dyad)",
    ),
    (
        "give-take",
        "replies and mentions given vs received: (given - received) / (given + received)",
    ),
    (
        "amplification",
        "distinct accounts that retweeted or quoted an account",
    ),
    (
        "tag-participation",
        "distinct tags (or UTC days: `unit = day`) an account took part in",
    ),
    (
        "bridging",
        "share of an account's conversation that crosses the groups of `attribute`",
    ),
    (
        "ei-index",
        "Krackhardt & Stern's E-I index per account over the groups of `attribute`",
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

/// Build a method from its name and parameters, behind the score check of
/// [`Checked`].
pub fn build(method: &str, params: &toml::Table) -> Result<Box<dyn Method>> {
    Ok(Box::new(Checked(build_unchecked(method, params)?)))
}

/// The method boundary: a method's scores are checked once, here, rather than trusted
/// by every consumer. A NaN score can only come from a bug or from input values that
/// are not numbers, and would make the ranking meaningless (NaN is unordered), so an
/// eligible account scoring NaN is an error naming the method and the account.
struct Checked(Box<dyn Method>);

impl Method for Checked {
    fn method(&self) -> &'static str {
        self.0.method()
    }

    fn validate(&self, input: &Input) -> Result<()> {
        self.0.validate(input)
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let s = self.0.score(input)?;
        let n = s.score.len();
        if s.eligible.len() != n || s.tiebreak.iter().any(|k| k.len() != n) {
            bail!(
                "{}: internal error: {} scores for {} eligibility flags",
                self.method(),
                n,
                s.eligible.len()
            );
        }
        let bad = |i: usize| {
            s.eligible[i] && (s.score[i].is_nan() || s.tiebreak.iter().any(|k| k[i].is_nan()))
        };
        if let Some(i) = (0..n).find(|&i| bad(i)) {
            let count = (0..n).filter(|&i| bad(i)).count();
            bail!(
                "{}: the score of account {:?} is not a number (NaN){}; scores must be \
                 ordered to rank — check that the columns the method reads hold numbers",
                self.method(),
                input.accounts.ids.names().name_at(i),
                if count > 1 {
                    format!(", and so are {} other accounts' scores", count - 1)
                } else {
                    String::new()
                }
            );
        }
        Ok(s)
    }
}

/// The one match that knows every method.
fn build_unchecked(method: &str, params: &toml::Table) -> Result<Box<dyn Method>> {
    Ok(match method {
        "follow-seeds" => Box::new(follow_seeds::FollowSeeds::from_params(params)?),
        "count" => Box::new(count::Count::from_params(params)?),
        "composite" => Box::new(composite::Composite::from_params(params)?),
        "in-degree" => Box::new(indegree::InDegree::from_params(params)?),
        "pagerank" => Box::new(pagerank::PageRankMethod::from_params(params, false)?),
        "personalized-pagerank" => Box::new(pagerank::PageRankMethod::from_params(params, true)?),
        "hits-authority" => Box::new(hits::HitsMethod::from_params(
            params,
            hits::Side::Authority,
        )?),
        "hits-hub" => Box::new(hits::HitsMethod::from_params(params, hits::Side::Hub)?),
        "k-core" => Box::new(kcore::KCore::from_params(params)?),
        "eigenvector" => Box::new(eigenvector::EigenMethod::eigenvector_from_params(params)?),
        "katz" => Box::new(eigenvector::EigenMethod::katz_from_params(params)?),
        "breadth-out" => Box::new(breadth::Breadth::from_params(params, Direction::Out)?),
        "breadth-in" => Box::new(breadth::Breadth::from_params(params, Direction::In)?),
        "reciprocity" => Box::new(reciprocity::Reciprocity::from_params(params)?),
        "give-take" => Box::new(balance::GiveTake::from_params(params)?),
        "amplification" => Box::new(amplification::Amplification::from_params(params)?),
        "tag-participation" => Box::new(tags::TagParticipation::from_params(params)?),
        "bridging" => Box::new(bridging::Bridging::from_params(params, Form::Share)?),
        "ei-index" => Box::new(bridging::Bridging::from_params(params, Form::EiIndex)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every listed method builds (or fails on its own parameters, never as unknown), and
    /// every name the registry builds is listed, so `rankaudit methods` tells the truth.
    #[test]
    fn the_method_list_matches_the_registry() {
        for (name, _) in METHODS {
            if let Err(e) = build(name, &toml::Table::new()) {
                assert!(!e.to_string().contains("unknown method"), "{name}: {e}");
            }
        }
        let src = include_str!("registry.rs");
        // Arms are lines starting `"name" => Box::new(`.
        let built = src
            .lines()
            .filter(|l| l.trim_start().starts_with('"') && l.contains("\" => Box::new("))
            .count();
        assert_eq!(
            built,
            METHODS.len(),
            "a registry arm is missing from METHODS or vice versa"
        );
    }
}
