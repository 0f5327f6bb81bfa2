//! What keeps one file from taking the whole run down: a panic while checking a file
//! becomes that file's error (the others are still checked and reported), and each
//! file gets a time budget after which its analysis stops with an error instead of
//! holding up the run.
//!
//! Both are per thread: files are checked one per worker thread at a time, so the
//! deadline and the panic message of the file a thread is checking live in
//! thread-locals, set and cleared by [`isolate`].

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

/// How long one file may take unless `SPARKGUARD_FILE_BUDGET` (seconds) says
/// otherwise.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(30);

thread_local! {
    /// When the file being checked on this thread must stop.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Set once the deadline passed: what was found after it is thrown away.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
    /// Inside [`isolate`]: a panic is that file's error, and is not printed.
    static ISOLATED: Cell<bool> = const { Cell::new(false) };
    /// The message and place of the last panic inside [`isolate`].
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set by another thread when the work under [`cancellable`] is no longer wanted.
    static CANCEL: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `work` so that setting `flag` (from any thread) stops it early: the long
/// loops that ask [`exceeded`] stop, and [`cancelled`] says so between phases.
/// What `work` returns once cancelled is partial: the caller drops it.
pub fn cancellable<T>(flag: Arc<AtomicBool>, work: impl FnOnce() -> T) -> T {
    let outer = CANCEL.with_borrow_mut(|cancel| cancel.replace(flag));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CANCEL.with_borrow_mut(|cancel| *cancel = outer);
    result.unwrap_or_else(|panic| panic::resume_unwind(panic))
}

/// Whether the work running on this thread under [`cancellable`] was cancelled.
pub fn cancelled() -> bool {
    CANCEL.with_borrow(|cancel| {
        cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    })
}

/// The per-file budget: `SPARKGUARD_FILE_BUDGET` seconds (fractions allowed) when
/// set to a positive number, else [`DEFAULT_BUDGET`].
pub fn budget() -> Duration {
    std::env::var("SPARKGUARD_FILE_BUDGET")
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs > 0.0)
        .map_or(DEFAULT_BUDGET, Duration::from_secs_f64)
}

/// Whether the file being checked on this thread is past its budget. Long loops
/// (the parser, the query matches) ask this and stop early.
pub fn exceeded() -> bool {
    if STOPPED.get() || cancelled() {
        return true;
    }
    let past = DEADLINE
        .get()
        .is_some_and(|deadline| Instant::now() >= deadline);
    if past {
        STOPPED.set(true);
    }
    past
}

/// Why a file's analysis did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It ran past its time budget.
    OutOfTime(Duration),
    /// It panicked: the message and where.
    Panic(String),
}

impl Failure {
    /// The per-file error text.
    pub fn message(&self) -> String {
        match self {
            Failure::OutOfTime(budget) => format!(
                "analysis stopped after {} s (the per-file time budget; SPARKGUARD_FILE_BUDGET sets it)",
                format_secs(*budget)
            ),
            Failure::Panic(message) => format!(
                "internal error while checking this file ({message}); the other files were checked. Please report this file's shape"
            ),
        }
    }
}

fn format_secs(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0}")
    } else {
        format!("{secs:.1}")
    }
}

/// Runs `work` for one file with `budget`: a panic in it, or running past the
/// budget, is a [`Failure`] instead of the end of the run (or a hang).
pub fn isolate<T>(budget: Duration, work: impl FnOnce() -> T) -> Result<T, Failure> {
    install_panic_hook();
    // Files may be checked inside another file's check (`--fix` re-checks its
    // output): keep the outer file's state and give it back afterwards.
    let outer = (DEADLINE.get(), STOPPED.get(), ISOLATED.get());
    DEADLINE.set(Instant::now().checked_add(budget));
    STOPPED.set(false);
    ISOLATED.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    let stopped = STOPPED.get();
    DEADLINE.set(outer.0);
    STOPPED.set(outer.1);
    ISOLATED.set(outer.2);
    match result {
        Ok(_) if stopped => Err(Failure::OutOfTime(budget)),
        Ok(value) => Ok(value),
        Err(payload) => {
            let message = PANIC
                .with_borrow_mut(Option::take)
                .unwrap_or_else(|| payload_text(payload.as_ref()));
            Err(Failure::Panic(message))
        }
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Panics inside [`isolate`] are recorded for the file's error rather than printed
/// (the run goes on and says so itself); any other panic prints as it always does.
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !ISOLATED.get() {
                default(info);
                return;
            }
            let message = payload_text(info.payload());
            let text = match info.location() {
                Some(at) => format!("{message} at {}:{}", at.file(), at.line()),
                None => message,
            };
            PANIC.with_borrow_mut(|slot| *slot = Some(text));
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_failure_and_is_not_printed() {
        let failure = isolate(DEFAULT_BUDGET, || -> u32 { panic!("boom {}", 7) }).unwrap_err();
        let Failure::Panic(message) = &failure else {
            panic!("{failure:?}")
        };
        assert!(message.starts_with("boom 7 at src/guard.rs:"), "{message}");
        assert!(failure.message().contains("internal error"));
        // The thread is fine afterwards, and outside `isolate` nothing is stopped.
        assert_eq!(isolate(DEFAULT_BUDGET, || 5), Ok(5));
        assert!(!exceeded());
    }

    #[test]
    fn work_past_the_budget_is_stopped() {
        let failure = isolate(Duration::from_millis(20), || {
            let start = Instant::now();
            while !exceeded() {
                assert!(start.elapsed() < Duration::from_secs(5), "never stopped");
            }
        })
        .unwrap_err();
        assert_eq!(failure, Failure::OutOfTime(Duration::from_millis(20)));
        assert!(
            failure
                .message()
                .starts_with("analysis stopped after 0.0 s")
        );
        assert!(!exceeded());
    }

    #[test]
    fn budget_seconds_print_plainly() {
        assert_eq!(format_secs(Duration::from_secs(30)), "30");
        assert_eq!(format_secs(Duration::from_millis(1500)), "1.5");
    }
}
