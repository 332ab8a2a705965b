//! `rankaudit compare`: ranked lists with no graph. Hand-computed measures on a tiny
//! pair, matching by case and `@`, ties, tables by score and an audit's rankings table,
//! bad input naming file and line, and (where Python has scipy) tau-b, Spearman and
//! weighted tau against scipy on a random pair.

use std::path::Path;

use crate::support::*;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn row(out: &Path) -> Vec<(String, String)> {
    let c = read_csv(&out.join("comparisons.csv"));
    c.0.iter().cloned().zip(c.1[0].iter().cloned()).collect()
}

fn get<'a>(r: &'a [(String, String)], k: &str) -> &'a str {
    &r.iter()
        .find(|(h, _)| h == k)
        .unwrap_or_else(|| panic!("no {k}"))
        .1
}

#[test]
fn two_text_lists_hand_computed() {
    let dir = temp_dir("compare-hand");
    let a = write(&dir, "a.txt", "x\ny\nz\nw\n");
    let b = write(&dir, "b.txt", "# other\n@Y\nX\n z \nv\n");
    let out = dir.join("out");
    let o = ok(&dir, &["compare", &a, &b, "--out", out.to_str().unwrap()]);
    let r = row(&out);
    // Common x, y, z ranked (1, 2, 3) and (2, 1, 3): one of three pairs discordant.
    assert_eq!(get(&r, "n_common"), "3");
    assert!((get(&r, "kendall_tau_b").parse::<f64>().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert!((get(&r, "spearman").parse::<f64>().unwrap() - 0.5).abs() < 1e-12);
    // Top 4 (the shorter list's length): {x, y, z, w} and {y, x, z, v}: 3 of 5.
    assert_eq!(get(&r, "k"), "4");
    assert_eq!(get(&r, "top_k_in_common"), "3");
    assert!((get(&r, "jaccard_top_k").parse::<f64>().unwrap() - 0.6).abs() < 1e-12);
    let (lo, hi, ext): (f64, f64, f64) = (
        get(&r, "rbo_min").parse().unwrap(),
        get(&r, "rbo_max").parse().unwrap(),
        get(&r, "rbo_ext").parse().unwrap(),
    );
    assert!(lo <= ext && ext <= hi, "{lo} {ext} {hi}");
    assert_eq!((get(&r, "only_in_a"), get(&r, "only_in_b")), ("1", "1"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("In “a”, not in “b” (1): w"), "{report}");
    assert!(report.contains("In “b”, not in “a” (1): v"), "{report}");
    // The lede (stdout, and the report's first paragraph) states the table's numbers.
    let lede = String::from_utf8_lossy(&o.stdout);
    assert!(lede.contains("share 3 of their top 4"), "{lede}");
    assert!(
        lede.contains(&format!("at least {lo:.2} and at most {hi:.2}")),
        "{lede}"
    );
    assert!(report.contains(lede.trim()), "{report}");
    let names = read_csv(&out.join("names.csv"));
    assert_eq!(names.0, ["name", "key", "lists", "rank_a", "rank_b"]);
    let x = names.1.iter().find(|r| r[1] == "x").unwrap();
    assert_eq!(x[3..], ["1", "2"]);
    for f in ["bump.png", "bump.svg", "manifest.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn ties_scores_and_an_audit_rankings_table() {
    let dir = temp_dir("compare-tables");
    let a = write(&dir, "a.txt", "1. p\n2. q\n2. r\n4. s\n");
    let b = write(&dir, "b.csv", "handle,score\nr,10\np,7\nq,7\ns,1\n");
    let out = dir.join("out");
    ok(
        &dir,
        &[
            "compare",
            &a,
            &b,
            "--out",
            out.to_str().unwrap(),
            "--top",
            "3",
        ],
    );
    let names = read_csv(&out.join("names.csv"));
    let rank = |n: &str| {
        let r = names.1.iter().find(|r| r[1] == n).unwrap();
        (r[3].clone(), r[4].clone())
    };
    assert_eq!(rank("q"), ("2".into(), "2".into()));
    assert_eq!(rank("r"), ("2".into(), "1".into()));
    assert_eq!(rank("p"), ("1".into(), "2".into()));
    // Top 3 of a is {p, q, r}; of b {r, p, q} (7, 7 tie inside the top 3).
    assert_eq!(get(&row(&out), "top_k_in_common"), "3");

    let audit = temp_dir("compare-audit").join("audit");
    ok(
        &dir,
        &[
            "audit",
            repo()
                .join("data/us-house-2022/study.toml")
                .to_str()
                .unwrap(),
            "--out",
            audit.to_str().unwrap(),
            "-q",
        ],
    );
    let table = audit.join("tables/rankings.csv");
    let t = table.to_str().unwrap();
    let out2 = dir.join("out2");
    ok(
        &dir,
        &[
            "compare",
            t,
            "--ranking",
            "published",
            "--ranking",
            "pagerank",
            "--out",
            out2.to_str().unwrap(),
        ],
    );
    let r = row(&out2);
    assert_eq!(
        (get(&r, "list_a"), get(&r, "list_b")),
        ("published", "pagerank")
    );
    // The same pair as the audit's own comparison.
    let c = read_csv(&audit.join("tables/comparisons.csv"));
    let audit_row =
        c.1.iter()
            .find(|x| x[0] == "published" && x[1] == "pagerank" && x[2] == "all")
            .expect("the audit compares published with pagerank");
    let col = |name: &str| c.0.iter().position(|h| h == name).unwrap();
    for m in [
        "kendall_tau_b",
        "spearman",
        "weighted_tau",
        "jaccard_top_k",
        "rbo_ext",
    ] {
        let (x, y): (f64, f64) = (
            get(&r, m).parse().unwrap(),
            audit_row[col(m)].parse().unwrap(),
        );
        assert!((x - y).abs() < 1e-12, "{m}: compare {x}, audit {y}");
    }
    // FILE:NAME picks one ranking; an audit text list against it.
    let list = write(&dir, "mine.txt", "@SpeakerPelosi\nGOPLeader\nRepAOC\n");
    let out3 = dir.join("out3");
    ok(
        &dir,
        &[
            "compare",
            &list,
            &format!("{t}:published"),
            "--out",
            out3.to_str().unwrap(),
        ],
    );
    assert_eq!(get(&row(&out3), "list_b"), "published");
}

#[test]
fn bad_lists_name_file_and_line() {
    let dir = temp_dir("compare-bad");
    let a = write(&dir, "a.txt", "1. x\ny\n");
    let b = write(&dir, "b.txt", "x\n");
    let e = fails(&dir, &["compare", &a, &b]);
    assert!(
        e.contains("a.txt: line 2, column 1") && e.contains("no rank"),
        "{e}"
    );
    let e = fails(&dir, &["compare", &b]);
    assert!(e.contains("at least two lists"), "{e}");
    let c = write(&dir, "c.csv", "name,score\nx,high\n");
    let e = fails(&dir, &["compare", &b, &c]);
    assert!(
        e.contains("c.csv: line 2, column 2") && e.contains("not a number"),
        "{e}"
    );
    let e = fails(&dir, &["compare", &b, "missing.txt"]);
    assert!(e.contains("missing.txt"), "{e}");
    let e = fails(&dir, &["compare", &b, &b, "--rbo-p", "1"]);
    assert!(e.contains("--rbo-p"), "{e}");
}

#[test]
fn agrees_with_scipy() {
    if !has_python_module("scipy") {
        eprintln!("SKIP compare agrees_with_scipy: python3 lacks scipy");
        return;
    }
    let dir = temp_dir("compare-scipy");
    // Two shuffles of 60 names (deterministic), 45 in common, with ties in b.
    let mut a: Vec<usize> = (0..60).collect();
    let mut b: Vec<usize> = (15..75).collect();
    let mut s = 12345u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for v in [&mut a, &mut b] {
        for i in (1..v.len()).rev() {
            v.swap(i, (next() % (i as u64 + 1)) as usize);
        }
    }
    let ta: String = a.iter().map(|i| format!("n{i}\n")).collect();
    let tb: String = b
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{},n{n}\n", 1 + i / 3 * 3))
        .collect();
    let pa = write(&dir, "a.txt", &ta);
    let pb = write(&dir, "b.csv", &format!("rank,name\n{tb}"));
    let out = dir.join("out");
    ok(&dir, &["compare", &pa, &pb, "--out", out.to_str().unwrap()]);
    let script = r#"
import sys, csv
from scipy import stats
out = sys.argv[1]
rows = list(csv.DictReader(open(out + "/names.csv")))
both = [r for r in rows if r["rank_a"] and r["rank_b"]]
x = [int(r["rank_a"]) for r in both]; y = [int(r["rank_b"]) for r in both]
got = next(csv.DictReader(open(out + "/comparisons.csv")))
want = {
  "kendall_tau_b": stats.kendalltau(x, y).statistic,
  "spearman": stats.spearmanr(x, y).statistic,
}
# weightedtau in the first list's order, as the audit: scipy.stats.weightedtau(-a, -b)
order = sorted(range(len(x)), key=lambda i: x[i])
want["weighted_tau"] = stats.weightedtau([-x[i] for i in order], [-y[i] for i in order]).statistic
for k, v in want.items():
    assert abs(float(got[k]) - v) < 1e-12, (k, got[k], v)
print("ok", want)
"#;
    python(script, &out);
}
