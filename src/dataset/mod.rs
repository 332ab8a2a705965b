//! The data contract: reading the canonical tables (accounts, follows, interactions, seed
//! lists), applying the row policies, and counting every row as used or rejected.
//!
//! `schema` names the columns; `read` turns any supported file into located text
//! records; `clean` holds the policies and the per-table accounting; `load` builds a
//! [`Dataset`]; `ids` maps account ids to dense `u32`; `seeds` reads seed lists; `select` turns the population rule and the seed lists into
//! masks and indices; `write`
//! writes result tables as CSV (itself) and Parquet (through polars DataFrames).

pub mod clean;
mod fast;
pub mod ids;
pub mod load;
pub mod read;
pub mod schema;
pub mod seeds;
pub mod select;

pub use clean::{Policy, TableReport};
pub use ids::{Ids, NameList, Names};
pub use load::{Accounts, DataSpec, Dataset, Interactions, load};
pub use read::{Format, TableSource};
pub use select::{Population, SeedIds, SeedList, SeedSpec, population, resolve_seeds};
