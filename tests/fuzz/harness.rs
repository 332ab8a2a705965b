//! The fuzz harness shared by the cargo-fuzz targets (`tests/fuzz/fuzz_targets/`) and
//! the stable smoke test (`tests/fuzz_smoke.rs`): one entry point per loader that turns
//! arbitrary bytes into that loader's input, runs the loader, and checks what a loader
//! may do with any input — return a dataset whose every row is accounted for, or an
//! error that names a file it was given. A panic, an abort or a hang is a failure by
//! itself (libFuzzer or `catch_unwind` sees it).
//!
//! The loaders take paths, so each input is written to a file in a per-thread scratch
//! folder (in `/dev/shm` when there is one: a tmpfs write costs microseconds) and read
//! back through the real code path, gzip detection and all.
//!
//! Input layout for the table loaders: two option bytes, then the file's bytes. The
//! option bytes pick what a study file or the quick-mode flags can pick (format and
//! delimiter, header or not, comment character, column mapping, row policies, gzip,
//! which accounts table comes with an edge table), so the fuzzer explores them as it
//! explores the text. Seed lists and study files take the bytes as they are.
//!
//! For follows, an input with no `#` is also read with `comment = "#"`, which turns the
//! parallel reader off: both readers must give the same dataset and the same counts.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rankaudit::dataset::clean::{KeepOrDrop, OnMalformed, OnUnknownId};
use rankaudit::dataset::{self, DataSpec, Dataset, Format, Policy, TableReport, TableSource};

/// One loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Accounts,
    Follows,
    Interactions,
    Seeds,
    Study,
}

impl Target {
    /// The name of the fuzz target and of its corpus folder.
    pub fn name(self) -> &'static str {
        match self {
            Target::Accounts => "accounts",
            Target::Follows => "follows",
            Target::Interactions => "interactions",
            Target::Seeds => "seeds",
            Target::Study => "study",
        }
    }

    /// How many leading bytes of an input are options (the rest is the file).
    pub fn option_bytes(self) -> usize {
        match self {
            Target::Accounts | Target::Follows | Target::Interactions => 2,
            Target::Seeds | Target::Study => 0,
        }
    }
}

/// What a loader made of an input that kept the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Loaded (and the result is consistent).
    Loaded,
    /// Refused with an error that names an input file.
    Refused,
}

/// Run one input through one loader; `Err` describes a broken contract (the caller
/// panics with it, so libFuzzer records the input).
pub fn run(target: Target, data: &[u8]) -> Result<Outcome, String> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        match target {
            Target::Seeds => {
                let path = s.write("seeds-input.txt", data);
                let r = dataset::seeds::read_seed_file(&path);
                names_a_file(r.map(drop), &[&path])
            }
            Target::Study => {
                let path = s.write("study-input.toml", data);
                let r = rankaudit::study::Study::load(&path);
                names_a_file(r.map(drop), &[&path])
            }
            Target::Accounts | Target::Follows | Target::Interactions => {
                run_table(&mut s, target, data)
            }
        }
    })
}

/// [`run`], panicking on a broken contract: the body of a fuzz target.
pub fn check(target: Target, data: &[u8]) {
    if let Err(e) = run(target, data) {
        panic!("{}: {e}", target.name());
    }
}

/// The options picked by the first two bytes of a table input.
#[derive(Clone, Copy, Debug)]
struct Options {
    b0: u8,
    b1: u8,
}

impl Options {
    fn new(data: &[u8]) -> Options {
        Options {
            b0: data.first().copied().unwrap_or(0),
            b1: data.get(1).copied().unwrap_or(0),
        }
    }

    /// Bits 0-1: `.csv` (comma), `.tsv` (tab), `.txt` with a space delimiter, or a
    /// `.dat` file declared `format = "csv"` with `;`.
    fn layout(self) -> (&'static str, Option<Format>, Option<&'static str>) {
        match self.b0 & 3 {
            0 => ("csv", None, None),
            1 => ("tsv", None, None),
            2 => ("txt", None, Some(" ")),
            _ => ("dat", Format::named("csv").ok(), Some(";")),
        }
    }
    /// Bit 2: no header line (columns are named 1, 2, ...).
    fn header(self) -> bool {
        self.b0 & 4 == 0
    }
    /// Bit 3: `comment = "#"`.
    fn comment(self) -> bool {
        self.b0 & 8 != 0
    }
    /// Bit 7: the file is gzip'd.
    fn gzip(self) -> bool {
        self.b0 & 128 != 0
    }
    /// Bits 4-6 and bits 0-1 of the second byte.
    fn policy(self) -> Policy {
        Policy {
            malformed: if self.b0 & 16 != 0 {
                OnMalformed::Skip
            } else {
                OnMalformed::Error
            },
            unknown_ids: match (self.b0 >> 5) & 3 {
                1 => OnUnknownId::Drop,
                2 => OnUnknownId::Error,
                _ => OnUnknownId::Add,
            },
            self_loops: if self.b1 & 1 != 0 {
                KeepOrDrop::Keep
            } else {
                KeepOrDrop::Drop
            },
            duplicate_follows: if self.b1 & 2 != 0 {
                KeepOrDrop::Keep
            } else {
                KeepOrDrop::Drop
            },
            ..Policy::default()
        }
    }
    /// Bits 2-3 of the second byte: the accounts table that comes with an edge table.
    fn accounts(self) -> Option<(&'static str, &'static str)> {
        match (self.b1 >> 2) & 3 {
            0 => None,
            1 => Some(("accounts-names.csv", NAME_ACCOUNTS)),
            2 => Some(("accounts-ints.csv", INT_ACCOUNTS)),
            _ => Some(("accounts-sparse.csv", SPARSE_ACCOUNTS)),
        }
    }
    /// Bit 4 of the second byte: the other column mapping (renamed columns with a
    /// header; swapped positions without).
    fn alternate(self) -> bool {
        self.b1 & 16 != 0
    }
    /// Bit 5 of the second byte: without a header, map the optional columns too.
    fn optional_columns(self) -> bool {
        self.b1 & 32 != 0
    }

    /// The column mapping for `target`.
    fn columns(self, target: Target) -> BTreeMap<String, String> {
        let pairs: &[(&str, &str)] = match (target, self.header(), self.alternate()) {
            (Target::Follows, true, true) => &[("follower", "src"), ("followee", "dst")],
            (Target::Follows, false, false) => &[("follower", "1"), ("followee", "2")],
            (Target::Follows, false, true) => &[("follower", "2"), ("followee", "1")],
            (Target::Interactions, true, true) => {
                &[("source", "from"), ("target", "to"), ("kind", "type")]
            }
            (Target::Interactions, false, alt) => {
                if alt {
                    &[("source", "2"), ("target", "1"), ("kind", "3")]
                } else {
                    &[("source", "1"), ("target", "2"), ("kind", "3")]
                }
            }
            (Target::Accounts, true, true) => &[("account", "id"), ("followers", "fans")],
            (Target::Accounts, false, _) => &[("account", "1")],
            _ => &[],
        };
        let extra: &[(&str, &str)] = match (target, self.header(), self.optional_columns()) {
            (Target::Interactions, false, true) => &[("weight", "4"), ("time", "5"), ("tag", "6")],
            (Target::Accounts, false, true) => &[("followers", "2"), ("statuses", "3")],
            _ => &[],
        };
        pairs
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn source(self, target: Target, path: &Path) -> TableSource {
        let (_, format, delimiter) = self.layout();
        let mut src = TableSource::new(path);
        src.format = format;
        src.delimiter = delimiter.map(str::to_string);
        src.header = self.header();
        src.comment = self.comment().then(|| "#".to_string());
        src.columns = self.columns(target);
        src
    }
}

/// The accounts tables that come with a fuzzed edge table: the ids of the fixtures by
/// name; small integers (the parallel reader's dense table); integers too sparse for
/// it (its hash map).
const NAME_ACCOUNTS: &str = "account\na\nb\nc\nd\ne\ns1\ns2\ns3\nalice\nbob\ncarol\ndave\nerin\n";
const INT_ACCOUNTS: &str = "account\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n";
const SPARSE_ACCOUNTS: &str = "account\n0\n1\n2\n3\n4\n5\n1000000000000\n18446744073709551615\n";
/// The follows table that comes with a fuzzed accounts table (load needs an edge table).
const FIXED_FOLLOWS: &str = "follower,followee\ns1,s2\n1,2\na,b\n";

fn run_table(s: &mut Scratch, target: Target, data: &[u8]) -> Result<Outcome, String> {
    let opts = Options::new(data);
    let body = data.get(2..).unwrap_or(&[]);
    let (ext, _, _) = opts.layout();
    let name = format!(
        "{}-input.{ext}{}",
        target.name(),
        if opts.gzip() { ".gz" } else { "" }
    );
    let path = if opts.gzip() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(body).expect("in memory");
        s.write(&name, &gz.finish().expect("in memory"))
    } else {
        s.write(&name, body)
    };
    let src = opts.source(target, &path);
    let mut spec = DataSpec {
        order: Default::default(),
        format: None,
        accounts: None,
        follows: None,
        interactions: None,
        policy: opts.policy(),
    };
    let mut files = vec![path.clone()];
    match target {
        Target::Accounts => {
            spec.accounts = Some(src.clone());
            let fixed = s.fixed("follows-fixed.csv", FIXED_FOLLOWS);
            files.push(fixed.clone());
            spec.follows = Some(TableSource::new(fixed));
        }
        _ => {
            if let Some((file, text)) = opts.accounts() {
                let fixed = s.fixed(file, text);
                files.push(fixed.clone());
                spec.accounts = Some(TableSource::new(fixed));
            }
            if target == Target::Follows {
                spec.follows = Some(src.clone());
            } else {
                spec.interactions = Some(src.clone());
            }
        }
    }
    let file_refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let got = dataset::load(&spec);
    if let Ok(ds) = &got {
        consistent(ds)?;
    }
    // The general reader must agree with the parallel one (which applies only when
    // there is no comment character).
    if target == Target::Follows && !opts.comment() && !body.contains(&b'#') {
        let mut general = spec.clone();
        if let Some(f) = general.follows.as_mut() {
            f.comment = Some("#".to_string());
        }
        agree(&got, &dataset::load(&general))?;
    }
    // The `.txt` layout read as SNAP text too (runs of blanks, `#` lines, no header):
    // the parallel reader's whitespace mode must agree with the snap importer's own
    // read (which a comment setting selects).
    if target == Target::Follows && opts.layout().0 == "txt" {
        let mut snap = spec.clone();
        if let Some(f) = snap.follows.as_mut() {
            f.format = Format::named("snap").ok();
            f.delimiter = None;
            f.comment = None;
        }
        let fast = dataset::load(&snap);
        if let Ok(ds) = &fast {
            consistent(ds)?;
        }
        let mut general = snap.clone();
        if let Some(f) = general.follows.as_mut() {
            f.comment = Some("#".to_string());
        }
        agree(&fast, &dataset::load(&general))?;
        names_a_file(fast.map(drop), &file_refs)?;
    }
    names_a_file(got.map(drop), &file_refs)
}

/// The parallel reader's dataset (or refusal) equals the general reader's.
fn agree(got: &anyhow::Result<Dataset>, want: &anyhow::Result<Dataset>) -> Result<(), String> {
    match (got, want) {
        (Ok(a), Ok(b)) => same_dataset(a, b),
        (Err(_), Err(_)) => Ok(()),
        (a, b) => Err(format!(
            "the parallel reader gives {:?} but the general reader gives {:?}",
            a.as_ref().map(drop).map_err(|e| format!("{e:#}")),
            b.as_ref().map(drop).map_err(|e| format!("{e:#}"))
        )),
    }
}

/// What every loaded dataset must satisfy.
fn consistent(ds: &Dataset) -> Result<(), String> {
    for r in &ds.reports {
        if !r.balanced() {
            return Err(format!("rows not accounted for: {r:?}"));
        }
    }
    let n = ds.accounts.len();
    if ds.follows.node_count() > n {
        return Err(format!(
            "the follow graph has {} nodes for {n} accounts",
            ds.follows.node_count()
        ));
    }
    for v in 0..ds.follows.node_count() as u32 {
        if ds.follows.neighbors(v).iter().any(|&w| w as usize >= n) {
            return Err(format!("account {v} follows an index beyond {n} accounts"));
        }
    }
    let it = &ds.interactions;
    let m = it.source.len();
    if [
        it.target.len(),
        it.kind.len(),
        it.time.len(),
        it.weight.len(),
        it.tag.len(),
    ]
    .iter()
    .any(|&l| l != m)
    {
        return Err("interaction columns of different lengths".into());
    }
    if it.source.iter().chain(&it.target).any(|&i| i as usize >= n)
        || it.kind.iter().any(|&k| k as usize >= it.kinds.len())
        || it
            .tag
            .iter()
            .flatten()
            .any(|&t| t as usize >= it.tags.len())
        || it.weight.iter().any(|w| !(w.is_finite() && *w >= 0.0))
    {
        return Err("an interaction refers beyond its tables or has a bad weight".into());
    }
    let acc = &ds.accounts;
    if acc.listed > n
        || acc.numeric.values().any(|c| c.len() != n)
        || acc.text.values().any(|c| c.len() != n)
    {
        return Err("accounts columns not padded to the number of accounts".into());
    }
    Ok(())
}

/// The parallel and the general follows reader: same ids, edges and counts (the line
/// numbers in the examples may differ after CRLF or blank lines; see the reader test).
fn same_dataset(a: &Dataset, b: &Dataset) -> Result<(), String> {
    let names = |d: &Dataset| d.accounts.ids.names().to_vec();
    let counts = |d: &Dataset| {
        d.reports
            .iter()
            .map(|r| {
                (
                    r.rows_read,
                    r.rows_used,
                    r.rows_rejected,
                    r.rejected.clone(),
                    r.notes.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    if names(a) != names(b) {
        return Err(format!(
            "the readers give different ids: {:?} vs {:?}",
            names(a),
            names(b)
        ));
    }
    if a.follows != b.follows {
        return Err(format!(
            "the readers give different edges: {:?} vs {:?}",
            a.follows, b.follows
        ));
    }
    if counts(a) != counts(b) {
        return Err(format!(
            "the readers count differently: {:?} vs {:?}",
            counts(a),
            counts(b)
        ));
    }
    Ok(())
}

/// An error must name one of the files the loader was given.
fn names_a_file(r: anyhow::Result<()>, files: &[&Path]) -> Result<Outcome, String> {
    let Err(e) = r else {
        return Ok(Outcome::Loaded);
    };
    let msg = format!("{e:#}");
    let named = files.iter().any(|f| {
        f.file_name()
            .is_some_and(|n| msg.contains(&*n.to_string_lossy()))
    });
    if named {
        Ok(Outcome::Refused)
    } else {
        Err(format!("an error names none of the input files: {msg}"))
    }
}

/// The checks above, on inputs made to break them: a clean run means something only
/// if these fire (the smoke test calls this).
pub fn self_test() -> Result<(), String> {
    let file = Path::new("/x/follows-input.csv");
    if names_a_file(Err(anyhow::anyhow!("line 2: bad row")), &[file]).is_ok() {
        return Err("an error naming no file passed".into());
    }
    let named = anyhow::anyhow!("bad row").context("/x/follows-input.csv: line 2");
    if names_a_file(Err(named), &[file]) != Ok(Outcome::Refused) {
        return Err("an error naming its file (in its context) failed".into());
    }
    let (mut a, b) = (Dataset::default(), Dataset::default());
    a.accounts.ids.intern("x");
    if same_dataset(&a, &b).is_ok() {
        return Err("datasets with different ids compared equal".into());
    }
    let mut unbalanced = Dataset::default();
    unbalanced.reports.push(TableReport {
        rows_read: 1,
        ..TableReport::default()
    });
    if consistent(&unbalanced).is_ok() {
        return Err("a report with a row not accounted for passed".into());
    }
    Ok(())
}

/// A per-thread folder for the input files; removed when the thread ends.
struct Scratch {
    dir: PathBuf,
    /// The fixed companion files written so far.
    written: Vec<&'static str>,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new());
}

impl Scratch {
    fn new() -> Scratch {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!(
            "rankaudit-fuzz-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch {
            dir,
            written: Vec::new(),
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).expect("the scratch file is written");
        path
    }

    /// A companion file, written once per thread.
    fn fixed(&mut self, name: &'static str, text: &str) -> PathBuf {
        if !self.written.contains(&name) {
            self.write(name, text.as_bytes());
            self.written.push(name);
        }
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
