//! Graphs in compressed sparse row form: `csr` states the invariants and gives
//! neighbours and degrees. No algorithms live here, and nothing of the data contract:
//! the follow and interaction graphs are made from the tables by
//! [`crate::dataset::graphs`].

pub mod csr;

pub use csr::{Csr, Graph};
