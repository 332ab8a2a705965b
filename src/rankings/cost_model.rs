//! How a method can be gamed: each method declares, in its own file, the cost model the
//! gaming analysis ([`crate::critique::gaming`]) applies to it. The analysis knows the
//! models, never the method names, so a new method states its model where it is
//! defined (or keeps the default: not costed, with the reason).

use super::follow_seeds::FollowSeeds;

/// Why shortest-path and ego-network measures are not costed.
pub const TOO_COSTLY_TO_SEARCH: &str = "every evaluation recomputes all shortest paths or every ego network; a search needs hundreds per ranking";

/// Who moves a count by acting.
#[derive(Debug, Clone, PartialEq)]
pub enum Mover {
    /// The account itself (posting, replying, following).
    Itself,
    /// Other accounts (following it, retweeting it).
    Others,
    /// A column of the accounts table: the study's `[critique] self_columns` say whether
    /// the account moves it alone.
    Column(String),
}

/// Which edges a graph search adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    /// New follows.
    Follows,
    /// New interaction events (of the kind the method reads).
    Events,
}

/// Which accounts a graph search tries first as new followers or partners (helpers),
/// and as accounts to follow or engage (targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Helpers {
    /// A helper passes on its score split over its out-edges (PageRank).
    PassOn,
    /// Authorities gain from hubs (many follows).
    Authority,
    /// Hubs gain from following authorities (many followers).
    Hub,
    /// The accounts with the best scores help most.
    Score,
}

/// The gaming cost model of a method.
#[derive(Debug, Clone, PartialEq)]
pub enum CostModel {
    /// The score is a count that one action of `Mover` raises by one: closed form.
    Count(Mover),
    /// Lower is better for this column: searched, lowering it down to zero.
    ColumnDown(String),
    /// The follow-seeds rule: qualify by following seeds (the account's own act), then
    /// its count columns (closed form for lexicographic, product and single-column
    /// rules; searched otherwise).
    Rule(FollowSeeds),
    /// Searched over new edges of the follow graph or of the interaction graph;
    /// `kinds` are the interaction kinds the method reads (the first is the kind of new
    /// events; empty = the data's usual one).
    Search {
        edges: Edges,
        helpers: Helpers,
        kinds: Vec<String>,
    },
    /// Searched over the accounts' columns, each raised (+1) or lowered (-1).
    Columns(Vec<(String, f64)>),
    /// Not costed, for the reason given.
    NotCosted(String),
}

impl CostModel {
    /// A search over the edges of the graph `graph` (follows or interactions).
    pub fn graph_search(
        graph: super::params::GraphChoice,
        helpers: Helpers,
        kinds: &[String],
    ) -> CostModel {
        CostModel::Search {
            edges: match graph {
                super::params::GraphChoice::Follows => Edges::Follows,
                super::params::GraphChoice::Interactions => Edges::Events,
            },
            helpers,
            kinds: kinds.to_vec(),
        }
    }

    /// A search over new conversation events of `kinds` (None = the method's default).
    pub fn events(kinds: Option<&Vec<String>>) -> CostModel {
        CostModel::Search {
            edges: Edges::Events,
            helpers: Helpers::Score,
            kinds: kinds.cloned().unwrap_or_default(),
        }
    }
}
