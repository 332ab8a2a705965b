//! Bluesky Jetstream: the v1 JSON events of `wss://jetstream…/subscribe` captured one
//! per line (plain or gzip'd). One file yields the accounts, follows and interactions
//! tables.
//!
//! A line is `{did, time_us, kind, commit | identity | account}`; `did` is the acting
//! account. What becomes a row (methodology.md, "Bluesky importers"):
//! - `app.bsky.graph.follow` create: `did` → `record.subject`. A delete carries only the
//!   record key, so each live follow is kept by (did, rkey) until the end of the file,
//!   when the follows left are handed over in the order of their create lines.
//! - `app.bsky.feed.post`: a `reply` to the author of `reply.parent`, a `quote` of the
//!   author of the embedded post (`embed.record`, `embed.recordWithMedia`), a `mention`
//!   of each facet mention DID, one row per (kind, target) per post;
//!   `app.bsky.feed.repost`: a `repost` of the author of `subject`. Time: the record's
//!   `createdAt`. These are events, handed over as they are read.
//! - `identity` events give the handle (`label`), `app.bsky.actor.profile` records the
//!   display name (`name`), latest in the file wins; the accounts (every DID seen acting
//!   or as a kept target) are handed over at the end.
//!
//! Every other line is an [`Event::Skip`] with its reason, in the table it concerns; a
//! line that is not JSON, or not an event, is an [`Event::Bad`] with its line (and, for
//! JSON, column). Memory holds the accounts and the live follows with their record keys:
//! the graph, not the file.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;

use super::{Importer, Sink};
use crate::dataset::clean::{parse_time, quoted};
use crate::dataset::ids::Ids;
use crate::dataset::read::{BadRecord, Event, Loc, Record, TableSource, open_maybe_gz};
use crate::dataset::schema::{self, TableKind};

pub(super) struct Jetstream;

const FOLLOW: &str = "app.bsky.graph.follow";
const POST: &str = "app.bsky.feed.post";
const REPOST: &str = "app.bsky.feed.repost";
const PROFILE: &str = "app.bsky.actor.profile";
const MENTION: &str = "app.bsky.richtext.facet#mention";
const EMBED_RECORD: &str = "app.bsky.embed.record";
const EMBED_RECORD_WITH_MEDIA: &str = "app.bsky.embed.recordWithMedia";
/// What an `identity` event says when the handle failed validation.
const INVALID_HANDLE: &str = "handle.invalid";

/// The accounts columns every importer's golden table has (tests/fixtures/import/
/// README.md): Jetstream fills `account`, `label` and `name`; it carries no counts, so
/// the rest stay empty (missing, never 0). `label` and `name` are attributes until the
/// schema names them.
const ACCOUNT_COLUMNS: [&str; 10] = [
    schema::ACCOUNT,
    "label",
    "name",
    schema::FOLLOWERS,
    schema::FOLLOWING,
    schema::STATUSES,
    "listed",
    "protected",
    "verified",
    "observed_at",
];
const FOLLOW_COLUMNS: [&str; 2] = [schema::FOLLOWER, schema::FOLLOWEE];
const INTERACTION_COLUMNS: [&str; 4] = [schema::SOURCE, schema::TARGET, schema::KIND, schema::TIME];

impl Importer for Jetstream {
    fn name(&self) -> &'static str {
        "jetstream"
    }

    /// None: `.jsonl`/`.json` is twarc2's too; a Jetstream capture is named by format.
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

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let columns = |kind| match kind {
            TableKind::Accounts => &ACCOUNT_COLUMNS[..],
            TableKind::Follows => &FOLLOW_COLUMNS[..],
            TableKind::Interactions => &INTERACTION_COLUMNS[..],
        };
        for &kind in want {
            let names: Vec<String> = columns(kind).iter().map(|c| c.to_string()).collect();
            sink(kind, Event::Header(&names))?;
        }
        let path = &src.path;
        let mut reader = BufReader::new(open_maybe_gz(path)?);
        let mut stream = Stream::default();
        let mut out = Out { want, sink };
        let mut buf = Vec::new();
        let mut line = 0u64;
        let mut events = 0u64;
        loop {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("{}: line {}: cannot read", path.display(), line + 1))?;
            if n == 0 {
                break;
            }
            line += 1;
            let text = buf.trim_ascii();
            if text.is_empty() {
                continue;
            }
            events += 1;
            stream.line(text, line, &mut out)?;
        }
        if events == 0 {
            bail!(
                "{}: no events: the file is empty (a Jetstream capture has one JSON event per line)",
                path.display()
            );
        }
        stream.finish(&mut out)
    }
}

/// One event line, as far as this importer reads it (other fields are ignored).
#[derive(Deserialize)]
struct Envelope {
    did: String,
    time_us: Option<i64>,
    kind: String,
    commit: Option<Commit>,
    identity: Option<Identity>,
    account: Option<AccountEvent>,
}

#[derive(Deserialize)]
struct Commit {
    operation: String,
    collection: String,
    rkey: String,
    /// Parsed by collection, so that a collection not imported is never checked.
    record: Option<Value>,
}

#[derive(Deserialize)]
struct Identity {
    handle: Option<String>,
}

#[derive(Deserialize)]
struct AccountEvent {
    active: Option<bool>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct FollowRecord {
    subject: String,
}

#[derive(Deserialize)]
struct PostRecord {
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
    reply: Option<Reply>,
    embed: Option<Embed>,
    facets: Option<Vec<Facet>>,
}

#[derive(Deserialize)]
struct Reply {
    parent: StrongRef,
}

#[derive(Deserialize)]
struct StrongRef {
    uri: String,
}

#[derive(Deserialize)]
struct Embed {
    #[serde(rename = "$type")]
    kind: Option<String>,
    record: Option<EmbedRecord>,
}

/// `app.bsky.embed.record`'s `record` is a strong ref (`uri`); `recordWithMedia`'s is an
/// `app.bsky.embed.record` (`record.uri`).
#[derive(Deserialize)]
struct EmbedRecord {
    uri: Option<String>,
    record: Option<StrongRef>,
}

#[derive(Deserialize)]
struct Facet {
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(rename = "$type")]
    kind: Option<String>,
    did: Option<String>,
}

#[derive(Deserialize)]
struct RepostRecord {
    #[serde(rename = "createdAt")]
    created_at: Option<String>,
    subject: StrongRef,
}

#[derive(Deserialize)]
struct ProfileRecord {
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

/// Where events go: only to the tables asked for.
struct Out<'a, 'b> {
    want: &'a [TableKind],
    sink: &'a mut Sink<'b>,
}

impl Out<'_, '_> {
    fn send(&mut self, kind: TableKind, ev: Event<'_>) -> Result<()> {
        if self.want.contains(&kind) {
            (self.sink)(kind, ev)?;
        }
        Ok(())
    }

    fn skip(
        &mut self,
        kind: TableKind,
        loc: Loc,
        reason: &'static str,
        detail: String,
    ) -> Result<()> {
        self.send(
            kind,
            Event::Skip(BadRecord {
                loc,
                reason,
                detail,
            }),
        )
    }

    fn note(&mut self, kind: TableKind, what: &'static str) -> Result<()> {
        self.send(kind, Event::Note(what, 1))
    }

    /// A line that cannot be read as an event: it belongs to no table in particular, so
    /// it goes to the first table asked for (the one being loaded, so that the
    /// `malformed = "error"` policy stops at once).
    fn bad(&mut self, loc: Loc, reason: &'static str, detail: String) -> Result<()> {
        let kind = self.want[0];
        (self.sink)(
            kind,
            Event::Bad(BadRecord {
                loc,
                reason,
                detail,
            }),
        )
    }
}

/// What is known of one account.
#[derive(Default)]
struct Account {
    /// The line where it first acted in a line read or was the target of a kept
    /// follow or interaction row: where its accounts row is. `None`: not an account of
    /// the tables (e.g. seen only in a malformed line or as a deleted follow's subject).
    listed: Option<u64>,
    /// The latest valid handle and the line of its identity event.
    handle: Option<(Box<str>, u64)>,
    /// The latest profile's display name.
    name: Option<Box<str>>,
}

/// A live follow record: its subject and its create line.
struct Follow {
    subject: u32,
    line: u64,
}

/// The state folded over the stream.
#[derive(Default)]
struct Stream {
    ids: Ids,
    accounts: Vec<Account>,
    /// Live follow records by (follower, rkey): ordered, so an account's are one range.
    follows: BTreeMap<(u32, Box<str>), Follow>,
}

/// Why a commit line gives nothing: the sink stopped the read, or the line is
/// malformed (the reason and detail of its [`Event::Bad`]).
enum LineError {
    Stop(anyhow::Error),
    Bad(&'static str, String),
}

impl From<anyhow::Error> for LineError {
    fn from(e: anyhow::Error) -> Self {
        LineError::Stop(e)
    }
}

/// A record of a collection read here, as far as its fields are read.
fn parse<T: serde::de::DeserializeOwned>(record: &Value) -> Result<T, LineError> {
    T::deserialize(record).map_err(|e| LineError::Bad("bad_record", e.to_string()))
}

impl Stream {
    /// The index of `did`.
    fn account(&mut self, did: &str) -> u32 {
        let (i, new) = self.ids.intern(did);
        if new {
            self.accounts.push(Account::default());
        }
        i
    }

    /// The index of `did`, an account of the tables from `line` on.
    fn list(&mut self, did: &str, line: u64) -> u32 {
        let i = self.account(did);
        self.accounts[i as usize].listed.get_or_insert(line);
        i
    }

    fn line(&mut self, text: &[u8], line: u64, out: &mut Out) -> Result<()> {
        let loc = Loc::Line(line);
        let ev: Envelope = match serde_json::from_slice(text) {
            Ok(ev) => ev,
            Err(e) => {
                let (reason, what) = match e.classify() {
                    serde_json::error::Category::Data => ("bad_event", "not a Jetstream event"),
                    _ => ("bad_json", "not JSON"),
                };
                let msg = e.to_string();
                let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |m| m.0);
                return out.bad(loc, reason, format!("column {}: {what}: {msg}", e.column()));
            }
        };
        if let Err(why) = did_check(&ev.did) {
            return out.bad(loc, "bad_did", format!("`did`: {why}"));
        }
        match ev.kind.as_str() {
            "commit" => match &ev.commit {
                Some(c) => self.commit(&ev, c, line, out),
                None => out.bad(loc, "bad_event", "a commit event without `commit`".into()),
            },
            "identity" => self.identity(&ev, line, out),
            "account" => self.account_event(&ev, line, out),
            other => {
                self.list(&ev.did, line);
                out.skip(
                    out.want[0],
                    loc,
                    "kind_not_imported",
                    format!(
                        "event kind {} (Jetstream v1 has commit, identity, account)",
                        quoted(other)
                    ),
                )
            }
        }
    }

    fn identity(&mut self, ev: &Envelope, line: u64, out: &mut Out) -> Result<()> {
        let i = self.list(&ev.did, line) as usize;
        let handle = ev
            .identity
            .as_ref()
            .and_then(|id| id.handle.as_deref())
            .map(|h| h.trim().trim_start_matches('@').to_ascii_lowercase())
            .filter(|h| !h.is_empty() && h != INVALID_HANDLE);
        let Some(handle) = handle else {
            return out.skip(
                TableKind::Accounts,
                Loc::Line(line),
                "identity_without_handle",
                format!(
                    "{}: no valid handle (absent or {INVALID_HANDLE:?}); the previous one, if any, is kept",
                    ev.did
                ),
            );
        };
        let acc = &mut self.accounts[i];
        if acc.handle.as_ref().is_some_and(|(h, _)| **h != *handle) {
            out.note(TableKind::Accounts, "handle_changed")?;
        }
        acc.handle = Some((handle.into(), line));
        out.note(TableKind::Accounts, "identity_event")
    }

    fn account_event(&mut self, ev: &Envelope, line: u64, out: &mut Out) -> Result<()> {
        let i = self.list(&ev.did, line);
        let loc = Loc::Line(line);
        let (active, status) = ev
            .account
            .as_ref()
            .map_or((None, None), |a| (a.active, a.status.as_deref()));
        if status != Some("deleted") {
            return out.skip(
                TableKind::Accounts,
                loc,
                "account_status",
                format!(
                    "{}: status {}, active {}: not applied, its records are kept (only \"deleted\" removes them)",
                    ev.did,
                    status.map_or("(none)".to_string(), quoted),
                    active.map_or("(none)".to_string(), |a| a.to_string())
                ),
            );
        }
        // A deleted account's repository is gone: its follows (relations) go; its
        // interactions (events that happened) stay.
        let keys: Vec<(u32, Box<str>)> = self
            .follows
            .range((i, Box::<str>::from(""))..)
            .take_while(|(k, _)| k.0 == i)
            .map(|(k, _)| k.clone())
            .collect();
        for k in &keys {
            let f = self.follows.remove(k).expect("a key just listed");
            out.skip(
                TableKind::Follows,
                Loc::Line(f.line),
                "account_deleted",
                format!(
                    "{} -> {}: the follower's account was deleted at line {line}",
                    ev.did,
                    self.ids.name(f.subject)
                ),
            )?;
        }
        out.skip(
            TableKind::Accounts,
            loc,
            "account_status",
            format!(
                "{}: status \"deleted\": its {} follows are removed; its interactions stay",
                ev.did,
                keys.len()
            ),
        )
    }

    fn commit(&mut self, ev: &Envelope, c: &Commit, line: u64, out: &mut Out) -> Result<()> {
        let loc = Loc::Line(line);
        // Listed once the line is read: a malformed line names no account.
        let actor = self.account(&ev.did);
        let writes = match c.operation.as_str() {
            "create" | "update" => true,
            "delete" => false,
            other => {
                return out.bad(
                    loc,
                    "bad_event",
                    format!(
                        "commit operation {} (expected create, update or delete)",
                        quoted(other)
                    ),
                );
            }
        };
        let record = match (&c.record, writes) {
            (Some(r), true) => Some(r),
            (None, true) => {
                return out.bad(
                    loc,
                    "bad_event",
                    format!("a {} {} without `record`", c.collection, c.operation),
                );
            }
            (_, false) => None,
        };
        let parsed = match (c.collection.as_str(), record) {
            (FOLLOW, Some(r)) => self.follow(ev, c, r, line, out),
            (FOLLOW, None) => self.unfollow(ev, actor, c, line, out).map_err(LineError::Stop),
            (POST, Some(r)) => self.post(ev, r, line, out),
            (REPOST, Some(r)) => self.repost(ev, r, line, out),
            (POST | REPOST, None) => out
                .skip(
                    TableKind::Interactions,
                    loc,
                    "deleted_event_kept",
                    format!(
                        "{} {} of {} deleted: interactions are events, its rows (if it is in the file) stay",
                        c.collection, c.rkey, ev.did
                    ),
                )
                .map_err(LineError::Stop),
            (PROFILE, _) => self.profile(ev, actor, c, record, line, out),
            (other, _) => {
                let table = if other.starts_with("app.bsky.graph.") {
                    TableKind::Follows
                } else {
                    TableKind::Interactions
                };
                out.skip(
                    table,
                    loc,
                    "collection_not_imported",
                    format!("{other} {} by {}", c.operation, ev.did),
                )
                .map_err(LineError::Stop)
            }
        };
        match parsed {
            Ok(()) => {
                self.accounts[actor as usize].listed.get_or_insert(line);
                Ok(())
            }
            Err(LineError::Bad(reason, detail)) => {
                out.bad(loc, reason, format!("{}: {detail}", c.collection))
            }
            Err(LineError::Stop(e)) => Err(e),
        }
    }

    fn follow(
        &mut self,
        ev: &Envelope,
        c: &Commit,
        record: &Value,
        line: u64,
        out: &mut Out,
    ) -> Result<(), LineError> {
        let rec: FollowRecord = parse(record)?;
        if let Err(why) = did_check(&rec.subject) {
            return Err(LineError::Bad("bad_did", format!("`subject`: {why}")));
        }
        let follower = self.account(&ev.did);
        let subject = self.account(&rec.subject);
        let key = (follower, Box::<str>::from(c.rkey.as_str()));
        if let Some(old) = self.follows.insert(key, Follow { subject, line }) {
            out.skip(
                TableKind::Follows,
                Loc::Line(old.line),
                "follow_rewritten",
                format!(
                    "{} -> {}: the record {} was written again at line {line}",
                    ev.did,
                    self.ids.name(old.subject),
                    c.rkey
                ),
            )?;
        }
        Ok(())
    }

    fn unfollow(
        &mut self,
        ev: &Envelope,
        follower: u32,
        c: &Commit,
        line: u64,
        out: &mut Out,
    ) -> Result<()> {
        let loc = Loc::Line(line);
        match self.follows.remove(&(follower, Box::<str>::from(c.rkey.as_str()))) {
            Some(f) => out.skip(
                TableKind::Follows,
                loc,
                "follow_deleted",
                format!(
                    "{} -> {} (created at line {}) deleted",
                    ev.did,
                    self.ids.name(f.subject),
                    f.line
                ),
            ),
            None => out.skip(
                TableKind::Follows,
                loc,
                "follow_delete_unknown",
                format!(
                    "{} deletes follow record {}, whose create is not in the file (made before the capture began): no edge removed",
                    ev.did, c.rkey
                ),
            ),
        }
    }

    fn post(
        &mut self,
        ev: &Envelope,
        record: &Value,
        line: u64,
        out: &mut Out,
    ) -> Result<(), LineError> {
        let rec: PostRecord = parse(record)?;
        let mut rows: Vec<(&'static str, &str)> = Vec::new();
        if let Some(reply) = &rec.reply {
            match uri_author(&reply.parent.uri) {
                Ok((did, _)) => rows.push(("reply", did)),
                Err(why) => {
                    return Err(LineError::Bad(
                        "bad_uri",
                        format!("`reply.parent.uri`: {why}"),
                    ));
                }
            }
        }
        let mut embeds_other = false;
        if let Some(embed) = &rec.embed {
            let uri = match (embed.kind.as_deref(), &embed.record) {
                (Some(EMBED_RECORD), Some(r)) => r.uri.as_deref(),
                (Some(EMBED_RECORD_WITH_MEDIA), Some(r)) => {
                    r.record.as_ref().map(|s| s.uri.as_str())
                }
                (Some(EMBED_RECORD | EMBED_RECORD_WITH_MEDIA), None) => None,
                _ => Some(""),
            };
            match uri {
                None => {
                    return Err(LineError::Bad(
                        "bad_record",
                        "an embedded record without its `uri`".to_string(),
                    ));
                }
                Some("") => {}
                Some(uri) => match uri_author(uri) {
                    // A quote embeds a post; an embedded list, feed or starter pack is not one.
                    Ok((did, POST)) => rows.push(("quote", did)),
                    Ok(_) => embeds_other = true,
                    Err(why) => {
                        return Err(LineError::Bad(
                            "bad_uri",
                            format!("the embedded `uri`: {why}"),
                        ));
                    }
                },
            }
        }
        for feature in rec.facets.iter().flatten().flat_map(|f| &f.features) {
            if feature.kind.as_deref() == Some(MENTION) {
                let Some(did) = feature.did.as_deref() else {
                    return Err(LineError::Bad(
                        "bad_record",
                        "a mention facet without `did`".to_string(),
                    ));
                };
                if let Err(why) = did_check(did) {
                    return Err(LineError::Bad(
                        "bad_did",
                        format!("a mention facet's `did`: {why}"),
                    ));
                }
                rows.push(("mention", did));
            }
        }
        if embeds_other {
            out.note(TableKind::Interactions, "embed_not_a_post")?;
        }
        if rows.is_empty() {
            return out
                .skip(
                    TableKind::Interactions,
                    Loc::Line(line),
                    "post_without_interaction",
                    format!(
                        "a post by {} that replies to, quotes and mentions no one",
                        ev.did
                    ),
                )
                .map_err(LineError::Stop);
        }
        let time = self.time(ev, rec.created_at.as_deref(), out)?;
        Ok(self.interactions(ev, &rows, &time, line, out)?)
    }

    fn repost(
        &mut self,
        ev: &Envelope,
        record: &Value,
        line: u64,
        out: &mut Out,
    ) -> Result<(), LineError> {
        let rec: RepostRecord = parse(record)?;
        let target = match uri_author(&rec.subject.uri) {
            Ok((did, _)) => did,
            Err(why) => return Err(LineError::Bad("bad_uri", format!("`subject.uri`: {why}"))),
        };
        let time = self.time(ev, rec.created_at.as_deref(), out)?;
        Ok(self.interactions(ev, &[("repost", target)], &time, line, out)?)
    }

    /// Hand over one post's (or repost's) rows: one per (kind, target), in order.
    fn interactions(
        &mut self,
        ev: &Envelope,
        rows: &[(&'static str, &str)],
        time: &str,
        line: u64,
        out: &mut Out,
    ) -> Result<()> {
        for (k, &(kind, target)) in rows.iter().enumerate() {
            if rows[..k].contains(&(kind, target)) {
                out.note(TableKind::Interactions, "same_kind_and_target_in_one_post")?;
                continue;
            }
            self.list(target, line);
            let fields = [ev.did.as_str(), target, kind, time];
            out.send(
                TableKind::Interactions,
                Event::Row(Record {
                    loc: Loc::Line(line),
                    fields: &fields,
                }),
            )?;
        }
        Ok(())
    }

    /// The record's `createdAt` when it is a time; else when Jetstream saw it
    /// (`time_us`, as Unix seconds), noted.
    fn time(&self, ev: &Envelope, created_at: Option<&str>, out: &mut Out) -> Result<String> {
        if let Some(t) = created_at.filter(|t| parse_time(t).is_ok()) {
            return Ok(t.to_string());
        }
        match ev.time_us {
            Some(us) => {
                out.note(TableKind::Interactions, "time_from_time_us")?;
                Ok(format!(
                    "{}.{:06}",
                    us.div_euclid(1_000_000),
                    us.rem_euclid(1_000_000)
                ))
            }
            None => {
                out.note(TableKind::Interactions, "time_missing")?;
                Ok(String::new())
            }
        }
    }

    fn profile(
        &mut self,
        ev: &Envelope,
        actor: u32,
        c: &Commit,
        record: Option<&Value>,
        line: u64,
        out: &mut Out,
    ) -> Result<(), LineError> {
        if c.rkey != "self" {
            return out
                .skip(
                    TableKind::Accounts,
                    Loc::Line(line),
                    "profile_not_self",
                    format!(
                        "{}: a profile record with key {} (the profile is the record \"self\")",
                        ev.did,
                        quoted(&c.rkey)
                    ),
                )
                .map_err(LineError::Stop);
        }
        // A profile write replaces the whole record: no `displayName` means none now.
        let name = match record {
            Some(r) => parse::<ProfileRecord>(r)?.display_name,
            None => None,
        };
        self.accounts[actor as usize].name = name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .map(String::into_boxed_str);
        Ok(out.note(TableKind::Accounts, "profile_record")?)
    }

    /// Hand over the accounts and the live follows.
    fn finish(mut self, out: &mut Out) -> Result<()> {
        let mut follows: Vec<(u64, u32, u32)> = self
            .follows
            .iter()
            .map(|((follower, _), f)| (f.line, *follower, f.subject))
            .collect();
        follows.sort_unstable();
        for &(line, _, subject) in &follows {
            self.accounts[subject as usize].listed.get_or_insert(line);
        }
        // A handle names one account at a time: an account whose last known handle was
        // later claimed by another (its own move not in the file) has no label.
        let mut holder: HashMap<&str, (u64, usize)> = HashMap::new();
        for (i, acc) in self.accounts.iter().enumerate() {
            if let Some((h, line)) = &acc.handle {
                let e = holder.entry(h).or_insert((*line, i));
                if *line > e.0 {
                    *e = (*line, i);
                }
            }
        }
        let mut taken = 0;
        for (i, acc) in self.accounts.iter().enumerate() {
            let Some(first) = acc.listed else {
                continue;
            };
            let label = match &acc.handle {
                Some((h, _)) if holder[&**h].1 == i => h,
                Some(_) => {
                    taken += 1;
                    ""
                }
                None => "",
            };
            let mut fields = [""; ACCOUNT_COLUMNS.len()];
            fields[0] = self.ids.name(i as u32);
            fields[1] = label;
            fields[2] = acc.name.as_deref().unwrap_or("");
            out.send(
                TableKind::Accounts,
                Event::Row(Record {
                    loc: Loc::Line(first),
                    fields: &fields,
                }),
            )?;
        }
        for _ in 0..taken {
            out.note(TableKind::Accounts, "label_taken")?;
        }
        for (line, follower, subject) in follows {
            let fields = [self.ids.name(follower), self.ids.name(subject)];
            out.send(
                TableKind::Follows,
                Event::Row(Record {
                    loc: Loc::Line(line),
                    fields: &fields,
                }),
            )?;
        }
        Ok(())
    }
}

/// A DID: `did:<method>:<identifier>`, method in lowercase letters, no spaces.
fn did_check(s: &str) -> std::result::Result<(), String> {
    let ok = s
        .strip_prefix("did:")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(method, id)| {
            !method.is_empty()
                && method
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && !id.is_empty()
                && !id
                    .bytes()
                    .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} is not a DID (did:<method>:<identifier>, e.g. did:plc:ujzdegxdncf32epf3dhodzdo)",
            quoted(s)
        ))
    }
}

/// The author (the repository's DID) and the collection of an `at://` record URI.
fn uri_author(uri: &str) -> std::result::Result<(&str, &str), String> {
    let Some(path) = uri.strip_prefix("at://") else {
        return Err(format!("{} is not an at:// URI", quoted(uri)));
    };
    let mut parts = path.split('/');
    let authority = parts.next().unwrap_or("");
    did_check(authority).map_err(|why| format!("its authority: {why}"))?;
    Ok((authority, parts.next().unwrap_or("")))
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeSet;
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::dataset::clean::{OnMalformed, Policy};
    use crate::dataset::{DataSpec, Dataset, Format, load};

    pub(in crate::dataset::import) const FIXTURES: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/bluesky");

    /// A loaded dataset's tables as sets of text rows, in the golden tables' columns:
    /// accounts (the golden header's columns), follows, interactions (time as Unix
    /// seconds, so `createdAt` and its golden copy compare whatever their form).
    pub(in crate::dataset::import) type Tables = (
        BTreeSet<Vec<String>>,
        BTreeSet<Vec<String>>,
        BTreeSet<Vec<String>>,
    );

    fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
        let mut rdr = csv::Reader::from_path(path).unwrap();
        let header = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows = rdr
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    fn seconds(t: &str) -> String {
        if t.is_empty() {
            return String::new();
        }
        parse_time(t).unwrap().to_string()
    }

    /// The golden tables of `dir` and the accounts columns they name.
    pub(in crate::dataset::import) fn golden(dir: &Path) -> (Vec<String>, Tables) {
        let (columns, accounts) = csv_rows(&dir.join("expected_accounts.csv"));
        let (_, follows) = csv_rows(&dir.join("expected_follows.csv"));
        let (_, interactions) = csv_rows(&dir.join("expected_interactions.csv"));
        let interactions = interactions
            .into_iter()
            .map(|mut r| {
                r[3] = seconds(&r[3]);
                r
            })
            .collect();
        (
            columns,
            (
                accounts.into_iter().collect(),
                follows.into_iter().collect(),
                interactions,
            ),
        )
    }

    /// `ds` as [`golden`] reads the golden tables.
    pub(in crate::dataset::import) fn tables(ds: &Dataset, columns: &[String]) -> Tables {
        let acc = &ds.accounts;
        let name = |i: u32| acc.ids.name(i).to_string();
        let accounts = (0..acc.len())
            .map(|i| {
                let mut row = vec![name(i as u32)];
                for c in &columns[1..] {
                    assert!(
                        acc.has_column(c) || acc.listed == 0,
                        "no accounts column {c}"
                    );
                    row.push(acc.text_value(c, i).unwrap_or_default());
                }
                row
            })
            .collect();
        let follows = (0..ds.follows.node_count() as u32)
            .flat_map(|f| {
                ds.follows
                    .neighbors(f)
                    .iter()
                    .map(move |&t| vec![name(f), name(t)])
            })
            .collect();
        let it = &ds.interactions;
        let interactions = (0..it.len())
            .map(|k| {
                vec![
                    name(it.source[k]),
                    name(it.target[k]),
                    it.kinds[it.kind[k] as usize].clone(),
                    it.time[k].map(|t| t.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        (accounts, follows, interactions)
    }

    /// Every table of `path` read as Jetstream, under `policy`.
    fn spec(path: &Path, policy: Policy) -> DataSpec {
        let src = TableSource::new(path);
        DataSpec {
            order: Default::default(),
            format: Some(Format::named("jetstream").unwrap()),
            accounts: Some(src.clone()),
            follows: Some(src.clone()),
            interactions: Some(src),
            policy,
        }
    }

    /// A table's rows read and used, rejects and notes by reason.
    type Counts = (u64, u64, Vec<(String, u64)>, Vec<(String, u64)>);

    fn counts(ds: &Dataset, table: &str) -> Counts {
        let r = ds.reports.iter().find(|r| r.table == table).unwrap();
        assert!(r.balanced(), "{r:?}");
        (
            r.rows_read,
            r.rows_used,
            r.rejected.clone().into_iter().collect(),
            r.notes.clone().into_iter().collect(),
        )
    }

    fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rankaudit-jetstream-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_fixture_loads_to_its_golden_tables() {
        let dir = Path::new(FIXTURES);
        let ds = load(&spec(&dir.join("jetstream.jsonl"), Policy::default())).unwrap();
        let (columns, want) = golden(dir);
        assert_eq!(tables(&ds, &columns), want);
        assert_eq!(
            ds.files,
            [dir.join("jetstream.jsonl")],
            "one input, read once"
        );
    }

    /// SOURCE.md's "Rejected / noted" lines, each under its reason; every line of the
    /// fixture is a row, a part of an account's row (a note) or a reason.
    #[test]
    fn the_fixture_counts_every_line_with_its_reason() {
        let path = Path::new(FIXTURES).join("jetstream.jsonl");
        let ds = load(&spec(&path, Policy::default())).unwrap();
        assert_eq!(
            counts(&ds, "accounts"),
            (
                6,
                5,
                pairs(&[("account_status", 1)]),
                pairs(&[
                    ("handle_changed", 1),
                    ("identity_event", 4),
                    ("missing_followers", 5),
                    ("missing_following", 5),
                    ("missing_label", 2),
                    ("missing_statuses", 5),
                    ("profile_record", 2),
                ])
            )
        );
        assert_eq!(
            counts(&ds, "follows"),
            (
                5,
                3,
                pairs(&[("follow_delete_unknown", 1), ("follow_deleted", 1)]),
                vec![]
            )
        );
        assert_eq!(
            counts(&ds, "interactions"),
            (
                8,
                7,
                pairs(&[("collection_not_imported", 1)]),
                pairs(&[("weight_defaulted", 7)])
            )
        );
        let r = |table: &str| ds.reports.iter().find(|r| r.table == table).unwrap();
        assert_eq!(
            r("follows").examples["follow_deleted"],
            [
                "line 16: did:plc:ujzdegxdncf32epf3dhodzdo -> did:plc:pft7v4seh2kvj72ceuvw75ef (created at line 6) deleted"
            ]
        );
        assert!(r("follows").examples["follow_delete_unknown"][0].starts_with("line 17: "));
        assert_eq!(
            r("interactions").examples["collection_not_imported"],
            ["line 15: app.bsky.feed.like create by did:plc:k4zri3r2wyojfljooa7lqsaj"]
        );
        assert!(
            r("accounts").examples["account_status"][0]
                .starts_with("line 20: did:plc:r6edt4sywb5wkh7dnsipzz7f: status \"deactivated\", active false: not applied")
        );
    }

    /// A generated stream: `blocks` blocks of ten events over 100 accounts, with
    /// every kind of line; returns its text.
    fn generated(blocks: usize) -> String {
        let did = |a: usize| format!("did:plc:gen{a:021}");
        let t = |k: usize, e: usize| {
            let s = 1_741_608_000 + k * 10 + e;
            (
                s as u64 * 1_000_000,
                format!(
                    "2025-03-10T{:02}:{:02}:{:02}.000Z",
                    s / 3600 % 24,
                    s / 60 % 60,
                    s % 60
                ),
            )
        };
        let mut out = String::new();
        for k in 0..blocks {
            let (a, b, c) = (did(k % 100), did((k + 1) % 100), did((k + 2) % 100));
            let ev = |e: usize, body: String| {
                let (us, _) = t(k, e);
                format!(
                    "{{\"did\":\"{}\",\"time_us\":{us},{body}}}\n",
                    if e == 6 || e == 9 { &b } else { &a }
                )
            };
            let commit = |e: usize, op: &str, coll: &str, rkey: &str, record: Option<String>| {
                let rec = record.map_or(String::new(), |r| {
                    format!(
                        ",\"record\":{{\"$type\":\"{coll}\",{r},\"createdAt\":\"{}\"}}",
                        t(k, e).1
                    )
                });
                ev(
                    e,
                    format!(
                        "\"kind\":\"commit\",\"commit\":{{\"rev\":\"r{k}\",\"operation\":\"{op}\",\"collection\":\"{coll}\",\"rkey\":\"{rkey}\"{rec}}}"
                    ),
                )
            };
            let post_uri = |d: &str| format!("at://{d}/app.bsky.feed.post/p{k}");
            out += &ev(
                0,
                format!(
                    "\"kind\":\"identity\",\"identity\":{{\"did\":\"{a}\",\"handle\":\"h{k}.bsky.social\"}}"
                ),
            );
            out += &commit(
                1,
                "create",
                FOLLOW,
                &format!("a{k}"),
                Some(format!("\"subject\":\"{b}\"")),
            );
            out += &commit(
                2,
                "create",
                FOLLOW,
                &format!("b{k}"),
                Some(format!("\"subject\":\"{c}\"")),
            );
            out += &commit(3, "delete", FOLLOW, &format!("b{k}"), None);
            out += &commit(4, "delete", FOLLOW, &format!("x{k}"), None);
            out += &commit(
                5,
                "create",
                POST,
                &format!("q{k}"),
                Some(format!(
                    "\"text\":\"hi\",\"reply\":{{\"parent\":{{\"uri\":\"{}\",\"cid\":\"x\"}},\"root\":{{\"uri\":\"{}\",\"cid\":\"x\"}}}},\"facets\":[{{\"index\":{{\"byteStart\":0,\"byteEnd\":2}},\"features\":[{{\"$type\":\"{MENTION}\",\"did\":\"{c}\"}}]}}]",
                    post_uri(&b),
                    post_uri(&b)
                )),
            );
            out += &commit(
                6,
                "create",
                REPOST,
                &format!("s{k}"),
                Some(format!(
                    "\"subject\":{{\"uri\":\"{}\",\"cid\":\"x\"}}",
                    post_uri(&a)
                )),
            );
            out += &commit(
                7,
                "create",
                "app.bsky.feed.like",
                &format!("l{k}"),
                Some(format!(
                    "\"subject\":{{\"uri\":\"{}\",\"cid\":\"x\"}}",
                    post_uri(&b)
                )),
            );
            out += &commit(
                8,
                "create",
                POST,
                &format!("p{k}"),
                Some("\"text\":\"plain\"".to_string()),
            );
            out += &commit(
                9,
                "update",
                PROFILE,
                "self",
                Some(format!("\"displayName\":\"B {k}\"")),
            );
        }
        out
    }

    #[test]
    fn a_generated_stream_of_20k_events_loads_plain_and_gzipped() {
        let dir = temp_dir("gen");
        let text = generated(2000);
        assert_eq!(text.lines().count(), 20_000);
        let plain = dir.join("events.jsonl");
        std::fs::write(&plain, &text).unwrap();
        let gz = dir.join("events.jsonl.gz");
        let mut enc =
            flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), Default::default());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap();
        let mut seen = Vec::new();
        for path in [&plain, &gz] {
            let ds = load(&spec(path, Policy::default())).unwrap();
            assert_eq!(ds.accounts.len(), 100);
            // Block k: a -> b kept (the same 100 edges again and again), a -> c deleted.
            assert_eq!(
                counts(&ds, "follows"),
                (
                    6000,
                    100,
                    pairs(&[
                        ("duplicate_follow", 1900),
                        ("follow_delete_unknown", 2000),
                        ("follow_deleted", 2000)
                    ]),
                    vec![]
                )
            );
            assert_eq!(ds.follows.edge_count(), 100);
            assert_eq!(
                counts(&ds, "interactions"),
                (
                    10_000,
                    6000,
                    pairs(&[
                        ("collection_not_imported", 2000),
                        ("post_without_interaction", 2000)
                    ]),
                    pairs(&[("weight_defaulted", 6000)])
                )
            );
            let (read, used, rejected, notes) = counts(&ds, "accounts");
            assert_eq!((read, used, rejected), (100, 100, vec![]));
            assert_eq!(
                notes[..3],
                pairs(&[
                    ("handle_changed", 1900),
                    ("identity_event", 2000),
                    ("missing_followers", 100)
                ])
            );
            // The latest handle and display name win: block 1999 - i renamed account
            // (1999 - i) % 100 last.
            let label = &ds.accounts.text["label"];
            let name = &ds.accounts.text["name"];
            let i = ds
                .accounts
                .ids
                .get(&format!("did:plc:gen{:021}", 99))
                .unwrap() as usize;
            assert_eq!(label[i].as_deref(), Some("h1999.bsky.social"));
            assert_eq!(name[i].as_deref(), Some("B 1998"));
            seen.push(tables(
                &ds,
                &["account".into(), "label".into(), "name".into()],
            ));
        }
        assert_eq!(seen[0], seen[1], "plain and gzip'd give the same tables");
        std::fs::remove_dir_all(&dir).ok();
    }

    /// The policies the fixture does not reach: a deleted account's follows go, a
    /// handle taken by another account leaves the first without a label, a record
    /// written again replaces the first, a self-reply meets the self-loop policy, a
    /// mention twice in one post is one row, an unusable `createdAt` gives way to
    /// `time_us`, an embedded list is not a quote.
    #[test]
    fn deleted_accounts_taken_handles_rewrites_self_replies_and_times() {
        let (a, b, c) = (
            "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa",
            "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb",
            "did:plc:cccccccccccccccccccccccc",
        );
        let identity = |d: &str, h: &str| {
            format!(
                "{{\"did\":\"{d}\",\"time_us\":1,\"kind\":\"identity\",\"identity\":{{\"did\":\"{d}\",\"handle\":\"{h}\"}}}}"
            )
        };
        let commit = |d: &str, op: &str, coll: &str, rkey: &str, rec: &str| {
            let rec = if rec.is_empty() {
                String::new()
            } else {
                format!(",\"record\":{{{rec}}}")
            };
            format!(
                "{{\"did\":\"{d}\",\"time_us\":1741608000250000,\"kind\":\"commit\",\"commit\":{{\"operation\":\"{op}\",\"collection\":\"{coll}\",\"rkey\":\"{rkey}\"{rec}}}}}"
            )
        };
        let mention = |d: &str| {
            format!(
                "{{\"index\":{{\"byteStart\":0,\"byteEnd\":1}},\"features\":[{{\"$type\":\"{MENTION}\",\"did\":\"{d}\"}}]}}"
            )
        };
        let lines = [
            identity(a, "a.bsky.social"),
            identity(b, "A.bsky.social"),
            identity(c, INVALID_HANDLE),
            commit(a, "create", FOLLOW, "r1", &format!("\"subject\":\"{b}\"")),
            commit(a, "create", FOLLOW, "r2", &format!("\"subject\":\"{c}\"")),
            commit(c, "create", FOLLOW, "r3", &format!("\"subject\":\"{a}\"")),
            format!(
                "{{\"did\":\"{c}\",\"time_us\":1,\"kind\":\"account\",\"account\":{{\"active\":false,\"status\":\"deleted\"}}}}"
            ),
            commit(
                a,
                "create",
                POST,
                "p1",
                &format!(
                    "\"text\":\"x\",\"createdAt\":\"yesterday\",\"reply\":{{\"parent\":{{\"uri\":\"at://{a}/{POST}/p0\"}},\"root\":{{\"uri\":\"at://{a}/{POST}/p0\"}}}},\"facets\":[{},{}]",
                    mention(b),
                    mention(b)
                ),
            ),
            commit(
                b,
                "create",
                POST,
                "p2",
                &format!(
                    "\"text\":\"x\",\"createdAt\":\"2025-03-10T12:00:00Z\",\"embed\":{{\"$type\":\"{EMBED_RECORD}\",\"record\":{{\"uri\":\"at://{a}/app.bsky.graph.list/l1\"}}}}"
                ),
            ),
            commit(a, "update", FOLLOW, "r1", &format!("\"subject\":\"{c}\"")),
            commit(a, "delete", POST, "p1", ""),
            commit(
                b,
                "create",
                "app.bsky.graph.block",
                "k1",
                &format!("\"subject\":\"{a}\""),
            ),
        ];
        let dir = temp_dir("policies");
        let path = dir.join("events.jsonl");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let ds = load(&spec(&path, Policy::default())).unwrap();
        let columns: Vec<String> = ["account", "label", "name"].map(String::from).into();
        let (accounts, follows, interactions) = tables(&ds, &columns);
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            accounts,
            [
                row(&[a, "", ""]),
                row(&[b, "a.bsky.social", ""]),
                row(&[c, "", ""])
            ]
            .into()
        );
        assert_eq!(follows, [row(&[a, c])].into());
        assert_eq!(interactions, [row(&[a, b, "mention", "1741608000"])].into());
        assert_eq!(
            counts(&ds, "accounts"),
            (
                5,
                3,
                pairs(&[("account_status", 1), ("identity_without_handle", 1)]),
                pairs(&[
                    ("identity_event", 2),
                    ("label_taken", 1),
                    ("missing_followers", 3),
                    ("missing_following", 3),
                    ("missing_label", 2),
                    ("missing_statuses", 3),
                ])
            )
        );
        assert_eq!(
            counts(&ds, "follows"),
            (
                5,
                1,
                pairs(&[
                    ("account_deleted", 1),
                    ("collection_not_imported", 1),
                    ("duplicate_follow", 1),
                    ("follow_rewritten", 1),
                ]),
                vec![]
            )
        );
        assert_eq!(
            counts(&ds, "interactions"),
            (
                4,
                1,
                pairs(&[
                    ("deleted_event_kept", 1),
                    ("post_without_interaction", 1),
                    ("self_loop", 1),
                ]),
                pairs(&[
                    ("embed_not_a_post", 1),
                    ("same_kind_and_target_in_one_post", 1),
                    ("time_from_time_us", 1),
                    ("weight_defaulted", 1),
                ])
            )
        );

        // The follows alone: the same edges, the accounts from the edges.
        let mut alone = spec(&path, Policy::default());
        alone.accounts = None;
        alone.interactions = None;
        let ds = load(&alone).unwrap();
        assert_eq!(tables(&ds, &columns[..1]).1, follows);
        assert_eq!(ds.reports.len(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_malformed_line_is_located_by_file_line_and_column() {
        let dir = temp_dir("bad");
        let path = dir.join("events.jsonl");
        let good = generated(1);
        let mut lines: Vec<&str> = good.lines().collect();
        lines.insert(
            2,
            "{\"did\":\"did:plc:x\",\"time_us\":1,\"kind\":\"commit\",",
        );
        lines.insert(4, "{\"did\":\"did:plc:x\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.graph.follow\",\"rkey\":\"z\",\"record\":{\"subject\":7}}}");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let e = format!("{:#}", load(&spec(&path, Policy::default())).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: line 3: malformed row (bad_json): column 47: not JSON: EOF while parsing a value. Fix the row, or set",
                path.display()
            )),
            "{e}"
        );
        let ds = load(&spec(
            &path,
            Policy {
                malformed: OnMalformed::Skip,
                ..Policy::default()
            },
        ))
        .unwrap();
        let r = &ds.reports[0];
        assert_eq!(r.table, "accounts");
        assert_eq!(
            r.examples["bad_json"],
            ["line 3: column 47: not JSON: EOF while parsing a value"]
        );
        assert_eq!(
            r.examples["bad_record"],
            ["line 5: app.bsky.graph.follow: invalid type: integer `7`, expected a string"]
        );
        assert_eq!(
            ds.accounts.ids.get("did:plc:x"),
            None,
            "a rejected line names no one"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
