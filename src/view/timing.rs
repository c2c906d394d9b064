//! Timing honesty (SPEC section 3), as the page shows it: the measured timer resolution and
//! cross-origin isolation ([`TimerView`]), the clock check ([`clock_check_line`]), and for each
//! run the tick limits ([`TimingNote`]): timer-limited runs with their bounds and batch
//! cross-check, and runs the timer makes INVALID.
//!
//! **How a tick bounds a latency** ([`crate::stats::tick`]): a browser rounds each reading
//! to a tick less than one tick away, so a latency (two readings) is off by less than 2 ticks,
//! and so is every percentile. Below [`TIMER_LIMITED_TICKS`] ticks (the median) a run is
//! timer-limited: VALID, its percentiles carrying that bound
//! ([`crate::loadgen::timer_rule`]).

use serde::{Deserialize, Serialize};

use super::units::{latency, percentile_name};
use crate::format::{count, sig};
use crate::loadgen::clock::TimerResolution;
use crate::loadgen::settings::Scenario;
use crate::loadgen::timer_rule::TIMER_LIMITED_TICKS;
use crate::loadgen::timing_check::{ClockCheck, Dither};
use crate::model::{ModelPreset, Variant};
use crate::results::BenchResult;
use crate::stats::latency_bound_ms;

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
            "Each reading is rounded to a tick less than one tick away, so a latency (two \
             readings) is known to within 2 ticks ({}), and so is each percentile. A run whose \
             median is below {TIMER_LIMITED_TICKS} ticks ({}) is timer-limited: VALID, its \
             percentiles carrying that bound. The timer makes a run INVALID only where it makes \
             the metric meaningless: a SingleStream or MultiStream percentile within {} of 0, \
             or a timer-limited run on a clock that is not dithered.",
            latency(latency_bound_ms(r)),
            latency(TIMER_LIMITED_TICKS * r),
            latency(latency_bound_ms(r))
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

/// The clock check in one paragraph: the verdict first, then the numbers behind it.
pub fn clock_check_line(check: Option<&ClockCheck>) -> String {
    let Some(c) = check else {
        return "Clock check: not made, so dithering is not shown: means carry the tick bound \
                too."
            .to_string();
    };
    let (Some(tick), Some(t)) = (c.tick_ms, c.times) else {
        return "Clock check: not measurable (the clock never moved).".to_string();
    };
    let verdict = match c.dither {
        Dither::Dithered => "dithered: means of quantised latencies are unbiased",
        Dither::NotDithered => {
            "not dithered: means of quantised latencies are biased, timer-limited runs INVALID"
        }
        Dither::Inconclusive | Dither::NotMeasured => {
            "inconclusive: dithering not shown, so means carry the tick bound too"
        }
    };
    let readings: u64 = c.readings_by_ticks.iter().sum();
    format!(
        "Clock check: {verdict}. A {} busy loop ({} ticks), timed {} times one by one, averaged \
         {} against {} timed back to back (difference per call {}, interval {} to {}, tolerance \
         a tenth of a tick); {} of its readings were 2 ticks or more.",
        latency(t.batch_mean_ms),
        sig(t.batch_mean_ms / tick, 2),
        count(u64::from(t.groups) * u64::from(t.calls_per_group)),
        latency(t.per_query_mean_ms),
        latency(t.batch_mean_ms),
        latency(t.difference_ms),
        latency(t.difference_interval_ms.lower),
        latency(t.difference_interval_ms.upper),
        crate::report::text::relative_percent(
            (c.readings_by_ticks[2] + c.readings_by_ticks[3]) as f64,
            readings as f64
        )
    )
}

/// How one percentile is bounded by the tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PercentileBound {
    /// "p50", "p90", "p99".
    pub name: String,
    /// The measured value, e.g. "31.00 µs".
    pub value: String,
    /// Its uncertainty, e.g. "±10.00 µs (±32%)".
    pub uncertainty: String,
}

/// A run the tick limits: timer-limited (VALID) or made INVALID by the timer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingNote {
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// Whether the timer made the run INVALID.
    pub invalid: bool,
    /// The status: its mark ("timer-limited (p90 ±10.00 µs, ±17%)") or the timer's reason.
    pub status: String,
    /// How the tick bounds each reported percentile.
    pub bounds: Vec<PercentileBound>,
    /// The batch cross-check, in a sentence, when one was made.
    pub cross_check: Option<String>,
    /// What would lengthen the queries (for runs the timer made INVALID).
    pub suggestion: Option<String>,
}

/// The notes of every run of `result` that is timer-limited or made INVALID by the timer.
pub fn timing_notes(result: &BenchResult) -> Vec<TimingNote> {
    let isolated = result.environment.cross_origin_isolated;
    let mut notes = Vec::new();
    for v in &result.variants {
        for run in &v.runs {
            let r = &run.run;
            let timer_reason = r.validity.reasons.iter().find(|x| x.is_timer());
            let limited = r.validity.timer_limited;
            if timer_reason.is_none() && limited.is_none() {
                continue;
            }
            let bounds = match (r.latency, r.timer_resolution_ms) {
                (Some(summary), Some(tick)) => [
                    (0.5, summary.p50_ms),
                    (0.9, summary.p90_ms),
                    (0.99, summary.p99_ms),
                ]
                .into_iter()
                .map(|(p, value)| {
                    let b = latency_bound_ms(tick);
                    PercentileBound {
                        name: percentile_name(p),
                        value: latency(value),
                        uncertainty: if value > 0.0 {
                            format!("±{} (±{:.0}%)", latency(b), 100.0 * b / value)
                        } else {
                            format!("±{} (the value is below one tick)", latency(b))
                        },
                    }
                })
                .collect(),
                _ => Vec::new(),
            };
            notes.push(TimingNote {
                variant: v.variant,
                scenario: r.scenario,
                invalid: timer_reason.is_some(),
                status: match (timer_reason, limited) {
                    (Some(reason), _) => format!("INVALID: {}", reason.explanation()),
                    (None, Some(l)) => format!(
                        "{} (median {} ticks)",
                        l.mark(),
                        sig(l.median_latency_ms / l.tick_ms, 2)
                    ),
                    (None, None) => unreachable!("skipped above"),
                },
                bounds,
                cross_check: run.cross_check.map(|c| {
                    let t = c.times;
                    let calls = u64::from(t.groups) * u64::from(t.calls_per_group);
                    format!(
                        "Batch cross-check: the run's mean {} {}; {} again, one by one {}, back \
                         to back (tick-free) {}: {} (difference per call {}, interval {} to {}).",
                        if r.scenario == Scenario::Server {
                            "service time"
                        } else {
                            "latency"
                        },
                        latency(c.run_mean_ms),
                        if calls > c.run_calls {
                            format!("its {} queries, repeated", count(c.run_calls))
                        } else {
                            format!("its first {} queries", count(calls))
                        },
                        latency(t.per_query_mean_ms),
                        latency(t.batch_mean_ms),
                        if c.agrees() { "agree" } else { "disagree" },
                        latency(t.difference_ms),
                        latency(t.difference_interval_ms.lower),
                        latency(t.difference_interval_ms.upper)
                    )
                }),
                suggestion: timer_reason.map(|_| {
                    suggestion(
                        match (&result.plan.synthetic_sut, &result.plan.model_file) {
                            (Some(_), _) => Workload::Synthetic,
                            (None, Some(_)) => Workload::Imported,
                            (None, None) => Workload::Preset(result.plan.model),
                        },
                        isolated,
                    )
                }),
            });
        }
    }
    notes
}

/// What would make latencies last more ticks.
/// What the folded Timing section's title adds about `notes`: how many runs are timer-limited
/// and how many the timer made INVALID (empty when the tick limits none).
pub fn timing_notes_summary(notes: &[TimingNote]) -> String {
    let invalid = notes.iter().filter(|n| n.invalid).count();
    let limited = notes.len() - invalid;
    let runs = |n: usize| format!("{n} run{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if limited > 0 {
        parts.push(format!("{} timer-limited", runs(limited)));
    }
    if invalid > 0 {
        parts.push(format!("{} INVALID for the timer", runs(invalid)));
    }
    parts.iter().map(|p| format!(" · {p}")).collect()
}

/// What a run served: its remedy for a coarse timer differs.
enum Workload {
    /// A trained model preset.
    Preset(ModelPreset),
    /// A model from a file.
    Imported,
    /// A synthetic system under test.
    Synthetic,
}

/// What to change, for what the run served.
fn suggestion(workload: Workload, isolated: Option<bool>) -> String {
    let mut parts = Vec::new();
    match workload {
        Workload::Imported => parts
            .push("export a larger model (more FLOPs per sample), so each query lasts more ticks"),
        Workload::Synthetic => parts.push(
            "give the synthetic system a longer service time, so each query lasts more ticks",
        ),
        Workload::Preset(ModelPreset::Large) => {}
        Workload::Preset(_) => parts.push(
            "choose the larger model preset (large: 3.7 times the default's work per sample), \
             so each query lasts more ticks",
        ),
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
