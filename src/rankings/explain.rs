//! Why a ranking came out empty, in words: the counts at each filter (accounts,
//! population, qualifiers) and what the method reports, naming study keys in an audit
//! and flags in quick mode. A method that can say more in its own terms does so in its
//! file ([`super::Method::explain_empty`]); this file says the rest.

use super::{MethodSpec, Ranking, build};
use crate::dataset::{Dataset, Population, SeedList};

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

    /// The study key or, in quick mode, the flag that sets a parameter.
    pub fn say(&self, key: &str, flag: &str) -> String {
        if self.flags { flag } else { key }.to_string()
    }
}

/// Why a nominal ranking is empty, in words: what the method says in its own terms
/// ([`super::Method::explain_empty`]), or else the counts at each filter (accounts, population)
/// and the method's diagnostics.
pub fn explain_empty(spec: &MethodSpec, r: &Ranking, a: &Audience) -> String {
    let head = if a.flags {
        String::new()
    } else {
        format!("ranking {:?}: ", spec.name)
    };
    let own = build(&spec.method, &spec.params)
        .ok()
        .and_then(|m| m.explain_empty(r, a));
    let body = own.unwrap_or_else(|| {
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
    });
    format!("{head}{body}")
}
