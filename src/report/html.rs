//! `report.html`: the same report as `report.md`, self-contained (figures embedded as
//! PNG data, no external files, fonts or scripts), tables sortable by clicking a header.
//!
//! It renders the blocks of the report model ([`super::model`]) and, inside them, the
//! inline markdown spans: `**bold**`, `*italic*`, `` `code` `` and backslash escapes.
//! Every image keeps its alt text, and figures get a caption.

use std::fmt::Write as _;
use std::path::Path;

use super::{Block, Document};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline markup: `code`, **bold**, *italic*, on escaped text.
fn inline(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let (tok, open, close) = if rest.starts_with('`') {
            ("`", "<code>", "</code>")
        } else if rest.starts_with("**") {
            ("**", "<strong>", "</strong>")
        } else if rest.starts_with('*') {
            ("*", "<em>", "</em>")
        } else if let Some(after) = rest.strip_prefix('\\')
            && let Some(c) = after.chars().next().filter(char::is_ascii_punctuation)
        {
            // A markdown backslash escape (ids in tables: `\|`, `\*`): the literal char.
            out.push_str(&escape(c.encode_utf8(&mut [0; 4])));
            rest = &after[1..];
            continue;
        } else {
            // Past the first char: a backslash that escapes nothing is plain text.
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[first..]
                .find(['`', '*', '\\'])
                .map_or(rest.len(), |i| i + first);
            out.push_str(&escape(&rest[..next]));
            rest = &rest[next..];
            continue;
        };
        match rest[tok.len()..].find(tok) {
            Some(end) if end > 0 => {
                let body = &rest[tok.len()..tok.len() + end];
                let body = if tok == "`" {
                    escape(body)
                } else {
                    inline(body)
                };
                let _ = write!(out, "{open}{body}{close}");
                rest = &rest[tok.len() * 2 + end..];
            }
            _ => {
                out.push_str(&escape(tok));
                rest = &rest[tok.len()..];
            }
        }
    }
    out
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}\
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ddd}\
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}\
figcaption{font-size:.9rem;color:#444;margin-top:.3rem}\
.table{overflow-x:auto;margin:1rem 0}table{border-collapse:collapse;font-size:.85rem}\
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}tr:nth-child(even) td{background:#fafafa}\
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}";

/// Click a header to sort its column (numbers numerically, "n/a" and blanks last).
const SCRIPT: &str = "document.querySelectorAll('table').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.title='Sort';th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.from(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';function v(x){var s=x.cells[i]?x.cells[i].innerText.trim():'';var n=parseFloat(s.replace(/[^0-9.eE+-]/g,''));return isNaN(n)?s:n}r.sort(function(a,c){var x=v(a),y=v(c);if(typeof x!==typeof y)return typeof x==='number'?-1:1;return(x<y?-1:x>y?1:0)*(asc?1:-1)});r.forEach(function(x){b.appendChild(x)})})})});";

/// Renders `report.html` from the report model. Figure paths are relative to `out`.
pub fn render(doc: &Document, title: &str, out: &Path) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    for b in &doc.blocks {
        block(&mut html, b, out);
    }
    let _ = write!(html, "<script>{SCRIPT}</script>\n</body></html>\n");
    html
}

fn block(html: &mut String, b: &Block, out: &Path) {
    match b {
        Block::Heading(level, t) => {
            let _ = writeln!(html, "<h{level}>{}</h{level}>", inline(t));
        }
        Block::Paragraph(t) => {
            let _ = writeln!(
                html,
                "<p>{}</p>",
                inline(&t.lines().collect::<Vec<_>>().join(" "))
            );
        }
        Block::List(items) if items.is_empty() => {}
        Block::List(items) => {
            html.push_str("<ul>\n");
            for it in items {
                let _ = writeln!(html, "<li>{}</li>", inline(it));
            }
            html.push_str("</ul>\n");
        }
        Block::Table { head, rows, .. } => {
            html.push_str("<div class=\"table\"><table><thead><tr>");
            for h in head {
                let _ = write!(html, "<th>{}</th>", inline(h.trim()));
            }
            html.push_str("</tr></thead><tbody>\n");
            for r in rows {
                html.push_str("<tr>");
                for c in r {
                    let _ = write!(html, "<td>{}</td>", inline(c.trim()));
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</tbody></table></div>\n");
        }
        Block::Figure { alt, src, caption } => {
            html.push_str("<figure>");
            match std::fs::read(out.join(src)) {
                Ok(bytes) => {
                    let _ = write!(
                        html,
                        "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                        escape(alt),
                        BASE64.encode(&bytes)
                    );
                }
                Err(_) => {
                    let _ = write!(html, "<p>[{}]</p>", escape(alt));
                }
            }
            let _ = write!(html, "<figcaption>{}</figcaption>", escape(caption));
            html.push_str("</figure>\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Align;
    use super::*;

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            title: "T".into(),
            blocks,
        }
    }

    #[test]
    fn the_blocks_render() {
        let d = doc(vec![
            Block::Heading(1, "T & co".into()),
            Block::Paragraph("A *b* **c**\n`d<e`.".into()),
            Block::List(vec!["one".into(), "two".into()]),
            Block::Table {
                head: vec!["x".into(), "y".into()],
                align: vec![Align::Left, Align::Right],
                rows: vec![vec!["1".into(), "2".into()]],
            },
            Block::Figure {
                alt: "alt text".into(),
                src: "missing.png".into(),
                caption: "A caption".into(),
            },
        ]);
        let h = render(&d, "T", Path::new("/nonexistent"));
        assert!(h.contains("<h1>T &amp; co</h1>"));
        assert!(h.contains("<p>A <em>b</em> <strong>c</strong> <code>d&lt;e</code>.</p>"));
        assert!(h.contains("<li>one</li>\n<li>two</li>"));
        assert!(h.contains("<th>x</th><th>y</th>") && h.contains("<td>1</td><td>2</td>"));
        assert!(h.contains("<figcaption>A caption</figcaption>"));
        assert!(
            h.contains("[alt text]"),
            "a missing image keeps its alt text"
        );
        assert!(!h.contains("<ul>\n</ul>"));
    }

    #[test]
    fn escaped_ids_render_literally() {
        let id = "a|b*c`d\\e_f_ _g\nh";
        let d = doc(vec![Block::Table {
            head: vec!["x".into(), "y".into()],
            align: vec![Align::Left, Align::Left],
            rows: vec![vec![crate::report::md_text(id), "2".into()]],
        }]);
        let h = render(&d, "T", Path::new("/nonexistent"));
        assert!(h.contains("<td>a|b*c`d\\e_f_ _g\\nh</td><td>2</td>"), "{h}");
    }
}
