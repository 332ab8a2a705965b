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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::dataset::DataSpec;
use crate::rankings::MethodSpec;
use crate::sensitivity::FamilySpec;

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

/// `[population]`: which accounts may be ranked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Population {
    pub column: String,
    pub equals: String,
}

/// `[seeds.<name>]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSpec {
    pub path: PathBuf,
    #[serde(default)]
    pub rationale: Option<String>,
}

/// `[sensitivity]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sensitivity {
    /// The ranking (by name) to perturb.
    pub ranking: String,
    #[serde(rename = "family", default)]
    pub families: Vec<FamilySpec>,
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
    /// Where the study file was (not in the file).
    #[serde(skip)]
    pub path: PathBuf,
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
                    let line = text[..sp.start].matches('\n').count() + 1;
                    let col = sp.start - text[..sp.start].rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!("line {line}, column {col}: ")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}: {where_}{}", path.display(), e.message())
        })?;
        s.path = path.to_path_buf();
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
        }
        for seed in s.seeds.values_mut() {
            resolve(&mut seed.path);
        }
        s.validate()
            .with_context(|| format!("{}: invalid study", path.display()))?;
        Ok(s)
    }

    fn validate(&self) -> Result<()> {
        let m = &self.study;
        if m.name.is_empty() || m.name.contains(['/', '\\']) || m.name.starts_with('.') {
            bail!("[study] name {:?} must be a plain folder name", m.name);
        }
        if m.top_n == 0 {
            bail!("[study] top_n must be >= 1");
        }
        if !(m.rbo_p > 0.0 && m.rbo_p < 1.0) {
            bail!("[study] rbo_p = {} must be in (0, 1)", m.rbo_p);
        }
        if let Some(f) = m.compare_top.iter().find(|f| !(**f > 0.0 && **f <= 1.0)) {
            bail!("[study] compare_top contains {f}; fractions must be in (0, 1]");
        }
        if self.rankings.is_empty() {
            bail!("no [[ranking]] declared; declare at least the published rule");
        }
        let mut names = BTreeSet::new();
        for r in &self.rankings {
            if !names.insert(r.name.as_str()) {
                bail!("two rankings are named {:?}; names must be unique", r.name);
            }
            // Parse the parameters now so a typo fails before any data is read.
            crate::rankings::build(&r.method, &r.params)
                .with_context(|| format!("ranking {:?}", r.name))?;
            if let Some(s) = r.params.get("seeds").and_then(|v| v.as_str())
                && !self.seeds.contains_key(s)
            {
                bail!(
                    "ranking {:?} uses seed list {s:?}, which is not declared; declared: {}",
                    r.name,
                    self.seeds.keys().cloned().collect::<Vec<_>>().join(", ")
                );
            }
        }
        if let Some(mv) = &self.multiverse {
            mv.validate()?;
            if !names.contains(mv.ranking.as_str()) {
                bail!(
                    "[multiverse] ranking {:?} is not a declared ranking",
                    mv.ranking
                );
            }
        }
        if let Some(sens) = &self.sensitivity {
            if !names.contains(sens.ranking.as_str()) {
                bail!(
                    "[sensitivity] ranking {:?} is not a declared ranking",
                    sens.ranking
                );
            }
            for f in &sens.families {
                crate::sensitivity::build(f, m.replicates)?;
                if let Some(r) = &f.ranking
                    && !names.contains(r.as_str())
                {
                    bail!(
                        "[[sensitivity.family]] {}: ranking {r:?} is not a declared ranking",
                        f.family
                    );
                }
                if let Some(p) = &f.pool
                    && !self.seeds.contains_key(p)
                {
                    bail!(
                        "[[sensitivity.family]] {}: pool {p:?} is not a declared seed list",
                        f.family
                    );
                }
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

    #[test]
    fn undeclared_seed_lists_are_caught() {
        let bad = MINIMAL.replace("seeds = \"s\"", "seeds = \"nope\"");
        let e = format!("{:#}", Study::parse(&bad, Path::new("s.toml")).unwrap_err());
        assert!(e.contains("not declared"), "{e}");
    }
}
