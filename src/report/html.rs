//! `report.html`: the same report as `report.md`, self-contained (figures embedded as
//! PNG data, no external files, fonts or scripts), tables sortable by clicking a header.
//!
//! It renders the markdown subset that [`super::markdown`] writes: `#` headings,
//! paragraphs, `- ` lists, pipe tables, `![alt](src)` images on their own line, `*caption*`
//! lines, and inline `**bold**`, `*italic*` and `` `code` ``. Every image keeps its alt
//! text, and figures get a caption.

use std::fmt::Write as _;
use std::path::Path;

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

/// The cells of a table row: split at every `|` not escaped as `\|`.
fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut out = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, b) in t.bytes().enumerate() {
        match b {
            b'\\' if !escaped => escaped = true,
            b'|' if !escaped => {
                out.push(t[start..i].trim());
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    out.push(t[start..].trim());
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

/// Render `report.html` from the markdown. Image paths are relative to `out`.
pub fn render(markdown: &str, title: &str, out: &Path) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim().is_empty() {
            i += 1;
        } else if let Some(h) = l.strip_prefix("## ") {
            let _ = writeln!(html, "<h2>{}</h2>", inline(h));
            i += 1;
        } else if let Some(h) = l.strip_prefix("# ") {
            let _ = writeln!(html, "<h1>{}</h1>", inline(h));
            i += 1;
        } else if l.starts_with("- ") {
            html.push_str("<ul>\n");
            while i < lines.len() && lines[i].starts_with("- ") {
                let _ = writeln!(html, "<li>{}</li>", inline(&lines[i][2..]));
                i += 1;
            }
            html.push_str("</ul>\n");
        } else if l.starts_with('|') {
            let head = cells(l);
            i += 2; // header and rule
            html.push_str("<div class=\"table\"><table><thead><tr>");
            for h in &head {
                let _ = write!(html, "<th>{}</th>", inline(h));
            }
            html.push_str("</tr></thead><tbody>\n");
            while i < lines.len() && lines[i].starts_with('|') {
                html.push_str("<tr>");
                for c in cells(lines[i]) {
                    let _ = write!(html, "<td>{}</td>", inline(c));
                }
                html.push_str("</tr>\n");
                i += 1;
            }
            html.push_str("</tbody></table></div>\n");
        } else if let Some(rest) = l.strip_prefix("![") {
            let (alt, src) = rest.split_once("](").unwrap_or((rest, ""));
            let src = src.trim_end_matches(')');
            let caption = lines
                .get(i + 2)
                .filter(|c| c.starts_with('*') && lines[i + 1].trim().is_empty())
                .map(|c| c.trim_matches('*').to_string());
            let data = std::fs::read(out.join(src)).ok();
            html.push_str("<figure>");
            match data {
                Some(bytes) => {
                    let _ = write!(
                        html,
                        "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                        escape(alt),
                        BASE64.encode(&bytes)
                    );
                }
                None => {
                    let _ = write!(html, "<p>[{}]</p>", escape(alt));
                }
            }
            if let Some(c) = &caption {
                let _ = write!(html, "<figcaption>{}</figcaption>", escape(c));
                i += 2;
            }
            html.push_str("</figure>\n");
            i += 1;
        } else {
            let mut para = Vec::new();
            while i < lines.len()
                && !lines[i].trim().is_empty()
                && !lines[i].starts_with(['#', '|', '-', '!'])
            {
                para.push(lines[i]);
                i += 1;
            }
            if para.is_empty() {
                para.push(lines[i]);
                i += 1;
            }
            let _ = writeln!(html, "<p>{}</p>", inline(&para.join(" ")));
        }
    }
    let _ = write!(html, "<script>{SCRIPT}</script>\n</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_subset_renders() {
        let md = "# T & co\n\nA *b* **c** `d<e`.\n\n- one\n- two\n\n| x | y |\n|---|---:|\n| 1 | 2 |\n\n![alt text](missing.png)\n\n*A caption*\n";
        let h = render(md, "T", Path::new("/nonexistent"));
        assert!(h.contains("<h1>T &amp; co</h1>"));
        assert!(h.contains("<p>A <em>b</em> <strong>c</strong> <code>d&lt;e</code>.</p>"));
        assert!(h.contains("<li>one</li><li>two</li>") || h.contains("<li>one</li>\n<li>two</li>"));
        assert!(h.contains("<th>x</th><th>y</th>") && h.contains("<td>1</td><td>2</td>"));
        assert!(h.contains("<figcaption>A caption</figcaption>"));
        assert!(
            h.contains("[alt text]"),
            "a missing image keeps its alt text"
        );
        assert!(!h.contains("<p>*A caption*</p>"));
    }

    #[test]
    fn escaped_ids_stay_in_their_cell() {
        let id = "a|b*c`d\\e_f_ _g\nh";
        let md = format!(
            "| x | y |\n|---|---|\n| {} | 2 |\n",
            crate::report::md_text(id)
        );
        assert_eq!(cells(md.lines().nth(2).unwrap()).len(), 2, "{md}");
        let h = render(&md, "T", Path::new("/nonexistent"));
        assert!(h.contains("<td>a|b*c`d\\e_f_ _g\\nh</td><td>2</td>"), "{h}");
    }
}
