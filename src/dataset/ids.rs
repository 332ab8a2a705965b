//! Account id <-> dense `u32` index.
//!
//! Invariant: `names[i]` is the id of index `i`, and `index[names[i]] == i`. Indices are
//! assigned in order of first appearance: the accounts table first (file order), then
//! ids first seen in follows, then in interactions. File order is deterministic, so the
//! mapping is too.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

#[derive(Debug, Clone, Default)]
pub struct Ids {
    names: Vec<String>,
    index: HashMap<String, u32, FxBuild>,
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
        self.index.get(name).copied()
    }

    /// The index of `name`, adding it if new. Returns (index, was_new).
    pub fn intern(&mut self, name: &str) -> (u32, bool) {
        if let Some(&i) = self.index.get(name) {
            return (i, false);
        }
        let i = u32::try_from(self.names.len()).expect("more than 2^32 accounts");
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        (i, true)
    }

    /// Forget every index from `len` on (a table read again from the start).
    pub fn truncate(&mut self, len: usize) {
        for name in self.names.drain(len.min(self.names.len())..) {
            self.index.remove(&name);
        }
    }

    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
