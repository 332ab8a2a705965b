//! The audit pipeline: study -> data -> graphs -> rankings -> comparisons ->
//! sensitivity -> tables, figures, report, manifest. The manifest is written last: a run
//! folder without a fresh manifest did not finish.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::compare;
use crate::critique;
use crate::dataset::{self, Dataset, seeds::read_seed_file};
use crate::graph::{self, Graph, InteractionFilter};
use crate::output::tables::{Col, Dictionary, Table, write_table};
use crate::output::{self, write_atomic};
use crate::plots;
use crate::rankings::{self, Input, MethodSpec, Ranking};
use crate::report;
pub use crate::results::{
    Comparison, FamilyResult, Figure, HierarchyResult, MultiverseResult, Results, SeedList,
};
use crate::sensitivity::{self, Base, summary};
use crate::study::{Population, Study};

/// How the run talks to the terminal.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub out: Option<PathBuf>,
    pub quiet: bool,
}

impl RunOptions {
    fn progress(&self, len: u64, msg: &str) -> ProgressBar {
        let pb = ProgressBar::new(len);
        if self.quiet || !std::io::stderr().is_terminal() {
            pb.set_draw_target(ProgressDrawTarget::hidden());
        } else {
            pb.set_draw_target(ProgressDrawTarget::stderr());
        }
        pb.set_style(
            ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        pb.set_message(msg.to_string());
        pb
    }

    fn say(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }
}

/// The population mask.
pub fn population(ds: &Dataset, pop: Option<&Population>) -> Result<Vec<bool>> {
    let n = ds.accounts.len();
    let listed = ds.accounts.listed;
    match pop {
        None if listed > 0 => Ok((0..n).map(|i| i < listed).collect()),
        None => Ok(vec![true; n]),
        Some(p) => {
            if !ds.accounts.has_column(&p.column) {
                bail!(
                    "[population] column {:?} is not in the accounts table; columns: {}",
                    p.column,
                    ds.accounts
                        .numeric
                        .keys()
                        .chain(ds.accounts.text.keys())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let mask: Vec<bool> = (0..n)
                .map(|i| ds.accounts.text_value(&p.column, i).as_deref() == Some(p.equals.as_str()))
                .collect();
            if !mask.iter().any(|&b| b) {
                bail!(
                    "[population] no account has {} = {:?}; nobody can be ranked",
                    p.column,
                    p.equals
                );
            }
            Ok(mask)
        }
    }
}

/// How many unknown seeds one message lists before "and N more".
const MAX_BAD_SEEDS_SHOWN: usize = 20;

/// Resolve seed files to account indices. A seed not in the data is an error naming the
/// file and line (a silent drop would change the rule); every unknown seed of a list is
/// reported at once (up to [`MAX_BAD_SEEDS_SHOWN`]), each with a did-you-mean.
pub fn resolve_seeds(
    ds: &Dataset,
    specs: &BTreeMap<String, crate::study::SeedSpec>,
) -> Result<(rankings::SeedIds, Vec<SeedList>)> {
    let mut ids = BTreeMap::new();
    let mut lists = Vec::new();
    for (name, spec) in specs {
        let entries = read_seed_file(&spec.path)?;
        let mut v = Vec::with_capacity(entries.len());
        let mut bad = Vec::new();
        for e in &entries {
            match ds.accounts.ids.get(&e.account) {
                Some(i) => v.push(i),
                None => bad.push(e),
            }
        }
        if !bad.is_empty() {
            let names = ds.accounts.ids.names();
            let lines: Vec<String> = bad
                .iter()
                .take(MAX_BAD_SEEDS_SHOWN)
                .map(|e| {
                    let hint = dataset::seeds::closest(&e.account, names.iter())
                        .map(|n| format!(" (did you mean {}?)", dataset::clean::quoted(n)))
                        .unwrap_or_default();
                    format!(
                        "\n  {}: line {}: seed {}{hint}",
                        spec.path.display(),
                        e.line,
                        dataset::clean::quoted(&e.account)
                    )
                })
                .collect();
            let more = bad.len().saturating_sub(MAX_BAD_SEEDS_SHOWN);
            bail!(
                "{}: {} of {} seeds are not accounts in the data; fix the spelling (ids are case-sensitive) or remove them:{}{}",
                spec.path.display(),
                bad.len(),
                entries.len(),
                lines.concat(),
                if more > 0 {
                    format!("\n  and {more} more")
                } else {
                    String::new()
                }
            );
        }
        ids.insert(name.clone(), v);
        lists.push(SeedList {
            name: name.clone(),
            path: spec.path.display().to_string(),
            rationale: spec.rationale.clone(),
            accounts: entries.into_iter().map(|e| e.account).collect(),
        });
    }
    Ok((ids, lists))
}

/// Who could have been ranked: what the message says when nobody was.
pub struct Audience<'a> {
    pub accounts: usize,
    pub population: usize,
    /// Which rule made the population, in words.
    pub population_rule: String,
    pub seed_lists: &'a [SeedList],
    /// Quick mode: name flags (`--min-follows`), not study keys (`min_follows`).
    pub flags: bool,
}

impl Audience<'_> {
    pub fn new<'a>(
        ds: &Dataset,
        pop: &[bool],
        rule: Option<&Population>,
        seed_lists: &'a [SeedList],
        flags: bool,
    ) -> Audience<'a> {
        let population_rule = match rule {
            Some(p) => format!("[population] {} = {:?}", p.column, p.equals),
            None if ds.accounts.listed > 0 => {
                format!("the accounts listed in {}", ds.accounts.describe_source())
            }
            None => "every account in the edges".into(),
        };
        Audience {
            accounts: ds.accounts.len(),
            population: pop.iter().filter(|&&b| b).count(),
            population_rule,
            seed_lists,
            flags,
        }
    }

    fn say(&self, key: &str, flag: &str) -> String {
        if self.flags { flag } else { key }.to_string()
    }
}

/// Why a nominal ranking is empty, in words: the counts at each filter (accounts,
/// population, qualifiers) and what the method itself reports.
pub fn explain_empty(spec: &MethodSpec, r: &Ranking, a: &Audience) -> String {
    let q = r.diagnostics.get("qualified").copied();
    let missing = r
        .diagnostics
        .get("excluded_missing_count")
        .copied()
        .unwrap_or(0);
    let param = |k: &str| {
        spec.params
            .get(k)
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let head = if a.flags {
        String::new()
    } else {
        format!("ranking {:?}: ", spec.name)
    };
    let body = match q {
        Some(0) => {
            let seeds = spec
                .params
                .get("seeds")
                .and_then(|v| v.as_str())
                .and_then(|n| a.seed_lists.iter().find(|l| l.name == n))
                .map(|l| format!("{} seeds in {}", l.accounts.len(), l.path))
                .unwrap_or_else(|| "seeds".into());
            format!(
                "nobody qualifies: none of the {} accounts in the population ({}) follows {} of the {seeds}; lower {} or check the seed list",
                a.population,
                a.population_rule,
                param("min_follows"),
                a.say("min_follows", "--min-follows")
            )
        }
        Some(q) if missing == q => format!(
            "{q} accounts qualify but every one has a missing count in {}; fill the counts or set {}",
            if a.flags {
                format!("--by {}", param("by"))
            } else {
                param("by")
            },
            a.say("missing = \"zero\"", "--missing zero")
        ),
        _ => {
            let reasons: Vec<String> = r
                .diagnostics
                .iter()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            format!(
                "no account could be ranked: of {} accounts, {} are in the population ({}), and method {} ranked none of them ({}); check its parameters against the data",
                a.accounts,
                a.population,
                a.population_rule,
                spec.method,
                if reasons.is_empty() {
                    "it reports no count of who it left out".to_string()
                } else {
                    format!("it reports {}", reasons.join(", "))
                }
            )
        }
    };
    format!("{head}{body}")
}

/// Run a study end to end and write everything. Returns the output folder.
pub fn run_study(study: Study, opts: &RunOptions) -> Result<PathBuf> {
    let started = Instant::now();
    let mut timings: BTreeMap<String, f64> = BTreeMap::new();
    let mut lap = Instant::now();
    let mut tick = |name: &str, lap: &mut Instant| {
        timings.insert(name.to_string(), lap.elapsed().as_secs_f64());
        *lap = Instant::now();
    };
    let out = opts.out.clone().unwrap_or_else(|| study.out_dir());
    opts.say(&format!(
        "rankaudit: study {:?} -> {}",
        study.study.name,
        out.display()
    ));

    let mut ds = dataset::load(&study.data)?;
    tick("load", &mut lap);
    // The row accounting now: a run that then fails still shows what was rejected.
    for r in ds.reports.iter().filter(|r| r.rows_rejected > 0) {
        opts.say(&format!(
            "rankaudit: {} {}: {} of {} rows rejected ({})",
            r.table,
            r.file,
            r.rows_rejected,
            r.rows_read,
            r.rejected
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let pop = population(&ds, study.population.as_ref())
        .map_err(|e| e.context(study.at(&["population"])))?;
    let (seed_ids, seed_lists) = resolve_seeds(&ds, &study.seeds)?;
    // Everything in the study that needs only the data, before any heavy work.
    crate::study::check_against_data(&study, &ds, &seed_ids)?;
    let fg = graph::follow_graph(&mut ds);
    let ig: Option<Graph> = (!ds.interactions.is_empty()).then(|| {
        graph::interaction_graph(
            &ds.interactions,
            ds.accounts.len(),
            &InteractionFilter::default(),
        )
    });
    tick("graphs", &mut lap);
    let input = Input {
        accounts: &ds.accounts,
        follows: &fg,
        interactions: ig.as_ref(),
        events: (!ds.interactions.is_empty()).then_some(&ds.interactions),
        population: &pop,
        seed_lists: &seed_ids,
    };
    let names = ds.accounts.ids.names();
    let tie = rankings::TieOrder::new(names);

    let mut rankings_out = Vec::new();
    let mut ranking_seconds: BTreeMap<String, f64> = BTreeMap::new();
    for (i, spec) in study.rankings.iter().enumerate() {
        let t0 = Instant::now();
        let method = rankings::build(&spec.method, &spec.params)?;
        let whose = || {
            format!(
                "{}: ranking {:?}",
                study.at(&["ranking", &i.to_string()]),
                spec.name
            )
        };
        method.validate(&input).with_context(whose)?;
        let r = rankings::rank_with(method.score(&input).with_context(whose)?, &tie);
        if r.entries.is_empty() {
            let who = Audience::new(&ds, &pop, study.population.as_ref(), &seed_lists, false);
            bail!("{}", explain_empty(spec, &r, &who));
        }
        ranking_seconds.insert(spec.name.clone(), t0.elapsed().as_secs_f64());
        rankings_out.push((spec.clone(), r));
    }
    tick("rankings", &mut lap);

    let top_n = study.study.top_n;
    // Each ranking is prepared (normalised, indexed) once, not once per pair; then
    // every pair in parallel, collected in pair order.
    let prepared: Vec<compare::Prepared> = rankings_out
        .par_iter()
        .map(|(_, r)| compare::Prepared::new(&r.pairs()))
        .collect();
    let pairs: Vec<(usize, usize)> = (0..rankings_out.len())
        .flat_map(|i| (i + 1..rankings_out.len()).map(move |j| (i, j)))
        .collect();
    let comparisons: Vec<Comparison> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let pair = compare::Pair::new(&prepared[i], &prepared[j]);
            Comparison {
                a: rankings_out[i].0.name.clone(),
                b: rankings_out[j].0.name.clone(),
                all: pair.compare(top_n as usize, study.study.rbo_p),
                top: study
                    .study
                    .compare_top
                    .iter()
                    .map(|&f| pair.correlate_top(f))
                    .collect(),
            }
        })
        .collect();
    drop(prepared);
    tick("compare", &mut lap);

    let mut families = Vec::new();
    // The results keep one ranking per universe: each family is checked against the
    // memory budget (with what the families before it hold) before it runs.
    let budget = sensitivity::memory_budget();
    let mut spent = 0u64;
    if let Some(sens) = &study.sensitivity {
        for (fi, fspec) in sens.families.iter().enumerate() {
            let target = fspec.ranking.as_ref().unwrap_or(&sens.ranking);
            let (spec, nominal) = rankings_out
                .iter()
                .find(|(s, _)| &s.name == target)
                .expect("validated");
            let base = Base {
                spec,
                seed_lists: &seed_ids,
                events: (!ds.interactions.is_empty()).then_some(&ds.interactions),
            };
            let fam = sensitivity::build(fspec, study.study.replicates)?;
            let seed = study.study.seed;
            let whose = || {
                format!(
                    "{}: family {}",
                    study.at(&["sensitivity", "family", &fi.to_string()]),
                    fam.family()
                )
            };
            let rng_for = move |i| sensitivity::replicate_rng(seed, fi as u32, i);
            let view = fam.universes(&base, &rng_for).with_context(whose)?;
            spent += sensitivity::check_budget(&sensitivity::BudgetCheck {
                family: fam.family(),
                study_file: &study.path,
                universes: view.len(),
                ranked: nominal.entries.len() as u64,
                spent,
                budget: &budget,
                fewer: fam.fewer(),
            })?;
            let pb = opts.progress(view.len(), fam.family());
            let (universes, ranks) =
                sensitivity::run_family(&view, spec, &input, &tie, &|| pb.inc(1))
                    .with_context(whose)?;
            pb.finish_and_clear();
            let (accounts, per_universe) =
                summary::summarise(nominal, &ranks, ds.accounts.len(), top_n);
            families.push(FamilyResult {
                family: fam.family().to_string(),
                ranking: spec.name.clone(),
                universes,
                rankings: ranks,
                accounts,
                per_universe,
            });
        }
    }
    let mut multiverse = None;
    if let Some(mv) = &study.multiverse {
        let (spec, nominal) = rankings_out
            .iter()
            .find(|(s, _)| s.name == mv.ranking)
            .expect("validated");
        sensitivity::check_budget(&sensitivity::BudgetCheck {
            family: "multiverse",
            study_file: &study.path,
            universes: mv.count(),
            ranked: nominal.entries.len() as u64,
            spent,
            budget: &budget,
            fewer: "set [multiverse] max_universes to {fits} or less",
        })?;
        let mut rng =
            sensitivity::replicate_rng(study.study.seed, sensitivity::MULTIVERSE_STREAM, 0);
        let plan = mv.plan(&mut rng)?;
        let pb = opts.progress(plan.len() as u64, "multiverse");
        let (universes, ranks) =
            sensitivity::run_family(&plan.universes(), spec, &input, &tie, &|| pb.inc(1))
                .with_context(|| format!("{}: [multiverse]", study.at(&["multiverse"])))?;
        pb.finish_and_clear();
        let choices = plan.choices();
        let (accounts, per_universe) =
            summary::summarise(nominal, &ranks, ds.accounts.len(), top_n);
        let covered: Vec<u32> = accounts.iter().map(|a| a.account).collect();
        let y = sensitivity::multiverse::censored_ranks(&ranks, &covered, ds.accounts.len(), top_n);
        let effects = sensitivity::multiverse::attribute(&mv.factors, &choices, &y);
        // The declared rule's own universe, if the grid contains it: the parameters the
        // rule sets agree, and (for parameters it leaves at their default) so does the
        // ranking itself.
        let nominal_universe = universes.iter().zip(&ranks).position(|(u, r)| {
            u.params
                .iter()
                .all(|(k, v)| spec.params.get(k).is_none_or(|x| x == v))
                && r.entries == nominal.entries
        });
        families.push(FamilyResult {
            family: "multiverse".into(),
            ranking: spec.name.clone(),
            universes,
            rankings: ranks,
            accounts,
            per_universe,
        });
        multiverse = Some(MultiverseResult {
            spec: mv.clone(),
            choices,
            effects,
            nominal_universe,
        });
    }
    tick("sensitivity", &mut lap);

    let mut groups_of = Vec::new();
    for attr in &study.critique.attributes {
        if !ds.accounts.has_column(attr) {
            bail!("[critique] attribute {attr:?} is not a column of the accounts table");
        }
        let g: Vec<Option<String>> = (0..ds.accounts.len())
            .map(|i| ds.accounts.text_value(attr, i))
            .collect();
        groups_of.push((attr.clone(), g));
    }
    let offline = match &study.critique.offline_rank {
        Some(c) => Some(
            ds.accounts
                .numeric_column(c)
                .context("[critique] offline_rank")?,
        ),
        None => None,
    };
    let hierarchy: Vec<HierarchyResult> = rankings_out
        .iter()
        .map(|(spec, r)| HierarchyResult {
            ranking: spec.name.clone(),
            offline: offline.map(|col| {
                let (x, y): (Vec<f64>, Vec<f64>) = r
                    .entries
                    .iter()
                    .filter_map(|e| col[e.account as usize].map(|v| (e.score, v)))
                    .unzip();
                (
                    x.len(),
                    compare::correlation::spearman(&x, &y),
                    compare::correlation::kendall_tau_b(&x, &y),
                )
            }),
            concentration: critique::hierarchy::concentration(r, top_n),
            lorenz: critique::hierarchy::lorenz(
                &r.entries.iter().map(|e| e.score).collect::<Vec<_>>(),
                500,
            ),
            representation: groups_of
                .iter()
                .map(|(attr, g)| {
                    (
                        attr.clone(),
                        critique::hierarchy::representation(r, top_n, &pop, g),
                    )
                })
                .collect(),
        })
        .collect();
    let gaming_input = critique::gaming::GamingInput {
        data: &input,
        tie: &tie,
        self_columns: &study.critique.self_columns,
        sample: study.critique.gaming_sample,
    };
    let mut gaming_seconds: BTreeMap<String, f64> = BTreeMap::new();
    let gaming: Vec<critique::gaming::GamingSummary> = rankings_out
        .iter()
        .map(|(spec, r)| {
            let t = Instant::now();
            let g = critique::gaming::analyse(spec, r, top_n, &gaming_input).with_context(|| {
                format!(
                    "{}: gaming cost of ranking {:?}",
                    study.at(&["critique"]),
                    spec.name
                )
            });
            gaming_seconds.insert(spec.name.clone(), t.elapsed().as_secs_f64());
            g
        })
        .collect::<Result<_>>()?;
    tick("critique", &mut lap);

    let follow_graph = (fg.node_count(), fg.edge_count());
    let res = Results {
        study,
        data: ds,
        population_size: pop.iter().filter(|&&b| b).count(),
        seed_lists,
        rankings: rankings_out,
        comparisons,
        families,
        hierarchy,
        gaming,
        multiverse,
        follow_graph,
    };

    let tables_dir = out.join("tables");
    let figures_dir = out.join("figures");
    // Nothing was written so far: a failure above leaves a previous run's folder as it
    // was. From here on the folder has no manifest until this run's is written, last.
    output::begin_run(&out)?;
    let mut outputs: Vec<PathBuf> = Vec::new();
    tables(&res, &seed_ids, &fg, |t| {
        outputs.extend(write_table(&tables_dir, &t)?);
        Ok(())
    })?;
    tick("tables", &mut lap);
    let figs = figures(&res, &figures_dir)?;
    outputs.extend(figs.iter().flat_map(|f| f.files.clone()));
    tick("figures", &mut lap);
    let doc = report::build(&res, &figs, &out);
    let md = doc.markdown();
    let report_path = out.join("report.md");
    write_atomic(&report_path, md.as_bytes())?;
    outputs.push(report_path);
    let title = res
        .study
        .study
        .title
        .clone()
        .unwrap_or_else(|| res.study.study.name.clone());
    let html_path = out.join("report.html");
    write_atomic(
        &html_path,
        report::html::render(&doc, &title, &out).as_bytes(),
    )?;
    outputs.push(html_path);
    tick("report", &mut lap);
    timings.insert("total".into(), started.elapsed().as_secs_f64());
    for (k, v) in &ranking_seconds {
        timings.insert(format!("ranking:{k}"), *v);
    }
    for (k, v) in &gaming_seconds {
        timings.insert(format!("gaming:{k}"), *v);
    }
    write_manifest(&res, &out, &outputs, &timings)?;
    opts.say(&format!(
        "rankaudit: wrote {} files and manifest.json in {:.1} s",
        outputs.len(),
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

fn opt_bool(q: &Option<Vec<bool>>, a: u32) -> Option<bool> {
    q.as_ref().map(|v| v[a as usize])
}

/// All result tables, long format, handed to `emit` one at a time (each is dropped once
/// written, so only one table's columns are held at once). Account ids and ranking names
/// are dictionary columns: a code per row, the strings stored once.
fn tables(
    res: &Results,
    seed_ids: &BTreeMap<String, Vec<u32>>,
    fg: &Graph,
    mut emit: impl FnMut(Table) -> Result<()>,
) -> Result<()> {
    let names = res.data.accounts.ids.names();
    let accounts = Arc::new(Dictionary::new(names.iter()));
    let top_n = res.study.study.top_n;

    let (mut rk, mut ac, mut sc, mut ra, mut qu, mut tp) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (i, (_, r)) in res.rankings.iter().enumerate() {
        let in_top = r.top(top_n).len();
        for (pos, e) in r.entries.iter().enumerate() {
            rk.push(i as u32);
            ac.push(e.account);
            sc.push(e.score);
            ra.push(e.rank);
            qu.push(opt_bool(&r.qualified, e.account));
            tp.push(pos < in_top);
        }
    }
    let ranking_names = Dictionary::new(res.rankings.iter().map(|(s, _)| &s.name));
    let methods = Dictionary::new(res.rankings.iter().map(|(s, _)| &s.method));
    emit(
        Table::new("rankings")
            .col("ranking", Col::dict(rk.clone(), ranking_names))
            .col("method", Col::dict(rk, methods))
            .col("account", Col::dict(ac, accounts.clone()))
            .col("score", Col::F64(sc))
            .col("rank", Col::U32(ra))
            .col("qualified", Col::OptBool(qu))
            .col("in_top_n", Col::Bool(tp)),
    )?;

    // Long format: one "all" row per pair, then one row per top fraction (where the
    // overlap measures do not apply and stay empty).
    let (mut ca, mut cb, mut su, mut na, mut nb, mut nc, mut ta, mut sp) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    let (mut kk, mut ja, mut rp, mut rb) = (vec![], vec![], vec![], vec![]);
    for c in &res.comparisons {
        let x = &c.all;
        let rows = std::iter::once(("all".to_string(), x.n_common, x.tau_b, x.spearman, true))
            .chain(c.top.iter().map(|t| {
                (
                    format!("top {} %", t.fraction * 100.0),
                    t.n,
                    t.tau_b,
                    t.spearman,
                    false,
                )
            }));
        for (subset, n, tau, rho, full) in rows {
            ca.push(c.a.clone());
            cb.push(c.b.clone());
            su.push(subset);
            na.push(x.n_a as u64);
            nb.push(x.n_b as u64);
            nc.push(n as u64);
            ta.push(tau);
            sp.push(rho);
            kk.push(full.then_some(x.k as u32));
            ja.push(if full { x.jaccard_top_k } else { None });
            rp.push(full.then_some(x.rbo_p));
            rb.push(if full { x.rbo } else { None });
        }
    }
    let t = Table::new("comparisons")
        .col("ranking_a", Col::Str(ca))
        .col("ranking_b", Col::Str(cb))
        .col("subset", Col::Str(su))
        .col("n_a", Col::U64(na))
        .col("n_b", Col::U64(nb))
        .col("n_common", Col::U64(nc))
        .col("kendall_tau_b", Col::OptF64(ta))
        .col("spearman", Col::OptF64(sp))
        .col("k", Col::OptU32(kk))
        .col("jaccard_top_k", Col::OptF64(ja))
        .col("rbo_p", Col::OptF64(rp))
        .col("rbo_ext", Col::OptF64(rb));
    emit(t)?;

    let (mut rk, mut fa, mut ac, mut nr, mut md, mut lo, mut hi, mut pt, mut pr, mut nu) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    for f in &res.families {
        for a in &f.accounts {
            rk.push(f.ranking.clone());
            fa.push(f.family.clone());
            ac.push(a.account);
            nr.push(a.nominal_rank);
            md.push(a.median_rank);
            lo.push(a.rank_q05);
            hi.push(a.rank_q95);
            pt.push(a.p_top_n);
            pr.push(a.p_ranked);
            nu.push(f.rankings.len() as u64);
        }
    }
    emit(
        Table::new("stability")
            .col("ranking", Col::Str(rk))
            .col("family", Col::Str(fa))
            .col("account", Col::dict(ac, accounts.clone()))
            .col("nominal_rank", Col::OptU32(nr))
            .col("median_rank", Col::OptU32(md))
            .col("rank_q05", Col::OptU32(lo))
            .col("rank_q95", Col::OptU32(hi))
            .col("p_top_n", Col::F64(pt))
            .col("p_ranked", Col::F64(pr))
            .col("n_universes", Col::U64(nu)),
    )?;

    let (mut rk, mut fa, mut ix, mut la, mut xs, mut se, mut nq, mut nr, mut nt, mut jc) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    for f in &res.families {
        for (i, ((u, r), s)) in f
            .universes
            .iter()
            .zip(&f.rankings)
            .zip(&f.per_universe)
            .enumerate()
        {
            rk.push(f.ranking.clone());
            fa.push(f.family.clone());
            ix.push(i as u32 + 1);
            la.push(u.label.clone());
            xs.push(u.x);
            se.push(u.seed_list.as_ref().map(|(_, l)| {
                l.iter()
                    .map(|&a| &names[a as usize])
                    .collect::<Vec<_>>()
                    .join(";")
            }));
            nq.push(r.diagnostics.get("qualified").map(|&q| q as u32));
            nr.push(s.n_ranked as u32);
            nt.push(s.n_top as u32);
            jc.push(s.jaccard_top_n);
        }
    }
    emit(
        Table::new("universes")
            .col("ranking", Col::Str(rk))
            .col("family", Col::Str(fa))
            .col("universe", Col::U32(ix))
            .col("label", Col::Str(la))
            .col("x", Col::OptF64(xs))
            .col("seeds", Col::OptStr(se))
            .col("n_qualified", Col::OptU32(nq))
            .col("n_ranked", Col::U32(nr))
            .col("n_top_n", Col::U32(nt))
            .col("jaccard_top_n", Col::OptF64(jc)),
    )?;

    if let Some(mv) = &res.multiverse {
        let e = &mv.effects;
        emit(
            Table::new("variance_attribution")
                .col(
                    "factor",
                    Col::Str(e.iter().map(|x| x.factor.clone()).collect()),
                )
                .col(
                    "first_order_mean_abs_rank_change",
                    Col::F64(e.iter().map(|x| x.first_order).collect()),
                )
                .col(
                    "total_mean_abs_rank_change",
                    Col::OptF64(e.iter().map(|x| x.total).collect()),
                )
                .col(
                    "first_order_variance_share",
                    Col::F64(e.iter().map(|x| x.first_order_share).collect()),
                )
                .col(
                    "total_variance_share",
                    Col::OptF64(e.iter().map(|x| x.total_share).collect()),
                )
                .col(
                    "groups",
                    Col::U64(e.iter().map(|x| x.groups as u64).collect()),
                ),
        )?;
        let mut t = Table::new("multiverse").col(
            "universe",
            Col::U32((1..=mv.choices.len() as u32).collect()),
        );
        for (i, f) in mv.spec.factors.iter().enumerate() {
            t = t.col(
                &f.param,
                Col::Str(
                    mv.choices
                        .iter()
                        .map(|c| sensitivity::multiverse::MultiverseSpec::level(&f.values[c[i]]))
                        .collect(),
                ),
            );
        }
        emit(t)?;
    }
    let g = &res.gaming;
    emit(
        Table::new("gaming")
            .col(
                "ranking",
                Col::Str(g.iter().map(|x| x.ranking.clone()).collect()),
            )
            .col(
                "computed",
                Col::Bool(g.iter().map(|x| x.not_computed.is_none()).collect()),
            )
            .col(
                "how",
                Col::OptStr(
                    g.iter()
                        .map(|x| x.not_computed.is_none().then(|| x.how.label().to_string()))
                        .collect(),
                ),
            )
            .col(
                "why_not",
                Col::OptStr(g.iter().map(|x| x.not_computed.clone()).collect()),
            )
            .col(
                "outside_top_n",
                Col::U64(g.iter().map(|x| x.outside as u64).collect()),
            )
            .col(
                "candidates",
                Col::U64(g.iter().map(|x| x.candidates as u64).collect()),
            )
            .col(
                "method_runs",
                Col::U64(g.iter().map(|x| x.method_runs as u64).collect()),
            )
            .col(
                "share_self_only",
                Col::OptF64(g.iter().map(|x| x.share_self_only).collect()),
            )
            .col(
                "median_self_only_actions",
                Col::OptF64(g.iter().map(|x| x.median_self_only).collect()),
            )
            .col(
                "median_others_actions",
                Col::OptF64(g.iter().map(|x| x.median_others).collect()),
            ),
    )?;
    let (mut rk, mut ac, mut sa, mut oa, mut so) = (vec![], vec![], vec![], vec![], vec![]);
    for (i, x) in g.iter().enumerate() {
        for c in &x.costs {
            rk.push(i as u32);
            ac.push(c.account);
            sa.push(c.cheapest.map(|k| k.self_actions));
            oa.push(c.cheapest.map(|k| k.others_actions));
            so.push(c.self_only);
        }
    }
    emit(
        Table::new("gaming_accounts")
            .col(
                "ranking",
                Col::dict(rk, Dictionary::new(g.iter().map(|x| &x.ranking))),
            )
            .col("account", Col::dict(ac, accounts.clone()))
            .col("cheapest_self_actions", Col::OptF64(sa))
            .col("cheapest_others_actions", Col::OptF64(oa))
            .col("self_only_actions", Col::OptF64(so)),
    )?;
    let h = &res.hierarchy;
    emit(
        Table::new("hierarchy")
            .col(
                "ranking",
                Col::Str(h.iter().map(|x| x.ranking.clone()).collect()),
            )
            .col(
                "n_ranked",
                Col::U64(h.iter().map(|x| x.concentration.n_ranked as u64).collect()),
            )
            .col(
                "n_top_n",
                Col::U64(h.iter().map(|x| x.concentration.n_top as u64).collect()),
            )
            .col(
                "gini",
                Col::OptF64(h.iter().map(|x| x.concentration.gini).collect()),
            )
            .col(
                "top_n_score_share",
                Col::OptF64(h.iter().map(|x| x.concentration.top_n_share).collect()),
            )
            .col(
                "offline_rank_n",
                Col::OptU32(h.iter().map(|x| x.offline.map(|o| o.0 as u32)).collect()),
            )
            .col(
                "offline_rank_spearman",
                Col::OptF64(h.iter().map(|x| x.offline.and_then(|o| o.1)).collect()),
            )
            .col(
                "offline_rank_tau_b",
                Col::OptF64(h.iter().map(|x| x.offline.and_then(|o| o.2)).collect()),
            ),
    )?;
    let (mut rk, mut at, mut gr, mut pn, mut ps, mut tc, mut ts, mut lo, mut hi) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    for x in h {
        for (attr, groups) in &x.representation {
            for g in groups {
                rk.push(x.ranking.clone());
                at.push(attr.clone());
                gr.push(g.group.clone());
                pn.push(g.population_n as u64);
                ps.push(g.population_share);
                tc.push(g.top_count as u64);
                ts.push(g.top_share);
                lo.push(g.lo);
                hi.push(g.hi);
            }
        }
    }
    emit(
        Table::new("representation")
            .col("ranking", Col::Str(rk))
            .col("attribute", Col::Str(at))
            .col("group", Col::Str(gr))
            .col("population_n", Col::U64(pn))
            .col("population_share", Col::F64(ps))
            .col("top_n_count", Col::U64(tc))
            .col("top_n_share", Col::F64(ts))
            .col("top_n_share_lo95", Col::F64(lo))
            .col("top_n_share_hi95", Col::F64(hi)),
    )?;

    let (mut ln, mut ac, mut po, mut fo) = (vec![], vec![], vec![], vec![]);
    for l in &res.seed_lists {
        for (i, &a) in seed_ids[&l.name].iter().enumerate() {
            ln.push(l.name.clone());
            ac.push(a);
            po.push(i as u32 + 1);
            fo.push(fg.inn.degree(a) as u32);
        }
    }
    emit(
        Table::new("seeds")
            .col("seed_list", Col::Str(ln))
            .col("account", Col::dict(ac, accounts.clone()))
            .col("position", Col::U32(po))
            .col("followers_in_data", Col::U32(fo)),
    )
}

fn figures(res: &Results, dir: &Path) -> Result<Vec<Figure>> {
    let mut figs = Vec::new();
    if res.rankings.len() >= 2 {
        figs.push(bump_figure(res, dir)?);
        figs.push(heatmap_figure(res, dir)?);
    }
    if let Some(f) = gaming_figure(res, dir)? {
        figs.push(f);
    }
    if let Some(f) = lorenz_figure(res, dir)? {
        figs.push(f);
    }
    for attr in &res.study.critique.attributes {
        figs.push(representation_figure(res, attr, dir)?);
    }
    for f in res
        .families
        .iter()
        .filter(|f| f.family != "threshold-sweep")
    {
        figs.push(membership_figure(res, f, dir)?);
    }
    if let Some(mv) = &res.multiverse {
        figs.extend(multiverse_figures(res, mv, dir)?);
    }
    for f in &res.families {
        figs.push(if f.family == "threshold-sweep" {
            sweep_figure(res, f, dir)?
        } else {
            caterpillar_figure(res, f, dir)?
        });
    }
    Ok(figs)
}

/// Rank intervals of the nominal top N under a family.
fn caterpillar_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let rows: Vec<plots::caterpillar::IntervalRow> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top)
        .map(|a| plots::caterpillar::IntervalRow {
            label: names[a.account as usize].to_string(),
            nominal: a.nominal_rank.expect("filtered"),
            median: a.median_rank.map(f64::from),
            lo: a.rank_q05.map(f64::from),
            hi: a.rank_q95.map(f64::from),
            p_top: a.p_top_n,
        })
        .collect();
    let stable = rows.iter().filter(|r| r.p_top >= 0.95).count();
    let what = sensitivity::describe(&f.family, &f.universes);
    let title = format!(
        "{stable} of the top {} stay in the top {top_n} in at least 95 % of {what}",
        rows.len()
    );
    let subtitle = format!(
        "Ranking {:?}: published rank (tick), median rank (dot) and 5-95 % rank interval per account",
        f.ranking
    );
    let name = figure_name(res, f, "caterpillar");
    let stem = dir.join(&name);
    let files = plots::caterpillar::caterpillar(&rows, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name,
        alt: format!(
            "Rank intervals of the {} accounts in the nominal top {top_n} of {:?} under {}; {stable} stay in the top {top_n} in at least 95 % of runs.",
            rows.len(),
            f.ranking,
            what
        ),
        title,
        files,
    })
}

/// The published top accounts followed across every ranking.
fn bump_figure(res: &Results, dir: &Path) -> Result<Figure> {
    const SHOW: usize = 10;
    // More than 8 columns of lines cannot be followed by eye at blog width.
    const METHODS: usize = 8;
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.clone());
    let (first_spec, first) = res
        .rankings
        .iter()
        .find(|(s, _)| Some(&s.name) == main.as_ref())
        .unwrap_or(&res.rankings[0]);
    let chosen: Vec<&(MethodSpec, Ranking)> = res
        .rankings
        .iter()
        .filter(|(s, _)| s.name == first_spec.name)
        .chain(
            res.rankings
                .iter()
                .filter(|(s, _)| s.name != first_spec.name),
        )
        .take(METHODS)
        .collect();
    let methods: Vec<String> = chosen.iter().map(|(s, _)| s.name.clone()).collect();
    let ranks: Vec<Vec<Option<u32>>> = chosen
        .iter()
        .map(|(_, r)| r.rank_of(res.data.accounts.len()))
        .collect();
    let series: Vec<plots::bump::BumpSeries> = first
        .entries
        .iter()
        .take(SHOW)
        .map(|e| plots::bump::BumpSeries {
            label: names[e.account as usize].to_string(),
            ranks: ranks
                .iter()
                .map(|r| r[e.account as usize].filter(|&k| k <= top_n))
                .collect(),
            highlight: true,
        })
        .collect();
    let stay = series
        .iter()
        .filter(|s| s.ranks.iter().all(Option::is_some))
        .count();
    let title = format!(
        "{stay} of the top {} under `{}` are in the top {top_n} of every one of {} rankings",
        series.len(),
        first_spec.name,
        methods.len()
    );
    let subtitle = format!(
        "Rank of the top {} accounts of `{}` under each ranking (top {top_n} shown)",
        series.len(),
        first_spec.name
    );
    let name = "bump".to_string();
    let files = plots::bump::bump(
        &methods,
        &series,
        top_n,
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Bump chart: {title}."),
        name,
        title,
        files,
    })
}

/// Kendall tau-b (lower triangle) and RBO (upper) between every pair of rankings.
fn heatmap_figure(res: &Results, dir: &Path) -> Result<Figure> {
    let labels: Vec<String> = res.rankings.iter().map(|(s, _)| s.name.clone()).collect();
    let n = labels.len();
    let idx = |name: &str| labels.iter().position(|l| l == name).expect("a ranking");
    let mut values = vec![vec![None; n]; n];
    let mut below_half = 0usize;
    for c in &res.comparisons {
        let (i, j) = (idx(&c.a), idx(&c.b));
        let (lo, hi) = (i.max(j), i.min(j));
        values[lo][hi] = c.all.tau_b;
        values[hi][lo] = c.all.rbo;
        if c.all.rbo.is_some_and(|r| r < 0.5) {
            below_half += 1;
        }
    }
    let title = format!(
        "{below_half} of {} pairs of rankings agree on less than half of who is on top (RBO < 0.5)",
        res.comparisons.len()
    );
    let subtitle = format!(
        "Kendall tau-b over the accounts both rank (lower triangle) and rank-biased overlap, p = {} (upper)",
        res.study.study.rbo_p
    );
    let name = "heatmap".to_string();
    let files = plots::heatmap::heatmap(
        &labels,
        &values,
        "Kendall tau-b",
        "RBO",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Heatmap of agreement between {n} rankings. {title}."),
        name,
        title,
        files,
    })
}

/// How cheaply each costed ranking can be gamed.
fn gaming_figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let top_n = res.study.study.top_n;
    let rows: Vec<plots::gaming::GamingRow> = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_none())
        .take(60)
        .map(|g| plots::gaming::GamingRow {
            // * = costed by search on a sample (upper bounds).
            method: match g.how {
                critique::gaming::How::Search => format!("{}*", g.ranking),
                critique::gaming::How::Exact => g.ranking.clone(),
            },
            share_self_only: g.share_self_only.unwrap_or(0.0),
            median_self: g.median_self_only,
            median_others: g.median_others,
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let cheap = rows
        .iter()
        // The largest share; among equal shares, the fewest own actions.
        .max_by(|a, b| {
            a.share_self_only.total_cmp(&b.share_self_only).then(
                b.median_self
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&a.median_self.unwrap_or(f64::INFINITY)),
            )
        })
        .expect("non-empty");
    let title = format!(
        "`{}` is the easiest to game: {:.0} % of outsiders could enter its top {top_n} by their own actions alone",
        cheap.method.trim_end_matches('*'),
        100.0 * cheap.share_self_only
    );
    let subtitle = format!(
        "Accounts outside each top {top_n}: share that can get in alone (following, posting, engaging) and median actions needed; * = by search on a sample, costs are upper bounds"
    );
    let name = "gaming-cost".to_string();
    let files = plots::gaming::gaming_cost(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Gaming cost by ranking. {title}."),
        name,
        title,
        files,
    }))
}

/// Lorenz curves of the rankings whose scores are non-negative (at most 8).
fn lorenz_figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let curves: Vec<plots::lorenz::LorenzCurve> = res
        .hierarchy
        .iter()
        .filter_map(|h| {
            Some(plots::lorenz::LorenzCurve {
                method: h.ranking.clone(),
                points: h.lorenz.clone()?,
                gini: h.concentration.gini?,
            })
        })
        .take(8)
        .collect();
    let Some(top) = curves.iter().max_by(|a, b| a.gini.total_cmp(&b.gini)) else {
        return Ok(None);
    };
    let title = format!(
        "`{}` concentrates prominence most (Gini {:.2})",
        top.method, top.gini
    );
    let subtitle =
        "Cumulative share of the score held by the lowest-scoring share of the ranked accounts"
            .to_string();
    let name = "lorenz".to_string();
    let files = plots::lorenz::lorenz(&curves, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Lorenz curves of {} rankings. {title}.", curves.len()),
        name,
        title,
        files,
    }))
}

/// Each group's share of each top N against its share of the population.
fn representation_figure(res: &Results, attr: &str, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let mut cells = Vec::new();
    let mut worst: Option<(f64, String, String)> = None;
    for h in &res.hierarchy {
        for (a, groups) in &h.representation {
            if a != attr {
                continue;
            }
            for g in groups {
                let gap = g.top_share - g.population_share;
                if worst.as_ref().is_none_or(|w| gap.abs() > w.0.abs()) {
                    worst = Some((gap, h.ranking.clone(), g.group.clone()));
                }
                cells.push(plots::representation::GroupShare {
                    method: h.ranking.clone(),
                    group: g.group.clone(),
                    population_share: g.population_share,
                    top_share: g.top_share,
                    lo: g.lo,
                    hi: g.hi,
                });
            }
        }
    }
    let title = match &worst {
        Some((gap, r, g)) => format!(
            "`{r}` {} {attr} {g} most: {:+.0} points in its top {top_n}",
            if *gap > 0.0 {
                "over-represents"
            } else {
                "under-represents"
            },
            gap * 100.0
        ),
        None => format!("Representation by {attr}"),
    };
    let subtitle = format!(
        "Share of each {attr} in the top {top_n} (95 % Wilson interval) against its share of the population (tick)"
    );
    let name = format!("representation-{attr}");
    let files =
        plots::representation::representation(&cells, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Representation of {attr} groups in each top {top_n}. {title}."),
        name,
        title,
        files,
    })
}

/// P(top N) per account under a family.
fn membership_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let names = res.data.accounts.ids.names();
    let top_n = res.study.study.top_n;
    let mut rows: Vec<plots::membership::Membership> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top || a.p_top_n > 0.0)
        .map(|a| plots::membership::Membership {
            label: names[a.account as usize].to_string(),
            p: a.p_top_n,
            nominal_in: a.nominal_in_top,
        })
        .collect();
    rows.sort_by(|a, b| b.p.total_cmp(&a.p).then_with(|| a.label.cmp(&b.label)));
    rows.truncate(80);
    let core = rows.iter().filter(|r| r.p >= 0.95).count();
    let what = sensitivity::describe(&f.family, &f.universes);
    let title = if core == 0 {
        format!("No account is in the top {top_n} in at least 95 % of {what}")
    } else {
        format!(
            "A stable core of {core}: the accounts in the top {top_n} in at least 95 % of {what}"
        )
    };
    let subtitle = format!(
        "Ranking `{}`: probability of being in the top {top_n}; filled = in the published top {top_n}",
        f.ranking
    );
    let name = figure_name(res, f, "membership");
    let files = plots::membership::membership(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Membership probability under {what}. {title}."),
        name,
        title,
        files,
    })
}

/// The specification curve and the variance attribution of the multiverse.
fn multiverse_figures(res: &Results, mv: &MultiverseResult, dir: &Path) -> Result<Vec<Figure>> {
    let top_n = res.study.study.top_n;
    let Some(fam) = res.families.iter().find(|f| f.family == "multiverse") else {
        return Ok(Vec::new());
    };
    let factors: Vec<String> = mv.spec.factors.iter().map(|f| f.name.clone()).collect();
    let points: Vec<plots::spec_curve::SpecPoint> = fam
        .per_universe
        .iter()
        .zip(&mv.choices)
        .enumerate()
        .map(|(u, (s, c))| plots::spec_curve::SpecPoint {
            value: s.jaccard_top_n.unwrap_or(0.0),
            lo: None,
            hi: None,
            choices: c
                .iter()
                .zip(&mv.spec.factors)
                .map(|(&l, f)| sensitivity::multiverse::MultiverseSpec::level(&f.values[l]))
                .collect(),
            nominal: Some(u) == mv.nominal_universe,
        })
        .collect();
    let half = points.iter().filter(|p| p.value < 0.5).count();
    let title = format!(
        "In {half} of {} equally defensible universes the top {top_n} shares less than half its members with the published one",
        points.len()
    );
    let subtitle = format!(
        "Jaccard overlap of each universe's top {top_n} with the published top {top_n}; below, the choices each universe makes"
    );
    let name = "specification-curve".to_string();
    let files = plots::spec_curve::specification_curve(
        &factors,
        &points,
        "Jaccard with the published top N",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    let mut figs = vec![Figure {
        alt: format!("Specification curve. {title}."),
        name,
        title,
        files,
    }];
    let effects: Vec<plots::variance::FactorEffect> = mv
        .effects
        .iter()
        .map(|e| plots::variance::FactorEffect {
            factor: e.factor.clone(),
            first_order: e.first_order,
            total: e.total.unwrap_or(e.first_order),
        })
        .collect();
    if let Some(top) = mv.effects.iter().max_by(|a, b| {
        a.total
            .unwrap_or(a.first_order)
            .total_cmp(&b.total.unwrap_or(b.first_order))
    }) {
        let title = format!(
            "The {} moves ranks most: {:.1} places on average when it alone changes",
            top.factor,
            top.total.unwrap_or(top.first_order)
        );
        let subtitle = format!(
            "Mean absolute rank change per choice (ranks censored at {}); first-order and total effects",
            2 * top_n + 1
        );
        let name = "variance-attribution".to_string();
        let files = plots::variance::variance_bars(
            &effects,
            "mean absolute rank change",
            &title,
            &subtitle,
            &dir.join(&name),
        )?;
        figs.push(Figure {
            alt: format!("Variance attribution. {title}."),
            name,
            title,
            files,
        });
    }
    Ok(figs)
}

/// `<kind>-<family>`, or `<kind>-<ranking>-<family>` for a family that perturbs another
/// ranking than `[sensitivity] ranking` (so two such figures never share a file).
fn figure_name(res: &Results, f: &FamilyResult, kind: &str) -> String {
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
    if main == Some(f.ranking.as_str()) {
        format!("{kind}-{}", f.family)
    } else {
        format!("{kind}-{}-{}", f.ranking, f.family)
    }
}

/// Qualifiers and top-N overlap at every threshold.
fn sweep_figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let nominal_k = res
        .rankings
        .iter()
        .find(|(s, _)| s.name == f.ranking)
        .and_then(|(s, _)| s.params.get("min_follows"))
        .and_then(|v| v.as_integer())
        .unwrap_or(0) as u32;
    let points: Vec<plots::sweep::SweepPoint> = f
        .universes
        .iter()
        .zip(&f.rankings)
        .zip(&f.per_universe)
        .map(|((u, r), s)| {
            let k = u.x.unwrap_or(0.0) as u32;
            plots::sweep::SweepPoint {
                k,
                n_qualified: r.diagnostics.get("qualified").copied().unwrap_or(0) as u32,
                jaccard_top_n: s.jaccard_top_n,
                nominal: k == nominal_k,
            }
        })
        .collect();
    let title = sweep_title(&points, nominal_k, top_n);
    let subtitle = format!(
        "Ranking {:?}: qualifiers and overlap of the top {top_n} with the published k = {nominal_k}",
        f.ranking
    );
    let stem = dir.join("threshold-sweep");
    let files = plots::sweep::threshold_sweep(&points, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name: "threshold-sweep".into(),
        alt: format!(
            "Number of qualifying accounts and Jaccard overlap of the top {top_n} with the published threshold, for k = 1 to {}.",
            points.len()
        ),
        title,
        files,
    })
}

/// The finding of a threshold sweep: how much of the top N one step of k changes.
fn sweep_title(points: &[plots::sweep::SweepPoint], k: u32, top_n: u32) -> String {
    let at = |k: u32| {
        points
            .iter()
            .find(|p| p.k == k)
            .and_then(|p| p.jaccard_top_n)
    };
    let near: Vec<String> = [k.checked_sub(1), Some(k + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| at(j).map(|v| format!("{v:.2} at k = {j}")))
        .collect();
    let n_at = |k: u32| points.iter().find(|p| p.k == k).map(|p| p.n_qualified);
    match (near.is_empty(), n_at(k)) {
        (false, Some(q)) => format!(
            "One step from the published k = {k} ({q} qualify) already changes the top {top_n}: overlap {}",
            near.join(", ")
        ),
        _ => format!("Qualifiers and top-{top_n} overlap for every threshold k"),
    }
}

/// A ranking as the manifest records it (audits and quick mode alike).
pub fn ranking_record(spec: &MethodSpec, r: &Ranking) -> serde_json::Value {
    serde_json::json!({"name": spec.name, "method": spec.method, "ranked": r.entries.len(), "diagnostics": r.diagnostics})
}

/// The audit's fields of the manifest, after `version`.
#[derive(Serialize)]
struct AuditMode<'a> {
    study: &'a Study,
    study_file: String,
    seed: u64,
}

fn write_manifest(
    res: &Results,
    out: &Path,
    outputs: &[PathBuf],
    timings: &BTreeMap<String, f64>,
) -> Result<()> {
    let mut inputs: Vec<PathBuf> = res.data.files.clone();
    inputs.extend(res.seed_lists.iter().map(|s| PathBuf::from(&s.path)));
    inputs.push(res.study.path.clone());
    let rec = output::RunRecord {
        mode: AuditMode {
            study: &res.study,
            study_file: res.study.path.display().to_string(),
            seed: res.study.study.seed,
        },
        inputs,
        tables_read: &res.data.reports,
        accounts: res.data.accounts.len(),
        accounts_listed: res.data.accounts.listed,
        population: res.population_size,
        follow_graph: res.follow_graph,
        rankings: res
            .rankings
            .iter()
            .map(|(s, r)| ranking_record(s, r))
            .collect(),
        perturbations: Some(
            res.families
                .iter()
                .map(|f| serde_json::json!({"ranking": f.ranking, "family": f.family, "universes": f.universes.len()}))
                .collect(),
        ),
    };
    output::write_manifest(&rec, out, outputs, timings)
}
