//! Which arbitrary choice moves the ranks most: first-order and total effect of
//! each factor of the multiverse (e.g. Sobol indices of rank variance).
//!
//! One row per factor, sorted by total effect (largest on top, ties in input
//! order). Each row has two horizontal bars from 0: the first-order effect (sky
//! blue, upper) and the total effect including interactions (blue, lower), each
//! with its value printed at its end. The x axis is linear from 0 (or from the most
//! negative value: small negative estimates happen with sampling noise) and titled
//! `unit_label`.
//!
//! With intervals ([`variance_bars_with`]) each bar carries a whisker for its interval
//! and the value is printed past the whisker; a `floor` shades 0 to that value behind
//! the rows (the Sobol chart's noise floor: a dummy factor's upper bound).
//!
//! Input rules: no effects draws a "no data" chart. It is an error when a value is
//! NaN or infinite, or there are more than [`MAX_FACTORS`] factors.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::kit;
use super::legend::{Key, Legend, WIDE};
use super::rows::{self, Frame, RowLabels};
use super::style::{self, AXIS, AXIS_TITLE_PX, BODY_PX, INK, MARGIN, okabe_ito};
use super::{Axis, Header, Root, fill_rect, line, text};

/// The effect of one factor.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorEffect {
    /// Factor name (e.g. "Seed list", "Threshold k").
    pub factor: String,
    /// First-order effect (the factor alone).
    pub first_order: f64,
    /// Total effect (the factor with all its interactions).
    pub total: f64,
    /// Interval of the first-order effect (lower, upper), where there is one.
    pub first_ci: Option<(f64, f64)>,
    /// Interval of the total effect.
    pub total_ci: Option<(f64, f64)>,
}

impl FactorEffect {
    /// Every value drawn: the two estimates and their bounds.
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        [self.first_order, self.total]
            .into_iter()
            .chain(self.cis().flat_map(|(l, u)| [l, u]))
    }

    fn cis(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.first_ci.into_iter().chain(self.total_ci)
    }
}

/// Most factors drawn.
pub const MAX_FACTORS: usize = 100;

const ROW_H: i32 = 40;
const BAR_H: i32 = 13;
const LABEL_MAX_W: f64 = 200.0;
const FIRST: plotters::style::RGBColor = okabe_ito::SKY_BLUE;
const TOTAL: plotters::style::RGBColor = okabe_ito::BLUE;
const FLOOR_ALPHA: f64 = 0.35;

/// Draws the paired bars to `stem.png` and `stem.svg` (see the module docs).
pub fn variance_bars(
    effects: &[FactorEffect],
    unit_label: &str,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    variance_bars_with(effects, None, unit_label, title, subtitle, stem)
}

/// [`variance_bars`] with the effects' intervals as whiskers and, where `floor` is
/// given, a shaded noise floor from 0 to it.
pub fn variance_bars_with(
    effects: &[FactorEffect],
    floor: Option<f64>,
    unit_label: &str,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if effects.is_empty() {
        return super::no_data(stem, title, subtitle, "No factors to compare.");
    }
    ensure!(
        effects.len() <= MAX_FACTORS,
        "{} factors is too many (at most {MAX_FACTORS})",
        effects.len()
    );
    for e in effects {
        kit::finite(
            e.first_order,
            &format!("first-order effect of {:?}", e.factor),
        )?;
        kit::finite(e.total, &format!("total effect of {:?}", e.factor))?;
        for (l, u) in e.cis() {
            kit::finite(l, &format!("interval of {:?}", e.factor))?;
            kit::finite(u, &format!("interval of {:?}", e.factor))?;
        }
    }
    if let Some(v) = floor {
        kit::finite(v, "the noise floor")?;
    }
    let mut rows: Vec<&FactorEffect> = effects.iter().collect();
    rows.sort_by(|a, b| b.total.total_cmp(&a.total));
    let layout = Layout::new(&rows, floor, unit_label, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &rows)
    })
}

struct Layout {
    frame: Frame,
    labels: RowLabels,
    x_title: String,
    axis: Axis,
    ticks: Vec<f64>,
    tick_decimals: usize,
    decimals: usize,
    floor: Option<f64>,
    plot_x0: i32,
    plot_x1: i32,
    height: i32,
}

impl Layout {
    fn new(
        rows: &[&FactorEffect],
        floor: Option<f64>,
        unit_label: &str,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let mut keys = vec![
            (
                Key::Bar(FIRST),
                "first-order effect (the choice alone)".to_string(),
            ),
            (
                Key::Bar(TOTAL),
                "total effect (with its interactions)".to_string(),
            ),
        ];
        if rows.iter().any(|r| r.cis().next().is_some()) {
            keys.push((Key::Line(INK, 1, vec![]), "95 % interval".to_string()));
        }
        if floor.is_some() {
            keys.push((
                Key::Band(kit::CONTEXT, FLOOR_ALPHA),
                "noise floor (a dummy choice's upper bound)".to_string(),
            ));
        }
        let legend = Legend::new(keys, MARGIN, width - 2 * MARGIN, WIDE);
        let labels = RowLabels::new(rows.iter().map(|r| r.factor.as_str()), LABEL_MAX_W, 30);
        let label_right = labels.right;
        let plot_x0 = label_right + 14;

        let max_abs = rows
            .iter()
            .flat_map(|r| [r.first_order.abs(), r.total.abs()])
            .fold(0.0, f64::max);
        let drawn = || rows.iter().flat_map(|r| r.values()).chain(floor);
        let decimals = kit::decimals_for(max_abs).min(3);
        let value_w = rows
            .iter()
            .flat_map(|r| [r.first_order, r.total])
            .map(|v| style::text_width(&kit::fmt(v, decimals), BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0);
        let lo = rows
            .iter()
            .flat_map(|r| [r.first_order, r.total])
            .fold(0.0, f64::min);
        let hi = drawn().fold(0.0, f64::max);
        // A whisker a hair below 0 (sampling noise) does not earn a negative tick: it
        // reaches into the room left of the axis; one further below extends the axis.
        let lo_all = drawn().fold(0.0, f64::min);
        let lo = if lo_all < -0.02 * hi { lo_all } else { lo };
        let neg_room = if lo < 0.0 { value_w + 6 } else { 0 };
        let plot_x0 = plot_x0 + neg_room;
        let plot_x1 = width - MARGIN - value_w - 8;
        let (a, b, step, ticks) = kit::linear_ticks(lo, hi, f64::from(plot_x1 - plot_x0), 70.0);
        // The axis starts at 0 (or the negative tick) and ends at the last tick.
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
            x_title: style::ellipsize(
                &kit::clean(unit_label),
                AXIS_TITLE_PX,
                false,
                f64::from(width - 2 * MARGIN),
            ),
            axis,
            ticks,
            tick_decimals: kit::step_decimals(step),
            decimals,
            floor,
            plot_x0,
            plot_x1,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, rows: &[&FactorEffect]) -> Result<()> {
        self.frame.draw(root)?;
        let rows_y = self.frame.rows_y;
        let (y0, y1) = (rows_y, rows_y + rows.len() as i32 * ROW_H);
        rows::zebra(root, y0, ROW_H, rows.len(), style::WIDTH as i32 - MARGIN)?;
        rows::grid(root, self.ticks.iter().map(|&t| self.axis.px(t)), y0, y1)?;
        let zero = self.axis.px(0.0);
        if let Some(f) = self.floor {
            let x = self.axis.px(f.max(0.0)).max(zero + 1);
            fill_rect(root, zero, y0, x, y1, &kit::CONTEXT, FLOOR_ALPHA)?;
        }
        let value_right = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Center);
        let value_left = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        for (i, r) in rows.iter().enumerate() {
            let top = y0 + i as i32 * ROW_H;
            let cy = top + ROW_H / 2;
            self.labels.draw(root, i, cy)?;
            for (v, ci, colour, bar_top) in [
                (r.first_order, r.first_ci, FIRST, cy - BAR_H - 1),
                (r.total, r.total_ci, TOTAL, cy + 1),
            ] {
                let x = self.axis.px(v);
                let (a, b) = if x >= zero {
                    (zero, x.max(zero + 1))
                } else {
                    (x, zero)
                };
                fill_rect(root, a, bar_top, b, bar_top + BAR_H, &colour, 1.0)?;
                let s = kit::fmt(v, self.decimals);
                let ty = bar_top + BAR_H / 2;
                let (mut a, mut b) = (a, b);
                if let Some((l, u)) = ci {
                    let (wl, wh) = (self.axis.px(l), self.axis.px(u));
                    line(root, vec![(wl, ty), (wh, ty)], &INK, 1)?;
                    for wx in [wl, wh] {
                        line(root, vec![(wx, ty - 4), (wx, ty + 4)], &INK, 1)?;
                    }
                    (a, b) = (a.min(wl), b.max(wh));
                }
                if v >= 0.0 {
                    text(root, &s, (b + 5, ty), &value_right)?;
                } else {
                    text(root, &s, (a - 5, ty), &value_left)?;
                }
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
        rows::axis_title(root, &self.x_title, (self.plot_x0 + self.plot_x1) / 2, y1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn effect(f: &str, a: f64, t: f64) -> FactorEffect {
        FactorEffect {
            factor: f.into(),
            first_order: a,
            total: t,
            first_ci: None,
            total_ci: None,
        }
    }

    #[test]
    fn intervals_and_floor_render() {
        let dir = temp_dir("var-ci");
        let title = "The seed list drives the ranks most";
        let with = |f: &str, a: f64, t: f64| FactorEffect {
            first_ci: Some((a - 0.05, a + 0.05)),
            total_ci: Some((t - 0.06, t + 0.07)),
            ..effect(f, a, t)
        };
        let rows = vec![with("seed list", 0.33, 0.65), with("missing", -0.01, 0.01)];
        let p = variance_bars_with(&rows, Some(0.08), "Sobol index", title, "", &dir.join("s"))
            .unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(
            svg.contains("0.65") && svg.contains("noise floor") && svg.contains("95 % interval")
        );
        let plain = check_pair(
            &variance_bars(&rows[..1], "u", title, "", &dir.join("p")).unwrap(),
            title,
            style::WIDTH,
        );
        assert!(
            plain.contains("95 % interval"),
            "intervals are the effects'"
        );
        assert!(!plain.contains("noise floor"));
        let bad = vec![FactorEffect {
            total_ci: Some((0.0, f64::NAN)),
            ..effect("x", 0.1, 0.2)
        }];
        assert!(variance_bars(&bad, "u", "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bars_render() {
        let dir = temp_dir("var");
        let rows = vec![
            effect("Seed list", 0.12, 0.20),
            effect(
                "Ranking score (followers, tweets, PageRank, replies)",
                0.41,
                0.58,
            ),
            effect("Threshold k", 0.22, 0.31),
            effect("Time window", 0.03, 0.07),
        ];
        let title = "The choice of score moves ranks most";
        let p = variance_bars(
            &rows,
            "Share of rank variance (Sobol index)",
            title,
            "sub",
            &dir.join("v"),
        )
        .unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("0.58") && svg.contains("Sobol"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("varedge");
        let p = variance_bars(&[], "u", "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No factors"));
        check_pair(
            &variance_bars(&[effect("zero", 0.0, 0.0)], "u", "Zero", "", &dir.join("z")).unwrap(),
            "Zero",
            style::WIDTH,
        );
        let neg = vec![effect("<neg & >", -0.02, 0.01), effect("big", 120.0, 340.0)];
        check_pair(
            &variance_bars(&neg, "rank positions", "Neg", "", &dir.join("n")).unwrap(),
            "Neg",
            style::WIDTH,
        );
        let many: Vec<FactorEffect> = (0..MAX_FACTORS)
            .map(|i| effect(&format!("f{i}"), i as f64, i as f64 * 2.0))
            .collect();
        check_pair(
            &variance_bars(&many, "u", "Many", "", &dir.join("m")).unwrap(),
            "Many",
            style::WIDTH,
        );
        assert!(
            variance_bars(&[effect("x", f64::NAN, 0.1)], "u", "t", "", &dir.join("x")).is_err()
        );
        assert!(
            variance_bars(
                &[effect("x", 0.1, f64::INFINITY)],
                "u",
                "t",
                "",
                &dir.join("x")
            )
            .is_err()
        );
        let too_many: Vec<FactorEffect> = (0..=MAX_FACTORS)
            .map(|i| effect("f", i as f64, 1.0))
            .collect();
        assert!(variance_bars(&too_many, "u", "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
