//! Welch's unequal-variances t-test of two independent samples, with the confidence
//! interval of the difference of means.
//!
//! With means `m_a`, `m_b`, sample variances `v_a`, `v_b` (divisor `n - 1`) and sizes
//! `n_a`, `n_b`:
//!
//! ```text
//! se = sqrt(v_a / n_a + v_b / n_b)
//! t  = (m_a - m_b) / se
//! df = se^4 / ((v_a / n_a)^2 / (n_a - 1) + (v_b / n_b)^2 / (n_b - 1))   (Welch-Satterthwaite)
//! p  = 2 P(T_df > |t|)
//! CI = (m_a - m_b) ± t_df(1 - α/2) se
//! ```
//!
//! This is `scipy.stats.ttest_ind(a, b, equal_var=False)` and its `confidence_interval()`.
//! If exactly one sample is constant its variance is 0 and the test still works (the other
//! sample carries all the uncertainty); if both are constant the test is undefined and
//! [`StatsError::ZeroVariance`] is returned.

use serde::{Deserialize, Serialize};

use super::ci::ConfidenceInterval;
use super::dist::{students_t_quantile, students_t_two_sided_p};
use super::error::StatsError;
use super::sample::{mean, validate, validate_open_unit, variance};

/// The result of Welch's t-test of `a` against `b` (latencies in milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WelchTest {
    /// The t statistic `(mean_a - mean_b) / se` (dimensionless); negative when `a` has the
    /// lower mean.
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom (not an integer in general).
    pub df: f64,
    /// Two-sided p-value `2 P(T_df > |t|)`.
    pub p_value: f64,
    /// `mean_a - mean_b`, ms.
    pub mean_difference_ms: f64,
    /// Standard error of the difference `sqrt(v_a / n_a + v_b / n_b)`, ms.
    pub standard_error_ms: f64,
    /// Welch confidence interval of `mean_a - mean_b`, ms.
    pub difference_ci_ms: ConfidenceInterval,
}

impl WelchTest {
    /// Runs Welch's t-test of `a` against `b` with a `confidence_level` interval of the
    /// difference of means.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] when a sample has fewer than 2 values,
    /// [`StatsError::NonFinite`], [`StatsError::OutOfRange`], [`StatsError::InvalidParameter`] for a level outside
    /// `(0, 1)`, and [`StatsError::ZeroVariance`] when both samples are constant.
    pub fn of(a: &[f64], b: &[f64], confidence_level: f64) -> Result<Self, StatsError> {
        validate("a", a, 2)?;
        validate("b", b, 2)?;
        validate_open_unit("confidence_level", confidence_level)?;
        let (ma, mb) = (mean(a), mean(b));
        Self::from_moments(
            (ma, variance(a, ma), a.len()),
            (mb, variance(b, mb), b.len()),
            confidence_level,
        )
    }

    /// [`WelchTest::of`] from each sample's mean, sample variance and size (at least 2
    /// each; validated by the caller), e.g. of two [`SortedSample`](super::SortedSample)s.
    ///
    /// # Errors
    ///
    /// [`StatsError::ZeroVariance`] when both variances are 0.
    pub(crate) fn from_moments(
        (ma, va, na): (f64, f64, usize),
        (mb, vb, nb): (f64, f64, usize),
        confidence_level: f64,
    ) -> Result<Self, StatsError> {
        let (na, nb) = (na as f64, nb as f64);
        let (wa, wb) = (va / na, vb / nb);
        let se2 = wa + wb;
        if se2 == 0.0 {
            return Err(StatsError::ZeroVariance {
                statistic: "Welch's t-test",
            });
        }
        let se = se2.sqrt();
        let diff = ma - mb;
        let t = diff / se;
        // Welch-Satterthwaite on variances scaled by the larger one, so that tiny (or huge)
        // variances cannot underflow (or overflow) when squared.
        let scale = wa.max(wb);
        let (ra, rb) = (wa / scale, wb / scale);
        let df = (ra + rb) * (ra + rb) / (ra * ra / (na - 1.0) + rb * rb / (nb - 1.0));
        let half_width = students_t_quantile(1.0 - (1.0 - confidence_level) / 2.0, df) * se;
        Ok(WelchTest {
            t,
            df,
            p_value: students_t_two_sided_p(t, df),
            mean_difference_ms: diff,
            standard_error_ms: se,
            difference_ci_ms: ConfidenceInterval {
                confidence_level,
                lower: diff - half_width,
                upper: diff + half_width,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy_on_a_small_case() {
        // ttest_ind([1, 2, 3, 4], [2, 4, 6, 8, 10], equal_var=False):
        // t = -2.2514363231593695, df = 5.520787746170677, p = 0.06913359319239237
        let w = WelchTest::of(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0, 8.0, 10.0], 0.95).unwrap();
        assert!((w.t + 2.251_436_323_159_369_5).abs() < 1e-12);
        assert!((w.df - 5.520_787_746_170_677).abs() < 1e-9);
        assert!((w.p_value - 0.069_133_593_192_392_37).abs() < 1e-9);
    }

    #[test]
    fn tiny_variances_do_not_underflow() {
        // Variances around 1e-300 square to 0 (underflow) without scaling.
        let w = WelchTest::of(&[0.0, 1e-150, 2e-150], &[0.0, 1e-150], 0.95).unwrap();
        // The same data scaled up by 1e150 give the same t and df.
        let v = WelchTest::of(&[0.0, 1.0, 2.0], &[0.0, 1.0], 0.95).unwrap();
        assert!(((w.t - v.t) / v.t).abs() < 1e-12, "t {} vs {}", w.t, v.t);
        assert!(
            ((w.df - v.df) / v.df).abs() < 1e-12,
            "df {} vs {}",
            w.df,
            v.df
        );
        assert_eq!(w.p_value, v.p_value);
    }

    #[test]
    fn one_constant_sample_is_fine_both_constant_is_an_error() {
        assert!(WelchTest::of(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], 0.95).is_ok());
        assert_eq!(
            WelchTest::of(&[1.0, 1.0], &[2.0, 2.0], 0.95),
            Err(StatsError::ZeroVariance {
                statistic: "Welch's t-test"
            })
        );
    }
}
