//! The checks of a study that need the data but not the rankings: run once the data and
//! seed lists are loaded and before any ranking, perturbation or critique work, so a
//! mistake costs seconds, not the whole run. Each message names the study file, line and
//! column of the setting, and the data file it disagrees with.

use anyhow::Result;

use super::Study;
use crate::dataset::Dataset;
use crate::rankings::SeedIds;

/// Every study setting checked against the loaded data and resolved seed lists.
pub fn check_against_data(study: &Study, ds: &Dataset, seeds: &SeedIds) -> Result<()> {
    let acc = &ds.accounts;
    let seed_file = |name: &str| {
        study
            .seeds
            .get(name)
            .map_or_else(|| name.to_string(), |s| s.path.display().to_string())
    };
    for (i, attr) in study.critique.attributes.iter().enumerate() {
        if !acc.has_column(attr) {
            let mut cols: Vec<&String> = acc.text.keys().chain(acc.numeric.keys()).collect();
            cols.sort();
            return Err(study.fail(
                &["critique", "attributes", &i.to_string()],
                format!(
                    "[critique] attribute {attr:?} is not a column of the accounts table ({}); columns: {}",
                    acc.describe_source(),
                    cols.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    if let Some(c) = &study.critique.offline_rank {
        acc.numeric_column(c).map_err(|e| {
            e.context(format!(
                "{}: [critique] offline_rank",
                study.at(&["critique", "offline_rank"])
            ))
        })?;
    }
    // k <= |S| for the published rules: a larger k qualifies nobody.
    for (i, r) in study.rankings.iter().enumerate() {
        // The study built every method when it was loaded.
        let method = crate::rankings::build(&r.method, &r.params)?;
        let (Some((key, k)), Some(list)) = (method.seed_threshold(), method.seed_list()) else {
            continue;
        };
        let Some(ids) = seeds.get(list) else { continue };
        if k > ids.len() {
            return Err(study.fail(
                &["ranking", &i.to_string(), key],
                format!(
                    "ranking {:?}: {key} = {k} is larger than the seed list {list:?} in {} ({} seeds), so nobody can qualify; use {key} <= {}",
                    r.name,
                    seed_file(list),
                    ids.len(),
                    ids.len()
                ),
            ));
        }
    }
    // A resampling pool must hold at least as many accounts as the list it redraws.
    if let Some(sens) = &study.sensitivity {
        for (i, f) in sens.families.iter().enumerate() {
            // The study built every family when it was loaded.
            let family = crate::sensitivity::build(f, study.study.replicates)?;
            let Some(pool) = family.seed_pool() else {
                continue;
            };
            let target = f.ranking.as_ref().unwrap_or(&sens.ranking);
            let Some(r) = study.rankings.iter().find(|r| &r.name == target) else {
                continue;
            };
            let method = crate::rankings::build(&r.method, &r.params)?;
            let (Some(list), Some(pool_ids)) = (method.seed_list(), seeds.get(pool)) else {
                continue;
            };
            let Some(list_ids) = seeds.get(list) else {
                continue;
            };
            if pool_ids.len() < list_ids.len() {
                return Err(study.fail(
                    &["sensitivity", "family", &i.to_string(), "pool"],
                    format!(
                        "{}: the pool {pool:?} ({}) has {} accounts, fewer than the {} seeds of {list:?} ({}) it must redraw; give a larger pool",
                        f.family,
                        seed_file(pool),
                        pool_ids.len(),
                        list_ids.len(),
                        seed_file(list)
                    ),
                ));
            }
        }
    }
    Ok(())
}
