//! [`Slab`]: the storage of a CSR array, either owned or a window of a memory-mapped
//! file (a prepared graph, [`crate::dataset::prepared`]), used in place without a copy.
//!
//! A mapped slab is checked once, when it is made: the window lies inside the map, its
//! start is aligned for `T`, and the host is little-endian (the file's byte order).
//! After that it derefs to `&[T]` like a `Vec<T>`. Writing to a mapped slab copies it
//! first ([`Slab::to_mut`]): the map itself is read-only.
//!
//! The one risk of a map, as for every program that maps files: if another process
//! truncates the file while it is mapped, reading the lost pages raises SIGBUS. The
//! prepared file is only ever replaced by a rename (the atomic writer), which leaves
//! the mapped inode intact.

use std::marker::PhantomData;
use std::sync::Arc;

use memmap2::Mmap;

/// Plain old data: any bit pattern is a valid value, no padding, no pointers.
///
/// # Safety
/// Implement only for types whose every bit pattern of `size_of::<T>()` bytes is valid.
pub unsafe trait Pod: Copy + Send + Sync + 'static {}

// SAFETY: integers have no invalid bit patterns and no padding.
unsafe impl Pod for u8 {}
// SAFETY: as above.
unsafe impl Pod for u32 {}
// SAFETY: as above.
unsafe impl Pod for u64 {}
// SAFETY: as above.
unsafe impl Pod for usize {}

/// An array, owned or mapped; derefs to `&[T]`.
pub enum Slab<T: Pod> {
    Owned(Vec<T>),
    /// `len` values of `T` starting `offset` bytes into `map`.
    Mapped {
        map: Arc<Mmap>,
        offset: usize,
        len: usize,
        _t: PhantomData<T>,
    },
}

/// Why a window of a map cannot be used as a slab.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SlabError {
    #[error(
        "the section at byte {offset} ({len} values) runs past the end of the file ({size} bytes)"
    )]
    OutOfBounds {
        offset: usize,
        len: usize,
        size: usize,
    },
    #[error("the section at byte {offset} is not aligned to {align} bytes")]
    Misaligned { offset: usize, align: usize },
    #[error("this host is big-endian; prepared graph files are little-endian")]
    BigEndian,
}

impl<T: Pod> Slab<T> {
    /// `len` values of `T` at byte `offset` of `map`, checked (bounds, alignment, byte
    /// order) so that the deref is sound.
    pub fn mapped(map: Arc<Mmap>, offset: usize, len: usize) -> Result<Slab<T>, SlabError> {
        if cfg!(target_endian = "big") && std::mem::size_of::<T>() > 1 {
            return Err(SlabError::BigEndian);
        }
        let size = map.len();
        let end = len
            .checked_mul(std::mem::size_of::<T>())
            .and_then(|b| b.checked_add(offset));
        if end.is_none_or(|e| e > size) {
            return Err(SlabError::OutOfBounds { offset, len, size });
        }
        let align = std::mem::align_of::<T>();
        if !(map.as_ptr() as usize + offset).is_multiple_of(align) {
            return Err(SlabError::Misaligned { offset, align });
        }
        Ok(Slab::Mapped {
            map,
            offset,
            len,
            _t: PhantomData,
        })
    }

    /// The values, made owned (a mapped slab is copied once) for writing.
    pub fn to_mut(&mut self) -> &mut Vec<T> {
        if let Slab::Mapped { .. } = self {
            *self = Slab::Owned(self.to_vec());
        }
        match self {
            Slab::Owned(v) => v,
            Slab::Mapped { .. } => unreachable!("made owned above"),
        }
    }

    pub fn is_mapped(&self) -> bool {
        matches!(self, Slab::Mapped { .. })
    }
}

impl<T: Pod> std::ops::Deref for Slab<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Slab::Owned(v) => v,
            Slab::Mapped {
                map, offset, len, ..
            } => {
                // SAFETY: `mapped` checked that `offset .. offset + len * size_of::<T>()`
                // lies inside the map and that its start is aligned for T; T is Pod, so
                // any bytes are a valid T; the map is read-only and lives as long as
                // `self` (the Arc), so the slice cannot outlive it.
                unsafe { std::slice::from_raw_parts(map.as_ptr().add(*offset).cast::<T>(), *len) }
            }
        }
    }
}

impl<T: Pod> From<Vec<T>> for Slab<T> {
    fn from(v: Vec<T>) -> Slab<T> {
        Slab::Owned(v)
    }
}

impl<T: Pod> Default for Slab<T> {
    fn default() -> Slab<T> {
        Slab::Owned(Vec::new())
    }
}

/// A mapped slab clones its window (the map is shared), an owned one its values.
impl<T: Pod> Clone for Slab<T> {
    fn clone(&self) -> Slab<T> {
        match self {
            Slab::Owned(v) => Slab::Owned(v.clone()),
            Slab::Mapped {
                map, offset, len, ..
            } => Slab::Mapped {
                map: Arc::clone(map),
                offset: *offset,
                len: *len,
                _t: PhantomData,
            },
        }
    }
}

/// Equal values, wherever they are stored.
impl<T: Pod + PartialEq> PartialEq for Slab<T> {
    fn eq(&self, other: &Slab<T>) -> bool {
        **self == **other
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Slab<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn map_of(bytes: &[u8]) -> Arc<Mmap> {
        let path = std::env::temp_dir().join(format!(
            "rankaudit-slab-{}-{}",
            std::process::id(),
            bytes.len()
        ));
        std::fs::File::create(&path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        let f = std::fs::File::open(&path).unwrap();
        // SAFETY: a private temporary file nobody else writes.
        let map = unsafe { Mmap::map(&f) }.unwrap();
        std::fs::remove_file(&path).unwrap();
        Arc::new(map)
    }

    #[test]
    fn mapped_slabs_read_in_place_and_copy_on_write() {
        let values: Vec<u32> = vec![7, 8, 9, 10];
        let bytes: Vec<u8> = [0u8; 8]
            .into_iter()
            .chain(values.iter().flat_map(|v| v.to_le_bytes()))
            .collect();
        let map = map_of(&bytes);
        let mut s: Slab<u32> = Slab::mapped(Arc::clone(&map), 8, 4).unwrap();
        assert!(s.is_mapped());
        assert_eq!(&*s, &values[..]);
        assert_eq!(s, Slab::from(values.clone()));
        let c = s.clone();
        s.to_mut().push(11);
        assert!(!s.is_mapped());
        assert_eq!(&*s, &[7, 8, 9, 10, 11]);
        assert_eq!(&*c, &values[..], "the clone still reads the map");
        let u: Slab<u64> = Slab::mapped(Arc::clone(&map), 8, 2).unwrap();
        assert_eq!(u[0], 7 | (8 << 32));
    }

    #[test]
    fn bad_windows_are_refused() {
        let map = map_of(&[0u8; 24]);
        assert_eq!(
            Slab::<u32>::mapped(Arc::clone(&map), 16, 3).unwrap_err(),
            SlabError::OutOfBounds {
                offset: 16,
                len: 3,
                size: 24
            }
        );
        assert!(matches!(
            Slab::<u64>::mapped(Arc::clone(&map), 4, 1),
            Err(SlabError::Misaligned { .. })
        ));
        assert!(Slab::<u64>::mapped(Arc::clone(&map), 0, usize::MAX).is_err());
        assert_eq!(Slab::<u8>::mapped(map, 24, 0).unwrap().len(), 0);
    }
}
