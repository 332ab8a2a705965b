//! Gaming cost: for each ranking and each account outside its top N, the fewest actions
//! that would bring it in, split by who must act: actions the account controls alone
//! (following accounts, posting, engaging others) and actions that need others
//! (being followed, engaged with, amplified). "Follow certain people and behave in
//! certain ways to get on to that list next year" becomes a number per method.
//!
//! Each method declares its cost model in its own file
//! ([`crate::rankings::cost_model`]); this file applies the models and never names a
//! method. The target is the score of the last account in the top N: entering means
//! scoring strictly above it. Costs are exact, computed in closed form, for:
//! - `count` (the column's actor decides who acts), `in-degree`, `breadth-in`,
//!   `amplification` (others), `breadth-out` (self): target − score + 1 units;
//! - `follow-seeds` with `lexicographic` or `only:<column>`: following the missing seeds
//!   (self) to qualify, then the cheapest way to beat the target's count tuple, each count
//!   raised by the actor that controls it; with `product`: qualifying, then raising one
//!   column alone (the self column, or the others column) to beat the target product.
//!
//! - `tag-participation`: target − score + 1 new tags (days) to post in (self).
//!
//! Methods whose score depends on the whole graph (PageRank, HITS, eigenvector, Katz,
//! k-core), on every other account's values (rank-sum, z-sum, ratio, composite,
//! ascending counts) or on ratios of conversation counts (reciprocity, give-take,
//! bridging, E-I index) are costed by search ([`super::search`]): upper bounds, on a
//! sample of candidates. Betweenness, constraint and effective size are not costed:
//! each evaluation recomputes every shortest path or ego network, and a search needs
//! hundreds of them per ranking.

use anyhow::Result;
use rayon::prelude::*;

pub use super::cost::{AccountCost, Actor, Cost, CostColumns, Costs};
use super::search::{self, Search, Target};
use crate::rankings::cost_model::{Edges, Helpers, Mover};
use crate::rankings::follow_seeds::{Combine, FollowSeeds};
use crate::rankings::{self, CostModel, Input, MethodSpec, Ranking};

/// How a ranking's costs were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Closed form, every candidate.
    Exact,
    /// Search (upper bounds) on an evenly spaced sample of the accounts outside the top N.
    Search,
}

impl How {
    pub fn label(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::Search => "search",
        }
    }
}

/// A ranking's gaming summary.
#[derive(Debug, Clone, PartialEq)]
pub struct GamingSummary {
    pub ranking: String,
    /// Why not computed, if not.
    pub not_computed: Option<String>,
    pub how: How,
    /// Accounts of the population outside the top N.
    pub outside: usize,
    /// Candidates costed (those that can be ranked at all; for a search, of the sample).
    pub candidates: usize,
    /// Method runs a search made (0 for closed forms).
    pub method_runs: usize,
    /// Share of the candidates that can enter by their own actions alone.
    pub share_self_only: Option<f64>,
    pub median_self_only: Option<f64>,
    /// Median others' actions needed on the cheapest path, over candidates that need any.
    pub median_others: Option<f64>,
    /// The structural reason a ranking is cheap to enter, when one account's single
    /// follow is the usual way in (see [`single_follow_reason`]).
    pub reason: Option<String>,
    pub costs: Costs,
}

/// The median (the mean of the middle two for an even count), by selection: no sort
/// and no buffer beyond `v` (a ranking of millions has millions of costs).
fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    let (below, &mut mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    Some(if n % 2 == 1 {
        mid
    } else {
        let low = *below.iter().max_by(|a, b| a.total_cmp(b)).expect("n >= 2");
        (low + mid) / 2.0
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
    /// The data the rankings were computed from.
    pub data: &'a Input<'a>,
    /// The order of tied accounts, for re-ranked searches.
    pub tie: &'a rankings::TieOrder,
    /// Count columns the account controls alone (e.g. statuses, tweets in a window).
    pub self_columns: &'a [String],
    /// How many candidates a search costs (0 = no searches).
    pub sample: usize,
}

fn actor_of(col: &str, input: &GamingInput) -> Actor {
    if input.self_columns.iter().any(|c| c == col) {
        Actor::SelfOnly
    } else {
        Actor::Others
    }
}

fn summary(ranking: &str, how: How, outside: usize, costs: Costs) -> GamingSummary {
    let candidates = costs.len();
    // One list of costs at a time.
    let reachable: Vec<f64> = costs.iter().filter_map(|c| c.self_only()).collect();
    let share_self_only = (candidates > 0).then(|| reachable.len() as f64 / candidates as f64);
    let median_self_only = median(reachable);
    let others: Vec<f64> = costs
        .iter()
        .filter_map(|c| c.cheapest().map(|k| k.others_actions))
        .filter(|&x| x > 0.0)
        .collect();
    GamingSummary {
        ranking: ranking.to_string(),
        not_computed: None,
        how,
        outside,
        candidates,
        method_runs: 0,
        share_self_only,
        median_self_only,
        median_others: median(others),
        reason: None,
        costs,
    }
}

fn not_computed(ranking: &str, why: &str) -> GamingSummary {
    GamingSummary {
        ranking: ranking.to_string(),
        not_computed: Some(why.to_string()),
        how: How::Exact,
        outside: 0,
        candidates: 0,
        method_runs: 0,
        share_self_only: None,
        median_self_only: None,
        median_others: None,
        reason: None,
        costs: Costs::Each(Default::default()),
    }
}

/// Gaming costs of one ranking.
pub fn analyse(
    spec: &MethodSpec,
    r: &Ranking,
    top_n: u32,
    input: &GamingInput,
) -> Result<GamingSummary> {
    let data = input.data;
    let top = r.top(top_n);
    // The last account of the top N sets the score to beat.
    let Some(target) = top.len().checked_sub(1).map(|i| r.entry(i).score) else {
        return Ok(not_computed(
            &spec.name,
            "the top N is empty (a tie straddles position N)",
        ));
    };
    let mut in_top = vec![false; data.accounts.len()];
    for &a in &top {
        in_top[a as usize] = true;
    }
    // Outside the top N, in rank order (ranked accounts first, then the unranked).
    // Each account's position in the ranking (u32::MAX for the unranked), whence its
    // rank and score: 4 bytes an account.
    let mut pos_of = vec![u32::MAX; data.accounts.len()];
    for (i, &a) in r.accounts().iter().enumerate() {
        pos_of[a as usize] = i as u32;
    }
    let rank_of = |a: u32| match pos_of[a as usize] {
        u32::MAX => u32::MAX,
        i => r.rank(i as usize),
    };
    let mut outside: Vec<u32> = (0..data.accounts.len() as u32)
        .filter(|&a| data.population[a as usize] && !in_top[a as usize])
        .collect();
    drop(in_top);
    // The keys are distinct (an account once), so an unstable sort is deterministic.
    outside.par_sort_unstable_by_key(|&a| (rank_of(a), a));
    let score_of = |a: u32| match pos_of[a as usize] {
        u32::MAX => None,
        i => Some(r.score(i as usize)),
    };
    let count_like = |actor: Actor| {
        // Units of one actor: the compact form (see [`Costs::Units`]).
        let mut accounts = Vec::new();
        let mut units = crate::dataset::Numbers::default();
        for &a in outside.iter() {
            if let Some(s) = score_of(a) {
                accounts.push(a);
                units.push(Some(beat(s, target)));
            }
        }
        let costs = Costs::Units {
            actor,
            accounts,
            units,
        };
        Ok(summary(&spec.name, How::Exact, outside.len(), costs))
    };
    let searched = |target: Target, columns: Vec<(String, Actor, f64)>, keys: Keys| {
        search_costs(spec, r, top_n, input, &outside, target, columns, keys, None)
    };
    let none = Keys {
        helpers: Helpers::Score,
        kinds: &[],
    };
    match rankings::build(&spec.method, &spec.params)?.cost_model() {
        CostModel::Count(Mover::Itself) => count_like(Actor::SelfOnly),
        CostModel::Count(Mover::Others) => count_like(Actor::Others),
        CostModel::Count(Mover::Column(col)) => count_like(actor_of(&col, input)),
        // Lower is better: lowering the count, down to zero, by its actor.
        CostModel::ColumnDown(col) => {
            let actor = actor_of(&col, input);
            searched(Target::Columns, vec![(col, actor, -1.0)], none)
        }
        CostModel::Rule(rule) => follow_seeds(spec, &rule, r, top_n, &top, &outside, input),
        CostModel::Search {
            edges,
            helpers,
            kinds,
        } => {
            let target = match edges {
                Edges::Follows => Target::Follows,
                Edges::Events => Target::Events,
            };
            let keys = Keys {
                helpers,
                kinds: &kinds,
            };
            searched(target, Vec::new(), keys)
        }
        CostModel::Columns(cols) => {
            let columns = cols
                .into_iter()
                .map(|(c, d)| {
                    let actor = actor_of(&c, input);
                    (c, actor, d)
                })
                .collect();
            searched(Target::Columns, columns, none)
        }
        CostModel::NotCosted(why) => Ok(not_computed(&spec.name, &why)),
    }
}

/// Which accounts a graph search tries first, and the kinds of new events.
#[derive(Clone, Copy)]
struct Keys<'a> {
    helpers: Helpers,
    kinds: &'a [String],
}

/// Cost a ranking by search on an evenly spaced sample of the accounts outside its top
/// N. `qualify` gives the follows a candidate must make first (rules), None if it
/// cannot qualify.
#[allow(clippy::too_many_arguments)]
fn search_costs(
    spec: &MethodSpec,
    nominal: &Ranking,
    top_n: u32,
    input: &GamingInput,
    outside: &[u32],
    target: Target,
    columns: Vec<(String, Actor, f64)>,
    keys: Keys,
    qualify: Option<search::Qualify<'_>>,
) -> Result<GamingSummary> {
    if input.sample == 0 {
        return Ok(not_computed(
            &spec.name,
            "searches are off ([critique] gaming_sample = 0)",
        ));
    }
    let data = input.data;
    let method = rankings::build(&spec.method, &spec.params)?;
    let n = data.accounts.len();
    // How useful each account is as a new follower / partner, and to follow / engage.
    let (helper_key, follow_key) = match target {
        Target::Follows => {
            let base = method.score(data)?.score;
            let g = data.follows;
            let outdeg = |b: usize| g.out.degree(b as u32) as f64;
            let indeg = |b: usize| g.inn.degree(b as u32) as f64;
            match keys.helpers {
                // A follower passes on its score split over its follows.
                Helpers::PassOn => ((0..n).map(|b| base[b] / (outdeg(b) + 1.0)).collect(), base),
                // Authorities gain from hubs (many follows); hubs from following
                // authorities (many followers).
                Helpers::Authority => ((0..n).map(outdeg).collect(), base),
                Helpers::Hub => (base, (0..n).map(indeg).collect()),
                Helpers::Score => (base.clone(), base),
            }
        }
        Target::Events => {
            let ig = data.interactions;
            let deg = |out: bool| -> Vec<f64> {
                (0..n as u32)
                    .map(|b| {
                        ig.map_or(0.0, |g| {
                            if out {
                                g.out.strength(b)
                            } else {
                                g.inn.strength(b)
                            }
                        })
                    })
                    .collect()
            };
            let (out, inn) = (deg(true), deg(false));
            match keys.helpers {
                // As on the follow graph: a partner passes on its score split over its
                // (weighted) engagements.
                Helpers::PassOn => {
                    let base = method.score(data)?.score;
                    ((0..n).map(|b| base[b] / (out[b] + 1.0)).collect(), base)
                }
                // Conversation measures: active partners first.
                _ => (out, inn),
            }
        }
        Target::Columns => (Vec::new(), Vec::new()),
    };
    let (event_kind, event_time) = match data.events {
        Some(ev) => (
            search::event_kind(keys.kinds, ev),
            ev.time.iter().flatten().copied().max(),
        ),
        None => (0, None),
    };
    // The account a search asks first for a follow (for most candidates).
    let first_helper = (0..helper_key.len()).max_by(|&x, &y| {
        helper_key[x]
            .total_cmp(&helper_key[y])
            .then_with(|| y.cmp(&x))
    });
    let s = Search {
        method,
        input: data,
        tie: input.tie,
        nominal,
        top_n,
        target,
        columns,
        prefix: qualify.unwrap_or_else(|| Box::new(|_| Some(Vec::new()))),
        helper_key,
        follow_key,
        event_kind,
        event_time,
        probes: Default::default(),
    };
    let sample = search::evenly_spaced(outside, input.sample);
    let costs: Vec<AccountCost> = s.run(&sample)?.into_iter().flatten().collect();
    let mut out = summary(
        &spec.name,
        How::Search,
        outside.len(),
        Costs::Each(costs.into_iter().collect()),
    );
    out.method_runs = s.probes.into_inner();
    if keys.helpers == Helpers::PassOn
        && out.median_others == Some(1.0)
        && let Some(b) = first_helper
    {
        out.reason = match target {
            Target::Follows => Some(single_follow_reason(data, b as u32)),
            Target::Events => Some(single_event_reason(data, b as u32)),
            Target::Columns => None,
        };
    }
    Ok(out)
}

/// Why one follow from account `b` lifts an outsider into a score-passing ranking
/// (PageRank-like: a follower passes its score on, split over its follows): `b` has a
/// high score and follows few accounts (none in the data when its own follows were not
/// collected), so an account it starts to follow gets 1/(k + 1) of what it passes on
/// (all of it when k = 0). Stated when the median cost for outsiders is that single
/// follow, for the account a search asks first.
pub fn single_follow_reason(data: &Input, b: u32) -> String {
    let out = data.follows.out.degree(b);
    let (follows, share) = match out {
        0 => (
            "follows no one in the data".to_string(),
            "all of the score it passes on would go to the account it follows".to_string(),
        ),
        k => (
            format!(
                "follows only {k} account{} in the data",
                if k == 1 { "" } else { "s" }
            ),
            format!(
                "an account it starts to follow would get 1/{} of the score it passes on",
                k + 1
            ),
        ),
    };
    let why = if data.population.get(b as usize).copied().unwrap_or(false) {
        String::new()
    } else {
        " (it is outside the population, whose follows alone were collected)".to_string()
    };
    format!(
        "one follow from {} is enough: it {follows}{why}, so {share}",
        data.accounts.label(b)
    )
}

/// [`single_follow_reason`] on the interaction graph: one event (retweet, mention, ...)
/// from `b` is enough when `b` scores high and its own events weigh little (s in total),
/// so an account it starts to engage gets 1/(s + 1) of what it passes on.
pub fn single_event_reason(data: &Input, b: u32) -> String {
    let s = data.interactions.map_or(0.0, |g| g.out.strength(b));
    let share = if s == 0.0 {
        "all of the score it passes on would go to the account it engages".to_string()
    } else {
        format!(
            "an account it starts to engage would get 1/{} of the score it passes on",
            s + 1.0
        )
    };
    let events = if s == 0.0 {
        "has no events of its own in the data".to_string()
    } else {
        format!("its own events in the data weigh only {s}")
    };
    format!(
        "one event from {} is enough: it {events}, so {share}",
        data.accounts.label(b)
    )
}

fn follow_seeds(
    spec: &MethodSpec,
    rule: &FollowSeeds,
    nominal: &Ranking,
    top_n: u32,
    top: &[u32],
    outside: &[u32],
    input: &GamingInput,
) -> Result<GamingSummary> {
    let data = input.data;
    let Some(seeds) = data.seed_lists.get(&rule.seeds) else {
        return Ok(not_computed(&spec.name, "no seed list or threshold"));
    };
    let k = rule.min_follows as i64;
    let mut followed = vec![0u32; data.accounts.len()];
    for &s in seeds {
        for &f in data.follows.inn.neighbors(s) {
            followed[f as usize] += 1;
        }
    }
    // Following more seeds is the account's own act (seeds it does not follow yet; a
    // seed cannot count itself). If too few are left, nothing it does gets it in.
    let missing_follows = |a: u32| -> Option<Vec<(u32, u32)>> {
        let missing = (k - followed[a as usize] as i64).max(0) as usize;
        let open: Vec<(u32, u32)> = seeds
            .iter()
            .filter(|&&s| s != a && data.follows.out.neighbors(a).binary_search(&s).is_err())
            .map(|&s| (a, s))
            .take(missing)
            .collect();
        (open.len() == missing).then_some(open)
    };
    let cols: Vec<String> = match &rule.combine {
        Combine::Only(c) => vec![c.clone()],
        _ => rule.by.clone(),
    };
    let ratio = rule.combine == Combine::Ratio;
    if matches!(
        rule.combine,
        Combine::RankSum | Combine::ZSum | Combine::Ratio
    ) {
        // Every account's score moves with the others' (ranks, z-scores) or is a ratio:
        // search, raising each column alone (lowering the denominator of a ratio).
        let columns = cols
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let sign = if ratio && j == 1 { -1.0 } else { 1.0 };
                (c.clone(), actor_of(c, input), sign)
            })
            .collect();
        return search_costs(
            spec,
            nominal,
            top_n,
            input,
            outside,
            Target::Columns,
            columns,
            Keys {
                helpers: Helpers::Score,
                kinds: &[],
            },
            Some(Box::new(missing_follows)),
        );
    }
    let Ok(values) = cols
        .iter()
        .map(|c| data.accounts.numeric_column(c))
        .collect::<anyhow::Result<Vec<_>>>()
    else {
        return Ok(not_computed(&spec.name, "a count column is not numeric"));
    };
    let actors: Vec<Actor> = cols.iter().map(|c| actor_of(c, input)).collect();
    let last = *top.last().expect("non-empty top");
    let Some(t): Option<Vec<f64>> = values.iter().map(|v| v.get(last as usize)).collect() else {
        return Ok(not_computed(
            &spec.name,
            "the last account of the top N has a missing count",
        ));
    };
    let mut costs = CostColumns::default();
    for &a in outside {
        let Some(c): Option<Vec<f64>> = values.iter().map(|v| v.get(a as usize)).collect() else {
            continue; // a missing count: the rule cannot rank it, whatever it does
        };
        let Some(qualify) = missing_follows(a) else {
            continue;
        };
        let qualify = qualify.len() as f64;
        let (cheapest, self_only) = if rule.combine == Combine::Product {
            product_cost(&c, &t, &actors)
        } else {
            let (k, s) = lexicographic_cost(&c, &t, &actors);
            (Some(k), s)
        };
        costs.push(AccountCost::new(
            a,
            cheapest.map(|k| Cost {
                self_actions: k.self_actions + qualify,
                others_actions: k.others_actions,
            }),
            self_only.map(|s| s + qualify),
        ));
    }
    // Held until the tables are written: no spare capacity.
    costs.shrink_to_fit();
    drop(followed);
    Ok(summary(
        &spec.name,
        How::Exact,
        outside.len(),
        Costs::Each(costs),
    ))
}

/// Beat the target product by raising one column alone; the cheapest such column, and
/// the cheapest self-controlled one.
fn product_cost(c: &[f64], t: &[f64], actors: &[Actor]) -> (Option<Cost>, Option<f64>) {
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
        let k = Cost::of(actors[j], beat(c[j], target / rest));
        consider(&mut best, &mut best_self, k, actors[j] == Actor::SelfOnly);
    }
    (best, best_self)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The selection median equals the sorted one, for odd and even counts with ties.
    #[test]
    fn median_by_selection_is_the_sorted_median() {
        assert_eq!(median(vec![]), None);
        let mut x = 11u64;
        for n in 1..40 {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((x >> 40) % 7) as f64 * 0.5
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            };
            assert_eq!(median(v), Some(want), "n {n}");
        }
    }
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
        let k = k.unwrap();
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
