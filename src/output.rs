//! Writing files: everything goes through [`atomic_file`] (write to a temporary name in
//! the same folder, flush, rename), so an interrupted run leaves either the previous
//! file or the complete new one, never a truncated file under the final name. Also the
//! run manifest and file hashing.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// Write a file atomically through a callback that fills it.
pub fn atomic_file(path: &Path, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f =
            File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
        fill(&mut f)?;
        f.flush()?;
        f.sync_all().ok();
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path).with_context(|| format!("{}: cannot move into place", path.display()))
}

/// Write bytes atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_file(path, |f| {
        f.write_all(bytes)
            .with_context(|| format!("writing {}", path.display()))
    })
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut f =
        File::open(path).with_context(|| format!("{}: cannot open to hash", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("rankaudit-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("t.csv");
        write_atomic(&p, b"old").unwrap();
        let err = atomic_file(&p, |f| {
            f.write_all(b"half")?;
            anyhow::bail!("disk full")
        });
        assert!(err.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary file removed"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
