//! Which accounts an audit ranks and which seed lists it uses: the `[population]` rule
//! turned into a mask, and seed files resolved to account indices (every unknown seed
//! reported at once, with a did-you-mean). The study's `[population]` and `[seeds.*]`
//! tables are the types here, so the study depends on the data and not the reverse.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::Dataset;
use super::clean::quoted;
use super::schema::LABEL;
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

/// Accounts found by id or by label: an exact id first; else a label, matched ignoring
/// case and a leading `@` (people paste `@Handle` from the platform).
pub struct Lookup<'a> {
    ds: &'a Dataset,
    by_label: HashMap<String, Vec<u32>>,
}

/// Why a name found no single account.
#[derive(Debug, PartialEq)]
pub enum Miss {
    /// Neither an id nor a label.
    Unknown,
    /// A label several accounts carry (their indices).
    Ambiguous(Vec<u32>),
}

/// The form a label is matched in.
fn label_key(s: &str) -> String {
    s.trim().trim_start_matches('@').to_lowercase()
}

impl<'a> Lookup<'a> {
    pub fn new(ds: &'a Dataset) -> Self {
        let mut by_label: HashMap<String, Vec<u32>> = HashMap::new();
        let labels = ds.accounts.text.get(LABEL).into_iter().flatten();
        for (i, l) in labels.enumerate() {
            if let Some(l) = l {
                by_label.entry(label_key(l)).or_default().push(i as u32);
            }
        }
        Self { ds, by_label }
    }

    /// The account `name` names.
    pub fn find(&self, name: &str) -> Result<u32, Miss> {
        if let Some(i) = self.ds.accounts.ids.get(name) {
            return Ok(i);
        }
        match self.by_label.get(&label_key(name)).map(Vec::as_slice) {
            Some(&[i]) => Ok(i),
            Some(many) if !many.is_empty() => Err(Miss::Ambiguous(many.to_vec())),
            _ => Err(Miss::Unknown),
        }
    }

    /// The id or label closest to `name`, for a did-you-mean.
    pub fn closest(&self, name: &str) -> Option<&'a str> {
        let acc = &self.ds.accounts;
        let labels = acc
            .text
            .get(LABEL)
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_deref());
        closest(name, acc.ids.names().iter().chain(labels))
    }
}

/// Resolve seed files to account indices; a seed is an account's id or its label (see
/// [`Lookup`]). A seed not in the data is an error naming the file and line (a silent
/// drop would change the rule); every unknown seed of a list is reported at once (up to
/// [`MAX_BAD_SEEDS_SHOWN`]), each with a did-you-mean; a label several accounts carry is
/// an error listing them; two lines naming one account (by id and by label) are too.
pub fn resolve_seeds(
    ds: &Dataset,
    specs: &BTreeMap<String, SeedSpec>,
) -> Result<(SeedIds, Vec<SeedList>)> {
    let lookup = Lookup::new(ds);
    let mut ids = BTreeMap::new();
    let mut lists = Vec::new();
    for (name, spec) in specs {
        let entries = read_seed_file(&spec.path)?;
        let mut v: Vec<u32> = Vec::with_capacity(entries.len());
        let mut bad = Vec::new();
        for e in &entries {
            match lookup.find(&e.account) {
                Ok(i) => {
                    if let Some(k) = v.iter().position(|&x| x == i) {
                        bail!(
                            "{}: line {}: seed {} is account {} again (line {} names it too); remove one",
                            spec.path.display(),
                            e.line,
                            quoted(&e.account),
                            quoted(ds.accounts.ids.name(i)),
                            entries[k].line
                        );
                    }
                    v.push(i)
                }
                Err(Miss::Ambiguous(many)) => {
                    let shown: Vec<String> = many
                        .iter()
                        .take(MAX_BAD_SEEDS_SHOWN)
                        .map(|&i| quoted(ds.accounts.ids.name(i)))
                        .collect();
                    bail!(
                        "{}: line {}: seed {} is the label of {} accounts (ids {}{}); name one by its id",
                        spec.path.display(),
                        e.line,
                        quoted(&e.account),
                        many.len(),
                        shown.join(", "),
                        if many.len() > shown.len() {
                            ", ..."
                        } else {
                            ""
                        }
                    );
                }
                Err(Miss::Unknown) => bad.push(e),
            }
        }
        if !bad.is_empty() {
            let lines: Vec<String> = bad
                .iter()
                .take(MAX_BAD_SEEDS_SHOWN)
                .map(|e| {
                    let hint = lookup
                        .closest(&e.account)
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
            let how = if ds.accounts.has_labels() {
                "ids are case-sensitive, labels are not"
            } else {
                "ids are case-sensitive; an accounts table with a `label` column lets seeds be named by handle"
            };
            bail!(
                "{}: {} of {} seeds are not accounts in the data; fix the spelling ({how}) or remove them:{}{}",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Accounts 100, 200, 300, 400 labelled SpeakerRyan, aoc, (none), aoc.
    fn dataset() -> Dataset {
        let mut ds = Dataset::default();
        for id in ["100", "200", "300", "400"] {
            ds.accounts.ids.intern(id);
        }
        ds.accounts.listed = 4;
        let labels = [Some("SpeakerRyan"), Some("aoc"), None, Some("AOC")];
        ds.accounts.text.insert(
            LABEL.to_string(),
            labels.iter().map(|l| l.map(str::to_string)).collect(),
        );
        ds
    }

    fn resolve(ds: &Dataset, seeds: &str) -> Result<Vec<u32>> {
        let dir = std::env::temp_dir().join(format!(
            "rankaudit-select-{}-{}",
            std::process::id(),
            seeds.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("seeds.txt");
        std::fs::write(&path, seeds).unwrap();
        let mut specs = BTreeMap::new();
        specs.insert(
            "s".to_string(),
            SeedSpec {
                path,
                rationale: None,
            },
        );
        let r = resolve_seeds(ds, &specs).map(|(ids, _)| ids["s"].clone());
        std::fs::remove_dir_all(dir).ok();
        r
    }

    #[test]
    fn seeds_name_accounts_by_id_or_by_label_ignoring_case_and_at() {
        let ds = dataset();
        assert_eq!(ds.accounts.label(0), "SpeakerRyan");
        assert_eq!(ds.accounts.label(2), "300", "no label: the id");
        assert_eq!(resolve(&ds, "@speakerryan\n300\n").unwrap(), vec![0, 2]);
        assert_eq!(resolve(&ds, "SPEAKERRYAN\n").unwrap(), vec![0]);
        // An id wins over a label.
        assert_eq!(resolve(&ds, "200\n").unwrap(), vec![1]);
    }

    #[test]
    fn an_ambiguous_label_lists_its_accounts() {
        let e = format!("{:#}", resolve(&dataset(), "100\n@AOC\n").unwrap_err());
        assert!(
            e.contains("line 2: seed \"@AOC\"") || e.contains("line 2: seed \"AOC\""),
            "{e}"
        );
        assert!(
            e.contains("label of 2 accounts (ids \"200\", \"400\")"),
            "{e}"
        );
    }

    #[test]
    fn one_account_named_twice_by_id_and_label_is_an_error() {
        let e = format!(
            "{:#}",
            resolve(&dataset(), "100\nspeakerryan\n").unwrap_err()
        );
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("is account \"100\" again (line 1"), "{e}");
    }

    #[test]
    fn unknown_seeds_are_reported_at_once_with_labels_suggested() {
        let e = format!(
            "{:#}",
            resolve(&dataset(), "SpeakerRyn\n100\nnobody_at_all\n").unwrap_err()
        );
        assert!(e.contains("2 of 3 seeds are not accounts"), "{e}");
        assert!(
            e.contains("line 1: seed \"SpeakerRyn\" (did you mean \"SpeakerRyan\"?)"),
            "{e}"
        );
        assert!(e.contains("line 3: seed \"nobody_at_all\""), "{e}");
        assert!(e.contains("labels are not"), "{e}");
    }
}
