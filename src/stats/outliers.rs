//! Tukey's fences: counting (never removing) outlying latencies.
//!
//! ```text
//!   severe low | mild low |        not outliers         | mild high | severe high
//! -------------+----------+-----------------------------+-----------+-------------
//!          Q1 - 3 IQR  Q1 - 1.5 IQR              Q3 + 1.5 IQR   Q3 + 3 IQR
//! ```
//!
//! The quartiles `Q1`, `Q3` are numpy's default (`np.percentile(x, [25, 75])`, linear
//! interpolation, see [`crate::stats::sample::quantile_linear`]) and `IQR = Q3 - Q1`. A value
//! is an outlier only if it lies strictly *beyond* a fence; a value beyond the 3 IQR fence
//! is severe (and counted only as severe, not also as mild). Outliers are reported, as
//! criterion does, but stay in every other statistic: on a shared machine they are part of
//! what a user experiences.

use serde::{Deserialize, Serialize};

use super::error::StatsError;
use super::sample::{quantile_linear, sorted_copy, validate};

/// Tukey outlier counts of one sample, with the fences used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TukeyOutliers {
    /// First quartile (numpy linear interpolation), in the unit of the data.
    pub q1: f64,
    /// Third quartile (numpy linear interpolation), in the unit of the data.
    pub q3: f64,
    /// Interquartile range `q3 - q1`.
    pub iqr: f64,
    /// `q1 - 3 IQR`: values strictly below are severe low outliers.
    pub severe_low_fence: f64,
    /// `q1 - 1.5 IQR`: values strictly below (and not severe) are mild low outliers.
    pub mild_low_fence: f64,
    /// `q3 + 1.5 IQR`: values strictly above (and not severe) are mild high outliers.
    pub mild_high_fence: f64,
    /// `q3 + 3 IQR`: values strictly above are severe high outliers.
    pub severe_high_fence: f64,
    /// Number of values in `[q1 - 3 IQR, q1 - 1.5 IQR)`.
    pub low_mild: usize,
    /// Number of values below `q1 - 3 IQR`.
    pub low_severe: usize,
    /// Number of values in `(q3 + 1.5 IQR, q3 + 3 IQR]`.
    pub high_mild: usize,
    /// Number of values above `q3 + 3 IQR`.
    pub high_severe: usize,
}

impl TukeyOutliers {
    /// Classifies `values` (need not be sorted) by Tukey's fences.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] for an empty sample, [`StatsError::NonFinite`], [`StatsError::OutOfRange`].
    pub fn of(values: &[f64]) -> Result<Self, StatsError> {
        validate("sample", values, 1)?;
        Ok(Self::of_sorted(&sorted_copy(values)))
    }

    /// [`TukeyOutliers::of`] on sorted, validated, non-empty values.
    pub(crate) fn of_sorted(sorted: &[f64]) -> Self {
        // Non-empty and q in [0, 1]: both quantiles exist.
        let q1 = quantile_linear(sorted, 0.25).unwrap_or(f64::NAN);
        let q3 = quantile_linear(sorted, 0.75).unwrap_or(f64::NAN);
        let iqr = q3 - q1;
        let mut out = TukeyOutliers {
            q1,
            q3,
            iqr,
            severe_low_fence: q1 - 3.0 * iqr,
            mild_low_fence: q1 - 1.5 * iqr,
            mild_high_fence: q3 + 1.5 * iqr,
            severe_high_fence: q3 + 3.0 * iqr,
            low_mild: 0,
            low_severe: 0,
            high_mild: 0,
            high_severe: 0,
        };
        for &v in sorted {
            if v < out.severe_low_fence {
                out.low_severe += 1;
            } else if v < out.mild_low_fence {
                out.low_mild += 1;
            } else if v > out.severe_high_fence {
                out.high_severe += 1;
            } else if v > out.mild_high_fence {
                out.high_mild += 1;
            }
        }
        out
    }

    /// Total number of outliers of any kind.
    pub fn total(&self) -> usize {
        self.low_mild + self.low_severe + self.high_mild + self.high_severe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_strict_fences() {
        // x = 1..=16 plus 30, 45, -12, -40. numpy: np.percentile(x, [25, 75]) = [3.75, 13.25],
        // IQR 9.5, fences -24.75 / -10.5 / 27.5 / 41.75.
        let mut x: Vec<f64> = (1..=16).map(f64::from).collect();
        x.extend([30.0, 45.0, -12.0, -40.0]);
        let t = TukeyOutliers::of(&x).unwrap();
        assert_eq!((t.q1, t.q3, t.iqr), (3.75, 13.25, 9.5));
        assert_eq!(
            (
                t.severe_low_fence,
                t.mild_low_fence,
                t.mild_high_fence,
                t.severe_high_fence
            ),
            (-24.75, -10.5, 27.5, 41.75)
        );
        assert_eq!(
            (t.low_mild, t.low_severe, t.high_mild, t.high_severe),
            (1, 1, 1, 1)
        );
        assert_eq!(t.total(), 4);
    }

    #[test]
    fn value_on_a_fence_is_not_an_outlier() {
        // 0, 0, 0, 0, 1, 1, 1, 1, v: Q1 = 0, Q3 = 1 (numpy), mild high fence 2.5, severe 4.
        let with = |v: f64| {
            let mut x = vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
            x.push(v);
            TukeyOutliers::of(&x).unwrap()
        };
        assert_eq!((with(2.5).mild_high_fence, with(2.5).high_mild), (2.5, 0));
        assert_eq!(with(2.75).high_mild, 1);
        assert_eq!((with(4.0).high_mild, with(4.0).high_severe), (1, 0));
        assert_eq!((with(4.5).high_mild, with(4.5).high_severe), (0, 1));
    }

    #[test]
    fn constant_sample_has_no_outliers() {
        let t = TukeyOutliers::of(&[5.0; 8]).unwrap();
        assert_eq!((t.iqr, t.total()), (0.0, 0));
    }
}
