//! How cheaply each ranking can be gamed: per method, how much of the top N an
//! account could reach on its own, and how many actions it takes.
//!
//! One row per method (in the order given), two aligned panels. Left: the share of
//! the top N reachable by actions the account controls alone (0..1, vermillion bar,
//! percentage printed). Right: the median number of actions needed to enter the
//! top N, as two dodged bars, actions the account takes alone (vermillion, upper)
//! and actions others must take (blue, lower), each with its value printed; "n/a"
//! where a median is `None`. The right axis is log10 when the positive medians span
//! more than two decades (said in the panel heading; a median of 0 then prints "0"
//! with no bar), else linear from 0.
//!
//! Input rules: no rows draws a "no data" chart. It is an error when `n_top` is 0,
//! a share is NaN or outside 0..=1, a median is negative, NaN or infinite, or
//! there are more than [`MAX_ROWS`] rows.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::text_anchor::{HPos, VPos};

use super::kit;
use super::legend::{Key, Legend, WIDE};
use super::rows::{self, Frame, RowLabels};
use super::style::{self, AXIS, BODY_PX, INK, MARGIN, MUTED, okabe_ito};
use super::{Axis, Header, Root, fill_rect, line, log_ticks, text};
use crate::results::{Figure, Results};

/// How one ranking method can be gamed.
#[derive(Clone, Debug, PartialEq)]
pub struct GamingRow {
    /// Method name.
    pub method: String,
    /// Share (0..=1) of the top N reachable by actions the account controls alone.
    pub share_self_only: f64,
    /// Median actions needed when the account acts alone; `None` = not possible / unknown.
    pub median_self: Option<f64>,
    /// Median actions needed that others must take; `None` = not possible / unknown.
    pub median_others: Option<f64>,
}

/// Most rows drawn.
pub const MAX_ROWS: usize = 60;

const ROW_H: i32 = 44;
const BAR_H: i32 = 13;
const LABEL_MAX_W: f64 = 180.0;
const SELF: plotters::style::RGBColor = okabe_ito::VERMILLION;
const OTHERS: plotters::style::RGBColor = okabe_ito::BLUE;

/// Draws the gaming-cost chart to `stem.png` and `stem.svg` (see the module docs).
pub fn gaming_cost(
    rows: &[GamingRow],
    n_top: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(n_top >= 1, "n_top must be at least 1");
    if rows.is_empty() {
        return super::no_data(stem, title, subtitle, "No methods to compare.");
    }
    ensure!(
        rows.len() <= MAX_ROWS,
        "{} methods is too many (at most {MAX_ROWS})",
        rows.len()
    );
    for r in rows {
        kit::share(
            r.share_self_only,
            &format!("share_self_only of {:?}", r.method),
        )?;
        for (name, v) in [
            ("median_self", r.median_self),
            ("median_others", r.median_others),
        ] {
            if let Some(v) = v {
                ensure!(
                    v.is_finite() && v >= 0.0,
                    "{name} of {:?} is {v} (must be a finite count ≥ 0)",
                    r.method
                );
            }
        }
    }
    let layout = Layout::new(rows, n_top, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, rows)
    })
}

struct Layout {
    frame: Frame,
    labels: RowLabels,
    left_heading: Vec<String>,
    right_heading: Vec<String>,
    share: Axis,
    cost: Axis,
    cost_ticks: Vec<f64>,
    left: (i32, i32),
    right: (i32, i32),
    height: i32,
}

impl Layout {
    fn new(rows: &[GamingRow], n_top: u32, title: &str, subtitle: &str) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let mut items = vec![
            (
                Key::Bar(SELF),
                "actions the account controls alone".to_string(),
            ),
            (Key::Bar(OTHERS), "actions others must take".to_string()),
        ];
        if rows
            .iter()
            .any(|r| r.median_self.is_none() || r.median_others.is_none())
        {
            items.push((Key::None, "n/a: not reachable that way".to_string()));
        }
        let legend = Legend::new(items, MARGIN, width - 2 * MARGIN, WIDE);
        let labels = RowLabels::new(rows.iter().map(|r| r.method.as_str()), LABEL_MAX_W, 40);
        let label_right = labels.right;
        let x0 = label_right + 14;
        let avail = width - MARGIN - x0;
        let left = (x0, x0 + (f64::from(avail) * 0.32).round() as i32);
        let right = (left.1 + 36, width - MARGIN);

        // Shares: 0..1 with room for "100%" after the bar.
        let pct_w = style::text_width("100%", BODY_PX, false).ceil() as i32 + 8;
        let share = Axis::linear(0.0, 1.0, left.0, left.1 - pct_w);

        // Costs.
        let vals: Vec<f64> = rows
            .iter()
            .flat_map(|r| [r.median_self, r.median_others])
            .flatten()
            .collect();
        let max = vals.iter().copied().fold(0.0, f64::max);
        let min_pos = vals
            .iter()
            .copied()
            .filter(|&v| v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let value_w = vals
            .iter()
            .map(|&v| style::text_width(&kit::count(v), BODY_PX, false).ceil() as i32)
            .chain([style::text_width("n/a", BODY_PX, false).ceil() as i32])
            .max()
            .unwrap_or(0)
            + 8;
        let (c0, c1) = (right.0, right.1 - value_w);
        let log = min_pos.is_finite() && max / min_pos > 100.0;
        let (cost, cost_ticks) = if log {
            let lo = 10f64.powf(min_pos.log10().floor());
            let hi = 10f64.powf(max.log10().ceil()).max(lo * 10.0);
            let axis = Axis::log(lo, hi, c0, c1);
            let min_gap = style::text_width(&kit::count(hi), BODY_PX, false) + 14.0;
            (axis, log_ticks(&axis, min_gap))
        } else {
            let min_gap = style::text_width(&kit::count(max.max(1.0) * 1.2), BODY_PX, false) + 18.0;
            let (_, b, _, ticks) =
                kit::linear_ticks(0.0, max.max(1.0), f64::from(c1 - c0), min_gap);
            (Axis::linear(0.0, b, c0, c1), ticks)
        };

        let scale = if log { " (log scale)" } else { "" };
        let left_heading = kit::wrap_lines(
            &format!("Share of the top {n_top} the account can reach alone"),
            BODY_PX,
            true,
            f64::from(left.1 - left.0),
            3,
        );
        let right_heading = kit::wrap_lines(
            &format!("Median actions needed to enter the top {n_top}{scale}"),
            BODY_PX,
            true,
            f64::from(right.1 - right.0),
            3,
        );
        let lh = style::line_height(BODY_PX);
        let heading_lines = left_heading.len().max(right_heading.len()) as i32;
        let frame = Frame::new(header, vec![legend], heading_lines * lh + 8);
        let height = frame.height(rows.len() as i32 * ROW_H, rows::ticks_height() + 4);
        Self {
            frame,
            labels,
            left_heading,
            right_heading,
            share,
            cost,
            cost_ticks,
            left,
            right,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, rows: &[GamingRow]) -> Result<()> {
        self.frame.draw(root)?;
        let lh = style::line_height(BODY_PX);
        let rows_y = self.frame.rows_y;
        let (y0, y1) = (rows_y, rows_y + rows.len() as i32 * ROW_H);
        rows::zebra(root, y0, ROW_H, rows.len(), style::WIDTH as i32 - MARGIN)?;
        // Headings, bottom-aligned above each panel.
        let hs = style::text(BODY_PX, true, &INK, HPos::Left, VPos::Top);
        for (lines, x) in [
            (&self.left_heading, self.left.0),
            (&self.right_heading, self.right.0),
        ] {
            let top = y0 - 8 - lines.len() as i32 * lh;
            for (k, l) in lines.iter().enumerate() {
                text(root, l, (x, top + k as i32 * lh), &hs)?;
            }
        }
        // Grids.
        rows::grid(
            root,
            [0.25, 0.5, 0.75, 1.0].map(|t| self.share.px(t)),
            y0,
            y1,
        )?;
        rows::grid(
            root,
            self.cost_ticks.iter().map(|&t| self.cost.px(t)),
            y0,
            y1,
        )?;

        let value_style = style::text(BODY_PX, false, &INK, HPos::Left, VPos::Center);
        let na_style = style::text(BODY_PX, false, &MUTED, HPos::Left, VPos::Center);
        let s0 = self.share.px(0.0);
        let c0 = self.right.0;
        for (i, r) in rows.iter().enumerate() {
            let cy = y0 + i as i32 * ROW_H + ROW_H / 2;
            self.labels.draw(root, i, cy)?;
            // Left: share.
            let x = self.share.px(r.share_self_only.clamp(0.0, 1.0));
            if x > s0 {
                fill_rect(root, s0, cy - 8, x, cy + 8, &SELF, 1.0)?;
            }
            text(
                root,
                &kit::pct(r.share_self_only),
                (x.max(s0) + 5, cy),
                &value_style,
            )?;
            // Right: costs.
            for (v, colour, top) in [
                (r.median_self, SELF, cy - BAR_H - 1),
                (r.median_others, OTHERS, cy + 1),
            ] {
                let ty = top + BAR_H / 2;
                match v {
                    None => text(root, "n/a", (c0 + 5, ty), &na_style)?,
                    Some(v) => {
                        let drawable = !self.cost.log || v > 0.0;
                        let x = if drawable {
                            self.cost.px(v).max(c0)
                        } else {
                            c0
                        };
                        if drawable && x > c0 {
                            fill_rect(root, c0, top, x.max(c0 + 1), top + BAR_H, &colour, 1.0)?;
                        }
                        text(root, &kit::count(v), (x + 5, ty), &value_style)?;
                    }
                }
            }
        }
        // Axes.
        line(root, vec![(s0, y0), (s0, y1)], &AXIS, 1)?;
        line(root, vec![(c0, y0), (c0, y1)], &AXIS, 1)?;
        line(root, vec![(s0, y1), (self.share.px(1.0), y1)], &AXIS, 1)?;
        line(
            root,
            vec![(c0, y1), (self.cost.px(self.cost.hi), y1)],
            &AXIS,
            1,
        )?;
        let share_ticks = [(0.0, "0"), (0.5, "50%"), (1.0, "100%")];
        rows::bottom_ticks(
            root,
            share_ticks.map(|(t, s)| (self.share.px(t), s.to_string())),
            y1,
        )?;
        rows::bottom_ticks(
            root,
            self.cost_ticks
                .iter()
                .map(|&t| (self.cost.px(t), kit::count(t))),
            y1,
        )
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// How cheaply each costed ranking can be gamed.
pub fn figure(res: &Results, dir: &Path) -> Result<Option<Figure>> {
    let top_n = res.study.study.top_n;
    let rows: Vec<GamingRow> = res
        .gaming
        .iter()
        .filter(|g| g.not_computed.is_none())
        .take(60)
        .map(|g| GamingRow {
            // * = costed by search on a sample (upper bounds).
            method: match g.how {
                crate::critique::gaming::How::Search => format!("{}*", g.ranking),
                crate::critique::gaming::How::Exact => g.ranking.clone(),
            },
            share_self_only: g.share_self_only.unwrap_or(0.0),
            median_self: g.median_self_only,
            median_others: g.median_others,
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let cheap = rows
        .iter()
        // The largest share; among equal shares, the fewest own actions.
        .max_by(|a, b| {
            a.share_self_only.total_cmp(&b.share_self_only).then(
                b.median_self
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&a.median_self.unwrap_or(f64::INFINITY)),
            )
        })
        .expect("non-empty");
    // Every ranking as cheap as the cheapest: named together, never one "most" among
    // equals.
    let equal: Vec<String> = rows
        .iter()
        .filter(|r| {
            r.share_self_only == cheap.share_self_only && r.median_self == cheap.median_self
        })
        .map(|r| r.method.trim_end_matches('*').to_string())
        .collect();
    let share = 100.0 * cheap.share_self_only;
    let title = if cheap.share_self_only == 0.0 {
        format!("No outsider could enter any top {top_n} here by their own actions alone")
    } else if equal.len() == rows.len() && rows.len() > 1 {
        format!(
            "In every ranking, {share:.0} % of outsiders could enter the top {top_n} by their own actions alone"
        )
    } else if equal.len() > 1 {
        format!(
            "{} are the easiest to game: {share:.0} % of outsiders could enter their top {top_n} by their own actions alone",
            kit::tied(&equal)
        )
    } else {
        format!(
            "{} is the easiest to game: {share:.0} % of outsiders could enter its top {top_n} by their own actions alone",
            kit::quoted(&equal[0])
        )
    };
    // The structural reason where one account's follow is the usual way in.
    let reasons: String = res
        .gaming
        .iter()
        .filter_map(|g| {
            g.reason
                .as_ref()
                .map(|r| format!(". {}: {r}", kit::quoted(&g.ranking)))
        })
        .collect();
    let subtitle = format!(
        "Accounts outside each top {top_n}: share that can get in alone (following, posting, engaging) and median actions needed; * = by search on a sample, costs are upper bounds{reasons}"
    );
    let name = "gaming-cost".to_string();
    let files = gaming_cost(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Some(Figure {
        alt: format!("Gaming cost by ranking. {title}."),
        name,
        title,
        files,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn row(m: &str, s: f64, a: Option<f64>, b: Option<f64>) -> GamingRow {
        GamingRow {
            method: m.into(),
            share_self_only: s,
            median_self: a,
            median_others: b,
        }
    }

    #[test]
    fn linear_and_log_render() {
        let dir = temp_dir("gaming");
        let rows = vec![
            row(
                "Published (followers + tweets)",
                0.62,
                Some(140.0),
                Some(35.0),
            ),
            row("PageRank", 0.04, None, Some(18.0)),
            row("Replies received", 0.0, Some(12.0), Some(9.0)),
        ];
        let title = "The published rule can be gamed by posting more";
        let p = gaming_cost(&rows, 50, title, "sub", &dir.join("lin")).unwrap();
        let svg = check_pair(&p, title, style::WIDTH);
        assert!(svg.contains("n/a") && !svg.contains("log scale"));
        let mut wide = rows.clone();
        wide[0].median_self = Some(25_000.0);
        let p = gaming_cost(&wide, 50, title, "sub", &dir.join("log")).unwrap();
        assert!(check_pair(&p, title, style::WIDTH).contains("log scale"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("gamingedge");
        let p = gaming_cost(&[], 5, "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No methods"));
        let zeros = vec![
            row("<z & >\n", 1.0, Some(0.0), None),
            row("n", 0.0, None, None),
        ];
        check_pair(
            &gaming_cost(&zeros, 5, "Zeros", "", &dir.join("z")).unwrap(),
            "Zeros",
            style::WIDTH,
        );
        let zlog = vec![
            row("a", 0.5, Some(0.0), Some(1.0)),
            row("b", 0.5, Some(1e6), None),
        ];
        check_pair(
            &gaming_cost(&zlog, 5, "ZeroLog", "", &dir.join("zl")).unwrap(),
            "ZeroLog",
            style::WIDTH,
        );
        assert!(gaming_cost(&[row("a", 1.5, None, None)], 5, "t", "", &dir.join("x")).is_err());
        assert!(
            gaming_cost(
                &[row("a", 0.5, Some(-1.0), None)],
                5,
                "t",
                "",
                &dir.join("x")
            )
            .is_err()
        );
        assert!(
            gaming_cost(
                &[row("a", 0.5, None, Some(f64::NAN))],
                5,
                "t",
                "",
                &dir.join("x")
            )
            .is_err()
        );
        assert!(gaming_cost(&[row("a", 0.5, None, None)], 0, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
