//! Driving a [`BenchSession`] inside the browser: steps of a few tens of milliseconds, a
//! yield to the event loop between them (so progress reaches the page and a cancel gets
//! in), and waits for Server arrivals that busy-wait on the clock.
//!
//! **Waiting honestly.** A Server run asks to wait until the next scheduled arrival
//! ([`BenchStep::WaitUntil`]). A `setTimeout` would wake up late (clamped to 4 ms, throttled),
//! and its lateness would count as queueing. So the driver spins on `performance.now()`.
//! It yields to the event loop (an unclamped [`yield_now`]) during a wait only while the
//! deadline is more than [`DriveSettings::yield_margin`] away: a yield lets the operating
//! system run something else on the core, and getting the core back can take a scheduler
//! time slice (milliseconds on a busy machine), which would make the next query late. When
//! arrivals come too close together for that, it yields anyway once
//! [`DriveSettings::max_without_yield`] has passed, so that progress goes out and a cancel
//! gets in.
//!
//! **Yields are not queueing.** Every yield's start and end are passed to
//! [`BenchSession::driver_paused`]: when a Server query fell due during it, the run shifts
//! its remaining arrivals by the overrun, so the worker's absence is not counted as any
//! query's queueing (the run records the total as `schedule_paused_ms`).

use std::time::Duration;

use super::yield_now::yield_now;
use crate::bench::BenchError;
use crate::bench::{BenchProgress, BenchSession, BenchStep};
use crate::loadgen::clock::Clock;

/// How the driver paces its steps, yields and progress reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriveSettings {
    /// Work per step: long enough that yields cost nothing measurable, short enough that a
    /// cancel is seen at once.
    pub step_budget: Duration,
    /// The least time between two progress reports (a new task is reported at once).
    pub progress_every: Duration,
    /// During a wait, yield at most this often.
    pub yield_every: Duration,
    /// During a wait, yield only while the deadline is further away than this.
    pub yield_margin: Duration,
    /// Yield at the next wait, whatever its length, once this long has passed without one.
    pub max_without_yield: Duration,
}

impl Default for DriveSettings {
    /// 30 ms steps, progress every 100 ms, yields during waits at most every 2 ms and only
    /// 5 ms or more before the deadline, and at least every 100 ms.
    fn default() -> Self {
        Self {
            step_budget: Duration::from_millis(30),
            progress_every: Duration::from_millis(100),
            yield_every: Duration::from_millis(2),
            yield_margin: Duration::from_millis(5),
            max_without_yield: Duration::from_millis(100),
        }
    }
}

/// What the driver reports to, and hears from, the page.
pub trait Control {
    /// Takes the messages that arrived since the last call and applies them to `session`
    /// ([`BenchSession::cancel`], [`BenchSession::visibility_changed`]); returns whether the
    /// run was cancelled (now or before).
    fn poll(&mut self, session: &mut BenchSession) -> bool;

    /// Reports progress (at most every [`DriveSettings::progress_every`], and at each new
    /// task).
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
    settings: DriveSettings,
) -> Result<(), BenchError> {
    let mut reporter = Reporter {
        last: None,
        every: settings.progress_every,
    };
    let mut last_yield = clock.now();
    loop {
        let cancelled = control.poll(session);
        match session.step(clock, settings.step_budget)? {
            BenchStep::Progress(_) => {
                reporter.report(session, clock, control, false);
                let from = clock.now();
                yield_now().await;
                last_yield = clock.now();
                session.driver_paused(from, last_yield);
            }
            BenchStep::WaitUntil(deadline) if !cancelled => loop {
                let now = clock.now();
                if now >= deadline {
                    break;
                }
                let since = now.saturating_sub(last_yield);
                let far = deadline - now > settings.yield_margin && since >= settings.yield_every;
                if far || since >= settings.max_without_yield {
                    reporter.report(session, clock, control, false);
                    yield_now().await;
                    last_yield = clock.now();
                    // A yield that outlasts the deadline (the forced one, every
                    // `max_without_yield`, or any on a busy machine) would make the query
                    // late: the session shifts the schedule by the overrun instead.
                    session.driver_paused(now, last_yield);
                    if control.poll(session) {
                        break;
                    }
                } else {
                    std::hint::spin_loop();
                }
            },
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
    /// The least time between two reports.
    every: Duration,
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
            Some((at, task)) => task != p.task_index || now.saturating_sub(at) >= self.every,
        };
        if due || force {
            self.last = Some((now, p.task_index));
            control.progress(p);
        }
    }
}
