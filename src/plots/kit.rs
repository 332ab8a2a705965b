//! Helpers shared by the comparison charts (bump, heatmap, specification curve,
//! variance, membership, gaming, representation, Lorenz): colour scales, number
//! formats, linear ticks and dashed polylines (the legend is [`super::legend`]).
//!
//! Everything is in CSS px, like the rest of [`super`].

use anyhow::{Result, ensure};
use plotters::element::Circle;
use plotters::style::{Color, RGBColor, ShapeStyle};

use super::style::{self, INK, okabe_ito};
use super::{Root, line, ok, polygon};

/// Categorical colours in the order charts hand them out (Okabe–Ito without
/// yellow, which is unreadable as a line or text on white).
pub const CATEGORICAL: [RGBColor; 7] = [
    okabe_ito::BLUE,
    okabe_ito::VERMILLION,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::REDDISH_PURPLE,
    okabe_ito::ORANGE,
    okabe_ito::SKY_BLUE,
    okabe_ito::BLACK,
];

/// Grey for context series (drawn under the coloured ones).
pub const CONTEXT: RGBColor = RGBColor(0xB4, 0xB4, 0xB4);

/// A label safe to draw: control characters become spaces, ends trimmed.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Linear interpolation between two colours (`t` clamped to 0..=1).
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

/// Colour of `v` on a piecewise-linear scale through `stops` (value, colour),
/// stops in ascending value order; values outside are clamped.
pub fn ramp(stops: &[(f64, RGBColor)], v: f64) -> RGBColor {
    let Some(&(first_v, first_c)) = stops.first() else {
        return INK;
    };
    if v.is_nan() || v <= first_v {
        return first_c;
    }
    for w in stops.windows(2) {
        let ((a, ca), (b, cb)) = (w[0], w[1]);
        if v <= b {
            let t = if b > a { (v - a) / (b - a) } else { 1.0 };
            return mix(ca, cb, t);
        }
    }
    stops.last().map_or(INK, |s| s.1)
}

/// Diverging scale for −1..1 centred at 0: vermillion (negative), near-white (0),
/// blue (positive). Both ends are dark enough for white text.
pub const DIVERGING: [(f64, RGBColor); 5] = [
    (-1.0, RGBColor(0x9E, 0x3D, 0x00)),
    (-0.5, RGBColor(0xE8, 0x8A, 0x4D)),
    (0.0, RGBColor(0xF5, 0xF5, 0xF5)),
    (0.5, RGBColor(0x6A, 0xAE, 0xD6)),
    (1.0, RGBColor(0x00, 0x4E, 0x7A)),
];

/// Sequential scale for 0..1: near-white to dark bluish green.
pub const SEQUENTIAL: [(f64, RGBColor); 3] = [
    (0.0, RGBColor(0xF5, 0xF5, 0xF5)),
    (0.5, RGBColor(0x7F, 0xC9, 0xB0)),
    (1.0, RGBColor(0x00, 0x5C, 0x43)),
];

/// Relative luminance (WCAG) of a colour.
pub fn luminance(c: RGBColor) -> f64 {
    let lin = |u: u8| {
        let s = f64::from(u) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// White or ink, whichever reads better on `bg`.
pub fn text_on(bg: RGBColor) -> RGBColor {
    if contrast(style::BACKGROUND, bg) > contrast(INK, bg) {
        style::BACKGROUND
    } else {
        INK
    }
}

/// `c` darkened until it reads as text on white (WCAG contrast ≥ 4.5).
pub fn readable(c: RGBColor) -> RGBColor {
    let mut t = 0.0;
    let mut out = c;
    while contrast(out, style::BACKGROUND) < 4.5 && t < 1.0 {
        t += 0.05;
        out = mix(c, RGBColor(0, 0, 0), t);
    }
    out
}

/// Wraps `s` to `max_w` px in at most `max_lines` lines, ellipsizing the last.
pub fn wrap_lines(s: &str, px: f64, bold: bool, max_w: f64, max_lines: usize) -> Vec<String> {
    let max_w = max_w.max(px);
    let mut lines = style::wrap(&clean(s), px, bold, max_w);
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1) - 1;
        let rest = lines[keep..].join(" ");
        lines.truncate(keep);
        lines.push(style::ellipsize(&rest, px, bold, max_w));
    }
    lines
}

/// `v` with `decimals` decimals and a typographic minus ("−0.25").
pub fn fmt(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    // "-0.00" is zero.
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        return s[1..].to_string();
    }
    s.replacen('-', "−", 1)
}

/// Decimals so that the largest value, `max_abs`, shows two significant digits
/// (0.63 → 2, 5.2 → 1, 12.3 → 0).
pub fn decimals_for(max_abs: f64) -> usize {
    if !(max_abs.is_finite() && max_abs > 0.0) {
        return 2;
    }
    (1 - max_abs.log10().floor() as i32).clamp(0, 4) as usize
}

/// A share as a percentage ("42%"; one decimal below 1 % and where rounding would
/// otherwise print 0 % or 100 % for a value that is not exactly 0 or 1).
pub fn pct(v: f64) -> String {
    let p = v * 100.0;
    let whole = p.round();
    if (p != 0.0 && p.abs() < 1.0) || (whole == 100.0 && p < 100.0) {
        let one = fmt(p, 1);
        if one == "100.0" {
            return ">99.9%".to_string();
        }
        return format!("{one}%");
    }
    format!("{}%", fmt(p, 0))
}

/// A count or a median of counts: "12", "12.5", "1,234" (no decimals from 100 up).
pub fn count(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        let s = style::thousands(v.abs().round() as u64);
        return if v < 0.0 { format!("−{s}") } else { s };
    }
    fmt(v, 1)
}

/// Ticks for a linear axis from `lo` to `hi` spanning `span_px` px, at least
/// `min_gap` px apart: returns the (possibly widened) domain, the step and the ticks.
pub fn linear_ticks(lo: f64, hi: f64, span_px: f64, min_gap: f64) -> (f64, f64, f64, Vec<f64>) {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo, hi) = (lo - d, hi + d);
    }
    let span_px = span_px.max(1.0);
    let mut step = super::nice_step((hi - lo) * min_gap / span_px);
    let mut a = (lo / step).floor() * step;
    let mut b = (hi / step).ceil() * step;
    for _ in 0..40 {
        if (b - a) / step * min_gap <= span_px {
            break;
        }
        step = super::nice_step(step * 1.01);
        a = (lo / step).floor() * step;
        b = (hi / step).ceil() * step;
    }
    let n = ((b - a) / step).round() as usize;
    let ticks = (0..=n.min(1000))
        .map(|i| {
            let t = a + i as f64 * step;
            if t.abs() < step * 1e-9 { 0.0 } else { t }
        })
        .collect();
    (a, b, step, ticks)
}

/// Decimals needed to print ticks `step` apart.
pub fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..6)
        .find(|&d| {
            let x = step * 10f64.powi(d);
            (x - x.round()).abs() < 1e-6 * x.max(1.0)
        })
        .unwrap_or(6) as usize
}

/// A polyline, solid (`pattern` empty) or dashed with on/off lengths in px.
pub fn dashed_path(
    root: &Root<'_>,
    pts: &[(f64, f64)],
    color: &RGBColor,
    width: u32,
    pattern: &[f64],
) -> Result<()> {
    let r = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    if pts.len() < 2 {
        return Ok(());
    }
    if pattern.is_empty() || pattern.iter().any(|d| !(d.is_finite() && *d > 0.0)) {
        let mut v: Vec<(i32, i32)> = pts.iter().map(|&p| r(p)).collect();
        v.dedup();
        if v.len() == 1 {
            return Ok(());
        }
        return line(root, v, color, width);
    }
    // Walk the path, emitting the "on" pieces as polylines.
    let (mut idx, mut left, mut on) = (0usize, pattern[0], true);
    let mut cur: Vec<(f64, f64)> = vec![pts[0]];
    for w in pts.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut seg = (b.0 - a.0).hypot(b.1 - a.1);
        while seg > 1e-9 {
            let step = seg.min(left);
            let t = step / seg;
            let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if on {
                cur.push(p);
            }
            left -= step;
            seg -= step;
            a = p;
            if left <= 1e-9 {
                if on && cur.len() >= 2 {
                    let mut v: Vec<(i32, i32)> = cur.iter().map(|&q| r(q)).collect();
                    v.dedup();
                    if v.len() >= 2 {
                        line(root, v, color, width)?;
                    }
                }
                cur.clear();
                idx = (idx + 1) % pattern.len();
                left = pattern[idx];
                on = idx.is_multiple_of(2);
                if on {
                    cur.push(a);
                }
            }
        }
    }
    if on && cur.len() >= 2 {
        let mut v: Vec<(i32, i32)> = cur.iter().map(|&q| r(q)).collect();
        v.dedup();
        if v.len() >= 2 {
            line(root, v, color, width)?;
        }
    }
    Ok(())
}

/// A white dot with a coloured ring (an "outsider" / "not in" mark).
pub fn hollow_dot(root: &Root<'_>, c: (i32, i32), r: u32, color: &RGBColor) -> Result<()> {
    ok(root.draw(&Circle::new(c, r, style::BACKGROUND.filled())))?;
    ok(root.draw(&Circle::new(c, r, ShapeStyle::from(color).stroke_width(2))))
}

/// A downward triangle centred on `c` ("runs off the bottom").
pub fn triangle_down(root: &Root<'_>, c: (i32, i32), half: i32, color: &RGBColor) -> Result<()> {
    polygon(
        root,
        vec![
            (c.0 - half, c.1 - half),
            (c.0 + half, c.1 - half),
            (c.0, c.1 + half),
        ],
        color,
    )
}

/// Fails unless `v` is finite.
pub fn finite(v: f64, what: &str) -> Result<()> {
    ensure!(v.is_finite(), "{what} is {v} (must be a finite number)");
    Ok(())
}

/// Fails unless `v` is a share in 0..=1 (with a little slack for rounding).
pub fn share(v: f64, what: &str) -> Result<()> {
    ensure!(
        v.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&v),
        "{what} is {v} (must be a share in 0..=1)"
    );
    Ok(())
}

/// A ranking's name in a title: in quotes, not code type.
pub fn quoted(name: &str) -> String {
    format!("“{name}”")
}

/// Names that share a first place, for a title: "“a”", "“a” and “b”", "“a”, “b” and
/// 3 others" (at most two named), so that no title claims a "most" among equals.
pub fn tied(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => quoted(a),
        [a, b] => format!("{} and {}", quoted(a), quoted(b)),
        [a, b, rest @ ..] => format!("{}, {} and {} others", quoted(a), quoted(b), rest.len()),
    }
}

/// "a", "a and b", "a, b and c".
pub fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [a] => a.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_scales() {
        assert_eq!(fmt(-0.254, 2), "−0.25");
        assert_eq!(fmt(-0.001, 2), "0.00");
        assert_eq!(fmt(0.5, 2), "0.50");
        assert_eq!(decimals_for(0.6), 2);
        assert_eq!(decimals_for(5.2), 1);
        assert_eq!(decimals_for(12.0), 0);
        assert_eq!(decimals_for(f64::NAN), 2);
        assert_eq!(pct(0.423), "42%");
        assert_eq!(pct(0.004), "0.4%");
        assert_eq!(pct(0.996), "99.6%");
        assert_eq!(pct(1.0), "100%");
        assert_eq!(pct(0.99999), ">99.9%");
        assert_eq!(count(1234.4), "1,234");
        assert_eq!(count(12.5), "12.5");
        assert_eq!(count(7.0), "7");
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(0.2), 1);
        assert_eq!(step_decimals(5.0), 0);
        let (a, b, step, t) = linear_ticks(0.0, 0.93, 400.0, 50.0);
        assert!(a <= 0.0 && b >= 0.93 && step > 0.0 && t.len() >= 3);
        let (_, _, _, t) = linear_ticks(3.0, 3.0, 400.0, 50.0);
        assert!(t.len() >= 2);
        let (_, _, _, t) = linear_ticks(f64::NAN, 1.0, 0.0, 50.0);
        assert!(!t.is_empty() && t.len() <= 1001);
        assert_eq!(ramp(&DIVERGING, 0.0), DIVERGING[2].1);
        assert_eq!(ramp(&DIVERGING, -7.0), DIVERGING[0].1);
        assert_eq!(ramp(&SEQUENTIAL, f64::NAN), SEQUENTIAL[0].1);
        assert_eq!(text_on(DIVERGING[0].1), style::BACKGROUND);
        assert_eq!(text_on(DIVERGING[2].1), INK);
        assert_eq!(clean(" a\nb\t"), "a b");
    }
}
