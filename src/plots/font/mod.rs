//! The one font every chart uses (DejaVu Sans, regular and bold, from the `dejavu`
//! crate's bytes), loaded and measured here, and kept off the system:
//!
//! * [`register`] hands the bytes to plotters (`register_font`, ab_glyph feature);
//! * [`text_width`] and [`rasterize`] measure and draw text for the PNG with the
//!   font's real em size, side bearings and no kerning, so the PNG matches what a
//!   browser draws for the SVG (`font-size` = em size, kerning and ligatures off);
//! * [`embed_in_svg`] (in [`embed`]) puts the font in an SVG, subset by [`subset`] to
//!   the characters its `<text>` elements use, so the SVG's text stays selectable
//!   text and needs no installed font.

mod embed;
mod subset;

pub use embed::embed_in_svg;
pub use subset::subset;

use anyhow::{Result, anyhow, ensure};
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, point};
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
