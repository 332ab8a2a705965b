//! Edge dropout: the follow graph with each edge missing independently with probability
//! `rate` — how much of the ranking survives the data collection missing some follows
//! (API limits, private accounts, deleted accounts).

use anyhow::{Result, bail};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::data::DataChange;
use super::{Base, Perturbation, Universe};

pub struct EdgeDropout {
    pub rate: f64,
    pub replicates: usize,
}

impl Perturbation for EdgeDropout {
    fn family(&self) -> &'static str {
        "edge-dropout"
    }

    fn universes(
        &self,
        _base: &Base,
        rng_for: &dyn Fn(u64) -> ChaCha8Rng,
    ) -> Result<Vec<Universe>> {
        if !(self.rate > 0.0 && self.rate < 1.0) {
            bail!("edge-dropout: rate = {} must be in (0, 1)", self.rate);
        }
        Ok((0..self.replicates)
            .map(|i| Universe {
                label: format!("dropout {} % #{}", self.rate * 100.0, i + 1),
                x: Some(i as f64 + 1.0),
                params: toml::Table::new(),
                seed_list: None,
                data: Some(DataChange::DropFollows {
                    rate: self.rate,
                    seed: rng_for(i as u64).random(),
                }),
            })
            .collect())
    }
}
