//! `mlperf_log_summary.txt`, line for line in LoadGen's layout (`results.cc`,
//! `PerformanceSummary::LogSummary`; `test_settings_internal.cc`,
//! `TestSettingsInternal::LogSummary`).
//!
//! "Test Parameters Used" gives InferBench's effective settings under LoadGen's names. Where
//! InferBench has no such setting the value is `n/a`: `target_qps` of SingleStream and
//! MultiStream (LoadGen's is 1 / the expected latency, which only sizes its pre-generated
//! queries; InferBench draws queries as it goes) and `qsl_rng_seed` (InferBench loads its
//! whole performance sample set). `max_async_queries` is 1 in every scenario: InferBench's
//! system under test takes one query at a time. The accuracy-log settings are 0, as no
//! accuracy log is written.

use super::cfmt::{fixed, general};
use super::{per_second, Figures, LatencyLines, LogRun};
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::{Scenario, ScenarioSettings};
use crate::loadgen::validity::InvalidReason;

const RULE: &str = "================================================";

fn yes(b: Option<bool>) -> &'static str {
    if b.unwrap_or(false) {
        "Yes"
    } else {
        "NO"
    }
}

/// `90.0` for 0.9: LoadGen's `DoubleToString(p * 100, 1)`.
pub(crate) fn percent_1(p: f64) -> String {
    fixed(p * 100.0, 1)
}

/// The Early Stopping Result lines (each starting " * "), as LoadGen words them; `None` for
/// Offline and for runs without a metric.
pub(crate) fn early_stopping_lines(run: &LogRun<'_>, f: &Figures) -> Option<Vec<String>> {
    let estimate_lines = |es: &crate::loadgen::result::EarlyStoppingEstimate, sorted: &[u64]| {
        let q = es.query_count;
        match es.discarded {
            None => vec![
                format!(" * Only processed {q} queries."),
                format!(
                    " * Need to process at least {} queries for early stopping.",
                    es.min_query_count
                ),
            ],
            Some(d) => {
                let index = (q - d - 1) as usize;
                vec![
                    format!(
                        " * Processed at least {} queries ({q}).",
                        es.min_query_count
                    ),
                    format!(" * Would discard {d} highest latency queries."),
                    format!(
                        " * Early stopping {}th percentile estimate: {}",
                        percent_1(es.percentile),
                        sorted.get(index).copied().unwrap_or(0)
                    ),
                ]
            }
        }
    };
    match run.run.metric? {
        ScenarioMetric::SingleStream(m) => {
            let mut lines = estimate_lines(&m.early_stopping, &f.sample_ns);
            if m.early_stopping.discarded.is_some() {
                let es99 = &m.early_stopping_p99;
                match es99.discarded {
                    None => lines.extend([
                        " * Not enough queries processed for 99.0th percentile".to_string(),
                        " early stopping estimate (would need to process at".to_string(),
                        format!(" least {} total queries).", es99.min_query_count),
                    ]),
                    Some(_) => {
                        let l = estimate_lines(es99, &f.sample_ns);
                        lines.push(l[2].clone());
                    }
                }
            }
            Some(lines)
        }
        ScenarioMetric::MultiStream(m) => Some(estimate_lines(&m.early_stopping, &f.query_ns)),
        ScenarioMetric::Server(m) => {
            let c = m.early_stopping;
            Some(if c.met {
                vec![" * Run successful.".to_string()]
            } else {
                vec![
                    " * Run unsuccessful.".to_string(),
                    format!(" * Processed {} queries.", c.query_count),
                    format!(
                        " * Would need to run at least {} more queries,",
                        c.more_queries_needed
                    ),
                    " with the run being successful if every additional".to_string(),
                    " query were under latency.".to_string(),
                ]
            })
        }
        ScenarioMetric::Offline(_) => None,
    }
}

/// The recommendation lines of an INVALID run: one per reason, except early stopping's,
/// which its own block explains (as in LoadGen).
pub(crate) fn recommendations(run: &LogRun<'_>) -> Vec<String> {
    run.run
        .validity
        .reasons
        .iter()
        .filter_map(|r| match r {
            InvalidReason::EarlyStoppingTooFewQueries { .. }
            | InvalidReason::EarlyStoppingNeedsMoreQueries { .. } => None,
            InvalidReason::LatencyBoundExceeded { .. }
            | InvalidReason::MinDurationNotMet { .. }
            | InvalidReason::MinQueriesNotMet { .. } => Some(r.recommendation()),
            other => Some(format!(
                "{} {}",
                other.explanation(),
                other.recommendation()
            )),
        })
        .collect()
}

/// Whether `reason` is InferBench's own (not one of LoadGen's checks): such reasons are
/// counted as errors.
pub(crate) fn is_own_reason(reason: &InvalidReason) -> bool {
    matches!(
        reason,
        InvalidReason::Cancelled { .. }
            | InvalidReason::PageHidden { .. }
            | InvalidReason::TimerTooCoarse { .. }
    )
}

/// The "Test Parameters Used" block: (label, value) in LoadGen's order.
pub(crate) fn parameters(run: &LogRun<'_>) -> Vec<(&'static str, String)> {
    let s = &run.run.settings;
    let na = || "n/a".to_string();
    let (samples_per_query, target_qps, target_latency_ns, min_q) = match s.scenario {
        ScenarioSettings::SingleStream => ("1".to_string(), na(), 0u64, s.min_query_count),
        ScenarioSettings::MultiStream(m) => {
            (m.samples_per_query.to_string(), na(), 0, s.min_query_count)
        }
        ScenarioSettings::Server(v) => (
            "1".to_string(),
            general(v.target_qps),
            (v.latency_bound_ms * 1e6).round() as u64,
            s.min_query_count,
        ),
        // LoadGen coalesces Offline into one query of all its samples.
        ScenarioSettings::Offline(o) => (
            s.offline_sample_count().unwrap_or(1).to_string(),
            general(o.expected_qps),
            0,
            1,
        ),
    };
    vec![
        ("samples_per_query : ", samples_per_query),
        ("target_qps : ", target_qps),
        ("target_latency (ns): ", target_latency_ns.to_string()),
        ("max_async_queries : ", "1".to_string()),
        ("min_duration (ms): ", s.min_duration_ms.to_string()),
        ("max_duration (ms): ", s.max_duration_ms.to_string()),
        ("min_query_count : ", min_q.to_string()),
        ("max_query_count : ", s.max_query_count.to_string()),
        ("qsl_rng_seed : ", na()),
        ("sample_index_rng_seed : ", s.seeds.sample_index.to_string()),
        ("schedule_rng_seed : ", s.seeds.schedule.to_string()),
        ("accuracy_log_rng_seed : ", "0".to_string()),
        ("accuracy_log_probability : ", "0".to_string()),
        ("accuracy_log_sampling_target : ", "0".to_string()),
        ("print_timestamps : ", "0".to_string()),
        ("performance_issue_unique : ", "0".to_string()),
        ("performance_issue_same : ", "0".to_string()),
        ("performance_issue_same_index : ", "0".to_string()),
        (
            "performance_sample_count : ",
            run.run.sample_set_size.to_string(),
        ),
        (
            "accuracy_sample_count : ",
            run.accuracy_sample_count.to_string(),
        ),
    ]
}

fn opt(x: Option<f64>, render: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| "n/a".to_string(), render)
}

/// `mlperf_log_summary.txt` of one run.
pub fn render(run: &LogRun<'_>) -> String {
    let r = run.run;
    let f = Figures::of(r);
    let scenario = r.scenario;
    let checks = r.validity.checks;
    let mut out: Vec<String> = vec![
        RULE.into(),
        "MLPerf Results Summary".into(),
        RULE.into(),
        format!("SUT name : {}", run.sut_name),
        format!("Scenario : {scenario}"),
        "Mode     : PerformanceOnly".into(),
    ];
    let reported = LatencyLines::of(f.reported(scenario));
    match scenario {
        Scenario::SingleStream | Scenario::MultiStream => {
            let p = r.settings.target_percentile;
            let sorted = f.reported(scenario);
            let value = (!sorted.is_empty()).then(|| {
                sorted[crate::stats::percentile::loadgen_percentile_index(sorted.len(), p)]
            });
            out.push(format!(
                "{}th percentile latency (ns) : {}",
                percent_1(p),
                value.map_or_else(|| "n/a".to_string(), |v| v.to_string())
            ));
        }
        Scenario::Server => out.push(format!(
            "Completed samples per second    : {}",
            opt(
                per_second(f.sample_count.saturating_sub(1), f.final_completed_ns),
                |x| fixed(x, 2)
            )
        )),
        Scenario::Offline => out.push(format!(
            "Samples per second: {}",
            opt(per_second(f.sample_count, f.final_completed_ns), general)
        )),
    }
    out.push(format!(
        "Result is : {}",
        if r.is_valid() { "VALID" } else { "INVALID" }
    ));
    if scenario == Scenario::Server {
        out.push(format!(
            "  Performance constraints satisfied : {}",
            yes(checks.latency_bound_met)
        ));
    }
    out.push(format!(
        "  Min duration satisfied : {}",
        yes(checks.min_duration_met)
    ));
    out.push(format!(
        "  Min queries satisfied : {}",
        yes(checks.min_queries_met)
    ));
    // LoadGen's Offline has no early stopping and prints "Yes".
    let es_met = checks
        .early_stopping_met
        .unwrap_or(scenario == Scenario::Offline);
    out.push(format!("  Early stopping satisfied: {}", yes(Some(es_met))));
    if !r.is_valid() {
        out.push("Recommendations:".into());
        out.extend(recommendations(run).into_iter().map(|t| format!(" * {t}")));
    }
    if let Some(lines) = early_stopping_lines(run, &f) {
        out.push("Early Stopping Result:".into());
        out.extend(lines);
    }
    out.extend([
        String::new(),
        RULE.into(),
        "Additional Stats".into(),
        RULE.into(),
    ]);
    match scenario {
        Scenario::SingleStream => {
            out.push(format!(
                "QPS w/ loadgen overhead         : {}",
                opt(
                    per_second(f.sample_count.saturating_sub(1), f.final_issued_ns),
                    |x| fixed(x, 2)
                )
            ));
            out.push(format!(
                "QPS w/o loadgen overhead        : {}",
                opt(reported.as_ref().and_then(|l| per_second(1, l.mean)), |x| {
                    fixed(x, 2)
                })
            ));
            out.push(String::new());
        }
        Scenario::Server => out.push(format!(
            "Scheduled samples per second : {}",
            opt(
                per_second(f.sample_count.saturating_sub(1), f.final_scheduled_ns),
                |x| fixed(x, 2)
            )
        )),
        Scenario::MultiStream => out.push("Per-query latency:  ".into()),
        Scenario::Offline => {}
    }
    let value = |v: Option<u64>| v.map_or_else(|| "n/a".to_string(), |v| v.to_string());
    out.push(format!(
        "Min latency (ns)                : {}",
        value(reported.as_ref().map(|l| l.min))
    ));
    out.push(format!(
        "Max latency (ns)                : {}",
        value(reported.as_ref().map(|l| l.max))
    ));
    out.push(format!(
        "Mean latency (ns)               : {}",
        value(reported.as_ref().map(|l| l.mean))
    ));
    for (i, p) in crate::loadgen::record::REPORTED_PERCENTILES
        .iter()
        .enumerate()
    {
        out.push(format!(
            "{} percentile latency (ns)   : {}",
            fixed(p * 100.0, 2),
            value(reported.as_ref().map(|l| l.percentiles[i].1))
        ));
    }
    out.extend([
        String::new(),
        RULE.into(),
        "Test Parameters Used".into(),
        RULE.into(),
    ]);
    out.extend(parameters(run).into_iter().map(|(k, v)| format!("{k}{v}")));
    out.push(String::new());
    out.push("No warnings encountered during test.".into());
    out.push(String::new());
    out.push(
        match r
            .validity
            .reasons
            .iter()
            .filter(|x| is_own_reason(x))
            .count()
        {
            0 => "No errors encountered during test.".to_string(),
            1 => "1 ERROR encountered. See detailed log.".to_string(),
            n => format!("{n} ERRORS encountered. See detailed log."),
        },
    );
    out.push(String::new());
    out.push(format!(
        "Written by InferBench {}, not by MLPerf LoadGen: LoadGen's rules and layout, \
         InferBench's load generator.",
        run.app_version
    ));
    let mut text = out.join("\n");
    text.push('\n');
    text
}
