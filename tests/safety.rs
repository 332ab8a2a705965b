//! Safety: a huge universe count is refused with a message, never a panic or an abort;
//! an output folder is consistent or visibly unfinished, wherever a run is killed; quick
//! mode writes the same manifest (row accounting, hashes) as an audit.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::support::*;

/// A copy of the small study's folder (data, seed lists, study file) in `dir`, with the
/// study file's text changed by `edit`.
fn small_study(dir: &Path, edit: impl Fn(String) -> String) {
    let study = copy_small_study(dir);
    let text = std::fs::read_to_string(&study).unwrap();
    std::fs::write(&study, edit(text)).unwrap();
}

#[test]
fn huge_replicates_exit_with_a_message_not_a_crash() {
    // A family's replicates = 10^12 used to abort ("memory allocation of 144000000000000
    // bytes failed"); [study] replicates = 2^63 - 1 panicked ("capacity overflow").
    for (name, from, to, family) in [
        (
            "safety-dropout",
            "replicates = 10\n",
            "replicates = 1000000000000\n",
            "edge-dropout",
        ),
        (
            "safety-resample",
            "replicates = 25\n",
            "replicates = 9223372036854775807\n",
            "seed-resample",
        ),
    ] {
        let dir = temp_dir(name);
        small_study(&dir, |t| {
            assert!(t.contains(from));
            t.replace(from, to)
        });
        let e = fails(&dir, &["audit", "study.toml", "--out", "out", "-q"]);
        // The study-file bounds (issue 10, "errors") may refuse the value before the
        // memory budget does; either message names the study file and the setting.
        assert!(
            e.contains("study.toml") && e.contains("replicates") && e.contains(family)
                || e.contains("study.toml") && e.contains("replicates") && e.contains("line"),
            "{e}"
        );
        assert!(!dir.join("out/manifest.json").exists());
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir`, relative, except hidden ones (an interrupted atomic write's
/// `.NAME.tmp-PID`, never under a final name).
fn visible_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The folder is visibly unfinished (no manifest: None) or exactly the run its manifest
/// records: every listed file present with its recorded hash, and no other file.
/// Returns the manifest's fields for the caller to check (seed, command, ...).
fn consistent(out: &Path) -> Option<serde_json::Value> {
    let bytes = std::fs::read(out.join("manifest.json")).ok()?;
    let m: serde_json::Value =
        serde_json::from_slice(&bytes).expect("a manifest is whole (written atomically)");
    let listed: BTreeMap<String, String> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap().to_string(),
                o["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (path, hash) in &listed {
        let got = std::fs::read(out.join(path))
            .unwrap_or_else(|e| panic!("{path} is listed by the manifest but missing: {e}"));
        assert_eq!(
            &sha256(&got),
            hash,
            "{path} is not the file the manifest records (seed {})",
            m["seed"]
        );
    }
    for f in visible_files(out) {
        assert!(
            f == "manifest.json" || listed.contains_key(&f),
            "{f} is beside a manifest that does not list it"
        );
    }
    Some(m)
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for f in visible_files(from) {
        let dst = to.join(&f);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), dst).unwrap();
    }
}

/// When to kill the run.
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(Duration),
    /// The previous run's manifest is gone.
    ManifestGone,
    /// This file (relative to the output folder) is there and is not the previous run's.
    New(&'static str),
}

fn ino(p: &Path) -> Option<u64> {
    std::fs::metadata(p).ok().map(|m| m.ino())
}

/// Start the binary with `args` into `out` (which holds a finished previous run), kill it
/// at `kill` (or let it finish, whichever comes first) and return the folder's state.
fn run_and_kill(cwd: &Path, args: &[&str], out: &Path, kill: Kill) -> Option<serde_json::Value> {
    let before: BTreeMap<&str, Option<u64>> = ["manifest.json"]
        .into_iter()
        .chain(match kill {
            Kill::New(f) => Some(f),
            _ => None,
        })
        .map(|f| (f, ino(&out.join(f))))
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankaudit"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    loop {
        let fired = match kill {
            Kill::After(d) => t0.elapsed() >= d,
            Kill::ManifestGone => ino(&out.join("manifest.json")).is_none(),
            Kill::New(f) => {
                let now = ino(&out.join(f));
                now.is_some() && now != before[f]
            }
        };
        if fired || child.try_wait().unwrap().is_some() || t0.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    consistent(out)
}

#[test]
fn a_killed_rerun_never_leaves_a_stale_manifest() {
    let dir = temp_dir("safety-kill");
    small_study(&dir, |t| t);
    // The rerun: another seed, and no multiverse (fewer files than the finished run).
    let cut = |t: String| {
        let (a, b) = t.split_once("[multiverse]").unwrap();
        let (_, c) = b.split_once("[critique]").unwrap();
        format!("{a}[critique]{c}").replace("seed = 7", "seed = 8")
    };
    std::fs::write(
        dir.join("rerun.toml"),
        cut(std::fs::read_to_string(dir.join("study.toml")).unwrap()),
    )
    .unwrap();
    ok(&dir, &["audit", "study.toml", "--out", "done", "-q"]);
    let done = dir.join("done");
    assert_eq!(consistent(&done).unwrap()["seed"], 7);
    let out = dir.join("out");
    let rerun = ["audit", "rerun.toml", "--out", "out", "-q"];
    let mut kills: Vec<Kill> = [0u64, 20, 50, 100, 150, 200, 300]
        .iter()
        .map(|&ms| Kill::After(Duration::from_millis(ms)))
        .collect();
    kills.extend([
        Kill::ManifestGone,
        Kill::New("tables/rankings.csv"),
        Kill::New("tables/stability.csv"),
        Kill::New("figures/bump.png"),
        Kill::New("report.md"),
    ]);
    let mut unfinished = 0;
    for kill in kills {
        copy_dir(&done, &out);
        match run_and_kill(&dir, &rerun, &out, kill) {
            None => unfinished += 1,
            Some(m) => assert!(m["seed"] == 7 || m["seed"] == 8, "{kill:?}"),
        }
    }
    assert!(
        unfinished > 0,
        "no kill landed while the rerun was writing: the test exercised nothing"
    );
    // Run to the end over the finished run: the rerun's manifest, and nothing of the
    // previous run (its multiverse tables and figures) beside it.
    copy_dir(&done, &out);
    ok(&dir, &rerun);
    assert_eq!(consistent(&out).unwrap()["seed"], 8);
    assert!(!out.join("tables/multiverse.csv").exists());
    assert!(done.join("tables/multiverse.csv").exists());
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_killed_quick_rerun_never_leaves_a_stale_manifest() {
    let dir = temp_dir("safety-kill-quick");
    let quick = |method: &'static str| {
        vec![
            "rank".to_string(),
            "--accounts".into(),
            fixture("small/accounts.csv").display().to_string(),
            "--follows".into(),
            fixture("small/follows.csv").display().to_string(),
            "--method".into(),
            method.into(),
            "--out".into(),
            "out".into(),
        ]
    };
    let (first, second) = (quick("pagerank"), quick("in-degree"));
    let out = dir.join("out");
    let mut unfinished = 0;
    let kills = [0u64, 2, 5, 10, 15, 20]
        .iter()
        .map(|&ms| Kill::After(Duration::from_millis(ms)))
        .chain([
            Kill::ManifestGone,
            Kill::New("rankings.csv"),
            Kill::New("rankings.parquet"),
        ]);
    for kill in kills {
        let _ = std::fs::remove_dir_all(&out);
        ok(&dir, &args(&first));
        assert_eq!(consistent(&out).unwrap()["method"], "pagerank");
        match run_and_kill(&dir, &args(&second), &out, kill) {
            None => unfinished += 1,
            Some(m) => assert!(m["method"] == "pagerank" || m["method"] == "in-degree"),
        }
    }
    assert!(unfinished > 0, "no kill landed while the rerun was writing");
}

#[test]
fn quick_mode_writes_the_audits_manifest() {
    let dir = temp_dir("safety-quick-manifest");
    // One malformed follow row (3 fields), skipped and counted in both modes.
    small_study(&dir, |t| {
        t.replace(
            "[data.follows]\npath = \"follows.csv\"\n",
            "[data.follows]\npath = \"follows.csv\"\n[data.policy]\nmalformed = \"skip\"\n",
        )
    });
    let mut follows = std::fs::read_to_string(dir.join("follows.csv")).unwrap();
    follows.push_str("dave,s1,oops\n");
    std::fs::write(dir.join("follows.csv"), follows).unwrap();
    ok(&dir, &["audit", "study.toml", "--out", "audit", "-q"]);
    ok(
        &dir,
        &[
            "rank",
            "--accounts",
            "accounts.csv",
            "--follows",
            "follows.csv",
            "--method",
            "follow-seeds",
            "--seeds",
            "seeds.txt",
            "--min-follows",
            "2",
            "--by",
            "followers,statuses",
            "--malformed",
            "skip",
            "--out",
            "quick",
            "-q",
        ],
    );
    let quick = consistent(&dir.join("quick")).expect("quick mode wrote a manifest");
    let audit = consistent(&dir.join("audit")).unwrap();
    assert_eq!(quick["command"], "rank");
    assert_eq!(quick["method"], "follow-seeds");
    assert_eq!(quick["params"]["min_follows"], 2);
    assert_eq!(quick["data"]["policy"]["malformed"], "skip");
    // The same row accounting as the audit of the same files (paths aside).
    let strip = |m: &serde_json::Value| -> Vec<serde_json::Value> {
        m["tables_read"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let mut t = t.clone();
                t.as_object_mut().unwrap().remove("file");
                t
            })
            .collect()
    };
    assert_eq!(strip(&quick), strip(&audit));
    let follows = &quick["tables_read"][1];
    assert_eq!(follows["table"], "follows");
    assert_eq!(follows["rows_read"], 18);
    assert_eq!(follows["rows_used"], 15);
    assert_eq!(follows["rejected"]["wrong_field_count"], 1);
    // Inputs hashed (data and seed list), as in the audit.
    let hashes = |m: &serde_json::Value| -> BTreeMap<String, String> {
        m["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let p = PathBuf::from(i["path"].as_str().unwrap());
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    i["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (hq, ha) = (hashes(&quick), hashes(&audit));
    for f in ["accounts.csv", "follows.csv", "seeds.txt"] {
        assert_eq!(hq[f], sha256(&std::fs::read(dir.join(f)).unwrap()), "{f}");
        assert_eq!(hq[f], ha[f], "{f}");
    }
    // The ranking's record: as many ranked as rows in rankings.csv; both tables listed.
    let rows = read_csv(&dir.join("quick/rankings.csv")).1.len();
    assert_eq!(quick["rankings"][0]["ranked"], rows);
    assert_eq!(
        visible_files(&dir.join("quick")),
        vec!["manifest.json", "rankings.csv", "rankings.parquet"]
    );
    for k in ["load", "score", "write", "total"] {
        assert!(quick["timings_seconds"][k].is_number(), "{k}");
    }
}
