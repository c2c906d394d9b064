//! What a load-generator run is asked to do: [`TestSettings`], their validation, and the
//! limits that keep a run possible.
//!
//! The vocabulary and the defaults are MLPerf LoadGen's (`loadgen/test_settings.h`); the
//! presets live in [`super::presets`]. Settings are plain data (serde): they go into every
//! result file, so a run can be reproduced from its result.
//!
//! Units are in the field names: `_ms` is milliseconds, `_qps` queries per second.

use serde::{Deserialize, Serialize};

use super::error::SettingsError;
pub use super::scenario::Scenario;

/// The largest query count (or Offline sample count) a run may ask for, and the most queries
/// one run records: 10 million.
///
/// Each recorded query takes 32 bytes in memory ([`QueryRecord`](super::record::QueryRecord)),
/// so a run at the limit keeps 320 MB of records, and about 6 bytes in a result file. MLPerf's
/// own largest suggested count is 270,336 queries (p99 at 99% confidence,
/// `inference_rules.adoc`); a 600 s SingleStream run of a 20 µs variant would issue 30
/// million, and stops here (INVALID: minimum duration not met, with the reason and numbers).
pub const MAX_QUERY_COUNT: u64 = 10_000_000;

/// The most queries (Offline: batches) a whole result records, over all its runs: 10 million,
/// the same as one run's limit. A benchmark session gives each performance run its share of
/// what is left (the queries not yet recorded divided by the runs still to come), so a run
/// that needs few leaves more to the runs after it. At this size a result is read, analysed
/// and reported natively in seconds and well under 1.5 GB, and fits a browser's memory and
/// storage; every reader (`results::io`), the report and the comparisons accept it.
pub const MAX_RESULT_QUERIES: u64 = MAX_QUERY_COUNT;

/// The largest warm-up query count: one million.
pub const MAX_WARMUP_QUERY_COUNT: u64 = 1_000_000;

/// The largest rate (Server target QPS, Offline expected QPS): one million per second, i.e.
/// one query per microsecond, far beyond a browser (its timer ticks every 5 to 100 us).
pub const MAX_QPS: f64 = 1e6;

/// The largest duration (minimum or maximum): 24 hours. MLPerf's official minimum is 10 minutes.
pub const MAX_DURATION_MS: u64 = 24 * 3600 * 1000;

/// The largest Server latency bound: one hour.
pub const MAX_LATENCY_BOUND_MS: f64 = 3_600_000.0;

/// The largest number of samples in one call to the system under test (MultiStream samples per
/// query, Offline batch size): 65,536.
pub const MAX_SAMPLES_PER_CALL: u32 = 65_536;

/// The largest performance sample set: 10 million samples (sample indices are drawn as `u32`,
/// so that native and wasm32 builds draw the same indices).
pub const MAX_SAMPLE_COUNT: usize = 10_000_000;

/// Performance or accuracy (`loadgen/test_settings.h`, `TestMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TestMode {
    /// Samples drawn uniformly at random with replacement; latencies measured; validity judged.
    Performance,
    /// Every sample of the set exactly once, in a seeded shuffled order, back to back; top-1
    /// accuracy against the labels. Nothing is judged on time.
    Accuracy,
}

/// The seeds, one per dimension, so that each can be changed alone (LoadGen's
/// `sample_index_rng_seed`, `schedule_rng_seed`; the model-init seed is InferBench's).
///
/// Every seeded generator is `rand_chacha::ChaCha8Rng`, portable across platforms. LoadGen
/// uses `std::mt19937`, so the same seed gives InferBench and LoadGen different sequences.
///
/// Seeds are `u64`; MLPerf's official values exceed 2^53, so JavaScript's `JSON.parse` would
/// round them: read result files with serde (Rust), not with plain JS numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Seeds {
    /// Which samples go into which query, and the accuracy-mode order.
    pub sample_index: u64,
    /// The Server scenario's Poisson arrival schedule.
    pub schedule: u64,
    /// The model's weight initialisation (recorded here, used by the model, never by the
    /// load generator).
    pub model_init: u64,
}

impl Seeds {
    /// MLPerf's official seeds (`loadgen/mlperf.conf`: `sample_index_rng_seed`,
    /// `schedule_rng_seed`) and `model_init` 0.
    pub const MLPERF: Seeds = Seeds {
        sample_index: 2_747_215_439_041_700_203,
        schedule: 16_159_082_839_903_944_936,
        model_init: 0,
    };

    /// All three seeds set to `seed`. Each dimension draws from its own ChaCha stream, so
    /// equal seeds still give independent sequences.
    pub fn all(seed: u64) -> Seeds {
        Seeds {
            sample_index: seed,
            schedule: seed,
            model_init: seed,
        }
    }
}

/// Server parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServerSettings {
    /// Mean arrival rate of the Poisson process, in queries per second (LoadGen
    /// `server_target_qps`).
    pub target_qps: f64,
    /// The latency bound, in milliseconds: the run is valid only if the target-percentile
    /// latency is at most this (LoadGen `server_target_latency_ns`; `mlperf.conf` sets 10 ms).
    pub latency_bound_ms: f64,
}

/// MultiStream parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MultiStreamSettings {
    /// Samples in each query, processed by one call (LoadGen
    /// `multi_stream_samples_per_query`, default 8).
    pub samples_per_query: u32,
}

/// Offline parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OfflineSettings {
    /// Samples per call to the system under test: one batched forward pass each.
    /// (InferBench's: LoadGen hands the whole query to the SUT, which batches as it likes.)
    pub batch_size: u32,
    /// The throughput the system is expected to reach, in samples per second (LoadGen
    /// `offline_expected_qps`): it sizes the single query, see
    /// [`TestSettings::offline_sample_count`].
    pub expected_qps: f64,
}

/// The scenario with its own parameters (JSON: `{"kind": "Server", "target_qps": ..}`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum ScenarioSettings {
    /// SingleStream has no parameter of its own.
    SingleStream,
    /// MultiStream.
    MultiStream(MultiStreamSettings),
    /// Server.
    Server(ServerSettings),
    /// Offline.
    Offline(OfflineSettings),
}

impl ScenarioSettings {
    /// Which scenario this is.
    pub fn scenario(&self) -> Scenario {
        match self {
            ScenarioSettings::SingleStream => Scenario::SingleStream,
            ScenarioSettings::MultiStream(_) => Scenario::MultiStream,
            ScenarioSettings::Server(_) => Scenario::Server,
            ScenarioSettings::Offline(_) => Scenario::Offline,
        }
    }
}

/// Everything a run is asked to do (LoadGen's `TestSettings`).
///
/// **Stop rule** (LoadGen's, `test_settings.h`): a performance run continues until *both*
/// `min_duration_ms` and `min_query_count` are met, and stops earlier if *either*
/// `max_duration_ms` or `max_query_count` is reached (0 means no maximum).
///
/// Build one from a preset ([`TestSettings::quick`], [`TestSettings::mlperf`],
/// [`TestSettings::loadgen_default`]) and change fields; [`TestSettings::validate`] says what
/// cannot be run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestSettings {
    /// The scenario and its parameters.
    pub scenario: ScenarioSettings,
    /// Performance or accuracy.
    pub mode: TestMode,
    /// The latency percentile judged and reported, in (0, 1): SingleStream 0.90,
    /// MultiStream and Server 0.99 (LoadGen). Offline does not use it.
    pub target_percentile: f64,
    /// Queries run before the measured run and not recorded (beyond LoadGen, which has none);
    /// the latency of the very first one is reported on its own. Ignored in accuracy mode.
    pub warmup_query_count: u64,
    /// Minimum duration of the measured run, in milliseconds, compared as LoadGen does with
    /// the final query's issue time (SingleStream, MultiStream), its scheduled time (Server)
    /// or the max latency (Offline): see [`DurationBasis`](super::validity::DurationBasis).
    pub min_duration_ms: u64,
    /// Maximum duration, in milliseconds; 0 = none.
    pub max_duration_ms: u64,
    /// Minimum number of queries (Offline: of samples in its single query).
    pub min_query_count: u64,
    /// Maximum number of queries; 0 = none. Offline ignores it (its one query is never cut).
    pub max_query_count: u64,
    /// One seed per random dimension.
    pub seeds: Seeds,
}

impl TestSettings {
    /// Which scenario these settings run.
    pub fn scenario(&self) -> Scenario {
        self.scenario.scenario()
    }

    /// Samples per call to the system under test: 1 (SingleStream, Server),
    /// `samples_per_query` (MultiStream), `batch_size` (Offline).
    pub fn samples_per_call(&self) -> u32 {
        match self.scenario {
            ScenarioSettings::SingleStream | ScenarioSettings::Server(_) => 1,
            ScenarioSettings::MultiStream(m) => m.samples_per_query,
            ScenarioSettings::Offline(o) => o.batch_size,
        }
    }

    /// The number of samples in Offline's single query, as LoadGen computes it
    /// (`test_settings_internal.cc`, `kSlack = 1.1`):
    /// `max(min_query_count, trunc(1.1 * min_duration_s * expected_qps))`, and at least 1.
    /// `None` for the other scenarios.
    pub fn offline_sample_count(&self) -> Option<u64> {
        match self.scenario {
            ScenarioSettings::Offline(o) => Some(offline_sample_count(
                self.min_query_count,
                self.min_duration_ms,
                o.expected_qps,
            )),
            _ => None,
        }
    }

    /// Checks every field; the first problem found is returned.
    ///
    /// # Errors
    ///
    /// A [`SettingsError`] naming the field, what is wrong with it and what to do.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let p = self.target_percentile;
        if !(p > 0.0 && p < 1.0) {
            return Err(SettingsError::PercentileOutOfRange { value: p });
        }
        check_duration("min_duration_ms", self.min_duration_ms)?;
        check_duration("max_duration_ms", self.max_duration_ms)?;
        if self.max_duration_ms != 0 && self.min_duration_ms > self.max_duration_ms {
            return Err(SettingsError::MinDurationAboveMax {
                min_duration_ms: self.min_duration_ms,
                max_duration_ms: self.max_duration_ms,
            });
        }
        check_count("min_query_count", self.min_query_count, MAX_QUERY_COUNT)?;
        check_count("max_query_count", self.max_query_count, MAX_QUERY_COUNT)?;
        check_count(
            "warmup_query_count",
            self.warmup_query_count,
            MAX_WARMUP_QUERY_COUNT,
        )?;
        if self.max_query_count != 0 && self.min_query_count > self.max_query_count {
            return Err(SettingsError::MinQueryCountAboveMax {
                min_query_count: self.min_query_count,
                max_query_count: self.max_query_count,
            });
        }
        let min_duration_s = self.min_duration_ms as f64 / 1e3;
        match self.scenario {
            ScenarioSettings::SingleStream => {}
            ScenarioSettings::MultiStream(m) => {
                check_size("scenario.samples_per_query", m.samples_per_query)?;
            }
            ScenarioSettings::Server(s) => {
                check_rate("scenario.target_qps", s.target_qps)?;
                let bound = s.latency_bound_ms;
                if !(bound > 0.0 && bound <= MAX_LATENCY_BOUND_MS) {
                    return Err(SettingsError::InvalidLatencyBound {
                        value_ms: bound,
                        max_ms: MAX_LATENCY_BOUND_MS,
                    });
                }
                let expected = s.target_qps * min_duration_s;
                if expected > MAX_QUERY_COUNT as f64 {
                    return Err(SettingsError::TooManyGeneratedQueries {
                        scenario: Scenario::Server,
                        expected,
                        limit: MAX_QUERY_COUNT,
                    });
                }
            }
            ScenarioSettings::Offline(o) => {
                check_size("scenario.batch_size", o.batch_size)?;
                check_rate("scenario.expected_qps", o.expected_qps)?;
                let expected = 1.1 * min_duration_s * o.expected_qps;
                if expected > MAX_QUERY_COUNT as f64 {
                    return Err(SettingsError::TooManyGeneratedQueries {
                        scenario: Scenario::Offline,
                        expected,
                        limit: MAX_QUERY_COUNT,
                    });
                }
            }
        }
        Ok(())
    }

    /// [`TestSettings::validate`], plus the sample set: `sample_count` samples, and in accuracy
    /// mode their `labels`.
    ///
    /// # Errors
    ///
    /// As [`TestSettings::validate`]; also [`SettingsError::EmptySampleSet`],
    /// [`SettingsError::SampleSetTooLarge`], [`SettingsError::MissingLabels`] and
    /// [`SettingsError::LabelCountMismatch`].
    pub fn validate_for(
        &self,
        sample_count: usize,
        labels: Option<&[u8]>,
    ) -> Result<(), SettingsError> {
        self.validate()?;
        if sample_count == 0 {
            return Err(SettingsError::EmptySampleSet);
        }
        if sample_count > MAX_SAMPLE_COUNT {
            return Err(SettingsError::SampleSetTooLarge {
                sample_count,
                limit: MAX_SAMPLE_COUNT,
            });
        }
        match (self.mode, labels) {
            (TestMode::Accuracy, None) => Err(SettingsError::MissingLabels { sample_count }),
            (_, Some(l)) if l.len() != sample_count => Err(SettingsError::LabelCountMismatch {
                labels: l.len(),
                samples: sample_count,
            }),
            _ => Ok(()),
        }
    }
}

/// LoadGen's Offline sample count: `max(min_query_count, trunc(1.1 * min_duration_s *
/// expected_qps))`, and at least 1 (`test_settings_internal.cc`: `kSlack = 1.1` "to make sure
/// we generate enough samples for the SUT to take longer than the minimum test duration").
pub fn offline_sample_count(min_query_count: u64, min_duration_ms: u64, expected_qps: f64) -> u64 {
    const SLACK: f64 = 1.1;
    // `as` saturates and maps NaN to 0, so no input panics here.
    let target = (SLACK * (min_duration_ms as f64 / 1e3) * expected_qps) as u64;
    min_query_count.max(target).max(1)
}

fn check_rate(field: &'static str, value: f64) -> Result<(), SettingsError> {
    if !(value > 0.0 && value.is_finite()) {
        return Err(SettingsError::InvalidRate { field, value });
    }
    if value > MAX_QPS {
        return Err(SettingsError::RateTooHigh {
            field,
            value,
            limit: MAX_QPS,
        });
    }
    Ok(())
}

fn check_size(field: &'static str, value: u32) -> Result<(), SettingsError> {
    if value == 0 {
        return Err(SettingsError::ZeroSize { field });
    }
    if value > MAX_SAMPLES_PER_CALL {
        return Err(SettingsError::SizeTooLarge {
            field,
            value: u64::from(value),
            limit: u64::from(MAX_SAMPLES_PER_CALL),
        });
    }
    Ok(())
}

fn check_count(field: &'static str, value: u64, limit: u64) -> Result<(), SettingsError> {
    if value > limit {
        return Err(SettingsError::QueryCountTooLarge {
            field,
            value,
            limit,
        });
    }
    Ok(())
}

fn check_duration(field: &'static str, value_ms: u64) -> Result<(), SettingsError> {
    if value_ms > MAX_DURATION_MS {
        return Err(SettingsError::DurationTooLong {
            field,
            value_ms,
            limit_ms: MAX_DURATION_MS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_sample_count_follows_loadgen() {
        // 1.1 * 600 s * 1 qps = 660 < 24,576.
        assert_eq!(offline_sample_count(24_576, 600_000, 1.0), 24_576);
        // 1.1 * 2 s * 10,000 = 22,000 (truncated).
        assert_eq!(offline_sample_count(1_024, 2_000, 10_000.0), 22_000);
        assert_eq!(offline_sample_count(0, 0, 5.0), 1);
    }
}
