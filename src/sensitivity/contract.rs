//! The contract every perturbation family keeps (methodology §6, STYLE rule 6), checked
//! over every registered family on a small fixture: the same study seed gives the same
//! universes; universe i made twice is the same universe; the view's length is the
//! number of universes it makes; and neither the universes nor their rankings depend
//! on the number of threads (a family whose universes came from a shared RNG, drawn in
//! scheduling order, fails here).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Base, FAMILIES, FamilySpec, Universe, Universes, build, replicate_rng, run_family};
use crate::dataset::{Accounts, Ids, Interactions};
use crate::dataset::{InteractionFilter, interaction_graph};
use crate::graph::Graph;
use crate::rankings::{Input, MethodSpec, Ranking, SeedIds, TieOrder};

/// 12 accounts: follows on a circulant with a few extra edges, counts that tie in
/// places, timed events over three days, a seed list and a larger pool.
struct Fixture {
    accounts: Accounts,
    follows: Graph,
    events: Interactions,
    interactions: Graph,
    population: Vec<bool>,
    seeds: SeedIds,
    spec: MethodSpec,
}

const N: u32 = 12;

fn fixture() -> Fixture {
    let mut ids = Ids::new();
    for i in 0..N {
        ids.intern(&format!("a{i:02}"));
    }
    let mut accounts = Accounts {
        ids,
        listed: N as usize,
        ..Default::default()
    };
    let col = |f: fn(u32) -> u32| (0..N).map(|i| Some(f(i) as f64)).collect::<Vec<_>>();
    accounts
        .numeric
        .insert("followers".into(), col(|i| (i * 7) % 5).into());
    accounts
        .numeric
        .insert("statuses".into(), col(|i| (i * 3) % 4 + 1).into());
    // The values two snapshots showed, for count-snapshots: every third account's
    // counts changed between them.
    for (c, f) in [("followers", 7), ("statuses", 3)] {
        let seen = (0..N)
            .map(|i| (i % 3 == 0).then(|| format!("{};{}", (i * f) % 5, (i * f) % 5 + 2)))
            .collect();
        accounts.text.insert(format!("{c}_seen"), seen);
    }
    let mut pairs: Vec<(u32, u32)> = (0..N)
        .flat_map(|v| [(v, (v + 1) % N), (v, (v + 3) % N)])
        .collect();
    pairs.extend([(5, 0), (7, 0), (9, 1), (11, 2)]);
    let follows = Graph::from_pairs(N as usize, &pairs);
    let day = 86_400;
    let m = 30usize;
    let events = Interactions {
        source: (0..m).map(|e| (e as u32 * 5) % N).collect(),
        target: (0..m).map(|e| (e as u32 * 7 + 1) % N).collect(),
        kind: vec![0; m],
        kinds: vec!["reply".into()],
        time: (0..m).map(|e| Some(e as i64 * day / 10)).collect(),
        weight: vec![1.0; m],
        tag: vec![None; m],
        tags: vec![],
    };
    let interactions = interaction_graph(&events, N as usize, &InteractionFilter::default());
    let mut seeds = BTreeMap::new();
    seeds.insert("s".to_string(), vec![0u32, 1, 2, 3]);
    seeds.insert("pool".to_string(), (0..10).collect());
    let spec = MethodSpec {
        name: "published".into(),
        method: "follow-seeds".into(),
        params: toml::from_str(
            "seeds = \"s\"\nmin_follows = 1\nby = [\"followers\", \"statuses\"]",
        )
        .unwrap(),
    };
    Fixture {
        accounts,
        follows,
        events,
        interactions,
        population: vec![true; N as usize],
        seeds,
        spec,
    }
}

impl Fixture {
    fn input(&self) -> Input<'_> {
        Input {
            accounts: &self.accounts,
            follows: &self.follows,
            interactions: Some(&self.interactions),
            events: Some(&self.events),
            population: &self.population,
            seed_lists: &self.seeds,
        }
    }

    fn base(&self) -> Base<'_> {
        Base {
            spec: &self.spec,
            seed_lists: &self.seeds,
            events: Some(&self.events),
        }
    }
}

/// The family with settings that fit the fixture (small counts, the fixture's pool):
/// of the settings offered, each one the family takes.
fn spec_for(family: &str) -> FamilySpec {
    let offered: toml::Table = toml::from_str(
        "pool = \"pool\"\nlengths_days = [1, 2]\ncolumns = [\"followers\", \"statuses\"]",
    )
    .unwrap();
    let mut spec = FamilySpec {
        family: family.to_string(),
        replicates: Some(4),
        ranking: None,
        settings: toml::Table::new(),
    };
    for (k, v) in offered {
        let mut with = spec.clone();
        with.settings.insert(k, v);
        if build(&with, 5).is_ok() {
            spec = with;
        }
    }
    spec
}

/// Every family's universes with study seed `seed`, made in parallel in a pool of
/// `threads` threads, and the rankings they give.
fn run(
    fx: &Fixture,
    family: &str,
    seed: u64,
    threads: usize,
) -> (u64, Vec<Universe>, Vec<Ranking>) {
    let spec = spec_for(family);
    let fam = build(&spec, 5).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let rng_for = move |i| replicate_rng(seed, 3, i);
        let base = fx.base();
        let view: Universes = fam
            .universes(&base, &rng_for)
            .unwrap_or_else(|e| panic!("{family}: {e:#}"));
        let made: Vec<Universe> = (0..view.len())
            .into_par_iter()
            .map(|i| view.get(i).expect("i < len"))
            .collect();
        let tie = TieOrder::new(fx.accounts.ids.names());
        let (universes, rankings) = run_family(&view, &fx.spec, &fx.input(), &tie, &|| {})
            .unwrap_or_else(|e| panic!("{family}: {e:#}"));
        assert_eq!(made, universes, "{family}: run_family made other universes");
        (view.len(), universes, rankings)
    })
}

#[test]
fn every_family_keeps_the_contract() {
    let fx = fixture();
    for family in FAMILIES.iter().map(|e| e.name) {
        let (len, one, r1) = run(&fx, family, 7, 1);
        assert!(len > 0, "{family}: no universes on the fixture");
        assert_eq!(one.len() as u64, len, "{family}: len is not the count");
        let (_, two, r2) = run(&fx, family, 7, 2);
        assert_eq!(one, two, "{family}: universes depend on the thread count");
        assert_eq!(r1, r2, "{family}: rankings depend on the thread count");
        let (_, again, _) = run(&fx, family, 7, 2);
        assert_eq!(one, again, "{family}: the same seed gave other universes");
        // Universe i made twice, from one view, is one universe; past the end, none.
        let fam = build(&spec_for(family), 5).unwrap();
        let rng_for = |i| replicate_rng(7, 3, i);
        let base = fx.base();
        let view = fam.universes(&base, &rng_for).unwrap();
        for i in (0..len).rev() {
            assert_eq!(view.get(i), view.get(i), "{family}: universe {i} twice");
            assert_eq!(view.get(i).as_ref(), one.get(i as usize), "{family}: {i}");
        }
        assert!(view.get(len).is_none(), "{family}: a universe past the end");
    }
}
