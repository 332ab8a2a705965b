//! The catalogue of published rules: league tables that were published with a stated
//! (or half-stated) method, each usable by name in a study (`method = "<rule>"`) and in
//! quick mode (`--method <rule>`), with its citation, what the sources say and what they
//! leave open, and every defensible reading of what they leave open as a named
//! `variant` (which a multiverse can sweep: `param = "variant"`).
//!
//! A rule is a method of the registry with parameters: the rule's base parameters, then
//! its variant's, then the study's own (which may change a base parameter, e.g. `by`
//! for the columns a dataset has, but not one the chosen variant sets: that is what the
//! variant is for). `rankaudit methods` lists the rules; methodology.md §4.8 gives the
//! sources.

use anyhow::{Result, bail};

use super::{Audience, CostModel, Forced, Input, Method, Ranking, Scores};

/// One reading of what a rule's sources leave open.
pub struct Variant {
    pub name: &'static str,
    /// The reading, in a sentence.
    pub reading: &'static str,
    /// The registry method, when the reading changes it (else the rule's).
    pub method: Option<&'static str>,
    /// TOML parameters the reading sets.
    pub params: &'static str,
    /// Parameters the study must give for this reading, with what they mean.
    pub requires: &'static [(&'static str, &'static str)],
    /// Parameters this reading cannot take.
    pub forbids: &'static [&'static str],
}

/// A published value the rule must reproduce: an account's columns and its score.
pub struct Check {
    pub what: &'static str,
    /// Accounts columns, e.g. `[("followers", 2.4e6), ("citations", 151.0)]`.
    pub columns: &'static [(&'static str, f64)],
    /// The published score, as printed (rounded to `decimals`).
    pub published: f64,
    pub decimals: i32,
    /// The published rank, where the source prints one (among the rule's checks).
    pub rank: Option<u32>,
}

/// A published rule.
pub struct Rule {
    pub name: &'static str,
    pub title: &'static str,
    pub citation: &'static str,
    /// The registry method the rule runs.
    pub method: &'static str,
    /// TOML parameters every variant starts from.
    pub base: &'static str,
    /// Parameters the study must give (e.g. the seed list), with what they mean.
    pub needs: &'static [(&'static str, &'static str)],
    pub known: &'static [&'static str],
    pub unknown: &'static [&'static str],
    /// The first is the default.
    pub variants: &'static [Variant],
    pub checks: &'static [Check],
}

/// The readings of "a combination of followers and status updates (tweets)": one per
/// combination rule of §4.1, shared by the rules that leave the formula open.
const LEXICOGRAPHIC: Variant = Variant {
    name: "lexicographic",
    reading: "followers first, status updates (tweets) break ties",
    method: None,
    params: "combine = \"lexicographic\"",
    requires: &[],
    forbids: &[],
};
const RANK_SUM: Variant = Variant {
    name: "rank-sum",
    reading: "the sum of the two ranks (a Borda count)",
    method: None,
    params: "combine = \"rank-sum\"",
    requires: &[],
    forbids: &[],
};
const Z_SUM: Variant = Variant {
    name: "z-sum",
    reading: "the sum of the two standardised counts",
    method: None,
    params: "combine = \"z-sum\"",
    requires: &[],
    forbids: &[],
};
const PRODUCT: Variant = Variant {
    name: "product",
    reading: "followers × status updates (Symplur's published 'impressions' in the same community)",
    method: None,
    params: "combine = \"product\"",
    requires: &[],
    forbids: &[],
};
const RATIO: Variant = Variant {
    name: "ratio",
    reading: "followers ÷ status updates, the index's name read literally",
    method: None,
    params: "combine = \"ratio\"",
    requires: &[],
    forbids: &[],
};

/// Every rule, by name.
pub const RULES: &[Rule] = &[
    Rule {
        name: "nhs-2014-boat-rockers",
        title: "the NHS 'boat-rockers'",
        citation: "J B McCrea Ltd for NHS Providers (2014), On the brink of SoMething special? The first comprehensive analysis of social media in the NHS, p. 14, 'The NHS boat-rockers'",
        method: "follow-seeds",
        base: "min_follows = 5\nby = [\"followers\", \"statuses\"]",
        needs: &[(
            "seeds",
            "the seed list of 'boat-rocker' accounts (the report's list was not published)",
        )],
        known: &[
            "a section heading 'The NHS boat-rockers' (p. 14) among 'stealth revolutionaries'",
            "the consultancy's data were the followers of chosen seed accounts (J B McCrea 2015)",
            "its organisational table combined followers and tweets into one index",
        ],
        unknown: &[
            "the seed list",
            "the threshold (5 in the rule as handed down; no retrievable text states it)",
            "how followers and status updates were combined",
            "the published list of names",
        ],
        variants: &[LEXICOGRAPHIC, RANK_SUM, Z_SUM, PRODUCT, RATIO],
        checks: &[],
    },
    Rule {
        name: "nhs-2014-followers-statuses-index",
        title: "the NHS organisational 'Followers/Statuses Index'",
        citation: "J B McCrea Ltd for NHS Providers (2014), On the brink of SoMething special?, p. 11, 'NHS organisational twitter accounts - the top 50'; method as reported by Emergency Services Times (2014)",
        method: "columns",
        base: "by = [\"followers\", \"statuses\"]",
        needs: &[],
        known: &[
            "accounts 'ranked using a combination of their numbers of followers and numbers of tweets', giving a 'Followers/Statuses Index'",
            "published places: 1 @GreatOrmondSt, 2 @Ldn_Ambulance, 3 @OFFICIALWMAS, 6 @NWAmbulance, 8 @EastEnglandAmb, 17 @EMASNHSTrust, 32 @SECAmbulance",
        ],
        unknown: &[
            "the formula of the index (product, ratio, rank sum, …)",
            "the date of the counts and the list of organisations ranked",
        ],
        variants: &[PRODUCT, RATIO, RANK_SUM, Z_SUM, LEXICOGRAPHIC],
        checks: &[],
    },
    Rule {
        name: "nhs-2014-national-followed",
        title: "the NHS national 'Followed'",
        citation: "J B McCrea Ltd for NHS Providers (2014), On the brink of SoMething special?, p. 14, 'The national Followed'",
        method: "in-degree",
        base: "",
        needs: &[],
        known: &[
            "a section heading 'The national Followed' beside 'The national Followers' (p. 14)",
            "the data were the followers of chosen NHS and health accounts (500,000 accounts)",
        ],
        unknown: &[
            "whether 'followed' counts followers within the harvested community or all followers",
        ],
        variants: &[
            Variant {
                name: "followed-in-data",
                reading: "followed by the most accounts of the harvested community (in-degree on the follow graph)",
                method: None,
                params: "",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "followers-column",
                reading: "the most followers on the platform (the accounts table's count)",
                method: Some("count"),
                params: "column = \"followers\"",
                requires: &[],
                forbids: &[],
            },
        ],
        checks: &[],
    },
    Rule {
        name: "science-2014-top-50",
        title: "Science's 'top 50 science stars of Twitter'",
        citation: "You, J. (2014), Who are the science stars of Twitter? Science 345(6203), 1440-1441, doi:10.1126/science.345.6203.1440",
        method: "count",
        base: "column = \"followers\"",
        needs: &[],
        known: &[
            "scientists ranked by Twitter followers; the list also reports each one's Kardashian index",
        ],
        unknown: &[
            "how the candidate scientists were found (the population)",
            "the date of the follower counts",
        ],
        variants: &[Variant {
            name: "followers",
            reading: "followers, most first",
            method: None,
            params: "",
            requires: &[],
            forbids: &[],
        }],
        // The list's first three as printed: @neiltyson, @ProfBrianCox, @RichardDawkins.
        checks: &[
            Check {
                what: "1. @neiltyson, 2,400,000 followers",
                columns: &[("followers", 2.4e6)],
                published: 2.4e6,
                decimals: 0,
                rank: Some(1),
            },
            Check {
                what: "2. @ProfBrianCox, 1,440,000 followers",
                columns: &[("followers", 1.44e6)],
                published: 1.44e6,
                decimals: 0,
                rank: Some(2),
            },
            Check {
                what: "3. @RichardDawkins, 1,020,000 followers",
                columns: &[("followers", 1.02e6)],
                published: 1.02e6,
                decimals: 0,
                rank: Some(3),
            },
        ],
    },
    Rule {
        name: "hall-2014-kardashian-index",
        title: "Hall's Kardashian index",
        citation: "Hall, N. (2014), The Kardashian index: a measure of discrepant social media profile for scientists, Genome Biology 15, 424, doi:10.1186/s13059-014-0424-0",
        method: "kardashian-index",
        base: "",
        needs: &[],
        known: &[
            "K = F / F_c with F_c = 43.3 · C^0.32, fitted on 40 scientists (F followers, C citations)",
            "Science (2014) printed K for its top 50: e.g. 2.4M followers and 151 citations give 11,129",
        ],
        unknown: &["the citation source and date for a new audit (Hall used Google Scholar)"],
        variants: &[Variant {
            name: "as-published",
            reading: "K = followers / (43.3 · citations^0.32), largest first",
            method: None,
            params: "",
            requires: &[],
            forbids: &[],
        }],
        checks: &[
            Check {
                what: "@neiltyson: 2.4M followers, 151 citations",
                columns: &[("followers", 2.4e6), ("citations", 151.0)],
                published: 11_129.0,
                decimals: 0,
                rank: None,
            },
            Check {
                what: "@ProfBrianCox: 1.44M followers, 33,301 citations",
                columns: &[("followers", 1.44e6), ("citations", 33_301.0)],
                published: 1_188.0,
                decimals: 0,
                rank: None,
            },
            Check {
                what: "@RichardDawkins: 1.02M followers, 49,631 citations",
                columns: &[("followers", 1.02e6), ("citations", 49_631.0)],
                published: 740.0,
                decimals: 0,
                rank: None,
            },
        ],
    },
    Rule {
        name: "chapman-freeman-2015",
        title: "Australia's most-followed health and medicine accounts",
        citation: "Chapman, S. & Freeman, B. (2015), Who has Australia's most-followed Twitter accounts in health and medicine? Public Health Research & Practice 25(3), e2531534, doi:10.17061/phrp2531534",
        method: "count",
        base: "column = \"followers\"",
        needs: &[],
        known: &[
            "the top 10 accounts in each of four categories, ranked by number of followers",
            "candidates taken from Twitter lists of health accounts, then crowdsourced on Twitter",
        ],
        unknown: &[
            "which category a borderline account belongs to",
            "how complete the crowdsourced candidate list is",
        ],
        variants: &[
            Variant {
                name: "by-category",
                reading: "one table per category (give within = [COLUMN, CATEGORY])",
                method: None,
                params: "",
                requires: &[(
                    "within",
                    "the paper ranks within each of four categories: within = [COLUMN, CATEGORY], one ranking per category, or variant = \"overall\"",
                )],
                forbids: &[],
            },
            Variant {
                name: "overall",
                reading: "all categories in one table",
                method: None,
                params: "",
                requires: &[],
                forbids: &["within"],
            },
        ],
        checks: &[],
    },
    Rule {
        name: "influencer-composite",
        title: "a weighted influencer composite",
        citation: "the kind of index commercial influencer scores publish (e.g. Klout 2008-2018, Kred): weighted, normalised indicators of reach and activity, weights undisclosed; aggregation as in COINr (Becker et al. 2022)",
        method: "composite",
        base: "indicators = [\"followers\", \"statuses\"]",
        needs: &[],
        known: &["reach and activity indicators, normalised, weighted and summed"],
        unknown: &[
            "the indicators",
            "the weights",
            "the normalisation and the aggregation",
        ],
        variants: &[
            Variant {
                name: "equal-minmax",
                reading: "equal weights, min-max normalised, arithmetic mean",
                method: None,
                params: "weights = [1.0, 1.0]\nnormalise = \"minmax\"",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "reach-heavy",
                reading: "reach weighted 3:1 over activity, min-max, arithmetic",
                method: None,
                params: "weights = [3.0, 1.0]\nnormalise = \"minmax\"",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "activity-heavy",
                reading: "activity weighted 3:1 over reach, min-max, arithmetic",
                method: None,
                params: "weights = [1.0, 3.0]\nnormalise = \"minmax\"",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "equal-zscore",
                reading: "equal weights, z-scores, arithmetic mean",
                method: None,
                params: "weights = [1.0, 1.0]\nnormalise = \"zscore\"",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "equal-rank",
                reading: "equal weights on ranks (a Borda count)",
                method: None,
                params: "weights = [1.0, 1.0]\nnormalise = \"rank\"",
                requires: &[],
                forbids: &[],
            },
            Variant {
                name: "equal-geometric",
                reading: "equal weights, min-max onto [1, 100], geometric mean",
                method: None,
                params: "weights = [1.0, 1.0]\nnormalise = \"minmax\"\nrange = [1.0, 100.0]\naggregate = \"geometric\"",
                requires: &[],
                forbids: &[],
            },
        ],
        checks: &[],
    },
];

/// The rule called `name`.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

fn parse(what: &str, text: &str) -> Result<toml::Table> {
    toml::from_str(text).map_err(|e| anyhow::anyhow!("internal error: {what}: {e}"))
}

/// The registry method and parameters that rule `r` runs with the study's `params`
/// (which may hold `variant`).
pub fn resolve(
    r: &'static Rule,
    params: &toml::Table,
) -> Result<(&'static Variant, String, toml::Table)> {
    let variant = match params.get("variant") {
        None => &r.variants[0],
        Some(toml::Value::String(v)) => match r.variants.iter().find(|x| x.name == v) {
            Some(x) => x,
            None => bail!(
                "{}: unknown variant {v:?}; its variants are {}",
                r.name,
                r.variants
                    .iter()
                    .map(|x| x.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Some(other) => bail!(
            "{}: variant = {other} must be a string, one of {}",
            r.name,
            r.variants
                .iter()
                .map(|x| x.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut merged = if variant.method.is_some() {
        toml::Table::new()
    } else {
        parse(r.name, r.base)?
    };
    let set = parse(variant.name, variant.params)?;
    for (k, v) in &set {
        merged.insert(k.clone(), v.clone());
    }
    for (k, v) in params {
        if k == "variant" {
            continue;
        }
        if set.contains_key(k) {
            bail!(
                "{}: variant {:?} sets {k}; choose another variant (variant = \"…\", one of {}) rather than setting {k}",
                r.name,
                variant.name,
                r.variants
                    .iter()
                    .map(|x| x.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        merged.insert(k.clone(), v.clone());
    }
    for (k, what) in r.needs {
        if !merged.contains_key(*k) {
            bail!("{}: give {k}: {what}", r.name);
        }
    }
    for (k, what) in variant.requires {
        if !merged.contains_key(*k) {
            bail!("{} (variant {:?}): give {k}: {what}", r.name, variant.name);
        }
    }
    for k in variant.forbids {
        if merged.contains_key(*k) {
            bail!(
                "{} (variant {:?}): this reading takes no {k}; drop it or choose another variant",
                r.name,
                variant.name
            );
        }
    }
    Ok((
        variant,
        variant.method.unwrap_or(r.method).to_string(),
        merged,
    ))
}

/// The registry method and parameters a ranking runs as, with a perturbation's
/// `changes` on top: a plain method keeps its name and takes the changes; a published
/// rule takes a changed `variant` as its reading and then any other change as an
/// override of what the reading set (so a family that varies `combine` can vary a rule
/// whose reading fixed it).
pub fn underlying(
    method: &str,
    params: &toml::Table,
    changes: &toml::Table,
) -> Result<(String, toml::Table)> {
    let mut all = params.clone();
    let Some(r) = find(method) else {
        all.extend(changes.clone());
        return Ok((method.to_string(), all));
    };
    if let Some(v) = changes.get("variant") {
        all.insert("variant".into(), v.clone());
    }
    let (_, method, mut merged) = resolve(r, &all)?;
    for (k, v) in changes {
        if k != "variant" {
            merged.insert(k.clone(), v.clone());
        }
    }
    Ok((method, merged))
}

/// Build rule `name` with the study's `params` (see [`resolve`]).
pub fn build(r: &'static Rule, params: &toml::Table) -> Result<Box<dyn Method>> {
    let (variant, method, merged) = resolve(r, params)?;
    let inner = super::registry::build_unchecked(&method, &merged).map_err(|e| {
        anyhow::anyhow!(
            "{} (variant {:?}, as method {method:?}): {e:#}",
            r.name,
            variant.name
        )
    })?;
    Ok(Box::new(Published {
        rule: r,
        variant,
        inner,
    }))
}

/// A method run as a published rule: it answers to the rule's name and says which
/// reading it is.
struct Published {
    rule: &'static Rule,
    variant: &'static Variant,
    inner: Box<dyn Method>,
}

impl Method for Published {
    // A rule answers to its own name, not to the registry method it runs as.
    #[allow(clippy::misnamed_getters)]
    fn method(&self) -> &'static str {
        self.rule.name
    }

    fn validate(&self, input: &Input) -> Result<()> {
        self.inner.validate(input)
    }

    fn cost_model(&self) -> CostModel {
        self.inner.cost_model()
    }

    fn seed_list(&self) -> Option<&str> {
        self.inner.seed_list()
    }

    fn seed_threshold(&self) -> Option<(&'static str, usize)> {
        self.inner.seed_threshold()
    }

    fn is_rule(&self) -> bool {
        true
    }

    fn explain_empty(&self, r: &Ranking, a: &Audience) -> Option<String> {
        self.inner.explain_empty(r, a)
    }

    fn forced_order(&self) -> Option<Forced> {
        self.inner.forced_order()
    }

    fn counts_events(&self) -> bool {
        self.inner.counts_events()
    }

    fn reads_graph(&self) -> bool {
        self.inner.reads_graph()
    }

    /// The inner method's sentence, then which published rule and which reading.
    fn summary(&self, name: &str, r: &Ranking, a: &Audience) -> Option<String> {
        let inner = self
            .inner
            .summary(name, r, a)
            .unwrap_or_else(|| format!("**{name}**: {} accounts ranked.", r.len()));
        Some(format!(
            "{inner} This is {} ({}), read as: {} (variant “{}”); the source leaves open: {}.",
            self.rule.title,
            self.rule.citation,
            self.variant.reading,
            self.variant.name,
            self.rule.unknown.join("; ")
        ))
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        self.inner.score(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    /// Every reading of every rule builds, given what the rule and the reading need,
    /// and answers to the rule's name; names are unique and none shadows a method.
    #[test]
    fn every_variant_builds() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.name), "{} listed twice", r.name);
            assert!(
                !super::super::registry::METHODS
                    .iter()
                    .any(|m| m.name == r.name),
                "{} is also a method",
                r.name
            );
            assert!(!r.variants.is_empty() && !r.citation.is_empty() && !r.unknown.is_empty());
            for v in r.variants {
                let mut p = table(&format!("variant = \"{}\"", v.name));
                for (k, _) in r.needs.iter().chain(v.requires) {
                    let value = if *k == "within" {
                        toml::Value::Array(vec!["category".into(), "individuals".into()])
                    } else {
                        "list".into()
                    };
                    p.insert(k.to_string(), value);
                }
                let m = super::super::registry::build(r.name, &p)
                    .unwrap_or_else(|e| panic!("{} / {}: {e:#}", r.name, v.name));
                assert_eq!(m.method(), r.name);
                assert!(m.is_rule());
            }
        }
    }

    #[test]
    fn readings_and_parameters_are_checked() {
        let r = find("nhs-2014-boat-rockers").unwrap();
        let err = |p: &str| build(r, &table(p)).err().unwrap().to_string();
        let e = err("seeds = \"s\"\nvariant = \"sum\"");
        assert!(
            e.contains("unknown variant \"sum\"") && e.contains("rank-sum"),
            "{e}"
        );
        let e = err("seeds = \"s\"\ncombine = \"product\"");
        assert!(e.contains("variant \"lexicographic\" sets combine"), "{e}");
        let e = err("min_follows = 3");
        assert!(e.contains("give seeds"), "{e}");
        let e = err("seeds = \"s\"\nvariant = 3");
        assert!(e.contains("must be a string"), "{e}");
        // A base parameter may be changed (the columns a dataset has, the threshold).
        let (v, method, p) = resolve(
            r,
            &table("seeds = \"s\"\nby = [\"f\", \"t\"]\nmin_follows = 4\nvariant = \"product\""),
        )
        .unwrap();
        assert_eq!((v.name, method.as_str()), ("product", "follow-seeds"));
        assert_eq!(
            p,
            table("seeds = \"s\"\nby = [\"f\", \"t\"]\nmin_follows = 4\ncombine = \"product\"")
        );
        // A reading that changes the method starts from its own parameters.
        let r = find("nhs-2014-national-followed").unwrap();
        let (_, method, p) = resolve(r, &table("variant = \"followers-column\"")).unwrap();
        assert_eq!(
            (method.as_str(), p),
            ("count", table("column = \"followers\""))
        );
        let r = find("chapman-freeman-2015").unwrap();
        let e = build(r, &toml::Table::new()).err().unwrap().to_string();
        assert!(e.contains("give within"), "{e}");
        let e = build(r, &table("variant = \"overall\"\nwithin = [\"c\", \"x\"]"))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("takes no within"), "{e}");
    }
}
