//! rankaudit: audit social-media league tables.
//!
//! The pipeline runs one way. A study file ([`study`]) names the data, the seed lists,
//! the rankings and the perturbations. [`dataset`] reads the accounts, follows and
//! interactions tables (CSV/TSV, gzip'd or not, Parquet), applies the documented row
//! policies and counts every row as used or rejected; [`dataset::ids`] maps account ids to
//! dense `u32`s. [`graph`] builds CSR adjacency (out and in) for the follow and
//! interaction graphs. [`rankings`] holds one file per method behind one trait, and turns
//! scores into competition-ranked tables. [`compare`] measures agreement between rankings
//! (Kendall tau-b, Spearman, top-k Jaccard, RBO). [`sensitivity`] re-runs a ranking under
//! perturbation families (seed lists, thresholds) with a replicate-indexed RNG, so results
//! do not depend on thread scheduling, and summarises rank distributions. [`results`] is
//! the leaf model of everything computed; [`plots`] draws the figures, [`report`] writes the plain-language report, and [`output`] is the one
//! place that writes files (atomically) and the run manifest.
//!
//! Modules: `cli` (subcommands), `study`, `dataset`, `graph`, `rankings`, `compare`,
//! `sensitivity`, `critique`, `results`, `pipeline` (the orchestrator), `plots`, `report`,
//! `output`, `synth` (synthetic inputs for scale tests).

pub mod cli;
pub mod compare;
pub mod critique;
pub mod dataset;
pub mod graph;
pub mod output;
pub mod pipeline;
pub mod plots;
pub mod rankings;
pub mod report;
pub mod results;
pub mod sensitivity;
pub mod study;
pub mod synth;
