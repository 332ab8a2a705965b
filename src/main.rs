//! The `rankaudit` binary: parse the command line, run, print the error chain once.

use std::process::ExitCode;

fn main() -> ExitCode {
    match rankaudit::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", elide_long_lines(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// The longest error line printed whole. Messages quote input values shortened at the
/// source; this is the net for any that is not (a 2 MB field must not fill the terminal).
const MAX_LINE: usize = 2000;

/// Each line longer than [`MAX_LINE`] bytes keeps its start and end, with the number of
/// bytes left out in between.
fn elide_long_lines(msg: &str) -> String {
    msg.split('\n')
        .map(|l| {
            if l.len() <= MAX_LINE {
                return l.to_string();
            }
            let head = l.floor_char_boundary(MAX_LINE - 200);
            let tail = l.ceil_char_boundary(l.len() - 200);
            format!(
                "{}… ({} bytes left out) …{}",
                &l[..head],
                tail - head,
                &l[tail..]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
