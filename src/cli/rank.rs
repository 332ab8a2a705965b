//! `rankaudit rank`: quick mode. One dataset, one method, one table:
//! `DIR/rankings.csv` (and `.parquet`) with `method,account,score,rank[,qualified]`,
//! sorted by rank, and `DIR/manifest.json` (written last, as an audit's: the input
//! files with their hashes, the row accounting of every table, the settings, timings).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::dataset::InteractionFilter;
use crate::dataset::clean::{KeepOrDrop, OnMalformed, OnUnknownId};
use crate::dataset::privacy::{self, Scope};
use crate::dataset::renumber::Order;
use crate::dataset::{self, DataSpec, Format, Policy, TableSource};
use crate::dataset::{Key, PrivacySpec, population, resolve_seeds};
use crate::output;
use crate::output::audit::ranking_record;
use crate::output::tables::{Col, Dictionary, Table, write_table};
use crate::rankings::{self, Audience, Input, MethodSpec, explain_empty};
use crate::study::SeedSpec;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub(super) files: DataFiles,
    /// Ranking method (see `rankaudit methods`).
    #[arg(long)]
    method: String,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// follow-seeds / personalized-pagerank: seed list file (one account per line).
    #[arg(long, value_name = "FILE")]
    seeds: Option<PathBuf>,
    /// follow-seeds: qualify by following at least K seeds.
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    min_follows: Option<i64>,
    /// follow-seeds: count columns, comma-separated, in priority order.
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    by: Vec<String>,
    /// follow-seeds: lexicographic, rank-sum, z-sum, product, ratio, only:<column>.
    #[arg(long)]
    combine: Option<String>,
    /// follow-seeds: missing counts: exclude (default) or zero.
    #[arg(long)]
    missing: Option<String>,
    /// Keep only ranks <= N in the output (ties at N kept).
    #[arg(long, value_name = "N")]
    top: Option<u32>,
    /// pagerank, personalized-pagerank: damping factor alpha, in [0, 1).
    // Negative numbers are taken as values (then rejected with a range message naming
    // the flag) rather than as unknown flags ("unexpected argument '-0'").
    #[arg(long, allow_negative_numbers = true)]
    damping: Option<f64>,
    /// Iterative methods (pagerank, personalized-pagerank, hits-authority, hits-hub,
    /// eigenvector, katz): convergence tolerance, > 0.
    #[arg(long, allow_negative_numbers = true)]
    tol: Option<f64>,
    /// Iterative methods (pagerank, personalized-pagerank, hits-authority, hits-hub,
    /// eigenvector, katz): iteration limit.
    #[arg(long, allow_negative_numbers = true)]
    max_iter: Option<i64>,
    /// pagerank: dangling mass: uniform (default) or teleport.
    #[arg(long)]
    dangling: Option<String>,
    /// Network methods: follows (default) or interactions.
    #[arg(long)]
    graph: Option<String>,
    /// Any method parameter, as in a study file: `--param max_iter=500`,
    /// `--param kinds='["reply"]'` (values are TOML; a bare word is a string). Repeatable.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,

    #[command(flatten)]
    pub(super) reading: DataReading,
    /// Pseudonymise accounts (see README, "Privacy"): all, or non-public (those whose
    /// --public-col value is not true). Needs --pseudonym-key-env or --pseudonym-key-file.
    #[arg(long, value_name = "WHO")]
    pseudonymise: Option<String>,
    /// The environment variable holding the pseudonym key (never written to any output).
    #[arg(long, value_name = "VAR", conflicts_with = "pseudonym_key_file")]
    pseudonym_key_env: Option<String>,
    /// A file holding the pseudonym key (never written to any output, nor its path).
    #[arg(long, value_name = "FILE")]
    pseudonym_key_file: Option<PathBuf>,
    /// The accounts column saying who is public (true/false, 1/0, yes/no); default `public`.
    #[arg(long, value_name = "NAME")]
    public_col: Option<String>,
    /// Print the phase wall times (seconds: load, graphs, score, rank, write) as one JSON line
    /// on stdout, for benchmarks (bench/run).
    #[arg(long)]
    timings: bool,
}

/// The data flags, shared by `rank` and `prepare`: the tables ([`DataFiles`]), then
/// their reading options, column mapping and row policies ([`DataReading`]); two parts
/// so that `rank --help` lists the tables first and the method's options before the
/// reading options.
#[derive(clap::Args, Debug)]
pub struct DataFiles {
    /// Accounts table (CSV/TSV, .gz, Parquet).
    #[arg(long, value_name = "FILE")]
    accounts: Option<PathBuf>,
    /// Follows table: follower -> followee.
    #[arg(long, value_name = "FILE")]
    follows: Option<PathBuf>,
    /// Interactions table: source -> target, kind.
    #[arg(long, value_name = "FILE")]
    interactions: Option<PathBuf>,
}

/// The reading options, column mapping and row policies of [`DataFiles`].
#[derive(clap::Args, Debug)]
pub struct DataReading {
    /// Column mapping: the accounts id column.
    #[arg(long, value_name = "NAME")]
    account_col: Option<String>,
    /// Column mapping: the accounts label column (a handle or name, shown beside the id
    /// and accepted in seed lists); a column named `label` is used without this.
    #[arg(long, value_name = "NAME")]
    label_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    followers_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    following_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    statuses_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    follower_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    followee_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    source_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    target_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    kind_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    time_col: Option<String>,
    #[arg(long, value_name = "NAME")]
    weight_col: Option<String>,
    /// Recode interaction kinds, e.g. `--recode-kind RT=retweet` (repeatable).
    #[arg(long, value_name = "FROM=TO")]
    recode_kind: Vec<String>,
    /// Format of every input table, by importer name: csv, tsv, parquet, ... (an
    /// unknown name lists them all). Default: by each file's extension.
    #[arg(long, value_name = "NAME")]
    format: Option<String>,
    /// Whose follower (or following) list a twarc2 file saved with --no-metadata holds:
    /// `followers:<id>` or `following:<id>` (the account's numeric id).
    #[arg(long, value_name = "SIDE:ID")]
    subject: Option<String>,
    /// Field delimiter for text inputs (default: by extension, `,` or tab).
    #[arg(long)]
    delimiter: Option<String>,
    /// Text inputs have no header line (columns are then named 1, 2, ...).
    #[arg(long)]
    no_header: bool,
    /// The kind of every interaction, for an interactions file with no kind column
    /// (e.g. a list of retweets: `--kind retweet`).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,

    /// The accounts file's format (overrides --format for this file).
    #[arg(long, value_name = "NAME", help_heading = "Per-input options")]
    accounts_format: Option<String>,
    /// The accounts file has no header line.
    #[arg(long, help_heading = "Per-input options")]
    accounts_no_header: bool,
    /// The accounts file's field delimiter.
    #[arg(long, value_name = "CHAR", help_heading = "Per-input options")]
    accounts_delimiter: Option<String>,
    /// The follows file's format (overrides --format for this file), e.g. snap.
    #[arg(long, value_name = "NAME", help_heading = "Per-input options")]
    follows_format: Option<String>,
    /// The follows file has no header line.
    #[arg(long, help_heading = "Per-input options")]
    follows_no_header: bool,
    /// The follows file's field delimiter.
    #[arg(long, value_name = "CHAR", help_heading = "Per-input options")]
    follows_delimiter: Option<String>,
    /// The interactions file's format (overrides --format for this file).
    #[arg(long, value_name = "NAME", help_heading = "Per-input options")]
    interactions_format: Option<String>,
    /// The interactions file has no header line.
    #[arg(long, help_heading = "Per-input options")]
    interactions_no_header: bool,
    /// The interactions file's field delimiter.
    #[arg(long, value_name = "CHAR", help_heading = "Per-input options")]
    interactions_delimiter: Option<String>,

    /// Ids in edges but not in accounts: add (default), drop, error.
    #[arg(long, value_name = "POLICY")]
    unknown_ids: Option<String>,
    /// Self-loops: drop (default) or keep.
    #[arg(long, value_name = "POLICY")]
    self_loops: Option<String>,
    /// Malformed rows: error (default) or skip (counted).
    #[arg(long, value_name = "POLICY")]
    malformed: Option<String>,
    /// The order accounts are numbered in memory: file (as first seen, default) or
    /// in-degree (most-followed first: faster iterative methods on large graphs; scores
    /// may differ in their last bits).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = Order::File)]
    order: Order,
}

impl DataFiles {
    /// The flags as a `[data]` section.
    pub(super) fn spec(&self, reading: &DataReading) -> Result<DataSpec> {
        let (files, this) = (self, reading);
        let mut kind_map = std::collections::BTreeMap::new();
        for kv in &this.recode_kind {
            let Some((from, to)) = kv.split_once('=') else {
                bail!("--recode-kind {kv:?}: expected FROM=TO, e.g. RT=retweet");
            };
            kind_map.insert(from.to_string(), to.to_string());
        }
        let format = match &this.format {
            Some(f) => Some(Format::named(f).map_err(|e| anyhow::anyhow!("--format {f}: {e}"))?),
            None => None,
        };
        let spec = DataSpec {
            format,
            accounts: files
                .accounts
                .as_ref()
                .map(|p| {
                    source(
                        p,
                        this,
                        Own {
                            table: "accounts",
                            format: &this.accounts_format,
                            no_header: this.accounts_no_header,
                            delimiter: &this.accounts_delimiter,
                        },
                        &[
                            ("account", &this.account_col),
                            ("label", &this.label_col),
                            ("followers", &this.followers_col),
                            ("following", &this.following_col),
                            ("statuses", &this.statuses_col),
                        ],
                    )
                })
                .transpose()?,
            follows: files
                .follows
                .as_ref()
                .map(|p| {
                    source(
                        p,
                        this,
                        Own {
                            table: "follows",
                            format: &this.follows_format,
                            no_header: this.follows_no_header,
                            delimiter: &this.follows_delimiter,
                        },
                        &[
                            ("follower", &this.follower_col),
                            ("followee", &this.followee_col),
                        ],
                    )
                })
                .transpose()?,
            interactions: files
                .interactions
                .as_ref()
                .map(|p| {
                    source(
                        p,
                        this,
                        Own {
                            table: "interactions",
                            format: &this.interactions_format,
                            no_header: this.interactions_no_header,
                            delimiter: &this.interactions_delimiter,
                        },
                        &[
                            ("source", &this.source_col),
                            ("target", &this.target_col),
                            ("kind", &this.kind_col),
                            ("time", &this.time_col),
                            ("weight", &this.weight_col),
                        ],
                    )
                })
                .transpose()?,
            policy: policy(this)?,
            order: this.order,
        };
        let mut spec = spec;
        if let Some(t) = spec.interactions.as_mut() {
            if !kind_map.is_empty() {
                t.recode.insert("kind".into(), kind_map);
            }
            t.constant_kind = this.kind.clone();
        } else if this.kind.is_some() {
            bail!("--kind gives the kind of every interaction; it needs --interactions FILE");
        }
        Ok(spec)
    }
}

/// One input's options: the global ones, overridden by that input's own
/// (`--follows-format`, `--follows-no-header`, `--follows-delimiter`).
struct Own<'a> {
    table: &'static str,
    format: &'a Option<String>,
    no_header: bool,
    delimiter: &'a Option<String>,
}

fn source(
    path: &PathBuf,
    args: &DataReading,
    own: Own<'_>,
    cols: &[(&str, &Option<String>)],
) -> Result<TableSource> {
    let mut t = TableSource::new(path);
    t.delimiter = own.delimiter.clone().or_else(|| args.delimiter.clone());
    t.header = !(args.no_header || own.no_header);
    if let Some(f) = own.format {
        t.format =
            Some(Format::named(f).map_err(|e| anyhow::anyhow!("--{}-format {f}: {e}", own.table))?);
    }
    t.subject = args.subject.clone();
    for (canon, v) in cols {
        if let Some(v) = v {
            t.columns.insert(canon.to_string(), v.clone());
        }
    }
    Ok(t)
}

fn policy(args: &DataReading) -> Result<Policy> {
    let mut p = Policy {
        from_flags: true,
        ..Policy::default()
    };
    if let Some(v) = &args.unknown_ids {
        p.unknown_ids = match v.as_str() {
            "add" => OnUnknownId::Add,
            "drop" => OnUnknownId::Drop,
            "error" => OnUnknownId::Error,
            o => bail!("--unknown-ids {o:?}: use add, drop or error"),
        };
    }
    if let Some(v) = &args.self_loops {
        p.self_loops = match v.as_str() {
            "drop" => KeepOrDrop::Drop,
            "keep" => KeepOrDrop::Keep,
            o => bail!("--self-loops {o:?}: use drop or keep"),
        };
    }
    if let Some(v) = &args.malformed {
        p.malformed = match v.as_str() {
            "error" => OnMalformed::Error,
            "skip" => OnMalformed::Skip,
            o => bail!("--malformed {o:?}: use error or skip"),
        };
    }
    Ok(p)
}

/// "follows f.csv: 4 rows read, 3 used, 1 rejected (wrong_field_count 1)", then the
/// notes (rows used but notable, e.g. "; implicit_ego_follows 5").
pub(super) fn row_accounting(rep: &crate::dataset::TableReport) -> String {
    let list = |m: &std::collections::BTreeMap<String, u64>| -> Vec<String> {
        m.iter().map(|(k, v)| format!("{k} {v}")).collect()
    };
    let (rejected, notes) = (list(&rep.rejected), list(&rep.notes));
    format!(
        "{} {}: {} rows read, {} used, {} rejected{}{}",
        rep.table,
        rep.file,
        rep.rows_read,
        rep.rows_used,
        rep.rows_rejected,
        if rejected.is_empty() {
            String::new()
        } else {
            format!(" ({})", rejected.join(", "))
        },
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join(", "))
        }
    )
}

/// Put the flag the user typed in front of an error about a method parameter
/// (`--damping -0.1: pagerank: damping = -0.1 must be in [0, 1)`): the method speaks of
/// its parameter keys, the user gave flags.
fn name_flag(
    e: anyhow::Error,
    params: &toml::Table,
    flag_of: &[(String, String)],
) -> anyhow::Error {
    let text = format!("{e:#}");
    match flag_of.iter().find(|(k, _)| {
        params
            .get(k)
            .is_some_and(|v| rankings::params::mentions_param(&text, k, v))
    }) {
        Some((_, flag)) => e.context(flag.clone()),
        None => e,
    }
}

/// `KEY=VALUE` with VALUE read as TOML (a bare word that is not TOML is a string).
fn parse_param(kv: &str) -> Result<(String, toml::Value)> {
    let Some((k, v)) = kv.split_once('=') else {
        bail!("--param {kv:?}: expected KEY=VALUE, e.g. --param damping=0.9");
    };
    let k = k.trim();
    if k.is_empty() {
        bail!("--param {kv:?}: the key is empty");
    }
    let v = v.trim();
    let value = match toml::from_str::<toml::Table>(&format!("v = {v}")) {
        Ok(mut t) => t.remove("v").expect("parsed"),
        Err(_) => toml::Value::String(v.to_string()),
    };
    Ok((k.to_string(), value))
}

/// Quick mode's fields of the manifest, after `version`.
#[derive(Serialize)]
struct QuickMode<'a> {
    command: &'static str,
    method: &'a str,
    /// The method parameters, as a study file would give them (`seeds` names the
    /// `--seeds` file's list).
    params: &'a toml::Table,
    /// The input tables, column mapping and row policies.
    data: &'a DataSpec,
    top: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    privacy: Option<&'a PrivacySpec>,
}

/// `--pseudonymise` and its key flags as a `[privacy]` section, and its key.
fn privacy(args: &Args) -> Result<Option<(PrivacySpec, Key)>> {
    let Some(who) = &args.pseudonymise else {
        if args.pseudonym_key_env.is_some()
            || args.pseudonym_key_file.is_some()
            || args.public_col.is_some()
        {
            bail!(
                "--pseudonym-key-env, --pseudonym-key-file and --public-col only apply with --pseudonymise all|non-public"
            );
        }
        return Ok(None);
    };
    let spec = PrivacySpec {
        pseudonymise: Scope::named(who).map_err(|e| e.context("--pseudonymise"))?,
        public_column: args.public_col.clone().unwrap_or_else(|| "public".into()),
        key_file: args.pseudonym_key_file.clone(),
        key_env: args.pseudonym_key_env.clone(),
        drop_columns: privacy::IDENTIFYING_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    if spec.key_file.is_none() && spec.key_env.is_none() {
        bail!(
            "--pseudonymise needs a key: --pseudonym-key-env VAR (an environment variable holding at least 16 random bytes, e.g. `export VAR=$(head -c 32 /dev/urandom | base64)`) or --pseudonym-key-file FILE"
        );
    }
    let key = spec.key()?;
    Ok(Some((spec, key)))
}

pub fn run(args: Args, quiet: bool) -> Result<()> {
    let spec = args.files.spec(&args.reading)?;
    // Method parameters: the same keys as in a study file, each with the flag that set
    // it, so messages about a parameter name the flag the user typed.
    let mut params = toml::Table::new();
    let mut seed_specs = BTreeMap::new();
    if let Some(p) = &args.seeds {
        seed_specs.insert(
            "seeds".to_string(),
            SeedSpec {
                path: p.clone(),
                rationale: None,
            },
        );
        params.insert("seeds".into(), "seeds".into());
    }
    if let Some(k) = args.min_follows {
        params.insert("min_follows".into(), k.into());
    }
    if !args.by.is_empty() {
        params.insert(
            "by".into(),
            toml::Value::Array(args.by.iter().map(|s| s.clone().into()).collect()),
        );
    }
    for (key, v) in [
        ("combine", &args.combine),
        ("missing", &args.missing),
        ("dangling", &args.dangling),
        ("graph", &args.graph),
    ] {
        if let Some(v) = v {
            params.insert(key.into(), v.clone().into());
        }
    }
    if let Some(d) = args.damping {
        params.insert("damping".into(), d.into());
    }
    if let Some(t) = args.tol {
        params.insert("tol".into(), t.into());
    }
    if let Some(m) = args.max_iter {
        params.insert("max_iter".into(), m.into());
    }
    let mut flag_of: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            (k.clone(), format!("--{} {shown}", k.replace('_', "-")))
        })
        .collect();
    if let Some(p) = &args.seeds {
        flag_of.retain(|(k, _)| k != "seeds");
        flag_of.push(("seeds".into(), format!("--seeds {}", p.display())));
    }
    for kv in &args.params {
        let (k, v) = parse_param(kv)?;
        flag_of.retain(|(key, _)| *key != k);
        flag_of.push((k.clone(), format!("--param {kv}")));
        params.insert(k, v);
    }
    // Check the method and its parameters before reading any data.
    let method =
        rankings::build(&args.method, &params).map_err(|e| name_flag(e, &params, &flag_of))?;
    if args.files.follows.is_none() && args.files.interactions.is_none() && method.reads_graph() {
        bail!(
            "--method {} ranks by a graph: give --follows FILE or --interactions FILE",
            args.method
        );
    }

    let private = privacy(&args)?;

    let t0 = Instant::now();
    let mut ds = dataset::load_observed(&spec, &super::progress::Terminal { quiet })?;
    let t_load = t0.elapsed();
    // The row accounting now, not after ranking: a run that then fails still shows what
    // the policies rejected.
    if !quiet {
        for rep in &ds.reports {
            eprintln!("rankaudit: {}", row_accounting(rep));
        }
    }
    let pop = population(&ds, None)?;
    let (seed_ids, mut seed_lists) = resolve_seeds(&ds, &seed_specs)?;
    if let (Some(k), Some(list)) = (args.min_follows, seed_lists.first())
        && k > list.accounts.len() as i64
    {
        bail!(
            "--min-follows {k} is larger than the seed list {} ({} seeds), so nobody can qualify; use --min-follows <= {}",
            list.path,
            list.accounts.len(),
            list.accounts.len()
        );
    }
    // Ties by the real ids (the ranking is the un-pseudonymised one), then the
    // pseudonyms, before anything is written.
    let tie = rankings::TieOrder::new(ds.accounts.ids.names());
    if let Some((p, key)) = &private {
        let s = privacy::pseudonymise(&mut ds, &seed_ids, &mut seed_lists, p, key)?;
        if !quiet {
            eprintln!(
                "rankaudit: pseudonymised {} of {} accounts",
                s.pseudonymised, s.accounts
            );
        }
    }
    let fg = dataset::follow_graph(&mut ds);
    let ig = (!ds.interactions.is_empty()).then(|| {
        dataset::interaction_graph(
            &ds.interactions,
            ds.accounts.len(),
            &InteractionFilter::default(),
        )
    });
    let t_graphs = t0.elapsed();
    let input = Input::of(&ds, &fg, ig.as_ref(), &pop, &seed_ids);
    method
        .validate(&input)
        .map_err(|e| name_flag(e, &params, &flag_of))?;
    let scores = method
        .score(&input)
        .map_err(|e| name_flag(e, &params, &flag_of))?;
    let t_score = t0.elapsed();
    let r = rankings::rank_with(scores, &tie);
    let t_rank = t0.elapsed();
    if r.is_empty() {
        let spec = rankings::MethodSpec {
            name: args.method.clone(),
            method: args.method.clone(),
            params,
        };
        let who = Audience::new(&ds, &pop, None, &seed_lists, true);
        bail!("{}", explain_empty(&spec, &r, &who));
    }
    let top = args.top.unwrap_or(u32::MAX);
    let entries: Vec<_> = r.entries().filter(|e| e.rank <= top).collect();
    let names = ds.accounts.ids.names();
    let mut t = Table::new("rankings")
        .col(
            "method",
            Col::dict(vec![0; entries.len()], Dictionary::new([&args.method])),
        )
        .col(
            "account",
            Col::dict(
                entries.iter().map(|e| e.account).collect(),
                Dictionary::new(names.iter()),
            ),
        )
        .col(
            "label",
            Col::dict(
                entries.iter().map(|e| e.account).collect(),
                Dictionary::new(ds.accounts.labels()),
            ),
        )
        .col("score", Col::F64(entries.iter().map(|e| e.score).collect()))
        .col("rank", Col::U32(entries.iter().map(|e| e.rank).collect()));
    if let Some(q) = &r.qualified {
        t = t.col(
            "qualified",
            Col::Bool(entries.iter().map(|e| q[e.account as usize]).collect()),
        );
    }
    // As in an audit: the previous run's manifest and files go before the first write,
    // and this run's manifest comes last.
    output::begin_run(&args.out)?;
    let files = write_table(&args.out, &t)?;
    let t_write = t0.elapsed();
    let mut inputs = ds.files.clone();
    inputs.extend(seed_lists.iter().map(|l| PathBuf::from(&l.path)));
    let ranking = MethodSpec {
        name: args.method.clone(),
        method: args.method.clone(),
        params: params.clone(),
    };
    let rec = output::RunRecord {
        mode: QuickMode {
            command: "rank",
            method: &args.method,
            params: &params,
            data: &spec,
            top: args.top,
            privacy: private.as_ref().map(|(p, _)| p),
        },
        inputs,
        known_sha256: &ds.known_sha256,
        prepared: ds.prepared.as_ref(),
        tables_read: &ds.reports,
        accounts: ds.accounts.len(),
        accounts_listed: ds.accounts.listed,
        population: pop.iter().filter(|&&b| b).count(),
        follow_graph: (fg.node_count(), fg.edge_count()),
        rankings: vec![ranking_record(&ranking, &r)],
        perturbations: None,
    };
    let timings: BTreeMap<String, f64> = [
        ("load", t_load),
        ("graphs", t_graphs - t_load),
        ("score", t_score - t_graphs),
        ("rank", t_rank - t_score),
        ("write", t_write - t_rank),
        ("total", t_write),
    ]
    .into_iter()
    .map(|(k, d)| (k.to_string(), d.as_secs_f64()))
    .collect();
    output::write_manifest(&rec, &args.out, &files, &timings)?;
    if args.timings {
        println!(
            "{{\"load_s\": {:.6}, \"graphs_s\": {:.6}, \"score_s\": {:.6}, \"rank_s\": {:.6}, \"write_s\": {:.6}}}",
            t_load.as_secs_f64(),
            (t_graphs - t_load).as_secs_f64(),
            (t_score - t_graphs).as_secs_f64(),
            (t_rank - t_score).as_secs_f64(),
            (t_write - t_rank).as_secs_f64()
        );
    }
    if !quiet {
        eprintln!(
            "rankaudit: {} accounts ranked; wrote {}",
            r.len(),
            files[0].display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_param;

    #[test]
    fn params_are_toml_values_or_bare_strings() {
        assert_eq!(
            parse_param("max_iter=50").unwrap(),
            ("max_iter".into(), toml::Value::Integer(50))
        );
        assert_eq!(
            parse_param("damping = 0.5").unwrap().1,
            toml::Value::Float(0.5)
        );
        assert_eq!(
            parse_param("graph=interactions").unwrap().1,
            toml::Value::String("interactions".into())
        );
        assert_eq!(
            parse_param("kinds=[\"reply\", \"mention\"]").unwrap().1,
            toml::Value::Array(vec!["reply".into(), "mention".into()])
        );
        assert!(parse_param("oops").is_err());
    }
}
