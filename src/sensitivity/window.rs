//! Time windows: which week the data was pulled, and how long a window it covers. Every
//! window of each length (in days) ending on each day boundary of the data's span.

use anyhow::{Result, bail};

use serde::Deserialize;

use super::data::DataChange;
use super::{Base, Entry, Perturbation, RngFor, Universe, Universes, settings};

const DAY: i64 = 86_400;

/// Window lengths and steps, in days: at most a century.
pub const MAX_WINDOW_DAYS: u32 = 36_525;
/// How many window lengths one family may list (each length is a series of re-rankings).
pub const MAX_WINDOW_LENGTHS: usize = 100;

pub const ENTRY: Entry = Entry {
    name: "time-window",
    about: "every window of `lengths_days` days, ends stepped by `step_days`",
    build: |t, _| {
        let Settings {
            lengths_days,
            step_days,
        } = settings(t)?;
        if lengths_days.is_empty() || lengths_days.len() > MAX_WINDOW_LENGTHS {
            bail!(
                "lengths_days lists {} lengths; give 1 to {MAX_WINDOW_LENGTHS} (each length is a series of re-rankings)",
                lengths_days.len()
            );
        }
        if let Some(d) = lengths_days
            .iter()
            .find(|&&d| d == 0 || d > MAX_WINDOW_DAYS)
        {
            bail!(
                "lengths_days contains {d}; window lengths must be 1 to {MAX_WINDOW_DAYS} days (a century)"
            );
        }
        if step_days == 0 || step_days > MAX_WINDOW_DAYS {
            bail!("step_days = {step_days} must be 1 to {MAX_WINDOW_DAYS} days (a century)");
        }
        Ok(Box::new(TimeWindow {
            lengths_days,
            step_days,
        }))
    },
    describe: |u| format!("{} time windows", u.len()),
};

/// `time-window`'s settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Window lengths, in days.
    #[serde(default = "default_lengths")]
    lengths_days: Vec<u32>,
    /// Days between window ends.
    #[serde(default = "default_step")]
    step_days: u32,
}

fn default_lengths() -> Vec<u32> {
    vec![1, 3, 7]
}

fn default_step() -> u32 {
    1
}

pub struct TimeWindow {
    pub lengths_days: Vec<u32>,
    pub step_days: u32,
}

pub use crate::dataset::clean::date;

impl Perturbation for TimeWindow {
    fn family(&self) -> &'static str {
        ENTRY.name
    }

    fn universes<'a>(&'a self, base: &Base<'a>, _rng: RngFor<'a>) -> Result<Universes<'a>> {
        let Some(events) = base.events else {
            bail!("time-window: the data has no interactions table");
        };
        let times = events.time.iter().flatten().copied();
        let (Some(lo), Some(hi)) = (times.clone().min(), times.max()) else {
            bail!(
                "time-window: no event has a time; add a `time` column (Unix seconds or RFC 3339)"
            );
        };
        if self.lengths_days.is_empty() || self.lengths_days.contains(&0) || self.step_days == 0 {
            bail!("time-window: lengths_days must be non-empty and > 0, step_days > 0");
        }
        // Windows end on UTC day boundaries from the first day + length to the day after
        // the last event. In i128: times are any i64, and a day boundary or a window end
        // past them must not overflow.
        let day = i128::from(DAY);
        let first_day = i128::from(lo).div_euclid(day) * day;
        let end_day = i128::from(hi).div_euclid(day) * day + day;
        let step = i128::from(self.step_days) * day;
        // Universe i is window number i in (length, end) order: `starts[l]` is the
        // number of the first window of length l, and the total count is checked.
        let mut starts = Vec::with_capacity(self.lengths_days.len());
        let mut total: u64 = 0;
        for &len in &self.lengths_days {
            starts.push(total);
            let first_end = first_day + i128::from(len) * day;
            let n = if first_end > end_day {
                0
            } else {
                (end_day - first_end) / step + 1
            };
            total = u64::try_from(n)
                .ok()
                .and_then(|n| total.checked_add(n))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "time-window: the data spans {} to {}: more than 2^64 windows; raise step_days",
                        date(lo),
                        date(hi)
                    )
                })?;
        }
        if total == 0 {
            bail!(
                "time-window: the data spans {} to {}, shorter than every window length {:?}",
                date(lo),
                date(hi),
                self.lengths_days
            );
        }
        let lengths = &self.lengths_days;
        let clamp = |t: i128| t.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Ok(Universes::new(total, move |i| {
            // The last length whose first window number is <= i (lengths with no
            // window share their start with the next one).
            let l = starts.partition_point(|&s| s <= i) - 1;
            let len = lengths[l];
            let len_s = i128::from(len) * day;
            let end = first_day + len_s + i128::from(i - starts[l]) * step;
            Universe {
                label: format!("{len} d to {}", date(clamp(end - 1))),
                x: Some(i as f64 + 1.0),
                params: toml::Table::new(),
                seed_list: None,
                data: Some(DataChange::Window {
                    from: clamp(end - len_s),
                    to: clamp(end),
                }),
            }
        }))
    }

    fn fewer(&self) -> &'static str {
        "raise `step_days` or give fewer `lengths_days` (at most {fits} windows fit)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Interactions;
    use crate::rankings::MethodSpec;
    use crate::sensitivity::replicate_rng;
    use std::collections::BTreeMap;

    fn events(times: &[i64]) -> Interactions {
        let n = times.len();
        Interactions {
            source: vec![0; n],
            target: vec![1; n],
            kind: vec![0; n],
            kinds: vec!["reply".into()],
            time: times.iter().map(|&t| Some(t)).collect(),
            weight: vec![1.0; n],
            tag: vec![None; n],
            tags: vec![],
        }
    }

    fn windows(fam: &TimeWindow, ev: &Interactions) -> Result<Vec<(String, i64, i64)>> {
        let spec = MethodSpec {
            name: "r".into(),
            method: "in-degree".into(),
            params: toml::Table::new(),
        };
        let lists = BTreeMap::new();
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: Some(ev),
        };
        let rng_for = |i| replicate_rng(1, 0, i);
        let u = fam.universes(&base, &rng_for)?;
        Ok((0..u.len())
            .map(|i| {
                let u = u.get(i).unwrap();
                assert_eq!(u.x, Some(i as f64 + 1.0));
                match u.data {
                    Some(DataChange::Window { from, to }) => (u.label, from, to),
                    other => panic!("{other:?}"),
                }
            })
            .collect())
    }

    /// Universe i is the i-th window in (length, end) order; a length longer than the
    /// data gives no window and does not shift the others.
    #[test]
    fn windows_in_length_then_end_order() {
        // Events on 1970-01-01 12:00 and 1970-01-03 06:00: days 0..3.
        let ev = events(&[DAY / 2, 2 * DAY + DAY / 4]);
        let fam = TimeWindow {
            lengths_days: vec![2, 30, 1],
            step_days: 1,
        };
        let got = windows(&fam, &ev).unwrap();
        let want = vec![
            ("2 d to 1970-01-02".to_string(), 0, 2 * DAY),
            ("2 d to 1970-01-03".to_string(), DAY, 3 * DAY),
            ("1 d to 1970-01-01".to_string(), 0, DAY),
            ("1 d to 1970-01-02".to_string(), DAY, 2 * DAY),
            ("1 d to 1970-01-03".to_string(), 2 * DAY, 3 * DAY),
        ];
        assert_eq!(got, want);
    }

    /// Times at the ends of i64 neither overflow nor panic: the span is counted in i128
    /// and a count beyond u64 is an error naming the fix.
    #[test]
    fn extreme_times_are_counted_or_refused() {
        let ev = events(&[i64::MIN, i64::MAX]);
        let fam = TimeWindow {
            lengths_days: vec![1],
            step_days: 1,
        };
        let spec = MethodSpec {
            name: "r".into(),
            method: "in-degree".into(),
            params: toml::Table::new(),
        };
        let lists = BTreeMap::new();
        let base = Base {
            spec: &spec,
            seed_lists: &lists,
            events: Some(&ev),
        };
        let rng_for = |i| replicate_rng(1, 0, i);
        let u = fam.universes(&base, &rng_for).unwrap();
        // 2^64 s / 86400 s ≈ 2.1e14 days: a count, not an allocation.
        assert!(u.len() > 200_000_000_000_000);
        let last = u.get(u.len() - 1).unwrap();
        assert!(matches!(
            last.data,
            Some(DataChange::Window { to: i64::MAX, .. })
        ));
        let many = TimeWindow {
            lengths_days: vec![1; 100_000],
            step_days: 1,
        };
        let e = windows(&many, &ev).unwrap_err().to_string();
        assert!(e.contains("raise step_days"), "{e}");
    }

    #[test]
    fn dates_round_trip_known_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1341100972), "2012-07-01");
        assert_eq!(date(951782400), "2000-02-29");
        assert_eq!(date(-1), "1969-12-31");
    }
}
