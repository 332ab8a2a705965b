//! Fuzz smoke run (stable, part of CI): every committed corpus input (tests/fuzz/corpus)
//! and a few thousand deterministic mutations of them, through every loader, with the
//! harness the cargo-fuzz targets use (tests/fuzz/harness.rs). Each input must load
//! into a consistent dataset or be refused with an error naming an input file; a panic
//! fails the test with the input printed. The long coverage-guided campaign is
//! `cargo fuzz` (tests/fuzz/README.md); this keeps its contract from regressing in
//! seconds.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

// `check` (panic on a broken contract) is the fuzz targets' entry, unused here.
#[allow(dead_code)]
#[path = "fuzz/harness.rs"]
mod harness;

use harness::{Outcome, Target, run};

/// Mutated inputs per loader (spread over its corpus inputs in turn).
const MUTATIONS: usize = 10_000;

/// splitmix64: a fixed sequence, so a failure here reproduces on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, k: usize) -> usize {
        (self.next() % k.max(1) as u64) as usize
    }
}

/// Byte strings the loaders treat specially: delimiters, quotes, line ends, comments, a
/// byte-order mark, NUL, invalid UTF-8, numbers at and past every limit, TOML syntax.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b"\r",
    b"\r\n",
    b"\n",
    b"\n\n",
    b",",
    b"\t",
    b" ",
    b";",
    b"#",
    b"@",
    b"\xef\xbb\xbf",
    b"\0",
    b"\xff\xfe",
    b"\xc3",
    b"0",
    b"-0",
    b"007",
    b"-1",
    b"1.5",
    b"1e300",
    b"1e400",
    b"NaN",
    b"inf",
    b"9007199254740993",
    b"4294967295",
    b"4294967296",
    b"9223372036854775807",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999999999",
    b"2012-07-01T00:02:52Z",
    b"9999-12-31T23:59:60+23:59",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b"'",
    b"\n[study]\n",
    b"\n[[ranking]]\n",
    b"replicates = ",
    b"top_n = 0",
];

fn mutate(rng: &mut Rng, base: &[u8], corpus: &[Vec<u8>], options: usize) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.insert(at, rng.next() as u8),
            2 => {
                let end = (at + 1 + rng.below(8)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 | 4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                v.splice(at..at, t.iter().copied());
            }
            5 => {
                // Splice in a piece of another input.
                let other = &corpus[rng.below(corpus.len())];
                let s = rng.below(other.len() + 1);
                let e = (s + rng.below(64)).min(other.len());
                v.splice(at..at, other[s..e].iter().copied());
            }
            6 => {
                // Repeat a piece (repeated lines, ids, tables).
                let e = (at + rng.below(80)).min(v.len());
                let piece = v[at..e].to_vec();
                for _ in 0..1 + rng.below(3) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            7 => v.truncate(at),
            _ if options > 0 && !v.is_empty() => {
                // Other options: the same text read another way.
                let i = rng.below(options.min(v.len()));
                v[i] = rng.next() as u8;
            }
            _ => {}
        }
    }
    v
}

fn corpus(target: Target) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target.name());
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{}: too few corpus inputs", dir.display());
    files
}

/// Run `data`, turning a panic or a broken contract into a message.
fn case(target: Target, data: &[u8]) -> Result<Outcome, String> {
    match catch_unwind(AssertUnwindSafe(|| run(target, data))) {
        Ok(r) => r,
        Err(p) => Err(format!(
            "panic: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

fn smoke(target: Target) {
    let files = corpus(target);
    let all: Vec<Vec<u8>> = files.iter().map(|f| f.1.clone()).collect();
    let mut rng = Rng(0x5EED_0000 + target as u64);
    let mut failures = Vec::new();
    let mut loaded = 0;
    let mut refused = 0;
    for (name, data) in &files {
        match case(target, data) {
            Ok(Outcome::Loaded) => loaded += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(e) => failures.push(format!("corpus {name}: {e}")),
        }
    }
    for k in 0..MUTATIONS {
        let (name, data) = &files[k % files.len()];
        let m = mutate(&mut rng, data, &all, target.option_bytes());
        match case(target, &m) {
            Ok(Outcome::Loaded) => loaded += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(e) => failures.push(format!(
                "{name} mutation {k}: {e}\ninput: {:?}",
                String::from_utf8_lossy(&m)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{}: {} of {} inputs broke the contract; first:\n{}",
        target.name(),
        failures.len(),
        loaded + refused + failures.len(),
        failures[..failures.len().min(3)].join("\n\n")
    );
    eprintln!("{}: {loaded} loaded, {refused} refused", target.name());
    // Both outcomes must be common (2% each at least), or the mutations explore one side.
    let total = loaded + refused;
    assert!(
        loaded * 50 >= total && refused * 50 >= total,
        "{}: {loaded} loaded, {refused} refused",
        target.name()
    );
}

#[test]
fn fuzz_smoke_accounts() {
    smoke(Target::Accounts);
}

#[test]
fn fuzz_smoke_follows() {
    smoke(Target::Follows);
}

#[test]
fn fuzz_smoke_interactions() {
    smoke(Target::Interactions);
}

#[test]
fn fuzz_smoke_seeds() {
    smoke(Target::Seeds);
}

#[test]
fn fuzz_smoke_study() {
    smoke(Target::Study);
}

/// The harness's own checks fire: an error that names no input file, and the two
/// follows readers disagreeing, are reported (so a clean smoke run means something).
#[test]
fn fuzz_harness_checks_fire() {
    assert!(harness::self_test().is_ok(), "{:?}", harness::self_test());
}

/// Replays the fuzz inputs under `RANKAUDIT_FUZZ_CORPUS` (one folder per target, e.g. a
/// campaign's `/tmp/rankaudit-fuzz/corpus`) through the harness on stable: to check a
/// campaign's inputs on the stable build, and for its line coverage
/// (tests/fuzz/coverage.sh). Without the variable there is nothing to replay.
#[test]
#[ignore = "replays RANKAUDIT_FUZZ_CORPUS; see tests/fuzz/coverage.sh"]
fn fuzz_corpus_replay() {
    let Some(root) = std::env::var_os("RANKAUDIT_FUZZ_CORPUS") else {
        return;
    };
    let mut failures = Vec::new();
    let mut replayed = 0;
    for target in [
        Target::Accounts,
        Target::Follows,
        Target::Interactions,
        Target::Seeds,
        Target::Study,
    ] {
        let dir = PathBuf::from(&root).join(target.name());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            replayed += 1;
            if let Err(e) = case(target, &std::fs::read(&p).unwrap()) {
                failures.push(format!("{}: {e}", p.display()));
            }
        }
    }
    eprintln!("replayed {replayed} inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
