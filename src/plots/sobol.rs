//! Sobol bars with intervals: per factor of the multiverse's Sobol design, the
//! first-order and total Sobol index of the covered accounts' ranks, each a bar from 0
//! with its 95 % bootstrap interval as a whisker, over a shaded "noise floor" band from
//! 0 to the dummy factor's upper bound (a factor whose bars stay inside it is
//! indistinguishable from a choice that changes nothing).
//!
//! One row per factor, sorted by total index (largest on top, ties in input order),
//! in the row-chart frame of [`super::rows`]. The x axis is linear from 0 (or the most
//! negative bound: small negative estimates happen with sampling noise).
//!
//! Input rules: no factors draws a "no data" chart. It is an error when a value is NaN
//! or infinite, or there are more than [`MAX_FACTORS`] factors.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::kit;
use super::legend::{Key, Legend, WIDE};
use super::rows::{self, Frame, RowLabels};
use super::style::{self, AXIS, AXIS_TITLE_PX, BODY_PX, INK, MARGIN, okabe_ito};
use super::{Axis, Header, Root, fill_rect, line, text};
use crate::results::{Figure, Results};
use crate::sensitivity::sobol::Interval;
use crate::sensitivity::sobol_multiverse::{RANKS, SobolResult};

/// The indices of one factor.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorIndices {
    pub factor: String,
    pub first: Interval,
    pub total: Interval,
}

/// Most factors drawn.
pub const MAX_FACTORS: usize = 100;

const ROW_H: i32 = 44;
const BAR_H: i32 = 13;
const LABEL_MAX_W: f64 = 200.0;
const FIRST: plotters::style::RGBColor = okabe_ito::SKY_BLUE;
const TOTAL: plotters::style::RGBColor = okabe_ito::BLUE;
const FLOOR_ALPHA: f64 = 0.35;

/// Draws the bars to `stem.png` and `stem.svg` (see the module docs). `floor`: the
/// dummy factor's upper bound (None: no band).
pub fn sobol_bars(
    factors: &[FactorIndices],
    floor: Option<f64>,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if factors.is_empty() {
        return super::no_data(stem, title, subtitle, "No factors to compare.");
    }
    ensure!(
        factors.len() <= MAX_FACTORS,
        "{} factors is too many (at most {MAX_FACTORS})",
        factors.len()
    );
    for f in factors {
        for (v, what) in [
            (f.first.estimate, "first-order index"),
            (f.first.lower, "first-order lower bound"),
            (f.first.upper, "first-order upper bound"),
            (f.total.estimate, "total index"),
            (f.total.lower, "total lower bound"),
            (f.total.upper, "total upper bound"),
        ] {
            kit::finite(v, &format!("{what} of {:?}", f.factor))?;
        }
    }
    if let Some(v) = floor {
        kit::finite(v, "the dummy's upper bound")?;
    }
    let mut sorted: Vec<&FactorIndices> = factors.iter().collect();
    sorted.sort_by(|a, b| b.total.estimate.total_cmp(&a.total.estimate));
    let layout = Layout::new(&sorted, floor, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &sorted)
    })
}

struct Layout {
    frame: Frame,
    labels: RowLabels,
    axis: Axis,
    ticks: Vec<f64>,
    tick_decimals: usize,
    floor: Option<f64>,
    plot_x0: i32,
    plot_x1: i32,
    height: i32,
}

fn values(r: &FactorIndices) -> [f64; 6] {
    [
        r.first.estimate,
        r.first.lower,
        r.first.upper,
        r.total.estimate,
        r.total.lower,
        r.total.upper,
    ]
}

impl Layout {
    fn new(rows: &[&FactorIndices], floor: Option<f64>, title: &str, subtitle: &str) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let mut keys = vec![
            (
                Key::Bar(FIRST),
                "first order (the choice alone)".to_string(),
            ),
            (Key::Bar(TOTAL), "total (with its interactions)".to_string()),
            (
                Key::Line(INK, 1, vec![]),
                "95 % bootstrap interval".to_string(),
            ),
        ];
        if floor.is_some() {
            keys.push((
                Key::Band(kit::CONTEXT, FLOOR_ALPHA),
                "noise floor (a dummy choice's upper bound)".to_string(),
            ));
        }
        let legend = Legend::new(keys, MARGIN, width - 2 * MARGIN, WIDE);
        let labels = RowLabels::new(rows.iter().map(|r| r.factor.as_str()), LABEL_MAX_W, 30);
        let value_w = style::text_width("0.00", BODY_PX, false).ceil() as i32;
        let all = || rows.iter().flat_map(|r| values(r)).chain(floor);
        let lo = all().fold(0.0, f64::min);
        let hi = all().fold(0.0, f64::max).max(0.1);
        let neg_room = if lo < 0.0 { 6 } else { 0 };
        // A whisker a hair below 0 (sampling noise) does not earn a negative tick: it
        // reaches into the few pixels of room left of the axis.
        let lo = if lo > -0.02 * hi { 0.0 } else { lo };
        let plot_x0 = labels.right + 14 + neg_room;
        let plot_x1 = width - MARGIN - value_w - 8;
        let (a, b, step, ticks) = kit::linear_ticks(lo, hi, f64::from(plot_x1 - plot_x0), 70.0);
        let axis = Axis::linear(a.min(0.0), b.max(a + step), plot_x0, plot_x1);
        let ticks: Vec<f64> = ticks
            .into_iter()
            .filter(|&t| t >= a.min(0.0) - 1e-12)
            .collect();
        let frame = Frame::new(header, vec![legend], 0);
        let height = frame.height(rows.len() as i32 * ROW_H, rows::bottom_axis_height());
        Self {
            frame,
            labels,
            axis,
            ticks,
            tick_decimals: kit::step_decimals(step),
            floor,
            plot_x0,
            plot_x1,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, rows: &[&FactorIndices]) -> Result<()> {
        self.frame.draw(root)?;
        let (y0, y1) = (
            self.frame.rows_y,
            self.frame.rows_y + rows.len() as i32 * ROW_H,
        );
        rows::zebra(root, y0, ROW_H, rows.len(), style::WIDTH as i32 - MARGIN)?;
        rows::grid(root, self.ticks.iter().map(|&t| self.axis.px(t)), y0, y1)?;
        let zero = self.axis.px(0.0);
        if let Some(f) = self.floor {
            let x = self.axis.px(f.max(0.0));
            fill_rect(
                root,
                zero,
                y0,
                x.max(zero + 1),
                y1,
                &kit::CONTEXT,
                FLOOR_ALPHA,
            )?;
        }
        let value = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Center);
        for (i, r) in rows.iter().enumerate() {
            let cy = y0 + i as i32 * ROW_H + ROW_H / 2;
            self.labels.draw(root, i, cy)?;
            for (iv, colour, bar_top) in
                [(r.first, FIRST, cy - BAR_H - 2), (r.total, TOTAL, cy + 2)]
            {
                let x = self.axis.px(iv.estimate);
                let (a, b) = if x >= zero {
                    (zero, x.max(zero + 1))
                } else {
                    (x, zero)
                };
                fill_rect(root, a, bar_top, b, bar_top + BAR_H, &colour, 1.0)?;
                let my = bar_top + BAR_H / 2;
                let (wl, wh) = (self.axis.px(iv.lower), self.axis.px(iv.upper));
                line(root, vec![(wl, my), (wh, my)], &INK, 1)?;
                for wx in [wl, wh] {
                    line(root, vec![(wx, my - 4), (wx, my + 4)], &INK, 1)?;
                }
                let right = b.max(wh) + 5;
                text(root, &kit::fmt(iv.estimate, 2), (right, my), &value)?;
            }
        }
        line(root, vec![(zero, y0), (zero, y1)], &AXIS, 1)?;
        line(root, vec![(self.plot_x0, y1), (self.plot_x1, y1)], &AXIS, 1)?;
        rows::bottom_ticks(
            root,
            self.ticks
                .iter()
                .map(|&t| (self.axis.px(t), kit::fmt(t, self.tick_decimals))),
            y1,
        )?;
        let title = style::ellipsize(
            "Sobol index: share of the variance of ranks",
            AXIS_TITLE_PX,
            false,
            f64::from(self.plot_x1 - self.plot_x0),
        );
        rows::axis_title(root, &title, (self.plot_x0 + self.plot_x1) / 2, y1)
    }
}

/// The title's finding, from the `ranks` rows of `sobol_indices`: the factor with the
/// largest total index and its interval, and the one with the smallest where its
/// interval reaches the noise floor or below 0.05.
pub fn title(sb: &SobolResult) -> Option<String> {
    let o = sb.outputs.iter().find(|o| o.output == RANKS)?;
    let f = o.factors.as_ref()?;
    let by_total = |a: &&(usize, &(Interval, Interval)), b: &&(usize, &(Interval, Interval))| {
        a.1.1.estimate.total_cmp(&b.1.1.estimate)
    };
    let indexed: Vec<(usize, &(Interval, Interval))> = f.iter().enumerate().collect();
    let (top, (_, t)) = indexed.iter().max_by(by_total)?;
    let mut s = format!(
        "The {} drives the ranks most: total Sobol index {:.2} (95 % {:.2}–{:.2})",
        sb.factors[*top], t.estimate, t.lower, t.upper
    );
    let floor = o.dummy.map_or(0.0, |d| d.0.upper.max(d.1.upper));
    if let Some((low, (_, lt))) = indexed.iter().min_by(by_total)
        && low != top
        && lt.lower <= floor.max(0.05)
    {
        s.push_str(&format!(
            "; the choice of {} matters little ({:.2})",
            sb.factors[*low], lt.estimate
        ));
    }
    Some(s)
}

/// The Sobol bars of the multiverse's Sobol design, if it ran and its ranks vary.
pub fn figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let Some(sb) = res.multiverse.as_ref().and_then(|m| m.sobol.as_ref()) else {
        return Ok(None);
    };
    let Some(o) = sb.outputs.iter().find(|o| o.output == RANKS) else {
        return Ok(None);
    };
    let (Some(f), Some(title)) = (o.factors.as_ref(), title(sb)) else {
        return Ok(None);
    };
    let rows: Vec<FactorIndices> = sb
        .factors
        .iter()
        .zip(f)
        .map(|(name, (first, total))| FactorIndices {
            factor: name.clone(),
            first: *first,
            total: *total,
        })
        .collect();
    let floor = o.dummy.map(|d| d.0.upper.max(d.1.upper));
    let subtitle = format!(
        "Share of the variance of the top {}'s ranks each choice explains, over {} Sobol-sampled universes (N = {})",
        res.study.study.top_n, sb.universes, sb.spec.samples
    );
    let name = "sobol".to_string();
    let files = sobol_bars(&rows, floor, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Sobol bars with intervals. {title}."),
        name,
        title,
        files,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn iv(e: f64, l: f64, u: f64) -> Interval {
        Interval {
            estimate: e,
            lower: l,
            upper: u,
        }
    }

    fn f(name: &str, s: f64, t: f64) -> FactorIndices {
        FactorIndices {
            factor: name.into(),
            first: iv(s, s - 0.05, s + 0.05),
            total: iv(t, t - 0.06, t + 0.07),
        }
    }

    #[test]
    fn bars_render_with_whiskers_and_floor() {
        let dir = temp_dir("sobol");
        let title = "The seed list drives the ranks most";
        let rows = vec![
            f("seed list", 0.33, 0.65),
            f("threshold k", 0.17, 0.45),
            f("missing tweet counts", -0.01, 0.01),
        ];
        let p = sobol_bars(&rows, Some(0.08), title, "sub", &dir.join("s")).unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("0.65") && svg.contains("noise floor"));
        let p = sobol_bars(&[], None, "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No factors"));
        let bad = vec![f("x", f64::NAN, 0.1)];
        assert!(sobol_bars(&bad, None, "t", "", &dir.join("x")).is_err());
        let many: Vec<FactorIndices> = (0..=MAX_FACTORS).map(|i| f("f", 0.1, i as f64)).collect();
        assert!(sobol_bars(&many, None, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
