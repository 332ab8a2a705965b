//! Manufactured hierarchy: how concentrated a ranking's prominence is (Gini, top-N share
//! of the total score, Lorenz curve) and which groups it puts on top (each group's share
//! of the top N against its share of the population, with a Wilson interval).
//!
//! Concentration needs scores ≥ 0 (a Gini of scores that can be negative, such as
//! z-sums or E-I indices, is not defined); such rankings get None.

use std::collections::BTreeMap;

use crate::rankings::Ranking;

/// Gini coefficient of non-negative values: Σᵢ (2i − n − 1) xᵢ / (n Σ x), xᵢ sorted
/// ascending, i = 1..n (the mean-difference form). None if any value is negative or
/// the total is 0.
pub fn gini(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|&x| x < 0.0 || !x.is_finite()) {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    let total: f64 = v.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let s: f64 = v
        .iter()
        .enumerate()
        .map(|(i, &x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum();
    Some(s / (n * total))
}

/// Lorenz curve points (share of accounts, share of score), ascending, from (0, 0) to
/// (1, 1), downsampled to at most `max_points` + 1 points.
pub fn lorenz(values: &[f64], max_points: usize) -> Option<Vec<(f64, f64)>> {
    gini(values)?;
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let total: f64 = v.iter().sum();
    let n = v.len();
    let step = n.div_ceil(max_points.max(1)).max(1);
    let mut out = vec![(0.0, 0.0)];
    let mut cum = 0.0;
    for (i, x) in v.iter().enumerate() {
        cum += x;
        if (i + 1) % step == 0 || i + 1 == n {
            out.push(((i + 1) as f64 / n as f64, (cum / total).min(1.0)));
        }
    }
    Some(out)
}

/// Wilson score interval for x successes out of n at ~95 % (z = 1.96).
pub fn wilson(x: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (n, p) = (n as f64, x as f64 / n as f64);
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Concentration of one ranking's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Concentration {
    pub n_ranked: usize,
    pub gini: Option<f64>,
    /// Share of the total score held by the top N.
    pub top_n_share: Option<f64>,
    pub n_top: usize,
}

pub fn concentration(r: &Ranking, top_n: u32) -> Concentration {
    let scores: Vec<f64> = r.entries().map(|e| e.score).collect();
    let g = gini(&scores);
    let n_top = r.top(top_n).len();
    let total: f64 = scores.iter().sum();
    let top_n_share = g.map(|_| scores[..n_top].iter().sum::<f64>() / total);
    Concentration {
        n_ranked: scores.len(),
        gini: g,
        top_n_share,
        n_top,
    }
}

/// One group's representation in a ranking's top N.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRepresentation {
    pub group: String,
    /// Accounts of the group in the population, and their share of it.
    pub population_n: usize,
    pub population_share: f64,
    /// Accounts of the group in the top N, their share of it, and its Wilson interval.
    pub top_count: usize,
    pub top_share: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Representation of each value of an attribute (missing = "(missing)") in the top N,
/// against the population. `group_of[i]` is account i's group.
pub fn representation(
    r: &Ranking,
    top_n: u32,
    population: &[bool],
    group_of: &[Option<String>],
) -> Vec<GroupRepresentation> {
    const MISSING: &str = "(missing)";
    let key = |i: usize| group_of[i].clone().unwrap_or_else(|| MISSING.to_string());
    let mut pop: BTreeMap<String, usize> = BTreeMap::new();
    let mut pop_total = 0usize;
    for (i, &inside) in population.iter().enumerate() {
        if inside {
            *pop.entry(key(i)).or_default() += 1;
            pop_total += 1;
        }
    }
    let top = r.top(top_n);
    let mut in_top: BTreeMap<String, usize> = BTreeMap::new();
    for &a in &top {
        *in_top.entry(key(a as usize)).or_default() += 1;
    }
    pop.into_iter()
        .map(|(group, population_n)| {
            let top_count = in_top.get(&group).copied().unwrap_or(0);
            let (lo, hi) = wilson(top_count, top.len());
            GroupRepresentation {
                population_share: population_n as f64 / pop_total.max(1) as f64,
                top_share: if top.is_empty() {
                    0.0
                } else {
                    top_count as f64 / top.len() as f64
                },
                group,
                population_n,
                top_count,
                lo,
                hi,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_of_equality_and_of_one_holder() {
        assert_eq!(gini(&[1.0, 1.0, 1.0, 1.0]), Some(0.0));
        // One of n holds everything: (n - 1) / n.
        assert!((gini(&[0.0, 0.0, 0.0, 5.0]).unwrap() - 0.75).abs() < 1e-15);
        assert_eq!(gini(&[1.0, -1.0]), None);
        assert_eq!(gini(&[0.0, 0.0]), None);
        // 1, 2, 3: sum (2i - 4) x = -2 + 0 + 6 = 4; 4 / (3 * 6) = 2/9.
        assert!((gini(&[3.0, 1.0, 2.0]).unwrap() - 2.0 / 9.0).abs() < 1e-15);
    }

    #[test]
    fn lorenz_runs_from_origin_to_one() {
        let l = lorenz(&[1.0, 2.0, 3.0, 4.0], 10).unwrap();
        assert_eq!(l.first(), Some(&(0.0, 0.0)));
        assert_eq!(l.last(), Some(&(1.0, 1.0)));
        assert_eq!(l[1], (0.25, 0.1));
    }

    #[test]
    fn wilson_matches_the_textbook_value() {
        // 5 of 50 at 95 %: (0.0435, 0.2136) (Newcombe 1998 method 3).
        let (lo, hi) = wilson(5, 50);
        assert!(
            (lo - 0.04347).abs() < 1e-4 && (hi - 0.21358).abs() < 1e-4,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }
}
