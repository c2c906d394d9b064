//! Ready-made [`TestSettings`]: `quick` (a classroom run of a few seconds per scenario),
//! `mlperf` (MLPerf's official rules) and `loadgen_default` (LoadGen's built-in defaults).
//!
//! Every number of the MLPerf presets names its source in the MLCommons repositories
//! (`mlcommons/inference` @ b66003e1 for `loadgen/`, `mlcommons/inference_policies` @ ac93e89c
//! for `inference_rules.adoc`).

use super::settings::{
    MultiStreamSettings, OfflineSettings, Scenario, ScenarioSettings, Seeds, ServerSettings,
    TestMode, TestSettings,
};

/// Samples per MultiStream query in every preset: `loadgen/test_settings.h`
/// `multi_stream_samples_per_query = 8` and `mlperf.conf` `*.MultiStream.samples_per_query = 8`.
pub const MULTI_STREAM_SAMPLES_PER_QUERY: u32 = 8;

/// The smallest query count at which a p99 early-stopping check can pass at all
/// (MultiStream) or pass with one query over the bound (Server): `mlperf.conf`
/// `*.MultiStream.min_query_count = 662`, and 662 = h(1) + 1 at p = 0.99, c = 0.99
/// (see [`super::early_stopping`]).
pub const P99_EARLY_STOPPING_QUERIES: u64 = 662;

/// Offline batch size of the presets (InferBench's: LoadGen leaves batching to the SUT). 64
/// samples make one matrix-matrix product per layer large enough to amortise the call, and
/// the digits test split (360 samples) holds several batches.
pub const PRESET_OFFLINE_BATCH_SIZE: u32 = 64;

impl TestSettings {
    /// A classroom run: a few seconds per scenario, still valid by MLPerf's rules when the
    /// machine keeps up (minimum duration, minimum queries and early stopping are all
    /// reachable with these values).
    ///
    /// - `warmup_query_count` 10: enough to fault in the weights and fill caches; not recorded.
    /// - `min_duration_ms` 2,000 (Offline 1,000): long enough to see drift and a few thousand
    ///   SingleStream queries of a ~1 ms model, short enough for four scenarios in a lesson.
    /// - `max_duration_ms` 60,000: a safety stop on a slow machine (the run is then INVALID and
    ///   says why), instead of a page that seems to hang.
    /// - SingleStream: p90, `min_query_count` 100 (LoadGen's default; above the 64 queries a
    ///   p90 early-stopping estimate needs).
    /// - MultiStream: 8 samples per query, p99, `min_query_count` 662: below that a p99
    ///   early-stopping estimate is impossible, so the run could never be valid.
    /// - Server: 200 QPS target, 10 ms bound (MLPerf's default bound), p99,
    ///   `min_query_count` 662 (about 3.3 s of arrivals; with at most one query over the
    ///   bound, early stopping passes). Set `target_qps` to what the machine sustains, or
    ///   use the peak search.
    /// - Offline: batch 64, `expected_qps` 10,000, `min_query_count` 1,024 samples: 11,000
    ///   samples, about a second at 10k samples/s. The page should set `expected_qps` from a
    ///   previous measurement, as MLPerf submitters do in `user.conf`; if the machine is
    ///   faster, the run is INVALID and the recommendation gives the value to use.
    pub fn quick(scenario: Scenario) -> TestSettings {
        let base = TestSettings {
            scenario: ScenarioSettings::SingleStream,
            mode: TestMode::Performance,
            target_percentile: 0.90,
            warmup_query_count: 10,
            min_duration_ms: 2_000,
            max_duration_ms: 60_000,
            min_query_count: 100,
            max_query_count: 0,
            seeds: Seeds::MLPERF,
        };
        match scenario {
            Scenario::SingleStream => base,
            Scenario::MultiStream => TestSettings {
                scenario: ScenarioSettings::MultiStream(MultiStreamSettings {
                    samples_per_query: MULTI_STREAM_SAMPLES_PER_QUERY,
                }),
                target_percentile: 0.99,
                min_query_count: P99_EARLY_STOPPING_QUERIES,
                ..base
            },
            Scenario::Server => TestSettings {
                scenario: ScenarioSettings::Server(ServerSettings {
                    target_qps: 200.0,
                    latency_bound_ms: 10.0,
                }),
                target_percentile: 0.99,
                min_query_count: P99_EARLY_STOPPING_QUERIES,
                ..base
            },
            Scenario::Offline => TestSettings {
                scenario: ScenarioSettings::Offline(OfflineSettings {
                    batch_size: PRESET_OFFLINE_BATCH_SIZE,
                    expected_qps: 10_000.0,
                }),
                // Offline does not use a percentile; LoadGen sets 0.99 "to avoid garbage".
                target_percentile: 0.99,
                min_duration_ms: 1_000,
                min_query_count: 1_024,
                ..base
            },
        }
    }

    /// "MLPerf rules": the official values of `loadgen/mlperf.conf` and `inference_rules.adoc`.
    ///
    /// - `min_duration_ms` 600,000 for every scenario (`mlperf.conf`:
    ///   `*.SingleStream.min_duration = 600000`, likewise MultiStream, Server, Offline;
    ///   `inference_rules.adoc` scenario table: "600 seconds").
    /// - SingleStream: p90 (`*.SingleStream.target_latency_percentile = 90`),
    ///   `min_query_count` 100 (`test_settings.h` default; `mlperf.conf` sets none).
    /// - MultiStream: 8 samples per query, p99, `min_query_count` 662 (`mlperf.conf`
    ///   `*.MultiStream.samples_per_query = 8`, `target_latency_percentile = 99`,
    ///   `min_query_count = 662`).
    /// - Server: p99, 10 ms bound (`*.Server.target_latency_percentile = 99`,
    ///   `*.Server.target_latency = 10`), `target_qps` 1.0 (`*.Server.target_qps = 1.0`, "should
    ///   be overridden by user.conf": set it), `min_query_count` 100 (`test_settings.h`).
    /// - Offline: `min_query_count` 24,576 samples (`mlperf.conf`, e.g.
    ///   `resnet50.Offline.min_query_count = 24576`; `inference_rules.adoc`: "At least 24,576"
    ///   = 3 x 2^13, the rounded p90 sample size), `expected_qps` 1.0
    ///   (`*.Offline.target_qps = 1.0`, to be overridden). The rules would let a data set
    ///   smaller than 24,576 (our 360-sample test split) use its own size; this preset keeps
    ///   the general value.
    /// - No maximum (`test_settings.h`: 0 = infinity), no warm-up (LoadGen has none), and
    ///   MLPerf's official seeds ([`Seeds::MLPERF`]).
    pub fn mlperf(scenario: Scenario) -> TestSettings {
        let base = TestSettings {
            scenario: ScenarioSettings::SingleStream,
            mode: TestMode::Performance,
            target_percentile: 0.90,
            warmup_query_count: 0,
            min_duration_ms: 600_000,
            max_duration_ms: 0,
            min_query_count: 100,
            max_query_count: 0,
            seeds: Seeds::MLPERF,
        };
        match scenario {
            Scenario::SingleStream => base,
            Scenario::MultiStream => TestSettings {
                scenario: ScenarioSettings::MultiStream(MultiStreamSettings {
                    samples_per_query: MULTI_STREAM_SAMPLES_PER_QUERY,
                }),
                target_percentile: 0.99,
                min_query_count: P99_EARLY_STOPPING_QUERIES,
                ..base
            },
            Scenario::Server => TestSettings {
                scenario: ScenarioSettings::Server(ServerSettings {
                    target_qps: 1.0,
                    latency_bound_ms: 10.0,
                }),
                target_percentile: 0.99,
                ..base
            },
            Scenario::Offline => TestSettings {
                scenario: ScenarioSettings::Offline(OfflineSettings {
                    batch_size: PRESET_OFFLINE_BATCH_SIZE,
                    expected_qps: 1.0,
                }),
                target_percentile: 0.99,
                min_query_count: 24_576,
                ..base
            },
        }
    }

    /// LoadGen's built-in defaults (`loadgen/test_settings.h`, `struct TestSettings`), before
    /// any `mlperf.conf`: `min_duration_ms` 10,000, `min_query_count` 100, no maximum, seeds 0,
    /// SingleStream p90, MultiStream 8 samples and p99, Server 1 QPS with a 100 ms bound
    /// (`server_target_latency_ns = 100000000`) and p99, Offline 1 expected QPS.
    pub fn loadgen_default(scenario: Scenario) -> TestSettings {
        let base = TestSettings {
            scenario: ScenarioSettings::SingleStream,
            mode: TestMode::Performance,
            target_percentile: 0.90,
            warmup_query_count: 0,
            min_duration_ms: 10_000,
            max_duration_ms: 0,
            min_query_count: 100,
            max_query_count: 0,
            seeds: Seeds {
                sample_index: 0,
                schedule: 0,
                model_init: 0,
            },
        };
        match scenario {
            Scenario::SingleStream => base,
            Scenario::MultiStream => TestSettings {
                scenario: ScenarioSettings::MultiStream(MultiStreamSettings {
                    samples_per_query: MULTI_STREAM_SAMPLES_PER_QUERY,
                }),
                target_percentile: 0.99,
                ..base
            },
            Scenario::Server => TestSettings {
                scenario: ScenarioSettings::Server(ServerSettings {
                    target_qps: 1.0,
                    latency_bound_ms: 100.0,
                }),
                target_percentile: 0.99,
                ..base
            },
            Scenario::Offline => TestSettings {
                scenario: ScenarioSettings::Offline(OfflineSettings {
                    batch_size: PRESET_OFFLINE_BATCH_SIZE,
                    expected_qps: 1.0,
                }),
                target_percentile: 0.99,
                ..base
            },
        }
    }
}
