//! `rankaudit audit [STUDY]`: run a study file end to end, or one shard of it
//! (`--shard i/N`, see `rankaudit merge`).

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::progress::Terminal;
use crate::audit::{Run, run_study_as};
use crate::sensitivity::shard::Slice;
use crate::study::Study;

/// The bundled study, relative to the repository root.
pub const DEFAULT_STUDY: &str = "data/us-house-2022/study.toml";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Study file (TOML). Default: the bundled us-house-2022 study.
    study: Option<PathBuf>,
    /// Output folder (default: notebooks-out/<study name>; with --shard,
    /// notebooks-out/<study name>/shards).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Compute only shard i of N (1 <= i <= N) of every family's and the multiverse's
    /// universes (round-robin: universe u goes to shard u mod N + 1) and write
    /// DIR/shard-i-of-N.rkshard, no tables; `rankaudit merge` combines the N shards.
    #[arg(long, value_name = "i/N")]
    shard: Option<String>,
}

fn default_study() -> Result<PathBuf> {
    let here = PathBuf::from(DEFAULT_STUDY);
    if here.exists() {
        return Ok(here);
    }
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_STUDY);
    if built.exists() {
        return Ok(built);
    }
    bail!(
        "no study file given and the bundled {DEFAULT_STUDY} is not here; run from the repository root or pass a study file"
    )
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    // The flag first: a bad one costs nothing, not a load.
    let slice = args.shard.as_deref().map(Slice::parse).transpose()?;
    let path = match args.study {
        Some(p) => p,
        None => default_study()?,
    };
    let study = Study::load(&path)?;
    let Some(slice) = slice else {
        let out = run_study_as(study, args.out, Run::Whole, &Terminal { quiet })?;
        if !quiet {
            eprintln!("rankaudit: report at {}", out.join("report.md").display());
        }
        return Ok(());
    };
    let out = args.out.unwrap_or_else(|| study.out_dir().join("shards"));
    let file = run_study_as(study, Some(out), Run::Shard(slice), &Terminal { quiet })?;
    if !quiet {
        eprintln!("rankaudit: shard at {}", file.display());
    }
    Ok(())
}
