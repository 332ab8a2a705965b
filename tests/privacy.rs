//! Pseudonymisation end to end: a whole audit (and a quick-mode run) on the small
//! fixture with labelled accounts, some not public; no output file holds a private
//! account's id, label or display name, the public ones still show, and the ranking is
//! the un-pseudonymised run's.
//!
//! What this proves and what it does not: every output file's bytes are searched (CSV,
//! SVG, Markdown, HTML, JSON, Parquet), and every Parquet file is also read back and
//! each of its columns, as text, searched, since compressed pages hide their strings
//! from a byte search. Text drawn into PNG pixels (and the PNGs embedded in report.html)
//! cannot be searched this way; the same label strings feed the SVG twins of every PNG,
//! which are searched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::*;

use crate::support::*;

const KEY_VAR: &str = "RANKAUDIT_PRIVACY_TEST_KEY";
const KEY: &str = "k3y-for-the-privacy-test-0123456789";

/// Fixture id -> (new id, label, public, display name). Private accounts get ids,
/// labels and names that occur nowhere else, so a byte search for them is meaningful.
const ACCOUNTS: &[(&str, &str, &str, Option<&str>, &str)] = &[
    ("s1", "s1", "PublicSeedOne", Some("yes"), "Pat Public"),
    (
        "s2",
        "SecretSeedTwo42",
        "LabelOfSeedTwo",
        Some("no"),
        "Sally Secretname",
    ),
    ("s3", "s3", "PublicSeedThree", Some("true"), "Sam Open"),
    (
        "alice",
        "HiddenAliceXq",
        "AliceHandleQq",
        Some("0"),
        "Alice Realname",
    ),
    ("bob", "bob", "BobTheBuilder", Some("1"), "Bob Open"),
    (
        "carol",
        "PrivateCarolZz",
        "CarolHandleZz",
        Some("false"),
        "Carol Realname",
    ),
    ("dave", "dave", "DaveOpenly", Some("YES"), "Dave Open"),
    (
        "erin",
        "CovertErinQw",
        "ErinHandleQw",
        None,
        "Erin Realname",
    ),
];

fn is_private(public: Option<&str>) -> bool {
    !matches!(public, Some("yes" | "true" | "1" | "YES"))
}

/// The strings that must appear in no output.
fn secrets() -> Vec<&'static str> {
    let mut v: Vec<&str> = ACCOUNTS
        .iter()
        .filter(|a| is_private(a.3))
        .flat_map(|a| [a.1, a.2, a.4])
        .collect();
    v.push(KEY);
    v
}

/// The small fixture with the ids renamed, labels, a `public` column and a `name`
/// column; seed s2 named by its label. `privacy`: the `[privacy]` section to append.
fn fixture_dir(name: &str, privacy: &str) -> PathBuf {
    let dir = temp_dir(name);
    let rename: BTreeMap<&str, &str> = ACCOUNTS.iter().map(|a| (a.0, a.1)).collect();
    let src = fixture("small");
    let accounts = std::fs::read_to_string(src.join("accounts.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in accounts.lines().enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        if i == 0 {
            out.push_str(&format!("{line},label,public,name\n"));
            continue;
        }
        let a = ACCOUNTS.iter().find(|a| a.0 == f[0]).unwrap();
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            a.1,
            f[1..].join(","),
            a.2,
            a.3.unwrap_or(""),
            a.4
        ));
    }
    std::fs::write(dir.join("accounts.csv"), out).unwrap();
    let follows = std::fs::read_to_string(src.join("follows.csv")).unwrap();
    let follows: String = follows
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').map(|x| *rename.get(x).unwrap_or(&x)).collect();
            format!("{}\n", f.join(","))
        })
        .collect();
    std::fs::write(dir.join("follows.csv"), follows).unwrap();
    for list in ["seeds.txt", "pool.txt"] {
        let text = std::fs::read_to_string(src.join(list)).unwrap();
        let text: String = text
            .lines()
            .map(|l| match l {
                "s2" => "@LabelOfSeedTwo\n".to_string(),
                l => format!("{}\n", rename.get(l).unwrap_or(&l)),
            })
            .collect();
        std::fs::write(dir.join(list), text).unwrap();
    }
    let study = std::fs::read_to_string(src.join("study.toml")).unwrap();
    std::fs::write(dir.join("study.toml"), format!("{study}\n{privacy}")).unwrap();
    dir
}

fn run_with_key(cwd: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_rankaudit"))
        .args(args)
        .current_dir(cwd)
        .env(KEY_VAR, KEY)
        .output()
        .expect("the binary runs");
    assert!(
        o.status.success(),
        "rankaudit {args:?} failed:\n{}",
        stderr(&o)
    );
    o
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(files(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

/// Every string value of a Parquet file (each column cast to text).
fn parquet_strings(path: &Path) -> Vec<String> {
    let f = std::fs::File::open(path).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    let mut v = Vec::new();
    for c in df.columns() {
        v.push(c.name().to_string());
        let s = c
            .cast(&DataType::String)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), c.name()));
        let ca = s.str().unwrap();
        v.extend((0..ca.len()).filter_map(|i| ca.get(i)).map(str::to_string));
    }
    v
}

/// Where a secret occurs under `out`: (file, how found, secret), searching every file's
/// bytes and every Parquet file's values read back; and every output's text (bytes,
/// lossy) and Parquet strings, for further checks.
fn leaks(out: &Path) -> (Vec<(String, &'static str, &'static str)>, String) {
    let all = files(out);
    assert!(all.len() >= 3, "{all:?}");
    let mut found = Vec::new();
    let mut seen = String::new();
    let mut parquets = 0;
    for f in &all {
        let name = f.strip_prefix(out).unwrap().display().to_string();
        let bytes = std::fs::read(f).unwrap();
        for s in secrets() {
            if [s.to_string(), s.to_lowercase()]
                .iter()
                .any(|form| memmem(&bytes, form.as_bytes()).is_some())
            {
                found.push((name.clone(), "bytes", s));
            }
        }
        seen.push_str(&String::from_utf8_lossy(&bytes));
        if f.extension().is_some_and(|e| e == "parquet") {
            parquets += 1;
            for v in parquet_strings(f) {
                for s in secrets() {
                    if v.to_lowercase().contains(&s.to_lowercase()) {
                        found.push((name.clone(), "parquet value", s));
                    }
                }
                seen.push_str(&v);
                seen.push('\n');
            }
        }
    }
    assert!(parquets > 0, "Parquet files were read back");
    (found, seen)
}

/// No output under `out` holds a secret; returns what [`leaks`] saw.
fn assert_no_secret(out: &Path) -> String {
    let (found, seen) = leaks(out);
    assert!(
        found.is_empty(),
        "private strings in the outputs: {found:?}"
    );
    seen
}

fn memmem(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

const PRIVACY: &str =
    "[privacy]\npseudonymise = \"non-public\"\nkey_env = \"RANKAUDIT_PRIVACY_TEST_KEY\"\n";

/// (ranking, score, rank) of every row of rankings.csv, and its accounts.
fn ranking(out: &Path) -> (Vec<(String, String, String)>, Vec<String>) {
    let t = read_csv(&out.join("tables/rankings.csv"));
    let rows = column(&t, "ranking")
        .into_iter()
        .zip(column(&t, "score"))
        .zip(column(&t, "rank"))
        .map(|((m, s), r)| (m.to_string(), s.to_string(), r.to_string()))
        .collect();
    (
        rows,
        column(&t, "account")
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}

#[test]
fn privacy_audit_outputs_hold_no_private_id_or_label() {
    let dir = fixture_dir("privacy-audit", PRIVACY);
    let out = dir.join("out");
    let o = run_with_key(
        &dir,
        &[
            "audit",
            "study.toml",
            "--out",
            out.to_str().unwrap(),
            "--threads",
            "2",
        ],
    );
    assert!(
        stderr(&o).contains("pseudonymised 4 of 8 accounts"),
        "{}",
        stderr(&o)
    );
    let seen = assert_no_secret(&out);
    // Public accounts keep their labels; private ones show as pseudonyms.
    for public in ["PublicSeedOne", "BobTheBuilder", "PublicSeedThree"] {
        assert!(seen.contains(public), "{public} is shown");
    }
    assert!(seen.contains("anon-"), "pseudonyms are shown");
    // The manifest names the key's variable, never the key.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains(KEY_VAR), "{manifest}");

    // The same study without [privacy]: the same ranks and scores, row for row, and the
    // same accounts where public.
    let plain = fixture_dir("privacy-audit-plain", "");
    let plain_out = plain.join("out");
    ok(
        &plain,
        &[
            "audit",
            "study.toml",
            "--out",
            plain_out.to_str().unwrap(),
            "-q",
        ],
    );
    // The search sees what it looks for: without [privacy] the same strings are found
    // in the tables (bytes and Parquet values), the charts and the report.
    let (found, _) = leaks(&plain_out);
    for (file, how) in [
        ("tables/rankings.csv", "bytes"),
        ("tables/rankings.parquet", "parquet value"),
        ("report.md", "bytes"),
        ("report.html", "bytes"),
    ] {
        assert!(
            found.iter().any(|(f, h, _)| f == file && *h == how),
            "{file} ({how}) not found: {found:?}"
        );
    }
    assert!(
        found.iter().any(|(f, _, _)| f.ends_with(".svg")),
        "no chart: {found:?}"
    );
    let (rows, accounts) = ranking(&out);
    let (plain_rows, plain_accounts) = ranking(&plain_out);
    assert_eq!(rows, plain_rows);
    for (a, b) in accounts.iter().zip(&plain_accounts) {
        let private = ACCOUNTS
            .iter()
            .find(|x| x.1 == b)
            .is_none_or(|x| is_private(x.3));
        if private {
            assert!(a.starts_with("anon-") && a.len() == 17, "{b} -> {a}");
        } else {
            assert_eq!(a, b);
        }
    }

    // Quick mode with the same key: the same pseudonyms (stable across runs and modes).
    let q = dir.join("quick");
    let o = run_with_key(
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
            "--out",
            q.to_str().unwrap(),
            "--pseudonymise",
            "non-public",
            "--pseudonym-key-env",
            KEY_VAR,
        ],
    );
    assert!(
        stderr(&o).contains("pseudonymised 4 of 8"),
        "{}",
        stderr(&o)
    );
    let quick = assert_no_secret(&q);
    assert!(quick.contains("BobTheBuilder"));
    let t = read_csv(&q.join("rankings.csv"));
    let published: Vec<&String> = accounts
        .iter()
        .zip(&rows)
        .filter(|(_, r)| r.0 == "published")
        .map(|(a, _)| a)
        .collect();
    let quick_accounts: Vec<&str> = column(&t, "account");
    assert_eq!(
        quick_accounts,
        published.iter().map(|s| s.as_str()).collect::<Vec<_>>()
    );
}

#[test]
fn privacy_all_and_key_errors() {
    // `all`: no id or label of any account anywhere (quick mode).
    let dir = fixture_dir("privacy-all", "");
    let q = dir.join("q");
    run_with_key(
        &dir,
        &[
            "rank",
            "--accounts",
            "accounts.csv",
            "--follows",
            "follows.csv",
            "--method",
            "in-degree",
            "--out",
            q.to_str().unwrap(),
            "--pseudonymise",
            "all",
            "--pseudonym-key-env",
            KEY_VAR,
            "-q",
        ],
    );
    let t = read_csv(&q.join("rankings.csv"));
    assert!(column(&t, "account").iter().all(|a| a.starts_with("anon-")));
    assert!(column(&t, "label").iter().all(|a| a.starts_with("anon-")));

    // A missing key variable, a missing key file, a short key, no key, a bad flag value.
    let base = [
        "rank",
        "--accounts",
        "accounts.csv",
        "--follows",
        "follows.csv",
        "--method",
        "in-degree",
        "--out",
        "o",
        "--pseudonymise",
    ];
    let with =
        |more: &[&str]| -> Vec<String> { base.iter().chain(more).map(|s| s.to_string()).collect() };
    let args = with(&[
        "non-public",
        "--pseudonym-key-env",
        "RANKAUDIT_NO_SUCH_VAR_51",
    ]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("RANKAUDIT_NO_SUCH_VAR_51 holding the pseudonym key is not set"),
        "{e}"
    );
    let args = with(&["all", "--pseudonym-key-file", "nope.key"]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("nope.key: cannot read the pseudonym key file"),
        "{e}"
    );
    std::fs::write(dir.join("short.key"), "abc\n").unwrap();
    let args = with(&["all", "--pseudonym-key-file", "short.key"]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("is 3 bytes; use at least 16"), "{e}");
    let args = with(&["all"]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("--pseudonymise needs a key"), "{e}");
    let args = with(&["some", "--pseudonym-key-env", KEY_VAR]);
    let e = fails(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("use all or non-public"), "{e}");
    // A public value that is not a flag: named with its file and column.
    let acc = std::fs::read_to_string(dir.join("accounts.csv")).unwrap();
    std::fs::write(dir.join("accounts.csv"), acc.replace(",YES,", ",maybe,")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_rankaudit"))
        .args(with(&["non-public", "--pseudonym-key-env", KEY_VAR]))
        .current_dir(&dir)
        .env(KEY_VAR, KEY)
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("accounts.csv: account row 7") && e.contains("\"maybe\" is not a public flag"),
        "{e}"
    );
}

/// `rankaudit import --study` applies the study's `[privacy]`: the canonical tables a
/// user shares hold no private id, label or name (bytes and Parquet values).
#[test]
fn privacy_import_writes_no_private_account() {
    let dir = fixture_dir("privacy-import", PRIVACY);
    let out = dir.join("tables");
    let o = run_with_key(
        &dir,
        &[
            "import",
            "--study",
            dir.join("study.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pseudonymised"));
    assert_no_secret(&out);
    let acc = std::fs::read_to_string(out.join("accounts.csv")).unwrap();
    assert!(acc.contains("anon-"), "{acc}");
}
