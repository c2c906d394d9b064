//! Where a run stands ([`Progress`]): its phase, what is done of what is expected, and an ETA
//! estimated from the run so far.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::work::Work;
use super::{ns_between, Runner};
use crate::loadgen::clock::Clock;
use crate::loadgen::record::ns_to_ms;
use crate::loadgen::settings::{Scenario, TestMode};

/// Which part of a run is going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Warm-up queries, not recorded.
    WarmUp,
    /// The measured run (performance or accuracy).
    Measure,
    /// Over.
    Finished,
}

/// What [`Progress::done`] and [`Progress::total`] count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgressUnit {
    /// Queries.
    Queries,
    /// Samples (Offline, accuracy mode).
    Samples,
}

impl ProgressUnit {
    /// The unit in words, plural: "queries", "samples".
    pub fn plural(self) -> &'static str {
        match self {
            ProgressUnit::Queries => "queries",
            ProgressUnit::Samples => "samples",
        }
    }
}

/// Where a run stands, for a progress bar.
///
/// **ETA** (`eta_ms`), estimated from the run so far, never from a promise:
/// - warm-up: remaining warm-up queries x their mean latency so far;
/// - SingleStream / MultiStream: the longer of (time left to `min_duration_ms`) and (queries
///   left to `min_query_count` x mean time per query so far), capped by what is left of
///   `max_duration_ms` and of `max_query_count` (at that pace);
/// - Server: the longer of (time until the last scheduled arrival) and (queries left x mean
///   service time so far), since an overloaded SUT finishes after its schedule;
/// - Offline and accuracy mode: samples left x time per sample so far.
///
/// `None` until one query (or batch) of the phase has completed. `total` is the expected count
/// on the same basis (for SingleStream/MultiStream it grows with the pace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The scenario.
    pub scenario: Scenario,
    /// Performance or accuracy.
    pub mode: TestMode,
    /// The phase.
    pub phase: Phase,
    /// Queries (or samples) done in this phase.
    pub done: u64,
    /// Queries (or samples) expected in this phase.
    pub total: u64,
    /// What `done` and `total` count.
    pub unit: ProgressUnit,
    /// Time since the phase started, in ms.
    pub elapsed_ms: f64,
    /// Estimated time to the end of the phase, in ms.
    pub eta_ms: Option<f64>,
}

impl Runner {
    /// Where the run stands at clock reading `now`.
    pub fn progress(&self, clock: &(impl Clock + ?Sized)) -> Progress {
        self.progress_at(clock.now())
    }

    pub(super) fn progress_at(&self, now: Duration) -> Progress {
        let elapsed_ns = self.phase_start.map_or(0, |s| ns_between(s, now));
        let settings = &self.settings;
        let base = Progress {
            scenario: settings.scenario(),
            mode: settings.mode,
            phase: self.phase,
            done: 0,
            total: 0,
            unit: ProgressUnit::Queries,
            elapsed_ms: ns_to_ms(elapsed_ns),
            eta_ms: None,
        };
        let per_item = |done: u64, total_ns: u64| (done > 0).then(|| total_ns as f64 / done as f64);
        match self.phase {
            Phase::WarmUp => {
                let left = self.warmup_target - self.warmup_done;
                Progress {
                    done: self.warmup_done,
                    total: self.warmup_target,
                    eta_ms: per_item(self.warmup_done, self.warmup_total_ns)
                        .map(|m| m * left as f64 / 1e6),
                    ..base
                }
            }
            Phase::Finished => {
                let done = match &self.work {
                    Work::Offline { issued, .. } => *issued,
                    Work::Accuracy { next, .. } => *next as u64,
                    _ => self.records.len() as u64,
                };
                Progress {
                    done,
                    total: done,
                    unit: self.unit(),
                    eta_ms: Some(0.0),
                    ..base
                }
            }
            Phase::Measure => {
                let q = self.records.len() as u64;
                match &self.work {
                    Work::Stream { .. } => {
                        let pace = per_item(q, elapsed_ns);
                        let min_ns = settings.min_duration_ms as f64 * 1e6;
                        let mut total = settings.min_query_count.max(q);
                        let mut eta = None;
                        if let Some(pace) = pace {
                            let by_count = settings.min_query_count.saturating_sub(q) as f64 * pace;
                            let by_time = (min_ns - elapsed_ns as f64).max(0.0);
                            let mut left = by_count.max(by_time);
                            total = total.max(q + (left / pace).ceil() as u64);
                            if settings.max_query_count != 0 {
                                total = total.min(settings.max_query_count);
                                left = left
                                    .min(settings.max_query_count.saturating_sub(q) as f64 * pace);
                            }
                            if settings.max_duration_ms != 0 {
                                let max_ns = settings.max_duration_ms as f64 * 1e6;
                                left = left.min((max_ns - elapsed_ns as f64).max(0.0));
                            }
                            eta = Some(left / 1e6);
                        }
                        Progress {
                            done: q,
                            total,
                            eta_ms: eta,
                            ..base
                        }
                    }
                    Work::Server { arrivals_ns, .. } => {
                        let total = arrivals_ns.len() as u64;
                        let last = *arrivals_ns.last().unwrap_or(&0) as f64;
                        let by_schedule = (last - elapsed_ns as f64).max(0.0);
                        let by_service = per_item(q, self.service_total_ns)
                            .map_or(0.0, |s| s * (total - q) as f64);
                        Progress {
                            done: q,
                            total,
                            eta_ms: Some(by_schedule.max(by_service) / 1e6),
                            ..base
                        }
                    }
                    Work::Offline { total, issued, .. } => Progress {
                        done: *issued,
                        total: *total,
                        unit: ProgressUnit::Samples,
                        eta_ms: per_item(*issued, elapsed_ns)
                            .map(|p| p * (*total - *issued) as f64 / 1e6),
                        ..base
                    },
                    Work::Accuracy { order, next, .. } => {
                        let done = *next as u64;
                        let total = order.len() as u64;
                        Progress {
                            done,
                            total,
                            unit: ProgressUnit::Samples,
                            eta_ms: per_item(done, elapsed_ns)
                                .map(|p| p * (total - done) as f64 / 1e6),
                            ..base
                        }
                    }
                }
            }
        }
    }

    pub(super) fn unit(&self) -> ProgressUnit {
        match self.work {
            Work::Offline { .. } | Work::Accuracy { .. } => ProgressUnit::Samples,
            _ => ProgressUnit::Queries,
        }
    }
}
