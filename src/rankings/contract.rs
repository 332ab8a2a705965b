//! The tie policy's property test (methodology §1), over every registered method:
//! accounts that are automorphic images of each other — the leaves of a star, the nodes
//! of a vertex-transitive graph, twins with the same in- and out-neighbours — are
//! mathematically equal under every method, so they must get one rank; and in every
//! ranking, entries share a rank exactly when they show the same score.
//!
//! A second test checks the contract every method keeps (same scores at 1 and 2 threads
//! and on a second call, eligible accounts inside the population with finite scores,
//! ranks independent of how accounts are numbered).
//!
//! The graphs are relabelled at random, so that automorphic accounts meet their
//! neighbours in different orders and their float sums round differently: the case
//! that split ties before the policy (e.g. effective size 11 against
//! 10.999999999999998).

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::registry::METHODS;
use super::{Input, Ranking, build, rank};
use crate::dataset::{Accounts, Ids, Interactions};
use crate::dataset::{InteractionFilter, interaction_graph};
use crate::graph::Graph;

/// A graph with groups of accounts known to be automorphic images of each other.
struct Case {
    name: String,
    n: usize,
    edges: Vec<(u32, u32)>,
    orbits: Vec<Vec<u32>>,
}

impl Case {
    /// The same graph with node i renamed perm[i], for a random perm.
    fn relabelled(&self, rng: &mut ChaCha8Rng) -> Case {
        let mut perm: Vec<u32> = (0..self.n as u32).collect();
        perm.shuffle(rng);
        self.renamed(&perm, rng)
    }

    /// The same graph with node i renamed perm[i] (edges listed in a random order).
    fn renamed(&self, perm: &[u32], rng: &mut ChaCha8Rng) -> Case {
        let p = |v: u32| perm[v as usize];
        let mut edges: Vec<(u32, u32)> = self.edges.iter().map(|&(a, b)| (p(a), p(b))).collect();
        edges.shuffle(rng);
        Case {
            name: format!("{} (relabelled)", self.name),
            n: self.n,
            edges,
            orbits: self
                .orbits
                .iter()
                .map(|o| o.iter().map(|&v| p(v)).collect())
                .collect(),
        }
    }
}

fn both_ways(pairs: &[(u32, u32)]) -> Vec<(u32, u32)> {
    pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect()
}

/// Hub 0 followed by leaves 1..=6, and following leaves 7..=9 back and forth.
fn star() -> Case {
    let mut edges: Vec<(u32, u32)> = (1..=6).map(|l| (l, 0)).collect();
    edges.extend(both_ways(&[(0, 7), (0, 8), (0, 9)]));
    Case {
        name: "star".into(),
        n: 10,
        edges,
        orbits: vec![(1..=6).collect(), (7..=9).collect()],
    }
}

/// The circulant graph C_n(jumps), both ways: vertex-transitive, with triangles (so
/// constraint and effective size have redundancy to subtract).
fn circulant(n: u32, jumps: &[u32]) -> Case {
    let pairs: Vec<(u32, u32)> = (0..n)
        .flat_map(|v| jumps.iter().map(move |&j| (v, (v + j) % n)))
        .collect();
    Case {
        name: format!("circulant C{n}{jumps:?}"),
        n: n as usize,
        edges: both_ways(&pairs),
        orbits: vec![(0..n).collect()],
    }
}

/// A directed cycle.
fn cycle(n: u32) -> Case {
    Case {
        name: format!("directed cycle of {n}"),
        n: n as usize,
        edges: (0..n).map(|v| (v, (v + 1) % n)).collect(),
        orbits: vec![(0..n).collect()],
    }
}

/// A random directed graph on `k` nodes in which each node of a random set X gets a
/// twin: every edge u -> v becomes the edges between {u, u'} and {v, v'}, so swapping
/// a node with its twin is an automorphism. Twins of dangling nodes are dangling
/// nodes with the same in-neighbours.
fn twins(rng: &mut ChaCha8Rng, k: u32) -> Case {
    let p = rng.random_range(0.15..0.5);
    let base: Vec<(u32, u32)> = (0..k)
        .flat_map(|a| (0..k).map(move |b| (a, b)))
        .filter(|&(a, b)| a != b)
        .filter(|_| rng.random::<f64>() < p)
        .collect();
    let mut twin_of: BTreeMap<u32, u32> = BTreeMap::new();
    let mut n = k;
    for v in 0..k {
        if rng.random::<f64>() < 0.4 {
            twin_of.insert(v, n);
            n += 1;
        }
    }
    let copies = |v: u32| std::iter::once(v).chain(twin_of.get(&v).copied());
    let edges = base
        .iter()
        .flat_map(|&(a, b)| copies(a).flat_map(move |x| copies(b).map(move |y| (x, y))))
        .collect();
    Case {
        name: format!("random graph on {k} nodes with {} twins", twin_of.len()),
        n: n as usize,
        edges,
        orbits: twin_of.iter().map(|(&a, &b)| vec![a, b]).collect(),
    }
}

/// The parameters each method needs on these fixtures; anything it invents must be
/// invariant under the automorphisms (every account is a seed, parties and counts that
/// are functions of the degrees).
fn params_for(method: &str) -> Vec<String> {
    let by = "by = [\"followers\", \"statuses\"]\nseeds = \"all\"\nmin_follows = 1";
    match method {
        "follow-seeds" => ["lexicographic", "rank-sum", "z-sum", "product", "ratio"]
            .iter()
            .map(|c| format!("{by}\ncombine = \"{c}\""))
            .collect(),
        "columns" => ["lexicographic", "rank-sum", "z-sum", "product", "ratio"]
            .iter()
            .map(|c| format!("by = [\"followers\", \"statuses\"]\ncombine = \"{c}\""))
            .collect(),
        "count" => vec!["column = \"followers\"".into()],
        "kardashian-index" => vec!["citations = \"statuses\"".into()],
        // Normalisations that stay defined when an indicator is constant (on a
        // vertex-transitive graph every one is); the geometric mean needs values > 0.
        "composite" => [
            ("rank", "arithmetic"),
            ("percentile", "arithmetic"),
            ("none", "arithmetic"),
            ("none", "geometric"),
        ]
        .iter()
        .map(|(norm, agg)| {
            format!(
                "indicators = [\"followers\", \"statuses\"]\nweights = [0.3, 0.7]\n\
                 normalise = \"{norm}\"\naggregate = \"{agg}\""
            )
        })
        .collect(),
        "personalized-pagerank" => vec!["seeds = \"all\"".into()],
        "bridging" | "ei-index" => vec!["attribute = \"party\"".into()],
        // Below 1 / the largest eigenvalue of every fixture (interaction weights are 3).
        "katz" => vec![
            "alpha = 0.004".into(),
            "alpha = 0.004\ngraph = \"interactions\"".into(),
        ],
        _ => vec![String::new(), "graph = \"interactions\"".into()],
    }
}

/// Every registered method (with its parameter variants) ranked on `case`, with every
/// account in the population; a method that refuses the graph is left out.
fn rankings_of(case: &Case) -> Vec<(String, Ranking)> {
    let mut out = Vec::new();
    each_method(case, &vec![true; case.n + 1], |what, m, input| {
        // A method may refuse a graph where it is undefined (HITS and eigenvector
        // centrality are not unique on some symmetric graphs, and say so); the test
        // checks that every method ranked most fixtures.
        if let Ok(s) = m.score(input) {
            out.push((what, rank(s, input.accounts.ids.names())));
        }
    });
    out
}

/// Calls `f` with every registered method (and parameter variant) and the input of
/// `case` restricted to the population `pop` (one flag per account: the case's nodes
/// and one more, isolated account, so that the party column always has two groups).
fn each_method(case: &Case, pop: &[bool], mut f: impl FnMut(String, &dyn super::Method, &Input)) {
    let n = case.n + 1;
    let mut ids = Ids::new();
    for i in 0..n {
        ids.intern(&format!("acct{i:03}"));
    }
    let mut acc = Accounts {
        ids,
        listed: n,
        ..Default::default()
    };
    // Counts that differ between accounts but not within an orbit: functions of the
    // in- and out-degree, which every automorphism keeps.
    let follows = Graph::from_pairs(n, &case.edges);
    let count = |f: &dyn Fn(u32) -> f64| (0..n as u32).map(|v| Some(f(v))).collect();
    let followers = count(&|v| 100.0 + follows.inn.degree(v) as f64);
    let statuses = count(&|v| 7.0 + 3.0 * follows.out.degree(v) as f64);
    acc.numeric.insert("followers".into(), followers);
    acc.numeric.insert("statuses".into(), statuses);
    let party = (0..n as u32)
        .map(
            |v| match (v as usize == case.n, follows.inn.degree(v) % 2) {
                (true, _) => Some("Z".to_string()),
                (false, 0) => Some("A".to_string()),
                (false, _) => Some("B".to_string()),
            },
        )
        .collect();
    acc.text.insert("party".into(), party);
    // Each follow is also a reply, a mention and a retweet, with one tag and time.
    let kinds = ["reply", "mention", "retweet"];
    let m = case.edges.len() * kinds.len();
    let events = Interactions {
        source: case.edges.iter().flat_map(|e| [e.0; 3]).collect(),
        target: case.edges.iter().flat_map(|e| [e.1; 3]).collect(),
        kind: (0..m).map(|i| (i % 3) as u16).collect(),
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
        time: vec![Some(1_600_000_000); m],
        weight: vec![1.0; m],
        tag: vec![Some(0); m],
        tags: vec!["t".into()],
    };
    let inter = interaction_graph(&events, n, &InteractionFilter::default());
    let mut lists = BTreeMap::new();
    lists.insert("all".to_string(), (0..n as u32).collect::<Vec<_>>());
    let input = Input {
        accounts: &acc,
        follows: &follows,
        interactions: Some(&inter),
        events: Some(&events),
        population: pop,
        seed_lists: &lists,
    };
    for method in METHODS.iter().map(|e| e.name) {
        for p in params_for(method) {
            let table: toml::Table = toml::from_str(&p).expect("fixture parameters parse");
            let m = match build(method, &table) {
                Ok(m) => m,
                // Methods without a `graph` choice run on their own graph only.
                Err(_) if p.starts_with("graph =") => continue,
                Err(e) => panic!("{method} {p}: {e:#}"),
            };
            f(format!("{method} {p:?}"), m.as_ref(), &input);
        }
    }
}

/// Every orbit shares one rank (or is unranked as a whole), and ranks follow from the
/// printed scores. Counts the rankings checked per method.
fn check(case: &Case, checked: &mut BTreeMap<String, usize>) {
    for (what, r) in rankings_of(case) {
        let method = what.split(' ').next().unwrap_or_default().to_string();
        *checked.entry(method).or_default() += 1;
        let rank_of = r.rank_of(case.n + 1);
        for orbit in &case.orbits {
            let ranks: Vec<Option<u32>> = orbit.iter().map(|&v| rank_of[v as usize]).collect();
            assert!(
                ranks.windows(2).all(|w| w[0] == w[1]),
                "{what} on {}: automorphic accounts {orbit:?} got ranks {ranks:?} (scores {:?})",
                case.name,
                orbit
                    .iter()
                    .map(|&v| r.entries().find(|e| e.account == v).map(|e| e.score))
                    .collect::<Vec<_>>()
            );
        }
        let lexicographic = what.contains("lexicographic");
        let entries: Vec<_> = r.entries().collect();
        for w in entries.windows(2) {
            let same_rank = w[0].rank == w[1].rank;
            let same_score = w[0].score.to_bits() == w[1].score.to_bits();
            assert!(
                !same_rank || same_score,
                "{what} on {}: one rank, two scores: {w:?}",
                case.name
            );
            assert!(
                same_rank || !same_score || lexicographic,
                "{what} on {}: one score, two ranks: {w:?}",
                case.name
            );
        }
        assert!(
            r.entries()
                .all(|e| e.score.to_bits() != (-0.0f64).to_bits()),
            "{what} on {}: a score prints as -0",
            case.name
        );
    }
}

#[test]
fn automorphic_accounts_share_a_rank_under_every_method() {
    let mut rng = ChaCha8Rng::seed_from_u64(2014);
    let mut checked = BTreeMap::new();
    let fixed = [
        star(),
        circulant(13, &[1, 2, 5]),
        circulant(12, &[1, 4]),
        cycle(7),
    ];
    let mut cases = 0;
    for case in &fixed {
        check(case, &mut checked);
        for _ in 0..3 {
            check(&case.relabelled(&mut rng), &mut checked);
        }
        cases += 4;
    }
    for _ in 0..150 {
        let k = rng.random_range(4..14);
        let case = twins(&mut rng, k);
        check(&case.relabelled(&mut rng), &mut checked);
        cases += 1;
    }
    for method in METHODS.iter().map(|e| e.name) {
        let n = checked.get(method).copied().unwrap_or(0);
        assert!(
            n * 10 >= cases * 7,
            "{method} ranked only {n} of {cases} fixtures: the test lost its coverage"
        );
    }
}

/// The contract every registered method keeps, checked on random graphs with a random
/// population: scores are identical at 1 and 2 threads and on a second call; eligible
/// accounts are in the population and score a finite number; and ranks do not depend
/// on how accounts are numbered (renaming the accounts renames the ranking).
#[test]
fn every_method_keeps_the_contract() {
    let pool = |t| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .expect("a thread pool")
    };
    let (one, two) = (pool(1), pool(2));
    let bits = |s: &super::Scores| format!("{s:?}");
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let cases = 40;
    for _ in 0..cases {
        let k = rng.random_range(4..14);
        let case = twins(&mut rng, k);
        let pop: Vec<bool> = (0..=case.n).map(|_| rng.random::<f64>() < 0.8).collect();
        let mut ranks: Vec<(String, Option<Vec<Option<u32>>>)> = Vec::new();
        each_method(&case, &pop, |what, m, input| {
            let a = one.install(|| m.score(input));
            let b = two.install(|| m.score(input));
            let again = m.score(input);
            let (a, b, again) = match (a, b, again) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (Err(_), Err(_), Err(_)) => {
                    ranks.push((what, None));
                    return;
                }
                _ => panic!("{what} on {}: refused in one run only", case.name),
            };
            assert_eq!(bits(&a), bits(&b), "{what}: 1 and 2 threads differ");
            assert_eq!(bits(&a), bits(&again), "{what}: a second call differs");
            for (i, &e) in a.eligible.iter().enumerate() {
                assert!(
                    !e || pop[i],
                    "{what}: account {i} is outside the population"
                );
                assert!(
                    !e || a.score[i].is_finite(),
                    "{what}: account {i} scores {}",
                    a.score[i]
                );
            }
            let method = what.split(' ').next().unwrap_or_default().to_string();
            *checked.entry(method).or_default() += 1;
            let r = rank(a, input.accounts.ids.names());
            ranks.push((what, Some(r.rank_of(case.n + 1))));
        });
        // Rename the case's accounts (the extra account keeps its place).
        let mut perm: Vec<u32> = (0..case.n as u32).collect();
        perm.shuffle(&mut rng);
        let renamed = case.renamed(&perm, &mut rng);
        let mut renamed_pop = pop.clone();
        for (v, &p) in perm.iter().enumerate() {
            renamed_pop[p as usize] = pop[v];
        }
        let mut i = 0;
        each_method(&renamed, &renamed_pop, |what, m, input| {
            let (want_what, want) = &ranks[i];
            i += 1;
            assert_eq!(&what, want_what);
            let got = m
                .score(input)
                .ok()
                .map(|s| rank(s, input.accounts.ids.names()));
            let Some(want) = want else {
                assert!(got.is_none(), "{what}: refused only before renaming");
                return;
            };
            let got = got
                .unwrap_or_else(|| panic!("{what}: refused only after renaming"))
                .rank_of(case.n + 1);
            for v in 0..case.n {
                assert_eq!(
                    got[perm[v] as usize], want[v],
                    "{what} on {}: account {v} ranks differently once renamed",
                    case.name
                );
            }
            assert_eq!(got[case.n], want[case.n], "{what}: the extra account");
        });
    }
    for method in METHODS.iter().map(|e| e.name) {
        let n = checked.get(method).copied().unwrap_or(0);
        assert!(
            n * 10 >= cases * 7,
            "{method} kept the contract on only {n} of {cases} graphs: the test lost its coverage"
        );
    }
}
