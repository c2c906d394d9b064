//! The keys of LoadGen's configuration files and what InferBench does with each
//! ([`Key::of`]), with LoadGen's units and value types.
//!
//! Source: `loadgen/test_settings_internal.cc`, `TestSettings::FromConfig` (LoadGen 6.0.17,
//! `mlcommons/inference` @ b66003e1): every key it reads, the scenario it reads it for, and
//! the multiplier it applies (`target_latency` in ms, `target_latency_percentile` in
//! percent).

use crate::loadgen::settings::Scenario;

/// A key InferBench applies to its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Setting {
    /// `min_duration`, in ms: `min_duration_ms`.
    MinDuration,
    /// `max_duration`, in ms (0: none): `max_duration_ms`.
    MaxDuration,
    /// `min_query_count` (Offline: samples).
    MinQueryCount,
    /// `max_query_count` (0: none).
    MaxQueryCount,
    /// `target_latency_percentile`, in percent (SingleStream, MultiStream, Server):
    /// `target_percentile` / 100.
    TargetLatencyPercentile,
    /// `samples_per_query` (MultiStream).
    SamplesPerQuery,
    /// `target_latency`, in whole ms (Server): the latency bound. (SingleStream and
    /// MultiStream read it as an expected latency, which has no effect here.)
    TargetLatency,
    /// `target_qps`: Server's target QPS, Offline's expected QPS.
    TargetQps,
    /// `sample_index_rng_seed`.
    SampleIndexRngSeed,
    /// `schedule_rng_seed`.
    ScheduleRngSeed,
    /// `performance_sample_count_override` (0: the whole performance sample set).
    PerformanceSampleCountOverride,
}

impl Setting {
    /// Every applied key, in the order the effective settings are listed.
    pub const ALL: [Setting; 11] = [
        Setting::MinDuration,
        Setting::MaxDuration,
        Setting::MinQueryCount,
        Setting::MaxQueryCount,
        Setting::TargetLatencyPercentile,
        Setting::SamplesPerQuery,
        Setting::TargetLatency,
        Setting::TargetQps,
        Setting::SampleIndexRngSeed,
        Setting::ScheduleRngSeed,
        Setting::PerformanceSampleCountOverride,
    ];

    /// LoadGen's key.
    pub fn key(self) -> &'static str {
        match self {
            Setting::MinDuration => "min_duration",
            Setting::MaxDuration => "max_duration",
            Setting::MinQueryCount => "min_query_count",
            Setting::MaxQueryCount => "max_query_count",
            Setting::TargetLatencyPercentile => "target_latency_percentile",
            Setting::SamplesPerQuery => "samples_per_query",
            Setting::TargetLatency => "target_latency",
            Setting::TargetQps => "target_qps",
            Setting::SampleIndexRngSeed => "sample_index_rng_seed",
            Setting::ScheduleRngSeed => "schedule_rng_seed",
            Setting::PerformanceSampleCountOverride => "performance_sample_count_override",
        }
    }

    /// The value's type as LoadGen reads it.
    pub fn value_kind(self, scenario: Option<Scenario>) -> ValueKind {
        match self {
            Setting::TargetLatencyPercentile | Setting::TargetQps => ValueKind::Real,
            // LoadGen reads the Server bound as whole ms (strtoull), the expected latencies of
            // SingleStream and MultiStream as real ms (strtod).
            Setting::TargetLatency => match scenario {
                Some(Scenario::SingleStream | Scenario::MultiStream | Scenario::Offline) => {
                    ValueKind::Real
                }
                Some(Scenario::Server) | None => ValueKind::Whole,
            },
            _ => ValueKind::Whole,
        }
    }

    /// Whether LoadGen reads this key for `scenario`; if not, why (a line for that scenario
    /// then has no effect, as in LoadGen).
    pub fn unread_for(self, scenario: Scenario) -> Option<&'static str> {
        match (self, scenario) {
            (Setting::TargetLatencyPercentile, Scenario::Offline) => {
                Some("LoadGen reads no latency percentile for Offline (its metric is a throughput)")
            }
            (Setting::SamplesPerQuery, s) if s != Scenario::MultiStream => {
                Some("LoadGen reads samples_per_query for MultiStream only")
            }
            (Setting::TargetLatency, Scenario::Offline) => {
                Some("LoadGen reads no target_latency for Offline")
            }
            (Setting::TargetLatency, Scenario::SingleStream | Scenario::MultiStream) => Some(
                "SingleStream and MultiStream read target_latency as an expected latency, which \
                 LoadGen uses only to pre-generate enough queries; InferBench draws queries as \
                 it goes, so it has no effect here",
            ),
            (Setting::TargetQps, Scenario::SingleStream | Scenario::MultiStream) => {
                Some("LoadGen reads target_qps for Server and Offline only")
            }
            _ => None,
        }
    }
}

/// How LoadGen reads a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number (`strtoull`): a fraction would be truncated, so it is refused.
    Whole,
    /// A real number (`strtod`).
    Real,
}

/// Which values of a key InferBench does not apply it accepts (as having no effect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Any value: the key has no effect here, for the reason given.
    Any {
        /// Why it has no effect.
        no_effect: &'static str,
    },
    /// Only `value` (LoadGen's "off", or what InferBench does anyway); any other value is
    /// refused.
    Only {
        /// The value accepted.
        value: u64,
        /// Why it has no effect.
        no_effect: &'static str,
        /// Why another value is refused.
        refused: &'static str,
    },
    /// No value: InferBench cannot do what the key asks.
    Never {
        /// Why.
        refused: &'static str,
    },
}

/// A key LoadGen reads (or that its own `mlperf.conf` holds) and InferBench does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherKey {
    /// LoadGen's key.
    pub key: &'static str,
    /// Which values are accepted.
    pub acceptance: Acceptance,
}

const fn any(key: &'static str, no_effect: &'static str) -> OtherKey {
    OtherKey {
        key,
        acceptance: Acceptance::Any { no_effect },
    }
}

const fn off_only(key: &'static str, no_effect: &'static str, refused: &'static str) -> OtherKey {
    OtherKey {
        key,
        acceptance: Acceptance::Only {
            value: 0,
            no_effect,
            refused,
        },
    }
}

const NO_ACCURACY_LOG: &str = "InferBench writes no accuracy log (it scores top-1 itself)";
const NO_TOKENS: &str = "InferBench's models produce no tokens";
const NO_AUDIT: &str = "a TEST05 audit seed; InferBench has no audit mode";

/// Keys LoadGen 6.0.17 reads (or that its own `mlperf.conf` holds) and InferBench does not
/// apply.
pub const OTHER_KEYS: &[OtherKey] = &[
    any(
        "qsl_rng_seed",
        "InferBench loads its whole performance sample set (or the first \
         performance_sample_count_override samples), so no subset is drawn",
    ),
    off_only(
        "test05",
        "TEST05 is an audit (not needed since MLPerf v5.0); InferBench has none",
        "InferBench has no TEST05 audit mode",
    ),
    any("test05_qsl_rng_seed", NO_AUDIT),
    any("test05_sample_index_rng_seed", NO_AUDIT),
    any("test05_schedule_rng_seed", NO_AUDIT),
    any("accuracy_log_rng_seed", NO_ACCURACY_LOG),
    any("accuracy_log_probability", NO_ACCURACY_LOG),
    any("accuracy_log_sampling_target", NO_ACCURACY_LOG),
    any(
        "print_timestamps",
        "InferBench keeps every query's times in the result file instead",
    ),
    any(
        "target_duration",
        "LoadGen 6.0 does not read it either (its mlperf.conf still sets it)",
    ),
    off_only(
        "use_token_latencies",
        NO_TOKENS,
        "InferBench's models produce no tokens, so token latencies cannot be measured",
    ),
    off_only(
        "infer_token_latencies",
        NO_TOKENS,
        "InferBench's models produce no tokens, so token latencies cannot be inferred",
    ),
    any(
        "token_latency_scaling_factor",
        "LoadGen reads it only with infer_token_latencies",
    ),
    any(
        "ttft_latency",
        "LoadGen reads it only with use_token_latencies",
    ),
    any(
        "tpot_latency",
        "LoadGen reads it only with use_token_latencies",
    ),
    off_only(
        "sample_concatenate_permutation",
        "equal-issue mode is off",
        "equal-issue mode (sample_concatenate_permutation) is not implemented: \
         InferBench draws samples uniformly at random with replacement",
    ),
    off_only(
        "performance_issue_unique",
        "the option is off",
        "performance_issue_unique is not implemented: InferBench draws samples uniformly at \
         random with replacement",
    ),
    off_only(
        "performance_issue_same",
        "the option is off",
        "performance_issue_same is not implemented: InferBench draws samples uniformly at \
         random with replacement",
    ),
    off_only(
        "performance_issue_same_index",
        "LoadGen uses it only with performance_issue_same",
        "performance_issue_same is not implemented",
    ),
    off_only(
        "coalesce_queries",
        "the option is off",
        "Server query coalescing is not implemented: InferBench's system under test takes \
         one query at a time",
    ),
    off_only(
        "accuracy_sample_count_override",
        "accuracy mode runs the whole test split",
        "accuracy mode always runs every sample of the test split",
    ),
    OtherKey {
        key: "max_async_queries",
        acceptance: Acceptance::Only {
            value: 1,
            no_effect: "InferBench's system under test takes one query at a time anyway",
            refused: "InferBench's system under test takes one query at a time \
                      (max_async_queries = 1); LoadGen's Server lets a system hold several",
        },
    },
    OtherKey {
        key: "mode",
        acceptance: Acceptance::Never {
            refused: "InferBench runs performance mode for every scenario, and accuracy mode \
                      unless it is switched off (--no-accuracy, or the page's Accuracy mode \
                      switch); --peak adds a peak search",
        },
    },
];

/// What a key is to InferBench.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Applied to the settings.
    Setting(Setting),
    /// Read by LoadGen, not applied here.
    Other(&'static OtherKey),
}

impl Key {
    /// The key named `name`, or `None` for a key LoadGen does not know.
    pub fn of(name: &str) -> Option<Key> {
        if let Some(s) = Setting::ALL.into_iter().find(|s| s.key() == name) {
            return Some(Key::Setting(s));
        }
        OTHER_KEYS.iter().find(|k| k.key == name).map(Key::Other)
    }

    /// The known key closest to `name` (for "did you mean"), if one is close.
    pub fn nearest(name: &str) -> Option<&'static str> {
        let all = Setting::ALL
            .iter()
            .map(|s| s.key())
            .chain(OTHER_KEYS.iter().map(|k| k.key));
        all.map(|k| (edit_distance(name, k), k))
            .filter(|&(d, k)| d <= 3.max(k.len() / 4))
            .min()
            .map(|(_, k)| k)
    }
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_and_typos_get_a_suggestion() {
        assert_eq!(
            Key::of("min_duration"),
            Some(Key::Setting(Setting::MinDuration))
        );
        assert!(matches!(Key::of("qsl_rng_seed"), Some(Key::Other(_))));
        assert_eq!(Key::of("min_duraton"), None);
        assert_eq!(Key::nearest("min_duraton"), Some("min_duration"));
        assert_eq!(Key::nearest("min_querry_count"), Some("min_query_count"));
        assert_eq!(Key::nearest("banana"), None);
    }
}
