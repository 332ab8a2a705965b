//! Account id <-> dense `u32` index.
//!
//! Invariant: `names[i]` is the id of index `i`, and `index[names[i]] == i`. Indices are
//! assigned in order of first appearance: the accounts table first (file order), then
//! ids first seen in follows, then in interactions. File order is deterministic, so the
//! mapping is too.

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// FxHash (rustc's hasher): ids are not attacker-chosen here, and SipHash costs more
/// than the whole parse.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The hasher of every id map.
pub(crate) type FxBuild = BuildHasherDefault<Fx>;

/// How many low bits of an id's end [`Names`] keeps per id: 32 (4 bytes); 3 in unit
/// tests, so that their short ids cross many boundaries.
#[cfg(not(test))]
const END_BITS: u32 = 32;
#[cfg(test)]
const END_BITS: u32 = 3;
const END_MASK: usize = (1 << END_BITS) - 1;

/// The ids, end to end in one text buffer. Where each id ends is kept in 4 bytes
/// (modulo 2^32) and the ids at which the text passes another 4 GiB are listed apart,
/// so that the ends cost 4 bytes an account rather than 8 at any size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    text: String,
    /// Where id `i` ends in `text`, modulo 2^32 (2^[`END_BITS`]).
    ends: Vec<u32>,
    /// The ids whose end is in a later 4 GiB than the previous id's end, once per 4 GiB
    /// passed, in order: id `i` ends at `ends[i]` + 2^32 × (entries ≤ i). Empty below
    /// 4 GiB of text.
    wraps: Vec<usize>,
}

impl Names {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Where id `i` ends in [`Self::text`].
    #[inline]
    fn end(&self, i: usize) -> usize {
        let high = if self.wraps.is_empty() {
            0
        } else {
            self.wraps.partition_point(|&w| w <= i)
        };
        self.ends[i] as usize + (high << END_BITS)
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.end(i - 1) };
        &self.text[start..self.end(i)]
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    /// The ids end to end (a prepared graph file stores this buffer as it is).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each id ends in [`Self::text`].
    pub fn ends(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        (0..self.len()).map(|i| self.end(i))
    }

    fn push(&mut self, name: &str) {
        let before = self.text.len();
        self.text.push_str(name);
        let after = self.text.len();
        for _ in before >> END_BITS..after >> END_BITS {
            self.wraps.push(self.ends.len());
        }
        self.ends.push((after & END_MASK) as u32);
    }

    fn truncate(&mut self, len: usize) {
        if len < self.len() {
            self.text
                .truncate(if len == 0 { 0 } else { self.end(len - 1) });
            self.ends.truncate(len);
            self.wraps.retain(|&w| w < len);
        }
    }

    /// The names of `text` ending at `ends` (checked by the caller).
    fn of_parts(text: String, ends: &[usize]) -> Names {
        let mut wraps = Vec::new();
        let mut before = 0;
        for (i, &end) in ends.iter().enumerate() {
            for _ in before >> END_BITS..end >> END_BITS {
                wraps.push(i);
            }
            before = end;
        }
        Names {
            text,
            ends: ends.iter().map(|&e| (e & END_MASK) as u32).collect(),
            wraps,
        }
    }
}

impl std::ops::Index<usize> for Names {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

/// A list of account names by index: the ids' [`Names`], or plain strings (tests).
pub trait NameList: Sync {
    fn count(&self) -> usize;
    fn name_at(&self, i: usize) -> &str;
}

impl NameList for Names {
    fn count(&self) -> usize {
        self.len()
    }

    fn name_at(&self, i: usize) -> &str {
        self.get(i)
    }
}

impl NameList for [String] {
    fn count(&self) -> usize {
        self.len()
    }

    fn name_at(&self, i: usize) -> &str {
        &self[i]
    }
}

impl NameList for Vec<String> {
    fn count(&self) -> usize {
        self.len()
    }

    fn name_at(&self, i: usize) -> &str {
        &self[i]
    }
}

#[derive(Clone, Default)]
pub struct Ids {
    /// Shared with the tables' account dictionary ([`Ids::shared_names`]), so the text
    /// of a million ids is held once; written only while ids are added (no one else
    /// holds it then, so no copy is made).
    names: Arc<Names>,
    /// Indices, hashed by their names.
    index: hashbrown::HashTable<u32>,
}

impl std::fmt::Debug for Ids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ids").field("names", &self.names).finish()
    }
}

fn hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    FxBuild::default().hash_one(name)
}

impl Ids {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.index
            .find(hash(name), |&i| self.names.get(i as usize) == name)
            .copied()
    }

    /// The index of `name`, adding it if new. Returns (index, was_new).
    pub fn intern(&mut self, name: &str) -> (u32, bool) {
        let h = hash(name);
        let Ids { names, index } = self;
        if let Some(&i) = index.find(h, |&i| names.get(i as usize) == name) {
            return (i, false);
        }
        let i = u32::try_from(names.len()).expect("more than 2^32 accounts");
        Arc::make_mut(names).push(name);
        index.insert_unique(h, i, |&j| hash(names.get(j as usize)));
        (i, true)
    }

    /// The ids of a text buffer and the ends of its ids (as [`Names::text`] and
    /// [`Names::ends`] give them), checked: ends non-decreasing, inside the text and on
    /// character boundaries, and no id twice. The error says which check failed.
    pub fn from_parts(text: String, ends: Vec<usize>) -> Result<Ids, String> {
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            if end < start || end > text.len() || !text.is_char_boundary(end) {
                return Err(format!("id {i} ends at byte {end}, outside the id text"));
            }
            start = end;
        }
        if start != text.len() {
            return Err(format!(
                "the ids end at byte {start}, but the id text has {} bytes",
                text.len()
            ));
        }
        Ids::indexed(Names::of_parts(text, &ends), true)
    }

    /// The ids `names` with their index; with `check`, an id listed twice is an error.
    fn indexed(names: Names, check: bool) -> Result<Ids, String> {
        let mut index = hashbrown::HashTable::with_capacity(names.len());
        for i in 0..names.len() {
            let name = names.get(i);
            let h = hash(name);
            if check
                && index
                    .find(h, |&j: &u32| names.get(j as usize) == name)
                    .is_some()
            {
                return Err(format!("the id {name:?} is listed twice"));
            }
            index.insert_unique(h, i as u32, |&j| hash(names.get(j as usize)));
        }
        Ok(Ids {
            names: Arc::new(names),
            index,
        })
    }

    /// The same ids with id `order[k]` at index `k` (`order` a permutation of the
    /// indices).
    pub fn reordered(&self, order: &[u32]) -> Ids {
        debug_assert_eq!(order.len(), self.len());
        let mut names = Names {
            text: String::with_capacity(self.names.text.len()),
            ends: Vec::with_capacity(order.len()),
            wraps: Vec::new(),
        };
        for &i in order {
            names.push(self.names.get(i as usize));
        }
        // A permutation of distinct ids: nothing to check.
        Ids::indexed(names, false).expect("unchecked")
    }

    /// Room for `additional` more ids without growing the index.
    pub fn reserve(&mut self, additional: usize) {
        let Ids { names, index } = self;
        index.reserve(additional, |&j| hash(names.get(j as usize)));
        Arc::make_mut(names).ends.reserve(additional);
    }

    /// Forget every index from `len` on (a table read again from the start).
    pub fn truncate(&mut self, len: usize) {
        if len < self.len() {
            self.index.retain(|&mut i| (i as usize) < len);
            Arc::make_mut(&mut self.names).truncate(len);
        }
    }

    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize)
    }

    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The names, shared (not copied): for a dictionary of ids that lives as long as
    /// it is used.
    pub fn shared_names(&self) -> Arc<Names> {
        self.names.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ends past many multiples of 2^END_BITS (8 bytes in tests), an id longer than
    /// several of them, truncation back across a boundary, and rebuilding from parts.
    #[test]
    fn names_read_back_across_end_boundaries() {
        let names: Vec<String> = [
            "a",
            "bcdefgh",
            "ij",
            "klmnopqrstuvwxyz0123",
            "",
            "é",
            "45678",
        ]
        .iter()
        .cycle()
        .take(40)
        .enumerate()
        .map(|(i, n)| format!("{n}{i}"))
        .collect();
        let mut ids = Ids::new();
        for n in &names {
            ids.intern(n);
        }
        assert!(ids.names().text().len() > 16 << END_BITS);
        assert_eq!(ids.names().to_vec(), names);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ids.get(n), Some(i as u32));
        }
        let ends: Vec<usize> = ids.names().ends().collect();
        assert_eq!(*ends.last().unwrap(), ids.names().text().len());
        let back = Ids::from_parts(ids.names().text().into(), ends).unwrap();
        assert_eq!(back.names(), ids.names());
        for keep in [25, 7, 3, 0] {
            ids.truncate(keep);
            assert_eq!(ids.names().to_vec(), names[..keep]);
            for n in &names[keep..] {
                ids.intern(n);
            }
            assert_eq!(ids.names().to_vec(), names);
            assert_eq!(ids.names(), back.names());
        }
    }

    #[test]
    fn interning_is_stable() {
        let mut ids = Ids::new();
        assert_eq!(ids.intern("b"), (0, true));
        assert_eq!(ids.intern("a"), (1, true));
        assert_eq!(ids.intern("b"), (0, false));
        assert_eq!(ids.get("a"), Some(1));
        assert_eq!(ids.name(1), "a");
        assert_eq!(ids.get("zzz"), None);
    }

    #[test]
    fn ids_rebuild_from_their_parts_and_bad_parts_are_refused() {
        let mut ids = Ids::new();
        for n in ["b", "é", "a"] {
            ids.intern(n);
        }
        let back =
            Ids::from_parts(ids.names().text().into(), ids.names().ends().collect()).unwrap();
        assert_eq!(back.names(), ids.names());
        assert_eq!(back.get("a"), Some(2));
        assert!(
            Ids::from_parts("ab".into(), vec![1, 1, 2]).is_ok(),
            "an empty id is an id"
        );
        assert!(
            Ids::from_parts("aa".into(), vec![1, 2])
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            Ids::from_parts("é".into(), vec![1, 2]).is_err(),
            "inside a character"
        );
        assert!(Ids::from_parts("ab".into(), vec![2, 1]).is_err());
        assert!(Ids::from_parts("abc".into(), vec![2]).is_err());
    }
}
