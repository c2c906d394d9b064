//! [`Summary`]: everything InferBench reports about one sample of latencies.
//!
//! Definitions (each stated in the report's methodology section):
//!
//! - `sd_ms`: sample standard deviation, divisor `n - 1`;
//! - `median_ms`: conventional median (mean of the two middle values when `n` is even);
//! - percentiles: MLPerf LoadGen's estimator `sorted[floor(n p)]` (no interpolation, see
//!   [`crate::stats::percentile`]) at p50, p90, p95, p97, p99 and p99.9, the six LoadGen
//!   prints;
//! - `mean_ci_ms`: Student-t interval of the mean ([`crate::stats::ci::mean_ci`]);
//! - each percentile's interval: distribution-free, from order statistics
//!   ([`crate::stats::percentile_ci()`]), or `None` when the sample is too small for it;
//! - `cv`: coefficient of variation `sd / mean`;
//! - outliers: Tukey's fences on numpy-interpolated quartiles ([`TukeyOutliers`]).
//!
//! A constant sample (every latency identical, as a coarse timer can produce) is accepted:
//! its standard deviation is exactly 0, its mean interval is `[mean, mean]` and `cv` is 0.

use serde::{Deserialize, Serialize};

use super::ci::{mean_ci_from_moments, ConfidenceInterval, DEFAULT_CONFIDENCE_LEVEL};
use super::error::StatsError;
use super::outliers::TukeyOutliers;
use super::percentile::loadgen_percentile;
use super::percentile_ci::{percentile_ci_min_samples, percentile_ci_sorted, PercentileCi};
use super::sample::{median_sorted, validate, validate_open_unit};
use super::sorted::SortedSample;

/// The percentiles LoadGen prints (`results.h`, `latency_percentiles`), as fractions.
pub const LOADGEN_PERCENTILES: [f64; 6] = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999];

/// One LoadGen percentile of a sample, with its distribution-free confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PercentileEstimate {
    /// The percentile as a fraction, e.g. `0.99` for p99.
    pub percentile: f64,
    /// LoadGen's estimate `sorted[floor(n p)]`, in milliseconds.
    pub value_ms: f64,
    /// The order-statistic confidence interval (milliseconds), `None` when the sample is
    /// smaller than `ci_min_samples`.
    pub ci: Option<PercentileCi>,
    /// The smallest sample size for which `ci` exists at the summary's confidence level.
    pub ci_min_samples: usize,
}

/// Descriptive statistics of one sample of latencies (milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean, ms.
    pub mean_ms: f64,
    /// Sample standard deviation (divisor `n - 1`), ms; exactly 0 for a constant sample.
    pub sd_ms: f64,
    /// Smallest value, ms.
    pub min_ms: f64,
    /// Largest value, ms.
    pub max_ms: f64,
    /// Conventional median (mean of the two middle values for even `n`), ms.
    pub median_ms: f64,
    /// Student-t confidence interval of the mean, ms.
    pub mean_ci_ms: ConfidenceInterval,
    /// Coefficient of variation `sd / mean` (a fraction, not a percentage); `None` when the
    /// mean is 0, where it is undefined.
    pub cv: Option<f64>,
    /// LoadGen percentiles p50, p90, p95, p97, p99, p99.9 (in that order), each with its
    /// distribution-free interval.
    pub percentiles: Vec<PercentileEstimate>,
    /// Tukey outlier counts (reported, not removed).
    pub outliers: TukeyOutliers,
}

impl Summary {
    /// Summarises `latencies_ms` with 95% confidence intervals.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] for fewer than 2 values, [`StatsError::NonFinite`]
    /// for a NaN or infinite value, [`StatsError::OutOfRange`] beyond 1e50 in magnitude.
    pub fn of(latencies_ms: &[f64]) -> Result<Self, StatsError> {
        Self::with_confidence(latencies_ms, DEFAULT_CONFIDENCE_LEVEL)
    }

    /// Summarises `latencies_ms` with confidence intervals at `confidence_level`.
    ///
    /// - Time: `O(n log n)` for the sort, plus `O(log n)` per percentile interval (bisections
    ///   on the binomial's incomplete-beta tails, [`crate::stats::percentile_ci()`]).
    ///
    /// # Errors
    ///
    /// As [`Summary::of`], plus [`StatsError::InvalidParameter`] for a level outside
    /// `(0, 1)`.
    pub fn with_confidence(
        latencies_ms: &[f64],
        confidence_level: f64,
    ) -> Result<Self, StatsError> {
        validate("sample", latencies_ms, 2)?;
        validate_open_unit("confidence_level", confidence_level)?;
        Self::of_sorted(&SortedSample::new(latencies_ms)?, confidence_level)
    }

    /// The summary of a sample already sorted ([`SortedSample`]), at `confidence_level`: what
    /// [`Summary::with_confidence`] gives on its values, without sorting them again.
    ///
    /// - Time: `O(n)` (the outlier count), plus `O(log n)` per percentile interval.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] for fewer than 2 values, [`StatsError::InvalidParameter`]
    /// for a level outside `(0, 1)`.
    pub fn of_sorted(sample: &SortedSample, confidence_level: f64) -> Result<Self, StatsError> {
        sample.validate_len("sample", 2)?;
        validate_open_unit("confidence_level", confidence_level)?;
        let sorted = sample.sorted();
        let n = sorted.len();
        let mean_ms = sample.mean();
        let sd_ms = sample.variance().sqrt();
        let percentiles = LOADGEN_PERCENTILES
            .iter()
            .map(|&p| -> Result<PercentileEstimate, StatsError> {
                Ok(PercentileEstimate {
                    percentile: p,
                    value_ms: loadgen_percentile(sorted, p).unwrap_or(f64::NAN),
                    ci: percentile_ci_sorted(sorted, p, confidence_level).ok(),
                    ci_min_samples: percentile_ci_min_samples(p, confidence_level)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Summary {
            n,
            mean_ms,
            sd_ms,
            min_ms: sorted[0],
            max_ms: sorted[n - 1],
            median_ms: median_sorted(sorted).unwrap_or(f64::NAN),
            mean_ci_ms: mean_ci_from_moments(mean_ms, sd_ms, n, confidence_level),
            cv: (mean_ms != 0.0).then(|| sd_ms / mean_ms),
            percentiles,
            outliers: TukeyOutliers::of_sorted(sorted),
        })
    }

    /// The estimate of one of the [`LOADGEN_PERCENTILES`] (`percentile` must be one of them
    /// exactly, e.g. `0.99`), or `None`.
    pub fn percentile(&self, percentile: f64) -> Option<&PercentileEstimate> {
        self.percentiles.iter().find(|e| e.percentile == percentile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_a_small_sample() {
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.n, s.mean_ms, s.min_ms, s.max_ms), (4, 2.5, 1.0, 4.0));
        assert_eq!(s.median_ms, 2.5);
        // LoadGen: p50 = sorted[floor(4 * 0.5)] = sorted[2] = 3, p90 = sorted[3] = 4.
        assert_eq!(s.percentile(0.5).unwrap().value_ms, 3.0);
        assert_eq!(s.percentile(0.9).unwrap().value_ms, 4.0);
        assert!(s.percentiles.iter().all(|e| e.ci.is_none()));
        assert_eq!(s.percentile(0.99).unwrap().ci_min_samples, 368);
    }

    #[test]
    fn constant_sample_is_accepted_with_zero_spread() {
        let s = Summary::of(&[1.0; 10]).unwrap();
        assert_eq!((s.sd_ms, s.cv), (0.0, Some(0.0)));
        assert_eq!((s.mean_ci_ms.lower, s.mean_ci_ms.upper), (1.0, 1.0));
    }

    #[test]
    fn zero_mean_has_no_cv() {
        let s = Summary::of(&[-1.0, 1.0]).unwrap();
        assert_eq!(s.cv, None);
    }

    #[test]
    fn errors_on_short_or_non_finite_input() {
        assert_eq!(
            Summary::of(&[]),
            Err(StatsError::TooFewSamples {
                sample: "sample",
                needed: 2,
                got: 0
            })
        );
        assert_eq!(
            Summary::of(&[1.0]),
            Err(StatsError::TooFewSamples {
                sample: "sample",
                needed: 2,
                got: 1
            })
        );
        assert_eq!(
            Summary::of(&[1.0, f64::NAN]),
            Err(StatsError::NonFinite {
                sample: "sample",
                index: 1
            })
        );
        assert!(Summary::with_confidence(&[1.0, 2.0], 0.0).is_err());
    }
}
