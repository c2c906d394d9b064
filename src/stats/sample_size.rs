//! How many queries a run needs: MLPerf's minimum query count for a tail percentile, and a
//! power estimate for detecting a given speedup.
//!
//! **MLPerf** (`inference_rules.adoc`, "suggested starting point"): to estimate the
//! `p`-quantile with confidence `C` to within a margin `MOE = (1 - p) / 20`,
//!
//! ```text
//! n = z² p (1 - p) / MOE²,   z = |Φ⁻¹((1 - C) / 2)|
//! ```
//!
//! which is 23,885.6 for p90 at C = 0.99. MLPerf's published table (inference rules and
//! the MLPerf Inference paper, Table IV) lists 23,886 for p90, 50,425 for p95, 85,811 for
//! p97 and 262,742 for p99: the formula's values 23,885.6, 50,425.2, 85,811.3 and
//! 262,741.9 rounded to the **nearest** integer (rounding up would give 50,426 and 85,812).
//! [`MlperfSampleSize::queries`] therefore rounds to nearest, reproducing the table, and
//! [`MlperfSampleSize::queries_ceil`] gives the strictly conservative ceiling. LoadGen's
//! rules then round up to a multiple of 2^13 = 8,192: 24,576 = 3 · 2^13 for p90. (The
//! reference material wrongly presents 24,576 as the formula's value; both numbers are
//! reported, with their origin.)
//!
//! **Power** (two-sided two-sample z approximation, equal group sizes): to detect a
//! relative difference of means `δ` (0.05 = 5%) when the coefficient of variation is `cv`,
//! at significance `α` with probability `power`, each group needs
//!
//! ```text
//! n = 2 (z_{1-α/2} + z_{power})² cv² / δ²
//! ```
//!
//! queries, rounded up. It assumes both groups share the same `cv` relative to the
//! baseline mean, and the normal approximation (fine for the hundreds of queries involved).

use serde::{Deserialize, Serialize};

use super::dist::normal_quantile;
use super::error::StatsError;
use super::sample::validate_open_unit;

/// The largest query count computed (2^53, the largest integer an `f64` holds exactly).
const MAX_QUERIES: f64 = 9_007_199_254_740_992.0;

/// LoadGen's query-count granularity: 2^13.
pub const LOADGEN_QUERY_GRANULE: u64 = 1 << 13;

/// MLPerf's minimum query count for a percentile, with LoadGen's rounding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MlperfSampleSize {
    /// The percentile `p`, as a fraction (e.g. `0.9`).
    pub percentile: f64,
    /// The confidence `C`, as a fraction (e.g. `0.99`).
    pub confidence: f64,
    /// The margin of error `(1 - p) / 20`, as a fraction.
    pub margin_of_error: f64,
    /// `z = |Φ⁻¹((1 - C) / 2)|`.
    pub z: f64,
    /// The formula's unrounded value `z² p (1 - p) / MOE²` (a number of queries).
    pub formula_value: f64,
    /// The formula's value rounded to the nearest integer, as MLPerf's table does
    /// (23,886 for p90 at C = 0.99).
    pub queries: u64,
    /// The formula's value rounded up (never below the formula; 50,426 for p95).
    pub queries_ceil: u64,
    /// `queries` rounded up to a multiple of 2^13, as LoadGen's rules do (24,576 for p90).
    pub queries_loadgen: u64,
}

impl MlperfSampleSize {
    /// MLPerf's formula for percentile `p` at confidence `C`, both in `(0, 1)`.
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidParameter`] for a value outside `(0, 1)`, or a percentile so close
    /// to 1 that the count exceeds 2^53.
    pub fn of(percentile: f64, confidence: f64) -> Result<Self, StatsError> {
        validate_open_unit("percentile", percentile)?;
        validate_open_unit("confidence", confidence)?;
        let z = normal_quantile((1.0 - confidence) / 2.0).abs();
        let moe = (1.0 - percentile) / 20.0;
        let n = z * z * percentile * (1.0 - percentile) / (moe * moe);
        if n.is_nan() || n > MAX_QUERIES {
            return Err(StatsError::InvalidParameter {
                name: "percentile",
                value: percentile,
                expected: "far enough from 1 that the query count stays below 2^53",
            });
        }
        let queries = n.round() as u64;
        Ok(MlperfSampleSize {
            percentile,
            confidence,
            margin_of_error: moe,
            z,
            formula_value: n,
            queries,
            queries_ceil: n.ceil() as u64,
            queries_loadgen: round_up_to_granule(queries),
        })
    }
}

/// `n` rounded up to a multiple of [`LOADGEN_QUERY_GRANULE`] (0 stays 0).
pub fn round_up_to_granule(n: u64) -> u64 {
    n.div_ceil(LOADGEN_QUERY_GRANULE) * LOADGEN_QUERY_GRANULE
}

/// Queries per group needed to detect a relative difference of means `relative_difference`
/// (e.g. `0.05` for 5%) at coefficient of variation `cv`, two-sided level `alpha`, with
/// probability `power`: `ceil(2 (z_{1-α/2} + z_{power})² cv² / δ²)`, at least 2.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for `alpha` or `power` outside `(0, 1)`, or `cv` or
/// `relative_difference` not finite and positive.
pub fn queries_for_power(
    cv: f64,
    relative_difference: f64,
    alpha: f64,
    power: f64,
) -> Result<u64, StatsError> {
    validate_open_unit("alpha", alpha)?;
    validate_open_unit("power", power)?;
    for (name, value) in [("cv", cv), ("relative_difference", relative_difference)] {
        if !(value > 0.0 && value.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name,
                value,
                expected: "a finite fraction > 0 (0.05 means 5%)",
            });
        }
    }
    let z_alpha = normal_quantile(1.0 - alpha / 2.0);
    let z_power = normal_quantile(power);
    let n =
        2.0 * (z_alpha + z_power).powi(2) * cv * cv / (relative_difference * relative_difference);
    if n.is_nan() || n > MAX_QUERIES {
        return Err(StatsError::InvalidParameter {
            name: "relative_difference",
            value: relative_difference,
            expected: "large enough relative to cv for a finite number of queries",
        });
    }
    Ok((n.ceil() as u64).max(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mlperf_table() {
        let rows: Vec<(u64, u64)> = [0.90, 0.95, 0.97, 0.99]
            .iter()
            .map(|&p| {
                let s = MlperfSampleSize::of(p, 0.99).unwrap();
                (s.queries, s.queries_loadgen)
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (23_886, 24_576),
                (50_425, 57_344),
                (85_811, 90_112),
                (262_742, 270_336)
            ]
        );
        assert_eq!(24_576, 3 * LOADGEN_QUERY_GRANULE);
        let p95 = MlperfSampleSize::of(0.95, 0.99).unwrap();
        assert_eq!(p95.queries_ceil, 50_426);
        assert!((p95.formula_value - 50_425.214_167_761_19).abs() < 1e-6);
    }

    #[test]
    fn power_by_hand() {
        // z_0.975 = 1.959964, z_0.8 = 0.841621; (sum)^2 = 7.848879;
        // cv 0.1, delta 0.05: 2 * 7.848879 * 0.01 / 0.0025 = 62.79 -> 63.
        assert_eq!(queries_for_power(0.1, 0.05, 0.05, 0.8), Ok(63));
        // cv 0.2, delta 0.01, power 0.9: (1.959964 + 1.281552)^2 = 10.507423;
        // 2 * 10.507423 * 0.04 / 0.0001 = 8405.94 -> 8406.
        assert_eq!(queries_for_power(0.2, 0.01, 0.05, 0.9), Ok(8406));
        assert!(queries_for_power(0.0, 0.05, 0.05, 0.8).is_err());
        assert!(queries_for_power(0.1, 0.05, 0.05, 1.0).is_err());
        assert!(queries_for_power(1e30, 1e-30, 0.05, 0.8).is_err());
        assert!(MlperfSampleSize::of(1.0 - f64::EPSILON / 2.0, 0.99).is_err());
    }
}
