//! The architecture holds: `src/lib.rs` lists the top-level modules in dependency order,
//! and no module's code names a module listed after it, so there is no import circle
//! (a circle would need one edge pointing down the list). Doc comments are skipped: a
//! link is not a dependency.

use std::collections::BTreeMap;
use std::path::Path;

/// The `pub mod` lines of lib.rs, in order.
fn modules(root: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

/// Every `.rs` file of a module (`src/m.rs` or everything under `src/m/`).
fn files(root: &Path, m: &str) -> Vec<std::path::PathBuf> {
    let single = root.join("src").join(format!("{m}.rs"));
    if single.exists() {
        return vec![single];
    }
    let mut out = Vec::new();
    let mut stack = vec![root.join("src").join(m)];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("module folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The top-level modules a source text names as `crate::<m>` outside comments, with
/// the first line naming each.
fn uses(text: &str, modules: &[String]) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.entry(name).or_insert(i + 1);
            }
        }
    }
    found
}

#[test]
fn every_module_uses_only_modules_listed_before_it_in_lib_rs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let order = modules(root);
    assert!(order.len() >= 10, "lib.rs lists {order:?}");
    let mut wrong = Vec::new();
    for (pos, m) in order.iter().enumerate() {
        for f in files(root, m) {
            let text = std::fs::read_to_string(&f).expect("source");
            for (used, line) in uses(&text, &order) {
                let at = order.iter().position(|x| *x == used).expect("listed");
                if at > pos {
                    wrong.push(format!(
                        "{}:{line}: `{m}` uses `{used}`, listed after it",
                        f.strip_prefix(root).unwrap_or(&f).display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "import order broken (move the code, or the module in lib.rs):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_a_use_of_a_later_module() {
    let order: Vec<String> = ["graph", "dataset"].map(String::from).to_vec();
    let found = uses(
        "/// [`crate::dataset`] in a doc\nuse crate::dataset::Dataset;\n",
        &order,
    );
    assert_eq!(found.get("dataset"), Some(&2));
    assert!(uses("// crate::dataset\n", &order).is_empty());
}
