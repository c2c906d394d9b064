//! The summary cards of a result: one per variant (accuracy, size) and one per scenario run
//! (headline metric with its confidence interval, VALID or INVALID and why).

use serde::{Deserialize, Serialize};

use super::units::{latency, latency_ci, percentile_name, rate, rate_ci};
use crate::format::{count, percent};
use crate::loadgen::early_stopping::ServerCheck;
use crate::loadgen::result::{RunResult, ScenarioMetric};
use crate::loadgen::settings::Scenario;
use crate::loadgen::timing_check::Dither;
use crate::loadgen::validity::ValidityChecks;
use crate::model::Variant;
use crate::results::{BenchResult, RunStatus, ScenarioRun};
use crate::stats::tick::widen;
use crate::stats::{latency_bound_ms, ConfidenceInterval, Summary};

/// A labelled number, with its confidence interval when it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricView {
    /// What it is, e.g. "p90 latency".
    pub label: String,
    /// The value with its unit, e.g. "152.3 µs".
    pub value: String,
    /// Its confidence interval, e.g. "95% CI 151.0–153.9 µs".
    pub ci: Option<String>,
}

impl MetricView {
    fn new(label: impl Into<String>, value: impl Into<String>, ci: Option<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            ci,
        }
    }
}

/// One reason a run is INVALID: what failed and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonView {
    /// What failed, with the numbers.
    pub explanation: String,
    /// What to do about it.
    pub recommendation: String,
}

/// One of LoadGen's validity checks and whether it passed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckView {
    /// The check, e.g. "min duration".
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
}

/// A scenario run's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioCard {
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// The scenario's metric.
    pub headline: MetricView,
    /// Further numbers (mean, tails, early stopping...).
    pub details: Vec<MetricView>,
    /// How much was measured, e.g. "13,163 queries in 2.000 s".
    pub extent: String,
    /// VALID or INVALID.
    pub valid: bool,
    /// For a timer-limited run, its mark: "timer-limited (p90 ±10.00 µs, ±17%)".
    pub timer_limited: Option<String>,
    /// LoadGen's checks that apply to the run.
    pub checks: Vec<CheckView>,
    /// Why it is INVALID (empty when VALID).
    pub reasons: Vec<ReasonView>,
}

/// A variant's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantCard {
    /// The variant.
    pub variant: Variant,
    /// Whether it is the baseline of the comparisons.
    pub baseline: bool,
    /// What the variant does.
    pub summary: String,
    /// Top-1 accuracy on the test split, e.g. "98.89% (355 of 359)", or why there is none.
    pub accuracy: String,
    /// The model's size as this variant stores it.
    pub size: String,
}

/// Every card of a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultCards {
    /// A note on the whole run (cancelled), if any.
    pub status_note: Option<String>,
    /// One card per variant, baseline first.
    pub variants: Vec<VariantCard>,
    /// Per scenario (in the plan's order), one card per variant that ran it.
    pub scenarios: Vec<(Scenario, Vec<ScenarioCard>)>,
}

/// Offline throughput estimated from the full batches' service times, with a confidence
/// interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThroughputEstimate {
    /// Mean samples per batch / mean batch service time, in samples per second.
    pub samples_per_second: f64,
    /// The Student-t interval of the mean batch service time, mapped through
    /// `samples per batch / time` (a monotone map, so it keeps its coverage).
    pub ci: Option<ConfidenceInterval>,
}

/// The throughput of an Offline run from its batches' service times (see
/// [`ThroughputEstimate`]); `None` without at least two batches.
pub fn offline_throughput(
    run: &RunResult,
    summary: Option<&Summary>,
) -> Option<ThroughputEstimate> {
    let summary = summary?;
    if run.queries.is_empty() || summary.mean_ms <= 0.0 {
        return None;
    }
    // The summary is of the full batches' service times (see `analysis_sample_ms`).
    let samples_per_batch = match run.settings.scenario {
        crate::loadgen::settings::ScenarioSettings::Offline(o) => f64::from(o.batch_size),
        _ => run.sample_count as f64 / run.queries.len() as f64,
    };
    let per_second = |ms: f64| samples_per_batch / (ms / 1e3);
    let ci = summary.mean_ci_ms;
    Some(ThroughputEstimate {
        samples_per_second: per_second(summary.mean_ms),
        ci: (ci.lower > 0.0).then(|| ConfidenceInterval {
            confidence_level: ci.confidence_level,
            lower: per_second(ci.upper),
            upper: per_second(ci.lower),
        }),
    })
}

/// The cards of `result`.
pub fn result_cards(result: &BenchResult) -> ResultCards {
    let baseline = result.plan.baseline();
    let variants = result
        .variants
        .iter()
        .map(|v| VariantCard {
            variant: v.variant,
            baseline: Some(v.variant) == baseline,
            summary: v.variant.summary().to_string(),
            accuracy: match (&v.accuracy, v.top1()) {
                (Some(run), Some(top1)) => {
                    let a = run.accuracy.expect("an accuracy run has its result");
                    format!(
                        "{} ({} of {})",
                        percent(top1, 2),
                        count(a.correct),
                        count(a.total)
                    )
                }
                (Some(_), None) => "not measured (the accuracy run was cancelled)".to_string(),
                (None, _) => "not measured (accuracy mode was off)".to_string(),
            },
            size: super::units::bytes(v.size_bytes),
        })
        .collect();
    let scenarios = result
        .plan
        .scenarios
        .iter()
        .map(|s| s.scenario())
        .map(|scenario| {
            let cards = result
                .variants
                .iter()
                .filter_map(|v| v.run(scenario).map(|r| scenario_card(v.variant, r)))
                .collect();
            (scenario, cards)
        })
        .collect();
    ResultCards {
        status_note: (result.status == RunStatus::Cancelled).then(|| {
            "The run was cancelled: what was measured is kept, the interrupted run is INVALID \
             and later tasks did not run."
                .to_string()
        }),
        variants,
        scenarios,
    }
}

/// The card of one scenario run.
pub fn scenario_card(variant: Variant, run: &ScenarioRun) -> ScenarioCard {
    let r = &run.run;
    let summary = run.summary.as_ref();
    // Intervals carry the tick bound (the mean's only on a clock not shown dithered).
    let bound = r.timer_resolution_ms.map(latency_bound_ms);
    let with_bound = |ci: &ConfidenceInterval, b: Option<f64>| b.map_or(*ci, |b| widen(ci, b));
    let pct_ci = |p: f64| {
        summary.and_then(|s| s.percentile(p)).and_then(|e| {
            e.ci.map(|ci| latency_ci(e.value_ms, &with_bound(&ci.interval, bound)))
        })
    };
    let mean_bound = bound.filter(|_| r.clock_dither != Some(Dither::Dithered));
    let mean = summary.map(|s| {
        MetricView::new(
            "mean latency",
            latency(s.mean_ms),
            Some(latency_ci(
                s.mean_ms,
                &with_bound(&s.mean_ci_ms, mean_bound),
            )),
        )
    });
    let mut details = Vec::new();
    let headline = match r.metric {
        None => MetricView::new("metric", "no query completed", None),
        Some(ScenarioMetric::SingleStream(m)) => {
            let name = percentile_name(m.percentile);
            if let Some(e) = m.early_stopping.estimate_ms {
                details.push(MetricView::new(
                    format!("{name} early-stopping estimate"),
                    latency(e),
                    None,
                ));
            }
            details.extend(mean.clone());
            if let Some(l) = r.latency {
                details.push(MetricView::new(
                    "p50 latency",
                    latency(l.p50_ms),
                    pct_ci(0.5),
                ));
                details.push(MetricView::new(
                    "p99 latency",
                    latency(l.p99_ms),
                    pct_ci(0.99),
                ));
            }
            if let Some(q) = m.qps_with_loadgen_overhead {
                details.push(MetricView::new(
                    "queries per second (with LoadGen overhead)",
                    rate(q, "QPS"),
                    None,
                ));
            }
            MetricView::new(
                format!("{name} latency"),
                latency(m.percentile_latency_ms),
                pct_ci(m.percentile),
            )
        }
        Some(ScenarioMetric::MultiStream(m)) => {
            let name = percentile_name(m.percentile);
            if let Some(e) = m.early_stopping.estimate_ms {
                details.push(MetricView::new(
                    format!("{name} early-stopping estimate"),
                    latency(e),
                    None,
                ));
            }
            details.push(MetricView::new(
                "samples per query",
                m.samples_per_query.to_string(),
                None,
            ));
            if let Some(mv) = mean.clone() {
                details.push(MetricView {
                    label: "mean query latency".into(),
                    ..mv
                });
            }
            MetricView::new(
                format!("{name} query latency"),
                latency(m.percentile_latency_ms),
                pct_ci(m.percentile),
            )
        }
        Some(ScenarioMetric::Server(m)) => {
            let name = percentile_name(m.percentile);
            details.push(MetricView::new(
                format!("{name} latency (bound {})", latency(m.latency_bound_ms)),
                latency(m.percentile_latency_ms),
                pct_ci(m.percentile),
            ));
            // The queueing and service summaries are LoadGen's (p50 to p99.9): their p99,
            // whatever the scenario's target percentile.
            details.push(MetricView::new(
                "p99 queueing delay (scheduled to start)",
                latency(m.queueing.p99_ms),
                None,
            ));
            details.push(MetricView::new(
                "p99 service time (start to completion)",
                latency(m.service.p99_ms),
                None,
            ));
            details.push(MetricView::new(
                "early stopping",
                server_check_text(&m.early_stopping),
                None,
            ));
            MetricView::new(
                format!("completed samples per second (target {} QPS)", m.target_qps),
                m.completed_samples_per_second
                    .map_or_else(|| "not measurable".to_string(), |q| rate(q, "samples/s")),
                None,
            )
        }
        Some(ScenarioMetric::Offline(m)) => {
            if let Some(t) = offline_throughput(r, summary) {
                details.push(MetricView::new(
                    "throughput from batch service times",
                    rate(t.samples_per_second, "samples/s"),
                    t.ci.map(|ci| rate_ci(&ci, "samples/s")),
                ));
            }
            details.push(MetricView::new(
                "batch size",
                m.batch_size.to_string(),
                None,
            ));
            if let Some(mv) = mean.clone() {
                details.push(MetricView {
                    label: "mean batch service time".into(),
                    ..mv
                });
            }
            MetricView::new(
                "samples per second (all samples / time to the last completion)",
                m.samples_per_second
                    .map_or_else(|| "not measurable".to_string(), |q| rate(q, "samples/s")),
                None,
            )
        }
    };
    let unit = if r.scenario == Scenario::Offline {
        format!(
            "{} samples in {} batches",
            count(r.sample_count),
            count(r.queries.len() as u64)
        )
    } else {
        format!("{} queries", count(r.query_count))
    };
    ScenarioCard {
        variant,
        scenario: r.scenario,
        headline,
        details,
        extent: format!("{unit} in {}", latency(r.times.final_query_completed_ms)),
        valid: r.is_valid(),
        timer_limited: r.validity.timer_limited.map(|l| l.mark()),
        checks: checks(&r.validity.checks),
        reasons: r
            .validity
            .reasons
            .iter()
            .map(|reason| ReasonView {
                explanation: reason.explanation(),
                recommendation: reason.recommendation(),
            })
            .collect(),
    }
}

fn server_check_text(check: &ServerCheck) -> String {
    let seen = format!(
        "{} queries, {} over the bound",
        count(check.query_count),
        count(check.overlatency_count)
    );
    if check.met {
        format!("met ({seen}; {} needed)", count(check.required_query_count))
    } else {
        format!(
            "not met ({seen}): would need at least {} more queries",
            count(check.more_queries_needed)
        )
    }
}

fn checks(c: &ValidityChecks) -> Vec<CheckView> {
    [
        ("min duration", c.min_duration_met),
        ("min queries", c.min_queries_met),
        ("latency bound", c.latency_bound_met),
        ("early stopping", c.early_stopping_met),
    ]
    .into_iter()
    .filter_map(|(name, passed)| {
        passed.map(|passed| CheckView {
            name: name.to_string(),
            passed,
        })
    })
    .collect()
}
