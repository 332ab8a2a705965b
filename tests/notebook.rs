//! `explore.ipynb`: valid nbformat 4, byte-identical across runs, loading only tables the
//! folder holds, listed in the manifest, left out by `[output] notebook = false`; and
//! executed with nbclient (polars, then pandas with polars hidden; a study without
//! rank intervals too), drawing both charts. The execution skips, with a message, when
//! Python lacks nbclient, nbformat, ipykernel, matplotlib or a data-frame library.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

fn read_notebook(out: &Path) -> (Vec<u8>, Value) {
    let bytes = std::fs::read(out.join("explore.ipynb")).expect("explore.ipynb written");
    let nb = serde_json::from_slice(&bytes).expect("the notebook is JSON");
    (bytes, nb)
}

/// The code cells' text.
fn code(nb: &Value) -> String {
    nb["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .flat_map(|c| c["source"].as_array().unwrap())
        .map(|l| l.as_str().unwrap())
        .collect()
}

/// The small study without `[sensitivity]` and `[multiverse]` (so no rank intervals),
/// audited into `temp_dir(name)/out`, with `extra` appended to the study.
fn audit_small_variant(name: &str, keep_sensitivity: bool, extra: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    for f in ["accounts.csv", "follows.csv", "pool.txt", "seeds.txt"] {
        std::fs::copy(fixture("small").join(f), dir.join(f)).unwrap();
    }
    let mut study = std::fs::read_to_string(fixture("small/study.toml")).unwrap();
    if !keep_sensitivity {
        study.truncate(study.find("[sensitivity]").expect("the fixture has one"));
    }
    std::fs::write(dir.join("study.toml"), format!("{study}\n{extra}")).unwrap();
    let o = ok(&dir, &["audit", "study.toml", "--out", "out"]);
    (dir.join("out"), stderr(&o))
}

#[test]
fn notebook_is_nbformat_4_deterministic_and_loads_only_tables_in_the_folder() {
    let out = audit_small("nb-a");
    let again = audit_small("nb-b");
    let (bytes, nb) = read_notebook(&out);
    assert_eq!(bytes, read_notebook(&again).0, "same audit, same bytes");
    assert_eq!(nb["nbformat"], 4);
    assert!(nb["nbformat_minor"].as_u64().is_some());
    assert_eq!(nb["metadata"]["kernelspec"]["language"], "python");
    for c in nb["cells"].as_array().unwrap() {
        assert!(c["source"].is_array() && c["metadata"].is_object());
        match c["cell_type"].as_str().unwrap() {
            "code" => {
                assert_eq!(c["outputs"], serde_json::json!([]));
                assert!(c["execution_count"].is_null());
            }
            other => assert_eq!(other, "markdown"),
        }
    }
    let code = code(&nb);
    let list = code.split("TABLES = [").nth(1).unwrap();
    let tables: Vec<&str> = list[..list.find(']').unwrap()]
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect();
    assert!(tables.contains(&"stability") && tables.contains(&"comparisons"));
    for t in &tables {
        for ext in ["parquet", "csv"] {
            let p = out.join("tables").join(format!("{t}.{ext}"));
            assert!(p.exists(), "{} is loaded but not written", p.display());
        }
    }
    for used in code.split("T[\"").skip(1) {
        let name = &used[..used.find('"').unwrap()];
        assert!(tables.contains(&name), "T[{name:?}] is not among TABLES");
    }
    assert!(code.contains("RANKING = \"published\"\nFAMILY = \"multiverse\"\n"));
    assert!(code.contains("TOP_N = 2\n"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"explore.ipynb\""));
}

#[test]
fn notebook_false_writes_none_and_says_so() {
    let (out, err) = audit_small_variant("nb-off", true, "[output]\nnotebook = false\n");
    assert!(!out.join("explore.ipynb").exists());
    assert!(err.contains("[output] notebook = false"), "{err}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("explore.ipynb"));
}

/// Executes `out/explore.ipynb` with nbclient in `out` and checks how many images each
/// chart cell drew (a cell absent from the notebook counts 0).
const EXECUTE: &str = r#"
import json, os, sys
import nbformat
from nbclient import NotebookClient
out, expected = sys.argv[1], json.loads(os.environ["EXPECTED_IMAGES"])
nb = nbformat.read(os.path.join(out, "explore.ipynb"), as_version=4)
nbformat.validate(nb)
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": out}}).execute()
images = {c.id: sum("image/png" in o.get("data", {}) for o in c.outputs)
          for c in nb.cells if c.cell_type == "code"}
for cell, n in expected.items():
    assert images.get(cell, 0) == n, (cell, images)
print("notebook ok", images)
"#;

#[test]
fn notebook_runs_and_draws_both_charts() {
    let needed = ["nbclient", "nbformat", "ipykernel", "matplotlib"];
    if let Some(m) = needed.iter().find(|m| !has_python_module(m)) {
        eprintln!(
            "skipped: python3 cannot import {m} (pip install nbclient nbformat ipykernel matplotlib polars)"
        );
        return;
    }
    let polars = has_python_module("polars");
    let pandas = has_python_module("pandas") && has_python_module("pyarrow");
    if !polars && !pandas {
        eprintln!("skipped: python3 can import neither polars nor pandas with pyarrow");
        return;
    }
    let run = |out: &Path, expected: &str, hide_polars: bool| {
        // A `polars` module that fails to import, first on the kernel's path.
        let hide = out.join("hide-polars");
        std::fs::create_dir_all(&hide).unwrap();
        std::fs::write(
            hide.join("polars.py"),
            "raise ImportError('hidden by the test')\n",
        )
        .unwrap();
        let mut env = vec![("EXPECTED_IMAGES", expected)];
        if hide_polars {
            env.push(("PYTHONPATH", hide.to_str().unwrap()));
        }
        python_with(EXECUTE, out, &env);
    };
    let out = audit_small("nb-run");
    let both = r#"{"intervals": 1, "agreement": 1}"#;
    if polars {
        run(&out, both, false);
    }
    if pandas {
        run(&out, both, true);
    } else {
        eprintln!("pandas path skipped: python3 cannot import pandas and pyarrow");
    }
    // No [sensitivity], no [multiverse]: no interval chart, and the rest still runs.
    let (out, _) = audit_small_variant("nb-none", false, "");
    let (_, nb) = read_notebook(&out);
    assert!(!code(&nb).contains("in_top = {"));
    run(&out, r#"{"intervals": 0, "agreement": 1}"#, !polars);
}
