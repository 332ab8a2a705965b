//! Agreement heatmap: method × method, two measures in one matrix.
//!
//! Cell (row i, column j) shows `values[i][j]`. Below the diagonal (i > j) the
//! `lower_name` measure is drawn on a diverging scale from −1 to 1 centred at 0
//! (vermillion = disagree, blue = agree; e.g. Kendall τ-b); above it (i < j) the
//! `upper_name` measure on a sequential 0..1 scale (e.g. rank-biased overlap). The
//! diagonal is left grey and blank. Every cell prints its value with two decimals
//! in white or ink, whichever reads better on its colour (values are written
//! without the leading zero, ".85", when the cells are too narrow for "0.85");
//! missing values (`None`) print "n/a" on white. Column names are written across
//! when they fit in two lines, else turned 90°. Two colour keys sit under the
//! matrix.
//!
//! Input rules: no labels draws a "no data" chart. It is an error when `values`
//! is not `labels.len()` rows of `labels.len()` values, there are more than
//! [`MAX_LABELS`] labels, or a value is NaN/infinite, a lower value is outside
//! −1..=1 or an upper value outside 0..=1. Diagonal values are ignored.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{FontTransform, RGBColor};

use super::kit::{self, DIVERGING, SEQUENTIAL};
use super::style::{self, BODY_PX, GAP, INK, MARGIN, MUTED};
use super::{Header, Root, fill_rect, line, text};
use crate::results::{Figure, Results};

/// Most methods accepted (about 15 stay readable with printed values).
pub const MAX_LABELS: usize = 30;

const MAX_CELL: i32 = 72;
const ROW_LABEL_MAX_W: f64 = 170.0;
const COL_LABEL_MAX_W: f64 = 230.0;
const DIAGONAL: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const KEY_W: i32 = 340;
const KEY_BAR_H: i32 = 14;

/// Draws the heatmap to `stem.png` and `stem.svg` (see the module docs).
pub fn heatmap(
    labels: &[String],
    values: &[Vec<Option<f64>>],
    lower_name: &str,
    upper_name: &str,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    if labels.is_empty() {
        return super::no_data(stem, title, subtitle, "No methods to compare.");
    }
    let n = labels.len();
    ensure!(
        n <= MAX_LABELS,
        "{n} methods is too many for a heatmap (at most {MAX_LABELS})"
    );
    ensure!(
        values.len() == n && values.iter().all(|r| r.len() == n),
        "heatmap values must be {n} rows of {n} values (one per label)"
    );
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let Some(v) = *v else { continue };
            let at = || format!("value at row {} column {} ({v})", i + 1, j + 1);
            if i > j {
                ensure!(
                    v.is_finite() && (-1.0 - 1e-9..=1.0 + 1e-9).contains(&v),
                    "{} is not in −1..=1 ({lower_name}, lower triangle)",
                    at()
                );
            } else if i < j {
                ensure!(
                    v.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&v),
                    "{} is not in 0..=1 ({upper_name}, upper triangle)",
                    at()
                );
            }
        }
    }
    let layout = Layout::new(labels, lower_name, upper_name, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, values)
    })
}

/// How values are printed in a cell.
#[derive(Clone, Copy)]
struct ValueFont {
    px: f64,
    compact: bool,
}

impl ValueFont {
    fn format(&self, v: f64) -> String {
        let s = kit::fmt(v, 2);
        if self.compact {
            s.replacen("0.", ".", 1)
        } else {
            s
        }
    }
}

struct Layout {
    header: Header,
    n: usize,
    /// Column labels for the rotated layout (one line each).
    col_rot: Vec<String>,
    /// Row labels as drawn: up to two lines when the cells are tall enough.
    row_lines: Vec<Vec<String>>,
    key_titles: [Vec<String>; 2],
    /// Column labels: `Some(lines)` written across, or `None` = rotated (uses `row_labels`).
    col_lines: Option<Vec<Vec<String>>>,
    cell: i32,
    value_font: Option<ValueFont>,
    x0: i32,
    y0: i32,
    label_right: i32,
    keys_y: i32,
    keys_side_by_side: bool,
    key_h: i32,
    height: i32,
}

impl Layout {
    fn new(
        labels: &[String],
        lower_name: &str,
        upper_name: &str,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let n = labels.len();
        let row_labels: Vec<String> = labels
            .iter()
            .map(|l| style::ellipsize(&kit::clean(l), BODY_PX, false, ROW_LABEL_MAX_W))
            .collect();
        let lh = style::line_height(BODY_PX);
        // Two-line row labels if the cells (sized for one-line labels) are tall enough.
        let one_line_w = row_labels
            .iter()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0)
            .max(20);
        let cell_for =
            |label_w: i32| ((width - 2 * MARGIN - label_w - 8) / n as i32).clamp(8, MAX_CELL);
        let row_lines: Vec<Vec<String>> = if cell_for(one_line_w) >= 2 * lh + 4 {
            labels
                .iter()
                .map(|l| kit::wrap_lines(l, BODY_PX, false, ROW_LABEL_MAX_W, 2))
                .collect()
        } else {
            row_labels.iter().map(|l| vec![l.clone()]).collect()
        };
        let label_w = row_lines
            .iter()
            .flatten()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0)
            .max(20);
        let label_right = MARGIN + label_w;
        let x0 = label_right + 8;
        let cell = cell_for(label_w);

        // Column labels across (≤ 2 lines in the cell width) or rotated.
        let across: Vec<Vec<String>> = labels
            .iter()
            .map(|l| style::wrap(&kit::clean(l), BODY_PX, false, f64::from(cell - 6)))
            .collect();
        let fits = across.iter().all(|l| l.len() <= 2);
        let col_rot: Vec<String> = labels
            .iter()
            .map(|l| style::ellipsize(&kit::clean(l), BODY_PX, false, COL_LABEL_MAX_W))
            .collect();
        let (col_lines, col_h) = if fits {
            let lines = across.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
            (Some(across), lines * lh)
        } else {
            let w = col_rot
                .iter()
                .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
                .max()
                .unwrap_or(0);
            (None, w)
        };

        // Value font: the largest that fits "−0.00" in a cell.
        let value_font = [
            (BODY_PX, false),
            (BODY_PX, true),
            (12.0, true),
            (11.0, true),
        ]
        .into_iter()
        .map(|(px, compact)| ValueFont { px, compact })
        .find(|f| {
            style::text_width(&f.format(-0.88), f.px, false) <= f64::from(cell - 5)
                && f.px * 1.1 <= f64::from(cell)
        });

        let y0 = header.height() + col_h + 8;
        let keys_y = y0 + cell * n as i32 + GAP + 8;
        let keys_side_by_side = 2 * KEY_W + 40 <= width - 2 * MARGIN;
        let key_titles = [
            format!("Below the diagonal: {}", kit::clean(lower_name)),
            format!("Above the diagonal: {}", kit::clean(upper_name)),
        ]
        .map(|t| kit::wrap_lines(&t, BODY_PX, false, f64::from(KEY_W), 2));
        let title_lines = key_titles.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let key_h = Self::key_height() + (title_lines - 1) * lh;
        let keys_h = if keys_side_by_side {
            key_h
        } else {
            2 * key_h + GAP
        };
        let height = keys_y + keys_h + MARGIN;
        Self {
            header,
            n,
            col_rot,
            row_lines,
            key_titles,
            key_h,
            col_lines,
            cell,
            value_font,
            x0,
            y0,
            label_right,
            keys_y,
            keys_side_by_side,
            height,
        }
    }

    fn key_height() -> i32 {
        let lh = style::line_height(BODY_PX);
        lh + 4 + KEY_BAR_H + 4 + lh
    }

    fn colour(i: usize, j: usize, v: f64) -> RGBColor {
        if i > j {
            kit::ramp(&DIVERGING, v)
        } else {
            kit::ramp(&SEQUENTIAL, v)
        }
    }

    fn draw(&self, root: &Root<'_>, values: &[Vec<Option<f64>>]) -> Result<()> {
        self.header.draw(root)?;
        let lh = style::line_height(BODY_PX);
        let c = self.cell;
        // Column labels.
        match &self.col_lines {
            Some(cols) => {
                let lines = cols.iter().map(Vec::len).max().unwrap_or(1) as i32;
                let s = style::text(BODY_PX, false, &INK, HPos::Center, VPos::Top);
                for (j, l) in cols.iter().enumerate() {
                    let cx = self.x0 + j as i32 * c + c / 2;
                    let top = self.y0 - 8 - (l.len() as i32) * lh;
                    let _ = lines;
                    for (k, part) in l.iter().enumerate() {
                        text(root, part, (cx, top + k as i32 * lh), &s)?;
                    }
                }
            }
            None => {
                let s = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Center)
                    .transform(FontTransform::Rotate270);
                for (j, l) in self.col_rot.iter().enumerate() {
                    let cx = self.x0 + j as i32 * c + c / 2;
                    text(root, l, (cx, self.y0 - 6), &s)?;
                }
            }
        }
        // Row labels.
        let s = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        for (i, lines) in self.row_lines.iter().enumerate() {
            let cy = self.y0 + i as i32 * c + c / 2 - (lines.len() as i32 - 1) * lh / 2;
            for (k, l) in lines.iter().enumerate() {
                text(root, l, (self.label_right, cy + k as i32 * lh), &s)?;
            }
        }
        // Cells.
        let gap = if c >= 20 { 1 } else { 0 };
        for (i, row) in values.iter().enumerate().take(self.n) {
            for (j, v) in row.iter().enumerate().take(self.n) {
                let (x, y) = (self.x0 + j as i32 * c, self.y0 + i as i32 * c);
                let centre = (x + c / 2, y + c / 2);
                if i == j {
                    fill_rect(
                        root,
                        x + gap,
                        y + gap,
                        x + c - gap,
                        y + c - gap,
                        &DIAGONAL,
                        1.0,
                    )?;
                    continue;
                }
                match v {
                    Some(v) => {
                        let fill = Self::colour(i, j, *v);
                        fill_rect(root, x + gap, y + gap, x + c - gap, y + c - gap, &fill, 1.0)?;
                        if let Some(f) = self.value_font {
                            let st = style::text(
                                f.px,
                                false,
                                &kit::text_on(fill),
                                HPos::Center,
                                VPos::Center,
                            );
                            text(root, &f.format(*v), centre, &st)?;
                        }
                    }
                    None => {
                        let g = super::style::GRID;
                        line(root, vec![(x + 1, y + 1), (x + c - 1, y + 1)], &g, 1)?;
                        line(
                            root,
                            vec![(x + c - 1, y + 1), (x + c - 1, y + c - 1)],
                            &g,
                            1,
                        )?;
                        line(
                            root,
                            vec![(x + c - 1, y + c - 1), (x + 1, y + c - 1)],
                            &g,
                            1,
                        )?;
                        line(root, vec![(x + 1, y + c - 1), (x + 1, y + 1)], &g, 1)?;
                        if let Some(f) = self.value_font {
                            let na = if style::text_width("n/a", f.px, false) <= f64::from(c - 5) {
                                "n/a"
                            } else {
                                "–"
                            };
                            let st = style::text(f.px, false, &MUTED, HPos::Center, VPos::Center);
                            text(root, na, centre, &st)?;
                        }
                    }
                }
            }
        }
        // Keys.
        let (kx1, ky1, kx2, ky2) = if self.keys_side_by_side {
            let x2 = style::WIDTH as i32 - MARGIN - KEY_W;
            (MARGIN, self.keys_y, x2, self.keys_y)
        } else {
            (MARGIN, self.keys_y, MARGIN, self.keys_y + self.key_h + GAP)
        };
        self.draw_key(root, kx1, ky1, &self.key_titles[0], &DIVERGING, -1.0, 1.0)?;
        self.draw_key(root, kx2, ky2, &self.key_titles[1], &SEQUENTIAL, 0.0, 1.0)
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_key(
        &self,
        root: &Root<'_>,
        x: i32,
        y: i32,
        title: &[String],
        stops: &[(f64, RGBColor)],
        lo: f64,
        hi: f64,
    ) -> Result<()> {
        let lh = style::line_height(BODY_PX);
        let st = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Top);
        // Bottom-align titles so both bars sit on one line.
        let lines = self.key_titles.iter().map(Vec::len).max().unwrap_or(1);
        let top = y + (lines - title.len()) as i32 * lh;
        for (k, t) in title.iter().enumerate() {
            text(root, t, (x, top + k as i32 * lh), &st)?;
        }
        let by = y + lines as i32 * lh + 4;
        let steps = 100;
        for k in 0..steps {
            let a = x + KEY_W * k / steps;
            let b = x + KEY_W * (k + 1) / steps;
            let v = lo + (hi - lo) * (f64::from(k) + 0.5) / f64::from(steps);
            fill_rect(root, a, by, b, by + KEY_BAR_H, &kit::ramp(stops, v), 1.0)?;
        }
        let tick = style::text(BODY_PX, false, &MUTED, HPos::Center, VPos::Top);
        let n_ticks = 5;
        for k in 0..n_ticks {
            let v = lo + (hi - lo) * f64::from(k) / f64::from(n_ticks - 1);
            let tx = x + KEY_W * k / (n_ticks - 1);
            line(
                root,
                vec![(tx, by + KEY_BAR_H), (tx, by + KEY_BAR_H + 3)],
                &style::AXIS,
                1,
            )?;
            let label = if v == 0.0 || v.abs() == 1.0 {
                kit::fmt(v, 0)
            } else {
                kit::fmt(v, 2)
            };
            let h = match k {
                0 => HPos::Left,
                k if k == n_ticks - 1 => HPos::Right,
                _ => HPos::Center,
            };
            let tx = match h {
                HPos::Left => tx - 1,
                HPos::Right => tx + 1,
                HPos::Center => tx,
            };
            let st = tick.pos(plotters::style::text_anchor::Pos::new(h, VPos::Top));
            text(root, &label, (tx, by + KEY_BAR_H + 4), &st)?;
        }
        Ok(())
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// The leaf order of an average-linkage agglomerative clustering on the distance
/// `1 − sim[i][j]` (a missing similarity counts as 0, distance 1), so that blocks of
/// similar items sit together. Each step merges the two clusters with the smallest
/// average distance (ties: the pair whose smallest members come first); a merged
/// cluster lists the cluster holding the smaller index first. `sim` is read
/// symmetrically from `sim[i][j]` with i < j. O(n³), for the ≤ 30 rankings of a chart.
pub fn cluster_order(sim: &[Vec<Option<f64>>]) -> Vec<usize> {
    let n = sim.len();
    let d = |i: usize, j: usize| 1.0 - sim[i.min(j)][i.max(j)].unwrap_or(0.0);
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    while clusters.len() > 1 {
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                let (ca, cb) = (&clusters[a], &clusters[b]);
                let sum: f64 = ca
                    .iter()
                    .flat_map(|&i| cb.iter().map(move |&j| d(i, j)))
                    .sum();
                let avg = sum / (ca.len() * cb.len()) as f64;
                if best.is_none_or(|(x, _, _)| avg < x - 1e-12) {
                    best = Some((avg, a, b));
                }
            }
        }
        let (_, a, b) = best.expect("two clusters or more");
        let right = clusters.remove(b);
        clusters[a].extend(right);
    }
    clusters.pop().unwrap_or_default()
}

/// Kendall tau-b (lower triangle) and RBO (upper) between every pair of rankings, the
/// rankings ordered by [`cluster_order`] on RBO.
pub fn figure(res: &Results, dir: &Path) -> Result<Figure> {
    let study: Vec<String> = res.rankings.iter().map(|(s, _)| s.name.clone()).collect();
    let n = study.len();
    let at = |name: &str| study.iter().position(|l| l == name).expect("a ranking");
    let mut rbo = vec![vec![None; n]; n];
    for c in &res.comparisons {
        let (i, j) = (at(&c.a), at(&c.b));
        rbo[i.min(j)][i.max(j)] = c.all.rbo;
    }
    let order = cluster_order(&rbo);
    let labels: Vec<String> = order.iter().map(|&i| study[i].clone()).collect();
    let idx = |name: &str| labels.iter().position(|l| l == name).expect("a ranking");
    let mut values = vec![vec![None; n]; n];
    let mut below_half = 0usize;
    for c in &res.comparisons {
        let (i, j) = (idx(&c.a), idx(&c.b));
        let (lo, hi) = (i.max(j), i.min(j));
        values[lo][hi] = c.all.tau_b;
        values[hi][lo] = c.all.rbo;
        if c.all.rbo.is_some_and(|r| r < 0.5) {
            below_half += 1;
        }
    }
    let title = format!(
        "{below_half} of {} pairs of rankings agree on less than half of who is on top (RBO < 0.5)",
        res.comparisons.len()
    );
    let subtitle = format!(
        "Kendall tau-b over the accounts both rank (lower triangle) and rank-biased overlap, p = {} (upper); similar rankings side by side",
        res.study.study.rbo_p
    );
    let name = "heatmap".to_string();
    let files = heatmap(
        &labels,
        &values,
        "Kendall tau-b",
        "RBO",
        &title,
        &subtitle,
        &dir.join(&name),
    )?;
    Ok(Figure {
        alt: format!("Heatmap of agreement between {n} rankings. {title}."),
        name,
        title,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    #[test]
    fn clustering_puts_blocks_together() {
        // Items 0, 2, 4 agree with each other (0.9), 1, 3 with each other (0.8), the
        // blocks not at all (0.1): each block comes out contiguous.
        let n = 5;
        let block = |i: usize| i % 2;
        let sim: Vec<Vec<Option<f64>>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        (i < j).then(|| match (block(i), block(j)) {
                            (0, 0) => 0.9,
                            (1, 1) => 0.8,
                            _ => 0.1,
                        })
                    })
                    .collect()
            })
            .collect();
        let order = cluster_order(&sim);
        assert_eq!(order, [0, 2, 4, 1, 3]);
        assert_eq!(cluster_order(&[]), Vec::<usize>::new());
        assert_eq!(cluster_order(&[vec![None]]), [0]);
    }

    pub(crate) fn synthetic(n: usize) -> (Vec<String>, Vec<Vec<Option<f64>>>) {
        let labels: Vec<String> = (0..n).map(|i| format!("Method {}", i + 1)).collect();
        let values = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        let d = (i as f64 - j as f64).abs() / n as f64;
                        if i > j {
                            Some((1.0 - 2.2 * d).max(-1.0))
                        } else if i < j {
                            Some((1.0 - 1.3 * d).max(0.0))
                        } else {
                            Some(1.0)
                        }
                    })
                    .collect()
            })
            .collect();
        (labels, values)
    }

    #[test]
    fn heatmaps_render() {
        let dir = temp_dir("heat");
        for n in [3, 8, 15] {
            let (l, v) = synthetic(n);
            let title = format!("Methods agree on the top, not the rest ({n})");
            let p = heatmap(
                &l,
                &v,
                "Kendall τ-b",
                "RBO (p = 0.9)",
                &title,
                "sub",
                &dir.join(format!("h{n}")),
            )
            .unwrap();
            let svg = check_pair(&p, &title, style::WIDTH);
            assert!(svg.contains("Below the diagonal: Kendall τ-b"));
        }
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("heatedge");
        let p = heatmap(&[], &[], "a", "b", "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No methods to compare"));
        // One label; Nones; long names (rotated); many labels.
        let one = heatmap(
            &["solo".into()],
            &[vec![None]],
            "a",
            "b",
            "One",
            "",
            &dir.join("one"),
        )
        .unwrap();
        check_pair(&one, "One", style::WIDTH);
        let labels: Vec<String> = (0..6)
            .map(|i| format!("A rather long method name {i} with <markup> & more"))
            .collect();
        let v: Vec<Vec<Option<f64>>> = (0..6)
            .map(|i| {
                (0..6)
                    .map(|j| {
                        if (i + j) % 3 == 0 {
                            None
                        } else {
                            Some(if i > j { -1.0 } else { 1.0 })
                        }
                    })
                    .collect()
            })
            .collect();
        check_pair(
            &heatmap(&labels, &v, "τ", "RBO", "Long", "", &dir.join("long")).unwrap(),
            "Long",
            style::WIDTH,
        );
        let (l, v) = synthetic(MAX_LABELS);
        check_pair(
            &heatmap(&l, &v, "τ", "RBO", "Max", "", &dir.join("max")).unwrap(),
            "Max",
            style::WIDTH,
        );
        // Errors.
        let (l, mut v) = synthetic(3);
        assert!(heatmap(&l, &v[..2], "a", "b", "t", "", &dir.join("x")).is_err());
        v[2][0] = Some(f64::NAN);
        assert!(heatmap(&l, &v, "a", "b", "t", "", &dir.join("x")).is_err());
        v[2][0] = Some(-1.5);
        assert!(heatmap(&l, &v, "a", "b", "t", "", &dir.join("x")).is_err());
        v[2][0] = Some(-0.5);
        v[0][2] = Some(-0.5); // upper must be 0..1
        assert!(heatmap(&l, &v, "a", "b", "t", "", &dir.join("x")).is_err());
        v[0][2] = Some(0.5);
        v[1][1] = Some(f64::NAN); // diagonal ignored
        assert!(heatmap(&l, &v, "a", "b", "t", "", &dir.join("x")).is_ok());
        let (l, v) = synthetic(MAX_LABELS + 1);
        assert!(heatmap(&l, &v, "a", "b", "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
