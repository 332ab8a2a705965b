//! A small TrueType (glyf) subsetter written for DejaVu: it keeps the glyphs of the
//! used characters (plus `.notdef`, `x` for the `ex` unit and composite components),
//! renumbers them, strips hinting instructions, and writes head, hhea, maxp, OS/2,
//! hmtx, cmap (format 4), loca (long), glyf, name and post (version 3). Kerning and
//! layout tables (kern, GPOS, GSUB) are dropped on purpose: the PNG does not kern
//! either, so both files lay text out identically.
//!
//! Hand-written because the `subsetter` crate drops the cmap, which a browser needs to
//! map an SVG's `<text>` to glyphs through `@font-face`. Reading the source font (its
//! table directory, cmap lookups and names) is left to `ttf-parser`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result, anyhow, ensure};
use ttf_parser::{Face, PlatformId, Tag};

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

/// The source font: parsed by ttf-parser, its tables read as bytes here.
struct Source<'a> {
    face: Face<'a>,
}

impl<'a> Source<'a> {
    fn parse(data: &'a [u8]) -> Result<Self> {
        ensure!(rd32(data, 0)? == 0x0001_0000, "not a TrueType (glyf) font");
        let face = Face::parse(data, 0).map_err(|e| anyhow!("the font does not parse: {e}"))?;
        Ok(Self { face })
    }

    fn table(&self, tag: &[u8; 4]) -> Result<&'a [u8]> {
        self.face
            .raw_face()
            .table(Tag::from_bytes(tag))
            .ok_or_else(|| anyhow!("font has no {} table", String::from_utf8_lossy(tag)))
    }

    /// Glyph id of `c` from the font's Unicode cmap, 0 if absent.
    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }
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
    let f = Source::parse(font)?;
    let (head, hhea, maxp, hmtx) = (
        f.table(b"head")?,
        f.table(b"hhea")?,
        f.table(b"maxp")?,
        f.table(b"hmtx")?,
    );
    let (loca, glyf) = (f.table(b"loca")?, f.table(b"glyf")?);
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
        let g = f.glyph(c);
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
    let new_name = build_name(&f.face);

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
    let (search, selector) = search_range(seg_count);
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
fn build_name(face: &Face<'_>) -> Vec<u8> {
    let mut recs: Vec<(u16, &[u8])> = face
        .names()
        .into_iter()
        .filter(|n| {
            (n.platform_id, n.encoding_id, n.language_id) == (PlatformId::Windows, 1, 0x409)
                && matches!(n.name_id, 0..=6 | 14)
        })
        .map(|n| (n.name_id, n.name))
        .collect();
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
    out
}

fn checksum(d: &[u8]) -> u32 {
    d.chunks(4).fold(0u32, |acc, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        acc.wrapping_add(u32::from_be_bytes(b))
    })
}

/// The largest power of two at most `n` and its log2: the binary-search fields of the
/// sfnt table directory and of a format 4 cmap.
fn search_range(n: usize) -> (usize, u16) {
    let (mut search, mut selector) = (1usize, 0u16);
    while search * 2 <= n {
        search *= 2;
        selector += 1;
    }
    (search, selector)
}

/// Writes an sfnt from tables already sorted by tag; fixes head.checkSumAdjustment.
fn write_sfnt(tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    let n = tables.len();
    let (search, selector) = search_range(n);
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
    use super::super::{bytes, face};
    use super::*;
    use ab_glyph::{Font, FontRef};

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
}
