//! What the conversation methods share: the events table, the `kinds` selection, the
//! graph of selected arcs, and the skeleton every one of them follows (events ->
//! kinds -> selected events or their graph -> scores): a measure implements the small
//! [`Conversation`] trait, and [`Conv`] makes it a [`Method`]. A new conversation
//! measure is one file (its `Conversation`) and one registry entry.
//!
//! Policies, the same for every conversation method (see METHODOLOGY_conv.md):
//! - `kinds` names interaction kinds as they appear in the data. A kind the data does
//!   not contain is an error that lists the kinds present. A method's default kinds
//!   need only partly occur (Higgs has retweets but no quotes); if none occurs, that
//!   is an error too.
//! - A self-interaction (source == target, kept only under `self_loops = "keep"`) never
//!   counts; nor does an event of weight 0 (as in the interaction graph). Both are
//!   counted in the diagnostics.
//! - Selecting nothing is an error, not an all-tied ranking.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use super::{CostModel, Input, Method, Precision, Scores};
use crate::dataset::Interactions;
use crate::graph::Graph;

/// A method's diagnostics: counts by name.
pub type Diag = BTreeMap<String, u64>;

/// What a conversation measure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// The graph of the selected events (arcs source -> target, weights summed).
    EventGraph,
    /// The selected events themselves.
    Events,
    /// The follow graph (no events are read).
    Follows,
}

/// What a measure is given: a graph, or the events table with the selected indices.
pub enum On<'a> {
    Graph(&'a Graph),
    Events {
        events: &'a Interactions,
        selected: &'a [usize],
        /// The selected kinds, for messages.
        kinds: &'a [String],
    },
}

/// A measure's scores before ranking: `eligible` None = the population.
pub struct Measured {
    pub score: Vec<f64>,
    pub eligible: Option<Vec<bool>>,
    pub precision: Precision,
}

/// A conversation measure: how it selects events and what it computes from them. The
/// skeleton around it (the events table, the `kinds` check, self-interactions and
/// zero weights, the diagnostics) is [`Conv`]'s, the same for every measure.
pub trait Conversation: Send + Sync {
    /// The method's name.
    fn name(&self) -> &'static str;
    /// `kinds` as declared (None = [`Conversation::default_kinds`]).
    fn kinds(&self) -> Option<&[String]>;
    /// The kinds read when `kinds` is not given ([`ALL_KINDS`] = every kind).
    fn default_kinds(&self) -> &'static [&'static str] {
        ALL_KINDS
    }
    fn reads(&self) -> Reads {
        Reads::EventGraph
    }
    /// Checks that need no events (columns the measure reads), first.
    fn check(&self, _input: &Input) -> Result<()> {
        Ok(())
    }
    /// Checks of the events table before kinds are selected.
    fn check_events(&self, _events: &Interactions) -> Result<()> {
        Ok(())
    }
    /// The scores, from what [`Conversation::reads`] asked for.
    fn measure(&self, on: On<'_>, input: &Input, diag: &mut Diag) -> Result<Measured>;
    /// The gaming cost model (see [`super::cost_model`]).
    fn cost_model(&self) -> CostModel;
}

/// A [`Conversation`] as a ranking [`Method`].
#[derive(Debug, Clone, PartialEq)]
pub struct Conv<C>(pub C);

impl<C: Conversation> Method for Conv<C> {
    fn method(&self) -> &'static str {
        self.0.name()
    }

    fn cost_model(&self) -> CostModel {
        self.0.cost_model()
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let c = &self.0;
        let name = c.name();
        c.check(input)?;
        let mut diagnostics = BTreeMap::new();
        let measured = match c.reads() {
            Reads::Follows => c.measure(On::Graph(input.follows), input, &mut diagnostics)?,
            reads => {
                let it = events(input, name)?;
                c.check_events(it)?;
                let filter = EventFilter::new(it, name, c.kinds(), c.default_kinds())?;
                if reads == Reads::Events {
                    let selected = filter.select(name, &mut diagnostics)?;
                    let on = On::Events {
                        events: it,
                        selected: &selected,
                        kinds: &filter.kinds,
                    };
                    c.measure(on, input, &mut diagnostics)?
                } else {
                    let g = filter.graph(name, input.accounts.len(), &mut diagnostics)?;
                    c.measure(On::Graph(&g), input, &mut diagnostics)?
                }
            }
        };
        Ok(Scores {
            score: measured.score,
            tiebreak: Vec::new(),
            eligible: measured
                .eligible
                .unwrap_or_else(|| input.population.to_vec()),
            qualified: None,
            diagnostics,
            precision: measured.precision,
        })
    }
}

impl On<'_> {
    /// The graph (for measures that read one).
    pub fn graph(&self) -> &Graph {
        match self {
            On::Graph(g) => g,
            On::Events { .. } => unreachable!("a measure that reads a graph is given one"),
        }
    }
}

/// Diagnostics: events of the selected kinds that count.
pub const EVENTS_USED: &str = "events_used";
/// Diagnostics: selected events dropped because source == target.
pub const EXCLUDED_SELF: &str = "excluded_self_interaction";
/// Diagnostics: selected events dropped because their weight is 0.
pub const EXCLUDED_ZERO_WEIGHT: &str = "excluded_zero_weight";

/// Default kinds: every kind in the data.
pub const ALL_KINDS: &[&str] = &[];

/// The interaction events, or an error saying the method needs them.
pub fn events<'a>(input: &Input<'a>, method: &str) -> Result<&'a Interactions> {
    match input.events {
        Some(it) if !it.is_empty() => Ok(it),
        _ => bail!(
            "{method} needs an interactions table (source, target, kind) and the data has none; give --interactions FILE, or [data.interactions] in the study file"
        ),
    }
}

fn present(it: &Interactions) -> String {
    let mut k = it.kinds.clone();
    k.sort();
    k.join(", ")
}

/// Which events a method reads: a kind mask over `it.kinds`.
#[derive(Debug, Clone)]
pub struct EventFilter<'a> {
    it: &'a Interactions,
    keep_kind: Vec<bool>,
    /// The kinds selected that occur in the data, in the order given, for messages.
    pub kinds: Vec<String>,
}

impl<'a> EventFilter<'a> {
    /// Resolve `kinds` (None = the method's `default`; an empty default = all kinds).
    pub fn new(
        it: &'a Interactions,
        method: &str,
        kinds: Option<&[String]>,
        default: &[&str],
    ) -> Result<EventFilter<'a>> {
        let index = |k: &str| it.kinds.iter().position(|x| x == k);
        let wanted: Vec<String> = match kinds {
            Some([]) => bail!(
                "{method}: `kinds` is empty; leave it out for the default, or name some of the kinds present: {}",
                present(it)
            ),
            Some(ks) => {
                for k in ks {
                    if index(k).is_none() {
                        bail!(
                            "{method}: kind {k:?} does not occur in the interactions data; kinds present: {}",
                            present(it)
                        );
                    }
                }
                ks.to_vec()
            }
            None if default.is_empty() => it.kinds.clone(),
            None => {
                let found: Vec<String> = default
                    .iter()
                    .filter(|k| index(k).is_some())
                    .map(|k| k.to_string())
                    .collect();
                if found.is_empty() {
                    bail!(
                        "{method}: none of its default kinds ({}) occurs in the interactions data; kinds present: {}. Choose with `kinds`, e.g. --param 'kinds=[\"{}\"]'",
                        default.join(", "),
                        present(it),
                        it.kinds.first().map(String::as_str).unwrap_or("reply")
                    );
                }
                found
            }
        };
        let mut keep_kind = vec![false; it.kinds.len()];
        for k in &wanted {
            keep_kind[index(k).expect("checked above")] = true;
        }
        Ok(EventFilter {
            it,
            keep_kind,
            kinds: wanted,
        })
    }

    /// Indices of the events that count (selected kind, not a self-interaction, weight
    /// > 0), with the exclusions added to `diag`. Error if none remains.
    pub fn select(&self, method: &str, diag: &mut BTreeMap<String, u64>) -> Result<Vec<usize>> {
        let it = self.it;
        let (mut self_loops, mut zero) = (0u64, 0u64);
        let mut out = Vec::with_capacity(it.len());
        for i in 0..it.len() {
            if !self.keep_kind[it.kind[i] as usize] {
                continue;
            }
            if it.source[i] == it.target[i] {
                self_loops += 1;
            } else if it.weight[i] <= 0.0 {
                zero += 1;
            } else {
                out.push(i);
            }
        }
        if out.is_empty() {
            bail!(
                "{method}: no events of kind {} remain after excluding {self_loops} self-interactions and {zero} events of weight 0; nothing to rank",
                self.kinds.join(", ")
            );
        }
        diag.insert(EVENTS_USED.into(), out.len() as u64);
        if self_loops > 0 {
            diag.insert(EXCLUDED_SELF.into(), self_loops);
        }
        if zero > 0 {
            diag.insert(EXCLUDED_ZERO_WEIGHT.into(), zero);
        }
        Ok(out)
    }

    /// The selected events as a graph on `n` accounts: arc source -> target, parallel
    /// events merged with weights summed, no self-loops.
    pub fn graph(&self, method: &str, n: usize, diag: &mut BTreeMap<String, u64>) -> Result<Graph> {
        let it = self.it;
        let edges = self
            .select(method, diag)?
            .into_iter()
            .map(|i| (it.source[i], it.target[i], it.weight[i]))
            .collect();
        Ok(Graph::from_edges(n, edges, true))
    }
}

/// Merge two sorted, distinct neighbour lists, skipping `skip` (the node itself):
/// calls `f(partner, position in a, position in b)` once per partner in either list,
/// ascending.
pub fn merge_partners(
    a: &[u32],
    b: &[u32],
    skip: u32,
    mut f: impl FnMut(u32, Option<usize>, Option<usize>),
) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (p, ia, ib) = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => (x, Some(i), Some(j)),
            (Some(&x), Some(&y)) if x < y => (x, Some(i), None),
            (Some(_), Some(&y)) => (y, None, Some(j)),
            (Some(&x), None) => (x, Some(i), None),
            (None, Some(&y)) => (y, None, Some(j)),
            (None, None) => unreachable!("the loop condition"),
        };
        i += ia.is_some() as usize;
        j += ib.is_some() as usize;
        if p != skip {
            f(p, ia, ib);
        }
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! The 5-account fixture every conversation method's unit tests use.
    //!
    //! Accounts (party): a (D), b (D), c (R), d (R), e (missing party).
    //! Events (source -> target, kind, weight, tag, time):
    //!
    //! | #  | event  | kind    | w | tag    | time                       |
    //! |----|--------|---------|---|--------|----------------------------|
    //! | 0  | a -> b | reply   | 1 | #nhs   | day 0                      |
    //! | 1  | b -> a | reply   | 1 | #nhs   | day 0                      |
    //! | 2  | a -> c | mention | 1 | #chat  | day 1                      |
    //! | 3  | a -> c | reply   | 2 | (none) | day 1                      |
    //! | 4  | c -> a | retweet | 1 | #chat  | day 2                      |
    //! | 5  | d -> a | retweet | 1 | #chat  | (none)                     |
    //! | 6  | d -> c | quote   | 1 | #ff    | day 2                      |
    //! | 7  | c -> d | mention | 1 | (none) | day 2, 23:59:59            |
    //! | 8  | e -> a | mention | 1 | #nhs   | day 3                      |
    //! | 9  | a -> a | reply   | 1 | #ff    | day 3 (self-interaction)   |
    //! | 10 | b -> d | reply   | 0 | #chat  | day 3 (weight 0)           |
    //! | 11 | c -> b | quote   | 1 | #nhs   | day 4                      |
    //!
    //! Day d is Unix seconds [d * 86400, (d + 1) * 86400). Events 9 and 10 never count.
    use std::collections::BTreeMap;

    use super::{Conv, Conversation};
    use crate::dataset::{Accounts, Ids, Interactions};
    use crate::graph::Graph;
    use crate::rankings::{Input, Method, Scores};

    pub const A: usize = 0;
    pub const B: usize = 1;
    pub const C: usize = 2;
    pub const D: usize = 3;
    pub const E: usize = 4;
    pub const DAY: i64 = 86_400;

    pub fn accounts() -> Accounts {
        let mut ids = Ids::new();
        for n in ["a", "b", "c", "d", "e"] {
            ids.intern(n);
        }
        let mut acc = Accounts {
            ids,
            listed: 5,
            ..Default::default()
        };
        let party = ["D", "D", "R", "R"]
            .iter()
            .map(|s| Some(s.to_string()))
            .chain([None])
            .collect();
        acc.text.insert("party".into(), party);
        acc
    }

    /// source, target, kind, weight, tag, time.
    type Row = (usize, usize, &'static str, f64, Option<u32>, Option<i64>);

    pub fn events() -> Interactions {
        let kinds = ["reply", "mention", "retweet", "quote"];
        let k = |s: &str| kinds.iter().position(|x| *x == s).unwrap() as u16;
        let rows: [Row; 12] = [
            (A, B, "reply", 1.0, Some(0), Some(10)),
            (B, A, "reply", 1.0, Some(0), Some(20)),
            (A, C, "mention", 1.0, Some(1), Some(DAY + 5)),
            (A, C, "reply", 2.0, None, Some(DAY + 6)),
            (C, A, "retweet", 1.0, Some(1), Some(2 * DAY)),
            (D, A, "retweet", 1.0, Some(1), None),
            (D, C, "quote", 1.0, Some(2), Some(2 * DAY + 1)),
            (C, D, "mention", 1.0, None, Some(3 * DAY - 1)),
            (E, A, "mention", 1.0, Some(0), Some(3 * DAY)),
            (A, A, "reply", 1.0, Some(2), Some(3 * DAY + 1)),
            (B, D, "reply", 0.0, Some(1), Some(3 * DAY + 2)),
            (C, B, "quote", 1.0, Some(0), Some(4 * DAY)),
        ];
        Interactions {
            source: rows.iter().map(|r| r.0 as u32).collect(),
            target: rows.iter().map(|r| r.1 as u32).collect(),
            kind: rows.iter().map(|r| k(r.2)).collect(),
            kinds: kinds.iter().map(|s| s.to_string()).collect(),
            weight: rows.iter().map(|r| r.3).collect(),
            tag: rows.iter().map(|r| r.4).collect(),
            tags: vec!["#nhs".into(), "#chat".into(), "#ff".into()],
            time: rows.iter().map(|r| r.5).collect(),
        }
    }

    /// a -> b, b -> a, a -> c, c -> d, e -> a (unweighted follow graph).
    pub fn follows() -> Graph {
        Graph::from_pairs(5, &[(0, 1), (1, 0), (0, 2), (2, 3), (4, 0)])
    }

    /// Score the measure `c` (as a [`Method`], through [`Conv`]) on the fixture
    /// (population = everyone) with `events` as given.
    pub fn score_with<C: Conversation + Clone>(
        c: &C,
        events: Option<&Interactions>,
    ) -> anyhow::Result<Scores> {
        let m = Conv(c.clone());
        let acc = accounts();
        let fg = follows();
        let pop = vec![true; 5];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &fg,
            interactions: None,
            events,
            population: &pop,
            seed_lists: &lists,
        };
        m.score(&input)
    }

    pub fn score<C: Conversation + Clone>(c: &C) -> anyhow::Result<Scores> {
        score_with(c, Some(&events()))
    }

    /// Params from `key = value` TOML lines.
    pub fn params(s: &str) -> toml::Table {
        toml::from_str(s).unwrap()
    }

    /// (score, eligible) per account.
    pub fn pairs(s: &Scores) -> Vec<(f64, bool)> {
        s.score
            .iter()
            .copied()
            .zip(s.eligible.iter().copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{self, A, B, C, D};
    use super::*;

    fn filter<'a>(
        it: &'a Interactions,
        kinds: Option<&[&str]>,
        default: &[&str],
    ) -> Result<EventFilter<'a>> {
        let owned: Option<Vec<String>> = kinds.map(|k| k.iter().map(|s| s.to_string()).collect());
        EventFilter::new(it, "m", owned.as_deref(), default)
    }

    #[test]
    fn default_all_selects_every_counting_event() {
        let it = fixture::events();
        let mut d = BTreeMap::new();
        let sel = filter(&it, None, ALL_KINDS)
            .unwrap()
            .select("m", &mut d)
            .unwrap();
        assert_eq!(sel, vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 11]);
        assert_eq!(d[EVENTS_USED], 10);
        assert_eq!(d[EXCLUDED_SELF], 1);
        assert_eq!(d[EXCLUDED_ZERO_WEIGHT], 1);
    }

    #[test]
    fn unknown_kind_lists_the_kinds_present() {
        let it = fixture::events();
        let e = filter(&it, Some(&["reply", "like"]), ALL_KINDS)
            .unwrap_err()
            .to_string();
        assert!(e.contains("kind \"like\" does not occur"), "{e}");
        assert!(
            e.contains("kinds present: mention, quote, reply, retweet"),
            "{e}"
        );
        let e = filter(&it, Some(&[]), ALL_KINDS).unwrap_err().to_string();
        assert!(e.contains("`kinds` is empty"), "{e}");
    }

    #[test]
    fn defaults_need_only_partly_occur() {
        let it = fixture::events();
        let f = filter(&it, None, &["retweet", "like"]).unwrap();
        assert_eq!(f.kinds, vec!["retweet"]);
        let e = filter(&it, None, &["like", "fave"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("none of its default kinds (like, fave)"), "{e}");
    }

    #[test]
    fn selecting_only_excluded_events_is_an_error() {
        let mut it = fixture::events();
        // Only the self-loop (#9) and the weight-0 reply (#10) are replies now.
        for i in [0, 1, 3] {
            it.kind[i] = 1;
        }
        let e = filter(&it, Some(&["reply"]), ALL_KINDS)
            .unwrap()
            .select("m", &mut BTreeMap::new())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("after excluding 1 self-interactions and 1 events of weight 0"),
            "{e}"
        );
    }

    #[test]
    fn graph_merges_parallel_events_and_drops_self_loops() {
        let it = fixture::events();
        let g = filter(&it, Some(&["reply", "mention"]), ALL_KINDS)
            .unwrap()
            .graph("m", 5, &mut BTreeMap::new())
            .unwrap();
        assert_eq!(g.out.neighbors(A as u32), &[B as u32, C as u32]);
        assert_eq!(g.out.neighbor_weights(A as u32), Some(&[1.0, 3.0][..]));
        assert!(g.inn.neighbors(D as u32).contains(&(C as u32)));
        assert_eq!(g.edge_count(), 5); // a>b b>a a>c c>d e>a
    }

    #[test]
    fn missing_events_table_is_an_error() {
        let acc = fixture::accounts();
        let fg = fixture::follows();
        let pop = vec![true; 5];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &fg,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let e = events_of(&input).unwrap_err().to_string();
        assert!(e.contains("m needs an interactions table"), "{e}");
    }

    fn events_of<'a>(input: &Input<'a>) -> Result<&'a Interactions> {
        events(input, "m")
    }

    #[test]
    fn merge_visits_the_union_once_without_self() {
        let mut got = Vec::new();
        merge_partners(&[1, 3, 5, 7], &[0, 3, 7, 9], 5, |p, a, b| {
            got.push((p, a, b))
        });
        assert_eq!(
            got,
            vec![
                (0, None, Some(0)),
                (1, Some(0), None),
                (3, Some(1), Some(1)),
                (7, Some(3), Some(2)),
                (9, None, Some(3))
            ]
        );
    }
}
