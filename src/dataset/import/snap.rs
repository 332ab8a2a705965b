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
fn each_line(path: &Path, comment: u8, visit: &mut LineVisitor<'_>) -> Result<u64> {
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
        if kind == TableKind::Accounts {
            // Quick mode's `--format` names every input's format: an accounts CSV read as
            // SNAP text would be one column of whole lines.
            bail!(
                "{}: the snap format reads edge lists (follows or interactions), not an accounts table; with an accounts CSV, name the format per table in a study file (`format = \"snap\"` under [data.follows] only), since quick mode's --format applies to every input",
                src.path.display()
            );
        }
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
        Ok(())
    }

    fn whitespace_header(&self, src: &TableSource, width: usize) -> Option<Vec<String>> {
        // The parallel reader knows `#` comments and no delimiter option.
        (src.comment.is_none() && src.delimiter.is_none())
            .then(|| header(src, TableKind::Follows, width))
    }
}

/// Column names of a SNAP table `w` fields wide: positions `1`, `2`, ... (what a
/// column mapping names), except that the first two take the table's first required
/// names (`follower`, `followee`; `source`, `target`) unless the mapping names that
/// column or that position.
fn header(src: &TableSource, kind: TableKind, w: usize) -> Vec<String> {
    (0..w)
        .map(|i| {
            let pos = (i + 1).to_string();
            // Two columns at most: a third (Higgs' time) is rarely the `kind`.
            match kind.required().get(i).filter(|_| i < 2) {
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

/// `in 7.feat: `, the start of a bad record's detail: which file of the folder it is in
/// (the table's report names the folder).
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
        let egos = egos(&src.path)?;
        // The accounts columns, from the files present, so that the header comes first.
        let with_features = egos
            .iter()
            .any(|e| e.feat.is_some() || e.egofeat.is_some() || e.featnames.is_some());
        let with_circles = egos.iter().any(|e| e.circles.is_some());
        if accounts {
            sink(
                TableKind::Accounts,
                Event::Header(&account_columns(with_features, with_circles)),
            )?;
        }
        let mut nodes = Nodes::default();
        let mut implicit = 0u64;
        let mut unknown_members = 0u64;
        for (e, ego) in egos.iter().enumerate() {
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
            // Node `id` (first seen at `line`) has the features at positions `set`.
            let add_features = |nodes: &mut Nodes, id: &str, line: u64, set: Vec<usize>| {
                let set: Vec<u32> = set.into_iter().map(|k| feature_of(nodes, k)).collect();
                let node = nodes.get(id, line, e);
                for k in set {
                    if !node.features.contains(&k) {
                        node.features.push(k);
                    }
                }
            };
            if let Some(p) = &ego.feat {
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
                    match ones(&f[1..], 2, loc, &tag) {
                        Ok(set) => {
                            add_features(&mut nodes, f[0], line, set);
                            Ok(())
                        }
                        Err(bad) => sink(TableKind::Accounts, Event::Bad(bad)),
                    }
                })?;
            }
            if let Some(p) = &ego.egofeat {
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
                    match ones(f, 1, loc, &tag) {
                        Ok(set) => {
                            add_features(&mut nodes, &ego.id, 0, set);
                            Ok(())
                        }
                        Err(bad) => sink(TableKind::Accounts, Event::Bad(bad)),
                    }
                })?;
            }
            if let Some(p) = &ego.circles {
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

/// The positions of the `1`s among 0/1 feature values that start at 1-based column
/// `first` of the line at `loc` in file `tag`; a value that is neither is a
/// `bad_feature` record naming its column.
fn ones(
    values: &[&str],
    first: usize,
    loc: Loc,
    tag: &str,
) -> std::result::Result<Vec<usize>, BadRecord> {
    let mut set = Vec::new();
    for (k, v) in values.iter().enumerate() {
        match *v {
            "1" => set.push(k),
            "0" => {}
            _ => {
                return Err(BadRecord {
                    loc,
                    reason: "bad_feature",
                    detail: format!("{tag}column {}: {v:?} is not 0 or 1", k + first),
                });
            }
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

/// The accounts table's columns: `features` and `feature_count` when some ego has
/// feature files, `circles` when some has circles.
fn account_columns(with_features: bool, with_circles: bool) -> Vec<String> {
    let mut names = vec![schema::ACCOUNT.to_string()];
    if with_features {
        names.extend([FEATURES, FEATURE_COUNT].map(String::from));
    }
    if with_circles {
        names.push(CIRCLES.to_string());
    }
    names.push(EGOS.to_string());
    names
}

/// The accounts table's records: one per node (egos, alters, nodes only in `.feat`), in
/// first-seen order (the header was handed over first).
fn emit_accounts(
    nodes: &Nodes,
    with_features: bool,
    with_circles: bool,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let mut row: Vec<String> = Vec::new();
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

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::tests::{both, fixture, golden, tables};
    use super::*;
    use crate::dataset::clean::OnMalformed;
    use crate::dataset::{DataSpec, Format, load};

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rankaudit-snap-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A spec reading follows only from `path` with `format`.
    fn follows_only(path: &Path, format: &str) -> DataSpec {
        DataSpec {
            accounts: None,
            ..both(path, format)
        }
    }

    fn gzip(path: &Path) -> PathBuf {
        let gz = PathBuf::from(format!("{}.gz", path.display()));
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(&std::fs::read(path).unwrap()).unwrap();
        enc.finish().unwrap();
        gz
    }

    #[test]
    fn the_edge_list_fixture_gives_its_golden_tables() {
        let path = fixture("snap/edges.txt");
        let ds = load(&follows_only(&path, "snap")).unwrap();
        let (accounts, follows) = golden(&fixture("snap"));
        assert_eq!(tables(&ds), (accounts, follows));
        let [f] = &ds.reports[..] else {
            panic!("{:?}", ds.reports)
        };
        assert_eq!((f.rows_read, f.rows_used, f.rows_rejected), (20, 18, 2));
        assert_eq!(
            f.rejected.clone().into_iter().collect::<Vec<_>>(),
            [("duplicate_follow".into(), 1), ("self_loop".into(), 1)]
        );
        // Data lines are numbered as in the file: the 4 `#` lines come first.
        assert_eq!(f.examples["self_loop"], ["line 22: \"106\" -> \"106\""]);
        assert_eq!(ds.files, [path]);
    }

    #[test]
    fn the_ego_fixture_gives_its_golden_tables_and_counts_the_implicit_follows() {
        let dir = fixture("snap/ego");
        let (accounts, follows) = golden(&dir);
        // The folder, and its one `.edges` file (the companions found beside it).
        for path in [dir.clone(), dir.join("900001.edges")] {
            let ds = load(&both(&path, "snap-ego")).unwrap();
            assert_eq!(tables(&ds), (accounts.clone(), follows.clone()), "{path:?}");
            let [a, f] = &ds.reports[..] else {
                panic!("{:?}", ds.reports)
            };
            assert_eq!((a.rows_read, a.rows_used), (7, 7));
            // 7 lines of `.edges` and 5 implicit follows 900001 -> 11..15.
            assert_eq!((f.rows_read, f.rows_used, f.rows_rejected), (12, 11, 1));
            assert_eq!(f.rejected["self_loop"], 1);
            assert_eq!(f.notes["implicit_ego_follows"], 5);
            assert!(ds.reports.iter().all(|r| r.balanced()));
            let names: Vec<String> = ds
                .files
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect();
            assert_eq!(
                names,
                [
                    "900001.edges",
                    "900001.featnames",
                    "900001.feat",
                    "900001.egofeat",
                    "900001.circles"
                ]
            );
            let acc = &ds.accounts;
            let at = |id: &str| acc.ids.get(id).unwrap() as usize;
            let text = |col: &str, id: &str| acc.text[col][at(id)].clone();
            assert_eq!(
                text("features", "11").as_deref(),
                Some("#audit|@alice_audit")
            );
            // The ego's own features come from `.egofeat` (`0 1 1 1 0`).
            assert_eq!(
                text("features", "900001").as_deref(),
                Some("#rankings|@alice_audit|@bob_news")
            );
            // Node 16 is only in `.feat`: an account without edges.
            assert_eq!(text("features", "16").as_deref(), Some("#audit"));
            assert_eq!(acc.numeric["feature_count"].get(at("16")), Some(1.0));
            assert_eq!(text("circles", "12").as_deref(), Some("900001:circle0"));
            assert_eq!(text("circles", "15").as_deref(), Some("900001:circle1"));
            assert_eq!(text("circles", "16"), None);
            assert_eq!(acc.numeric["egos"].get(at("13")), Some(900001.0));
        }
        // Follows alone: the accounts come from the edges (16, in `.feat` only, is not one).
        let ds = load(&follows_only(&dir, "snap-ego")).unwrap();
        assert_eq!(tables(&ds).1, follows);
        assert_eq!(ds.accounts.len(), 6);
    }

    #[test]
    fn bad_lines_are_rejected_with_file_and_line() {
        let dir = temp_dir("bad");
        let path = dir.join("edges.txt");
        std::fs::write(&path, b"# c\n1\t2\n2 3 9\n\n3  \t 1\n\xff 1\n").unwrap();
        let mut spec = follows_only(&path, "snap");
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: line 3: malformed row (wrong_field_count): expected 2 fields, found 3. Fix the row",
                path.display()
            )),
            "{e}"
        );
        spec.policy.malformed = OnMalformed::Skip;
        let ds = load(&spec).unwrap();
        let f = &ds.reports[0];
        assert_eq!((f.rows_read, f.rows_used), (4, 2));
        assert_eq!(
            f.examples["wrong_field_count"],
            ["line 3: expected 2 fields, found 3"]
        );
        assert_eq!(
            f.examples["invalid_utf8"],
            ["line 6: the line is not valid UTF-8"]
        );

        // An ego folder names the file inside the folder.
        let ego = dir.join("ego");
        std::fs::create_dir_all(&ego).unwrap();
        std::fs::write(ego.join("7.edges"), "1 2\n2 1 1\n").unwrap();
        std::fs::write(ego.join("7.featnames"), "0 #a\n1 #b\n").unwrap();
        std::fs::write(ego.join("7.feat"), "1 1 0\n2 2 0\n3 0\n").unwrap();
        let mut spec = both(&ego, "snap-ego");
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.starts_with(&format!(
                "{}: line 2: malformed row (bad_feature): in 7.feat: column 2: \"2\" is not 0 or 1",
                ego.display()
            )),
            "{e}"
        );
        spec.policy.malformed = OnMalformed::Skip;
        let ds = load(&spec).unwrap();
        let [a, f] = &ds.reports[..] else {
            panic!("{:?}", ds.reports)
        };
        // Accounts 7, 1, 2 and 3 (3: in `.feat` only) plus the two bad `.feat` lines.
        assert_eq!((a.rows_read, a.rows_used), (5, 3));
        assert_eq!(
            a.examples["wrong_field_count"],
            ["line 3: in 7.feat: expected 3 fields, found 2"]
        );
        assert_eq!(
            f.examples["wrong_field_count"],
            ["line 2: in 7.edges: expected 2 fields, found 3"]
        );
        assert!(ds.reports.iter().all(|r| r.balanced()));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn options_that_do_not_apply_are_errors_that_say_what_to_use() {
        let path = fixture("snap/edges.txt");
        let mut spec = follows_only(&path, "snap");
        spec.follows.as_mut().unwrap().delimiter = Some("\\t".into());
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.contains("the snap format splits lines on runs of spaces and tabs"),
            "{e}"
        );
        let e = format!(
            "{:#}",
            load(&follows_only(&fixture("snap/ego"), "snap")).unwrap_err()
        );
        assert!(e.contains("use `format = \"snap-ego\"`"), "{e}");
        let e = format!("{:#}", load(&follows_only(&path, "snap-ego")).unwrap_err());
        assert!(
            e.contains("for a plain edge list use `format = \"snap\"`"),
            "{e}"
        );
        let mut spec = both(&path, "snap");
        spec.accounts = Some(TableSource::new(fixture("mastodon/expected_accounts.csv")));
        let e = format!("{:#}", load(&spec).unwrap_err());
        assert!(
            e.contains(
                "the snap format reads edge lists (follows or interactions), not an accounts table"
            ),
            "{e}"
        );
        // Picked by name only: `.txt` and `.edges` stay TSV.
        assert_eq!(
            Format::by_extension("edges.txt").map(Format::name),
            Some("tsv")
        );
        assert_eq!(
            Format::by_extension("1.edges").map(Format::name),
            Some("tsv")
        );
    }

    /// A generated edge list of the fixture's shape: `#` lines (also between data
    /// lines), tabs, spaces and runs of both, CRLF ends, long ids, duplicates and
    /// self-loops; the expected follows computed alongside.
    fn generated(
        dir: &Path,
        lines: usize,
    ) -> (PathBuf, std::collections::BTreeSet<(String, String)>, u64) {
        let mut text = String::from("# Directed graph: generated\n# FromNodeId\tToNodeId\n");
        let mut want = std::collections::BTreeSet::new();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |k: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % k
        };
        let mut read = 0u64;
        for i in 0..lines {
            let id = |v: u64| {
                if v.is_multiple_of(7) {
                    format!("{}", 1_234_567_890_123_456_000 + v)
                } else {
                    v.to_string()
                }
            };
            let (a, b) = (id(next(3000)), id(next(3000)));
            let sep = ["\t", " ", "  \t", "\t\t"][i % 4];
            let end = if i % 5 == 0 { "\r\n" } else { "\n" };
            if i % 1000 == 0 {
                text.push_str("# a comment between data lines\n");
            }
            text.push_str(&format!("{a}{sep}{b}{end}"));
            read += 1;
            if a != b {
                want.insert((a, b));
            }
        }
        let path = dir.join("big.txt");
        std::fs::write(&path, text).unwrap();
        (path, want, read)
    }

    #[test]
    fn a_large_generated_edge_list_plain_and_gzipped() {
        let dir = temp_dir("big");
        let (path, want, read) = generated(&dir, 200_000);
        let gz = gzip(&path);
        for p in [&path, &gz] {
            let ds = load(&follows_only(p, "snap")).unwrap();
            assert_eq!(tables(&ds).1, want, "{p:?}");
            let f = &ds.reports[0];
            assert_eq!(f.rows_read, read);
            assert_eq!(f.rows_used, want.len() as u64);
            assert!(f.balanced());
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    /// The real ego network in `/work/shared/data` (skipped when absent).
    #[test]
    fn the_real_ego_twitter_network_when_present() {
        let dir = Path::new("/work/shared/data/snap-ego-twitter-12831");
        if !dir.join("12831.edges").is_file() {
            eprintln!("skipped: {} is not here (see its SOURCE.md)", dir.display());
            return;
        }
        let ds = load(&both(dir, "snap-ego")).unwrap();
        let [a, f] = &ds.reports[..] else {
            panic!("{:?}", ds.reports)
        };
        // SOURCE.md: 236 ids in `.edges`, 8 more in `.feat`, and the ego.
        assert_eq!(a.rows_used, 1 + 236 + 8);
        // 2,478 arcs (one self-loop) and 236 implicit ego follows.
        assert_eq!((f.rows_read, f.rows_rejected), (2478 + 236, 1));
        assert_eq!(f.rejected["self_loop"], 1);
        assert_eq!(f.notes["implicit_ego_follows"], 236);
        let ones: f64 = ds.accounts.numeric["feature_count"].iter().flatten().sum();
        assert_eq!(ones, 3868.0);
        let e = ds.accounts.ids.get("12831").unwrap();
        assert_eq!(ds.follows.degree(e), 236);
    }

    /// The Higgs follow graph (`/work/shared/data`, skipped when absent): the snap
    /// reader and the TSV reader told `delimiter = " "`, no header, agree.
    #[test]
    fn the_higgs_follow_graph_reads_as_with_tsv_when_present() {
        let path = Path::new(
            "/work/shared/data/higgs-twitter/higgs-social_network.partial-5394-sources.edgelist.gz",
        );
        if !path.is_file() {
            eprintln!(
                "skipped: {} is not here (see its SOURCE.md)",
                path.display()
            );
            return;
        }
        let snap = load(&follows_only(path, "snap")).unwrap();
        let mut tsv = follows_only(path, "tsv");
        let t = tsv.follows.as_mut().unwrap();
        t.delimiter = Some(" ".into());
        t.header = false;
        t.columns = [("follower", "1"), ("followee", "2")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let tsv = load(&tsv).unwrap();
        assert_eq!(
            snap.accounts.ids.names().to_vec(),
            tsv.accounts.ids.names().to_vec()
        );
        assert_eq!(tables(&snap).1, tables(&tsv).1);
        assert_eq!(snap.reports[0].rows_read, 355_051);
        assert_eq!(snap.reports[0].rejected["self_loop"], 14);
    }
}
