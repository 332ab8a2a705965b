//! Data perturbations: what a universe changes in the data before ranking (missing
//! follow edges, a resampled event stream, a time window). Each change carries its own
//! seed, drawn from the replicate's RNG when the universe was made, so applying it in
//! any thread gives the same data.

use anyhow::{Result, bail};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::dataset::{Accounts, Interactions};
use crate::dataset::{InteractionFilter, interaction_graph};
use crate::graph::Graph;
use crate::rankings::Input;

/// A change to the data.
#[derive(Debug, Clone, PartialEq)]
pub enum DataChange {
    /// Every follow edge is dropped independently with probability `rate`.
    DropFollows { rate: f64, seed: u64 },
    /// `m` events drawn uniformly with replacement from the n events.
    ResampleEvents { m: usize, seed: u64 },
    /// Only the events with `from <= time < to` (Unix seconds).
    Window { from: i64, to: i64 },
    /// Each account's count `column` replaced, for each of `columns`, by one of the
    /// values its snapshots showed (the `<column>_seen` attribute, `;`-separated), drawn
    /// uniformly; accounts without one keep their count.
    DrawCounts { columns: Vec<String>, seed: u64 },
}

/// The attribute listing the values a count showed over the snapshots (twarc2).
pub fn seen_column(count: &str) -> String {
    format!("{count}_seen")
}

/// The perturbed data, owned by the universe.
#[derive(Default)]
pub struct Applied {
    pub accounts: Option<Accounts>,
    pub follows: Option<Graph>,
    pub events: Option<Interactions>,
    pub interactions: Option<Graph>,
}

impl Applied {
    /// `input` with the perturbed parts swapped in.
    pub fn input<'a>(&'a self, input: &Input<'a>) -> Input<'a> {
        Input {
            accounts: self.accounts.as_ref().unwrap_or(input.accounts),
            follows: self.follows.as_ref().unwrap_or(input.follows),
            interactions: self.interactions.as_ref().or(input.interactions),
            events: self.events.as_ref().or(input.events),
            ..*input
        }
    }
}

fn events_of<'a>(input: &Input<'a>, what: &str) -> Result<&'a Interactions> {
    input
        .events
        .ok_or_else(|| anyhow::anyhow!("{what} needs an interactions table"))
}

fn with_events(events: Interactions, n: usize) -> Applied {
    let graph = interaction_graph(&events, n, &InteractionFilter::default());
    Applied {
        interactions: Some(graph),
        events: Some(events),
        ..Default::default()
    }
}

/// Apply a change to the data of `input`.
pub fn apply(change: &DataChange, input: &Input) -> Result<Applied> {
    let n = input.accounts.len();
    match *change {
        DataChange::DrawCounts { ref columns, seed } => draw_counts(input.accounts, columns, seed),
        DataChange::DropFollows { rate, seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let g = input.follows;
            let mut kept = Vec::with_capacity(g.edge_count());
            // CSR order is fixed, so the i-th draw always decides the same edge.
            for v in 0..g.node_count() as u32 {
                for &w in g.out.neighbors(v) {
                    if rng.random::<f64>() >= rate {
                        kept.push((v, w));
                    }
                }
            }
            Ok(Applied {
                follows: Some(Graph::from_pairs(n, &kept)),
                ..Default::default()
            })
        }
        DataChange::ResampleEvents { m, seed } => {
            let ev = events_of(input, "event resampling")?;
            if ev.is_empty() {
                bail!("event resampling: there are no events");
            }
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut idx: Vec<usize> = (0..m).map(|_| rng.random_range(0..ev.len())).collect();
            // Sorting keeps the events in file order; the multiset is what matters.
            idx.sort_unstable();
            Ok(with_events(ev.select(&idx), n))
        }
        DataChange::Window { from, to } => {
            let ev = events_of(input, "a time window")?;
            let idx: Vec<usize> = (0..ev.len())
                .filter(|&i| ev.time[i].is_some_and(|t| t >= from && t < to))
                .collect();
            Ok(with_events(ev.select(&idx), n))
        }
    }
}

/// The accounts with each of `columns` drawn from its `<column>_seen` values (see
/// [`DataChange::DrawCounts`]): one draw per account and column, in account order, from
/// one RNG, so a universe is the same in any thread.
fn draw_counts(acc: &Accounts, columns: &[String], seed: u64) -> Result<Applied> {
    let mut out = acc.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for c in columns {
        let seen = seen_column(c);
        if !acc.has_column(&seen) {
            bail!(
                "count-snapshots: the accounts table has no {seen:?} column (the values {c:?} showed over the snapshots; the twarc2 importer writes it)"
            );
        }
        let Some(col) = out.numeric.get_mut(c) else {
            bail!("count-snapshots: the accounts table has no numeric {c:?} column");
        };
        for i in 0..col.len() {
            let Some(text) = acc.text_value(&seen, i) else {
                continue;
            };
            // Counts are finite numbers, as everywhere they are read ("NaN" is not one).
            let values: Vec<f64> = text
                .split(';')
                .filter_map(|x| x.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
                .collect();
            if values.len() > 1 {
                col.set(i, Some(values[rng.random_range(0..values.len())]));
            }
        }
    }
    Ok(Applied {
        accounts: Some(out),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Accounts, Ids};
    use crate::rankings::SeedIds;

    fn fixture() -> (Accounts, Graph, Interactions) {
        let mut ids = Ids::new();
        for i in 0..4 {
            ids.intern(&format!("a{i}"));
        }
        let acc = Accounts {
            ids,
            listed: 4,
            ..Default::default()
        };
        let g = Graph::from_pairs(4, &[(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]);
        let ev = Interactions {
            source: vec![0, 1, 2, 3],
            target: vec![1, 2, 3, 0],
            kind: vec![0; 4],
            kinds: vec!["reply".into()],
            time: vec![Some(10), Some(20), Some(30), None],
            weight: vec![1.0; 4],
            tag: vec![None; 4],
            tags: vec![],
        };
        (acc, g, ev)
    }

    #[test]
    fn dropout_is_reproducible_and_bounded() {
        let (acc, g, ev) = fixture();
        let lists = SeedIds::new();
        let pop = vec![true; 4];
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: Some(&ev),
            population: &pop,
            seed_lists: &lists,
        };
        let a = apply(&DataChange::DropFollows { rate: 0.5, seed: 9 }, &input).unwrap();
        let b = apply(&DataChange::DropFollows { rate: 0.5, seed: 9 }, &input).unwrap();
        assert_eq!(a.follows, b.follows);
        let none = apply(&DataChange::DropFollows { rate: 0.0, seed: 9 }, &input).unwrap();
        assert_eq!(none.follows.unwrap().edge_count(), 5);
        let all = apply(&DataChange::DropFollows { rate: 1.0, seed: 9 }, &input).unwrap();
        assert_eq!(all.follows.unwrap().edge_count(), 0);
    }

    #[test]
    fn windows_keep_timed_events_in_range_and_resampling_keeps_size() {
        let (acc, g, ev) = fixture();
        let lists = SeedIds::new();
        let pop = vec![true; 4];
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: Some(&ev),
            population: &pop,
            seed_lists: &lists,
        };
        let w = apply(&DataChange::Window { from: 15, to: 30 }, &input).unwrap();
        assert_eq!(w.events.as_ref().unwrap().source, vec![1]);
        let r = apply(&DataChange::ResampleEvents { m: 10, seed: 1 }, &input).unwrap();
        assert_eq!(r.events.as_ref().unwrap().len(), 10);
        let view = r.input(&input);
        assert_eq!(view.events.unwrap().len(), 10);
    }

    #[test]
    fn snapshot_draws_come_from_the_values_seen() {
        let (mut acc, _, _) = fixture();
        acc.numeric.insert(
            "followers".into(),
            vec![Some(10.0), Some(20.0), Some(30.0), None].into(),
        );
        acc.text.insert(
            "followers_seen".into(),
            vec![Some("10;12;15".into()), Some("20".into()), None, None],
        );
        let draw = |seed| {
            draw_counts(&acc, &["followers".to_string()], seed)
                .unwrap()
                .accounts
                .unwrap()
                .numeric["followers"]
                .iter()
                .collect::<Vec<_>>()
        };
        let mut firsts = std::collections::BTreeSet::new();
        for seed in 0..64 {
            let d = draw(seed);
            assert_eq!(d, draw(seed), "same seed, same draw");
            assert_eq!(
                d[1..],
                [Some(20.0), Some(30.0), None],
                "one value or none: kept"
            );
            firsts.insert(d[0].unwrap() as u64);
        }
        assert_eq!(firsts, [10, 12, 15].into(), "every value seen is drawn");
        let Err(e) = draw_counts(&acc, &["statuses".to_string()], 1) else {
            panic!("statuses has no _seen column")
        };
        assert!(e.to_string().contains("no \"statuses_seen\" column"), "{e}");
    }
}
