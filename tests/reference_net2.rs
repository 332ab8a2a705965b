//! Betweenness, constraint and effective size against networkx 3.6.1, from
//! tests/fixtures/reference/net2.json (made by generate_net2.py; see the README there).

use rankaudit::graph::Graph;
use rankaudit::rankings::betweenness::{
    BetweennessConfig, Distance, Estimate, Mode, betweenness, from_pivots,
};
use rankaudit::rankings::constraint::{HolesConfig, structural_holes};
use serde_json::Value;

use crate::support::{column, fails, fixture, ok, read_csv, temp_dir};

/// Agreement required with networkx.
const TOL: f64 = 1e-9;

fn load() -> Value {
    let p = fixture("reference/net2.json");
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn graph(c: &Value) -> Graph {
    let n = c["n"].as_u64().unwrap() as usize;
    let edges: Vec<(u32, u32, f64)> = c["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_u64().unwrap() as u32,
                e[1].as_u64().unwrap() as u32,
                e[2].as_f64().unwrap(),
            )
        })
        .collect();
    let weighted = edges.iter().any(|e| e.2 != 1.0);
    Graph::from_edges(n, edges, weighted)
}

fn distance(c: &Value) -> Distance {
    match c["distance"].as_str().unwrap() {
        "hops" => Distance::Hops,
        "inverse-weight" => Distance::InverseWeight,
        d => panic!("distance {d}"),
    }
}

/// Per-node values; `None` where networkx gives NaN.
fn values(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(|x| x.as_f64()).collect()
}

/// The largest |got − want| over nodes; NaN must match null exactly.
fn max_diff(name: &str, got: &[f64], want: &[Option<f64>]) -> f64 {
    assert_eq!(got.len(), want.len(), "{name}");
    let mut worst = 0.0f64;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        match w {
            None => assert!(g.is_nan(), "{name}: node {i}: {g}, networkx NaN"),
            Some(w) => {
                assert!(!g.is_nan(), "{name}: node {i}: NaN, networkx {w}");
                worst = worst.max((g - w).abs());
            }
        }
    }
    worst
}

#[test]
fn exact_betweenness_agrees_with_networkx() {
    let f = load();
    let cases = f["betweenness"].as_array().unwrap();
    assert!(cases.len() >= 30);
    let mut worst = 0.0f64;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let cfg = BetweennessConfig {
            mode: Mode::Exact,
            distance: distance(c),
            normalized: c["normalized"].as_bool().unwrap(),
            ..Default::default()
        };
        let r = betweenness(&graph(c), &cfg).unwrap();
        assert_eq!(r.estimate, Estimate::Exact);
        let want = values(&c["expected"]);
        // Raw values run to the thousands: compare those relatively.
        let scale = want.iter().flatten().fold(1.0f64, |a, &b| a.max(b.abs()));
        let d = max_diff(name, &r.scores, &want) / scale;
        assert!(d < TOL, "{name}: max diff {d:e} (relative to {scale})");
        worst = worst.max(d);
    }
    eprintln!("exact betweenness: max diff vs networkx {worst:e} (relative for raw values)");
}

#[test]
fn pivot_betweenness_agrees_with_networkx_given_its_pivots() {
    let f = load();
    let cases = f["betweenness_pivots"].as_array().unwrap();
    assert!(cases.len() >= 12);
    let mut worst = 0.0f64;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let pivots: Vec<u32> = c["pivots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        let got = from_pivots(
            &graph(c),
            distance(c),
            &pivots,
            c["normalized"].as_bool().unwrap(),
        );
        let want = values(&c["expected"]);
        let scale = want.iter().flatten().fold(1.0f64, |a, &b| a.max(b.abs()));
        let d = max_diff(name, &got, &want) / scale;
        assert!(d < TOL, "{name}: max diff {d:e}");
        worst = worst.max(d);
    }
    eprintln!("pivot betweenness: max diff vs networkx {worst:e} (relative for raw values)");
}

#[test]
fn path_sampling_stays_within_its_stated_epsilon() {
    let f = load();
    let cases = f["sampled"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let exact: Vec<f64> = values(&c["exact"]).into_iter().flatten().collect();
        let top = exact.iter().cloned().fold(0.0, f64::max);
        for (epsilon, seed) in [(0.02, 1u64), (0.01, 2)] {
            let cfg = BetweennessConfig {
                mode: Mode::Sampled,
                distance: distance(c),
                epsilon,
                delta: 0.1,
                seed,
                ..Default::default()
            };
            // The check is only telling if the top value is well above ε.
            assert!(top > 5.0 * epsilon, "{name}: top {top}");
            let r = betweenness(&graph(c), &cfg).unwrap();
            let Estimate::Paths { samples, .. } = r.estimate else {
                panic!("{name}: not path sampling")
            };
            let err = r
                .scores
                .iter()
                .zip(&exact)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            eprintln!("{name}: eps {epsilon}: {samples} paths, max error {err:.5}");
            assert!(
                err <= epsilon,
                "{name}: max error {err} > epsilon {epsilon}"
            );
        }
    }
}

#[test]
fn constraint_and_effective_size_agree_with_networkx() {
    let f = load();
    let cases = f["holes"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let (mut wc, mut we) = (0.0f64, 0.0f64);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let cfg = HolesConfig {
            weighted: c["weighted"].as_bool().unwrap(),
        };
        let h = structural_holes(&graph(c), &cfg);
        let dc = max_diff(name, &h.constraint, &values(&c["constraint"]));
        let de = max_diff(name, &h.effective_size, &values(&c["effective_size"]));
        assert!(dc < TOL, "{name}: constraint max diff {dc:e}");
        assert!(de < TOL, "{name}: effective size max diff {de:e}");
        (wc, we) = (wc.max(dc), we.max(de));
    }
    eprintln!("constraint: max abs diff {wc:e}; effective size: {we:e}");
}

#[test]
fn karate_golden_values() {
    let f = load();
    let c = &f["holes"].as_array().unwrap()[0];
    assert_eq!(c["name"], "karate_both_directions");
    let h = structural_holes(&graph(c), &HolesConfig::default());
    // The lowest constraint in the karate club is node 0's (networkx: 0.155423).
    let (arg, min) =
        h.constraint.iter().enumerate().fold(
            (0, f64::INFINITY),
            |a, (i, &x)| if x < a.1 { (i, x) } else { a },
        );
    assert_eq!(arg, 0);
    assert!((min - 0.155423).abs() < 5e-7, "{min}");
    // And the values stored with the other references (tests/reference.rs) agree.
    let k: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("reference/karate.json")).unwrap())
            .unwrap();
    for (key, got) in [
        ("constraint", &h.constraint),
        ("effective_size", &h.effective_size),
    ] {
        let d = max_diff(key, got, &values(&k[key]));
        assert!(d < TOL, "karate {key}: {d:e}");
    }
    let b = betweenness(
        &graph(c),
        &BetweennessConfig {
            mode: Mode::Exact,
            ..Default::default()
        },
    )
    .unwrap();
    let d = max_diff(
        "betweenness",
        &b.scores,
        &values(&k["betweenness_centrality_normalized"]),
    );
    assert!(d < TOL, "karate betweenness: {d:e}");
}

// The methods through the binary: quick mode reaches their parameters with `--param`.
// Expected values: networkx on tests/fixtures/small (self-loop dave -> dave dropped).

fn rank_small(name: &str, method: &str, params: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = temp_dir(&format!("net2-{name}"));
    let out = dir.join("out");
    let small = |f: &str| fixture(&format!("small/{f}")).display().to_string();
    let (acc, fol) = (small("accounts.csv"), small("follows.csv"));
    let mut args = vec![
        "rank",
        "--accounts",
        &acc,
        "--follows",
        &fol,
        "--method",
        method,
    ];
    for p in params {
        args.extend(["--param", p]);
    }
    args.extend(["--out", out.to_str().unwrap()]);
    ok(&dir, &args);
    read_csv(&out.join("rankings.csv"))
}

fn scores(t: &(Vec<String>, Vec<Vec<String>>)) -> Vec<f64> {
    column(t, "score")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
}

#[test]
fn betweenness_through_the_binary() {
    let t = rank_small("bc", "betweenness", &["mode=exact"]);
    assert_eq!(column(&t, "account")[..4], ["alice", "bob", "carol", "s1"]);
    assert_eq!(column(&t, "rank"), ["1", "2", "2", "4", "5", "5", "5", "5"]);
    // networkx: alice 5/42, bob = carol 2/42, s1 1/42.
    let s = scores(&t);
    for (got, want) in s
        .iter()
        .zip([5.0 / 42.0, 2.0 / 42.0, 2.0 / 42.0, 1.0 / 42.0])
    {
        assert!((got - want).abs() < 1e-15, "{s:?}");
    }
    // Path sampling runs from the same flags and stays within its epsilon.
    let t = rank_small(
        "bc-rk",
        "betweenness",
        &["mode=sampled", "epsilon=0.05", "seed=3"],
    );
    let top = scores(&t)[0];
    assert_eq!(column(&t, "account")[0], "alice");
    assert!((top - 5.0 / 42.0).abs() <= 0.05, "{top}");
}

#[test]
fn constraint_and_effective_size_through_the_binary() {
    let t = rank_small("con", "constraint", &[]);
    // Lowest constraint first (alice and s1: 37/81), the score column holds −c.
    let s = scores(&t);
    assert!((s[0] + 37.0 / 81.0).abs() < 1e-15, "{s:?}");
    assert!(s.windows(2).all(|w| w[0] >= w[1]));
    let last = column(&t, "account");
    assert!(["s3", "erin"].contains(&last[last.len() - 1]));
    let t = rank_small("es", "effective-size", &["weighted=false"]);
    let s = scores(&t);
    // s1 and alice: 11/3; dave and erin (one contact each): 1.
    assert!((s[0] - 11.0 / 3.0).abs() < 1e-12, "{s:?}");
    assert_eq!(s[s.len() - 1], 1.0);
}

#[test]
fn bad_method_parameters_are_clean_errors() {
    let dir = temp_dir("net2-bad");
    let fol = fixture("small/follows.csv").display().to_string();
    let out = dir.join("out");
    for (method, param, needle) in [
        ("betweenness", "epsilon=2", "epsilon"),
        ("betweenness", "samples=1", "at least 2"),
        ("betweenness", "distance=km", "distance"),
        ("constraint", "damping=0.5", "damping"),
    ] {
        let e = fails(
            &dir,
            &[
                "rank",
                "--follows",
                &fol,
                "--method",
                method,
                "--param",
                param,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(e.contains(needle), "{method} {param}: {e}");
    }
}
