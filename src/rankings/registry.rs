//! The registry: method name -> constructor. The one `match` that knows every method.

use anyhow::{Result, bail};

use crate::dataset::NameList;
use serde::{Deserialize, Serialize};

use super::breadth::Direction;
use super::bridging::Form;
use super::conversation::Conv;
use super::{
    Audience, CostModel, Input, Method, Ranking, Scores, amplification, balance, betweenness,
    breadth, bridging, catalogue, columns, composite, constraint, count, eigenvector, follow_seeds,
    hits, indegree, kardashian, kcore, pagerank, reciprocity, tags,
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

/// A registered method.
pub struct Entry {
    pub name: &'static str,
    pub about: &'static str,
    pub build: fn(&toml::Table) -> Result<Box<dyn Method>>,
}

/// Every method: its name in a study, a one-line description (for `rankaudit methods`
/// and error messages) and its constructor from the study's parameters. One entry per
/// method; nothing else in the crate lists them.
pub const METHODS: &[Entry] = &[
    Entry {
        name: "follow-seeds",
        about: "the published rule: qualify by following >= min_follows of a seed list, rank qualifiers by count columns combined by `combine`",
        build: |p| Ok(Box::new(follow_seeds::FollowSeeds::from_params(p)?)),
    },
    Entry {
        name: "columns",
        about: "everyone in the population ranked by count columns combined by `combine` (the published rule's orders, no seed list): an organisational index",
        build: |p| Ok(Box::new(columns::Columns::from_params(p)?)),
    },
    Entry {
        name: "count",
        about: "one numeric column of the accounts table (\"most followers\")",
        build: |p| Ok(Box::new(count::Count::from_params(p)?)),
    },
    Entry {
        name: "kardashian-index",
        about: "Hall's (2014) Kardashian index: followers over the 43.3 · citations^0.32 that citations predict",
        build: |p| Ok(Box::new(kardashian::Kardashian::from_params(p)?)),
    },
    Entry {
        name: "composite",
        about: "weighted, normalised indicators aggregated arithmetically or geometrically (COINr's choices)",
        build: |p| Ok(Box::new(composite::Composite::from_params(p)?)),
    },
    Entry {
        name: "in-degree",
        about: "number of followers within the data (or interaction in-strength)",
        build: |p| Ok(Box::new(indegree::InDegree::from_params(p)?)),
    },
    Entry {
        name: "pagerank",
        about: "PageRank on the follow (or interaction) graph",
        build: |p| Ok(Box::new(pagerank::PageRankMethod::from_params(p, false)?)),
    },
    Entry {
        name: "personalized-pagerank",
        about: "PageRank teleporting to a seed list: who is close to the seeds",
        build: |p| Ok(Box::new(pagerank::PageRankMethod::from_params(p, true)?)),
    },
    Entry {
        name: "hits-authority",
        about: "HITS authority: followed by good hubs (Kleinberg); scores sum to 1",
        build: |p| {
            Ok(Box::new(hits::HitsMethod::from_params(
                p,
                hits::Side::Authority,
            )?))
        },
    },
    Entry {
        name: "hits-hub",
        about: "HITS hub: follows good authorities (Kleinberg); scores sum to 1",
        build: |p| Ok(Box::new(hits::HitsMethod::from_params(p, hits::Side::Hub)?)),
    },
    Entry {
        name: "k-core",
        about: "core number: the deepest k-core holding the account (mode = total, in or out degree)",
        build: |p| Ok(Box::new(kcore::KCore::from_params(p)?)),
    },
    Entry {
        name: "eigenvector",
        about: "eigenvector centrality: followed by the followed (leading left eigenvector)",
        build: |p| {
            Ok(Box::new(eigenvector::EigenMethod::eigenvector_from_params(
                p,
            )?))
        },
    },
    Entry {
        name: "katz",
        about: "Katz centrality: walks into the account, discounted by alpha per step",
        build: |p| Ok(Box::new(eigenvector::EigenMethod::katz_from_params(p)?)),
    },
    Entry {
        name: "breadth-out",
        about: "distinct accounts an account replied to / mentioned / retweeted (`kinds`)",
        build: |p| {
            Ok(Box::new(Conv(breadth::Breadth::from_params(
                p,
                Direction::Out,
            )?)))
        },
    },
    Entry {
        name: "breadth-in",
        about: "distinct accounts that replied to / mentioned / retweeted an account (`kinds`)",
        build: |p| {
            Ok(Box::new(Conv(breadth::Breadth::from_params(
                p,
                Direction::In,
            )?)))
        },
    },
    Entry {
        name: "reciprocity",
        about: "share of an account's ties that go both ways (`definition` = arc | dyad)",
        build: |p| Ok(Box::new(Conv(reciprocity::Reciprocity::from_params(p)?))),
    },
    Entry {
        name: "give-take",
        about: "replies and mentions given vs received: (given - received) / (given + received)",
        build: |p| Ok(Box::new(Conv(balance::GiveTake::from_params(p)?))),
    },
    Entry {
        name: "amplification",
        about: "distinct accounts that retweeted or quoted an account",
        build: |p| {
            Ok(Box::new(Conv(amplification::Amplification::from_params(
                p,
            )?)))
        },
    },
    Entry {
        name: "tag-participation",
        about: "distinct tags (or UTC days: `unit = day`) an account took part in",
        build: |p| Ok(Box::new(Conv(tags::TagParticipation::from_params(p)?))),
    },
    Entry {
        name: "bridging",
        about: "share of an account's conversation that crosses the groups of `attribute`",
        build: |p| {
            Ok(Box::new(Conv(bridging::Bridging::from_params(
                p,
                Form::Share,
            )?)))
        },
    },
    Entry {
        name: "ei-index",
        about: "Krackhardt & Stern's E-I index per account over the groups of `attribute`",
        build: |p| {
            Ok(Box::new(Conv(bridging::Bridging::from_params(
                p,
                Form::EiIndex,
            )?)))
        },
    },
    Entry {
        name: "betweenness",
        about: "shortest-path betweenness: who lies between others (exact, or sampled with an error bound)",
        build: |p| Ok(Box::new(betweenness::BetweennessMethod::from_params(p)?)),
    },
    Entry {
        name: "constraint",
        about: "Burt's constraint, lowest first: who brokers between contacts that are not tied to each other",
        build: |p| {
            Ok(Box::new(constraint::StructuralHolesMethod::from_params(
                p,
                constraint::Measure::Constraint,
            )?))
        },
    },
    Entry {
        name: "effective-size",
        about: "Burt's effective size: contacts less their redundancy",
        build: |p| {
            Ok(Box::new(constraint::StructuralHolesMethod::from_params(
                p,
                constraint::Measure::EffectiveSize,
            )?))
        },
    },
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

    fn cost_model(&self) -> CostModel {
        self.0.cost_model()
    }

    fn seed_list(&self) -> Option<&str> {
        self.0.seed_list()
    }

    fn seed_threshold(&self) -> Option<(&'static str, usize)> {
        self.0.seed_threshold()
    }

    fn is_rule(&self) -> bool {
        self.0.is_rule()
    }

    fn explain_empty(&self, r: &Ranking, a: &Audience) -> Option<String> {
        self.0.explain_empty(r, a)
    }

    fn forced_order(&self) -> Option<super::Forced> {
        self.0.forced_order()
    }

    fn counts_events(&self) -> bool {
        self.0.counts_events()
    }

    fn reads_graph(&self) -> bool {
        self.0.reads_graph()
    }

    fn summary(&self, name: &str, r: &Ranking, a: &Audience) -> Option<String> {
        self.0.summary(name, r, a)
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

/// The method called `method`, from the registry, or the published rule of that name
/// from the [`catalogue`].
pub(super) fn build_unchecked(method: &str, params: &toml::Table) -> Result<Box<dyn Method>> {
    if let Some(e) = METHODS.iter().find(|e| e.name == method) {
        return (e.build)(params);
    }
    if let Some(r) = catalogue::find(method) {
        return catalogue::build(r, params);
    }
    bail!(
        "unknown method {method:?}; known methods: {}; published rules: {}",
        METHODS
            .iter()
            .map(|e| e.name)
            .collect::<Vec<_>>()
            .join(", "),
        catalogue::RULES
            .iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The score check forwards what the method says about itself: a default of the
    /// `Method` trait that `Checked` did not forward would silently hide the method's
    /// answer from every caller (the threshold sweep lost its reference line that way).
    #[test]
    fn the_checked_method_forwards_what_the_method_says() {
        let params: toml::Table =
            toml::from_str("seeds = \"s\"\nmin_follows = 3\nby = [\"followers\"]").unwrap();
        let inner = build_unchecked(crate::rankings::follow_seeds::NAME, &params).unwrap();
        let checked = build(crate::rankings::follow_seeds::NAME, &params).unwrap();
        assert_eq!(checked.seed_threshold(), Some(("min_follows", 3)));
        assert_eq!(checked.seed_threshold(), inner.seed_threshold());
        assert_eq!(checked.seed_list(), inner.seed_list());
        assert_eq!(checked.is_rule(), inner.is_rule());
        assert_eq!(checked.method(), inner.method());
        assert_eq!(checked.cost_model(), inner.cost_model());
    }

    /// Every listed method builds (or fails on its own parameters, never as unknown),
    /// under the name it answers to, and no name is listed twice.
    #[test]
    fn every_entry_builds_under_its_own_name() {
        let mut seen = std::collections::BTreeSet::new();
        for e in METHODS {
            assert!(seen.insert(e.name), "{} is listed twice", e.name);
            match build(e.name, &toml::Table::new()) {
                Ok(m) => assert_eq!(m.method(), e.name),
                Err(err) => assert!(
                    !err.to_string().contains("unknown method"),
                    "{}: {err}",
                    e.name
                ),
            }
        }
        let err = build("no-such-method", &toml::Table::new()).err().unwrap();
        assert!(
            err.to_string()
                .contains("known methods: follow-seeds, columns, count"),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("published rules: nhs-2014-boat-rockers,"),
            "{err}"
        );
    }
}
