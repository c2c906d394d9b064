//! Driving a [`BenchSession`] inside the browser: steps of a few tens of milliseconds, a
//! yield to the event loop between them (so progress reaches the page and a cancel gets
//! in), and waits for Server arrivals that busy-wait on the clock.
//!
//! **Waiting honestly.** A Server run asks to wait until the next scheduled arrival
//! ([`BenchStep::WaitUntil`]). A `setTimeout` would wake up late (clamped to 4 ms, throttled),
//! and its lateness would count as queueing. So the driver spins on `performance.now()`,
//! and yields to the event loop (an unclamped [`yield_now`]) only while the deadline is
//! more than [`YIELD_MARGIN`] away, at most every [`YIELD_EVERY`]: a yield takes well under
//! a millisecond, so it never makes the driver late, and a cancel is seen within about a
//! millisecond even during a long wait.

use std::time::Duration;

use super::yield_now::yield_now;
use crate::bench::session::BenchError;
use crate::bench::{BenchProgress, BenchSession, BenchStep};
use crate::loadgen::clock::Clock;

/// Work per step: long enough that the yields cost nothing measurable, short enough that a
/// cancel is seen at once.
pub const STEP_BUDGET: Duration = Duration::from_millis(30);

/// The least time between two progress reports.
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// During a wait, yield at most this often.
pub const YIELD_EVERY: Duration = Duration::from_millis(1);

/// Never yield when the deadline is closer than this: spin instead.
pub const YIELD_MARGIN: Duration = Duration::from_micros(2500);

/// What the driver reports to, and hears from, the page.
pub trait Control {
    /// Takes the messages that arrived since the last call and applies them to `session`
    /// ([`BenchSession::cancel`], [`BenchSession::visibility_changed`]); returns whether the
    /// run was cancelled (now or before).
    fn poll(&mut self, session: &mut BenchSession) -> bool;

    /// Reports progress (at most every [`PROGRESS_EVERY`], and at each new task).
    fn progress(&mut self, progress: BenchProgress);
}

/// Runs `session` to its end (or its cancellation) on `clock`.
///
/// # Errors
///
/// The session's error (e.g. training diverged).
pub async fn drive<C: Clock + ?Sized>(
    session: &mut BenchSession,
    clock: &C,
    control: &mut impl Control,
) -> Result<(), BenchError> {
    let mut reporter = Reporter { last: None };
    loop {
        let cancelled = control.poll(session);
        match session.step(clock, STEP_BUDGET)? {
            BenchStep::Progress(_) => {
                reporter.report(session, clock, control, false);
                yield_now().await;
            }
            BenchStep::WaitUntil(deadline) if !cancelled => {
                let mut last_yield = clock.now();
                loop {
                    let now = clock.now();
                    if now >= deadline {
                        break;
                    }
                    if deadline - now > YIELD_MARGIN && now - last_yield >= YIELD_EVERY {
                        reporter.report(session, clock, control, false);
                        yield_now().await;
                        if control.poll(session) {
                            break;
                        }
                        last_yield = clock.now();
                    } else {
                        std::hint::spin_loop();
                    }
                }
            }
            // Cancelled while the run wanted to wait: step again, the run ends.
            BenchStep::WaitUntil(_) => {}
            BenchStep::Finished => {
                reporter.report(session, clock, control, true);
                return Ok(());
            }
        }
    }
}

/// Sends progress when it is due.
struct Reporter {
    /// When the last report was sent, and for which task.
    last: Option<(Duration, usize)>,
}

impl Reporter {
    fn report<C: Clock + ?Sized>(
        &mut self,
        session: &BenchSession,
        clock: &C,
        control: &mut impl Control,
        force: bool,
    ) {
        let Some(p) = session.progress_now(clock) else {
            return;
        };
        let now = clock.now();
        let due = match self.last {
            None => true,
            Some((at, task)) => task != p.task_index || now.saturating_sub(at) >= PROGRESS_EVERY,
        };
        if due || force {
            self.last = Some((now, p.task_index));
            control.progress(p);
        }
    }
}
