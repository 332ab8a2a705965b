//! Which accounts an audit ranks and which seed lists it uses: the `[population]` rule
//! turned into a mask, and seed files resolved to account indices (every unknown seed
//! reported at once, with a did-you-mean). The study's `[population]` and `[seeds.*]`
//! tables are the types here, so the study depends on the data and not the reverse.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::Dataset;
use super::clean::quoted;
use super::seeds::{closest, read_seed_file};

/// `[population]`: which accounts may be ranked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Population {
    pub column: String,
    pub equals: String,
}

/// `[seeds.<name>]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSpec {
    pub path: PathBuf,
    #[serde(default)]
    pub rationale: Option<String>,
}

/// A resolved seed list.
#[derive(Debug, Clone, Serialize)]
pub struct SeedList {
    pub name: String,
    pub path: String,
    pub rationale: Option<String>,
    pub accounts: Vec<String>,
}

/// Seed lists by name, as account indices.
pub type SeedIds = BTreeMap<String, Vec<u32>>;

/// The population mask.
pub fn population(ds: &Dataset, pop: Option<&Population>) -> Result<Vec<bool>> {
    let n = ds.accounts.len();
    let listed = ds.accounts.listed;
    match pop {
        None if listed > 0 => Ok((0..n).map(|i| i < listed).collect()),
        None => Ok(vec![true; n]),
        Some(p) => {
            if !ds.accounts.has_column(&p.column) {
                bail!(
                    "[population] column {:?} is not in the accounts table; columns: {}",
                    p.column,
                    ds.accounts
                        .numeric
                        .keys()
                        .chain(ds.accounts.text.keys())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let mask: Vec<bool> = (0..n)
                .map(|i| ds.accounts.text_value(&p.column, i).as_deref() == Some(p.equals.as_str()))
                .collect();
            if !mask.iter().any(|&b| b) {
                bail!(
                    "[population] no account has {} = {:?}; nobody can be ranked",
                    p.column,
                    p.equals
                );
            }
            Ok(mask)
        }
    }
}

/// How many unknown seeds one message lists before "and N more".
const MAX_BAD_SEEDS_SHOWN: usize = 20;

/// Resolve seed files to account indices. A seed not in the data is an error naming the
/// file and line (a silent drop would change the rule); every unknown seed of a list is
/// reported at once (up to [`MAX_BAD_SEEDS_SHOWN`]), each with a did-you-mean.
pub fn resolve_seeds(
    ds: &Dataset,
    specs: &BTreeMap<String, SeedSpec>,
) -> Result<(SeedIds, Vec<SeedList>)> {
    let mut ids = BTreeMap::new();
    let mut lists = Vec::new();
    for (name, spec) in specs {
        let entries = read_seed_file(&spec.path)?;
        let mut v = Vec::with_capacity(entries.len());
        let mut bad = Vec::new();
        for e in &entries {
            match ds.accounts.ids.get(&e.account) {
                Some(i) => v.push(i),
                None => bad.push(e),
            }
        }
        if !bad.is_empty() {
            let names = ds.accounts.ids.names();
            let lines: Vec<String> = bad
                .iter()
                .take(MAX_BAD_SEEDS_SHOWN)
                .map(|e| {
                    let hint = closest(&e.account, names.iter())
                        .map(|n| format!(" (did you mean {}?)", quoted(n)))
                        .unwrap_or_default();
                    format!(
                        "\n  {}: line {}: seed {}{hint}",
                        spec.path.display(),
                        e.line,
                        quoted(&e.account)
                    )
                })
                .collect();
            let more = bad.len().saturating_sub(MAX_BAD_SEEDS_SHOWN);
            bail!(
                "{}: {} of {} seeds are not accounts in the data; fix the spelling (ids are case-sensitive) or remove them:{}{}",
                spec.path.display(),
                bad.len(),
                entries.len(),
                lines.concat(),
                if more > 0 {
                    format!("\n  and {more} more")
                } else {
                    String::new()
                }
            );
        }
        ids.insert(name.clone(), v);
        lists.push(SeedList {
            name: name.clone(),
            path: spec.path.display().to_string(),
            rationale: spec.rationale.clone(),
            accounts: entries.into_iter().map(|e| e.account).collect(),
        });
    }
    Ok((ids, lists))
}
