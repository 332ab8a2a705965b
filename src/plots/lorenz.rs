//! How concentrated prominence is: Lorenz curves of the score under each method.
//!
//! A square plot: x = cumulative share of accounts (ascending score), y =
//! cumulative share of the score, both 0..100 %. The dashed grey diagonal is
//! perfect equality; the further a curve sags below it, the more the score is
//! held by a few. One line per method, each with its own Okabe–Ito colour and dash
//! pattern (so the chart survives greyscale printing). The legend, right of the
//! plot, lists the methods from most to least concentrated with their Gini
//! coefficients. Curves are thinned to at most [`MAX_DRAWN`] points (evenly by
//! index, ends kept).
//!
//! Input rules: no curves draws a "no data" chart. It is an error when there are
//! more than [`MAX_CURVES`] curves, a Gini is NaN or outside 0..=1, or a curve has
//! fewer than 2 points, a coordinate that is NaN or outside 0..=1, decreasing x
//! or y, a point above the diagonal (y > x: scores not sorted ascending), or does
//! not end at (1, 1). A missing (0, 0) start is added.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::kit::{self, CATEGORICAL};
use super::style::{
    self, AXIS, AXIS_TITLE_PX, BODY_PX, GAP, GRID, INK, MARGIN, MUTED, TICK, TICK_GAP, okabe_ito,
};
use super::{Axis, Header, Root, line, text};
use crate::results::{Figure, Results};

/// The Lorenz curve of one method's scores.
#[derive(Clone, Debug, PartialEq)]
pub struct LorenzCurve {
    /// Method name.
    pub method: String,
    /// (cumulative share of accounts, ascending score; cumulative share of score),
    /// from (0, 0) to (1, 1).
    pub points: Vec<(f64, f64)>,
    /// Gini coefficient (0..=1).
    pub gini: f64,
}

/// Most curves (one colour and dash pattern each).
pub const MAX_CURVES: usize = 8;
/// Most points drawn per curve.
pub const MAX_DRAWN: usize = 500;

const EPS: f64 = 1e-6;
const LINE_W: u32 = 2;
const LEGEND_W: i32 = 230;
const KEY_W: i32 = 40;

/// Colour and dash pattern of curve `i`.
fn look(i: usize) -> (plotters::style::RGBColor, &'static [f64]) {
    const DASHES: [&[f64]; MAX_CURVES] = [
        &[],
        &[10.0, 4.0],
        &[3.0, 3.0],
        &[12.0, 4.0, 3.0, 4.0],
        &[6.0, 3.0],
        &[1.5, 3.5],
        &[14.0, 3.0, 3.0, 3.0, 3.0, 3.0],
        &[20.0, 5.0],
    ];
    let colour = if i < CATEGORICAL.len() {
        CATEGORICAL[i]
    } else {
        // The eighth: yellow darkened so it stays visible as a line on white.
        kit::mix(okabe_ito::YELLOW, INK, 0.25)
    };
    (colour, DASHES[i % MAX_CURVES])
}

/// Draws the Lorenz curves to `stem.png` and `stem.svg` (see the module docs).
pub fn lorenz(
    curves: &[LorenzCurve],
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if curves.is_empty() {
        return super::no_data(stem, title, subtitle, "No score distributions to show.");
    }
    ensure!(
        curves.len() <= MAX_CURVES,
        "{} curves is too many (at most {MAX_CURVES}, one colour and dash each)",
        curves.len()
    );
    let mut drawn = Vec::with_capacity(curves.len());
    for c in curves {
        drawn.push(validate(c).map_err(|e| e.context(format!("Lorenz curve of {:?}", c.method)))?);
    }
    let layout = Layout::new(curves, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &drawn)
    })
}

/// Checks a curve and returns the points to draw (with (0, 0), thinned).
fn validate(c: &LorenzCurve) -> Result<Vec<(f64, f64)>> {
    kit::share(c.gini, "Gini")?;
    ensure!(
        c.points.len() >= 2,
        "needs at least 2 points, has {}",
        c.points.len()
    );
    for (i, &(x, y)) in c.points.iter().enumerate() {
        ensure!(
            x.is_finite()
                && y.is_finite()
                && (-EPS..=1.0 + EPS).contains(&x)
                && (-EPS..=1.0 + EPS).contains(&y),
            "point {} ({x}, {y}) is not in the unit square",
            i + 1
        );
        ensure!(
            y <= x + EPS,
            "point {} ({x}, {y}) is above the diagonal (are scores sorted ascending?)",
            i + 1
        );
    }
    for (i, w) in c.points.windows(2).enumerate() {
        ensure!(
            w[1].0 >= w[0].0 - EPS && w[1].1 >= w[0].1 - EPS,
            "point {} ({}, {}) goes back from point {} ({}, {})",
            i + 2,
            w[1].0,
            w[1].1,
            i + 1,
            w[0].0,
            w[0].1
        );
    }
    let last = c.points[c.points.len() - 1];
    ensure!(
        (last.0 - 1.0).abs() <= 1e-3 && (last.1 - 1.0).abs() <= 1e-3,
        "ends at ({}, {}), not (1, 1)",
        last.0,
        last.1
    );
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(c.points.len() + 1);
    if c.points[0].0.abs() > EPS || c.points[0].1.abs() > EPS {
        pts.push((0.0, 0.0));
    }
    pts.extend(
        c.points
            .iter()
            .map(|&(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0))),
    );
    if pts.len() > MAX_DRAWN {
        let n = pts.len();
        pts = (0..MAX_DRAWN)
            .map(|i| pts[i * (n - 1) / (MAX_DRAWN - 1)])
            .collect();
    }
    Ok(pts)
}

struct Layout {
    header: Header,
    /// Legend entries in Gini order: (curve index, name lines, "Gini …").
    entries: Vec<(usize, Vec<String>, String)>,
    x: Axis,
    y: Axis,
    legend_x: i32,
    top_y: i32,
    height: i32,
}

impl Layout {
    fn new(curves: &[LorenzCurve], title: &str, subtitle: &str) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let tick_w = style::text_width("100%", BODY_PX, false).ceil() as i32;
        let plot_x0 = MARGIN + tick_w + TICK + TICK_GAP + 4;
        let legend_x = width - MARGIN - LEGEND_W;
        let side = (legend_x - 28 - plot_x0).clamp(200, 480);
        let plot_x1 = plot_x0 + side;
        let lh_axis = style::line_height(AXIS_TITLE_PX);
        let top_y = header.height() + lh_axis + 8;
        let x = Axis::linear(0.0, 1.0, plot_x0, plot_x1);
        let y = Axis::linear(0.0, 1.0, top_y + side, top_y);

        let mut order: Vec<usize> = (0..curves.len()).collect();
        order.sort_by(|&a, &b| curves[b].gini.total_cmp(&curves[a].gini));
        let text_w = f64::from(LEGEND_W - KEY_W - 8);
        let entries: Vec<(usize, Vec<String>, String)> = order
            .into_iter()
            .map(|i| {
                (
                    i,
                    kit::wrap_lines(&curves[i].method, BODY_PX, false, text_w, 2),
                    format!("Gini {}", kit::fmt(curves[i].gini, 2)),
                )
            })
            .collect();
        let lh = style::line_height(BODY_PX);
        let legend_h: i32 = lh
            + 8
            + entries
                .iter()
                .map(|(_, l, _)| (l.len() as i32 + 1) * lh + 10)
                .sum::<i32>();
        let plot_bottom = top_y + side + TICK + TICK_GAP + lh + 8 + lh_axis;
        let height = plot_bottom.max(top_y + legend_h) + MARGIN;
        Self {
            header,
            entries,
            x,
            y,
            legend_x,
            top_y,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, drawn: &[Vec<(f64, f64)>]) -> Result<()> {
        self.header.draw(root)?;
        let lh = style::line_height(BODY_PX);
        let (x0, x1) = (self.x.px(0.0), self.x.px(1.0));
        let (y0, y1) = (self.y.px(1.0), self.y.px(0.0));
        let heading = style::text(AXIS_TITLE_PX, false, &INK, HPos::Left, VPos::Top);
        let lh_axis = style::line_height(AXIS_TITLE_PX);
        text(
            root,
            "Cumulative share of the score",
            (MARGIN, y0 - lh_axis - 8),
            &heading,
        )?;
        let ticks = [0.0, 0.25, 0.5, 0.75, 1.0];
        let left = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Center);
        let below = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
        for t in ticks {
            let (x, y) = (self.x.px(t), self.y.px(t));
            line(root, vec![(x0, y), (x1, y)], &GRID, 1)?;
            line(root, vec![(x, y0), (x, y1)], &GRID, 1)?;
            line(root, vec![(x0 - TICK, y), (x0, y)], &AXIS, 1)?;
            line(root, vec![(x, y1), (x, y1 + TICK)], &AXIS, 1)?;
            let s = kit::pct(t);
            text(root, &s, (x0 - TICK - TICK_GAP, y), &left)?;
            text(root, &s, (x, y1 + TICK + TICK_GAP), &below)?;
        }
        line(root, vec![(x0, y0), (x0, y1), (x1, y1)], &AXIS, 1)?;
        let xt = style::text(AXIS_TITLE_PX, false, &INK, HPos::Center, VPos::Top);
        text(
            root,
            "Cumulative share of accounts, lowest score first",
            ((x0 + x1) / 2, y1 + TICK + TICK_GAP + lh + 8),
            &xt,
        )?;

        // Equality line and its label (above it, where no Lorenz curve goes).
        let f = |p: (f64, f64)| (self.x.px_f(p.0), self.y.px_f(p.1));
        kit::dashed_path(root, &[f((0.0, 0.0)), f((1.0, 1.0))], &AXIS, 1, &[6.0, 4.0])?;
        let st = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Bottom);
        let (ex, ey) = (self.x.px(0.5), self.y.px(0.5));
        text(root, "perfect equality", (ex - 6, ey - 6), &st)?;

        // Curves: the most concentrated last, so the extreme is on top.
        for &(i, _, _) in self.entries.iter().rev() {
            let (colour, dash) = look(i);
            let pts: Vec<(f64, f64)> = drawn[i].iter().map(|&p| f(p)).collect();
            kit::dashed_path(root, &pts, &colour, LINE_W, dash)?;
        }

        // Legend.
        let head = style::text(BODY_PX, true, &INK, HPos::Left, VPos::Top);
        text(
            root,
            "Most concentrated first",
            (self.legend_x, self.top_y),
            &head,
        )?;
        let name = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Top);
        let gini = style::text(BODY_PX, false, &MUTED, HPos::Left, VPos::Top);
        let mut y = self.top_y + lh + 8;
        for (i, lines, g) in &self.entries {
            let (colour, dash) = look(*i);
            let ky = f64::from(y + lh / 2);
            let kx = f64::from(self.legend_x);
            kit::dashed_path(
                root,
                &[(kx, ky), (kx + f64::from(KEY_W - 6), ky)],
                &colour,
                3,
                dash,
            )?;
            let tx = self.legend_x + KEY_W;
            for (k, l) in lines.iter().enumerate() {
                text(root, l, (tx, y + k as i32 * lh), &name)?;
            }
            text(root, g, (tx, y + lines.len() as i32 * lh), &gini)?;
            y += (lines.len() as i32 + 1) * lh + 10;
        }
        let _ = GAP;
        Ok(())
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// Lorenz curves of the rankings whose scores are non-negative (at most 8).
pub fn figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let curves: Vec<LorenzCurve> = res
        .hierarchy
        .iter()
        .filter_map(|h| {
            Some(LorenzCurve {
                method: h.ranking.clone(),
                points: h.lorenz.clone()?,
                gini: h.concentration.gini?,
            })
        })
        .take(8)
        .collect();
    let Some(top) = curves.iter().max_by(|a, b| a.gini.total_cmp(&b.gini)) else {
        return Ok(None);
    };
    let most: Vec<String> = curves
        .iter()
        .filter(|c| format!("{:.2}", c.gini) == format!("{:.2}", top.gini))
        .map(|c| c.method.clone())
        .collect();
    let title = if most.len() == 1 {
        format!(
            "{} concentrates prominence most (Gini {:.2})",
            super::kit::quoted(&top.method),
            top.gini
        )
    } else {
        format!(
            "{} concentrate prominence equally, and most (Gini {:.2})",
            super::kit::tied(&most),
            top.gini
        )
    };
    let subtitle =
        "Cumulative share of the score held by the lowest-scoring share of the ranked accounts"
            .to_string();
    let name = "lorenz".to_string();
    let files = lorenz(&curves, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Lorenz curves of {} rankings. {title}.", curves.len()),
        name,
        title,
        files,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    /// Lorenz curve of n scores drawn from a power law with exponent `a`.
    pub(crate) fn curve(method: &str, n: usize, a: f64) -> LorenzCurve {
        let mut s: Vec<f64> = (1..=n).map(|i| (i as f64 / n as f64).powf(a)).collect();
        s.sort_by(f64::total_cmp);
        let total: f64 = s.iter().sum();
        let mut acc = 0.0;
        let mut points = vec![(0.0, 0.0)];
        let mut area = 0.0;
        let mut prev = 0.0;
        for (i, v) in s.iter().enumerate() {
            acc += v;
            let y = acc / total;
            area += (prev + y) / (2.0 * n as f64);
            prev = y;
            points.push(((i + 1) as f64 / n as f64, y));
        }
        LorenzCurve {
            method: method.into(),
            points,
            gini: (1.0 - 2.0 * area).clamp(0.0, 1.0),
        }
    }

    #[test]
    fn curves_render() {
        let dir = temp_dir("lorenz");
        let curves: Vec<LorenzCurve> = (0..MAX_CURVES)
            .map(|i| curve(&format!("Method {i}"), 2000, 1.0 + i as f64 * 1.5))
            .collect();
        let title = "Followers are far more concentrated than replies";
        let p = lorenz(&curves, title, "sub", &dir.join("l")).unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("Gini 0.") && svg.contains("perfect equality"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn thinning_keeps_ends() {
        let c = curve("m", 5000, 3.0);
        let pts = validate(&c).unwrap();
        assert_eq!(pts.len(), MAX_DRAWN);
        assert_eq!(pts[0], (0.0, 0.0));
        assert_eq!(*pts.last().unwrap(), *c.points.last().unwrap());
        // A curve without (0, 0) gets it.
        let mut short = curve("m", 3, 1.0);
        short.points.remove(0);
        assert_eq!(validate(&short).unwrap()[0], (0.0, 0.0));
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("lorenzedge");
        let p = lorenz(&[], "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No score"));
        let flat = LorenzCurve {
            method: "<equal & flat>\n".into(),
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            gini: 0.0,
        };
        let extreme = LorenzCurve {
            method: "one holds all".into(),
            points: vec![(0.0, 0.0), (0.999, 0.0), (1.0, 1.0)],
            gini: 1.0,
        };
        check_pair(
            &lorenz(&[flat.clone(), extreme], "Ends", "", &dir.join("x1")).unwrap(),
            "Ends",
            style::WIDTH,
        );
        // Errors.
        let bad = |pts: Vec<(f64, f64)>| LorenzCurve {
            points: pts,
            ..flat.clone()
        };
        for pts in [
            vec![(0.0, 0.0)],
            vec![(0.0, 0.0), (0.5, 0.6), (1.0, 1.0)],
            vec![(0.0, 0.0), (0.5, 0.2), (0.4, 0.3), (1.0, 1.0)],
            vec![(0.0, 0.0), (0.5, f64::NAN), (1.0, 1.0)],
            vec![(0.0, 0.0), (0.5, 0.2)],
        ] {
            assert!(lorenz(&[bad(pts)], "t", "", &dir.join("x")).is_err());
        }
        let g = LorenzCurve {
            gini: 1.5,
            ..flat.clone()
        };
        assert!(lorenz(&[g], "t", "", &dir.join("x")).is_err());
        let many = vec![flat; MAX_CURVES + 1];
        assert!(lorenz(&many, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
