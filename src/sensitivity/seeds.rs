//! Seed-list perturbations: leave one seed out; resample the list from a candidate pool.
//! The question they answer: "my choice of boat-rockers might be quite different".

use anyhow::{Result, bail};

use serde::Deserialize;

use super::{Base, Entry, NoSettings, Perturbation, RngFor, Universe, Universes, settings};

pub const LEAVE_ONE_OUT: Entry = Entry {
    name: "seed-leave-one-out",
    about: "drop each seed in turn",
    build: |t, _| {
        settings::<NoSettings>(t)?;
        Ok(Box::new(LeaveOneOut))
    },
    describe: |u| format!("the {} lists that drop one seed", u.len()),
};

pub const RESAMPLE: Entry = Entry {
    name: "seed-resample",
    about: "draw a new seed list of the same size from a candidate pool, R times",
    build: |t, replicates| {
        if !t.contains_key("pool") {
            bail!("family seed-resample needs `pool` (the name of a candidate seed list)");
        }
        let ResampleSettings { pool } = settings(t)?;
        Ok(Box::new(Resample { pool, replicates }))
    },
    describe: |u| format!("{} random seed lists from the candidate pool", u.len()),
};

/// `seed-resample`'s settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResampleSettings {
    /// The candidate pool: the name of a declared seed list.
    pool: String,
}

/// One universe per seed, with that seed removed (|S| universes, no randomness).
pub struct LeaveOneOut;

impl Perturbation for LeaveOneOut {
    fn family(&self) -> &'static str {
        LEAVE_ONE_OUT.name
    }

    fn universes<'a>(&'a self, base: &Base<'a>, _rng: RngFor<'a>) -> Result<Universes<'a>> {
        let (name, list) = base.seed_list()?;
        if list.len() < 2 {
            bail!(
                "seed-leave-one-out needs a seed list of at least 2 accounts; {name:?} has {}",
                list.len()
            );
        }
        Ok(Universes::new(list.len() as u64, move |drop| Universe {
            label: format!("drop seed #{}", drop + 1),
            x: Some(drop as f64 + 1.0),
            params: toml::Table::new(),
            data: None,
            seed_list: Some((
                name.to_string(),
                list.iter()
                    .enumerate()
                    .filter(|&(i, _)| i as u64 != drop)
                    .map(|(_, &s)| s)
                    .collect(),
            )),
        }))
    }

    fn fewer(&self) -> &'static str {
        "use a seed list of at most {fits} accounts (one universe per seed)"
    }
}

/// R universes, each a seed list of the same size drawn uniformly without replacement
/// from the candidate pool (a named seed list).
pub struct Resample {
    pub pool: String,
    pub replicates: u64,
}

impl Perturbation for Resample {
    fn family(&self) -> &'static str {
        RESAMPLE.name
    }

    fn seed_pool(&self) -> Option<&str> {
        Some(&self.pool)
    }

    fn universes<'a>(&'a self, base: &Base<'a>, rng_for: RngFor<'a>) -> Result<Universes<'a>> {
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
        let pool: &'a [u32] = pool;
        let size = list.len();
        Ok(Universes::new(self.replicates, move |i| {
            let mut rng = rng_for(i);
            let mut idx = rand::seq::index::sample(&mut rng, pool.len(), size).into_vec();
            // The draw is a set: sort so the list does not depend on draw order.
            idx.sort_unstable();
            Universe {
                label: format!("resample {}", i + 1),
                x: Some(i as f64 + 1.0),
                params: toml::Table::new(),
                seed_list: Some((name.to_string(), idx.into_iter().map(|j| pool[j]).collect())),
                data: None,
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rankings::MethodSpec;
    use crate::sensitivity::replicate_rng;
    use std::collections::BTreeMap;

    fn all(u: Universes) -> Vec<Universe> {
        (0..u.len()).map(|i| u.get(i).unwrap()).collect()
    }

    fn base_spec() -> MethodSpec {
        let params =
            toml::from_str("seeds = \"s\"\nmin_follows = 1\nby = [\"followers\"]").unwrap();
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
        let u = all(LeaveOneOut
            .universes(&base, &|i| replicate_rng(1, 0, i))
            .unwrap());
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
        let a = all(fam.universes(&base, &|i| replicate_rng(42, 1, i)).unwrap());
        let b = all(fam.universes(&base, &|i| replicate_rng(42, 1, i)).unwrap());
        assert_eq!(a, b);
        for u in &a {
            let l = &u.seed_list.as_ref().unwrap().1;
            assert_eq!(l.len(), 2);
            assert!(l[0] < l[1] && l.iter().all(|s| (10..=14).contains(s)));
        }
        let c = all(fam.universes(&base, &|i| replicate_rng(43, 1, i)).unwrap());
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

    /// `replicates = 2^63 - 1` used to panic with "capacity overflow" (every list was
    /// drawn up front); now it is a view, and replicate i is the same list whether the
    /// view is long or short (its own RNG stream).
    #[test]
    fn a_huge_resample_is_a_view_with_the_same_draws() {
        let spec = base_spec();
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), vec![1u32, 2]);
        lists.insert("pool".to_string(), vec![10u32, 11, 12, 13, 14]);
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: None,
        };
        let rng_for = |i| replicate_rng(42, 1, i);
        let huge = Resample {
            pool: "pool".into(),
            replicates: i64::MAX as u64,
        };
        let u = huge.universes(&base, &rng_for).unwrap();
        assert_eq!(u.len(), i64::MAX as u64);
        let small = Resample {
            pool: "pool".into(),
            replicates: 20,
        };
        let s = small.universes(&base, &rng_for).unwrap();
        assert_eq!(u.get(7), s.get(7));
        let last = u.get(i64::MAX as u64 - 1).unwrap();
        assert_eq!(last.label, format!("resample {}", i64::MAX));
        assert_eq!(last.seed_list.unwrap().1.len(), 2);
    }
}
