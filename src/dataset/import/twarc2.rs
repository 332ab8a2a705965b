//! twarc2 JSON lines (DocNow/twarc, Twitter API v2), plain or gzip'd: the accounts,
//! follows and interactions tables from one file of
//! - raw API pages, one per line as twarc2 saves them: `data[]` (tweets, or users for
//!   `followers`/`following`/`users`), `includes.users`/`includes.tweets`, `errors[]`,
//!   `meta`, and `__twarc` (`url`, `retrieved_at`) appended by twarc;
//! - flattened tweets (`twarc2 flatten`), one per line: the tweet with `author`,
//!   `in_reply_to_user`, mentions merged with their users and `referenced_tweets[]`
//!   merged with the referenced tweets, and the page's `__twarc` copied onto each;
//! - flattened users (`twarc2 flatten` of `followers`/`following`/`users` pages).
//!
//! Files are named `format = "twarc2"`, or recognised by their first line
//! ([`Importer::sniff`]: a page starting with `data`, or a flattened tweet with
//! `author_id`). The mapping (which record becomes which row, the snapshot policy,
//! what is rejected or noted) is methodology.md's "twarc2 import"; in short:
//!
//! - **accounts**: every user object (raw `includes.users` and users pages; in flat
//!   lines `author`, `in_reply_to_user`, merged mentions and referenced authors) is a
//!   *snapshot* of that account at the line's `__twarc.retrieved_at`. The latest one by
//!   collection order (`retrieved_at`, then file order) gives `label` (username),
//!   `name`, `followers`, `following`, `statuses` (tweet_count), `listed`, `protected`,
//!   `verified` and `observed_at`; the spread over snapshots is kept as the attribute
//!   columns `snapshots` (distinct observation times with counts), `followers_min` and
//!   `followers_max`; two snapshots at one time that disagree are noted
//!   (`snapshot_conflict`). Every id that an interaction or a follow names is an account too
//!   (a suspended user known only from a mention gets the mention's username as label,
//!   and missing counts, never 0).
//! - **follows**: a followers page of `<id>` (from `__twarc.url`,
//!   `/2/users/<id>/followers`) gives `user → <id>`, a following page `<id> → user`.
//!   Without `__twarc` the list does not say whose it is: the read stops and asks for the
//!   section's `subject = "followers:<id>"` (or `"following:<id>"`).
//! - **interactions**, from collected tweets only (`data[]` or the flat line itself; not
//!   `includes.tweets` nor referenced tweets): `retweet`/`quote` to the referenced
//!   tweet's author, `reply` to `in_reply_to_user_id`, `mention` to each mentioned id
//!   (not in retweets: those mentions belong to the retweeted text), with the tweet's
//!   `created_at` as time. A tweet id seen before is a repeat (overlapping searches): it
//!   gives no rows and is noted (`duplicate_tweet`).
//! - A line that is not JSON (`malformed_json`, with its column) or not a shape above
//!   (`unknown_shape`: tweet counts, compliance output, v1.1 tweets) is handed over as a
//!   rejected record of each table read; an API `errors[]` entry is noted (`api_error`).
//!
//! # Streaming: memory bounded by the tables, not the file
//!
//! A twarc2 file's accounts are spread over the whole file (every page repeats its
//! users), and its interactions and follows interleave, so the loader's default for dump
//! formats (one read, the later tables' records staged as owned strings until the
//! accounts are loaded) would hold every interaction as strings. Instead this importer
//! asks for one read per table ([`Importer::reads_each_table`]):
//! - the accounts read aggregates user objects in a map keyed by id (one entry per
//!   account, plus the set of its distinct snapshot times) and hands the accounts over at
//!   the end of the file;
//! - the follows and interactions reads hand each row over as its line is read, straight
//!   into the loader's columnar tables (only the ids of the tweets seen are kept, for the
//!   repeat check).
//!
//! A study taking all three tables from one file reads it three times, each pass
//! streaming (a 200 MB file loads in ~50 MB; bench/RESULTS.md); the loader stays generic
//! (other dump formats keep the one-read default). The alternative, one read with the
//! importer buffering compact rows until the accounts are done, would still have the
//! loader stage them as strings, or need a loader that feeds several tables at once.
//!
//! Each read: one thread reads (and un-gzips) blocks of whole lines; the blocks' lines
//! are parsed in parallel (rayon) into borrowed structs that deserialise only the fields
//! used (a follows or interactions read also skips the user fields, [`Maybe`]); the
//! parsed lines are then walked in file order on one thread, so the rows and their order
//! are the same at any thread count.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, Visitor};

use super::{Importer, Sink};
use crate::dataset::clean::{parse_time, quoted};
use crate::dataset::read::{BadRecord, Event, Loc, Record, TableSource, open_maybe_gz};
use crate::dataset::schema::{self, TableKind};

/// The twarc2 importer (see the module docs).
pub(super) struct Twarc2;

impl Importer for Twarc2 {
    fn name(&self) -> &'static str {
        "twarc2"
    }

    /// None: `.jsonl` is shared with other formats; the first line decides ([`Self::sniff`]).
    fn extensions(&self) -> &'static [&'static str] {
        &[]
    }

    fn tables(&self) -> Option<&'static [TableKind]> {
        Some(&[
            TableKind::Accounts,
            TableKind::Follows,
            TableKind::Interactions,
        ])
    }

    fn reads_each_table(&self) -> bool {
        true
    }

    /// An API page starts with `{"data"` (twarc2 writes the response as returned, `data`
    /// first); a flattened tweet has `author_id` and `author` (or `__twarc`) within the
    /// first 64 kB.
    fn sniff(&self, line: &[u8]) -> bool {
        let compact: Vec<u8> = line
            .iter()
            .copied()
            .take(64)
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        if compact.starts_with(b"{\"data\":") {
            return true;
        }
        let has = |needle: &[u8]| memchr::memmem::find(line, needle).is_some();
        line.first() == Some(&b'{')
            && has(b"\"author_id\"")
            && (has(b"\"author\"") || has(b"\"__twarc\""))
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        read(src, want, sink)
    }
}

/// Lines are parsed in parallel in blocks of about this many bytes (a longer line is
/// read whole).
const BLOCK: usize = 4 << 20;

/// The accounts table's columns: the canonical ones, then the attributes.
const ACCOUNT_COLUMNS: [&str; 16] = [
    schema::ACCOUNT,
    schema::LABEL,
    "name",
    schema::FOLLOWERS,
    schema::FOLLOWING,
    schema::STATUSES,
    "listed",
    "protected",
    "verified",
    "observed_at",
    "snapshots",
    "followers_min",
    "followers_max",
    "followers_seen",
    "following_seen",
    "statuses_seen",
];

/// How many distinct values of one count an account keeps for the `*_seen` columns
/// (the `count-snapshots` family draws from them); later new values are counted under
/// the note `snapshot_values_capped` (the latest snapshot's value is always kept: it is
/// the count column itself).
const MAX_SEEN: usize = 64;

const FOLLOW_COLUMNS: [&str; 2] = [schema::FOLLOWER, schema::FOLLOWEE];
const INTERACTION_COLUMNS: [&str; 4] = [schema::SOURCE, schema::TARGET, schema::KIND, schema::TIME];

// ---------------------------------------------------------------------------------------
// What a line is made of: borrowed structs with only the fields used (serde skips the
// rest without building it).

/// A JSON string: borrowed from the line unless it has escapes (`"Dave \u00d0"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Str<'a>(Cow<'a, str>);

impl Str<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        d.deserialize_str(V).map(Str)
    }
}

thread_local! {
    /// Whether the line being parsed on this thread is for a follows or interactions
    /// read, which needs no user fields: [`Maybe`] fields are then skipped unbuilt.
    /// Set by [`parse_line`] before each line.
    static LEAN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A field only the accounts read uses (user fields): skipped, not built, when the
/// line is parsed for another table ([`LEAN`]).
#[derive(Debug, Default)]
enum Maybe<T> {
    #[default]
    Absent,
    Skipped,
    Got(T),
}

impl<T> Maybe<T> {
    fn get(&self) -> Option<&T> {
        match self {
            Maybe::Got(v) => Some(v),
            _ => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Maybe<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if LEAN.with(std::cell::Cell::get) {
            IgnoredAny::deserialize(d)?;
            return Ok(Maybe::Skipped);
        }
        Ok(Option::<T>::deserialize(d)?.map_or(Maybe::Absent, Maybe::Got))
    }
}

/// Any object of a twarc2 line: a page, a tweet, a user, a merged mention or reference.
/// Unknown fields are skipped; absent and `null` fields are `None`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Obj<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    // A tweet's.
    #[serde(borrow)]
    author_id: Option<Str<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    #[serde(borrow)]
    referenced_tweets: Option<Vec<Obj<'a>>>,
    /// A `referenced_tweets[]` entry's: `retweeted`, `quoted`, `replied_to`.
    #[serde(borrow, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    in_reply_to_user_id: Option<Str<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    /// Flattened: the author's user object, the replied-to user's.
    #[serde(borrow)]
    author: Option<Box<Obj<'a>>>,
    #[serde(borrow)]
    in_reply_to_user: Maybe<Box<Obj<'a>>>,
    // A user's.
    #[serde(borrow)]
    username: Option<Str<'a>>,
    #[serde(borrow)]
    name: Maybe<Str<'a>>,
    protected: Maybe<bool>,
    verified: Maybe<bool>,
    public_metrics: Maybe<Metrics>,
    // A page's.
    #[serde(borrow)]
    data: Option<Vec<Obj<'a>>>,
    #[serde(borrow)]
    includes: Option<Includes<'a>>,
    errors: Option<Vec<IgnoredAny>>,
    #[serde(borrow, rename = "__twarc")]
    twarc: Option<Meta<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Entities<'a> {
    #[serde(borrow)]
    mentions: Option<Vec<Obj<'a>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Includes<'a> {
    #[serde(borrow)]
    users: Maybe<Vec<Obj<'a>>>,
    #[serde(borrow)]
    tweets: Option<Vec<Obj<'a>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Meta<'a> {
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    retrieved_at: Option<Str<'a>>,
}

/// A user's `public_metrics` (a tweet's has other keys: all `None` then).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default)]
struct Metrics {
    followers_count: Option<u64>,
    following_count: Option<u64>,
    tweet_count: Option<u64>,
    listed_count: Option<u64>,
}

impl Metrics {
    fn any(&self) -> bool {
        self.followers_count.is_some()
            || self.following_count.is_some()
            || self.tweet_count.is_some()
            || self.listed_count.is_some()
    }
}

impl<'a> Obj<'a> {
    /// A user object (not a bare mention `{start, end, username, id}`): a name or counts.
    fn is_user(&self) -> bool {
        self.name.get().is_some() || self.public_metrics.get().is_some_and(Metrics::any)
    }

    /// A tweet: an `id` and an author.
    fn is_tweet(&self) -> bool {
        self.id.is_some() && (self.author_id.is_some() || self.author.is_some())
    }

    fn author_id(&self) -> Option<&str> {
        self.author_id
            .as_ref()
            .or_else(|| self.author.as_ref().and_then(|a| a.id.as_ref()))
            .map(Str::as_str)
    }

    fn mentions(&self) -> &[Obj<'a>] {
        self.entities
            .as_ref()
            .and_then(|e| e.mentions.as_deref())
            .unwrap_or(&[])
    }

    fn refs(&self) -> &[Obj<'a>] {
        self.referenced_tweets.as_deref().unwrap_or(&[])
    }
}

/// One line, parsed (in parallel) but not yet interpreted.
enum Parsed<'a> {
    Blank,
    Bad {
        reason: &'static str,
        detail: String,
    },
    Line(Box<Obj<'a>>),
}

fn parse_line(line: &[u8], lean: bool) -> Parsed<'_> {
    LEAN.with(|l| l.set(lean));
    if line.iter().all(u8::is_ascii_whitespace) {
        return Parsed::Blank;
    }
    // UTF-8 checked once per line, not once per string.
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            return Parsed::Bad {
                reason: "malformed_json",
                detail: format!(
                    "column {}: not valid UTF-8; each line of a twarc2 file is one JSON object",
                    e.valid_up_to() + 1
                ),
            };
        }
    };
    match serde_json::from_str::<Obj>(text) {
        Ok(o) => Parsed::Line(Box::new(o)),
        Err(e) => {
            // Valid JSON of another shape, or not JSON at all?
            let (reason, err) = match serde_json::from_str::<IgnoredAny>(text) {
                Err(syntax) => ("malformed_json", syntax),
                Ok(_) => ("unknown_shape", e),
            };
            let msg = err.to_string();
            let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |m| m.0);
            let detail = if reason == "malformed_json" {
                format!(
                    "column {}: not valid JSON ({msg}); each line of a twarc2 file is one JSON object",
                    err.column()
                )
            } else {
                format!(
                    "column {}: {msg}; a twarc2 line is an API page (`data`, `includes`, `__twarc`) or a flattened tweet or user",
                    err.column()
                )
            };
            Parsed::Bad { reason, detail }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading: blocks of lines parsed in parallel, handed over in file order.

/// Call `each` with every line of `path` (1-based number, parsed), in file order. A
/// thread reads (and un-gzips) the next block while the current one is parsed.
fn scan(
    path: &Path,
    lean: bool,
    mut each: impl FnMut(u64, Parsed<'_>) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<u8>>>(2);
        scope.spawn(move || {
            if let Err(e) = read_blocks(path, &tx) {
                let _ = tx.send(Err(e));
            }
        });
        let mut line_no = 1u64;
        for block in rx {
            let block = block?;
            let mut lines: Vec<&[u8]> = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', &block) {
                lines.push(&block[start..end]);
                start = end + 1;
            }
            if start < block.len() {
                lines.push(&block[start..]);
            }
            let parsed: Vec<Parsed> = lines
                .par_iter()
                .with_min_len(8)
                .map(|l| parse_line(l.strip_suffix(b"\r").unwrap_or(l), lean))
                .collect();
            for p in parsed {
                each(line_no, p)?;
                line_no += 1;
            }
        }
        Ok(())
    })
}

/// Send `path`'s text to `tx` in blocks of whole lines of about [`BLOCK`] bytes (a
/// longer line is sent whole). Stops early when the receiver is gone.
fn read_blocks(path: &Path, tx: &std::sync::mpsc::SyncSender<Result<Vec<u8>>>) -> Result<()> {
    let mut input = open_maybe_gz(path)?;
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64;
    loop {
        let mut buf = Vec::with_capacity(BLOCK + carry.len() + (1 << 16));
        buf.append(&mut carry);
        let mut target = BLOCK;
        let eof = loop {
            let want = target.saturating_sub(buf.len()) as u64;
            let n = (&mut input)
                .take(want)
                .read_to_end(&mut buf)
                .with_context(|| format!("{}: cannot read after byte {offset}", path.display()))?;
            offset += n as u64;
            if (n as u64) < want {
                break true;
            }
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => {
                    carry.extend_from_slice(&buf[i + 1..]);
                    buf.truncate(i + 1);
                    break false;
                }
                // One line longer than the block: read on until it ends.
                None => target = buf.len() * 2,
            }
        };
        if !buf.is_empty() && tx.send(Ok(buf)).is_err() {
            return Ok(());
        }
        if eof {
            return Ok(());
        }
    }
}

/// Whose list a users page is: the account in its URL (or the section's `subject`), and
/// which way the follows go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The page lists the subject's followers: `user → subject`.
    Followers,
    /// The page lists whom the subject follows: `subject → user`.
    Following,
}

/// `https://api.twitter.com/2/users/<id>/followers?...` -> (Followers, id).
fn list_subject(url: &str) -> Option<(Side, &str)> {
    let path = url.split(['?', '#']).next()?;
    let rest = &path[path.find("/2/users/")? + "/2/users/".len()..];
    let (id, what) = rest.split_once('/')?;
    let side = match what.trim_end_matches('/') {
        "followers" => Side::Followers,
        "following" => Side::Following,
        _ => return None,
    };
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some((side, id))
}

/// The section's `subject = "followers:<id>"`, checked.
fn given_subject(src: &TableSource) -> Result<Option<(Side, String)>> {
    let Some(s) = &src.subject else {
        return Ok(None);
    };
    let side = match s.split_once(':') {
        Some(("followers", id)) if !id.trim().is_empty() => (Side::Followers, id.trim()),
        Some(("following", id)) if !id.trim().is_empty() => (Side::Following, id.trim()),
        _ => bail!(
            "{}: subject = {} is not \"followers:<id>\" or \"following:<id>\" (the numeric id of the account whose list the file holds)",
            src.path.display(),
            quoted(s)
        ),
    };
    Ok(Some((side.0, side.1.to_string())))
}

/// What a line is, once parsed.
enum Shape<'l, 'a> {
    /// A page of tweets (`data[]` tweets, with `includes`).
    TweetPage(&'l [Obj<'a>]),
    /// A page of users (`followers`, `following`, `users`), and whose list it is.
    UserPage(&'l [Obj<'a>], Option<(Side, &'l str)>),
    /// A flattened tweet.
    FlatTweet,
    /// A flattened user, and whose list it came from.
    FlatUser(Option<(Side, &'l str)>),
    /// A page with no data (only `errors[]`, or an empty last page).
    Empty,
    Unknown(String),
}

fn shape<'l, 'a>(o: &'l Obj<'a>) -> Shape<'l, 'a> {
    let url = o.twarc.as_ref().and_then(|t| t.url.as_ref());
    let list = url.and_then(|u| list_subject(u.as_str()));
    match &o.data {
        Some(items) if items.is_empty() => Shape::Empty,
        Some(items) => {
            if items.iter().all(Obj::is_tweet) {
                Shape::TweetPage(items)
            } else if items
                .iter()
                .all(|u| u.id.is_some() && u.username.is_some() && !u.is_tweet())
            {
                Shape::UserPage(items, list)
            } else {
                Shape::Unknown(
                    "its data[] holds neither tweets (id, author_id) nor users (id, username): tweet counts, compliance jobs and other endpoints are not imported".into(),
                )
            }
        }
        None if o.is_tweet() => Shape::FlatTweet,
        None if o.id.is_some() && o.username.is_some() => Shape::FlatUser(list),
        None if o.errors.is_some() || o.twarc.is_some() => Shape::Empty,
        None => Shape::Unknown(
            "it has no `data` (an API page) and no `id` with `author_id` or `username` (a flattened tweet or user)".into(),
        ),
    }
}

/// `retrieved_at` as Unix seconds; `None` without `__twarc`. A malformed one is an
/// error of the line.
fn retrieved_at(o: &Obj) -> Result<Option<i64>, String> {
    match o.twarc.as_ref().and_then(|t| t.retrieved_at.as_ref()) {
        None => Ok(None),
        Some(s) => parse_time(s.as_str())
            .map(Some)
            .map_err(|e| format!("__twarc.retrieved_at: {e}")),
    }
}

fn read(src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
    for &kind in want {
        let names: &[&str] = match kind {
            TableKind::Accounts => &ACCOUNT_COLUMNS,
            TableKind::Follows => &FOLLOW_COLUMNS,
            TableKind::Interactions => &INTERACTION_COLUMNS,
        };
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        sink(kind, Event::Header(&names))?;
    }
    let path = &src.path;
    let file = path.display().to_string();
    let subject = given_subject(src)?;
    let mut accounts = want
        .contains(&TableKind::Accounts)
        .then(AccountMap::default);
    let follows = want.contains(&TableKind::Follows);
    let interactions = want.contains(&TableKind::Interactions);
    let mut tweets = TweetIds::default();
    scan(path, accounts.is_none(), |line, parsed| {
        let loc = Loc::Line(line);
        let bad = |sink: &mut Sink<'_>, reason: &'static str, detail: String| -> Result<()> {
            for &kind in want {
                sink(
                    kind,
                    Event::Bad(BadRecord {
                        loc,
                        reason,
                        detail: detail.clone(),
                    }),
                )?;
            }
            Ok(())
        };
        let o = match parsed {
            Parsed::Blank => return Ok(()),
            Parsed::Bad { reason, detail } => return bad(sink, reason, detail),
            Parsed::Line(o) => o,
        };
        let at = match retrieved_at(&o) {
            Ok(t) => t,
            Err(e) => return bad(sink, "bad_time", e),
        };
        let shape = shape(&o);
        if let Shape::Unknown(why) = shape {
            return bad(sink, "unknown_shape", why);
        }
        for _ in 0..o.errors.as_ref().map_or(0, Vec::len) {
            for &kind in want {
                sink(kind, Event::Note("api_error", 1))?;
            }
        }
        // Whose list a users page or flattened user is: the URL, else the section's
        // `subject`, else (a follows read) ask for it.
        let list = match &shape {
            Shape::UserPage(_, l) | Shape::FlatUser(l) => match (l, &subject) {
                (Some(l), _) => Some(*l),
                (None, Some((side, id))) if o.twarc.is_none() => Some((*side, id.as_str())),
                (None, None) if follows && o.twarc.is_none() => bail!(
                    "{file}: {loc}: a page of users without `__twarc` metadata (saved with `twarc2 --no-metadata`?), so it does not say whose followers or following it lists; name the account in the study file, under the section naming this file: `subject = \"followers:<id>\"` (or `\"following:<id>\"`, with the account's numeric id; quick mode: `--subject followers:<id>`), or collect again without --no-metadata"
                ),
                _ => None,
            },
            _ => None,
        };
        if let Some(acc) = accounts.as_mut() {
            acc.line(&o, &shape, list, at, line);
        }
        if follows && let Some((side, subject)) = list {
            let users: &[Obj] = match &shape {
                Shape::UserPage(users, _) => users,
                _ => std::slice::from_ref(&*o),
            };
            for u in users {
                let Some(id) = u.id.as_ref().map(Str::as_str) else {
                    continue; // a users page's users all have ids (see `shape`)
                };
                let pair = match side {
                    Side::Followers => [id, subject],
                    Side::Following => [subject, id],
                };
                sink(
                    TableKind::Follows,
                    Event::Row(Record { loc, fields: &pair }),
                )?;
            }
        }
        if interactions {
            match &shape {
                Shape::TweetPage(data) => {
                    let authors: HashMap<&str, &str> = o
                        .includes
                        .as_ref()
                        .and_then(|i| i.tweets.as_deref())
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|t| Some((t.id.as_ref()?.as_str(), t.author_id()?)))
                        .collect();
                    for t in data.iter() {
                        tweet_rows(t, Some(&authors), &mut tweets, loc, sink)?;
                    }
                }
                Shape::FlatTweet => tweet_rows(&o, None, &mut tweets, loc, sink)?,
                _ => {}
            }
        }
        if matches!(shape, Shape::Empty) && o.errors.is_none() {
            for &kind in want {
                sink(kind, Event::Note("empty_page", 1))?;
            }
        }
        Ok(())
    })?;
    if let Some(acc) = accounts {
        acc.hand_over(sink)?;
    }
    Ok(())
}

/// The ids of the tweets seen, for the repeat check: numeric ids as `u64`.
#[derive(Default)]
struct TweetIds {
    numeric: HashSet<u64>,
    other: HashSet<String>,
}

impl TweetIds {
    /// False when `id` was seen before.
    fn first(&mut self, id: &str) -> bool {
        match id.parse::<u64>() {
            Ok(n) => self.numeric.insert(n),
            Err(_) => self.other.insert(id.to_string()),
        }
    }
}

/// The interaction rows of one collected tweet `t`. `included`: a raw page's
/// `includes.tweets` (id -> author id); `None` for a flattened tweet, whose references
/// carry their author.
fn tweet_rows(
    t: &Obj,
    included: Option<&HashMap<&str, &str>>,
    seen: &mut TweetIds,
    loc: Loc,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let id = t.id.as_ref().map_or("", Str::as_str);
    if !seen.first(id) {
        return sink(TableKind::Interactions, Event::Note("duplicate_tweet", 1));
    }
    let Some(source) = t.author_id() else {
        return Ok(()); // `is_tweet` holds: unreachable in practice
    };
    let time = t.created_at.as_ref().map_or("", Str::as_str);
    let row = |sink: &mut Sink<'_>, target: &str, kind: &str| {
        sink(
            TableKind::Interactions,
            Event::Row(Record {
                loc,
                fields: &[source, target, kind, time],
            }),
        )
    };
    let mut retweet = false;
    let mut replied = false;
    for r in t.refs() {
        let (kind, target) = match r.kind.as_ref().map(Str::as_str) {
            Some("retweeted") => {
                retweet = true;
                ("retweet", ref_author(r, included))
            }
            Some("quoted") => ("quote", ref_author(r, included)),
            Some("replied_to") => {
                replied = true;
                let to = t.in_reply_to_user_id.as_ref().map(Str::as_str);
                ("reply", to.or_else(|| ref_author(r, included)))
            }
            _ => {
                sink(
                    TableKind::Interactions,
                    Event::Note("unknown_reference_type", 1),
                )?;
                continue;
            }
        };
        match target {
            Some(target) => row(sink, target, kind)?,
            None => sink(
                TableKind::Interactions,
                Event::Note("referenced_author_unknown", 1),
            )?,
        }
    }
    if !replied && let Some(to) = &t.in_reply_to_user_id {
        row(sink, to.as_str(), "reply")?;
    }
    if retweet {
        return Ok(());
    }
    for m in t.mentions() {
        match &m.id {
            Some(target) => row(sink, target.as_str(), "mention")?,
            // Never joined by username: usernames change and are reused.
            None => sink(
                TableKind::Interactions,
                Event::Note("mention_without_id", 1),
            )?,
        }
    }
    Ok(())
}

/// The author of a referenced tweet: from the page's `includes.tweets` (raw), else the
/// reference's own merged fields (flattened).
fn ref_author<'o>(r: &'o Obj, included: Option<&HashMap<&'o str, &'o str>>) -> Option<&'o str> {
    included
        .and_then(|map| r.id.as_ref().and_then(|i| map.get(i.as_str()).copied()))
        .or_else(|| r.author_id())
}

// ---------------------------------------------------------------------------------------
// Accounts: aggregated over the file, handed over at its end.

/// One account's latest snapshot and the spread of its snapshots.
#[derive(Default)]
struct Account {
    id: String,
    /// Line of the first record naming it.
    first: u64,
    /// (retrieved_at or `i64::MIN`, order seen) of the latest user object.
    latest: Option<(i64, u64)>,
    label: Option<String>,
    name: Option<String>,
    metrics: Metrics,
    protected: Option<bool>,
    verified: Option<bool>,
    observed_at: Option<i64>,
    /// A mention's username, the label when no user object is seen.
    mentioned_as: Option<String>,
    snapshots: u32,
    followers_min: Option<u64>,
    followers_max: Option<u64>,
    /// Distinct followers, following and tweet counts seen, in order of first sight.
    seen: [Vec<u64>; 3],
}

#[derive(Default)]
struct AccountMap {
    index: HashMap<String, u32>,
    accounts: Vec<Account>,
    /// (account, snapshot time) pairs seen: an unchanged user on two pages is two
    /// snapshots, the same user twice in one line (flat) is one. Without
    /// `retrieved_at` the line number (negated) stands for the time.
    snapshot_times: HashSet<(u32, i64)>,
    /// Order of the user objects seen.
    seq: u64,
    /// Snapshots with the same time as the account's latest but other counts.
    conflicts: u64,
    /// Distinct count values not kept past [`MAX_SEEN`].
    capped: u64,
}

impl AccountMap {
    fn get(&mut self, id: &str, line: u64) -> &mut Account {
        let k = match self.index.get(id) {
            Some(&k) => k,
            None => {
                let k = self.accounts.len() as u32;
                self.index.insert(id.to_string(), k);
                self.accounts.push(Account {
                    id: id.to_string(),
                    first: line,
                    ..Account::default()
                });
                k
            }
        };
        &mut self.accounts[k as usize]
    }

    /// An id named by a row (an author, a mentioned or replied-to user, a list's subject).
    fn name(&mut self, id: Option<&Str>, username: Option<&Str>, line: u64) {
        let Some(id) = id else { return };
        let a = self.get(id.as_str(), line);
        if let Some(u) = username {
            a.mentioned_as = Some(u.as_str().to_string());
        }
    }

    /// A user object seen at `at` (or a bare mention, which only names the account).
    fn user(&mut self, u: &Obj, at: Option<i64>, line: u64) {
        if !u.is_user() {
            return self.name(u.id.as_ref(), u.username.as_ref(), line);
        }
        let Some(id) = &u.id else { return };
        self.seq += 1;
        let key = (at.unwrap_or(i64::MIN), self.seq);
        let k = {
            self.get(id.as_str(), line);
            self.index[id.as_str()]
        };
        let metrics = u.public_metrics.get().copied().unwrap_or_default();
        let new_time = metrics.any()
            && self
                .snapshot_times
                .insert((k, at.unwrap_or(-(line as i64))));
        let a = &mut self.accounts[k as usize];
        // Two snapshots at one `retrieved_at` (files collected together) must agree;
        // the later in file order wins, and the disagreement is noted.
        if !new_time
            && metrics.any()
            && at.is_some()
            && a.latest.is_some_and(|l| l.0 == key.0)
            && a.metrics != metrics
        {
            self.conflicts += 1;
        }
        if new_time {
            a.snapshots += 1;
        }
        // Over every value seen, conflicting ones included.
        if let Some(f) = metrics.followers_count {
            a.followers_min = Some(a.followers_min.map_or(f, |m| m.min(f)));
            a.followers_max = Some(a.followers_max.map_or(f, |m| m.max(f)));
        }
        let counts = [
            metrics.followers_count,
            metrics.following_count,
            metrics.tweet_count,
        ];
        for (seen, v) in a.seen.iter_mut().zip(counts) {
            if let Some(v) = v
                && !seen.contains(&v)
            {
                if seen.len() < MAX_SEEN {
                    seen.push(v);
                } else {
                    self.capped += 1;
                }
            }
        }
        if a.latest.is_some_and(|l| l > key) {
            return;
        }
        a.latest = Some(key);
        a.label = u.username.as_ref().map(|s| s.as_str().to_string());
        a.name = u.name.get().map(|s| s.as_str().to_string());
        a.metrics = metrics;
        a.protected = u.protected.get().copied();
        a.verified = u.verified.get().copied();
        a.observed_at = if metrics.any() { at } else { None };
    }

    /// The accounts of a collected (or flattened) tweet `t`: its author, the users it
    /// replies to, mentions and references, and theirs.
    fn tweet(&mut self, t: &Obj, at: Option<i64>, line: u64) {
        if let Some(a) = &t.author {
            self.user(a, at, line);
        }
        self.name(t.author_id.as_ref(), None, line);
        if let Some(u) = t.in_reply_to_user.get() {
            self.user(u, at, line);
        }
        self.name(t.in_reply_to_user_id.as_ref(), None, line);
        for m in t.mentions() {
            self.user(m, at, line);
        }
        for r in t.refs() {
            // Flattened references carry the referenced tweet, its author and its
            // mentions' users: snapshots too.
            if let Some(a) = &r.author {
                self.user(a, at, line);
            }
            self.name(r.author_id.as_ref(), None, line);
            for m in r.mentions().iter().filter(|m| m.is_user()) {
                self.user(m, at, line);
            }
            if let Some(u) = r.in_reply_to_user.get() {
                self.user(u, at, line);
            }
        }
    }

    fn line(
        &mut self,
        o: &Obj,
        shape: &Shape,
        list: Option<(Side, &str)>,
        at: Option<i64>,
        line: u64,
    ) {
        let includes = o.includes.as_ref();
        for u in includes
            .and_then(|i| i.users.get())
            .map_or(&[][..], Vec::as_slice)
        {
            self.user(u, at, line);
        }
        match shape {
            Shape::TweetPage(data) => {
                for t in data.iter() {
                    self.tweet(t, at, line);
                }
                for t in includes.and_then(|i| i.tweets.as_deref()).unwrap_or(&[]) {
                    self.name(t.author_id.as_ref(), None, line);
                }
            }
            Shape::UserPage(users, _) => {
                for u in users.iter() {
                    self.user(u, at, line);
                }
            }
            Shape::FlatTweet => self.tweet(o, at, line),
            Shape::FlatUser(_) => self.user(o, at, line),
            Shape::Empty | Shape::Unknown(_) => {}
        }
        if let Some((_, subject)) = list {
            self.get(subject, line);
        }
    }

    /// The accounts table, in order of first appearance.
    fn hand_over(self, sink: &mut Sink<'_>) -> Result<()> {
        for _ in 0..self.conflicts {
            sink(TableKind::Accounts, Event::Note("snapshot_conflict", 1))?;
        }
        if self.capped > 0 {
            sink(
                TableKind::Accounts,
                Event::Note("snapshot_values_capped", self.capped),
            )?;
        }
        // The latest value is the count column; the others seen, for the draws.
        let seen = |v: &[u64], latest: Option<u64>| {
            let mut all: Vec<u64> = latest.into_iter().collect();
            all.extend(v.iter().filter(|&&x| Some(x) != latest));
            let s: Vec<String> = all.iter().map(u64::to_string).collect();
            s.join(";")
        };
        let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let flag = |v: Option<bool>| v.map(|v| v.to_string()).unwrap_or_default();
        for a in self.accounts {
            let label = a.label.or(a.mentioned_as).unwrap_or_default();
            let m = a.metrics;
            let fields: [String; 16] = [
                a.id,
                label,
                a.name.unwrap_or_default(),
                num(m.followers_count),
                num(m.following_count),
                num(m.tweet_count),
                num(m.listed_count),
                flag(a.protected),
                flag(a.verified),
                a.observed_at.map(rfc3339_millis).unwrap_or_default(),
                a.snapshots.to_string(),
                num(a.followers_min),
                num(a.followers_max),
                seen(&a.seen[0], m.followers_count),
                seen(&a.seen[1], m.following_count),
                seen(&a.seen[2], m.tweet_count),
            ];
            let view: Vec<&str> = fields.iter().map(String::as_str).collect();
            sink(
                TableKind::Accounts,
                Event::Row(Record {
                    loc: Loc::Line(a.first),
                    fields: &view,
                }),
            )?;
        }
        Ok(())
    }
}

/// Unix seconds as `2023-03-01T12:00:05.000Z` (the fixtures' time format, Twitter's
/// `created_at` form).
fn rfc3339_millis(t: i64) -> String {
    crate::dataset::clean::rfc3339(t, true)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::dataset::clean::{OnMalformed, Policy};
    use crate::dataset::{DataSpec, Dataset, Format, load};

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import/twarc2")
            .join(name)
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rankaudit-twarc2-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A golden CSV (no quoted fields in these): the header and the rows.
    fn golden(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let mut lines = text.lines();
        let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
        let header = split(lines.next().unwrap());
        (header, lines.filter(|l| !l.is_empty()).map(split).collect())
    }

    fn spec(path: &std::path::Path, tables: [bool; 3]) -> DataSpec {
        let src = || Some(TableSource::new(path));
        DataSpec {
            order: Default::default(),
            format: Some(Format::named("twarc2").unwrap()),
            accounts: if tables[0] { src() } else { None },
            follows: if tables[1] { src() } else { None },
            interactions: if tables[2] { src() } else { None },
            policy: Policy::default(),
        }
    }

    /// The loaded accounts as text rows over `columns` (`account` first), sorted.
    fn account_rows(ds: &Dataset, columns: &[String]) -> Vec<Vec<String>> {
        let acc = &ds.accounts;
        let mut rows: Vec<Vec<String>> = (0..acc.len())
            .map(|i| {
                columns
                    .iter()
                    .map(|c| match c.as_str() {
                        "account" => acc.ids.name(i as u32).to_string(),
                        c => acc.text_value(c, i).unwrap_or_default(),
                    })
                    .collect()
            })
            .collect();
        rows.sort();
        rows
    }

    /// An interaction as (source, target, kind, time).
    type Row = (String, String, String, Option<i64>);

    /// The loaded interactions, sorted.
    fn interaction_rows(ds: &Dataset) -> Vec<Row> {
        let (it, ids) = (&ds.interactions, &ds.accounts.ids);
        let mut rows: Vec<_> = (0..it.len())
            .map(|k| {
                (
                    ids.name(it.source[k]).to_string(),
                    ids.name(it.target[k]).to_string(),
                    it.kinds[it.kind[k] as usize].clone(),
                    it.time[k],
                )
            })
            .collect();
        rows.sort();
        rows
    }

    fn follow_rows(ds: &Dataset) -> Vec<(String, String)> {
        let ids = &ds.accounts.ids;
        let mut rows = Vec::new();
        for a in 0..ds.follows.node_count() {
            for &b in ds.follows.neighbors(a as u32) {
                rows.push((ids.name(a as u32).to_string(), ids.name(b).to_string()));
            }
        }
        rows.sort();
        rows
    }

    /// Per account: (snapshots, followers_min, followers_max) from a golden snapshots table.
    fn spread(name: &str) -> BTreeMap<String, (String, String, String)> {
        let (_, rows) = golden(name);
        let mut by: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for r in rows {
            by.entry(r[0].clone())
                .or_default()
                .push(r[2].parse().unwrap());
        }
        by.into_iter()
            .map(|(a, f)| {
                let (lo, hi) = (f.iter().min().unwrap(), f.iter().max().unwrap());
                (a, (f.len().to_string(), lo.to_string(), hi.to_string()))
            })
            .collect()
    }

    fn check_spread(ds: &Dataset, golden_name: &str) {
        let want = spread(golden_name);
        let cols: Vec<String> = ["account", "snapshots", "followers_min", "followers_max"]
            .map(String::from)
            .to_vec();
        for row in account_rows(ds, &cols) {
            let got = (row[1].clone(), row[2].clone(), row[3].clone());
            let expected =
                want.get(&row[0])
                    .cloned()
                    .unwrap_or(("0".into(), String::new(), String::new()));
            assert_eq!(got, expected, "{golden_name}: account {}", row[0]);
        }
    }

    #[test]
    fn raw_and_flat_pages_give_the_golden_tables() {
        let (columns, mut want_accounts) = golden("expected_accounts.csv");
        want_accounts.sort();
        let (_, inter) = golden("expected_interactions.csv");
        let mut want_inter: Vec<_> = inter
            .into_iter()
            .map(|r| {
                let t = parse_time(&r[3]).unwrap();
                (r[0].clone(), r[1].clone(), r[2].clone(), Some(t))
            })
            .collect();
        want_inter.sort();
        for (file, api_errors) in [("raw.jsonl", 1), ("flat.jsonl", 0)] {
            let ds = load(&spec(&fixture(file), [true, false, true])).unwrap();
            assert_eq!(account_rows(&ds, &columns), want_accounts, "{file}");
            assert_eq!(interaction_rows(&ds), want_inter, "{file}");
            check_spread(&ds, "expected_account_snapshots.csv");
            let [a, i] = &ds.reports[..] else {
                panic!("{:?}", ds.reports)
            };
            assert_eq!((a.rows_read, a.rows_used), (5, 5), "{file}");
            assert_eq!((i.rows_read, i.rows_used), (8, 8), "{file}");
            assert!(a.rejected.is_empty() && i.rejected.is_empty(), "{file}");
            assert_eq!(a.notes.get("api_error").copied().unwrap_or(0), api_errors);
            assert_eq!(i.notes.get("api_error").copied().unwrap_or(0), api_errors);
            assert_eq!(ds.files, [fixture(file)]);
            // Search pages carry no follow edges (expected_follows.csv is empty).
            let mut follows = 0;
            crate::dataset::read::read_tables(
                &TableSource::new(fixture(file)),
                &[TableKind::Follows],
                &mut |_, ev| {
                    follows += matches!(ev, Event::Row(_)) as usize;
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(follows, 0, "{file}");
            assert_eq!(golden("expected_follows.csv").1.len(), 0);
        }
    }

    #[test]
    fn followers_and_following_pages_give_the_golden_graph() {
        // The two files imported together: concatenated (as `cat` would).
        let dir = temp_dir("graph");
        let path = dir.join("graph.jsonl");
        let mut text = std::fs::read(fixture("followers.jsonl")).unwrap();
        text.extend(std::fs::read(fixture("following.jsonl")).unwrap());
        std::fs::write(&path, &text).unwrap();
        let ds = load(&spec(&path, [true, true, false])).unwrap();
        let (columns, mut want) = golden("expected_graph_accounts.csv");
        want.sort();
        assert_eq!(account_rows(&ds, &columns), want);
        check_spread(&ds, "expected_graph_account_snapshots.csv");
        let (_, follows) = golden("expected_graph_follows.csv");
        let want: Vec<(String, String)> = follows
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        assert_eq!(follow_rows(&ds), want);
        let f = &ds.reports[1];
        assert_eq!(
            (f.table.as_str(), f.rows_read, f.rows_used),
            ("follows", 6, 6)
        );
        assert!(ds.reports.iter().all(|r| r.balanced()));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn snapshots_at_one_time_that_disagree_are_noted_and_the_later_wins() {
        let dir = temp_dir("conflict");
        let path = dir.join("twice.jsonl");
        let raw = std::fs::read_to_string(fixture("raw.jsonl")).unwrap();
        let page3 = raw.lines().nth(2).unwrap();
        // Page 3 again, as if from another file of the same collection, with bob's
        // followers off by one.
        let again = page3.replace("\"followers_count\": 98100", "\"followers_count\": 98101");
        assert_ne!(again, page3);
        std::fs::write(&path, format!("{raw}{again}\n")).unwrap();
        let ds = load(&spec(&path, [true, false, true])).unwrap();
        let a = &ds.reports[0];
        assert_eq!(a.notes["snapshot_conflict"], 1, "{a:?}");
        let cols = ["account", "followers", "snapshots", "followers_max"]
            .map(String::from)
            .to_vec();
        assert!(
            account_rows(&ds, &cols).contains(
                &["1500000000000000002", "98101", "3", "98101"]
                    .map(String::from)
                    .to_vec()
            )
        );
        // Its tweets are repeats: noted, no rows.
        assert_eq!(ds.reports[1].notes["duplicate_tweet"], 2);
        assert_eq!(ds.interactions.len(), 8);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_list_without_metadata_asks_for_its_subject() {
        let dir = temp_dir("subject");
        let path = dir.join("followers.jsonl");
        // The first page without its `__twarc` (twarc2 --no-metadata).
        let page = std::fs::read_to_string(fixture("followers.jsonl")).unwrap();
        let page = page.lines().next().unwrap();
        let bare = &page[..page.find(", \"__twarc\"").unwrap()];
        std::fs::write(&path, format!("{bare}}}\n")).unwrap();
        let e = format!(
            "{:#}",
            load(&spec(&path, [false, true, false])).unwrap_err()
        );
        assert!(
            e.starts_with(&format!(
                "{}: line 1: a page of users without `__twarc`",
                path.display()
            )),
            "{e}"
        );
        assert!(e.contains("subject = \"followers:<id>\""), "{e}");
        let mut with = spec(&path, [true, true, false]);
        for t in [with.accounts.as_mut(), with.follows.as_mut()] {
            t.unwrap().subject = Some("followers:1500000000000000001".into());
        }
        let ds = load(&with).unwrap();
        assert_eq!(
            follow_rows(&ds),
            [
                ("1500000000000000002", "1500000000000000001"),
                ("1500000000000000004", "1500000000000000001"),
                ("1500000000000000005", "1500000000000000001"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Without retrieved_at the snapshot has no time.
        let cols = ["account", "followers", "observed_at"]
            .map(String::from)
            .to_vec();
        assert!(account_rows(&ds, &cols).contains(&vec![
            "1500000000000000005".into(),
            "12".into(),
            String::new()
        ]));
        with.follows.as_mut().unwrap().subject = Some("alice".into());
        let e = format!("{:#}", load(&with).unwrap_err());
        assert!(
            e.contains("subject = \"alice\" is not \"followers:<id>\""),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bad_lines_are_rejected_with_file_line_and_column() {
        let dir = temp_dir("bad");
        let path = dir.join("mixed.jsonl");
        let flat = std::fs::read_to_string(fixture("flat.jsonl")).unwrap();
        let lines: Vec<&str> = flat.lines().collect();
        let text = [
            lines[0],
            "{\"data\": [{\"id\": \"1\", \"author_id\": ",           // cut short
            "{\"foo\": 1}",                                           // not a twarc2 shape
            "{\"data\": [{\"end\": \"2023-03-02T00:00:00.000Z\", \"start\": \"2023-03-01T00:00:00.000Z\", \"tweet_count\": 3}], \"__twarc\": {\"url\": \"https://api.twitter.com/2/tweets/counts/recent\", \"retrieved_at\": \"2023-03-02T00:00:00+00:00\"}}",
            "",
            lines[1],
            lines[1], // the same tweet again: a repeat, noted
            "[1, 2]",
        ]
        .join("\n");
        std::fs::write(&path, text).unwrap();
        let e = format!("{:#}", load(&spec(&path, [true, false, true])).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: line 2: malformed row (malformed_json): column ",
                path.display()
            )),
            "{e}"
        );
        let mut skip = spec(&path, [true, false, true]);
        skip.policy.malformed = OnMalformed::Skip;
        let ds = load(&skip).unwrap();
        for r in &ds.reports {
            assert!(r.balanced(), "{r:?}");
            assert_eq!(r.rejected["malformed_json"], 1, "{r:?}");
            assert_eq!(r.rejected["unknown_shape"], 3, "{r:?}");
            assert!(
                r.examples["unknown_shape"][1]
                    .starts_with("line 4: its data[] holds neither tweets"),
                "{r:?}"
            );
        }
        let i = &ds.reports[1];
        assert_eq!(i.notes["duplicate_tweet"], 1);
        // Line 1: dave retweets bob; line 6: alice mentions bob.
        assert_eq!((i.rows_used, ds.interactions.len()), (2, 2));
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A user object of the generated files: account `u`, counts growing with `page`.
    fn gen_user(u: usize, page: usize) -> String {
        format!(
            r#"{{"id": "{}", "username": "user_{u}", "name": "User \u00e9 {u}", "protected": false, "verified": {}, "public_metrics": {{"followers_count": {}, "following_count": {}, "tweet_count": {}, "listed_count": 1}}, "description": "generated"}}"#,
            1_000_000 + u,
            u.is_multiple_of(7),
            100 + u + page,
            50 + u,
            1000 + page
        )
    }

    /// Tweet `k` of the generated files, by account `k % users`: an original mentioning
    /// the next account, a retweet, a reply (with its leading mention) or a quote, in
    /// turn; `flat`: with the users and the referenced tweet merged in.
    fn gen_tweet(k: usize, users: usize, page: usize, flat: bool) -> String {
        let (a, other) = (k % users, (k + 1 + k % 4) % users);
        let uid = |u: usize| 1_000_000 + u;
        let mention = |u: usize| {
            let user = if flat {
                let full = gen_user(u, page);
                format!(", {}", &full[1..full.len() - 1])
            } else {
                format!(r#", "username": "user_{u}", "id": "{}""#, uid(u))
            };
            format!(r#"{{"start": 0, "end": 8{user}}}"#)
        };
        let reference = |kind: &str| {
            let merged = if flat {
                format!(
                    r#", "author_id": "{}", "text": "earlier", "author": {}"#,
                    uid(other),
                    gen_user(other, page)
                )
            } else {
                String::new()
            };
            format!(
                r#""referenced_tweets": [{{"type": "{kind}", "id": "{}"{merged}}}], "#,
                9_000_000 + k
            )
        };
        let (refs, extra, mentions) = match k % 4 {
            0 => (String::new(), String::new(), vec![mention(other)]),
            1 => (reference("retweeted"), String::new(), vec![mention(other)]),
            2 => (
                reference("replied_to"),
                format!(r#""in_reply_to_user_id": "{}", "#, uid(other)),
                vec![mention(other)],
            ),
            _ => (reference("quoted"), String::new(), vec![]),
        };
        let author = if flat {
            format!(
                r#", "author": {}, "__twarc": {{"url": "https://api.twitter.com/2/tweets/search/all?query=x", "version": "2.14.1", "retrieved_at": "2023-03-01T12:{:02}:{:02}+00:00"}}"#,
                gen_user(a, page),
                page / 60 % 60,
                page % 60
            )
        } else {
            String::new()
        };
        format!(
            r#"{{"id": "{}", "author_id": "{}", "created_at": "2023-03-01T09:00:{:02}.000Z", "text": "tweet {k} with some words in it", "lang": "en", "public_metrics": {{"retweet_count": 0, "reply_count": 0, "like_count": 3, "quote_count": 0}}, {refs}{extra}"entities": {{"mentions": [{}]}}{author}}}"#,
            10_000_000 + k,
            uid(a),
            k % 60,
            mentions.join(", ")
        )
    }

    /// `tweets` tweets by `users` accounts, raw (pages of 100) or flattened.
    pub(crate) fn generate(tweets: usize, users: usize, flat: bool) -> String {
        let mut out = String::new();
        for page in 0..tweets.div_ceil(100) {
            let ks = page * 100..(page * 100 + 100).min(tweets);
            if flat {
                for k in ks {
                    out += &gen_tweet(k, users, page, true);
                    out.push('\n');
                }
                continue;
            }
            let data: Vec<String> = ks
                .clone()
                .map(|k| gen_tweet(k, users, page, false))
                .collect();
            let mut seen = HashSet::new();
            let mut people = Vec::new();
            for k in ks.clone() {
                for u in [k % users, (k + 1 + k % 4) % users] {
                    if seen.insert(u) {
                        people.push(gen_user(u, page));
                    }
                }
            }
            let included: Vec<String> = ks
                .filter(|k| k % 4 != 0)
                .map(|k| {
                    format!(
                        r#"{{"id": "{}", "author_id": "{}", "text": "earlier"}}"#,
                        9_000_000 + k,
                        1_000_000 + (k + 1 + k % 4) % users
                    )
                })
                .collect();
            out += &format!(
                r#"{{"data": [{}], "includes": {{"users": [{}], "tweets": [{}]}}, "meta": {{"result_count": 100}}, "__twarc": {{"url": "https://api.twitter.com/2/tweets/search/all?query=x", "version": "2.14.1", "retrieved_at": "2023-03-01T12:{:02}:{:02}+00:00"}}}}"#,
                data.join(", "),
                people.join(", "),
                included.join(", "),
                page / 60 % 60,
                page % 60
            );
            out.push('\n');
        }
        out
    }

    #[test]
    fn a_generated_collection_loads_the_same_raw_flat_gzip_and_at_any_thread_count() {
        use std::io::Write;
        let dir = temp_dir("generated");
        let (tweets, users) = (20_000, 500);
        let mut seen: Option<(Vec<String>, Vec<Row>)> = None;
        for flat in [false, true] {
            let text = generate(tweets, users, flat);
            let plain = dir.join(format!("gen-{flat}.jsonl"));
            std::fs::write(&plain, &text).unwrap();
            let gz = dir.join(format!("gen-{flat}.jsonl.gz"));
            let mut enc = flate2::write::GzEncoder::new(
                std::fs::File::create(&gz).unwrap(),
                flate2::Compression::fast(),
            );
            enc.write_all(text.as_bytes()).unwrap();
            enc.finish().unwrap();
            for (path, threads) in [(&plain, 0), (&gz, 0), (&plain, 1)] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let ds = pool
                    .install(|| load(&spec(path, [true, false, true])))
                    .unwrap();
                let what = format!("{} with {threads} threads", path.display());
                assert_eq!(ds.accounts.len(), users, "{what}");
                let [a, i] = &ds.reports[..] else { panic!() };
                assert_eq!(
                    (a.rows_read, a.rows_used),
                    (users as u64, users as u64),
                    "{what}"
                );
                // Per 4 tweets: a mention; a retweet; a reply and its mention; a quote.
                assert_eq!((i.rows_read, i.rows_used), (25_000, 25_000), "{what}");
                let rows = interaction_rows(&ds);
                let retweets = rows.iter().filter(|r| r.2 == "retweet").count();
                assert_eq!(retweets, tweets / 4, "{what}");
                let cols = [
                    "account",
                    "label",
                    "name",
                    "followers",
                    "snapshots",
                    "followers_min",
                    "followers_max",
                    "observed_at",
                ]
                .map(String::from)
                .to_vec();
                let acc = account_rows(&ds, &cols);
                // Account 0 (user_0) is on 40 of the 200 pages (author of tweets 0, 500, ...;
                // addressed by 499, 998, ...), last on page 195 (12:03:15).
                assert_eq!(
                    acc.iter().find(|r| r[0] == "1000000").unwrap()[1..],
                    [
                        "user_0",
                        "User é 0",
                        "295",
                        "40",
                        "100",
                        "295",
                        "2023-03-01T12:03:15.000Z"
                    ]
                    .map(String::from),
                    "{what}"
                );
                let names = ds.accounts.ids.names().to_vec();
                match &seen {
                    None => seen = Some((names, rows)),
                    // Same accounts in the same order, same interactions.
                    Some((n, r)) => {
                        assert_eq!((&names, &rows), (n, r), "{what}");
                    }
                }
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn what_cannot_become_a_row_is_noted() {
        let dir = temp_dir("notes");
        let path = dir.join("notes.jsonl");
        let twarc = r#""__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=x", "version": "2.14.1", "retrieved_at": "2023-03-01T12:00:00+00:00"}"#;
        let text = [
            // A mention without an id (never joined by username), one with.
            format!(
                r#"{{"id": "10", "author_id": "1", "created_at": "2023-03-01T09:00:00.000Z", "entities": {{"mentions": [{{"start": 0, "end": 4, "username": "bob"}}, {{"start": 5, "end": 9, "username": "carol", "id": "3"}}]}}, {twarc}}}"#
            ),
            // A retweet whose original is not in includes.tweets, an unknown reference
            // type, and a page error.
            format!(
                r#"{{"data": [{{"id": "11", "author_id": "1", "created_at": "2023-03-01T09:01:00.000Z", "referenced_tweets": [{{"type": "retweeted", "id": "99"}}, {{"type": "translated", "id": "98"}}]}}], "includes": {{"users": []}}, "errors": [{{"title": "Not Found Error"}}], {twarc}}}"#
            ),
            // The last page of a search: no data.
            format!(r#"{{"meta": {{"result_count": 0}}, {twarc}}}"#),
        ]
        .join("\n");
        std::fs::write(&path, text).unwrap();
        let ds = load(&spec(&path, [true, false, true])).unwrap();
        let [a, i] = &ds.reports[..] else { panic!() };
        assert_eq!(
            interaction_rows(&ds),
            [("1".into(), "3".into(), "mention".into(), Some(1677661200))]
        );
        let notes =
            |r: &crate::dataset::TableReport| r.notes.clone().into_iter().collect::<Vec<_>>();
        assert_eq!(
            notes(i),
            [
                ("api_error", 1),
                ("empty_page", 1),
                ("mention_without_id", 1),
                ("referenced_author_unknown", 1),
                ("unknown_reference_type", 1),
                ("weight_defaulted", 1) // the loader's: the table has no weight column
            ]
            .map(|(k, v)| (k.to_string(), v))
        );
        assert_eq!(
            notes(a),
            // The loader's notes: no user objects here, so no counts.
            [
                ("api_error", 1),
                ("empty_page", 1),
                ("missing_followers", 2),
                ("missing_following", 2),
                ("missing_label", 1),
                ("missing_statuses", 2)
            ]
            .map(|(k, v)| (k.to_string(), v))
        );
        // Accounts: the authors and the mentioned id; "bob" (no id) is not one.
        assert_eq!(ds.accounts.ids.names().to_vec(), ["1", "3"]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_first_line_picks_the_format() {
        for f in [
            "raw.jsonl",
            "flat.jsonl",
            "followers.jsonl",
            "following.jsonl",
        ] {
            assert_eq!(
                TableSource::new(fixture(f)).importer().unwrap().name(),
                "twarc2",
                "{f}"
            );
        }
        assert!(!Twarc2.sniff(b"{\"did\": \"did:plc:x\", \"time_us\": 1, \"kind\": \"commit\"}"));
        assert!(!Twarc2.sniff(b"follower,followee"));
    }

    #[test]
    fn list_urls_name_their_subject() {
        assert_eq!(
            list_subject(
                "https://api.twitter.com/2/users/12/followers?max_results=1000&pagination_token=x"
            ),
            Some((Side::Followers, "12"))
        );
        assert_eq!(
            list_subject("https://api.twitter.com/2/users/12/following"),
            Some((Side::Following, "12"))
        );
        assert_eq!(
            list_subject("https://api.twitter.com/2/users/by/username/alice"),
            None
        );
        assert_eq!(
            list_subject("https://api.twitter.com/2/tweets/search/recent?q=/2/users/1/followers"),
            None
        );
        assert_eq!(rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_millis(parse_time("2023-03-08T06:30:00+00:00").unwrap()),
            "2023-03-08T06:30:00.000Z"
        );
        assert_eq!(rfc3339_millis(951_782_400), "2000-02-29T00:00:00.000Z");
    }
}
