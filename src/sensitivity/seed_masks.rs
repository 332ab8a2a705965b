//! Follow-seeds replicates without recounting follows.
//!
//! A seed-list perturbation (leave one out, resample, the multiverse's seed factor)
//! changes only which seeds count. So the follows are read once: for every account, a
//! bitset of which seeds it follows among all the seeds any universe uses (bit j =
//! the j-th smallest seed id). A universe's count for an account is then
//! popcount(mask & universe mask), and only accounts that could reach the smallest
//! threshold of any universe are kept at all. A replicate costs O(kept accounts ·
//! words + q log q) instead of O(sum of the seeds' in-degrees + n).
//!
//! Results equal [`super::run_universe`]'s exactly (the same qualifiers, in the same
//! order, go through [`FollowSeeds::combine_qualifiers`]); universes that change the
//! data take the general path.

use anyhow::Result;
use rayon::prelude::*;

use super::{Universe, Universes};
use crate::rankings::follow_seeds::{self, FollowSeeds};
use crate::rankings::{Input, MethodSpec, Ranking, TieOrder, rank_entries};

/// Above this many distinct seeds (words of 64) the bitsets stop paying; the general
/// path is used.
const MAX_WORDS: usize = 16;

/// The precomputed seed bitsets of one family.
pub struct SeedMasks {
    /// Every seed any covered universe uses, ascending: bit j is `seeds[j]`.
    seeds: Vec<u32>,
    words: usize,
    /// Accounts in the population that follow at least the smallest threshold of any
    /// universe, ascending.
    rows: Vec<u32>,
    /// `masks[r * words..(r + 1) * words]`: the seeds `rows[r]` follows.
    masks: Vec<u64>,
}

/// A universe's rule and its seed list, or None when it must take the general path.
fn rule_of<'a>(
    u: &'a Universe,
    spec: &MethodSpec,
    input: &Input<'a>,
) -> Option<(FollowSeeds, &'a [u32])> {
    if u.data.is_some() {
        return None;
    }
    // A bad parameter is reported by the general path, with its usual message.
    let (method, params) =
        crate::rankings::catalogue::underlying(&spec.method, &spec.params, &u.params).ok()?;
    if method != follow_seeds::NAME {
        return None;
    }
    let fs = FollowSeeds::from_params(&params).ok()?;
    let list: &[u32] = match &u.seed_list {
        Some((name, list)) if *name == fs.seeds => list,
        _ => input.seed_lists.get(&fs.seeds)?,
    };
    // The general path counts a repeated seed twice; seed files forbid repeats, but
    // keep the two paths equal on any input.
    let mut sorted = list.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    Some((fs, list))
}

impl SeedMasks {
    /// Bitsets for the universes of a `follow-seeds` family; None when no universe can
    /// use them (another method, data changes, too many distinct seeds). Each universe
    /// is made here to read its seeds and threshold (in parallel, never all at once),
    /// and again when it runs: making one is cheap next to ranking it.
    pub fn prepare(universes: &Universes, spec: &MethodSpec, input: &Input) -> Option<SeedMasks> {
        // The bitsets are the follow-seeds rule's own fast path.
        let (method, _) =
            crate::rankings::catalogue::underlying(&spec.method, &spec.params, &toml::Table::new())
                .ok()?;
        if method != follow_seeds::NAME {
            return None;
        }
        let limit = MAX_WORDS * 64;
        // The union of the seeds (sorted, deduplicated) and the smallest threshold; the
        // scan stops as soon as the union outgrows the bitsets. Union and minimum do not
        // depend on the order of the reduction.
        let merge = |mut a: Vec<u32>, b: &[u32]| {
            a.extend_from_slice(b);
            a.sort_unstable();
            a.dedup();
            (a.len() <= limit).then_some(a)
        };
        let (seeds, min_k) = (0..universes.len())
            .into_par_iter()
            .try_fold(
                || (Vec::new(), usize::MAX),
                |(seeds, k), i| {
                    let u = universes.get(i)?;
                    match rule_of(&u, spec, input) {
                        Some((fs, list)) => Some((merge(seeds, list)?, k.min(fs.min_follows))),
                        None => Some((seeds, k)),
                    }
                },
            )
            .try_reduce(
                || (Vec::new(), usize::MAX),
                |(a, ka), (b, kb)| Some((merge(a, &b)?, ka.min(kb))),
            )?;
        let words = seeds.len().div_ceil(64);
        if seeds.is_empty() || words > MAX_WORDS {
            return None;
        }
        let n = input.accounts.len();
        let g = input.follows;
        let mut dense = vec![0u64; n * words];
        for (j, &s) in seeds.iter().enumerate() {
            for &f in g.inn.neighbors(s) {
                dense[f as usize * words + j / 64] |= 1 << (j % 64);
            }
        }
        let mut rows = Vec::new();
        let mut masks = Vec::new();
        for a in 0..n {
            let m = &dense[a * words..(a + 1) * words];
            let followed: usize = m.iter().map(|w| w.count_ones() as usize).sum();
            if followed >= min_k && input.population[a] {
                rows.push(a as u32);
                masks.extend_from_slice(m);
            }
        }
        Some(SeedMasks {
            seeds,
            words,
            rows,
            masks,
        })
    }

    /// Run universe `u` from the bitsets; None when it must take the general path.
    pub fn run(
        &self,
        u: &Universe,
        spec: &MethodSpec,
        input: &Input,
        tie: &TieOrder,
    ) -> Option<Result<Ranking>> {
        let (fs, list) = rule_of(u, spec, input)?;
        let mut want = vec![0u64; self.words];
        for s in list {
            let j = self.seeds.binary_search(s).ok()?;
            want[j / 64] |= 1 << (j % 64);
        }
        let k = fs.min_follows;
        let qualifiers: Vec<u32> = self
            .rows
            .iter()
            .zip(self.masks.chunks_exact(self.words))
            .filter(|(_, m)| {
                m.iter()
                    .zip(&want)
                    .map(|(a, b)| (a & b).count_ones() as usize)
                    .sum::<usize>()
                    >= k
            })
            .map(|(&a, _)| a)
            .collect();
        Some(fs.combine_qualifiers(input, &qualifiers).map(|c| {
            // Replicates keep no per-account qualified flags (n bools each); nothing
            // downstream of a family reads them.
            let mut r = rank_entries(&c.accounts, &c.score, &c.tiebreak, c.precision, tie);
            r.diagnostics = c.diagnostics;
            r
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Accounts, Ids};
    use crate::graph::Graph;
    use crate::sensitivity::seeds::{LeaveOneOut, Resample};
    use crate::sensitivity::{Base, Perturbation, Universes, replicate_rng, run_universe};
    use std::collections::BTreeMap;

    /// The bitset path and the general path (recount follows, rank all accounts) give
    /// the same rankings, for every combination rule, threshold and missing policy.
    #[test]
    fn bitsets_equal_the_general_path() {
        let n = 120usize;
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut ids = Ids::new();
        for i in 0..n {
            ids.intern(&format!("a{i}"));
        }
        let mut acc = Accounts {
            ids,
            listed: n,
            ..Default::default()
        };
        // Few distinct values (ties) and some missing counts.
        let col = |next: &mut dyn FnMut() -> u64| -> Vec<Option<f64>> {
            (0..n)
                .map(|_| {
                    let v = next() % 7;
                    (v != 0).then_some(v as f64)
                })
                .collect()
        };
        acc.numeric
            .insert("followers".into(), col(&mut next).into());
        acc.numeric.insert("statuses".into(), col(&mut next).into());
        // Seeds are accounts 0..20; everyone follows a random subset of them.
        let mut pairs = Vec::new();
        for a in 20..n as u32 {
            for s in 0..20u32 {
                if next() % 3 == 0 {
                    pairs.push((a, s));
                }
            }
        }
        let g = Graph::from_pairs(n, &pairs);
        let mut lists = BTreeMap::new();
        lists.insert("s".to_string(), (0..8u32).collect::<Vec<_>>());
        lists.insert("pool".to_string(), (0..20u32).collect::<Vec<_>>());
        let pop: Vec<bool> = (0..n).map(|i| i % 11 != 3).collect();
        let input = Input {
            accounts: &acc,
            follows: &g,
            interactions: None,
            events: None,
            population: &pop,
            seed_lists: &lists,
        };
        let tie = TieOrder::new(acc.ids.names());
        for combine in ["lexicographic", "rank-sum", "z-sum", "product", "ratio"] {
            for (k, missing) in [(2i64, "exclude"), (3, "zero")] {
                let mut params = toml::Table::new();
                params.insert("seeds".into(), "s".into());
                params.insert("min_follows".into(), k.into());
                params.insert(
                    "by".into(),
                    toml::Value::Array(vec!["followers".into(), "statuses".into()]),
                );
                params.insert("combine".into(), combine.into());
                params.insert("missing".into(), missing.into());
                let spec = MethodSpec {
                    name: "r".into(),
                    method: "follow-seeds".into(),
                    params,
                };
                let base = Base {
                    spec: &spec,
                    seed_lists: &lists,
                    events: None,
                };
                let (rng0, rng1) = (|i| replicate_rng(5, 0, i), |i| replicate_rng(5, 1, i));
                let loo = LeaveOneOut.universes(&base, &rng0).unwrap();
                let resample = Resample {
                    pool: "pool".into(),
                    replicates: 30,
                };
                let res = resample.universes(&base, &rng1).unwrap();
                let n0 = loo.len();
                let universes = Universes::new(n0 + res.len(), |i| {
                    if i < n0 {
                        loo.get(i).unwrap()
                    } else {
                        res.get(i - n0).unwrap()
                    }
                });
                let masks = SeedMasks::prepare(&universes, &spec, &input).expect("applies");
                for i in 0..universes.len() {
                    let u = &universes.get(i).unwrap();
                    let fast = masks.run(u, &spec, &input, &tie).unwrap().unwrap();
                    let slow = run_universe(u, &spec, &input, &tie).unwrap();
                    assert!(fast.same_entries(&slow), "{combine} k={k} {}", u.label);
                    assert_eq!(fast.diagnostics, slow.diagnostics);
                }
            }
        }
    }
}
