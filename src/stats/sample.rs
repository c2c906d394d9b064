//! Input validation and the elementary statistics of one sample: mean, variance, median and
//! numpy's linearly interpolated quantile.
//!
//! Everything else in [`crate::stats`] is built on these. The conventions, stated once:
//!
//! - the **variance** and **standard deviation** are the unbiased sample versions
//!   (divisor `n - 1`, numpy's `ddof=1`);
//! - a sample whose minimum equals its maximum is **constant** and has variance exactly
//!   `0.0` (computing it by the two-pass formula could leave a rounding residue such as
//!   `1e-34`, which would turn "no variability" into an absurdly large t statistic);
//! - the **median** is the conventional one (mean of the two middle values for even `n`);
//!   it is *not* LoadGen's p50 (see [`crate::stats::percentile`]);
//! - [`quantile_linear`] is numpy's default `np.quantile(x, q)` (method `"linear"`, also
//!   R's type 7), used for Tukey's quartiles and for bootstrap percentile intervals.

use super::error::StatsError;

/// The largest magnitude a value may have (1e50): squares and products of variances stay
/// finite well beyond it, and no latency in any unit comes near it.
pub const MAX_ABS_VALUE: f64 = 1e50;

/// The smallest value a latency may have when it is the denominator of a ratio (1e-50), so
/// that ratios of accepted values stay finite.
pub const MIN_RATIO_VALUE: f64 = 1e-50;

/// Checks that `values` has at least `needed` values and that every value is finite and
/// at most [`MAX_ABS_VALUE`] in magnitude.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] if `values.len() < needed`, else
/// [`StatsError::NonFinite`] for the first NaN or infinite value, else
/// [`StatsError::OutOfRange`] for the first value beyond [`MAX_ABS_VALUE`].
pub fn validate(sample: &'static str, values: &[f64], needed: usize) -> Result<(), StatsError> {
    if values.len() < needed {
        return Err(StatsError::TooFewSamples {
            sample,
            needed,
            got: values.len(),
        });
    }
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::NonFinite { sample, index });
    }
    match values.iter().position(|v| v.abs() > MAX_ABS_VALUE) {
        Some(index) => Err(StatsError::OutOfRange {
            sample,
            index,
            value: values[index],
            expected: "at most 1e50 in magnitude",
        }),
        None => Ok(()),
    }
}

/// Checks, after [`validate`], that every value is strictly positive (needed for ratios of
/// latencies), and at least [`MIN_RATIO_VALUE`].
///
/// # Errors
///
/// [`StatsError::NonPositive`] for the first value `<= 0`, else
/// [`StatsError::OutOfRange`] for the first value below [`MIN_RATIO_VALUE`].
pub fn validate_positive(sample: &'static str, values: &[f64]) -> Result<(), StatsError> {
    if let Some(index) = values.iter().position(|&v| v <= 0.0) {
        return Err(StatsError::NonPositive {
            sample,
            index,
            value: values[index],
        });
    }
    match values.iter().position(|&v| v < MIN_RATIO_VALUE) {
        Some(index) => Err(StatsError::OutOfRange {
            sample,
            index,
            value: values[index],
            expected: "at least 1e-50 to form a ratio",
        }),
        None => Ok(()),
    }
}

/// Checks that a confidence level (or any probability-like parameter named `name`) lies
/// strictly between 0 and 1.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] otherwise (NaN included).
pub fn validate_open_unit(name: &'static str, value: f64) -> Result<(), StatsError> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidParameter {
            name,
            value,
            expected: "strictly between 0 and 1",
        })
    }
}

/// The arithmetic mean. Returns NaN for an empty slice: callers validate first.
pub(crate) fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The unbiased sample variance (divisor `n - 1`), exactly `0.0` for a constant sample.
/// Callers guarantee at least 2 finite values.
pub(crate) fn variance(values: &[f64], mean: f64) -> f64 {
    if is_constant(values) {
        return 0.0;
    }
    let sum_sq: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    sum_sq / (values.len() - 1) as f64
}

/// Whether every value equals the first (true for an empty or one-value slice).
pub(crate) fn is_constant(values: &[f64]) -> bool {
    values.iter().all(|&v| v == values[0])
}

/// The finite values of `values`, sorted ascending (NaN and infinities dropped): what a
/// chart draws from data it cannot vouch for.
pub fn finite_sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    sorted
}

/// A sorted (ascending) copy. Callers guarantee the values are finite, so `total_cmp`
/// orders them numerically.
pub(crate) fn sorted_copy(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    sorted
}

/// The conventional median of **sorted** values: the middle value, or the mean of the two
/// middle values for an even count. Returns `None` for an empty slice.
pub fn median_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    if n % 2 == 1 {
        Some(sorted[mid])
    } else {
        Some(midpoint(sorted[mid - 1], sorted[mid]))
    }
}

/// numpy's default quantile (`np.quantile(sorted, q)`, method `"linear"`) of **sorted**
/// values: with `h = (n - 1) q`, the value `x[floor(h)] + (h - floor(h)) (x[floor(h)+1] -
/// x[floor(h)])`. Returns `None` for an empty slice or `q` outside `[0, 1]`.
pub fn quantile_linear(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    if lo + 1 >= sorted.len() || frac == 0.0 {
        return Some(sorted[lo]);
    }
    // numpy's `_lerp`: a + (b - a) t, evaluated from the nearer end for t >= 0.5 so that
    // the result is exact at both ends and monotone.
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    let diff = b - a;
    Some(if frac >= 0.5 {
        b - diff * (1.0 - frac)
    } else {
        a + diff * frac
    })
}

/// `(a + b) / 2` without overflow for large magnitudes.
fn midpoint(a: f64, b: f64) -> f64 {
    a + (b - a) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_reports_length_before_finiteness() {
        assert_eq!(
            validate("sample", &[], 2),
            Err(StatsError::TooFewSamples {
                sample: "sample",
                needed: 2,
                got: 0
            })
        );
        assert_eq!(
            validate("a", &[1.0, f64::INFINITY, f64::NAN], 2),
            Err(StatsError::NonFinite {
                sample: "a",
                index: 1
            })
        );
        assert_eq!(validate("a", &[1.0, 2.0], 2), Ok(()));
        assert_eq!(
            validate("a", &[1.0, -2e50], 2),
            Err(StatsError::OutOfRange {
                sample: "a",
                index: 1,
                value: -2e50,
                expected: "at most 1e50 in magnitude"
            })
        );
    }

    #[test]
    fn validate_positive_finds_first_non_positive_or_tiny_value() {
        assert!(matches!(
            validate_positive("b", &[1.0, 1e-60]),
            Err(StatsError::OutOfRange { index: 1, .. })
        ));
        assert_eq!(
            validate_positive("b", &[1.0, 0.0, -1.0]),
            Err(StatsError::NonPositive {
                sample: "b",
                index: 1,
                value: 0.0
            })
        );
    }

    #[test]
    fn constant_sample_has_exactly_zero_variance() {
        let x = [0.1, 0.1, 0.1];
        assert_eq!(variance(&x, mean(&x)), 0.0);
        let y = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(variance(&y, mean(&y)), 5.0 / 3.0);
    }

    #[test]
    fn median_is_mean_of_middle_pair() {
        assert_eq!(median_sorted(&[1.0, 2.0, 3.0, 10.0]), Some(2.5));
        assert_eq!(median_sorted(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median_sorted(&[]), None);
    }

    #[test]
    fn linear_quantile_matches_numpy() {
        // np.quantile([1, 2, 3, 4, 10], [0.25, 0.5, 0.75, 0.9]) = [2, 3, 4, 7.6]
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_linear(&x, 0.25), Some(2.0));
        assert_eq!(quantile_linear(&x, 0.5), Some(3.0));
        assert_eq!(quantile_linear(&x, 0.75), Some(4.0));
        assert!((quantile_linear(&x, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(quantile_linear(&x, 1.0), Some(10.0));
        assert_eq!(quantile_linear(&x, 1.5), None);
    }
}
