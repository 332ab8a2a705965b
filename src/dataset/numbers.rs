//! A numeric account column: one `f64` per account, NaN where the value is missing.
//!
//! An `Option<f64>` takes 16 bytes; a column of millions of accounts is held from the
//! load to the end of an audit, so the missing value is stored as NaN instead (8 bytes),
//! which no value can be: every reader of numbers rejects non-finite ones
//! ([`super::load`]'s `exact_number`, the importers), and [`Numbers::set`] refuses NaN.
//! Readers see `Option<f64>` through [`Numbers::get`] and [`Numbers::iter`], so the
//! policy stays in this file.

/// A numeric column (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Numbers(Vec<f64>);

/// Equal as the `Vec<Option<f64>>` of the values: missing equals missing (NaN would
/// not), and values compare as `f64`s.
impl PartialEq for Numbers {
    fn eq(&self, other: &Numbers) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Numbers {
    /// The value of account `i` (None: missing). Panics past the end, as indexing does.
    pub fn get(&self, i: usize) -> Option<f64> {
        let v = self.0[i];
        (!v.is_nan()).then_some(v)
    }

    /// Set account `i`'s value. A value is never NaN (that is the missing mark).
    pub fn set(&mut self, i: usize, v: Option<f64>) {
        debug_assert!(v.is_none_or(|x| !x.is_nan()));
        self.0[i] = v.unwrap_or(f64::NAN);
    }

    pub fn push(&mut self, v: Option<f64>) {
        debug_assert!(v.is_none_or(|x| !x.is_nan()));
        self.0.push(v.unwrap_or(f64::NAN));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every account's value, in account order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<f64>> + Clone + '_ {
        self.0.iter().map(|&v| (!v.is_nan()).then_some(v))
    }

    /// Grow (with missing values) or cut to `n` accounts.
    pub fn resize(&mut self, n: usize) {
        self.0.resize(n, f64::NAN);
    }

    /// The column with account `i` taken from account `from[i]` of this one.
    pub fn gather(&self, from: &[u32]) -> Numbers {
        Numbers(from.iter().map(|&j| self.0[j as usize]).collect())
    }

    /// The column's values as stored: NaN where missing.
    pub fn raw(&self) -> &[f64] {
        &self.0
    }
}

impl From<Vec<Option<f64>>> for Numbers {
    /// A new buffer of 8 bytes a value: collecting the vector's own items would reuse
    /// its 16-byte-a-value allocation in place, and save nothing.
    fn from(v: Vec<Option<f64>>) -> Numbers {
        v.iter().copied().collect()
    }
}

impl FromIterator<Option<f64>> for Numbers {
    fn from_iter<I: IntoIterator<Item = Option<f64>>>(it: I) -> Numbers {
        Numbers(
            it.into_iter()
                .map(|v| {
                    debug_assert!(v.is_none_or(|x| !x.is_nan()));
                    v.unwrap_or(f64::NAN)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_is_none_and_values_round_trip() {
        let mut c: Numbers = vec![Some(1.5), None, Some(-0.0), Some(f64::MAX)].into();
        assert_eq!(c.len(), 4);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            [Some(1.5), None, Some(-0.0), Some(f64::MAX)]
        );
        assert_eq!(c.get(1), None);
        assert!(c.get(2).unwrap().is_sign_negative());
        c.set(1, Some(7.0));
        c.set(0, None);
        c.push(None);
        c.resize(6);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            [None, Some(7.0), Some(-0.0), Some(f64::MAX), None, None]
        );
        assert_eq!(
            c.gather(&[3, 1, 0]).iter().collect::<Vec<_>>(),
            [Some(f64::MAX), Some(7.0), None]
        );
        assert_eq!(std::mem::size_of_val(&c.raw()[0]), 8);
        let big: Numbers = vec![None; 1000].into();
        assert!(big.0.capacity() < 1100, "not the source's allocation");
        // Missing equals missing; values compare as numbers.
        let m: Numbers = vec![None, Some(1.0)].into();
        assert_eq!(m, vec![None, Some(1.0)].into());
        assert_ne!(m, vec![None, Some(2.0)].into());
        assert_ne!(m, vec![None].into());
    }
}
