//! Quick mode on the toy fixture, whose answers are worked out by hand:
//! qualifiers at k = 2 are alice (3 seeds), bob (2), carol (2) and erin (2, but her
//! follower count is missing, so she is excluded); lexicographic by followers then
//! statuses gives carol (900), bob (500, 200), alice (500, 100).

use std::io::Write;

use crate::support::*;

fn small(name: &str) -> String {
    fixture(&format!("small/{name}")).display().to_string()
}

#[test]
fn follow_seeds_reproduces_the_hand_computed_table() {
    let dir = temp_dir("quick-fs");
    let out = dir.join("out");
    let o = ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &small("accounts.csv"),
            "--follows",
            &small("follows.csv"),
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "2",
            "--by",
            "followers,statuses",
            "--combine",
            "lexicographic",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let t = read_csv(&out.join("rankings.csv"));
    assert_eq!(
        t.0,
        vec!["method", "account", "label", "score", "rank", "qualified"]
    );
    // No label column in the accounts table: the label is the id.
    assert_eq!(column(&t, "label"), vec!["carol", "bob", "alice"]);
    assert_eq!(column(&t, "account"), vec!["carol", "bob", "alice"]);
    assert_eq!(column(&t, "rank"), vec!["1", "2", "3"]);
    assert_eq!(column(&t, "method"), vec!["follow-seeds"; 3]);
    assert!(out.join("rankings.parquet").exists());
    // The row accounting is reported: 17 follow rows, 1 self-loop and 1 duplicate dropped.
    let e = stderr(&o);
    assert!(e.contains("17 rows read, 15 used, 2 rejected"), "{e}");
}

#[test]
fn rank_sum_and_top_n() {
    let dir = temp_dir("quick-rs");
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &small("accounts.csv"),
            "--follows",
            &small("follows.csv"),
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "2",
            "--by",
            "followers,statuses",
            "--combine",
            "rank-sum",
            "--top",
            "1",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    // followers: alice 500, bob 500, carol 900 -> Borda 0.5, 0.5, 2
    // statuses: alice 100, bob 200, carol 50 -> 1, 2, 0; totals 1.5, 2.5, 2 -> bob first.
    let t = read_csv(&out.join("rankings.csv"));
    assert_eq!(column(&t, "account"), vec!["bob"]);
    assert_eq!(column(&t, "score"), vec!["2.5"]);
}

#[test]
fn pagerank_in_quick_mode_sums_to_one_over_all_accounts() {
    let dir = temp_dir("quick-pr");
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "rank",
            "--follows",
            &small("follows.csv"),
            "--method",
            "pagerank",
            "--damping",
            "0.85",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let t = read_csv(&out.join("rankings.csv"));
    let total: f64 = column(&t, "score")
        .iter()
        .map(|s| s.parse::<f64>().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert_eq!(
        column(&t, "account")[0],
        "s2",
        "s2 is followed by most, incl. s1"
    );
}

#[test]
fn user_column_names_gzip_and_parquet_inputs() {
    let dir = temp_dir("quick-formats");
    // A gzip'd TSV with the user's own column names.
    let text = std::fs::read_to_string(fixture("small/follows.csv"))
        .unwrap()
        .replace(',', "\t")
        .replace("follower\tfollowee", "src\tdst");
    let gz = dir.join("edges.tsv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();
    // The accounts as Parquet with `screen_name` for the id, written by our own writer.
    let acc = read_csv(&fixture("small/accounts.csv"));
    let col = |i: usize| acc.1.iter().map(|r| r[i].clone()).collect::<Vec<_>>();
    let num = |i: usize| {
        acc.1
            .iter()
            .map(|r| r[i].parse::<f64>().ok())
            .collect::<Vec<_>>()
    };
    use rankaudit::output::tables::{Col, Table, write_table};
    let t = Table::new("accounts")
        .col("screen_name", Col::Str(col(0)))
        .col("followers", Col::OptF64(num(1)))
        .col("statuses", Col::OptF64(num(2)));
    write_table(&dir, &t).unwrap();
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "rank",
            "--accounts",
            "accounts.parquet",
            "--account-col",
            "screen_name",
            "--follows",
            "edges.tsv.gz",
            "--follower-col",
            "src",
            "--followee-col",
            "dst",
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "2",
            "--by",
            "followers,statuses",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let r = read_csv(&out.join("rankings.csv"));
    assert_eq!(column(&r, "account"), vec!["carol", "bob", "alice"]);
}

#[test]
fn missing_counts_as_zero_admit_erin() {
    let dir = temp_dir("quick-missing");
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &small("accounts.csv"),
            "--follows",
            &small("follows.csv"),
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "2",
            "--by",
            "followers",
            "--missing",
            "zero",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let r = read_csv(&out.join("rankings.csv"));
    assert_eq!(column(&r, "account"), vec!["carol", "alice", "bob", "erin"]);
    assert_eq!(
        column(&r, "rank"),
        vec!["1", "2", "2", "4"],
        "competition ranks 1-2-2-4"
    );
}

/// `--format` and `[data] format` pick the importer by name, over the file extension.
#[test]
fn format_by_name_over_the_extension() {
    let dir = temp_dir("quick-format");
    // Comma-separated text under names that say otherwise (`.dat`: nothing; `.txt`: tsv).
    let follows = std::fs::read_to_string(fixture("small/follows.csv")).unwrap();
    std::fs::write(dir.join("follows.dat"), &follows).unwrap();
    std::fs::write(dir.join("follows.txt"), &follows).unwrap();
    let rank = |file: &str, format: Option<&str>| {
        let mut args = vec![
            "rank",
            "--follows",
            file,
            "--method",
            "in-degree",
            "--out",
            "o",
        ];
        args.extend(format.map(|f| ["--format", f]).into_iter().flatten());
        run(&dir, &args)
    };
    let e = stderr(&rank("follows.dat", None));
    assert!(
        e.contains("cannot tell the format from the file name"),
        "{e}"
    );
    let e = stderr(&rank("follows.txt", None));
    assert!(e.contains("no column \"follower\""), "{e}");
    let baseline = rank(&small("follows.csv"), None);
    assert!(baseline.status.success(), "{}", stderr(&baseline));
    let want = std::fs::read_to_string(dir.join("o/rankings.csv")).unwrap();
    for file in ["follows.dat", "follows.txt"] {
        let o = rank(file, Some("csv"));
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(dir.join("o/rankings.csv")).unwrap(),
            want,
            "{file}"
        );
    }
    // The manifest records the format given.
    let m = std::fs::read_to_string(dir.join("o/manifest.json")).unwrap();
    assert!(m.contains("\"format\": \"csv\""), "{m}");

    // A study: `[data] format` for every table, a table's own `format` over it.
    for f in ["accounts.csv", "seeds.txt", "pool.txt", "study.toml"] {
        std::fs::copy(fixture(&format!("small/{f}")), dir.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(dir.join("study.toml")).unwrap();
    let audit = |text: &str| {
        std::fs::write(dir.join("study.toml"), text).unwrap();
        run(&dir, &["-q", "audit", "study.toml", "--out", "out"])
    };
    let dat = text.replace("path = \"follows.csv\"", "path = \"follows.dat\"");
    assert!(!audit(&dat).status.success());
    let o = audit(&dat.replace(
        "[data.accounts]",
        "[data]\nformat = \"csv\"\n[data.accounts]",
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let txt = text.replace("path = \"follows.csv\"", "path = \"follows.txt\"");
    let o = audit(&txt.replace(
        "[data.accounts]",
        "[data]\nformat = \"tsv\"\n[data.accounts]",
    ));
    assert!(!o.status.success());
    let o = audit(
        &txt.replace(
            "path = \"follows.txt\"",
            "path = \"follows.txt\"\nformat = \"csv\"",
        )
        .replace(
            "[data.accounts]",
            "[data]\nformat = \"tsv\"\n[data.accounts]\nformat = \"csv\"",
        ),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The SNAP and Mastodon importers by name, on the import fixtures; the SNAP file read
/// as TSV (its extension's format) says to name `--format snap`.
#[test]
fn snap_and_mastodon_inputs_by_format_name() {
    let dir = temp_dir("quick-import");
    let edges = fixture("import/snap/edges.txt").display().to_string();
    let out = dir.join("snap");
    let o = ok(
        &dir,
        &[
            "rank",
            "--follows",
            &edges,
            "--format",
            "snap",
            "--method",
            "in-degree",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let e = stderr(&o);
    assert!(
        e.contains("20 rows read, 18 used, 2 rejected (duplicate_follow 1, self_loop 1)"),
        "{e}"
    );
    let t = read_csv(&out.join("rankings.csv"));
    assert_eq!(
        (column(&t, "account")[0], column(&t, "score")[0]),
        ("101", "5.0")
    );

    let e = fails(
        &dir,
        &[
            "rank",
            "--follows",
            &edges,
            "--method",
            "in-degree",
            "--out",
            "x",
        ],
    );
    assert!(
        e.contains("read such a file with `format = \"snap\"` (`--format snap`, or `--follows-format snap` for this file only)"),
        "{e}"
    );

    let exports = fixture("import/mastodon/exports").display().to_string();
    let out = dir.join("mastodon");
    ok(
        &dir,
        &[
            "-q",
            "rank",
            "--accounts",
            &exports,
            "--follows",
            &exports,
            "--format",
            "mastodon",
            "--method",
            "in-degree",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let t = read_csv(&out.join("rankings.csv"));
    // carol is followed by all three exporters.
    assert_eq!(column(&t, "account")[0], "carol@hachyderm.io");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["inputs"].as_array().unwrap().len(), 3);
    assert_eq!(m["tables_read"][1]["notes"]["exports_without_followers"], 3);

    // An ego folder: the ego's implicit follows are counted apart on the accounting line.
    let ego = fixture("import/snap/ego").display().to_string();
    let o = ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &ego,
            "--follows",
            &ego,
            "--format",
            "snap-ego",
            "--method",
            "in-degree",
            "--out",
            "ego",
        ],
    );
    let e = stderr(&o);
    assert!(
        e.contains("12 rows read, 11 used, 1 rejected (self_loop 1); implicit_ego_follows 5"),
        "{e}"
    );
}

/// twarc2 JSON lines as a user has them: the format recognised from the first line, the
/// accounts and interactions from one file, a follower list saved without metadata
/// refused until `--subject` names whose it is.
#[test]
fn twarc2_files_rank_without_a_format_flag() {
    let dir = temp_dir("quick-twarc2");
    let raw = fixture("import/twarc2/raw.jsonl").display().to_string();
    let out = dir.join("mentions");
    let o = ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &raw,
            "--interactions",
            &raw,
            "--graph",
            "interactions",
            "--method",
            "in-degree",
            "--param",
            "kinds=mention",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let e = stderr(&o);
    assert!(
        e.contains("raw.jsonl: 8 rows read, 8 used, 0 rejected"),
        "{e}"
    );
    let t = read_csv(&out.join("rankings.csv"));
    // Mentions received: alice (bob's reply), bob (alice), carol and ghost_acct (dave).
    let top: Vec<(&str, &str)> = column(&t, "account")
        .into_iter()
        .zip(column(&t, "score"))
        .collect();
    assert_eq!(top[4], ("1500000000000000004", "0.0"), "{top:?}");
    assert!(top[..4].iter().all(|(_, s)| *s == "1.0"), "{top:?}");

    // A followers page without `__twarc`.
    let page = std::fs::read_to_string(fixture("import/twarc2/followers.jsonl")).unwrap();
    let page = page.lines().next().unwrap();
    let bare = format!("{}}}\n", &page[..page.find(", \"__twarc\"").unwrap()]);
    std::fs::write(dir.join("followers.jsonl"), bare).unwrap();
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "rank",
            "--follows",
            "followers.jsonl",
            "--method",
            "in-degree",
        ];
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--out", "o"]);
        a
    };
    let e = fails(&dir, &args(&[]));
    assert!(
        e.contains("followers.jsonl: line 1: a page of users without `__twarc` metadata"),
        "{e}"
    );
    assert!(e.contains("`--subject followers:<id>`"), "{e}");
    ok(&dir, &args(&["--subject", "followers:1500000000000000001"]));
    let t = read_csv(&dir.join("o/rankings.csv"));
    assert_eq!(column(&t, "account")[0], "1500000000000000001");
    assert_eq!(column(&t, "score")[0], "3.0");
}

/// Per-input options: a headered accounts CSV and a headerless, space-separated edge
/// list in one run (each read with its own options), the same as the SNAP reader gives;
/// and an interactions file with no kind column, given its kind with `--kind`.
#[test]
fn per_input_options_and_a_constant_kind() {
    let dir = temp_dir("quick-per-input");
    std::fs::write(
        dir.join("accounts.csv"),
        "account,label,followers\n1,Ann,10\n2,Ben,20\n3,Cat,30\n",
    )
    .unwrap();
    std::fs::write(dir.join("edges.txt"), "1 2\n3 2\n1 3\n").unwrap();
    let acc = dir.join("accounts.csv").display().to_string();
    let edges = dir.join("edges.txt").display().to_string();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.join(name);
        let mut args = vec![
            "rank",
            "--method",
            "in-degree",
            "--accounts",
            &acc,
            "--follows",
            &edges,
        ];
        args.extend_from_slice(extra);
        let out_s = out.display().to_string();
        args.extend_from_slice(&["--out", &out_s, "-q"]);
        ok(&dir, &args);
        std::fs::read_to_string(out.join("rankings.csv")).unwrap()
    };
    let by_flags = run(
        "flags",
        &[
            "--follows-no-header",
            "--follows-delimiter",
            " ",
            "--follower-col",
            "1",
            "--followee-col",
            "2",
        ],
    );
    let by_snap = run("snap", &["--follows-format", "snap"]);
    assert_eq!(by_flags, by_snap);
    assert!(by_flags.contains("in-degree,2,Ben,2.0,1"), "{by_flags}");
    // Without them, the error says which flag fits this file.
    let e = fails(
        &dir,
        &[
            "rank",
            "--method",
            "in-degree",
            "--accounts",
            &acc,
            "--follows",
            &edges,
            "--out",
            "x",
        ],
    );
    assert!(e.contains("--follows-format snap"), "{e}");

    // A list of retweets: source, target, no kind.
    std::fs::write(dir.join("rts.csv"), "source,target\n1,2\n3,2\n3,1\n").unwrap();
    let rts = dir.join("rts.csv").display().to_string();
    let out = dir.join("amp");
    let out_s = out.display().to_string();
    let base = [
        "rank",
        "--method",
        "amplification",
        "--accounts",
        &acc,
        "--interactions",
        &rts,
    ];
    let e = fails(&dir, &[&base[..], &["--out", &out_s]].concat());
    assert!(e.contains("no column \"kind\""), "{e}");
    let o = ok(
        &dir,
        &[&base[..], &["--kind", "retweet", "--out", &out_s]].concat(),
    );
    let t = read_csv(&out.join("rankings.csv"));
    assert_eq!(column(&t, "label")[0], "Ben");
    assert_eq!(column(&t, "score")[0], "2.0");
    assert!(
        stderr(&o).contains("kind_from_constant_kind 3"),
        "{}",
        stderr(&o)
    );
    // A kind column and a constant kind: which one is meant is unclear.
    std::fs::write(dir.join("k.csv"), "source,target,kind\n1,2,reply\n").unwrap();
    let k = dir.join("k.csv").display().to_string();
    let e = fails(
        &dir,
        &[
            "rank",
            "--method",
            "in-degree",
            "--interactions",
            &k,
            "--graph",
            "interactions",
            "--kind",
            "retweet",
            "--out",
            "y",
        ],
    );
    assert!(
        e.contains("has a kind column") && e.contains("drop `constant_kind`"),
        "{e}"
    );
}

#[test]
fn kardashian_index_reproduces_halls_published_values() {
    // Hall (2014): 2.4M followers and 151 citations give K = 11,129; 1.44M and 33,301
    // give 1,188; 1.02M and 49,631 give 740. An account without citations is unranked.
    let dir = temp_dir("kardashian");
    let accounts = dir.join("accounts.csv");
    std::fs::write(
        &accounts,
        "account,followers,cites\na,2400000,151\nb,1440000,33301\nc,1020000,49631\nd,500,0\n",
    )
    .unwrap();
    let follows = dir.join("follows.csv");
    std::fs::write(&follows, "follower,followee\na,b\n").unwrap();
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "rank",
            "--accounts",
            accounts.to_str().unwrap(),
            "--follows",
            follows.to_str().unwrap(),
            "--method",
            "kardashian-index",
            "--param",
            "citations=cites",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    let r = read_csv(&out.join("rankings.csv"));
    let accts = column(&r, "account");
    let scores: Vec<f64> = column(&r, "score")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(accts, ["a", "b", "c"], "d (no citations) is unranked");
    let rounded: Vec<f64> = scores.iter().map(|s| s.round()).collect();
    assert_eq!(rounded, [11_129.0, 1_188.0, 740.0]);
    let m = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(m.contains("unranked_no_citations"), "{m}");
}
