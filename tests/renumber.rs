//! Locality renumbering (`[data] order = "in-degree"`, `--order in-degree`): the
//! accounts are numbered most-followed first in memory, and nothing a reader sees
//! changes but the last bits of floating sums. On the bundled Higgs follow graph, every
//! network ranking names the same accounts at the same ranks in either order, with
//! scores within 1e-12 of each other; with a prepared graph file, a renumbered audit
//! writes the same bytes as a renumbered audit that parsed.

use std::collections::HashMap;
use std::path::Path;

use crate::support::*;

/// account -> (rank, score) of a quick-mode rankings.csv.
fn ranks(path: &Path) -> HashMap<String, (u32, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (a, s, r) = (col("account"), col("score"), col("rank"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[a].to_string(),
                (f[r].parse().unwrap(), f[s].parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn in_degree_order_gives_the_same_ranks_and_scores_to_1e_12() {
    let dir = temp_dir("renumber-quick");
    let follows = repo().join("data/higgs-2012/follows.tsv.gz");
    let follows = follows.to_str().unwrap();
    for method in [
        "pagerank",
        "hits-authority",
        "k-core",
        "in-degree",
        "eigenvector",
    ] {
        let run = |order: &str| {
            let out = format!("{method}-{order}");
            let args = [
                "rank",
                "--follows",
                follows,
                "--method",
                method,
                "--order",
                order,
                "--out",
                &out,
                "--quiet",
            ];
            ok(&dir, &args);
            ranks(&dir.join(&out).join("rankings.csv"))
        };
        let (file, degree) = (run("file"), run("in-degree"));
        assert!(file.len() > 1000, "{method}: {} ranked", file.len());
        assert_eq!(file.len(), degree.len(), "{method}");
        let top = file.values().map(|x| x.1.abs()).fold(0.0, f64::max);
        for (account, &(rank, score)) in &file {
            let (rank2, score2) = degree[account];
            assert_eq!(rank, rank2, "{method}: {account}");
            assert!(
                (score - score2).abs() <= 1e-12 * top,
                "{method}: {account}: {score} vs {score2}"
            );
        }
    }
}

#[test]
fn a_renumbered_audit_from_the_prepared_file_writes_the_same_outputs() {
    let dir = temp_dir("renumber-prepared");
    let study = copy_small_study(&dir);
    let text = std::fs::read_to_string(&study).unwrap();
    let text = text.replacen(
        "[data.accounts]",
        "[data]\norder = \"in-degree\"\n\n[data.accounts]",
        1,
    );
    std::fs::write(&study, text).unwrap();
    let audit = |out: &str| stderr(&ok(&dir, &["audit", "study.toml", "--out", out]));
    audit("cold");
    ok(&dir, &["prepare", "study.toml"]);
    let warm = audit("warm");
    assert!(
        warm.contains("follow graph from the prepared file"),
        "{warm}"
    );
    for f in files_under(&dir.join("cold")) {
        if f != Path::new("manifest.json") {
            assert!(
                std::fs::read(dir.join("cold").join(&f)).unwrap()
                    == std::fs::read(dir.join("warm").join(&f)).unwrap(),
                "{} differs",
                f.display()
            );
        }
    }
    // The manifest records the order with the study.
    let m = std::fs::read_to_string(dir.join("warm/manifest.json")).unwrap();
    assert!(m.contains("\"order\": \"in-degree\""), "{m}");
}
