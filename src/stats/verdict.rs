//! The verdict of a comparison, built only from numbers (its sentence is the report's:
//! [`crate::report::verdict_text`]).
//!
//! **Rule.** With the quoted test's p-value `p` (Holm-adjusted when the comparison is one
//! of a family), the significance level `α` and the noise threshold `θ` (default 1%, as in
//! criterion), and the speedup's confidence interval `[lo, hi]` (speedup =
//! baseline / candidate latency, `> 1` = candidate faster):
//!
//! | condition                              | verdict                     |
//! |----------------------------------------|-----------------------------|
//! | `p < α` and `lo > 1 + θ`               | [`VerdictKind::Faster`]     |
//! | `p < α` and `hi < 1 / (1 + θ)`         | [`VerdictKind::Slower`]     |
//! | `p < α` otherwise                      | [`VerdictKind::WithinNoise`] |
//! | `p >= α`                               | [`VerdictKind::NoSignificantDifference`] |
//!
//! The threshold is symmetric on the ratio scale (`1.01` and `1 / 1.01`), so exchanging
//! baseline and candidate exchanges "faster" and "slower".

use serde::{Deserialize, Serialize};

use super::bootstrap::RatioEstimate;
use super::error::StatsError;
use super::sample::validate_open_unit;

/// The noise threshold used when none is given: 1% (criterion's default).
pub const DEFAULT_NOISE_THRESHOLD: f64 = 0.01;

/// The significance level used when none is given: 0.05.
pub const DEFAULT_ALPHA: f64 = 0.05;

/// What the comparison concluded about the candidate relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum VerdictKind {
    /// Significant, and the speedup interval lies entirely above `1 + threshold`.
    Faster,
    /// Significant, and the speedup interval lies entirely below `1 / (1 + threshold)`.
    Slower,
    /// Significant, but the speedup interval does not clear the noise threshold.
    WithinNoise,
    /// Not significant at the chosen level.
    NoSignificantDifference,
}

/// The test whose p-value the verdict quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum QuotedTest {
    /// Welch's t-test (difference of means).
    Welch,
    /// The Mann-Whitney U test (rank-based).
    MannWhitney,
}

impl QuotedTest {
    /// The test's name as it appears in sentences: "Welch" or "Mann-Whitney".
    pub fn name(&self) -> &'static str {
        match self {
            QuotedTest::Welch => "Welch",
            QuotedTest::MannWhitney => "Mann-Whitney",
        }
    }
}

/// Which speedup ratio the verdict uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RatioOf {
    /// `mean(baseline) / mean(candidate)`.
    Means,
    /// `median(baseline) / median(candidate)`.
    Medians,
}

/// The numbers a verdict is decided from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerdictInputs {
    /// The speedup (baseline / candidate) and its confidence interval.
    pub speedup: RatioEstimate,
    /// Whether `speedup` is of means or of medians.
    pub ratio_of: RatioOf,
    /// The test whose p-value is quoted.
    pub test: QuotedTest,
    /// That test's p-value, before any multiple-comparison adjustment.
    pub p_value: f64,
    /// Significance level `α`, in `(0, 1)`.
    pub alpha: f64,
    /// Noise threshold `θ` as a fraction (`0.01` = 1%), `>= 0`.
    pub noise_threshold: f64,
}

/// The verdict of one comparison, with everything needed to restate it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The conclusion.
    pub kind: VerdictKind,
    /// The inputs it was decided from (the unadjusted p-value among them).
    pub inputs: VerdictInputs,
    /// The p-value the decision used and the sentence quotes: the Holm-adjusted one when
    /// `holm_family_size` is set, else `inputs.p_value`.
    pub p_value: f64,
    /// The size of the family the p-value was Holm-adjusted over, if it was.
    pub holm_family_size: Option<usize>,
}

impl Verdict {
    /// Decides the verdict of a single comparison (no multiple-comparison adjustment).
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidParameter`] for `α` outside `(0, 1)`, a negative or non-finite
    /// noise threshold, or a p-value outside `[0, 1]`.
    pub fn decide(inputs: VerdictInputs) -> Result<Self, StatsError> {
        Self::decide_adjusted(inputs, inputs.p_value, None)
    }

    /// Decides the verdict using `p_value` (e.g. Holm-adjusted over a family of
    /// `family_size` comparisons) in place of `inputs.p_value`.
    ///
    /// # Errors
    ///
    /// As [`Verdict::decide`].
    pub fn decide_adjusted(
        inputs: VerdictInputs,
        p_value: f64,
        holm_family_size: Option<usize>,
    ) -> Result<Self, StatsError> {
        validate_open_unit("alpha", inputs.alpha)?;
        if !(inputs.noise_threshold >= 0.0 && inputs.noise_threshold.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name: "noise_threshold",
                value: inputs.noise_threshold,
                expected: "a finite fraction >= 0 (0.01 means 1%)",
            });
        }
        for p in [inputs.p_value, p_value] {
            if !(0.0..=1.0).contains(&p) {
                return Err(StatsError::InvalidParameter {
                    name: "p_value",
                    value: p,
                    expected: "between 0 and 1",
                });
            }
        }
        let ci = inputs.speedup.ci;
        let kind = if p_value >= inputs.alpha {
            VerdictKind::NoSignificantDifference
        } else if ci.lower > 1.0 + inputs.noise_threshold {
            VerdictKind::Faster
        } else if ci.upper < 1.0 / (1.0 + inputs.noise_threshold) {
            VerdictKind::Slower
        } else {
            VerdictKind::WithinNoise
        };
        Ok(Verdict {
            kind,
            inputs,
            p_value,
            holm_family_size,
        })
    }
}

/// Inputs for the tests of the verdict and of its sentence.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::stats::ci::ConfidenceInterval;

    /// Verdict inputs of a Welch comparison of means at α = 0.05 and a 1% threshold.
    pub(crate) fn inputs(point: f64, lower: f64, upper: f64, p_value: f64) -> VerdictInputs {
        VerdictInputs {
            speedup: RatioEstimate {
                point,
                ci: ConfidenceInterval {
                    confidence_level: 0.95,
                    lower,
                    upper,
                },
            },
            ratio_of: RatioOf::Means,
            test: QuotedTest::Welch,
            p_value,
            alpha: 0.05,
            noise_threshold: 0.01,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::inputs;
    use super::*;

    #[test]
    fn threshold_is_symmetric_on_the_ratio_scale() {
        // 1 / 1.01 = 0.990099...: an upper bound of 0.9902 is not beyond it.
        let v = Verdict::decide(inputs(0.98, 0.97, 0.9902, 0.001)).unwrap();
        assert_eq!(v.kind, VerdictKind::WithinNoise);
        let v = Verdict::decide(inputs(0.98, 0.97, 0.9900, 0.001)).unwrap();
        assert_eq!(v.kind, VerdictKind::Slower);
    }

    #[test]
    fn rejects_bad_parameters() {
        let mut i = inputs(1.0, 0.9, 1.1, 0.5);
        i.alpha = 0.0;
        assert!(Verdict::decide(i).is_err());
        let mut i = inputs(1.0, 0.9, 1.1, 0.5);
        i.noise_threshold = -0.01;
        assert!(Verdict::decide(i).is_err());
        assert!(Verdict::decide(inputs(1.0, 0.9, 1.1, 1.5)).is_err());
    }
}
