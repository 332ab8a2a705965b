//! Pseudonymisation (`[privacy]`, quick mode's `--pseudonymise`): accounts that are not
//! public get a stable keyed pseudonym in place of their id and label, in the loaded
//! [`Dataset`] and the resolved seed lists, so every table, chart, report and manifest
//! written afterwards shows only the pseudonym.
//!
//! It runs after everything that matches accounts by their real id or label (the
//! population rule, seed lists, the study's checks against the data) and after the tie
//! order is taken from the real ids, so ranks, scores and row order equal an
//! un-pseudonymised run's. The policy (methodology.md, "Pseudonymisation"):
//!
//! - pseudonym = `anon-` + the first 60 bits of HMAC-SHA256(key, context ‖ id), where
//!   context is `rankaudit-pseudonym-v1` and a NUL byte, in lowercase RFC 4648 base32
//!   (12 characters): the same id and key give the same pseudonym in every run; without
//!   the key nobody can compute it from a guessed id;
//! - a private account's label becomes its pseudonym; its values in the identifying text
//!   columns (`drop_columns`, by default [`IDENTIFYING_COLUMNS`]) are blanked;
//! - the row-rejection examples of the manifest (file locations with the offending text)
//!   are withheld, since they may quote an id;
//! - two accounts whose new ids would collide are an error (never a silent merge);
//! - the key is never written anywhere, and its file is not hashed into the manifest.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Dataset;
use super::ids::Ids;
use super::schema::LABEL;
use super::select::{SeedIds, SeedList};

/// What every pseudonym starts with.
pub const PREFIX: &str = "anon-";
/// Base32 characters after the prefix: 60 bits, so a collision among a million accounts
/// has probability about 10^12 / 2^61 = 4e-7 (and is refused, not merged).
pub const PSEUDONYM_CHARS: usize = 12;
/// The shortest key accepted: a key is the only secret between a guessed id and its
/// pseudonym, so it must not be guessable itself.
pub const MIN_KEY_BYTES: usize = 16;
/// Domain separation: a key reused for another HMAC never yields these values.
const CONTEXT: &[u8] = b"rankaudit-pseudonym-v1\0";

/// Text columns blanked for private accounts unless the study names its own.
pub const IDENTIFYING_COLUMNS: &[&str] = &[
    "name",
    "display_name",
    "screen_name",
    "username",
    "handle",
    "description",
    "bio",
    "url",
    "email",
    "location",
];

/// Whom to pseudonymise.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every account.
    All,
    /// Every account whose `public_column` is not true (a missing value is not public).
    NonPublic,
}

impl Scope {
    pub fn named(s: &str) -> Result<Scope> {
        match s {
            "all" => Ok(Scope::All),
            "non-public" => Ok(Scope::NonPublic),
            o => bail!("{o:?}: use all or non-public"),
        }
    }
}

fn default_public_column() -> String {
    "public".into()
}

fn default_drop_columns() -> Vec<String> {
    IDENTIFYING_COLUMNS.iter().map(|s| s.to_string()).collect()
}

/// `[privacy]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySpec {
    pub pseudonymise: Scope,
    /// The accounts column saying who is public (true/false, 1/0, yes/no).
    #[serde(default = "default_public_column")]
    pub public_column: String,
    /// A file holding the key. Not echoed into the manifest: its path says where the
    /// secret lives, which no reader of the outputs needs.
    #[serde(default, skip_serializing)]
    pub key_file: Option<PathBuf>,
    /// An environment variable holding the key (its name is echoed, never its value).
    #[serde(default)]
    pub key_env: Option<String>,
    /// Text columns blanked for private accounts.
    #[serde(default = "default_drop_columns")]
    pub drop_columns: Vec<String>,
}

impl PrivacySpec {
    /// The problem with the key settings, if any (exactly one source).
    pub fn key_source_problem(&self) -> Option<&'static str> {
        match (&self.key_file, &self.key_env) {
            (Some(_), Some(_)) => {
                Some("give the key by key_file or by key_env, not both; remove one of them")
            }
            (None, None) => Some(
                "no key: add key_file = \"PATH\" (a file with at least 16 random bytes, e.g. `head -c 32 /dev/urandom | base64 > PATH`) or key_env = \"VAR\" (an environment variable holding such a key)",
            ),
            _ => None,
        }
    }

    /// Read the key from its file or variable.
    pub fn key(&self) -> Result<Key, KeyError> {
        match (&self.key_file, &self.key_env) {
            (Some(p), None) => Key::from_file(p),
            (None, Some(v)) => Key::from_env(v),
            _ => Err(KeyError::Source),
        }
    }
}

/// Why no key could be had. Each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the pseudonym key comes from exactly one of a key file and an environment variable")]
    Source,
    #[error(
        "{path}: cannot read the pseudonym key file ({source}); create it with e.g. `head -c 32 /dev/urandom | base64 > {path}` and keep it out of the output folder"
    )]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the environment variable {0} holding the pseudonym key is not set (or not UTF-8); set it, e.g. `export {0}=$(head -c 32 /dev/urandom | base64)`, and keep the value to get the same pseudonyms next run"
    )]
    EnvMissing(String),
    #[error("the pseudonym key from {0} is empty; put at least {MIN_KEY_BYTES} random bytes in it")]
    Empty(String),
    #[error(
        "the pseudonym key from {origin} is {len} bytes; use at least {MIN_KEY_BYTES} random bytes (e.g. `head -c 32 /dev/urandom | base64`): a short key can be guessed, and with it every pseudonym reversed by trying the known ids"
    )]
    TooShort { origin: String, len: usize },
}

/// The secret key. It has no `Serialize` and its `Debug` hides the bytes, so it cannot
/// reach an output by accident.
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key(<{} bytes, hidden>)", self.0.len())
    }
}

impl Key {
    /// A key from raw bytes; surrounding whitespace (a file's final newline) is dropped.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Key, KeyError> {
        let b = bytes.trim_ascii();
        if b.is_empty() {
            return Err(KeyError::Empty(origin.to_string()));
        }
        if b.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort {
                origin: origin.to_string(),
                len: b.len(),
            });
        }
        Ok(Key(b.to_vec()))
    }

    pub fn from_file(path: &Path) -> Result<Key, KeyError> {
        let bytes = std::fs::read(path).map_err(|source| KeyError::File {
            path: path.display().to_string(),
            source,
        })?;
        Key::from_bytes(&bytes, &path.display().to_string())
    }

    pub fn from_env(var: &str) -> Result<Key, KeyError> {
        let v = std::env::var(var).map_err(|_| KeyError::EnvMissing(var.to_string()))?;
        Key::from_bytes(v.as_bytes(), &format!("the environment variable {var}"))
    }

    /// The pseudonym of account id `id`.
    pub fn pseudonym(&self, id: &str) -> String {
        let mut msg = Vec::with_capacity(CONTEXT.len() + id.len());
        msg.extend_from_slice(CONTEXT);
        msg.extend_from_slice(id.as_bytes());
        let mac = hmac_sha256(&self.0, &msg);
        let mut s = String::with_capacity(PREFIX.len() + PSEUDONYM_CHARS);
        s.push_str(PREFIX);
        s.push_str(&base32(&mac, PSEUDONYM_CHARS));
        s
    }
}

/// HMAC-SHA256 (RFC 2104) over the `sha2` crate the manifest already uses: a dozen
/// lines, checked against RFC 4231's test vectors, instead of one more dependency.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

/// The first `chars` base32 digits (RFC 4648 alphabet, lowercase) of `bytes`.
fn base32(bytes: &[u8], chars: usize) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..chars)
        .map(|c| {
            let bit = c * 5;
            let (byte, shift) = (bit / 8, bit % 8);
            let two = (u16::from(bytes[byte]) << 8) | u16::from(*bytes.get(byte + 1).unwrap_or(&0));
            ALPHABET[usize::from((two >> (11 - shift)) & 31)] as char
        })
        .collect()
}

/// What pseudonymisation did, for the run's messages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pseudonymised: usize,
    pub accounts: usize,
    /// `drop_columns` present in the data, blanked for private accounts.
    pub blanked_columns: Vec<String>,
}

/// Parse one `public` value.
fn parse_public(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "t" | "y" => Some(true),
        "false" | "0" | "no" | "f" | "n" => Some(false),
        _ => None,
    }
}

/// Which accounts are private under `spec`: every account for `all`; else every account
/// whose public column is not true (an account without a value, e.g. one added from the
/// edges, is private: the safe side).
pub fn private_mask(ds: &Dataset, spec: &PrivacySpec) -> Result<Vec<bool>> {
    let acc = &ds.accounts;
    if spec.pseudonymise == Scope::All {
        return Ok(vec![true; acc.len()]);
    }
    let col = &spec.public_column;
    if !acc.has_column(col) {
        let mut cols: Vec<&String> = acc.text.keys().chain(acc.numeric.keys()).collect();
        cols.sort();
        bail!(
            "pseudonymise = non-public needs a column {col:?} in the accounts table ({}) saying who is public (true/false, 1/0, yes/no); columns: {}. Add it, name your column with public_column (--public-col), or pseudonymise all",
            acc.describe_source(),
            cols.iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (file, colno) = acc
        .column_origin
        .get(col)
        .cloned()
        .unwrap_or_else(|| (acc.describe_source(), 0));
    (0..acc.len())
        .map(|i| match acc.text_value(col, i) {
            None => Ok(true),
            Some(v) if v.trim().is_empty() => Ok(true),
            Some(v) => match parse_public(&v) {
                Some(public) => Ok(!public),
                None => bail!(
                    "{file}: account row {} (account {:?}), column {colno} ({col:?}): {v:?} is not a public flag; use true/false, 1/0 or yes/no (an empty value counts as not public)",
                    i + 1,
                    acc.ids.name(i as u32)
                ),
            },
        })
        .collect()
}

/// Replace the ids and labels of private accounts by their pseudonyms in `ds` and in
/// the display strings of `seed_lists` (whose indices are `seed_ids`), blank their
/// identifying columns, and withhold the row-rejection examples.
pub fn pseudonymise(
    ds: &mut Dataset,
    seed_ids: &SeedIds,
    seed_lists: &mut [SeedList],
    spec: &PrivacySpec,
    key: &Key,
) -> Result<Summary> {
    let private = private_mask(ds, spec)?;
    let acc = &mut ds.accounts;
    let n = acc.len();
    let pseudonyms: Vec<Option<String>> = (0..n)
        .map(|i| private[i].then(|| key.pseudonym(acc.ids.name(i as u32))))
        .collect();
    let mut ids = Ids::new();
    for (i, p) in pseudonyms.iter().enumerate() {
        let name = p.as_deref().unwrap_or_else(|| acc.ids.name(i as u32));
        let (j, new) = ids.intern(name);
        if !new {
            bail!(
                "pseudonymisation: accounts {} and {} would both be {name:?} (a pseudonym collides with another account's id); rename the public account, or pseudonymise all",
                j,
                i
            );
        }
    }
    acc.ids = ids;
    if let Some(labels) = acc.text.get_mut(LABEL) {
        for (l, p) in labels.iter_mut().zip(&pseudonyms) {
            if let Some(p) = p {
                *l = Some(p.clone());
            }
        }
    }
    let mut blanked = Vec::new();
    for c in &spec.drop_columns {
        if c == LABEL {
            continue;
        }
        let mut hit = false;
        if let Some(col) = acc.text.get_mut(c) {
            for (v, &p) in col.iter_mut().zip(&private) {
                if p {
                    *v = None;
                }
            }
            hit = true;
        }
        if let Some(col) = acc.numeric.get_mut(c) {
            for (i, &p) in private.iter().enumerate().take(col.len()) {
                if p {
                    col.set(i, None);
                }
            }
            hit = true;
        }
        if hit {
            blanked.push(c.clone());
        }
    }
    for list in seed_lists.iter_mut() {
        let idx = &seed_ids[&list.name];
        debug_assert_eq!(idx.len(), list.accounts.len());
        for (shown, &i) in list.accounts.iter_mut().zip(idx) {
            if let Some(p) = &pseudonyms[i as usize] {
                *shown = p.clone();
            }
        }
    }
    for r in &mut ds.reports {
        r.examples.clear();
    }
    Ok(Summary {
        pseudonymised: private.iter().filter(|&&p| p).count(),
        accounts: n,
        blanked_columns: blanked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::from_bytes(s.as_bytes(), "test").unwrap()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn base32_is_rfc_4648() {
        // "foobar" -> MZXW6YTBOI (RFC 4648 section 10), lowercase.
        assert_eq!(base32(b"foobar", 10), "mzxw6ytboi");
    }

    #[test]
    fn pseudonyms_are_stable_keyed_and_readable() {
        let k = key("0123456789abcdef0123");
        let p = k.pseudonym("alice");
        assert_eq!(p, key("0123456789abcdef0123").pseudonym("alice"), "stable");
        assert_ne!(p, k.pseudonym("bob"));
        assert_ne!(p, key("another key of 20 by").pseudonym("alice"), "keyed");
        assert!(p.starts_with(PREFIX) && p.len() == PREFIX.len() + PSEUDONYM_CHARS);
        assert!(
            p[PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
        );
        assert!(!format!("{k:?}").contains("0123"), "Debug hides the key");
    }

    #[test]
    fn bad_keys_say_how_to_fix() {
        assert!(matches!(
            Key::from_bytes(b" \n", "f"),
            Err(KeyError::Empty(_))
        ));
        let e = Key::from_bytes(b"short\n", "f").unwrap_err();
        assert!(matches!(e, KeyError::TooShort { len: 5, .. }), "{e}");
        assert!(e.to_string().contains("at least 16"), "{e}");
        let e = Key::from_env("RANKAUDIT_TEST_NO_SUCH_VAR_9f2").unwrap_err();
        assert!(matches!(e, KeyError::EnvMissing(_)));
        assert!(
            e.to_string()
                .contains("export RANKAUDIT_TEST_NO_SUCH_VAR_9f2="),
            "{e}"
        );
        let e = Key::from_file(Path::new("/nonexistent/rankaudit.key")).unwrap_err();
        assert!(matches!(e, KeyError::File { .. }));
        assert!(e.to_string().contains("head -c 32 /dev/urandom"), "{e}");
        // A file's trailing newline is not part of the key.
        assert_eq!(
            key("0123456789abcdef\n").pseudonym("x"),
            key("0123456789abcdef").pseudonym("x")
        );
    }

    fn spec(scope: Scope) -> PrivacySpec {
        PrivacySpec {
            pseudonymise: scope,
            public_column: "public".into(),
            key_file: None,
            key_env: Some("K".into()),
            drop_columns: default_drop_columns(),
        }
    }

    /// Accounts a (public), b (private), c (no value: private), labelled A, B, C, with a
    /// `name` column; one seed list naming b by label and a by id.
    fn dataset() -> (Dataset, SeedIds, Vec<SeedList>) {
        let mut ds = Dataset::default();
        for id in ["a", "b", "c"] {
            ds.accounts.ids.intern(id);
        }
        ds.accounts.listed = 3;
        let col = |v: [Option<&str>; 3]| v.iter().map(|s| s.map(str::to_string)).collect();
        ds.accounts
            .text
            .insert(LABEL.into(), col([Some("A"), Some("B"), Some("C")]));
        ds.accounts
            .text
            .insert("public".into(), col([Some("yes"), Some("0"), None]));
        ds.accounts
            .text
            .insert("name".into(), col([Some("Ann"), Some("Bo"), Some("Cy")]));
        ds.accounts
            .text
            .insert("party".into(), col([Some("D"), Some("R"), Some("D")]));
        let seeds = SeedIds::from([("s".to_string(), vec![1, 0])]);
        let lists = vec![SeedList {
            name: "s".into(),
            path: "s.txt".into(),
            rationale: None,
            accounts: vec!["@B".into(), "a".into()],
        }];
        (ds, seeds, lists)
    }

    #[test]
    fn non_public_accounts_lose_id_label_and_identifying_columns() {
        let (mut ds, seeds, mut lists) = dataset();
        let k = key("0123456789abcdef");
        let s = pseudonymise(&mut ds, &seeds, &mut lists, &spec(Scope::NonPublic), &k).unwrap();
        assert_eq!(s.pseudonymised, 2);
        assert_eq!(s.blanked_columns, ["name"]);
        let acc = &ds.accounts;
        assert_eq!(acc.ids.name(0), "a");
        assert_eq!(acc.label(0), "A");
        assert_eq!(acc.ids.name(1), k.pseudonym("b"));
        assert_eq!(acc.label(1), k.pseudonym("b"));
        assert_eq!(acc.ids.get(&k.pseudonym("c")), Some(2));
        assert_eq!(acc.ids.get("b"), None);
        assert_eq!(acc.text["name"], [Some("Ann".into()), None, None]);
        assert_eq!(acc.text_value("party", 1).as_deref(), Some("R"), "kept");
        assert_eq!(lists[0].accounts, [k.pseudonym("b"), "a".to_string()]);
    }

    /// A public account whose id is a private account's pseudonym: refused, not merged.
    /// The manifest's rejected-row examples (which may quote ids) are withheld.
    #[test]
    fn collisions_are_refused_and_row_examples_withheld() {
        let k = key("0123456789abcdef");
        let (mut ds, seeds, mut lists) = dataset();
        let mut r = crate::dataset::TableReport::new("follows", Path::new("f.csv"));
        r.examples.insert("bad_id".into(), vec!["line 3: b".into()]);
        r.rejected.insert("bad_id".into(), 1);
        ds.reports.push(r);
        pseudonymise(&mut ds, &seeds, &mut lists, &spec(Scope::NonPublic), &k).unwrap();
        assert!(ds.reports[0].examples.is_empty());
        assert_eq!(ds.reports[0].rejected["bad_id"], 1, "counts stay");

        let mut ds = Dataset::default();
        ds.accounts.ids.intern(&k.pseudonym("b"));
        ds.accounts.ids.intern("b");
        ds.accounts
            .text
            .insert("public".into(), vec![Some("yes".into()), Some("no".into())]);
        let e = pseudonymise(
            &mut ds,
            &SeedIds::new(),
            &mut [],
            &spec(Scope::NonPublic),
            &k,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("collides"), "{e}");
    }

    #[test]
    fn all_and_bad_public_values() {
        let (mut ds, seeds, mut lists) = dataset();
        let k = key("0123456789abcdef");
        pseudonymise(&mut ds, &seeds, &mut lists, &spec(Scope::All), &k).unwrap();
        assert_eq!(ds.accounts.label(0), k.pseudonym("a"));
        let (mut ds, seeds, mut lists) = dataset();
        ds.accounts.text.get_mut("public").unwrap()[1] = Some("maybe".into());
        let e = pseudonymise(&mut ds, &seeds, &mut lists, &spec(Scope::NonPublic), &k)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"maybe\" is not a public flag") && e.contains("row 2"),
            "{e}"
        );
        let mut sp = spec(Scope::NonPublic);
        sp.public_column = "open".into();
        let e = private_mask(&ds, &sp).unwrap_err().to_string();
        assert!(e.contains("needs a column \"open\""), "{e}");
    }
}
