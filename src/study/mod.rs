//! The study file (TOML): what data, which seed lists, which rankings, which
//! perturbations, where the output goes and the random seed. Parsed once into a
//! validated [`Study`]; relative data paths are resolved from the study file's folder.
//!
//! ```toml
//! [study]
//! name = "us-house-2022"     # output folder notebooks-out/<name>
//! seed = 2014                # every random draw derives from this
//! top_n = 50
//!
//! [data.accounts]
//! path = "accounts.csv"
//! [data.follows]
//! path = "follows.tsv.gz"
//! columns = { follower = "src", followee = "dst" }   # map your own column names
//!
//! [population]               # who may be ranked (default: the accounts table)
//! column = "complete_out"
//! equals = "true"
//!
//! [seeds.boat-rockers]
//! path = "seeds/boat-rockers.txt"
//! rationale = "..."
//!
//! [[ranking]]
//! name = "published"
//! method = "follow-seeds"
//! seeds = "boat-rockers"
//! min_follows = 5
//! by = ["followers", "statuses"]
//! combine = "lexicographic"
//!
//! [sensitivity]
//! ranking = "published"
//! [[sensitivity.family]]
//! family = "seed-leave-one-out"
//! ```

mod against_data;
pub mod spans;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::dataset::{DataSpec, PrivacySpec};
use crate::rankings::MethodSpec;
use crate::sensitivity::FamilySpec;

pub use against_data::check_against_data;

// Bounds of the count-like study values, checked at load so that no study file can
// crash the run or exhaust the machine (methodology.md, "Bounds of a study"). Each
// message says the bound and why.

/// Replicates of a random family (and `[study] replicates`): every replicate keeps a
/// full ranking in memory, and at 10^5 replicates the Monte Carlo error of a rank
/// quantile or a top-N probability (at most 0.5 / sqrt(10^5) = 0.0016) is far below
/// anything a league table reports.
pub const MAX_REPLICATES: usize = 100_000;
/// `[multiverse] max_universes`: the same reasoning as [`MAX_REPLICATES`] (each universe
/// is one full ranking).
pub const MAX_UNIVERSES: usize = 100_000;
/// Perturbation families in one study: family i draws from RNG stream i, and stream
/// [`crate::sensitivity::MULTIVERSE_STREAM`] belongs to the multiverse sample.
pub const MAX_FAMILIES: usize = crate::sensitivity::MULTIVERSE_STREAM as usize;
/// `[study] top_n`: a "top N" beyond a million is not a league table, and ranks censored
/// at 2N + 1 must stay within 32 bits.
pub const MAX_TOP_N: u32 = 1_000_000;
/// `[critique] gaming_sample`: each sampled outsider costs a search over re-rankings.
pub const MAX_GAMING_SAMPLE: usize = 10_000;
/// `[study] compare_top`: fractions compared per pair of rankings.
pub const MAX_COMPARE_TOP: usize = 100;

/// `[study]`: identity and global settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The random seed of the whole study.
    pub seed: u64,
    /// N of "top N".
    #[serde(default = "default_top_n")]
    pub top_n: u32,
    /// Persistence p of rank-biased overlap.
    #[serde(default = "default_rbo_p")]
    pub rbo_p: f64,
    /// Also correlate every pair of rankings over the top fraction of either list
    /// (Cha et al. 2010 style), for each fraction here.
    #[serde(default = "default_compare_top")]
    pub compare_top: Vec<f64>,
    /// Default replicates for random perturbation families.
    #[serde(default = "default_replicates")]
    pub replicates: usize,
    /// Output folder; default `notebooks-out/<name>` under the current directory.
    #[serde(default)]
    pub out: Option<PathBuf>,
}

fn default_top_n() -> u32 {
    50
}
fn default_rbo_p() -> f64 {
    0.9
}
fn default_compare_top() -> Vec<f64> {
    vec![0.1, 0.01]
}
fn default_replicates() -> usize {
    200
}

pub use crate::dataset::{Population, SeedSpec};

/// `[sensitivity]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sensitivity {
    /// The ranking (by name) to perturb.
    pub ranking: String,
    #[serde(rename = "family", default)]
    pub families: Vec<FamilySpec>,
}

/// `[output]`: which optional outputs an audit writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    /// `graph/*.gexf` and `*.graphml`: true writes them, false never; unset writes them
    /// when the follow graph has fewer than `output::graph_files::EDGE_LIMIT` edges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_files: Option<bool>,
    /// `explore.ipynb`: false leaves it out; unset or true writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notebook: Option<bool>,
}

impl OutputSettings {
    fn is_default(&self) -> bool {
        *self == OutputSettings::default()
    }
}

/// `[critique]`: the hierarchy questions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Critique {
    /// Attribute columns whose groups' representation in each top N is reported
    /// (e.g. party, role, insider/outsider).
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Count columns an account controls alone (posting, following); every other count
    /// column needs others to act. Used by the gaming cost.
    #[serde(default = "default_self_columns")]
    pub self_columns: Vec<String>,
    /// A numeric column holding an offline hierarchy (seniority, grade, ...): each
    /// ranking's rank correlation with it is reported.
    #[serde(default)]
    pub offline_rank: Option<String>,
    /// How many accounts outside each top N a gaming-cost search costs (evenly spaced
    /// by rank); 0 turns searches off. Closed-form costs always cover every account.
    #[serde(default = "default_gaming_sample")]
    pub gaming_sample: usize,
}

fn default_gaming_sample() -> usize {
    12
}

impl Default for Critique {
    fn default() -> Self {
        Critique {
            attributes: Vec::new(),
            self_columns: default_self_columns(),
            offline_rank: None,
            gaming_sample: default_gaming_sample(),
        }
    }
}

fn default_self_columns() -> Vec<String> {
    vec!["statuses".into(), "following".into()]
}

/// The parameter of `r` that its build error (`text`) is about: the one whose removal
/// lets the method build (a bad value, an unknown key: decided by the method's own
/// parser, not by the wording of its message); else one the message names; else the
/// method. Building is parsing only, so trying each key is cheap.
fn offending_param<'a>(r: &'a MethodSpec, text: &str) -> &'a str {
    let builds_without = |key: &str| {
        let mut p = r.params.clone();
        p.remove(key);
        crate::rankings::build(&r.method, &p).is_ok()
    };
    r.params
        .keys()
        .find(|k| builds_without(k))
        .or_else(|| {
            r.params
                .iter()
                .find(|(k, v)| crate::rankings::params::mentions_param(text, k, v))
                .map(|(k, _)| k)
        })
        .map_or("method", |k| k.as_str())
}

/// The setting of family `f` that its build error is about: the one whose removal lets
/// the family build (else `family`), as [`offending_param`] does for methods.
fn offending_setting(f: &FamilySpec, replicates: usize) -> &str {
    f.settings
        .keys()
        .find(|k| {
            let mut g = f.clone();
            g.settings.remove(*k);
            crate::sensitivity::build(&g, replicates).is_ok()
        })
        .map_or("family", |k| k.as_str())
}

/// A parsed and validated study.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    pub study: Meta,
    pub data: DataSpec,
    #[serde(default)]
    pub population: Option<Population>,
    #[serde(default)]
    pub seeds: BTreeMap<String, SeedSpec>,
    #[serde(rename = "ranking", default)]
    pub rankings: Vec<MethodSpec>,
    #[serde(default)]
    pub sensitivity: Option<Sensitivity>,
    #[serde(default)]
    pub critique: Critique,
    #[serde(default)]
    pub multiverse: Option<crate::sensitivity::multiverse::MultiverseSpec>,
    /// Pseudonymisation of accounts that are not public ([`crate::dataset::privacy`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<PrivacySpec>,
    #[serde(default, skip_serializing_if = "OutputSettings::is_default")]
    pub output: OutputSettings,
    /// Where the study file was (not in the file).
    #[serde(skip)]
    pub path: PathBuf,
    /// The study file's text, to locate values in messages (not in the file).
    #[serde(skip)]
    pub text: String,
}

impl Study {
    /// Read, parse, resolve paths and validate.
    pub fn load(path: &Path) -> Result<Study> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the study file", path.display()))?;
        Study::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Study> {
        let mut s: Study = toml::from_str(text).map_err(|e| {
            let where_ = e
                .span()
                .map(|sp| {
                    let (line, col) = spans::line_col(text, sp.start);
                    format!("line {line}, column {col}: ")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}: {where_}{}", path.display(), e.message())
        })?;
        s.path = path.to_path_buf();
        s.text = text.to_string();
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for t in [
            &mut s.data.accounts,
            &mut s.data.follows,
            &mut s.data.interactions,
        ]
        .into_iter()
        .flatten()
        {
            resolve(&mut t.path);
            if let Some(p) = t.prepared.as_mut() {
                resolve(p);
            }
        }
        for seed in s.seeds.values_mut() {
            resolve(&mut seed.path);
        }
        if let Some(p) = s.privacy.as_mut().and_then(|p| p.key_file.as_mut()) {
            resolve(p);
        }
        s.validate()?;
        Ok(s)
    }

    /// "FILE: line L, column C" of the value at `path` in the study file (see
    /// [`spans::span_of`]), for messages.
    pub fn at(&self, path: &[&str]) -> String {
        spans::locate(&self.path, &self.text, path)
    }

    /// An error at the value `path` of the study file.
    fn fail(&self, path: &[&str], msg: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("{}: {msg}", self.at(path))
    }

    fn validate(&self) -> Result<()> {
        let m = &self.study;
        let bound = |what: &str, v: usize, max: usize, why: &str| {
            (v > max).then(|| format!("{what} = {v} is above the limit of {max}: {why}"))
        };
        let replicates_why = "every replicate keeps a full ranking in memory, and at 100000 replicates the Monte Carlo error of a rank quantile or top-N probability is already far below what a league table reports; use fewer";
        if m.name.is_empty() || m.name.contains(['/', '\\']) || m.name.starts_with('.') {
            return Err(self.fail(
                &["study", "name"],
                format!("[study] name {:?} must be a plain folder name", m.name),
            ));
        }
        if m.top_n == 0 || m.top_n > MAX_TOP_N {
            return Err(self.fail(
                &["study", "top_n"],
                format!(
                    "[study] top_n = {} must be between 1 and {MAX_TOP_N} (a top N beyond a million is not a league table, and ranks censored at 2N + 1 must fit in 32 bits)",
                    m.top_n
                ),
            ));
        }
        if m.replicates == 0 {
            return Err(self.fail(&["study", "replicates"], "[study] replicates must be >= 1"));
        }
        if let Some(msg) = bound(
            "[study] replicates",
            m.replicates,
            MAX_REPLICATES,
            replicates_why,
        ) {
            return Err(self.fail(&["study", "replicates"], msg));
        }
        if !(m.rbo_p > 0.0 && m.rbo_p < 1.0) {
            return Err(self.fail(
                &["study", "rbo_p"],
                format!("[study] rbo_p = {} must be in (0, 1)", m.rbo_p),
            ));
        }
        if let Some(f) = m.compare_top.iter().find(|f| !(**f > 0.0 && **f <= 1.0)) {
            return Err(self.fail(
                &["study", "compare_top"],
                format!("[study] compare_top contains {f}; fractions must be in (0, 1]"),
            ));
        }
        if let Some(msg) = bound(
            "the number of [study] compare_top fractions",
            m.compare_top.len(),
            MAX_COMPARE_TOP,
            "each fraction is one more comparison of every pair of rankings",
        ) {
            return Err(self.fail(&["study", "compare_top"], msg));
        }
        if let Some(msg) = bound(
            "[critique] gaming_sample",
            self.critique.gaming_sample,
            MAX_GAMING_SAMPLE,
            "each sampled outsider costs a search over re-rankings; a few dozen evenly spaced outsiders already show the cost curve",
        ) {
            return Err(self.fail(&["critique", "gaming_sample"], msg));
        }
        if self.data.follows.is_none() && self.data.interactions.is_none() {
            return Err(self.fail(
                &["data"],
                "[data] names neither a follows nor an interactions table; add [data.follows] or [data.interactions] with a `path`",
            ));
        }
        if self.rankings.is_empty() {
            return Err(self.fail(
                &[],
                "no [[ranking]] declared; declare at least the published rule",
            ));
        }
        let mut names = BTreeSet::new();
        for (i, r) in self.rankings.iter().enumerate() {
            let i = i.to_string();
            if !names.insert(r.name.as_str()) {
                return Err(self.fail(
                    &["ranking", &i, "name"],
                    format!("two rankings are named {:?}; names must be unique", r.name),
                ));
            }
            // Parse the parameters now so a typo fails before any data is read; the
            // message points at the span of the parameter it is about (else at the
            // method).
            let method = match crate::rankings::build(&r.method, &r.params) {
                Ok(m) => m,
                Err(e) => {
                    let key = offending_param(r, &format!("{e:#}"));
                    return Err(e.context(format!(
                        "{}: ranking {:?}",
                        self.at(&["ranking", &i, key]),
                        r.name
                    )));
                }
            };
            if let Some(s) = method.seed_list()
                && !self.seeds.contains_key(s)
            {
                return Err(self.fail(
                    &["ranking", &i, "seeds"],
                    format!(
                        "ranking {:?} uses seed list {s:?}, which is not declared; declared: {}",
                        r.name,
                        self.seeds.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        if let Some(p) = &self.privacy {
            self.check_privacy(p)?;
        }
        if let Some(mv) = &self.multiverse {
            if let Some((key, msg)) = mv.sobol_spec().and_then(|s| s.check(mv.factors.len())) {
                let at: &[&str] = if mv.sobol.is_some() {
                    &["multiverse", "sobol", key]
                } else {
                    &["multiverse", "design"]
                };
                return Err(self.fail(at, msg));
            }
            mv.validate()
                .map_err(|e| e.context(self.at(&["multiverse"])))?;
            if let Some(msg) = bound(
                "[multiverse] max_universes",
                mv.max_universes,
                MAX_UNIVERSES,
                "each universe is one full ranking kept in memory, and 100000 sampled universes already estimate every share and effect to well under one percentage point; use fewer",
            ) {
                return Err(self.fail(&["multiverse", "max_universes"], msg));
            }
            // The grid size must be a number (it is sampled from, never enumerated).
            if mv.design == crate::sensitivity::multiverse::Design::Grid
                && mv
                    .factors
                    .iter()
                    .try_fold(1usize, |acc, f| acc.checked_mul(f.values.len()))
                    .is_none()
            {
                return Err(self.fail(
                    &["multiverse", "factor"],
                    "[multiverse] the factors' grid has more than 2^64 universes; declare fewer factors or levels",
                ));
            }
            if !names.contains(mv.ranking.as_str()) {
                return Err(self.fail(
                    &["multiverse", "ranking"],
                    format!(
                        "[multiverse] ranking {:?} is not a declared ranking",
                        mv.ranking
                    ),
                ));
            }
        }
        if let Some(sens) = &self.sensitivity {
            if !names.contains(sens.ranking.as_str()) {
                return Err(self.fail(
                    &["sensitivity", "ranking"],
                    format!(
                        "[sensitivity] ranking {:?} is not a declared ranking",
                        sens.ranking
                    ),
                ));
            }
            if sens.families.len() > MAX_FAMILIES {
                return Err(self.fail(
                    &["sensitivity", "family"],
                    format!(
                        "[sensitivity] declares {} families; at most {MAX_FAMILIES} fit (each \
                         family draws from its own random stream, and stream {MAX_FAMILIES} is the \
                         multiverse's): split the study",
                        sens.families.len()
                    ),
                ));
            }
            for (i, f) in sens.families.iter().enumerate() {
                let i = i.to_string();
                let at = |key| ["sensitivity", "family", i.as_str(), key];
                self.check_family(f, &i)?;
                // The family reads its own settings now, so a typo fails before any
                // data is read; the message points at the setting it is about.
                let family = crate::sensitivity::build(f, m.replicates).map_err(|e| {
                    let key = offending_setting(f, m.replicates);
                    e.context(format!(
                        "{}: [[sensitivity.family]] {}",
                        self.at(&at(key)),
                        f.family
                    ))
                })?;
                if let Some(r) = &f.ranking
                    && !names.contains(r.as_str())
                {
                    return Err(self.fail(
                        &at("ranking"),
                        format!(
                            "[[sensitivity.family]] {}: ranking {r:?} is not a declared ranking",
                            f.family
                        ),
                    ));
                }
                if let Some(p) = family.seed_pool()
                    && !self.seeds.contains_key(p)
                {
                    return Err(self.fail(
                        &at("pool"),
                        format!(
                            "[[sensitivity.family]] {}: pool {p:?} is not a declared seed list",
                            f.family
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `[privacy]`: one key source, and no blanked column the study measures by.
    fn check_privacy(&self, p: &PrivacySpec) -> Result<()> {
        if let Some(msg) = p.key_source_problem() {
            return Err(self.fail(&["privacy"], format!("[privacy] {msg}")));
        }
        if p.key_env.as_deref() == Some("") {
            return Err(self.fail(
                &["privacy", "key_env"],
                "[privacy] key_env is empty; name the environment variable that holds the key",
            ));
        }
        // Columns a ranking reads are named by its string parameters (`by`, `attribute`,
        // `column`, ...): any string value naming a blanked column counts as used.
        let in_params = self.rankings.iter().flat_map(|r| {
            r.params.values().flat_map(|v| match v {
                toml::Value::Array(a) => a.iter().filter_map(toml::Value::as_str).collect(),
                v => v.as_str().into_iter().collect::<Vec<_>>(),
            })
        });
        let used = self
            .critique
            .attributes
            .iter()
            .chain(&self.critique.offline_rank)
            .chain(self.population.as_ref().map(|p| &p.column))
            .map(String::as_str)
            .chain(in_params);
        for c in used {
            if let Some(i) = p.drop_columns.iter().position(|d| d == c) {
                return Err(self.fail(
                    &["privacy", "drop_columns", &i.to_string()],
                    format!(
                        "[privacy] drop_columns blanks {c:?} for private accounts, but the study measures by it ([critique], [population] or a ranking's parameters); keep it (list drop_columns without it) or measure by another column"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The keys every family takes (its own are checked by the family).
    fn check_family(&self, f: &FamilySpec, i: &str) -> Result<()> {
        let at = |key| ["sensitivity", "family", i, key];
        let name = &f.family;
        if let Some(r) = f.replicates {
            if r == 0 {
                return Err(self.fail(
                    &at("replicates"),
                    format!("[[sensitivity.family]] {name}: replicates must be >= 1"),
                ));
            }
            if r > MAX_REPLICATES {
                return Err(self.fail(
                    &at("replicates"),
                    format!(
                        "[[sensitivity.family]] {name}: replicates = {r} is above the limit of {MAX_REPLICATES}: every replicate keeps a full ranking in memory, and at 100000 replicates the Monte Carlo error of a rank quantile or top-N probability is already far below what a league table reports; use fewer"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.study
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("notebooks-out").join(&self.study.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[study]
name = "t"
seed = 1
[data.follows]
path = "f.csv"
[seeds.s]
path = "s.txt"
[[ranking]]
name = "published"
method = "follow-seeds"
seeds = "s"
min_follows = 2
by = ["followers"]
"#;

    #[test]
    fn paths_resolve_from_the_study_folder() {
        let s = Study::parse(MINIMAL, Path::new("studies/x/study.toml")).unwrap();
        assert_eq!(s.data.follows.unwrap().path, Path::new("studies/x/f.csv"));
        assert_eq!(s.seeds["s"].path, Path::new("studies/x/s.txt"));
        assert_eq!(s.study.top_n, 50);
    }

    /// Family i draws from RNG stream i and the multiverse from stream 1000: a study
    /// with more families than that is refused, at the section.
    #[test]
    fn families_never_reach_the_multiverse_stream() {
        let family = "[[sensitivity.family]]\nfamily = \"threshold-sweep\"\n";
        let with = |n: usize| {
            format!(
                "{MINIMAL}[sensitivity]\nranking = \"published\"\n{}",
                family.repeat(n)
            )
        };
        assert!(Study::parse(&with(MAX_FAMILIES), Path::new("s.toml")).is_ok());
        let e = format!(
            "{:#}",
            Study::parse(&with(MAX_FAMILIES + 1), Path::new("s.toml")).unwrap_err()
        );
        assert!(
            e.starts_with("s.toml: line ") && e.contains("1001 families"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad = MINIMAL.replace("min_follows = 2", "min_follows = \"two\"");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(
            e.contains("min_follows") || e.contains("invalid type"),
            "{e}"
        );
        let bad = MINIMAL.replace("seed = 1", "seed = 1\nsed = 2");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(e.contains("line 5"), "{e}");
    }

    /// A bad method parameter in a `[[ranking]]` is reported at its value: file, line
    /// and column, then what is wrong. `min_partners = 0` is refused by the method's
    /// own check, whose message does not quote the value: it is found all the same.
    #[test]
    fn bad_method_parameters_name_file_line_and_column() {
        for (method, param, what) in [
            (
                "pagerank",
                "damping = \"high\"",
                "invalid type: string \"high\"",
            ),
            ("pagerank", "damping = 2.0", "damping = 2 must be in [0, 1)"),
            ("in-degree", "weigted = true", "unknown field `weigted`"),
            (
                "reciprocity",
                "min_partners = 0",
                "min_partners must be >= 1",
            ),
            (
                "reciprocity",
                "min_partners = -3",
                "min_partners = -3 is negative",
            ),
            (
                "bridging",
                "attribute = \"party\"\nmin_partners = 0",
                "must be >= 1",
            ),
        ] {
            let text =
                format!("{MINIMAL}[[ranking]]\nname = \"x\"\nmethod = \"{method}\"\n{param}\n");
            let bad = param.lines().last().unwrap();
            let value = text.rfind(bad).unwrap() + bad.find('=').unwrap() + 2;
            let (line, col) = spans::line_col(&text, value);
            let e = format!(
                "{:#}",
                Study::parse(&text, Path::new("s.toml")).unwrap_err()
            );
            assert!(
                e.starts_with(&format!("s.toml: line {line}, column {col}: ranking \"x\"")),
                "{method} {param}: {e}"
            );
            assert!(e.contains(what), "{method} {param}: {e}");
        }
    }

    /// A family's own settings are read by the family (`sensitivity::Entry::build`):
    /// a key it does not take, a bad value or a missing one is reported at the key (or
    /// at the family when a key is missing), with the family's name.
    #[test]
    fn bad_family_settings_name_file_line_and_column() {
        for (family, setting, what) in [
            ("edge-dropout", "rate = 1.5", "rate = 1.5 must be in (0, 1)"),
            (
                "edge-dropout",
                "rate = \"high\"",
                "invalid type: string \"high\"",
            ),
            ("seed-leave-one-out", "rate = 0.2", "unknown field `rate`"),
            (
                "m-out-of-n",
                "m_fraction = 0.0",
                "m_fraction = 0 must be in (0, 1]",
            ),
            (
                "time-window",
                "lengths_days = [1, 0]",
                "lengths_days contains 0",
            ),
            ("time-window", "step_days = 0", "step_days = 0 must be 1 to"),
            (
                "seed-resample",
                "pool = \"nope\"",
                "pool \"nope\" is not a declared seed list",
            ),
            ("seed-resample", "", "needs `pool`"),
        ] {
            let text = format!(
                "{MINIMAL}[sensitivity]\nranking = \"published\"\n[[sensitivity.family]]\nfamily = \"{family}\"\n{setting}\n"
            );
            let (bad, offset) = if setting.is_empty() {
                let f = format!("family = \"{family}\"");
                (f.clone(), text.rfind(&f).unwrap() + "family = ".len())
            } else {
                (
                    setting.to_string(),
                    text.rfind(setting).unwrap() + setting.find('=').unwrap() + 2,
                )
            };
            let (line, col) = spans::line_col(&text, offset);
            let e = format!(
                "{:#}",
                Study::parse(&text, Path::new("s.toml")).unwrap_err()
            );
            assert!(
                e.starts_with(&format!(
                    "s.toml: line {line}, column {col}: [[sensitivity.family]] {family}"
                )),
                "{bad}: {e}"
            );
            assert!(e.contains(what), "{bad}: {e}");
        }
    }

    #[test]
    fn checks_point_at_the_value() {
        let bad = MINIMAL.replace("seed = 1", "seed = 1\nreplicates = 0");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(
            e.starts_with("s.toml: line 5, column 14: [study] replicates"),
            "{e}"
        );
        let bad = MINIMAL.replace("by = [\"followers\"]", "by = []");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(
            e.starts_with("s.toml: line 14, column 6: ranking \"published\""),
            "{e}"
        );
        let bad = MINIMAL.replace("[data.follows]", "[data.accounts]");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(
            e.contains("s.toml: line 5") && e.contains("[data] names neither"),
            "{e}"
        );
    }

    #[test]
    fn privacy_needs_exactly_one_key_source() {
        let with = |p: &str| format!("{MINIMAL}[privacy]\npseudonymise = \"non-public\"\n{p}");
        let s = Study::parse(&with("key_file = \"k.key\"\n"), Path::new("d/s.toml")).unwrap();
        let p = s.privacy.as_ref().unwrap();
        assert_eq!(p.key_file.as_deref(), Some(Path::new("d/k.key")));
        assert_eq!(p.public_column, "public");
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            !json.contains("k.key"),
            "the key file is not echoed: {json}"
        );
        for (bad, what) in [
            ("", "no key: add key_file"),
            ("key_file = \"k\"\nkey_env = \"K\"\n", "not both"),
            ("key_env = \"\"\n", "key_env is empty"),
        ] {
            let e = format!(
                "{:#}",
                Study::parse(&with(bad), Path::new("s.toml")).unwrap_err()
            );
            assert!(e.starts_with("s.toml: line ") && e.contains(what), "{e}");
        }
        let e = format!(
            "{:#}",
            Study::parse(
                &MINIMAL.replace(
                    "[seeds.s]",
                    "[privacy]\npseudonymise = \"some\"\nkey_env = \"K\"\n[seeds.s]"
                ),
                Path::new("s.toml")
            )
            .unwrap_err()
        );
        assert!(e.contains("line 8") && e.contains("some"), "{e}");
        let e = format!(
            "{:#}",
            Study::parse(
                &with("key_env = \"K\"\ndrop_columns = [\"bio\", \"followers\"]\n"),
                Path::new("s.toml")
            )
            .unwrap_err()
        );
        assert!(e.contains("drop_columns blanks \"followers\""), "{e}");
    }

    #[test]
    fn undeclared_seed_lists_are_caught() {
        let bad = MINIMAL.replace("seeds = \"s\"", "seeds = \"nope\"");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(e.contains("not declared"), "{e}");
    }
}
