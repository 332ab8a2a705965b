//! A numeric account column: one value per account or a missing mark.
//!
//! An `Option<f64>` takes 16 bytes; a column of millions of accounts is held from the
//! load to the end of an audit, so it is stored in one of two compact forms:
//! - **counts**: while every value is a whole number from 0 to 2^32 − 2 (followers,
//!   posts: what count columns hold), a `u32` each (4 bytes), `u32::MAX` = missing;
//! - **any**: otherwise an `f64` each (8 bytes), NaN = missing, which no value can be:
//!   every reader of numbers rejects non-finite ones ([`super::load`]'s `exact_number`,
//!   the importers), and the setters refuse NaN.
//!
//! A column starts as counts and becomes "any" (once, for good) at its first value that
//! is not a count; −0.0 is not one (it must read back with its sign). Either form reads
//! back exactly the values stored. Readers see `Option<f64>` through [`Numbers::get`]
//! and [`Numbers::iter`], so the policy stays in this file.

/// A numeric column (see the module docs).
#[derive(Debug, Clone)]
pub struct Numbers(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Counts(Vec<u32>),
    Any(Vec<f64>),
}

impl Default for Numbers {
    fn default() -> Numbers {
        Numbers(Repr::Counts(Vec::new()))
    }
}

/// `u32::MAX` marks a missing count.
const MISSING: u32 = u32::MAX;

/// `v` as a count, if it is one (see the module docs); None for missing.
fn as_count(v: Option<f64>) -> Option<u32> {
    match v {
        None => Some(MISSING),
        Some(x) if x.fract() == 0.0 && x.is_sign_positive() && x < MISSING as f64 => Some(x as u32),
        Some(_) => None,
    }
}

fn of_count(c: u32) -> Option<f64> {
    (c != MISSING).then_some(c as f64)
}

fn of_any(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

fn to_any(v: Option<f64>) -> f64 {
    debug_assert!(v.is_none_or(|x| !x.is_nan()));
    v.unwrap_or(f64::NAN)
}

/// Equal as the `Vec<Option<f64>>` of the values: missing equals missing (NaN would
/// not), and values compare as `f64`s, whatever the form.
impl PartialEq for Numbers {
    fn eq(&self, other: &Numbers) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Numbers {
    /// The value of account `i` (None: missing). Panics past the end, as indexing does.
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        match &self.0 {
            Repr::Counts(v) => of_count(v[i]),
            Repr::Any(v) => of_any(v[i]),
        }
    }

    /// The column in the "any" form, from here on.
    fn widen(&mut self) -> &mut Vec<f64> {
        if let Repr::Counts(v) = &self.0 {
            let wide: Vec<f64> = v.iter().map(|&c| to_any(of_count(c))).collect();
            self.0 = Repr::Any(wide);
        }
        match &mut self.0 {
            Repr::Any(v) => v,
            Repr::Counts(_) => unreachable!("widened above"),
        }
    }

    /// Set account `i`'s value. A value is never NaN (that is the missing mark).
    pub fn set(&mut self, i: usize, v: Option<f64>) {
        if let Repr::Counts(c) = &mut self.0
            && let Some(x) = as_count(v)
        {
            c[i] = x;
            return;
        }
        self.widen()[i] = to_any(v);
    }

    pub fn push(&mut self, v: Option<f64>) {
        if let Repr::Counts(c) = &mut self.0
            && let Some(x) = as_count(v)
        {
            c.push(x);
            return;
        }
        self.widen().push(to_any(v));
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Counts(v) => v.len(),
            Repr::Any(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every account's value, in account order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<f64>> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Grow (with missing values) or cut to `n` accounts.
    pub fn resize(&mut self, n: usize) {
        match &mut self.0 {
            Repr::Counts(v) => v.resize(n, MISSING),
            Repr::Any(v) => v.resize(n, f64::NAN),
        }
    }

    /// The column with account `i` taken from account `from[i]` of this one.
    pub fn gather(&self, from: &[u32]) -> Numbers {
        Numbers(match &self.0 {
            Repr::Counts(v) => Repr::Counts(from.iter().map(|&j| v[j as usize]).collect()),
            Repr::Any(v) => Repr::Any(from.iter().map(|&j| v[j as usize]).collect()),
        })
    }

    /// No spare capacity.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.0 {
            Repr::Counts(v) => v.shrink_to_fit(),
            Repr::Any(v) => v.shrink_to_fit(),
        }
    }

    /// Bytes held per account: 4 in the counts form, 8 otherwise.
    pub fn bytes_per_value(&self) -> usize {
        match &self.0 {
            Repr::Counts(_) => 4,
            Repr::Any(_) => 8,
        }
    }
}

impl From<Vec<Option<f64>>> for Numbers {
    /// A new buffer of 4 or 8 bytes a value: collecting the vector's own items would
    /// reuse its 16-byte-a-value allocation in place, and save nothing.
    fn from(v: Vec<Option<f64>>) -> Numbers {
        v.iter().copied().collect()
    }
}

impl FromIterator<Option<f64>> for Numbers {
    fn from_iter<I: IntoIterator<Item = Option<f64>>>(it: I) -> Numbers {
        let it = it.into_iter();
        let mut n = Numbers(Repr::Counts(Vec::with_capacity(it.size_hint().0)));
        for v in it {
            n.push(v);
        }
        n
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
        assert_eq!(c.bytes_per_value(), 8, "1.5 is not a count");
        let big: Numbers = vec![None; 1000].into();
        assert!(
            matches!(&big.0, Repr::Counts(v) if v.capacity() < 1100),
            "counts, not the source's allocation"
        );
        // Missing equals missing; values compare as numbers.
        let m: Numbers = vec![None, Some(1.0)].into();
        assert_eq!(m, vec![None, Some(1.0)].into());
        assert_ne!(m, vec![None, Some(2.0)].into());
        assert_ne!(m, vec![None].into());
    }

    /// Counts stay 4 bytes a value until a value that is not one (fraction, negative,
    /// −0.0, 2^32 − 1 or more) arrives, by push or set; the values read back exactly in
    /// both forms, before and after the change.
    #[test]
    fn counts_are_narrow_until_a_value_is_not_one() {
        for odd in [0.5, -1.0, -0.0, u32::MAX as f64, 1e300] {
            let mut c: Numbers = vec![Some(3.0), None, Some(0.0), Some(4294967294.0)].into();
            assert_eq!(c.bytes_per_value(), 4);
            c.resize(5);
            c.set(4, Some(12.0));
            assert_eq!(c.bytes_per_value(), 4);
            let before: Vec<_> = c.iter().collect();
            assert_eq!(
                before,
                [Some(3.0), None, Some(0.0), Some(4294967294.0), Some(12.0)]
            );
            let mut pushed = c.clone();
            pushed.push(Some(odd));
            c.set(1, Some(odd));
            for (col, at) in [(&pushed, 5), (&c, 1)] {
                assert_eq!(col.bytes_per_value(), 8, "{odd}");
                let got = col.get(at).unwrap();
                assert_eq!(
                    got.to_bits(),
                    odd.to_bits(),
                    "{odd} reads back with its bits"
                );
            }
            assert_eq!(pushed.iter().take(5).collect::<Vec<_>>(), before);
            assert_eq!(
                c.gather(&[1, 0]).iter().collect::<Vec<_>>(),
                [Some(odd), Some(3.0)]
            );
            // Equal across forms.
            let narrow: Numbers = before.clone().into();
            let mut wide = narrow.clone();
            wide.widen();
            assert_eq!(narrow, wide);
        }
    }
}
