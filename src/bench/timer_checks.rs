//! The session's timer checks: the clock check before the scenarios
//! ([`crate::loadgen::timing_check`]) and the batch cross-check after each timer-limited run
//! ([`crate::loadgen::cross_check`]), with what the session reports of them while they run.

use serde::{Deserialize, Serialize};

use crate::loadgen::cross_check::{CrossCheckRun, CrossCheckSettings};
use crate::loadgen::result::RunResult;
use crate::loadgen::validity::StopReason;

/// Which timer check is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The clock check before the scenarios: the tick's dithering.
    Clock,
    /// The batch cross-check of the run just finished (it was timer-limited).
    CrossCheck,
}

/// A timer check's progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CheckProgress {
    /// Which check.
    pub kind: CheckKind,
    /// Its share done, in `0..=1`.
    pub fraction_done: f64,
}

/// The cross-check that a finished run needs: one for a timer-limited SingleStream,
/// MultiStream or Server run that was not cancelled, on a test split of `sample_count`
/// samples; `None` for any other.
pub(crate) fn cross_check_for(result: &RunResult, sample_count: usize) -> Option<CrossCheckRun> {
    let limited = result.validity.timer_limited?;
    if result.stop_reason == StopReason::Cancelled {
        return None;
    }
    CrossCheckRun::new(
        result,
        sample_count,
        limited.tick_ms,
        CrossCheckSettings::default(),
    )
}
