//! Gaming cost by search, for methods whose score depends on the whole graph, on every
//! other account's values, or on ratios of conversation counts (PageRank, HITS,
//! eigenvector, Katz, k-core, rank-sum and z-sum rules, composites, reciprocity, ...).
//! No closed form gives the fewest actions there, so each candidate's cost is found by
//! re-running the method itself on edited data.
//!
//! For a candidate `a` the search tries each *lever* on its own:
//! - **gain followers** (others): accounts `b` start following `a`, best helpers first;
//! - **follow** (self): `a` follows accounts `b`, those that already follow `a` first;
//! - **receive engagements** (others) / **engage** (self): one new event `b -> a` /
//!   `a -> b` per partner, for methods that read interaction events or graphs;
//! - **raise a column** (its actor): `a`'s count in one column goes up by k units.
//!
//! Each lever is a fixed order of unit actions, and its cost is the smallest k for
//! which `a` enters the strict top N after the first k actions, with every account's
//! score recomputed (the target moves too). k is found by checking the whole lever
//! first (if even that fails, the lever cannot do it), then by false position on the
//! candidate's margin over the N-th best other account (interpolating on the summed
//! helpfulness keys of the units, so a lever whose first units help most is probed
//! where the keys predict), with a bisection step whenever
//! an interpolation step does not halve the interval. This assumes entering is
//! monotone in k; the k returned is always verified. A candidate's cheapest cost is the cheapest lever (plus what a rule needs
//! to qualify: following the missing seeds). Mixing levers or other orders can be
//! cheaper, so every search cost is an **upper bound**, and "no self-only way found"
//! means none along these levers.
//!
//! Levers use partners from the population only: their follow lists and conversations
//! are the ones the data observes completely.
//!
//! Cost: a handful (at most about 2·log₂ of the lever's length) of method runs per
//! candidate and lever, so only a sample of
//! candidates is searched (`[critique] gaming_sample`, evenly spaced by rank from just
//! outside the top N to the bottom).

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;

use super::cost::{AccountCost, Actor, Cost};
use crate::dataset::{Accounts, Interactions};
use crate::dataset::{InteractionFilter, interaction_graph};
use crate::graph::{Csr, Graph};
use crate::rankings::{self, Input, Method, Ranking, TieOrder};

/// One unit action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A new follow edge `from -> to`.
    Follow(u32, u32),
    /// A new interaction event `from -> to`.
    Event(u32, u32),
}

/// Makes the unit `from -> to` (a follow or an event).
type MakeUnit = fn(u32, u32) -> Unit;

/// A way to move up: a fixed order of unit actions, or raising one column.
#[derive(Debug, Clone)]
enum Lever {
    /// `cum[k]`: the summed helpfulness keys of the first k units (strictly increasing),
    /// the scale on which the search interpolates.
    Units {
        actor: Actor,
        units: Vec<Unit>,
        cum: Vec<f64>,
    },
    Raise {
        actor: Actor,
        column: String,
        sign: f64,
        max: u64,
    },
}

impl Lever {
    fn actor(&self) -> Actor {
        match self {
            Lever::Units { actor, .. } | Lever::Raise { actor, .. } => *actor,
        }
    }

    fn max(&self) -> u64 {
        match self {
            Lever::Units { units, .. } => units.len() as u64,
            Lever::Raise { max, .. } => *max,
        }
    }

    /// Where the search puts its next probe between `lo` and `hi`: the count whose
    /// position on the lever's scale (summed keys, or plain counts) is the fraction `f`
    /// of the way, kept strictly inside the interval.
    fn interpolate(&self, lo: u64, hi: u64, f: f64) -> u64 {
        let k = match self {
            Lever::Units { cum, .. } => {
                let (a, b) = (cum[lo as usize], cum[hi as usize]);
                let c = a + f * (b - a);
                cum.partition_point(|&x| x < c) as u64
            }
            Lever::Raise { .. } => lo + (f * (hi - lo) as f64).round() as u64,
        };
        k.clamp(lo + 1, hi - 1)
    }

    /// One unit per partner, in the partners' order, each weighted by its partner's
    /// helpfulness key.
    fn units(actor: Actor, partners: &[u32], key: &[f64], unit: impl Fn(u32) -> Unit) -> Lever {
        let keys: Vec<f64> = partners.iter().map(|&b| key[b as usize].max(0.0)).collect();
        // A small floor keeps the scale strictly increasing (zero-key units still move).
        let floor = 1e-9 * keys.iter().sum::<f64>().max(1e-300) / keys.len().max(1) as f64;
        let mut cum = Vec::with_capacity(keys.len() + 1);
        cum.push(0.0);
        for k in &keys {
            cum.push(cum.last().expect("non-empty") + k + floor);
        }
        Lever::Units {
            actor,
            units: partners.iter().map(|&b| unit(b)).collect(),
            cum,
        }
    }
}

/// The follows a candidate must make before any lever (a rule's missing seeds), or
/// None when it cannot qualify.
pub type Qualify<'a> = Box<dyn Fn(u32) -> Option<Vec<(u32, u32)>> + Sync + 'a>;

/// What a candidate's levers act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The follow graph (edges in, edges out).
    Follows,
    /// The interaction events (events in, events out), of this kind.
    Events,
    /// Only these columns can move (rules and composites over account counts).
    Columns,
}

/// Everything fixed for one ranking's search.
pub(crate) struct Search<'a> {
    pub method: Box<dyn Method>,
    pub input: &'a Input<'a>,
    /// The order of tied accounts (by id text), made once per run.
    pub tie: &'a TieOrder,
    /// The ranking on the unedited data.
    pub nominal: &'a Ranking,
    pub top_n: u32,
    pub target: Target,
    /// Columns that can be raised, with their actor and the direction that helps.
    pub columns: Vec<(String, Actor, f64)>,
    /// Self actions every candidate needs first (e.g. following missing seeds), per
    /// candidate; `None` = the candidate cannot qualify.
    pub prefix: Qualify<'a>,
    /// How helpful each account is as a new follower / partner (higher first).
    pub helper_key: Vec<f64>,
    /// How useful each account is to follow / engage (higher first).
    pub follow_key: Vec<f64>,
    /// Kind and time given to new events.
    pub event_kind: u16,
    pub event_time: Option<i64>,
    /// Method runs so far (reported, so a reader sees what a search cost).
    pub probes: std::sync::atomic::AtomicUsize,
}

/// The follow graph with extra edges (already-present edges are not duplicated; new
/// edges of a weighted graph weigh 1). Copies each node's neighbours once: O(n + m).
fn graph_plus(g: &Graph, extra: &[(u32, u32)]) -> Graph {
    let n = g.node_count();
    let side = |csr: &Csr, mut add: Vec<(u32, u32)>| {
        add.sort_unstable();
        add.dedup();
        let weighted = csr.is_weighted();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(csr.edge_count() + add.len());
        let mut weights = Vec::with_capacity(if weighted { targets.capacity() } else { 0 });
        offsets.push(0);
        let mut j = 0;
        for v in 0..n as u32 {
            let nb = csr.neighbors(v);
            let start = j;
            while j < add.len() && add[j].0 == v {
                j += 1;
            }
            let new: Vec<u32> = add[start..j]
                .iter()
                .map(|e| e.1)
                .filter(|t| nb.binary_search(t).is_err())
                .collect();
            if new.is_empty() {
                targets.extend_from_slice(nb);
                if let Some(w) = csr.neighbor_weights(v) {
                    weights.extend_from_slice(w);
                }
            } else {
                let ws = csr.neighbor_weights(v);
                let mut merged: Vec<(u32, f64)> = nb
                    .iter()
                    .enumerate()
                    .map(|(i, &t)| (t, ws.map_or(1.0, |w| w[i])))
                    .chain(new.into_iter().map(|t| (t, 1.0)))
                    .collect();
                merged.sort_unstable_by_key(|e| e.0);
                targets.extend(merged.iter().map(|e| e.0));
                if weighted {
                    weights.extend(merged.iter().map(|e| e.1));
                }
            }
            offsets.push(targets.len());
        }
        Csr::from_parts(offsets, targets, weighted.then_some(weights))
    };
    Graph {
        out: side(&g.out, extra.to_vec()),
        inn: side(&g.inn, extra.iter().map(|&(a, b)| (b, a)).collect()),
    }
}

/// Whether `a` is in the strict top N of `r`, and its score minus the N-th best other
/// account's (negative: short of it).
pub(crate) fn outcome(r: &Ranking, a: u32, top_n: u32) -> (bool, f64) {
    let entered = r.top(top_n).contains(&a);
    let own = r.entries().find(|e| e.account == a).map(|e| e.score);
    let nth_other = r
        .entries()
        .filter(|e| e.account != a)
        .nth(top_n as usize - 1)
        .map(|e| e.score);
    let margin = match (own, nth_other) {
        (Some(s), Some(t)) => s - t,
        (Some(_), None) => f64::INFINITY,
        (None, _) => f64::NEG_INFINITY,
    };
    (entered, margin)
}

impl Search<'_> {
    /// After `prefix` and the first `k` units of `lever`: does `a` enter the strict top N,
    /// and by how much does its score exceed the N-th best other account's (negative:
    /// short of it)? The margin only steers the search; entering is decided by the
    /// ranking itself (ties and tie-break keys included).
    fn probe(
        &self,
        a: u32,
        prefix: &[(u32, u32)],
        lever: &Lever,
        k: u64,
        scratch: &mut Option<Accounts>,
    ) -> Result<(bool, f64)> {
        self.probes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut follows: Vec<(u32, u32)> = prefix.to_vec();
        let mut events: Vec<(u32, u32)> = Vec::new();
        let mut raised = false;
        match lever {
            Lever::Units { units, .. } => {
                for u in &units[..k as usize] {
                    match *u {
                        Unit::Follow(x, y) => follows.push((x, y)),
                        Unit::Event(x, y) => events.push((x, y)),
                    }
                }
            }
            Lever::Raise { column, sign, .. } => {
                // One copy of the accounts per candidate; only `a`'s value changes.
                let acc = scratch.get_or_insert_with(|| self.input.accounts.clone());
                let base = self
                    .input
                    .accounts
                    .numeric
                    .get(column)
                    .map(|c| c.get(a as usize));
                if let (Some(c), Some(Some(x))) = (acc.numeric.get_mut(column), base) {
                    c.set(a as usize, Some(x + sign * k as f64));
                }
                raised = true;
            }
        }
        let g;
        let follows_graph = if follows.is_empty() {
            self.input.follows
        } else {
            g = graph_plus(self.input.follows, &follows);
            &g
        };
        let (ev, ig);
        let (events_ref, inter_ref) = if events.is_empty() {
            (self.input.events, self.input.interactions)
        } else {
            let base = self.input.events.expect("event levers need events");
            ev = with_events(base, &events, self.event_kind, self.event_time);
            ig = interaction_graph(
                &ev,
                self.input.accounts.len(),
                &InteractionFilter::default(),
            );
            (Some(&ev), Some(&ig))
        };
        let input = Input {
            accounts: match scratch {
                Some(acc) if raised => acc,
                _ => self.input.accounts,
            },
            follows: follows_graph,
            interactions: inter_ref,
            events: events_ref,
            ..*self.input
        };
        // A method that refuses the edited data (Katz past its convergence limit, a
        // spectral method whose leading block now ties) puts nobody in: not entered.
        let scored = self.method.score(&input);
        if let (Lever::Raise { column, .. }, Some(acc)) = (lever, scratch.as_mut())
            && let Some(c) = acc.numeric.get_mut(column)
        {
            c.set(
                a as usize,
                self.input.accounts.numeric[column].get(a as usize),
            );
        }
        let Ok(scores) = scored else {
            return Ok((false, f64::NEG_INFINITY));
        };
        let r = rankings::rank_with(scores, self.tie);
        Ok(outcome(&r, a, self.top_n))
    }

    /// The levers open to `a`.
    fn levers(&self, a: u32) -> Vec<Lever> {
        let n = self.input.accounts.len() as u32;
        let pop = self.input.population;
        // Partners are accounts of the population: theirs are the follow lists and
        // conversations the data observes completely.
        let ordered = |key: &[f64], skip: &dyn Fn(u32) -> bool, first: &dyn Fn(u32) -> bool| {
            let mut v: Vec<u32> = (0..n)
                .filter(|&b| b != a && pop[b as usize] && !skip(b))
                .collect();
            v.sort_by(|&x, &y| {
                first(y)
                    .cmp(&first(x))
                    .then(key[y as usize].total_cmp(&key[x as usize]))
                    .then(x.cmp(&y))
            });
            v
        };
        // Partners who would follow / engage `a` (others), and whom `a` would follow /
        // engage (self), each with how a unit is made.
        let (gain, give, unit): (Vec<u32>, Vec<u32>, MakeUnit) = match self.target {
            Target::Follows => {
                let g = self.input.follows;
                let follows_a = |b: u32| g.inn.neighbors(a).binary_search(&b).is_ok();
                let followed_by_a = |b: u32| g.out.neighbors(a).binary_search(&b).is_ok();
                (
                    ordered(&self.helper_key, &follows_a, &followed_by_a),
                    ordered(&self.follow_key, &followed_by_a, &follows_a),
                    Unit::Follow,
                )
            }
            Target::Events => {
                let ig = self.input.interactions;
                let engaged_a =
                    |b: u32| ig.is_some_and(|g| g.inn.neighbors(a).binary_search(&b).is_ok());
                let engaged_by_a =
                    |b: u32| ig.is_some_and(|g| g.out.neighbors(a).binary_search(&b).is_ok());
                let none = |_: u32| false;
                (
                    ordered(&self.helper_key, &none, &engaged_by_a),
                    ordered(&self.follow_key, &none, &engaged_a),
                    Unit::Event,
                )
            }
            Target::Columns => return self.column_levers(a),
        };
        vec![
            Lever::units(Actor::Others, &gain, &self.helper_key, |b| unit(b, a)),
            Lever::units(Actor::SelfOnly, &give, &self.follow_key, |b| unit(a, b)),
        ]
    }

    /// Raise (or lower) each column alone.
    fn column_levers(&self, a: u32) -> Vec<Lever> {
        self.columns
            .iter()
            .filter_map(|(c, actor, sign)| {
                let x = self.input.accounts.numeric.get(c)?.get(a as usize)?;
                // Raising is open-ended (capped far beyond any real count); lowering
                // stops at zero.
                let max = if *sign > 0.0 {
                    1u64 << 40
                } else {
                    x.max(0.0) as u64
                };
                Some(Lever::Raise {
                    actor: *actor,
                    column: c.clone(),
                    sign: *sign,
                    max,
                })
            })
            .collect()
    }

    /// The fewest units of `lever` that bring `a` in (None: even all of them do not),
    /// given the probe at 0 units. False position on the margin, with a bisection step
    /// whenever an interpolation step fails to halve the interval, so it never takes
    /// more than about 2·log₂(max) probes and usually a handful.
    fn min_units(
        &self,
        a: u32,
        prefix: &[(u32, u32)],
        lever: &Lever,
        at_zero: f64,
        scratch: &mut Option<Accounts>,
    ) -> Result<Option<u64>> {
        let max = lever.max();
        if max == 0 {
            return Ok(None);
        }
        let (entered, m_hi) = self.probe(a, prefix, lever, max, scratch)?;
        if !entered {
            return Ok(None);
        }
        // lo: a count that does not get in; hi: one that does.
        let (mut lo, mut hi, mut m_lo, mut m_hi) = (0u64, max, at_zero, m_hi);
        let mut bisect = false;
        while hi - lo > 1 {
            let width = hi - lo;
            let k = if !bisect && m_lo.is_finite() && m_hi.is_finite() && m_hi > m_lo {
                lever.interpolate(lo, hi, (-m_lo / (m_hi - m_lo)).clamp(0.0, 1.0))
            } else {
                lo + width / 2
            };
            let (entered, m) = self.probe(a, prefix, lever, k, scratch)?;
            if entered {
                hi = k;
                m_hi = m.max(0.0);
            } else {
                lo = k;
                m_lo = m.min(0.0);
            }
            bisect = !bisect && 2 * (hi - lo) > width;
        }
        Ok(Some(hi))
    }

    /// The cheapest costs of one candidate (None: it cannot qualify at all).
    fn candidate(&self, a: u32) -> Result<Option<AccountCost>> {
        let Some(prefix) = (self.prefix)(a) else {
            return Ok(None);
        };
        let qualify = prefix.len() as f64;
        let mut cheapest: Option<Cost> = None;
        let mut self_only: Option<f64> = None;
        let levers = self.levers(a);
        let mut scratch = None;
        // Every lever starts from the same data: the candidate after qualifying (with
        // nothing to do first, the nominal ranking).
        let zero = match levers.first() {
            _ if prefix.is_empty() => outcome(self.nominal, a, self.top_n),
            Some(l) => self.probe(a, &prefix, l, 0, &mut scratch)?,
            None => (false, f64::NEG_INFINITY),
        };
        for lever in levers {
            let k = if zero.0 {
                Some(0)
            } else {
                self.min_units(a, &prefix, &lever, zero.1, &mut scratch)?
            };
            let Some(k) = k else {
                continue;
            };
            let k = k as f64;
            let lever_cost = Cost::of(lever.actor(), k);
            let cost = Cost {
                self_actions: qualify + lever_cost.self_actions,
                others_actions: lever_cost.others_actions,
            };
            let total = cost.self_actions + cost.others_actions;
            if cheapest.is_none_or(|b| {
                let bt = b.self_actions + b.others_actions;
                total < bt || (total == bt && cost.others_actions < b.others_actions)
            }) {
                cheapest = Some(cost);
            }
            if cost.others_actions == 0.0 && self_only.is_none_or(|s| cost.self_actions < s) {
                self_only = Some(cost.self_actions);
            }
        }
        // cheapest None: no lever gets it in; it still counts as a candidate.
        Ok(Some(AccountCost::new(a, cheapest, self_only)))
    }

    /// Search every sampled candidate, in parallel, results in candidate order.
    pub fn run(&self, sample: &[u32]) -> Result<Vec<Option<AccountCost>>> {
        sample.par_iter().map(|&a| self.candidate(a)).collect()
    }
}

/// The events plus one event per `(from, to)` pair, of `kind` at `time`, weight 1.
fn with_events(
    base: &Interactions,
    extra: &[(u32, u32)],
    kind: u16,
    time: Option<i64>,
) -> Interactions {
    let mut ev = base.clone();
    for &(x, y) in extra {
        ev.source.push(x);
        ev.target.push(y);
        ev.kind.push(kind);
        ev.time.push(time);
        ev.weight.push(1.0);
        ev.tag.push(None);
    }
    ev
}

/// `m` of `items`, evenly spaced (all of them when there are at most `m`).
pub fn evenly_spaced(items: &[u32], m: usize) -> Vec<u32> {
    if items.len() <= m {
        return items.to_vec();
    }
    (0..m)
        .map(|i| items[((2 * i + 1) * items.len()) / (2 * m)])
        .collect()
}

/// The kind new events get: the method's first `kinds` entry, else `reply`, `mention`
/// or the most frequent kind in the data.
pub fn event_kind(kinds: &[String], events: &Interactions) -> u16 {
    let pos = |k: &str| events.kinds.iter().position(|x| x == k).map(|i| i as u16);
    if let Some(k) = kinds.first().and_then(|k| pos(k)) {
        return k;
    }
    if let Some(k) = pos("reply").or_else(|| pos("mention")) {
        return k;
    }
    let mut count: BTreeMap<u16, usize> = BTreeMap::new();
    for &k in &events.kind {
        *count.entry(k).or_default() += 1;
    }
    count
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .map_or(0, |(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Ids;

    fn accounts(n: usize) -> Accounts {
        let mut ids = Ids::new();
        for i in 0..n {
            ids.intern(&format!("a{i:02}"));
        }
        Accounts {
            ids,
            listed: n,
            ..Default::default()
        }
    }

    fn search<'a>(
        method: &str,
        params: &str,
        input: &'a Input<'a>,
        tie: &'a TieOrder,
        nominal: &'a Ranking,
        target: Target,
        columns: Vec<(String, Actor, f64)>,
    ) -> Search<'a> {
        let n = input.accounts.len();
        Search {
            method: rankings::build(method, &toml::from_str(params).unwrap()).unwrap(),
            input,
            tie,
            nominal,
            top_n: 5,
            target,
            columns,
            prefix: Box::new(|_| Some(Vec::new())),
            helper_key: (0..n).map(|i| ((i * 7) % 11) as f64).collect(),
            follow_key: (0..n).map(|i| ((i * 5) % 13) as f64).collect(),
            event_kind: 0,
            event_time: None,
            probes: Default::default(),
        }
    }

    /// The search's answer is the first count of a linear scan that gets in, whenever
    /// entering is monotone along the lever (and a verified entering count otherwise).
    #[test]
    fn pagerank_search_matches_a_linear_scan() {
        let n = 40u32;
        let mut state = 12345u64;
        let mut pairs = Vec::new();
        for _ in 0..160 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (a, b) = ((state >> 33) as u32 % n, (state >> 13) as u32 % n);
            if a != b {
                pairs.push((a, b));
            }
        }
        let g = Graph::from_pairs(n as usize, &pairs);
        let acc = accounts(n as usize);
        let pop = vec![true; n as usize];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let names = acc.ids.names();
        let m = rankings::build("pagerank", &toml::Table::new()).unwrap();
        let nominal = rankings::rank(m.score(&input).unwrap(), names);
        let tie = TieOrder::new(names);
        let s = search(
            "pagerank",
            "",
            &input,
            &tie,
            &nominal,
            Target::Follows,
            vec![],
        );
        let top = nominal.top(5);
        let mut checked = 0;
        for a in (0..n).filter(|a| !top.contains(a)).step_by(5) {
            let zero = outcome(&nominal, a, 5);
            for lever in s.levers(a) {
                let found = s.min_units(a, &[], &lever, zero.1, &mut None).unwrap();
                let scan: Vec<bool> = (0..=lever.max())
                    .map(|k| s.probe(a, &[], &lever, k, &mut None).unwrap().0)
                    .collect();
                let first = scan.iter().position(|&e| e).map(|k| k as u64);
                let monotone = scan.windows(2).all(|w| w[0] <= w[1]);
                if monotone {
                    assert_eq!(found, first, "account {a}");
                } else if let Some(k) = found {
                    assert!(scan[k as usize] && first.is_some_and(|f| f <= k));
                }
                checked += 1;
            }
        }
        assert!(checked >= 8);
    }

    /// Lowering an ascending count: the closed form is x − t + 1 (a tie with the N-th
    /// straddles position N, so it does not count).
    #[test]
    fn lowering_an_ascending_count_matches_the_closed_form() {
        let n = 12usize;
        let mut acc = accounts(n);
        let x: Vec<Option<f64>> = (0..n).map(|i| Some((10 * i) as f64)).collect();
        acc.numeric.insert("cost".into(), x.into());
        let g = Graph::from_pairs(n, &[]);
        let pop = vec![true; n];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let names = acc.ids.names();
        let params = "column = \"cost\"\nascending = true";
        let m = rankings::build("count", &toml::from_str(params).unwrap()).unwrap();
        let nominal = rankings::rank(m.score(&input).unwrap(), names);
        let cols = vec![("cost".to_string(), Actor::SelfOnly, -1.0)];
        let tie = TieOrder::new(names);
        let s = search(
            "count",
            params,
            &input,
            &tie,
            &nominal,
            Target::Columns,
            cols,
        );
        // The top 5 are 0..=40; the 5th scores 40.
        for a in 5..n as u32 {
            let lever = &s.levers(a)[0];
            let zero = outcome(&nominal, a, 5);
            let k = s.min_units(a, &[], lever, zero.1, &mut None).unwrap();
            assert_eq!(k, Some(10 * u64::from(a) - 40 + 1), "account {a}");
        }
    }

    #[test]
    fn graph_plus_adds_new_edges_once() {
        let g = Graph::from_pairs(4, &[(0, 1), (2, 1), (1, 3)]);
        let h = graph_plus(&g, &[(0, 1), (3, 1), (0, 2), (3, 1)]);
        let want = Graph::from_pairs(4, &[(0, 1), (2, 1), (1, 3), (3, 1), (0, 2)]);
        assert_eq!(h, want);
    }

    #[test]
    fn evenly_spaced_covers_the_range() {
        let v: Vec<u32> = (0..100).collect();
        assert_eq!(evenly_spaced(&v, 4), vec![12, 37, 62, 87]);
        assert_eq!(evenly_spaced(&v[..3], 4), vec![0, 1, 2]);
    }
}
