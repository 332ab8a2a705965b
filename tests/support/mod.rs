//! Helpers shared by the integration tests: temp dirs, running the binary, fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rankaudit-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The small fixture study's files (data, seed lists, study file) copied into `dir`,
/// where a test may write beside them (a prepared file, an edited study); returns the
/// copied study file. Its data paths are relative, so the copy runs as the original.
pub fn copy_small_study(dir: &Path) -> PathBuf {
    for f in [
        "accounts.csv",
        "follows.csv",
        "seeds.txt",
        "pool.txt",
        "study.toml",
    ] {
        std::fs::copy(fixture(&format!("small/{f}")), dir.join(f)).unwrap();
    }
    dir.join("study.toml")
}

/// Every file under `root`, as paths relative to it, sorted.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Run the binary with `args` in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rankaudit"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Run and require success, showing stderr otherwise.
pub fn ok(cwd: &Path, args: &[&str]) -> Output {
    let o = run(cwd, args);
    assert!(
        o.status.success(),
        "rankaudit {args:?} failed:\n{}",
        stderr(&o)
    );
    o
}

/// Run and require a clean failure: exit code 2, an `error:` line last, no panic.
pub fn fails(cwd: &Path, args: &[&str]) -> String {
    let o = run(cwd, args);
    let e = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "expected exit 2 for {args:?}, got {:?}:\n{e}",
        o.status.code()
    );
    // Status lines (the row accounting) may come first; the error is the last thing said.
    assert!(
        e.lines().any(|l| l.starts_with("error: "))
            && !e
                .lines()
                .next_back()
                .unwrap_or("")
                .starts_with("rankaudit: "),
        "no error line:\n{e}"
    );
    assert!(!e.contains("panicked"), "panic:\n{e}");
    e
}

/// Parse a small CSV (no quoting needed for our outputs) into header + rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// Column of a parsed CSV by name.
pub fn column<'a>(t: &'a (Vec<String>, Vec<Vec<String>>), name: &str) -> Vec<&'a str> {
    let i =
        t.0.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"));
    t.1.iter().map(|r| r[i].as_str()).collect()
}

/// The small fixture study audited into `temp_dir(name)/out`; returns that folder.
pub fn audit_small(name: &str) -> PathBuf {
    audit_small_with(name, &[])
}

/// [`audit_small`] with more command-line arguments.
pub fn audit_small_with(name: &str, args: &[&str]) -> PathBuf {
    let dir = temp_dir(name);
    let out = dir.join("out");
    let study = fixture("small/study.toml");
    let mut all = vec![
        "audit",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend(args);
    all.push("-q");
    ok(&dir, &all);
    out
}

/// Whether `python3 -c "import <module>"` works.
pub fn has_python_module(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Run a Python script with the folder `out` as its argument; fails the test on a
/// non-zero exit, showing the script's output.
pub fn python(script: &str, out: &Path) {
    python_with(script, out, &[]);
}

/// [`python`] with extra environment variables.
pub fn python_with(script: &str, out: &Path, env: &[(&str, &str)]) {
    let o = Command::new("python3")
        .args(["-c", script, out.to_str().unwrap()])
        .envs(env.iter().copied())
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
