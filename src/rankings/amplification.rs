//! `amplification`: how many distinct accounts passed an account's words on.
//!
//! Summary: amplification(v) = |{s ≠ v : s retweeted or quoted v at least once}|, over
//! the selected kinds (default `retweet` and `quote`; any kinds may be named). It is
//! `breadth-in` with other default kinds, kept as its own method because it answers a
//! different question: reach by endorsement, not conversation. Counting distinct
//! amplifiers (not retweets) means one fan retweeting a hundred times counts once.
//!
//! Returns: a non-negative integer per account; every account in the population is
//! ranked, unamplified accounts at 0. Ties share a rank.
//! Complexity: O(m log m) to build the CSR, then O(n).
//! Reference: Cha, Haddadi, Benevenuto & Gummadi (2010), "Measuring user influence in
//! Twitter: the million follower fallacy": in-degree, retweets and mentions rank users
//! differently, and follower counts say little about either.

use anyhow::Result;
use serde::Deserialize;

use super::breadth::distinct_partners;
use super::conversation::{Conversation, Diag, Measured, On};
use super::{CostModel, cost_model::Mover};
use super::{Input, Precision, params};

/// The kinds read when `kinds` is not given.
pub const DEFAULT_KINDS: &[&str] = &["retweet", "quote"];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amplification {
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
}

impl Amplification {
    pub fn from_params(p: &toml::Table) -> Result<Amplification> {
        params::parse("amplification", p)
    }
}

impl Conversation for Amplification {
    fn name(&self) -> &'static str {
        "amplification"
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    fn default_kinds(&self) -> &'static [&'static str] {
        DEFAULT_KINDS
    }

    /// A retweet or quote is someone else's act.
    fn cost_model(&self) -> CostModel {
        CostModel::Count(Mover::Others)
    }

    fn measure(&self, on: On<'_>, _: &Input, _: &mut Diag) -> Result<Measured> {
        Ok(Measured {
            score: distinct_partners(&on.graph().inn)
                .into_iter()
                .map(f64::from)
                .collect(),
            eligible: None,
            precision: Precision::Exact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::conversation::fixture::{self, *};
    #[allow(unused_imports)]
    use crate::rankings::conversation::{self, Conv};
    #[allow(unused_imports)]
    use crate::rankings::{Method, Scores};

    fn run(p: &str) -> Result<Scores> {
        fixture::score(&Amplification::from_params(&params(p))?)
    }

    #[test]
    fn distinct_retweeters_and_quoters() {
        // retweets c>a, d>a; quotes d>c, c>b.
        let s = run("").unwrap();
        assert_eq!(s.score, vec![2.0, 1.0, 1.0, 0.0, 0.0]);
        assert!(s.eligible.iter().all(|&e| e));
        assert_eq!(s.diagnostics[conversation::EVENTS_USED], 4);
    }

    #[test]
    fn kinds_are_configurable() {
        let s = run("kinds = [\"quote\"]").unwrap();
        assert_eq!(s.score, vec![0.0, 1.0, 1.0, 0.0, 0.0]);
        // Mentions as amplification: a <- e, c <- a, d <- c.
        let s = run("kinds = [\"mention\"]").unwrap();
        assert_eq!(s.score, vec![1.0, 0.0, 1.0, 1.0, 0.0]);
    }

    #[test]
    fn data_with_quotes_but_no_retweets_uses_what_is_there() {
        let mut it = fixture::events();
        it.kinds[2] = "boost".into();
        let m = Amplification::from_params(&params("")).unwrap();
        let s = fixture::score_with(&m, Some(&it)).unwrap();
        assert_eq!(s.score, vec![0.0, 1.0, 1.0, 0.0, 0.0]);
        let e = run("kinds = [\"boost\"]").unwrap_err();
        assert!(
            e.to_string().contains("kind \"boost\" does not occur"),
            "{e}"
        );
    }
}
