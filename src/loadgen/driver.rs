//! Native drivers: run a [`Stepwise`] run to its end, and wait by busy-waiting.
//!
//! The runner only *says* when to wait ([`Step::WaitUntil`]); these helpers decide how. The CLI
//! passes [`spin_until`] (a busy-wait: sleeping would add the OS scheduler's wake-up latency
//! to every Server arrival); tests pass a closure that sets a
//! [`ManualClock`](super::clock::ManualClock) to the deadline. A browser worker does not use
//! them: it calls `step` itself and yields between steps so that a cancel message gets in.

use std::time::Duration;

use super::clock::Clock;
use super::runner::{Progress, Step, Stepwise};
use super::sut::SystemUnderTest;

/// The clock-time budget of each step in the native drivers: 50 ms between progress reports.
pub const NATIVE_STEP_BUDGET: Duration = Duration::from_millis(50);

/// Drives `run` to its end and returns its result; `wait(deadline)` is called whenever the run
/// must wait until `clock` reads `deadline`.
///
/// `wait` must let the clock reach the deadline (busy-wait, or advance a manual clock);
/// otherwise the run asks again, forever.
pub fn run_to_completion<R, C, S>(
    run: R,
    clock: &C,
    sut: &mut S,
    wait: impl FnMut(Duration),
) -> R::Output
where
    R: Stepwise,
    C: Clock + ?Sized,
    S: SystemUnderTest + ?Sized,
{
    run_with_progress(run, clock, sut, wait, |_| {})
}

/// [`run_to_completion`], calling `on_progress` after every step that reports progress.
pub fn run_with_progress<R, C, S>(
    mut run: R,
    clock: &C,
    sut: &mut S,
    mut wait: impl FnMut(Duration),
    mut on_progress: impl FnMut(&Progress),
) -> R::Output
where
    R: Stepwise,
    C: Clock + ?Sized,
    S: SystemUnderTest + ?Sized,
{
    loop {
        match run.step(clock, sut, NATIVE_STEP_BUDGET) {
            Step::Progress(progress) => on_progress(&progress),
            Step::WaitUntil(deadline) => wait(deadline),
            Step::Done => return run.finish(),
        }
    }
}

/// Busy-waits until `clock` reads at least `deadline`.
pub fn spin_until<C: Clock + ?Sized>(clock: &C, deadline: Duration) {
    while clock.now() < deadline {
        std::hint::spin_loop();
    }
}
