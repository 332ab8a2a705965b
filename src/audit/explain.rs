//! Why a ranking came out empty, in words: the counts at each filter (accounts,
//! population, qualifiers) and what the method reports, naming study keys in an audit
//! and flags in quick mode.

use crate::dataset::{Dataset, Population, SeedList};
use crate::rankings::{MethodSpec, Ranking};

/// Who could have been ranked: what the message says when nobody was.
pub struct Audience<'a> {
    pub accounts: usize,
    pub population: usize,
    /// Which rule made the population, in words.
    pub population_rule: String,
    pub seed_lists: &'a [SeedList],
    /// Quick mode: name flags (`--min-follows`), not study keys (`min_follows`).
    pub flags: bool,
}

impl Audience<'_> {
    pub fn new<'a>(
        ds: &Dataset,
        pop: &[bool],
        rule: Option<&Population>,
        seed_lists: &'a [SeedList],
        flags: bool,
    ) -> Audience<'a> {
        let population_rule = match rule {
            Some(p) => format!("[population] {} = {:?}", p.column, p.equals),
            None if ds.accounts.listed > 0 => {
                format!("the accounts listed in {}", ds.accounts.describe_source())
            }
            None => "every account in the edges".into(),
        };
        Audience {
            accounts: ds.accounts.len(),
            population: pop.iter().filter(|&&b| b).count(),
            population_rule,
            seed_lists,
            flags,
        }
    }

    fn say(&self, key: &str, flag: &str) -> String {
        if self.flags { flag } else { key }.to_string()
    }
}

/// Why a nominal ranking is empty, in words: the counts at each filter (accounts,
/// population, qualifiers) and what the method itself reports.
pub fn explain_empty(spec: &MethodSpec, r: &Ranking, a: &Audience) -> String {
    let q = r.diagnostics.get("qualified").copied();
    let missing = r
        .diagnostics
        .get("excluded_missing_count")
        .copied()
        .unwrap_or(0);
    let param = |k: &str| {
        spec.params
            .get(k)
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let head = if a.flags {
        String::new()
    } else {
        format!("ranking {:?}: ", spec.name)
    };
    let body = match q {
        Some(0) => {
            let seeds = spec
                .params
                .get("seeds")
                .and_then(|v| v.as_str())
                .and_then(|n| a.seed_lists.iter().find(|l| l.name == n))
                .map(|l| format!("{} seeds in {}", l.accounts.len(), l.path))
                .unwrap_or_else(|| "seeds".into());
            format!(
                "nobody qualifies: none of the {} accounts in the population ({}) follows {} of the {seeds}; lower {} or check the seed list",
                a.population,
                a.population_rule,
                param("min_follows"),
                a.say("min_follows", "--min-follows")
            )
        }
        Some(q) if missing == q => format!(
            "{q} accounts qualify but every one has a missing count in {}; fill the counts or set {}",
            if a.flags {
                format!("--by {}", param("by"))
            } else {
                param("by")
            },
            a.say("missing = \"zero\"", "--missing zero")
        ),
        _ => {
            let reasons: Vec<String> = r
                .diagnostics
                .iter()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            format!(
                "no account could be ranked: of {} accounts, {} are in the population ({}), and method {} ranked none of them ({}); check its parameters against the data",
                a.accounts,
                a.population,
                a.population_rule,
                spec.method,
                if reasons.is_empty() {
                    "it reports no count of who it left out".to_string()
                } else {
                    format!("it reports {}", reasons.join(", "))
                }
            )
        }
    };
    format!("{head}{body}")
}
