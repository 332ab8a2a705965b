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
//! perturbation families (seed lists, thresholds, data) with a replicate-indexed RNG, so
//! results do not depend on thread scheduling, and summarises rank distributions.
//! [`critique`] asks whom a ranking favours and how cheaply it is gamed. [`results`] is
//! the leaf model of everything computed; [`output`] is the one place that writes files
//! (atomically): the tables and the run manifest; [`plots`] draws the figures and
//! [`report`] writes the plain-language report. [`audit`] calls these stages in this
//! order and does nothing else; [`cli`] turns the command line into calls and shows
//! progress through the [`progress`] observer.
//!
//! The modules are listed below in dependency order: each uses only modules above it
//! (`rustfmt.toml` keeps the order).

pub mod progress;
pub mod compare;
pub mod graph;
pub mod dataset;
pub mod rankings;
pub mod sensitivity;
pub mod critique;
pub mod study;
pub mod results;
pub mod output;
pub mod plots;
pub mod report;
pub mod audit;
pub mod synth;
pub mod cli;
