//! The conversation methods against networkx, from tests/fixtures/reference/conv.json
//! (generate_conv.py, networkx 3.6.1). Every method is run through the registry, as a
//! study would, on the raw events (repeats, self-interactions, zero weights included);
//! the fixture's graphs hold only the events that count under rankaudit's policy.

use std::collections::BTreeMap;

use rankaudit::dataset::{Accounts, Ids, Interactions};
use rankaudit::graph::Graph;
use rankaudit::rankings::bridging::{Count, group_ei, groups};
use rankaudit::rankings::conversation::EventFilter;
use rankaudit::rankings::reciprocity::overall;
use rankaudit::rankings::{Input, Scores, build};
use serde_json::Value;

use crate::support::fixture;

struct Case {
    name: String,
    accounts: Accounts,
    events: Interactions,
    follows: Graph,
    value: Value,
}

fn cases() -> Vec<Case> {
    let p = fixture("reference/conv.json");
    let f: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let kinds: Vec<String> = f["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let n = c["n"].as_u64().unwrap() as usize;
            let mut ids = Ids::new();
            for i in 0..n {
                ids.intern(&format!("u{i}"));
            }
            let mut accounts = Accounts {
                ids,
                listed: n,
                ..Default::default()
            };
            let party = c["party"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().map(String::from))
                .collect();
            accounts.text.insert("party".into(), party);
            let ev = c["events"].as_array().unwrap();
            let col = |j: usize| ev.iter().map(move |e| e[j].as_u64().unwrap());
            let events = Interactions {
                source: col(0).map(|x| x as u32).collect(),
                target: col(1).map(|x| x as u32).collect(),
                kind: col(2).map(|x| x as u16).collect(),
                kinds: kinds.clone(),
                time: vec![None; ev.len()],
                weight: col(3).map(|x| x as f64).collect(),
                tag: vec![None; ev.len()],
                tags: Vec::new(),
            };
            Case {
                name: c["name"].as_str().unwrap().to_string(),
                accounts,
                events,
                follows: Graph::from_pairs(n, &[]),
                value: c.clone(),
            }
        })
        .collect()
}

impl Case {
    fn score(&self, method: &str, params: &str) -> anyhow::Result<Scores> {
        let pop = vec![true; self.accounts.len()];
        let lists = BTreeMap::new();
        let input = Input {
            accounts: &self.accounts,
            follows: &self.follows,
            interactions: None,
            events: Some(&self.events),
            population: &pop,
            seed_lists: &lists,
        };
        build(method, &toml::from_str(params).unwrap())?.score(&input)
    }
}

fn kinds_param(sel: &Value) -> String {
    match sel["kinds"].as_array() {
        None => String::new(),
        Some(k) => format!(
            "kinds = [{}]\n",
            k.iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Compare an optional-float column (null = not ranked) with a method's scores.
fn agree(case: &str, what: &str, s: &Scores, want: &Value) {
    for (v, w) in want.as_array().unwrap().iter().enumerate() {
        match w.as_f64() {
            None => assert!(
                !s.eligible[v],
                "{case} {what}: node {v} ranked, networkx: none"
            ),
            Some(x) => {
                assert!(s.eligible[v], "{case} {what}: node {v} not ranked");
                assert!(
                    (s.score[v] - x).abs() < 1e-12,
                    "{case} {what}: node {v}: {} vs {x}",
                    s.score[v]
                );
            }
        }
    }
}

#[test]
fn conversation_methods_agree_with_networkx() {
    let cases = cases();
    assert!(cases.len() >= 10);
    let mut checked = 0;
    for c in &cases {
        for sel in c.value["selections"].as_array().unwrap() {
            let k = kinds_param(sel);
            let label = format!("{} kinds={:?}", c.name, sel["kinds"]);
            if sel["arcs"].as_u64() == Some(0) {
                let e = c.score("reciprocity", &k).unwrap_err().to_string();
                assert!(e.contains("nothing to rank"), "{label}: {e}");
                continue;
            }
            let s = c.score("reciprocity", &k).unwrap();
            agree(&label, "reciprocity arc", &s, &sel["reciprocity_arc"]);
            let s = c
                .score("reciprocity", &format!("{k}definition = \"dyad\""))
                .unwrap();
            agree(&label, "reciprocity dyad", &s, &sel["reciprocity_dyad"]);
            let s = c
                .score("ei-index", &format!("{k}attribute = \"party\""))
                .unwrap();
            agree(&label, "ei-index", &s, &sel["ei_partners"]);
            for (method, key) in [("breadth-out", "out_degree"), ("breadth-in", "in_degree")] {
                let s = c.score(method, &k).unwrap();
                let want: Vec<f64> = sel[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect();
                assert_eq!(s.score, want, "{label} {method}");
            }
            // amplification is breadth-in with other default kinds.
            if !k.is_empty() {
                let s = c.score("amplification", &k).unwrap();
                assert_eq!(s.score, c.score("breadth-in", &k).unwrap().score);
            }

            // Whole-graph values.
            let kinds: Option<Vec<String>> = sel["kinds"]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect());
            let g = EventFilter::new(&c.events, "t", kinds.as_deref(), &[])
                .unwrap()
                .graph("t", c.accounts.len(), &mut BTreeMap::new())
                .unwrap();
            let (arc, _) = overall(&g).unwrap();
            let want = sel["overall_arc"].as_f64().unwrap();
            assert!(
                (arc - want).abs() < 1e-12,
                "{label}: overall {arc} vs {want}"
            );
            let (group, names) = groups(&c.accounts, "party");
            let (_, all) = group_ei(&g, &group, names.len(), Count::Partners);
            assert_eq!(
                all.external,
                sel["network_external"].as_f64().unwrap(),
                "{label}"
            );
            assert_eq!(
                all.internal,
                sel["network_internal"].as_f64().unwrap(),
                "{label}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} selections checked");
}
