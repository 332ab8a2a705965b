//! The prepared graph file (`rankaudit prepare`): a warm run's outputs are the cold
//! run's, byte for byte (the manifest apart from its timings and the `prepared_graph`
//! note); a stale, corrupt or differently read file is ignored with a message, and the
//! run parses the follows table as if there were none.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The small fixture study copied into a fresh folder (the prepared file is written
/// beside the follows file, so never into the fixtures).
fn small_copy(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    copy_small_study(&dir);
    dir
}

/// The manifest without what may differ: timings, and the note of the prepared file.
fn manifest_core(dir: &Path) -> serde_json::Value {
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let o = m.as_object_mut().unwrap();
    o.remove("timings_seconds");
    o.remove("prepared_graph");
    m
}

/// Same files, same bytes; the manifests the same but for timings and the note.
fn assert_same_outputs(a: &Path, b: &Path) {
    assert_eq!(files_under(a), files_under(b));
    for f in files_under(a) {
        if f == Path::new("manifest.json") {
            continue;
        }
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
    assert_eq!(manifest_core(a), manifest_core(b));
}

fn prepared_note(dir: &Path) -> Option<serde_json::Value> {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    m.get("prepared_graph").cloned()
}

#[test]
fn an_audit_from_the_prepared_file_writes_the_same_outputs() {
    let dir = small_copy("prep-audit");
    let audit = |out: &str| stderr(&ok(&dir, &["audit", "study.toml", "--out", out]));
    let cold = audit("cold");
    assert!(!cold.contains("prepared"), "{cold}");
    let e = stderr(&ok(&dir, &["prepare", "study.toml"]));
    assert!(e.contains("prepared follows.csv.rkgraph"), "{e}");
    assert!(dir.join("follows.csv.rkgraph").is_file());
    let warm = audit("warm");
    assert!(
        warm.contains("follow graph from the prepared file follows.csv.rkgraph (prepared ")
            && warm.contains("skips parsing follows.csv"),
        "{warm}"
    );
    assert_same_outputs(&dir.join("cold"), &dir.join("warm"));
    assert!(prepared_note(&dir.join("cold")).is_none());
    let note = prepared_note(&dir.join("warm")).unwrap();
    assert_eq!(note["file"], "follows.csv.rkgraph");
    // The row accounting travelled with the graph (the fixture has a self-loop and a
    // duplicate follow).
    let m = manifest_core(&dir.join("warm"));
    let follows = m["tables_read"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "follows")
        .unwrap();
    assert_eq!(follows["rows_rejected"], 2);
    // --verify re-hashes and agrees.
    let v = stderr(&ok(&dir, &["prepare", "study.toml", "--verify"]));
    assert!(v.contains("is current"), "{v}");
}

#[test]
fn quick_mode_from_the_prepared_file_writes_the_same_outputs() {
    let dir = small_copy("prep-quick");
    let rank = |out: &str| {
        stderr(&ok(
            &dir,
            &[
                "rank",
                "--accounts",
                "accounts.csv",
                "--follows",
                "follows.csv",
                "--method",
                "pagerank",
                "--out",
                out,
            ],
        ))
    };
    rank("cold");
    ok(
        &dir,
        &[
            "prepare",
            "--accounts",
            "accounts.csv",
            "--follows",
            "follows.csv",
        ],
    );
    let warm = rank("warm");
    assert!(
        warm.contains("follow graph from the prepared file"),
        "{warm}"
    );
    assert_same_outputs(&dir.join("cold"), &dir.join("warm"));
    // The study and the flags read the follows table the same way: one prepared file
    // serves both.
    let a = stderr(&ok(&dir, &["audit", "study.toml", "--out", "audit"]));
    assert!(a.contains("follow graph from the prepared file"), "{a}");
    // Without the accounts table the ids before the follows differ: not used.
    let e = stderr(&ok(
        &dir,
        &[
            "rank",
            "--follows",
            "follows.csv",
            "--method",
            "in-degree",
            "--out",
            "x",
        ],
    ));
    assert!(
        e.contains("not using the prepared file follows.csv.rkgraph")
            && e.contains("accounts table lists 0 accounts now"),
        "{e}"
    );
}

#[test]
fn a_stale_or_differently_read_prepared_file_is_ignored_with_a_message() {
    let dir = small_copy("prep-stale");
    ok(&dir, &["prepare", "study.toml"]);
    // Another policy: not used, and the run is the cold one.
    let rank = |extra: &[&str], out: &str| {
        let mut a = vec![
            "rank",
            "--accounts",
            "accounts.csv",
            "--follows",
            "follows.csv",
            "--method",
            "in-degree",
            "--out",
            out,
        ];
        a.extend(extra);
        stderr(&ok(&dir, &a))
    };
    let e = rank(&["--self-loops", "keep"], "keep");
    assert!(
        e.contains("not using the prepared file") && e.contains("policy changed"),
        "{e}"
    );
    assert!(
        e.contains("rankaudit prepare"),
        "says how to refresh it: {e}"
    );
    // The follows file edited (another size): stale.
    let mut text = std::fs::read_to_string(dir.join("follows.csv")).unwrap();
    text.push_str("dave,alice\n");
    std::fs::write(dir.join("follows.csv"), &text).unwrap();
    let e = rank(&[], "edited");
    assert!(e.contains("out of date") && e.contains("bytes"), "{e}");
    assert!(prepared_note(&dir.join("edited")).is_none());
    let e = stderr(&ok(&dir, &["audit", "study.toml", "--out", "a"]));
    assert!(e.contains("rankaudit prepare STUDY.toml"), "{e}");
    // Same size, touched: stale too (the time is part of the key).
    ok(&dir, &["prepare", "study.toml"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.join("follows.csv"), &text).unwrap();
    let e = rank(&[], "touched");
    assert!(e.contains("was modified after it was prepared"), "{e}");
    // --verify says so, with exit status 1.
    let o = run(&dir, &["prepare", "study.toml", "--verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // An accounts table with the same ids (a label edited) keeps it current; one with
    // other ids does not.
    ok(&dir, &["prepare", "study.toml"]);
    let accounts = std::fs::read_to_string(dir.join("accounts.csv")).unwrap();
    std::fs::write(dir.join("accounts.csv"), accounts.replace("500", "501")).unwrap();
    assert!(rank(&[], "same-ids").contains("follow graph from the prepared file"));
    let fewer: String = accounts.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("accounts.csv"), fewer).unwrap();
    let e = rank(&[], "fewer-ids");
    assert!(e.contains("accounts table lists 2 accounts now"), "{e}");
}

#[test]
fn a_damaged_prepared_file_is_ignored_with_a_message() {
    let dir = small_copy("prep-damaged");
    ok(&dir, &["audit", "study.toml", "--out", "cold", "-q"]);
    ok(&dir, &["prepare", "study.toml"]);
    let p = dir.join("follows.csv.rkgraph");
    let whole = std::fs::read(&p).unwrap();
    for (what, bytes) in [
        ("truncated", whole[..whole.len() - 12].to_vec()),
        ("empty", Vec::new()),
        ("not ours", b"follower,followee\n".to_vec()),
    ] {
        std::fs::write(&p, &bytes).unwrap();
        let e = stderr(&ok(&dir, &["audit", "study.toml", "--out", what]));
        assert!(
            e.contains("not using the prepared file follows.csv.rkgraph (it is not a usable prepared graph file")
                && e.contains("rankaudit prepare STUDY.toml"),
            "{what}: {e}"
        );
        assert!(!e.contains("panicked"), "{e}");
        assert_same_outputs(&dir.join("cold"), &dir.join(what));
    }
    // A target beyond the nodes (the last in-target; an odd edge count leaves four
    // bytes of padding after it): found by the check on open.
    let edges = manifest_core(&dir.join("cold"))["follow_graph"]["edges"]
        .as_u64()
        .unwrap() as usize;
    let mut bad = whole.clone();
    let last = bad.len() - 4 - 4 * (edges % 2);
    bad[last..last + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&p, &bad).unwrap();
    let e = stderr(&ok(&dir, &["audit", "study.toml", "--out", "bad-target"]));
    assert!(e.contains("in-adjacency"), "{e}");
    let o = run(&dir, &["prepare", "study.toml", "--verify"]);
    assert_eq!(o.status.code(), Some(1));
    // A named prepared file that does not exist: said, and parsed.
    let study = std::fs::read_to_string(dir.join("study.toml"))
        .unwrap()
        .replace(
            "path = \"follows.csv\"",
            "path = \"follows.csv\"\nprepared = \"cache/g.rkgraph\"",
        );
    std::fs::write(dir.join("named.toml"), study).unwrap();
    let e = stderr(&ok(&dir, &["audit", "named.toml", "--out", "named"]));
    assert!(e.contains("no prepared graph file"), "{e}");
    ok(&dir, &["prepare", "named.toml"]);
    assert!(dir.join("cache/g.rkgraph").is_file());
    let e = stderr(&ok(&dir, &["audit", "named.toml", "--out", "named2"]));
    assert!(e.contains("from the prepared file"), "{e}");
    // `prepared` under another table is a mistake, said as such.
    let study = std::fs::read_to_string(dir.join("study.toml"))
        .unwrap()
        .replace(
            "path = \"accounts.csv\"",
            "path = \"accounts.csv\"\nprepared = \"a.rkgraph\"",
        );
    std::fs::write(dir.join("misplaced.toml"), study).unwrap();
    let e = fails(&dir, &["audit", "misplaced.toml", "--out", "m"]);
    assert!(e.contains("applies to the follows table only"), "{e}");
}
