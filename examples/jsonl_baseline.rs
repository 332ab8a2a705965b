//! The baseline for the twarc2 import benchmark (bench/twarc2.py): a plain line-by-line
//! `serde_json` parse of a JSON-lines file on one thread, as a script would do it.
//!
//! `cargo run --release --example jsonl_baseline -- FILE [value|ignored]`: parses every
//! line into a `serde_json::Value` (default) or only validates it (`ignored`: serde's
//! `IgnoredAny`, the floor for any JSON parse), and prints
//! `{"bytes": N, "lines": N, "seconds": S}`.

use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: jsonl_baseline FILE [value|ignored]")?;
    let mode = args.next().unwrap_or_else(|| "value".into());
    let start = Instant::now();
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
    let (mut bytes, mut lines, mut line) = (0u64, 0u64, Vec::new());
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        lines += 1;
        match mode.as_str() {
            "ignored" => {
                serde_json::from_slice::<serde::de::IgnoredAny>(&line)?;
            }
            _ => {
                let v: serde_json::Value = serde_json::from_slice(&line)?;
                std::hint::black_box(v);
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("{{\"bytes\": {bytes}, \"lines\": {lines}, \"seconds\": {seconds:.6}}}");
    Ok(())
}
