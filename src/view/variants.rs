//! The "Variant comparison" table of a run: each variant against the baseline variant, with
//! the reference guide's normalised metrics ([`crate::stats::normalized`]) and its place on
//! the Pareto frontier of accuracy against SingleStream p90 latency
//! ([`crate::stats::pareto`]).
//!
//! - **speedup**: baseline mean / variant mean SingleStream latency, with the bootstrap
//!   interval of the verdict (the worker's SingleStream comparison) once it is known;
//! - **compression ratio**: baseline bytes / variant bytes;
//! - **accuracy delta**: variant top-1 − baseline top-1, shown in percentage points;
//! - **efficiency score**: speedup × compression / (1 + |accuracy delta|), with the delta as
//!   a fraction (the reference's formula: a ranking aid, not a measurement);
//! - **Pareto**: on the frontier, or dominated by the variants that are at least as accurate
//!   and at least as fast (p90), and strictly better in one.

use serde::{Deserialize, Serialize};

use super::units::latency;
use super::verdict::VerdictPanel;
use crate::format::{sig, times};
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::report::text::pareto_status_text;
use crate::results::BenchResult;
use crate::stats::pareto::{pareto_frontier, ParetoPoint};
use crate::stats::{accuracy_delta, compression_ratio, efficiency_score, speedup_ratio};

/// The numbers of one variant against the baseline (`None` where a figure is missing).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VariantNumbers {
    /// Baseline mean / variant mean SingleStream latency.
    pub speedup: Option<f64>,
    /// The speedup's bootstrap interval (lower, upper), from the verdict.
    pub speedup_ci: Option<(f64, f64)>,
    /// Baseline bytes / variant bytes.
    pub compression: Option<f64>,
    /// Variant top-1 − baseline top-1, a fraction.
    pub accuracy_delta: Option<f64>,
    /// speedup × compression / (1 + |accuracy delta|).
    pub efficiency: Option<f64>,
    /// Top-1 accuracy, a fraction.
    pub accuracy: Option<f64>,
    /// SingleStream p90 latency, ms.
    pub p90_ms: Option<f64>,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantRow {
    /// The variant.
    pub variant: Variant,
    /// Whether it is the baseline.
    pub baseline: bool,
    /// The numbers.
    pub numbers: VariantNumbers,
    /// Speedup as shown: "1.82x", "1x (baseline)" or "n/a".
    pub speedup: String,
    /// Its interval as shown ("95% CI 1.74x–1.90x"), "computing…" while the worker works,
    /// or nothing.
    pub speedup_ci: Option<String>,
    /// Compression as shown: "3.98x".
    pub compression: String,
    /// Accuracy delta as shown: "-0.28 points".
    pub accuracy_delta: String,
    /// Efficiency score as shown: "7.24".
    pub efficiency: String,
    /// Top-1 accuracy and SingleStream p90 as shown: "98.61%, p90 152.3 µs".
    pub position: String,
    /// "on the frontier", "dominated by f32-fast", or why it is not placed.
    pub pareto: String,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantTable {
    /// The baseline variant.
    pub baseline: Variant,
    /// One row per variant, baseline first.
    pub rows: Vec<VariantRow>,
    /// What each column means, in one paragraph.
    pub method: String,
    /// Figures that could not be computed, and why.
    pub notes: Vec<String>,
}

/// The variant comparison of `result` (`None` with fewer than two variants); speedup
/// intervals come from `verdict` once the worker has computed it.
pub fn variant_table(result: &BenchResult, verdict: Option<&VerdictPanel>) -> Option<VariantTable> {
    if result.variants.len() < 2 {
        return None;
    }
    let base = &result.variants[0];
    let mean_ss = |v: &crate::results::VariantResult| {
        v.run(Scenario::SingleStream)
            .and_then(|r| r.summary.as_ref())
            .map(|s| s.mean_ms)
    };
    let p90 = |v: &crate::results::VariantResult| {
        v.run(Scenario::SingleStream)
            .and_then(|r| r.run.percentile_latency_ms())
    };
    // Pareto status among the variants that have both an accuracy and a p90.
    let placed: Vec<(usize, ParetoPoint)> = result
        .variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            Some((
                i,
                ParetoPoint {
                    accuracy: v.top1()?,
                    p90_latency_ms: p90(v)?,
                },
            ))
        })
        .collect();
    let points: Vec<ParetoPoint> = placed.iter().map(|p| p.1).collect();
    let mut notes = Vec::new();
    let statuses = match pareto_frontier(&points) {
        Ok(s) => s,
        Err(e) => {
            notes.push(format!("No Pareto status: {e}."));
            Vec::new()
        }
    };
    let mut rows = Vec::with_capacity(result.variants.len());
    for (i, v) in result.variants.iter().enumerate() {
        let is_base = i == 0;
        let mut note = |what: &str, e: crate::stats::StatsError| {
            let text = format!("{}'s {what}: {e}", v.variant);
            if !notes.contains(&text) {
                notes.push(text);
            }
        };
        let verdict_row = verdict.and_then(|p| {
            p.rows
                .iter()
                .find(|r| r.scenario == Scenario::SingleStream && r.candidate == v.variant)
        });
        let speedup = match (mean_ss(base), mean_ss(v)) {
            (Some(b), Some(x)) => speedup_ratio(b, x).map_err(|e| note("speedup", e)).ok(),
            _ => None,
        };
        let speedup_ci = verdict_row.map(|r| (r.speedup_lower, r.speedup_upper));
        let compression = compression_ratio(base.size_bytes, v.size_bytes)
            .map_err(|e| note("compression ratio", e))
            .ok();
        let delta = match (base.top1(), v.top1()) {
            (Some(b), Some(x)) => accuracy_delta(b, x)
                .map_err(|e| note("accuracy delta", e))
                .ok(),
            _ => None,
        };
        let efficiency = match (speedup, compression, delta) {
            (Some(s), Some(c), Some(d)) => efficiency_score(s, c, d)
                .map_err(|e| note("efficiency score", e))
                .ok(),
            _ => None,
        };
        let numbers = VariantNumbers {
            speedup,
            speedup_ci,
            compression,
            accuracy_delta: delta,
            efficiency,
            accuracy: v.top1(),
            p90_ms: p90(v),
        };
        let pareto = match placed.iter().position(|(j, _)| *j == i) {
            Some(k) => match statuses.get(k) {
                Some(s) => {
                    pareto_status_text(s, |d| result.variants[placed[d].0].variant.to_string())
                }
                None => "not placed".to_string(),
            },
            None if v.top1().is_none() => "not placed: no accuracy (accuracy mode off)".into(),
            None => "not placed: no SingleStream p90".into(),
        };
        let na = || "n/a".to_string();
        rows.push(VariantRow {
            variant: v.variant,
            baseline: is_base,
            numbers,
            speedup: if is_base {
                "1x (baseline)".into()
            } else {
                speedup.map_or_else(
                    || {
                        if mean_ss(v).is_none() || mean_ss(base).is_none() {
                            "n/a (no SingleStream run)".to_string()
                        } else {
                            na()
                        }
                    },
                    times,
                )
            },
            speedup_ci: match (is_base, speedup, speedup_ci) {
                (true, _, _) | (false, None, _) => None,
                (false, Some(_), Some((lo, hi))) => {
                    Some(format!("95% CI {}–{}", times(lo), times(hi)))
                }
                (false, Some(_), None) if verdict.is_none() => Some("CI: computing…".into()),
                (false, Some(_), None) => None,
            },
            compression: if is_base {
                "1x (baseline)".into()
            } else {
                compression.map_or_else(na, times)
            },
            accuracy_delta: if is_base {
                "0 (baseline)".into()
            } else {
                delta.map_or_else(
                    || "n/a (no accuracy run)".to_string(),
                    |d| format!("{:+.2} points", d * 100.0),
                )
            },
            efficiency: if is_base {
                "1 (baseline)".into()
            } else {
                efficiency.map_or_else(na, |e| sig(e, 3))
            },
            position: format!(
                "{}, p90 {}",
                v.top1().map_or_else(
                    || "no accuracy".to_string(),
                    |a| format!("{:.2}%", a * 100.0)
                ),
                p90(v).map_or_else(|| "n/a".to_string(), latency)
            ),
            pareto,
        });
    }
    Some(VariantTable {
        baseline: base.variant,
        rows,
        method: format!(
            "Against the baseline {}: speedup = baseline mean / variant mean SingleStream \
             latency, with the verdict's bootstrap 95% interval; compression = baseline bytes / \
             variant bytes; accuracy delta = variant − baseline top-1, in percentage points; \
             efficiency score = speedup × compression / (1 + |accuracy delta|), the delta taken \
             as a fraction (−2 points is −0.02), the reference guide's formula: a ranking aid, \
             not a measurement. Pareto: accuracy against SingleStream p90 latency; a variant is \
             dominated when another is at least as accurate and at least as fast, and strictly \
             better in one (point estimates; the verdict says whether a latency difference is \
             significant).",
            base.variant
        ),
        notes,
    })
}
