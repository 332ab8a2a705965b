//! The font inside an SVG: a `<style>` with one base64 `@font-face` per weight used,
//! subset to the characters of the document's `<text>` elements, and the font's
//! license as a comment.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ttf_parser::{Face, PlatformId};

use super::bytes;
use super::subset::subset;
use crate::plots::style::FAMILY;

/// Inserts, right after the opening `<svg ...>` tag, a `<style>` with one
/// `@font-face` per weight used (DejaVu Sans subset to the characters of the
/// document's `<text>` elements, as a base64 data URL) and the font's license as a
/// comment. Also tidies plotters' `font-size` numbers (e.g. `14.000000000000002`).
pub fn embed_in_svg(svg: &str) -> Result<String> {
    let svg = tidy_font_sizes(svg);
    let (regular, bold) = used_chars(&svg);
    let mut css = String::new();
    for (is_bold, chars) in [(false, regular), (true, bold)] {
        if chars.is_empty() {
            continue;
        }
        let mut chars = chars;
        chars.insert('x'); // browsers measure `ex` (used by plotters' dy) on the x glyph
        let sub = subset(bytes(is_bold), &chars).with_context(|| {
            format!(
                "subsetting DejaVu Sans ({})",
                if is_bold { "bold" } else { "regular" }
            )
        })?;
        css.push_str(&format!(
            "@font-face{{font-family:'{FAMILY}';font-style:normal;font-weight:{};src:url(data:font/ttf;base64,{}) format('truetype')}}\n",
            if is_bold { 700 } else { 400 },
            BASE64.encode(&sub)
        ));
    }
    css.push_str(&format!(
        "text{{font-family:'{FAMILY}',sans-serif;font-kerning:none;font-variant-ligatures:none;text-rendering:geometricPrecision}}\n"
    ));
    let open = svg.find("<svg").context("no <svg> element in the SVG")?;
    let end = open + svg[open..].find('>').context("unterminated <svg> tag")? + 1;
    let license = comment_safe(&license_text().unwrap_or_default());
    let mut out = String::with_capacity(svg.len() + css.len() + license.len() + 64);
    out.push_str(&svg[..end]);
    out.push_str("\n<!-- Text is set in a subset of DejaVu Sans, embedded below.\n");
    out.push_str(&license);
    out.push_str("\n-->\n<style>\n");
    out.push_str(&css);
    out.push_str("</style>");
    out.push_str(&svg[end..]);
    Ok(out)
}

/// Text that can sit inside an XML comment: no "--", no trailing "-".
fn comment_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c == '-' && out.ends_with('-') {
            out.push(' ');
        }
        out.push(c);
    }
    if out.ends_with('-') {
        out.push(' ');
    }
    out
}

/// Characters used by regular and bold `<text>` elements of an SVG document.
fn used_chars(svg: &str) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(body_len) = rest[body_start..].find("</text>") else {
            break;
        };
        let body = unescape(&rest[body_start..body_start + body_len]);
        let set = if tag.contains("font-weight=\"bold\"") {
            &mut bold
        } else {
            &mut regular
        };
        set.extend(body.chars());
        rest = &rest[body_start + body_len..];
    }
    (regular, bold)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites `font-size="14.000000000000002"` as `font-size="14"`.
fn tidy_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        let start = i + KEY.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find('"') else { break };
        match rest[..end].parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let s = format!("{:.2}", v);
                out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
            }
            _ => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The font's license description (name ID 13), which its license asks to travel
/// with every copy.
fn license_text() -> Option<String> {
    let face = Face::parse(bytes(false), 0).ok()?;
    face.names()
        .into_iter()
        .find(|n| n.name_id == 13 && n.platform_id == PlatformId::Windows && n.encoding_id == 1)
        .and_then(|n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_chars_reads_text_elements_and_entities() {
        let svg =
            r#"<svg><text x="1" font-weight="bold">A&amp;B</text><text>x&lt;&#233;</text></svg>"#;
        let (r, b) = used_chars(svg);
        assert_eq!(b.into_iter().collect::<String>(), "&AB");
        assert_eq!(r.into_iter().collect::<String>(), "<x\u{e9}");
        assert_eq!(
            tidy_font_sizes(r#"font-size="14.000000000000002""#),
            r#"font-size="14""#
        );
        assert_eq!(
            tidy_font_sizes(r#"font-size="15.5""#),
            r#"font-size="15.5""#
        );
        assert_eq!(comment_safe("a---b-"), "a- - -b- ");
    }
}
