//! The outcome of a run ([`RunResult`]): every query record, LoadGen's summary and scenario
//! metric, early stopping, accuracy, and validity; and how it is computed from the raw records.
//!
//! Metrics, as LoadGen computes them (`loadgen/results.cc`):
//! - SingleStream: the target-percentile (p90) sample latency and its early-stopping estimate,
//!   plus the p99 early-stopping estimate and LoadGen's "QPS w/ loadgen overhead"
//!   (`(n - 1) / final issue time`) and "QPS w/o loadgen overhead" (`1 / mean latency`);
//! - MultiStream: the target-percentile (p99) *query* latency and its early-stopping estimate;
//! - Server: "Completed samples per second" = `(n - 1) / time of the last completion` and
//!   "Scheduled samples per second" = `(n - 1) / final scheduled time` (the `n - 1` because
//!   the first sample opens the time range), and the target-percentile latency against the
//!   bound;
//! - Offline: "Samples per second" = `samples / max latency`.
//!
//! Percentiles: LoadGen's `sorted[floor(n * p)]`, no interpolation. Offline's sample latencies
//! count each batch's latency once per sample of the batch.

use serde::{Deserialize, Serialize};

use super::duration_hint::{duration_hint, per_second};
use super::early_stopping::{self, MinPassingQueries};
use super::record::{ns_to_ms, LatencySummary, QueryRecord};
use super::settings::{Scenario, ScenarioSettings, TestMode, TestSettings};
use super::timing_check::Dither;
use super::validity::{DurationBasis, InvalidReason, StopReason, Validity, ValidityChecks};
use crate::stats::percentile::loadgen_percentile_index;

pub use super::metric::{
    AccuracyResult, EarlyStoppingEstimate, MultiStreamMetric, OfflineMetric, RunTimes,
    ScenarioMetric, ServerMetric, SingleStreamMetric, WarmupSummary,
};

/// Everything a run produced; goes into the result file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The scenario.
    pub scenario: Scenario,
    /// Performance or accuracy.
    pub mode: TestMode,
    /// The settings, as run.
    pub settings: TestSettings,
    /// Samples in the performance sample set (the test split).
    pub sample_set_size: usize,
    /// The timer resolution the driver measured and passed in, in ms (`None`: not given, or
    /// the timer never moved).
    pub timer_resolution_ms: Option<f64>,
    /// What the clock check the driver passed in found about the clock's dithering (`None`:
    /// not checked, or a file written before the check existed).
    #[serde(default)]
    pub clock_dither: Option<Dither>,
    /// The warm-up.
    pub warmup: WarmupSummary,
    /// Why the measured run ended.
    pub stop_reason: StopReason,
    /// How many times the driver reported the page hidden during the run.
    pub visibility_changes: u32,
    /// Executors that served the run at once: 1, or for an Offline run on several cores
    /// the session's own and its helpers (`loadgen::offline`). Absent (1) in results from
    /// before it was recorded.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub executors: u32,
    /// Queries issued, as LoadGen counts them (Offline: 1, its single query, made of
    /// `queries.len()` batches).
    pub query_count: u64,
    /// Samples processed.
    pub sample_count: u64,
    /// The times compared with the minimum duration (all 0 if no query ran).
    pub times: RunTimes,
    /// Summary of the latencies: per sample (SingleStream, Server, Offline) or per query
    /// (MultiStream); `None` if no query ran.
    pub latency: Option<LatencySummary>,
    /// The scenario's metric (performance mode, at least one query).
    pub metric: Option<ScenarioMetric>,
    /// Accuracy mode's result.
    pub accuracy: Option<AccuracyResult>,
    /// VALID or INVALID, and why.
    pub validity: Validity,
    /// Server: the time the driver was away (a browser worker yielding to its event loop)
    /// while a query was due, in ms. Arrivals after each such pause were shifted later by
    /// it, so it counts in no query's queueing; 0 natively, and in results of schema
    /// version 1 (which did not excuse it).
    #[serde(default)]
    pub schedule_paused_ms: f64,
    /// Every measured query, in issue order (Offline: every batch); stored column-wise
    /// ([`super::columnar`]).
    #[serde(with = "super::columnar")]
    pub queries: Vec<QueryRecord>,
}

/// What the runner hands over to be analysed.
#[derive(Debug)]
pub(crate) struct RawRun {
    pub settings: TestSettings,
    pub sample_set_size: usize,
    pub timer_resolution: Option<crate::loadgen::clock::TimerResolution>,
    pub dither: Option<Dither>,
    pub warmup: WarmupSummary,
    pub stop_reason: StopReason,
    pub visibility_changes: u32,
    pub records: Vec<QueryRecord>,
    pub correct: u64,
    /// The run's query limit (see [`super::runner::Runner::with_query_limit`]).
    pub query_limit: u64,
    /// The driver's pauses excused from a Server schedule, in ns.
    pub schedule_paused_ns: u64,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A latency bound in whole ns, as the runs compare it.
pub(crate) fn bound_ns(latency_bound_ms: f64) -> u64 {
    (latency_bound_ms * 1e6).round() as u64
}

impl RunResult {
    /// Analyses a finished (or cancelled) run.
    pub(crate) fn from_raw(raw: RawRun) -> RunResult {
        let RawRun {
            settings,
            sample_set_size,
            timer_resolution,
            dither,
            warmup,
            stop_reason,
            visibility_changes,
            records,
            correct,
            query_limit,
            schedule_paused_ns,
        } = raw;
        let scenario = settings.scenario();
        let mut latencies: Vec<u64> = match scenario {
            Scenario::Offline => records
                .iter()
                .flat_map(|r| std::iter::repeat_n(r.latency_ns(), r.samples as usize))
                .collect(),
            _ => records.iter().map(QueryRecord::latency_ns).collect(),
        };
        latencies.sort_unstable();
        let latency = LatencySummary::from_sorted_ns(&latencies);
        let last = records.last();
        let final_scheduled_ns = last.map_or(0, |r| r.scheduled_ns);
        let final_issued_ns = last.map_or(0, |r| r.issued_ns);
        let final_completed_ns = records.iter().map(|r| r.completed_ns).max().unwrap_or(0);
        let times = RunTimes {
            final_query_scheduled_ms: ns_to_ms(final_scheduled_ns),
            final_query_issued_ms: ns_to_ms(final_issued_ns),
            final_query_completed_ms: ns_to_ms(final_completed_ns),
        };
        let sample_count: u64 = records.iter().map(|r| u64::from(r.samples)).sum();
        let query_count = match scenario {
            Scenario::Offline => u64::from(!records.is_empty()),
            _ => records.len() as u64,
        };
        let timer_resolution_ms = timer_resolution.and_then(|t| t.resolution_ms);

        let mut reasons = Vec::new();
        if stop_reason == StopReason::Cancelled {
            reasons.push(InvalidReason::Cancelled {
                query_count: records.len() as u64,
            });
        }
        if visibility_changes > 0 {
            reasons.push(InvalidReason::PageHidden {
                times: visibility_changes,
            });
        }

        if settings.mode == TestMode::Accuracy {
            let total = sample_count;
            let accuracy = AccuracyResult {
                correct,
                total,
                top1: (total > 0).then(|| correct as f64 / total as f64),
            };
            return RunResult {
                scenario,
                mode: settings.mode,
                sample_set_size,
                timer_resolution_ms,
                clock_dither: dither,
                warmup,
                stop_reason,
                visibility_changes,
                executors: 1,
                query_count,
                sample_count,
                times,
                latency,
                schedule_paused_ms: ns_to_ms(schedule_paused_ns),
                metric: None,
                accuracy: Some(accuracy),
                validity: Validity {
                    valid: reasons.is_empty(),
                    checks: ValidityChecks {
                        min_duration_met: None,
                        min_queries_met: None,
                        latency_bound_met: None,
                        early_stopping_met: None,
                    },
                    reasons,
                    timer_limited: None,
                },
                queries: records,
                settings,
            };
        }

        // LoadGen's four checks.
        let p = settings.target_percentile;
        let min_duration_ns = settings.min_duration_ms.saturating_mul(1_000_000);
        let basis = DurationBasis::of(scenario);
        let basis_ns = match basis {
            DurationBasis::FinalQueryIssued => final_issued_ns,
            DurationBasis::FinalQueryScheduled => final_scheduled_ns,
            DurationBasis::MaxLatency => final_completed_ns,
        };
        let min_duration_met = !records.is_empty() && basis_ns >= min_duration_ns;
        let (issued, required) = match settings.scenario {
            ScenarioSettings::Offline(_) => {
                (sample_count, settings.offline_sample_count().unwrap_or(1))
            }
            _ => (query_count, settings.min_query_count),
        };
        let min_queries_met = issued >= required;

        let mut finder = MinPassingQueries::new(p);
        let mut latency_bound_met = None;
        let mut early_stopping_met = None;
        let mut metric = None;
        let mut perf_reasons = Vec::new();

        if !latencies.is_empty() {
            let n = latencies.len() as u64;
            let at_p = latencies[loadgen_percentile_index(latencies.len(), p)];
            match settings.scenario {
                ScenarioSettings::SingleStream => {
                    let es = EarlyStoppingEstimate::of_sorted(&mut finder, p, &latencies);
                    let mut finder99 = MinPassingQueries::new(0.99);
                    let es99 = EarlyStoppingEstimate::of_sorted(&mut finder99, 0.99, &latencies);
                    early_stopping_met = Some(es.estimate_ms.is_some());
                    if es.estimate_ms.is_none() {
                        perf_reasons.push(InvalidReason::EarlyStoppingTooFewQueries {
                            percentile: p,
                            query_count: n,
                            min_query_count: es.min_query_count,
                        });
                    }
                    let mean_ms = latency.map_or(0.0, |l| l.mean_ms);
                    metric = Some(ScenarioMetric::SingleStream(SingleStreamMetric {
                        percentile: p,
                        percentile_latency_ms: ns_to_ms(at_p),
                        early_stopping: es,
                        early_stopping_p99: es99,
                        qps_with_loadgen_overhead: per_second(n - 1, final_issued_ns),
                        qps_without_loadgen_overhead: (mean_ms > 0.0).then(|| 1e3 / mean_ms),
                    }));
                }
                ScenarioSettings::MultiStream(m) => {
                    let es = EarlyStoppingEstimate::of_sorted(&mut finder, p, &latencies);
                    early_stopping_met = Some(es.estimate_ms.is_some());
                    if es.estimate_ms.is_none() {
                        perf_reasons.push(InvalidReason::EarlyStoppingTooFewQueries {
                            percentile: p,
                            query_count: n,
                            min_query_count: es.min_query_count,
                        });
                    }
                    metric = Some(ScenarioMetric::MultiStream(MultiStreamMetric {
                        samples_per_query: m.samples_per_query,
                        percentile: p,
                        percentile_latency_ms: ns_to_ms(at_p),
                        early_stopping: es,
                    }));
                }
                ScenarioSettings::Server(s) => {
                    let bound = bound_ns(s.latency_bound_ms);
                    let met = at_p <= bound;
                    latency_bound_met = Some(met);
                    if !met {
                        perf_reasons.push(InvalidReason::LatencyBoundExceeded {
                            percentile: p,
                            percentile_latency_ms: ns_to_ms(at_p),
                            latency_bound_ms: s.latency_bound_ms,
                            target_qps: s.target_qps,
                        });
                    }
                    let over = latencies.iter().filter(|&&l| l > bound).count() as u64;
                    let check = early_stopping::server_check(&mut finder, p, query_count, over);
                    early_stopping_met = Some(check.met);
                    if !check.met {
                        perf_reasons.push(InvalidReason::EarlyStoppingNeedsMoreQueries {
                            percentile: p,
                            query_count,
                            overlatency_count: over,
                            more_queries_needed: check.more_queries_needed,
                        });
                    }
                    let mut queueing: Vec<u64> = records
                        .iter()
                        .map(|r| r.issued_ns.saturating_sub(r.scheduled_ns))
                        .collect();
                    let mut service: Vec<u64> = records
                        .iter()
                        .map(|r| r.completed_ns - r.issued_ns)
                        .collect();
                    queueing.sort_unstable();
                    service.sort_unstable();
                    metric = Some(ScenarioMetric::Server(ServerMetric {
                        target_qps: s.target_qps,
                        completed_samples_per_second: per_second(n - 1, final_completed_ns),
                        scheduled_samples_per_second: per_second(n - 1, final_scheduled_ns),
                        percentile: p,
                        percentile_latency_ms: ns_to_ms(at_p),
                        latency_bound_ms: s.latency_bound_ms,
                        latency_bound_met: met,
                        early_stopping: check,
                        queueing: LatencySummary::from_sorted_ns(&queueing)
                            .expect("records are not empty"),
                        service: LatencySummary::from_sorted_ns(&service)
                            .expect("records are not empty"),
                    }));
                }
                ScenarioSettings::Offline(o) => {
                    metric = Some(ScenarioMetric::Offline(OfflineMetric {
                        samples_per_second: per_second(sample_count, final_completed_ns),
                        sample_count,
                        max_latency_ms: ns_to_ms(final_completed_ns),
                        batch_size: o.batch_size,
                        expected_qps: o.expected_qps,
                    }));
                }
            }
        }

        // LoadGen's order: performance constraints, min duration, min queries, early stopping.
        let (bound_reasons, es_reasons): (Vec<_>, Vec<_>) = perf_reasons
            .into_iter()
            .partition(|r| matches!(r, InvalidReason::LatencyBoundExceeded { .. }));
        reasons.extend(bound_reasons);
        if !min_duration_met {
            let hint = duration_hint(
                &settings,
                stop_reason,
                &records,
                sample_count,
                final_completed_ns,
                query_limit,
            );
            reasons.push(InvalidReason::MinDurationNotMet {
                scenario,
                basis,
                measured_ms: ns_to_ms(basis_ns),
                min_duration_ms: settings.min_duration_ms,
                stop_reason,
                hint,
            });
        }
        if !min_queries_met {
            let duration_needed_ms = (stop_reason == StopReason::MaxDuration && issued > 0)
                .then(|| ns_to_ms(final_completed_ns) * required as f64 / issued as f64);
            reasons.push(InvalidReason::MinQueriesNotMet {
                scenario,
                issued,
                required,
                stop_reason,
                duration_needed_ms,
            });
        }
        reasons.extend(es_reasons);

        // InferBench's timer rule.
        let mut timer_limited = None;
        if let Some(summary) = latency {
            let target_ms = match settings.scenario {
                ScenarioSettings::Offline(_) => summary.p50_ms,
                _ => ns_to_ms(latencies[loadgen_percentile_index(latencies.len(), p)]),
            };
            let (timer_reasons, limited) = super::timer_rule::judge(
                scenario,
                timer_resolution,
                dither,
                &summary,
                p,
                target_ms,
            );
            reasons.extend(timer_reasons);
            timer_limited = limited;
        }

        RunResult {
            scenario,
            mode: settings.mode,
            sample_set_size,
            timer_resolution_ms,
            clock_dither: dither,
            warmup,
            stop_reason,
            visibility_changes,
            executors: 1,
            query_count,
            sample_count,
            times,
            latency,
            schedule_paused_ms: ns_to_ms(schedule_paused_ns),
            metric,
            accuracy: None,
            validity: Validity {
                valid: reasons.is_empty(),
                checks: ValidityChecks {
                    min_duration_met: Some(min_duration_met),
                    min_queries_met: Some(min_queries_met),
                    latency_bound_met,
                    early_stopping_met,
                },
                reasons,
                timer_limited,
            },
            queries: records,
            settings,
        }
    }

    /// Whether the run is VALID.
    pub fn is_valid(&self) -> bool {
        self.validity.valid
    }

    /// The target-percentile latency, in ms, for the latency scenarios (SingleStream,
    /// MultiStream, Server).
    pub fn percentile_latency_ms(&self) -> Option<f64> {
        match self.metric? {
            ScenarioMetric::SingleStream(m) => Some(m.percentile_latency_ms),
            ScenarioMetric::MultiStream(m) => Some(m.percentile_latency_ms),
            ScenarioMetric::Server(m) => Some(m.percentile_latency_ms),
            ScenarioMetric::Offline(_) => None,
        }
    }
}
