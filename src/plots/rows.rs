//! The frame the row charts share (caterpillar, membership, gaming, representation,
//! variance): a [`Frame`] (the header and legends above the rows, the chart's height),
//! a label column at the left, zebra rows, vertical grid lines, and a bottom axis (tick
//! marks, their labels, the axis title). A row chart lays out its own panels between
//! these.

use anyhow::Result;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::Legend;
use super::style::{
    self, AXIS, AXIS_TITLE_PX, BODY_PX, GAP, GRID, INK, MARGIN, MUTED, TICK, TICK_GAP, ZEBRA,
};
use super::{Header, Root, fill_rect, kit, line, text};

/// What a row chart has above its rows: the header, then its legends stacked, then a gap
/// and `above` px of the chart's own (column headings, tick labels above the rows).
pub(crate) struct Frame {
    header: Header,
    legends: Vec<Legend>,
    legend_y: i32,
    /// Where the rows start.
    pub rows_y: i32,
}

impl Frame {
    pub(crate) fn new(header: Header, legends: Vec<Legend>, above: i32) -> Self {
        let legend_y = header.height();
        let rows_y = legend_y + legends.iter().map(Legend::height).sum::<i32>() + GAP + above;
        Self {
            header,
            legends,
            legend_y,
            rows_y,
        }
    }

    /// The chart's height: the frame, `rows` px of rows, `below` px under them (axis,
    /// notes) and the bottom margin.
    pub(crate) fn height(&self, rows: i32, below: i32) -> i32 {
        self.rows_y + rows + below + MARGIN
    }

    /// Draws the header and the legends.
    pub(crate) fn draw(&self, root: &Root<'_>) -> Result<()> {
        self.header.draw(root)?;
        let mut y = self.legend_y;
        for l in &self.legends {
            y = l.draw(root, y)?;
        }
        Ok(())
    }
}

/// Height of a bottom axis under the rows: tick marks, tick labels, the axis title.
pub(crate) fn bottom_axis_height() -> i32 {
    ticks_height() + 8 + style::line_height(AXIS_TITLE_PX)
}

/// Height of the tick marks and their labels under the rows.
pub(crate) fn ticks_height() -> i32 {
    TICK + TICK_GAP + style::line_height(BODY_PX)
}

/// Tick marks down from `y1` at each x, each with its label below.
pub(crate) fn bottom_ticks<S: AsRef<str>>(
    root: &Root<'_>,
    ticks: impl IntoIterator<Item = (i32, S)>,
    y1: i32,
) -> Result<()> {
    let s = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
    for (x, label) in ticks {
        line(root, vec![(x, y1), (x, y1 + TICK)], &AXIS, 1)?;
        text(root, label.as_ref(), (x, y1 + TICK + TICK_GAP), &s)?;
    }
    Ok(())
}

/// The axis title under the tick labels of a bottom axis at `y1`, centred on `cx`.
pub(crate) fn axis_title(root: &Root<'_>, title: &str, cx: i32, y1: i32) -> Result<()> {
    let s = style::text(AXIS_TITLE_PX, false, &INK, HPos::Center, VPos::Top);
    text(root, title, (cx, y1 + ticks_height() + 8), &s)
}

/// A note in small muted type under a bottom axis at `y1`, from the left margin.
pub(crate) fn note_below_axis(root: &Root<'_>, note: &str, y1: i32) -> Result<()> {
    let s = style::text(BODY_PX, false, &MUTED, HPos::Left, VPos::Top);
    text(root, note, (MARGIN, y1 + bottom_axis_height() + 4), &s)
}

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
