//! Gaming cost: for each ranking and each account outside its top N, the fewest actions
//! that would bring it in, split by who must act: actions the account controls alone
//! (following accounts, posting, engaging others) and actions that need others
//! (being followed, engaged with, amplified). "Follow certain people and behave in
//! certain ways to get on to that list next year" becomes a number per method.
//!
//! The target is the score of the last account in the top N: entering means scoring
//! strictly above it. Costs are exact, computed in closed form, for:
//! - `count` (the column's actor decides who acts), `in-degree`, `breadth-in`,
//!   `amplification` (others), `breadth-out` (self): target − score + 1 units;
//! - `follow-seeds` with `lexicographic` or `only:<column>`: following the missing seeds
//!   (self) to qualify, then the cheapest way to beat the target's count tuple, each count
//!   raised by the actor that controls it; with `product`: qualifying, then raising one
//!   column alone (the self column, or the others column) to beat the target product.
//!
//! Methods whose score depends on the whole graph (PageRank, HITS, eigenvector, Katz,
//! betweenness, constraint, k-core) or on every other account's values (rank-sum,
//! z-sum, composite) are not costed yet: the table says "not computed".

use std::collections::BTreeMap;

use crate::dataset::Accounts;
use crate::graph::Graph;
use crate::rankings::{MethodSpec, Ranking};

/// Who can change a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    SelfOnly,
    Others,
}

/// The cheapest way in for one account: units of self and of others' actions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub self_actions: f64,
    pub others_actions: f64,
}

/// Per-account costs for one ranking: the cheapest overall, and the cheapest using
/// self-controlled actions only (None = impossible alone).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountCost {
    pub account: u32,
    pub cheapest: Cost,
    pub self_only: Option<f64>,
}

/// A ranking's gaming summary.
#[derive(Debug, Clone, PartialEq)]
pub struct GamingSummary {
    pub ranking: String,
    /// Why not computed, if not.
    pub not_computed: Option<String>,
    pub candidates: usize,
    /// Share of the candidates that can enter by their own actions alone.
    pub share_self_only: Option<f64>,
    pub median_self_only: Option<f64>,
    /// Median others' actions needed on the cheapest path, over candidates that need any.
    pub median_others: Option<f64>,
    pub costs: Vec<AccountCost>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Units needed to go from `x` to strictly above `t` in integer steps.
fn beat(x: f64, t: f64) -> f64 {
    if x > t { 0.0 } else { (t - x).floor() + 1.0 }
}

/// Cheapest way to make the tuple `c` lexicographically greater than `t`, each
/// component raised by its actor. Returns (cheapest, self-only cost).
pub fn lexicographic_cost(c: &[f64], t: &[f64], actors: &[Actor]) -> (Cost, Option<f64>) {
    let mut best: Option<Cost> = None;
    let mut best_self: Option<f64> = None;
    let mut prefix = Cost {
        self_actions: 0.0,
        others_actions: 0.0,
    };
    let mut prefix_self_ok = true;
    let add = |mut k: Cost, a: Actor, units: f64| {
        match a {
            Actor::SelfOnly => k.self_actions += units,
            Actor::Others => k.others_actions += units,
        }
        k
    };
    for j in 0..c.len() {
        if c[j] > t[j] {
            // Already ahead here: the prefix is the whole cost.
            let k = prefix;
            consider(&mut best, &mut best_self, k, prefix_self_ok);
            return (best.expect("considered"), best_self);
        }
        // Option: overtake at component j.
        let k = add(prefix, actors[j], beat(c[j], t[j]));
        consider(
            &mut best,
            &mut best_self,
            k,
            prefix_self_ok && (actors[j] == Actor::SelfOnly),
        );
        // Or match here and decide at a later component.
        let units = t[j] - c[j];
        if units > 0.0 {
            prefix = add(prefix, actors[j], units);
            if actors[j] == Actor::Others {
                prefix_self_ok = false;
            }
        }
    }
    (best.expect("at least one component"), best_self)
}

fn consider(best: &mut Option<Cost>, best_self: &mut Option<f64>, k: Cost, self_ok: bool) {
    let total = k.self_actions + k.others_actions;
    // Cheapest overall; among equal totals prefer fewer actions by others.
    if best.is_none_or(|b| {
        let bt = b.self_actions + b.others_actions;
        total < bt || (total == bt && k.others_actions < b.others_actions)
    }) {
        *best = Some(k);
    }
    if self_ok && k.others_actions == 0.0 && best_self.is_none_or(|s| k.self_actions < s) {
        *best_self = Some(k.self_actions);
    }
}

/// What the gaming analysis needs.
pub struct GamingInput<'a> {
    pub accounts: &'a Accounts,
    pub follows: &'a Graph,
    pub seed_lists: &'a BTreeMap<String, Vec<u32>>,
    pub population: &'a [bool],
    /// Count columns the account controls alone (e.g. statuses, tweets in a window).
    pub self_columns: &'a [String],
}

fn actor_of(col: &str, input: &GamingInput) -> Actor {
    if input.self_columns.iter().any(|c| c == col) {
        Actor::SelfOnly
    } else {
        Actor::Others
    }
}

fn summary(ranking: &str, costs: Vec<AccountCost>, candidates: usize) -> GamingSummary {
    let reachable: Vec<f64> = costs.iter().filter_map(|c| c.self_only).collect();
    let others: Vec<f64> = costs
        .iter()
        .map(|c| c.cheapest.others_actions)
        .filter(|&x| x > 0.0)
        .collect();
    GamingSummary {
        ranking: ranking.to_string(),
        not_computed: None,
        candidates,
        share_self_only: (candidates > 0).then(|| reachable.len() as f64 / candidates as f64),
        median_self_only: median(reachable),
        median_others: median(others),
        costs,
    }
}

fn not_computed(ranking: &str, why: &str) -> GamingSummary {
    GamingSummary {
        ranking: ranking.to_string(),
        not_computed: Some(why.to_string()),
        candidates: 0,
        share_self_only: None,
        median_self_only: None,
        median_others: None,
        costs: Vec::new(),
    }
}

fn param_str<'a>(spec: &'a MethodSpec, key: &str) -> Option<&'a str> {
    spec.params.get(key).and_then(|v| v.as_str())
}

/// Gaming costs of one ranking.
pub fn analyse(spec: &MethodSpec, r: &Ranking, top_n: u32, input: &GamingInput) -> GamingSummary {
    let top = r.top(top_n);
    // The last account of the top N sets the score to beat.
    let Some(target) = top.len().checked_sub(1).map(|i| r.entries[i].score) else {
        return not_computed(
            &spec.name,
            "the top N is empty (a tie straddles position N)",
        );
    };
    let mut in_top = vec![false; input.accounts.len()];
    for &a in &top {
        in_top[a as usize] = true;
    }
    let outside: Vec<u32> = (0..input.accounts.len() as u32)
        .filter(|&a| input.population[a as usize] && !in_top[a as usize])
        .collect();
    let score_of: BTreeMap<u32, f64> = r.entries.iter().map(|e| (e.account, e.score)).collect();
    let count_like = |actor: Actor| {
        let costs: Vec<AccountCost> = outside
            .iter()
            .filter_map(|&a| score_of.get(&a).map(|&s| (a, s)))
            .map(|(a, s)| {
                let units = beat(s, target);
                let cheapest = match actor {
                    Actor::SelfOnly => Cost {
                        self_actions: units,
                        others_actions: 0.0,
                    },
                    Actor::Others => Cost {
                        self_actions: 0.0,
                        others_actions: units,
                    },
                };
                AccountCost {
                    account: a,
                    cheapest,
                    self_only: (actor == Actor::SelfOnly).then_some(units),
                }
            })
            .collect();
        let n = costs.len();
        summary(&spec.name, costs, n)
    };
    match spec.method.as_str() {
        "in-degree" | "breadth-in" | "amplification" => count_like(Actor::Others),
        "breadth-out" => count_like(Actor::SelfOnly),
        "count" => {
            if spec.params.get("ascending").and_then(|v| v.as_bool()) == Some(true) {
                return not_computed(&spec.name, "ascending counts");
            }
            let col = param_str(spec, "column").unwrap_or("");
            count_like(actor_of(col, input))
        }
        "follow-seeds" => follow_seeds(spec, &top, &outside, input),
        other => not_computed(&spec.name, &format!("no exact cost model for {other} yet")),
    }
}

fn follow_seeds(
    spec: &MethodSpec,
    top: &[u32],
    outside: &[u32],
    input: &GamingInput,
) -> GamingSummary {
    let combine = param_str(spec, "combine").unwrap_or("lexicographic");
    let by: Vec<String> = spec
        .params
        .get("by")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let cols: Vec<String> = match combine.strip_prefix("only:") {
        Some(c) => vec![c.to_string()],
        None => by,
    };
    if !(combine == "lexicographic" || combine == "product" || combine.starts_with("only:")) {
        return not_computed(
            &spec.name,
            &format!("combine = {combine}: every account's score moves with the others'"),
        );
    }
    let (Some(seeds), Some(k)) = (
        param_str(spec, "seeds").and_then(|s| input.seed_lists.get(s)),
        spec.params.get("min_follows").and_then(|v| v.as_integer()),
    ) else {
        return not_computed(&spec.name, "no seed list or threshold");
    };
    let Ok(values) = cols
        .iter()
        .map(|c| input.accounts.numeric_column(c))
        .collect::<anyhow::Result<Vec<_>>>()
    else {
        return not_computed(&spec.name, "a count column is not numeric");
    };
    let actors: Vec<Actor> = cols.iter().map(|c| actor_of(c, input)).collect();
    let last = *top.last().expect("non-empty top");
    let Some(t): Option<Vec<f64>> = values.iter().map(|v| v[last as usize]).collect() else {
        return not_computed(
            &spec.name,
            "the last account of the top N has a missing count",
        );
    };
    let mut followed = vec![0i64; input.accounts.len()];
    for &s in seeds {
        for &f in input.follows.inn.neighbors(s) {
            followed[f as usize] += 1;
        }
    }
    let mut costs = Vec::new();
    let mut candidates = 0;
    for &a in outside {
        let Some(c): Option<Vec<f64>> = values.iter().map(|v| v[a as usize]).collect() else {
            continue; // a missing count: the rule cannot rank it, whatever it does
        };
        // Following more seeds is the account's own act (seeds it does not follow yet; a
        // seed cannot count itself). If too few are left, nothing it does gets it in.
        let available = seeds.len() as i64 - i64::from(seeds.contains(&a)) - followed[a as usize];
        let missing = (k - followed[a as usize]).max(0);
        if missing > available {
            continue;
        }
        candidates += 1;
        let qualify = missing as f64;
        let (cheapest, self_only) = if combine == "product" {
            product_cost(&c, &t, &actors)
        } else {
            lexicographic_cost(&c, &t, &actors)
        };
        costs.push(AccountCost {
            account: a,
            cheapest: Cost {
                self_actions: cheapest.self_actions + qualify,
                others_actions: cheapest.others_actions,
            },
            self_only: self_only.map(|s| s + qualify),
        });
    }
    summary(&spec.name, costs, candidates)
}

/// Beat the target product by raising one column alone; the cheapest such column, and
/// the cheapest self-controlled one.
fn product_cost(c: &[f64], t: &[f64], actors: &[Actor]) -> (Cost, Option<f64>) {
    let target: f64 = t.iter().product();
    let mut best: Option<Cost> = None;
    let mut best_self: Option<f64> = None;
    for j in 0..c.len() {
        let rest: f64 = c
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != j)
            .map(|(_, x)| x)
            .product();
        if rest <= 0.0 {
            continue;
        }
        let units = beat(c[j], target / rest);
        let k = match actors[j] {
            Actor::SelfOnly => Cost {
                self_actions: units,
                others_actions: 0.0,
            },
            Actor::Others => Cost {
                self_actions: 0.0,
                others_actions: units,
            },
        };
        consider(&mut best, &mut best_self, k, actors[j] == Actor::SelfOnly);
    }
    (
        best.unwrap_or(Cost {
            self_actions: f64::INFINITY,
            others_actions: f64::INFINITY,
        }),
        best_self,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::{Others, SelfOnly};

    #[test]
    fn lexicographic_takes_the_cheapest_overtaking_point() {
        // (followers, tweets) = (100, 5) vs target (100, 9): one more follower (cheapest,
        // needs others) or 5 more tweets (the cheapest the account can do alone).
        let (k, s) = lexicographic_cost(&[100.0, 5.0], &[100.0, 9.0], &[Others, SelfOnly]);
        assert_eq!((k.self_actions, k.others_actions, s), (0.0, 1.0, Some(5.0)));
        // (98, 50) vs (100, 9): 3 followers (overtake) beats 2 followers + 0 tweets? 2
        // followers to tie then already ahead on tweets: cost 2, all others.
        let (k, s) = lexicographic_cost(&[98.0, 50.0], &[100.0, 9.0], &[Others, SelfOnly]);
        assert_eq!((k.self_actions, k.others_actions, s), (0.0, 2.0, None));
        // Already ahead: free.
        let (k, s) = lexicographic_cost(&[101.0, 0.0], &[100.0, 9.0], &[Others, SelfOnly]);
        assert_eq!((k.self_actions + k.others_actions, s), (0.0, Some(0.0)));
    }

    #[test]
    fn products_can_be_beaten_by_posting() {
        // 10 followers x 5 tweets vs target 20 x 10 = 200: 16 more tweets (10 * 21 > 200)
        // or 31 more followers (41 * 5 > 200).
        let (k, s) = product_cost(&[10.0, 5.0], &[20.0, 10.0], &[Others, SelfOnly]);
        assert_eq!((k.self_actions, k.others_actions), (16.0, 0.0));
        assert_eq!(s, Some(16.0));
    }

    #[test]
    fn beat_is_strict() {
        assert_eq!(beat(5.0, 5.0), 1.0);
        assert_eq!(beat(4.0, 5.0), 2.0);
        assert_eq!(beat(6.0, 5.0), 0.0);
    }
}
