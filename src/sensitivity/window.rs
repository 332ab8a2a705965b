//! Time windows: which week the data was pulled, and how long a window it covers. Every
//! window of each length (in days) ending on each day boundary of the data's span.

use anyhow::{Result, bail};
use rand_chacha::ChaCha8Rng;

use super::data::DataChange;
use super::{Base, Perturbation, Universe};

const DAY: i64 = 86_400;

pub struct TimeWindow {
    pub lengths_days: Vec<u32>,
    pub step_days: u32,
}

/// `YYYY-MM-DD` of Unix seconds (UTC; H. Hinnant's civil-from-days).
pub fn date(t: i64) -> String {
    let z = t.div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl Perturbation for TimeWindow {
    fn family(&self) -> &'static str {
        "time-window"
    }

    fn universes(&self, base: &Base, _rng: &dyn Fn(u64) -> ChaCha8Rng) -> Result<Vec<Universe>> {
        let Some(events) = base.events else {
            bail!("time-window: the data has no interactions table");
        };
        let times: Vec<i64> = events.time.iter().flatten().copied().collect();
        let (Some(&lo), Some(&hi)) = (times.iter().min(), times.iter().max()) else {
            bail!(
                "time-window: no event has a time; add a `time` column (Unix seconds or RFC 3339)"
            );
        };
        if self.lengths_days.is_empty() || self.lengths_days.contains(&0) || self.step_days == 0 {
            bail!("time-window: lengths_days must be non-empty and > 0, step_days > 0");
        }
        // Windows end on UTC day boundaries from the first day + length to the day after
        // the last event.
        let first_day = lo.div_euclid(DAY) * DAY;
        let end_day = hi.div_euclid(DAY) * DAY + DAY;
        let mut out = Vec::new();
        for &len in &self.lengths_days {
            let len_s = i64::from(len) * DAY;
            let mut end = first_day + len_s;
            while end <= end_day {
                out.push(Universe {
                    label: format!("{len} d to {}", date(end - 1)),
                    x: Some(out.len() as f64 + 1.0),
                    params: toml::Table::new(),
                    seed_list: None,
                    data: Some(DataChange::Window {
                        from: end - len_s,
                        to: end,
                    }),
                });
                end += i64::from(self.step_days) * DAY;
            }
        }
        if out.is_empty() {
            bail!(
                "time-window: the data spans {} to {}, shorter than every window length {:?}",
                date(lo),
                date(hi),
                self.lengths_days
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::date;

    #[test]
    fn dates_round_trip_known_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1341100972), "2012-07-01");
        assert_eq!(date(951782400), "2000-02-29");
        assert_eq!(date(-1), "1969-12-31");
    }
}
