//! Edge dropout: the follow graph with each edge missing independently with probability
//! `rate` — how much of the ranking survives the data collection missing some follows
//! (API limits, private accounts, deleted accounts).

use anyhow::{Result, bail};
use rand::RngExt;
use serde::Deserialize;

use super::data::DataChange;
use super::{Base, Entry, Perturbation, RngFor, Universe, Universes, settings};

pub const ENTRY: Entry = Entry {
    name: "edge-dropout",
    about: "follow edges missing at random with probability `rate`, R times",
    build: |t, replicates| {
        let Settings { rate } = settings(t)?;
        if !(rate > 0.0 && rate < 1.0) {
            bail!("rate = {rate} must be in (0, 1)");
        }
        Ok(Box::new(EdgeDropout { rate, replicates }))
    },
    describe: |u| match u.first().and_then(|u| u.data.as_ref()) {
        Some(DataChange::DropFollows { rate, .. }) => format!(
            "{} runs with {} % of follow edges missing at random",
            u.len(),
            rate * 100.0
        ),
        _ => format!("{} runs with follow edges missing at random", u.len()),
    },
};

/// `edge-dropout`'s settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The probability that a follow edge is missing.
    #[serde(default = "default_rate")]
    rate: f64,
}

fn default_rate() -> f64 {
    0.1
}

pub struct EdgeDropout {
    pub rate: f64,
    pub replicates: u64,
}

impl Perturbation for EdgeDropout {
    fn family(&self) -> &'static str {
        ENTRY.name
    }

    fn universes<'a>(&'a self, _base: &Base<'a>, rng_for: RngFor<'a>) -> Result<Universes<'a>> {
        if !(self.rate > 0.0 && self.rate < 1.0) {
            bail!("edge-dropout: rate = {} must be in (0, 1)", self.rate);
        }
        let rate = self.rate;
        Ok(Universes::new(self.replicates, move |i| Universe {
            label: format!("dropout {} % #{}", rate * 100.0, i + 1),
            x: Some(i as f64 + 1.0),
            params: toml::Table::new(),
            seed_list: None,
            data: Some(DataChange::DropFollows {
                rate,
                seed: rng_for(i).random(),
            }),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::MethodSpec;
    use crate::sensitivity::replicate_rng;
    use std::collections::BTreeMap;

    /// 10^12 replicates is a view of 10^12 universes, not an allocation: the last one
    /// is made on demand, from its own RNG stream, as it would be in a run.
    #[test]
    fn a_trillion_replicates_are_a_view_not_an_allocation() {
        let spec = MethodSpec {
            name: "r".into(),
            method: "pagerank".into(),
            params: toml::Table::new(),
        };
        let lists = BTreeMap::new();
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: None,
        };
        let fam = EdgeDropout {
            rate: 0.1,
            replicates: 1_000_000_000_000,
        };
        let rng_for = |i| replicate_rng(9, 4, i);
        let u = fam.universes(&base, &rng_for).unwrap();
        assert_eq!(u.len(), 1_000_000_000_000);
        let last = u.get(999_999_999_999).unwrap();
        assert_eq!(last.label, "dropout 10 % #1000000000000");
        let want: u64 = replicate_rng(9, 4, 999_999_999_999).random();
        assert_eq!(
            last.data,
            Some(DataChange::DropFollows {
                rate: 0.1,
                seed: want
            })
        );
        assert!(u.get(1_000_000_000_000).is_none());
        let huge = EdgeDropout {
            rate: 0.1,
            replicates: u64::MAX,
        };
        assert_eq!(huge.universes(&base, &rng_for).unwrap().len(), u64::MAX);
    }
}
