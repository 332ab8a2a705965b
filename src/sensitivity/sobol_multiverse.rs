//! The Sobol design of the multiverse (`[multiverse.sobol]`): the same factors as the
//! grid, sampled quasi-randomly (a Sobol sequence, [`super::sobol`]) instead of
//! enumerated, and Sobol indices with bootstrap intervals for three outputs of every
//! universe — the covered accounts' censored ranks, their top-N membership, and COINr's
//! mean |rank change| against the nominal ranking — plus the dummy factor's, and
//! per-account indices. The universes run through the same machinery as the grid's
//! ([`SobolPlan::universes`] is another plan source for [`super::run_family`]).
//!
//! A discrete factor with L values takes level min(⌊u·L⌋, L − 1) of the design's
//! coordinate u ∈ [0, 1), so each level has probability 1/L, as in the grid.

use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use super::multiverse::{Factor, MultiverseSpec};
use super::sobol::{self, Estimator, Interval, Scheme};
use super::{Universe, Universes};

/// `[multiverse.sobol]`: a Sobol design over the multiverse's factors, run besides the
/// grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolSpec {
    /// Base sample size N (rows of A and B).
    #[serde(default = "default_samples")]
    pub samples: usize,
    /// Bootstrap replicates for the intervals.
    #[serde(default = "default_bootstrap")]
    pub bootstrap: usize,
    /// `"saltelli-jansen"` (N (k + 2) universes) or `"azzini"` (N (2k + 2)).
    #[serde(default)]
    pub estimators: Estimators,
}

impl Default for SobolSpec {
    fn default() -> Self {
        SobolSpec {
            samples: default_samples(),
            bootstrap: default_bootstrap(),
            estimators: Estimators::default(),
        }
    }
}

/// Which estimator pair (sensobol's default pair, or Azzini's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Estimators {
    /// First order Saltelli et al. (2010), total Jansen (1999).
    #[default]
    SaltelliJansen,
    /// Azzini, Mara & Rosati (2020), both orders.
    Azzini,
}

impl Estimators {
    fn scheme(self) -> Scheme {
        match self {
            Estimators::SaltelliJansen => Scheme::Saltelli,
            Estimators::Azzini => Scheme::Azzini,
        }
    }

    /// (first order, total order).
    pub fn pair(self) -> (Estimator, Estimator) {
        match self {
            Estimators::SaltelliJansen => (Estimator::Saltelli2010, Estimator::Jansen1999),
            Estimators::Azzini => (Estimator::Azzini2020, Estimator::Azzini2020),
        }
    }
}

/// Names of the estimators in tables.
pub fn estimator_name(e: Estimator) -> &'static str {
    match e {
        Estimator::Saltelli2010 => "saltelli-2010",
        Estimator::Jansen1999 => "jansen-1999",
        Estimator::Azzini2020 => "azzini-2020",
    }
}

/// The dummy factor's name in tables.
pub const DUMMY: &str = "(dummy)";
/// The dummy's estimator name in tables (sensobol's `sobol_dummy`).
pub const DUMMY_ESTIMATOR: &str = "sensobol-dummy";
/// Largest base sample size (each universe is a full ranking held in memory).
pub const MAX_SAMPLES: usize = 1 << 16;
/// Largest bootstrap replicate count.
pub const MAX_BOOTSTRAP: usize = 100_000;

fn default_samples() -> usize {
    64
}

fn default_bootstrap() -> usize {
    1000
}

impl SobolSpec {
    /// The first bad setting: (its key under `[multiverse.sobol]`, what is wrong).
    pub fn check(&self, k: usize) -> Option<(&'static str, String)> {
        if self.samples < 2 || self.samples > MAX_SAMPLES {
            return Some((
                "samples",
                format!(
                    "[multiverse.sobol] samples = {} is out of range: use 2 to {MAX_SAMPLES} (a power of two keeps the Sobol points balanced)",
                    self.samples
                ),
            ));
        }
        if self.bootstrap == 0 || self.bootstrap > MAX_BOOTSTRAP {
            return Some((
                "bootstrap",
                format!(
                    "[multiverse.sobol] bootstrap = {} is out of range: use 1 to {MAX_BOOTSTRAP}",
                    self.bootstrap
                ),
            ));
        }
        if 2 * k > sobol::MAX_DIMS {
            return Some((
                "samples",
                format!(
                    "[multiverse.sobol] {k} factors need {} Sobol dimensions; at most {} factors fit",
                    2 * k,
                    sobol::MAX_DIMS / 2
                ),
            ));
        }
        None
    }

    /// [`Self::check`] as an error.
    pub fn validate(&self, k: usize) -> Result<()> {
        match self.check(k) {
            Some((_, msg)) => bail!(msg),
            None => Ok(()),
        }
    }

    /// Universes the design runs for k factors (saturating, for the memory budget).
    pub fn count(&self, k: usize) -> u64 {
        let blocks = match self.estimators {
            Estimators::SaltelliJansen => k as u64 + 2,
            Estimators::Azzini => 2 * k as u64 + 2,
        };
        (self.samples as u64).saturating_mul(blocks)
    }
}

/// Level of a discrete factor with `levels` values at design coordinate `u`.
pub fn level(u: f64, levels: usize) -> usize {
    ((u * levels as f64).floor() as usize).min(levels - 1)
}

/// The value of a continuous factor (`range`) at design coordinate `u`: uniform on
/// [lo, hi); with `integer`, uniform on the integers lo..=hi (⌊lo + u (hi − lo + 1)⌋,
/// capped at hi).
pub fn continuous(u: f64, [lo, hi]: [f64; 2], integer: bool) -> toml::Value {
    if integer {
        let v = (lo + (u * (hi - lo + 1.0)).floor()).min(hi);
        toml::Value::Integer(v as i64)
    } else {
        toml::Value::Float(lo + u * (hi - lo))
    }
}

/// The universes of a Sobol design: one per row of [`sobol::Design::rows`].
pub struct SobolPlan {
    /// The factors, a continuous one's `values` being the distinct values the design
    /// gives it (ascending), so that every factor is a list of levels downstream.
    pub factors: Vec<Factor>,
    pub spec: SobolSpec,
    /// Level of every factor, per universe (design row).
    pub choices: Vec<Vec<usize>>,
}

impl SobolPlan {
    pub fn new(mv: &MultiverseSpec, spec: &SobolSpec) -> Result<Self> {
        let k = mv.factors.len();
        let design = sobol::sample_matrices(spec.samples, k, spec.estimators.scheme())
            .map_err(|e| anyhow!("[multiverse.sobol] {e}"))?;
        let rows = design.rows();
        let mut factors = mv.factors.clone();
        for (i, f) in factors.iter_mut().enumerate() {
            if let Some(r) = f.range {
                let mut v: Vec<toml::Value> = rows
                    .iter()
                    .map(|row| continuous(row[i], r, f.integer))
                    .collect();
                v.sort_by(|a, b| value_f64(a).total_cmp(&value_f64(b)));
                v.dedup();
                f.values = v;
            }
        }
        let choices = rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&factors)
                    .map(|(&u, f)| match f.range {
                        None => level(u, f.values.len()),
                        Some(r) => {
                            let x = value_f64(&continuous(u, r, f.integer));
                            f.values.partition_point(|v| value_f64(v) < x)
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(SobolPlan {
            factors,
            spec: spec.clone(),
            choices,
        })
    }

    /// `mv` with the plan's factors (continuous ones listed by their sampled values).
    pub fn multiverse(&self, mv: &MultiverseSpec) -> MultiverseSpec {
        MultiverseSpec {
            factors: self.factors.clone(),
            ..mv.clone()
        }
    }

    pub fn len(&self) -> usize {
        self.choices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }

    /// The universes, made on demand, in design-row order.
    pub fn universes(&self) -> Universes<'_> {
        Universes::new(self.len() as u64, move |r| {
            let levels = &self.choices[r as usize];
            let (params, label) = MultiverseSpec::cell(&self.factors, levels);
            Universe {
                label: format!("sobol {}: {label}", r + 1),
                x: Some(r as f64 + 1.0),
                params,
                seed_list: None,
                data: None,
            }
        })
    }
}

/// One output's indices (a row of `sobol_indices` per factor and the dummy).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputIndices {
    /// "ranks", "top-n" or "mean-abs-rank-change".
    pub output: &'static str,
    /// Per factor, in declaration order: (first, total); None when the output does
    /// not vary.
    pub factors: Option<Vec<(Interval, Interval)>>,
    pub dummy: Option<(Interval, Interval)>,
}

/// Per-account indices (point estimates) of one output.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountIndices {
    pub account: u32,
    pub output: &'static str,
    /// Per factor: (first, total); None when the account's output does not vary.
    pub factors: Option<Vec<(f64, f64)>>,
}

/// Everything the Sobol design found.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolResult {
    pub spec: SobolSpec,
    pub factors: Vec<String>,
    pub universes: usize,
    pub outputs: Vec<OutputIndices>,
    pub accounts: Vec<AccountIndices>,
}

/// Output names.
pub const RANKS: &str = "ranks";
pub const TOP_N: &str = "top-n";
pub const MEAN_ABS_RANK_CHANGE: &str = "mean-abs-rank-change";

fn value_f64(v: &toml::Value) -> f64 {
    match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(x) => *x,
        _ => f64::NAN,
    }
}

/// Indices of the three outputs. `y[r][a]`: censored rank of covered account a in
/// universe (design row) r; `nominal[a]`: its censored nominal rank; `seed`: the
/// bootstrap's.
pub fn analyse(
    plan: &SobolPlan,
    accounts: &[u32],
    y: &[Vec<f64>],
    nominal: &[f64],
    top_n: u32,
    seed: u64,
) -> SobolResult {
    let spec = &plan.spec;
    let (n, k) = (spec.samples, plan.factors.len());
    let top = f64::from(top_n);
    let member: Vec<Vec<f64>> = y
        .iter()
        .map(|r| r.iter().map(|&x| f64::from(u8::from(x <= top))).collect())
        .collect();
    let change: Vec<Vec<f64>> = y
        .iter()
        .map(|r| {
            let s: f64 = r.iter().zip(nominal).map(|(a, b)| (a - b).abs()).sum();
            vec![if r.is_empty() {
                0.0
            } else {
                s / r.len() as f64
            }]
        })
        .collect();
    let (first, total) = spec.estimators.pair();
    let one = |output: &'static str, y: &[Vec<f64>], stream: u64| {
        let s = seed ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let factors = sobol::bootstrap(n, k, y, first, total, spec.bootstrap, 0.95, s)
            .ok()
            .map(|w| w.first.into_iter().zip(w.total).collect());
        let dummy = sobol::dummy(n, k, y, spec.bootstrap, 0.95, s.wrapping_add(1)).ok();
        OutputIndices {
            output,
            factors,
            dummy,
        }
    };
    let outputs = vec![
        one(RANKS, y, 1),
        one(TOP_N, &member, 2),
        one(MEAN_ABS_RANK_CHANGE, &change, 3),
    ];
    let mut per_account = Vec::new();
    for (output, m) in [(RANKS, y), (TOP_N, &member[..])] {
        for (a, &account) in accounts.iter().enumerate() {
            let col: Vec<Vec<f64>> = m.iter().map(|r| vec![r[a]]).collect();
            let factors = sobol::indices(n, k, &col, first, total)
                .ok()
                .map(|ix| ix.first.into_iter().zip(ix.total).collect());
            per_account.push(AccountIndices {
                account,
                output,
                factors,
            });
        }
    }
    SobolResult {
        spec: spec.clone(),
        factors: plan.factors.iter().map(|f| f.name.clone()).collect(),
        universes: plan.len(),
        outputs,
        accounts: per_account,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::multiverse::attribute;

    use crate::sensitivity::multiverse::tests::factor;

    fn spec(factors: Vec<Factor>) -> MultiverseSpec {
        MultiverseSpec {
            ranking: "r".into(),
            design: crate::sensitivity::multiverse::Design::Grid,
            max_universes: 1000,
            factors,
            sobol: None,
        }
    }

    #[test]
    fn levels_split_the_unit_interval_evenly() {
        assert_eq!(level(0.0, 4), 0);
        assert_eq!(level(0.2499, 4), 0);
        assert_eq!(level(0.25, 4), 1);
        assert_eq!(level(0.999_999, 4), 3);
        assert_eq!(level(1.0, 4), 3, "clamped");
    }

    /// A continuous factor: uniform floats, or integers lo..=hi each equally likely;
    /// its levels index the sorted distinct values the design gave it; the golden
    /// linear function through the plan's values gives 1/14, 4/14, 9/14.
    #[test]
    fn continuous_factors_take_sampled_values() {
        assert_eq!(continuous(0.5, [2.0, 4.0], false), toml::Value::Float(3.0));
        assert_eq!(continuous(0.0, [3.0, 7.0], true), toml::Value::Integer(3));
        assert_eq!(continuous(0.999, [3.0, 7.0], true), toml::Value::Integer(7));
        assert_eq!(continuous(0.2, [3.0, 7.0], true), toml::Value::Integer(4));
        let mut mv = spec(
            ["x1", "x2", "x3"]
                .iter()
                .map(|n| Factor {
                    values: vec![],
                    range: Some([0.0, 1.0]),
                    ..factor(n, 0)
                })
                .collect(),
        );
        mv.design = crate::sensitivity::multiverse::Design::Sobol;
        assert!(mv.validate().is_ok());
        let s = SobolSpec {
            samples: 1 << 12,
            bootstrap: 1,
            estimators: Estimators::SaltelliJansen,
        };
        let plan = SobolPlan::new(&mv, &s).unwrap();
        let u = plan.universes();
        let y: Vec<Vec<f64>> = (0..u.len())
            .map(|r| {
                let p = u.get(r).unwrap().params;
                let x = |k: &str| p[k].as_float().unwrap();
                vec![x("x1") + 2.0 * x("x2") + 3.0 * x("x3")]
            })
            .collect();
        let (fe, te) = s.estimators.pair();
        let ix = sobol::indices(s.samples, 3, &y, fe, te).unwrap();
        for (i, want) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].iter().enumerate() {
            assert!((ix.first[i] - want).abs() < 0.01, "{i}: {}", ix.first[i]);
            assert!((ix.total[i] - want).abs() < 0.01, "{i}: {}", ix.total[i]);
        }
        // The grid-style first order bins a continuous factor: a choice that does not
        // enter the ranks gets a share near 0, and one that alone drives them near 1. By
        // exact value, a value is shared only by the 2 or 3 design rows that copy it, so
        // its conditional mean is mostly noise: 0.28 here for a factor with no effect.
        let only_x3: Vec<Vec<f64>> = (0..u.len())
            .map(|r| vec![u.get(r).unwrap().params["x3"].as_float().unwrap()])
            .collect();
        let cont = [true; 3];
        let e = crate::sensitivity::multiverse::attribute_sampled(
            &plan.factors,
            &cont,
            &plan.choices,
            &only_x3,
        );
        assert!(e[0].first_order_share < 0.01, "{}", e[0].first_order_share);
        assert!(e[2].first_order_share > 0.97, "{}", e[2].first_order_share);
        let raw = crate::sensitivity::multiverse::attribute(&plan.factors, &plan.choices, &only_x3);
        assert!(
            raw[0].first_order_share > 0.2,
            "by exact value: {}",
            raw[0].first_order_share
        );
        // Totals compare rows that differ in one factor only, binned or not.
        assert_eq!(e[0].total_share, raw[0].total_share);
        // Levels index the sorted values.
        let f = &plan.factors[0];
        for (c, r) in plan.choices.iter().zip(0..) {
            assert_eq!(f.values[c[0]], u.get(r).unwrap().params["x1"]);
        }
        // A range needs the Sobol design, and integer bounds for integer = true.
        mv.design = crate::sensitivity::multiverse::Design::Grid;
        assert!(
            mv.validate()
                .unwrap_err()
                .to_string()
                .contains("design = \"sobol\"")
        );
        mv.design = crate::sensitivity::multiverse::Design::Sobol;
        mv.factors[0].integer = true;
        mv.factors[0].range = Some([0.0, 1.5]);
        assert!(
            mv.validate()
                .unwrap_err()
                .to_string()
                .contains("integer bounds")
        );
    }

    #[test]
    fn the_plan_counts_and_labels_its_universes() {
        let mv = spec(vec![factor("a", 2), factor("b", 3)]);
        let s = SobolSpec {
            samples: 8,
            bootstrap: 10,
            estimators: Estimators::SaltelliJansen,
        };
        let plan = SobolPlan::new(&mv, &s).unwrap();
        assert_eq!(plan.len() as u64, s.count(2));
        assert_eq!(plan.len(), 8 * 4);
        let u = plan.universes().get(0).unwrap();
        assert!(u.label.starts_with("sobol 1: a="), "{}", u.label);
        assert_eq!(u.params.len(), 2);
        let az = SobolSpec {
            estimators: Estimators::Azzini,
            ..s
        };
        assert_eq!(SobolPlan::new(&mv, &az).unwrap().len(), 8 * 6);
        assert!(az.validate(2).is_ok());
        assert!(SobolSpec { samples: 1, ..az }.validate(2).is_err());
    }

    /// Grid agreement. On the full discrete grid of y = a + 2 b + 3 a·c (levels 0..L),
    /// the Sobol estimates with a large N agree with the exact grid decomposition of
    /// [`attribute`]. Both estimate the same population quantities (Var(E[Y|X_i]) /
    /// Var(Y) and E[Var(Y|X_~i)] / Var(Y) under uniform levels); the grid uses the
    /// population variance over the cells, the Sobol estimators a sample variance
    /// (divisor 2N − 1) over A and B, which differ by O(1/N), within the tolerance.
    #[test]
    fn sobol_estimates_agree_with_the_exact_grid_decomposition() {
        let factors = vec![factor("a", 3), factor("b", 4), factor("c", 2)];
        let f = |l: &[usize]| {
            let (a, b, c) = (l[0] as f64, l[1] as f64, l[2] as f64);
            vec![a + 2.0 * b + 3.0 * a * c]
        };
        let mut choices = Vec::new();
        for a in 0..3 {
            for b in 0..4 {
                for c in 0..2 {
                    choices.push(vec![a, b, c]);
                }
            }
        }
        let y: Vec<Vec<f64>> = choices.iter().map(|l| f(l)).collect();
        let exact = attribute(&factors, &choices, &y);
        let mv = spec(factors);
        for est in [Estimators::SaltelliJansen, Estimators::Azzini] {
            let s = SobolSpec {
                samples: 1 << 14,
                bootstrap: 1,
                estimators: est,
            };
            let plan = SobolPlan::new(&mv, &s).unwrap();
            let ys: Vec<Vec<f64>> = plan.choices.iter().map(|l| f(l)).collect();
            let (fe, te) = est.pair();
            let ix = sobol::indices(s.samples, 3, &ys, fe, te).unwrap();
            for (i, e) in exact.iter().enumerate() {
                let (s1, st) = (e.first_order_share, e.total_share.unwrap());
                assert!(
                    (ix.first[i] - s1).abs() < 0.02,
                    "{est:?} first {i}: {} vs exact {s1}",
                    ix.first[i]
                );
                assert!(
                    (ix.total[i] - st).abs() < 0.02,
                    "{est:?} total {i}: {} vs exact {st}",
                    ix.total[i]
                );
            }
            // The interaction shows: a's total exceeds its first order by V_ac / V.
            assert!(exact[0].total_share.unwrap() - exact[0].first_order_share > 0.05);
            assert!(ix.total[2] > ix.first[2] + 0.05);
        }
    }

    /// The three outputs on a toy multiverse: the account's rank follows factor a only,
    /// so a carries every index and b stays at the dummy's level.
    #[test]
    fn analyse_attributes_ranks_membership_and_change() {
        let mv = spec(vec![factor("a", 4), factor("b", 4)]);
        let s = SobolSpec {
            samples: 256,
            bootstrap: 200,
            estimators: Estimators::SaltelliJansen,
        };
        let plan = SobolPlan::new(&mv, &s).unwrap();
        // Two accounts: ranks 1 + 2 a and 8 − 2 a (censored at 2N + 1 = 9 for N = 4).
        let y: Vec<Vec<f64>> = plan
            .choices
            .iter()
            .map(|l| vec![1.0 + 2.0 * l[0] as f64, 8.0 - 2.0 * l[0] as f64])
            .collect();
        let r = analyse(&plan, &[10, 11], &y, &[1.0, 8.0], 4, 7);
        assert_eq!(r.universes, 256 * 4);
        assert_eq!(r.outputs.len(), 3);
        for o in &r.outputs {
            let f = o.factors.as_ref().unwrap();
            assert!(f[0].1.estimate > 0.95, "{}: {:?}", o.output, f[0]);
            assert!(f[1].1.estimate.abs() < 1e-12, "{}: {:?}", o.output, f[1]);
            assert!(f[0].0.lower <= f[0].0.estimate && f[0].0.estimate <= f[0].0.upper);
            assert!(o.dummy.is_some());
        }
        assert_eq!(r.accounts.len(), 4);
        let acc = r.accounts[0].factors.as_ref().unwrap();
        assert!(acc[0].1 > 0.95 && acc[1].1.abs() < 1e-12);
        // Deterministic.
        assert_eq!(r, analyse(&plan, &[10, 11], &y, &[1.0, 8.0], 4, 7));
    }
}
