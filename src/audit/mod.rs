//! The audit: a study run end to end, stage by stage. This file only calls the stages
//! and times them; each stage's body lives with what it computes:
//!
//! 1. data ([`crate::dataset`]): load the tables, the population mask, the seed lists;
//!    then every check of the study that needs only the data; then, under `[privacy]`,
//!    the private accounts' pseudonyms ([`crate::dataset::privacy`]);
//! 2. graphs ([`crate::graph`]): the follow graph and the interaction graph;
//! 3. rankings ([`crate::rankings`]): every declared ranking (an empty one is an error
//!    that says why, see [`crate::rankings::explain`]);
//! 4. comparisons ([`crate::compare::compare_all`]): every pair of rankings;
//! 5. sensitivity ([`crate::sensitivity::stage`]): each family, then the multiverse;
//! 6. critique ([`crate::critique::stage`]): hierarchy, representation, gaming cost;
//! 7. outputs: the tables ([`crate::output::audit`]), the graph files, the figures
//!    ([`figures`]), the report ([`crate::report`]), the notebook
//!    ([`crate::output::notebook`]), and the manifest last ([`crate::output`]): a folder
//!    without a fresh manifest is a run that did not finish.
//!
//! A run may be one shard of a sharded run ([`Run::Shard`]: stages 1 to 5, the
//! sensitivity stage computing only its slice, then one shard file) or the merge of the
//! shards ([`Run::Merge`]: every stage, the sensitivity stage taking its rankings from
//! the shards); the sensitivity stage's [`Source`] is the only thing that differs.
//!
//! Progress and messages go to an [`Observer`] the caller passes in (the command line's
//! prints to the terminal).

pub mod figures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::compare;
use crate::critique::{self, gaming::GamingInput};
use crate::dataset::InteractionFilter;
use crate::dataset::{self, TableReport};
use crate::graph::Graph;
use crate::output::notebook::{self, TableNote};
use crate::output::{self, audit::tables, tables::write_table, write_atomic};
use crate::progress::Observer;
use crate::rankings::{self, Audience, Input, MethodSpec, Ranking, TieOrder, explain_empty};
use crate::report;
use crate::results::Results;
use crate::sensitivity::shard::{self, Part, Slice, Source};
use crate::sensitivity::stage::{Settings, Stage};
use crate::study::Study;

/// The seconds each stage took, in the manifest.
#[derive(Default)]
struct Clock {
    timings: BTreeMap<String, f64>,
    lap: Option<Instant>,
}

impl Clock {
    /// The stage that just ended.
    fn lap(&mut self, stage: &str) {
        let lap = self.lap.replace(Instant::now()).expect("started");
        self.timings
            .insert(stage.to_string(), lap.elapsed().as_secs_f64());
    }

    /// Per-item seconds of a stage, as `stage:item`.
    fn items(&mut self, stage: &str, items: BTreeMap<String, f64>) {
        for (k, v) in items {
            self.timings.insert(format!("{stage}:{k}"), v);
        }
    }
}

/// What a run computes.
pub enum Run {
    /// Everything, in one process.
    Whole,
    /// One shard: `--shard i/N`. Writes only `out/shard-i-of-N.rkshard`.
    Shard(Slice),
    /// Every stage, the sensitivity stage's rankings taken from these shard files.
    Merge(Vec<PathBuf>),
}

/// Run a study end to end and write everything into `out` (default: the study's output
/// folder). Returns the output folder.
pub fn run_study(study: Study, out: Option<PathBuf>, obs: &dyn Observer) -> Result<PathBuf> {
    run_study_as(study, out, Run::Whole, obs)
}

/// [`run_study`] as a whole run, one shard or a merge. Returns the output folder (a
/// shard: its shard file).
pub fn run_study_as(
    study: Study,
    out: Option<PathBuf>,
    run: Run,
    obs: &dyn Observer,
) -> Result<PathBuf> {
    let started = Instant::now();
    let mut clock = Clock {
        lap: Some(started),
        ..Clock::default()
    };
    let out = out.unwrap_or_else(|| study.out_dir());
    obs.say(&format!(
        "rankaudit: study {:?} -> {}",
        study.study.name,
        out.display()
    ));
    // The shards are read and checked against each other before any load.
    let merging = match &run {
        Run::Merge(files) => {
            let shards = output::shard::read_all(files, &study.path)?;
            obs.say(&format!("rankaudit: merging {} shards", shards.len()));
            Some(shards)
        }
        _ => None,
    };

    // The key first: a missing key costs nothing, not a load.
    let key = match &study.privacy {
        Some(p) => Some(p.key().map_err(|e| {
            anyhow::Error::new(e).context(format!("{}: [privacy]", study.at(&["privacy"])))
        })?),
        None => None,
    };
    let mut ds = dataset::load_observed(&study.data, obs)?;
    clock.lap("load");
    // The row accounting now: a run that then fails still shows what was rejected.
    for r in ds.reports.iter().filter(|r| r.rows_rejected > 0) {
        obs.say(&rejections(r));
    }
    let pop = dataset::population(&ds, study.population.as_ref())
        .map_err(|e| e.context(study.at(&["population"])))?;
    let (seed_ids, mut seed_lists) = dataset::resolve_seeds(&ds, &study.seeds)?;
    // Everything in the study that needs only the data, before any heavy work.
    crate::study::check_against_data(&study, &ds, &seed_ids)?;
    // Ties are broken by the real ids, so a pseudonymised run ranks exactly as an
    // un-pseudonymised one; then the private accounts' ids and labels are replaced,
    // after the last lookup by id or label and before anything is written.
    let tie = TieOrder::new(ds.accounts.ids.names());
    if let (Some(p), Some(key)) = (&study.privacy, &key) {
        let s = dataset::privacy::pseudonymise(&mut ds, &seed_ids, &mut seed_lists, p, key)
            .map_err(|e| e.context(format!("{}: [privacy]", study.at(&["privacy"]))))?;
        obs.say(&format!(
            "rankaudit: pseudonymised {} of {} accounts",
            s.pseudonymised, s.accounts
        ));
    }
    // A sharded run's key: its seed and its inputs' hashes.
    let run_key = match &run {
        Run::Whole => None,
        _ => {
            let files = output::audit::input_files(&ds.files, &seed_lists, &study.path);
            Some(output::shard::run_key(&files, study.study.seed)?)
        }
    };
    // A merge records its shard count in the manifest.
    let mut shards = None;
    let source = match (&run, merging) {
        (Run::Whole, _) => Source::All,
        (Run::Shard(slice), _) => Source::Slice(*slice),
        (Run::Merge(_), Some(merged)) => {
            output::shard::check_key(&merged, &run_key.expect("a merge has a key"), &study.path)?;
            shards = Some(merged.len() as u64);
            let (files, parts): (Vec<PathBuf>, Vec<Vec<Part>>) =
                merged.into_iter().map(|(f, s)| (f, s.parts)).unzip();
            Source::Taken(shard::assemble(parts, &|k| files[k].display().to_string())?)
        }
        (Run::Merge(_), None) => unreachable!("read above"),
    };
    let fg = dataset::follow_graph(&mut ds);
    let ig: Option<Graph> = (!ds.interactions.is_empty()).then(|| {
        let filter = InteractionFilter::default();
        dataset::interaction_graph(&ds.interactions, ds.accounts.len(), &filter)
    });
    clock.lap("graphs");
    let input = Input::of(&ds, &fg, ig.as_ref(), &pop, &seed_ids);

    let mut seconds = BTreeMap::new();
    let mut rankings_out = Vec::new();
    // A shard needs only the rankings its families perturb: the others are the merge's.
    let perturbed = perturbed(&study);
    for (i, spec) in study.rankings.iter().enumerate() {
        if matches!(run, Run::Shard(_)) && !perturbed.contains(spec.name.as_str()) {
            continue;
        }
        let t0 = Instant::now();
        let whose = || {
            format!(
                "{}: ranking {:?}",
                study.at(&["ranking", &i.to_string()]),
                spec.name
            )
        };
        let r = rank(spec, &input, &tie, &whose)?;
        if r.is_empty() {
            let who = Audience::new(&ds, &pop, study.population.as_ref(), &seed_lists, false);
            bail!("{}", explain_empty(spec, &r, &who));
        }
        seconds.insert(spec.name.clone(), t0.elapsed().as_secs_f64());
        rankings_out.push((spec.clone(), r));
    }
    clock.lap("rankings");

    let s = &study.study;
    let settings = compare::Settings {
        k: s.top_n as usize,
        rbo_p: s.rbo_p,
        top_fractions: &s.compare_top,
    };
    let comparisons = compare::compare_all(&rankings_out, |(s, _)| &s.name, |(_, r)| r, &settings);
    clock.lap("compare");

    let (families, multiverse, parts) =
        sensitivity(&study, &rankings_out, &input, &tie, source, obs)?;
    clock.lap("sensitivity");
    if let (Run::Shard(slice), Some(key)) = (&run, run_key) {
        let s = output::shard::Shard {
            version: env!("CARGO_PKG_VERSION").into(),
            key,
            slice: *slice,
            parts,
        };
        let path = output::shard::write(&out, &s)?;
        obs.say(&format!(
            "rankaudit: wrote shard {} of {} ({} bytes) in {:.1} s",
            slice.index,
            slice.count,
            std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
            started.elapsed().as_secs_f64()
        ));
        return Ok(path);
    }

    let c = &study.critique;
    let mut parts = BTreeMap::new();
    let mut part = Instant::now();
    let mut lap = |name: &str| {
        parts.insert(name.to_string(), part.elapsed().as_secs_f64());
        part = Instant::now();
    };
    let hierarchy = critique::stage::hierarchy(
        &rankings_out,
        s.top_n,
        &pop,
        &ds.accounts,
        &c.attributes,
        c.offline_rank.as_deref(),
    )?;
    lap("hierarchy");
    let gaming_input = GamingInput {
        data: &input,
        tie: &tie,
        self_columns: &c.self_columns,
        sample: c.gaming_sample,
    };
    let whose = || study.at(&["critique"]);
    let (gaming, gaming_seconds) =
        critique::stage::gaming(&rankings_out, s.top_n, &gaming_input, &whose)?;
    lap("gaming");
    let forced = critique::stage::forced(&rankings_out, s.top_n, &ds.accounts, &fg, s.seed)?;
    lap("forced order");
    let rank_inference = critique::stage::rank_inference(
        &rankings_out,
        s.top_n,
        &ds.accounts,
        &c.attributes,
        &families,
        s.seed,
    )?;
    lap("rank inference");
    clock.lap("critique");
    clock.items("critique", parts);

    let res = Results {
        population_size: pop.iter().filter(|&&b| b).count(),
        follow_graph: (fg.node_count(), fg.edge_count()),
        study,
        data: ds,
        seed_lists,
        rankings: rankings_out,
        comparisons,
        families,
        hierarchy,
        gaming,
        forced,
        rank_inference,
        multiverse,
    };
    let limit = output::graph_files::EDGE_LIMIT;
    let graph_files = res
        .study
        .output
        .graph_files
        .unwrap_or(fg.edge_count() < limit);
    if !graph_files {
        obs.say(&match res.study.output.graph_files {
            Some(_) => "rankaudit: graph files (graph/*.gexf, *.graphml) not written: [output] graph_files = false".to_string(),
            None => format!(
                "rankaudit: graph files (graph/*.gexf, *.graphml) not written: the follow graph has {} edges, the limit is {limit} (set [output] graph_files = true to write them)",
                fg.edge_count()
            ),
        });
    }
    if res.study.output.notebook == Some(false) {
        obs.say("rankaudit: notebook (explore.ipynb) not written: [output] notebook = false");
    }
    let ig = ig.as_ref().filter(|_| graph_files);
    let fg_files = graph_files.then_some(&fg);
    let outputs = write_all(&res, &seed_ids, &fg, fg_files, ig, &out, &mut clock)?;
    clock
        .timings
        .insert("total".into(), started.elapsed().as_secs_f64());
    clock.items("ranking", seconds);
    clock.items("gaming", gaming_seconds);
    output::audit::write_manifest(&res, &out, &outputs, &clock.timings, shards)?;
    obs.say(&format!(
        "rankaudit: wrote {} files and manifest.json in {:.1} s",
        outputs.len(),
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

/// The rankings the families and the multiverse perturb.
fn perturbed(study: &Study) -> std::collections::BTreeSet<&str> {
    let mut names = std::collections::BTreeSet::new();
    if let Some(sens) = &study.sensitivity {
        for f in &sens.families {
            names.insert(f.ranking.as_ref().unwrap_or(&sens.ranking).as_str());
        }
    }
    if let Some(mv) = &study.multiverse {
        names.insert(mv.ranking.as_str());
    }
    names
}

/// A table's rejected rows in one line: `rankaudit: follows f.csv: 3 of 120 rows
/// rejected (bad_id 2, self_loop 1)`.
fn rejections(r: &TableReport) -> String {
    let reasons: Vec<String> = r.rejected.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!(
        "rankaudit: {} {}: {} of {} rows rejected ({})",
        r.table,
        r.file,
        r.rows_rejected,
        r.rows_read,
        reasons.join(", ")
    )
}

/// One declared ranking on the data: its method built and checked against the data,
/// then scored and ranked. `whose` names it in the study file, for errors.
fn rank(
    spec: &MethodSpec,
    input: &Input,
    tie: &TieOrder,
    whose: &dyn Fn() -> String,
) -> Result<Ranking> {
    let method = rankings::build(&spec.method, &spec.params)?;
    method.validate(input).with_context(whose)?;
    Ok(rankings::rank_with(
        method.score(input).with_context(whose)?,
        tie,
    ))
}

type Sensitivity = (
    Vec<crate::results::FamilyResult>,
    Option<crate::results::MultiverseResult>,
    Vec<Part>,
);

/// The declared families, in order, then the multiverse (whose rankings are a family).
fn sensitivity(
    study: &Study,
    rankings: &[(MethodSpec, Ranking)],
    input: &Input,
    tie: &TieOrder,
    source: Source,
    obs: &dyn Observer,
) -> Result<Sensitivity> {
    let s = &study.study;
    let mut stage = Stage::new(Settings {
        input,
        tie,
        seed: s.seed,
        replicates: s.replicates,
        top_n: s.top_n,
        study_file: &study.path,
        observer: obs,
        source,
    });
    let nominal = |name: &str| {
        let (spec, r) = rankings
            .iter()
            .find(|(s, _)| s.name == name)
            .expect("validated");
        (spec, r)
    };
    let mut families = Vec::new();
    if let Some(sens) = &study.sensitivity {
        for (fi, fspec) in sens.families.iter().enumerate() {
            let target = fspec.ranking.as_ref().unwrap_or(&sens.ranking);
            let whose = || study.at(&["sensitivity", "family", &fi.to_string()]);
            families.push(stage.family(fi, fspec, nominal(target), &whose)?);
        }
    }
    let mut multiverse = None;
    if let Some(mv) = &study.multiverse {
        let whose = || study.at(&["multiverse"]);
        let (family, result) = stage.multiverse(mv, nominal(&mv.ranking), &whose)?;
        families.push(family);
        multiverse = Some(result);
    }
    Ok((families, multiverse, stage.into_parts()))
}

/// Tables, graph files, figures, the report and the notebook, each timed. Nothing was written before: a failure
/// earlier leaves a previous run's folder as it was. From here on the folder has no
/// manifest until this run's is written, last.
fn write_all(
    res: &Results,
    seed_ids: &BTreeMap<String, Vec<u32>>,
    fg: &Graph,
    graph_files: Option<&Graph>,
    ig: Option<&Graph>,
    out: &Path,
    clock: &mut Clock,
) -> Result<Vec<PathBuf>> {
    output::begin_run(out)?;
    let mut outputs: Vec<PathBuf> = Vec::new();
    let mut written = Vec::new();
    let tables_dir = out.join("tables");
    // Each table's seconds: building its rows and writing them.
    let mut per_table = BTreeMap::new();
    let mut t0 = Instant::now();
    tables(res, seed_ids, fg, |t| {
        outputs.extend(write_table(&tables_dir, &t)?);
        per_table.insert(t.name.to_string(), t0.elapsed().as_secs_f64());
        written.push(TableNote {
            name: t.name,
            about: t.about,
        });
        t0 = Instant::now();
        Ok(())
    })?;
    clock.lap("tables");
    clock.items("tables", per_table);
    if let Some(g) = graph_files {
        outputs.extend(output::graph_files::write_graph_files(
            res,
            &g.out,
            ig.map(|g| &g.out),
            out,
        )?);
    }
    clock.lap("graph files");
    let figs = figures::figures(res, &out.join("figures"))?;
    outputs.extend(figs.iter().flat_map(|f| f.files.clone()));
    clock.lap("figures");
    // The share card first: the page's preview metadata names it.
    if let Some(headline) = report::lede::lede(res).first() {
        outputs.extend(crate::plots::share_card::figure(res, headline, out)?.unwrap_or_default());
    }
    let doc = report::build(res, &figs, out);
    let md = doc.markdown();
    let report_path = out.join("report.md");
    write_atomic(&report_path, md.as_bytes())?;
    outputs.push(report_path);
    let s = &res.study.study;
    let title = s.title.clone().unwrap_or_else(|| s.name.clone());
    let html_path = out.join("report.html");
    write_atomic(
        &html_path,
        report::html::render(&doc, &title, out).as_bytes(),
    )?;
    outputs.push(html_path);
    clock.lap("report");
    if res.study.output.notebook != Some(false) {
        let contents = notebook::Contents::of(res, written);
        outputs.push(notebook::write_notebook(&contents, out)?);
    }
    clock.lap("notebook");
    Ok(outputs)
}
