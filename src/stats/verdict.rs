//! The verdict of a comparison, and the sentence that states it, built only from numbers.
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
//!
//! **Sentences** (the test is always named; p is "p < 0.001" or "p = 0.012"):
//!
//! - "f32-fast is 1.82x faster than f32-naive (95% CI 1.74x-1.90x, p < 0.001, Welch)"
//! - "int8 is 1.25x slower than f32-naive (95% CI 1.20x-1.31x, p = 0.002, Welch)"
//! - "pruned is within noise of f32-naive: the difference is significant (p = 0.012, Welch)
//!   but the speedup 1.004x (95% CI 0.998x-1.010x) does not clear the 1% noise threshold"
//! - "No significant difference between pruned and f32-naive (speedup 1.013x, 95% CI
//!   0.971x-1.055x, p = 0.410, Welch)"
//!
//! Ratios get two decimals (three in the last two forms), more when needed to keep the
//! estimate and its bounds distinguishable. A speedup of medians adds "in median latency";
//! a Holm-adjusted p adds "Holm-adjusted for 3 comparisons" after the test's name.

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

    /// The verdict as one sentence, naming the two sides. Every number in it comes from
    /// this verdict.
    pub fn sentence(&self, baseline_name: &str, candidate_name: &str) -> String {
        let s = self.inputs.speedup;
        let level = format_percent(s.ci.confidence_level);
        let p = format_p_value_at(self.p_value, self.inputs.alpha);
        let test = match self.holm_family_size {
            Some(m) => format!(
                "{}, Holm-adjusted for {m} comparison{}",
                self.inputs.test.name(),
                if m == 1 { "" } else { "s" }
            ),
            None => self.inputs.test.name().to_string(),
        };
        let of = match self.inputs.ratio_of {
            RatioOf::Means => "",
            RatioOf::Medians => " in median latency",
        };
        match self.kind {
            VerdictKind::Faster => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 2);
                format!(
                    "{candidate_name} is {x}x faster than {baseline_name}{of} \
                     ({level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
            VerdictKind::Slower => {
                let [x, lo, hi] =
                    format_ratios([1.0 / s.point, 1.0 / s.ci.upper, 1.0 / s.ci.lower], 2);
                format!(
                    "{candidate_name} is {x}x slower than {baseline_name}{of} \
                     ({level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
            VerdictKind::WithinNoise => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 3);
                format!(
                    "{candidate_name} is within noise of {baseline_name}{of}: the difference \
                     is significant ({p}, {test}) but the speedup {x}x ({level} CI \
                     {lo}x-{hi}x) does not clear the {} noise threshold",
                    format_percent(self.inputs.noise_threshold)
                )
            }
            VerdictKind::NoSignificantDifference => {
                let [x, lo, hi] = format_ratios([s.point, s.ci.lower, s.ci.upper], 3);
                format!(
                    "No significant difference between {candidate_name} and \
                     {baseline_name}{of} (speedup {x}x, {level} CI {lo}x-{hi}x, {p}, {test})"
                )
            }
        }
    }
}

/// A ratio, its lower and its upper bound, printed with `min_decimals` decimals, or more
/// (up to 4) when fewer would print two of the three as the same number.
fn format_ratios(values: [f64; 3], min_decimals: usize) -> [String; 3] {
    let print = |d: usize| values.map(|v| format!("{v:.d$}"));
    (min_decimals..4)
        .map(print)
        .find(|[x, lo, hi]| x != lo && x != hi && lo != hi)
        .unwrap_or_else(|| print(4))
}

/// A p-value as the reports print it: `"p < 0.001"`, else `"p = 0.012"` (three decimals).
pub fn format_p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// As [`format_p_value`], but with more decimals (up to six) when three would put the
/// printed value on the other side of `alpha` than the real one (0.0496 at α = 0.05 prints
/// "p = 0.0496", not "p = 0.050").
pub fn format_p_value_at(p: f64, alpha: f64) -> String {
    if p < 0.001 {
        return format_p_value(p);
    }
    for decimals in 3..=6 {
        let text = format!("{p:.decimals$}");
        let shown: f64 = text.parse().unwrap_or(p);
        if (shown < alpha) == (p < alpha) {
            return format!("p = {text}");
        }
    }
    format!("p = {p:.6}")
}

/// A fraction as a percentage with at most one decimal: 0.95 -> "95%", 0.995 -> "99.5%".
pub fn format_percent(fraction: f64) -> String {
    let text = format!("{:.1}", fraction * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::ci::ConfidenceInterval;

    fn inputs(point: f64, lower: f64, upper: f64, p_value: f64) -> VerdictInputs {
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

    #[test]
    fn faster_sentence_reads_like_the_spec() {
        let v = Verdict::decide(inputs(1.82, 1.74, 1.90, 1e-9)).unwrap();
        assert_eq!(v.kind, VerdictKind::Faster);
        assert_eq!(
            v.sentence("f32-naive", "f32-fast"),
            "f32-fast is 1.82x faster than f32-naive (95% CI 1.74x-1.90x, p < 0.001, Welch)"
        );
    }

    #[test]
    fn slower_sentence_inverts_the_ratio() {
        let v = Verdict::decide(inputs(0.8, 0.75, 0.85, 0.012)).unwrap();
        assert_eq!(v.kind, VerdictKind::Slower);
        assert_eq!(
            v.sentence("f32-naive", "int8"),
            "int8 is 1.25x slower than f32-naive (95% CI 1.18x-1.33x, p = 0.012, Welch)"
        );
    }

    #[test]
    fn within_noise_and_not_significant() {
        let v = Verdict::decide(inputs(1.004, 0.998, 1.010, 0.012)).unwrap();
        assert_eq!(v.kind, VerdictKind::WithinNoise);
        assert_eq!(
            v.sentence("a", "b"),
            "b is within noise of a: the difference is significant (p = 0.012, Welch) but \
             the speedup 1.004x (95% CI 0.998x-1.010x) does not clear the 1% noise threshold"
        );
        let v = Verdict::decide(inputs(1.013, 0.971, 1.055, 0.41)).unwrap();
        assert_eq!(v.kind, VerdictKind::NoSignificantDifference);
        assert_eq!(
            v.sentence("a", "b"),
            "No significant difference between b and a (speedup 1.013x, 95% CI \
             0.971x-1.055x, p = 0.410, Welch)"
        );
    }

    #[test]
    fn ratios_get_the_decimals_they_need() {
        let v = Verdict::decide(inputs(1.0126, 1.0112, 1.0138, 1e-6)).unwrap();
        assert_eq!(
            v.sentence("a", "b"),
            "b is 1.013x faster than a (95% CI 1.011x-1.014x, p < 0.001, Welch)"
        );
        assert_eq!(
            format_ratios([1.0, 1.0, 1.0], 2),
            ["1.0000", "1.0000", "1.0000"]
        );
    }

    #[test]
    fn threshold_is_symmetric_on_the_ratio_scale() {
        // 1 / 1.01 = 0.990099...: an upper bound of 0.9902 is not beyond it.
        let v = Verdict::decide(inputs(0.98, 0.97, 0.9902, 0.001)).unwrap();
        assert_eq!(v.kind, VerdictKind::WithinNoise);
        let v = Verdict::decide(inputs(0.98, 0.97, 0.9900, 0.001)).unwrap();
        assert_eq!(v.kind, VerdictKind::Slower);
    }

    #[test]
    fn holm_and_medians_are_stated() {
        let mut i = inputs(1.82, 1.74, 1.90, 0.004);
        i.ratio_of = RatioOf::Medians;
        i.test = QuotedTest::MannWhitney;
        let v = Verdict::decide_adjusted(i, 0.012, Some(3)).unwrap();
        assert_eq!(
            v.sentence("f32-naive", "f32-fast"),
            "f32-fast is 1.82x faster than f32-naive in median latency (95% CI 1.74x-1.90x, \
             p = 0.012, Mann-Whitney, Holm-adjusted for 3 comparisons)"
        );
        // The adjusted p decides: 0.06 is not significant even though 0.004 was.
        let v = Verdict::decide_adjusted(i, 0.06, Some(3)).unwrap();
        assert_eq!(v.kind, VerdictKind::NoSignificantDifference);
    }

    #[test]
    fn formats_p_values() {
        assert_eq!(format_p_value(0.0004), "p < 0.001");
        assert_eq!(format_p_value(0.0123), "p = 0.012");
        assert_eq!(format_p_value_at(0.0496, 0.05), "p = 0.0496");
        assert_eq!(format_p_value_at(0.05, 0.05), "p = 0.050");
        assert_eq!(format_percent(0.995), "99.5%");
        assert_eq!(format_percent(0.01), "1%");
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
