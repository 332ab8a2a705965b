//! Graphs in compressed sparse row form: `csr` states the invariants and gives
//! neighbours and degrees; `build` makes the follow and interaction graphs from a
//! [`crate::dataset::Dataset`]. No algorithms live here.

pub mod build;
pub mod csr;

pub use build::{InteractionFilter, follow_graph, interaction_graph};
pub use csr::{Csr, Graph};
