//! Where a session stands ([`BenchProgress`]): the task, the run's or training's own
//! progress, and the share of the whole session done.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{BenchSession, State};
use crate::bench::timer_checks::{CheckKind, CheckProgress};
use crate::loadgen::clock::Clock;
use crate::loadgen::runner::Progress;
use crate::model::train::TrainProgress;
use crate::plan::TaskKind;

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchProgress {
    /// The current task.
    pub task: TaskKind,
    /// Its 0-based index in the plan.
    pub task_index: usize,
    /// Tasks in the plan.
    pub task_count: usize,
    /// The load generator's progress, during a run.
    pub run: Option<Progress>,
    /// Training's progress, during training.
    pub training: Option<TrainProgress>,
    /// A timer check's progress, during one.
    #[serde(default)]
    pub check: Option<CheckProgress>,
    /// Time since the session's first step, in ms.
    pub elapsed_ms: f64,
    /// Estimated share of the whole session done, in `0..=1`: every task counts the same,
    /// and the current one by its own progress.
    pub fraction_done: f64,
}

impl BenchSession {
    /// Where the session stands now, once it has started (`None` before the first step).
    ///
    /// [`BenchSession::step`] reports progress only when a step uses up its budget; a
    /// Server run that keeps waiting for arrivals ([`BenchStep::WaitUntil`](super::BenchStep::WaitUntil)) never does, so
    /// a driver that shows progress asks here while it waits.
    pub fn progress_now<C: Clock + ?Sized>(&self, clock: &C) -> Option<BenchProgress> {
        self.started.map(|origin| self.progress(clock, origin))
    }

    pub(super) fn progress<C: Clock + ?Sized>(&self, clock: &C, origin: Duration) -> BenchProgress {
        let elapsed = clock.now().saturating_sub(origin);
        let task_count = self.tasks.len();
        let index = self.task_index.min(task_count.saturating_sub(1));
        let check = |kind, fraction_done| {
            Some(CheckProgress {
                kind,
                fraction_done,
            })
        };
        let (run, training, within, check) = match &self.state {
            State::Training { last, .. } => (
                None,
                *last,
                last.map_or(0.0, |p| p.steps_done as f64 / p.total_steps.max(1) as f64),
                None,
            ),
            State::ClockCheck { check: c } => {
                let f = c.fraction_done();
                (None, None, f, check(CheckKind::Clock, f))
            }
            // The run is over: the cross-check is the task's last part.
            State::CrossCheck { check: c, .. } => {
                let f = c.fraction_done();
                (None, None, 1.0, check(CheckKind::CrossCheck, f))
            }
            State::Run { runner, .. } => {
                let p = runner.progress(clock);
                let f = fraction(&p);
                (Some(p), None, f, None)
            }
            State::Offline { run } => {
                let pool = self
                    .pool
                    .as_deref()
                    .expect("parallel Offline runs have a pool");
                let p = run.progress(clock.now(), pool);
                let f = fraction(&p);
                (Some(p), None, f, None)
            }
            State::Peak { search } => (
                None,
                None,
                search.probes().len() as f64
                    / f64::from(self.plan.peak_search.map_or(1, |s| s.max_probes.max(1))),
                None,
            ),
            _ => (None, None, 0.0, None),
        };
        BenchProgress {
            task: self.tasks[index],
            task_index: index,
            task_count,
            run,
            training,
            check,
            elapsed_ms: elapsed.as_secs_f64() * 1e3,
            fraction_done: ((index as f64 + within.clamp(0.0, 1.0)) / task_count.max(1) as f64)
                .clamp(0.0, 1.0),
        }
    }
}

/// A run's progress as a fraction of its measured phase (warm-up counts as nothing done):
/// elapsed / (elapsed + ETA) when there is an ETA, else done / total.
fn fraction(p: &Progress) -> f64 {
    use crate::loadgen::runner::Phase;
    match p.phase {
        Phase::WarmUp => 0.0,
        Phase::Finished => 1.0,
        Phase::Measure => match p.eta_ms {
            Some(eta) if p.elapsed_ms + eta > 0.0 => p.elapsed_ms / (p.elapsed_ms + eta),
            _ if p.total > 0 => p.done as f64 / p.total as f64,
            _ => 0.0,
        },
    }
}
