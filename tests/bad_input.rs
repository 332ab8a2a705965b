//! Bad input: every mistake gives exit code 2 and a message that names the file (and the
//! line/column where there is one), never a panic.

use std::path::Path;

use crate::support::*;

fn small(name: &str) -> String {
    fixture(&format!("small/{name}")).display().to_string()
}

fn follow_seeds(dir: &Path, accounts: &str, follows: &str, seeds: &str, k: &str) -> String {
    let out = dir.join("out");
    fails(
        dir,
        &[
            "rank",
            "--accounts",
            accounts,
            "--follows",
            follows,
            "--method",
            "follow-seeds",
            "--seeds",
            seeds,
            "--min-follows",
            k,
            "--by",
            "followers",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

#[test]
fn missing_file() {
    let dir = temp_dir("bad-missing");
    let e = follow_seeds(
        &dir,
        "nope.csv",
        &small("follows.csv"),
        &small("seeds.txt"),
        "2",
    );
    assert!(e.contains("nope.csv") && e.contains("not found"), "{e}");
}

#[test]
fn missing_column_names_the_columns_found_and_the_fix() {
    let dir = temp_dir("bad-column");
    std::fs::write(dir.join("f.csv"), "src,dst\nalice,s1\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        "f.csv",
        &small("seeds.txt"),
        "2",
    );
    assert!(
        e.contains("f.csv") && e.contains("\"follower\"") && e.contains("src, dst"),
        "{e}"
    );
    assert!(e.contains("--follower-col"), "{e}");
}

#[test]
fn malformed_row_names_line_and_column() {
    let dir = temp_dir("bad-row");
    std::fs::write(dir.join("a.csv"), "account,followers\nalice,10\nbob,lots\n").unwrap();
    let e = follow_seeds(
        &dir,
        "a.csv",
        &small("follows.csv"),
        &small("seeds.txt"),
        "2",
    );
    assert!(
        e.contains("a.csv") && e.contains("line 3") && e.contains("column 2"),
        "{e}"
    );
    std::fs::write(
        dir.join("f.csv"),
        "follower,followee\nalice,s1\nbob,s1,extra\n",
    )
    .unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        "f.csv",
        &small("seeds.txt"),
        "1",
    );
    assert!(
        e.contains("f.csv") && e.contains("line 3") && e.contains("expected 2 fields, found 3"),
        "{e}"
    );
}

#[test]
fn skipping_malformed_rows_counts_them() {
    let dir = temp_dir("bad-skip");
    std::fs::write(
        dir.join("f.csv"),
        "follower,followee\nalice,s1\nbob,s1,extra\nalice,s2\nbob,s2\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = ok(
        &dir,
        &[
            "rank",
            "--accounts",
            &small("accounts.csv"),
            "--follows",
            "f.csv",
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "2",
            "--by",
            "followers",
            "--malformed",
            "skip",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let e = stderr(&o);
    assert!(
        e.contains("4 rows read, 3 used, 1 rejected (wrong_field_count 1)"),
        "{e}"
    );
}

#[test]
fn seed_not_in_the_data() {
    let dir = temp_dir("bad-seed");
    std::fs::write(dir.join("s.txt"), "s1\n# comment\nS2\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        "s.txt",
        "1",
    );
    assert!(
        e.contains("s.txt")
            && e.contains("line 3")
            && e.contains("\"S2\"")
            && e.contains("did you mean \"s2\""),
        "{e}"
    );
}

#[test]
fn threshold_larger_than_the_seed_list() {
    let dir = temp_dir("bad-k");
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        &small("seeds.txt"),
        "4",
    );
    assert!(
        e.contains("min_follows = 4") && e.contains("3 seeds"),
        "{e}"
    );
}

#[test]
fn nobody_qualifies() {
    let dir = temp_dir("bad-nobody");
    std::fs::write(dir.join("s.txt"), "dave\nerin\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        "s.txt",
        "2",
    );
    assert!(e.contains("nobody qualifies") && e.contains("s.txt"), "{e}");
}

#[test]
fn empty_files() {
    let dir = temp_dir("bad-empty");
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        "empty.csv",
        &small("seeds.txt"),
        "2",
    );
    assert!(e.contains("empty.csv") && e.contains("empty"), "{e}");
    std::fs::write(dir.join("header.csv"), "follower,followee\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        "header.csv",
        &small("seeds.txt"),
        "2",
    );
    assert!(e.contains("header.csv") && e.contains("no rows"), "{e}");
    std::fs::write(dir.join("s.txt"), "# only a comment\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        "s.txt",
        "1",
    );
    assert!(e.contains("s.txt") && e.contains("empty"), "{e}");
}

#[test]
fn duplicate_account_and_unknown_ids_under_error_policy() {
    let dir = temp_dir("bad-dup");
    std::fs::write(
        dir.join("a.csv"),
        "account,followers\nalice,1\nbob,2\nalice,3\n",
    )
    .unwrap();
    let e = follow_seeds(
        &dir,
        "a.csv",
        &small("follows.csv"),
        &small("seeds.txt"),
        "1",
    );
    assert!(
        e.contains("a.csv") && e.contains("line 4") && e.contains("line 2"),
        "{e}"
    );
    std::fs::write(
        dir.join("f.csv"),
        "follower,followee\nalice,s1\nalice,zed\n",
    )
    .unwrap();
    let out = dir.join("out");
    let e = fails(
        &dir,
        &[
            "rank",
            "--accounts",
            &small("accounts.csv"),
            "--follows",
            "f.csv",
            "--method",
            "pagerank",
            "--unknown-ids",
            "error",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        e.contains("f.csv") && e.contains("line 3, column 2") && e.contains("\"zed\""),
        "{e}"
    );
}

#[test]
fn bad_study_file_names_line_and_key() {
    let dir = temp_dir("bad-study");
    let text = std::fs::read_to_string(fixture("small/study.toml"))
        .unwrap()
        .replace("top_n = 2", "top_n = 2\ntop_m = 3");
    std::fs::write(dir.join("study.toml"), text).unwrap();
    let e = fails(&dir, &["audit", "study.toml"]);
    assert!(
        e.contains("study.toml") && e.contains("line 6") && e.contains("top_m"),
        "{e}"
    );
    let e = fails(&dir, &["audit", "missing.toml"]);
    assert!(e.contains("missing.toml"), "{e}");
}

#[test]
fn unknown_method_lists_the_known_ones() {
    let dir = temp_dir("bad-method");
    let e = fails(
        &dir,
        &[
            "rank",
            "--follows",
            &small("follows.csv"),
            "--method",
            "pagerang",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("pagerang") && e.contains("personalized-pagerank"),
        "{e}"
    );
}
