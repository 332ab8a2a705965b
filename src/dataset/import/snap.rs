//! SNAP's text formats (https://snap.stanford.edu/data/): plain edge lists
//! (`format = "snap"`, one table per file) and ego-network folders
//! (`format = "snap-ego"`: `<ego>.edges` with its `.feat`, `.egofeat`, `.featnames` and
//! `.circles` companions, yielding the accounts and follows tables).
//!
//! Both split each line on runs of spaces and tabs, skip blank lines and lines starting
//! with `#` (SNAP's header lines: `# Nodes: 8 Edges: 20`, `# FromNodeId\tToNodeId`),
//! have no header line, and read plain or gzip'd files (by the magic bytes). A line
//! `a b` is an arc a -> b: for SNAP's directed social graphs (ego-Twitter, Higgs,
//! twitter_combined) "a follows b". Neither is picked by extension: `.txt` and
//! `.edges` stay TSV unless `format` says otherwise.
//!
//! Ego folders: the ego's own id is only in the file names, and SNAP's readme says "the
//! 'ego' node does not appear, but it is assumed that they follow every node id that
//! appears in this file", so the read adds ego -> every distinct id of `<ego>.edges`
//! after that file's arcs (each located at the line where the id first appears) and
//! counts them under the follows table's note `implicit_ego_follows`. Features (0/1
//! columns named by `.featnames`) become one text column, `features` (the names of the
//! set features, `|`-joined, in the ego's feature order; a union over egos for a node in
//! several ego networks), and a numeric `feature_count`: a column per feature would be
//! thousands of mostly-empty columns for ego-Twitter. Circles become `circles`
//! (`<ego>:<circle>` names, `|`-joined), and `egos` lists the ego networks a node is in.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Importer, Sink};
use crate::dataset::read::{BadRecord, Event, Loc, Record, TableSource, open_maybe_gz};
use crate::dataset::schema::{self, TableKind};

/// A SNAP edge list: one table (follows, or interactions such as Higgs' activity file).
pub(super) struct Snap;

/// A SNAP ego-network folder (or one `<ego>.edges` file with its companions).
pub(super) struct SnapEgo;

/// The most fields a line keeps on the stack; longer lines (a `.feat` row) allocate.
const STACK_FIELDS: usize = 8;

/// The comment character: the source's, else `#`.
fn comment_byte(src: &TableSource) -> Result<u8> {
    match &src.comment {
        None => Ok(b'#'),
        Some(c) if c.len() == 1 => Ok(c.as_bytes()[0]),
        Some(c) => bail!(
            "{}: comment {c:?} must be one character",
            src.path.display()
        ),
    }
}

/// SNAP files are split on whitespace; a `delimiter` means the user wanted another
/// format.
fn no_delimiter(src: &TableSource, format: &str) -> Result<()> {
    if let Some(d) = &src.delimiter {
        bail!(
            "{}: the {format} format splits lines on runs of spaces and tabs, so `delimiter = {d:?}` does not apply; remove it, or read the file with `format = \"csv\"` or `\"tsv\"` and the delimiter (`--format`, `--delimiter` in quick mode)",
            src.path.display()
        );
    }
    Ok(())
}

/// What [`each_line`] calls per data line: its line and fields (`None`: not UTF-8).
type LineVisitor<'a> = dyn FnMut(u64, Option<&[&str]>) -> Result<()> + 'a;

/// Every data line of `path` in order: its 1-based line and its whitespace-separated
/// fields (`None`: the line is not valid UTF-8). Blank lines and lines starting with
/// `comment` (after leading blanks) are skipped; returns how many were comments.
fn each_line(
    path: &Path,
    comment: u8,
    visit: &mut LineVisitor<'_>,
) -> Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 16, open_maybe_gz(path)?);
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let mut line = 0u64;
    let mut comments = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).with_context(|| {
            format!(
                "{}: line {}: cannot read the file",
                path.display(),
                line + 1
            )
        })?;
        if n == 0 {
            break;
        }
        line += 1;
        let mut text: &[u8] = &buf;
        if line == 1 {
            text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
        }
        let text = text.trim_ascii();
        if text.is_empty() {
            continue;
        }
        if text[0] == comment {
            comments += 1;
            continue;
        }
        let Ok(text) = std::str::from_utf8(text) else {
            visit(line, None)?;
            continue;
        };
        let mut stack = [""; STACK_FIELDS];
        let mut k = 0;
        let mut split = text.split_ascii_whitespace();
        for f in split.by_ref() {
            stack[k] = f;
            k += 1;
            if k == STACK_FIELDS {
                break;
            }
        }
        let mut rest = split.peekable();
        if rest.peek().is_none() {
            visit(line, Some(&stack[..k]))?;
        } else {
            let mut heap: Vec<&str> = stack.to_vec();
            heap.extend(rest);
            visit(line, Some(&heap))?;
        }
    }
    Ok(comments)
}

fn not_utf8(loc: Loc, file: &str) -> BadRecord {
    BadRecord {
        loc,
        reason: "invalid_utf8",
        detail: format!("{file}the line is not valid UTF-8"),
    }
}

fn wrong_width(loc: Loc, file: &str, want: usize, found: usize) -> BadRecord {
    BadRecord {
        loc,
        reason: "wrong_field_count",
        detail: format!("{file}expected {want} fields, found {found}"),
    }
}

impl Importer for Snap {
    fn name(&self) -> &'static str {
        "snap"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &[]
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        let &[kind] = want else {
            bail!("{}: a snap edge list holds one table", src.path.display());
        };
        no_delimiter(src, "snap")?;
        let comment = comment_byte(src)?;
        if src.path.is_dir() {
            bail!(
                "{}: is a folder; the snap format reads one edge-list file (for a SNAP ego-network folder use `format = \"snap-ego\"`)",
                src.path.display()
            );
        }
        let mut width: Option<usize> = None;
        let comments = each_line(&src.path, comment, &mut |line, fields| {
            let loc = Loc::Line(line);
            let w = match width {
                Some(w) => w,
                None => {
                    // SNAP files have no header: the first data line sets the width.
                    let w = fields.map_or(2, <[&str]>::len);
                    sink(kind, Event::Header(&header(src, kind, w)))?;
                    width = Some(w);
                    w
                }
            };
            let ev = match fields {
                None => Event::Bad(not_utf8(loc, "")),
                Some(f) if f.len() != w => Event::Bad(wrong_width(loc, "", w, f.len())),
                Some(f) => Event::Row(Record { loc, fields: f }),
            };
            sink(kind, ev)
        })?;
        if width.is_none() {
            bail!(
                "{}: no data lines ({comments} comment lines); a SNAP edge list has one `from to` pair per line",
                src.path.display()
            );
        }
        if comments > 0 {
            sink(kind, Event::Note("comment_lines", comments))?;
        }
        Ok(())
    }
}

/// Column names of a SNAP table `w` fields wide: positions `1`, `2`, ... (what a
/// column mapping names), except that the first columns take the table's required
/// names in order (`follower`, `followee`; `source`, `target`, `kind`) unless the
/// mapping names that column or that position.
fn header(src: &TableSource, kind: TableKind, w: usize) -> Vec<String> {
    (0..w)
        .map(|i| {
            let pos = (i + 1).to_string();
            match kind.required().get(i) {
                Some(&c)
                    if !src.columns.contains_key(c) && !src.columns.values().any(|v| *v == pos) =>
                {
                    c.to_string()
                }
                _ => pos,
            }
        })
        .collect()
}

/// One ego network's files.
struct Ego {
    id: String,
    edges: PathBuf,
    feat: Option<PathBuf>,
    egofeat: Option<PathBuf>,
    featnames: Option<PathBuf>,
    circles: Option<PathBuf>,
}

/// `name` without `.edges` or `.edges.gz`.
fn ego_id(name: &str) -> Option<&str> {
    let stem = name
        .strip_suffix(".edges.gz")
        .or_else(|| name.strip_suffix(".edges"))?;
    (!stem.is_empty()).then_some(stem)
}

/// The ego networks of `path`: every `<ego>.edges` of a folder (by file name, for a
/// stable order), or the one named.
fn egos(path: &Path) -> Result<Vec<Ego>> {
    let (dir, ids): (PathBuf, Vec<String>) = if path.is_dir() {
        let mut ids: Vec<String> = std::fs::read_dir(path)
            .with_context(|| format!("{}: cannot list the folder", path.display()))?
            .filter_map(|e| e.ok())
            .filter_map(|e| ego_id(&e.file_name().to_string_lossy()).map(str::to_string))
            .collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            bail!(
                "{}: no `<ego>.edges` file in this folder; a SNAP ego-network folder holds `<ego>.edges` (with `.feat`, `.egofeat`, `.featnames`, `.circles`) for each ego",
                path.display()
            );
        }
        (path.to_path_buf(), ids)
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(id) = ego_id(&name) else {
            bail!(
                "{}: the snap-ego format reads a folder of ego networks or one `<ego>.edges` file (the ego's id is the file name); for a plain edge list use `format = \"snap\"`",
                path.display()
            );
        };
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        (dir, vec![id.to_string()])
    };
    let companion = |id: &str, ext: &str| {
        [format!("{id}.{ext}"), format!("{id}.{ext}.gz")]
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    Ok(ids
        .into_iter()
        .map(|id| Ego {
            edges: companion(&id, "edges").expect("listed"),
            feat: companion(&id, "feat"),
            egofeat: companion(&id, "egofeat"),
            featnames: companion(&id, "featnames"),
            circles: companion(&id, "circles"),
            id,
        })
        .collect())
}

/// What the accounts table gathers about one node, over every ego network.
#[derive(Default)]
struct Node {
    /// Where the node was first seen, for the record's location.
    loc: u64,
    /// Indices into [`Nodes::feature_names`], in first-seen order.
    features: Vec<u32>,
    circles: Vec<String>,
    egos: Vec<u32>,
}

#[derive(Default)]
struct Nodes {
    index: HashMap<String, usize>,
    ids: Vec<String>,
    nodes: Vec<Node>,
    feature_index: HashMap<String, u32>,
    feature_names: Vec<String>,
    /// The ego of each network, in read order.
    egos: Vec<String>,
}

impl Nodes {
    fn get(&mut self, id: &str, loc: u64, ego: u32) -> &mut Node {
        let i = match self.index.get(id) {
            Some(&i) => i,
            None => {
                self.index.insert(id.to_string(), self.ids.len());
                self.ids.push(id.to_string());
                self.nodes.push(Node {
                    loc,
                    ..Node::default()
                });
                self.ids.len() - 1
            }
        };
        let n = &mut self.nodes[i];
        if n.egos.last() != Some(&ego) {
            n.egos.push(ego);
        }
        n
    }

    fn feature(&mut self, name: &str) -> u32 {
        if let Some(&f) = self.feature_index.get(name) {
            return f;
        }
        let f = self.feature_names.len() as u32;
        self.feature_index.insert(name.to_string(), f);
        self.feature_names.push(name.to_string());
        f
    }
}

/// `a.b` for messages: the file a record of a multi-file read is in.
fn file_tag(p: &Path) -> String {
    format!(
        "in {}: ",
        p.file_name().unwrap_or_default().to_string_lossy()
    )
}

impl Importer for SnapEgo {
    fn name(&self) -> &'static str {
        "snap-ego"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &[]
    }

    fn tables(&self) -> Option<&'static [TableKind]> {
        Some(&[TableKind::Accounts, TableKind::Follows])
    }

    fn read(&self, src: &TableSource, want: &[TableKind], sink: &mut Sink<'_>) -> Result<()> {
        no_delimiter(src, "snap-ego")?;
        let comment = comment_byte(src)?;
        let (accounts, follows) = (
            want.contains(&TableKind::Accounts),
            want.contains(&TableKind::Follows),
        );
        if follows {
            let names = [schema::FOLLOWER, schema::FOLLOWEE].map(String::from);
            sink(TableKind::Follows, Event::Header(&names))?;
        }
        let mut nodes = Nodes::default();
        let (mut implicit, mut with_features, mut with_circles) = (0u64, false, false);
        let mut unknown_members = 0u64;
        for (e, ego) in egos(&src.path)?.iter().enumerate() {
            let e = e as u32;
            let tag = file_tag(&ego.edges);
            nodes.egos.push(ego.id.clone());
            nodes.get(&ego.id, 0, e);
            // The alters in order of first appearance, with that line.
            let mut alters: Vec<(String, u64)> = Vec::new();
            let mut seen: HashSet<String> = HashSet::new();
            for table in [TableKind::Follows, TableKind::Accounts] {
                if want.contains(&table) {
                    sink(table, Event::Input(&ego.edges))?;
                }
            }
            each_line(&ego.edges, comment, &mut |line, fields| {
                let loc = Loc::Line(line);
                let ev = match fields {
                    None => Event::Bad(not_utf8(loc, &tag)),
                    Some(f) if f.len() != 2 => Event::Bad(wrong_width(loc, &tag, 2, f.len())),
                    Some(f) => {
                        for id in f {
                            if !seen.contains(*id) {
                                seen.insert(id.to_string());
                                alters.push((id.to_string(), line));
                            }
                        }
                        Event::Row(Record { loc, fields: f })
                    }
                };
                if follows {
                    sink(TableKind::Follows, ev)
                } else {
                    Ok(())
                }
            })?;
            for (id, line) in &alters {
                nodes.get(id, *line, e);
                if follows {
                    let fields = [ego.id.as_str(), id.as_str()];
                    sink(
                        TableKind::Follows,
                        Event::Row(Record {
                            loc: Loc::Line(*line),
                            fields: &fields,
                        }),
                    )?;
                }
            }
            implicit += alters.len() as u64;
            if !accounts {
                continue;
            }
            // Feature names by index (`index name`, the name may hold spaces).
            let mut names: Vec<Option<u32>> = Vec::new();
            if let Some(p) = &ego.featnames {
                with_features = true;
                sink(TableKind::Accounts, Event::Input(p))?;
                let text = read_text(p)?;
                for (k, raw) in text.lines().enumerate() {
                    let raw = raw.trim();
                    if raw.is_empty() {
                        continue;
                    }
                    let (idx, name) = raw.split_once([' ', '\t']).unwrap_or((raw, ""));
                    let Ok(idx) = idx.parse::<usize>() else {
                        bail!(
                            "{}: line {}: expected `index name` (e.g. `0 #hashtag`), found {raw:?}",
                            p.display(),
                            k + 1
                        );
                    };
                    if idx >= names.len() {
                        names.resize(idx + 1, None);
                    }
                    names[idx] = Some(nodes.feature(name.trim()));
                }
            }
            let feature_of = |nodes: &mut Nodes, k: usize| -> u32 {
                match names.get(k).copied().flatten() {
                    Some(f) => f,
                    // No name for this position: the position itself.
                    None => nodes.feature(&k.to_string()),
                }
            };
            if let Some(p) = &ego.feat {
                with_features = true;
                sink(TableKind::Accounts, Event::Input(p))?;
                let tag = file_tag(p);
                let width = (!names.is_empty()).then_some(names.len() + 1);
                let mut first_width = None;
                each_line(p, comment, &mut |line, fields| {
                    let loc = Loc::Line(line);
                    let Some(f) = fields else {
                        return sink(TableKind::Accounts, Event::Bad(not_utf8(loc, &tag)));
                    };
                    let w = *first_width.get_or_insert(width.unwrap_or(f.len()));
                    if f.len() != w {
                        return sink(
                            TableKind::Accounts,
                            Event::Bad(wrong_width(loc, &tag, w, f.len())),
                        );
                    }
                    let set = match ones(&f[1..]) {
                        Ok(set) => set,
                        Err(bad) => {
                            return sink(
                                TableKind::Accounts,
                                Event::Bad(BadRecord {
                                    loc,
                                    reason: "bad_feature",
                                    detail: format!(
                                        "{tag}column {}: {:?} is not 0 or 1",
                                        bad + 2,
                                        f[bad + 1]
                                    ),
                                }),
                            );
                        }
                    };
                    let set: Vec<u32> =
                        set.into_iter().map(|k| feature_of(&mut nodes, k)).collect();
                    let node = nodes.get(f[0], line, e);
                    for k in set {
                        if !node.features.contains(&k) {
                            node.features.push(k);
                        }
                    }
                    Ok(())
                })?;
            }
            if let Some(p) = &ego.egofeat {
                with_features = true;
                sink(TableKind::Accounts, Event::Input(p))?;
                let tag = file_tag(p);
                let mut lines = 0;
                each_line(p, comment, &mut |line, fields| {
                    lines += 1;
                    let loc = Loc::Line(line);
                    let Some(mut f) = fields else {
                        return sink(TableKind::Accounts, Event::Bad(not_utf8(loc, &tag)));
                    };
                    if lines > 1 {
                        return sink(
                            TableKind::Accounts,
                            Event::Bad(BadRecord {
                                loc,
                                reason: "wrong_line_count",
                                detail: format!(
                                    "{tag}an .egofeat file holds one line, the ego's features"
                                ),
                            }),
                        );
                    }
                    // The ego's features, without an id; tolerate one that names the ego.
                    if !names.is_empty() && f.len() == names.len() + 1 && f[0] == ego.id {
                        f = &f[1..];
                    }
                    if !names.is_empty() && f.len() != names.len() {
                        return sink(
                            TableKind::Accounts,
                            Event::Bad(wrong_width(loc, &tag, names.len(), f.len())),
                        );
                    }
                    let set = match ones(f) {
                        Ok(set) => set,
                        Err(bad) => {
                            return sink(
                                TableKind::Accounts,
                                Event::Bad(BadRecord {
                                    loc,
                                    reason: "bad_feature",
                                    detail: format!(
                                        "{tag}column {}: {:?} is not 0 or 1",
                                        bad + 1,
                                        f[bad]
                                    ),
                                }),
                            );
                        }
                    };
                    let set: Vec<u32> =
                        set.into_iter().map(|k| feature_of(&mut nodes, k)).collect();
                    let node = nodes.get(&ego.id, 0, e);
                    for k in set {
                        if !node.features.contains(&k) {
                            node.features.push(k);
                        }
                    }
                    Ok(())
                })?;
            }
            if let Some(p) = &ego.circles {
                with_circles = true;
                sink(TableKind::Accounts, Event::Input(p))?;
                let tag = file_tag(p);
                each_line(p, comment, &mut |line, fields| {
                    let Some(f) = fields else {
                        return sink(
                            TableKind::Accounts,
                            Event::Bad(not_utf8(Loc::Line(line), &tag)),
                        );
                    };
                    let circle = format!("{}:{}", ego.id, f[0]);
                    for m in &f[1..] {
                        match nodes.index.get(*m) {
                            Some(&i) => {
                                let c = &mut nodes.nodes[i].circles;
                                if !c.contains(&circle) {
                                    c.push(circle.clone());
                                }
                            }
                            None => unknown_members += 1,
                        }
                    }
                    Ok(())
                })?;
            }
        }
        if follows {
            sink(
                TableKind::Follows,
                Event::Note("implicit_ego_follows", implicit),
            )?;
        }
        if accounts {
            emit_accounts(&nodes, with_features, with_circles, sink)?;
            if unknown_members > 0 {
                sink(
                    TableKind::Accounts,
                    Event::Note("circle_members_not_in_network", unknown_members),
                )?;
            }
        }
        Ok(())
    }
}

/// The positions of the `1`s among 0/1 values; `Err(position)` of the first other value.
fn ones(values: &[&str]) -> std::result::Result<Vec<usize>, usize> {
    let mut set = Vec::new();
    for (k, v) in values.iter().enumerate() {
        match *v {
            "1" => set.push(k),
            "0" => {}
            _ => return Err(k),
        }
    }
    Ok(set)
}

/// A small text file (`.featnames`), un-gzipped, as UTF-8.
fn read_text(p: &Path) -> Result<String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut open_maybe_gz(p)?, &mut text)
        .with_context(|| format!("{}: cannot read as UTF-8 text", p.display()))?;
    Ok(text)
}

/// The accounts table: one record per node (egos, alters, nodes only in `.feat`), in
/// first-seen order.
fn emit_accounts(
    nodes: &Nodes,
    with_features: bool,
    with_circles: bool,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let mut names = vec![schema::ACCOUNT.to_string()];
    if with_features {
        names.extend([FEATURES, FEATURE_COUNT].map(String::from));
    }
    if with_circles {
        names.push(CIRCLES.to_string());
    }
    names.push(EGOS.to_string());
    sink(TableKind::Accounts, Event::Header(&names))?;
    let mut row: Vec<String> = Vec::with_capacity(names.len());
    for (id, n) in nodes.ids.iter().zip(&nodes.nodes) {
        row.clear();
        row.push(id.clone());
        if with_features {
            let f: Vec<&str> = n
                .features
                .iter()
                .map(|&k| nodes.feature_names[k as usize].as_str())
                .collect();
            row.push(f.join(SEP));
            row.push(n.features.len().to_string());
        }
        if with_circles {
            row.push(n.circles.join(SEP));
        }
        let egos: Vec<&str> = n
            .egos
            .iter()
            .map(|&e| nodes.egos[e as usize].as_str())
            .collect();
        row.push(egos.join(SEP));
        let fields: Vec<&str> = row.iter().map(String::as_str).collect();
        sink(
            TableKind::Accounts,
            Event::Row(Record {
                loc: Loc::Line(n.loc.max(1)),
                fields: &fields,
            }),
        )?;
    }
    Ok(())
}

/// Accounts columns of an ego folder.
const FEATURES: &str = "features";
const FEATURE_COUNT: &str = "feature_count";
const CIRCLES: &str = "circles";
const EGOS: &str = "egos";
/// Between the names of a list column (feature names hold no `|`: `#tag`, `@name`).
const SEP: &str = "|";
