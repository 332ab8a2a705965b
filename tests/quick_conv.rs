//! Quick mode with the conversation methods on tests/fixtures/conv: the 5-account
//! fixture of the unit tests (src/rankings/conversation.rs), as files. Parties a D, b D,
//! c R, d R, e missing; 12 events of four kinds, with tags and RFC 3339 times, one
//! self-reply (kept by --self-loops keep, then excluded by the methods) and one reply of
//! weight 0. The expected tables are worked out by hand in the unit tests.

use crate::support::*;

fn conv(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>, String) {
    let dir = temp_dir(&format!(
        "conv-{}",
        args.join("-").replace(['"', '[', ']', '='], "")
    ));
    let out = dir.join("out");
    let accounts = fixture("conv/accounts.csv").display().to_string();
    let interactions = fixture("conv/interactions.csv").display().to_string();
    let mut all = vec![
        "rank",
        "--accounts",
        &accounts,
        "--interactions",
        &interactions,
        "--self-loops",
        "keep",
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let o = ok(&dir, &all);
    let t = read_csv(&out.join("rankings.csv"));
    (t.0, t.1, stderr(&o))
}

/// (account, score, rank) rows.
fn table(args: &[&str]) -> Vec<(String, f64, u32)> {
    let (header, rows, _) = conv(args);
    let at = |name: &str| header.iter().position(|c| c == name).unwrap();
    let (a, s, r) = (at("account"), at("score"), at("rank"));
    rows.iter()
        .map(|row| {
            (
                row[a].clone(),
                row[s].parse().unwrap(),
                row[r].parse().unwrap(),
            )
        })
        .collect()
}

fn check(args: &[&str], want: &[(&str, f64, u32)]) {
    let got = table(args);
    assert_eq!(got.len(), want.len(), "{args:?}: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            g.0 == w.0 && (g.1 - w.1).abs() < 1e-12 && g.2 == w.2,
            "{args:?}: got {got:?}, want {want:?}"
        );
    }
}

#[test]
fn reciprocity_and_breadth_from_files() {
    let r = 2.0 / 3.0;
    check(
        &["--method", "reciprocity"],
        &[
            ("c", 0.8, 1),
            ("a", r, 2),
            ("b", r, 2),
            ("d", r, 2),
            ("e", 0.0, 5),
        ],
    );
    // Replies only: the self-reply and the weight-0 reply leave d and e unranked.
    check(
        &["--method", "reciprocity", "--param", "kinds=[\"reply\"]"],
        &[("b", 1.0, 1), ("a", r, 2), ("c", 0.0, 3)],
    );
    check(
        &["--method", "breadth-in"],
        &[
            ("a", 4.0, 1),
            ("b", 2.0, 2),
            ("c", 2.0, 2),
            ("d", 1.0, 4),
            ("e", 0.0, 5),
        ],
    );
}

#[test]
fn give_take_amplification_bridging_from_files() {
    check(
        &["--method", "give-take", "--param", "measure=difference"],
        &[
            ("a", 2.0, 1),
            ("e", 1.0, 2),
            ("b", 0.0, 3),
            ("d", -1.0, 4),
            ("c", -2.0, 5),
        ],
    );
    check(
        &["--method", "amplification"],
        &[
            ("a", 2.0, 1),
            ("b", 1.0, 2),
            ("c", 1.0, 2),
            ("d", 0.0, 4),
            ("e", 0.0, 4),
        ],
    );
    let (x, y) = (5.0 / 7.0, 1.0 / 3.0);
    check(
        &["--method", "bridging", "--param", "attribute=party"],
        &[("a", x, 1), ("c", x, 1), ("b", y, 3), ("d", y, 3)],
    );
}

#[test]
fn tags_and_utc_days_from_files() {
    check(
        &["--method", "tag-participation"],
        &[
            ("a", 2.0, 1),
            ("c", 2.0, 1),
            ("d", 2.0, 1),
            ("b", 1.0, 4),
            ("e", 1.0, 4),
        ],
    );
    // c's events at 00:00:00 and 23:59:59 on 3 May are one day.
    check(
        &["--method", "tag-participation", "--param", "unit=day"],
        &[
            ("a", 2.0, 1),
            ("c", 2.0, 1),
            ("b", 1.0, 3),
            ("d", 1.0, 3),
            ("e", 1.0, 3),
        ],
    );
}

#[test]
fn mistakes_are_clean_errors() {
    let dir = temp_dir("conv-errors");
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let accounts = fixture("conv/accounts.csv").display().to_string();
    let interactions = fixture("conv/interactions.csv").display().to_string();
    let follows = fixture("small/follows.csv").display().to_string();
    let base = ["rank", "--accounts", &accounts, "--out", out];
    let with = |extra: &[&str]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        fails(&dir, &v)
    };
    let e = with(&[
        "--interactions",
        &interactions,
        "--method",
        "breadth-out",
        "--param",
        "kinds=[\"like\"]",
    ]);
    assert!(
        e.contains("kind \"like\" does not occur in the interactions data; kinds present: mention, quote, reply, retweet"),
        "{e}"
    );
    let e = with(&["--follows", &follows, "--method", "reciprocity"]);
    assert!(e.contains("reciprocity needs an interactions table"), "{e}");
    let e = with(&["--interactions", &interactions, "--method", "ei-index"]);
    assert!(e.contains("give `attribute`"), "{e}");
    let e = with(&[
        "--interactions",
        &interactions,
        "--method",
        "bridging",
        "--param",
        "attribute=role",
    ]);
    assert!(
        e.contains("no accounts column \"role\"; columns: party"),
        "{e}"
    );
    let e = with(&[
        "--interactions",
        &interactions,
        "--method",
        "reciprocity",
        "--param",
        "definition=edge",
    ]);
    assert!(e.contains("unknown variant `edge`"), "{e}");
}
