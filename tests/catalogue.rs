//! The catalogue of published rules in quick mode, on the toy fixture (answers by hand;
//! see quick.rs): each rule runs by name, equals the registry method it stands for, and
//! reproduces every published number its sources give.

use std::io::Write;

use rankaudit::rankings::catalogue::RULES;

use crate::support::*;

fn small(name: &str) -> String {
    fixture(&format!("small/{name}")).display().to_string()
}

/// `rank` on the toy accounts and follows with `extra` flags: (account, score, rank) rows
/// and the method column.
fn rank(tag: &str, extra: &[&str]) -> (Vec<(String, String, String)>, Vec<String>) {
    let dir = temp_dir(tag);
    let out = dir.join("out");
    let (a, f) = (small("accounts.csv"), small("follows.csv"));
    let mut args = vec!["rank", "--accounts", &a, "--follows", &f];
    args.extend_from_slice(extra);
    let o = out.to_str().unwrap().to_string();
    args.extend_from_slice(&["--out", &o]);
    ok(&dir, &args);
    let t = read_csv(&out.join("rankings.csv"));
    let rows = column(&t, "account")
        .into_iter()
        .zip(column(&t, "score"))
        .zip(column(&t, "rank"))
        .map(|((a, s), r)| (a.to_string(), s.to_string(), r.to_string()))
        .collect();
    (
        rows,
        column(&t, "method").iter().map(|s| s.to_string()).collect(),
    )
}

/// `rank` on the toy tables with `extra` flags, expected to fail: its stderr.
fn rank_fails(tag: &str, extra: &[&str]) -> String {
    let dir = temp_dir(tag);
    let (a, f) = (small("accounts.csv"), small("follows.csv"));
    let o = dir.join("o").to_str().unwrap().to_string();
    let mut args = vec!["rank", "--accounts", &a, "--follows", &f, "--out", &o];
    args.extend_from_slice(extra);
    fails(&dir, &args)
}

#[test]
fn boat_rockers_is_follow_seeds_with_its_readings() {
    let seeds = small("seeds.txt");
    let rule = [
        "--method",
        "nhs-2014-boat-rockers",
        "--seeds",
        &seeds,
        "--min-follows",
        "2",
    ];
    let (rows, method) = rank("cat-br", &rule);
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["carol", "bob", "alice"], "the hand-computed table");
    assert_eq!(method, vec!["nhs-2014-boat-rockers"; 3]);
    for combine in ["rank-sum", "product", "ratio"] {
        let mut with = rule.to_vec();
        let v = format!("variant={combine}");
        with.extend_from_slice(&["--param", &v]);
        let (a, _) = rank(&format!("cat-br-{combine}"), &with);
        let (b, _) = rank(
            &format!("cat-fs-{combine}"),
            &[
                "--method",
                "follow-seeds",
                "--seeds",
                &seeds,
                "--min-follows",
                "2",
                "--by",
                "followers,statuses",
                "--combine",
                combine,
            ],
        );
        assert_eq!(a, b, "variant {combine} = follow-seeds combine = {combine}");
    }
}

#[test]
fn organisational_index_and_category_tables() {
    // followers × statuses over everyone: bob 100,000, s3 90,000, alice 50,000,
    // carol 45,000, s2 40,000, s1 10,000, dave 500; erin has no follower count.
    let (rows, _) = rank(
        "cat-fsi",
        &["--method", "nhs-2014-followers-statuses-index"],
    );
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["bob", "s3", "alice", "carol", "s2", "s1", "dave"]);
    assert_eq!(rows[0].1.parse::<f64>().unwrap(), 100_000.0);
    // The ratio reading: s1..s3 all 100, dave 20, carol 18, alice 5, bob 2.5.
    let (rows, _) = rank(
        "cat-fsi-ratio",
        &[
            "--method",
            "nhs-2014-followers-statuses-index",
            "--param",
            "variant=ratio",
        ],
    );
    let ranks: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(ranks, ["1", "1", "1", "4", "5", "6", "7"]);
    // One category's table (Chapman & Freeman): party D by followers.
    let (rows, _) = rank(
        "cat-cf",
        &[
            "--method",
            "chapman-freeman-2015",
            "--param",
            "within=[\"party\", \"D\"]",
        ],
    );
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["s3", "s1", "carol", "alice"]);
    let e = rank_fails(
        "cat-cf-bad",
        &[
            "--method",
            "chapman-freeman-2015",
            "--param",
            "within=[\"party\", \"Green\"]",
        ],
    );
    assert!(
        e.contains("no account has party = \"Green\"") && e.contains("\"D\""),
        "{e}"
    );
    let seeds = small("seeds.txt");
    let e = rank_fails(
        "cat-br-bad",
        &[
            "--method",
            "nhs-2014-boat-rockers",
            "--seeds",
            &seeds,
            "--combine",
            "product",
        ],
    );
    assert!(e.contains("variant \"lexicographic\" sets combine"), "{e}");
    let e = rank_fails("cat-br-noseeds", &["--method", "nhs-2014-boat-rockers"]);
    assert!(e.contains("give seeds"), "{e}");
}

/// Every published value a rule's sources give, reproduced through the rule's name.
#[test]
fn published_numbers_are_reproduced() {
    let mut checked = 0;
    for r in RULES.iter().filter(|r| !r.checks.is_empty()) {
        let dir = temp_dir(&format!("cat-checks-{}", r.name));
        let cols: Vec<&str> = r.checks[0].columns.iter().map(|c| c.0).collect();
        let path = dir.join("accounts.csv");
        let mut f = std::fs::File::create(&path).unwrap();
        writeln!(f, "account,{}", cols.join(",")).unwrap();
        for (i, c) in r.checks.iter().enumerate() {
            let v: Vec<String> = c.columns.iter().map(|x| x.1.to_string()).collect();
            writeln!(f, "a{i},{}", v.join(",")).unwrap();
        }
        drop(f);
        // These rules read the accounts table only: no graph is needed.
        let out = dir.join("out");
        ok(
            &dir,
            &[
                "rank",
                "--accounts",
                path.to_str().unwrap(),
                "--method",
                r.name,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        if r.name == "hall-2014-kardashian-index" {
            let e = fails(
                &dir,
                &[
                    "rank",
                    "--accounts",
                    path.to_str().unwrap(),
                    "--method",
                    "pagerank",
                    "--out",
                    out.to_str().unwrap(),
                ],
            );
            assert!(
                e.contains("--method pagerank ranks by a graph: give --follows FILE"),
                "{e}"
            );
        }
        let t = read_csv(&out.join("rankings.csv"));
        for (i, c) in r.checks.iter().enumerate() {
            let k = column(&t, "account")
                .iter()
                .position(|a| *a == format!("a{i}"))
                .unwrap();
            let got: f64 = column(&t, "score")[k].parse().unwrap();
            let scale = 10f64.powi(c.decimals);
            assert_eq!(
                (got * scale).round() / scale,
                c.published,
                "{}: {}",
                r.name,
                c.what
            );
            if let Some(want) = c.rank {
                let rank: u32 = column(&t, "rank")[k].parse().unwrap();
                assert_eq!(rank, want, "{}: {}", r.name, c.what);
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 6,
        "the Kardashian index's three published values and Science's first three places"
    );
}
