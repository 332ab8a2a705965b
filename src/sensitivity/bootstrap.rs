//! Event bootstrap: the interaction events resampled with replacement, n out of n (Efron
//! 1979) or m out of n (Hall & Miller 2009: the n-out-of-n bootstrap is inconsistent for
//! the ranks of near-ties, drawing m = ⌈fraction · n⌉ < n events restores consistency as
//! m → ∞, m/n → 0). Which tweets the sample caught is itself a choice.

use anyhow::{Result, bail};
use rand::RngExt;
use serde::Deserialize;

use super::data::DataChange;
use super::{Base, Entry, NoSettings, Perturbation, RngFor, Universe, Universes, settings};

pub const BOOTSTRAP: Entry = Entry {
    name: "event-bootstrap",
    about: "interaction events resampled n out of n with replacement, R times",
    build: |t, replicates| {
        settings::<NoSettings>(t)?;
        Ok(Box::new(EventBootstrap {
            fraction: 1.0,
            replicates,
            family: BOOTSTRAP.name,
        }))
    },
    describe: |u| format!("{} bootstrap resamples of the events", u.len()),
};

pub const M_OUT_OF_N: Entry = Entry {
    name: "m-out-of-n",
    about: "interaction events resampled m = m_fraction * n with replacement, R times (Hall & Miller 2009)",
    build: |t, replicates| {
        let MOutOfN { m_fraction } = settings(t)?;
        if !(m_fraction > 0.0 && m_fraction <= 1.0) {
            bail!("m_fraction = {m_fraction} must be in (0, 1]");
        }
        Ok(Box::new(EventBootstrap {
            fraction: m_fraction,
            replicates,
            family: M_OUT_OF_N.name,
        }))
    },
    describe: |u| match u.first().and_then(|u| u.data.as_ref()) {
        Some(DataChange::ResampleEvents { m, .. }) => {
            format!("{} resamples of {m} events (m out of n)", u.len())
        }
        _ => format!("{} m-out-of-n resamples of the events", u.len()),
    },
};

/// `m-out-of-n`'s settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MOutOfN {
    /// m / n.
    #[serde(default = "default_m_fraction")]
    m_fraction: f64,
}

fn default_m_fraction() -> f64 {
    0.5
}

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
