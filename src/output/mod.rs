//! Everything written: result tables ([`tables`], CSV + Parquet; declared as rows in
//! [`rows`]), the audit's tables and manifest record ([`audit`]), the graph handoffs
//! ([`graph_files`]), the Jupyter notebook ([`notebook`]), the run manifest and file
//! hashing, all through one atomic file writer. A new output format is one file
//! here.
//!
//! Writing files: everything goes through [`atomic_file`] (write to a temporary name in
//! the same folder, flush, rename), so an interrupted run leaves either the previous
//! file or the complete new one, never a truncated file under the final name. Also the
//! run manifest ([`write_manifest`], for audits and quick mode alike) and file hashing.
//!
//! A folder is consistent or visibly unfinished: a run calls [`begin_run`] before it
//! writes its first file, which removes the previous run's manifest and then every file
//! that manifest listed (the report among them), and writes its own manifest last. So a
//! folder with a manifest holds exactly the files that manifest lists, with the hashes
//! it records; a folder without one is a run that did not finish. (A staging folder
//! renamed at the end was the alternative; it needs two renames with a window in which
//! the folder is missing, and it would take along any file of the user's in it.)

pub mod audit;
pub mod canonical;
pub mod graph_files;
pub mod notebook;
pub mod rows;
pub mod shard;
pub mod tables;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dataset::{PreparedUse, TableReport};

/// The manifest's name in a run folder.
pub const MANIFEST: &str = "manifest.json";

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

/// Make `out` visibly unfinished before a run writes into it: remove the previous
/// manifest (first, so that an interruption at any later point leaves no manifest),
/// then every output it listed and `report.md` / `report.html`, and the temporary files
/// an interrupted write left. Only files the previous run wrote are removed: the paths
/// its manifest lists inside `out`, never anything else of the folder.
pub fn begin_run(out: &Path) -> Result<()> {
    let manifest = out.join(MANIFEST);
    let listed = fs::read(&manifest)
        .ok()
        .map(|bytes| listed_outputs(&bytes))
        .unwrap_or_default();
    remove_if_present(&manifest)?;
    // The removal reaches the disk before the new run's first file does.
    if let Ok(d) = File::open(out) {
        d.sync_all().ok();
    }
    for rel in listed
        .iter()
        .map(PathBuf::from)
        .chain(["report.md".into(), "report.html".into()])
    {
        remove_if_present(&out.join(rel))?;
    }
    for dir in [
        out.to_path_buf(),
        out.join("tables"),
        out.join("figures"),
        out.join("graph"),
    ] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if is_temporary(&e.file_name().to_string_lossy()) {
                remove_if_present(&e.path())?;
            }
        }
    }
    Ok(())
}

/// The output paths a manifest lists, those that stay inside the run folder (relative,
/// no `..`); an unreadable manifest lists nothing.
fn listed_outputs(manifest: &[u8]) -> Vec<String> {
    let Ok(m) = serde_json::from_slice::<serde_json::Value>(manifest) else {
        return Vec::new();
    };
    m.get("outputs")
        .and_then(|o| o.as_array())
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("path")?.as_str())
        .filter(|p| {
            !p.is_empty()
                && Path::new(p)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
        })
        .map(String::from)
        .collect()
}

/// `.NAME.tmp-PID`: what [`atomic_file`] writes before the rename.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

fn remove_if_present(p: &Path) -> Result<()> {
    match fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).with_context(|| {
            format!(
                "{}: cannot remove this file of the previous run; remove it by hand or choose another --out",
                p.display()
            )
        }),
        _ => Ok(()),
    }
}

/// One input file in the manifest.
#[derive(Serialize)]
struct InputFile {
    path: String,
    bytes: u64,
    sha256: String,
}

/// One output file in the manifest, its path relative to the run folder.
#[derive(Serialize)]
struct OutputFile {
    path: String,
    sha256: String,
}

/// What a manifest records of a run, whatever the mode.
pub struct RunRecord<'a, M: Serialize> {
    /// The mode's own fields, placed after `version` (an audit: the study, its file and
    /// seed; quick mode: the command and its settings).
    pub mode: M,
    /// Every file read (data, seed lists, the study), hashed.
    pub inputs: Vec<PathBuf>,
    /// Hashes already known ([`crate::dataset::Dataset::known_sha256`]: a prepared
    /// graph file's record of its follows file), used instead of reading the file.
    pub known_sha256: &'a BTreeMap<PathBuf, String>,
    /// The prepared graph file used, if any: recorded as `prepared_graph`, after the
    /// timings (the one field by which such a run's manifest differs).
    pub prepared: Option<&'a PreparedUse>,
    /// The row accounting of every table read.
    pub tables_read: &'a [TableReport],
    pub accounts: usize,
    pub accounts_listed: usize,
    pub population: usize,
    /// (nodes, edges) of the follow graph.
    pub follow_graph: (usize, usize),
    /// One record per ranking (see [`audit::ranking_record`]).
    pub rankings: Vec<serde_json::Value>,
    /// The perturbation families run (an audit; None in quick mode).
    pub perturbations: Option<Vec<serde_json::Value>>,
}

#[derive(Serialize)]
struct Manifest<'a, M: Serialize> {
    tool: &'static str,
    version: &'static str,
    #[serde(flatten)]
    mode: &'a M,
    threads: usize,
    inputs: Vec<InputFile>,
    tables_read: &'a [TableReport],
    accounts: usize,
    accounts_listed: usize,
    population: usize,
    follow_graph: serde_json::Value,
    rankings: &'a [serde_json::Value],
    #[serde(skip_serializing_if = "Option::is_none")]
    perturbations: &'a Option<Vec<serde_json::Value>>,
    outputs: Vec<OutputFile>,
    timings_seconds: &'a BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prepared_graph: Option<&'a PreparedUse>,
}

/// Write `out/manifest.json`, atomically. Call it last: its presence says the run
/// finished and every file in `outputs` is complete (it records their hashes).
pub fn write_manifest<M: Serialize>(
    rec: &RunRecord<M>,
    out: &Path,
    outputs: &[PathBuf],
    timings: &BTreeMap<String, f64>,
) -> Result<()> {
    // Inputs can be large (hundreds of MB of follows): hashed in parallel.
    let inputs = rec
        .inputs
        .par_iter()
        .map(|p| {
            Ok(InputFile {
                path: p.display().to_string(),
                bytes: fs::metadata(p).map(|m| m.len()).unwrap_or(0),
                sha256: match rec.known_sha256.get(p) {
                    Some(h) => h.clone(),
                    None => sha256_file(p)?,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let outs = outputs
        .par_iter()
        .map(|p| {
            Ok(OutputFile {
                path: p.strip_prefix(out).unwrap_or(p).display().to_string(),
                sha256: sha256_file(p)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let m = Manifest {
        tool: "rankaudit",
        version: env!("CARGO_PKG_VERSION"),
        mode: &rec.mode,
        threads: rayon::current_num_threads(),
        inputs,
        tables_read: rec.tables_read,
        accounts: rec.accounts,
        accounts_listed: rec.accounts_listed,
        population: rec.population,
        follow_graph: serde_json::json!({"nodes": rec.follow_graph.0, "edges": rec.follow_graph.1}),
        rankings: &rec.rankings,
        perturbations: &rec.perturbations,
        outputs: outs,
        timings_seconds: timings,
        prepared_graph: rec.prepared,
    };
    let json = serde_json::to_string_pretty(&m)?;
    write_atomic(&out.join(MANIFEST), json.as_bytes())
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

    /// begin_run removes the manifest, what it listed (inside the folder only), the
    /// report and temporary files, and nothing else.
    #[test]
    fn begin_run_removes_only_the_previous_run() {
        let dir = std::env::temp_dir().join(format!("rankaudit-begin-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("tables")).unwrap();
        let outside =
            std::env::temp_dir().join(format!("rankaudit-outside-{}", std::process::id()));
        fs::write(&outside, "keep").unwrap();
        for f in [
            "tables/a.csv",
            "tables/mine.csv",
            "report.md",
            "report.html",
            "notes.txt",
            "tables/.a.csv.tmp-123",
            ".tmp-notes",
        ] {
            fs::write(dir.join(f), "x").unwrap();
        }
        let manifest = serde_json::json!({"outputs": [
            {"path": "tables/a.csv"},
            {"path": "report.md"},
            {"path": outside.display().to_string()},
            {"path": "../escape.csv"},
        ]});
        fs::write(dir.join(MANIFEST), manifest.to_string()).unwrap();
        begin_run(&dir).unwrap();
        let mut left: Vec<String> = ["", "tables"]
            .iter()
            .flat_map(|sub| fs::read_dir(dir.join(sub)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        left.sort();
        assert_eq!(left, vec![".tmp-notes", "notes.txt", "tables/mine.csv"]);
        assert!(
            outside.exists(),
            "a path outside the folder is never removed"
        );
        // Again on a folder with no manifest: nothing to do, no error.
        begin_run(&dir).unwrap();
        begin_run(&dir.join("missing")).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_file(&outside).unwrap();
    }
}
