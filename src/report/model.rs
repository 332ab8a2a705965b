//! The report as data: a title and a list of blocks, built once from the results and
//! rendered twice, to markdown (here) and to HTML ([`super::html`]).
//!
//! Text in a block is markdown inline text: `**bold**`, `*italic*`, `` `code` `` and
//! backslash escapes (account ids go through [`super::md_text`]). The markdown renderer
//! writes it as it is; the HTML renderer renders those spans, never re-reading blocks.

use std::fmt::Write as _;

/// How a table column is aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One block of the report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `# text` (level 1) or `## text` (level 2).
    Heading(u8, String),
    /// A paragraph; its lines are one paragraph (HTML joins them with a space).
    Paragraph(String),
    /// The lede: the paragraph that opens the report (set larger in HTML).
    Lede(String),
    /// A bullet list; an empty one is a blank line in markdown and nothing in HTML.
    List(Vec<String>),
    /// A table: header cells, one alignment per column, and the rows.
    Table {
        head: Vec<String>,
        align: Vec<Align>,
        rows: Vec<Vec<String>>,
    },
    /// A PNG figure: alt text, its path relative to the output folder, a caption.
    Figure {
        alt: String,
        src: String,
        caption: String,
    },
}

/// The report: a title (the first heading) and its blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// `report.md`: the blocks, each ending in a newline, a blank line between them.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                md.push('\n');
            }
            write_block(&mut md, b);
        }
        md
    }
}

fn write_row(md: &mut String, cells: &[String]) {
    md.push('|');
    for c in cells {
        let _ = write!(md, " {c} |");
    }
    md.push('\n');
}

fn write_block(md: &mut String, b: &Block) {
    match b {
        Block::Heading(level, t) => {
            let _ = writeln!(md, "{} {t}", "#".repeat(usize::from(*level)));
        }
        Block::Paragraph(t) | Block::Lede(t) => {
            let _ = writeln!(md, "{t}");
        }
        Block::List(items) => {
            for it in items {
                let _ = writeln!(md, "- {it}");
            }
        }
        Block::Table { head, align, rows } => {
            write_row(md, head);
            md.push('|');
            for a in align {
                md.push_str(match a {
                    Align::Left => "---|",
                    Align::Right => "---:|",
                });
            }
            md.push('\n');
            for r in rows {
                write_row(md, r);
            }
        }
        Block::Figure { alt, src, caption } => {
            let _ = writeln!(md, "![{alt}]({src})\n\n*{caption}*");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_render_as_markdown() {
        let doc = Document {
            title: "T".into(),
            blocks: vec![
                Block::Heading(1, "T".into()),
                Block::Paragraph("Some *text*.".into()),
                Block::List(vec![]),
                Block::List(vec!["a".into(), "b".into()]),
                Block::Table {
                    head: vec!["x".into(), "y".into()],
                    align: vec![Align::Left, Align::Right],
                    rows: vec![vec!["1".into(), String::new()]],
                },
                Block::Figure {
                    alt: "alt".into(),
                    src: "figures/a.png".into(),
                    caption: "Cap".into(),
                },
            ],
        };
        assert_eq!(
            doc.markdown(),
            "# T\n\nSome *text*.\n\n\n- a\n- b\n\n| x | y |\n|---|---:|\n| 1 |  |\n\n![alt](figures/a.png)\n\n*Cap*\n"
        );
    }
}
