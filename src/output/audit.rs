//! What an audit writes besides figures and report: its result tables, declared as rows
//! (one [`table!`](crate::table) per table: the fields are the columns), and its
//! manifest record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;

use super::rows::{Account, Dicts, MethodName, RankingName};
use super::tables::{Col, Dictionary, Table};
use crate::critique::forced_order::Expected;
use crate::critique::rank_inference::label_words;
use crate::graph::Graph;
use crate::rankings::{MethodSpec, Ranking};
use crate::results::Results;
use crate::sensitivity::multiverse::MultiverseSpec;
use crate::study::Study;

crate::table! {
    /// Every ranking, one row per ranked account in rank order.
    rankings_table = "rankings" {
        ranking: RankingName,
        method: MethodName,
        account: Account,
        score: f64,
        rank: u32,
        /// Whether the account passed the rule's qualification (rules with one).
        qualified: Option<bool>,
        /// Certainly among the top N (a tie straddling N is out).
        in_top_n: bool,
    }
}

crate::table! {
    /// Every pair of rankings: one `all` row, then one row per top fraction (where the
    /// overlap measures do not apply and stay empty).
    comparisons_table = "comparisons" {
        ranking_a: String,
        ranking_b: String,
        subset: String,
        n_a: u64,
        n_b: u64,
        n_common: u64,
        kendall_tau_b: Option<f64>,
        spearman: Option<f64>,
        weighted_tau: Option<f64>,
        k: Option<u32>,
        jaccard_top_k: Option<f64>,
        rbo_p: Option<f64>,
        rbo_ext: Option<f64>,
    }
}

crate::table! {
    /// Rank distribution of every covered account under every family.
    stability_table = "stability" {
        ranking: String,
        family: String,
        account: Account,
        nominal_rank: Option<u32>,
        median_rank: Option<u32>,
        rank_q05: Option<u32>,
        rank_q95: Option<u32>,
        p_top_n: f64,
        p_ranked: f64,
        n_universes: u64,
    }
}

crate::table! {
    /// Every universe of every family.
    universes_table = "universes" {
        ranking: String,
        family: String,
        /// 1-based.
        universe: u32,
        label: String,
        x: Option<f64>,
        /// The seed list the universe uses, `;`-separated, where it replaces one.
        seeds: Option<String>,
        n_qualified: Option<u32>,
        n_ranked: u32,
        n_top_n: u32,
        jaccard_top_n: Option<f64>,
    }
}

crate::table! {
    /// The multiverse's variance attribution, one row per factor.
    variance_table = "variance_attribution" {
        factor: String,
        first_order_mean_abs_rank_change: f64,
        total_mean_abs_rank_change: Option<f64>,
        first_order_variance_share: f64,
        total_variance_share: Option<f64>,
        groups: u64,
    }
}

crate::table! {
    /// Sobol indices of the multiverse's Sobol design (`[multiverse.sobol]`;
    /// methodology §6f), one row per output and factor, the dummy factor last. Empty
    /// without a Sobol design.
    sobol_indices_table = "sobol_indices" {
        ranking: String,
        /// ranks (the covered accounts' censored ranks, aggregated), top-n (their top-N
        /// membership, aggregated) or mean-abs-rank-change (COINr's scalar).
        output: String,
        /// The factor's name, or "(dummy)" for the factor that enters no ranking (the
        /// estimator's noise floor).
        factor: String,
        /// First-order index: the share of the output's variance the factor explains
        /// alone.
        first: Option<f64>,
        /// 2.5 % bootstrap percentile of the first-order index.
        first_lo95: Option<f64>,
        /// 97.5 % bootstrap percentile of the first-order index.
        first_hi95: Option<f64>,
        /// Total index: the share it explains with all its interactions.
        total: Option<f64>,
        /// 2.5 % bootstrap percentile of the total index.
        total_lo95: Option<f64>,
        /// 97.5 % bootstrap percentile of the total index.
        total_hi95: Option<f64>,
        /// saltelli-2010, azzini-2020 or sensobol-dummy.
        estimator_first: String,
        /// jansen-1999, azzini-2020 or sensobol-dummy.
        estimator_total: String,
        /// The base sample size N.
        samples: u64,
        /// The universes run: N (k + 2), or N (2k + 2) for the Azzini pair.
        universes: u64,
    }
}

crate::table! {
    /// Per covered account, the Sobol indices of its own censored rank and of its
    /// top-N membership (point estimates; empty where the output never varies).
    sobol_accounts_table = "sobol_accounts" {
        ranking: RankingName,
        account: Account,
        /// ranks or top-n.
        output: String,
        factor: String,
        /// First-order index of this account's output.
        first: Option<f64>,
        /// Total index of this account's output.
        total: Option<f64>,
    }
}

crate::table! {
    /// The gaming cost of every ranking.
    gaming_table = "gaming" {
        ranking: String,
        computed: bool,
        how: Option<String>,
        why_not: Option<String>,
        outside_top_n: u64,
        candidates: u64,
        method_runs: u64,
        share_self_only: Option<f64>,
        median_self_only_actions: Option<f64>,
        median_others_actions: Option<f64>,
        /// The structural reason entry is cheap, where one follow from one account is
        /// the usual way in (methodology §6c).
        reason: Option<String>,
    }
}

crate::table! {
    /// The cheapest way into each top N, per costed account.
    gaming_accounts_table = "gaming_accounts" {
        ranking: RankingName,
        account: Account,
        cheapest_self_actions: Option<f64>,
        cheapest_others_actions: Option<f64>,
        self_only_actions: Option<f64>,
    }
}

crate::table! {
    /// What every ranking of a kind must say (methodology §6d): per ranking whose
    /// method respects a dominance order, the share of pairs the order decides and the
    /// top N it forces.
    forced_order_table = "forced_order" {
        ranking: String,
        order: String,
        ranked: u64,
        why_not: Option<String>,
        /// Share of all pairs of ranked accounts the order decides.
        pairs_decided_share: Option<f64>,
        /// The same among the pairs of the ranking's top N.
        top_n_pairs_decided_share: Option<f64>,
        top_n: u64,
        /// In the top N of every consistent ranking.
        forced_in: u64,
        /// In the top N of some consistent ranking and not of all.
        open: u64,
        /// In the top N of none.
        forced_out: u64,
        /// exact, mcmc or lpom.
        expected_by: Option<String>,
        linear_extensions: Option<f64>,
        mcmc_chains: Option<u32>,
        mcmc_steps: Option<f64>,
        mcmc_max_r_hat: Option<f64>,
    }
}

crate::table! {
    /// Rank intervals over every consistent ranking, for the top N and every account
    /// that some consistent ranking puts in it.
    forced_order_accounts_table = "forced_order_accounts" {
        ranking: RankingName,
        account: Account,
        rank: u32,
        best_rank: u32,
        worst_rank: u32,
        /// Under the uniform distribution over consistent rankings (see
        /// forced_order.expected_by).
        expected_rank: Option<f64>,
        p_top_n: Option<f64>,
    }
}

crate::table! {
    /// Which of a ranking by event counts the data can vouch for (methodology §6e):
    /// per account of the band (the top 3 N by count), its 95 % set of ranks (all
    /// statements jointly) and its top-N label.
    rank_confidence_table = "rank_confidence" {
        ranking: RankingName,
        account: Account,
        events: u64,
        rank: u32,
        /// The 95 % set of ranks, all statements about all accounts jointly.
        rank_lo95: u32,
        rank_hi95: u32,
        /// The 95 % set of ranks of this account alone (marginal: its own family).
        rank_lo95_marginal: u32,
        rank_hi95_marginal: u32,
        /// The joint 95 % set from the event bootstrap's replicates (empty without one).
        rank_lo95_bootstrap: Option<u32>,
        rank_hi95_bootstrap: Option<u32>,
        /// confidently in, confidently out or undetermined (from the joint sets).
        top_n: String,
    }
}

crate::table! {
    /// Per ranking by event counts: how many accounts the data puts confidently in its
    /// top N, confidently out of it, or leaves undetermined (95 % jointly; §6e).
    rank_confidence_summary_table = "rank_confidence_summary" {
        ranking: String,
        accounts: u64,
        events: u64,
        /// The accounts whose rank sets are exact to the family: the top 3 N by count.
        band: u64,
        confidently_in: u64,
        undetermined: u64,
        confidently_out: u64,
        /// The τ-worst set for τ = N: accounts that could be among the N with the fewest
        /// events (95 %, from the band at the bottom).
        could_be_bottom_n: u64,
        /// Why no sets were computed (empty when they were).
        not_computed: Option<String>,
        /// The same counts from the event bootstrap's replicates, where the study runs
        /// one on this ranking (csranks with their covariance).
        bootstrap_replicates: Option<u32>,
        confidently_in_bootstrap: Option<u32>,
        undetermined_bootstrap: Option<u32>,
        confidently_out_bootstrap: Option<u32>,
        /// Why the bootstrap version was not computed, where there is a bootstrap.
        bootstrap_not_computed: Option<String>,
    }
}

crate::table! {
    /// Each attribute group's share of the top N places of a ranking by event counts,
    /// with the interval its accounts' top-N labels allow (methodology §6e).
    rank_confidence_groups_table = "rank_confidence_groups" {
        ranking: String,
        attribute: String,
        group: String,
        top_n_share: f64,
        share_lo95: f64,
        share_hi95: f64,
    }
}

crate::table! {
    /// Concentration of every ranking and its agreement with an offline hierarchy.
    hierarchy_table = "hierarchy" {
        ranking: String,
        n_ranked: u64,
        n_top_n: u64,
        gini: Option<f64>,
        top_n_score_share: Option<f64>,
        offline_rank_n: Option<u32>,
        offline_rank_spearman: Option<f64>,
        offline_rank_tau_b: Option<f64>,
    }
}

crate::table! {
    /// Each attribute group's share of each top N against its share of the population.
    representation_table = "representation" {
        ranking: String,
        attribute: String,
        group: String,
        population_n: u64,
        population_share: f64,
        top_n_count: u64,
        top_n_share: f64,
        top_n_share_lo95: f64,
        top_n_share_hi95: f64,
    }
}

crate::table! {
    /// The seed lists, with each seed's followers in the data.
    seeds_table = "seeds" {
        seed_list: String,
        account: Account,
        /// 1-based position in the list file.
        position: u32,
        followers_in_data: u32,
    }
}

/// All result tables, long format, handed to `emit` one at a time (each is dropped once
/// written, so only one table's columns are held at once).
pub fn tables(
    res: &Results,
    seed_ids: &BTreeMap<String, Vec<u32>>,
    fg: &Graph,
    mut emit: impl FnMut(Table<'_>) -> Result<()>,
) -> Result<()> {
    let accounts = Arc::new(Dictionary::of_ids(&res.data.accounts.ids));
    // Without a label column every label is the id: one dictionary serves both (the
    // text of every id, held once).
    let labels = match res.data.accounts.has_labels() {
        true => Arc::new(Dictionary::new(
            (0..res.data.accounts.len() as u32).map(|i| res.data.accounts.label(i)),
        )),
        false => accounts.clone(),
    };
    let dicts = Dicts {
        accounts,
        labels,
        rankings: Arc::new(Dictionary::new(res.rankings.iter().map(|(s, _)| &s.name))),
        methods: Arc::new(Dictionary::new(res.rankings.iter().map(|(s, _)| &s.method))),
    };
    let top_n = res.study.study.top_n;

    // Streamed, as the other tables with a row per account: one row per ranked account
    // of every ranking (six rankings of a million accounts are six million rows).
    let in_top: Vec<usize> = res
        .rankings
        .iter()
        .map(|(_, r)| r.top(top_n).len())
        .collect();
    let lens: Vec<usize> = res.rankings.iter().map(|(_, r)| r.len()).collect();
    let schema = rankings_table::Rows::default().table(&dicts);
    emit(end_to_end(schema, &lens, |rows| {
        let mut t = rankings_table::Rows::default();
        for (i, pos) in rows {
            let r = &res.rankings[i].1;
            let e = &r.entry(pos);
            t.push(rankings_table::Row {
                ranking: RankingName(i as u32),
                method: MethodName(i as u32),
                account: Account(e.account),
                score: e.score,
                rank: e.rank,
                qualified: r.qualified.as_ref().map(|q| q[e.account as usize]),
                in_top_n: pos < in_top[i],
            });
        }
        columns(t.table(&dicts))
    }))?;

    let mut t = comparisons_table::Rows::default();
    for c in &res.comparisons {
        let x = &c.all;
        let full = (x.n_common, x.tau_b, x.spearman);
        let rows = std::iter::once(("all".to_string(), full, true)).chain(c.top.iter().map(|t| {
            let subset = format!("top {} %", t.fraction * 100.0);
            (subset, (t.n, t.tau_b, t.spearman), false)
        }));
        for (subset, (n, tau, rho), all) in rows {
            t.push(comparisons_table::Row {
                ranking_a: c.a.clone(),
                ranking_b: c.b.clone(),
                subset,
                n_a: x.n_a as u64,
                n_b: x.n_b as u64,
                n_common: n as u64,
                kendall_tau_b: tau,
                spearman: rho,
                weighted_tau: x.weighted_tau.filter(|_| all),
                k: all.then_some(x.k as u32),
                jaccard_top_k: x.jaccard_top_k.filter(|_| all),
                rbo_p: all.then_some(x.rbo_p),
                rbo_ext: x.rbo.filter(|_| all),
            });
        }
    }
    emit(t.table(&dicts))?;

    let mut t = stability_table::Rows::default();
    for f in &res.families {
        for a in &f.accounts {
            t.push(stability_table::Row {
                ranking: f.ranking.clone(),
                family: f.family.clone(),
                account: Account(a.account),
                nominal_rank: a.nominal_rank,
                median_rank: a.median_rank,
                rank_q05: a.rank_q05,
                rank_q95: a.rank_q95,
                p_top_n: a.p_top_n,
                p_ranked: a.p_ranked,
                n_universes: f.universes.len() as u64,
            });
        }
    }
    emit(t.table(&dicts))?;

    let names = res.data.accounts.ids.names();
    let mut t = universes_table::Rows::default();
    for f in &res.families {
        let each = f.universes.iter().zip(&f.diagnostics).zip(&f.per_universe);
        for (i, ((u, d), s)) in each.enumerate() {
            let seeds = u.seed_list.as_ref().map(|(_, l)| {
                let ids: Vec<&str> = l.iter().map(|&a| &names[a as usize]).collect();
                ids.join(";")
            });
            t.push(universes_table::Row {
                ranking: f.ranking.clone(),
                family: f.family.clone(),
                universe: i as u32 + 1,
                label: u.label.clone(),
                x: u.x,
                seeds,
                n_qualified: d.get("qualified").map(|&q| q as u32),
                n_ranked: s.n_ranked as u32,
                n_top_n: s.n_top as u32,
                jaccard_top_n: s.jaccard_top_n,
            });
        }
    }
    emit(t.table(&dicts))?;

    if let Some(mv) = &res.multiverse {
        let mut t = variance_table::Rows::default();
        for e in &mv.effects {
            t.push(variance_table::Row {
                factor: e.factor.clone(),
                first_order_mean_abs_rank_change: e.first_order,
                total_mean_abs_rank_change: e.total,
                first_order_variance_share: e.first_order_share,
                total_variance_share: e.total_share,
                groups: e.groups as u64,
            });
        }
        emit(t.table(&dicts))?;
        emit(multiverse_table(&mv.spec, &mv.choices))?;
    }
    sobol_tables(res, &dicts, &mut emit)?;

    let mut t = gaming_table::Rows::default();
    for g in &res.gaming {
        let computed = g.not_computed.is_none();
        t.push(gaming_table::Row {
            ranking: g.ranking.clone(),
            computed,
            how: computed.then(|| g.how.label().to_string()),
            why_not: g.not_computed.clone(),
            outside_top_n: g.outside as u64,
            candidates: g.candidates as u64,
            method_runs: g.method_runs as u64,
            share_self_only: g.share_self_only,
            median_self_only_actions: g.median_self_only,
            median_others_actions: g.median_others,
            reason: g.reason.clone(),
        });
    }
    emit(t.table(&dicts))?;

    let lens: Vec<usize> = res.gaming.iter().map(|g| g.costs.len()).collect();
    let schema = gaming_accounts_table::Rows::default().table(&dicts);
    emit(end_to_end(schema, &lens, |rows| {
        let mut t = gaming_accounts_table::Rows::default();
        for (i, pos) in rows {
            let c = res.gaming[i].costs.get(pos);
            t.push(gaming_accounts_table::Row {
                ranking: RankingName(i as u32),
                account: Account(c.account),
                cheapest_self_actions: c.cheapest().map(|k| k.self_actions),
                cheapest_others_actions: c.cheapest().map(|k| k.others_actions),
                self_only_actions: c.self_only(),
            });
        }
        columns(t.table(&dicts))
    }))?;

    let mut t = forced_order_table::Rows::default();
    for f in &res.forced {
        let (ext, chains, steps, r_hat) = match &f.expected {
            Some(Expected::Exact { extensions }) => (Some(*extensions as f64), None, None, None),
            Some(Expected::Mcmc {
                chains,
                steps,
                max_r_hat,
            }) => (
                None,
                Some(*chains as u32),
                Some(*steps as f64),
                Some(*max_r_hat),
            ),
            _ => (None, None, None, None),
        };
        t.push(forced_order_table::Row {
            ranking: f.ranking.clone(),
            order: f.order.clone(),
            ranked: f.accounts as u64,
            why_not: f.not_computed.clone(),
            pairs_decided_share: f.share_all,
            top_n_pairs_decided_share: f.share_top,
            top_n: f.top as u64,
            forced_in: f.forced_in as u64,
            open: f.open() as u64,
            forced_out: f.forced_out as u64,
            expected_by: f.expected.as_ref().map(|e| e.label().to_string()),
            linear_extensions: ext,
            mcmc_chains: chains,
            mcmc_steps: steps,
            mcmc_max_r_hat: r_hat,
        });
    }
    emit(t.table(&dicts))?;

    let mut t = forced_order_accounts_table::Rows::default();
    for f in &res.forced {
        let i = res
            .rankings
            .iter()
            .position(|(s, _)| s.name == f.ranking)
            .expect("a study ranking");
        for row in &f.rows {
            t.push(forced_order_accounts_table::Row {
                ranking: RankingName(i as u32),
                account: Account(row.account),
                rank: row.rank,
                best_rank: row.best as u32,
                worst_rank: row.worst as u32,
                expected_rank: row.expected,
                p_top_n: row.p_top,
            });
        }
    }
    emit(t.table(&dicts))?;

    let mut t = rank_confidence_table::Rows::default();
    let mut g = rank_confidence_groups_table::Rows::default();
    let mut sum = rank_confidence_summary_table::Rows::default();
    for ri in &res.rank_inference {
        let boot = ri.bootstrap.as_ref().and_then(|b| b.as_ref().ok());
        sum.push(rank_confidence_summary_table::Row {
            ranking: ri.ranking.clone(),
            accounts: ri.accounts as u64,
            events: ri.events,
            band: ri.band as u64,
            confidently_in: ri.confidently_in as u64,
            undetermined: ri.undetermined as u64,
            confidently_out: ri.confidently_out as u64,
            could_be_bottom_n: ri.could_be_bottom_n as u64,
            not_computed: ri.not_computed.clone(),
            bootstrap_replicates: boot.map(|b| b.replicates as u32),
            confidently_in_bootstrap: boot.map(|b| b.confidently_in as u32),
            undetermined_bootstrap: boot.map(|b| b.undetermined as u32),
            confidently_out_bootstrap: boot.map(|b| b.confidently_out as u32),
            bootstrap_not_computed: ri.bootstrap.as_ref().and_then(|b| b.clone().err()),
        });
        let i = res
            .rankings
            .iter()
            .position(|(s, _)| s.name == ri.ranking)
            .expect("a study ranking");
        for row in &ri.rows {
            t.push(rank_confidence_table::Row {
                ranking: RankingName(i as u32),
                account: Account(row.account),
                events: row.events,
                rank: row.rank,
                rank_lo95: row.set.lower as u32,
                rank_hi95: row.set.upper as u32,
                rank_lo95_marginal: row.marginal.lower as u32,
                rank_hi95_marginal: row.marginal.upper as u32,
                rank_lo95_bootstrap: row.bootstrap.map(|s| s.lower as u32),
                rank_hi95_bootstrap: row.bootstrap.map(|s| s.upper as u32),
                top_n: label_words(row.label).to_string(),
            });
        }
        for s in &ri.groups {
            g.push(rank_confidence_groups_table::Row {
                ranking: ri.ranking.clone(),
                attribute: s.attribute.clone(),
                group: s.group.clone(),
                top_n_share: s.observed,
                share_lo95: s.lower,
                share_hi95: s.upper,
            });
        }
    }
    emit(sum.table(&dicts))?;
    emit(t.table(&dicts))?;
    emit(g.table(&dicts))?;

    let mut t = hierarchy_table::Rows::default();
    for h in &res.hierarchy {
        let c = &h.concentration;
        let (n, rho, tau) = match h.offline {
            Some((n, rho, tau)) => (Some(n as u32), rho, tau),
            None => (None, None, None),
        };
        t.push(hierarchy_table::Row {
            ranking: h.ranking.clone(),
            n_ranked: c.n_ranked as u64,
            n_top_n: c.n_top as u64,
            gini: c.gini,
            top_n_score_share: c.top_n_share,
            offline_rank_n: n,
            offline_rank_spearman: rho,
            offline_rank_tau_b: tau,
        });
    }
    emit(t.table(&dicts))?;

    let mut t = representation_table::Rows::default();
    for h in &res.hierarchy {
        for (attr, groups) in &h.representation {
            for g in groups {
                t.push(representation_table::Row {
                    ranking: h.ranking.clone(),
                    attribute: attr.clone(),
                    group: g.group.clone(),
                    population_n: g.population_n as u64,
                    population_share: g.population_share,
                    top_n_count: g.top_count as u64,
                    top_n_share: g.top_share,
                    top_n_share_lo95: g.lo,
                    top_n_share_hi95: g.hi,
                });
            }
        }
    }
    emit(t.table(&dicts))?;

    let mut t = seeds_table::Rows::default();
    for l in &res.seed_lists {
        for (i, &a) in seed_ids[&l.name].iter().enumerate() {
            t.push(seeds_table::Row {
                seed_list: l.name.clone(),
                account: Account(a),
                position: i as u32 + 1,
                followers_in_data: fg.inn.degree(a) as u32,
            });
        }
    }
    emit(t.table(&dicts))
}

/// `sobol_indices` and `sobol_accounts`, header only without a Sobol design.
fn sobol_tables(
    res: &Results,
    dicts: &Dicts,
    emit: &mut impl FnMut(Table<'_>) -> Result<()>,
) -> Result<()> {
    use crate::sensitivity::sobol::Interval;
    use crate::sensitivity::sobol_multiverse::{DUMMY, DUMMY_ESTIMATOR, estimator_name};
    let mut t = sobol_indices_table::Rows::default();
    let mut a = sobol_accounts_table::Rows::default();
    let found = res
        .multiverse
        .as_ref()
        .and_then(|mv| Some((&mv.spec.ranking, mv.sobol.as_ref()?)));
    if let Some((ranking, sb)) = found {
        let (fe, te) = sb.spec.estimators.pair();
        let row =
            |output: &str, factor: &str, iv: Option<(Interval, Interval)>, est: (&str, &str)| {
                let (f, tt) = iv.map_or((None, None), |(f, t)| (Some(f), Some(t)));
                sobol_indices_table::Row {
                    ranking: ranking.clone(),
                    output: output.to_string(),
                    factor: factor.to_string(),
                    first: f.map(|i| i.estimate),
                    first_lo95: f.map(|i| i.lower),
                    first_hi95: f.map(|i| i.upper),
                    total: tt.map(|i| i.estimate),
                    total_lo95: tt.map(|i| i.lower),
                    total_hi95: tt.map(|i| i.upper),
                    estimator_first: est.0.to_string(),
                    estimator_total: est.1.to_string(),
                    samples: sb.spec.samples as u64,
                    universes: sb.universes as u64,
                }
            };
        for o in &sb.outputs {
            for (i, name) in sb.factors.iter().enumerate() {
                let iv = o.factors.as_ref().map(|f| f[i]);
                t.push(row(
                    o.output,
                    name,
                    iv,
                    (estimator_name(fe), estimator_name(te)),
                ));
            }
            t.push(row(
                o.output,
                DUMMY,
                o.dummy,
                (DUMMY_ESTIMATOR, DUMMY_ESTIMATOR),
            ));
        }
        let ri = res
            .rankings
            .iter()
            .position(|(s, _)| &s.name == ranking)
            .expect("a study ranking");
        for acc in &sb.accounts {
            for (i, name) in sb.factors.iter().enumerate() {
                let v = acc.factors.as_ref().map(|f| f[i]);
                a.push(sobol_accounts_table::Row {
                    ranking: RankingName(ri as u32),
                    account: Account(acc.account),
                    output: acc.output.to_string(),
                    factor: name.clone(),
                    first: v.map(|v| v.0),
                    total: v.map(|v| v.1),
                });
            }
        }
    }
    emit(t.table(dicts))?;
    emit(a.table(dicts))
}

/// The multiverse's universes and the level each factor takes in each. Its columns are
/// the study's factors, so it is the one table built column by column.
/// A table whose rows are several lists end to end (list `i` has `lens[i]` rows),
/// streamed: `chunk` gets a range of rows as (list, position in it) and returns their
/// columns. `schema` names the columns (it holds no rows).
fn end_to_end<'a>(
    schema: Table<'static>,
    lens: &[usize],
    chunk: impl Fn(&mut dyn Iterator<Item = (usize, usize)>) -> Vec<Col> + Send + Sync + 'a,
) -> Table<'a> {
    // starts[i]: the table row of list i's first item.
    let mut starts = vec![0usize];
    for &n in lens {
        starts.push(starts[starts.len() - 1] + n);
    }
    let height = starts[lens.len()];
    schema.streamed(height, move |rows| {
        // The list of the range's first row: the last one starting at or before it.
        let mut i = starts
            .partition_point(|&s| s <= rows.start)
            .saturating_sub(1);
        let mut at = rows.map(|k| {
            while k >= starts[i + 1] {
                i += 1;
            }
            (i, k - starts[i])
        });
        chunk(&mut at)
    })
}

/// A table's columns without their names.
fn columns(t: Table) -> Vec<Col> {
    t.columns.into_iter().map(|(_, c)| c).collect()
}

fn multiverse_table(spec: &MultiverseSpec, choices: &[Vec<usize>]) -> Table<'static> {
    let universe = Col::U32((1..=choices.len() as u32).collect());
    let mut t = Table::new("multiverse")
        .about("The multiverse's universes (1-based, as in universes) and the level each factor takes in each, one column per factor.")
        .col("universe", universe);
    for (i, f) in spec.factors.iter().enumerate() {
        let levels = choices
            .iter()
            .map(|c| MultiverseSpec::level(&f.values[c[i]]))
            .collect();
        t = t.col(&f.param, Col::Str(levels));
    }
    t
}

/// A ranking as the manifest records it (audits and quick mode alike).
pub fn ranking_record(spec: &MethodSpec, r: &Ranking) -> serde_json::Value {
    serde_json::json!({"name": spec.name, "method": spec.method, "ranked": r.len(), "diagnostics": r.diagnostics})
}

/// The audit's fields of the manifest, after `version`.
#[derive(Serialize)]
struct AuditMode<'a> {
    study: &'a Study,
    study_file: String,
    seed: u64,
    /// A merged run: how many shards it was merged from (absent in a one-process run,
    /// whose manifest is otherwise the same apart from the timings).
    #[serde(skip_serializing_if = "Option::is_none")]
    shards: Option<u64>,
}

/// The files an audit reads, in the manifest's order: the data files, the seed lists,
/// the study file. The shard key hashes the same list.
pub fn input_files(
    data_files: &[PathBuf],
    seed_lists: &[crate::dataset::SeedList],
    study: &Path,
) -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = data_files.to_vec();
    inputs.extend(seed_lists.iter().map(|s| PathBuf::from(&s.path)));
    inputs.push(study.to_path_buf());
    inputs
}

/// The audit's manifest: its inputs (data, seed lists, study file), the row accounting,
/// the rankings and families, every output and the timings. Written last.
pub fn write_manifest(
    res: &Results,
    out: &Path,
    outputs: &[PathBuf],
    timings: &BTreeMap<String, f64>,
    shards: Option<u64>,
) -> Result<()> {
    let inputs = input_files(&res.data.files, &res.seed_lists, &res.study.path);
    let rec = super::RunRecord {
        mode: AuditMode {
            study: &res.study,
            study_file: res.study.path.display().to_string(),
            seed: res.study.study.seed,
            shards,
        },
        inputs,
        known_sha256: &res.data.known_sha256,
        prepared: res.data.prepared.as_ref(),
        tables_read: &res.data.reports,
        accounts: res.data.accounts.len(),
        accounts_listed: res.data.accounts.listed,
        population: res.population_size,
        follow_graph: res.follow_graph,
        rankings: res
            .rankings
            .iter()
            .map(|(s, r)| ranking_record(s, r))
            .collect(),
        perturbations: Some(
            res.families
                .iter()
                .map(|f| serde_json::json!({"ranking": f.ranking, "family": f.family, "universes": f.universes.len()}))
                .collect(),
        ),
    };
    super::write_manifest(&rec, out, outputs, timings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_end_to_end_give_each_row_its_list_and_position_in_any_range() {
        // Lists of 2, 0, 3 and 0 rows: table rows 0..5 are (0,0) (0,1) (2,0) (2,1) (2,2).
        let lens = [2, 0, 3, 0];
        let seen = std::sync::Mutex::new(Vec::new());
        let t = end_to_end(
            Table::new("t").col("i", Col::U64(Vec::new())),
            &lens,
            |rows| {
                let got: Vec<(usize, usize)> = rows.collect();
                let n = got.len();
                seen.lock().unwrap().push(got);
                vec![Col::U64(vec![0; n])]
            },
        );
        assert_eq!(t.height(), 5);
        let want = [(0, 0), (0, 1), (2, 0), (2, 1), (2, 2)];
        for start in 0..=5 {
            for end in start..=5 {
                seen.lock().unwrap().clear();
                t.with_rows(start..end, |_, _| ()).unwrap();
                assert_eq!(seen.lock().unwrap()[0], want[start..end], "{start}..{end}");
            }
        }
    }
}
