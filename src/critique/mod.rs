//! The critique measures: does a ranking manufacture a hierarchy (concentration of
//! prominence, over- and under-representation of groups in the top N)?

pub mod cost;
pub mod forced;
pub mod forced_order;
pub mod gaming;
pub mod hierarchy;
pub mod inclusion;
pub mod rank_ci;
pub mod rank_inference;
pub mod search;
pub mod stage;
