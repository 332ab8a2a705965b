//! The critique stage of an audit: concentration and representation of every ranking
//! (with its agreement with an offline hierarchy), and the gaming cost of every ranking.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::forced_order::{self, ForcedResult};
use super::gaming::{self, GamingInput, GamingSummary};
use super::hierarchy::{self, Concentration, GroupRepresentation};
use super::rank_inference::{self, RankInference};
use crate::compare::correlation::{kendall_tau_b, spearman};
use crate::dataset::Accounts;
use crate::graph::Graph;
use crate::rankings::{MethodSpec, Ranking};

/// Concentration and representation of one ranking.
pub struct HierarchyResult {
    pub ranking: String,
    /// (accounts with a value, Spearman, Kendall tau-b) between score and the offline
    /// hierarchy column.
    pub offline: Option<(usize, Option<f64>, Option<f64>)>,
    pub concentration: Concentration,
    pub lorenz: Option<Vec<(f64, f64)>>,
    /// (attribute, groups)
    pub representation: Vec<(String, Vec<GroupRepresentation>)>,
}

/// Points of each Lorenz curve kept for the figure.
const LORENZ_POINTS: usize = 500;

/// The hierarchy questions for every ranking: its concentration, each attribute's
/// groups in its top N against the population, and (with an `offline_rank` column) its
/// rank correlation with that hierarchy.
pub fn hierarchy(
    rankings: &[(MethodSpec, Ranking)],
    top_n: u32,
    population: &[bool],
    accounts: &Accounts,
    attributes: &[String],
    offline_rank: Option<&str>,
) -> Result<Vec<HierarchyResult>> {
    let mut groups_of = Vec::new();
    for attr in attributes {
        if !accounts.has_column(attr) {
            bail!("[critique] attribute {attr:?} is not a column of the accounts table");
        }
        let g: Vec<Option<String>> = (0..accounts.len())
            .map(|i| accounts.text_value(attr, i))
            .collect();
        groups_of.push((attr.clone(), g));
    }
    let offline = match offline_rank {
        Some(c) => Some(
            accounts
                .numeric_column(c)
                .context("[critique] offline_rank")?,
        ),
        None => None,
    };
    Ok(rankings
        .iter()
        .map(|(spec, r)| HierarchyResult {
            ranking: spec.name.clone(),
            offline: offline.map(|col| {
                let (x, y): (Vec<f64>, Vec<f64>) = r
                    .entries()
                    .filter_map(|e| col.get(e.account as usize).map(|v| (e.score, v)))
                    .unzip();
                (x.len(), spearman(&x, &y), kendall_tau_b(&x, &y))
            }),
            concentration: hierarchy::concentration(r, top_n),
            lorenz: hierarchy::lorenz(
                &r.entries().map(|e| e.score).collect::<Vec<_>>(),
                LORENZ_POINTS,
            ),
            representation: groups_of
                .iter()
                .map(|(attr, g)| {
                    (
                        attr.clone(),
                        hierarchy::representation(r, top_n, population, g),
                    )
                })
                .collect(),
        })
        .collect())
}

/// The forced-order analysis of every ranking whose method respects a dominance
/// order ([`crate::rankings::Method::forced_order`]), in study order.
pub fn forced(
    rankings: &[(MethodSpec, Ranking)],
    top_n: u32,
    accounts: &Accounts,
    follows: &Graph,
    seed: u64,
) -> Result<Vec<ForcedResult>> {
    let mut out = Vec::new();
    for (i, (spec, r)) in rankings.iter().enumerate() {
        let method = crate::rankings::build(&spec.method, &spec.params)?;
        if let Some(f) = method.forced_order() {
            let chain_seed = seed ^ (i as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
            out.push(forced_order::analyse(
                &spec.name, &f, r, accounts, follows, top_n, chain_seed,
            )?);
        }
    }
    Ok(out)
}

/// Rank confidence sets for every ranking by event counts
/// ([`crate::rankings::Method::counts_events`]), in study order.
/// With the study's event bootstrap of a ranking, its replicates give a second answer.
pub fn rank_inference(
    rankings: &[(MethodSpec, Ranking)],
    top_n: u32,
    accounts: &Accounts,
    attributes: &[String],
    families: &[crate::sensitivity::stage::FamilyResult],
    seed: u64,
) -> Result<Vec<RankInference>> {
    let mut out = Vec::new();
    for (spec, r) in rankings {
        if crate::rankings::build(&spec.method, &spec.params)?.counts_events() {
            let replicates = families
                .iter()
                .find(|f| {
                    f.family == crate::sensitivity::bootstrap::BOOTSTRAP.name
                        && f.ranking == spec.name
                })
                .map(|f| f.replicates.as_slice());
            out.push(rank_inference::analyse(
                &spec.name, r, top_n, accounts, attributes, replicates, seed,
            ));
        }
    }
    Ok(out)
}

/// The gaming cost of every ranking, with the seconds each took (by ranking name).
/// `whose` names the study's `[critique]`, for errors.
pub fn gaming(
    rankings: &[(MethodSpec, Ranking)],
    top_n: u32,
    input: &GamingInput,
    whose: &dyn Fn() -> String,
) -> Result<(Vec<GamingSummary>, BTreeMap<String, f64>)> {
    let mut seconds = BTreeMap::new();
    let summaries = rankings
        .iter()
        .map(|(spec, r)| {
            let t = Instant::now();
            let g = gaming::analyse(spec, r, top_n, input)
                .with_context(|| format!("{}: gaming cost of ranking {:?}", whose(), spec.name));
            seconds.insert(spec.name.clone(), t.elapsed().as_secs_f64());
            g
        })
        .collect::<Result<_>>()?;
    Ok((summaries, seconds))
}
