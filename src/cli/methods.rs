//! `rankaudit methods`: what can be computed, and from which input formats.

use anyhow::Result;

pub fn run() -> Result<()> {
    println!("Ranking methods (study: method = \"...\"; quick mode: --method ...):");
    for e in crate::rankings::registry::METHODS {
        println!("  {:<24} {}", e.name, e.about);
    }
    println!(
        "\nPublished rules (method = \"<rule>\", variant = \"<reading>\"; the first variant is the default; methodology.md §4.8):"
    );
    for r in crate::rankings::catalogue::RULES {
        println!("  {}\n  {:<24} {}", r.name, "", r.title);
        let needs: Vec<String> = r.needs.iter().map(|(k, _)| k.to_string()).collect();
        if !needs.is_empty() {
            println!("  {:<24}   needs: {}", "", needs.join(", "));
        }
        let variants: Vec<&str> = r.variants.iter().map(|v| v.name).collect();
        println!("  {:<24}   variants: {}", "", variants.join(", "));
    }
    println!("\nPerturbation families ([[sensitivity.family]] family = \"...\"):");
    for e in crate::sensitivity::FAMILIES {
        println!("  {:<24} {}", e.name, e.about);
    }
    println!(
        "\nInput formats ([data] format = \"...\"; --format ...; default: the file name's extension):"
    );
    for i in crate::dataset::import::IMPORTERS {
        let tables = match i.tables() {
            None => "one table: the one the study section or flag names".to_string(),
            Some(t) => {
                let names: Vec<&str> = t.iter().map(|k| k.name()).collect();
                format!("yields {}", names.join(", "))
            }
        };
        let ext = if i.extensions().is_empty() {
            "by name only".to_string()
        } else {
            format!(".{}", i.extensions().join(", ."))
        };
        println!("  {:<24} {tables} ({ext})", i.name());
    }
    Ok(())
}
