//! The command line: raw arguments become a validated configuration once, here; nothing
//! else in the crate knows clap. One file per subcommand (its args and its `run`).

mod audit;
mod compare;
mod import;
mod merge;
mod methods;
mod prepare;
mod progress;
mod rank;
mod synth;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// Audit social-media league tables: reproduce a published ranking rule, rank the same
/// people by network alternatives, and measure how much the list depends on arbitrary
/// choices.
#[derive(Parser, Debug)]
#[command(name = "rankaudit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bars or status lines on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Worker threads (default: all cores). Results are identical at any thread count.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a study file end to end (default: the bundled us-house-2022 study).
    Audit(audit::Args),
    /// Combine the shard files of `audit --shard i/N` runs into the outputs of a
    /// one-process run (byte-identical tables, figures and report).
    Merge(merge::Args),
    /// Quick mode: one ranking of one dataset, no study file.
    Rank(Box<rank::Args>),
    /// Parse the follows table once and write its prepared graph file (ids, both
    /// adjacencies, row accounting), which later `audit` and `rank` runs of the same
    /// data map into memory instead of parsing the edge list again.
    Prepare(Box<prepare::Args>),
    /// List the ranking methods and perturbation families.
    Methods,
    /// Read inputs with any importer and write the canonical tables (CSV + Parquet,
    /// labels included) and their row accounting, for `rank` and `audit`.
    Import(import::Args),
    /// Compare two or more ranked lists with no graph (text, CSV/TSV, or an audit's
    /// rankings table): tau-b, Spearman, weighted tau, RBO with bounds, top-k overlap.
    Compare(compare::Args),
    /// Write synthetic inputs (R-MAT follow graph, accounts, interactions, seeds, study).
    Synth(synth::Args),
}

/// Parse the command line and run.
pub fn run() -> Result<()> {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        anyhow::ensure!(n >= 1, "--threads must be >= 1");
        // SAFETY: no other thread exists yet; polars reads this when its pool starts.
        unsafe { std::env::set_var("POLARS_MAX_THREADS", n.to_string()) };
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up the thread pool")?;
    }
    match cli.command {
        Command::Audit(a) => audit::run(a, cli.quiet),
        Command::Merge(a) => merge::run(a, cli.quiet),
        Command::Rank(a) => rank::run(*a, cli.quiet),
        Command::Import(a) => import::run(a, cli.quiet),
        Command::Prepare(a) => prepare::run(*a, cli.quiet),
        Command::Methods => methods::run(),
        Command::Synth(a) => synth::run(a, cli.quiet),
        Command::Compare(a) => compare::run(a, cli.quiet),
    }
}
