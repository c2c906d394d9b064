//! What the progress panel shows during a run ([`ProgressView`]), from the worker's
//! [`BenchProgress`].

use serde::{Deserialize, Serialize};

use crate::bench::timer_checks::CheckKind;
use crate::bench::BenchProgress;
use crate::format::count;
use crate::loadgen::runner::Phase;

/// Below this share of the run done, no overall ETA is extrapolated (too little to go on).
const MIN_FRACTION_FOR_ETA: f64 = 0.02;

/// The progress panel's text and bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    /// The current task, e.g. "f32-fast: Server".
    pub task: String,
    /// "task 5 of 11".
    pub task_position: String,
    /// Where the current task stands, e.g. "4,210 of 13,160 queries measured" or
    /// "epoch 3 of 10, loss 0.2104".
    pub detail: String,
    /// Time since the run started, e.g. "12.40 s".
    pub elapsed: String,
    /// The current task's estimated time left, when the load generator has one.
    pub task_eta: Option<String>,
    /// The whole run's estimated time left, extrapolated from the share done so far.
    pub overall_eta: Option<String>,
    /// The share of the whole run done, in percent (0 to 100).
    pub percent: f64,
}

impl ProgressView {
    /// The view of `p`.
    pub fn of(p: &BenchProgress) -> Self {
        let detail = match (&p.run, &p.training) {
            (None, None) if p.check.is_some() => {
                let c = p.check.expect("checked by the guard");
                format!(
                    "{}: {:.0}% done",
                    match c.kind {
                        CheckKind::Clock => "timing a busy loop one by one and in groups",
                        CheckKind::CrossCheck =>
                            "batch cross-check of the timer-limited run (its queries again, \
                             one by one and in groups)",
                    },
                    c.fraction_done.clamp(0.0, 1.0) * 100.0
                )
            }
            (Some(run), _) => {
                let unit = run.unit.plural();
                let phase = match run.phase {
                    Phase::WarmUp => "warming up (not recorded)",
                    Phase::Measure => "measured",
                    Phase::Finished => "done",
                };
                format!("{} of {} {unit} {phase}", count(run.done), count(run.total))
            }
            (None, Some(t)) => format!(
                "epoch {} of {}, batch {} of {}, loss {:.4}",
                t.epoch, t.epochs, t.batch, t.batches_per_epoch, t.loss
            ),
            (None, None) => "starting".to_string(),
        };
        let f = p.fraction_done.clamp(0.0, 1.0);
        let overall_eta = (MIN_FRACTION_FOR_ETA..1.0)
            .contains(&f)
            .then(|| p.elapsed_ms * (1.0 - f) / f)
            .filter(|ms| ms.is_finite())
            .map(seconds);
        ProgressView {
            task: p.task.to_string(),
            task_position: format!("task {} of {}", p.task_index + 1, p.task_count),
            detail,
            elapsed: seconds(p.elapsed_ms),
            task_eta: p
                .run
                .as_ref()
                .and_then(|r| r.eta_ms)
                .filter(|ms| ms.is_finite())
                .map(seconds),
            overall_eta,
            percent: f * 100.0,
        }
    }
}

/// A duration for progress text: "0.8 s", "12.4 s", "3 min 05 s".
fn seconds(ms: f64) -> String {
    let s = (ms / 1e3).max(0.0);
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        let whole = s.round() as u64;
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}
