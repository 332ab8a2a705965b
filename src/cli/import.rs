//! `rankaudit import`: read inputs with any importer and write the canonical tables
//! (`accounts`, `follows`, `interactions` as CSV and Parquet, labels included; see
//! [`crate::output::canonical`]) and a manifest with every table's row accounting, for
//! users who inspect, clean or share their data before auditing. `rank` and `audit`
//! read the written tables back with no format or column mapping.
//!
//! The inputs: files in a dump format (positional; each yields every table its importer
//! does: `rankaudit import capture.jsonl --format jetstream`), table files
//! (`--accounts`, `--follows`, `--interactions`), or a study's `[data]` (`--study`),
//! with its formats, column mappings and row policies.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::Serialize;

use crate::dataset::schema::TableKind;
use crate::dataset::{self, DataSpec, Format, Policy, PrivacySpec, TableSource};
use crate::output::{self, canonical, tables::write_table};
use crate::study::Study;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files in a dump format (twarc2, jetstream, snap-ego, ...): every table the format
    /// yields is read from each.
    #[arg(value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// Read the inputs a study file names (`[data]`: formats, column mappings, row
    /// policies) instead of files given here; its `[privacy]` pseudonymises the tables.
    #[arg(long, value_name = "FILE")]
    study: Option<PathBuf>,
    /// Accounts table (any format).
    #[arg(long, value_name = "FILE")]
    accounts: Option<PathBuf>,
    /// Follows table: follower -> followee.
    #[arg(long, value_name = "FILE")]
    follows: Option<PathBuf>,
    /// Interactions table: source -> target, kind.
    #[arg(long, value_name = "FILE")]
    interactions: Option<PathBuf>,
    /// The importer of every input (see `rankaudit methods`); default: each file's
    /// extension.
    #[arg(long, value_name = "NAME")]
    format: Option<String>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// The manifest's fields after `version`.
#[derive(Serialize)]
struct ImportMode<'a> {
    command: &'static str,
    /// The inputs, as a study's `[data]` would give them.
    data: &'a DataSpec,
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    let (spec, mut inputs, privacy) = data_spec(&args)?;
    // A study's [privacy]: the key before the load, the pseudonyms before any write.
    let key = match &privacy {
        Some(p) => Some(p.key()?),
        None => None,
    };
    let mut ds = dataset::load_observed(&spec, &super::progress::Terminal { quiet })?;
    if let (Some(p), Some(key)) = (&privacy, &key) {
        let s = dataset::privacy::pseudonymise(&mut ds, &Default::default(), &mut [], p, key)?;
        if !quiet {
            eprintln!(
                "rankaudit: pseudonymised {} of {} accounts",
                s.pseudonymised, s.accounts
            );
        }
    }
    let has_rows = |table: &str| {
        ds.reports
            .iter()
            .any(|r| r.table == table && r.rows_read > 0)
    };
    let written = canonical::tables(&ds, has_rows("follows"), has_rows("interactions"));
    output::begin_run(&args.out)?;
    let mut files = Vec::new();
    for t in &written {
        files.extend(write_table(&args.out, t)?);
    }
    inputs.extend(ds.files.iter().cloned());
    let rec = output::RunRecord {
        mode: ImportMode {
            command: "import",
            data: &spec,
        },
        inputs,
        known_sha256: &ds.known_sha256,
        prepared: ds.prepared.as_ref(),
        tables_read: &ds.reports,
        accounts: ds.accounts.len(),
        accounts_listed: ds.accounts.listed,
        population: ds.accounts.len(),
        follow_graph: (ds.follows.node_count(), ds.follows.edge_count()),
        rankings: Vec::new(),
        perturbations: None,
    };
    output::write_manifest(&rec, &args.out, &files, &Default::default())?;
    if !quiet {
        for r in &ds.reports {
            eprintln!("rankaudit: {}", super::rank::row_accounting(r));
        }
        eprintln!(
            "rankaudit: {} accounts, {} follows, {} interactions; wrote {}",
            ds.accounts.len(),
            ds.follows.edge_count(),
            ds.interactions.len(),
            args.out.display()
        );
    }
    Ok(())
}

/// The data spec the arguments describe, the files to hash besides the data (the study
/// file), and the study's `[privacy]`.
fn data_spec(args: &Args) -> Result<(DataSpec, Vec<PathBuf>, Option<PrivacySpec>)> {
    let given_files = !args.inputs.is_empty()
        || [&args.accounts, &args.follows, &args.interactions]
            .iter()
            .any(|f| f.is_some());
    if let Some(study) = &args.study {
        if given_files || args.format.is_some() {
            bail!(
                "--study reads the inputs its [data] names; give either --study or input files (and --format), not both"
            );
        }
        let s = Study::load(study)?;
        return Ok((s.data, vec![study.clone()], s.privacy));
    }
    let format = match &args.format {
        Some(f) => Some(Format::named(f).map_err(|e| anyhow::anyhow!("--format {f}: {e}"))?),
        None => None,
    };
    let mut spec = DataSpec {
        format,
        accounts: args.accounts.as_ref().map(TableSource::new),
        follows: args.follows.as_ref().map(TableSource::new),
        interactions: args.interactions.as_ref().map(TableSource::new),
        // A dump file need not hold every table its format can: those it lacks are
        // left out of the output (and said so), not refused.
        policy: Policy {
            from_flags: true,
            empty_tables: !args.inputs.is_empty(),
            ..Policy::default()
        },
        // Import writes tables in the order read.
        order: Default::default(),
    };
    for path in &args.inputs {
        let f = match format {
            Some(f) => f,
            None => by_name(path)?,
        };
        let Some(kinds) = f.importer().tables() else {
            bail!(
                "{}: {} holds one table; name it with --accounts, --follows or --interactions",
                path.display(),
                f.name()
            );
        };
        for &kind in kinds {
            let slot = match kind {
                TableKind::Accounts => &mut spec.accounts,
                TableKind::Follows => &mut spec.follows,
                TableKind::Interactions => &mut spec.interactions,
            };
            if let Some(other) = slot {
                bail!(
                    "{} and {} both give the {} table; import them one at a time (one --out each), or name each table's file with --{}",
                    other.path.display(),
                    path.display(),
                    kind.name(),
                    kind.name()
                );
            }
            let mut t = TableSource::new(path);
            t.format = Some(f);
            *slot = Some(t);
        }
    }
    if !given_files {
        bail!(
            "nothing to import: give files in a dump format (`rankaudit import capture.jsonl --format jetstream`), table files (--accounts, --follows, --interactions) or --study FILE"
        );
    }
    Ok((spec, Vec::new(), None))
}

/// The importer a file's name selects.
fn by_name(path: &Path) -> Result<Format> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    match name.as_deref().and_then(Format::by_extension) {
        Some(f) => Ok(f),
        None => bail!(
            "{}: the file name does not say its format; give --format (known: {})",
            path.display(),
            dataset::import::known()
        ),
    }
}
