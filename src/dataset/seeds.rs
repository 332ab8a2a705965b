//! Seed lists: text files, one account per line, `#` starts a comment (whole line or
//! trailing), blank lines ignored. A leading `@` is stripped (people paste handles).

use std::path::Path;

use anyhow::{Context, Result, bail};

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
    let mut out: Vec<SeedEntry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let body = raw.split('#').next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        if body.split_whitespace().count() > 1 {
            bail!(
                "{}: line {line}: {body:?} has more than one word; a seed list holds one account per line",
                path.display()
            );
        }
        let account = body.trim_start_matches('@').to_string();
        if let Some(prev) = out.iter().find(|e| e.account == account) {
            bail!(
                "{}: line {line}: seed {account:?} is listed twice (first on line {}); remove one",
                path.display(),
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
        let e = parse_seed_list("# nothing\n", Path::new("s.txt")).unwrap_err();
        assert!(e.to_string().contains("empty"));
        let e = parse_seed_list("a\nb\na\n", Path::new("s.txt")).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }
}
