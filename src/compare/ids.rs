//! A lookup from account id to a small value, for the comparison measures.
//!
//! Account ids are dense indices (0..n), so a vector indexed by id beats hashing by an
//! order of magnitude on million-account rankings. Ids that are sparse relative to
//! the list (arbitrary `u32`s, as the measures' own tests use) fall back to a hash map,
//! so no input can make the lookup allocate more than a small multiple of its length.

use std::collections::HashMap;

/// Id -> `u32` value, absent ids have no value.
pub(crate) enum IdIndex {
    /// `u32::MAX` marks an absent id.
    Dense(Vec<u32>),
    Sparse(HashMap<u32, u32>),
}

impl IdIndex {
    /// An empty index for ids up to `max_id`, expecting about `len` entries.
    pub(crate) fn new(max_id: Option<u32>, len: usize) -> IdIndex {
        match max_id {
            None => IdIndex::Dense(Vec::new()),
            Some(m) if (m as usize) <= 8 * len + 1024 => {
                IdIndex::Dense(vec![u32::MAX; m as usize + 1])
            }
            Some(_) => IdIndex::Sparse(HashMap::with_capacity(len)),
        }
    }

    /// An index sized for the ids of `ids`.
    pub(crate) fn for_ids(ids: impl Iterator<Item = u32>, len: usize) -> IdIndex {
        IdIndex::new(ids.max(), len)
    }

    pub(crate) fn get(&self, id: u32) -> Option<u32> {
        match self {
            IdIndex::Dense(v) => v.get(id as usize).copied().filter(|&x| x != u32::MAX),
            IdIndex::Sparse(m) => m.get(&id).copied(),
        }
    }

    /// Set `id -> value` unless `id` already has a value; true if it was set.
    /// `value` must not be `u32::MAX`.
    pub(crate) fn insert_new(&mut self, id: u32, value: u32) -> bool {
        debug_assert_ne!(value, u32::MAX);
        match self {
            IdIndex::Dense(v) => {
                let i = id as usize;
                if i >= v.len() {
                    v.resize(i + 1, u32::MAX);
                }
                if v[i] == u32::MAX {
                    v[i] = value;
                    true
                } else {
                    false
                }
            }
            IdIndex::Sparse(m) => match m.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => false,
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value);
                    true
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_agree() {
        for mut idx in [
            IdIndex::new(Some(10), 4),
            IdIndex::new(Some(u32::MAX - 1), 4),
        ] {
            assert!(idx.insert_new(3, 7));
            assert!(!idx.insert_new(3, 8));
            assert_eq!(idx.get(3), Some(7));
            assert_eq!(idx.get(4), None);
            assert_eq!(idx.get(u32::MAX - 1), None);
        }
    }
}
