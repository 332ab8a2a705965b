//! A small study end to end: every output is there, the row accounting balances, the
//! numbers are the hand-computed ones, and the tables are byte-identical at 1 and 2
//! threads.

use std::path::Path;

use crate::support::*;

fn run_small(name: &str, threads: &str) -> std::path::PathBuf {
    audit_small_with(name, &["--threads", threads])
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for sub in ["tables", "figures"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            v.push(format!(
                "{sub}/{}",
                e.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    v.sort();
    v
}

#[test]
fn small_study_writes_every_output() {
    let out = run_small("audit-small", "2");
    let files = files_under(&out);
    for t in [
        "rankings",
        "comparisons",
        "stability",
        "universes",
        "seeds",
        "hierarchy",
        "representation",
        "gaming",
        "gaming_accounts",
        "multiverse",
        "variance_attribution",
        "sobol_indices",
        "sobol_accounts",
    ] {
        assert!(files.contains(&format!("tables/{t}.csv")), "{files:?}");
        assert!(files.contains(&format!("tables/{t}.parquet")), "{files:?}");
    }
    for f in [
        "caterpillar-seed-leave-one-out",
        "caterpillar-seed-resample",
        "threshold-sweep",
    ] {
        assert!(files.contains(&format!("figures/{f}.png")), "{files:?}");
        assert!(files.contains(&format!("figures/{f}.svg")), "{files:?}");
    }
    assert!(
        !files.iter().any(|f| f.contains(".tmp")),
        "no temporary files left: {files:?}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Figures are linked files beside the page (each opening its SVG), not embedded.
    assert!(
        !html.contains("data:image/png;base64,"),
        "no embedded images"
    );
    let srcs: Vec<&str> = html
        .split("<img alt=\"")
        .skip(1)
        .map(|s| s.split("src=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert!(srcs.len() >= 5, "{srcs:?}");
    for s in &srcs {
        assert!(out.join(s).is_file(), "{s} is linked but missing");
        let svg = s.replace(".png", ".svg");
        assert!(
            html.contains(&format!("<a href=\"{svg}\">")),
            "{s} links its SVG"
        );
    }
    // The published rule (k = 2 of 3 seeds, by followers then statuses) has carol (900)
    // and bob (500, 200) as its top 2. s1 (1000 followers) follows one seed: following
    // one more (its own act) gets it in. dave (100 followers) also needs 401 followers.
    let g = read_csv(&out.join("tables/gaming_accounts.csv"));
    assert_eq!(g.0[1..3], ["account", "label"], "{:?}", g.0);
    let rows: Vec<_> = g.1.iter().filter(|r| r[0] == "published").collect();
    let s1 = rows
        .iter()
        .find(|r| r[1] == "s1")
        .expect("s1 is a candidate");
    assert_eq!(
        (s1[3].as_str(), s1[4].as_str(), s1[5].as_str()),
        ("1.0", "0.0", "1.0"),
        "{s1:?}"
    );
    let dave = rows
        .iter()
        .find(|r| r[1] == "dave")
        .expect("dave is a candidate");
    assert_eq!(
        (dave[3].as_str(), dave[4].as_str(), dave[5].as_str()),
        ("1.0", "401.0", ""),
        "{dave:?}"
    );
    // The published rule ranks by followers, the toy's stand-in offline hierarchy.
    let h = read_csv(&out.join("tables/hierarchy.csv"));
    assert_eq!(column(&h, "offline_rank_spearman")[0], "1.0");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("## What the rule does with this data")
            && report.contains("4 of 8 accounts in the population follow at least 2"),
        "{report}"
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["seed"], 7);
    for t in m["tables_read"].as_array().unwrap() {
        let (r, u, j) = (
            t["rows_read"].as_u64().unwrap(),
            t["rows_used"].as_u64().unwrap(),
            t["rows_rejected"].as_u64().unwrap(),
        );
        assert_eq!(r, u + j, "{t}");
    }
    let follows = &m["tables_read"][1];
    assert_eq!(follows["rejected"]["self_loop"], 1);
    assert_eq!(follows["rejected"]["duplicate_follow"], 1);
    assert_eq!(
        m["inputs"].as_array().unwrap().len(),
        5,
        "2 tables, 2 seed lists, the study"
    );
    assert!(m["inputs"][0]["sha256"].as_str().unwrap().len() == 64);
}

#[test]
fn sweep_and_leave_one_out_match_hand_counts() {
    let out = run_small("audit-hand", "1");
    let u = read_csv(&out.join("tables/universes.csv"));
    let fam = column(&u, "family");
    let nq = column(&u, "n_qualified");
    let sweep: Vec<&str> = fam
        .iter()
        .zip(&nq)
        .filter(|(f, _)| **f == "threshold-sweep")
        .map(|(_, q)| *q)
        .collect();
    // k = 1: alice bob carol dave erin s1 (s1 follows s2) = 6; k = 2: alice bob carol erin; k = 3: alice.
    assert_eq!(sweep, vec!["6", "4", "1"]);
    let loo: Vec<&str> = fam
        .iter()
        .zip(&nq)
        .filter(|(f, _)| **f == "seed-leave-one-out")
        .map(|(_, q)| *q)
        .collect();
    // without s1: alice, and with k = 2 of {s2, s3} only alice; without s2: alice, carol; without s3: alice, bob, erin.
    assert_eq!(loo, vec!["1", "2", "3"]);
    let c = read_csv(&out.join("tables/comparisons.csv"));
    let all = column(&c, "subset").iter().filter(|s| **s == "all").count();
    assert_eq!(all, 6, "4 rankings -> 6 pairs");
    assert_eq!(
        c.1.len(),
        18,
        "each pair also over the top 10 % and top 1 %"
    );
}

#[test]
fn tables_are_byte_identical_at_one_and_two_threads() {
    let a = run_small("audit-t1", "1");
    let b = run_small("audit-t2", "2");
    for e in std::fs::read_dir(a.join("tables")).unwrap() {
        let name = e.unwrap().file_name();
        let x = std::fs::read(a.join("tables").join(&name)).unwrap();
        let y = std::fs::read(b.join("tables").join(&name)).unwrap();
        assert!(x == y, "{name:?} differs between 1 and 2 threads");
    }
    assert_eq!(
        std::fs::read(a.join("report.md")).unwrap(),
        std::fs::read(b.join("report.md")).unwrap(),
        "report differs"
    );
}

/// Accounts with labels: every table carries `label` beside `account`, the seeds may be
/// handles (any case, with `@`), and the charts and report show the labels, not the
/// ids. The ids are numbers here, as Twitter's are.
#[test]
fn labels_are_shown_and_seeds_may_be_handles() {
    let dir = temp_dir("audit-labels");
    let src = fixture("small");
    let ids = [
        ("s1", "1001"),
        ("s2", "1002"),
        ("s3", "1003"),
        ("alice", "2001"),
        ("bob", "2002"),
        ("carol", "2003"),
        ("dave", "2004"),
        ("erin", "2005"),
    ];
    let to_id = |name: &str| {
        ids.iter()
            .find(|(n, _)| *n == name)
            .map_or(name.to_string(), |(_, i)| i.to_string())
    };
    // accounts: numeric ids, the old names as labels (capitalised).
    let acc = std::fs::read_to_string(src.join("accounts.csv")).unwrap();
    let mut lines = acc.lines();
    let mut text = format!("{},label\n", lines.next().unwrap());
    for l in lines {
        let (name, rest) = l.split_once(',').unwrap();
        let mut label = name.to_string();
        label[..1].make_ascii_uppercase();
        text.push_str(&format!("{},{rest},{label}\n", to_id(name)));
    }
    std::fs::write(dir.join("accounts.csv"), text).unwrap();
    let follows = std::fs::read_to_string(src.join("follows.csv")).unwrap();
    let mut lines = follows.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    for l in lines {
        let (a, b) = l.split_once(',').unwrap();
        text.push_str(&format!("{},{}\n", to_id(a), to_id(b)));
    }
    std::fs::write(dir.join("follows.csv"), text).unwrap();
    // Seeds as handles: "@S1", "s2", "@s3"; the pool by id.
    std::fs::write(dir.join("seeds.txt"), "@S1\ns2\n@s3\n").unwrap();
    let pool = std::fs::read_to_string(src.join("pool.txt")).unwrap();
    let pool: Vec<String> = pool
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(to_id)
        .collect();
    std::fs::write(dir.join("pool.txt"), pool.join("\n")).unwrap();
    std::fs::copy(src.join("study.toml"), dir.join("study.toml")).unwrap();
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "audit",
            dir.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    for table in ["rankings", "stability", "gaming_accounts"] {
        let t = read_csv(&out.join(format!("tables/{table}.csv")));
        let at = t.0.iter().position(|c| c == "account").unwrap();
        assert_eq!(t.0[at + 1], "label", "{table}: {:?}", t.0);
        for row in &t.1 {
            let (id, label) = (&row[at], &row[at + 1]);
            let name = ids.iter().find(|(_, i)| i == id).unwrap().0;
            assert_eq!(label.to_lowercase(), name, "{table}: {row:?}");
        }
    }
    // The published top 2 is carol and bob, as in the unlabelled study.
    let r = read_csv(&out.join("tables/rankings.csv"));
    let published: Vec<&str> =
        r.1.iter()
            .filter(|row| row[0] == "published")
            .map(|row| row[r.0.iter().position(|c| c == "label").unwrap()].as_str())
            .collect();
    assert_eq!(&published[..2], ["Carol", "Bob"]);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("Carol"), "the report shows labels");
    let svg =
        std::fs::read_to_string(out.join("figures/caterpillar-seed-leave-one-out.svg")).unwrap();
    assert!(
        svg.contains("Carol") && !svg.contains(">2003<"),
        "the chart shows labels"
    );
}
