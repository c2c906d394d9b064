//! Why a set of load-generator settings was refused: [`SettingsError`].
//!
//! Every variant says what is wrong with which field and what to do about it; the settings form
//! of the page shows these messages as they are. Nothing here panics.

use std::fmt;

use super::scenario::Scenario;

/// A setting that cannot be run, found by [`TestSettings::validate`] or when a runner is
/// built.
///
/// Field names in the messages are the serde names of [`TestSettings`] (for example
/// `scenario.target_qps`), so a user can find them in a result file too.
///
/// [`TestSettings::validate`]: super::settings::TestSettings::validate
/// [`TestSettings`]: super::settings::TestSettings
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SettingsError {
    /// A rate (queries or samples per second) that is zero, negative, NaN or infinite.
    InvalidRate {
        /// The field, e.g. `scenario.target_qps`.
        field: &'static str,
        /// The value given.
        value: f64,
    },
    /// A rate above [`MAX_QPS`](super::settings::MAX_QPS).
    RateTooHigh {
        /// The field.
        field: &'static str,
        /// The value given.
        value: f64,
        /// The largest accepted value.
        limit: f64,
    },
    /// A size that must be at least 1 (batch size, samples per query) is 0.
    ZeroSize {
        /// The field.
        field: &'static str,
    },
    /// A size above its limit.
    SizeTooLarge {
        /// The field.
        field: &'static str,
        /// The value given.
        value: u64,
        /// The largest accepted value.
        limit: u64,
    },
    /// The performance sample set (the test split) has no samples.
    EmptySampleSet,
    /// The performance sample set is larger than
    /// [`MAX_SAMPLE_COUNT`](super::settings::MAX_SAMPLE_COUNT).
    SampleSetTooLarge {
        /// The number of samples given.
        sample_count: usize,
        /// The largest accepted number.
        limit: usize,
    },
    /// A percentile outside the open interval (0, 1), or NaN.
    PercentileOutOfRange {
        /// The value given.
        value: f64,
    },
    /// A latency bound that is not a positive, finite number of milliseconds, or is above
    /// [`MAX_LATENCY_BOUND_MS`](super::settings::MAX_LATENCY_BOUND_MS).
    InvalidLatencyBound {
        /// The value given, in milliseconds.
        value_ms: f64,
        /// The largest bound allowed, in milliseconds.
        max_ms: f64,
    },
    /// `min_duration_ms` is larger than a non-zero `max_duration_ms`.
    MinDurationAboveMax {
        /// The minimum duration given, in milliseconds.
        min_duration_ms: u64,
        /// The maximum duration given, in milliseconds.
        max_duration_ms: u64,
    },
    /// `min_query_count` is larger than a non-zero `max_query_count`.
    MinQueryCountAboveMax {
        /// The minimum query count given.
        min_query_count: u64,
        /// The maximum query count given.
        max_query_count: u64,
    },
    /// A query count above its limit.
    QueryCountTooLarge {
        /// The field.
        field: &'static str,
        /// The value given.
        value: u64,
        /// The largest accepted value.
        limit: u64,
    },
    /// A duration above [`MAX_DURATION_MS`](super::settings::MAX_DURATION_MS).
    DurationTooLong {
        /// The field.
        field: &'static str,
        /// The value given, in milliseconds.
        value_ms: u64,
        /// The largest accepted value, in milliseconds.
        limit_ms: u64,
    },
    /// The settings would make the load generator generate more queries (Server) or samples
    /// (Offline) than [`MAX_QUERY_COUNT`](super::settings::MAX_QUERY_COUNT).
    TooManyGeneratedQueries {
        /// The scenario.
        scenario: Scenario,
        /// How many the settings ask for.
        expected: f64,
        /// The largest accepted number.
        limit: u64,
    },
    /// Accuracy mode needs the label of every sample, and none were given.
    MissingLabels {
        /// The number of samples in the set.
        sample_count: usize,
    },
    /// The number of labels is not the number of samples.
    LabelCountMismatch {
        /// How many labels were given.
        labels: usize,
        /// How many samples the set has.
        samples: usize,
    },
    /// The peak-performance search only applies to the Server scenario.
    PeakSearchNeedsServer {
        /// The scenario given.
        scenario: Scenario,
    },
    /// The peak-performance search was given a precision or step it cannot use.
    InvalidPeakSearch {
        /// What is wrong.
        problem: &'static str,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRate { field, value } => write!(
                f,
                "{field} is {value}: it must be a positive, finite number per second; \
                 set it to the rate to offer (for example 100)"
            ),
            Self::RateTooHigh {
                field,
                value,
                limit,
            } => write!(
                f,
                "{field} is {value}, above the limit of {limit} per second; \
                 choose a rate the system can plausibly reach"
            ),
            Self::ZeroSize { field } => {
                write!(
                    f,
                    "{field} is 0: it must be at least 1; set it to 1 or more"
                )
            }
            Self::SizeTooLarge {
                field,
                value,
                limit,
            } => write!(
                f,
                "{field} is {value}, above the limit of {limit}; choose a smaller value"
            ),
            Self::EmptySampleSet => write!(
                f,
                "the sample set is empty: load the data set (its test split) before running"
            ),
            Self::SampleSetTooLarge {
                sample_count,
                limit,
            } => write!(
                f,
                "the sample set has {sample_count} samples, above the limit of {limit}; \
                 use a smaller performance sample set"
            ),
            Self::PercentileOutOfRange { value } => write!(
                f,
                "target_percentile is {value}: it must lie strictly between 0 and 1 \
                 (for example 0.9 for the 90th percentile)"
            ),
            Self::InvalidLatencyBound { value_ms, max_ms } => write!(
                f,
                "scenario.latency_bound_ms is {value_ms}: it must be a positive, finite number \
                 of milliseconds no larger than {max_ms} (MLPerf's default is 10)"
            ),
            Self::MinDurationAboveMax {
                min_duration_ms,
                max_duration_ms,
            } => write!(
                f,
                "min_duration_ms ({min_duration_ms}) is larger than max_duration_ms \
                 ({max_duration_ms}): raise max_duration_ms, lower min_duration_ms, \
                 or set max_duration_ms to 0 for no limit"
            ),
            Self::MinQueryCountAboveMax {
                min_query_count,
                max_query_count,
            } => write!(
                f,
                "min_query_count ({min_query_count}) is larger than max_query_count \
                 ({max_query_count}): raise max_query_count, lower min_query_count, \
                 or set max_query_count to 0 for no limit"
            ),
            Self::QueryCountTooLarge {
                field,
                value,
                limit,
            } => write!(
                f,
                "{field} is {value}, above the limit of {limit}; choose a smaller count"
            ),
            Self::DurationTooLong {
                field,
                value_ms,
                limit_ms,
            } => write!(
                f,
                "{field} is {value_ms} ms, above the limit of {limit_ms} ms; \
                 choose a shorter duration"
            ),
            Self::TooManyGeneratedQueries {
                scenario,
                expected,
                limit,
            } => write!(
                f,
                "these {scenario} settings would generate about {expected:.0} queries or \
                 samples, above the limit of {limit}; lower the rate or the minimum duration"
            ),
            Self::MissingLabels { sample_count } => write!(
                f,
                "accuracy mode needs the label of each of the {sample_count} samples; \
                 pass the labels of the test split"
            ),
            Self::LabelCountMismatch { labels, samples } => write!(
                f,
                "{labels} labels were given for {samples} samples: pass exactly one label \
                 per sample of the test split"
            ),
            Self::PeakSearchNeedsServer { scenario } => write!(
                f,
                "the peak-performance search runs the Server scenario, not {scenario}; \
                 start it from Server settings"
            ),
            Self::InvalidPeakSearch { problem } => {
                write!(f, "peak-performance search settings: {problem}")
            }
        }
    }
}

impl std::error::Error for SettingsError {}
