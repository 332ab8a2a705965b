//! Bump chart: the rank of the same accounts under each method (who is on top
//! depends on what is measured).
//!
//! x = methods (columns, in the order given; long names are wrapped, and staggered
//! on two tiers when columns are narrow), y = rank 1..`depth` with 1 on top. One
//! line per account: highlighted accounts in Okabe–Ito colours and drawn last,
//! the others grey. Past seven highlighted accounts the colours repeat with hollow
//! points, and every highlighted line is named at both of its ends (the end columns,
//! or where it leaves or enters the shown depth); the legend lists only what is drawn.
//! Where an account is unranked, or ranked below `depth`, its line runs (dashed) into
//! an "outside the top `depth`" strip under the plot and ends in a triangle there; the
//! strip also counts, per method, how many of the accounts shown are outside. Grey
//! accounts are labelled at the end columns where there is room; highlighted labels
//! are never dropped (one that would touch another moves down).
//!
//! Input rules: no methods or no series draws a "no data" chart. It is an error
//! when `depth` is 0 or above [`MAX_DEPTH`], a series has a different number of
//! ranks than there are methods, a rank is 0, or there are more than
//! [`MAX_SERIES`] series or [`MAX_METHODS`] methods. A rank above `depth` is drawn
//! as outside (the same as `None`). A series with no rank within `depth` is not
//! drawn (it only counts in nothing).

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::kit::{self, CATEGORICAL, CONTEXT};
use super::legend::{Key, Legend, WIDE};
use super::style::{self, BODY_PX, GAP, GRID, INK, MARGIN, MUTED, ZEBRA};
use super::{Header, Root, dot, fill_rect, line, text};
use crate::results::{Figure, Results};

/// One account across methods.
#[derive(Clone, Debug, PartialEq)]
pub struct BumpSeries {
    /// Account label (handle or name).
    pub label: String,
    /// Rank under each method, in the order of `methods`; `None` = not ranked or
    /// outside the shown depth.
    pub ranks: Vec<Option<u32>>,
    /// Draw in colour (and on top of the grey context lines).
    pub highlight: bool,
}

/// Most series accepted (about 30 stay readable).
pub const MAX_SERIES: usize = 300;
/// Most methods (columns) accepted.
pub const MAX_METHODS: usize = 30;
/// Deepest rank axis accepted.
pub const MAX_DEPTH: u32 = 500;

const LABEL_MAX_W: f64 = 150.0;
const LABEL_GAP: i32 = 9;
/// Vertical distance between the last rank row and the "outside" markers.
const OFF_GAP: i32 = 22;
/// Height of the grey "outside" strip under the last rank row.
const OFF_STRIP_H: i32 = 52;
const OFF_BAND: RGBColor = RGBColor(0xEC, 0xEC, 0xEC);
/// Context lines that leave or enter the shown depth.
const OFF_LINE: RGBColor = RGBColor(0xCF, 0xCF, 0xCF);

/// Draws the bump chart to `stem.png` and `stem.svg` (see the module docs).
pub fn bump(
    methods: &[String],
    series: &[BumpSeries],
    depth: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(
        (1..=MAX_DEPTH).contains(&depth),
        "depth {depth} is not in 1..={MAX_DEPTH}"
    );
    if methods.is_empty() || series.is_empty() {
        return super::no_data(
            stem,
            title,
            subtitle,
            "No ranks to compare: no methods or no accounts.",
        );
    }
    ensure!(
        methods.len() <= MAX_METHODS,
        "{} methods is too many for a bump chart (at most {MAX_METHODS})",
        methods.len()
    );
    ensure!(
        series.len() <= MAX_SERIES,
        "{} series is too many for a bump chart (at most {MAX_SERIES})",
        series.len()
    );
    for s in series {
        ensure!(
            s.ranks.len() == methods.len(),
            "series {:?} has {} ranks for {} methods",
            s.label,
            s.ranks.len(),
            methods.len()
        );
        ensure!(
            s.ranks.iter().flatten().all(|&r| r >= 1),
            "series {:?} has rank 0 (ranks start at 1)",
            s.label
        );
    }
    let layout = Layout::new(methods, series, depth, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, series)
    })
}

/// Where a series is at one method.
#[derive(Clone, Copy, PartialEq)]
enum Pos {
    Rank(u32),
    Off,
}

struct Layout {
    header: Header,
    legend: Legend,
    depth: u32,
    /// Wrapped method names and their tier (0 or 1).
    method_labels: Vec<(Vec<String>, usize)>,
    tiers: usize,
    label_lines: usize,
    left_labels: Vec<Option<String>>,
    right_labels: Vec<Option<String>>,
    colours: Vec<RGBColor>,
    /// Highlighted series drawn with hollow points (the palette's second round).
    hollow: Vec<bool>,
    col_x: Vec<i32>,
    gutter_x: i32,
    rank_every: u32,
    row_h: f64,
    legend_y: i32,
    methods_y: i32,
    plot_y0: i32,
    off_y: i32,
    bottom_methods_y: Option<i32>,
    height: i32,
}

impl Layout {
    fn new(
        methods: &[String],
        series: &[BumpSeries],
        depth: u32,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let legend = Legend::new(
            legend_items(series, depth),
            MARGIN,
            width - 2 * MARGIN,
            WIDE,
        );

        // Colours: highlighted series take the Okabe–Ito palette in order; past seven
        // they cycle, and the direct labels at both ends of every highlighted line
        // tell the two lines of a colour apart.
        // The second time round, points are hollow, so two lines of one colour differ
        // at every point too.
        let mut next = 0;
        let (colours, hollow) = series
            .iter()
            .map(|s| {
                if s.highlight {
                    next += 1;
                    (
                        CATEGORICAL[(next - 1) % CATEGORICAL.len()],
                        (next - 1) / CATEGORICAL.len() % 2 == 1,
                    )
                } else {
                    (CONTEXT, false)
                }
            })
            .unzip();

        // Rows: 20 px per rank while that stays under ~1200 px, then thinner.
        let row_h = if depth <= 60 {
            20.0
        } else {
            (1200.0 / f64::from(depth)).max(2.0)
        };
        let lh = f64::from(style::line_height(BODY_PX));
        let rank_every = [1u32, 2, 5, 10, 20, 25, 50, 100]
            .into_iter()
            .find(|&e| f64::from(e) * row_h >= lh)
            .unwrap_or(100);

        // Columns.
        let m = methods.len();
        let first = |s: &BumpSeries| s.ranks.first().copied().flatten().filter(|&r| r <= depth);
        let last = |s: &BumpSeries| s.ranks.last().copied().flatten().filter(|&r| r <= depth);
        let label_w = |f: &dyn Fn(&BumpSeries) -> Option<u32>| {
            series
                .iter()
                .filter(|s| f(s).is_some())
                .map(|s| {
                    let l =
                        style::ellipsize(&kit::clean(&s.label), BODY_PX, s.highlight, LABEL_MAX_W);
                    style::text_width(&l, BODY_PX, s.highlight).ceil() as i32
                })
                .max()
                .unwrap_or(0)
        };
        let (lw, rw) = (label_w(&first), label_w(&last));
        let gutter_w = style::text_width(&depth.to_string(), BODY_PX, false)
            .max(style::text_width("Rank", BODY_PX, false))
            .ceil() as i32;
        let gutter_x = MARGIN + gutter_w;
        // Room left of the first column for the labels and for the strip's label.
        let off_w =
            style::text_width(&format!("outside top {depth}"), BODY_PX, false).ceil() as i32;
        let plot_x0 =
            (gutter_x + 14 + lw.max(10) + LABEL_GAP).max(MARGIN + 4 + off_w + LABEL_GAP + 6);
        let plot_x1 = width - MARGIN - rw.max(10) - LABEL_GAP;
        let col_x: Vec<i32> = if m == 1 {
            vec![(plot_x0 + plot_x1) / 2]
        } else {
            (0..m)
                .map(|j| {
                    plot_x0
                        + (f64::from(plot_x1 - plot_x0) * j as f64 / (m - 1) as f64).round() as i32
                })
                .collect()
        };
        let spacing = if m == 1 {
            f64::from(plot_x1 - plot_x0)
        } else {
            f64::from(plot_x1 - plot_x0) / (m - 1) as f64
        };
        // Method names: one tier of up to 3 lines if they fit, else two staggered tiers.
        let one: Vec<Vec<String>> = methods
            .iter()
            .map(|s| style::wrap(&kit::clean(s), BODY_PX, true, (spacing - 8.0).max(30.0)))
            .collect();
        let (method_labels, tiers, label_lines) = if one.iter().all(|l| l.len() <= 3) || m == 1 {
            let lines = one.iter().map(Vec::len).max().unwrap_or(1).clamp(1, 3);
            let labels = methods
                .iter()
                .map(|s| {
                    (
                        kit::wrap_lines(s, BODY_PX, true, (spacing - 8.0).max(30.0), 3),
                        0,
                    )
                })
                .collect();
            (labels, 1, lines)
        } else {
            let w = (2.0 * spacing - 12.0).max(40.0);
            let labels: Vec<(Vec<String>, usize)> = methods
                .iter()
                .enumerate()
                .map(|(j, s)| (kit::wrap_lines(s, BODY_PX, true, w, 3), j % 2))
                .collect();
            let lines = labels.iter().map(|l| l.0.len()).max().unwrap_or(1).max(1);
            (labels, 2, lines)
        };

        let end_label = |f: &dyn Fn(&BumpSeries) -> Option<u32>, s: &BumpSeries| {
            f(s).map(|_| style::ellipsize(&kit::clean(&s.label), BODY_PX, s.highlight, LABEL_MAX_W))
        };
        let left_labels = series.iter().map(|s| end_label(&first, s)).collect();
        let right_labels = series.iter().map(|s| end_label(&last, s)).collect();

        let legend_y = header.height();
        let methods_y = legend_y + legend.height() + GAP;
        let block_h = Self::methods_block_h(tiers, label_lines);
        let plot_y0 = methods_y + block_h + 10;
        let plot_h = (row_h * f64::from(depth)).round() as i32;
        let off_y = plot_y0 + plot_h + 8 + OFF_GAP;
        let mut height = plot_y0 + plot_h + 8 + OFF_STRIP_H + MARGIN;
        let bottom_methods_y = (plot_h > 500).then(|| {
            let y = plot_y0 + plot_h + 8 + OFF_STRIP_H + 12;
            height += block_h + 6;
            y
        });
        Self {
            header,
            legend,
            depth,
            method_labels,
            tiers,
            label_lines,
            left_labels,
            right_labels,
            colours,
            hollow,
            col_x,
            gutter_x,
            rank_every,
            row_h,
            legend_y,
            methods_y,
            plot_y0,
            off_y,
            bottom_methods_y,
            height,
        }
    }

    fn methods_block_h(tiers: usize, lines: usize) -> i32 {
        let lh = style::line_height(BODY_PX);
        (tiers * lines) as i32 * lh + if tiers > 1 { 4 } else { 0 }
    }

    fn y(&self, rank: u32) -> i32 {
        (f64::from(self.plot_y0) + (f64::from(rank) - 0.5) * self.row_h).round() as i32
    }

    fn pos(&self, s: &BumpSeries, j: usize) -> Pos {
        match s.ranks.get(j).copied().flatten() {
            Some(r) if r <= self.depth => Pos::Rank(r),
            _ => Pos::Off,
        }
    }

    /// Method names above (`below` = false) or under the plot; with two tiers the
    /// odd columns sit on the outer tier with a leader line to their column.
    fn draw_methods(&self, root: &Root<'_>, y0: i32, below: bool) -> Result<()> {
        let lh = style::line_height(BODY_PX);
        let lines = self.label_lines as i32;
        let block_h = Self::methods_block_h(self.tiers, self.label_lines);
        let s = style::text(BODY_PX, true, &INK, HPos::Center, VPos::Top);
        let width = style::WIDTH as i32;
        for ((lines_j, tier), &x) in self.method_labels.iter().zip(&self.col_x) {
            let outer = self.tiers > 1 && *tier == 1;
            let ty = match (below, outer) {
                (false, true) | (true, false) => y0,
                (false, false) => y0 + block_h - lines * lh,
                (true, true) => y0 + lines * lh + 4,
            };
            // Above the plot, text is bottom-aligned in its tier.
            let pad = if below {
                0
            } else {
                (lines - lines_j.len() as i32).max(0) * lh
            };
            let widest = lines_j
                .iter()
                .map(|l| style::text_width(l, BODY_PX, true))
                .fold(0.0, f64::max)
                .ceil() as i32;
            let cx = x.clamp(MARGIN + widest / 2, width - MARGIN - widest / 2);
            for (i, l) in lines_j.iter().enumerate() {
                text(root, l, (cx, ty + pad + i as i32 * lh), &s)?;
            }
            if outer {
                let (a, b) = if below {
                    (y0 - 6, ty - 1)
                } else {
                    (ty + lines * lh + 1, y0 + block_h + 8)
                };
                if b - a > 4 {
                    line(root, vec![(x, a), (x, b)], &style::AXIS, 1)?;
                }
            }
        }
        Ok(())
    }

    fn draw(&self, root: &Root<'_>, series: &[BumpSeries]) -> Result<()> {
        self.header.draw(root)?;
        self.legend.draw(root, self.legend_y)?;
        self.draw_methods(root, self.methods_y, false)?;
        let (x_first, x_last) = (
            self.col_x.first().copied().unwrap_or(0),
            self.col_x.last().copied().unwrap_or(0),
        );
        let plot_y1 = self.y(self.depth) + (self.row_h / 2.0).round() as i32;
        let width = style::WIDTH as i32;

        // Zebra bands every 5 ranks (when rows are tall enough), columns, off strip.
        if self.row_h >= 6.0 {
            let mut r = 6;
            while r <= self.depth {
                let a = self.y(r) - (self.row_h / 2.0).round() as i32;
                let b = self.y((r + 4).min(self.depth)) + (self.row_h / 2.0).round() as i32;
                fill_rect(root, MARGIN, a, width - MARGIN, b, &ZEBRA, 1.0)?;
                r += 10;
            }
        }
        let strip_top = plot_y1 + 8;
        fill_rect(
            root,
            MARGIN,
            strip_top,
            width - MARGIN,
            strip_top + OFF_STRIP_H,
            &OFF_BAND,
            0.7,
        )?;
        for &x in &self.col_x {
            line(root, vec![(x, self.plot_y0 - 4), (x, plot_y1)], &GRID, 1)?;
        }

        // Rank numbers in the gutter.
        let rank_style = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Center);
        let head = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Bottom);
        text(root, "Rank", (self.gutter_x, self.plot_y0 - 4), &head)?;
        let mut r = 1;
        while r <= self.depth {
            text(
                root,
                &r.to_string(),
                (self.gutter_x, self.y(r)),
                &rank_style,
            )?;
            r = if r == 1 && self.rank_every > 1 {
                self.rank_every
            } else {
                r + self.rank_every
            };
        }
        // The strip's label, left of the first column: what the triangles mean and
        // what the numbers under them count.
        let off_style = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Center);
        let lh = style::line_height(BODY_PX);
        let off_x = (x_first - LABEL_GAP - 4).max(MARGIN + 40);
        for (i, l) in [
            format!("outside top {}", self.depth),
            "accounts:".to_string(),
        ]
        .iter()
        .enumerate()
        {
            let l = style::ellipsize(l, BODY_PX, false, f64::from(off_x - MARGIN - 4));
            text(
                root,
                &l,
                (off_x, self.off_y + i as i32 * (lh - 1)),
                &off_style,
            )?;
        }

        // Lines: grey first, then highlighted (in order, so the first is on top last).
        let order: Vec<usize> = (0..series.len())
            .filter(|&i| !series[i].highlight)
            .chain((0..series.len()).filter(|&i| series[i].highlight))
            .collect();
        let m = self.col_x.len();
        let mut off_counts = vec![0usize; m];
        for s in series {
            if (0..m).any(|j| self.pos(s, j) != Pos::Off) {
                for (j, c) in off_counts.iter_mut().enumerate() {
                    if self.pos(s, j) == Pos::Off {
                        *c += 1;
                    }
                }
            }
        }
        for &i in &order {
            let s = &series[i];
            let c = self.colours[i];
            // Context lines thin out when there are many of them.
            let w = if s.highlight {
                3
            } else if series.len() > 20 {
                1
            } else {
                2
            };
            let pt = |j: usize| match self.pos(s, j) {
                Pos::Rank(r) => (self.col_x[j], self.y(r)),
                Pos::Off => (self.col_x[j], self.off_y),
            };
            for j in 1..m {
                let (a, b) = (self.pos(s, j - 1), self.pos(s, j));
                match (a, b) {
                    (Pos::Rank(_), Pos::Rank(_)) => line(root, vec![pt(j - 1), pt(j)], &c, w)?,
                    (Pos::Off, Pos::Off) => {}
                    _ => {
                        // Leaving or entering the shown depth: dashed when highlighted,
                        // a thin pale line for context (many dashes bloat the SVG).
                        if s.highlight {
                            let f = |p: (i32, i32)| (f64::from(p.0), f64::from(p.1));
                            kit::dashed_path(root, &[f(pt(j - 1)), f(pt(j))], &c, w, &[7.0, 5.0])?;
                        } else {
                            line(root, vec![pt(j - 1), pt(j)], &OFF_LINE, 1)?;
                        }
                    }
                }
            }
            for j in 0..m {
                let near_rank = (j > 0 && self.pos(s, j - 1) != Pos::Off)
                    || (j + 1 < m && self.pos(s, j + 1) != Pos::Off);
                match self.pos(s, j) {
                    Pos::Rank(_) if self.hollow[i] => kit::hollow_dot(root, pt(j), 5, &c)?,
                    Pos::Rank(_) => {
                        let r = if s.highlight { 5 } else { 3 };
                        let outline = s.highlight.then_some(&style::BACKGROUND);
                        dot(root, pt(j), r, &c, outline)?;
                    }
                    Pos::Off if near_rank => {
                        let col = if s.highlight { c } else { style::AXIS };
                        kit::triangle_down(root, pt(j), if s.highlight { 6 } else { 5 }, &col)?;
                    }
                    Pos::Off => {}
                }
            }
        }
        // Off counts under the triangles.
        let count_style = style::text(BODY_PX, false, &INK, HPos::Center, VPos::Center);
        for (j, &n) in off_counts.iter().enumerate() {
            if n > 0 {
                let c = (self.col_x[j], self.off_y + lh - 1);
                text(root, &n.to_string(), c, &count_style)?;
            }
        }

        // End labels.
        self.draw_end_labels(
            root,
            series,
            &self.left_labels,
            0,
            x_first - LABEL_GAP,
            HPos::Right,
        )?;
        self.draw_end_labels(
            root,
            series,
            &self.right_labels,
            m - 1,
            x_last + LABEL_GAP,
            HPos::Left,
        )?;
        // Highlighted lines that start or end away from the end columns (unranked or
        // below the depth there): label the point where the drawn line starts or
        // ends, so each highlighted line is named at both of its ends.
        for (i, s) in series.iter().enumerate() {
            if !s.highlight {
                continue;
            }
            let ranked: Vec<(usize, u32)> = (0..m)
                .filter_map(|j| match self.pos(s, j) {
                    Pos::Rank(r) => Some((j, r)),
                    Pos::Off => None,
                })
                .collect();
            let (Some(&start), Some(&end)) = (ranked.first(), ranked.last()) else {
                continue;
            };
            let mut ends = Vec::new();
            if self.left_labels[i].is_none() {
                ends.push(start);
            }
            if self.right_labels[i].is_none() && (end != start || ends.is_empty()) {
                ends.push(end);
            }
            for (j, r) in ends {
                self.draw_point_label(root, &s.label, self.colours[i], (self.col_x[j], self.y(r)))?;
            }
        }
        if let Some(y) = self.bottom_methods_y {
            self.draw_methods(root, y, true)?;
        }
        Ok(())
    }

    /// A highlighted account's name beside one of its points (above right, on a
    /// light backing, kept inside the chart).
    fn draw_point_label(
        &self,
        root: &Root<'_>,
        label: &str,
        colour: RGBColor,
        (px, py): (i32, i32),
    ) -> Result<()> {
        let width = style::WIDTH as i32;
        let label = style::ellipsize(&kit::clean(label), BODY_PX, true, LABEL_MAX_W);
        let w = style::text_width(&label, BODY_PX, true).ceil() as i32;
        let (x, y) = ((px + 8).min(width - MARGIN - w), py - 12);
        fill_rect(
            root,
            x - 2,
            y - 9,
            x + w + 2,
            y + 9,
            &style::BACKGROUND,
            0.85,
        )?;
        let st = style::text(
            BODY_PX,
            true,
            &kit::readable(colour),
            HPos::Left,
            VPos::Center,
        );
        text(root, &label, (x, y), &st)
    }

    fn draw_end_labels(
        &self,
        root: &Root<'_>,
        series: &[BumpSeries],
        labels: &[Option<String>],
        j: usize,
        x: i32,
        h: HPos,
    ) -> Result<()> {
        let min_gap = style::line_height(BODY_PX) - 2;
        let mut placed: Vec<i32> = Vec::new();
        let mut last_hl: Option<i32> = None;
        let mut cands: Vec<(usize, i32)> = labels
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_some())
            .filter_map(|(i, _)| match self.pos(&series[i], j) {
                Pos::Rank(r) => Some((i, self.y(r))),
                Pos::Off => None,
            })
            .collect();
        cands.sort_by_key(|&(i, y)| (!series[i].highlight, y));
        for (i, y) in cands {
            // Highlighted labels are never dropped: one that would touch the previous
            // one moves down (ties put several accounts on one rank). Context labels
            // are left out where they would touch any placed label.
            let y = if series[i].highlight {
                let y = last_hl.map_or(y, |p| y.max(p + min_gap));
                last_hl = Some(y);
                y
            } else if placed.iter().any(|&p| (p - y).abs() < min_gap) {
                continue;
            } else {
                y
            };
            placed.push(y);
            let s = &series[i];
            let colour = if s.highlight {
                kit::readable(self.colours[i])
            } else {
                MUTED
            };
            let st = style::text(BODY_PX, s.highlight, &colour, h, VPos::Center);
            if let Some(l) = &labels[i] {
                text(root, l, (x, y), &st)?;
            }
        }
        Ok(())
    }
}

/// The legend names only what is drawn: highlighted and grey lines when there are
/// some with a rank within `depth` (a series without one is not drawn), the
/// triangle when some drawn line leaves the shown depth.
fn legend_items(series: &[BumpSeries], depth: u32) -> Vec<(Key, String)> {
    let within = |r: &Option<u32>| r.is_some_and(|r| r <= depth);
    let drawn = |s: &&BumpSeries| s.ranks.iter().any(within);
    let drawn_hl = series.iter().filter(drawn).any(|s| s.highlight);
    let drawn_context = series.iter().filter(drawn).any(|s| !s.highlight);
    let leaves = series
        .iter()
        .filter(drawn)
        .any(|s| !s.ranks.iter().all(within));
    let mut items = Vec::new();
    // With only highlighted lines, the direct labels say what each line is.
    if drawn_hl && drawn_context {
        items.push((
            Key::Line(CATEGORICAL[0], 3, vec![]),
            "highlighted accounts (named at both ends)".to_string(),
        ));
        items.push((Key::Line(CONTEXT, 2, vec![]), "other accounts".to_string()));
    }
    if leaves {
        items.push((
            Key::Triangle(style::AXIS),
            format!("outside the top {depth} or unranked"),
        ));
    }
    items
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// The published top accounts followed across every ranking.
pub fn figure(res: &Results, dir: &Path) -> Result<Figure> {
    const SHOW: usize = 10;
    // More than 8 columns of lines cannot be followed by eye at blog width.
    const METHODS: usize = 8;
    let accounts = &res.data.accounts;
    let top_n = res.study.study.top_n;
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.clone());
    let (first_spec, first) = res
        .rankings
        .iter()
        .find(|(s, _)| Some(&s.name) == main.as_ref())
        .unwrap_or(&res.rankings[0]);
    let chosen: Vec<&(crate::rankings::MethodSpec, crate::rankings::Ranking)> = res
        .rankings
        .iter()
        .filter(|(s, _)| s.name == first_spec.name)
        .chain(
            res.rankings
                .iter()
                .filter(|(s, _)| s.name != first_spec.name),
        )
        .take(METHODS)
        .collect();
    let methods: Vec<String> = chosen.iter().map(|(s, _)| s.name.clone()).collect();
    // The ranks within the top N of the accounts drawn, per ranking: only the prefix
    // of each ranking down to rank N is read (a map of every account's rank would cost
    // eight bytes an account per ranking, for 20 lines).
    let shown: std::collections::HashSet<u32> =
        first.entries().take(SHOW).map(|e| e.account).collect();
    let ranks: Vec<std::collections::HashMap<u32, u32>> = chosen
        .iter()
        .map(|(_, r)| {
            r.entries()
                .take_while(|e| e.rank <= top_n)
                .filter(|e| shown.contains(&e.account))
                .map(|e| (e.account, e.rank))
                .collect()
        })
        .collect();
    let series: Vec<BumpSeries> = first
        .entries()
        .take(SHOW)
        .map(|e| BumpSeries {
            label: accounts.label(e.account).to_string(),
            ranks: ranks.iter().map(|r| r.get(&e.account).copied()).collect(),
            highlight: true,
        })
        .collect();
    // In the strict top N of every ranking (a tie straddling place N is not "in").
    let tops: Vec<std::collections::HashSet<u32>> = chosen
        .iter()
        .map(|(_, r)| r.top(top_n).into_iter().collect())
        .collect();
    let stay = first
        .entries()
        .take(SHOW)
        .filter(|e| tops.iter().all(|t| t.contains(&e.account)))
        .count();
    // A ranking whose strict top N is empty (a tie from rank 1 across place N) has no
    // clear top N: the title says so rather than counting its tied ranks as a top.
    let unclear: Vec<String> = chosen
        .iter()
        .filter(|(_, r)| !r.is_empty() && r.top(top_n).is_empty())
        .map(|(s, r)| {
            format!(
                "; {} has no clear top {top_n}: {} accounts tie at rank 1",
                kit::quoted(&s.name),
                r.entries().filter(|e| e.rank == 1).count()
            )
        })
        .collect();
    let title = format!(
        "{stay} of the top {} under “{}” are in the top {top_n} of every one of {} rankings{}",
        series.len(),
        first_spec.name,
        methods.len(),
        unclear.concat()
    );
    let subtitle = format!(
        "Rank of the top {} accounts of “{}” under each ranking (top {top_n} shown)",
        series.len(),
        first_spec.name
    );
    let name = "bump".to_string();
    let files = bump(
        &methods,
        &series,
        top_n,
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Bump chart: {title}."),
        name,
        title,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    /// 8 methods, 40 accounts: each method reshuffles the published order.
    pub(crate) fn synthetic(
        n_methods: usize,
        n_series: usize,
        depth: u32,
    ) -> (Vec<String>, Vec<BumpSeries>) {
        let methods: Vec<String> = [
            "Published (followers + tweets)",
            "Followers only",
            "PageRank on the follow graph",
            "Eigenvector centrality",
            "Reply-network in-degree",
            "Retweets received",
            "Betweenness",
            "Conversation starters",
        ]
        .iter()
        .cycle()
        .take(n_methods)
        .map(|s| s.to_string())
        .collect();
        let series = (0..n_series)
            .map(|i| {
                let ranks = (0..n_methods)
                    .map(|j| {
                        if j == 0 {
                            return Some(i as u32 + 1);
                        }
                        // A deterministic shuffle per method.
                        let key = ((i * 37 + j * 101) * (j + 3)) % n_series;
                        let r = (key as f64 * 0.6 + i as f64 * 0.4 * (1.0 - j as f64 / 10.0))
                            as u32
                            + 1
                            + (j as u32 * 3) % 7;
                        Some(r)
                    })
                    .collect();
                BumpSeries {
                    label: format!("@account_{:02}", i + 1),
                    ranks,
                    highlight: i < 3 || i == 17,
                }
            })
            .collect::<Vec<_>>();
        let _ = depth;
        (methods, series)
    }

    #[test]
    fn eight_methods_render() {
        let dir = temp_dir("bump");
        let (m, s) = synthetic(8, 40, 30);
        let title = "Who is on top depends on what is measured";
        let p = bump(
            &m,
            &s,
            30,
            title,
            "Rank of the published top 40 under eight methods",
            &dir.join("b"),
        )
        .unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("outside the top 30"));
        assert!(svg.contains("@account_01"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn legend_names_only_drawn_series_and_every_highlighted_line_is_named() {
        let dir = temp_dir("bumplabels");
        let m: Vec<String> = ["first", "second", "third"].map(String::from).to_vec();
        // Ten highlighted accounts (more than the palette: colours repeat), one tie
        // at rank 1, one that leaves the top 10, one ranked only in the middle, one
        // never within the depth (not drawn); no grey accounts.
        let mut series: Vec<BumpSeries> = (0..10)
            .map(|i| BumpSeries {
                label: format!("acct_{i}"),
                ranks: vec![Some(i + 1), Some(10 - i), Some(i + 1)],
                highlight: true,
            })
            .collect();
        series[1].ranks = vec![Some(1), Some(9), Some(1)];
        series[2].ranks = vec![Some(3), Some(8), None];
        series[3].ranks = vec![None, Some(4), Some(40)];
        series.push(BumpSeries {
            label: "never_shown".into(),
            ranks: vec![None, Some(12), None],
            highlight: true,
        });
        let p = bump(&m, &series, 10, "Labels", "", &dir.join("b")).unwrap();
        let svg = check_pair(&p, "Labels", style::WIDTH);
        assert!(!svg.contains("other accounts"), "no grey line is drawn");
        assert!(!svg.contains("highlighted accounts"));
        assert!(svg.contains("outside the top 10"));
        for i in 0..10 {
            let label = format!("\nacct_{i}\n");
            assert!(svg.contains(&label), "{label} is not named");
        }
        // acct_2 ends at the second column: named where its line ends, too.
        assert!(svg.matches("\nacct_2\n").count() >= 2);
        assert!(!svg.contains("never_shown"));
        // Every series stays within the depth: no triangle, so no entry for it.
        let inside: Vec<BumpSeries> = series[4..10].to_vec();
        let p = bump(&m, &inside, 10, "Inside", "", &dir.join("i")).unwrap();
        assert!(!check_pair(&p, "Inside", style::WIDTH).contains("outside the top"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("bumpedge");
        let m = vec!["A".to_string(), "B".to_string()];
        let p = bump(&[], &[], 10, "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No ranks to compare"));
        let p = bump(&m, &[], 10, "Empty2", "", &dir.join("e2")).unwrap();
        check_pair(&p, "Empty2", style::WIDTH);
        // One method, one series, all unranked, ties, huge ranks, long names.
        let one = vec![BumpSeries {
            label: "solo".into(),
            ranks: vec![Some(1)],
            highlight: true,
        }];
        check_pair(
            &bump(&m[..1], &one, 1, "One", "", &dir.join("one")).unwrap(),
            "One",
            style::WIDTH,
        );
        let long: Vec<String> = (0..12)
            .map(|i| format!("A very long method name number {i} that must wrap somewhere"))
            .collect();
        let odd: Vec<BumpSeries> = (0..5)
            .map(|i| BumpSeries {
                label: format!("<odd & {i}>\n"),
                ranks: (0..12)
                    .map(|j| match (i + j) % 4 {
                        0 => None,
                        1 => Some(1),
                        2 => Some(10_000),
                        _ => Some(2),
                    })
                    .collect(),
                highlight: i % 2 == 0,
            })
            .collect();
        check_pair(
            &bump(&long, &odd, 3, "Odd", "", &dir.join("odd")).unwrap(),
            "Odd",
            style::WIDTH,
        );
        let deep: Vec<BumpSeries> = (0..60)
            .map(|i| BumpSeries {
                label: format!("a{i}"),
                ranks: vec![Some(i * 7 + 1), Some(400 - i * 5)],
                highlight: false,
            })
            .collect();
        check_pair(
            &bump(&m, &deep, 400, "Deep", "", &dir.join("deep")).unwrap(),
            "Deep",
            style::WIDTH,
        );
        // Errors.
        assert!(bump(&m, &one, 5, "t", "", &dir.join("x")).is_err()); // wrong length
        let zero = vec![BumpSeries {
            label: "z".into(),
            ranks: vec![Some(0), None],
            highlight: false,
        }];
        assert!(bump(&m, &zero, 5, "t", "", &dir.join("x")).is_err());
        assert!(bump(&m, &deep, 0, "t", "", &dir.join("x")).is_err());
        assert!(bump(&m, &deep, MAX_DEPTH + 1, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
