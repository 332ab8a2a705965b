//! The threshold sweep: the same rule at every k = 1..|S| ("at least 5" is a choice).

use anyhow::Result;

use super::{Base, Entry, NoSettings, Perturbation, RngFor, Universe, Universes, settings};

/// The family's name in study files, tables and figures.
pub const FAMILY: &str = "threshold-sweep";

pub const ENTRY: Entry = Entry {
    name: FAMILY,
    about: "min_follows k = 1..|S|",
    build: |t, _| {
        settings::<NoSettings>(t)?;
        Ok(Box::new(ThresholdSweep))
    },
    describe: |u| format!("the {} thresholds", u.len()),
};

pub struct ThresholdSweep;

impl Perturbation for ThresholdSweep {
    fn family(&self) -> &'static str {
        FAMILY
    }

    fn universes<'a>(&'a self, base: &Base<'a>, _rng: RngFor<'a>) -> Result<Universes<'a>> {
        let (_, list) = base.seed_list()?;
        Ok(Universes::new(list.len() as u64, |i| {
            let k = i + 1;
            let mut params = toml::Table::new();
            // k <= |S| < 2^32 (seed lists index u32 accounts).
            params.insert("min_follows".into(), toml::Value::Integer(k as i64));
            Universe {
                label: format!("k = {k}"),
                x: Some(k as f64),
                params,
                seed_list: None,
                data: None,
            }
        }))
    }

    fn fewer(&self) -> &'static str {
        "use a seed list of at most {fits} accounts (one universe per threshold)"
    }
}
