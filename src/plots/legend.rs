//! The one legend every chart uses: entries (a key beside a label) laid out left to
//! right, wrapping within a width. How big a key is ([`KeyBox`]) is a parameter: the
//! row charts of a ranking (caterpillar, sweep) use [`NARROW`], the others [`WIDE`].

use anyhow::Result;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::kit::{clean, dashed_path, hollow_dot, triangle_down};
use super::style::{self, BODY_PX, INK};
use super::{Root, arrowhead, dot, fill_rect, text};

/// What a [`Legend`] entry shows beside its label.
#[derive(Clone, Debug)]
pub enum Key {
    /// Text only (e.g. a lead-in such as "Share of replicates:").
    None,
    /// A thick horizontal bar, as an interval.
    Bar(RGBColor),
    /// A pale background band, filled at `alpha`.
    Band(RGBColor, f64),
    /// A filled dot, as a point estimate.
    Dot(RGBColor),
    /// A hollow (ringed) dot.
    Hollow(RGBColor),
    /// A line of `width` px with a dash pattern (empty = solid).
    Line(RGBColor, u32, Vec<f64>),
    /// A short vertical tick, as a reference value.
    Tick(RGBColor),
    /// A downward triangle.
    Triangle(RGBColor),
    /// A bar ending in an arrowhead (open-ended interval).
    Arrow(RGBColor),
}

/// The size of a key: its box width, and the half-height of a bar (also the radius
/// of a dot and the half-size of a triangle).
#[derive(Clone, Copy, Debug)]
pub struct KeyBox {
    pub w: i32,
    pub half: i32,
}

/// Keys of the row charts of one ranking.
pub const NARROW: KeyBox = KeyBox { w: 22, half: 4 };
/// Keys of the comparison charts.
pub const WIDE: KeyBox = KeyBox { w: 26, half: 5 };

const KEY_GAP: i32 = 6;
const ITEM_GAP: i32 = 20;

/// Legend entries laid out left to right, wrapping within `max_w`.
pub struct Legend {
    rows: Vec<Vec<(i32, Key, String)>>,
    x0: i32,
    keys: KeyBox,
}

impl Legend {
    pub fn new(items: Vec<(Key, String)>, x0: i32, max_w: i32, keys: KeyBox) -> Self {
        let mut rows: Vec<Vec<(i32, Key, String)>> = vec![Vec::new()];
        let mut x = 0;
        for (key, label) in items {
            let key_w = if matches!(key, Key::None) {
                0
            } else {
                keys.w + KEY_GAP
            };
            let label = style::ellipsize(&clean(&label), BODY_PX, false, f64::from(max_w - key_w));
            let w = key_w + style::text_width(&label, BODY_PX, false).ceil() as i32;
            if x > 0 && x + w > max_w {
                rows.push(Vec::new());
                x = 0;
            }
            if let Some(last) = rows.last_mut() {
                last.push((x, key, label));
            }
            x += w + ITEM_GAP;
        }
        rows.retain(|r| !r.is_empty());
        Self { rows, x0, keys }
    }

    pub fn height(&self) -> i32 {
        self.rows.len() as i32 * (style::line_height(BODY_PX) + 4)
    }

    /// Draws the legend from `y` down; returns the y below it.
    pub fn draw(&self, root: &Root<'_>, y: i32) -> Result<i32> {
        let row_h = style::line_height(BODY_PX) + 4;
        let label = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let cy = y + i as i32 * row_h + row_h / 2;
            for (dx, key, s) in row {
                let x = self.x0 + dx;
                let tx = if matches!(key, Key::None) {
                    x
                } else {
                    draw_key(root, key, self.keys, x, cy)?;
                    x + self.keys.w + KEY_GAP
                };
                text(root, s, (tx, cy), &label)?;
            }
        }
        Ok(y + self.height())
    }
}

/// Draws a key in the box `[x, x + b.w]` centred vertically on `cy`.
pub fn draw_key(root: &Root<'_>, key: &Key, b: KeyBox, x: i32, cy: i32) -> Result<()> {
    let (w, half) = (b.w, b.half);
    let mid = x + w / 2;
    match key {
        Key::None => Ok(()),
        Key::Bar(c) => fill_rect(root, x, cy - half, x + w, cy + half, c, 1.0),
        Key::Band(c, a) => fill_rect(root, x, cy - 8, x + w, cy + 8, c, *a),
        Key::Dot(c) => dot(root, (mid, cy), half as u32, c, None),
        Key::Hollow(c) => hollow_dot(root, (mid, cy), half as u32, c),
        Key::Line(c, lw, pat) => dashed_path(
            root,
            &[
                (f64::from(x), f64::from(cy)),
                (f64::from(x + w), f64::from(cy)),
            ],
            c,
            *lw,
            pat,
        ),
        Key::Tick(c) => fill_rect(root, mid - 1, cy - 7, mid + 1, cy + 7, c, 1.0),
        Key::Triangle(c) => triangle_down(root, (mid, cy), half, c),
        Key::Arrow(c) => {
            fill_rect(root, x, cy - half, x + w - 7, cy + half, c, 1.0)?;
            arrowhead(root, (x + w, cy), 1, 8, 7, c)
        }
    }
}
