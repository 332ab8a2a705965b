//! `rankaudit prepare [STUDY]`: parse the follows table once and write its prepared
//! graph file (the ids, both adjacencies and the row accounting; the format and the
//! rule for when it is used: [`crate::dataset::prepared`]). Later `audit` and `rank`
//! runs of the same data map it instead of parsing the edge list.
//!
//! `--verify` writes nothing: it re-hashes the follows file and says whether the
//! prepared file is current (exit status 1 if not), the check the warm runs skip.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::progress::Terminal;
use super::rank::{DataFiles, DataReading};
use crate::dataset::prepared::{self, Contents, Stamp};
use crate::dataset::{self, DataSpec, Policy};
use crate::output;
use crate::progress::Observer;
use crate::study::Study;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Study file (TOML) whose data to prepare; or, instead, the data flags as `rank`
    /// takes them (--follows F [--accounts A] and the policy and column flags).
    study: Option<PathBuf>,
    /// Where to write (default: the study's `[data.follows] prepared`, else
    /// `<follows file>.rkgraph` beside the follows file, where later runs look).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write nothing: re-hash the follows file and check that the prepared file is
    /// current (exit status 1 if it is not).
    #[arg(long)]
    verify: bool,
    #[command(flatten)]
    files: DataFiles,
    #[command(flatten)]
    reading: DataReading,
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    let obs = Terminal { quiet };
    let flags = args.files.spec(&args.reading)?;
    let given_flags = flags.accounts.is_some()
        || flags.follows.is_some()
        || flags.interactions.is_some()
        // Policy or format flags alone: a study file sets those in its [data].
        || flags.format.is_some()
        || flags.policy
            != (Policy {
                from_flags: true,
                ..Policy::default()
            });
    let spec: DataSpec = match (&args.study, given_flags) {
        (Some(_), true) => {
            bail!("give a study file or the data flags (--follows FILE ...), not both")
        }
        (Some(p), false) => Study::load(p)?.data,
        (None, true) => flags,
        (None, false) => bail!(
            "prepare what? Give a study file (`rankaudit prepare STUDY.toml`) or the data flags as for `rank` (`rankaudit prepare --follows FILE [--accounts FILE]`)"
        ),
    };
    let Some(mut follows) = spec.follows.clone() else {
        bail!("the data names no follows table: only a follows table is prepared");
    };
    follows.format = follows.format.or(spec.format);
    for other in [&spec.accounts, &spec.interactions].into_iter().flatten() {
        if other.path == follows.path {
            bail!(
                "{}: the follows table shares its file with another table; prepare needs the follows table in a file of its own",
                follows.path.display()
            );
        }
    }
    if !follows.path.is_file() {
        bail!(
            "{}: not a file; prepare needs the follows table in one file (a folder of exports is read by its importer on every run)",
            follows.path.display()
        );
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| prepared::path_for(&follows));
    let shape = prepared::shape(&follows, &spec.policy)?;
    if args.verify {
        return verify(&out, &follows, spec, &obs);
    }

    // The table alone (the interactions play no part in the follow graph or the ids
    // before it), hashed on a thread of its own while it is parsed.
    let stamp = Stamp::of(&follows.path)
        .with_context(|| format!("{}: cannot read its metadata", follows.path.display()))?;
    let only = DataSpec {
        interactions: None,
        ..spec.clone()
    };
    let (sha256, ds) = std::thread::scope(|s| {
        let hash = s.spawn(|| output::sha256_file(&follows.path));
        let ds = dataset::load_parsing(&only, &obs);
        (hash.join().expect("the hashing thread does not panic"), ds)
    });
    let (sha256, mut ds) = (sha256?, ds?);
    if Stamp::of(&follows.path).ok().as_ref() != Some(&stamp) {
        bail!(
            "{}: the file changed while it was being prepared; run `rankaudit prepare` again when it is complete",
            follows.path.display()
        );
    }
    if ds
        .files
        .iter()
        .any(|f| *f != follows.path && Some(f) != spec.accounts.as_ref().map(|a| &a.path))
    {
        bail!(
            "{}: its importer read other files too; prepare needs the follows table in one file",
            follows.path.display()
        );
    }
    let report = ds
        .reports
        .iter()
        .find(|r| r.table == "follows")
        .cloned()
        .context("the follows table was read")?;
    // In the study's account order ([data] order): a file prepared most-followed first
    // stores the ids and adjacencies renumbered, and where each account was first seen.
    let first_seen = match spec.order {
        dataset::renumber::Order::File => None,
        order => {
            let perm = dataset::renumber::permutation(&ds);
            dataset::renumber::apply(&mut ds, &perm);
            Some((order, perm))
        }
    };
    let outc = std::mem::take(&mut ds.follows);
    let inn = outc.transpose();
    let contents = Contents {
        follows: &follows.path,
        stamp,
        sha256,
        shape,
        ids: &ds.accounts.ids,
        ids_before: ds.accounts.listed,
        out: &outc,
        inn: &inn,
        report: &report,
        order: first_seen.as_ref().map(|(o, p)| (*o, p.as_slice())),
    };
    output::atomic_file(&out, |f| {
        prepared::write(f, &contents).with_context(|| format!("{}: cannot write", out.display()))
    })?;
    obs.say(&format!(
        "rankaudit: prepared {} ({} accounts, {} follows); later runs of this data map it instead of parsing {}",
        out.display(),
        ds.accounts.len(),
        outc.edge_count(),
        follows.path.display()
    ));
    if args.out.is_some() && out != prepared::path_for(&follows) {
        obs.say(&format!(
            "rankaudit: runs look for it only where the data says: set `prepared = {:?}` under [data.follows] in the study file",
            out.display().to_string()
        ));
    }
    Ok(())
}

/// `--verify`: the full key, with the follows file re-hashed.
fn verify(
    out: &std::path::Path,
    follows: &crate::dataset::TableSource,
    spec: DataSpec,
    obs: &Terminal,
) -> Result<()> {
    let p = match prepared::open(out) {
        Ok(p) => p,
        Err(e) => bail!(
            "{}: {e}; write it again with `rankaudit prepare`",
            out.display()
        ),
    };
    // The ids before the follows table: the accounts table's, parsed as a run would.
    let before = match &spec.accounts {
        Some(_) => {
            let accounts = DataSpec {
                follows: None,
                interactions: None,
                ..spec.clone()
            };
            dataset::load_parsing(&accounts, obs)?.accounts.ids
        }
        None => dataset::Ids::new(),
    };
    let key = p
        .check_key(follows, &spec.policy, &before, spec.order)
        .and_then(|()| p.load().map(|_| ()));
    if let Err(e) = key {
        eprintln!(
            "rankaudit: {}: {e}; refresh it with `rankaudit prepare`",
            out.display()
        );
        std::process::exit(1);
    }
    let sha = output::sha256_file(&follows.path)?;
    if sha != p.header.sha256 {
        eprintln!(
            "rankaudit: {}: {} has the recorded size and modification time but other contents (SHA-256 {sha}, {} when prepared); refresh it with `rankaudit prepare`",
            out.display(),
            follows.path.display(),
            p.header.sha256
        );
        std::process::exit(1);
    }
    obs.say(&format!(
        "rankaudit: {} is current (prepared {}; {} re-hashed: same SHA-256)",
        out.display(),
        p.header.prepared_when(),
        follows.path.display()
    ));
    Ok(())
}
