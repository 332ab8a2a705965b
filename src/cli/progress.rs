//! The terminal [`Observer`]: messages on stderr and an indicatif progress bar per
//! task; quiet with `--quiet`, and bars hidden when stderr is not a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Observer, Task};

/// Progress on stderr unless quiet.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub quiet: bool,
}

struct Bar(ProgressBar);

impl Task for Bar {
    fn inc(&self) {
        self.0.inc(1);
    }
    fn at(&self, pos: u64) {
        self.0.set_position(pos);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Observer for Terminal {
    fn say(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    fn task(&self, len: u64, what: &str) -> Box<dyn Task> {
        let pb = ProgressBar::new(len);
        if self.quiet || !std::io::stderr().is_terminal() {
            pb.set_draw_target(ProgressDrawTarget::hidden());
        } else {
            pb.set_draw_target(ProgressDrawTarget::stderr());
        }
        pb.set_style(
            ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        pb.set_message(what.to_string());
        Box::new(Bar(pb))
    }
}
