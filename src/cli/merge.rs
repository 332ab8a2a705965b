//! `rankaudit merge STUDY SHARDS... --out DIR`: combine the shard files of a sharded
//! run (`rankaudit audit STUDY --shard i/N`) into the outputs a one-process run writes,
//! byte for byte (the manifest also records `shards`, and its timings differ).

use std::path::PathBuf;

use anyhow::Result;

use super::progress::Terminal;
use crate::audit::{Run, run_study_as};
use crate::output::shard;
use crate::study::Study;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Study file (TOML) the shards were computed from.
    study: PathBuf,
    /// Shard files (shard-i-of-N.rkshard), or folders holding them; all N of one run,
    /// each once.
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,
    /// Output folder (default: notebooks-out/<study name>).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    let files = shard::expand(&args.shards)?;
    let study = Study::load(&args.study)?;
    let out = run_study_as(study, args.out, Run::Merge(files), &Terminal { quiet })?;
    if !quiet {
        eprintln!("rankaudit: report at {}", out.join("report.md").display());
    }
    Ok(())
}
