//! How a long run reports itself: the stages say what they do and count finished units
//! through an [`Observer`]; the command line implements it (a progress bar on a
//! terminal, nothing with `--quiet`), tests and library users pass [`Silent`].

/// One counted task (e.g. the universes of a family).
pub trait Task: Sync {
    /// One unit finished.
    fn inc(&self);
    /// `pos` units finished so far (for tasks measured in bytes read).
    fn at(&self, pos: u64) {
        let _ = pos;
    }
    /// All units finished: the task's line is cleared.
    fn finish(&self);
}

/// Receives what a run says and how far it is.
pub trait Observer: Sync {
    /// A line for the user.
    fn say(&self, msg: &str);
    /// A task of `len` units, named `what`.
    fn task(&self, len: u64, what: &str) -> Box<dyn Task>;
}

/// Says nothing and shows no progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Task for Silent {
    fn inc(&self) {}
    fn finish(&self) {}
}

impl Observer for Silent {
    fn say(&self, _msg: &str) {}
    fn task(&self, _len: u64, _what: &str) -> Box<dyn Task> {
        Box::new(Silent)
    }
}
