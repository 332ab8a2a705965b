//! The report for readers (`report.md`, `report.html`), built once as a [`Document`]:
//!
//! 1. a lede of two to four plain sentences ([`lede`]) and the chart that carries the
//!    story (the key family's membership chart);
//! 2. the findings grouped by the questions a reader asks (what the rule does with this
//!    data; how fragile it is and to which choice; what other measures say; how gameable
//!    it is; whom it favours), each with its charts;
//! 3. the top N with how secure each place is, every pair of rankings in one sortable
//!    table, what the data cannot say, and a methods appendix with the terms defined.
//!
//! Every number is computed from the results the tables are written from (never
//! canned); every figure of the audit appears exactly once.

use std::path::Path;

pub mod html;
pub mod lede;
pub mod model;
mod sections;

pub use model::{Align, Block, Document};

use crate::plots;
use crate::results::{Figure, Results};

/// Text from the data (account ids) made literal in markdown: the characters that would
/// end a table cell (`|`), open code or emphasis, links or HTML are backslash-escaped
/// (`_` only where it could start or end emphasis, not inside a word), and control
/// characters (a newline would end the table row) are shown as escapes (`\n`).
pub fn md_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '\\' | '|' | '`' | '*' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            c if c.is_control() => {
                for e in c.escape_debug() {
                    if e == '\\' {
                        out.push('\\');
                    }
                    out.push(e);
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn f3(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{v:.3}"))
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let v: Vec<f64> = xs.collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The audit's figures by name, each handed out once, so that every figure appears in
/// the report exactly once (whatever no section claims goes to "More charts").
pub(crate) struct Figures<'a> {
    out: &'a Path,
    figs: Vec<(&'a Figure, bool)>,
}

impl<'a> Figures<'a> {
    fn new(figs: &'a [Figure], out: &'a Path) -> Self {
        Self {
            out,
            figs: figs.iter().map(|f| (f, false)).collect(),
        }
    }

    fn block(&self, f: &Figure) -> Option<Block> {
        let png = f
            .files
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "png"))?;
        let rel = png.strip_prefix(self.out).unwrap_or(png);
        Some(Block::Figure {
            alt: f.alt.clone(),
            src: rel.display().to_string(),
            caption: f.title.clone(),
        })
    }

    /// The figure named `name`, if not yet handed out.
    pub(crate) fn take(&mut self, name: &str) -> Vec<Block> {
        self.take_where(|n| n == name)
    }

    /// Every figure not yet handed out whose name starts with `prefix`.
    pub(crate) fn take_prefix(&mut self, prefix: &str) -> Vec<Block> {
        self.take_where(|n| n.starts_with(prefix))
    }

    fn take_where(&mut self, pick: impl Fn(&str) -> bool) -> Vec<Block> {
        let mut out = Vec::new();
        for i in 0..self.figs.len() {
            let (f, used) = self.figs[i];
            if !used && pick(&f.name) {
                self.figs[i].1 = true;
                out.extend(self.block(f));
            }
        }
        out
    }

    /// The figures no section took.
    fn rest(&mut self) -> Vec<Block> {
        self.take_where(|_| true)
    }
}

/// Builds the report from the results: [`Document::markdown`] renders `report.md`,
/// [`html::render`] `report.html`. Figure paths are made relative to `out`.
pub fn build(res: &Results, figs: &[Figure], out: &Path) -> Document {
    let s = &res.study.study;
    let mut figs = Figures::new(figs, out);
    let title = s
        .title
        .clone()
        .unwrap_or_else(|| format!("Audit of {}", s.name));
    let mut b = vec![Block::Heading(1, title.clone())];
    let lede = lede::lede(res);
    if !lede.is_empty() {
        b.push(Block::Lede(lede.join(" ")));
    }
    if let Some(f) = res.key_family() {
        b.extend(figs.take(&plots::family_figure_name(res, f, "membership")));
    }
    if let Some(d) = &s.description {
        b.push(Block::Heading(2, "What was audited".into()));
        b.extend(
            d.trim()
                .split("\n\n")
                .map(|p| Block::Paragraph(p.to_string())),
        );
    }
    sections::rule(res, &mut figs, &mut b);
    sections::fragility(res, &mut figs, &mut b);
    sections::forced(res, &mut figs, &mut b);
    sections::measures(res, &mut figs, &mut b);
    sections::gaming(res, &mut figs, &mut b);
    sections::favour(res, &mut figs, &mut b);
    sections::security(res, &mut b);
    sections::vouch(res, &mut b);
    sections::pairs(res, &mut b);
    sections::caveats(res, &mut b);
    let rest = figs.rest();
    if !rest.is_empty() {
        b.push(Block::Heading(2, "More charts".into()));
        b.extend(rest);
    }
    sections::methods(res, &mut b);
    Document { title, blocks: b }
}

fn fmt_score(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}
