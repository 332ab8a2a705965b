//! `composite`: the generic league table. Indicators (numeric columns) are oriented by
//! their direction, normalised, weighted and aggregated, following COINr (Becker et al.
//! 2022) so that a user can reproduce a published composite indicator:
//!
//! - normalisation (`normalise`), over the eligible accounts with a value:
//!   `minmax` = (x − min)/(max − min)·(u − l) + l with `range = [l, u]` (default [0, 100],
//!   COINr `n_minmax`); `zscore` = (x − mean)/sd·s + m with `mean_sd = [m, s]` (default
//!   [0, 1], sd with n − 1 as R's `sd`, COINr `n_zscore`); `rank` = rank with ties at the
//!   minimum (COINr `n_rank`); `percentile` = (rank_min − 1)/(n − 1) (COINr `n_prank`);
//!   `none`.
//! - direction (`directions`, +1 or −1 per indicator, default +1): x·direction before
//!   normalising, so −1 turns "lower is better" around (COINr `Normalise(direction)`).
//! - aggregation (`aggregate`): `arithmetic` = Σ wᵢxᵢ / Σ wᵢ (COINr `a_amean`);
//!   `geometric` = exp(Σ wᵢ ln xᵢ / Σ wᵢ) (COINr `a_gmean`; every value must be > 0, else
//!   an error that says to normalise onto a positive range such as `range = [1, 100]`).
//! - missing values (`missing`): `skip` (COINr's default: the weights of the indicators an
//!   account has are re-normalised; an account with none is unranked) or `exclude` (an
//!   account missing any indicator is unranked). Both are counted.
//!
//! A constant indicator cannot be min-max or z-score normalised (COINr returns NaN with a
//! warning); we stop with an error naming the indicator. Complexity O(m·n log n).

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::Deserialize;

use super::CostModel;
use super::params;
use super::{Input, Method, Precision, Scores};
use crate::dataset::Numbers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalise {
    #[default]
    Minmax,
    Zscore,
    Rank,
    Percentile,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    #[default]
    Arithmetic,
    Geometric,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingIndicator {
    #[default]
    Skip,
    Exclude,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Composite {
    pub indicators: Vec<String>,
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
    #[serde(default)]
    pub directions: Option<Vec<f64>>,
    #[serde(default)]
    pub normalise: Normalise,
    #[serde(default = "default_range")]
    pub range: [f64; 2],
    #[serde(default = "default_mean_sd")]
    pub mean_sd: [f64; 2],
    #[serde(default)]
    pub aggregate: Aggregate,
    #[serde(default)]
    pub missing: MissingIndicator,
}

fn default_range() -> [f64; 2] {
    [0.0, 100.0]
}
fn default_mean_sd() -> [f64; 2] {
    [0.0, 1.0]
}

impl Composite {
    pub fn from_params(p: &toml::Table) -> Result<Composite> {
        let c: Composite = params::parse("composite", p)?;
        let m = c.indicators.len();
        if m == 0 {
            bail!("composite: `indicators` is empty; name the numeric columns to combine");
        }
        if let Some(w) = &c.weights {
            if w.len() != m {
                bail!("composite: {} weights for {m} indicators", w.len());
            }
            if w.iter().any(|x| !x.is_finite() || *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                bail!("composite: weights must be >= 0 and not all 0");
            }
        }
        if let Some(d) = &c.directions
            && (d.len() != m || d.iter().any(|x| *x != 1.0 && *x != -1.0))
        {
            bail!("composite: `directions` needs one +1 or -1 per indicator");
        }
        if c.range[0] >= c.range[1] {
            bail!(
                "composite: range = {:?} must be [lower, upper] with lower < upper",
                c.range
            );
        }
        if c.mean_sd[1] <= 0.0 {
            bail!("composite: mean_sd = {:?} needs a positive sd", c.mean_sd);
        }
        Ok(c)
    }

    /// Normalise one indicator over `idx` (accounts with a value), in place.
    fn normalise(&self, name: &str, vals: &mut [(usize, f64)]) -> Result<()> {
        let n = vals.len();
        if n == 0 {
            return Ok(());
        }
        match self.normalise {
            Normalise::None => {}
            Normalise::Minmax => {
                let (lo, hi) = vals
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, x)| {
                        (a.min(x), b.max(x))
                    });
                if lo == hi {
                    bail!(
                        "composite: indicator {name:?} is constant ({lo}) over the ranked accounts, so min-max normalisation is undefined; drop it"
                    );
                }
                let [l, u] = self.range;
                for v in vals.iter_mut() {
                    v.1 = (v.1 - lo) / (hi - lo) * (u - l) + l;
                }
            }
            Normalise::Zscore => {
                if n < 2 {
                    bail!(
                        "composite: indicator {name:?} has fewer than 2 values; z-scores are undefined"
                    );
                }
                let mean = vals.iter().map(|v| v.1).sum::<f64>() / n as f64;
                let sd = (vals.iter().map(|v| (v.1 - mean).powi(2)).sum::<f64>()
                    / (n as f64 - 1.0))
                    .sqrt();
                if sd == 0.0 {
                    bail!(
                        "composite: indicator {name:?} is constant over the ranked accounts, so z-scores are undefined; drop it"
                    );
                }
                let [m, s] = self.mean_sd;
                for v in vals.iter_mut() {
                    v.1 = (v.1 - mean) / sd * s + m;
                }
            }
            Normalise::Rank | Normalise::Percentile => {
                // rank with ties at the minimum ("sport" ranking, R's ties.method = "min").
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| vals[a].1.total_cmp(&vals[b].1));
                let mut ranks = vec![0.0; n];
                let mut start = 0;
                while start < n {
                    let mut end = start;
                    while end + 1 < n && vals[order[end + 1]].1 == vals[order[start]].1 {
                        end += 1;
                    }
                    for &o in &order[start..=end] {
                        ranks[o] = start as f64 + 1.0;
                    }
                    start = end + 1;
                }
                for (v, r) in vals.iter_mut().zip(ranks) {
                    v.1 = if self.normalise == Normalise::Rank {
                        r
                    } else if n > 1 {
                        (r - 1.0) / (n as f64 - 1.0)
                    } else {
                        f64::NAN
                    };
                }
                if vals.iter().any(|v| v.1.is_nan()) {
                    bail!(
                        "composite: indicator {name:?} has a single value; percentile ranks are undefined"
                    );
                }
            }
        }
        Ok(())
    }
}

impl Method for Composite {
    fn method(&self) -> &'static str {
        "composite"
    }

    fn reads_graph(&self) -> bool {
        false
    }

    fn validate(&self, input: &Input) -> Result<()> {
        for c in &self.indicators {
            input.accounts.numeric_column(c)?;
        }
        Ok(())
    }

    /// Searched over the indicators, each moved in its direction.
    fn cost_model(&self) -> CostModel {
        let dirs = self.directions.clone();
        let dirs = dirs.unwrap_or_else(|| vec![1.0; self.indicators.len()]);
        let cols = self.indicators.iter().zip(dirs);
        CostModel::Columns(cols.map(|(c, d)| (c.clone(), d.signum())).collect())
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let n = input.accounts.len();
        let m = self.indicators.len();
        let cols: Vec<&Numbers> = self
            .indicators
            .iter()
            .map(|c| input.accounts.numeric_column(c))
            .collect::<Result<_>>()?;
        let weights = self.weights.clone().unwrap_or_else(|| vec![1.0; m]);
        let dirs = self.directions.clone().unwrap_or_else(|| vec![1.0; m]);
        let mut eligible = input.population.to_vec();
        let mut diagnostics = BTreeMap::new();
        let (mut excluded, mut partial, mut empty) = (0u64, 0u64, 0u64);
        for (i, keep) in eligible.iter_mut().enumerate() {
            if !*keep {
                continue;
            }
            let have = cols.iter().filter(|c| c.get(i).is_some()).count();
            if have == 0 {
                *keep = false;
                empty += 1;
            } else if have < m {
                if self.missing == MissingIndicator::Exclude {
                    *keep = false;
                    excluded += 1;
                } else {
                    partial += 1;
                }
            }
        }
        // Normalised values per indicator, over eligible accounts with a value.
        let mut norm: Vec<Vec<Option<f64>>> = vec![vec![None; n]; m];
        for j in 0..m {
            let mut vals: Vec<(usize, f64)> = (0..n)
                .filter(|&i| eligible[i])
                .filter_map(|i| cols[j].get(i).map(|x| (i, x * dirs[j])))
                .collect();
            self.normalise(&self.indicators[j], &mut vals)?;
            for (i, x) in vals {
                norm[j][i] = Some(x);
            }
        }
        let mut score = vec![0.0; n];
        for i in 0..n {
            if !eligible[i] {
                continue;
            }
            let (mut num, mut den) = (0.0, 0.0);
            for j in 0..m {
                if let Some(x) = norm[j][i] {
                    match self.aggregate {
                        Aggregate::Arithmetic => num += weights[j] * x,
                        Aggregate::Geometric => {
                            if x <= 0.0 {
                                bail!(
                                    "composite: the geometric mean needs values > 0, but indicator {:?} is {x} for account {:?} after normalisation; normalise onto a positive range (e.g. range = [1, 100])",
                                    self.indicators[j],
                                    input.accounts.ids.name(i as u32)
                                );
                            }
                            num += weights[j] * x.ln();
                        }
                    }
                    den += weights[j];
                }
            }
            if den == 0.0 {
                // Only zero-weight indicators present: nothing to aggregate.
                eligible[i] = false;
                empty += 1;
                continue;
            }
            score[i] = match self.aggregate {
                Aggregate::Arithmetic => num / den,
                Aggregate::Geometric => (num / den).exp(),
            };
        }
        for (k, v) in [
            ("excluded_missing_indicator", excluded),
            ("reweighted_missing_indicator", partial),
            ("no_indicator_value", empty),
        ] {
            if v > 0 {
                diagnostics.insert(k.into(), v);
            }
        }
        Ok(Scores {
            score,
            tiebreak: Vec::new(),
            eligible,
            qualified: None,
            diagnostics,
            precision: Precision::Rounded,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Accounts, Ids};
    use crate::graph::Graph;
    use crate::rankings::SeedIds;

    /// Four accounts, indicators a = [1, 2, 3, missing], b = [10, 40, 20, 30].
    fn run(extra: &str) -> Result<Scores> {
        let mut ids = Ids::new();
        for n in ["w", "x", "y", "z"] {
            ids.intern(n);
        }
        let mut acc = Accounts {
            ids,
            listed: 4,
            ..Default::default()
        };
        acc.numeric.insert(
            "a".into(),
            vec![Some(1.0), Some(2.0), Some(3.0), None].into(),
        );
        acc.numeric.insert(
            "b".into(),
            vec![Some(10.0), Some(40.0), Some(20.0), Some(30.0)].into(),
        );
        let g = Graph::from_pairs(4, &[]);
        let lists = SeedIds::new();
        let pop = vec![true; 4];
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let p: toml::Table =
            toml::from_str(&format!("indicators = [\"a\", \"b\"]\n{extra}")).unwrap();
        Composite::from_params(&p)?.score(&input)
    }

    #[test]
    fn minmax_arithmetic_with_skip_reweights_missing() {
        let s = run("").unwrap();
        // a over w,x,y: 0, 50, 100; b over all four: 0, 100, 100/3, 200/3.
        assert_eq!(s.score[0], 0.0);
        assert_eq!(s.score[1], 75.0);
        assert!((s.score[2] - (100.0 + 100.0 / 3.0) / 2.0).abs() < 1e-12);
        assert!((s.score[3] - 200.0 / 3.0).abs() < 1e-12, "z has only b");
        assert_eq!(s.diagnostics["reweighted_missing_indicator"], 1);
    }

    #[test]
    fn exclude_drops_the_incomplete_account() {
        let s = run("missing = \"exclude\"").unwrap();
        assert!(!s.eligible[3]);
        // b now over w,x,y: 0, 100, 100/3.
        assert!((s.score[2] - (100.0 + 100.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn zscore_uses_the_sample_sd_and_weights() {
        let s = run("normalise = \"zscore\"\nweights = [3, 1]\nmissing = \"exclude\"").unwrap();
        // a: mean 2, sd 1 -> -1, 0, 1; b: mean 70/3, sd = sqrt(((40/3)^2 + (50/3)^2 + (10/3)^2)/2)
        let sd_b = (((40.0f64 / 3.0).powi(2) + (50.0f64 / 3.0).powi(2) + (10.0f64 / 3.0).powi(2))
            / 2.0)
            .sqrt();
        let zb_x = (40.0 - 70.0 / 3.0) / sd_b;
        assert!((s.score[1] - (3.0 * 0.0 + zb_x) / 4.0).abs() < 1e-12);
    }

    #[test]
    fn percentile_and_rank_use_min_ties() {
        let s = run("normalise = \"percentile\"\nmissing = \"exclude\"").unwrap();
        // a: 0, 0.5, 1; b (10, 40, 20): 0, 1, 0.5
        assert_eq!(&s.score[..3], &[0.0, 0.75, 0.75]);
        let s = run("normalise = \"rank\"\ndirections = [-1, 1]\nmissing = \"exclude\"").unwrap();
        // -a: 3, 2, 1 -> ranks w 3, x 2, y 1? (-1 < -2 < -3 ascending: y=1, x=2, w=3); b: w 1, y 2, x 3
        assert_eq!(&s.score[..3], &[2.0, 2.5, 1.5]);
    }

    #[test]
    fn geometric_needs_positive_values() {
        let e = run("aggregate = \"geometric\"").unwrap_err();
        assert!(e.to_string().contains("range = [1, 100]"), "{e}");
        let s = run("aggregate = \"geometric\"\nrange = [1, 100]\nmissing = \"exclude\"").unwrap();
        // w: a 1, b 1 -> 1; x: a 50.5, b 100 -> sqrt(5050)
        assert!((s.score[0] - 1.0).abs() < 1e-12);
        assert!((s.score[1] - 5050f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn constant_indicators_and_bad_weights_are_errors() {
        assert!(run("weights = [1]").is_err());
        assert!(run("directions = [2, 1]").is_err());
        assert!(run("range = [5, 5]").is_err());
    }
}
