//! Timing honesty (SPEC section 3): the measured timer resolution and cross-origin isolation
//! as the page shows them ([`TimerView`]), and the warnings for runs whose latencies are too
//! close to the timer's tick ([`TimingWarning`]).
//!
//! **How a tick bounds a latency.** A latency is the difference of two readings of a clock
//! that only moves in ticks of `r`; each reading is off by less than one tick, in the same
//! direction, so the difference is off by less than `r`. Every percentile of the latencies
//! is therefore known to within `±r`, a relative error of `r / value`. Below
//! [`TIMER_RATIO`] ticks (the median), a run is INVALID (timer too coarse) and the page
//! says by how much each percentile is uncertain.

use serde::{Deserialize, Serialize};

use super::units::{latency, percentile_name};
use crate::format::count;
use crate::loadgen::clock::TimerResolution;
use crate::loadgen::settings::Scenario;
use crate::loadgen::validity::{InvalidReason, TIMER_RATIO};
use crate::model::{ModelPreset, Variant};
use crate::results::BenchResult;

/// The timer facts as the page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerView {
    /// The measured resolution, e.g. "5.000 µs", or why there is none.
    pub resolution: String,
    /// The resolution in ms, when measured (for tests and data attributes).
    pub resolution_ms: Option<f64>,
    /// How it was measured, e.g. "smallest step over 200,000 reads (41,310 distinct values)".
    pub method: String,
    /// `crossOriginIsolated`, when known.
    pub isolated: Option<bool>,
    /// "yes" / "no: the timer is coarsened" / "unknown".
    pub isolation: String,
    /// What this means for the measurements.
    pub notes: Vec<String>,
}

/// The view of a timer measurement and the isolation flag.
pub fn timer_view(timer: Option<&TimerResolution>, isolated: Option<bool>) -> TimerView {
    let resolution_ms = timer.and_then(|t| t.resolution_ms);
    let mut notes = Vec::new();
    match resolution_ms {
        Some(r) => notes.push(format!(
            "A single latency is known to within one tick ({}); latencies below {} \
             ({TIMER_RATIO} ticks) are not measured as single samples: such runs are \
             INVALID (timer too coarse).",
            latency(r),
            latency(TIMER_RATIO * r)
        )),
        None => notes.push(
            "The timer never moved while it was measured: no latency can be trusted.".to_string(),
        ),
    }
    if isolated == Some(false) {
        notes.push(
            "The page is not cross-origin isolated, so the browser coarsens performance.now() \
             (Chromium: 100 µs with jitter instead of 5 µs). Serve it with the COOP/COEP \
             headers (trunk serve does), or let the bundled service worker isolate it on a \
             static host (see the README)."
                .to_string(),
        );
    }
    TimerView {
        resolution: resolution_ms.map_or_else(|| "not measurable".to_string(), latency),
        resolution_ms,
        method: timer.map_or_else(
            || "not measured".to_string(),
            |t| {
                format!(
                    "smallest step between {} back-to-back reads ({} distinct values)",
                    count(u64::from(t.reads)),
                    count(u64::from(t.distinct_values))
                )
            },
        ),
        isolated,
        isolation: match isolated {
            Some(true) => "yes".to_string(),
            Some(false) => "no: the timer is coarsened".to_string(),
            None => "unknown".to_string(),
        },
        notes,
    }
}

/// How one percentile is bounded by the tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PercentileBound {
    /// "p50", "p90", "p99".
    pub name: String,
    /// The measured value, e.g. "31.00 µs".
    pub value: String,
    /// Its uncertainty, e.g. "±5.000 µs (±16%)".
    pub uncertainty: String,
}

/// A run whose latencies are too close to the timer's tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingWarning {
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// What was seen, with the numbers.
    pub text: String,
    /// How the tick bounds each reported percentile.
    pub bounds: Vec<PercentileBound>,
    /// What to do.
    pub suggestion: String,
}

/// The warnings of every run of `result` that its validity marks "timer too coarse".
pub fn timing_warnings(result: &BenchResult) -> Vec<TimingWarning> {
    let isolated = result.environment.cross_origin_isolated;
    let mut warnings = Vec::new();
    for v in &result.variants {
        for run in &v.runs {
            let r = &run.run;
            let coarse = r.validity.reasons.iter().find_map(|reason| match reason {
                InvalidReason::TimerTooCoarse {
                    p50_latency_ms,
                    timer_resolution_ms,
                    ..
                } => Some((*p50_latency_ms, *timer_resolution_ms)),
                _ => None,
            });
            let (Some((p50, tick)), Some(summary)) = (coarse, r.latency) else {
                continue;
            };
            let text = match tick {
                Some(t) => format!(
                    "{} {}: the median latency ({}) is only {:.1} ticks of the {} timer, \
                     below the {TIMER_RATIO} ticks needed to measure single samples.",
                    v.variant,
                    r.scenario,
                    latency(p50),
                    p50 / t,
                    latency(t)
                ),
                None => format!(
                    "{} {}: the timer never moved while it was measured, so the median \
                     latency of {} cannot be trusted.",
                    v.variant,
                    r.scenario,
                    latency(p50)
                ),
            };
            let bounds = tick
                .map(|t| {
                    [
                        (0.5, summary.p50_ms),
                        (0.9, summary.p90_ms),
                        (0.99, summary.p99_ms),
                    ]
                    .into_iter()
                    .map(|(p, value)| PercentileBound {
                        name: percentile_name(p),
                        value: latency(value),
                        uncertainty: if value > 0.0 {
                            format!("±{} (±{:.0}%)", latency(t), 100.0 * t / value)
                        } else {
                            format!("±{} (the value is below one tick)", latency(t))
                        },
                    })
                    .collect()
                })
                .unwrap_or_default();
            warnings.push(TimingWarning {
                variant: v.variant,
                scenario: r.scenario,
                text,
                bounds,
                suggestion: suggestion(
                    result
                        .plan
                        .model_file
                        .is_none()
                        .then_some(result.plan.model),
                    isolated,
                ),
            });
        }
    }
    warnings
}

/// What would make latencies last more ticks.
/// What to change, for a trained `model` preset (`None`: an imported model).
fn suggestion(model: Option<ModelPreset>, isolated: Option<bool>) -> String {
    let mut parts = Vec::new();
    if model.is_none() {
        parts.push("export a larger model (more FLOPs per sample), so each query lasts more ticks");
    } else if model != Some(ModelPreset::Large) {
        parts.push(
            "choose the larger model preset (large: 3.7 times the default's work per sample), \
             so each query lasts more ticks",
        );
    }
    if isolated == Some(false) {
        parts.push(
            "serve the page cross-origin isolated, so the timer ticks every 5 µs instead of \
             100 µs (Chromium)",
        );
    }
    if parts.is_empty() {
        parts.push(
            "compare the batched scenarios (MultiStream, Offline), whose queries last many \
             ticks",
        );
    }
    let mut text = parts.join("; or ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}
