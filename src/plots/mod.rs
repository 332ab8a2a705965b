//! Charts for a critique of a league table: each chart is drawn once, by one closure,
//! to a PNG and an SVG of the same layout.
//!
//! * Layout is in CSS pixels at 1x ([`style::WIDTH`] = 800 wide). The SVG is that
//!   size; the PNG is rendered at [`style::PNG_SCALE`] = 2x (1600 px wide) so it stays
//!   crisp on high-density screens when shown at 800 px. [`Canvas`] does the scaling,
//!   so chart code never sees it.
//! * Text uses DejaVu Sans from the `dejavu` crate only: registered with plotters,
//!   rasterized from those bytes for the PNG, and embedded (subset, base64
//!   `@font-face`) in the SVG, whose text stays selectable `<text>`.
//! * Files are written with [`crate::output::write_atomic`].
//! * Empty input draws a "no data" chart (so a report never has a hole); input that
//!   cannot be a ranking (NaN, lo > hi, rank < 1, n_top = 0, ...) is an error.

pub mod bump;
pub mod caterpillar;
pub mod font;
pub mod forced;
pub mod gaming;
pub mod heatmap;
pub mod kit;
pub mod legend;
pub mod lorenz;
pub mod membership;
pub mod representation;
pub mod rows;
pub mod share_card;
pub mod spec_curve;
pub mod style;
pub mod sweep;
pub mod sobol;
pub mod variance;

use std::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, ensure};
use plotters::backend::DrawingBackend;
use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, FontStyle, FontTransform, RGBColor, ShapeStyle, TextStyle};
use plotters_backend::{BackendColor, BackendStyle, BackendTextStyle, DrawingErrorKind};

use style::{GAP, INK, MARGIN, MUTED, PLOTTERS_SIZE_PER_EM, SUBTITLE_PX, TITLE_PX};

/// The drawing area a chart closure draws on: CSS pixels, origin top left.
pub type Root<'a> = DrawingArea<Canvas<'a>, Shift>;

/// Largest chart accepted, in CSS px² (keeps the 2x PNG buffer at most 60 MB).
const MAX_AREA: u64 = 5_000_000;

/// Draws the same chart to PNG and SVG at `stem.png` / `stem.svg`; returns both paths.
///
/// `width` and `height` are CSS pixels; the PNG is `PNG_SCALE` times that. `draw` is
/// called twice (PNG, then SVG) on a white root of `width` x `height` and must draw
/// the same thing both times. The parent folder is created if missing.
pub fn render<F>(stem: &Path, width: u32, height: u32, draw: F) -> Result<Vec<PathBuf>>
where
    F: Fn(&Root<'_>) -> Result<()>,
{
    ensure!(
        width > 0 && height > 0,
        "chart size {width}x{height} is empty"
    );
    ensure!(
        u64::from(width) * u64::from(height) <= MAX_AREA,
        "chart size {width}x{height} is too large"
    );
    font::register()?;
    let png = render_png(width, height, &draw).context("drawing the PNG")?;
    let svg = render_svg(width, height, &draw).context("drawing the SVG")?;

    if let Some(dir) = stem.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let with_ext = |ext: &str| {
        let mut s = stem.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    let (png_path, svg_path) = (with_ext(".png"), with_ext(".svg"));
    crate::output::write_atomic(&png_path, &png)?;
    crate::output::write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

fn render_png(width: u32, height: u32, draw: &impl Fn(&Root<'_>) -> Result<()>) -> Result<Vec<u8>> {
    let k = style::PNG_SCALE;
    let (w, h) = (width * k, height * k);
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let canvas = Canvas {
            target: Target::Png(BitMapBackend::with_buffer(&mut buf, (w, h))),
            size: (width, height),
            k: k as i32,
        };
        let root = canvas.into_drawing_area();
        ok(root.fill(&style::BACKGROUND))?;
        draw(&root)?;
        ok(root.present())?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::Up);
        // 96 dpi x scale, so viewers that honour pHYs show it at CSS size.
        let ppm = 3780 * k;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header()?;
        writer.write_image_data(&buf)?;
        writer.finish()?;
    }
    Ok(out)
}

fn render_svg(width: u32, height: u32, draw: &impl Fn(&Root<'_>) -> Result<()>) -> Result<String> {
    let mut svg = String::new();
    {
        let canvas = Canvas {
            target: Target::Svg(SVGBackend::with_string(&mut svg, (width, height))),
            size: (width, height),
            k: 1,
        };
        let root = canvas.into_drawing_area();
        ok(root.fill(&style::BACKGROUND))?;
        draw(&root)?;
        ok(root.present())?;
    }
    font::embed_in_svg(&svg)
}

/// Turns a plotters drawing error into an anyhow error.
pub fn ok<T, E: fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| anyhow!("drawing failed: {e}"))
}

// ---------------------------------------------------------------------------------
// The backend: one type for both files, scaling the PNG.

/// A plotters backend over a PNG buffer (drawn at `k`x) or an SVG string (1x).
/// Coordinates, stroke widths, radii and font sizes arrive in CSS px.
pub struct Canvas<'a> {
    target: Target<'a>,
    size: (u32, u32),
    k: i32,
}

enum Target<'a> {
    Png(BitMapBackend<'a>),
    Svg(SVGBackend<'a>),
}

/// Error of the inner backend, as text.
#[derive(Debug)]
pub struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl Error for CanvasError {}

type DrawResult = std::result::Result<(), DrawingErrorKind<CanvasError>>;

fn conv<E: Error + Send + Sync>(r: std::result::Result<(), DrawingErrorKind<E>>) -> DrawResult {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(CanvasError(e.to_string()))
        }
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    })
}

/// A style with its stroke width multiplied by the PNG scale.
struct Scaled<'s, S> {
    inner: &'s S,
    k: u32,
}
impl<S: BackendStyle> BackendStyle for Scaled<'_, S> {
    fn color(&self) -> BackendColor {
        self.inner.color()
    }
    fn stroke_width(&self) -> u32 {
        self.inner.stroke_width() * self.k
    }
}

impl Canvas<'_> {
    fn s(&self, p: (i32, i32)) -> (i32, i32) {
        (p.0.saturating_mul(self.k), p.1.saturating_mul(self.k))
    }

    /// PNG only: an axis-aligned stroke as an exact rectangle (as the SVG draws it,
    /// butt caps), so 1 px lines are exactly `k` device pixels wide.
    fn png_axis_line<S: BackendStyle>(
        &mut self,
        a: (i32, i32),
        b: (i32, i32),
        style: &S,
    ) -> DrawResult {
        let k = self.k;
        let w = style.stroke_width().max(1) as i32 * k;
        let (a, b) = (self.s(a), self.s(b));
        let (ul, br) = if a.1 == b.1 {
            let y0 = a.1 - w / 2;
            ((a.0.min(b.0), y0), (a.0.max(b.0), y0 + w))
        } else {
            let x0 = a.0 - w / 2;
            ((x0, a.1.min(b.1)), (x0 + w, a.1.max(b.1)))
        };
        let Target::Png(p) = &mut self.target else {
            return Ok(());
        };
        conv(p.draw_rect(ul, br, &style.color(), true))
    }
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> DrawResult {
        match &mut self.target {
            Target::Png(p) => conv(p.ensure_prepared()),
            Target::Svg(s) => conv(s.ensure_prepared()),
        }
    }

    fn present(&mut self) -> DrawResult {
        match &mut self.target {
            Target::Png(p) => conv(p.present()),
            Target::Svg(s) => conv(s.present()),
        }
    }

    fn draw_pixel(&mut self, point: (i32, i32), color: BackendColor) -> DrawResult {
        let k = self.k;
        let (x, y) = self.s(point);
        match &mut self.target {
            Target::Png(p) => conv(p.draw_rect((x, y), (x + k, y + k), &color, true)),
            Target::Svg(s) => conv(s.draw_pixel(point, color)),
        }
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: (i32, i32),
        to: (i32, i32),
        style: &S,
    ) -> DrawResult {
        if style.color().alpha == 0.0 || style.stroke_width() == 0 {
            return Ok(());
        }
        if matches!(self.target, Target::Png(_)) && (from.0 == to.0 || from.1 == to.1) {
            return self.png_axis_line(from, to, style);
        }
        let (a, b, k) = (self.s(from), self.s(to), self.k as u32);
        match &mut self.target {
            Target::Png(p) => conv(p.draw_line(a, b, &Scaled { inner: style, k })),
            Target::Svg(s) => conv(s.draw_line(from, to, style)),
        }
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: (i32, i32),
        bottom_right: (i32, i32),
        style: &S,
        fill: bool,
    ) -> DrawResult {
        match (&mut self.target, fill) {
            (Target::Svg(s), _) => conv(s.draw_rect(upper_left, bottom_right, style, fill)),
            (Target::Png(_), true) => {
                let (a, b) = (self.s(upper_left), self.s(bottom_right));
                let Target::Png(p) = &mut self.target else {
                    return Ok(());
                };
                conv(p.draw_rect(a, b, &style.color(), true))
            }
            (Target::Png(_), false) => {
                let ((x0, y0), (x1, y1)) = (upper_left, bottom_right);
                self.draw_line((x0, y0), (x1, y0), style)?;
                self.draw_line((x1, y0), (x1, y1), style)?;
                self.draw_line((x1, y1), (x0, y1), style)?;
                self.draw_line((x0, y1), (x0, y0), style)
            }
        }
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = (i32, i32)>>(
        &mut self,
        path: I,
        style: &S,
    ) -> DrawResult {
        let pts: Vec<(i32, i32)> = path.into_iter().collect();
        if let Target::Svg(s) = &mut self.target {
            return conv(s.draw_path(pts, style));
        }
        if style.color().alpha == 0.0 || pts.len() < 2 {
            return Ok(());
        }
        if pts.len() == 2 && (pts[0].0 == pts[1].0 || pts[0].1 == pts[1].1) {
            return self.png_axis_line(pts[0], pts[1], style);
        }
        let k = self.k as u32;
        let scaled: Vec<(i32, i32)> = pts.iter().map(|&p| self.s(p)).collect();
        let Target::Png(p) = &mut self.target else {
            return Ok(());
        };
        conv(p.draw_path(scaled, &Scaled { inner: style, k }))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: (i32, i32),
        radius: u32,
        style: &S,
        fill: bool,
    ) -> DrawResult {
        let (c, k) = (self.s(center), self.k as u32);
        match &mut self.target {
            Target::Png(p) => conv(p.draw_circle(c, radius * k, &Scaled { inner: style, k }, fill)),
            Target::Svg(s) => conv(s.draw_circle(center, radius, style, fill)),
        }
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = (i32, i32)>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DrawResult {
        let pts: Vec<(i32, i32)> = vert.into_iter().collect();
        let scaled: Vec<(i32, i32)> = pts.iter().map(|&p| self.s(p)).collect();
        match &mut self.target {
            Target::Png(p) => conv(p.fill_polygon(scaled, style)),
            Target::Svg(s) => conv(s.fill_polygon(pts, style)),
        }
    }

    fn draw_text<TS: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TS,
        pos: (i32, i32),
    ) -> DrawResult {
        if let Target::Svg(s) = &mut self.target {
            return conv(s.draw_text(text, style, pos));
        }
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        // Place the text as the SVG backend asks a browser to: text-anchor for x,
        // dy = 0.76em (top), 0.5ex (center) or -0.5ex (bottom) from y to the baseline.
        let k = f64::from(self.k);
        let bold = matches!(style.style(), FontStyle::Bold);
        let em = style.size() / PLOTTERS_SIZE_PER_EM;
        let width = font::text_width(text, em, bold);
        let x = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let ex = font::x_height_em(bold) * em;
        let baseline = match style.anchor().v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        };
        let trans = style.transform();
        let origin = self.s(pos);
        let Target::Png(p) = &mut self.target else {
            return Ok(());
        };
        let mut result = Ok(());
        font::rasterize(text, em * k, bold, x * k, baseline * k, |lx, ly, cov| {
            let (dx, dy) = match trans {
                FontTransform::Rotate90 => (-ly, lx),
                FontTransform::Rotate180 => (-lx, -ly),
                FontTransform::Rotate270 => (ly, -lx),
                _ => (lx, ly),
            };
            if result.is_ok() {
                result =
                    conv(p.draw_pixel((origin.0 + dx, origin.1 + dy), color.mix(f64::from(cov))));
            }
        })
        .map_err(|e| DrawingErrorKind::DrawingError(CanvasError(e.to_string())))?;
        result
    }

    fn estimate_text_size<TS: BackendTextStyle>(
        &self,
        text: &str,
        style: &TS,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let bold = matches!(style.style(), FontStyle::Bold);
        let em = style.size() / PLOTTERS_SIZE_PER_EM;
        Ok((
            font::text_width(text, em, bold).ceil() as u32,
            em.ceil() as u32,
        ))
    }
}

// ---------------------------------------------------------------------------------
// Drawing helpers shared by the charts (all in CSS px).

/// A filled rectangle `[x0, x1) x [y0, y1)`.
pub(crate) fn fill_rect(
    root: &Root<'_>,
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    color: &RGBColor,
    alpha: f64,
) -> Result<()> {
    ok(root.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        color.mix(alpha).filled(),
    )))
}

/// A polyline of stroke `width`.
pub(crate) fn line(
    root: &Root<'_>,
    pts: Vec<(i32, i32)>,
    color: &RGBColor,
    width: u32,
) -> Result<()> {
    ok(root.draw(&PathElement::new(
        pts,
        ShapeStyle::from(color).stroke_width(width),
    )))
}

/// A dashed straight line.
pub(crate) fn dashed(
    root: &Root<'_>,
    a: (i32, i32),
    b: (i32, i32),
    color: &RGBColor,
    width: u32,
    dash: f64,
    gap: f64,
) -> Result<()> {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 1.0 || dash <= 0.0 {
        return Ok(());
    }
    let mut t = 0.0;
    while t < len {
        let t1 = (t + dash).min(len);
        let p = |t: f64| {
            (
                (f64::from(a.0) + dx * t / len).round() as i32,
                (f64::from(a.1) + dy * t / len).round() as i32,
            )
        };
        line(root, vec![p(t), p(t1)], color, width)?;
        t += dash + gap.max(0.5);
    }
    Ok(())
}

/// A filled circle, optionally outlined.
pub(crate) fn dot(
    root: &Root<'_>,
    c: (i32, i32),
    r: u32,
    fill: &RGBColor,
    outline: Option<&RGBColor>,
) -> Result<()> {
    ok(root.draw(&Circle::new(c, r, fill.filled())))?;
    if let Some(o) = outline {
        ok(root.draw(&Circle::new(c, r, ShapeStyle::from(o).stroke_width(1))))?;
    }
    Ok(())
}

/// A filled polygon.
pub(crate) fn polygon(root: &Root<'_>, pts: Vec<(i32, i32)>, color: &RGBColor) -> Result<()> {
    ok(root.draw(&Polygon::new(pts, color.filled())))
}

/// Text at `pos` with anchor taken from `style`.
pub(crate) fn text(root: &Root<'_>, s: &str, pos: (i32, i32), style: &TextStyle<'_>) -> Result<()> {
    if s.is_empty() {
        return Ok(());
    }
    ok(root.draw(&Text::new(s.to_string(), pos, style.clone())))
}

/// A right-pointing (`dir` = 1) or left-pointing (-1) arrowhead with its tip at `tip`.
pub(crate) fn arrowhead(
    root: &Root<'_>,
    tip: (i32, i32),
    dir: i32,
    len: i32,
    half: i32,
    color: &RGBColor,
) -> Result<()> {
    let back = tip.0 - dir * len;
    polygon(
        root,
        vec![tip, (back, tip.1 - half), (back, tip.1 + half)],
        color,
    )
}

/// The title (bold, wrapped) and subtitle (muted, wrapped) block at the top of a chart.
pub(crate) struct Header {
    title: Vec<String>,
    subtitle: Vec<String>,
}

impl Header {
    pub(crate) fn new(title: &str, subtitle: &str, width: u32) -> Self {
        let w = f64::from(width) - 2.0 * f64::from(MARGIN);
        Self {
            title: style::wrap(title, TITLE_PX, true, w),
            subtitle: style::wrap(subtitle, SUBTITLE_PX, false, w),
        }
    }

    /// Height from the top of the chart to the first thing below the header.
    pub(crate) fn height(&self) -> i32 {
        let mut h = MARGIN + self.title.len() as i32 * style::line_height(TITLE_PX);
        if !self.subtitle.is_empty() {
            h += 4 + self.subtitle.len() as i32 * style::line_height(SUBTITLE_PX);
        }
        h + GAP + 4
    }

    pub(crate) fn draw(&self, root: &Root<'_>) -> Result<i32> {
        let mut y = MARGIN;
        let t = style::text(TITLE_PX, true, &INK, HPos::Left, VPos::Top);
        for l in &self.title {
            text(root, l, (MARGIN, y), &t)?;
            y += style::line_height(TITLE_PX);
        }
        if !self.subtitle.is_empty() {
            y += 4;
            let s = style::text(SUBTITLE_PX, false, &MUTED, HPos::Left, VPos::Top);
            for l in &self.subtitle {
                text(root, l, (MARGIN, y), &s)?;
                y += style::line_height(SUBTITLE_PX);
            }
        }
        Ok(y + GAP + 4)
    }
}

/// A chart that says there is nothing to show (used for empty input).
pub(crate) fn no_data(
    stem: &Path,
    title: &str,
    subtitle: &str,
    message: &str,
) -> Result<Vec<PathBuf>> {
    let width = style::WIDTH;
    let header = Header::new(title, subtitle, width);
    let box_h = 160;
    let height = (header.height() + box_h + MARGIN) as u32;
    render(stem, width, height, |root| {
        let y = header.draw(root)?;
        let (x0, x1, y1) = (MARGIN, width as i32 - MARGIN, y + box_h);
        for (a, b) in [
            ((x0, y), (x1, y)),
            ((x1, y), (x1, y1)),
            ((x1, y1), (x0, y1)),
            ((x0, y1), (x0, y)),
        ] {
            dashed(root, a, b, &style::AXIS, 1, 6.0, 4.0)?;
        }
        let s = style::text(SUBTITLE_PX, false, &MUTED, HPos::Center, VPos::Center);
        let msg = style::ellipsize(message, SUBTITLE_PX, false, f64::from(x1 - x0 - 20));
        text(root, &msg, ((x0 + x1) / 2, y + box_h / 2), &s)
    })
}

// ---------------------------------------------------------------------------------
// Scales and ticks.

/// A map from data values to pixels along one axis.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub p0: f64,
    pub p1: f64,
}

impl Axis {
    pub(crate) fn linear(lo: f64, hi: f64, p0: i32, p1: i32) -> Self {
        Self {
            lo,
            hi,
            log: false,
            p0: f64::from(p0),
            p1: f64::from(p1),
        }
    }

    /// Log10 axis; `lo` and `hi` must be > 0.
    pub(crate) fn log(lo: f64, hi: f64, p0: i32, p1: i32) -> Self {
        Self {
            lo,
            hi,
            log: true,
            p0: f64::from(p0),
            p1: f64::from(p1),
        }
    }

    pub(crate) fn frac(&self, v: f64) -> f64 {
        let (a, b, v) = if self.log {
            (
                self.lo.log10(),
                self.hi.log10(),
                v.max(f64::MIN_POSITIVE).log10(),
            )
        } else {
            (self.lo, self.hi, v)
        };
        if (b - a).abs() < 1e-12 {
            0.5
        } else {
            (v - a) / (b - a)
        }
    }

    pub(crate) fn px_f(&self, v: f64) -> f64 {
        let p = self.p0 + (self.p1 - self.p0) * self.frac(v);
        if p.is_finite() {
            p.clamp(-1e6, 1e6)
        } else {
            self.p0
        }
    }

    pub(crate) fn px(&self, v: f64) -> i32 {
        self.px_f(v).round() as i32
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= raw * (1.0 - 1e-9) {
            return m * p;
        }
    }
    10.0 * p
}

/// Tick values for a log axis over `[lo, hi]`: 1-2-5 per decade when that leaves
/// at least `min_gap` px between ticks, else powers of ten (thinned if needed).
pub(crate) fn log_ticks(axis: &Axis, min_gap: f64) -> Vec<f64> {
    let (lo, hi) = (axis.lo.min(axis.hi), axis.lo.max(axis.hi));
    if !(lo > 0.0 && hi.is_finite()) {
        return Vec::new();
    }
    let (d0, d1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let make = |ms: &[f64]| -> Vec<f64> {
        let mut v = Vec::new();
        for d in d0..=d1 {
            for m in ms {
                let t = m * 10f64.powi(d);
                if t >= lo * (1.0 - 1e-9) && t <= hi * (1.0 + 1e-9) {
                    v.push(t);
                }
            }
        }
        v
    };
    let spaced = |v: &[f64]| {
        v.windows(2)
            .all(|w| (axis.px_f(w[1]) - axis.px_f(w[0])).abs() >= min_gap)
    };
    for ms in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0][..], &[1.0][..]] {
        let v = make(ms);
        if spaced(&v) {
            return v;
        }
    }
    let v = make(&[1.0]);
    let mut step = 2;
    loop {
        let t: Vec<f64> = v.iter().copied().step_by(step).collect();
        if spaced(&t) || t.len() <= 2 {
            return t;
        }
        step += 1;
    }
}

/// `<kind>-<family>`, or `<kind>-<ranking>-<family>` for a family that perturbs another
/// ranking than `[sensitivity] ranking` (so two such figures never share a file).
pub fn family_figure_name(
    res: &crate::results::Results,
    f: &crate::results::FamilyResult,
    kind: &str,
) -> String {
    let main = res.study.sensitivity.as_ref().map(|s| s.ranking.as_str());
    if main == Some(f.ranking.as_str()) {
        format!("{kind}-{}", f.family)
    } else {
        format!("{kind}-{}-{}", f.ranking, f.family)
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    //! Shared test helpers: a unique temp folder and PNG/SVG checks.
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub fn temp_dir(name: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "rankaudit-plots-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            name
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Decodes a PNG; returns (width, height, number of non-white pixels).
    pub fn png_stats(path: &Path) -> (u32, u32, usize) {
        let file = std::fs::File::open(path).unwrap();
        let mut dec = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .unwrap();
        let mut buf = vec![0; dec.output_buffer_size()];
        let info = dec.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let ink = buf[..info.buffer_size()]
            .chunks_exact(3)
            .filter(|p| p != &[255, 255, 255])
            .count();
        (info.width, info.height, ink)
    }

    /// Checks the pair written by `render` and returns the SVG text.
    pub fn check_pair(paths: &[PathBuf], title: &str, width: u32) -> String {
        assert_eq!(paths.len(), 2);
        assert!(paths[0].extension().is_some_and(|e| e == "png"));
        assert!(paths[1].extension().is_some_and(|e| e == "svg"));
        let (w, h, ink) = png_stats(&paths[0]);
        assert_eq!(w, width * super::style::PNG_SCALE);
        assert!(h > 0 && h % super::style::PNG_SCALE == 0);
        assert!(
            ink > (w as usize * h as usize) / 200,
            "PNG looks blank: {ink} non-white pixels"
        );
        let svg = std::fs::read_to_string(&paths[1]).unwrap();
        assert!(svg.contains("@font-face"), "SVG has no @font-face");
        assert!(svg.contains("data:font/ttf;base64,"));
        assert!(svg.contains(&format!("width=\"{width}\"")));
        assert!(
            svg.contains(&xml_escape(title)),
            "SVG lacks the title {title:?}"
        );
        svg
    }

    pub fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}

#[cfg(test)]
mod tests {
    use super::style::BODY_PX;
    use super::test_util::*;
    use super::*;

    #[test]
    fn render_writes_png_at_2x_and_svg_with_font() {
        let dir = temp_dir("render");
        let stem = dir.join("sub").join("chart.v1");
        let paths = render(&stem, 400, 200, |root| {
            fill_rect(root, 10, 10, 100, 60, &style::GOOD, 1.0)?;
            text(
                root,
                "Héllo & <world>",
                (20, 100),
                &style::text(BODY_PX, false, &INK, HPos::Left, VPos::Top),
            )?;
            text(
                root,
                "Bold",
                (200, 100),
                &style::text(BODY_PX, true, &INK, HPos::Left, VPos::Top),
            )?;
            line(root, vec![(0, 150), (399, 150)], &style::AXIS, 1)
        })
        .unwrap();
        assert_eq!(paths[0], dir.join("sub").join("chart.v1.png"));
        let svg = check_pair(&paths, "Héllo & <world>", 400);
        assert_eq!(
            svg.matches("@font-face").count(),
            2,
            "regular and bold faces"
        );
        assert!(svg.contains("font-size=\"14\""));
        let (w, h, _) = png_stats(&paths[0]);
        assert_eq!((w, h), (800, 400));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn render_rejects_empty_and_huge_sizes() {
        let dir = temp_dir("sizes");
        assert!(render(&dir.join("a"), 0, 100, |_| Ok(())).is_err());
        assert!(render(&dir.join("b"), 100_000, 100_000, |_| Ok(())).is_err());
        // An error from the closure is passed on, and nothing is written.
        assert!(render(&dir.join("c"), 10, 10, |_| Err(anyhow!("boom"))).is_err());
        assert!(!dir.join("c.png").exists());
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn ticks_are_nice() {
        assert_eq!(nice_step(3.2), 5.0);
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(11.0), 20.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
        let a = Axis::log(1.0, 1000.0, 0, 600);
        assert_eq!(
            log_ticks(&a, 30.0),
            vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
        );
        let a = Axis::log(1.0, 1e6, 0, 100);
        assert!(log_ticks(&a, 30.0).len() <= 4);
    }
}
