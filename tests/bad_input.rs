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
        e.contains("--min-follows 4") && e.contains("3 seeds"),
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

// Issue 10, "every error names the file the user gave (or the flag)": one test per group.

/// The small study, edited (each `(from, to)` replaced once), with its inputs copied
/// beside it in a fresh folder; returns the folder.
fn small_study(name: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    for f in ["accounts.csv", "follows.csv", "seeds.txt", "pool.txt"] {
        std::fs::copy(fixture(&format!("small/{f}")), dir.join(f)).unwrap();
    }
    let mut text = std::fs::read_to_string(fixture("small/study.toml")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(dir.join("study.toml"), text).unwrap();
    dir
}

fn audit_fails(dir: &Path) -> String {
    fails(dir, &["-q", "audit", "study.toml", "--out", "out"])
}

#[test]
fn threshold_and_pool_name_the_seed_list_files() {
    // Quick mode: the flag and the file typed.
    let dir = temp_dir("bad-k-file");
    let seeds = small("seeds.txt");
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        &seeds,
        "4",
    );
    assert!(
        e.contains("--min-follows 4") && e.contains(&seeds) && e.contains("3 seeds"),
        "{e}"
    );
    // A study: the study file's line and column, and the seed list file.
    let dir = small_study("bad-k-study", &[("min_follows = 2", "min_follows = 4")]);
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 24, column 15")
            && e.contains("min_follows = 4")
            && e.contains("seeds.txt (3 seeds)"),
        "{e}"
    );
    let dir = small_study(
        "bad-pool",
        &[("path = \"pool.txt\"", "path = \"pool2.txt\"")],
    );
    std::fs::write(dir.join("pool2.txt"), "s1\ns2\n").unwrap();
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 47, column 8")
            && e.contains("pool2.txt")
            && e.contains("seeds.txt"),
        "{e}"
    );
}

#[test]
fn a_table_whose_every_row_was_rejected_says_so() {
    let dir = temp_dir("bad-all-rejected");
    std::fs::write(
        dir.join("i.csv"),
        "source,target,kind\nalice,s1\nbob,s2,reply,x\n",
    )
    .unwrap();
    let e = fails(
        &dir,
        &[
            "rank",
            "--follows",
            &small("follows.csv"),
            "--interactions",
            "i.csv",
            "--method",
            "in-degree",
            "--graph",
            "interactions",
            "--malformed",
            "skip",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("i.csv: every row of the interactions table was rejected (2 rows: wrong_field_count 2, e.g. line 2"),
        "{e}"
    );
    assert!(!e.contains("has none"), "{e}");
}

#[test]
fn skip_counts_are_shown_before_a_later_failure() {
    let dir = temp_dir("bad-skip-then-fail");
    std::fs::write(
        dir.join("f.csv"),
        "follower,followee\nalice,s1\nbob,s1,extra\n",
    )
    .unwrap();
    let o = run(
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
            "3",
            "--by",
            "followers",
            "--malformed",
            "skip",
            "--out",
            "o",
        ],
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("f.csv: 2 rows read, 1 used, 1 rejected (wrong_field_count 1)")
            && e.contains("nobody qualifies"),
        "{e}"
    );
}

#[test]
fn a_missing_accounts_column_names_the_accounts_file() {
    let dir = temp_dir("bad-acc-col");
    let accounts = small("accounts.csv");
    let e = fails(
        &dir,
        &[
            "rank",
            "--accounts",
            &accounts,
            "--follows",
            &small("follows.csv"),
            "--method",
            "count",
            "--param",
            "column=likes",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains(&format!("{accounts}: no accounts column \"likes\"")),
        "{e}"
    );
    assert!(e.contains("--param column=likes"), "{e}");
    let e = fails(
        &dir,
        &[
            "rank",
            "--accounts",
            &accounts,
            "--follows",
            &small("follows.csv"),
            "--method",
            "follow-seeds",
            "--seeds",
            &small("seeds.txt"),
            "--min-follows",
            "1",
            "--by",
            "followers,likes",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("--by followers,likes")
            && e.contains(&format!("{accounts}: no accounts column \"likes\"")),
        "{e}"
    );
}

#[test]
fn study_checks_name_the_study_file_line_and_column() {
    // A method parameter out of range.
    let dir = small_study(
        "bad-damping",
        &[(
            "name = \"pagerank\"\nmethod = \"pagerank\"",
            "name = \"pagerank\"\nmethod = \"pagerank\"\ndamping = 1.5",
        )],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 35, column 11: ranking \"pagerank\"")
            && e.contains("damping = 1.5 must be in [0, 1)"),
        "{e}"
    );
    // A section-level check.
    let dir = small_study("bad-rbo", &[("top_n = 2", "top_n = 2\nrbo_p = 1.5")]);
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 6, column 9: [study] rbo_p = 1.5"),
        "{e}"
    );
    // A population column the accounts table lacks.
    let dir = small_study(
        "bad-pop",
        &[(
            "[seeds.toy]",
            "[population]\ncolumn = \"role\"\nequals = \"x\"\n\n[seeds.toy]",
        )],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 13, column 1") && e.contains("[population] column \"role\""),
        "{e}"
    );
}

#[test]
fn nobody_ranked_says_why() {
    // Quick mode: ranking by a count nobody has.
    let dir = temp_dir("bad-nobody-why");
    std::fs::write(dir.join("a.csv"), "account,followers\na,\nb,\nc,\n").unwrap();
    std::fs::write(dir.join("f.csv"), "follower,followee\na,b\nb,c\n").unwrap();
    let e = fails(
        &dir,
        &[
            "rank",
            "--accounts",
            "a.csv",
            "--follows",
            "f.csv",
            "--method",
            "count",
            "--param",
            "column=followers",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("no account could be ranked: of 3 accounts, 3 are in the population (the accounts listed in a.csv)")
            && e.contains("method count ranked none of them")
            && e.contains("excluded_missing_count = 3"),
        "{e}"
    );
}

#[test]
fn every_bad_seed_is_reported_at_once_with_a_did_you_mean() {
    let dir = temp_dir("bad-seeds-all");
    let mut list = String::from("\u{feff}s1\nalicee\nS2\n");
    for i in 0..25 {
        list.push_str(&format!("nobody{i}\n"));
    }
    std::fs::write(dir.join("s.txt"), list).unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        "s.txt",
        "1",
    );
    assert!(
        e.contains("s.txt: 27 of 28 seeds are not accounts in the data")
            && e.contains("s.txt: line 2: seed \"alicee\" (did you mean \"alice\"?)")
            && e.contains("s.txt: line 3: seed \"S2\" (did you mean \"s2\"?)")
            && e.contains("and 7 more"),
        "{e}"
    );
    // The byte-order mark is not part of the first seed.
    assert!(!e.contains("line 1:") && !e.contains('\u{feff}'), "{e}");
}

#[test]
fn quick_mode_messages_speak_of_flags() {
    let dir = temp_dir("bad-flags");
    std::fs::write(dir.join("f.csv"), "follower,followee\nalice,s1,x\nbob,s1\n").unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        "f.csv",
        &small("seeds.txt"),
        "1",
    );
    assert!(
        e.contains("--malformed skip") && !e.contains("[data.policy]"),
        "{e}"
    );
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        &small("seeds.txt"),
        "9",
    );
    assert!(
        e.contains("--min-follows") && !e.contains("min_follows"),
        "{e}"
    );
}

#[test]
fn long_values_are_elided() {
    let dir = temp_dir("bad-long");
    let big = "x".repeat(2_000_000);
    std::fs::write(
        dir.join("a.csv"),
        format!("account,followers\nalice,{big}\n"),
    )
    .unwrap();
    let e = follow_seeds(
        &dir,
        "a.csv",
        &small("follows.csv"),
        &small("seeds.txt"),
        "1",
    );
    assert!(e.len() < 1000 && e.contains("(2000000 bytes)"), "{e}");
    std::fs::write(dir.join("s.txt"), format!("s1\n{big}\n")).unwrap();
    let e = follow_seeds(
        &dir,
        &small("accounts.csv"),
        &small("follows.csv"),
        "s.txt",
        "1",
    );
    assert!(e.len() < 1000 && e.contains("(2000000 bytes)"), "{e}");
}

#[test]
fn counts_beyond_2_53_are_rejected() {
    let dir = temp_dir("bad-huge-count");
    for v in ["1e300", "9007199254740993"] {
        std::fs::write(
            dir.join("a.csv"),
            format!("account,followers\nalice,10\nbob,{v}\n"),
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
            e.contains("a.csv: line 3")
                && e.contains("column 2 (followers)")
                && e.contains("2^53 = 9007199254740992"),
            "{e}"
        );
    }
}

#[test]
fn negative_numeric_flags_get_a_range_message() {
    let dir = temp_dir("bad-negative");
    let e = fails(
        &dir,
        &[
            "rank",
            "--follows",
            &small("follows.csv"),
            "--method",
            "pagerank",
            "--damping",
            "-0.1",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("--damping -0.1")
            && e.contains("must be in [0, 1)")
            && !e.contains("unexpected argument"),
        "{e}"
    );
}

#[test]
fn help_says_which_methods_use_tol_and_max_iter() {
    let o = ok(&temp_dir("help-tol"), &["rank", "--help"]);
    let h = String::from_utf8_lossy(&o.stdout).to_string();
    for m in ["hits-authority", "eigenvector", "katz"] {
        assert!(h.contains(m), "{h}");
    }
}

#[test]
fn a_bare_word_is_a_one_element_list() {
    let dir = temp_dir("bare-kinds");
    let i = fixture("conv/interactions.csv");
    let rank = |kinds: &str, out: &str| {
        ok(
            &dir,
            &[
                "rank",
                "--interactions",
                i.to_str().unwrap(),
                "--method",
                "in-degree",
                "--graph",
                "interactions",
                "--param",
                kinds,
                "--out",
                out,
            ],
        );
        std::fs::read_to_string(dir.join(out).join("rankings.csv")).unwrap()
    };
    assert_eq!(
        rank("kinds=reply", "bare"),
        rank("kinds=[\"reply\"]", "list")
    );
}

#[test]
fn study_counts_are_bounded_with_the_reason() {
    let dir = small_study(
        "bad-replicates",
        &[("replicates = 25", "replicates = 9223372036854775807")],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 6, column 14: [study] replicates = 9223372036854775807 is above the limit of 100000")
            && e.contains("Monte Carlo"),
        "{e}"
    );
    let dir = small_study(
        "bad-fam-replicates",
        &[("replicates = 10", "replicates = 1000000000000")],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 55, column 14: [[sensitivity.family]] edge-dropout: replicates = 1000000000000"),
        "{e}"
    );
    let dir = small_study(
        "bad-mv",
        &[("[multiverse]", "[multiverse]\nmax_universes = 200000")],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("study.toml: line 58, column 17") && e.contains("100000"),
        "{e}"
    );
    let dir = small_study(
        "bad-sobol-samples",
        &[(
            "[multiverse]",
            "[multiverse.sobol]\nsamples = 1\n\n[multiverse]",
        )],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains(
            "study.toml: line 58, column 11: [multiverse.sobol] samples = 1 is out of range"
        ),
        "{e}"
    );
    let dir = small_study(
        "bad-sobol-key",
        &[(
            "[multiverse]",
            "[multiverse.sobol]\nsample = 64\n\n[multiverse]",
        )],
    );
    let e = audit_fails(&dir);
    assert!(e.contains("unknown field `sample`"), "{e}");
    let dir = small_study("bad-topn", &[("top_n = 2", "top_n = 4000000000")]);
    let e = audit_fails(&dir);
    assert!(e.contains("study.toml: line 5, column 9"), "{e}");
    let dir = small_study(
        "bad-gaming",
        &[(
            "offline_rank = \"followers\"",
            "offline_rank = \"followers\"\ngaming_sample = 99999999",
        )],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("gaming_sample = 99999999 is above the limit of 10000"),
        "{e}"
    );
}

#[test]
fn critique_settings_fail_before_any_ranking_or_perturbation_work() {
    // A ranking that fails only when scored (PageRank cannot converge in one step) and a
    // critique attribute the data lacks: the critique is checked first.
    let dir = small_study(
        "bad-critique-first",
        &[
            (
                "name = \"pagerank\"\nmethod = \"pagerank\"",
                "name = \"pagerank\"\nmethod = \"pagerank\"\nmax_iter = 1\ntol = 1e-15",
            ),
            ("attributes = [\"party\"]", "attributes = [\"rol\"]"),
        ],
    );
    let e = audit_fails(&dir);
    assert!(
        e.contains("[critique] attribute \"rol\" is not a column of the accounts table")
            && e.contains("study.toml: line 71, column 15")
            && !e.contains("converge"),
        "{e}"
    );
}

#[test]
fn unknown_format_names_the_key_or_flag_and_lists_the_importers() {
    // The study: at a table's `format` and at `[data] format`, with line and column.
    for (name, from, to, at) in [
        (
            "bad-format-table",
            "path = \"follows.csv\"",
            "path = \"follows.csv\"\nformat = \"jsonl\"",
            "line 12, column 10: unknown format \"jsonl\"",
        ),
        (
            "bad-format-data",
            "[data.accounts]",
            "[data]\nformat = \"jsonl\"\n[data.accounts]",
            "line 9, column 10: unknown format \"jsonl\"",
        ),
    ] {
        let e = audit_fails(&small_study(name, &[(from, to)]));
        assert!(
            e.contains(&format!(
                "study.toml: {at}; known formats: csv, tsv, parquet"
            )),
            "{e}"
        );
    }
    // Quick mode: the flag, before any data is read.
    let dir = temp_dir("bad-format-flag");
    let e = fails(
        &dir,
        &[
            "rank",
            "--follows",
            "nope.csv",
            "--method",
            "in-degree",
            "--format",
            "xlsx",
            "--out",
            "o",
        ],
    );
    assert!(
        e.contains("--format xlsx: unknown format \"xlsx\"; known formats: csv, tsv, parquet"),
        "{e}"
    );
}

/// `design = "sobol"`: the Sobol universes are the multiverse itself (no grid runs):
/// universes.csv holds N (k + 2) of them, the Sobol tables are filled, and a study with
/// a bad design name fails naming it.
#[test]
fn a_sobol_design_is_the_multiverse() {
    let dir = small_study(
        "sobol-design",
        &[(
            "[multiverse]\nranking = \"published\"",
            "[multiverse]\nranking = \"published\"\ndesign = \"sobol\"\n[multiverse.sobol]\nsamples = 8\nbootstrap = 50",
        )],
    );
    ok(&dir, &["-q", "audit", "study.toml", "--out", "out"]);
    let out = dir.join("out/tables");
    let universes = std::fs::read_to_string(out.join("universes.csv")).unwrap();
    let runs = universes
        .lines()
        .filter(|l| l.contains(",multiverse,"))
        .count();
    assert_eq!(runs, 8 * (2 + 2), "N (k + 2) universes, no grid");
    let ix = std::fs::read_to_string(out.join("sobol_indices.csv")).unwrap();
    // 3 outputs x (2 factors + the dummy).
    assert_eq!(ix.lines().count(), 1 + 3 * 3, "{ix}");
    assert!(ix.contains(",(dummy),") && ix.contains(",8,32"), "{ix}");
    let dir = small_study(
        "sobol-design-bad",
        &[(
            "[multiverse]\nranking = \"published\"",
            "[multiverse]\nranking = \"published\"\ndesign = \"lattice\"",
        )],
    );
    let e = audit_fails(&dir);
    assert!(e.contains("unknown variant `lattice`"), "{e}");
}

/// A continuous factor (`range`, here integer) runs in a Sobol design, where its
/// universes take the sampled values; in a grid it fails naming the fix.
#[test]
fn a_range_factor_needs_and_runs_in_a_sobol_design() {
    let dir = small_study(
        "sobol-range",
        &[
            (
                "[multiverse]\nranking = \"published\"",
                "[multiverse]\nranking = \"published\"\ndesign = \"sobol\"\n[multiverse.sobol]\nsamples = 8\nbootstrap = 20",
            ),
            ("values = [1, 2]", "range = [1, 2]\ninteger = true"),
        ],
    );
    ok(&dir, &["-q", "audit", "study.toml", "--out", "out"]);
    let universes = std::fs::read_to_string(dir.join("out/tables/universes.csv")).unwrap();
    let labels: Vec<&str> = universes
        .lines()
        .filter(|l| l.contains(",multiverse,"))
        .collect();
    assert_eq!(labels.len(), 32);
    assert!(labels.iter().any(|l| l.contains("min_follows=1")));
    assert!(labels.iter().any(|l| l.contains("min_follows=2")));
    let dir = small_study("sobol-range-grid", &[("values = [1, 2]", "range = [1, 2]")]);
    let e = audit_fails(&dir);
    assert!(
        e.contains("a continuous range has no grid; set [multiverse] design = \"sobol\""),
        "{e}"
    );
}
