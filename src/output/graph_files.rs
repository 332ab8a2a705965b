//! Network handoffs for Gephi, networkx and igraph: the follow graph (and the
//! interaction graph, where the data has one) as GEXF 1.3 and GraphML, every account a
//! node with its attributes, label, every ranking's score and rank and P(top N) per
//! perturbation family as node attributes (methodology.md §7).
//!
//! Both formats are streamed through a `BufWriter` inside [`super::atomic_file`]: a graph
//! of 10^8 edges is never held as one string. The bytes are deterministic (attributes in
//! a fixed order, numbers printed by Rust's shortest round-trip formatting).
//!
//! A value missing for an account (an unranked account's rank and score, an empty
//! attribute cell) is left out: no `attvalue` / `data` element, so readers see it as
//! missing rather than as 0.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::graph::Csr;
use crate::results::Results;

/// Graph files are written by default when the follow graph has fewer edges than this
/// (the study's `[output] graph_files` decides otherwise); a larger graph's files would
/// run to gigabytes (about 70 bytes per edge in GEXF).
pub const EDGE_LIMIT: usize = 5_000_000;

/// The type of a node attribute.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Double,
    Integer,
    Text,
}

/// One node attribute: its name, type and every node's value (None = missing).
struct Column {
    name: String,
    kind: Kind,
    values: Vec<Option<String>>,
}

/// The node table both formats print.
struct Nodes {
    ids: Vec<String>,
    labels: Vec<String>,
    columns: Vec<Column>,
}

fn number(x: f64) -> Option<String> {
    x.is_finite().then(|| format!("{x:?}"))
}

fn node_table(res: &Results) -> Nodes {
    let a = &res.data.accounts;
    let n = a.len();
    let mut columns = Vec::new();
    for (name, col) in &a.numeric {
        columns.push(Column {
            name: name.clone(),
            kind: Kind::Double,
            values: col.iter().map(|v| v.and_then(number)).collect(),
        });
    }
    for (name, col) in &a.text {
        if name == crate::dataset::schema::LABEL {
            continue;
        }
        columns.push(Column {
            name: name.clone(),
            kind: Kind::Text,
            values: col.clone(),
        });
    }
    for (spec, r) in &res.rankings {
        let mut score = vec![None; n];
        let mut rank = vec![None; n];
        for e in r.entries() {
            score[e.account as usize] = number(e.score);
            rank[e.account as usize] = Some(e.rank.to_string());
        }
        columns.push(Column {
            name: format!("{}_score", spec.name),
            kind: Kind::Double,
            values: score,
        });
        columns.push(Column {
            name: format!("{}_rank", spec.name),
            kind: Kind::Integer,
            values: rank,
        });
    }
    for f in &res.families {
        let mut p = vec![None; n];
        for s in &f.accounts {
            p[s.account as usize] = number(s.p_top_n);
        }
        columns.push(Column {
            name: format!("p_top_n_{}_{}", f.family, f.ranking),
            kind: Kind::Double,
            values: p,
        });
    }
    Nodes {
        ids: a.ids.names().to_vec(),
        labels: (0..n as u32).map(|i| a.label(i).to_string()).collect(),
        columns,
    }
}

/// `s` escaped for XML 1.0 text and attribute values; characters XML 1.0 forbids
/// (control characters other than tab, newline, carriage return; U+FFFE, U+FFFF) are
/// dropped.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Every edge of `g`, follower -> followee, with its weight where `g` has weights.
fn edges(g: &Csr) -> impl Iterator<Item = (u32, u32, Option<f64>)> + '_ {
    (0..g.node_count() as u32).flat_map(move |v| {
        let w = g.neighbor_weights(v);
        g.neighbors(v)
            .iter()
            .enumerate()
            .map(move |(k, &t)| (v, t, w.map(|w| w[k])))
    })
}

fn gexf_type(k: Kind) -> &'static str {
    match k {
        Kind::Double => "double",
        Kind::Integer => "integer",
        Kind::Text => "string",
    }
}

fn write_gexf(w: &mut impl Write, nodes: &Nodes, g: &Csr, weighted: bool) -> Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(w, r#"  <meta><creator>rankaudit</creator></meta>"#)?;
    writeln!(w, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    writeln!(w, r#"    <attributes class="node">"#)?;
    for (i, c) in nodes.columns.iter().enumerate() {
        writeln!(
            w,
            r#"      <attribute id="{i}" title="{}" type="{}"/>"#,
            escape(&c.name),
            gexf_type(c.kind)
        )?;
    }
    writeln!(w, r#"    </attributes>"#)?;
    writeln!(w, r#"    <nodes>"#)?;
    for (v, id) in nodes.ids.iter().enumerate() {
        write!(
            w,
            r#"      <node id="{}" label="{}">"#,
            escape(id),
            escape(&nodes.labels[v])
        )?;
        let mut open = false;
        for (i, c) in nodes.columns.iter().enumerate() {
            if let Some(x) = &c.values[v] {
                if !open {
                    write!(w, "<attvalues>")?;
                    open = true;
                }
                write!(w, r#"<attvalue for="{i}" value="{}"/>"#, escape(x))?;
            }
        }
        if open {
            write!(w, "</attvalues>")?;
        }
        writeln!(w, "</node>")?;
    }
    writeln!(w, r#"    </nodes>"#)?;
    writeln!(w, r#"    <edges>"#)?;
    for (k, (s, t, wt)) in edges(g).enumerate() {
        let (s, t) = (
            escape(&nodes.ids[s as usize]),
            escape(&nodes.ids[t as usize]),
        );
        match wt.filter(|_| weighted) {
            Some(x) => writeln!(
                w,
                r#"      <edge id="{k}" source="{s}" target="{t}" weight="{x:?}"/>"#
            )?,
            None => writeln!(w, r#"      <edge id="{k}" source="{s}" target="{t}"/>"#)?,
        }
    }
    writeln!(w, r#"    </edges>"#)?;
    writeln!(w, r#"  </graph>"#)?;
    writeln!(w, r#"</gexf>"#)?;
    Ok(())
}

fn graphml_type(k: Kind) -> &'static str {
    match k {
        Kind::Double => "double",
        Kind::Integer => "int",
        Kind::Text => "string",
    }
}

fn write_graphml(w: &mut impl Write, nodes: &Nodes, g: &Csr, weighted: bool) -> Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    writeln!(
        w,
        r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#
    )?;
    for (i, c) in nodes.columns.iter().enumerate() {
        writeln!(
            w,
            r#"  <key id="d{i}" for="node" attr.name="{}" attr.type="{}"/>"#,
            escape(&c.name),
            graphml_type(c.kind)
        )?;
    }
    if weighted {
        writeln!(
            w,
            r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
        )?;
    }
    writeln!(w, r#"  <graph id="G" edgedefault="directed">"#)?;
    for (v, id) in nodes.ids.iter().enumerate() {
        write!(
            w,
            r#"    <node id="{}"><data key="label">{}</data>"#,
            escape(id),
            escape(&nodes.labels[v])
        )?;
        for (i, c) in nodes.columns.iter().enumerate() {
            if let Some(x) = &c.values[v] {
                write!(w, r#"<data key="d{i}">{}</data>"#, escape(x))?;
            }
        }
        writeln!(w, "</node>")?;
    }
    for (s, t, wt) in edges(g) {
        let (s, t) = (
            escape(&nodes.ids[s as usize]),
            escape(&nodes.ids[t as usize]),
        );
        match wt.filter(|_| weighted) {
            Some(x) => writeln!(
                w,
                r#"    <edge source="{s}" target="{t}"><data key="weight">{x:?}</data></edge>"#
            )?,
            None => writeln!(w, r#"    <edge source="{s}" target="{t}"/>"#)?,
        }
    }
    writeln!(w, r#"  </graph>"#)?;
    writeln!(w, r#"</graphml>"#)?;
    Ok(())
}

fn write_pair(
    dir: &Path,
    stem: &str,
    nodes: &Nodes,
    g: &Csr,
    weighted: bool,
) -> Result<Vec<PathBuf>> {
    let gexf = dir.join(format!("{stem}.gexf"));
    super::atomic_file(&gexf, |f| {
        let mut w = BufWriter::with_capacity(1 << 20, f);
        write_gexf(&mut w, nodes, g, weighted)?;
        w.flush()
            .with_context(|| format!("writing {}", gexf.display()))
    })?;
    let graphml = dir.join(format!("{stem}.graphml"));
    super::atomic_file(&graphml, |f| {
        let mut w = BufWriter::with_capacity(1 << 20, f);
        write_graphml(&mut w, nodes, g, weighted)?;
        w.flush()
            .with_context(|| format!("writing {}", graphml.display()))
    })?;
    Ok(vec![gexf, graphml])
}

/// Write `graph/follows.{gexf,graphml}` and, when there is an interaction graph,
/// `graph/interactions.{gexf,graphml}` (with `weight`) under `out`; returns the files
/// written. Whether to write them at all is the caller's ([`EDGE_LIMIT`]).
pub fn write_graph_files(
    res: &Results,
    follows: &Csr,
    interactions: Option<&Csr>,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let nodes = node_table(res);
    let dir = out.join("graph");
    let mut files = write_pair(&dir, "follows", &nodes, follows, false)?;
    if let Some(ig) = interactions {
        files.extend(write_pair(&dir, "interactions", &nodes, ig, true)?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Nodes {
        Nodes {
            ids: vec!["a&b".into(), "<c>".into(), "d\"'\u{1}e".into()],
            labels: vec!["A & B".into(), "C\u{0}".into(), "D\tE".into()],
            columns: vec![
                Column {
                    name: "pagerank_rank".into(),
                    kind: Kind::Integer,
                    values: vec![Some("1".into()), None, Some("2".into())],
                },
                Column {
                    name: "bio <x>".into(),
                    kind: Kind::Text,
                    values: vec![Some("x]]>y & z".into()), None, None],
                },
            ],
        }
    }

    fn graph() -> Csr {
        Csr::from_edges(3, vec![(0, 1, 1.0), (2, 0, 2.5), (1, 2, 1.0)], true)
    }

    /// Parse with quick-xml (a dependency of the tree already) and return the
    /// elements' names and unescaped attribute values.
    fn parse(bytes: &[u8]) -> Vec<(String, Vec<(String, String)>)> {
        use quick_xml::events::Event;
        let mut r = quick_xml::Reader::from_reader(bytes);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match r.read_event_into(&mut buf).expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().expect("escape").to_string(),
                            )
                        })
                        .collect();
                    out.push((name, attrs));
                }
                _ => {}
            }
            buf.clear();
        }
        out
    }

    #[test]
    fn escape_drops_forbidden_characters() {
        assert_eq!(
            escape("a&<>\"'\u{1}\u{FFFF}b\n"),
            "a&amp;&lt;&gt;&quot;&apos;b&#10;"
        );
    }

    #[test]
    fn gexf_is_well_formed_and_round_trips_ids() {
        let mut b = Vec::new();
        write_gexf(&mut b, &tiny(), &graph(), true).unwrap();
        let el = parse(&b);
        let node_ids: Vec<&str> = el
            .iter()
            .filter(|(n, _)| n == "node")
            .map(|(_, a)| a.iter().find(|(k, _)| k == "id").unwrap().1.as_str())
            .collect();
        assert_eq!(node_ids, ["a&b", "<c>", "d\"'e"]);
        let edges: Vec<_> = el.iter().filter(|(n, _)| n == "edge").collect();
        assert_eq!(edges.len(), 3);
        assert!(edges[2].1.contains(&("weight".into(), "2.5".into())));
        // The missing rank of node 2 is left out: two rank values in all.
        let values = el.iter().filter(|(n, _)| n == "attvalue").count();
        assert_eq!(values, 3);
        // Deterministic bytes.
        let mut b2 = Vec::new();
        write_gexf(&mut b2, &tiny(), &graph(), true).unwrap();
        assert_eq!(b, b2);
    }

    #[test]
    fn graphml_is_well_formed() {
        let mut b = Vec::new();
        write_graphml(&mut b, &tiny(), &graph(), false).unwrap();
        let el = parse(&b);
        assert_eq!(el.iter().filter(|(n, _)| n == "node").count(), 3);
        assert_eq!(el.iter().filter(|(n, _)| n == "edge").count(), 3);
        assert_eq!(el.iter().filter(|(n, _)| n == "key").count(), 3);
        let text = String::from_utf8(b).unwrap();
        assert!(text.contains("x]]&gt;y &amp; z"));
        assert!(!text.contains('\u{0}'));
    }
}
