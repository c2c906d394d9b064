//! Normalised metrics from the reference guide: speedup, compression ratio, accuracy delta
//! and the efficiency score that combines them.
//!
//! - **speedup** = baseline latency / variant latency (`> 1`: the variant is faster);
//! - **compression ratio** = baseline bytes / variant bytes (`> 1`: the variant is smaller);
//! - **accuracy delta** = variant accuracy − baseline accuracy, both as fractions in
//!   `[0, 1]` (so the delta is a fraction in `[-1, 1]`: `-0.02` is two percentage points
//!   lost, *not* 2% of the baseline's accuracy);
//! - **efficiency score** = speedup × compression / (1 + |accuracy delta|), the reference's
//!   formula. With the delta as a fraction, losing 2 points of accuracy divides the score by
//!   only 1.02; the score is a ranking aid, not a measurement, and the report shows its
//!   three ingredients next to it. Gaining accuracy is penalised like losing it (the
//!   reference's formula uses `|delta|`); InferBench keeps the formula as published.

use serde::{Deserialize, Serialize};

use super::error::StatsError;

/// The normalised metrics of one variant against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NormalizedMetrics {
    /// baseline latency / variant latency (a factor).
    pub speedup: f64,
    /// baseline bytes / variant bytes (a factor).
    pub compression_ratio: f64,
    /// variant accuracy − baseline accuracy, a fraction in `[-1, 1]`.
    pub accuracy_delta: f64,
    /// `speedup * compression_ratio / (1 + |accuracy_delta|)` (a factor).
    pub efficiency_score: f64,
}

impl NormalizedMetrics {
    /// Computes the four metrics from latencies (ms, e.g. means or p90s: the caller picks
    /// and says which), model sizes (bytes) and accuracies (fractions in `[0, 1]`).
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidParameter`] for a latency or size that is not finite and `> 0`,
    /// or an accuracy outside `[0, 1]`.
    pub fn of(baseline: VariantFigures, variant: VariantFigures) -> Result<Self, StatsError> {
        let speedup = ratio("latency_ms", baseline.latency_ms, variant.latency_ms)?;
        let compression_ratio = ratio(
            "model_bytes",
            baseline.model_bytes as f64,
            variant.model_bytes as f64,
        )?;
        let accuracy_delta = accuracy_delta(baseline.accuracy, variant.accuracy)?;
        Ok(NormalizedMetrics {
            speedup,
            compression_ratio,
            accuracy_delta,
            efficiency_score: efficiency_score(speedup, compression_ratio, accuracy_delta)?,
        })
    }
}

/// The figures of one model variant that the normalised metrics are built from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VariantFigures {
    /// A latency statistic in milliseconds (the same one for baseline and variant).
    pub latency_ms: f64,
    /// Model size in bytes.
    pub model_bytes: u64,
    /// Test accuracy as a fraction in `[0, 1]`.
    pub accuracy: f64,
}

/// `baseline / variant` for two finite positive quantities named `name`.
fn ratio(name: &'static str, baseline: f64, variant: f64) -> Result<f64, StatsError> {
    for value in [baseline, variant] {
        if !(value > 0.0 && value.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name,
                value,
                expected: "finite and > 0",
            });
        }
    }
    finite_result(name, baseline / variant)
}

/// `value` if finite, else an error naming the input that made it overflow.
fn finite_result(name: &'static str, value: f64) -> Result<f64, StatsError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(StatsError::InvalidParameter {
            name,
            value,
            expected: "of a size whose ratio or product stays finite",
        })
    }
}

/// Speedup `baseline_latency_ms / variant_latency_ms`.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] unless both are finite and `> 0`.
pub fn speedup_ratio(baseline_latency_ms: f64, variant_latency_ms: f64) -> Result<f64, StatsError> {
    ratio("latency_ms", baseline_latency_ms, variant_latency_ms)
}

/// Compression ratio `baseline_bytes / variant_bytes`.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] if either size is 0.
pub fn compression_ratio(baseline_bytes: u64, variant_bytes: u64) -> Result<f64, StatsError> {
    ratio("model_bytes", baseline_bytes as f64, variant_bytes as f64)
}

/// Accuracy delta `variant - baseline`, both fractions in `[0, 1]`.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for an accuracy outside `[0, 1]` (or NaN).
pub fn accuracy_delta(baseline_accuracy: f64, variant_accuracy: f64) -> Result<f64, StatsError> {
    for value in [baseline_accuracy, variant_accuracy] {
        if !(0.0..=1.0).contains(&value) {
            return Err(StatsError::InvalidParameter {
                name: "accuracy",
                value,
                expected: "a fraction between 0 and 1 (0.95 means 95%)",
            });
        }
    }
    Ok(variant_accuracy - baseline_accuracy)
}

/// Efficiency score `speedup * compression / (1 + |accuracy_delta|)`, the delta a fraction
/// in `[-1, 1]`.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for a speedup or compression that is not finite and
/// `> 0`, or a delta outside `[-1, 1]`.
pub fn efficiency_score(
    speedup: f64,
    compression: f64,
    accuracy_delta: f64,
) -> Result<f64, StatsError> {
    for (name, value) in [("speedup", speedup), ("compression", compression)] {
        if !(value > 0.0 && value.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name,
                value,
                expected: "finite and > 0",
            });
        }
    }
    if !(-1.0..=1.0).contains(&accuracy_delta) {
        return Err(StatsError::InvalidParameter {
            name: "accuracy_delta",
            value: accuracy_delta,
            expected: "a fraction between -1 and 1 (-0.02 means 2 points lost)",
        });
    }
    finite_result(
        "speedup",
        speedup * compression / (1.0 + accuracy_delta.abs()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        // Guide: 100 ms / 80 ms = 1.25x; 100 MB / 25 MB = 4x.
        assert_eq!(speedup_ratio(100.0, 80.0), Ok(1.25));
        assert_eq!(compression_ratio(100, 25), Ok(4.0));
        assert_eq!(efficiency_score(1.25, 4.0, -0.25), Ok(4.0));
        assert!((accuracy_delta(0.97, 0.95).unwrap() + 0.02).abs() < 1e-15);
    }

    #[test]
    fn combined_metrics() {
        let m = NormalizedMetrics::of(
            VariantFigures {
                latency_ms: 2.0,
                model_bytes: 4000,
                accuracy: 0.5,
            },
            VariantFigures {
                latency_ms: 1.0,
                model_bytes: 1000,
                accuracy: 0.75,
            },
        )
        .unwrap();
        assert_eq!(
            m,
            NormalizedMetrics {
                speedup: 2.0,
                compression_ratio: 4.0,
                accuracy_delta: 0.25,
                efficiency_score: 6.4
            }
        );
    }

    #[test]
    fn rejects_bad_figures() {
        assert!(compression_ratio(100, 0).is_err());
        assert!(speedup_ratio(f64::NAN, 1.0).is_err());
        assert!(accuracy_delta(95.0, 0.9).is_err());
        assert!(efficiency_score(1.0, 1.0, 1.5).is_err());
        assert!(efficiency_score(1e300, 1e300, 0.0).is_err());
        assert!(speedup_ratio(1e300, 1e-300).is_err());
    }
}
