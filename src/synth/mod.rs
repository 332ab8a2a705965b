//! Synthetic audit inputs (`rankaudit synth`): an R-MAT follow graph ([`rmat`]), accounts
//! whose platform counts are drawn to match the graph, interactions along follow edges,
//! a "hand-picked" seed list among the most-followed accounts, and a study file for the
//! bundled-style audit. Scale tests and the benchmark (`bench/`) need no committed data.
//!
//! The model (methodology.md §"Synthetic inputs"), with Z ~ N(0, 1) drawn per account:
//! - followers = in + ⌊(1 + in) · e^(1 + Z₁)⌋: the harvested in-degree plus followers from
//!   outside the harvest, a lognormal multiple of it;
//! - following = out + ⌊(1 + out) · e^(Z₂)⌋, likewise;
//! - statuses = ⌊(1 + out + sent) · e^(2 + Z₃)⌋: lognormal, proportional to activity (follows
//!   made plus interactions sent);
//! - interactions: each picks a follow edge u → v uniformly (so targets are drawn in
//!   proportion to in-degree), source u, target v; kind retweet 50 %, mention 30 %, reply
//!   20 %; time uniform in the week from 2024-01-01T00:00:00Z, Unix seconds;
//! - seeds: `seeds` accounts drawn uniformly among the `pool` accounts of highest
//!   in-degree (ties by id); the pool is written too, for the seed-resample family.
//!
//! Every draw comes from ChaCha8 keyed by (seed, purpose) with one stream per block of
//! work, so the files are byte-identical at any thread count.

pub mod rmat;

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::dataset::schema::{
    ACCOUNT, FOLLOWEE, FOLLOWER, FOLLOWERS, FOLLOWING, KIND, SOURCE, STATUSES, TARGET, TIME,
};
use crate::output::{atomic_file, write_atomic};
pub use rmat::RmatConfig;

/// Accounts or interactions per RNG stream.
const ROWS_PER_STREAM: u64 = 1 << 16;
/// Rows formatted per parallel chunk when writing.
const WRITE_CHUNK: usize = 1 << 16;
/// 2024-01-01T00:00:00Z: the start of the interaction window.
pub const WINDOW_START: u64 = 1_704_067_200;
/// One week, in seconds.
pub const WINDOW_SECONDS: u64 = 7 * 24 * 3600;
/// Interaction kinds and their cumulative probabilities.
const KINDS: [(&str, f64); 3] = [("retweet", 0.5), ("mention", 0.8), ("reply", 1.0)];

/// What each RNG key is for: independent draws for independent parts.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Permutation = 1,
    Edges = 2,
    Accounts = 3,
    Interactions = 4,
    Seeds = 5,
}

/// The RNG for `purpose`, stream `stream`.
pub fn rng(seed: u64, purpose: Purpose, stream: u64) -> ChaCha8Rng {
    // SplitMix64 of (seed, purpose) keeps the purposes' keys far apart.
    let mut z = seed ^ (purpose as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let mut r = ChaCha8Rng::seed_from_u64(z);
    r.set_stream(stream);
    r
}

/// Everything `rankaudit synth` needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    pub graph: RmatConfig,
    pub interactions: u64,
    /// Seed-list length.
    pub seeds: usize,
    /// Seeds are drawn among this many accounts of highest in-degree.
    pub pool: usize,
}

impl SynthConfig {
    pub const DEFAULT_SEEDS: usize = 20;
    pub const DEFAULT_POOL: usize = 200;
    /// Replicates of the study's two seed families together.
    pub const STUDY_REPLICATES: usize = 1000;

    pub fn validate(&self) -> Result<()> {
        self.graph.validate()?;
        if self.seeds == 0 || self.pool < self.seeds {
            bail!(
                "need 1 <= seeds <= pool, got seeds = {}, pool = {}",
                self.seeds,
                self.pool
            );
        }
        if self.seeds >= Self::STUDY_REPLICATES {
            bail!(
                "seeds = {} leaves no seed-resample replicates in the study's {}",
                self.seeds,
                Self::STUDY_REPLICATES
            );
        }
        if (self.pool as u64) > self.graph.nodes() {
            bail!(
                "pool = {} exceeds the {} nodes; lower --pool or raise --scale",
                self.pool,
                self.graph.nodes()
            );
        }
        Ok(())
    }
}

/// Platform counts of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub followers: u64,
    pub following: u64,
    pub statuses: u64,
}

/// One interaction (indices into the edge list become ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub source: u32,
    pub target: u32,
    pub kind: u8,
    pub time: u64,
}

/// The generated inputs, in memory.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub nodes: u64,
    /// Packed follower → followee ([`rmat::pack`]).
    pub edges: Vec<u64>,
    pub in_degree: Vec<u32>,
    pub out_degree: Vec<u32>,
    pub accounts: Vec<Counts>,
    pub events: Vec<Event>,
    pub seeds: Vec<u32>,
    pub pool: Vec<u32>,
}

/// A seeded uniform shuffle of 0..n (Fisher–Yates).
fn permutation(seed: u64, n: u64) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n as u32).collect();
    let mut r = rng(seed, Purpose::Permutation, 0);
    for i in (1..p.len()).rev() {
        let j = r.random_range(0..=i);
        p.swap(i, j);
    }
    p
}

/// A standard normal draw (Box–Muller; the second variate is discarded for simplicity).
fn std_normal(r: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - r.random::<f64>(); // (0, 1]
    let u2 = r.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lognormal_count(base: u64, mu: f64, r: &mut ChaCha8Rng) -> u64 {
    ((1 + base) as f64 * (mu + std_normal(r)).exp()).floor() as u64
}

fn degrees(n: u64, edges: &[u64]) -> (Vec<u32>, Vec<u32>) {
    let mut inn = vec![0u32; n as usize];
    let mut out = vec![0u32; n as usize];
    for &e in edges {
        let (u, v) = rmat::unpack(e);
        out[u as usize] += 1;
        inn[v as usize] += 1;
    }
    (inn, out)
}

fn draw_events(seed: u64, edges: &[u64], count: u64) -> Vec<Event> {
    if edges.is_empty() {
        return Vec::new();
    }
    let blocks = count.div_ceil(ROWS_PER_STREAM);
    let parts: Vec<Vec<Event>> = (0..blocks)
        .into_par_iter()
        .map(|b| {
            let mut r = rng(seed, Purpose::Interactions, b);
            let todo = ROWS_PER_STREAM.min(count - b * ROWS_PER_STREAM);
            (0..todo)
                .map(|_| {
                    let (u, v) = rmat::unpack(edges[r.random_range(0..edges.len())]);
                    let x = r.random::<f64>();
                    let kind = KINDS.iter().position(|&(_, c)| x < c).unwrap_or(0) as u8;
                    let time = WINDOW_START + r.random_range(0..WINDOW_SECONDS);
                    Event {
                        source: u,
                        target: v,
                        kind,
                        time,
                    }
                })
                .collect()
        })
        .collect();
    parts.concat()
}

fn draw_accounts(seed: u64, inn: &[u32], out: &[u32], sent: &[u32]) -> Vec<Counts> {
    let n = inn.len() as u64;
    let blocks = n.div_ceil(ROWS_PER_STREAM);
    let parts: Vec<Vec<Counts>> = (0..blocks)
        .into_par_iter()
        .map(|b| {
            let mut r = rng(seed, Purpose::Accounts, b);
            let lo = b * ROWS_PER_STREAM;
            let hi = n.min(lo + ROWS_PER_STREAM);
            (lo as usize..hi as usize)
                .map(|i| {
                    let (d_in, d_out) = (inn[i] as u64, out[i] as u64);
                    Counts {
                        followers: d_in + lognormal_count(d_in, 1.0, &mut r),
                        following: d_out + lognormal_count(d_out, 0.0, &mut r),
                        statuses: lognormal_count(d_out + sent[i] as u64, 2.0, &mut r),
                    }
                })
                .collect()
        })
        .collect();
    parts.concat()
}

/// The `pool` accounts of highest in-degree (ties by id), and `seeds` of them drawn
/// uniformly, in pool order.
fn draw_seeds(seed: u64, inn: &[u32], seeds: usize, pool: usize) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..inn.len() as u32).collect();
    order.par_sort_unstable_by_key(|&v| (std::cmp::Reverse(inn[v as usize]), v));
    order.truncate(pool);
    let mut r = rng(seed, Purpose::Seeds, 0);
    let mut pick = rand::seq::index::sample(&mut r, order.len(), seeds).into_vec();
    pick.sort_unstable();
    (pick.into_iter().map(|i| order[i]).collect(), order)
}

/// Generate everything in memory. `say` gets progress lines.
pub fn generate(cfg: &SynthConfig, mut say: impl FnMut(&str)) -> Result<Synthetic> {
    cfg.validate()?;
    let g = &cfg.graph;
    let n = g.nodes();
    let perm = permutation(g.seed, n);
    say(&format!(
        "R-MAT scale {} ({n} nodes), {} edges{}",
        g.scale,
        g.edges,
        if g.multigraph {
            " (multigraph: self-loops and duplicates kept)"
        } else {
            " (simple: no self-loops, no duplicates)"
        }
    ));
    let edges = rmat::generate(g, &perm, |round, have| {
        if !g.multigraph {
            say(&format!("  round {round}: {have} distinct edges"));
        }
    })?;
    drop(perm);
    let (in_degree, out_degree) = degrees(n, &edges);
    say(&format!(
        "{} interactions along follow edges",
        cfg.interactions
    ));
    let events = draw_events(g.seed, &edges, cfg.interactions);
    let mut sent = vec![0u32; n as usize];
    for e in &events {
        sent[e.source as usize] += 1;
    }
    let accounts = draw_accounts(g.seed, &in_degree, &out_degree, &sent);
    let (seeds, pool) = draw_seeds(g.seed, &in_degree, cfg.seeds, cfg.pool);
    Ok(Synthetic {
        nodes: n,
        edges,
        in_degree,
        out_degree,
        accounts,
        events,
        seeds,
        pool,
    })
}

/// Write `rows` formatted in parallel chunks, in order, to `path` (atomically).
fn write_rows<T: Sync>(
    path: &Path,
    header: &str,
    rows: &[T],
    fmt: impl Fn(&mut String, &T) + Sync,
) -> Result<()> {
    atomic_file(path, |f: &mut File| {
        let mut w = BufWriter::with_capacity(1 << 20, f);
        w.write_all(header.as_bytes())?;
        w.write_all(b"\n")?;
        // Bounded memory: format a batch of chunks in parallel, write it, go on.
        let batch = WRITE_CHUNK * 64;
        for part in rows.chunks(batch) {
            let texts: Vec<String> = part
                .par_chunks(WRITE_CHUNK)
                .map(|c| {
                    let mut s = String::with_capacity(c.len() * 24);
                    for r in c {
                        fmt(&mut s, r);
                    }
                    s
                })
                .collect();
            for t in &texts {
                w.write_all(t.as_bytes())?;
            }
        }
        w.flush()?;
        Ok(())
    })
    .with_context(|| format!("writing {}", path.display()))
}

/// Rankaudit's study file for the bundled-style audit of the synthetic inputs.
pub fn study_toml(cfg: &SynthConfig, name: &str) -> String {
    let g = &cfg.graph;
    let loo = cfg.seeds;
    let resample = SynthConfig::STUDY_REPLICATES - loo;
    format!(
        r#"# Written by `rankaudit synth --scale {scale} --edges {edges} --seed {seed}`: the
# bundled-style audit of a synthetic R-MAT follow graph. `rankaudit audit study.toml`.
# The {loo} leave-one-out and {resample} resampled seed lists make {total} replicates.
# Interactions are generated (interactions.csv) but not loaded here: add
# [data.interactions] path = "interactions.csv" and a conversation ranking to use them.

[study]
name = "{name}"
title = "Synthetic audit: R-MAT scale {scale}, {edges} follow edges"
seed = {seed}
top_n = 50

[data.accounts]
path = "accounts.csv"

[data.follows]
path = "follows.csv"

[data.policy]
malformed = "error"
unknown_ids = "error"
self_loops = "{loops}"
duplicate_follows = "{dups}"

[seeds.seeds]
path = "seeds.txt"
rationale = "{k} accounts drawn at random among the {pool} of highest in-degree (synthetic)."

[seeds.pool]
path = "pool.txt"
rationale = "The {pool} accounts of highest in-degree: the candidates for the seed list."

[[ranking]]
name = "published"
method = "follow-seeds"
seeds = "seeds"
min_follows = 5
by = ["followers", "statuses"]
combine = "lexicographic"

[[ranking]]
name = "in-degree"
method = "in-degree"

[[ranking]]
name = "pagerank"
method = "pagerank"

[[ranking]]
name = "close-to-seeds"
method = "personalized-pagerank"
seeds = "seeds"

[[ranking]]
name = "hits-authority"
method = "hits-authority"

[[ranking]]
name = "k-core"
method = "k-core"

# Gaming costs: closed forms only. A search re-runs PageRank, HITS or k-core dozens of
# times per sampled account, which at this scale is the benchmark's whole budget.
[critique]
gaming_sample = 0

[sensitivity]
ranking = "published"

[[sensitivity.family]]
family = "seed-leave-one-out"

[[sensitivity.family]]
family = "seed-resample"
pool = "pool"
replicates = {resample}
"#,
        scale = g.scale,
        edges = g.edges,
        seed = g.seed,
        total = SynthConfig::STUDY_REPLICATES,
        k = cfg.seeds,
        pool = cfg.pool,
        loops = if g.multigraph { "keep" } else { "drop" },
        dups = if g.multigraph { "keep" } else { "drop" },
    )
}

/// The files `write` produces, in order.
pub const FILES: [&str; 6] = [
    "follows.csv",
    "accounts.csv",
    "interactions.csv",
    "seeds.txt",
    "pool.txt",
    "study.toml",
];

/// Write the inputs and the study into `dir`; returns the paths written.
pub fn write(dir: &Path, cfg: &SynthConfig, s: &Synthetic, name: &str) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let p = |f: &str| dir.join(f);
    write_rows(
        &p(FILES[0]),
        &format!("{FOLLOWER},{FOLLOWEE}"),
        &s.edges,
        |out, &e| {
            let (u, v) = rmat::unpack(e);
            let _ = writeln!(out, "{u},{v}");
        },
    )?;
    let ids: Vec<u32> = (0..s.nodes as u32).collect();
    write_rows(
        &p(FILES[1]),
        &format!("{ACCOUNT},{FOLLOWERS},{FOLLOWING},{STATUSES}"),
        &ids,
        |out, &i| {
            let c = s.accounts[i as usize];
            let _ = writeln!(out, "{i},{},{},{}", c.followers, c.following, c.statuses);
        },
    )?;
    write_rows(
        &p(FILES[2]),
        &format!("{SOURCE},{TARGET},{KIND},{TIME}"),
        &s.events,
        |out, e| {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                e.source, e.target, KINDS[e.kind as usize].0, e.time
            );
        },
    )?;
    let list = |title: &str, v: &[u32]| {
        let mut t = format!("# {title}\n");
        for a in v {
            let _ = writeln!(t, "{a}");
        }
        t
    };
    write_atomic(
        &p(FILES[3]),
        list(
            &format!(
                "{} seeds drawn among the {} accounts of highest in-degree",
                cfg.seeds, cfg.pool
            ),
            &s.seeds,
        )
        .as_bytes(),
    )?;
    write_atomic(
        &p(FILES[4]),
        list(
            &format!("the {} accounts of highest in-degree", cfg.pool),
            &s.pool,
        )
        .as_bytes(),
    )?;
    write_atomic(&p(FILES[5]), study_toml(cfg, name).as_bytes())?;
    Ok(FILES.iter().map(|f| p(f)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(seed: u64) -> SynthConfig {
        SynthConfig {
            graph: RmatConfig {
                scale: 12,
                edges: 40_000,
                abcd: RmatConfig::DEFAULT_ABCD,
                seed,
                multigraph: false,
            },
            interactions: 5_000,
            seeds: 20,
            pool: 200,
        }
    }

    #[test]
    fn the_permutation_is_a_permutation() {
        let mut p = permutation(3, 1000);
        assert_ne!(p, (0..1000).collect::<Vec<u32>>());
        p.sort_unstable();
        assert_eq!(p, (0..1000).collect::<Vec<u32>>());
    }

    #[test]
    fn std_normal_has_mean_0_and_variance_1() {
        let mut r = rng(1, Purpose::Accounts, 0);
        let x: Vec<f64> = (0..200_000).map(|_| std_normal(&mut r)).collect();
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / x.len() as f64;
        assert!(m.abs() < 0.01, "{m}");
        assert!((v - 1.0).abs() < 0.01, "{v}");
    }

    #[test]
    fn degrees_are_skewed_like_rmat() {
        let s = generate(&cfg(1), |_| {}).unwrap();
        let n = s.nodes as f64;
        let mean = s.edges.len() as f64 / n;
        let max = *s.in_degree.iter().max().unwrap() as f64;
        // A heavy tail: the largest in-degree is many times the mean, and the top 1 % of
        // nodes receive far more than 1 % of the edges.
        assert!(max > 20.0 * mean, "max {max}, mean {mean}");
        let mut d = s.in_degree.clone();
        d.sort_unstable_by(|a, b| b.cmp(a));
        let top: u64 = d[..d.len() / 100].iter().map(|&x| x as u64).sum();
        assert!(
            top as f64 > 0.10 * s.edges.len() as f64,
            "top 1 % hold {top} of {}",
            s.edges.len()
        );
        // Many nodes receive nothing at all.
        assert!(d.iter().filter(|&&x| x == 0).count() > d.len() / 10);
    }

    #[test]
    fn counts_cover_the_graph_and_seeds_come_from_the_pool() {
        let c = cfg(2);
        let s = generate(&c, |_| {}).unwrap();
        for (i, a) in s.accounts.iter().enumerate() {
            assert!(a.followers >= s.in_degree[i] as u64);
            assert!(a.following >= s.out_degree[i] as u64);
        }
        assert_eq!(s.seeds.len(), 20);
        assert_eq!(s.pool.len(), 200);
        assert!(s.seeds.iter().all(|x| s.pool.contains(x)));
        let min_pool = s
            .pool
            .iter()
            .map(|&v| s.in_degree[v as usize])
            .min()
            .unwrap();
        let outside_max = (0..s.nodes as u32)
            .filter(|v| !s.pool.contains(v))
            .map(|v| s.in_degree[v as usize])
            .max()
            .unwrap();
        assert!(min_pool >= outside_max, "the pool is the top in-degree");
        assert_eq!(s.events.len(), 5_000);
        let edges: std::collections::HashSet<u64> = s.edges.iter().copied().collect();
        for e in &s.events {
            assert!(edges.contains(&rmat::pack(e.source, e.target)));
            assert!((WINDOW_START..WINDOW_START + WINDOW_SECONDS).contains(&e.time));
        }
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let a = generate(&cfg(5), |_| {}).unwrap();
        let b = generate(&cfg(5), |_| {}).unwrap();
        let c = generate(&cfg(6), |_| {}).unwrap();
        assert_eq!(a.edges, b.edges);
        assert_eq!(a.accounts, b.accounts);
        assert_eq!(a.events, b.events);
        assert_eq!(a.seeds, b.seeds);
        assert_ne!(a.edges, c.edges);
        assert_ne!(a.seeds, c.seeds);
    }

    #[test]
    fn the_same_data_at_one_thread_and_many() {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| generate(&cfg(9), |_| {}).unwrap());
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| generate(&cfg(9), |_| {}).unwrap());
        assert_eq!(one.edges, four.edges);
        assert_eq!(one.accounts, four.accounts);
        assert_eq!(one.events, four.events);
    }
}
