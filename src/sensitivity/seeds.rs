//! Seed-list perturbations: leave one seed out; resample the list from a candidate pool.
//! The question they answer: "my choice of boat-rockers might be quite different".

use anyhow::{Result, bail};
use rand_chacha::ChaCha8Rng;

use super::{Base, Perturbation, Universe};

/// One universe per seed, with that seed removed (|S| universes, no randomness).
pub struct LeaveOneOut;

impl Perturbation for LeaveOneOut {
    fn family(&self) -> &'static str {
        "seed-leave-one-out"
    }

    fn universes(&self, base: &Base, _rng: &dyn Fn(u64) -> ChaCha8Rng) -> Result<Vec<Universe>> {
        let (name, list) = base.seed_list()?;
        if list.len() < 2 {
            bail!(
                "seed-leave-one-out needs a seed list of at least 2 accounts; {name:?} has {}",
                list.len()
            );
        }
        Ok((0..list.len())
            .map(|drop| Universe {
                label: format!("drop seed #{}", drop + 1),
                x: Some(drop as f64 + 1.0),
                params: toml::Table::new(),
                data: None,
                seed_list: Some((
                    name.to_string(),
                    list.iter()
                        .enumerate()
                        .filter(|&(i, _)| i != drop)
                        .map(|(_, &s)| s)
                        .collect(),
                )),
            })
            .collect())
    }
}

/// R universes, each a seed list of the same size drawn uniformly without replacement
/// from the candidate pool (a named seed list).
pub struct Resample {
    pub pool: String,
    pub replicates: usize,
}

impl Perturbation for Resample {
    fn family(&self) -> &'static str {
        "seed-resample"
    }

    fn universes(&self, base: &Base, rng_for: &dyn Fn(u64) -> ChaCha8Rng) -> Result<Vec<Universe>> {
        let (name, list) = base.seed_list()?;
        let Some(pool) = base.seed_lists.get(&self.pool) else {
            bail!(
                "seed-resample: no seed list named {:?} to use as the pool; declared lists: {}",
                self.pool,
                base.seed_lists
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        if pool.len() < list.len() {
            bail!(
                "seed-resample: the pool {:?} has {} accounts, fewer than the {} seeds of {name:?}; give a larger pool",
                self.pool,
                pool.len(),
                list.len()
            );
        }
        if self.replicates == 0 {
            bail!("seed-resample: replicates must be >= 1");
        }
        Ok((0..self.replicates)
            .map(|i| {
                let mut rng = rng_for(i as u64);
                let mut idx = rand::seq::index::sample(&mut rng, pool.len(), list.len()).into_vec();
                // The draw is a set: sort so the list does not depend on draw order.
                idx.sort_unstable();
                Universe {
                    label: format!("resample {}", i + 1),
                    x: Some(i as f64 + 1.0),
                    params: toml::Table::new(),
                    seed_list: Some((name.to_string(), idx.into_iter().map(|j| pool[j]).collect())),
                    data: None,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::MethodSpec;
    use crate::sensitivity::replicate_rng;
    use std::collections::BTreeMap;

    fn base_spec() -> MethodSpec {
        let mut params = toml::Table::new();
        params.insert("seeds".into(), "s".into());
        MethodSpec {
            name: "r".into(),
            method: "follow-seeds".into(),
            params,
        }
    }

    #[test]
    fn leave_one_out_drops_each_seed_once() {
        let spec = base_spec();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![7u32, 8, 9]);
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: None,
        };
        let u = LeaveOneOut
            .universes(&base, &|i| replicate_rng(1, 0, i))
            .unwrap();
        let got: Vec<_> = u.iter().map(|u| u.seed_list.clone().unwrap().1).collect();
        assert_eq!(got, vec![vec![8, 9], vec![7, 9], vec![7, 8]]);
    }

    #[test]
    fn resample_is_reproducible_and_draws_from_the_pool() {
        let spec = base_spec();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![1u32, 2]);
        lists.insert("pool".to_string(), vec![10u32, 11, 12, 13, 14]);
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: None,
        };
        let fam = Resample {
            pool: "pool".into(),
            replicates: 20,
        };
        let a = fam.universes(&base, &|i| replicate_rng(42, 1, i)).unwrap();
        let b = fam.universes(&base, &|i| replicate_rng(42, 1, i)).unwrap();
        assert_eq!(a, b);
        for u in &a {
            let l = &u.seed_list.as_ref().unwrap().1;
            assert_eq!(l.len(), 2);
            assert!(l[0] < l[1] && l.iter().all(|s| (10..=14).contains(s)));
        }
        let c = fam.universes(&base, &|i| replicate_rng(43, 1, i)).unwrap();
        assert_ne!(a, c, "a different study seed draws different lists");
    }

    #[test]
    fn a_pool_smaller_than_the_list_is_an_error() {
        let spec = base_spec();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![1u32, 2, 3]);
        lists.insert("pool".to_string(), vec![10u32, 11]);
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: None,
        };
        let fam = Resample {
            pool: "pool".into(),
            replicates: 2,
        };
        assert!(fam.universes(&base, &|i| replicate_rng(1, 1, i)).is_err());
    }
}
