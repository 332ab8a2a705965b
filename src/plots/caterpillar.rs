//! Caterpillar chart: where each account of a published top N lands when the
//! ranking is recomputed under perturbation (one row per account).
//!
//! Rows run top to bottom in published order. Each row shows the 5th–95th
//! percentile rank across replicates as a bar coloured by how often the account
//! stays in the top N, the median rank as a dot and the published rank as a tick.
//! x is rank with 1 at the left, linear unless ranks reach past 4 N (then log10,
//! said in the axis title). A vertical line at N + ½ marks the top-N cut-off (ranks
//! 1..=N are left of it). Ranks that do not exist in a replicate ("unranked": the
//! account no longer qualifies) live in a grey column at the right: an interval
//! with `hi = None` runs into it and ends in an arrow; `median = None` puts the dot
//! there.
//!
//! Input rules: no rows draws a "no data" chart; more than [`MAX_ROWS`] rows draws
//! the first [`MAX_ROWS`] in published order and says so under the chart. It is an
//! error when `n_top` is 0, a rank is < 1 or not finite (NaN), `p_top` is outside
//! 0..=1 or NaN, lo > median or median > hi, or the `None`s contradict
//! the percentiles (a `None` median with a ranked `hi`, a `None` `lo` with anything
//! ranked above it).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail, ensure};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{Key, Legend, NARROW};
use super::rows::{self, Frame};
use super::style::{self, AXIS, BAD, BODY_PX, GOOD, INK, MARGIN, MIXED, MUTED, TICK, TICK_GAP};
use super::{
    Axis, Header, Root, arrowhead, dashed, dot, fill_rect, line, log_ticks, nice_step, text,
};
use crate::results::{FamilyResult, Figure, Results};

/// One account of the published top N.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalRow {
    /// Account label (handle or name).
    pub label: String,
    /// Published rank (1 = top).
    pub nominal: u32,
    /// Median rank across replicates; `None` = unranked in most replicates.
    pub median: Option<f64>,
    /// 5th percentile rank; `None` = unranked in ≥ 95 % of replicates.
    pub lo: Option<f64>,
    /// 95th percentile rank; `None` = unranked in ≥ 5 % of replicates.
    pub hi: Option<f64>,
    /// Share of replicates in which the account is in the top N (0..=1).
    pub p_top: f64,
}

/// Most rows drawn (the chart grows 20 px per row); later rows are left out, with a note.
pub const MAX_ROWS: usize = 250;
/// The bands' limits, one definition for charts and report.
pub use crate::sensitivity::summary::{ACCIDENT, STABLE};

const ROW_H: i32 = 20;
const BAR_HALF: i32 = 4;
const TICK_HALF: i32 = 8;
const DOT_R: u32 = 4;
const LABEL_GAP: i32 = 10;
const BAND_GAP: i32 = 14;
const BAND_FILL: RGBColor = RGBColor(0xE8, 0xE8, 0xE8);

/// Colour of an interval by the share of replicates in the top N.
pub fn stability_colour(p_top: f64) -> RGBColor {
    if p_top >= STABLE {
        GOOD
    } else if p_top >= ACCIDENT {
        MIXED
    } else {
        BAD
    }
}

/// What the marks of a caterpillar stand for: the perturbation reading (the default)
/// or another distribution of ranks (e.g. the rankings consistent with a dominance
/// order, [`crate::plots::forced`]).
pub struct Words {
    /// "replicates": what the shares in the top N are over.
    pub over: &'static str,
    pub interval: &'static str,
    pub centre: &'static str,
    pub x_title: &'static str,
}

/// The perturbation reading.
pub const REPLICATES: Words = Words {
    over: "replicates",
    interval: "5th–95th percentile rank",
    centre: "median",
    x_title: "Rank in the perturbed rankings",
};

/// Draws the caterpillar chart to `stem.png` and `stem.svg` (see the module docs).
pub fn caterpillar(
    rows: &[IntervalRow],
    n_top: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    caterpillar_with(rows, n_top, title, subtitle, &REPLICATES, stem)
}

/// [`caterpillar`] with the marks' meaning in `words`.
pub fn caterpillar_with(
    rows: &[IntervalRow],
    n_top: u32,
    title: &str,
    subtitle: &str,
    words: &Words,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(n_top >= 1, "n_top must be at least 1");
    if rows.is_empty() {
        return super::no_data(
            stem,
            title,
            subtitle,
            "No accounts to show: the published ranking is empty.",
        );
    }
    for (i, r) in rows.iter().enumerate() {
        validate(r).map_err(|e| e.context(format!("caterpillar row {} ({:?})", i + 1, r.label)))?;
    }
    let mut rows: Vec<&IntervalRow> = rows.iter().collect();
    rows.sort_by_key(|r| r.nominal);
    let total = rows.len();
    rows.truncate(MAX_ROWS);
    let mut layout = Layout::new(&rows, n_top, title, subtitle, words);
    if total > rows.len() {
        layout.note = Some(format!(
            "Showing the first {} of {} accounts, in published order.",
            rows.len(),
            total
        ));
        layout.height += style::line_height(BODY_PX) + 4;
    }
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &rows)
    })
}

fn validate(r: &IntervalRow) -> Result<()> {
    ensure!(r.nominal >= 1, "published rank is 0 (ranks start at 1)");
    ensure!(
        r.p_top.is_finite() && (0.0..=1.0).contains(&r.p_top),
        "p_top {} is not a share in 0..=1",
        r.p_top
    );
    for (name, v) in [("lo", r.lo), ("median", r.median), ("hi", r.hi)] {
        if let Some(v) = v {
            ensure!(
                v.is_finite() && v >= 1.0 - 1e-9,
                "{name} rank {v} is not a rank (finite, ≥ 1)"
            );
        }
    }
    const EPS: f64 = 1e-9;
    match (r.lo, r.median, r.hi) {
        (Some(lo), Some(m), Some(hi)) => ensure!(
            lo <= m + EPS && m <= hi + EPS,
            "needs lo ≤ median ≤ hi, got {lo}, {m}, {hi}"
        ),
        (Some(lo), Some(m), None) => ensure!(lo <= m + EPS, "needs lo ≤ median, got {lo}, {m}"),
        (Some(_), None, None) | (None, None, None) => {}
        (_, None, Some(_)) => bail!("median is unranked but the 95th percentile is ranked"),
        (None, Some(_), _) => bail!("5th percentile is unranked but the median is ranked"),
    }
    Ok(())
}

struct Layout {
    frame: Frame,
    labels: Vec<String>,
    n_top: u32,
    axis: Axis,
    ticks: Vec<f64>,
    /// Unranked column `[band_x0, band_x1]`, if any row needs it.
    band: Option<(i32, i32)>,
    label_right: i32,
    plot_x0: i32,
    plot_x1: i32,
    height: i32,
    x_title: &'static str,
    /// A line under the chart (e.g. rows left out).
    note: Option<String>,
}

impl Layout {
    fn new(rows: &[&IntervalRow], n_top: u32, title: &str, subtitle: &str, words: &Words) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let inner_w = width - 2 * MARGIN;
        let colours = Legend::new(
            vec![
                (Key::None, format!("In the top {n_top} in")),
                (
                    Key::Bar(GOOD),
                    format!("≥ {:.0}% of {} (stable)", STABLE * 100.0, words.over),
                ),
                (
                    Key::Bar(MIXED),
                    format!("{:.0}–{:.0}%", ACCIDENT * 100.0, STABLE * 100.0),
                ),
                (
                    Key::Bar(BAD),
                    format!("< {:.0}% (there by accident)", ACCIDENT * 100.0),
                ),
            ],
            MARGIN,
            inner_w,
            NARROW,
        );
        let open = rows
            .iter()
            .any(|r| r.hi.is_none() || r.median.is_none() || r.lo.is_none());
        let mut mark_items = vec![
            (Key::Bar(AXIS), words.interval.to_string()),
            (Key::Dot(INK), words.centre.to_string()),
            (Key::Tick(INK), "original rank".to_string()),
        ];
        if open {
            mark_items.push((
                Key::Arrow(AXIS),
                format!("unranked in ≥ 5% of {}", words.over),
            ));
        }
        let marks = Legend::new(mark_items, MARGIN, inner_w, NARROW);

        // Label column: as wide as the longest label, at most 30 % of the chart.
        let max_label_w = f64::from(width) * 0.3;
        let clean = |s: &str| {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        };
        let labels: Vec<String> = rows
            .iter()
            .map(|r| style::ellipsize(clean(&r.label).trim(), BODY_PX, false, max_label_w))
            .collect();
        let label_w = labels
            .iter()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0);
        let header_w = style::text_width(COLUMN_HEADER, BODY_PX, false).ceil() as i32;
        let label_right = MARGIN + label_w.max(header_w.min(max_label_w as i32)).max(40);
        let plot_x0 = label_right + LABEL_GAP + 6;
        let right = width - MARGIN;
        let band_w = style::text_width(UNRANKED, BODY_PX, false).ceil() as i32 + 16;
        let (band, plot_x1) = if open {
            (Some((right - band_w, right)), right - band_w - BAND_GAP)
        } else {
            (None, right - 8)
        };

        // x domain: every finite rank, every published rank and the cut-off.
        let mut max_rank = f64::from(n_top) + 0.5;
        for r in rows {
            max_rank = max_rank.max(f64::from(r.nominal));
            for v in [r.lo, r.median, r.hi].into_iter().flatten() {
                max_rank = max_rank.max(v);
            }
        }
        let min_gap =
            style::text_width(&style::thousands(max_rank.ceil() as u64), BODY_PX, false) + 16.0;
        let log = max_rank > 4.0 * f64::from(n_top) && max_rank >= 20.0;
        let (axis, ticks) = if log {
            let axis = Axis::log(0.8, max_rank * 1.15, plot_x0, plot_x1);
            (axis, log_ticks(&axis, min_gap))
        } else {
            let span_px = f64::from(plot_x1 - plot_x0).max(1.0);
            let mut step = nice_step(max_rank / (span_px / min_gap).max(1.0)).max(1.0); // ranks are whole
            let axis = |step: f64| {
                let top = ((max_rank / step).ceil() * step).max(max_rank);
                Axis::linear(0.5, top + 0.5, plot_x0, plot_x1)
            };
            // Grow the step until neighbouring labels cannot touch.
            loop {
                let a = axis(step);
                if (a.px_f(step) - a.px_f(0.0)).abs() >= min_gap || step > 1e9 {
                    break;
                }
                step = nice_step(step * 1.01);
            }
            let a = axis(step);
            let mut ticks = vec![1.0];
            let mut t = step;
            while t <= a.hi {
                if (a.px_f(t) - a.px_f(1.0)).abs() >= min_gap {
                    ticks.push(t);
                }
                t += step;
            }
            (a, ticks)
        };

        let lh = style::line_height(BODY_PX);
        // Above the rows: a row for the cut-off label, a row for the tick labels.
        let frame = Frame::new(header, vec![colours, marks], 2 * lh + TICK + TICK_GAP);
        let height = frame.height(rows.len() as i32 * ROW_H, rows::bottom_axis_height());
        Self {
            frame,
            labels,
            n_top,
            axis,
            ticks,
            band,
            label_right,
            plot_x0,
            plot_x1,
            height,
            x_title: words.x_title,
            note: None,
        }
    }

    fn draw(&self, root: &Root<'_>, rows: &[&IntervalRow]) -> Result<()> {
        self.frame.draw(root)?;

        let lh = style::line_height(BODY_PX);
        let rows_y = self.frame.rows_y;
        let (y0, y1) = (rows_y, rows_y + rows.len() as i32 * ROW_H);
        let right = self.band.map_or(self.plot_x1, |b| b.1);

        // Zebra rows, grid, unranked column.
        rows::zebra(root, y0, ROW_H, rows.len(), right)?;
        rows::grid(root, self.ticks.iter().map(|&t| self.axis.px(t)), y0, y1)?;
        let tick_label_y = y0 - TICK - TICK_GAP;
        if let Some((b0, b1)) = self.band {
            fill_rect(root, b0, y0, b1, y1, &BAND_FILL, 0.6)?;
            let s = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Bottom);
            text(root, UNRANKED, ((b0 + b1) / 2, tick_label_y), &s)?;
        }

        // Axes: lines, ticks and labels above and below the rows.
        let tick_top = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Bottom);
        let tick_bottom = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
        for (yl, dir) in [(y0, -1), (y1, 1)] {
            line(root, vec![(self.plot_x0, yl), (self.plot_x1, yl)], &AXIS, 1)?;
            for &t in &self.ticks {
                let x = self.axis.px(t);
                line(root, vec![(x, yl), (x, yl + dir * TICK)], &AXIS, 1)?;
                let label = style::thousands(t.round() as u64);
                if dir < 0 {
                    text(root, &label, (x, tick_label_y), &tick_top)?;
                } else {
                    text(root, &label, (x, yl + TICK + TICK_GAP), &tick_bottom)?;
                }
            }
        }
        let head = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Bottom);
        text(root, COLUMN_HEADER, (self.label_right, tick_label_y), &head)?;
        let scale = if self.axis.log { ", log scale" } else { "" };
        let x_title = format!("{} (1 = top{scale})", self.x_title);
        rows::axis_title(root, &x_title, (self.plot_x0 + self.plot_x1) / 2, y1)?;

        // The cut-off between rank N and N + 1, labelled above the tick labels.
        let xc = self.axis.px(f64::from(self.n_top) + 0.5);
        line(
            root,
            vec![(xc, y0 - TICK - TICK_GAP - lh + 2), (xc, y1)],
            &INK,
            2,
        )?;
        let cut = format!("top {} cut-off", self.n_top);
        let half = (style::text_width(&cut, BODY_PX, true) / 2.0).ceil() as i32;
        let cx = xc.clamp(
            self.plot_x0 + half,
            (self.plot_x1 - half).max(self.plot_x0 + half),
        );
        let s = style::text(BODY_PX, true, &INK, HPos::Center, VPos::Bottom);
        text(root, &cut, (cx, y0 - TICK - TICK_GAP - lh), &s)?;

        // Rows.
        let label_style = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        for (i, (r, label)) in rows.iter().zip(&self.labels).enumerate() {
            let cy = y0 + i as i32 * ROW_H + ROW_H / 2;
            text(root, label, (self.label_right, cy), &label_style)?;
            self.draw_row(root, r, cy)?;
        }
        // Redraw the cut-off over the bars so it stays visible.
        dashed(root, (xc, y0), (xc, y1), &INK, 2, 4.0, 4.0)?;
        if let Some(note) = &self.note {
            rows::note_below_axis(root, note, y1)?;
        }
        Ok(())
    }

    fn draw_row(&self, root: &Root<'_>, r: &IntervalRow, cy: i32) -> Result<()> {
        let colour = stability_colour(r.p_top);
        let band_mid = self.band.map(|(b0, b1)| (b0 + b1) / 2);
        let tip = self.band.map(|(_, b1)| b1 - 4);
        let xa = match (r.lo, self.band) {
            (Some(lo), _) => self.axis.px(lo),
            (None, Some((b0, _))) => b0 + 4,
            (None, None) => return Ok(()), // unreachable: a None makes the band
        };
        match (r.hi, tip) {
            (Some(hi), _) => {
                let mut xb = self.axis.px(hi);
                let (mut a, b) = (xa, xb);
                if b - a < 4 {
                    let mid = (a + b) / 2;
                    a = mid - 2;
                    xb = mid + 2;
                }
                fill_rect(root, a, cy - BAR_HALF, xb, cy + BAR_HALF, &colour, 1.0)?;
            }
            (None, Some(tip)) => {
                fill_rect(
                    root,
                    xa,
                    cy - BAR_HALF,
                    tip - 8,
                    cy + BAR_HALF,
                    &colour,
                    1.0,
                )?;
                arrowhead(root, (tip, cy), 1, 9, 7, &colour)?;
            }
            (None, None) => {}
        }
        let xn = self.axis.px(f64::from(r.nominal));
        fill_rect(
            root,
            xn - 1,
            cy - TICK_HALF,
            xn + 1,
            cy + TICK_HALF,
            &INK,
            1.0,
        )?;
        match (r.median, band_mid) {
            (Some(m), _) => dot(root, (self.axis.px(m), cy), DOT_R, &INK, None),
            (None, Some(x)) => dot(root, (x, cy), DOT_R, &INK, None),
            (None, None) => Ok(()),
        }
    }
}

const COLUMN_HEADER: &str = "Published order";
const UNRANKED: &str = "unranked";

// The audit's figure: which results this chart shows and the sentence its title states.

/// Rank intervals of the nominal top N under a family.
pub fn figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let accounts = &res.data.accounts;
    let top_n = res.study.study.top_n;
    let rows: Vec<IntervalRow> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top)
        .map(|a| IntervalRow {
            label: accounts.label(a.account).to_string(),
            nominal: a.nominal_rank.expect("filtered"),
            median: a.median_rank.map(f64::from),
            lo: a.rank_q05.map(f64::from),
            hi: a.rank_q95.map(f64::from),
            p_top: a.p_top_n,
        })
        .collect();
    let stable = rows.iter().filter(|r| r.p_top >= 0.95).count();
    let what = crate::sensitivity::describe(&f.family, &f.universes);
    let title = match stable {
        0 => format!(
            "None of the top {} stays in the top {top_n} in at least 95 % of {what}",
            rows.len()
        ),
        1 => format!(
            "1 of the top {} stays in the top {top_n} in at least 95 % of {what}",
            rows.len()
        ),
        _ => format!(
            "{stable} of the top {} stay in the top {top_n} in at least 95 % of {what}",
            rows.len()
        ),
    };
    let subtitle = format!(
        "Ranking “{}”: original rank (tick), median rank (dot) and 5–95 % rank interval per account",
        f.ranking
    );
    let name = super::family_figure_name(res, f, "caterpillar");
    let stem = dir.join(&name);
    let files = caterpillar(&rows, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name,
        alt: format!(
            "Rank intervals of the {} accounts in the nominal top {top_n} of {:?} under {}; {stable} stay in the top {top_n} in at least 95 % of runs.",
            rows.len(),
            f.ranking,
            what
        ),
        title,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    /// A plausible 50-account audit: early ranks stable, later ones drifting out.
    pub(crate) fn synthetic(n: u32) -> Vec<IntervalRow> {
        (1..=n)
            .map(|i| {
                let f = f64::from(i);
                let spread = 1.0 + f * f / 40.0;
                let p_top = (1.05 - (f / f64::from(n)).powf(1.5)).clamp(0.02, 1.0);
                let open = i % 7 == 0 || i > n - 4;
                IntervalRow {
                    label: format!(
                        "@account_{i:02}{}",
                        if i % 9 == 0 {
                            "_with_a_longer_handle"
                        } else {
                            ""
                        }
                    ),
                    nominal: i,
                    median: if i == n { None } else { Some(f + spread * 0.2) },
                    lo: Some((f - spread * 0.4).max(1.0)),
                    hi: if open { None } else { Some(f + spread) },
                    p_top,
                }
            })
            .collect()
    }

    #[test]
    fn fifty_rows_render() {
        let dir = temp_dir("cat50");
        let title = "Only 18 of the published top 50 are there in 95% of re-runs";
        let paths = caterpillar(
            &synthetic(50),
            50,
            title,
            "Rank intervals over 1,000 bootstrap replicates of the follow graph",
            &dir.join("cat"),
        )
        .unwrap();
        let svg = check_pair(&paths, title, style::WIDTH);
        assert!(svg.contains("top 50 cut-off"));
        assert!(svg.contains("@account_01"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("catedge");
        // Empty: a "no data" chart.
        let p = caterpillar(&[], 50, "Nothing here", "", &dir.join("empty")).unwrap();
        let svg = check_pair(&p, "Nothing here", style::WIDTH);
        assert!(svg.contains("No accounts to show"));
        // One row, all intervals equal, degenerate spans.
        let one = IntervalRow {
            label: "solo".into(),
            nominal: 1,
            median: Some(1.0),
            lo: Some(1.0),
            hi: Some(1.0),
            p_top: 1.0,
        };
        check_pair(
            &caterpillar(std::slice::from_ref(&one), 1, "One", "", &dir.join("one")).unwrap(),
            "One",
            style::WIDTH,
        );
        let same: Vec<IntervalRow> = (1..=5)
            .map(|i| IntervalRow {
                nominal: i,
                ..one.clone()
            })
            .collect();
        check_pair(
            &caterpillar(&same, 3, "Same", "", &dir.join("same")).unwrap(),
            "Same",
            style::WIDTH,
        );
        // Everything unranked, an empty label, a huge rank (log axis), markup in labels.
        let odd = vec![
            IntervalRow {
                label: String::new(),
                nominal: 1,
                median: None,
                lo: None,
                hi: None,
                p_top: 0.0,
            },
            IntervalRow {
                label: "<b>&amp;\n".into(),
                nominal: 2,
                median: Some(900.0),
                lo: Some(2.0),
                hi: None,
                p_top: 0.3,
            },
        ];
        check_pair(
            &caterpillar(&odd, 2, "Odd & <ends>", "", &dir.join("odd")).unwrap(),
            "Odd & <ends>",
            style::WIDTH,
        );
        // Impossible input is an error, not a panic.
        let nan = IntervalRow {
            median: Some(f64::NAN),
            ..one.clone()
        };
        assert!(caterpillar(&[nan], 1, "t", "", &dir.join("nan")).is_err());
        let inverted = IntervalRow {
            lo: Some(5.0),
            hi: Some(2.0),
            median: Some(3.0),
            ..one.clone()
        };
        assert!(caterpillar(&[inverted], 1, "t", "", &dir.join("inv")).is_err());
        let p_nan = IntervalRow {
            p_top: f64::NAN,
            ..one.clone()
        };
        assert!(caterpillar(&[p_nan], 1, "t", "", &dir.join("pnan")).is_err());
        let contradiction = IntervalRow {
            median: None,
            ..one.clone()
        };
        assert!(caterpillar(&[contradiction], 1, "t", "", &dir.join("contra")).is_err());
        assert!(caterpillar(std::slice::from_ref(&one), 0, "t", "", &dir.join("n0")).is_err());
        let zero = IntervalRow {
            nominal: 0,
            ..one.clone()
        };
        assert!(caterpillar(&[zero], 1, "t", "", &dir.join("zero")).is_err());
        let many: Vec<IntervalRow> = (1..=MAX_ROWS as u32 + 1)
            .map(|i| IntervalRow {
                nominal: i,
                ..one.clone()
            })
            .collect();
        // Too many rows: the first MAX_ROWS are drawn, with a note.
        let p = caterpillar(&many, 50, "Many", "", &dir.join("many")).unwrap();
        let svg = check_pair(&p, "Many", style::WIDTH);
        assert!(svg.contains(&format!(
            "Showing the first {MAX_ROWS} of {} accounts",
            MAX_ROWS + 1
        )));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn the_largest_table_fits_the_size_limit() {
        let rows = synthetic(MAX_ROWS as u32);
        let refs: Vec<&IntervalRow> = rows.iter().collect();
        let layout = Layout::new(&refs, 50, "t", "s", &REPLICATES);
        let with_note = layout.height + style::line_height(BODY_PX) + 4;
        assert!(u64::from(style::WIDTH) * with_note as u64 <= super::super::MAX_AREA);
    }

    #[test]
    fn sixty_rows_and_a_log_axis_render() {
        let dir = temp_dir("cat60");
        let mut rows = synthetic(60);
        for r in rows.iter_mut().skip(40) {
            r.hi = r.hi.map(|h| h * 12.0);
        }
        let p = caterpillar(
            &rows,
            60,
            "Sixty rows",
            "Some intervals reach rank 700",
            &dir.join("cat60"),
        )
        .unwrap();
        let svg = check_pair(&p, "Sixty rows", style::WIDTH);
        assert!(svg.contains("log scale"));
        std::fs::remove_dir_all(dir).ok();
    }
}
