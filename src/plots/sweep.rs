//! Threshold sweep: what the league table would look like at every threshold
//! k = 1..|S| ("follows at least k of the seed accounts").
//!
//! Two stacked panels share x = k (integer ticks). Top: how many accounts qualify,
//! on a log10 axis when the positive counts span more than two decades (zeros then
//! sit on a separate "0" line below a gap, joined by dashed segments), else linear
//! from 0; a dashed line marks N (below it the top N is not even full). Bottom:
//! Jaccard overlap of the top N at k with the published top N (0..1); a missing
//! value is a grey band ("no top N to compare") instead of a point. The published k (points with `nominal`) is a pale yellow
//! band through both panels, its points drawn larger in vermillion.
//!
//! Input rules: no points draws a "no data" chart. It is an error when `n_top` is 0,
//! two points share a k, there are more than [`MAX_POINTS`] points, or a Jaccard
//! value is NaN or outside 0..=1.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{Key, Legend, NARROW};
use super::style::{
    self, AXIS, AXIS_TITLE_PX, BAD, BODY_PX, GAP, GRID, HIGHLIGHT, INK, MARGIN, MUTED, SERIES,
    TICK, TICK_GAP,
};
use super::{Axis, Header, Root, dashed, dot, fill_rect, line, log_ticks, nice_step, text};
use crate::results::{FamilyResult, Figure, Results};

/// The league table at one threshold k.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// Minimum number of seed accounts followed.
    pub k: u32,
    /// Accounts that follow at least k seeds.
    pub n_qualified: u32,
    /// Jaccard similarity of the top N at this k with the published top N;
    /// `None` when it is undefined (e.g. nobody qualifies).
    pub jaccard_top_n: Option<f64>,
    /// Whether this is the published threshold.
    pub nominal: bool,
}

/// Most points drawn.
pub const MAX_POINTS: usize = 2000;

const TOP_H: i32 = 200;
const BOTTOM_H: i32 = 150;
/// Gap, in px, between the "0" line and the lowest decade of a log axis.
const ZERO_GAP: i32 = 24;
/// Background of k values with no Jaccard value.
const NO_TOP: plotters::style::RGBColor = plotters::style::RGBColor(0xC8, 0xC8, 0xC8);

/// Draws the sweep chart to `stem.png` and `stem.svg` (see the module docs).
pub fn threshold_sweep(
    points: &[SweepPoint],
    n_top: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(n_top >= 1, "n_top must be at least 1");
    if points.is_empty() {
        return super::no_data(
            stem,
            title,
            subtitle,
            "No thresholds to show: the sweep is empty.",
        );
    }
    ensure!(
        points.len() <= MAX_POINTS,
        "{} points is too many for one sweep chart (at most {MAX_POINTS})",
        points.len()
    );
    let mut pts: Vec<&SweepPoint> = points.iter().collect();
    pts.sort_by_key(|p| p.k);
    for w in pts.windows(2) {
        ensure!(
            w[0].k != w[1].k,
            "threshold k = {} appears twice in the sweep",
            w[0].k
        );
    }
    for p in &pts {
        if let Some(j) = p.jaccard_top_n {
            ensure!(
                j.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&j),
                "Jaccard {j} at k = {} is not in 0..=1",
                p.k
            );
        }
    }
    let layout = Layout::new(&pts, n_top, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &pts)
    })
}

/// The y scale of the top panel.
struct CountAxis {
    axis: Axis,
    ticks: Vec<f64>,
    /// Pixel row of the "0" line when the axis is log and some counts are 0.
    zero_y: Option<i32>,
}

impl CountAxis {
    fn new(counts: &[u32], y_top: i32, y_bottom: i32) -> Self {
        let max = counts.iter().copied().max().unwrap_or(0);
        let min_pos = counts.iter().copied().filter(|&c| c > 0).min();
        let min_gap = style::line_height(BODY_PX) as f64 + 6.0;
        match min_pos {
            Some(lo) if f64::from(max) / f64::from(lo) > 100.0 => {
                let has_zero = counts.contains(&0);
                let bottom = if has_zero {
                    y_bottom - ZERO_GAP
                } else {
                    y_bottom
                };
                let lo = 10f64.powf(f64::from(lo).log10().floor());
                let hi = (f64::from(max) * 1.3).max(lo * 10.0);
                let axis = Axis::log(lo, hi, bottom, y_top);
                let ticks = log_ticks(&axis, min_gap);
                Self {
                    axis,
                    ticks,
                    zero_y: has_zero.then_some(y_bottom),
                }
            }
            _ => {
                let max = f64::from(max.max(1));
                let mut step = nice_step(max / 4.0).max(1.0);
                let top = |step: f64| ((max * 1.05) / step).ceil() * step;
                while f64::from(y_bottom - y_top) * step / top(step) < min_gap && step < 1e12 {
                    step = nice_step(step * 1.01);
                }
                let hi = top(step);
                let axis = Axis::linear(0.0, hi, y_bottom, y_top);
                let n = (hi / step).round() as usize;
                let ticks = (0..=n).map(|i| i as f64 * step).collect();
                Self {
                    axis,
                    ticks,
                    zero_y: None,
                }
            }
        }
    }

    fn y(&self, count: u32) -> i32 {
        match self.zero_y {
            Some(z) if count == 0 => z,
            _ => self.axis.px(f64::from(count)),
        }
    }

    fn labels(&self) -> Vec<(f64, String)> {
        let mut v: Vec<(f64, String)> = self
            .ticks
            .iter()
            .map(|&t| (self.axis.px_f(t), style::thousands(t.round() as u64)))
            .collect();
        if let Some(z) = self.zero_y {
            v.push((f64::from(z), "0".to_string()));
        }
        v
    }
}

struct Layout {
    header: Header,
    legend: Option<Legend>,
    top_heading: String,
    bottom_heading: String,
    x: Axis,
    x_ticks: Vec<u32>,
    counts: CountAxis,
    jaccard: Axis,
    n_top: u32,
    plot_x0: i32,
    plot_x1: i32,
    legend_y: i32,
    top_y: i32,
    bottom_y: i32,
    height: i32,
}

impl Layout {
    fn new(pts: &[&SweepPoint], n_top: u32, title: &str, subtitle: &str) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let nominal: Vec<u32> = pts.iter().filter(|p| p.nominal).map(|p| p.k).collect();
        let mut items = Vec::new();
        if !nominal.is_empty() {
            let ks = nominal
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            items.push((
                Key::Band(HIGHLIGHT, 0.45),
                format!("original threshold, k = {ks}"),
            ));
            items.push((Key::Dot(BAD), "values at the original k".to_string()));
        }
        if pts.iter().any(|p| p.jaccard_top_n.is_none()) {
            items.push((
                Key::Band(NO_TOP, 0.45),
                format!("no top {n_top} to compare"),
            ));
        }
        let legend =
            (!items.is_empty()).then(|| Legend::new(items, MARGIN, width - 2 * MARGIN, NARROW));
        let lh_axis = style::line_height(AXIS_TITLE_PX);
        let legend_y = header.height();
        let top_y = legend_y + legend.as_ref().map_or(0, |l| l.height() + GAP) + lh_axis + 8;
        let bottom_y = top_y + TOP_H + 28 + lh_axis + 8;
        let height = bottom_y
            + BOTTOM_H
            + TICK
            + TICK_GAP
            + style::line_height(BODY_PX)
            + 8
            + lh_axis
            + MARGIN;

        let counts: Vec<u32> = pts.iter().map(|p| p.n_qualified).collect();
        let count_axis = CountAxis::new(&counts, top_y, top_y + TOP_H);
        let jaccard = Axis::linear(0.0, 1.0, bottom_y + BOTTOM_H, bottom_y);
        let label_w = count_axis
            .labels()
            .iter()
            .map(|(_, s)| style::text_width(s, BODY_PX, false))
            .chain(
                ["0.75"]
                    .iter()
                    .map(|s| style::text_width(s, BODY_PX, false)),
            )
            .fold(0.0, f64::max)
            .ceil() as i32;
        let plot_x0 = MARGIN + label_w + TICK_GAP + 4;
        let plot_x1 = width - MARGIN - 4;

        let (k0, k1) = (
            pts.first().map_or(1, |p| p.k),
            pts.last().map_or(1, |p| p.k),
        );
        // At least 6 k wide, so one k's band never fills the panel.
        let (mut xlo, mut xhi) = (f64::from(k0) - 0.5, f64::from(k1) + 0.5);
        if xhi - xlo < 6.0 {
            let mid = (xlo + xhi) / 2.0;
            (xlo, xhi) = (mid - 3.0, mid + 3.0);
        }
        let x = Axis::linear(xlo, xhi, plot_x0, plot_x1);
        let min_gap = style::text_width(&k1.to_string(), BODY_PX, false) + 14.0;
        let mut step = 1.0;
        while (x.px_f(step) - x.px_f(0.0)).abs() < min_gap && step < 1e9 {
            step = nice_step(step * 1.01);
        }
        let step = (step as u64).max(1);
        let first = u64::from(k0).div_ceil(step) * step;
        let x_ticks = (0..1000u64)
            .map(|i| first + i * step)
            .take_while(|&t| t <= u64::from(k1))
            .filter_map(|t| u32::try_from(t).ok())
            .collect();

        let scale = if count_axis.axis.log {
            " (log scale)"
        } else {
            ""
        };
        let max_heading = f64::from(plot_x1 - MARGIN);
        let top_heading = style::ellipsize(
            &format!("Accounts following at least k seed accounts{scale}"),
            AXIS_TITLE_PX,
            false,
            max_heading,
        );
        let bottom_heading = style::ellipsize(
            &format!(
                "Overlap of the top {n_top} at k with the original top {n_top} (Jaccard; 1 = same accounts)"
            ),
            AXIS_TITLE_PX,
            false,
            max_heading,
        );
        Self {
            header,
            legend,
            top_heading,
            bottom_heading,
            x,
            x_ticks,
            counts: count_axis,
            jaccard,
            n_top,
            plot_x0,
            plot_x1,
            legend_y,
            top_y,
            bottom_y,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, pts: &[&SweepPoint]) -> Result<()> {
        self.header.draw(root)?;
        if let Some(l) = &self.legend {
            l.draw(root, self.legend_y)?;
        }
        let lh_axis = style::line_height(AXIS_TITLE_PX);
        let heading = style::text(AXIS_TITLE_PX, false, &INK, HPos::Left, VPos::Top);
        let tick_label = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Center);
        let panels = [
            (self.top_y, TOP_H, &self.top_heading),
            (self.bottom_y, BOTTOM_H, &self.bottom_heading),
        ];

        // Background bands: the published k in both panels, k without a Jaccard
        // value in the bottom one. Adjacent bands share edges (no seams).
        let band = |k: u32, min_w: i32| {
            let (mut a, mut b) = (self.x.px(f64::from(k) - 0.5), self.x.px(f64::from(k) + 0.5));
            if b - a < min_w {
                let mid = (a + b) / 2;
                (a, b) = (mid - min_w / 2, mid + min_w / 2);
            }
            (a.max(self.plot_x0), b.min(self.plot_x1))
        };
        for p in pts.iter().filter(|p| p.nominal) {
            let (a, b) = band(p.k, 12);
            for &(y, h, _) in &panels {
                fill_rect(root, a, y, b, y + h, &HIGHLIGHT, 0.45)?;
            }
        }
        for p in pts.iter().filter(|p| p.jaccard_top_n.is_none()) {
            let (a, b) = band(p.k, 2);
            fill_rect(
                root,
                a,
                self.bottom_y,
                b,
                self.bottom_y + BOTTOM_H,
                &NO_TOP,
                0.45,
            )?;
        }

        for &(y, h, title) in &panels {
            text(root, title, (MARGIN, y - lh_axis - 8), &heading)?;
            for &t in &self.x_ticks {
                let x = self.x.px(f64::from(t));
                line(root, vec![(x, y), (x, y + h)], &GRID, 1)?;
            }
        }

        // Top panel: counts.
        let (y0, y1) = (self.top_y, self.top_y + TOP_H);
        for (py, s) in self.counts.labels() {
            let py = py.round() as i32;
            line(root, vec![(self.plot_x0, py), (self.plot_x1, py)], &GRID, 1)?;
            text(root, &s, (self.plot_x0 - TICK_GAP - 4, py), &tick_label)?;
        }
        line(root, vec![(self.plot_x0, y1), (self.plot_x1, y1)], &AXIS, 1)?;
        let n = f64::from(self.n_top);
        let ax = &self.counts.axis;
        if n >= ax.lo.min(ax.hi) && n <= ax.lo.max(ax.hi) {
            let yn = ax.px(n);
            dashed(
                root,
                (self.plot_x0, yn),
                (self.plot_x1, yn),
                &MUTED,
                1,
                6.0,
                4.0,
            )?;
            let s = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Bottom);
            let ny = if yn - y0 < 20 { yn + 20 } else { yn - 3 };
            text(
                root,
                &format!("N = {}", style::thousands(u64::from(self.n_top))),
                (self.plot_x1 - 4, ny),
                &s,
            )?;
        }
        let count_pts: Vec<(i32, i32, bool)> = pts
            .iter()
            .map(|p| {
                (
                    self.x.px(f64::from(p.k)),
                    self.counts.y(p.n_qualified),
                    p.n_qualified == 0,
                )
            })
            .collect();
        for w in count_pts.windows(2) {
            let ((xa, ya, za), (xb, yb, zb)) = (w[0], w[1]);
            if self.counts.zero_y.is_some() && za != zb {
                dashed(root, (xa, ya), (xb, yb), &SERIES, 2, 4.0, 3.0)?;
            } else {
                line(root, vec![(xa, ya), (xb, yb)], &SERIES, 2)?;
            }
        }
        let r = self.marker_radius(pts.len());
        for (p, &(x, y, _)) in pts.iter().zip(&count_pts) {
            self.marker(root, (x, y), r, p.nominal)?;
        }

        // Bottom panel: Jaccard.
        let b1 = self.bottom_y + BOTTOM_H;
        for (t, s) in [
            (0.0, "0"),
            (0.25, "0.25"),
            (0.5, "0.5"),
            (0.75, "0.75"),
            (1.0, "1"),
        ] {
            let py = self.jaccard.px(t);
            line(root, vec![(self.plot_x0, py), (self.plot_x1, py)], &GRID, 1)?;
            text(root, s, (self.plot_x0 - TICK_GAP - 4, py), &tick_label)?;
        }
        line(root, vec![(self.plot_x0, b1), (self.plot_x1, b1)], &AXIS, 1)?;
        let jac: Vec<Option<(i32, i32)>> = pts
            .iter()
            .map(|p| {
                p.jaccard_top_n.map(|j| {
                    (
                        self.x.px(f64::from(p.k)),
                        self.jaccard.px(j.clamp(0.0, 1.0)),
                    )
                })
            })
            .collect();
        for (w, kw) in jac.windows(2).zip(pts.windows(2)) {
            if let (Some(a), Some(b)) = (w[0], w[1])
                && kw[1].k == kw[0].k + 1
            {
                line(root, vec![a, b], &SERIES, 2)?;
            }
        }
        for (p, j) in pts.iter().zip(&jac) {
            if let Some(c) = j {
                self.marker(root, *c, r, p.nominal)?;
            }
        }
        // Shared x axis under the bottom panel.
        let tick_x = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
        for &t in &self.x_ticks {
            let x = self.x.px(f64::from(t));
            line(root, vec![(x, b1), (x, b1 + TICK)], &AXIS, 1)?;
            line(root, vec![(x, y1), (x, y1 + TICK)], &AXIS, 1)?;
            text(root, &t.to_string(), (x, b1 + TICK + TICK_GAP), &tick_x)?;
        }
        let s = style::text(AXIS_TITLE_PX, false, &INK, HPos::Center, VPos::Top);
        let title_y = b1 + TICK + TICK_GAP + style::line_height(BODY_PX) + 8;
        text(
            root,
            "k = minimum number of seed accounts followed",
            ((self.plot_x0 + self.plot_x1) / 2, title_y),
            &s,
        )
    }

    fn marker_radius(&self, n: usize) -> u32 {
        let spacing = f64::from(self.plot_x1 - self.plot_x0) / n.max(1) as f64;
        if spacing >= 14.0 {
            4
        } else if spacing >= 8.0 {
            3
        } else {
            0
        }
    }

    fn marker(&self, root: &Root<'_>, c: (i32, i32), r: u32, nominal: bool) -> Result<()> {
        if nominal {
            dot(root, c, 6, &BAD, Some(&style::BACKGROUND))
        } else if r > 0 {
            dot(root, c, r, &SERIES, None)
        } else {
            Ok(())
        }
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// Qualifiers and top-N overlap at every threshold.
pub fn figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let nominal_k = res
        .rankings
        .iter()
        .find(|(s, _)| s.name == f.ranking)
        .and_then(|(s, _)| crate::rankings::build(&s.method, &s.params).ok())
        .and_then(|m| m.seed_threshold())
        .map_or(0, |(_, k)| k as u32);
    let points: Vec<SweepPoint> = f
        .universes
        .iter()
        .zip(&f.diagnostics)
        .zip(&f.per_universe)
        .map(|((u, d), s)| {
            let k = u.x.unwrap_or(0.0) as u32;
            SweepPoint {
                k,
                n_qualified: d.get("qualified").copied().unwrap_or(0) as u32,
                jaccard_top_n: s.jaccard_top_n,
                nominal: k == nominal_k,
            }
        })
        .collect();
    let title = sweep_title(&points, nominal_k, top_n);
    let subtitle = format!(
        "Ranking “{}”: qualifiers and overlap of the top {top_n} with the original k = {nominal_k}",
        f.ranking
    );
    let stem = dir.join(crate::sensitivity::threshold::FAMILY);
    let files = threshold_sweep(&points, top_n, &title, &subtitle, &stem)?;
    Ok(Figure {
        name: crate::sensitivity::threshold::FAMILY.into(),
        alt: format!(
            "Number of qualifying accounts and Jaccard overlap of the top {top_n} with the original threshold, for k = 1 to {}.",
            points.len()
        ),
        title,
        files,
    })
}

/// The finding of a threshold sweep: how much of the top N one step of k changes.
fn sweep_title(points: &[SweepPoint], k: u32, top_n: u32) -> String {
    let at = |k: u32| {
        points
            .iter()
            .find(|p| p.k == k)
            .and_then(|p| p.jaccard_top_n)
    };
    let near: Vec<String> = [k.checked_sub(1), Some(k + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| at(j).map(|v| format!("{v:.2} at k = {j}")))
        .collect();
    let n_at = |k: u32| points.iter().find(|p| p.k == k).map(|p| p.n_qualified);
    match (near.is_empty(), n_at(k)) {
        (false, Some(q)) => format!(
            "One step from the original k = {k} ({q} qualify) already changes the top {top_n}: overlap {}",
            near.join(", ")
        ),
        _ => format!("Qualifiers and top-{top_n} overlap for every threshold k"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn synthetic(seeds: u32, nominal: u32, start: f64) -> Vec<SweepPoint> {
        (1..=seeds)
            .map(|k| {
                let n = (start * (-0.6 * f64::from(k - 1)).exp()).floor() as u32;
                SweepPoint {
                    k,
                    n_qualified: n,
                    jaccard_top_n: (n > 0).then(|| {
                        (1.0 - 0.12 * (f64::from(k) - f64::from(nominal)).abs()).clamp(0.0, 1.0)
                    }),
                    nominal: k == nominal,
                }
            })
            .collect()
    }

    #[test]
    fn log_sweep_with_zeros_renders() {
        let dir = temp_dir("sweeplog");
        let title = "Move the threshold by one and a third of the top 50 changes";
        let pts = synthetic(20, 5, 40_000.0);
        assert!(pts.iter().any(|p| p.n_qualified == 0));
        let p = threshold_sweep(
            &pts,
            50,
            title,
            "Accounts following at least k of 20 seed accounts",
            &dir.join("sweep"),
        )
        .unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("log scale"));
        assert!(svg.contains("original threshold, k = 5"));
        assert!(svg.contains("no top 50 to compare"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn linear_sweep_and_edges_render() {
        let dir = temp_dir("sweeplin");
        let pts = synthetic(8, 3, 300.0);
        let p = threshold_sweep(&pts, 50, "Linear", "", &dir.join("lin")).unwrap();
        assert!(!check_pair(&p, "Linear", style::WIDTH).contains("log scale"));
        // Empty: "no data". One point. All equal. Unsorted input. No nominal.
        let svg = check_pair(
            &threshold_sweep(&[], 50, "Empty", "", &dir.join("empty")).unwrap(),
            "Empty",
            style::WIDTH,
        );
        assert!(svg.contains("No thresholds"));
        let one = SweepPoint {
            k: 4,
            n_qualified: 0,
            jaccard_top_n: None,
            nominal: true,
        };
        check_pair(
            &threshold_sweep(std::slice::from_ref(&one), 50, "One", "", &dir.join("one")).unwrap(),
            "One",
            style::WIDTH,
        );
        let flat: Vec<SweepPoint> = (1..=5)
            .rev()
            .map(|k| SweepPoint {
                k,
                n_qualified: 7,
                jaccard_top_n: Some(1.0),
                nominal: false,
            })
            .collect();
        check_pair(
            &threshold_sweep(&flat, 50, "Flat", "", &dir.join("flat")).unwrap(),
            "Flat",
            style::WIDTH,
        );
        let many: Vec<SweepPoint> = (1..=400)
            .map(|k| SweepPoint {
                k,
                n_qualified: 400 - k,
                jaccard_top_n: Some(0.5),
                nominal: k == 200,
            })
            .collect();
        check_pair(
            &threshold_sweep(&many, 50, "Many", "", &dir.join("many")).unwrap(),
            "Many",
            style::WIDTH,
        );
        // Impossible input is an error.
        let nan = SweepPoint {
            jaccard_top_n: Some(f64::NAN),
            ..one.clone()
        };
        assert!(threshold_sweep(&[nan], 50, "t", "", &dir.join("nan")).is_err());
        let over = SweepPoint {
            jaccard_top_n: Some(1.5),
            ..one.clone()
        };
        assert!(threshold_sweep(&[over], 50, "t", "", &dir.join("over")).is_err());
        assert!(
            threshold_sweep(&[one.clone(), one.clone()], 50, "t", "", &dir.join("dup")).is_err()
        );
        assert!(threshold_sweep(&[one], 0, "t", "", &dir.join("n0")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
