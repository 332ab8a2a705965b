//! Seed lists: text files, one account per line, `#` starts a comment (whole line or
//! trailing), blank lines ignored. A leading `@` is stripped (people paste handles), and
//! so is a UTF-8 byte-order mark at the start of the file (Windows editors write one; it
//! would otherwise become part of the first seed's id).

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::clean::quoted;

/// One seed with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedEntry {
    pub account: String,
    pub line: u64,
}

/// Read a seed list. Errors: missing or unreadable file, an empty list, a duplicate seed.
pub fn read_seed_file(path: &Path) -> Result<Vec<SeedEntry>> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "{}: cannot read the seed list (one account per line, # comments)",
            path.display()
        )
    })?;
    parse_seed_list(&text, path)
}

pub fn parse_seed_list(text: &str, path: &Path) -> Result<Vec<SeedEntry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<SeedEntry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let body = raw.split('#').next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        if body.split_whitespace().count() > 1 {
            bail!(
                "{}: line {line}: {} has more than one word; a seed list holds one account per line",
                path.display(),
                quoted(body)
            );
        }
        let account = body.trim_start_matches('@').to_string();
        if account.is_empty() {
            bail!(
                "{}: line {line}: {} names no account; write the id or handle after the @",
                path.display(),
                quoted(body)
            );
        }
        if let Some(prev) = out.iter().find(|e| e.account == account) {
            bail!(
                "{}: line {line}: seed {} is listed twice (first on line {}); remove one",
                path.display(),
                quoted(&account),
                prev.line
            );
        }
        out.push(SeedEntry { account, line });
    }
    if out.is_empty() {
        bail!(
            "{}: the seed list is empty (no account lines); add one account per line",
            path.display()
        );
    }
    Ok(out)
}

/// The id closest to `want` for a did-you-mean: an exact match ignoring ASCII case
/// first, else the nearest by edit distance (Levenshtein) within max(1, len / 4) edits,
/// at most 3 (a farther id is a guess, not a typo); among equals the first in `names`.
pub fn closest<'a>(want: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (want.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        if n.eq_ignore_ascii_case(want) {
            return Some(n);
        }
        let bound = best.map_or(limit, |(d, _)| d - 1);
        if n.len().abs_diff(want.len()) > bound * 4 {
            continue; // cannot be within `bound` edits (a char is at most 4 bytes)
        }
        // No early exit at distance 1: a later id may still match ignoring case.
        if bound > 0
            && let Some(d) = edit_distance_within(want, n, bound)
        {
            best = Some((d, n));
        }
    }
    best.map(|(_, n)| n)
}

/// Levenshtein distance of `a` and `b` in chars, if it is at most `bound`.
fn edit_distance_within(a: &str, b: &str, bound: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        // Every later row is at least this row's minimum: stop early.
        if cur.iter().min().is_some_and(|&m| m > bound) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= bound).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_at_signs() {
        let s = parse_seed_list("# why\n@alice\n\nbob  # trailing\n", Path::new("s.txt")).unwrap();
        let names: Vec<_> = s.iter().map(|e| (e.account.as_str(), e.line)).collect();
        assert_eq!(names, vec![("alice", 2), ("bob", 4)]);
    }

    #[test]
    fn empty_and_duplicate_lists_are_errors() {
        let e = parse_seed_list("a\n@\n", Path::new("s.txt")).unwrap_err();
        assert!(
            e.to_string()
                .contains("s.txt: line 2: \"@\" names no account"),
            "{e}"
        );
        let e = parse_seed_list("# nothing\n", Path::new("s.txt")).unwrap_err();
        assert!(e.to_string().contains("empty"));
        let e = parse_seed_list("a\nb\na\n", Path::new("s.txt")).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }

    #[test]
    fn did_you_mean_prefers_case_then_the_nearest_id() {
        let ids = ["alice", "Bob", "carol", "caroline", "dave"];
        assert_eq!(closest("bob", ids), Some("Bob"));
        assert_eq!(closest("carl", ids), Some("carol"));
        assert_eq!(closest("davee", ids), Some("dave"));
        assert_eq!(closest("zzzzzz", ids), None);
        assert_eq!(edit_distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_seed() {
        let s = parse_seed_list("\u{feff}alice\nbob\n", Path::new("s.txt")).unwrap();
        assert_eq!(s[0].account, "alice");
        let s = parse_seed_list("\u{feff}# why\n@alice\n", Path::new("s.txt")).unwrap();
        assert_eq!((s[0].account.as_str(), s[0].line), ("alice", 2));
    }
}
