//! Does the ranking reproduce the offline hierarchy? Share of each group in the
//! top N under each method, against the group's share of the population.
//!
//! A dot plot: one block per method (rows, in order of first appearance in
//! `cells`), one line per group inside it (colour, in order of first appearance).
//! Each line shows the interval `lo..hi` as a pale bar, the share in the top N as a
//! dot, and the group's population share as a black tick, so a dot left of its
//! tick means the group is under-represented. A group with no cell for a method
//! prints "n/a". x is the share (percent), from 0 to a little past the largest
//! value.
//!
//! Input rules: no cells draws a "no data" chart. It is an error when `n_top` is 0,
//! a share or bound is NaN or outside 0..=1, `lo > top_share` or `top_share > hi`,
//! a (method, group) pair appears twice, or there are more than [`MAX_GROUPS`]
//! groups or [`MAX_METHODS`] methods.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::kit::{self, CATEGORICAL};
use super::legend::{Key, Legend, WIDE};
use super::rows::{self, Frame, RowLabels};
use super::style::{self, AXIS, BODY_PX, INK, MARGIN, MUTED};
use super::{Axis, Header, Root, dot, fill_rect, line, text};
use crate::results::{Figure, Results};

/// One method × group cell.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupShare {
    /// Ranking method.
    pub method: String,
    /// Group (e.g. gender, party, institution type).
    pub group: String,
    /// The group's share of the population the ranking draws from (0..=1).
    pub population_share: f64,
    /// The group's share of the top N (0..=1).
    pub top_share: f64,
    /// Lower end of the interval for `top_share`.
    pub lo: f64,
    /// Upper end of the interval for `top_share`.
    pub hi: f64,
}

/// Most groups (one colour each).
pub const MAX_GROUPS: usize = CATEGORICAL.len();
/// Most methods.
pub const MAX_METHODS: usize = 40;

const SUB_H: i32 = 16;
const BLOCK_PAD: i32 = 8;
const LABEL_MAX_W: f64 = 190.0;

/// Draws the representation chart to `stem.png` and `stem.svg` (see the module docs).
pub fn representation(
    cells: &[GroupShare],
    n_top: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(n_top >= 1, "n_top must be at least 1");
    if cells.is_empty() {
        return super::no_data(stem, title, subtitle, "No groups to compare.");
    }
    let mut methods: Vec<&str> = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for c in cells {
        if !methods.contains(&c.method.as_str()) {
            methods.push(&c.method);
        }
        if !groups.contains(&c.group.as_str()) {
            groups.push(&c.group);
        }
        let at = format!("{:?} / {:?}", c.method, c.group);
        kit::share(c.population_share, &format!("population share of {at}"))?;
        kit::share(c.top_share, &format!("top share of {at}"))?;
        kit::share(c.lo, &format!("lo of {at}"))?;
        kit::share(c.hi, &format!("hi of {at}"))?;
        ensure!(
            c.lo <= c.top_share + 1e-9 && c.top_share <= c.hi + 1e-9,
            "{at}: needs lo ≤ top_share ≤ hi, got {}, {}, {}",
            c.lo,
            c.top_share,
            c.hi
        );
    }
    ensure!(
        groups.len() <= MAX_GROUPS,
        "{} groups is too many (at most {MAX_GROUPS}, one colour each)",
        groups.len()
    );
    ensure!(
        methods.len() <= MAX_METHODS,
        "{} methods is too many (at most {MAX_METHODS})",
        methods.len()
    );
    // grid[m][g] = the cell, if any.
    let mut grid: Vec<Vec<Option<&GroupShare>>> = vec![vec![None; groups.len()]; methods.len()];
    for c in cells {
        let m = methods.iter().position(|&x| x == c.method).unwrap_or(0);
        let g = groups.iter().position(|&x| x == c.group).unwrap_or(0);
        ensure!(
            grid[m][g].is_none(),
            "method {:?} has group {:?} twice",
            c.method,
            c.group
        );
        grid[m][g] = Some(c);
    }
    let layout = Layout::new(&methods, &groups, cells, n_top, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &grid)
    })
}

struct Layout {
    frame: Frame,
    labels: RowLabels,
    n_groups: usize,
    axis: Axis,
    ticks: Vec<f64>,
    tick_decimals: usize,
    x_title: String,
    block_h: i32,
    height: i32,
}

impl Layout {
    fn new(
        methods: &[&str],
        groups: &[&str],
        cells: &[GroupShare],
        n_top: u32,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let mut items: Vec<(Key, String)> = groups
            .iter()
            .enumerate()
            .map(|(g, name)| {
                (
                    Key::Dot(CATEGORICAL[g % CATEGORICAL.len()]),
                    kit::clean(name),
                )
            })
            .collect();
        items.push((Key::Tick(INK), "share in the population".to_string()));
        items.push((Key::Band(AXIS, 0.45), "interval".to_string()));
        let legend = Legend::new(items, MARGIN, width - 2 * MARGIN, WIDE);
        let labels = RowLabels::new(methods.iter().copied(), LABEL_MAX_W, 40);
        let label_right = labels.right;
        let plot_x0 = label_right + 16;
        let plot_x1 = width - MARGIN - 12;
        let max = cells
            .iter()
            .flat_map(|c| [c.hi, c.population_share, c.top_share])
            .fold(0.0, f64::max);
        let hi = (max * 1.05).clamp(0.01, 1.0);
        let min_gap = style::text_width("100%", BODY_PX, false) + 24.0;
        let (_, b, step, ticks) = kit::linear_ticks(0.0, hi, f64::from(plot_x1 - plot_x0), min_gap);
        let b = b.min(1.0).max(step.min(1.0));
        let ticks: Vec<f64> = ticks.into_iter().filter(|&t| t <= b + 1e-9).collect();
        let axis = Axis::linear(0.0, b, plot_x0, plot_x1);
        let tick_decimals = kit::step_decimals(step * 100.0);

        // Blocks: tall enough for the groups and for a two-line label.
        let lh = style::line_height(BODY_PX);
        let n_lines = labels.max_lines() as i32;
        let block_h = (groups.len() as i32 * SUB_H).max(n_lines * lh) + 2 * BLOCK_PAD;
        let frame = Frame::new(header, vec![legend], 0);
        let height = frame.height(methods.len() as i32 * block_h, rows::bottom_axis_height());
        Self {
            frame,
            labels,
            n_groups: groups.len(),
            axis,
            ticks,
            tick_decimals,
            x_title: format!("Share of the top {n_top}"),
            block_h,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, grid: &[Vec<Option<&GroupShare>>]) -> Result<()> {
        self.frame.draw(root)?;
        let rows_y = self.frame.rows_y;
        let (y0, y1) = (rows_y, rows_y + grid.len() as i32 * self.block_h);
        let (x0, x1) = (self.axis.p0 as i32, self.axis.p1 as i32);
        rows::zebra(
            root,
            y0,
            self.block_h,
            grid.len(),
            style::WIDTH as i32 - MARGIN,
        )?;
        rows::grid(root, self.ticks.iter().map(|&t| self.axis.px(t)), y0, y1)?;
        let na_style = style::text(BODY_PX, false, &MUTED, HPos::Left, VPos::Center);
        let sub_total = self.n_groups as i32 * SUB_H;
        for (m, row) in grid.iter().enumerate() {
            let top = y0 + m as i32 * self.block_h;
            let cy = top + self.block_h / 2;
            self.labels.draw(root, m, cy)?;
            let first = cy - sub_total / 2;
            for (g, cell) in row.iter().enumerate() {
                let sy = first + g as i32 * SUB_H + SUB_H / 2;
                let colour = CATEGORICAL[g % CATEGORICAL.len()];
                let Some(c) = cell else {
                    text(root, "n/a", (x0 + 4, sy), &na_style)?;
                    continue;
                };
                let (a, b) = (self.axis.px(c.lo), self.axis.px(c.hi));
                fill_rect(root, a, sy - 3, b.max(a + 1), sy + 3, &colour, 0.35)?;
                dot(
                    root,
                    (self.axis.px(c.top_share), sy),
                    5,
                    &colour,
                    Some(&style::BACKGROUND),
                )?;
                // The population tick over the dot, so it stays visible when they meet.
                let xp = self.axis.px(c.population_share);
                fill_rect(
                    root,
                    xp - 1,
                    sy - SUB_H / 2 + 1,
                    xp + 1,
                    sy + SUB_H / 2 - 1,
                    &INK,
                    1.0,
                )?;
            }
        }
        line(root, vec![(x0, y0), (x0, y1)], &AXIS, 1)?;
        line(root, vec![(x0, y1), (x1, y1)], &AXIS, 1)?;
        rows::bottom_ticks(
            root,
            self.ticks.iter().map(|&t| {
                let s = format!("{}%", kit::fmt(t * 100.0, self.tick_decimals));
                (self.axis.px(t), s)
            }),
            y1,
        )?;
        rows::axis_title(root, &self.x_title, (x0 + x1) / 2, y1)
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// Each group's share of each top N against its share of the population.
pub fn figure(res: &Results, attr: &str, dir: &Path) -> Result<Figure> {
    let top_n = res.study.study.top_n;
    let mut cells = Vec::new();
    let mut worst: Option<(f64, String, String)> = None;
    for h in &res.hierarchy {
        for (a, groups) in &h.representation {
            if a != attr {
                continue;
            }
            for g in groups {
                let gap = g.top_share - g.population_share;
                if worst.as_ref().is_none_or(|w| gap.abs() > w.0.abs()) {
                    worst = Some((gap, h.ranking.clone(), g.group.clone()));
                }
                cells.push(GroupShare {
                    method: h.ranking.clone(),
                    group: g.group.clone(),
                    population_share: g.population_share,
                    top_share: g.top_share,
                    lo: g.lo,
                    hi: g.hi,
                });
            }
        }
    }
    let title = match &worst {
        Some((gap, _, g)) => {
            // Every ranking with the same largest gap for that group is named.
            let same: Vec<String> = cells
                .iter()
                .filter(|c| {
                    &c.group == g
                        && format!("{:+.0}", 100.0 * (c.top_share - c.population_share))
                            == format!("{:+.0}", 100.0 * gap)
                })
                .map(|c| c.method.clone())
                .collect();
            let verb = match (*gap > 0.0, same.len() > 1) {
                (true, false) => "over-represents",
                (false, false) => "under-represents",
                (true, true) => "over-represent",
                (false, true) => "under-represent",
            };
            let most = if same.len() > 1 {
                "equally, and most"
            } else {
                "most"
            };
            format!(
                "{} {verb} {attr} “{g}” {most}: {:+.0} points in the top {top_n}",
                super::kit::tied(&same),
                gap * 100.0
            )
        }
        None => format!("Representation by {attr}"),
    };
    let subtitle = format!(
        "Share of each {attr} in the top {top_n} (95 % Wilson interval) against its share of the population (tick)"
    );
    let name = format!("representation-{attr}");
    let files = representation(&cells, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Representation of {attr} groups in each top {top_n}. {title}."),
        name,
        title,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn cell(m: &str, g: &str, pop: f64, top: f64) -> GroupShare {
        GroupShare {
            method: m.into(),
            group: g.into(),
            population_share: pop,
            top_share: top,
            lo: (top - 0.08).max(0.0),
            hi: (top + 0.1).min(1.0),
        }
    }

    pub(crate) fn synthetic(n_methods: usize, groups: &[&str]) -> Vec<GroupShare> {
        let mut v = Vec::new();
        for m in 0..n_methods {
            for (g, name) in groups.iter().enumerate() {
                let pop = 1.0 / groups.len() as f64;
                let top = (pop * (1.0 + 0.3 * ((m + g) as f64).sin())).clamp(0.0, 1.0);
                v.push(cell(&format!("Method {m}"), name, pop, top));
            }
        }
        v
    }

    #[test]
    fn dot_plot_renders() {
        let dir = temp_dir("repr");
        let cells = synthetic(
            10,
            &["women", "men", "non-binary", "unknown", "organisations"],
        );
        let title = "Every method under-represents women, the published one most";
        let p = representation(&cells, 50, title, "sub", &dir.join("r")).unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("share in the population") && svg.contains("organisations"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("repredge");
        let p = representation(&[], 50, "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No groups"));
        // Missing cells, zeros, ones, odd names.
        let cells = vec![cell("<a & b>\n", "x", 0.0, 0.0), cell("m2", "y", 1.0, 1.0)];
        check_pair(
            &representation(&cells, 5, "Sparse", "", &dir.join("s")).unwrap(),
            "Sparse",
            style::WIDTH,
        );
        let tiny = vec![cell("m", "g", 0.001, 0.002)];
        check_pair(
            &representation(&tiny, 5, "Tiny", "", &dir.join("t")).unwrap(),
            "Tiny",
            style::WIDTH,
        );
        // Errors.
        assert!(representation(&cells, 0, "t", "", &dir.join("x")).is_err());
        let dup = vec![cell("m", "g", 0.5, 0.5), cell("m", "g", 0.5, 0.4)];
        assert!(representation(&dup, 5, "t", "", &dir.join("x")).is_err());
        let mut bad = cell("m", "g", 0.5, 0.5);
        bad.lo = 0.6;
        assert!(representation(&[bad], 5, "t", "", &dir.join("x")).is_err());
        let nan = cell("m", "g", f64::NAN, 0.5);
        assert!(representation(&[nan], 5, "t", "", &dir.join("x")).is_err());
        // The largest grid fits the size limit.
        let names: Vec<String> = (0..MAX_GROUPS).map(|i| format!("group {i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let p = representation(
            &synthetic(MAX_METHODS, &refs),
            50,
            "Max",
            "",
            &dir.join("max"),
        );
        check_pair(&p.unwrap(), "Max", style::WIDTH);
        let names: Vec<String> = (0..=MAX_GROUPS).map(|i| format!("g{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        assert!(representation(&synthetic(1, &refs), 5, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
