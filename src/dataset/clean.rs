//! Row policies and the per-table accounting of every input row.
//!
//! Policies (each named in the study file under `[data.policy]` and in methodology.md):
//! - `malformed` (`error` | `skip`): a row with the wrong number of fields, invalid
//!   UTF-8, an empty required field or an unparsable value. `error` (default) stops with
//!   file, line and column; `skip` rejects the row and counts it.
//! - `unknown_ids` (`add` | `drop` | `error`): an id in follows/interactions that is not
//!   in the accounts table. `add` (default) adds it as an account with no attributes and
//!   missing counts; `drop` rejects the row; `error` stops.
//! - `self_loops` (`drop` | `keep`): follower = followee or source = target. Default drop.
//! - `duplicate_follows` (`drop` | `keep`): the same follow edge twice. Default drop (a
//!   follow is a relation, not an event). Duplicate interactions are events and are kept.
//! - duplicate account ids: always an error (which row is right cannot be guessed).
//! - missing interaction weight: defaults to 1, counted as `weight_defaulted`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::read::Loc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OnMalformed {
    #[default]
    Error,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OnUnknownId {
    #[default]
    Add,
    Drop,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum KeepOrDrop {
    #[default]
    Drop,
    Keep,
}

/// The row policies, with their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    pub malformed: OnMalformed,
    pub unknown_ids: OnUnknownId,
    pub self_loops: KeepOrDrop,
    pub duplicate_follows: KeepOrDrop,
    /// Set from command-line flags (quick mode), not a study file: messages then name the
    /// flag (`--malformed skip`), not the study key.
    #[serde(skip)]
    pub from_flags: bool,
    /// A table with no rows is loaded empty rather than refused: `rankaudit import` of
    /// a dump file that holds only some of its format's tables (a tweets file has no
    /// follows). Never from a study.
    #[serde(skip)]
    pub empty_tables: bool,
}

impl Policy {
    /// How the user sets `key` to `value`, in the words of where the policy came from.
    pub fn how_to_set(&self, key: &str, value: &str) -> String {
        if self.from_flags {
            format!("`--{} {}`", key.replace('_', "-"), value.replace('"', ""))
        } else {
            format!("`{key} = \"{value}\"` under [data.policy]")
        }
    }
}

/// How many example locations to keep per reject reason in the manifest.
const EXAMPLES_PER_REASON: usize = 5;

/// Accounting for one input table: rows read = rows used + rows rejected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableReport {
    pub table: String,
    pub file: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    /// Rejected rows by reason.
    pub rejected: BTreeMap<String, u64>,
    /// A few locations per reason, e.g. "line 12: expected 2 fields, found 3".
    pub examples: BTreeMap<String, Vec<String>>,
    /// Rows used but altered or notable, by what happened (e.g. `weight_defaulted`).
    pub notes: BTreeMap<String, u64>,
}

impl TableReport {
    pub fn new(table: &str, file: &Path) -> Self {
        TableReport {
            table: table.to_string(),
            file: file.display().to_string(),
            ..Default::default()
        }
    }

    pub fn used(&mut self) {
        self.used_many(1);
    }

    pub fn used_many(&mut self, rows: u64) {
        self.rows_read += rows;
        self.rows_used += rows;
    }

    pub fn reject(&mut self, reason: &str, loc: Loc, detail: &str) {
        self.rows_read += 1;
        self.rows_rejected += 1;
        *self.rejected.entry(reason.to_string()).or_default() += 1;
        let ex = self.examples.entry(reason.to_string()).or_default();
        if ex.len() < EXAMPLES_PER_REASON {
            ex.push(format!("{loc}: {detail}"));
        }
    }

    pub fn note(&mut self, what: &str) {
        self.note_many(what, 1);
    }

    pub fn note_many(&mut self, what: &str, n: u64) {
        *self.notes.entry(what.to_string()).or_default() += n;
    }

    /// True when every row read is accounted for.
    pub fn balanced(&self) -> bool {
        self.rows_read == self.rows_used + self.rows_rejected
            && self.rejected.values().sum::<u64>() == self.rows_rejected
    }
}

/// Apply the `malformed` policy to one bad row: stop with a located message, or count it.
pub fn malformed(
    policy: &Policy,
    report: &mut TableReport,
    reason: &str,
    loc: Loc,
    detail: &str,
) -> Result<()> {
    match policy.malformed {
        OnMalformed::Error => bail!(
            "{}: {loc}: malformed row ({reason}): {detail}. Fix the row, or set {} to reject such rows and count them in the manifest",
            report.file,
            policy.how_to_set("malformed", "skip")
        ),
        OnMalformed::Skip => {
            report.reject(reason, loc, detail);
            Ok(())
        }
    }
}

/// Counts must stay below 2^53 = 9007199254740992: every integer below it is exact in
/// an f64 (the type counts are ranked in), and beyond it neighbouring integers share one
/// f64 (9007199254740993 would silently become ...992), so ties and products would be
/// made up. Real platform counts are below 10^10.
pub const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// Parse a platform count: an integer >= 0 and below [`MAX_COUNT`] (a trailing `.0` is
/// accepted, as spreadsheets write it). Empty = missing.
pub fn parse_count(s: &str) -> std::result::Result<Option<f64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{} is not a number (expected an integer >= 0)", quoted(s)))?;
    // Without an exponent the fraction digits decide, not the parsed value: near 2^53
    // "…991.4" parses to a whole number.
    let fraction_ok = s.contains(['e', 'E'])
        || s.split_once('.')
            .is_none_or(|(_, f)| f.bytes().all(|b| b == b'0'));
    if v.is_nan() || v < 0.0 || v.fract() != 0.0 || !fraction_ok {
        return Err(format!("{} is not an integer >= 0", quoted(s)));
    }
    if v >= MAX_COUNT {
        return Err(format!(
            "{} is too large for a count: counts must be below 2^53 = 9007199254740992, the largest range where every integer is exact in a 64-bit float (larger values would be silently rounded)",
            quoted(s)
        ));
    }
    Ok(Some(v))
}

/// How many characters of a value a message shows before eliding the rest.
const QUOTE_CHARS: usize = 60;

/// A value from the input, quoted for a message: whole when short, else its first
/// characters and its length (a 2 MB field must not become a 2 MB error line).
pub fn quoted(s: &str) -> String {
    match s.char_indices().nth(QUOTE_CHARS) {
        None => format!("{s:?}"),
        Some((end, _)) => format!("{:?}… ({} bytes)", &s[..end], s.len()),
    }
}

/// Parse an interaction time: Unix seconds (integer or decimal) or RFC 3339
/// (`2012-07-01T00:02:52Z`, `2012-07-01 00:02:52+02:00`, fractional seconds allowed).
/// Returns whole Unix seconds (fractions truncated toward negative infinity).
pub fn parse_time(s: &str) -> std::result::Result<i64, String> {
    if let Ok(v) = s.parse::<i64>() {
        return Ok(v);
    }
    if let Ok(v) = s.parse::<f64>()
        && v.is_finite()
    {
        return Ok(v.floor() as i64);
    }
    parse_rfc3339(s).ok_or_else(|| {
        format!("{s:?} is neither Unix seconds nor an RFC 3339 time like 2012-07-01T00:02:52Z")
    })
}

fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            let off = oh * 3600 + om * 60;
            if *sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// `YYYY-MM-DD` of Unix seconds (UTC; H. Hinnant's civil-from-days).
pub fn date(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
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

/// Unix seconds as RFC 3339 in UTC: `2012-07-01T00:00:05Z`, or with `millis`
/// `2012-07-01T00:00:05.000Z` (Twitter's `created_at` form); [`parse_time`] reads both
/// back to the same second.
pub fn rfc3339(t: i64, millis: bool) -> String {
    let s = t.rem_euclid(86_400);
    let frac = if millis { ".000" } else { "" };
    format!(
        "{}T{:02}:{:02}:{:02}{frac}Z",
        date(t),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_both_forms() {
        assert_eq!(parse_time("1341100972"), Ok(1341100972));
        assert_eq!(parse_time("2012-07-01T00:02:52Z"), Ok(1341100972));
        assert_eq!(parse_time("2012-07-01 02:02:52+02:00"), Ok(1341100972));
        assert_eq!(parse_time("2012-07-01T00:02:52.750Z"), Ok(1341100972));
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_time("2000-02-29T00:00:00Z"), Ok(951782400));
        assert!(parse_time("2012-13-01T00:00:00Z").is_err());
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn counts_must_be_non_negative_integers() {
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("12"), Ok(Some(12.0)));
        assert_eq!(parse_count("12.0"), Ok(Some(12.0)));
        assert!(parse_count("-1").is_err());
        assert!(parse_count("1.5").is_err());
        assert!(parse_count("many").is_err());
        assert_eq!(parse_count("1e3"), Ok(Some(1000.0)));
    }

    #[test]
    fn counts_beyond_2_53_are_rejected_not_rounded() {
        assert_eq!(
            parse_count("9007199254740991"),
            Ok(Some(9007199254740991.0))
        );
        for big in ["9007199254740992", "9007199254740993", "1e300"] {
            let e = parse_count(big).unwrap_err();
            assert!(e.contains("2^53 = 9007199254740992"), "{big}: {e}");
        }
        // Near 2^53 a decimal fraction parses to a whole f64; the text still decides.
        assert!(parse_count("9007199254740991.4").is_err());
        assert!(parse_count("NaN").is_err() && parse_count("inf").is_err());
    }

    #[test]
    fn long_values_are_elided_in_messages() {
        assert_eq!(quoted("abc"), "\"abc\"");
        let big = "x".repeat(2_000_000);
        let q = quoted(&big);
        assert!(q.len() < 100 && q.ends_with("… (2000000 bytes)"), "{q}");
        let e = parse_count(&big).unwrap_err();
        assert!(e.len() < 150, "{e}");
    }

    #[test]
    fn report_balances() {
        let mut r = TableReport::new("follows", Path::new("f.csv"));
        r.used();
        r.reject("self_loop", Loc::Line(3), "a follows a");
        assert!(r.balanced());
        assert_eq!(r.rows_read, 2);
    }
}
