//! `rankaudit audit [STUDY]`: run a study file end to end.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::progress::Terminal;
use crate::audit::run_study;
use crate::study::Study;

/// The bundled study, relative to the repository root.
pub const DEFAULT_STUDY: &str = "data/us-house-2022/study.toml";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Study file (TOML). Default: the bundled us-house-2022 study.
    study: Option<PathBuf>,
    /// Output folder (default: notebooks-out/<study name>).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
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
    let path = match args.study {
        Some(p) => p,
        None => default_study()?,
    };
    let study = Study::load(&path)?;
    let out = run_study(study, args.out, &Terminal { quiet })?;
    if !quiet {
        eprintln!("rankaudit: report at {}", out.join("report.md").display());
    }
    Ok(())
}
