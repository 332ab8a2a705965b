//! The frame the row charts share (caterpillar, membership, gaming, representation,
//! variance): a label column at the left, zebra rows, and vertical grid lines.
//! A row chart lays out its own panels and calls these for the frame.

use anyhow::Result;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, BODY_PX, GRID, INK, MARGIN, ZEBRA};
use super::{Root, fill_rect, kit, line, text};

/// Row labels, each wrapped to at most two lines, right-aligned in a column that
/// starts at the left margin.
pub(crate) struct RowLabels {
    lines: Vec<Vec<String>>,
    /// The x the labels end at.
    pub right: i32,
}

impl RowLabels {
    /// Labels at most `max_w` px wide, in a column at least `min_w` px wide.
    pub(crate) fn new<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        max_w: f64,
        min_w: i32,
    ) -> Self {
        let lines: Vec<Vec<String>> = texts
            .into_iter()
            .map(|t| kit::wrap_lines(t, BODY_PX, false, max_w, 2))
            .collect();
        let w = lines
            .iter()
            .flatten()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0)
            .max(min_w);
        Self {
            lines,
            right: MARGIN + w,
        }
    }

    /// The most lines any label takes.
    pub(crate) fn max_lines(&self) -> usize {
        self.lines.iter().map(Vec::len).max().unwrap_or(1)
    }

    /// Draws label `i` centred vertically on `cy`.
    pub(crate) fn draw(&self, root: &Root<'_>, i: usize, cy: i32) -> Result<()> {
        let lh = style::line_height(BODY_PX);
        let s = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        let lines = &self.lines[i];
        let ly = cy - (lines.len() as i32 - 1) * lh / 2;
        for (k, l) in lines.iter().enumerate() {
            text(root, l, (self.right, ly + k as i32 * lh), &s)?;
        }
        Ok(())
    }
}

/// Shades every second of `n` rows of height `row_h` from `y0`, margin to `right`.
pub(crate) fn zebra(root: &Root<'_>, y0: i32, row_h: i32, n: usize, right: i32) -> Result<()> {
    for i in (1..n).step_by(2) {
        let top = y0 + i as i32 * row_h;
        fill_rect(root, MARGIN, top, right, top + row_h, &ZEBRA, 1.0)?;
    }
    Ok(())
}

/// Vertical grid lines at `xs` from `y0` to `y1`.
pub(crate) fn grid(
    root: &Root<'_>,
    xs: impl IntoIterator<Item = i32>,
    y0: i32,
    y1: i32,
) -> Result<()> {
    for x in xs {
        line(root, vec![(x, y0), (x, y1)], &GRID, 1)?;
    }
    Ok(())
}
