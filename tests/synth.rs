//! `rankaudit synth`: byte-identical files for a seed at any thread count, other files for
//! another seed, and a study that `rankaudit audit` runs end to end with 1,000 replicates;
//! quick mode's `--timings` line (read by bench/run).

use std::path::Path;

use rankaudit::synth::FILES;

use crate::support::*;

fn synth(dir: &Path, sub: &str, seed: &str, threads: &str) -> std::path::PathBuf {
    let out = dir.join(sub);
    ok(
        dir,
        &[
            "synth",
            "--scale",
            "10",
            "--edges",
            "8000",
            "--interactions",
            "2000",
            "--seed",
            seed,
            "--abcd",
            "0.57,0.19,0.19,0.05",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    out
}

#[test]
fn synth_is_deterministic_at_any_thread_count_and_seed_dependent() {
    let dir = temp_dir("synth-det");
    let a = synth(&dir, "a", "3", "1");
    let b = synth(&dir, "b", "3", "2");
    let c = synth(&dir, "c", "4", "2");
    for f in FILES {
        let fa = std::fs::read(a.join(f)).unwrap();
        assert!(!fa.is_empty(), "{f} empty");
        assert_eq!(
            fa,
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs across threads"
        );
    }
    for f in [
        "follows.csv",
        "accounts.csv",
        "interactions.csv",
        "seeds.txt",
    ] {
        assert_ne!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(c.join(f)).unwrap(),
            "{f} is the same for seeds 3 and 4"
        );
    }
    let follows = read_csv(&a.join("follows.csv"));
    assert_eq!(follows.0, ["follower", "followee"]);
    assert_eq!(follows.1.len(), 8000);
    let mut pairs: Vec<&Vec<String>> = follows.1.iter().collect();
    pairs.dedup();
    assert_eq!(pairs.len(), 8000, "no duplicate edges");
    assert!(follows.1.iter().all(|r| r[0] != r[1]), "no self-loops");
    let acc = read_csv(&a.join("accounts.csv"));
    assert_eq!(acc.0, ["account", "followers", "following", "statuses"]);
    assert_eq!(acc.1.len(), 1024);
    let ev = read_csv(&a.join("interactions.csv"));
    assert_eq!(ev.0, ["source", "target", "kind", "time"]);
    assert_eq!(ev.1.len(), 2000);
    let e = fails(
        &dir,
        &[
            "synth",
            "--abcd",
            "0.6,0.2,0.15",
            "--out",
            "x",
            "--scale",
            "8",
        ],
    );
    assert!(e.contains("four probabilities"), "{e}");
    let e = fails(
        &dir,
        &[
            "synth",
            "--abcd",
            "0.6,0.2,0.15,0.15",
            "--out",
            "x",
            "--scale",
            "8",
        ],
    );
    assert!(e.contains("sum to 1"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_synth_study_runs_end_to_end() {
    let dir = temp_dir("synth-audit");
    let data = synth(&dir, "data", "11", "2");
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "audit",
            data.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    let r = read_csv(&out.join("tables/rankings.csv"));
    let ranking = column(&r, "ranking");
    for name in [
        "published",
        "in-degree",
        "pagerank",
        "close-to-seeds",
        "hits-authority",
        "k-core",
    ] {
        assert!(ranking.contains(&name), "no {name} ranking");
    }
    let qualified = ranking.iter().filter(|&&n| n == "published").count();
    assert!(qualified >= 10, "only {qualified} accounts qualify");
    let u = read_csv(&out.join("tables/universes.csv"));
    assert_eq!(u.1.len(), 1000, "1,000 seed replicates");
    assert!(out.join("figures/caterpillar-seed-resample.png").exists());
    assert!(out.join("manifest.json").exists());

    // Quick mode on the same files, with the phase timings the benchmark reads.
    let o = ok(
        &dir,
        &[
            "rank",
            "--follows",
            data.join("follows.csv").to_str().unwrap(),
            "--method",
            "pagerank",
            "--timings",
            "--out",
            dir.join("pr").to_str().unwrap(),
            "-q",
        ],
    );
    let line = String::from_utf8(o.stdout).unwrap();
    let t: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    for k in ["load_s", "graphs_s", "rank_s", "write_s"] {
        assert!(t[k].as_f64().unwrap() >= 0.0, "{k} in {line}");
    }
    let pr = read_csv(&dir.join("pr/rankings.csv"));
    let total: f64 = column(&pr, "score")
        .iter()
        .map(|s| s.parse::<f64>().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "PageRank sums to {total}");
    std::fs::remove_dir_all(&dir).ok();
}
