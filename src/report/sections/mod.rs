//! The report's sections, one module each, and the pieces several of them share: the
//! headline metric of a run and the names of things.

pub(crate) mod ab;
mod accuracy;
pub(crate) mod comparisons;
pub(crate) mod embedded;
pub(crate) mod energy;
pub(crate) mod environment;
pub(crate) mod methodology;
pub(crate) mod peak;
pub(crate) mod queueing;
pub(crate) mod recommendations;
pub(crate) mod scenarios;
mod settings;
mod statistics_table;
pub(crate) mod summary;
pub(crate) mod sut;
pub(crate) mod timer;
pub(crate) mod validation;

use super::analysis::RunAnalysis;
use super::text::{ms, ms_bounded_interval, ms_interval};
use crate::format::sig;
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::Scenario;
use crate::stats::error::percentile_label;

/// `"f32-naive SingleStream"`.
pub(crate) fn run_name(r: &RunAnalysis<'_>) -> String {
    format!("{} {}", r.label, r.run.scenario)
}

/// `"VALID"` or `"INVALID"`.
pub(crate) fn validity_word(r: &RunAnalysis<'_>) -> &'static str {
    if r.run.is_valid() {
        "VALID"
    } else {
        "INVALID"
    }
}

/// What a scenario's analysed values are, for sentences.
pub(crate) fn sample_noun(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Offline => "batch service times",
        Scenario::MultiStream => "query latencies (each query's last sample)",
        Scenario::Server => "query latencies (from the scheduled arrival)",
        Scenario::SingleStream => "query latencies",
    }
}

/// One headline line of a run: metric name with unit, value, interval, and a note.
pub(crate) struct Headline {
    /// E.g. "p90 latency (ms)".
    pub metric: String,
    /// The value, in the metric's unit.
    pub value: String,
    /// Its interval, or why there is none.
    pub interval: String,
}

/// The headline lines of a run (Server has two: throughput and the tail against the bound).
pub(crate) fn headlines(r: &RunAnalysis<'_>) -> Vec<Headline> {
    let tick = r.tick_ms;
    let target = || {
        let p = r.target_percentile();
        let label = percentile_label(p);
        let interval = match r.target_estimate() {
            Some(e) => match &e.ci {
                // With the tick bound: the interval covers the true percentile.
                Some(ci) => match r.bound_ms {
                    Some(b) => {
                        ms_bounded_interval(&crate::stats::tick::widen(&ci.interval, b), tick)
                    }
                    None => ms_interval(&ci.interval, tick),
                },
                None => format!("none: needs {} values", e.ci_min_samples),
            },
            None => "none: fewer than 2 values".to_string(),
        };
        (label, interval)
    };
    match r.run.metric {
        Some(ScenarioMetric::SingleStream(m)) => {
            let (label, interval) = target();
            vec![Headline {
                metric: format!("{label} latency (ms)"),
                value: ms(m.percentile_latency_ms, tick),
                interval,
            }]
        }
        Some(ScenarioMetric::MultiStream(m)) => {
            let (label, interval) = target();
            vec![Headline {
                metric: format!("{label} query latency (ms)"),
                value: ms(m.percentile_latency_ms, tick),
                interval,
            }]
        }
        Some(ScenarioMetric::Server(m)) => {
            let (label, interval) = target();
            vec![
                Headline {
                    metric: format!(
                        "completed samples/s at {} QPS offered",
                        crate::format::sig_grouped(m.target_qps, 4)
                    ),
                    value: m
                        .completed_samples_per_second
                        .map_or_else(|| "n/a".into(), |q| crate::format::sig_grouped(q, 4)),
                    interval: "none: one rate per run".to_string(),
                },
                Headline {
                    metric: format!(
                        "{label} latency (ms), bound {} ms",
                        sig(m.latency_bound_ms, 4)
                    ),
                    value: ms(m.percentile_latency_ms, tick),
                    interval,
                },
            ]
        }
        Some(ScenarioMetric::Offline(m)) => {
            let mut lines = vec![Headline {
                metric: "samples/s (LoadGen's metric)".to_string(),
                value: m
                    .samples_per_second
                    .map_or_else(|| "n/a".into(), |q| crate::format::sig_grouped(q, 4)),
                interval: "none: one query per run".to_string(),
            }];
            match &r.offline_rate {
                Some(Ok(rate)) => lines.push(Headline {
                    metric: "batch service rate (samples/s)".to_string(),
                    value: crate::format::sig_grouped(rate.samples_per_second, 4),
                    interval: super::text::interval(&rate.ci, 4),
                }),
                Some(Err(_)) | None => lines.push(Headline {
                    metric: "batch service rate (samples/s)".to_string(),
                    value: "n/a".to_string(),
                    interval: "none (see the Offline results)".to_string(),
                }),
            }
            lines
        }
        None => vec![Headline {
            metric: "no metric".to_string(),
            value: "n/a".to_string(),
            interval: "no query completed".to_string(),
        }],
    }
}

/// `"VALID"`, `"VALID, timer-limited (p90 ±10.00 µs, ±17%)"` or `"INVALID (2 reasons)"`.
pub(crate) fn result_text(r: &RunAnalysis<'_>) -> String {
    match (r.run.is_valid(), &r.limited) {
        (true, Some(l)) => format!("VALID, {}", l.mark()),
        (true, None) => "VALID".to_string(),
        (false, _) => format!(
            "INVALID ({})",
            super::text::plural(r.run.validity.reasons.len() as u64, "reason", "reasons")
        ),
    }
}

/// A reason's explanation as the report states it: LoadGen's sentence, except that a
/// median that reads 0 is not printed as a latency of "0.0000 ms".
pub(crate) fn explanation(reason: &crate::loadgen::validity::InvalidReason) -> String {
    use crate::loadgen::validity::InvalidReason;
    match reason {
        InvalidReason::TimerTooCoarse {
            p50_latency_ms,
            timer_resolution_ms: Some(tick),
            min_ratio,
        } if *p50_latency_ms == 0.0 => format!(
            "The median latency reads 0: shorter than one tick of the {} timer, far below the \
             {min_ratio} ticks ({}) a latency needs to be measured as a single sample.",
            crate::format::fine_duration_ms(*tick),
            crate::format::fine_duration_ms(min_ratio * tick)
        ),
        other => other.explanation(),
    }
}
