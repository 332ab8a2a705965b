//! `follow-seeds`: the published rule. An account qualifies when it follows at least
//! `min_follows` (k) accounts of a seed list S; qualifiers are ranked by one or more count
//! columns, combined by a named rule.
//!
//! Combination rules (`combine`), all computed over the eligible qualifiers only:
//! - `lexicographic`: by the first column, ties broken by the next columns in order;
//! - `rank-sum`: Borda count, sum over columns of (mid-rank ascending - 1), i.e. the
//!   number of qualifiers an account beats plus half the number it ties with;
//! - `z-sum`: sum over columns of (x - mean) / sd, population sd (ddof = 0); a constant
//!   column contributes 0;
//! - `product`: the product of the columns (a "followers x statuses" index);
//! - `ratio`: first column / second column (exactly two columns; a zero denominator
//!   makes the account unrankable, counted as `excluded_zero_denominator`);
//! - `only:<column>`: that one column alone.
//!
//! Missing counts (`missing`): `exclude` (default) leaves a qualifier with any missing
//! count out of the ranking and counts it (`excluded_missing_count`); `zero` treats a
//! missing count as 0 and counts it (`missing_count_as_zero`).
//!
//! Complexity: O(sum of the seeds' in-degrees + q log q) for q qualifiers.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::params;
use super::{Audience, CostModel, Input, Method, Precision, Ranking, Scores};
use crate::compare::correlation::average_ranks;
use crate::dataset::Numbers;

/// How qualifiers' counts are combined into one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Combine {
    Lexicographic,
    RankSum,
    ZSum,
    Product,
    Ratio,
    Only(String),
}

impl Combine {
    pub const NAMES: &'static str = "lexicographic, rank-sum, z-sum, product, ratio, only:<column>";

    pub fn parse(s: &str) -> Result<Combine> {
        Ok(match s {
            "lexicographic" => Combine::Lexicographic,
            "rank-sum" | "borda" => Combine::RankSum,
            "z-sum" | "zscore-sum" => Combine::ZSum,
            "product" => Combine::Product,
            "ratio" => Combine::Ratio,
            other => match other.strip_prefix("only:") {
                Some(col) if !col.is_empty() => Combine::Only(col.to_string()),
                _ => bail!(
                    "unknown combine rule {other:?}; use one of {}",
                    Combine::NAMES
                ),
            },
        })
    }

    pub fn label(&self) -> String {
        match self {
            Combine::Lexicographic => "lexicographic".into(),
            Combine::RankSum => "rank-sum".into(),
            Combine::ZSum => "z-sum".into(),
            Combine::Product => "product".into(),
            Combine::Ratio => "ratio".into(),
            Combine::Only(c) => format!("only:{c}"),
        }
    }
}

impl<'de> Deserialize<'de> for Combine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Combine::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    #[default]
    Exclude,
    Zero,
}

/// Parameters of `follow-seeds`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowSeeds {
    /// Name of the seed list.
    pub seeds: String,
    /// k: how many seeds an account must follow to qualify (>= 1, <= |S|).
    pub min_follows: usize,
    /// Count columns of the accounts table, in priority order.
    pub by: Vec<String>,
    #[serde(default = "default_combine")]
    pub combine: Combine,
    #[serde(default)]
    pub missing: Missing,
}

fn default_combine() -> Combine {
    Combine::Lexicographic
}

impl FollowSeeds {
    pub fn from_params(p: &toml::Table) -> Result<FollowSeeds> {
        let fs: FollowSeeds = params::parse("follow-seeds", p)?;
        if fs.by.is_empty() {
            bail!(
                "follow-seeds: `by` is empty; name at least one count column (e.g. by = [\"followers\", \"statuses\"])"
            );
        }
        if fs.combine == Combine::Ratio && fs.by.len() != 2 {
            bail!(
                "follow-seeds: combine = \"ratio\" needs exactly two `by` columns (numerator, denominator), got {}",
                fs.by.len()
            );
        }
        if fs.min_follows == 0 {
            bail!("follow-seeds: min_follows = 0 would qualify everyone; use k >= 1");
        }
        Ok(fs)
    }

    fn seeds_of<'a>(&self, input: &Input<'a>) -> Result<&'a Vec<u32>> {
        super::seed_list(input, "follow-seeds", &self.seeds)
    }

    /// How many seeds each account follows.
    pub fn seed_follow_counts(input: &Input, seeds: &[u32]) -> Vec<u32> {
        let mut count = vec![0u32; input.follows.node_count()];
        for &s in seeds {
            for &f in input.follows.inn.neighbors(s) {
                count[f as usize] += 1;
            }
        }
        count
    }
}

/// The method's name in a study (`method = "follow-seeds"`).
pub const NAME: &str = "follow-seeds";

impl Method for FollowSeeds {
    fn method(&self) -> &'static str {
        NAME
    }

    /// k must not exceed |S| in the declared rule. (Perturbed universes may shrink the
    /// list below k; there nobody qualifies, which is an answer, not an error.)
    fn validate(&self, input: &Input) -> Result<()> {
        let seeds = self.seeds_of(input)?;
        if self.min_follows > seeds.len() {
            bail!(
                "follow-seeds: min_follows = {} is larger than the seed list {:?} ({} seeds), so nobody can qualify; use min_follows <= {}",
                self.min_follows,
                self.seeds,
                seeds.len(),
                seeds.len()
            );
        }
        Ok(())
    }

    fn cost_model(&self) -> CostModel {
        CostModel::Rule(self.clone())
    }

    fn seed_list(&self) -> Option<&str> {
        Some(&self.seeds)
    }

    fn seed_threshold(&self) -> Option<(&'static str, usize)> {
        Some(("min_follows", self.min_follows))
    }

    fn is_rule(&self) -> bool {
        true
    }

    /// Pareto dominance over the `by` columns, whose linear extensions are the orders
    /// of every increasing combination of them (all but `ratio`, which falls in its
    /// second column; and one column forces a total order: nothing to show).
    fn forced_order(&self) -> Option<super::Forced> {
        (self.by.len() >= 2 && self.combine != Combine::Ratio)
            .then(|| super::Forced::Columns(self.by.clone()))
    }

    /// Nobody qualified, or every qualifier lacks a count it is ordered by.
    fn explain_empty(&self, r: &Ranking, a: &Audience) -> Option<String> {
        let q = r.diagnostics.get("qualified").copied()?;
        let missing = r.diagnostics.get("excluded_missing_count").copied();
        if q == 0 {
            let seeds = a
                .seed_lists
                .iter()
                .find(|l| l.name == self.seeds)
                .map(|l| format!("{} seeds in {}", l.accounts.len(), l.path))
                .unwrap_or_else(|| "seeds".into());
            return Some(format!(
                "nobody qualifies: none of the {} accounts in the population ({}) follows {} of the {seeds}; lower {} or check the seed list",
                a.population,
                a.population_rule,
                self.min_follows,
                a.say("min_follows", "--min-follows")
            ));
        }
        (missing.unwrap_or(0) == q).then(|| {
            let by = format!("{:?}", self.by);
            format!(
                "{q} accounts qualify but every one has a missing count in {}; fill the counts or set {}",
                if a.flags { format!("--by {by}") } else { by },
                a.say("missing = \"zero\"", "--missing zero")
            )
        })
    }

    /// Who qualified, and how the qualifiers are ordered.
    fn summary(&self, name: &str, r: &Ranking, a: &Audience) -> Option<String> {
        let list = &self.seeds;
        let size = a
            .seed_lists
            .iter()
            .find(|l| &l.name == list)
            .map_or(0, |l| l.accounts.len());
        let q = r.diagnostics.get("qualified").copied().unwrap_or(0);
        let missing = r.diagnostics.get("excluded_missing_count").copied();
        let missing = match missing.unwrap_or(0) {
            0 => String::new(),
            m => format!(" ({m} left out: a count to rank by is missing)"),
        };
        Some(format!(
            "**{name}**: {q} of {} accounts in the population follow at least {} of the {size} accounts on the seed list “{list}”; {} of them are ranked{missing}, by {} ({}).",
            a.population,
            self.min_follows,
            r.len(),
            self.by.join(", "),
            self.combine.label()
        ))
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let seeds = self.seeds_of(input)?;
        let n = input.accounts.len();
        let count = Self::seed_follow_counts(input, seeds);
        let qualified: Vec<bool> = count
            .iter()
            .map(|&c| c as usize >= self.min_follows)
            .collect();
        let qualifiers: Vec<u32> = (0..n as u32)
            .filter(|&i| qualified[i as usize] && input.population[i as usize])
            .collect();
        Ok(self
            .combine_qualifiers(input, &qualifiers)?
            .scores(n, Some(qualified)))
    }
}

/// The rule's keys for the accounts that can be ranked, parallel arrays.
pub struct Combined {
    /// Eligible accounts, ascending.
    pub accounts: Vec<u32>,
    pub score: Vec<f64>,
    pub tiebreak: Vec<Vec<f64>>,
    pub diagnostics: BTreeMap<String, u64>,
    /// Exact for every rule but `z-sum` (a sum of quotients by a square root).
    pub precision: Precision,
}

impl Combined {
    /// Scores over all `n` accounts: the combined accounts eligible with their keys,
    /// everyone else not.
    pub fn scores(self, n: usize, qualified: Option<Vec<bool>>) -> Scores {
        let mut score = vec![0.0; n];
        let mut tiebreak = vec![vec![0.0; n]; self.tiebreak.len()];
        let mut eligible = vec![false; n];
        for (j, &i) in self.accounts.iter().enumerate() {
            let i = i as usize;
            score[i] = self.score[j];
            for (t, k) in tiebreak.iter_mut().zip(&self.tiebreak) {
                t[i] = k[j];
            }
            eligible[i] = true;
        }
        Scores {
            score,
            tiebreak,
            eligible,
            qualified,
            diagnostics: self.diagnostics,
            precision: self.precision,
        }
    }
}

impl FollowSeeds {
    /// Apply the missing-count policy and the combination rule to `qualifiers` (the
    /// accounts in the population that follow at least k seeds, ascending). Works on
    /// the q qualifiers only (O(q log q)), so a replicate costs nothing per account.
    /// Sums run in ascending account order, so results do not depend on the caller.
    pub fn combine_qualifiers(&self, input: &Input, qualifiers: &[u32]) -> Result<Combined> {
        // `by` columns are checked even when `only:` ranks by another one.
        let by_cols: Vec<&Numbers> = self
            .by
            .iter()
            .map(|c| input.accounts.numeric_column(c))
            .collect::<Result<_>>()?;
        let cols = match &self.combine {
            Combine::Only(c) => vec![input.accounts.numeric_column(c)?],
            _ => by_cols,
        };
        let mut diagnostics = BTreeMap::new();
        let mut accounts = Vec::with_capacity(qualifiers.len());
        let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(qualifiers.len()); cols.len()];
        let mut missing_excluded = 0u64;
        let mut missing_zero = 0u64;
        for &i in qualifiers {
            let iu = i as usize;
            let any_missing = cols.iter().any(|c| c.get(iu).is_none());
            if any_missing && self.missing == Missing::Exclude {
                missing_excluded += 1;
                continue;
            }
            if any_missing {
                missing_zero += 1;
            }
            for (v, c) in values.iter_mut().zip(&cols) {
                v.push(c.get(iu).unwrap_or(0.0));
            }
            accounts.push(i);
        }
        diagnostics.insert("qualified".into(), qualifiers.len() as u64);
        if missing_excluded > 0 {
            diagnostics.insert("excluded_missing_count".into(), missing_excluded);
        }
        if missing_zero > 0 {
            diagnostics.insert("missing_count_as_zero".into(), missing_zero);
        }
        let m = accounts.len();
        let mut score = vec![0.0; m];
        let mut tiebreak = Vec::new();
        match &self.combine {
            Combine::Lexicographic => {
                tiebreak = values.split_off(1);
                score = values.pop().expect("by is not empty");
            }
            Combine::Only(_) => score = values.pop().expect("one column"),
            Combine::RankSum => {
                for col in &values {
                    for (s, r) in score.iter_mut().zip(average_ranks(col)) {
                        *s += r - 1.0;
                    }
                }
            }
            Combine::ZSum => {
                for col in &values {
                    let q = m as f64;
                    if m == 0 {
                        break;
                    }
                    let mean = col.iter().sum::<f64>() / q;
                    let var = col.iter().map(|&x| (x - mean).powi(2)).sum::<f64>() / q;
                    let sd = var.sqrt();
                    if sd > 0.0 {
                        for (s, &x) in score.iter_mut().zip(col) {
                            *s += (x - mean) / sd;
                        }
                    }
                }
            }
            Combine::Product => {
                for (j, s) in score.iter_mut().enumerate() {
                    *s = values.iter().map(|c| c[j]).product();
                }
            }
            Combine::Ratio => {
                let mut zero = 0u64;
                let mut keep = vec![true; m];
                for j in 0..m {
                    if values[1][j] == 0.0 {
                        keep[j] = false;
                        zero += 1;
                    } else {
                        score[j] = values[0][j] / values[1][j];
                    }
                }
                if zero > 0 {
                    diagnostics.insert("excluded_zero_denominator".into(), zero);
                    let mut k = keep.iter();
                    accounts.retain(|_| *k.next().expect("same length"));
                    let mut k = keep.iter();
                    score.retain(|_| *k.next().expect("same length"));
                }
            }
        }
        // Counts are exact; rank sums are sums of half-integers; a product of counts is
        // exact while below 2^53 (and a fixed function of the counts above it); a ratio is
        // one division, correctly rounded. Only z-sums carry rounding error.
        let precision = Precision::exact_if(self.combine != Combine::ZSum);
        Ok(Combined {
            accounts,
            score,
            tiebreak,
            diagnostics,
            precision,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Accounts, Ids};
    use crate::graph::Graph;
    use crate::rankings::rank;

    /// Five accounts a0..a4 and two seeds s0, s1 (indices 5, 6).
    /// a0, a1, a2 follow both seeds; a3 follows one; a4 none.
    fn fixture() -> (Accounts, Graph) {
        let mut ids = Ids::new();
        for n in ["a0", "a1", "a2", "a3", "a4", "s0", "s1"] {
            ids.intern(n);
        }
        let mut acc = Accounts {
            ids,
            listed: 7,
            ..Default::default()
        };
        let f = |v: [f64; 7]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
        acc.numeric.insert(
            "followers".into(),
            f([100.0, 50.0, 100.0, 1000.0, 5.0, 9.0, 9.0]).into(),
        );
        let mut st = f([10.0, 40.0, 20.0, 1.0, 1.0, 1.0, 1.0]);
        st[2] = Some(20.0);
        acc.numeric.insert("statuses".into(), st.into());
        let g = Graph::from_pairs(7, &[(0, 5), (0, 6), (1, 5), (1, 6), (2, 5), (2, 6), (3, 5)]);
        (acc, g)
    }

    fn run(combine: &str, k: usize) -> Vec<(String, u32, f64)> {
        let (acc, g) = fixture();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![5u32, 6]);
        let pop = vec![true; 7];
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let mut p = toml::Table::new();
        p.insert("seeds".into(), "s".into());
        p.insert("min_follows".into(), (k as i64).into());
        p.insert(
            "by".into(),
            toml::Value::Array(vec!["followers".into(), "statuses".into()]),
        );
        p.insert("combine".into(), combine.into());
        let m = FollowSeeds::from_params(&p).unwrap();
        let r = rank(m.score(&input).unwrap(), acc.ids.names());
        r.entries()
            .map(|e| (acc.ids.name(e.account).to_string(), e.rank, e.score))
            .collect()
    }

    #[test]
    fn lexicographic_breaks_follower_ties_by_statuses() {
        let r = run("lexicographic", 2);
        let names: Vec<_> = r.iter().map(|x| (x.0.as_str(), x.1)).collect();
        assert_eq!(names, vec![("a2", 1), ("a0", 2), ("a1", 3)]);
    }

    #[test]
    fn threshold_one_admits_the_single_follower() {
        let r = run("only:followers", 1);
        assert_eq!(r[0].0, "a3");
        assert_eq!(r.len(), 4);
        // a0 and a2 tie on followers alone: competition ranks 1-2-2-4.
        let ranks: Vec<_> = r.iter().map(|x| x.1).collect();
        assert_eq!(ranks, vec![1, 2, 2, 4]);
    }

    #[test]
    fn rank_sum_is_a_borda_count() {
        // qualifiers a0 (100, 10), a1 (50, 40), a2 (100, 20):
        // followers asc midranks: a1 1, a0 2.5, a2 2.5 -> points 0, 1.5, 1.5
        // statuses asc ranks: a0 1, a2 2, a1 3 -> points 0, 1, 2
        let r = run("rank-sum", 2);
        let got: Vec<_> = r.iter().map(|x| (x.0.as_str(), x.2)).collect();
        assert_eq!(got, vec![("a2", 2.5), ("a1", 2.0), ("a0", 1.5)]);
    }

    #[test]
    fn z_sum_uses_population_sd() {
        let r = run("z-sum", 2);
        // followers: mean 250/3, sd = sqrt(((50/3)^2*2 + (100/3)^2)/3)
        let m = 250.0 / 3.0;
        let sd_f = (((100.0 - m) * (100.0f64 - m) * 2.0 + (50.0 - m) * (50.0 - m)) / 3.0).sqrt();
        let ms = 70.0 / 3.0;
        let sd_s = (((10.0 - ms) * (10.0f64 - ms)
            + (40.0 - ms) * (40.0 - ms)
            + (20.0 - ms) * (20.0 - ms))
            / 3.0)
            .sqrt();
        let a1 = (50.0 - m) / sd_f + (40.0 - ms) / sd_s;
        let got = r.iter().find(|x| x.0 == "a1").unwrap().2;
        assert!((got - a1).abs() < 1e-12);
    }

    #[test]
    fn product_and_ratio() {
        let r = run("product", 2);
        assert_eq!((r[0].0.as_str(), r[0].2), ("a1", 2000.0));
        let r = run("ratio", 2);
        assert_eq!((r[0].0.as_str(), r[0].2), ("a0", 10.0));
    }

    #[test]
    fn threshold_above_the_list_is_an_error() {
        let (acc, g) = fixture();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![5u32, 6]);
        let pop = vec![true; 7];
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let mut p = toml::Table::new();
        p.insert("seeds".into(), "s".into());
        p.insert("min_follows".into(), 3.into());
        p.insert("by".into(), toml::Value::Array(vec!["followers".into()]));
        let m = FollowSeeds::from_params(&p).unwrap();
        let e = m.validate(&input).unwrap_err();
        assert!(e.to_string().contains("larger than the seed list"), "{e}");
        // In a perturbed universe the same setting is an empty ranking, not an error.
        let s = m.score(&input).unwrap();
        assert!(s.eligible.iter().all(|&e| !e));
    }
}
