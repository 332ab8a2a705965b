//! Event bootstrap: the interaction events resampled with replacement, n out of n (Efron
//! 1979) or m out of n (Hall & Miller 2009: the n-out-of-n bootstrap is inconsistent for
//! the ranks of near-ties, drawing m = ⌈fraction · n⌉ < n events restores consistency as
//! m → ∞, m/n → 0). Which tweets the sample caught is itself a choice.

use anyhow::{Result, bail};
use rand::RngExt;

use super::data::DataChange;
use super::{Base, Perturbation, RngFor, Universe, Universes};

pub struct EventBootstrap {
    /// m / n; 1 = the ordinary bootstrap.
    pub fraction: f64,
    pub replicates: u64,
    pub family: &'static str,
}

impl Perturbation for EventBootstrap {
    fn family(&self) -> &'static str {
        self.family
    }

    fn universes<'a>(&'a self, base: &Base<'a>, rng_for: RngFor<'a>) -> Result<Universes<'a>> {
        let Some(events) = base.events else {
            bail!(
                "{}: the data has no interactions table to resample",
                self.family
            );
        };
        if !(self.fraction > 0.0 && self.fraction <= 1.0) {
            bail!(
                "{}: m_fraction = {} must be in (0, 1]",
                self.family,
                self.fraction
            );
        }
        let m = ((self.fraction * events.len() as f64).ceil() as usize).max(1);
        let n = events.len();
        Ok(Universes::new(self.replicates, move |i| Universe {
            label: format!("resample {m} of {n} events #{}", i + 1),
            x: Some(i as f64 + 1.0),
            params: toml::Table::new(),
            seed_list: None,
            data: Some(DataChange::ResampleEvents {
                m,
                seed: rng_for(i).random(),
            }),
        }))
    }
}
