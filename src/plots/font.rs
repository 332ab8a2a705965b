//! The one font every chart uses (DejaVu Sans, regular and bold, from the `dejavu`
//! crate's bytes) and everything that keeps it off the system:
//!
//! * [`register`] hands the bytes to plotters (`register_font`, ab_glyph feature);
//! * [`text_width`] and [`rasterize`] measure and draw text for the PNG with the
//!   font's real em size, side bearings and no kerning, so the PNG matches what a
//!   browser draws for the SVG (`font-size` = em size, kerning and ligatures off);
//! * [`embed_in_svg`] subsets the font to the characters the SVG's `<text>`
//!   elements use and embeds it as a base64 `@font-face`, so the SVG's text stays
//!   selectable text and needs no installed font.
//!
//! The subsetter is a small TrueType (glyf) subsetter written for DejaVu: it keeps
//! the glyphs of the used characters (plus `.notdef`, `x` for the `ex` unit and
//! composite components), renumbers them, strips hinting instructions, and writes
//! head, hhea, maxp, OS/2, hmtx, cmap (format 4), loca (long), glyf, name and post
//! (version 3). Kerning and layout tables (kern, GPOS, GSUB) are dropped on
//! purpose: the PNG does not kern either, so both files lay text out identically.

use anyhow::{Context, Result, anyhow, ensure};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, point};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use plotters::style::{FontStyle, register_font};

use super::style::FAMILY;

/// Regular (`bold == false`) or bold DejaVu Sans bytes.
pub fn bytes(bold: bool) -> &'static [u8] {
    if bold {
        dejavu::sans::bold()
    } else {
        dejavu::sans::regular()
    }
}

/// Registers DejaVu Sans (normal and bold) with plotters under [`FAMILY`]. Idempotent.
pub fn register() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, bytes(false)).is_ok()
            && register_font(FAMILY, FontStyle::Bold, bytes(true)).is_ok()
    });
    ensure!(ok, "could not register the DejaVu Sans font with plotters");
    Ok(())
}

fn face(bold: bool) -> Result<&'static FontRef<'static>> {
    static REGULAR: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    cell.get_or_init(|| FontRef::try_from_slice(bytes(bold)).ok())
        .as_ref()
        .ok_or_else(|| anyhow!("the embedded DejaVu Sans font does not parse"))
}

/// Height of a lower-case `x` as a fraction of the em (what browsers use for `1ex`).
pub fn x_height_em(bold: bool) -> f64 {
    let Ok(f) = face(bold) else { return 0.55 };
    let upem = f.units_per_em().unwrap_or(2048.0) as f64;
    match f.outline(f.glyph_id('x')) {
        Some(o) => f64::from((o.bounds.max.y - o.bounds.min.y).abs()) / upem,
        None => 0.55,
    }
}

/// Advance width in pixels of `text` at an em size of `em_px`, without kerning.
pub fn text_width(text: &str, em_px: f64, bold: bool) -> f64 {
    let Ok(f) = face(bold) else {
        return 0.6 * em_px * text.chars().count() as f64;
    };
    let upem = f.units_per_em().unwrap_or(2048.0) as f64;
    let units: f64 = text
        .chars()
        .map(|c| f.h_advance_unscaled(f.glyph_id(c)) as f64)
        .sum();
    units * em_px / upem
}

/// Rasterizes `text` with its pen starting at (`x`, `baseline`) in a local pixel
/// space, calling `pixel(x, y, coverage)` for every covered pixel.
pub fn rasterize(
    text: &str,
    em_px: f64,
    bold: bool,
    x: f64,
    baseline: f64,
    mut pixel: impl FnMut(i32, i32, f32),
) -> Result<()> {
    let f = face(bold)?;
    let upem = f.units_per_em().unwrap_or(2048.0);
    let em = em_px as f32;
    // ab_glyph's PxScale is the pixel height of ascent - descent, not the em.
    let scale = em * f.height_unscaled() / upem;
    let mut pen = x as f32;
    for c in text.chars() {
        let id = f.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, point(pen, baseline as f32));
        if let Some(outlined) = f.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            let (x0, y0) = (b.min.x as i32, b.min.y as i32);
            outlined.draw(|gx, gy, cov| {
                if cov > 0.0 {
                    pixel(x0 + gx as i32, y0 + gy as i32, cov.min(1.0));
                }
            });
        }
        pen += f.h_advance_unscaled(id) * em / upem;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// SVG embedding

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
    let font = Sfnt::parse(bytes(false)).ok()?;
    let name = font.table(b"name").ok()?;
    let count = rd16(name, 2).ok()? as usize;
    let storage = rd16(name, 4).ok()? as usize;
    for i in 0..count {
        let r = 6 + 12 * i;
        let (pid, eid, nid) = (
            rd16(name, r).ok()?,
            rd16(name, r + 2).ok()?,
            rd16(name, r + 6).ok()?,
        );
        let (len, off) = (
            rd16(name, r + 8).ok()? as usize,
            rd16(name, r + 10).ok()? as usize,
        );
        if nid == 13 && pid == 3 && eid == 1 {
            let raw = name.get(storage + off..storage + off + len)?;
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            return String::from_utf16(&units).ok();
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// TrueType subsetting

fn rd16(d: &[u8], at: usize) -> Result<u16> {
    d.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| anyhow!("font data truncated at byte {at}"))
}

fn rd32(d: &[u8], at: usize) -> Result<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| anyhow!("font data truncated at byte {at}"))
}

fn put16(d: &mut [u8], at: usize, v: u16) -> Result<()> {
    d.get_mut(at..at + 2)
        .context("font table too short")?
        .copy_from_slice(&v.to_be_bytes());
    Ok(())
}

struct Sfnt<'a> {
    data: &'a [u8],
    tables: HashMap<[u8; 4], (usize, usize)>,
}

impl<'a> Sfnt<'a> {
    fn parse(data: &'a [u8]) -> Result<Self> {
        ensure!(rd32(data, 0)? == 0x0001_0000, "not a TrueType (glyf) font");
        let n = rd16(data, 4)? as usize;
        let mut tables = HashMap::new();
        for i in 0..n {
            let r = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(r..r + 4)
                .context("truncated table directory")?
                .try_into()?;
            let (off, len) = (rd32(data, r + 8)? as usize, rd32(data, r + 12)? as usize);
            ensure!(
                off.checked_add(len).is_some_and(|e| e <= data.len()),
                "table out of bounds"
            );
            tables.insert(tag, (off, len));
        }
        Ok(Self { data, tables })
    }

    fn table(&self, tag: &[u8; 4]) -> Result<&'a [u8]> {
        let &(off, len) = self
            .tables
            .get(tag)
            .ok_or_else(|| anyhow!("font has no {} table", String::from_utf8_lossy(tag)))?;
        Ok(&self.data[off..off + len])
    }
}

/// Glyph id of `c` from the font's Unicode cmap (format 4 or 12), 0 if absent.
fn cmap_lookup(cmap: &[u8], c: char) -> Result<u16> {
    let n = rd16(cmap, 2)? as usize;
    let mut best: Option<(u8, usize)> = None; // (preference, offset)
    for i in 0..n {
        let r = 4 + 8 * i;
        let (pid, eid, off) = (
            rd16(cmap, r)?,
            rd16(cmap, r + 2)?,
            rd32(cmap, r + 4)? as usize,
        );
        let format = rd16(cmap, off)?;
        let pref = match (pid, eid, format) {
            (3, 10, 12) | (0, 4, 12) | (0, 6, 12) => 2,
            (3, 1, 4) | (0, _, 4) => 1,
            _ => continue,
        };
        if best.is_none_or(|(p, _)| pref > p) {
            best = Some((pref, off));
        }
    }
    let (_, off) = best.context("font has no Unicode cmap")?;
    let t = &cmap[off..];
    let cp = c as u32;
    if rd16(t, 0)? == 12 {
        let groups = rd32(t, 12)? as usize;
        for g in 0..groups {
            let r = 16 + 12 * g;
            let (start, end, gid) = (rd32(t, r)?, rd32(t, r + 4)?, rd32(t, r + 8)?);
            if (start..=end).contains(&cp) {
                return Ok(u16::try_from(gid + (cp - start)).unwrap_or(0));
            }
        }
        return Ok(0);
    }
    if cp > 0xFFFF {
        return Ok(0);
    }
    let cp = cp as u16;
    let seg_x2 = rd16(t, 6)? as usize;
    for s in 0..seg_x2 / 2 {
        let end = rd16(t, 14 + 2 * s)?;
        if end < cp {
            continue;
        }
        let start = rd16(t, 16 + seg_x2 + 2 * s)?;
        if start > cp {
            return Ok(0);
        }
        let delta = rd16(t, 16 + 2 * seg_x2 + 2 * s)?;
        let ro_at = 16 + 3 * seg_x2 + 2 * s;
        let range_off = rd16(t, ro_at)? as usize;
        if range_off == 0 {
            return Ok(cp.wrapping_add(delta));
        }
        let g = rd16(t, ro_at + range_off + 2 * (cp - start) as usize)?;
        return Ok(if g == 0 { 0 } else { g.wrapping_add(delta) });
    }
    Ok(0)
}

const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Walks a composite glyph's components: calls `f(offset of glyphIndex, glyphIndex)`
/// for each and returns the byte length of the component records.
fn composite_components(g: &[u8], mut f: impl FnMut(usize, u16) -> Result<()>) -> Result<usize> {
    let mut pos = 10;
    loop {
        let flags = rd16(g, pos)?;
        f(pos + 2, rd16(g, pos + 2)?)?;
        let args = if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        let trans = if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        pos += 4 + args + trans;
        ensure!(pos <= g.len(), "composite glyph truncated");
        if flags & MORE_COMPONENTS == 0 {
            return Ok(pos);
        }
    }
}

/// End of a simple glyph's point data (flags and coordinates) that starts at
/// `start`, so the glyph is copied without the source font's padding.
fn simple_glyph_end(g: &[u8], contours: usize, start: usize) -> Result<usize> {
    if contours == 0 {
        return Ok(start);
    }
    let points = rd16(g, 10 + 2 * (contours - 1))? as usize + 1;
    let (mut pos, mut n, mut xy_len) = (start, 0usize, 0usize);
    while n < points {
        let flag = *g.get(pos).context("glyph flags truncated")?;
        pos += 1;
        let mut repeat = 1usize;
        if flag & 0x08 != 0 {
            repeat += usize::from(*g.get(pos).context("glyph flags truncated")?);
            pos += 1;
        }
        let x = if flag & 0x02 != 0 {
            1
        } else if flag & 0x10 != 0 {
            0
        } else {
            2
        };
        let y = if flag & 0x04 != 0 {
            1
        } else if flag & 0x20 != 0 {
            0
        } else {
            2
        };
        xy_len += repeat * (x + y);
        n += repeat;
    }
    let end = pos + xy_len;
    ensure!(end <= g.len(), "glyph coordinates truncated");
    Ok(end)
}

/// Subsets a TrueType font to the glyphs of `chars` (see the module docs).
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    let f = Sfnt::parse(font)?;
    let (head, hhea, maxp, hmtx) = (
        f.table(b"head")?,
        f.table(b"hhea")?,
        f.table(b"maxp")?,
        f.table(b"hmtx")?,
    );
    let (loca, glyf, cmap) = (f.table(b"loca")?, f.table(b"glyf")?, f.table(b"cmap")?);
    let num_glyphs = rd16(maxp, 4)? as usize;
    let long_loca = rd16(head, 50)? == 1;
    let glyph_data = |g: u16| -> Result<&[u8]> {
        let g = g as usize;
        ensure!(g < num_glyphs, "glyph {g} out of range");
        let (a, b) = if long_loca {
            (rd32(loca, 4 * g)? as usize, rd32(loca, 4 * g + 4)? as usize)
        } else {
            (
                2 * rd16(loca, 2 * g)? as usize,
                2 * rd16(loca, 2 * g + 2)? as usize,
            )
        };
        glyf.get(a..b).context("glyph outside the glyf table")
    };

    // Old glyph ids in new order; characters (BMP) to old ids.
    let mut order: Vec<u16> = vec![0];
    let mut new_id: HashMap<u16, u16> = HashMap::from([(0, 0)]);
    let mut char_map: BTreeMap<u16, u16> = BTreeMap::new();
    for &c in chars {
        let Ok(cp) = u16::try_from(c as u32) else {
            continue;
        };
        let g = cmap_lookup(cmap, c)?;
        if g == 0 || cp == 0xFFFF {
            continue;
        }
        char_map.insert(cp, g);
        if let std::collections::hash_map::Entry::Vacant(e) = new_id.entry(g) {
            e.insert(order.len() as u16);
            order.push(g);
        }
    }
    let mut i = 0;
    while i < order.len() {
        let g = glyph_data(order[i])?;
        if g.len() >= 10 && (rd16(g, 0)? as i16) < 0 {
            composite_components(g, |_, comp| {
                if let std::collections::hash_map::Entry::Vacant(e) = new_id.entry(comp) {
                    e.insert(order.len() as u16);
                    order.push(comp);
                }
                Ok(())
            })?;
        }
        i += 1;
        ensure!(order.len() < 0xFFFF, "too many glyphs");
    }
    let n = order.len();

    // glyf + loca (long offsets), instructions stripped, components renumbered.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (n + 1));
    for &old in &order {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let g = glyph_data(old)?;
        if g.is_empty() {
            continue;
        }
        let contours = rd16(g, 0)? as i16;
        if contours >= 0 {
            let nc = contours as usize;
            let ilen_at = 10 + 2 * nc;
            let ilen = rd16(g, ilen_at)? as usize;
            let start = ilen_at + 2 + ilen;
            let end = simple_glyph_end(g, nc, start)?;
            new_glyf.extend_from_slice(&g[..ilen_at]);
            new_glyf.extend_from_slice(&[0, 0]);
            new_glyf.extend_from_slice(g.get(start..end).context("simple glyph truncated")?);
        } else {
            let mut out = g.to_vec();
            let mut fixes = Vec::new();
            let len = composite_components(g, |at, comp| {
                fixes.push((
                    at,
                    *new_id.get(&comp).context("component glyph not collected")?,
                ));
                Ok(())
            })?;
            out.truncate(len);
            for (at, id) in fixes {
                put16(&mut out, at, id)?;
                let flags = rd16(&out, at - 2)? & !WE_HAVE_INSTRUCTIONS;
                put16(&mut out, at - 2, flags)?;
            }
            new_glyf.extend_from_slice(&out);
        }
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    // hmtx: one full metric per glyph.
    let nhm = rd16(hhea, 34)? as usize;
    ensure!(nhm > 0, "hhea has no metrics");
    let mut new_hmtx = Vec::with_capacity(4 * n);
    for &old in &order {
        let o = old as usize;
        let (adv, lsb) = if o < nhm {
            (rd16(hmtx, 4 * o)?, rd16(hmtx, 4 * o + 2)?)
        } else {
            (
                rd16(hmtx, 4 * (nhm - 1))?,
                rd16(hmtx, 4 * nhm + 2 * (o - nhm))?,
            )
        };
        new_hmtx.extend_from_slice(&adv.to_be_bytes());
        new_hmtx.extend_from_slice(&lsb.to_be_bytes());
    }

    let mut new_head = head.to_vec();
    new_head.get_mut(8..12).context("head too short")?.fill(0);
    put16(&mut new_head, 50, 1)?;
    let mut new_hhea = hhea.to_vec();
    put16(&mut new_hhea, 34, n as u16)?;
    let mut new_maxp = maxp.to_vec();
    put16(&mut new_maxp, 4, n as u16)?;
    let mut new_post = f
        .table(b"post")?
        .get(..32)
        .context("post too short")?
        .to_vec();
    new_post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let new_cmap = build_cmap(&char_map, &new_id);
    let new_name = build_name(f.table(b"name")?)?;

    let tables: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"OS/2", f.table(b"OS/2")?.to_vec()),
        (b"cmap", new_cmap),
        (b"glyf", new_glyf),
        (b"head", new_head),
        (b"hhea", new_hhea),
        (b"hmtx", new_hmtx),
        (b"loca", new_loca),
        (b"maxp", new_maxp),
        (b"name", new_name),
        (b"post", new_post),
    ];
    Ok(write_sfnt(tables))
}

fn build_cmap(char_map: &BTreeMap<u16, u16>, new_id: &HashMap<u16, u16>) -> Vec<u8> {
    // Segments of consecutive code points mapping to consecutive new glyph ids.
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, first glyph)
    for (&cp, old) in char_map {
        let Some(&g) = new_id.get(old) else { continue };
        match segs.last_mut() {
            Some((s, e, g0))
                if *e as u32 + 1 == cp as u32 && (*g0 as u32 + (cp - *s) as u32) == g as u32 =>
            {
                *e = cp
            }
            _ => segs.push((cp, cp, g)),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 0));
    let seg_count = segs.len();
    let mut search = 1usize;
    let mut selector = 0u16;
    while search * 2 <= seg_count {
        search *= 2;
        selector += 1;
    }
    let mut sub = Vec::new();
    let length = 16 + 8 * seg_count;
    for v in [
        4u16,
        length as u16,
        0,
        (2 * seg_count) as u16,
        (2 * search) as u16,
        selector,
    ] {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    sub.extend_from_slice(&((2 * seg_count - 2 * search) as u16).to_be_bytes());
    for &(_, e, _) in &segs {
        sub.extend_from_slice(&e.to_be_bytes());
    }
    sub.extend_from_slice(&[0, 0]);
    for &(s, _, _) in &segs {
        sub.extend_from_slice(&s.to_be_bytes());
    }
    for &(s, _, g) in &segs {
        let delta = if s == 0xFFFF { 1 } else { g.wrapping_sub(s) };
        sub.extend_from_slice(&delta.to_be_bytes());
    }
    for _ in &segs {
        sub.extend_from_slice(&[0, 0]);
    }
    let mut out = Vec::new();
    for v in [0u16, 2, 0, 3] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    for v in [3u16, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    out.extend_from_slice(&sub);
    out
}

/// Keeps the Windows (3, 1, 0x409) names: copyright, family, subfamily, unique id,
/// full name, version, PostScript name and license URL. The long license text
/// (ID 13) travels once per SVG as a comment instead of once per embedded face.
fn build_name(name: &[u8]) -> Result<Vec<u8>> {
    let count = rd16(name, 2)? as usize;
    let storage = rd16(name, 4)? as usize;
    let mut recs: Vec<(u16, Vec<u8>)> = Vec::new();
    for i in 0..count {
        let r = 6 + 12 * i;
        let (pid, eid, lang, nid) = (
            rd16(name, r)?,
            rd16(name, r + 2)?,
            rd16(name, r + 4)?,
            rd16(name, r + 6)?,
        );
        let (len, off) = (rd16(name, r + 8)? as usize, rd16(name, r + 10)? as usize);
        if (pid, eid, lang) == (3, 1, 0x409) && matches!(nid, 0..=6 | 14) {
            let s = name
                .get(storage + off..storage + off + len)
                .context("name string out of bounds")?;
            recs.push((nid, s.to_vec()));
        }
    }
    recs.sort_by_key(|r| r.0);
    let mut out = Vec::new();
    for v in [0u16, recs.len() as u16, (6 + 12 * recs.len()) as u16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut strings = Vec::new();
    for (nid, s) in &recs {
        for v in [3u16, 1, 0x409, *nid, s.len() as u16, strings.len() as u16] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        strings.extend_from_slice(s);
    }
    out.extend_from_slice(&strings);
    Ok(out)
}

fn checksum(d: &[u8]) -> u32 {
    d.chunks(4).fold(0u32, |acc, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        acc.wrapping_add(u32::from_be_bytes(b))
    })
}

/// Writes an sfnt from tables already sorted by tag; fixes head.checkSumAdjustment.
fn write_sfnt(tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    let n = tables.len();
    let mut search = 1usize;
    let mut selector = 0u16;
    while search * 2 <= n {
        search *= 2;
        selector += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [
        n as u16,
        (16 * search) as u16,
        selector,
        (16 * n - 16 * search) as u16,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(h) = head_at {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_keeps_used_glyphs_and_is_small() {
        let chars: BTreeSet<char> = "Top 50 accounts, é ≥ 95 %–".chars().collect();
        for bold in [false, true] {
            let sub = subset(bytes(bold), &chars).unwrap();
            assert!(sub.len() < 20_000, "subset is {} bytes", sub.len());
            // The subset is a font ab_glyph can read, with the same advances.
            let f = FontRef::try_from_slice(&sub).unwrap();
            let full = face(bold).unwrap();
            for c in chars.iter().copied() {
                let g = f.glyph_id(c);
                assert_ne!(g.0, 0, "{c:?} missing from subset");
                assert_eq!(
                    f.h_advance_unscaled(g),
                    full.h_advance_unscaled(full.glyph_id(c))
                );
                if !c.is_whitespace() {
                    let (a, b) = (
                        f.outline(g).unwrap(),
                        full.outline(full.glyph_id(c)).unwrap(),
                    );
                    assert_eq!(a.bounds, b.bounds, "{c:?} outline differs");
                }
            }
            assert_eq!(f.glyph_id('Z').0, 0);
        }
    }

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
