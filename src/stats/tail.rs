//! Tail comparison: is sample `a`'s LoadGen percentile (say p99) lower than `b`'s?
//!
//! No benchmark tool among InferBench's anchors answers this. Here:
//!
//! - the **difference** `P_a - P_b` of LoadGen percentiles (`sorted[floor(n p)]`), in ms;
//! - its **percentile-bootstrap interval**, by the seeded procedure of
//!   [`crate::stats::bootstrap`] (`a` is the first group, `b` the second);
//! - a **one-sided bootstrap p-value** for "a's percentile is lower than b's":
//!   `p = (1 + #{d* >= 0}) / (R + 1)` over the `R` replicates `d* = P_a* - P_b*`. It is the
//!   share of resamples that do *not* show `a` lower, with the usual `+1` so that it is
//!   never exactly 0; `p < α` exactly when the one-sided `(1 - α)` percentile-bootstrap
//!   upper bound of the difference is below 0 (up to the `+1`). Ties (`d* = 0`, frequent
//!   with quantised timer readings) count against "lower", so the test is conservative.
//!
//! Tail percentiles need many values: with 100 values p99 is the largest or second largest,
//! and its bootstrap distribution is lumpy. The report should show the order-statistic
//! interval's minimum sample size ([`crate::stats::percentile_ci_min_samples`]) next to it.

use serde::{Deserialize, Serialize};

use super::bootstrap::{
    percentile_interval, resample_statistics, BootstrapConfig, BootstrapMethod, GroupReplicates,
    Statistic,
};
use super::ci::ConfidenceInterval;
use super::error::StatsError;
use super::percentile::loadgen_percentile;
use super::sample::{validate, validate_open_unit};
use super::sorted::SortedSample;

/// Bootstrap comparison of one LoadGen percentile between two samples of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TailComparison {
    /// The percentile compared, as a fraction (e.g. `0.99`).
    pub percentile: f64,
    /// LoadGen percentile of `a`, ms.
    pub a_ms: f64,
    /// LoadGen percentile of `b`, ms.
    pub b_ms: f64,
    /// `a_ms - b_ms`, ms (negative when `a`'s tail is lower).
    pub difference_ms: f64,
    /// Percentile-bootstrap interval of the difference, ms.
    pub difference_ci_ms: ConfidenceInterval,
    /// One-sided bootstrap p-value for "a's percentile is lower than b's".
    pub p_value_a_lower: f64,
    /// The bootstrap settings used.
    pub bootstrap: BootstrapConfig,
    /// How the replicates were drawn (results of schema version 1: always resampling).
    #[serde(default)]
    pub method: BootstrapMethod,
}

impl TailComparison {
    /// Compares the `percentile` (a fraction in `(0, 1)`) of `a_ms` with that of `b_ms`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] when a sample has fewer than 2 values,
    /// [`StatsError::NonFinite`], [`StatsError::OutOfRange`], [`StatsError::InvalidParameter`] for a percentile outside
    /// `(0, 1)` or bad bootstrap settings.
    pub fn of(
        a_ms: &[f64],
        b_ms: &[f64],
        percentile: f64,
        config: &BootstrapConfig,
    ) -> Result<Self, StatsError> {
        validate("a", a_ms, 2)?;
        validate("b", b_ms, 2)?;
        validate_open_unit("percentile", percentile)?;
        config.validate()?;
        let (a, b) = (SortedSample::new(a_ms)?, SortedSample::new(b_ms)?);
        let (replicates, method) =
            resample_statistics(&a, &b, &[Statistic::LoadGen(percentile)], config);
        Ok(Self::from_replicates(
            &a,
            &b,
            percentile,
            &replicates[0],
            config,
            method,
        ))
    }

    /// Builds the comparison from replicates where `a` was the first group.
    pub(crate) fn from_replicates(
        a: &SortedSample,
        b: &SortedSample,
        percentile: f64,
        replicates: &GroupReplicates,
        config: &BootstrapConfig,
        method: BootstrapMethod,
    ) -> Self {
        let a = loadgen_percentile(a.sorted(), percentile).unwrap_or(f64::NAN);
        let b = loadgen_percentile(b.sorted(), percentile).unwrap_or(f64::NAN);
        let differences: Vec<f64> = replicates
            .first
            .iter()
            .zip(&replicates.second)
            .map(|(x, y)| x - y)
            .collect();
        let not_lower = differences.iter().filter(|&&d| d >= 0.0).count();
        let p_value_a_lower = (1 + not_lower) as f64 / (differences.len() + 1) as f64;
        TailComparison {
            percentile,
            a_ms: a,
            b_ms: b,
            difference_ms: a - b,
            difference_ci_ms: percentile_interval(differences, config.confidence_level),
            p_value_a_lower,
            bootstrap: *config,
            method,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BootstrapConfig {
        BootstrapConfig {
            resamples: 1000,
            seed: 11,
            confidence_level: 0.95,
        }
    }

    #[test]
    fn clearly_lower_tail_has_tiny_p() {
        let a: Vec<f64> = (0..200).map(|i| 1.0 + (i % 10) as f64).collect();
        let b: Vec<f64> = (0..200).map(|i| 20.0 + (i % 10) as f64).collect();
        let t = TailComparison::of(&a, &b, 0.9, &config()).unwrap();
        assert_eq!((t.a_ms, t.b_ms, t.difference_ms), (10.0, 29.0, -19.0));
        // Every replicate has a < b: p = 1 / 1001.
        assert_eq!(t.p_value_a_lower, 1.0 / 1001.0);
        assert!(t.difference_ci_ms.upper < 0.0);
    }

    #[test]
    fn identical_samples_are_not_lower() {
        let a: Vec<f64> = (0..100).map(|i| (i % 13) as f64).collect();
        let t = TailComparison::of(&a, &a, 0.99, &config()).unwrap();
        assert_eq!(t.difference_ms, 0.0);
        assert!(t.p_value_a_lower > 0.3, "p = {}", t.p_value_a_lower);
    }
}
