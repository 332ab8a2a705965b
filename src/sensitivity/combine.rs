//! The combination rule: the same qualifiers ranked under every way of combining the
//! count columns ("ranked by followers and number of tweets" does not say how).

use anyhow::{Result, bail};

use super::{Base, Entry, NoSettings, Perturbation, RngFor, Universe, Universes, settings};
use crate::rankings::follow_seeds::{self, FollowSeeds};

pub const ENTRY: Entry = Entry {
    name: "combination-rule",
    about: "every way of combining the count columns (lexicographic, rank-sum, z-sum, product, ratio, each alone)",
    build: |t, _| {
        settings::<NoSettings>(t)?;
        Ok(Box::new(CombinationRule))
    },
    describe: |u| format!("the {} ways of combining the counts", u.len()),
};

pub struct CombinationRule;

impl Perturbation for CombinationRule {
    fn family(&self) -> &'static str {
        ENTRY.name
    }

    fn universes<'a>(&'a self, base: &Base<'a>, _rng: RngFor<'a>) -> Result<Universes<'a>> {
        // The family varies the follow-seeds rule's own `combine` over its `by` columns.
        // A published rule counts as the method it stands for.
        let (method, params) = crate::rankings::catalogue::underlying(
            &base.spec.method,
            &base.spec.params,
            &toml::Table::new(),
        )?;
        if method != follow_seeds::NAME {
            bail!(
                "combination-rule perturbs follow-seeds rankings; {:?} is {}",
                base.spec.name,
                base.spec.method
            );
        }
        let by = FollowSeeds::from_params(&params)?.by;
        let mut rules: Vec<String> = ["lexicographic", "rank-sum", "z-sum", "product"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if by.len() == 2 {
            rules.push("ratio".into());
            // The reverse lexicographic order is as plausible a reading as the forward one.
        }
        rules.extend(by.iter().map(|c| format!("only:{c}")));
        // A handful of rules: the list is the family's shared state, each universe one
        // entry of it.
        Ok(Universes::new(rules.len() as u64, move |i| {
            let rule = rules[i as usize].clone();
            let mut params = toml::Table::new();
            params.insert("combine".into(), rule.clone().into());
            Universe {
                label: rule,
                x: Some(i as f64 + 1.0),
                params,
                seed_list: None,
                data: None,
            }
        }))
    }

    fn fewer(&self) -> &'static str {
        "rank fewer accounts (a handful of combination rules is the least this family runs; at most {fits} fit)"
    }
}
