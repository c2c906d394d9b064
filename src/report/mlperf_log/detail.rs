//! `mlperf_log_detail.txt`: one `:::MLLOG {json}` line per key, as LoadGen's new logging
//! format writes them (`logging.h`, `AsyncLog::LogDetail`), for the keys of
//! `PerformanceSummary::LogDetail` (`results.cc`) and the effective settings
//! (`TestSettingsInternal::LogEffectiveSettings`).
//!
//! Differences: InferBench's version is logged as `inferbench_version` (not
//! `loadgen_version`, which tools read as LoadGen's); `metadata` holds `is_error`,
//! `is_warning` and `file: "inferbench"` (a browser has no process or thread id, and the
//! lines are written after the run, not from a source line); `time_ms` is 0 for the settings
//! and the run's end (its last completion) for the results; `effective_target_qps` and
//! `effective_qsl_rng_seed` are absent where the summary says `n/a`. InferBench's own INVALID
//! reasons are `error_invalid_run` lines with `is_error: true`.

use super::cfmt::general;
use super::summary::{early_stopping_lines, is_own_reason, recommendations};
use super::{per_second, Figures, LatencyLines, LogRun};
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::{Scenario, ScenarioSettings};

/// A JSON value as LoadGen writes it.
enum V {
    Str(String),
    Int(u64),
    Real(f64),
    Bool(bool),
}

impl V {
    fn json(&self) -> String {
        match self {
            V::Str(s) => crate::results::json::to_compact(s).expect("a string serialises"),
            V::Int(i) => i.to_string(),
            V::Real(r) if r.is_finite() => general(*r),
            V::Real(_) => "null".to_string(),
            V::Bool(b) => b.to_string(),
        }
    }
}

struct Log {
    lines: Vec<String>,
    time_ms: String,
}

impl Log {
    fn entry(&mut self, key: &str, value: V, error: bool) {
        self.lines.push(format!(
            ":::MLLOG {{\"key\": {}, \"value\": {}, \"time_ms\": {}, \"namespace\": \
             \"mlperf::logging\", \"event_type\": \"POINT_IN_TIME\", \"metadata\": \
             {{\"is_error\": {error}, \"is_warning\": false, \"file\": \"inferbench\"}}}}",
            crate::results::json::to_compact(key).expect("a string serialises"),
            value.json(),
            self.time_ms
        ));
    }

    fn log(&mut self, key: &str, value: V) {
        self.entry(key, value, false);
    }

    /// `result_min_<stat>`, `result_max_<stat>`, `result_mean_<stat>` and
    /// `result_<p>_percentile_<percentile_stat>` of sorted latencies (none when empty).
    fn latencies(&mut self, sorted: &[u64], stat: &str, percentile_stat: &str) {
        let Some(l) = LatencyLines::of(sorted) else {
            return;
        };
        self.log(&format!("result_min_{stat}"), V::Int(l.min));
        self.log(&format!("result_max_{stat}"), V::Int(l.max));
        self.log(&format!("result_mean_{stat}"), V::Int(l.mean));
        for (p, v) in &l.percentiles {
            let p = super::cfmt::fixed(p * 100.0, 2);
            self.log(
                &format!("result_{p}_percentile_{percentile_stat}"),
                V::Int(*v),
            );
        }
    }
}

fn time_ms(ns: u64) -> String {
    format!("{}.{:06}", ns / 1_000_000, ns % 1_000_000)
}

/// `mlperf_log_detail.txt` of one run.
pub fn render(run: &LogRun<'_>) -> String {
    let r = run.run;
    let s = &r.settings;
    let f = Figures::of(r);
    let mut log = Log {
        lines: Vec::new(),
        time_ms: time_ms(0),
    };
    log.log("inferbench_version", V::Str(run.app_version.to_string()));
    if let Some(t) = run.created_utc {
        log.log("test_datetime", V::Str(t.to_string()));
    }
    log.log("sut_name", V::Str(run.sut_name.to_string()));
    log.log(
        "qsl_reported_total_count",
        V::Int(run.accuracy_sample_count as u64),
    );
    log.log(
        "qsl_reported_performance_count",
        V::Int(r.sample_set_size as u64),
    );
    log.log("effective_scenario", V::Str(r.scenario.to_string()));
    log.log("effective_test_mode", V::Str("PerformanceOnly".into()));
    let (samples_per_query, target_qps, target_latency_ns) = match s.scenario {
        ScenarioSettings::SingleStream => (1, None, 0),
        ScenarioSettings::MultiStream(m) => (u64::from(m.samples_per_query), None, 0),
        ScenarioSettings::Server(v) => (
            1,
            Some(v.target_qps),
            (v.latency_bound_ms * 1e6).round() as u64,
        ),
        ScenarioSettings::Offline(o) => (
            s.offline_sample_count().unwrap_or(1),
            Some(o.expected_qps),
            0,
        ),
    };
    let offline = r.scenario == Scenario::Offline;
    log.log("effective_samples_per_query", V::Int(samples_per_query));
    if let Some(q) = target_qps {
        log.log("effective_target_qps", V::Real(q));
    }
    log.log("effective_target_latency_ns", V::Int(target_latency_ns));
    log.log(
        "effective_target_latency_percentile",
        V::Real(s.target_percentile),
    );
    log.log("effective_max_async_queries", V::Int(1));
    log.log(
        "effective_target_duration_ms",
        V::Int(if offline { 0 } else { s.min_duration_ms }),
    );
    log.log("effective_min_duration_ms", V::Int(s.min_duration_ms));
    log.log("effective_max_duration_ms", V::Int(s.max_duration_ms));
    let min_query_count = if offline { 1 } else { s.min_query_count };
    log.log("effective_min_query_count", V::Int(min_query_count));
    log.log("effective_max_query_count", V::Int(s.max_query_count));
    log.log(
        "effective_min_sample_count",
        V::Int(min_query_count.saturating_mul(samples_per_query)),
    );
    log.log(
        "effective_sample_index_rng_seed",
        V::Int(s.seeds.sample_index),
    );
    log.log("effective_schedule_rng_seed", V::Int(s.seeds.schedule));
    log.log(
        "effective_performance_sample_count",
        V::Int(r.sample_set_size as u64),
    );
    log.log(
        "effective_accuracy_sample_count",
        V::Int(run.accuracy_sample_count as u64),
    );
    log.log(
        "inferbench_warmup_query_count",
        V::Int(s.warmup_query_count),
    );

    log.time_ms = time_ms(f.final_completed_ns);
    let own: Vec<_> = r
        .validity
        .reasons
        .iter()
        .filter(|x| is_own_reason(x))
        .collect();
    for reason in &own {
        log.entry("error_invalid_run", V::Str(reason.to_string()), true);
    }
    let checks = r.validity.checks;
    log.log(
        "result_validity",
        V::Str(if r.is_valid() { "VALID" } else { "INVALID" }.into()),
    );
    if r.scenario == Scenario::Server {
        log.log(
            "result_perf_constraints_met",
            V::Bool(checks.latency_bound_met.unwrap_or(false)),
        );
    }
    log.log(
        "result_min_duration_met",
        V::Bool(checks.min_duration_met.unwrap_or(false)),
    );
    log.log(
        "result_min_queries_met",
        V::Bool(checks.min_queries_met.unwrap_or(false)),
    );
    log.log(
        "early_stopping_met",
        V::Bool(checks.early_stopping_met.unwrap_or(offline)),
    );
    if !r.is_valid() {
        log.log(
            "result_invalid_reason",
            V::Str(recommendations(run).join(" ")),
        );
    }
    if let Some(lines) = early_stopping_lines(run, &f) {
        log.log("early_stopping_result", V::Str(lines.join(" ")));
    }
    log.log("result_query_count", V::Int(f.query_count));
    let real = |x: Option<f64>| V::Real(x.unwrap_or(f64::NAN));
    let estimate_ns = |es: &crate::loadgen::result::EarlyStoppingEstimate, sorted: &[u64]| {
        es.discarded
            .and_then(|d| sorted.get((es.query_count - d - 1) as usize).copied())
            .unwrap_or(0)
    };
    match r.metric {
        Some(ScenarioMetric::SingleStream(m)) => {
            let mean = LatencyLines::of(&f.sample_ns).map(|l| l.mean);
            log.log(
                "result_qps_with_loadgen_overhead",
                real(per_second(
                    f.sample_count.saturating_sub(1),
                    f.final_issued_ns,
                )),
            );
            log.log(
                "result_qps_without_loadgen_overhead",
                real(mean.and_then(|m| per_second(1, m))),
            );
            log.log(
                "early_stopping_latency_ss",
                V::Int(estimate_ns(&m.early_stopping, &f.sample_ns)),
            );
            log.log(
                "early_stopping_latency_ms",
                V::Int(estimate_ns(&m.early_stopping_p99, &f.sample_ns)),
            );
        }
        Some(ScenarioMetric::MultiStream(m)) => {
            log.latencies(&f.query_ns, "query_latency_ns", "per_query_latency_ns");
            log.log(
                "early_stopping_latency_ms",
                V::Int(estimate_ns(&m.early_stopping, &f.query_ns)),
            );
        }
        Some(ScenarioMetric::Server(m)) => {
            log.log(
                "result_overlatency_query_count",
                V::Int(m.early_stopping.overlatency_count),
            );
            log.log(
                "result_scheduled_samples_per_sec",
                real(per_second(
                    f.sample_count.saturating_sub(1),
                    f.final_scheduled_ns,
                )),
            );
            log.log(
                "result_completed_samples_per_sec",
                real(per_second(
                    f.sample_count.saturating_sub(1),
                    f.final_completed_ns,
                )),
            );
        }
        Some(ScenarioMetric::Offline(_)) => log.log(
            "result_samples_per_second",
            real(per_second(f.sample_count, f.final_completed_ns)),
        ),
        None => {}
    }
    log.latencies(&f.sample_ns, "latency_ns", "latency_ns");
    log.log("num_errors", V::Int(own.len() as u64));
    let mut text = log.lines.join("\n");
    text.push('\n');
    text
}
