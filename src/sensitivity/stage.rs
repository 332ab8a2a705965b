//! The sensitivity stage of an audit: each declared family, then the multiverse, run
//! against the nominal ranking it perturbs and summarised per account. Before each runs,
//! its results are checked against the memory budget together with what the families
//! before it hold (the results keep one ranking per universe).
//!
//! Every run of many universes (a family, the multiverse, the Sobol design) goes
//! through one seam, [`Stage::run`], which takes its rankings from the stage's
//! [`Source`]: computed here (all, or a shard's slice, kept as [`Part`]s), or taken from
//! merged shards. A shard's stage summarises nothing: its families come back empty and
//! its parts are what it hands on.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::multiverse::{self, Design, Effect, MultiverseSpec};
use super::shard::{Part, Slice, Source};
use super::sobol_multiverse::{self as sm, SobolPlan, SobolResult};
use super::summary::{self, AccountStability, UniverseSummary};
use super::{
    Base, BudgetCheck, FamilySpec, MULTIVERSE_STREAM, MemoryBudget, Universe, Universes, build,
    check_budget, memory_budget, replicate_rng, run_family,
};
use crate::progress::Observer;
use crate::rankings::{Input, MethodSpec, Ranking, TieOrder};

/// One perturbation family's results.
pub struct FamilyResult {
    pub family: String,
    pub ranking: String,
    pub universes: Vec<Universe>,
    /// Each universe's ranking diagnostics (how many qualified, ...), in universe order.
    pub diagnostics: Vec<BTreeMap<String, u64>>,
    /// The universes' rankings, kept only where a later stage reads them: the
    /// bootstrap's replicates, which give the rank confidence sets of the critique.
    /// Empty for every other family: once summarised (`accounts`, `per_universe`) its
    /// rankings are dropped, since they hold 12 B per ranked account per universe until
    /// the end of the audit (300 MB for 1,000 replicates of 19,000 qualifiers).
    pub replicates: Vec<Ranking>,
    pub accounts: Vec<AccountStability>,
    pub per_universe: Vec<UniverseSummary>,
}

impl FamilyResult {
    /// The results of `family` on `ranking`: the universes, their rankings and their
    /// summaries; the rankings are kept as `replicates` for the bootstrap only.
    fn new(
        family: &str,
        ranking: &str,
        universes: Vec<Universe>,
        rankings: Vec<Ranking>,
        (accounts, per_universe): (Vec<AccountStability>, Vec<UniverseSummary>),
    ) -> FamilyResult {
        let keep = family == super::bootstrap::BOOTSTRAP.name;
        let mut diagnostics = Vec::with_capacity(rankings.len());
        let mut replicates = Vec::new();
        for r in rankings {
            diagnostics.push(r.diagnostics.clone());
            if keep {
                replicates.push(r);
            }
        }
        FamilyResult {
            family: family.to_string(),
            ranking: ranking.to_string(),
            universes,
            diagnostics,
            replicates,
            accounts,
            per_universe,
        }
    }
}

/// The multiverse's own results (its rankings are a [`FamilyResult`] named "multiverse").
pub struct MultiverseResult {
    pub spec: MultiverseSpec,
    /// Level index of every factor, per universe.
    pub choices: Vec<Vec<usize>>,
    pub effects: Vec<Effect>,
    pub nominal_universe: Option<usize>,
    /// The Sobol design's indices (`[multiverse.sobol]`), over the grid's covered
    /// accounts.
    pub sobol: Option<SobolResult>,
}

/// What every family of one audit shares.
pub struct Settings<'a> {
    pub input: &'a Input<'a>,
    pub tie: &'a TieOrder,
    /// The study's seed and default replicate count.
    pub seed: u64,
    pub replicates: usize,
    pub top_n: u32,
    /// The study file, for the memory budget's message.
    pub study_file: &'a Path,
    pub observer: &'a dyn Observer,
    /// Where the universes' rankings come from.
    pub source: Source,
}

/// The families of one audit, run one after the other, and the memory their results
/// already hold.
pub struct Stage<'a> {
    s: Settings<'a>,
    budget: MemoryBudget,
    spent: u64,
    /// A shard's results, one per run of many universes, in the order they ran.
    parts: Vec<Part>,
}

impl<'a> Stage<'a> {
    pub fn new(settings: Settings<'a>) -> Self {
        Stage {
            s: settings,
            budget: memory_budget(),
            spent: 0,
            parts: Vec::new(),
        }
    }

    /// What a shard computed (empty unless the source is a slice).
    pub fn into_parts(self) -> Vec<Part> {
        self.parts
    }

    /// The one seam every run of many universes goes through: the universes of `view`
    /// and their rankings, from the source. `name` identifies the run across shards;
    /// `what` names it on the progress line. A shard computes its slice, keeps it as a
    /// part and returns None: it has nothing to summarise.
    fn run(
        &mut self,
        name: &str,
        view: &Universes,
        spec: &MethodSpec,
        what: &str,
    ) -> Result<Option<(Vec<Universe>, Vec<Ranking>)>> {
        let (input, tie) = (self.s.input, self.s.tie);
        match &mut self.s.source {
            Source::All => {
                let task = self.s.observer.task(view.len(), what);
                let r = run_family(view, spec, input, tie, &|| task.inc())?;
                task.finish();
                Ok(Some(r))
            }
            Source::Slice(slice) => {
                let slice: Slice = *slice;
                let sub = Universes::new(slice.len_of(view.len()), |j| {
                    view.get(slice.universe(j)).expect("in the slice")
                });
                let task = self.s.observer.task(sub.len(), what);
                let (_, ranks) = run_family(&sub, spec, input, tie, &|| task.inc())?;
                task.finish();
                self.parts.push(Part {
                    name: name.to_string(),
                    total: view.len(),
                    computed: (0..).map(|j| slice.universe(j)).zip(ranks).collect(),
                });
                Ok(None)
            }
            Source::Taken(runs) => {
                let Some(ranks) = runs.remove(name) else {
                    bail!(
                        "the shards hold no results for {name}: they were computed from another version of the study; re-run them"
                    );
                };
                if ranks.len() as u64 != view.len() {
                    bail!(
                        "the shards hold {} universes of {name}, the study has {}: re-run them",
                        ranks.len(),
                        view.len()
                    );
                }
                use rayon::prelude::*;
                let universes = (0..view.len())
                    .into_par_iter()
                    .map(|i| view.get(i).expect("i < len"))
                    .collect();
                Ok(Some((universes, ranks)))
            }
        }
    }

    /// Family number `index` of the study (its RNG stream) on the ranking `spec`, whose
    /// nominal ranking is `nominal`. `whose` names the family in the study file, for
    /// errors about its universes.
    pub fn family(
        &mut self,
        index: usize,
        fspec: &FamilySpec,
        (spec, nominal): (&MethodSpec, &Ranking),
        whose: &dyn Fn() -> String,
    ) -> Result<FamilyResult> {
        let base = Base {
            spec,
            seed_lists: self.s.input.seed_lists,
            events: self.s.input.events,
        };
        let fam = build(fspec, self.s.replicates)?;
        let whose = || format!("{}: family {}", whose(), fam.family());
        let seed = self.s.seed;
        let rng_for = move |i| replicate_rng(seed, index as u32, i);
        let view = fam.universes(&base, &rng_for).with_context(whose)?;
        self.spent += check_budget(&BudgetCheck {
            family: fam.family(),
            study_file: self.s.study_file,
            universes: view.len(),
            ranked: nominal.len() as u64,
            spent: self.spent,
            budget: &self.budget,
            fewer: fam.fewer(),
        })?;
        let name = format!("family {index} ({})", fam.family());
        let Some((universes, ranks)) = self
            .run(&name, &view, spec, fam.family())
            .with_context(whose)?
        else {
            return Ok(FamilyResult::new(
                fam.family(),
                &spec.name,
                Vec::new(),
                Vec::new(),
                Default::default(),
            ));
        };
        let summary =
            summary::summarise(nominal, &ranks, self.s.input.accounts.len(), self.s.top_n);
        Ok(FamilyResult::new(
            fam.family(),
            &spec.name,
            universes,
            ranks,
            summary,
        ))
    }

    /// The multiverse over `mv`'s factors, on the ranking `spec` (nominal `nominal`):
    /// its rankings as a family, its choices and the variance attribution. `whose` names
    /// `[multiverse]` in the study file.
    pub fn multiverse(
        &mut self,
        mv: &MultiverseSpec,
        (spec, nominal): (&MethodSpec, &Ranking),
        whose: &dyn Fn() -> String,
    ) -> Result<(FamilyResult, MultiverseResult)> {
        let sobol_spec = mv.sobol_spec();
        check_budget(&BudgetCheck {
            family: multiverse::FAMILY,
            study_file: self.s.study_file,
            universes: mv.count(),
            ranked: nominal.len() as u64,
            spent: self.spent,
            budget: &self.budget,
            fewer: match mv.design {
                Design::Grid => "set [multiverse] max_universes to {fits} or less",
                Design::Sobol => SOBOL_FEWER,
            },
        })?;
        let in_study = || format!("{}: [multiverse]", whose());
        // The plan source: the grid (or its seeded sample), or the Sobol design.
        let (grid, sobol_plan) = match (mv.design, &sobol_spec) {
            (Design::Sobol, Some(s)) => (None, Some(SobolPlan::new(mv, s).with_context(in_study)?)),
            _ => {
                let mut rng = replicate_rng(self.s.seed, MULTIVERSE_STREAM, 0);
                (Some(mv.plan(&mut rng)?), None)
            }
        };
        let view = match (&grid, &sobol_plan) {
            (Some(g), _) => g.universes(),
            (None, Some(p)) => p.universes(),
            (None, None) => unreachable!("one plan source"),
        };
        let ran = self
            .run(multiverse::FAMILY, &view, spec, multiverse::FAMILY)
            .with_context(in_study)?;
        let Some((universes, ranks)) = ran else {
            // A shard: the separate Sobol design's slice too, then nothing to summarise.
            if let (None, Some(s)) = (&sobol_plan, &sobol_spec) {
                self.sobol(mv, s, (spec, nominal), &[], whose)?;
            }
            return Ok((
                FamilyResult::new(
                    multiverse::FAMILY,
                    &spec.name,
                    Vec::new(),
                    Vec::new(),
                    Default::default(),
                ),
                MultiverseResult {
                    spec: mv.clone(),
                    choices: Vec::new(),
                    effects: Vec::new(),
                    nominal_universe: None,
                    sobol: None,
                },
            ));
        };
        let choices = match (&grid, &sobol_plan) {
            (Some(g), _) => g.choices(),
            (None, Some(p)) => p.choices.clone(),
            (None, None) => unreachable!("one plan source"),
        };
        let n_accounts = self.s.input.accounts.len();
        let (accounts, per_universe) =
            summary::summarise(nominal, &ranks, n_accounts, self.s.top_n);
        let covered: Vec<u32> = accounts.iter().map(|a| a.account).collect();
        let y = multiverse::censored_ranks(&ranks, &covered, n_accounts, self.s.top_n);
        let effects = match &sobol_plan {
            Some(p) => {
                let continuous: Vec<bool> = mv.factors.iter().map(|f| f.range.is_some()).collect();
                multiverse::attribute_sampled(&p.factors, &continuous, &choices, &y)
            }
            None => multiverse::attribute(&mv.factors, &choices, &y),
        };
        // The declared rule's own universe, if the grid contains it: the parameters the
        // rule sets agree, and (for parameters it leaves at their default) so does the
        // ranking itself.
        let nominal_universe = universes.iter().zip(&ranks).position(|(u, r)| {
            u.params
                .iter()
                .all(|(k, v)| spec.params.get(k).is_none_or(|x| x == v))
                && r.same_entries(nominal)
        });
        let sobol = match (&sobol_plan, &sobol_spec) {
            // The multiverse is the Sobol design: its own rankings give the indices.
            (Some(p), _) => Some(self.sobol_indices(p, &ranks, nominal, &covered)),
            (None, Some(s)) => self.sobol(mv, s, (spec, nominal), &covered, whose)?,
            (None, None) => None,
        };
        Ok((
            FamilyResult::new(
                multiverse::FAMILY,
                &spec.name,
                universes,
                ranks,
                (accounts, per_universe),
            ),
            MultiverseResult {
                // A Sobol design lists each continuous factor by its sampled values.
                spec: sobol_plan
                    .as_ref()
                    .map_or_else(|| mv.clone(), |p| p.multiverse(mv)),
                choices,
                effects,
                nominal_universe,
                sobol,
            },
        ))
    }

    /// The Sobol design of `[multiverse.sobol]`: its universes run like the grid's
    /// (another plan source), are checked against the memory budget only while they
    /// run (their rankings are dropped once the outputs are taken), and give the
    /// indices of the `covered` accounts' outputs (None in a shard).
    fn sobol(
        &mut self,
        mv: &MultiverseSpec,
        s: &sm::SobolSpec,
        (spec, nominal): (&MethodSpec, &Ranking),
        covered: &[u32],
        whose: &dyn Fn() -> String,
    ) -> Result<Option<SobolResult>> {
        check_budget(&BudgetCheck {
            family: "multiverse (Sobol design)",
            study_file: self.s.study_file,
            universes: s.count(mv.factors.len()),
            ranked: nominal.len() as u64,
            spent: self.spent,
            budget: &self.budget,
            fewer: SOBOL_FEWER,
        })?;
        let plan =
            SobolPlan::new(mv, s).with_context(|| format!("{}: [multiverse.sobol]", whose()))?;
        let ran = self
            .run(
                "multiverse (Sobol design)",
                &plan.universes(),
                spec,
                "multiverse (Sobol)",
            )
            .with_context(|| format!("{}: [multiverse.sobol]", whose()))?;
        Ok(ran.map(|(_, ranks)| self.sobol_indices(&plan, &ranks, nominal, covered)))
    }

    /// The Sobol indices of the `covered` accounts' outputs over the rankings of
    /// `plan`'s universes.
    fn sobol_indices(
        &self,
        plan: &SobolPlan,
        ranks: &[Ranking],
        nominal: &Ranking,
        covered: &[u32],
    ) -> SobolResult {
        let n_accounts = self.s.input.accounts.len();
        let y = multiverse::censored_ranks(ranks, covered, n_accounts, self.s.top_n);
        let nominal_y = multiverse::censored_ranks(
            std::slice::from_ref(nominal),
            covered,
            n_accounts,
            self.s.top_n,
        )
        .pop()
        .unwrap_or_default();
        let seed = replicate_rng_seed(self.s.seed);
        sm::analyse(plan, covered, &y, &nominal_y, self.s.top_n, seed)
    }
}

/// How to have fewer Sobol universes, for the memory budget's message.
const SOBOL_FEWER: &str =
    "lower [multiverse.sobol] samples so that samples x (factors + 2) is {fits} or less";

/// The bootstrap seed of the Sobol design: the first word of the multiverse stream's
/// replicate 1 (replicate 0 draws the grid's sample), so it follows the study seed.
fn replicate_rng_seed(seed: u64) -> u64 {
    use rand::Rng;
    replicate_rng(seed, MULTIVERSE_STREAM, 1).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(qualified: u64) -> Ranking {
        let mut r = Ranking::default();
        r.push(3, 1.0, false);
        r.diagnostics = BTreeMap::from([("qualified".to_string(), qualified)]);
        r
    }

    fn universe(i: u32) -> Universe {
        Universe {
            label: format!("u{i}"),
            x: None,
            params: toml::Table::new(),
            seed_list: None,
            data: None,
        }
    }

    /// A family keeps each universe's diagnostics; only the bootstrap keeps its
    /// rankings (the rank confidence sets read them), every other family drops them.
    #[test]
    fn only_the_bootstrap_keeps_its_universe_rankings() {
        let make = |family: &str| {
            FamilyResult::new(
                family,
                "published",
                vec![universe(1), universe(2)],
                vec![ranking(7), ranking(9)],
                Default::default(),
            )
        };
        for family in ["seed-leave-one-out", "edge-dropout", multiverse::FAMILY] {
            let f = make(family);
            assert!(f.replicates.is_empty(), "{family}");
            let q: Vec<u64> = f.diagnostics.iter().map(|d| d["qualified"]).collect();
            assert_eq!(q, [7, 9], "{family}");
        }
        let b = make(super::super::bootstrap::BOOTSTRAP.name);
        assert_eq!(b.replicates, vec![ranking(7), ranking(9)]);
        assert_eq!(b.diagnostics.len(), 2);
    }
}
