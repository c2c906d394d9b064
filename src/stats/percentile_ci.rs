//! Distribution-free confidence intervals of a percentile, from order statistics.
//!
//! If `B ~ Binomial(n, p)` counts the observations below the true `p`-quantile, the sorted
//! sample's order statistics bracket that quantile with a probability given by `B`'s
//! distribution, whatever the latency distribution is (only continuity is assumed). With
//! `q = (1 - level) / 2`, the interval is `[x[l], x[h]]` (zero-based, sorted ascending) with
//!
//! - `l = ppf(q) - 1`, `ppf(q)` the smallest `k` with `P(B <= k) >= q`,
//! - `h = isf(q)`, the smallest `k` with `P(B > k) <= q`,
//!
//! exactly as `scipy.stats.quantile_test(x, p=p).confidence_interval(level)` computes it.
//! Its exact coverage for continuous data is `P(l < B <= h) >= level`; the interval is
//! conservative because order statistics are discrete.
//!
//! Both indices are bisections on the binomial's tails (regularised incomplete beta
//! functions), so an interval costs `O(log n)` once the sample is sorted: a few dozen
//! evaluations for ten million latencies; checked against scipy up to 30 million.
//!
//! When `l < 0` or `h >= n` the sample is too small (scipy returns NaN there); this module
//! returns [`StatsError::TooFewSamplesForPercentileCi`] with the size that would suffice,
//! e.g. 368 values for a 95% interval of p99 and 36 for p90.

use serde::{Deserialize, Serialize};

use super::ci::ConfidenceInterval;
use super::dist::{binomial_isf, binomial_mass_between, binomial_ppf};
use super::error::StatsError;
use super::sample::{sorted_copy, validate, validate_open_unit};

/// A distribution-free confidence interval of a percentile, with the order statistics it
/// was read from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PercentileCi {
    /// The percentile as a fraction in `(0, 1)`, e.g. `0.99`.
    pub percentile: f64,
    /// The interval, in the unit of the data (milliseconds for latencies).
    pub interval: ConfidenceInterval,
    /// 1-based rank of the order statistic used as the lower bound (`x[lower_rank - 1]`
    /// of the sorted sample).
    pub lower_rank: usize,
    /// 1-based rank of the order statistic used as the upper bound.
    pub upper_rank: usize,
    /// The exact coverage probability of these two order statistics for continuous data,
    /// `P(lower_rank <= B < upper_rank)`; at least the nominal level.
    pub coverage: f64,
}

/// The distribution-free confidence interval of the `percentile` (a fraction in `(0, 1)`)
/// of `values`, at `confidence_level`. The values need not be sorted.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] for an empty sample, [`StatsError::NonFinite`], [`StatsError::OutOfRange`],
/// [`StatsError::InvalidParameter`] for a percentile or level outside `(0, 1)`, and
/// [`StatsError::TooFewSamplesForPercentileCi`] when the sample is too small for this
/// percentile at this level (see [`percentile_ci_min_samples`]).
pub fn percentile_ci(
    values: &[f64],
    percentile: f64,
    confidence_level: f64,
) -> Result<PercentileCi, StatsError> {
    validate("sample", values, 1)?;
    validate_open_unit("percentile", percentile)?;
    validate_open_unit("confidence_level", confidence_level)?;
    percentile_ci_sorted(&sorted_copy(values), percentile, confidence_level)
}

/// [`percentile_ci`] on already sorted, validated values with validated parameters.
pub(crate) fn percentile_ci_sorted(
    sorted: &[f64],
    percentile: f64,
    confidence_level: f64,
) -> Result<PercentileCi, StatsError> {
    let n = sorted.len();
    let too_few = || StatsError::TooFewSamplesForPercentileCi {
        percentile,
        confidence_level,
        needed: percentile_ci_min_samples_checked(percentile, confidence_level),
        got: n,
    };
    let q = (1.0 - confidence_level) / 2.0;
    let ppf = binomial_ppf(n as u64, percentile, q);
    let h = binomial_isf(n as u64, percentile, q);
    if ppf == 0 || h >= n as u64 {
        return Err(too_few());
    }
    let l = ppf - 1;
    Ok(PercentileCi {
        percentile,
        interval: ConfidenceInterval {
            confidence_level,
            lower: sorted[l as usize],
            upper: sorted[h as usize],
        },
        lower_rank: l as usize + 1,
        upper_rank: h as usize + 1,
        coverage: binomial_mass_between(n as u64, percentile, l, h),
    })
}

/// The smallest sample size for which [`percentile_ci`] exists for this percentile and
/// level: the smallest `n` with `(1 - p)^n < q` (a lower order statistic exists) and
/// `p^n <= q` (an upper one exists), where `q = (1 - level) / 2`. For a 95% interval:
/// 6 for p50, 36 for p90, 72 for p95, 122 for p97, 368 for p99, 3,688 for p99.9.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for a percentile or level outside `(0, 1)`.
pub fn percentile_ci_min_samples(
    percentile: f64,
    confidence_level: f64,
) -> Result<usize, StatsError> {
    validate_open_unit("percentile", percentile)?;
    validate_open_unit("confidence_level", confidence_level)?;
    Ok(percentile_ci_min_samples_checked(
        percentile,
        confidence_level,
    ))
}

fn percentile_ci_min_samples_checked(percentile: f64, confidence_level: f64) -> usize {
    let q = (1.0 - confidence_level) / 2.0;
    // Closed-form first guesses, then a small walk that settles the boundary exactly with
    // the same powers the conditions use. The walk is bounded: for a percentile so close to
    // 0 or 1 that `1 - p` or `p` rounds to 1 (e.g. 1e-17), the powers never fall below `q`,
    // and the closed form (with `ln_1p`, exact there) is the answer.
    let upper_ok = |n: usize| percentile.powf(n as f64) <= q;
    let lower_ok = |n: usize| (1.0 - percentile).powf(n as f64) < q;
    let settle = |guess: f64, ok: &dyn Fn(usize) -> bool| {
        // `as` saturates: a guess beyond usize is usize::MAX.
        let start = guess.max(1.0) as usize;
        let mut n = start;
        for _ in 0..SETTLE_STEPS {
            if n > 1 && ok(n - 1) {
                n -= 1;
            } else {
                break;
            }
        }
        for _ in 0..SETTLE_STEPS {
            if ok(n) || n == usize::MAX {
                return n;
            }
            n += 1;
        }
        start
    };
    let n_upper = settle((q.ln() / percentile.ln()).ceil(), &upper_ok);
    let n_lower = settle((q.ln() / (-percentile).ln_1p()).floor() + 1.0, &lower_ok);
    n_upper.max(n_lower)
}

/// The most steps the boundary walk of [`percentile_ci_min_samples_checked`] takes each way
/// (the closed-form guess is within a step or two of the boundary).
const SETTLE_STEPS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_sizes_for_95_percent_intervals() {
        let sizes: Vec<usize> = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]
            .iter()
            .map(|&p| percentile_ci_min_samples(p, 0.95).unwrap())
            .collect();
        assert_eq!(sizes, vec![6, 36, 72, 122, 368, 3688]);
    }

    #[test]
    fn interval_exists_exactly_from_the_minimum_size() {
        for p in [0.5, 0.9, 0.95, 0.99] {
            let needed = percentile_ci_min_samples(p, 0.95).unwrap();
            let x: Vec<f64> = (0..needed).map(|i| i as f64).collect();
            assert!(percentile_ci(&x, p, 0.95).is_ok(), "p = {p}");
            assert_eq!(
                percentile_ci(&x[1..], p, 0.95),
                Err(StatsError::TooFewSamplesForPercentileCi {
                    percentile: p,
                    confidence_level: 0.95,
                    needed,
                    got: needed - 1
                })
            );
        }
    }

    #[test]
    fn percentiles_at_the_ends_of_the_unit_interval_end_at_once() {
        // 1 - 1e-17 rounds to 1: the powers never fall below q; the closed form answers.
        let n = percentile_ci_min_samples(1e-17, 0.95).unwrap();
        assert!(n > 1e17 as usize, "{n}");
        let n = percentile_ci_min_samples(1.0 - f64::EPSILON, 0.95).unwrap();
        assert!(n > 1e15 as usize, "{n}");
        let x: Vec<f64> = (0..1000).map(f64::from).collect();
        assert!(matches!(
            percentile_ci(&x, 1e-17, 0.95),
            Err(StatsError::TooFewSamplesForPercentileCi { got: 1000, .. })
        ));
    }

    #[test]
    fn median_interval_of_ten_values() {
        // quantile_test(range(1, 11), p=0.5).confidence_interval(0.95) = (2.0, 9.0)
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let ci = percentile_ci(&x, 0.5, 0.95).unwrap();
        assert_eq!((ci.interval.lower, ci.interval.upper), (2.0, 9.0));
        assert_eq!((ci.lower_rank, ci.upper_rank), (2, 9));
        // binom(10, .5).cdf(8) - binom(10, .5).cdf(1) = 1002/1024
        assert!((ci.coverage - 1002.0 / 1024.0).abs() < 1e-12);
    }
}
