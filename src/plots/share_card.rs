//! The share card (`share-card.png`, 1200 × 630: the size link previews use): the
//! report's first sentence over the key chart in miniature, one square per account of
//! the audited top N, in rank order, coloured by how often it stays in the top N
//! (the bands of [`Bands`], as in the membership and caterpillar charts).

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{Key, Legend, WIDE};
use super::style::{self, BAD, GOOD, INK, MIXED, MUTED};
use super::{fill_rect, text};
use crate::results::Results;
use crate::sensitivity::summary::{ACCIDENT, Bands, STABLE};

/// CSS size; the PNG is [`style::PNG_SCALE`] = 2 times this, 1200 × 630.
pub const WIDTH: u32 = 600;
pub const HEIGHT: u32 = 315;

const HEADLINE_PX: f64 = 17.0;
const MAX_HEADLINE_LINES: usize = 5;
const PAD: i32 = 24;

/// Draws the card: `headline` wrapped over at most five lines (ellipsized beyond), then
/// one square per entry of `p_top` (P(top N) of the accounts of the top N, in rank
/// order), a legend with the band counts, and `footer`.
pub fn share_card(
    headline: &str,
    p_top: &[f64],
    top_n: u32,
    footer: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(
        p_top.iter().all(|p| (0.0..=1.0).contains(p)),
        "a share outside [0, 1]"
    );
    let w = f64::from(WIDTH as i32 - 2 * PAD);
    let mut lines = style::wrap(headline, HEADLINE_PX, true, w);
    if lines.len() > MAX_HEADLINE_LINES {
        lines.truncate(MAX_HEADLINE_LINES);
        let last = lines.pop().unwrap_or_default();
        lines.push(style::ellipsize(&format!("{last} …"), HEADLINE_PX, true, w));
    }
    let n = p_top.len();
    let cols = n.clamp(1, 25) as i32;
    let rows = n.div_ceil(cols as usize).max(1) as i32;
    // Squares fill the width; rows past two shrink them so the card keeps its height.
    let cell = ((WIDTH as i32 - 2 * PAD) / cols)
        .min(90 / rows)
        .clamp(4, 22);
    let (good, mixed, bad) = (
        p_top.iter().filter(|&&p| p >= STABLE).count(),
        p_top
            .iter()
            .filter(|&&p| (ACCIDENT..STABLE).contains(&p))
            .count(),
        p_top.iter().filter(|&&p| p < ACCIDENT).count(),
    );
    let legend = Legend::new(
        vec![
            (
                Key::Band(GOOD, 1.0),
                format!("nearly always in the top {top_n}: {good}"),
            ),
            (Key::Band(MIXED, 1.0), format!("in and out: {mixed}")),
            (Key::Band(BAD, 1.0), format!("by accident: {bad}")),
        ],
        PAD,
        WIDTH as i32 - 2 * PAD,
        WIDE,
    );
    super::render(stem, WIDTH, HEIGHT, |root| {
        let lh = style::line_height(HEADLINE_PX);
        let st = style::text(HEADLINE_PX, true, &INK, HPos::Left, VPos::Top);
        let mut y = PAD - 4;
        for l in &lines {
            text(root, l, (PAD, y), &st)?;
            y += lh;
        }
        y += 14;
        let cap = style::text(style::BODY_PX, false, &MUTED, HPos::Left, VPos::Top);
        text(
            root,
            &format!("The top {top_n} in rank order, one square per account:"),
            (PAD, y),
            &cap,
        )?;
        y += style::line_height(style::BODY_PX) + 4;
        for (i, &p) in p_top.iter().enumerate() {
            let (r, c) = (i as i32 / cols, i as i32 % cols);
            let colour: RGBColor = super::caterpillar::stability_colour(p);
            let (x0, y0) = (PAD + c * cell, y + r * cell);
            fill_rect(root, x0, y0, x0 + cell - 2, y0 + cell - 2, &colour, 1.0)?;
        }
        y += rows * cell + 8;
        legend.draw(root, y)?;
        let foot = style::text(12.0, false, &MUTED, HPos::Left, VPos::Bottom);
        let f = style::ellipsize(footer, 12.0, false, f64::from(WIDTH as i32 - 2 * PAD));
        text(root, &f, (PAD, HEIGHT as i32 - 12), &foot)?;
        Ok(())
    })
}

/// The audit's share card: `headline` (the report's first sentence) over the key
/// family's bands; None when the audit has no perturbation family.
pub fn figure(res: &Results, headline: &str, dir: &Path) -> Result<Option<Vec<PathBuf>>> {
    let Some(f) = res.key_family() else {
        return Ok(None);
    };
    let top_n = res.study.study.top_n;
    let mut top: Vec<_> = f.accounts.iter().filter(|a| a.nominal_in_top).collect();
    top.sort_by_key(|a| (a.nominal_rank, a.account));
    let p: Vec<f64> = top.iter().map(|a| a.p_top_n).collect();
    debug_assert_eq!(Bands::of(&f.accounts).nominal_top, p.len());
    let s = &res.study.study;
    let footer = format!(
        "{} · rankaudit",
        s.title.as_deref().unwrap_or(s.name.as_str())
    );
    share_card(headline, &p, top_n, &footer, &dir.join("share-card")).map(Some)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    #[test]
    fn the_card_is_1200_by_630_with_the_headline_and_the_counts() {
        let dir = temp_dir("share-card");
        let p: Vec<f64> = (0..50).map(|i| f64::from(i) / 49.0).collect();
        let headline =
            "Only 3 of the 50 accounts stay in the top 50 in nearly all versions of the rule.";
        let files = share_card(headline, &p, 50, "A study · rankaudit", &dir.join("card")).unwrap();
        let (w, h, ink) = png_stats(&files[0]);
        assert_eq!((w, h), (1200, 630));
        assert!(ink > 20_000, "{ink}");
        let svg = std::fs::read_to_string(&files[1]).unwrap();
        assert!(svg.contains("Only 3 of the 50 accounts"), "{svg:.300}");
        // 3 of 50 at p ≥ 0.95 (47/49, 48/49, 1), 25 below 0.5 (0/49 … 24/49), 22 between.
        assert!(svg.contains("nearly always in the top 50: 3"));
        assert!(svg.contains("in and out: 22") && svg.contains("by accident: 25"));
        assert!(share_card(headline, &[1.5], 50, "", &dir.join("bad")).is_err());
    }
}
