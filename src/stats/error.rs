//! The one error type of the statistics module, [`StatsError`].
//!
//! Every function in [`crate::stats`] that takes user data (latencies, accuracies, sizes,
//! settings) validates it and returns one of these instead of panicking or producing NaN.
//! Each message says what was wrong *and* what to do about it, because it ends up in front of
//! a student in the page or the command-line tool.

use std::fmt;

/// Why a statistic could not be computed.
///
/// The `sample` fields name the input the problem was found in (`"sample"`, `"baseline"`,
/// `"candidate"`, `"a"`, `"b"`, `"points"`), so that a message can point at it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StatsError {
    /// The input has fewer values than the statistic needs (for example a standard
    /// deviation needs 2, a rank correlation 3).
    TooFewSamples {
        /// Which input was too short.
        sample: &'static str,
        /// How many values the statistic needs at least.
        needed: usize,
        /// How many values were given.
        got: usize,
    },
    /// A value is NaN or infinite.
    NonFinite {
        /// Which input holds the value.
        sample: &'static str,
        /// Zero-based position of the first offending value.
        index: usize,
    },
    /// A finite value is too large in magnitude (or, where a ratio is formed, too close to
    /// zero) for the arithmetic to stay exact and finite; no real latency comes near these
    /// bounds, so this usually means a wrong unit or a corrupted file.
    OutOfRange {
        /// Which input holds the value.
        sample: &'static str,
        /// Zero-based position of the first offending value.
        index: usize,
        /// The offending value.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// A value that must be strictly positive (a latency in a ratio, a size in bytes) is zero
    /// or negative.
    NonPositive {
        /// Which input holds the value.
        sample: &'static str,
        /// Zero-based position of the first offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Every value is identical, so the statistic (a t statistic, a correlation) is undefined:
    /// there is no variability to scale by.
    ZeroVariance {
        /// What could not be computed, e.g. `"Welch's t-test"`.
        statistic: &'static str,
    },
    /// A parameter (confidence level, percentile, threshold, ...) is outside its valid range.
    InvalidParameter {
        /// The parameter's name as it appears in the API, e.g. `"confidence_level"`.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range, in words, e.g. `"strictly between 0 and 1"`.
        expected: &'static str,
    },
    /// The sample is too small for a distribution-free (order-statistic) confidence interval
    /// of this percentile at this confidence level: one of the two order statistics needed
    /// would lie outside the sample.
    TooFewSamplesForPercentileCi {
        /// The percentile as a fraction, e.g. `0.99`.
        percentile: f64,
        /// The confidence level, e.g. `0.95`.
        confidence_level: f64,
        /// The smallest sample size for which the interval exists.
        needed: usize,
        /// The sample size given.
        got: usize,
    },
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatsError::TooFewSamples {
                sample,
                needed,
                got,
            } => write!(
                f,
                "the {sample} has {got} value(s) but at least {needed} are needed: \
                 run more queries"
            ),
            StatsError::NonFinite { sample, index } => write!(
                f,
                "the {sample} holds a NaN or infinite value at position {index}: \
                 remove it or re-run the measurement"
            ),
            StatsError::OutOfRange {
                sample,
                index,
                value,
                expected,
            } => write!(
                f,
                "the {sample} holds {value:e} at position {index}, but values must be \
                 {expected}: check the unit of the values or the file they came from"
            ),
            StatsError::NonPositive {
                sample,
                index,
                value,
            } => write!(
                f,
                "the {sample} holds {value} at position {index}, but only values > 0 can form \
                 a ratio: a zero latency means the timer is too coarse for this workload \
                 (use more work per query or a finer timer)"
            ),
            StatsError::ZeroVariance { statistic } => write!(
                f,
                "{statistic} is undefined because every value is identical: the timer is \
                 probably too coarse for this workload (use more work per query or a finer \
                 timer)"
            ),
            StatsError::InvalidParameter {
                name,
                value,
                expected,
            } => write!(f, "{name} = {value} is invalid: it must be {expected}"),
            StatsError::TooFewSamplesForPercentileCi {
                percentile,
                confidence_level,
                needed,
                got,
            } => write!(
                f,
                "a {:.1}% confidence interval of the {} percentile needs at least {needed} \
                 values but the sample has {got}: run more queries",
                confidence_level * 100.0,
                percentile_label(*percentile)
            ),
        }
    }
}

impl std::error::Error for StatsError {}

/// The conventional short name of a percentile given as a fraction: `0.9` is `"p90"`,
/// `0.999` is `"p99.9"`.
pub fn percentile_label(percentile: f64) -> String {
    let pct = percentile * 100.0;
    // Up to three decimals, trailing zeros removed: 99.9 -> "99.9", 90 -> "90".
    let text = format!("{pct:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("p{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_percentiles_conventionally() {
        assert_eq!(percentile_label(0.5), "p50");
        assert_eq!(percentile_label(0.9), "p90");
        assert_eq!(percentile_label(0.999), "p99.9");
        assert_eq!(percentile_label(0.97), "p97");
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = StatsError::TooFewSamples {
            sample: "baseline",
            needed: 2,
            got: 1,
        };
        assert_eq!(
            e.to_string(),
            "the baseline has 1 value(s) but at least 2 are needed: run more queries"
        );
        let e = StatsError::TooFewSamplesForPercentileCi {
            percentile: 0.99,
            confidence_level: 0.95,
            needed: 368,
            got: 100,
        };
        assert_eq!(
            e.to_string(),
            "a 95.0% confidence interval of the p99 percentile needs at least 368 values but \
             the sample has 100: run more queries"
        );
    }
}
