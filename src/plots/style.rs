//! The house style every chart shares: palette, font, sizes and margins.
//!
//! All sizes are CSS pixels at 1x (the SVG's units). The PNG is drawn at
//! [`PNG_SCALE`]x from the same numbers (see [`super::render`]).

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

use super::font;

/// Font family name registered with plotters and used in the SVG's `@font-face`.
pub const FAMILY: &str = "DejaVu Sans";

/// Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008).
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
}

/// Roles, so every chart encodes the same idea with the same colour.
pub const GOOD: RGBColor = okabe_ito::BLUE; // stable / robust
pub const MIXED: RGBColor = okabe_ito::ORANGE; // sometimes
pub const BAD: RGBColor = okabe_ito::VERMILLION; // there by accident / highlighted
pub const SERIES: RGBColor = okabe_ito::BLUE; // the one data series of a line chart
pub const HIGHLIGHT: RGBColor = okabe_ito::YELLOW; // background band behind a chosen value

/// Neutrals.
pub const BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A); // titles, data marks
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55); // subtitle, tick labels, notes
pub const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88); // axis lines, ticks
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD); // grid lines
pub const ZEBRA: RGBColor = RGBColor(0xF4, 0xF4, 0xF4); // alternate row shading

/// Chart width in CSS pixels (blog column width). The PNG is this times [`PNG_SCALE`].
pub const WIDTH: u32 = 800;
/// PNG pixels per CSS pixel: 2 so text and thin lines stay crisp on high-density
/// screens when the PNG is shown at [`WIDTH`] (`<img width="800">`).
pub const PNG_SCALE: u32 = 2;

/// Font sizes (em, CSS px). Nothing a reader needs is smaller than [`BODY_PX`].
pub const TITLE_PX: f64 = 20.0;
pub const SUBTITLE_PX: f64 = 15.0;
pub const AXIS_TITLE_PX: f64 = 15.0;
pub const BODY_PX: f64 = 14.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.3;

/// Outer margin and common gaps (CSS px).
pub const MARGIN: i32 = 20;
pub const GAP: i32 = 12;
/// Tick length and the gap between a tick and its label.
pub const TICK: i32 = 5;
pub const TICK_GAP: i32 = 4;

/// plotters' SVG backend writes `font-size = size / 1.24`; styles are built with
/// `size = em * 1.24` so the SVG's font-size is the em size we mean.
pub const PLOTTERS_SIZE_PER_EM: f64 = 1.24;

/// Text style at an em size of `px` CSS pixels, anchored at `h`/`v`.
pub fn text(px: f64, bold: bool, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FAMILY), px * PLOTTERS_SIZE_PER_EM, style)
        .color(color)
        .pos(Pos::new(h, v))
}

/// Width of `s` in CSS px at an em size of `px` (same in the PNG and the SVG).
pub fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    font::text_width(s, px, bold)
}

/// Line height in whole CSS px for a font size.
pub fn line_height(px: f64) -> i32 {
    (px * LINE_HEIGHT).round() as i32
}

/// Shortens `s` with a trailing "…" so it fits in `max_w` CSS px.
pub fn ellipsize(s: &str, px: f64, bold: bool, max_w: f64) -> String {
    if text_width(s, px, bold) <= max_w {
        return s.to_string();
    }
    let mut out: String = s.chars().collect();
    while !out.is_empty() {
        out.pop();
        let candidate = format!("{}…", out.trim_end());
        if text_width(&candidate, px, bold) <= max_w {
            return candidate;
        }
    }
    "…".to_string()
}

/// Greedy word wrap to `max_w` CSS px; words longer than a line are broken.
pub fn wrap(s: &str, px: f64, bold: bool, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, px, bold) <= max_w {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // Break an over-long word.
            for c in word.chars() {
                line.push(c);
                if text_width(&line, px, bold) > max_w && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Integer with thousands separators: 12345 -> "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_and_ellipsize_fit() {
        let long =
            "Half of the accounts in the published top 50 are there by accident of the threshold";
        let lines = wrap(long, TITLE_PX, true, 300.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, TITLE_PX, true) <= 300.0));
        assert_eq!(lines.join(" "), long);
        let e = ellipsize("a_very_long_account_handle_indeed", BODY_PX, false, 80.0);
        assert!(e.ends_with('…') && text_width(&e, BODY_PX, false) <= 80.0);
        assert_eq!(ellipsize("", BODY_PX, false, 0.0), "");
        assert!(wrap("", BODY_PX, false, 100.0).is_empty());
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
