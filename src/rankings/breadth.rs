//! `breadth-out` and `breadth-in`: how many distinct accounts an account talks to, or
//! is talked to by.
//!
//! Summary: on the graph of selected events (an arc s -> t when s replied to /
//! mentioned / retweeted / quoted t at least once), breadth-out(v) = |{t ≠ v : v -> t}|
//! and breadth-in(v) = |{s ≠ v : s -> v}|. Repeated events to the same partner count
//! once: a hundred replies to one colleague is breadth 1. Partners are any account in
//! the data, inside the population or not.
//!
//! Arguments: `kinds` (default: every kind in the data; presets worth naming:
//! `["reply"]`, `["mention", "reply"]`).
//! Returns: a non-negative integer per account; every account in the population is
//! ranked, those with no partner at 0. Ties share a rank.
//! Complexity: O(m log m) to sort the events into a CSR, then O(n).
//! Reference: Cha, Haddadi, Benevenuto & Gummadi (2010), "Measuring user influence in
//! Twitter: the million follower fallacy" (distinct repliers/mentioners vs followers).

use anyhow::Result;

use super::conversation::{Conversation, Diag, Measured, On};
use super::{CostModel, cost_model::Mover};
use super::{Input, Precision, params};
use crate::graph::Csr;

/// Which side of the arc counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Partners the account acted on.
    Out,
    /// Partners who acted on the account.
    In,
}

/// Distinct neighbours of every node other than itself.
pub fn distinct_partners(adj: &Csr) -> Vec<u32> {
    (0..adj.node_count() as u32)
        .map(|v| {
            let nb = adj.neighbors(v);
            (nb.len() - nb.binary_search(&v).is_ok() as usize) as u32
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Breadth {
    pub direction: Direction,
    /// Interaction kinds to read (None = every kind).
    pub kinds: Option<Vec<String>>,
}

impl Breadth {
    pub fn from_params(p: &toml::Table, direction: Direction) -> Result<Breadth> {
        let name = Self::name(direction);
        let q: params::OfKinds = params::parse(name, p)?;
        Ok(Breadth {
            direction,
            kinds: q.kinds,
        })
    }

    fn name(direction: Direction) -> &'static str {
        match direction {
            Direction::Out => "breadth-out",
            Direction::In => "breadth-in",
        }
    }
}

impl Conversation for Breadth {
    fn name(&self) -> &'static str {
        Self::name(self.direction)
    }

    fn kinds(&self) -> Option<&[String]> {
        self.kinds.as_deref()
    }

    /// Reaching one more partner is the account's own act; being reached, others'.
    fn cost_model(&self) -> CostModel {
        CostModel::Count(match self.direction {
            Direction::Out => Mover::Itself,
            Direction::In => Mover::Others,
        })
    }

    fn measure(&self, on: On<'_>, _: &Input, _: &mut Diag) -> Result<Measured> {
        let g = on.graph();
        let adj = match self.direction {
            Direction::Out => &g.out,
            Direction::In => &g.inn,
        };
        Ok(Measured {
            score: distinct_partners(adj).into_iter().map(f64::from).collect(),
            eligible: None,
            precision: Precision::Exact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;
    use crate::rankings::conversation::fixture::{self, *};
    #[allow(unused_imports)]
    use crate::rankings::conversation::{self, Conv};
    #[allow(unused_imports)]
    use crate::rankings::{Method, Scores};

    fn run(direction: Direction, p: &str) -> Result<Scores> {
        fixture::score(&Breadth::from_params(&params(p), direction)?)
    }

    #[test]
    fn all_kinds_out_and_in() {
        // Distinct arcs: a>b b>a a>c c>a d>a d>c c>d e>a c>b (a>c twice: once).
        let s = run(Direction::Out, "").unwrap();
        assert_eq!(s.score, vec![2.0, 1.0, 3.0, 2.0, 1.0]);
        assert!(s.eligible.iter().all(|&e| e));
        assert_eq!(s.diagnostics[conversation::EVENTS_USED], 10);
        assert_eq!(s.diagnostics[conversation::EXCLUDED_SELF], 1);
        let s = run(Direction::In, "").unwrap();
        assert_eq!(s.score, vec![4.0, 2.0, 2.0, 1.0, 0.0]);
    }

    #[test]
    fn replies_only_ignore_the_self_reply_and_the_zero_weight_reply() {
        // Replies: a>b, b>a, a>c (x1 w2); a>a is a self-interaction, b>d has weight 0.
        let s = run(Direction::Out, "kinds = [\"reply\"]").unwrap();
        assert_eq!(s.score, vec![2.0, 1.0, 0.0, 0.0, 0.0]);
        let s = run(Direction::In, "kinds = [\"reply\", \"mention\"]").unwrap();
        // a <- b, e; b <- a; c <- a; d <- c.
        assert_eq!(s.score, vec![2.0, 1.0, 1.0, 1.0, 0.0]);
    }

    #[test]
    fn errors_name_the_problem() {
        let e = run(Direction::Out, "kinds = [\"like\"]").unwrap_err();
        assert!(format!("{e:#}").contains("kinds present: mention, quote, reply, retweet"));
        let e = run(Direction::Out, "kind = [\"reply\"]").unwrap_err();
        assert!(format!("{e:#}").contains("unknown field `kind`"), "{e:#}");
        let m = Breadth::from_params(&params(""), Direction::In).unwrap();
        let e = fixture::score_with(&m, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("breadth-in needs an interactions table")
        );
    }

    #[test]
    fn self_loops_in_a_graph_do_not_count() {
        let g = Graph::from_pairs(3, &[(0, 0), (0, 1), (0, 2), (1, 1)]);
        assert_eq!(distinct_partners(&g.out), vec![2, 0, 0]);
        assert_eq!(distinct_partners(&g.inn), vec![0, 1, 1]);
    }
}
