//! Agreement of `hits`, `k-core`, `eigenvector` and `katz` with networkx, from
//! tests/fixtures/reference/net1.json (generate_net1.py; networkx 3.6.1, every value
//! cross-checked there against a dense eigendecomposition or solve). Scores agree to
//! 1e-9, core numbers exactly; the graphs where networkx's answer is not unique are
//! expected errors here.

use rankaudit::graph::Graph;
use rankaudit::rankings::eigenvector::{EigenvectorConfig, KatzConfig, eigenvector, katz};
use rankaudit::rankings::hits::{HitsConfig, hits};
use rankaudit::rankings::kcore::{CoreMode, core_numbers};
use rankaudit::rankings::spectral::SpectralError;
use serde_json::Value;

use crate::support::{column, fails, fixture, ok, read_csv, repo, temp_dir};

const AGREE: f64 = 1e-9;
const TOL: f64 = 1e-15;
const MAX_ITER: usize = 100_000;

fn load(name: &str) -> Value {
    let p = fixture(&format!("reference/{name}"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn ints(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

/// Every fixture case with its graph (weighted when any weight differs from 1).
fn cases() -> Vec<(Value, Graph)> {
    let f = load("net1.json");
    let cases = f["cases"].as_array().unwrap().clone();
    assert!(cases.len() >= 10);
    cases
        .into_iter()
        .map(|c| {
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
            let g = Graph::from_edges(
                c["n"].as_u64().unwrap() as usize,
                edges,
                c["weighted"].as_bool().unwrap(),
            );
            (c, g)
        })
        .collect()
}

/// Largest |got − want|, asserting it is below [`AGREE`].
fn max_diff(case: &Value, what: &str, got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let (mut worst, mut at) = (0.0f64, 0);
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        if (a - b).abs() > worst {
            (worst, at) = ((a - b).abs(), i);
        }
    }
    assert!(
        worst < AGREE,
        "{} {what}: node {at}: {} vs networkx {}",
        case["name"],
        got[at],
        want[at]
    );
    worst
}

#[test]
fn hits_agrees_with_networkx_and_refuses_tied_parts() {
    let cfg = HitsConfig {
        tol: TOL,
        max_iter: MAX_ITER,
        weighted: true,
    };
    let (mut compared, mut refused, mut worst) = (0, 0, 0.0f64);
    for (c, g) in cases() {
        let want = &c["hits"];
        let got = hits(&g, &cfg);
        if want.get("error").is_some() {
            assert!(
                matches!(got, Err(SpectralError::NotUnique { .. })),
                "{}: {got:?}",
                c["name"]
            );
            refused += 1;
            continue;
        }
        let r = got.unwrap_or_else(|e| panic!("{}: {e}", c["name"]));
        worst = worst.max(max_diff(
            &c,
            "authority",
            &r.authorities,
            &floats(&want["authorities"]),
        ));
        worst = worst.max(max_diff(&c, "hub", &r.hubs, &floats(&want["hubs"])));
        let s2 = want["sigma1_squared"].as_f64().unwrap();
        assert!(
            (r.value - s2).abs() < 1e-9 * s2,
            "{}: σ₁² {}",
            c["name"],
            r.value
        );
        compared += 1;
    }
    eprintln!("hits: {compared} graphs, max abs diff vs networkx {worst:e}");
    assert!(
        compared >= 10 && refused == 2,
        "{compared} compared, {refused} refused"
    );
}

#[test]
fn eigenvector_agrees_with_networkx_and_refuses_ill_defined_graphs() {
    let cfg = EigenvectorConfig {
        tol: TOL,
        max_iter: MAX_ITER,
        weighted: true,
    };
    let (mut compared, mut worst) = (0, 0.0f64);
    for (c, g) in cases() {
        let want = &c["eigenvector"];
        let got = eigenvector(&g, &cfg);
        match want.get("error").and_then(Value::as_str) {
            Some("acyclic") => assert_eq!(got, Err(SpectralError::Acyclic), "{}", c["name"]),
            Some("not_unique") => assert!(
                matches!(got, Err(SpectralError::NotUnique { .. })),
                "{}: {got:?}",
                c["name"]
            ),
            Some(other) => panic!("unknown expected error {other}"),
            None => {
                let r = got.unwrap_or_else(|e| panic!("{}: {e}", c["name"]));
                worst = worst.max(max_diff(
                    &c,
                    "eigenvector",
                    &r.scores,
                    &floats(&want["scores"]),
                ));
                let lam = want["lambda"].as_f64().unwrap();
                assert!(
                    (r.value - lam).abs() < 1e-9 * lam,
                    "{}: λ {}",
                    c["name"],
                    r.value
                );
                // Exact zeros where the dense eigenvector has them.
                assert_eq!(
                    r.support as u64,
                    want["positive_nodes"].as_u64().unwrap(),
                    "{}",
                    c["name"]
                );
                assert_eq!(r.scores.iter().filter(|&&x| x > 0.0).count(), r.support);
                compared += 1;
            }
        }
    }
    eprintln!("eigenvector: {compared} graphs, max abs diff vs networkx {worst:e}");
    assert!(compared >= 8, "{compared} compared");
}

#[test]
fn katz_agrees_with_networkx() {
    let (mut compared, mut worst) = (0, 0.0f64);
    for (c, g) in cases() {
        let want = &c["katz"];
        let cfg = KatzConfig {
            alpha: want["alpha"].as_f64().unwrap(),
            beta: 1.0,
            tol: TOL,
            max_iter: MAX_ITER,
            weighted: true,
        };
        let r = katz(&g, &cfg).unwrap_or_else(|e| panic!("{}: {e}", c["name"]));
        worst = worst.max(max_diff(&c, "katz", &r.scores, &floats(&want["scores"])));
        compared += 1;
    }
    eprintln!("katz: {compared} graphs, max abs diff vs networkx {worst:e}");
    assert!(compared >= 13);
}

#[test]
fn katz_beyond_one_over_lambda_names_the_eigenvalue_and_the_limit() {
    let mut checked = 0;
    for (c, g) in cases() {
        let lam = c["lambda_max"].as_f64().unwrap();
        if lam < 1.0 {
            continue; // acyclic: Katz converges for every alpha
        }
        let cfg = KatzConfig {
            alpha: 1.05 / lam,
            ..Default::default()
        };
        match katz(&g, &cfg) {
            Err(SpectralError::KatzDiverges {
                alpha,
                lambda,
                limit,
            }) => {
                assert_eq!(alpha, 1.05 / lam);
                assert!((lambda - lam).abs() < 1e-6 * lam, "{}: {lambda}", c["name"]);
                assert!((limit - 1.0 / lam).abs() < 1e-6 / lam);
            }
            other => panic!("{}: {other:?}", c["name"]),
        }
        let ok = KatzConfig {
            alpha: 0.95 / lam,
            max_iter: MAX_ITER,
            ..Default::default()
        };
        assert!(katz(&g, &ok).is_ok(), "{}", c["name"]);
        checked += 1;
    }
    assert!(checked >= 9);
}

#[test]
fn core_numbers_match_networkx_exactly_in_every_mode() {
    let mut checked = 0;
    for (c, g) in cases() {
        for (mode, key) in [
            (CoreMode::Total, "core_total"),
            (CoreMode::In, "core_in"),
            (CoreMode::Out, "core_out"),
        ] {
            assert_eq!(core_numbers(&g, mode), ints(&c[key]), "{} {key}", c["name"]);
            checked += 1;
        }
    }
    assert!(checked >= 39);
}

/// The karate club as a digraph with both directions of every edge.
fn karate() -> (Value, Graph) {
    let k = load("karate.json");
    let pairs: Vec<(u32, u32)> = k["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            let (a, b) = (e[0].as_u64().unwrap() as u32, e[1].as_u64().unwrap() as u32);
            [(a, b), (b, a)]
        })
        .collect();
    (k, Graph::from_pairs(34, &pairs))
}

#[test]
fn karate_core_golden_max_core_4_with_10_nodes() {
    let (k, g) = karate();
    let want = ints(&k["core_number"]);
    let core_in = core_numbers(&g, CoreMode::In);
    assert_eq!(core_in, want);
    assert_eq!(core_numbers(&g, CoreMode::Out), want);
    assert_eq!(*core_in.iter().max().unwrap(), 4);
    assert_eq!(core_in.iter().filter(|&&c| c == 4).count(), 10);
    // Total degree counts each undirected edge twice here: twice the core number.
    let doubled: Vec<u32> = want.iter().map(|c| 2 * c).collect();
    assert_eq!(core_numbers(&g, CoreMode::Total), doubled);
}

#[test]
fn karate_hits_matches_the_existing_fixture() {
    let (k, g) = karate();
    let r = hits(
        &g,
        &HitsConfig {
            tol: TOL,
            max_iter: MAX_ITER,
            weighted: true,
        },
    )
    .unwrap();
    let a = floats(&k["hits_authorities"]);
    let h = floats(&k["hits_hubs"]);
    max_diff(&k, "authority", &r.authorities, &a);
    max_diff(&k, "hub", &r.hubs, &h);
    // Symmetric graph: hubs and authorities coincide; node 33 leads.
    let top = (0..34)
        .max_by(|&i, &j| r.authorities[i].total_cmp(&r.authorities[j]))
        .unwrap();
    assert_eq!(top, 33);
}

/// Quick mode on the bundled us-house-2022 follow graph (285k nodes, λ_max ≈ 160.41).
fn house(dir: &std::path::Path, method: &str, params: &[&str]) -> Vec<String> {
    let data = repo().join("data/us-house-2022");
    let mut args: Vec<String> = [
        "rank",
        "-q",
        "--accounts",
        data.join("accounts.csv").to_str().unwrap(),
        "--follows",
        data.join("follows.tsv.gz").to_str().unwrap(),
        "--method",
        method,
        "--out",
        dir.join("out").to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    for p in params {
        args.extend(["--param".to_string(), p.to_string()]);
    }
    args
}

#[test]
fn katz_at_networkx_default_alpha_fails_clearly_on_the_house_graph() {
    let dir = temp_dir("net1-katz");
    let args = house(&dir, "katz", &[]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains(
            "Katz does not converge for alpha = 0.1: the largest eigenvalue is 160.4147\
             00; use alpha < 0.006234"
        ),
        "{e}"
    );
    let args = house(&dir, "katz", &["alpha=0.005"]);
    ok(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let t = read_csv(&dir.join("out/rankings.csv"));
    assert_eq!(column(&t, "rank").len(), 562);
}

#[test]
fn k_core_on_the_house_graph_ties_with_competition_ranks() {
    let dir = temp_dir("net1-kcore");
    let args = house(&dir, "k-core", &["mode=in"]);
    ok(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let t = read_csv(&dir.join("out/rankings.csv"));
    let ranks: Vec<u32> = column(&t, "rank")
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    let scores: Vec<f64> = column(&t, "score")
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    assert_eq!(ranks.len(), 562);
    assert!(scores.iter().all(|s| s.fract() == 0.0));
    for i in 1..ranks.len() {
        if scores[i] == scores[i - 1] {
            assert_eq!(ranks[i], ranks[i - 1]);
        } else {
            assert!(scores[i] < scores[i - 1]);
            assert_eq!(ranks[i] as usize, i + 1);
        }
    }
    assert!(ranks.windows(2).any(|w| w[0] == w[1]), "cores tie");
}

#[test]
fn power_iterations_are_bit_identical_at_any_thread_count() {
    let (c, g) = cases()
        .into_iter()
        .find(|(c, _)| c["name"] == "scale_free_n300")
        .unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let h = hits(&g, &HitsConfig::default()).unwrap();
            let e = eigenvector(&g, &EigenvectorConfig::default()).unwrap();
            let k = katz(&g, &KatzConfig::default()).unwrap();
            [h.authorities, h.hubs, e.scores, k.scores]
        })
    };
    let one = run(1);
    for threads in [2, 4, 7] {
        let many = run(threads);
        for (a, b) in one.iter().zip(&many) {
            let (a, b): (Vec<u64>, Vec<u64>) = (
                a.iter().map(|x| x.to_bits()).collect(),
                b.iter().map(|x| x.to_bits()).collect(),
            );
            assert_eq!(a, b, "{} at {threads} threads", c["name"]);
        }
    }
}

#[test]
fn a_tie_between_parts_names_two_accounts_and_exits_2() {
    let dir = temp_dir("net1-tie");
    // Two copies of a 2-leaf in-star: a and d tie as authorities.
    let f = dir.join("follows.csv");
    std::fs::write(&f, "follower,followee\nb,a\nc,a\ne,d\nf,d\n").unwrap();
    let out = dir.join("out");
    let args = [
        "rank",
        "-q",
        "--follows",
        f.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let e = fails(&dir, &[&args[..], &["--method", "hits-authority"]].concat());
    assert!(
        e.starts_with(
            "error: accounts \"a\" and \"d\" are in different tied parts: hits is not unique"
        ),
        "{e}"
    );
    let e = fails(&dir, &[&args[..], &["--method", "eigenvector"]].concat());
    assert!(e.contains("no directed cycle"), "{e}");
    // Katz and k-core are defined here.
    ok(&dir, &[&args[..], &["--method", "katz"]].concat());
    ok(&dir, &[&args[..], &["--method", "k-core"]].concat());
    let t = read_csv(&out.join("rankings.csv"));
    assert_eq!(column(&t, "rank"), vec!["1", "1", "1", "1", "1", "1"]);
}
