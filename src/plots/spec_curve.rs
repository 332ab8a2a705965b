//! Specification curve of a multiverse (Simonsohn, Simmons & Nelson 2020): every
//! defensible combination of analytic choices ("universe"), sorted by its result.
//!
//! Top panel: one dot per universe at x = its position when sorted by value
//! (ascending, ties in input order), with a grey whisker from `lo` to `hi` where
//! given; the nominal (published) universe is a larger vermillion dot on a pale
//! yellow band that runs through both panels, and a dashed line marks its value
//! across the panel. Bottom panel: one block per factor (in the order of
//! `factors`), one row per level (in order of first appearance in `points`), and a
//! mark in every universe's column on the row of the level it uses (vermillion for
//! the nominal universe). Dots shrink as universes are added (down to 1 px at
//! ~500); marks become a solid band when columns are narrower than 2 px.
//!
//! Input rules: no points draws a "no data" chart. It is an error when a point's
//! `choices` does not have one level per factor, a value or bound is NaN or
//! infinite, `lo > value` or `value > hi`, or there are more than [`MAX_POINTS`]
//! points, [`MAX_FACTORS`] factors, [`MAX_LEVELS`] levels in a factor or
//! [`MAX_LEVEL_ROWS`] levels in all. No
//! factors is allowed (the bottom panel is left out).

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::kit;
use super::legend::{Key, Legend, WIDE};
use super::style::{
    self, AXIS, AXIS_TITLE_PX, BAD, BODY_PX, GAP, GRID, HIGHLIGHT, INK, MARGIN, MUTED, TICK,
    TICK_GAP, ZEBRA,
};
use super::{Axis, Header, Root, dashed, dot, fill_rect, line, text};
use crate::results::{Figure, MultiverseResult, Results};

/// One universe: a result and the level it chose for every factor.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecPoint {
    /// The result (e.g. rank of an account, share of the top N that changes).
    pub value: f64,
    /// Lower end of its interval, if any.
    pub lo: Option<f64>,
    /// Upper end of its interval, if any.
    pub hi: Option<f64>,
    /// The level chosen for each factor, in the order of `factors`.
    pub choices: Vec<String>,
    /// Whether this is the published specification.
    pub nominal: bool,
}

/// Most universes drawn.
pub const MAX_POINTS: usize = 5000;
/// Most factors.
pub const MAX_FACTORS: usize = 12;
/// Most levels in one factor.
pub const MAX_LEVELS: usize = 24;
/// Most levels over all factors (rows of the bottom panel).
pub const MAX_LEVEL_ROWS: usize = 120;

const TOP_H: i32 = 240;
const LEVEL_H: i32 = 18;
const FACTOR_H: i32 = 22;
const LABEL_MAX_W: f64 = 200.0;
const WHISKER: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);
const MARK: RGBColor = RGBColor(0x44, 0x44, 0x44);
const NOMINAL_KEY_W: i32 = 24;

/// Draws the specification curve to `stem.png` and `stem.svg` (see the module docs).
pub fn specification_curve(
    factors: &[String],
    points: &[SpecPoint],
    value_label: &str,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if points.is_empty() {
        return super::no_data(stem, title, subtitle, "No universes to show.");
    }
    ensure!(
        points.len() <= MAX_POINTS,
        "{} universes is too many for one specification curve (at most {MAX_POINTS})",
        points.len()
    );
    ensure!(
        factors.len() <= MAX_FACTORS,
        "{} factors is too many (at most {MAX_FACTORS})",
        factors.len()
    );
    for (i, p) in points.iter().enumerate() {
        let at = || format!("universe {}", i + 1);
        ensure!(
            p.choices.len() == factors.len(),
            "{} has {} choices for {} factors",
            at(),
            p.choices.len(),
            factors.len()
        );
        kit::finite(p.value, &format!("the value of {}", at()))?;
        if let Some(lo) = p.lo {
            kit::finite(lo, &format!("lo of {}", at()))?;
            ensure!(
                lo <= p.value + 1e-9,
                "{}: lo {lo} > value {}",
                at(),
                p.value
            );
        }
        if let Some(hi) = p.hi {
            kit::finite(hi, &format!("hi of {}", at()))?;
            ensure!(
                hi >= p.value - 1e-9,
                "{}: hi {hi} < value {}",
                at(),
                p.value
            );
        }
    }
    // Levels per factor, in order of first appearance.
    let mut levels: Vec<Vec<String>> = vec![Vec::new(); factors.len()];
    for p in points {
        for (f, c) in p.choices.iter().enumerate() {
            if !levels[f].contains(c) {
                levels[f].push(c.clone());
            }
        }
    }
    for (f, l) in levels.iter().enumerate() {
        ensure!(
            l.len() <= MAX_LEVELS,
            "factor {:?} has {} levels (at most {MAX_LEVELS})",
            factors[f],
            l.len()
        );
    }
    let rows: usize = levels.iter().map(Vec::len).sum();
    ensure!(
        rows <= MAX_LEVEL_ROWS,
        "{rows} levels over all factors is too many rows (at most {MAX_LEVEL_ROWS})"
    );
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].value.total_cmp(&points[b].value));
    let layout = Layout::new(factors, &levels, points, value_label, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, points, &order)
    })
}

struct Layout {
    header: Header,
    legend: Legend,
    heading: String,
    x_title: String,
    factor_names: Vec<String>,
    levels: Vec<Vec<String>>,
    level_labels: Vec<Vec<String>>,
    x: Axis,
    x_ticks: Vec<f64>,
    y: Axis,
    y_ticks: Vec<f64>,
    y_decimals: usize,
    nominal_value: Option<f64>,
    nominal_label: Option<String>,
    plot_x0: i32,
    plot_x1: i32,
    label_right: i32,
    legend_y: i32,
    top_y: i32,
    bottom_y: i32,
    height: i32,
}

impl Layout {
    fn new(
        factors: &[String],
        levels: &[Vec<String>],
        points: &[SpecPoint],
        value_label: &str,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let nominals: Vec<&SpecPoint> = points.iter().filter(|p| p.nominal).collect();
        let mut items = vec![(Key::Dot(INK), "one universe (set of choices)".to_string())];
        if points.iter().any(|p| p.lo.is_some() || p.hi.is_some()) {
            items.push((Key::Line(WHISKER, 2, vec![]), "its interval".to_string()));
        }
        if !nominals.is_empty() {
            items.push((Key::Dot(BAD), "original specification".to_string()));
        }
        let legend = Legend::new(items, MARGIN, width - 2 * MARGIN, WIDE);

        let level_labels: Vec<Vec<String>> = levels
            .iter()
            .map(|ls| {
                ls.iter()
                    .map(|l| style::ellipsize(&kit::clean(l), BODY_PX, false, LABEL_MAX_W))
                    .collect()
            })
            .collect();
        let level_w = level_labels
            .iter()
            .flatten()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0);

        // y domain and ticks.
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in points {
            for v in [Some(p.value), p.lo, p.hi].into_iter().flatten() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        // A little air, but never across zero (counts and shares stay ≥ 0).
        let pad = (hi - lo).abs() * 0.04;
        let (lo, hi) = (
            if lo >= 0.0 {
                (lo - pad).max(0.0)
            } else {
                lo - pad
            },
            if hi <= 0.0 {
                (hi + pad).min(0.0)
            } else {
                hi + pad
            },
        );
        let min_gap = f64::from(style::line_height(BODY_PX)) * 2.0;
        let (ylo, yhi, step, y_ticks) = kit::linear_ticks(lo, hi, f64::from(TOP_H), min_gap);
        let y_decimals = kit::step_decimals(step);
        let tick_w = y_ticks
            .iter()
            .map(|&t| style::text_width(&kit::fmt(t, y_decimals), BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0);
        let label_right = MARGIN + level_w.max(tick_w).max(40);
        let plot_x0 = label_right + 10;
        let plot_x1 = width - MARGIN - 4;

        let n = points.len();
        let x = Axis::linear(0.5, n as f64 + 0.5, plot_x0, plot_x1);
        let last_w = style::text_width(&style::thousands(n as u64), BODY_PX, false) + 16.0;
        let (_, _, xs, _) = kit::linear_ticks(0.0, n as f64, f64::from(plot_x1 - plot_x0), last_w);
        let xs = xs.max(1.0);
        let mut x_ticks = vec![1.0];
        let mut t = xs;
        while t <= n as f64 + 1e-9 {
            if x.px_f(t) - x.px_f(1.0) >= last_w {
                x_ticks.push(t);
            }
            t += xs;
        }

        let legend_y = header.height();
        let lh_axis = style::line_height(AXIS_TITLE_PX);
        let top_y = legend_y + legend.height() + GAP + lh_axis + 8;
        let y = Axis::linear(ylo, yhi, top_y + TOP_H, top_y);
        let lh = style::line_height(BODY_PX);
        let bottom_y = top_y + TOP_H + TICK + TICK_GAP + lh + 14;
        let blocks_h: i32 = levels
            .iter()
            .map(|l| FACTOR_H + l.len() as i32 * LEVEL_H)
            .sum::<i32>()
            + (levels.len() as i32 - 1).max(0) * 6;
        let height = bottom_y + blocks_h + 8 + style::line_height(AXIS_TITLE_PX) + MARGIN;
        // The nominal value, named on the heading line (never over the data).
        let nominal_value = (nominals.len() == 1).then(|| nominals[0].value);
        let nominal_label = nominal_value.map(|v| {
            let below = points.iter().filter(|p| p.value < v).count();
            let decimals = if v.fract() == 0.0 {
                0
            } else {
                kit::decimals_for(v.abs())
            };
            format!(
                "original: {} ({} of {} lower)",
                kit::fmt(v, decimals),
                style::thousands(below as u64),
                style::thousands(n as u64),
            )
        });
        let nominal_w = nominal_label.as_ref().map_or(0, |l| {
            style::text_width(l, BODY_PX, false).ceil() as i32 + NOMINAL_KEY_W + 30
        });
        let heading = style::ellipsize(
            &kit::clean(value_label),
            AXIS_TITLE_PX,
            false,
            f64::from(width - 2 * MARGIN - nominal_w).max(60.0),
        );
        let x_title = style::ellipsize(
            &format!(
                "{} {}, sorted from lowest to highest value",
                style::thousands(n as u64),
                if n == 1 { "universe" } else { "universes" },
            ),
            AXIS_TITLE_PX,
            false,
            f64::from(width - 2 * MARGIN),
        );
        Self {
            header,
            legend,
            heading,
            x_title,
            factor_names: factors
                .iter()
                .map(|f| {
                    style::ellipsize(&kit::clean(f), BODY_PX, true, f64::from(width - 2 * MARGIN))
                })
                .collect(),
            levels: levels.to_vec(),
            level_labels,
            x,
            x_ticks,
            y,
            y_ticks,
            y_decimals,
            nominal_value,
            nominal_label,
            plot_x0,
            plot_x1,
            label_right,
            legend_y,
            top_y,
            bottom_y,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, points: &[SpecPoint], order: &[usize]) -> Result<()> {
        self.header.draw(root)?;
        self.legend.draw(root, self.legend_y)?;
        let lh = style::line_height(BODY_PX);
        let n = order.len();
        let col_w = f64::from(self.plot_x1 - self.plot_x0) / n as f64;
        let (y0, y1) = (self.top_y, self.top_y + TOP_H);
        let bottom_end = self.height - MARGIN - style::line_height(AXIS_TITLE_PX) - 8;

        // Bottom panel blocks (zebra), so the nominal band draws over them.
        let mut by = self.bottom_y;
        let mut rows: Vec<Vec<i32>> = Vec::new();
        for (f, ls) in self.levels.iter().enumerate() {
            let block_h = FACTOR_H + ls.len() as i32 * LEVEL_H;
            if f % 2 == 0 {
                fill_rect(
                    root,
                    MARGIN,
                    by,
                    self.plot_x1 + 4,
                    by + block_h,
                    &ZEBRA,
                    1.0,
                )?;
            }
            rows.push(
                (0..ls.len())
                    .map(|k| by + FACTOR_H + k as i32 * LEVEL_H + LEVEL_H / 2)
                    .collect(),
            );
            by += block_h + 6;
        }

        // Nominal band through both panels.
        let band_half = ((col_w / 2.0).ceil() as i32).clamp(4, 10);
        for (pos, &i) in order.iter().enumerate() {
            if points[i].nominal {
                let x = self.x.px((pos + 1) as f64);
                fill_rect(root, x - band_half, y0, x + band_half, y1, &HIGHLIGHT, 0.45)?;
                fill_rect(
                    root,
                    x - band_half,
                    self.bottom_y,
                    x + band_half,
                    bottom_end,
                    &HIGHLIGHT,
                    0.45,
                )?;
            }
        }

        // Top panel: grid, ticks, heading.
        let heading = style::text(AXIS_TITLE_PX, false, &INK, HPos::Left, VPos::Top);
        text(
            root,
            &self.heading,
            (MARGIN, y0 - style::line_height(AXIS_TITLE_PX) - 8),
            &heading,
        )?;
        let tick_label = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Center);
        for &t in &self.y_ticks {
            let py = self.y.px(t);
            let colour = if t == 0.0 { AXIS } else { GRID };
            line(
                root,
                vec![(self.plot_x0, py), (self.plot_x1, py)],
                &colour,
                1,
            )?;
            text(
                root,
                &kit::fmt(t, self.y_decimals),
                (self.plot_x0 - TICK_GAP - 4, py),
                &tick_label,
            )?;
        }
        line(root, vec![(self.plot_x0, y1), (self.plot_x1, y1)], &AXIS, 1)?;
        let tick_x = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
        for &t in &self.x_ticks {
            let x = self.x.px(t);
            line(root, vec![(x, y1), (x, y1 + TICK)], &AXIS, 1)?;
            text(
                root,
                &style::thousands(t as u64),
                (x, y1 + TICK + TICK_GAP),
                &tick_x,
            )?;
        }
        let rank_head = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Top);
        text(
            root,
            "universe",
            (self.plot_x0 - TICK_GAP - 4, y1 + TICK + TICK_GAP),
            &rank_head,
        )?;

        // The nominal value across the panel.
        if let Some(v) = self.nominal_value {
            let py = self.y.px(v);
            dashed(
                root,
                (self.plot_x0, py),
                (self.plot_x1, py),
                &BAD,
                1,
                6.0,
                4.0,
            )?;
        }
        if let Some(label) = &self.nominal_label {
            let hy = y0 - style::line_height(AXIS_TITLE_PX) / 2 - 8;
            let st = style::text(
                BODY_PX,
                false,
                &kit::readable(BAD),
                HPos::Right,
                VPos::Center,
            );
            text(root, label, (self.plot_x1, hy), &st)?;
            let w = style::text_width(label, BODY_PX, false).ceil() as i32;
            let kx = self.plot_x1 - w - 8;
            dashed(root, (kx - NOMINAL_KEY_W, hy), (kx, hy), &BAD, 1, 6.0, 4.0)?;
        }

        // Whiskers, then dots.
        let r = if col_w >= 9.0 {
            4
        } else if col_w >= 5.0 {
            3
        } else if col_w >= 2.5 {
            2
        } else {
            1
        };
        for (pos, &i) in order.iter().enumerate() {
            let p = &points[i];
            if p.lo.is_some() || p.hi.is_some() {
                let x = self.x.px((pos + 1) as f64);
                let a = self.y.px(p.lo.unwrap_or(p.value));
                let b = self.y.px(p.hi.unwrap_or(p.value));
                if a != b {
                    line(root, vec![(x, a), (x, b)], &WHISKER, 1)?;
                }
            }
        }
        for (pos, &i) in order.iter().enumerate() {
            let p = &points[i];
            if !p.nominal {
                dot(
                    root,
                    (self.x.px((pos + 1) as f64), self.y.px(p.value)),
                    r,
                    &INK,
                    None,
                )?;
            }
        }
        for (pos, &i) in order.iter().enumerate() {
            let p = &points[i];
            if p.nominal {
                let c = (self.x.px((pos + 1) as f64), self.y.px(p.value));
                dot(root, c, 6, &BAD, Some(&style::BACKGROUND))?;
            }
        }

        // Bottom panel: factor names, level labels, marks.
        let factor_style = style::text(BODY_PX, true, &INK, HPos::Left, VPos::Center);
        let level_style = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        for (f, ys) in rows.iter().enumerate() {
            let fy = ys.first().map_or(self.bottom_y, |y| y - LEVEL_H / 2) - FACTOR_H / 2;
            text(root, &self.factor_names[f], (MARGIN + 4, fy), &factor_style)?;
            for (k, &ly) in ys.iter().enumerate() {
                text(
                    root,
                    &self.level_labels[f][k],
                    (self.label_right, ly),
                    &level_style,
                )?;
                line(root, vec![(self.plot_x0, ly), (self.plot_x1, ly)], &GRID, 1)?;
            }
        }
        let mark_half_w = ((col_w * 0.35).round() as i32).clamp(0, 3);
        for nominal_pass in [false, true] {
            for (pos, &i) in order.iter().enumerate() {
                let p = &points[i];
                if p.nominal != nominal_pass {
                    continue;
                }
                let x = self.x.px((pos + 1) as f64);
                let colour = if p.nominal { BAD } else { MARK };
                for (f, c) in p.choices.iter().enumerate() {
                    let Some(k) = self.levels[f].iter().position(|l| l == c) else {
                        continue;
                    };
                    let ly = rows[f][k];
                    let (a, b) = if p.nominal {
                        (x - mark_half_w.max(2), x + mark_half_w.max(2) + 1)
                    } else {
                        (x - mark_half_w, x + mark_half_w + 1)
                    };
                    fill_rect(root, a, ly - 5, b, ly + 5, &colour, 1.0)?;
                }
            }
        }
        let s = style::text(AXIS_TITLE_PX, false, &INK, HPos::Center, VPos::Top);
        text(
            root,
            &self.x_title,
            ((self.plot_x0 + self.plot_x1) / 2, bottom_end + 8),
            &s,
        )?;
        let _ = lh;
        Ok(())
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// The specification curve and the variance attribution of the multiverse.
pub fn figures(res: &Results, mv: &MultiverseResult, dir: &Path) -> Result<Vec<Figure>> {
    let top_n = res.study.study.top_n;
    let Some(fam) = res
        .families
        .iter()
        .find(|f| f.family == crate::sensitivity::multiverse::FAMILY)
    else {
        return Ok(Vec::new());
    };
    let factors: Vec<String> = mv.spec.factors.iter().map(|f| f.name.clone()).collect();
    let points: Vec<SpecPoint> = fam
        .per_universe
        .iter()
        .zip(&mv.choices)
        .enumerate()
        .map(|(u, (s, c))| SpecPoint {
            value: s.jaccard_top_n.unwrap_or(0.0),
            lo: None,
            hi: None,
            choices: c
                .iter()
                .zip(&mv.spec.factors)
                .map(|(&l, f)| crate::sensitivity::multiverse::MultiverseSpec::level(&f.values[l]))
                .collect(),
            nominal: Some(u) == mv.nominal_universe,
        })
        .collect();
    // Universes whose top N keeps fewer than half of the original top N: from each
    // universe's Jaccard J and the two sizes, |A ∩ B| = J (|A| + |B|) / (1 + J).
    let n0 = crate::sensitivity::summary::Bands::of(&fam.accounts).nominal_top;
    let half = fam
        .per_universe
        .iter()
        .filter(|u| {
            let j = u.jaccard_top_n.unwrap_or(0.0);
            2.0 * j * (u.n_top + n0) as f64 / (1.0 + j) < n0 as f64
        })
        .count();
    let title = format!(
        "In {half} of {} equally defensible universes, fewer than half of the original top {top_n} stay in the top {top_n}",
        points.len()
    );
    let subtitle = format!(
        "Jaccard overlap of each universe's top {top_n} with the original top {top_n}; below, the choices each universe makes"
    );
    let name = "specification-curve".to_string();
    let files = specification_curve(
        &factors,
        &points,
        "Jaccard with the original top N",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    let mut figs = vec![Figure {
        alt: format!("Specification curve. {title}."),
        name,
        title,
        files,
    }];
    let effects: Vec<crate::plots::variance::FactorEffect> = mv
        .effects
        .iter()
        .map(|e| crate::plots::variance::FactorEffect {
            factor: e.factor.clone(),
            first_order: e.first_order,
            total: e.total.unwrap_or(e.first_order),
            first_ci: None,
            total_ci: None,
        })
        .collect();
    if let Some(top) = mv.effects.iter().max_by(|a, b| {
        a.total
            .unwrap_or(a.first_order)
            .total_cmp(&b.total.unwrap_or(b.first_order))
    }) {
        let title = format!(
            "The {} moves ranks most: {:.1} places on average when it alone changes",
            top.factor,
            top.total.unwrap_or(top.first_order)
        );
        let subtitle = format!(
            "Mean absolute rank change per choice (ranks censored at {}); first-order and total effects",
            2 * top_n + 1
        );
        let name = "variance-attribution".to_string();
        let files = crate::plots::variance::variance_bars(
            &effects,
            "mean absolute rank change",
            &title,
            &subtitle,
            &dir.join(&name),
        )?;
        figs.push(Figure {
            alt: format!("Variance attribution. {title}."),
            name,
            title,
            files,
        });
    }
    Ok(figs)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    pub(crate) fn synthetic(n: usize) -> (Vec<String>, Vec<SpecPoint>) {
        let factors: Vec<String> = ["Seed list", "Threshold k", "Score", "Window"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let points = (0..n)
            .map(|i| {
                let a = i % 3;
                let b = (i / 3) % 5;
                let c = (i / 15) % 2;
                let d = (i / 30) % 4;
                let v = 10.0 + a as f64 * 3.0 - b as f64 * 2.0 + c as f64 * 5.0 + d as f64;
                SpecPoint {
                    value: v,
                    lo: (i % 4 != 0).then_some(v - 2.0),
                    hi: (i % 4 != 0).then_some(v + 3.0),
                    choices: vec![
                        ["published", "extended", "random"][a].to_string(),
                        format!("k ≥ {}", b + 2),
                        ["followers", "tweets"][c].to_string(),
                        format!("{} months", [3, 6, 12, 24][d]),
                    ],
                    nominal: i == 7,
                }
            })
            .collect();
        (factors, points)
    }

    #[test]
    fn curves_render() {
        let dir = temp_dir("spec");
        for n in [12, 200, 500] {
            let (f, p) = synthetic(n);
            let title = format!("The published rank is one of {n}");
            let paths = specification_curve(
                &f,
                &p,
                "Rank of @account",
                &title,
                "sub",
                &dir.join(format!("s{n}")),
            )
            .unwrap();
            let svg = check_pair(&paths, &title, style::WIDTH);
            assert!(svg.contains("Threshold k") && svg.contains("k ≥ 2"));
        }
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("specedge");
        let p = specification_curve(&[], &[], "v", "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No universes"));
        let one = SpecPoint {
            value: 3.0,
            lo: None,
            hi: None,
            choices: vec![],
            nominal: true,
        };
        check_pair(
            &specification_curve(
                &[],
                std::slice::from_ref(&one),
                "v",
                "One",
                "",
                &dir.join("one"),
            )
            .unwrap(),
            "One",
            style::WIDTH,
        );
        // All equal values, many nominals, odd labels.
        let same: Vec<SpecPoint> = (0..30)
            .map(|i| SpecPoint {
                choices: vec![format!("<lvl & {}>\n", i % 2)],
                nominal: i % 10 == 0,
                ..one.clone()
            })
            .collect();
        check_pair(
            &specification_curve(&["F".into()], &same, "", "Same", "", &dir.join("same")).unwrap(),
            "Same",
            style::WIDTH,
        );
        let (f, p) = synthetic(MAX_POINTS);
        check_pair(
            &specification_curve(&f, &p, "v", "Max", "", &dir.join("max")).unwrap(),
            "Max",
            style::WIDTH,
        );
        // Errors.
        let bad = SpecPoint {
            value: f64::NAN,
            ..one.clone()
        };
        assert!(specification_curve(&[], &[bad], "v", "t", "", &dir.join("x")).is_err());
        let inv = SpecPoint {
            lo: Some(5.0),
            ..one.clone()
        };
        assert!(specification_curve(&[], &[inv], "v", "t", "", &dir.join("x")).is_err());
        assert!(
            specification_curve(
                &["F".into()],
                std::slice::from_ref(&one),
                "v",
                "t",
                "",
                &dir.join("x")
            )
            .is_err()
        );
        let many_levels: Vec<SpecPoint> = (0..=MAX_LEVELS)
            .map(|i| SpecPoint {
                choices: vec![i.to_string()],
                ..one.clone()
            })
            .collect();
        assert!(
            specification_curve(&["F".into()], &many_levels, "v", "t", "", &dir.join("x")).is_err()
        );
        // The most rows allowed still fits the size limit; one more factor does not.
        let grid = |n_factors: usize, n_levels: usize| -> (Vec<String>, Vec<SpecPoint>) {
            let factors = (0..n_factors).map(|f| format!("Factor {f}")).collect();
            let points = (0..n_levels)
                .map(|i| SpecPoint {
                    choices: (0..n_factors).map(|f| format!("level {f}.{i}")).collect(),
                    nominal: i == 0,
                    ..one.clone()
                })
                .collect();
            (factors, points)
        };
        let (f, p) = grid(6, MAX_LEVEL_ROWS / 6);
        let paths = specification_curve(&f, &p, "v", "Rows", "", &dir.join("rows")).unwrap();
        check_pair(&paths, "Rows", style::WIDTH);
        let (f, p) = grid(7, MAX_LEVEL_ROWS / 6);
        assert!(specification_curve(&f, &p, "v", "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
