//! The data contract: reading the canonical tables (accounts, follows, interactions, seed
//! lists), applying the row policies, and counting every row as used or rejected.
//!
//! `schema` names the columns; `read` says where a table comes from ([`TableSource`])
//! and what a reader hands over (located text records); `import` holds the importers,
//! one file per input format behind one trait ([`Importer`]), and their registry that
//! `format = "..."` picks from; `clean` holds the policies and the per-table
//! accounting; `load` builds a [`Dataset`]; `ids` maps account ids to dense `u32`;
//! `prepared` reads and writes the prepared graph file (`rankaudit prepare`); `graphs` makes the follow and interaction graphs; `seeds` reads seed lists; `select` turns the population rule and the seed lists into
//! a mask and account indices; `privacy` replaces private accounts' ids and labels by
//! keyed pseudonyms once those are resolved.

pub mod clean;
mod fast;
pub mod graphs;
pub mod ids;
pub mod import;
pub mod load;
pub mod numbers;
pub mod prepared;
pub mod privacy;
pub mod read;
pub mod renumber;
pub mod schema;
pub mod seeds;
pub mod select;

pub use clean::{Policy, TableReport};
pub use graphs::{InteractionFilter, follow_graph, interaction_graph};
pub use ids::{Ids, NameList, Names};
pub use import::{Format, Importer};
pub use load::{
    Accounts, DataSpec, Dataset, Interactions, PreparedUse, load, load_observed, load_parsing,
};
pub use numbers::Numbers;
pub use privacy::{Key, PrivacySpec};
pub use read::TableSource;
pub use select::{Population, SeedIds, SeedList, SeedSpec, population, resolve_seeds};
