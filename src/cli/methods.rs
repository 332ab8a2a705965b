//! `rankaudit methods`: what can be computed.

use anyhow::Result;

pub fn run() -> Result<()> {
    println!("Ranking methods (study: method = \"...\"; quick mode: --method ...):");
    for e in crate::rankings::registry::METHODS {
        println!("  {:<24} {}", e.name, e.about);
    }
    println!("\nPerturbation families ([[sensitivity.family]] family = \"...\"):");
    for e in crate::sensitivity::FAMILIES {
        println!("  {:<24} {}", e.name, e.about);
    }
    Ok(())
}
