//! `tag-participation`: in how many distinct conversations (tags, or days) an account
//! took part.
//!
//! Summary: an account takes part in a tag (a hashtag or tweet-chat id, the `tag`
//! column) when it is the source of at least one selected event carrying that tag;
//! with `unit = "day"`, in a UTC day when it is the source of at least one selected
//! event with a `time` in that day (day = ⌊time / 86400⌋ on Unix seconds, so days run
//! 00:00:00–23:59:59 UTC). Score = the number of distinct tags (days). Being addressed
//! is not taking part. Events without a tag (time) cannot be placed and are counted in
//! the diagnostics (`events_without_tag` / `events_without_time`).
//!
//! Arguments: `unit` (`tag` | `day`, default `tag`), `kinds` (default all).
//! Returns: a non-negative integer per account; every account in the population is
//! ranked, silent ones at 0. Ties share a rank.
//! Complexity: O(m log m): sort the (account, tag) pairs and count runs.

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::conversation::{Conversation, Diag, Measured, On, Reads};
use super::{CostModel, cost_model::Mover};
use super::{Input, Precision, params};
use crate::dataset::Interactions;

/// Seconds in a UTC day (Unix time has no leap seconds).
pub const SECONDS_PER_DAY: i64 = 86_400;

/// What counts as one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    #[default]
    Tag,
    Day,
}

/// The number of distinct (account, key) pairs per account over `events`, where `key`
/// places an event (None = cannot be placed; counted in the returned total).
pub fn distinct_per_source(
    it: &Interactions,
    events: &[usize],
    n: usize,
    key: impl Fn(usize) -> Option<i64>,
) -> (Vec<u32>, u64) {
    let mut unplaced = 0u64;
    let mut pairs: Vec<(u32, i64)> = Vec::with_capacity(events.len());
    for &i in events {
        match key(i) {
            Some(k) => pairs.push((it.source[i], k)),
            None => unplaced += 1,
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut count = vec![0u32; n];
    for (v, _) in pairs {
        count[v as usize] += 1;
    }
    (count, unplaced)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagParticipation {
    #[serde(default)]
    pub unit: Unit,
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
}

impl TagParticipation {
    pub fn from_params(p: &toml::Table) -> Result<TagParticipation> {
        params::parse("tag-participation", p)
    }
}

impl Conversation for TagParticipation {
    fn name(&self) -> &'static str {
        "tag-participation"
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    fn reads(&self) -> Reads {
        Reads::Events
    }

    /// Taking part in one more tag (or day) is the account's own act.
    fn cost_model(&self) -> CostModel {
        CostModel::Count(Mover::Itself)
    }

    fn check_events(&self, it: &Interactions) -> Result<()> {
        let name = self.name();
        match self.unit {
            Unit::Tag if it.tags.is_empty() => bail!(
                "{name}: the interactions data has no tags; add a `tag` column (hashtag or chat id) to the interactions file, or use --param unit=day to count days"
            ),
            Unit::Day if it.time.iter().all(Option::is_none) => bail!(
                "{name}: unit = \"day\" needs event times and the interactions data has none; add a `time` column (RFC 3339 or Unix seconds)"
            ),
            _ => Ok(()),
        }
    }

    fn measure(&self, on: On<'_>, input: &Input, diagnostics: &mut Diag) -> Result<Measured> {
        let name = self.name();
        let On::Events {
            events: it,
            selected: events,
            kinds,
        } = on
        else {
            unreachable!("tag-participation reads events");
        };
        let n = input.accounts.len();
        let (count, unplaced, what) = match self.unit {
            Unit::Tag => {
                let (c, u) = distinct_per_source(it, events, n, |i| it.tag[i].map(i64::from));
                (c, u, "events_without_tag")
            }
            Unit::Day => {
                let (c, u) = distinct_per_source(it, events, n, |i| {
                    it.time[i].map(|t| t.div_euclid(SECONDS_PER_DAY))
                });
                (c, u, "events_without_time")
            }
        };
        if unplaced == events.len() as u64 {
            bail!(
                "{name}: none of the {} selected events (kinds {}) has a {}; choose other kinds or the other unit",
                events.len(),
                kinds.join(", "),
                if self.unit == Unit::Tag {
                    "tag"
                } else {
                    "time"
                }
            );
        }
        diagnostics.insert(what.into(), unplaced);
        Ok(Measured {
            score: count.into_iter().map(f64::from).collect(),
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
        fixture::score(&TagParticipation::from_params(&params(p))?)
    }

    #[test]
    fn distinct_tags_as_source() {
        // a: #nhs #chat (the self-reply's #ff does not count); b: #nhs (the weight-0
        // #chat does not count); c: #chat #nhs; d: #chat #ff; e: #nhs.
        let s = run("").unwrap();
        assert_eq!(s.score, vec![2.0, 1.0, 2.0, 2.0, 1.0]);
        assert_eq!(s.diagnostics["events_without_tag"], 2);
        let s = run("kinds = [\"reply\"]").unwrap();
        assert_eq!(s.score, vec![1.0, 1.0, 0.0, 0.0, 0.0]);
        assert!(s.eligible.iter().all(|&e| e));
    }

    #[test]
    fn distinct_utc_days_as_source() {
        // a: days 0, 1; b: 0; c: 2 (twice, 00:00:00 and 23:59:59), 4; d: 2 (one event
        // has no time); e: 3.
        let s = run("unit = \"day\"").unwrap();
        assert_eq!(s.score, vec![2.0, 1.0, 2.0, 1.0, 1.0]);
        assert_eq!(s.diagnostics["events_without_time"], 1);
    }

    #[test]
    fn days_before_1970_floor_correctly() {
        let mut it = fixture::events();
        // a's events at -1 s and 0 s fall on different days (1969-12-31 and 1970-01-01).
        it.time[0] = Some(-1);
        it.time[2] = Some(0);
        it.time[3] = Some(0);
        let m = TagParticipation::from_params(&params("unit = \"day\"")).unwrap();
        let s = fixture::score_with(&m, Some(&it)).unwrap();
        assert_eq!(s.score[A], 2.0);
        it.time[0] = Some(0);
        let s = fixture::score_with(&m, Some(&it)).unwrap();
        assert_eq!(s.score[A], 1.0);
    }

    #[test]
    fn missing_tags_or_times_are_errors() {
        let mut it = fixture::events();
        it.tags.clear();
        it.tag = vec![None; it.len()];
        let m = TagParticipation::from_params(&params("")).unwrap();
        let e = fixture::score_with(&m, Some(&it)).unwrap_err().to_string();
        assert!(e.contains("has no tags; add a `tag` column"), "{e}");
        it.time = vec![None; it.len()];
        let m = TagParticipation::from_params(&params("unit = \"day\"")).unwrap();
        let e = fixture::score_with(&m, Some(&it)).unwrap_err().to_string();
        assert!(e.contains("needs event times"), "{e}");
        // Tags exist, but none of the selected events (the two quotes) carries one.
        let mut it = fixture::events();
        it.tag[6] = None;
        it.tag[11] = None;
        let m = TagParticipation::from_params(&params("kinds = [\"quote\"]")).unwrap();
        let e = fixture::score_with(&m, Some(&it)).unwrap_err().to_string();
        assert!(
            e.contains("none of the 2 selected events (kinds quote) has a tag"),
            "{e}"
        );
    }
}
