//! Probability of being in the top N: for each account, the share of re-runs
//! (replicates, universes) in which it makes the top N.
//!
//! One row per account, sorted by probability (highest first; ties: members of the
//! original top N first, then by label). Each row is a lollipop from 0 to `p` ending
//! in a dot coloured by band (blue ≥ 0.95 "nearly always in", orange 0.5–0.95 "in and
//! out", vermillion < 0.5 "in fewer than half", as in the caterpillar chart): filled
//! for members of the original (unperturbed) top N, hollow for outsiders. Dashed
//! reference lines at 0.5 and 0.95; above the plot each band is named with its count
//! of original members and, apart, of outsiders (the bands of
//! [`crate::sensitivity::summary::Bands`]: the report's counts); `p` is printed at the
//! right as a percentage.
//!
//! Input rules: no rows draws a "no data" chart. It is an error when `n_top` is 0
//! or a `p` is NaN or outside 0..=1. More than [`MAX_ROWS`] rows draws the
//! [`MAX_ROWS`] most probable and says so under the chart.

use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::caterpillar::{ACCIDENT, STABLE, stability_colour};
use super::kit;
use super::legend::{Key, Legend, WIDE};
use super::rows::{self, Frame};
use super::style::{self, AXIS, AXIS_TITLE_PX, BAD, BODY_PX, GOOD, INK, MARGIN, MIXED, MUTED};
use super::{Axis, Header, Root, dashed, dot, fill_rect, line, text};
use crate::results::{FamilyResult, Figure, Results};
use crate::sensitivity::summary::Bands;

/// One account and how often it is in the top N.
#[derive(Clone, Debug, PartialEq)]
pub struct Membership {
    /// Account label.
    pub label: String,
    /// Share of re-runs with the account in the top N (0..=1).
    pub p: f64,
    /// Whether the account is in the original (unperturbed) top N.
    pub nominal_in: bool,
}

/// Most rows drawn (20 px each); the band counts are of all rows.
pub const MAX_ROWS: usize = 80;

const ROW_H: i32 = 20;
const LABEL_MAX_W: f64 = 220.0;
const DOT_R: u32 = 5;

/// Draws the membership chart to `stem.png` and `stem.svg` (see the module docs).
pub fn membership(
    rows: &[Membership],
    n_top: u32,
    title: &str,
    subtitle: &str,
    stem: &Path,
) -> Result<Vec<PathBuf>> {
    ensure!(n_top >= 1, "n_top must be at least 1");
    if rows.is_empty() {
        return super::no_data(stem, title, subtitle, "No accounts to show.");
    }
    for r in rows {
        kit::share(r.p, &format!("p of {:?}", r.label))?;
    }
    let mut sorted: Vec<&Membership> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        b.p.total_cmp(&a.p)
            .then(b.nominal_in.cmp(&a.nominal_in))
            .then(a.label.cmp(&b.label))
    });
    // Per band: (members of the original top N, outsiders), of all rows, not only
    // those drawn, so that the counts are those of the report.
    let band = |lo: f64, hi: f64, inside: bool| {
        rows.iter()
            .filter(|r| r.p >= lo && r.p < hi && r.nominal_in == inside)
            .count()
    };
    let counts = [(0.0, ACCIDENT), (ACCIDENT, STABLE), (STABLE, f64::INFINITY)]
        .map(|(lo, hi)| (band(lo, hi, true), band(lo, hi, false)));
    let total = sorted.len();
    sorted.truncate(MAX_ROWS);
    let note = (total > sorted.len()).then(|| {
        format!(
            "Showing the {} most probable of {} accounts.",
            sorted.len(),
            style::thousands(total as u64)
        )
    });
    let layout = Layout::new(&sorted, n_top, counts, note, title, subtitle);
    super::render(stem, style::WIDTH, layout.height as u32, |root| {
        layout.draw(root, &sorted)
    })
}

struct Layout {
    frame: Frame,
    labels: Vec<String>,
    counts: [(usize, usize); 3],
    n_top: u32,
    axis: Axis,
    label_right: i32,
    value_x: i32,
    note: Option<String>,
    height: i32,
}

impl Layout {
    fn new(
        rows: &[&Membership],
        n_top: u32,
        counts: [(usize, usize); 3],
        note: Option<String>,
        title: &str,
        subtitle: &str,
    ) -> Self {
        let width = style::WIDTH as i32;
        let header = Header::new(title, subtitle, style::WIDTH);
        let legend = Legend::new(
            vec![
                (Key::Dot(INK), format!("in the original top {n_top}")),
                (Key::Hollow(INK), format!("not in the original top {n_top}")),
            ],
            MARGIN,
            width - 2 * MARGIN,
            WIDE,
        );
        let labels: Vec<String> = rows
            .iter()
            .map(|r| style::ellipsize(&kit::clean(&r.label), BODY_PX, false, LABEL_MAX_W))
            .collect();
        let label_w = labels
            .iter()
            .map(|l| style::text_width(l, BODY_PX, false).ceil() as i32)
            .max()
            .unwrap_or(0)
            .max(40);
        let label_right = MARGIN + label_w;
        let value_w = style::text_width("100%", BODY_PX, false).ceil() as i32;
        let value_x = width - MARGIN;
        let plot_x0 = label_right + 16;
        let plot_x1 = value_x - value_w - 16;
        let axis = Axis::linear(0.0, 1.0, plot_x0, plot_x1);
        let lh = style::line_height(BODY_PX);
        // Above the rows: band names with their two counts (3 lines) and the reference
        // values.
        let frame = Frame::new(header, vec![legend], 4 * lh + 6);
        let note_h = if note.is_some() { lh + 4 } else { 0 };
        let height = frame.height(
            rows.len() as i32 * ROW_H,
            rows::bottom_axis_height() + note_h,
        );
        Self {
            frame,
            labels,
            counts,
            n_top,
            axis,
            label_right,
            value_x,
            note,
            height,
        }
    }

    fn draw(&self, root: &Root<'_>, rows: &[&Membership]) -> Result<()> {
        self.frame.draw(root)?;
        let lh = style::line_height(BODY_PX);
        let rows_y = self.frame.rows_y;
        let (y0, y1) = (rows_y, rows_y + rows.len() as i32 * ROW_H);
        let (x0, x1) = (self.axis.px(0.0), self.axis.px(1.0));
        let (xa, xs) = (self.axis.px(ACCIDENT), self.axis.px(STABLE));

        rows::zebra(root, y0, ROW_H, rows.len(), self.value_x)?;
        // Light tints behind the two named bands.
        fill_rect(root, x0, y0, xa, y1, &BAD, 0.06)?;
        fill_rect(root, xs, y0, x1, y1, &GOOD, 0.10)?;
        rows::grid(root, [0.25, 0.75].map(|t| self.axis.px(t)), y0, y1)?;

        // Band names with counts, and the reference values. The top band is narrow,
        // so its block is right-aligned at the axis end and the middle one is moved
        // left of it where they would overlap.
        let n_top = self.n_top;
        let lines = |name: &str, (inside, outside): (usize, usize)| {
            let mut v = vec![
                (name.to_string(), true),
                (format!("{inside} of the top {n_top}"), false),
            ];
            if outside > 0 {
                v.push((format!("+ {outside} from outside"), false));
            }
            v
        };
        let block_w = |name: &str, c: (usize, usize)| {
            lines(name, c)
                .iter()
                .map(|(t, bold)| style::text_width(t, BODY_PX, *bold).ceil() as i32)
                .max()
                .unwrap_or(0)
        };
        let good_w = block_w("nearly always in", self.counts[2]);
        let mixed_w = block_w("in and out", self.counts[1]);
        let mixed_x = ((xa + xs) / 2).min(x1 - good_w - 16 - mixed_w / 2);
        let names: [(&str, RGBColor, i32, HPos); 3] = [
            ("in fewer than half", BAD, (x0 + xa) / 2, HPos::Center),
            ("in and out", MIXED, mixed_x, HPos::Center),
            ("nearly always in", GOOD, x1, HPos::Right),
        ];
        let name_y = y0 - 4 * lh - 4;
        for ((name, colour, x, h), (inside, outside)) in names.into_iter().zip(self.counts) {
            let c = kit::readable(colour);
            let st = style::text(BODY_PX, true, &c, h, VPos::Top);
            text(root, name, (x, name_y), &st)?;
            let st = style::text(BODY_PX, false, &c, h, VPos::Top);
            text(
                root,
                &format!("{inside} of the top {n_top}"),
                (x, name_y + lh),
                &st,
            )?;
            if outside > 0 {
                text(
                    root,
                    &format!("+ {outside} from outside"),
                    (x, name_y + 2 * lh),
                    &st,
                )?;
            }
        }
        let ref_style = style::text(BODY_PX, false, &INK, HPos::Center, VPos::Bottom);
        for (v, x) in [(ACCIDENT, xa), (STABLE, xs)] {
            text(
                root,
                &kit::fmt(v, if v == 0.5 { 1 } else { 2 }),
                (x, y0 - 3),
                &ref_style,
            )?;
        }
        let head = style::text(BODY_PX, false, &MUTED, HPos::Right, VPos::Bottom);
        text(root, "P(top)", (self.value_x, y0 - 3), &head)?;

        // Rows.
        let label_style = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        let value_style = style::text(BODY_PX, false, &INK, HPos::Right, VPos::Center);
        for (i, (r, label)) in rows.iter().zip(&self.labels).enumerate() {
            let cy = y0 + i as i32 * ROW_H + ROW_H / 2;
            text(root, label, (self.label_right, cy), &label_style)?;
            let colour = stability_colour(r.p);
            let x = self.axis.px(r.p.clamp(0.0, 1.0));
            if x > x0 {
                line(root, vec![(x0, cy), (x, cy)], &colour, 2)?;
            }
            text(root, &kit::pct(r.p), (self.value_x, cy), &value_style)?;
        }
        for x in [xa, xs] {
            dashed(root, (x, y0), (x, y1), &INK, 1, 5.0, 4.0)?;
        }
        for (i, r) in rows.iter().enumerate() {
            let cy = y0 + i as i32 * ROW_H + ROW_H / 2;
            let colour = stability_colour(r.p);
            let x = self.axis.px(r.p.clamp(0.0, 1.0));
            if r.nominal_in {
                dot(root, (x, cy), DOT_R, &colour, None)?;
            } else {
                kit::hollow_dot(root, (x, cy), DOT_R, &colour)?;
            }
        }

        // Axis.
        line(root, vec![(x0, y1), (x1, y1)], &AXIS, 1)?;
        line(root, vec![(x0, y0), (x0, y1)], &AXIS, 1)?;
        let ticks = [
            (0.0, "0"),
            (0.25, "0.25"),
            (0.5, "0.5"),
            (0.75, "0.75"),
            (1.0, "1"),
        ];
        rows::bottom_ticks(root, ticks.map(|(t, s)| (self.axis.px(t), s)), y1)?;
        let title = format!(
            "Probability of being in the top {} (share of re-runs)",
            self.n_top
        );
        let title = style::ellipsize(
            &title,
            AXIS_TITLE_PX,
            false,
            f64::from(style::WIDTH as i32 - 2 * MARGIN),
        );
        rows::axis_title(root, &title, (x0 + x1) / 2, y1)?;
        if let Some(note) = &self.note {
            rows::note_below_axis(root, note, y1)?;
        }
        Ok(())
    }
}

// The audit's figure: which results this chart shows and the sentence its title states.

/// P(top N) per account under a family.
pub fn figure(res: &Results, f: &FamilyResult, dir: &Path) -> Result<Figure> {
    let accounts = &res.data.accounts;
    let top_n = res.study.study.top_n;
    let mut rows: Vec<Membership> = f
        .accounts
        .iter()
        .filter(|a| a.nominal_in_top || a.p_top_n > 0.0)
        .map(|a| Membership {
            label: accounts.label(a.account).to_string(),
            p: a.p_top_n,
            nominal_in: a.nominal_in_top,
        })
        .collect();
    rows.sort_by(|a, b| b.p.total_cmp(&a.p).then_with(|| a.label.cmp(&b.label)));
    let bands = Bands::of(&f.accounts);
    let what = crate::sensitivity::describe(&f.family, &f.universes);
    let title = match (bands.core_in_top, bands.core_outside) {
        (0, 0) => format!("No account is in the top {top_n} in at least 95 % of {what}"),
        (k, 0) => format!(
            "{k} of the top {} {} in the top {top_n} in at least 95 % of {what}",
            bands.nominal_top,
            if k == 1 { "stays" } else { "stay" }
        ),
        (k, o) => format!(
            "{k} of the top {} {} in the top {top_n} in at least 95 % of {what}, and {o} from outside {}",
            bands.nominal_top,
            if k == 1 { "stays" } else { "stay" },
            if o == 1 { "joins them" } else { "join them" }
        ),
    };
    let subtitle = format!(
        "Ranking “{}”: share of the runs with each account in the top {top_n}; filled = in the original top {top_n}",
        f.ranking
    );
    let name = super::family_figure_name(res, f, "membership");
    let files = membership(&rows, top_n, &title, &subtitle, &dir.join(&name))?;
    Ok(Figure {
        alt: format!("Membership probability under {what}. {title}."),
        name,
        title,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    pub(crate) fn synthetic(n: usize) -> Vec<Membership> {
        (0..n)
            .map(|i| Membership {
                label: format!("@account_{i:02}"),
                p: (1.0 - (i as f64 / n as f64).powf(1.3)).clamp(0.0, 1.0),
                nominal_in: i % 5 != 3,
            })
            .collect()
    }

    #[test]
    fn rows_render() {
        let dir = temp_dir("memb");
        for n in [5, 80] {
            let title = format!("Only some of {n} are a stable core");
            let p =
                membership(&synthetic(n), 50, &title, "sub", &dir.join(format!("m{n}"))).unwrap();
            let svg = check_pair(&p, &title, style::WIDTH);
            assert!(svg.contains("nearly always in") && svg.contains("in fewer than half"));
        }
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn edge_inputs_do_not_panic() {
        let dir = temp_dir("membedge");
        let p = membership(&[], 50, "Empty", "", &dir.join("e")).unwrap();
        assert!(check_pair(&p, "Empty", style::WIDTH).contains("No accounts"));
        let odd = vec![
            Membership {
                label: String::new(),
                p: 0.0,
                nominal_in: true,
            },
            Membership {
                label: "<b>&\n".into(),
                p: 1.0,
                nominal_in: false,
            },
        ];
        check_pair(
            &membership(&odd, 1, "Odd", "", &dir.join("o")).unwrap(),
            "Odd",
            style::WIDTH,
        );
        let p = membership(&synthetic(MAX_ROWS + 3), 50, "Many", "", &dir.join("m")).unwrap();
        assert!(
            check_pair(&p, "Many", style::WIDTH)
                .contains(&format!("most probable of {}", MAX_ROWS + 3))
        );
        let bad = Membership {
            label: "x".into(),
            p: 1.2,
            nominal_in: true,
        };
        assert!(membership(std::slice::from_ref(&bad), 5, "t", "", &dir.join("x")).is_err());
        let nan = Membership {
            p: f64::NAN,
            ..bad.clone()
        };
        assert!(membership(&[nan], 5, "t", "", &dir.join("x")).is_err());
        assert!(membership(&synthetic(3), 0, "t", "", &dir.join("x")).is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
