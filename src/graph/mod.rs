//! Graphs in compressed sparse row form: `csr` states the invariants and gives
//! neighbours and degrees. No algorithms live here, and nothing of the data contract:
//! the follow and interaction graphs are made from the tables by
//! [`crate::dataset::graphs`].

pub mod csr;
pub mod slab;

pub use csr::{Csr, Graph};
pub use slab::Slab;
