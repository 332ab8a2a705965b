//! The multiverse: every combination (or a seeded sample) of the method choices a study
//! declares arbitrary — seed list × threshold × combination rule × missing-count policy,
//! or any other parameters — each a universe with its own ranking; and the attribution
//! of rank variation to each choice.
//!
//! Variance attribution (in the spirit of Saisana, Saltelli & Tarantola 2005 and COINr's
//! sensitivity analysis, over discrete factors). For every account a covered by the
//! summary, let Y_u(a) be its rank in universe u, censored at 2N + 1 (beyond twice the
//! top N, and unranked, only "far outside" matters). For factor i:
//! - first-order effect = mean over accounts and universes of |E[Y | X_i = x_i(u)] − E[Y]|,
//!   in ranks; its variance share S_i = Σ_a Var(E[Y_a | X_i]) / Σ_a Var(Y_a);
//! - total effect = mean |Y_u(a) − Y_u'(a)| over pairs of universes that differ in factor i
//!   only, in ranks; its variance share ST_i = Σ_a E[Var(Y_a | X_~i)] / Σ_a Var(Y_a)
//!   (Jansen's form, from the groups of universes that agree on every other factor).
//!
//! With a full grid every group is complete; with a sampled multiverse only groups with at
//! least two universes count, and their number is reported.

/// The multiverse's name where its rankings are kept as a family (results, tables,
/// figures, the report).
pub const FAMILY: &str = "multiverse";

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{Universe, Universes};
use crate::rankings::Ranking;

/// `[[multiverse.factor]]`: one arbitrary choice and its plausible values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// Label, e.g. "seed list".
    pub name: String,
    /// The method parameter it sets, e.g. `seeds`, `min_follows`, `combine`.
    pub param: String,
    /// The plausible values (a discrete factor).
    #[serde(default)]
    pub values: Vec<toml::Value>,
    /// `[lo, hi]`: a continuous factor, uniform on the range (only with
    /// `design = "sobol"`); its value is a float, or an integer when `integer = true`
    /// and both bounds are integers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
}

/// `[multiverse]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiverseSpec {
    /// The ranking whose choices are varied.
    pub ranking: String,
    /// `"grid"` (default: every combination, or a seeded sample of `max_universes`) or
    /// `"sobol"` (the universes of the Sobol design of `[multiverse.sobol]`, whose
    /// settings default when that table is absent; no grid runs).
    #[serde(default, skip_serializing_if = "Design::is_grid")]
    pub design: Design,
    /// Largest grid run in full; a larger one is sampled (seeded) down to this size.
    #[serde(default = "default_max")]
    pub max_universes: usize,
    #[serde(rename = "factor")]
    pub factors: Vec<Factor>,
    /// `[multiverse.sobol]`: a Sobol design over the same factors, run besides the grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sobol: Option<super::sobol_multiverse::SobolSpec>,
}

/// How the multiverse's universes are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    #[default]
    Grid,
    Sobol,
}

impl Design {
    fn is_grid(&self) -> bool {
        *self == Design::Grid
    }
}

fn default_max() -> usize {
    1000
}

impl MultiverseSpec {
    pub fn validate(&self) -> Result<()> {
        if self.factors.is_empty() {
            bail!("[multiverse] declares no [[multiverse.factor]]");
        }
        for f in &self.factors {
            match f.range {
                None if f.values.is_empty() => {
                    bail!("[[multiverse.factor]] {:?} has no values", f.name)
                }
                None if f.integer => bail!(
                    "[[multiverse.factor]] {:?}: integer = true applies to a range only",
                    f.name
                ),
                None => {}
                Some(_) if !f.values.is_empty() => bail!(
                    "[[multiverse.factor]] {:?} declares both values and range; keep one",
                    f.name
                ),
                Some(_) if self.design == Design::Grid => bail!(
                    "[[multiverse.factor]] {:?}: a continuous range has no grid; set [multiverse] design = \"sobol\" or list values",
                    f.name
                ),
                Some([lo, hi]) if !(lo.is_finite() && hi.is_finite() && lo < hi) => bail!(
                    "[[multiverse.factor]] {:?}: range = [{lo}, {hi}] must be two finite numbers, lo < hi",
                    f.name
                ),
                Some([lo, hi]) if f.integer && (lo.fract() != 0.0 || hi.fract() != 0.0) => {
                    bail!(
                        "[[multiverse.factor]] {:?}: integer = true needs integer bounds, not [{lo}, {hi}]",
                        f.name
                    )
                }
                Some(_) => {}
            }
        }
        if self.max_universes == 0 {
            bail!("[multiverse] max_universes must be >= 1");
        }
        if let Some(s) = self.sobol_spec() {
            s.validate(self.factors.len())?;
        }
        Ok(())
    }

    /// Level label of a value ("boat-rockers", "5").
    pub fn level(v: &toml::Value) -> String {
        match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The parameters and the label of the universe where factor i takes level
    /// `levels[i]` (shared by the grid and the Sobol design).
    pub fn cell(factors: &[Factor], levels: &[usize]) -> (toml::Table, String) {
        let mut params = toml::Table::new();
        let mut label = Vec::new();
        for (f, &l) in factors.iter().zip(levels) {
            params.insert(f.param.clone(), f.values[l].clone());
            label.push(format!("{}={}", f.param, Self::level(&f.values[l])));
        }
        (params, label.join(", "))
    }

    /// The grid's size (the product of the factors' value counts), or None beyond u64.
    fn grid(&self) -> Option<u64> {
        self.factors
            .iter()
            .try_fold(1u64, |n, f| n.checked_mul(f.values.len() as u64))
    }

    /// The Sobol design's settings: `[multiverse.sobol]`, or its defaults when
    /// `design = "sobol"` has none; None when only the grid runs.
    pub fn sobol_spec(&self) -> Option<super::sobol_multiverse::SobolSpec> {
        match (&self.sobol, self.design) {
            (Some(s), _) => Some(s.clone()),
            (None, Design::Sobol) => Some(super::sobol_multiverse::SobolSpec::default()),
            (None, Design::Grid) => None,
        }
    }

    /// How many universes the multiverse itself runs: for a grid design the whole
    /// grid, or `max_universes` when the grid is larger; for a Sobol design its
    /// N (k + 2) or N (2k + 2) universes. Nothing is allocated, so any grid and any
    /// `max_universes` can be counted (and refused by the memory budget) before the
    /// sample is drawn.
    pub fn count(&self) -> u64 {
        if let (Design::Sobol, Some(s)) = (self.design, self.sobol_spec()) {
            return s.count(self.factors.len());
        }
        self.grid().map_or(self.max_universes as u64, |g| {
            g.min(self.max_universes as u64)
        })
    }

    /// Which grid cells run: all of them, or a seeded sample of `max_universes` cells.
    /// Call after the memory budget accepted [`Self::count`]: a sample is a list of
    /// that many cells.
    pub fn plan(&self, rng: &mut ChaCha8Rng) -> Result<Plan<'_>> {
        let sizes: Vec<usize> = self.factors.iter().map(|f| f.values.len()).collect();
        let total = self.grid().and_then(|g| usize::try_from(g).ok());
        let Some(total) = total else {
            bail!(
                "[multiverse] the grid of {} factors has more than 2^64 combinations; declare fewer factors or values",
                self.factors.len()
            );
        };
        let picks = if total <= self.max_universes {
            None
        } else {
            let mut v = sample(rng, total, self.max_universes).into_vec();
            v.sort_unstable();
            Some(v)
        };
        Ok(Plan {
            spec: self,
            sizes,
            total,
            picks,
        })
    }
}

/// The cells of a multiverse that run (see [`MultiverseSpec::plan`]).
pub struct Plan<'a> {
    spec: &'a MultiverseSpec,
    sizes: Vec<usize>,
    total: usize,
    /// The sampled cells, ascending; None = the whole grid.
    picks: Option<Vec<usize>>,
}

impl Plan<'_> {
    pub fn len(&self) -> usize {
        self.picks.as_ref().map_or(self.total, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Level index of every factor in universe k (mixed-radix decode of its cell, last
    /// factor fastest).
    pub fn levels(&self, k: usize) -> Vec<usize> {
        let mut rest = self.picks.as_ref().map_or(k, |p| p[k]);
        let mut levels = vec![0; self.sizes.len()];
        for j in (0..self.sizes.len()).rev() {
            levels[j] = rest % self.sizes[j];
            rest /= self.sizes[j];
        }
        levels
    }

    /// The level indices of every universe, in order (for [`attribute`]).
    pub fn choices(&self) -> Vec<Vec<usize>> {
        (0..self.len()).map(|k| self.levels(k)).collect()
    }

    /// The universes, made on demand, in grid order.
    pub fn universes(&self) -> Universes<'_> {
        Universes::new(self.len() as u64, move |k| {
            let (params, label) =
                MultiverseSpec::cell(&self.spec.factors, &self.levels(k as usize));
            Universe {
                label,
                x: Some(k as f64 + 1.0),
                params,
                seed_list: None,
                data: None,
            }
        })
    }
}

/// How much one factor moves ranks.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub factor: String,
    /// Mean absolute rank change, first order.
    pub first_order: f64,
    /// Mean absolute rank change between universes differing in this factor only
    /// (None when no two universes differ in it alone).
    pub total: Option<f64>,
    pub first_order_share: f64,
    pub total_share: Option<f64>,
    /// Groups of universes (agreeing on every other factor) used for the total effect.
    pub groups: usize,
}

/// Censored ranks: Y[u][a] for the covered accounts.
pub fn censored_ranks(
    rankings: &[Ranking],
    accounts: &[u32],
    n_accounts: usize,
    top_n: u32,
) -> Vec<Vec<f64>> {
    let cap = 2.0 * f64::from(top_n) + 1.0;
    rankings
        .iter()
        .map(|r| {
            let ranks = r.rank_of(n_accounts);
            accounts
                .iter()
                .map(|&a| ranks[a as usize].map_or(cap, |k| f64::from(k).min(cap)))
                .collect()
        })
        .collect()
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// Attribute rank variation to each factor. `y[u][a]`: censored rank of covered account
/// a in universe u; `choices[u][i]`: the level of factor i in universe u.
pub fn attribute(factors: &[Factor], choices: &[Vec<usize>], y: &[Vec<f64>]) -> Vec<Effect> {
    attribute_with(factors, choices, choices, y)
}

/// Bins a continuous factor's sampled values fall in for the first-order effect: each
/// universe of a Sobol design has its own value, so conditional means by value would be
/// the ranks themselves (a first-order share of 1 for every continuous factor).
pub const CONTINUOUS_BINS: usize = 8;

/// [`attribute`] for a Sobol design: a continuous factor's first-order effect is taken
/// over [`CONTINUOUS_BINS`] equal-count bins of its values; totals still compare
/// universes that agree on every other factor's exact value (A and A_B^i rows).
pub fn attribute_sampled(
    factors: &[Factor],
    continuous: &[bool],
    choices: &[Vec<usize>],
    y: &[Vec<f64>],
) -> Vec<Effect> {
    let binned: Vec<Vec<usize>> = choices
        .iter()
        .map(|c| {
            c.iter()
                .zip(factors)
                .zip(continuous)
                .map(|((&l, f), &cont)| {
                    if cont {
                        l * CONTINUOUS_BINS / f.values.len().max(1)
                    } else {
                        l
                    }
                })
                .collect()
        })
        .collect();
    attribute_with(factors, &binned, choices, y)
}

// `a` indexes the inner (account) axis of a universe-major matrix; an iterator over `y`
// would walk the wrong axis.
#[allow(clippy::needless_range_loop)]
/// `first[u][i]`: the level of factor i for its first-order effect; `choices`: for the
/// groups of its total effect.
fn attribute_with(
    factors: &[Factor],
    first: &[Vec<usize>],
    choices: &[Vec<usize>],
    y: &[Vec<f64>],
) -> Vec<Effect> {
    let n_u = y.len();
    let n_a = y.first().map_or(0, Vec::len);
    // Per account: overall mean and variance (population form).
    let grand: Vec<f64> = (0..n_a).map(|a| mean((0..n_u).map(|u| y[u][a]))).collect();
    let var_total: f64 = (0..n_a)
        .map(|a| mean((0..n_u).map(|u| (y[u][a] - grand[a]).powi(2))))
        .sum();
    factors
        .iter()
        .enumerate()
        .map(|(i, f)| {
            // First order: conditional means by level of factor i.
            let mut by_level: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (u, c) in first.iter().enumerate() {
                by_level.entry(c[i]).or_default().push(u);
            }
            let mut abs_change = 0.0;
            let mut var_first = 0.0;
            for a in 0..n_a {
                for us in by_level.values() {
                    let m = mean(us.iter().map(|&u| y[u][a]));
                    let w = us.len() as f64 / n_u as f64;
                    abs_change += w * (m - grand[a]).abs();
                    var_first += w * (m - grand[a]).powi(2);
                }
            }
            // Total: groups of universes that agree on every factor but i.
            let mut groups: BTreeMap<Vec<usize>, Vec<usize>> = BTreeMap::new();
            for (u, c) in choices.iter().enumerate() {
                let mut key = c.clone();
                key[i] = usize::MAX;
                groups.entry(key).or_default().push(u);
            }
            let usable: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() >= 2).collect();
            let (mut pair_sum, mut pairs, mut var_within) = (0.0, 0usize, 0.0);
            for g in &usable {
                let w = g.len() as f64 / n_u as f64;
                for a in 0..n_a {
                    let m = mean(g.iter().map(|&u| y[u][a]));
                    var_within += w * mean(g.iter().map(|&u| (y[u][a] - m).powi(2)));
                    for (x, &u) in g.iter().enumerate() {
                        for &v in &g[x + 1..] {
                            pair_sum += (y[u][a] - y[v][a]).abs();
                            pairs += 1;
                        }
                    }
                }
            }
            let share = |v: f64| if var_total > 0.0 { v / var_total } else { 0.0 };
            Effect {
                factor: f.name.clone(),
                first_order: if n_a > 0 {
                    abs_change / n_a as f64
                } else {
                    0.0
                },
                total: (pairs > 0).then(|| pair_sum / pairs as f64),
                first_order_share: share(var_first),
                total_share: (!usable.is_empty()).then(|| share(var_within)),
                groups: usable.len(),
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn factor(name: &str, n: usize) -> Factor {
        Factor {
            name: name.into(),
            param: name.into(),
            values: (0..n as i64).map(toml::Value::Integer).collect(),
            range: None,
            integer: false,
        }
    }

    #[test]
    fn a_grid_decodes_every_combination_once() {
        let spec = MultiverseSpec {
            ranking: "r".into(),
            design: Design::Grid,
            max_universes: 100,
            factors: vec![factor("a", 2), factor("b", 3)],
            sobol: None,
        };
        let mut rng = crate::sensitivity::replicate_rng(1, 0, 0);
        let plan = spec.plan(&mut rng).unwrap();
        let (u, c) = (plan.universes(), plan.choices());
        assert_eq!(u.len(), 6);
        assert_eq!(spec.count(), 6);
        assert_eq!(
            c,
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        assert_eq!(u.get(4).unwrap().label, "a=1, b=1");
        let small = MultiverseSpec {
            max_universes: 4,
            ..spec.clone()
        };
        let mut rng = crate::sensitivity::replicate_rng(1, 0, 0);
        let plan = small.plan(&mut rng).unwrap();
        assert_eq!(plan.universes().len(), 4, "sampled down");
        assert_eq!(small.count(), 4);
    }

    /// A grid beyond u64 and a huge max_universes are counted without allocating; the
    /// count is what the memory budget refuses.
    #[test]
    fn huge_grids_are_counted_not_built() {
        let spec = MultiverseSpec {
            ranking: "r".into(),
            design: Design::Grid,
            max_universes: usize::MAX,
            factors: (0..70).map(|i| factor(&format!("f{i}"), 2)).collect(),
            sobol: None,
        };
        assert_eq!(spec.count(), u64::MAX);
        let mut rng = crate::sensitivity::replicate_rng(1, 0, 0);
        assert!(spec.plan(&mut rng).is_err(), "2^70 cells cannot be decoded");
        let spec = MultiverseSpec {
            factors: (0..40).map(|i| factor(&format!("f{i}"), 2)).collect(),
            ..spec
        };
        assert_eq!(spec.count(), 1 << 40);
        let plan = spec.plan(&mut rng).unwrap();
        let u = plan.universes();
        assert_eq!(u.len(), 1 << 40);
        let last = u.get((1 << 40) - 1).unwrap();
        assert!(last.label.ends_with("f39=1"), "{}", last.label);
    }

    #[test]
    fn a_sobol_design_counts_its_own_universes() {
        let spec = MultiverseSpec {
            ranking: "r".into(),
            design: Design::Sobol,
            max_universes: 10,
            factors: vec![factor("a", 2), factor("b", 3)],
            sobol: None,
        };
        assert_eq!(spec.count(), 64 * 4, "default N = 64, k + 2 blocks");
        let grid = MultiverseSpec {
            design: Design::Grid,
            ..spec.clone()
        };
        assert_eq!(grid.count(), 6);
        assert!(grid.sobol_spec().is_none());
        let parsed: MultiverseSpec = toml::from_str(
            "ranking = \"r\"\ndesign = \"sobol\"\n[[factor]]\nname = \"a\"\nparam = \"a\"\nvalues = [1, 2]\n",
        )
        .unwrap();
        assert_eq!(parsed.design, Design::Sobol);
        assert!(
            toml::from_str::<MultiverseSpec>("ranking = \"r\"\ndesign = \"lattice\"\nfactor = []")
                .is_err()
        );
    }

    #[test]
    fn only_the_factor_that_matters_gets_the_effect() {
        // Two factors, 2 x 2 grid; one account whose rank is 1 + 4 * level of factor a.
        let factors = vec![factor("a", 2), factor("b", 2)];
        let choices = vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]];
        let y: Vec<Vec<f64>> = choices
            .iter()
            .map(|c| vec![1.0 + 4.0 * c[0] as f64])
            .collect();
        let e = attribute(&factors, &choices, &y);
        assert_eq!(e[0].first_order, 2.0);
        assert_eq!(e[0].total, Some(4.0));
        assert!((e[0].first_order_share - 1.0).abs() < 1e-12);
        assert!((e[0].total_share.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(e[1].first_order, 0.0);
        assert_eq!(e[1].total, Some(0.0));
        assert_eq!(e[1].groups, 2);
    }

    #[test]
    fn interaction_shows_in_total_not_first_order() {
        // y = 4 if a == b else 0: no first-order effect, all of it is interaction.
        let factors = vec![factor("a", 2), factor("b", 2)];
        let choices = vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]];
        let y: Vec<Vec<f64>> = choices
            .iter()
            .map(|c| vec![if c[0] == c[1] { 4.0 } else { 0.0 }])
            .collect();
        let e = attribute(&factors, &choices, &y);
        assert_eq!(e[0].first_order, 0.0);
        assert_eq!(e[0].total, Some(4.0));
        assert!((e[0].total_share.unwrap() - 1.0).abs() < 1e-12);
    }
}
