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
    // The file is prepared in the study's order: renumbered once, not on every run.
    let prepared: Vec<_> = files_under(&dir)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rkgraph"))
        .collect();
    assert_eq!(prepared.len(), 1, "{prepared:?}");
    let bytes = std::fs::read(dir.join(&prepared[0])).unwrap();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    assert!(head.contains("\"order\":\"in-degree\""), "{head}");
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

/// A prepared file in in-degree order, with accounts that only the follows table names
/// and accounts that only the interactions name (numbered after the file's): the same
/// ranks as a cold run that renumbers everything after loading, for a follow measure
/// and a conversation measure.
#[test]
fn accounts_added_after_a_renumbered_prepared_file_are_numbered_as_cold() {
    let dir = temp_dir("renumber-prepared-interactions");
    let w = |f: &str, s: &str| std::fs::write(dir.join(f), s).unwrap();
    w("accounts.csv", "account,followers\nz,5\nb,7\na,1\n");
    w(
        "follows.csv",
        "follower,followee\na,b\nx,b\ny,b\nb,y\nx,y\nz,x\na,y\nq0,a\n",
    );
    w(
        "interactions.csv",
        "source,target,kind,weight,tag,time\n\
         r1,a,retweet,1,,2014-05-01T00:00:10Z\n\
         r2,b,retweet,1,,2014-05-01T00:00:20Z\n\
         r1,r2,retweet,1,,2014-05-01T00:00:30Z\n\
         y,r3,retweet,1,,2014-05-01T00:00:40Z\n",
    );
    let data = [
        "--accounts",
        "accounts.csv",
        "--follows",
        "follows.csv",
        "--interactions",
        "interactions.csv",
        "--order",
        "in-degree",
    ];
    // PageRank on either graph, and a column of the accounts table (which the warm run
    // puts in the file's order).
    let rank = |how: &[&str], out: &str| {
        let mut args = vec!["rank"];
        args.extend(data);
        args.extend(how);
        args.extend(["--out", out]);
        stderr(&ok(&dir, &args))
    };
    let runs: [(&[&str], &str, &str); 3] = [
        (
            &["--graph", "follows", "--method", "pagerank"],
            "cold-f",
            "warm-f",
        ),
        (
            &["--graph", "interactions", "--method", "pagerank"],
            "cold-i",
            "warm-i",
        ),
        (
            &["--method", "count", "--param", "column=followers"],
            "cold-c",
            "warm-c",
        ),
    ];
    for (how, cold, _) in runs {
        rank(how, cold);
    }
    let mut prepare = vec!["prepare"];
    prepare.extend(data);
    ok(&dir, &prepare);
    for (how, cold, warm) in runs {
        let graph = how.join(" ");
        let e = rank(how, warm);
        assert!(e.contains("follow graph from the prepared file"), "{e}");
        for f in files_under(&dir.join(cold)) {
            if f != Path::new("manifest.json") {
                assert!(
                    std::fs::read(dir.join(cold).join(&f)).unwrap()
                        == std::fs::read(dir.join(warm).join(&f)).unwrap(),
                    "{graph}: {} differs",
                    f.display()
                );
            }
        }
    }
}
