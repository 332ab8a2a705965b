//! `rankaudit synth`: write synthetic audit inputs (an R-MAT follow graph, accounts,
//! interactions, a seed list and a study file) for scale tests and the benchmark.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::synth::{self, RmatConfig, SynthConfig};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Nodes = 2^SCALE.
    #[arg(long, default_value_t = 20)]
    scale: u32,
    /// Follow edges (distinct, no self-loops, unless --multigraph).
    #[arg(long, default_value_t = 15_000_000)]
    edges: u64,
    /// R-MAT quadrant probabilities a,b,c,d (Graph500's by default).
    #[arg(long, value_delimiter = ',', default_values_t = RmatConfig::DEFAULT_ABCD)]
    abcd: Vec<f64>,
    /// Random seed: the same seed gives byte-identical files at any thread count.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Interactions drawn along follow edges (default: edges / 10).
    #[arg(long, value_name = "N")]
    interactions: Option<u64>,
    /// Length of the seed list.
    #[arg(long, default_value_t = SynthConfig::DEFAULT_SEEDS)]
    seeds: usize,
    /// Seeds are drawn among the POOL accounts of highest in-degree.
    #[arg(long, default_value_t = SynthConfig::DEFAULT_POOL)]
    pool: usize,
    /// Keep self-loops and duplicate edges as drawn (a multigraph). Default: a simple
    /// graph of exactly --edges distinct edges, which every peer tool reads the same way.
    #[arg(long)]
    multigraph: bool,
    /// Study name (default: synth-s<SCALE>-e<EDGES>).
    #[arg(long)]
    name: Option<String>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    let [a, b, c, d] = args.abcd[..] else {
        bail!("--abcd takes four probabilities, e.g. 0.57,0.19,0.19,0.05");
    };
    let cfg = SynthConfig {
        graph: RmatConfig {
            scale: args.scale,
            edges: args.edges,
            abcd: [a, b, c, d],
            seed: args.seed,
            multigraph: args.multigraph,
        },
        interactions: args.interactions.unwrap_or(args.edges / 10),
        seeds: args.seeds,
        pool: args.pool,
    };
    let name = args
        .name
        .unwrap_or_else(|| format!("synth-s{}-e{}", args.scale, args.edges));
    // Status lines as the audit prints them; timings only on a terminal.
    let tty = std::io::stderr().is_terminal();
    let t0 = Instant::now();
    let say = |m: &str| {
        if !quiet {
            if tty {
                eprintln!("rankaudit synth: {m} [{:.1}s]", t0.elapsed().as_secs_f64());
            } else {
                eprintln!("rankaudit synth: {m}");
            }
        }
    };
    let s = synth::generate(&cfg, say)?;
    say(&format!("writing {}", args.out.display()));
    let files = synth::write(&args.out, &cfg, &s, &name)?;
    if !quiet {
        eprintln!(
            "rankaudit synth: wrote {} files; run `rankaudit audit {}`",
            files.len(),
            files.last().expect("study").display()
        );
    }
    Ok(())
}
