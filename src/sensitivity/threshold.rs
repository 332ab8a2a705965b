//! The threshold sweep: the same rule at every k = 1..|S| ("at least 5" is a choice).

use anyhow::Result;
use rand_chacha::ChaCha8Rng;

use super::{Base, Perturbation, Universe};

pub struct ThresholdSweep;

impl Perturbation for ThresholdSweep {
    fn family(&self) -> &'static str {
        "threshold-sweep"
    }

    fn universes(&self, base: &Base, _rng: &dyn Fn(u64) -> ChaCha8Rng) -> Result<Vec<Universe>> {
        let (_, list) = base.seed_list()?;
        Ok((1..=list.len())
            .map(|k| {
                let mut params = toml::Table::new();
                params.insert("min_follows".into(), toml::Value::Integer(k as i64));
                Universe {
                    label: format!("k = {k}"),
                    x: Some(k as f64),
                    params,
                    seed_list: None,
                    data: None,
                }
            })
            .collect())
    }
}
