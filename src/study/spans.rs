//! Where a value sits in the study file: every check of a study, at load or against the
//! data, names the file, line and column of the value it rejects (from the TOML parser's
//! spans), so the user can go straight to it.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

/// "line L, column C" of a byte offset (columns count characters, from 1).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The span of the value at `path` (table keys, and array positions as decimal
/// numbers: `["ranking", "2", "damping"]`), or of its closest ancestor present in the
/// file (a defaulted key has no span of its own: its table's is the place to add it).
pub fn span_of(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let root = DeValue::Table(root.into_inner());
    let mut cur = &root;
    for seg in path {
        let next = match cur {
            DeValue::Table(_) => cur.get(*seg),
            DeValue::Array(_) => seg.parse::<usize>().ok().and_then(|i| cur.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        cur = next.get_ref();
    }
    Some(span)
}

/// "FILE: line L, column C" of the value at `path` ("FILE" alone if the text does not
/// parse, which a loaded study's always does).
pub fn locate(file: &Path, text: &str, path: &[&str]) -> String {
    match span_of(text, path) {
        Some(sp) => {
            let (line, col) = line_col(text, sp.start);
            format!("{}: line {line}, column {col}", file.display())
        }
        None => file.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[study]\nname = \"t\"\nreplicates = 5\n\n[[ranking]]\nname = \"a\"\n\n[[ranking]]\nname = \"b\"\ndamping = 2.0\n";

    #[test]
    fn values_are_found_by_key_and_position() {
        let at = |p: &[&str]| locate(Path::new("s.toml"), TEXT, p);
        assert_eq!(at(&["study", "replicates"]), "s.toml: line 3, column 14");
        assert_eq!(
            at(&["ranking", "1", "damping"]),
            "s.toml: line 10, column 11"
        );
        // A key the file does not set: its table.
        assert!(at(&["ranking", "1", "tol"]).starts_with("s.toml: line "));
        assert_eq!(line_col("ab\ncé", 5), (2, 3));
    }
}
