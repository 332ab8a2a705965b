//! `rankaudit import`: the canonical tables it writes are read back by `rank` (no
//! format, no column mapping) to the same rankings as the original files, with labels;
//! the manifest carries the importer's row accounting.

use crate::support::*;

/// `rank` on `inputs` (extra flags), the rankings table as text.
fn ranking(dir: &std::path::Path, name: &str, method: &str, inputs: &[&str]) -> String {
    let out = dir.join(name);
    let mut args = vec![
        "rank",
        "--method",
        method,
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(inputs);
    ok(dir, &args);
    std::fs::read_to_string(out.join("rankings.csv")).unwrap()
}

#[test]
fn imported_jetstream_ranks_as_the_capture_does() {
    let dir = temp_dir("import-jetstream");
    let capture = fixture("import/bluesky/jetstream.jsonl");
    let capture = capture.to_str().unwrap();
    let tables = dir.join("tables");
    ok(
        &dir,
        &[
            "import",
            capture,
            "--format",
            "jetstream",
            "--out",
            tables.to_str().unwrap(),
            "-q",
        ],
    );
    for t in ["accounts", "follows", "interactions"] {
        assert!(tables.join(format!("{t}.csv")).exists(), "{t}.csv");
        assert!(tables.join(format!("{t}.parquet")).exists(), "{t}.parquet");
    }
    let acc = read_csv(&tables.join("accounts.csv"));
    assert_eq!(acc.0[..2], ["account", "label"]);
    assert!(column(&acc, "label").contains(&"ann.example.org"));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tables.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["command"], "import");
    let follows = m["tables_read"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "follows")
        .unwrap();
    assert_eq!(follows["rejected"]["follow_deleted"], 1, "{follows}");

    let (a, f, i) = (
        tables.join("accounts.csv"),
        tables.join("follows.csv"),
        tables.join("interactions.csv"),
    );
    for (method, extra) in [
        ("in-degree", vec![]),
        (
            "amplification",
            vec!["--param", "kinds=[\"reply\", \"mention\"]"],
        ),
    ] {
        let mut direct = vec![
            "--format",
            "jetstream",
            "--accounts",
            capture,
            "--follows",
            capture,
            "--interactions",
            capture,
        ];
        direct.extend_from_slice(&extra);
        let mut imported = vec![
            "--accounts",
            a.to_str().unwrap(),
            "--follows",
            f.to_str().unwrap(),
            "--interactions",
            i.to_str().unwrap(),
        ];
        imported.extend_from_slice(&extra);
        let want = ranking(&dir, &format!("direct-{method}"), method, &direct);
        let got = ranking(&dir, &format!("imported-{method}"), method, &imported);
        assert_eq!(got, want, "{method}");
        assert!(want.lines().count() > 1, "{method}: something was ranked");
    }
}

#[test]
fn import_needs_inputs_and_says_which() {
    let dir = temp_dir("import-none");
    let e = fails(&dir, &["import", "--out", "x"]);
    assert!(e.contains("nothing to import"), "{e}");
    let csv = fixture("small/follows.csv");
    let e = fails(&dir, &["import", csv.to_str().unwrap(), "--out", "x"]);
    assert!(
        e.contains("holds one table; name it with --accounts"),
        "{e}"
    );
}
