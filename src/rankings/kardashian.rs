//! `kardashian-index`: Hall's (2014) Kardashian index of a scientist on Twitter, the
//! followers an account has over the followers its citations would predict:
//!
//! ```text
//! K = F_a / F_c,   F_c = 43.3 · C^0.32
//! ```
//!
//! with F_a the account's followers and C its citations (Hall fitted F_c on 40
//! scientists). K > 5 is Hall's "Science Kardashian". Ranked highest first, ties share
//! a rank. Accounts with a missing count, or with no citations (F_c = 0, K undefined),
//! are left unranked and counted in the diagnostics. O(n).
//!
//! Reference: Hall, N. (2014). The Kardashian index: a measure of discrepant social
//! media profile for scientists. *Genome Biology* 15, 424.

use anyhow::Result;
use serde::Deserialize;

use super::params;
use super::{Input, Method, Scores};

/// Hall's fit: the followers a scientist with C citations has, F_c = 43.3 · C^0.32.
pub const SCALE: f64 = 43.3;
pub const EXPONENT: f64 = 0.32;

fn default_followers() -> String {
    "followers".into()
}

fn default_citations() -> String {
    "citations".into()
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kardashian {
    /// The accounts column with the follower count (F_a).
    #[serde(default = "default_followers")]
    pub followers: String,
    /// The accounts column with the citation count (C).
    #[serde(default = "default_citations")]
    pub citations: String,
}

/// K for F followers and C citations; None when C is not positive or a count is
/// negative or not finite.
pub fn index(followers: f64, citations: f64) -> Option<f64> {
    (citations > 0.0 && followers >= 0.0 && followers.is_finite() && citations.is_finite())
        .then(|| followers / (SCALE * citations.powf(EXPONENT)))
}

impl Kardashian {
    pub fn from_params(p: &toml::Table) -> Result<Kardashian> {
        params::parse("kardashian-index", p)
    }
}

impl Method for Kardashian {
    fn method(&self) -> &'static str {
        "kardashian-index"
    }

    fn reads_graph(&self) -> bool {
        false
    }

    fn validate(&self, input: &Input) -> Result<()> {
        input.accounts.numeric_column(&self.followers)?;
        input.accounts.numeric_column(&self.citations).map(|_| ())
    }

    fn score(&self, input: &Input) -> Result<Scores> {
        let f = input.accounts.numeric_column(&self.followers)?;
        let c = input.accounts.numeric_column(&self.citations)?;
        let n = input.accounts.len();
        let mut eligible = input.population.to_vec();
        let mut score = vec![0.0; n];
        let (mut missing, mut undefined) = (0u64, 0u64);
        for i in 0..n {
            if !eligible[i] {
                continue;
            }
            match (f.get(i), c.get(i)) {
                (Some(fa), Some(ci)) => match index(fa, ci) {
                    Some(k) => score[i] = k,
                    None => {
                        eligible[i] = false;
                        undefined += 1;
                    }
                },
                _ => {
                    eligible[i] = false;
                    missing += 1;
                }
            }
        }
        Ok(Scores::exact(
            score,
            eligible,
            &[
                ("excluded_missing_count", missing),
                ("unranked_no_citations", undefined),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values Hall (2014) and its press coverage print, rounded to whole numbers:
    /// 2.4M followers and 151 citations give 11,129; 1.44M and 33,301 give 1,188;
    /// 1.02M and 49,631 give 740.
    #[test]
    fn reproduces_published_values() {
        for (f, c, k) in [
            (2.4e6, 151.0, 11_129.0),
            (1.44e6, 33_301.0, 1_188.0),
            (1.02e6, 49_631.0, 740.0),
        ] {
            let got = index(f, c).unwrap();
            assert_eq!(got.round(), k, "F = {f}, C = {c}: {got}");
        }
        // F_c at C = 1 is 43.3: an account with 433 followers and 1 citation has K = 10.
        assert!((index(433.0, 1.0).unwrap() - 10.0).abs() < 1e-12);
        assert_eq!(index(100.0, 0.0), None);
        assert_eq!(index(-1.0, 5.0), None);
    }

    #[test]
    fn unknown_settings_are_refused() {
        let mut p = toml::Table::new();
        p.insert("citation".into(), toml::Value::String("x".into()));
        assert!(Kardashian::from_params(&p).is_err());
        assert_eq!(
            Kardashian::from_params(&toml::Table::new()).unwrap(),
            Kardashian {
                followers: "followers".into(),
                citations: "citations".into()
            }
        );
    }
}
