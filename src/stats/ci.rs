//! Confidence intervals: the [`ConfidenceInterval`] type shared by every estimate, and the
//! Student-t interval of a mean.
//!
//! The interval of the mean is `mean ± t(1 - α/2, n - 1) · s / √n` with Student's t
//! quantile, never the normal 1.96 (the reference code's defect 1: with 5 values the right
//! multiplier is 2.776, not 1.96).

use serde::{Deserialize, Serialize};

use super::dist::students_t_quantile;
use super::error::StatsError;
use super::sample::{mean, validate, validate_open_unit, variance};

/// The confidence level used when none is given: 95%.
pub const DEFAULT_CONFIDENCE_LEVEL: f64 = 0.95;

/// A two-sided confidence interval `[lower, upper]` of some estimate.
///
/// The bounds are in the unit of the estimate they belong to (milliseconds for a latency,
/// a plain factor for a speedup).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceInterval {
    /// The nominal coverage, as a fraction (`0.95` for a 95% interval).
    pub confidence_level: f64,
    /// The lower bound.
    pub lower: f64,
    /// The upper bound (`>= lower`).
    pub upper: f64,
}

impl ConfidenceInterval {
    /// Whether `value` lies inside the interval (bounds included).
    pub fn contains(&self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }

    /// The width `upper - lower`.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }
}

/// The Student-t confidence interval of the mean of `values`:
/// `mean ± t(1 - (1 - confidence_level)/2, n - 1) · sd / √n`, with `sd` the sample standard
/// deviation (divisor `n - 1`). Matches
/// `scipy.stats.ttest_1samp(values, 0).confidence_interval(confidence_level)`.
///
/// A constant sample (zero variance) gives the degenerate interval `[mean, mean]`: the data
/// show no variability, so there is nothing to widen the interval with. Whether that is
/// believable (a too-coarse timer?) is for the report to say.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] for fewer than 2 values, [`StatsError::NonFinite`] for
/// NaN or infinite values, [`StatsError::OutOfRange`] beyond 1e50 in magnitude,
/// [`StatsError::InvalidParameter`] for a level outside `(0, 1)`.
pub fn mean_ci(values: &[f64], confidence_level: f64) -> Result<ConfidenceInterval, StatsError> {
    validate("sample", values, 2)?;
    validate_open_unit("confidence_level", confidence_level)?;
    let m = mean(values);
    let sd = variance(values, m).sqrt();
    Ok(mean_ci_from_moments(m, sd, values.len(), confidence_level))
}

/// The interval of [`mean_ci`] from already computed moments (`n >= 2`, valid level).
pub(crate) fn mean_ci_from_moments(
    mean: f64,
    sd: f64,
    n: usize,
    confidence_level: f64,
) -> ConfidenceInterval {
    let half_width = if sd == 0.0 {
        0.0
    } else {
        let t = students_t_quantile(1.0 - (1.0 - confidence_level) / 2.0, (n - 1) as f64);
        t * sd / (n as f64).sqrt()
    };
    ConfidenceInterval {
        confidence_level,
        lower: mean - half_width,
        upper: mean + half_width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_student_t_not_1_96() {
        // ttest_1samp([1, 2, 3, 4, 5], 0).confidence_interval(0.95)
        //   = (1.0367568385224428, 4.963243161477557)
        let ci = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95).unwrap();
        assert!((ci.lower - 1.036_756_838_522_442_8).abs() < 1e-12);
        assert!((ci.upper - 4.963_243_161_477_557).abs() < 1e-12);
    }

    #[test]
    fn constant_sample_gives_degenerate_interval() {
        let ci = mean_ci(&[2.5, 2.5, 2.5], 0.95).unwrap();
        assert_eq!((ci.lower, ci.upper), (2.5, 2.5));
    }

    #[test]
    fn rejects_bad_level_and_short_input() {
        assert!(matches!(
            mean_ci(&[1.0, 2.0], 1.0),
            Err(StatsError::InvalidParameter {
                name: "confidence_level",
                ..
            })
        ));
        assert!(matches!(
            mean_ci(&[1.0], 0.95),
            Err(StatsError::TooFewSamples {
                needed: 2,
                got: 1,
                ..
            })
        ));
    }
}
