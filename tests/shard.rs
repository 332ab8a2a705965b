//! Sharded runs: `audit --shard i/N` in N separate processes, then `merge`, writes the
//! bytes a one-process run writes (every table, figure, report, notebook; the manifest
//! apart from its timings and its `shards` entry); bad shard sets are refused with a
//! message that names the file and the fix; a real Slurm array job where a single-node
//! cluster can be started here (skips otherwise).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{copy_small_study, fails, files_under, fixture, ok, temp_dir};

/// The small fixture copied into `dir` (its data paths are relative to the study), with
/// `extra` appended to its study file. Returns the study file.
fn small_study(dir: &Path, extra: &str) -> PathBuf {
    let study = copy_small_study(dir);
    let mut toml = std::fs::read_to_string(&study).unwrap();
    toml.push_str(extra);
    std::fs::write(&study, toml).unwrap();
    study
}

/// A Sobol design over the multiverse's factors besides the grid: one more run of many
/// universes, with its own name in the shards.
const SOBOL: &str = "\n[multiverse.sobol]\nsamples = 8\nbootstrap = 50\n";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The manifest without what may differ: the timings, and the merge's `shards` entry
/// (which must say `n`).
fn manifest_sans_timings(dir: &Path, n: Option<u64>) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let o = m.as_object_mut().unwrap();
    assert!(o.remove("timings_seconds").is_some());
    assert_eq!(o.remove("shards").and_then(|v| v.as_u64()), n);
    m
}

/// `one` and `merged` hold the same files with the same bytes (the manifest: the same
/// apart from timings and `shards`).
fn assert_same_outputs(one: &Path, merged: &Path, n: u64) {
    let files = files_under(one);
    assert_eq!(
        files,
        files_under(merged),
        "the merged folder lists other files"
    );
    assert!(files.len() > 20, "{files:?}");
    for f in &files {
        if f == Path::new("manifest.json") {
            continue;
        }
        let a = std::fs::read(one.join(f)).unwrap();
        let b = std::fs::read(merged.join(f)).unwrap();
        assert!(
            a == b,
            "{} differs between one process and {n} shards",
            f.display()
        );
    }
    assert_eq!(
        manifest_sans_timings(one, None),
        manifest_sans_timings(merged, Some(n))
    );
}

/// Shards 1..=n of `study` into `shards`, each its own process.
fn run_shards(dir: &Path, study: &Path, shards: &Path, n: u64) {
    for i in 1..=n {
        ok(
            dir,
            &[
                "audit",
                s(study),
                "--shard",
                &format!("{i}/{n}"),
                "--out",
                s(shards),
                "-q",
            ],
        );
    }
}

#[test]
fn shards_merge_to_the_bytes_of_one_process() {
    let dir = temp_dir("shard-merge");
    let study = small_study(&dir, SOBOL);
    let one = dir.join("one");
    ok(&dir, &["audit", s(&study), "--out", s(&one), "-q"]);
    // 3 shards; then 7, more than the leave-one-out's 3 and the grid's 4 universes, so
    // some shards hold nothing of them.
    for n in [3u64, 7] {
        let shards = dir.join(format!("shards-{n}"));
        run_shards(&dir, &study, &shards, n);
        assert_eq!(files_under(&shards).len() as u64, n);
        let merged = dir.join(format!("merged-{n}"));
        // The folder, as submit.sh passes it.
        let o = ok(&dir, &["merge", s(&study), s(&shards), "--out", s(&merged)]);
        let e = crate::support::stderr(&o);
        assert!(e.contains(&format!("merging {n} shards")), "{e}");
        assert_same_outputs(&one, &merged, n);
    }
    // The files one by one, in any order, and quiet means quiet.
    let shards = dir.join("shards-3");
    let merged = dir.join("merged-files");
    let mut args = vec!["merge".to_string(), s(&study).to_string()];
    for i in [2, 3, 1] {
        args.push(s(&shards.join(format!("shard-{i}-of-3.rkshard"))).to_string());
    }
    args.extend(["--out".into(), s(&merged).into(), "-q".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = ok(&dir, &args);
    assert!(o.stderr.is_empty(), "{}", crate::support::stderr(&o));
    assert_same_outputs(&one, &merged, 3);
}

#[test]
fn bad_shard_flags_name_the_flag() {
    let dir = temp_dir("shard-flags");
    let study = fixture("small/study.toml");
    for bad in ["0/4", "5/4", "a/b", "1/0", "2"] {
        let e = fails(&dir, &["audit", s(&study), "--shard", bad, "--out", "x"]);
        assert!(e.contains("--shard"), "{bad}: {e}");
    }
    assert!(!dir.join("x").exists());
}

/// Each broken shard set is refused before anything is written, with a message naming
/// the file (or the missing shard) and the command that fixes it.
#[test]
fn bad_shard_sets_are_refused_with_the_fix() {
    let dir = temp_dir("shard-bad");
    let study = small_study(&dir, "");
    let shards = dir.join("shards");
    run_shards(&dir, &study, &shards, 3);
    let f = |i: u64| shards.join(format!("shard-{i}-of-3.rkshard"));
    let out = dir.join("out");
    let merge = |files: &[PathBuf]| {
        let mut a = vec!["merge", s(&study)];
        a.extend(files.iter().map(|p| s(p)));
        a.extend(["--out", s(&out)]);
        fails(&dir, &a)
    };
    // A missing shard: the command that computes it.
    let e = merge(&[f(1), f(3)]);
    assert!(
        e.contains("shard 2 of 3 is missing")
            && e.contains(&format!("rankaudit audit {} --shard 2/3", study.display())),
        "{e}"
    );
    // A shard given twice.
    let e = merge(&[f(1), f(2), f(2), f(3)]);
    assert!(e.contains("are both shard 2 of 3"), "{e}");
    // Shards of different N.
    let other = dir.join("other-n");
    ok(
        &dir,
        &[
            "audit",
            s(&study),
            "--shard",
            "1/2",
            "--out",
            s(&other),
            "-q",
        ],
    );
    let e = merge(&[f(1), f(2), f(3), other.join("shard-1-of-2.rkshard")]);
    assert!(e.contains("all shards of a run share N"), "{e}");
    // A truncated file and a damaged one: named, with how to redo them.
    let bytes = std::fs::read(f(2)).unwrap();
    let cut = dir.join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    for (name, b) in [
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("flipped", {
            let mut b = bytes.clone();
            b[100] ^= 1;
            b
        }),
        ("empty", Vec::new()),
    ] {
        let p = cut.join(format!("{name}.rkshard"));
        std::fs::write(&p, b).unwrap();
        let e = merge(&[f(1), p.clone(), f(3)]);
        assert!(e.contains(s(&p)), "{name}: {e}");
        assert!(
            e.contains("truncated or damaged") || e.contains("not a rankaudit shard"),
            "{name}: {e}"
        );
    }
    // Not a shard at all.
    let e = merge(&[f(1), study.clone(), f(3)]);
    assert!(e.contains("not a rankaudit shard file"), "{e}");
    // A shard of another seed: the same study otherwise.
    let reseeded = dir.join("reseeded");
    std::fs::create_dir_all(&reseeded).unwrap();
    let s2 = small_study(&reseeded, "");
    let t = std::fs::read_to_string(&s2)
        .unwrap()
        .replace("seed = 7", "seed = 8");
    std::fs::write(&s2, t).unwrap();
    ok(
        &dir,
        &[
            "audit",
            s(&s2),
            "--shard",
            "2/3",
            "--out",
            s(&reseeded),
            "-q",
        ],
    );
    let e = merge(&[f(1), reseeded.join("shard-2-of-3.rkshard"), f(3)]);
    assert!(
        e.contains("another study file, other input data or another seed")
            && e.contains("--shard 2/3"),
        "{e}"
    );
    // Changed input data: the same study file, one more follow.
    std::fs::write(
        dir.join("follows.csv"),
        std::fs::read_to_string(dir.join("follows.csv")).unwrap() + "a,b\n",
    )
    .unwrap();
    let e = merge(&[f(1), f(2), f(3)]);
    assert!(e.contains("other input data"), "{e}");
    // An empty folder.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let e = merge(&[empty]);
    assert!(e.contains("no shard files"), "{e}");
    assert!(!out.exists(), "a refused merge wrote {}", out.display());
}

/// Children killed when the test ends, however it ends.
struct Daemons(Vec<Child>);

impl Drop for Daemons {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn found(bin: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {bin}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn skip(why: &str) {
    eprintln!("SKIP slurm_array_job_merges_to_one_process: {why}");
}

/// A real Slurm job array: a single-node cluster (slurmctld + slurmd, auth/none, in a
/// temp dir, on ports of its own) runs examples/slurm/submit.sh: 3 shard tasks, then the
/// merge after them; the merged folder is a one-process run's. Skips, saying why, where
/// Slurm is not installed, the test is not root (slurmd needs it) or the cluster does
/// not come up.
#[test]
fn slurm_array_job_merges_to_one_process() {
    for bin in [
        "sbatch",
        "slurmctld",
        "slurmd",
        "sinfo",
        "squeue",
        "scontrol",
    ] {
        if !found(bin) {
            return skip(&format!(
                "{bin} not installed (Debian: apt-get install slurm-wlm)"
            ));
        }
    }
    let uid = Command::new("id").arg("-u").output().map(|o| o.stdout);
    if !uid.is_ok_and(|u| u == b"0\n") {
        return skip("not root: slurmd runs jobs as root here");
    }
    let dir = temp_dir("shard-slurm");
    let study = small_study(&dir, "");
    let one = dir.join("one");
    // One thread, as the merge job (CPUS=1) runs: the manifest records the count.
    ok(
        &dir,
        &["--threads", "1", "audit", s(&study), "--out", s(&one), "-q"],
    );

    let host = String::from_utf8(Command::new("hostname").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    let port = 20000 + (std::process::id() % 20000) as u16;
    for sub in ["state", "spool", "log"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let d = dir.display();
    let conf = format!(
        "ClusterName=rktest\nSlurmctldHost={host}\nSlurmctldPort={port}\nSlurmdPort={}\n\
         AuthType=auth/none\nCredType=cred/none\nSlurmUser=root\nSlurmdUser=root\n\
         StateSaveLocation={d}/state\nSlurmdSpoolDir={d}/spool\n\
         SlurmctldPidFile={d}/slurmctld.pid\nSlurmdPidFile={d}/slurmd.pid\n\
         SlurmctldLogFile={d}/log/slurmctld.log\nSlurmdLogFile={d}/log/slurmd.log\n\
         ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n\
         JobAcctGatherType=jobacct_gather/none\nSchedulerType=sched/builtin\n\
         SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\nReturnToService=2\n\
         MpiDefault=none\nNodeName={host} CPUs=1 State=UNKNOWN\n\
         PartitionName=rk Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n",
        port + 1
    );
    let conf_path = dir.join("slurm.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let slurm = |bin: &str| {
        let mut c = Command::new(bin);
        c.env("SLURM_CONF", &conf_path).current_dir(&dir);
        c
    };
    let spawn = |bin: &str, args: &[&str]| {
        slurm(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    };
    let mut daemons = Daemons(Vec::new());
    match spawn("slurmctld", &["-D", "-c", "-i"]) {
        Ok(c) => daemons.0.push(c),
        Err(e) => return skip(&format!("slurmctld did not start: {e}")),
    }
    std::thread::sleep(Duration::from_secs(1));
    match spawn("slurmd", &["-D"]) {
        Ok(c) => daemons.0.push(c),
        Err(e) => return skip(&format!("slurmd did not start: {e}")),
    }
    let up = Instant::now();
    loop {
        let o = slurm("sinfo").args(["-h", "-o", "%T"]).output().unwrap();
        if String::from_utf8_lossy(&o.stdout).trim() == "idle" {
            break;
        }
        if up.elapsed() > Duration::from_secs(30) {
            let log = std::fs::read_to_string(dir.join("log/slurmctld.log")).unwrap_or_default();
            return skip(&format!(
                "the single-node cluster did not come up in 30 s; slurmctld log:\n{log}"
            ));
        }
        std::thread::sleep(Duration::from_millis(300));
    }

    let submit = crate::support::repo().join("examples/slurm/submit.sh");
    let merged = dir.join("merged");
    let o = slurm("bash")
        .arg(&submit)
        .args([s(&study), "3", s(&merged)])
        .env("RANKAUDIT", env!("CARGO_BIN_EXE_rankaudit"))
        .env("SHARDS", dir.join("shards"))
        .env("CPUS", "1")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "submit.sh failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let said = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(said.contains("(array 1-3)"), "{said}");
    let started = Instant::now();
    loop {
        let q = slurm("squeue").args(["-h"]).output().unwrap();
        if q.status.success() && q.stdout.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the jobs did not finish in 3 minutes: {}",
            String::from_utf8_lossy(&q.stdout)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let logs: String = files_under(&dir)
        .iter()
        .filter(|f| f.to_string_lossy().starts_with("rankaudit-"))
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
        .collect();
    for i in 1..=3 {
        assert!(
            dir.join(format!("shards/shard-{i}-of-3.rkshard")).exists(),
            "shard {i} not written; job logs:\n{logs}"
        );
    }
    assert!(
        merged.join("manifest.json").exists(),
        "the merge job wrote no manifest; job logs:\n{logs}"
    );
    assert_same_outputs(&one, &merged, 3);
    drop(daemons);
}
