//! `report.html`: the same report as `report.md`, for reading in a browser at any width:
//! figures are the PNG files beside it (with links to the SVG and PNG), not embedded, so the
//! page stays small; a list of sections follows the key chart; tables sort by clicking
//! a header, and tables longer than [`FOLD_ROWS`] rows are folded. No external fonts
//! or scripts.
//!
//! It renders the blocks of the report model ([`super::model`]) and, inside them, the
//! inline markdown spans: `**bold**`, `*italic*`, `` `code` `` and backslash escapes.
//! Every image keeps its alt text, and figures get a caption.

use std::fmt::Write as _;
use std::path::Path;

use super::{Block, Document};

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

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;line-height:1.55;color:#1a1a1a}\
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.3rem;margin-top:2.4rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.6rem}\
.lede{font-size:1.2rem;line-height:1.5;margin:0 0 1.2rem}\
nav{font-size:.9rem;background:#f6f6f6;padding:.6rem .8rem;border-radius:4px;margin:1rem 0}nav a{color:#0060a0;white-space:nowrap}\
figure{margin:1.5rem 0}figure img{display:block;max-width:100%;height:auto;border:1px solid #eee}\
figcaption{font-size:.9rem;color:#444;margin-top:.3rem}.files{font-size:.8rem}\
details{margin:1rem 0}summary{cursor:pointer;color:#0060a0}\
.table{overflow-x:auto;margin:1rem 0}table{border-collapse:collapse;font-size:.85rem}\
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}tr:nth-child(even) td{background:#fafafa}\
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}\
@media (max-width:600px){body{margin:.8rem auto;padding:0 .7rem}h1{font-size:1.4rem}.lede{font-size:1.08rem}h2{font-size:1.15rem}table{font-size:.78rem}}";

/// Click a header to sort its column (numbers numerically, "n/a" and blanks last).
const SCRIPT: &str = "document.querySelectorAll('table').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.title='Sort';th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.from(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';function v(x){var s=x.cells[i]?x.cells[i].innerText.trim():'';var n=parseFloat(s.replace(/[^0-9.eE+-]/g,''));return isNaN(n)?s:n}r.sort(function(a,c){var x=v(a),y=v(c);if(typeof x!==typeof y)return typeof x==='number'?-1:1;return(x<y?-1:x>y?1:0)*(asc?1:-1)});r.forEach(function(x){b.appendChild(x)})})})});";

/// The share card's file name in the output folder ([`crate::plots::share_card`]).
pub const SHARE_CARD: &str = "share-card.png";

/// Inline markdown as plain text: the markup characters and backslash escapes removed.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '`' => {}
            c => out.push(c),
        }
    }
    out
}

/// Tables longer than this are folded into a `<details>` element.
const FOLD_ROWS: usize = 60;

/// A heading's anchor: lower-case letters and digits, the rest one `-`.
fn slug(t: &str) -> String {
    let mut s = String::new();
    for c in t.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

/// The list of sections (every level-2 heading), linked.
fn contents(html: &mut String, doc: &Document) {
    let links: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(2, t) => Some(format!("<a href=\"#{}\">{}</a>", slug(t), inline(t))),
            _ => None,
        })
        .collect();
    if !links.is_empty() {
        let _ = writeln!(
            html,
            "<nav><strong>In this report:</strong> {}</nav>",
            links.join(" · ")
        );
    }
}

/// Renders `report.html` from the report model. Figure paths are relative to `out`.
pub fn render(doc: &Document, title: &str, out: &Path) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>",
        escape(title)
    );
    // Link previews: the title, the lede and the share card where there is one.
    let _ = write!(
        html,
        "<meta property=\"og:title\" content=\"{}\">",
        escape(title)
    );
    if let Some(Block::Lede(t)) = doc.blocks.iter().find(|b| matches!(b, Block::Lede(_))) {
        let _ = write!(
            html,
            "<meta name=\"description\" property=\"og:description\" content=\"{}\">",
            escape(&plain(t))
        );
    }
    if out.join(SHARE_CARD).is_file() {
        let _ = write!(
            html,
            "<meta property=\"og:image\" content=\"{SHARE_CARD}\"><meta name=\"twitter:card\" content=\"summary_large_image\">"
        );
    }
    let _ = writeln!(html, "<style>{STYLE}</style></head><body>");
    let first_figure = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Figure { .. }));
    for (i, b) in doc.blocks.iter().enumerate() {
        block(&mut html, b, out);
        if Some(i) == first_figure {
            contents(&mut html, doc);
        }
    }
    let _ = write!(html, "<script>{SCRIPT}</script>\n</body></html>\n");
    html
}

fn block(html: &mut String, b: &Block, out: &Path) {
    match b {
        Block::Heading(2, t) => {
            let _ = writeln!(html, "<h2 id=\"{}\">{}</h2>", slug(t), inline(t));
        }
        Block::Heading(level, t) => {
            let _ = writeln!(html, "<h{level}>{}</h{level}>", inline(t));
        }
        Block::Lede(t) => {
            let _ = writeln!(
                html,
                "<p class=\"lede\">{}</p>",
                inline(&t.lines().collect::<Vec<_>>().join(" "))
            );
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
            // A long table is folded away, so the page reads on; its summary says what
            // opening it shows.
            let fold = rows.len() > FOLD_ROWS;
            if fold {
                let _ = write!(
                    html,
                    "<details><summary>Show all {} rows</summary>",
                    rows.len()
                );
            }
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
            if fold {
                html.push_str("</details>\n");
            }
        }
        Block::Figure { alt, src, caption } => {
            html.push_str("<figure>");
            if out.join(src).exists() {
                // The chart draws its title, so the caption is not repeated under it:
                // the alt text carries it for screen readers, and the caption line
                // offers the files (the SVG has selectable text).
                let _ = write!(
                    html,
                    "<img alt=\"{}\" src=\"{}\" width=\"800\" loading=\"lazy\">",
                    escape(alt),
                    escape(src)
                );
                let svg = Path::new(src).with_extension("svg");
                let mut files = vec![format!("<a href=\"{}\">PNG</a>", escape(src))];
                if out.join(&svg).exists() {
                    files.insert(
                        0,
                        format!("<a href=\"{}\">SVG</a>", escape(&svg.display().to_string())),
                    );
                }
                let _ = write!(
                    html,
                    "<figcaption class=\"files\">Chart: {}</figcaption>",
                    files.join(" · ")
                );
            } else {
                let _ = write!(
                    html,
                    "<p>[{}]</p><figcaption>{}</figcaption>",
                    escape(alt),
                    escape(caption)
                );
            }
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
