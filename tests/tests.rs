//! The one integration test binary (polars makes every extra test binary a slow link).
//!
//! Contents:
//! 1. reference: agreement with networkx / scipy fixtures (tests/fixtures/reference);
//!    reference_net1: hits, k-core, eigenvector and katz against networkx
//!    reference_conv: the conversation methods against networkx (conv.json)
//!    reference_net2: betweenness, constraint, effective size against networkx
//! 2. quick mode: `rankaudit rank` on small fixtures, every input format;
//!    quick_conv: the conversation methods on tests/fixtures/conv
//! 3. bad input: each mistake exits non-zero with a message naming file and line
//! 4. audit: a small study end to end; outputs, accounting, determinism across threads
//! 5. bundled data: the us-house-2022 study (and ../shared/data where present)
//! 6. synth: `rankaudit synth` is deterministic and its study runs end to end
//! 7. safety: huge universe counts refused with a message; a killed run never leaves a
//!    folder that mixes two runs under a manifest; quick mode's manifest
//! 8. fuzz_smoke: the fuzz corpus and a few thousand mutations through every loader
//!    (tests/fuzz holds the cargo-fuzz targets and their harness)
//! 9. architecture: lib.rs lists the modules in dependency order; no module uses one
//!    listed after it (so no import circle)
//! 10. import: `rankaudit import` writes canonical tables that `rank` reads back to the
//!     same rankings as the original files
//! 11. privacy: a pseudonymised audit and quick run leak no private id, label or name
//!     into any output (bytes and Parquet read back); key errors
//! 12. graph_files: the GEXF / GraphML handoffs read back with networkx and igraph, every
//!     Parquet table opened with pyarrow (each skips when Python lacks the library)
//! 13. consistency (called from the bundled tests): every count in the report's lede,
//!     its tables, the share card and the figure titles recomputed from the CSV tables
//! 14. notebook: explore.ipynb is nbformat 4, deterministic, loads only tables written;
//!     executed with nbclient (polars and pandas) it draws both charts (skips when
//!     Python lacks nbclient, ipykernel, matplotlib or a data-frame library)
//! 15. compare_cli: `rankaudit compare` on text lists (hand-computed), ties, score
//!     tables, an audit's rankings table (same numbers as the audit), bad input, scipy
//! 16. prepared: `rankaudit prepare`; audit and rank from the prepared graph file write
//!     the same bytes as from the edge list; stale, re-read or damaged files ignored
//!     with a message
//! 17. shard: `audit --shard i/N` in N processes + `merge` = the one-process bytes (N = 3
//!     and N = 7, empty slices, a Sobol design); missing, duplicated, foreign, truncated
//!     and damaged shards refused with the fix; a real Slurm array job where a
//!     single-node cluster can be started (skips otherwise)

mod support;

mod architecture;
mod audit;
mod bad_input;
mod bundled;
mod catalogue;
mod compare_cli;
mod consistency;
mod fuzz_smoke;
mod graph_files;
mod import;
mod notebook;
mod prepared;
mod privacy;
mod quick;
mod quick_conv;
mod reference;
mod reference_conv;
mod reference_net1;
mod reference_net2;
mod renumber;
mod safety;
mod shard;
mod synth;
