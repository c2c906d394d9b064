//! Settings: every validation error one by one, the presets (they validate and carry
//! MLPerf's official numbers), and serde.

use inferbench::loadgen::settings::{
    MultiStreamSettings, OfflineSettings, Scenario, ScenarioSettings, Seeds, ServerSettings,
    TestMode, TestSettings, MAX_QPS, MAX_QUERY_COUNT, MAX_SAMPLES_PER_CALL, MAX_SAMPLE_COUNT,
};
use inferbench::loadgen::{Runner, SettingsError};

fn server(target_qps: f64, latency_bound_ms: f64) -> TestSettings {
    TestSettings {
        scenario: ScenarioSettings::Server(ServerSettings {
            target_qps,
            latency_bound_ms,
        }),
        ..TestSettings::quick(Scenario::Server)
    }
}

fn offline(batch_size: u32, expected_qps: f64) -> TestSettings {
    TestSettings {
        scenario: ScenarioSettings::Offline(OfflineSettings {
            batch_size,
            expected_qps,
        }),
        ..TestSettings::quick(Scenario::Offline)
    }
}

#[test]
fn bad_rates_are_refused() {
    for qps in [0.0, -5.0, f64::NAN, f64::INFINITY] {
        let err = server(qps, 10.0).validate().unwrap_err();
        assert!(
            matches!(
                err,
                SettingsError::InvalidRate {
                    field: "scenario.target_qps",
                    ..
                }
            ),
            "{qps}: {err:?}"
        );
        let err = offline(64, qps).validate().unwrap_err();
        assert!(
            matches!(
                err,
                SettingsError::InvalidRate {
                    field: "scenario.expected_qps",
                    ..
                }
            ),
            "{qps}: {err:?}"
        );
    }
    assert_eq!(
        server(2e6, 10.0).validate(),
        Err(SettingsError::RateTooHigh {
            field: "scenario.target_qps",
            value: 2e6,
            limit: MAX_QPS
        })
    );
    let message = server(0.0, 10.0).validate().unwrap_err().to_string();
    assert!(message.contains("scenario.target_qps is 0"), "{message}");
    assert!(message.contains("positive"), "{message}");
}

#[test]
fn zero_and_huge_sizes_are_refused() {
    assert_eq!(
        offline(0, 100.0).validate(),
        Err(SettingsError::ZeroSize {
            field: "scenario.batch_size"
        })
    );
    let multi = |n| TestSettings {
        scenario: ScenarioSettings::MultiStream(MultiStreamSettings {
            samples_per_query: n,
        }),
        ..TestSettings::quick(Scenario::MultiStream)
    };
    assert_eq!(
        multi(0).validate(),
        Err(SettingsError::ZeroSize {
            field: "scenario.samples_per_query"
        })
    );
    assert_eq!(
        multi(MAX_SAMPLES_PER_CALL + 1).validate(),
        Err(SettingsError::SizeTooLarge {
            field: "scenario.samples_per_query",
            value: u64::from(MAX_SAMPLES_PER_CALL) + 1,
            limit: u64::from(MAX_SAMPLES_PER_CALL),
        })
    );
}

#[test]
fn the_sample_set_must_be_usable() {
    let s = TestSettings::quick(Scenario::SingleStream);
    assert_eq!(
        Runner::new(s.clone(), 0).err(),
        Some(SettingsError::EmptySampleSet)
    );
    assert_eq!(
        s.validate_for(MAX_SAMPLE_COUNT + 1, None),
        Err(SettingsError::SampleSetTooLarge {
            sample_count: MAX_SAMPLE_COUNT + 1,
            limit: MAX_SAMPLE_COUNT
        })
    );
    assert_eq!(
        s.validate_for(10, Some(&[0; 9])),
        Err(SettingsError::LabelCountMismatch {
            labels: 9,
            samples: 10
        })
    );
    let accuracy = TestSettings {
        mode: TestMode::Accuracy,
        ..s
    };
    assert_eq!(
        accuracy.validate_for(10, None),
        Err(SettingsError::MissingLabels { sample_count: 10 })
    );
}

#[test]
fn percentiles_must_lie_strictly_between_zero_and_one() {
    for p in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
        let s = TestSettings {
            target_percentile: p,
            ..TestSettings::quick(Scenario::SingleStream)
        };
        assert!(
            matches!(
                s.validate(),
                Err(SettingsError::PercentileOutOfRange { .. })
            ),
            "{p}"
        );
    }
}

#[test]
fn latency_bounds_must_be_positive_and_finite() {
    for bound in [0.0, -1.0, f64::NAN, f64::INFINITY, 4e6] {
        assert!(
            matches!(
                server(100.0, bound).validate(),
                Err(SettingsError::InvalidLatencyBound { .. })
            ),
            "{bound}"
        );
    }
}

#[test]
fn minimums_above_maximums_are_refused() {
    let base = TestSettings::quick(Scenario::SingleStream);
    let s = TestSettings {
        min_duration_ms: 5_000,
        max_duration_ms: 1_000,
        ..base.clone()
    };
    assert_eq!(
        s.validate(),
        Err(SettingsError::MinDurationAboveMax {
            min_duration_ms: 5_000,
            max_duration_ms: 1_000
        })
    );
    assert!(s
        .validate()
        .unwrap_err()
        .to_string()
        .contains("set max_duration_ms to 0"));
    let s = TestSettings {
        min_query_count: 500,
        max_query_count: 100,
        ..base.clone()
    };
    assert_eq!(
        s.validate(),
        Err(SettingsError::MinQueryCountAboveMax {
            min_query_count: 500,
            max_query_count: 100
        })
    );
    // 0 means no maximum.
    let s = TestSettings {
        min_query_count: 500,
        max_query_count: 0,
        max_duration_ms: 0,
        ..base
    };
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn absurd_sizes_are_refused() {
    let base = TestSettings::quick(Scenario::SingleStream);
    let s = TestSettings {
        min_query_count: MAX_QUERY_COUNT + 1,
        max_query_count: 0,
        ..base.clone()
    };
    assert!(matches!(
        s.validate(),
        Err(SettingsError::QueryCountTooLarge {
            field: "min_query_count",
            ..
        })
    ));
    let s = TestSettings {
        min_duration_ms: 25 * 3600 * 1000,
        max_duration_ms: 0,
        ..base.clone()
    };
    assert!(matches!(
        s.validate(),
        Err(SettingsError::DurationTooLong {
            field: "min_duration_ms",
            ..
        })
    ));
    let s = TestSettings {
        warmup_query_count: 2_000_000,
        ..base
    };
    assert!(matches!(
        s.validate(),
        Err(SettingsError::QueryCountTooLarge {
            field: "warmup_query_count",
            ..
        })
    ));
    // 100,000 qps for 200 s is 20 million arrivals.
    let s = TestSettings {
        min_duration_ms: 200_000,
        max_duration_ms: 0,
        ..server(100_000.0, 10.0)
    };
    assert!(matches!(
        s.validate(),
        Err(SettingsError::TooManyGeneratedQueries {
            scenario: Scenario::Server,
            ..
        })
    ));
    let s = TestSettings {
        min_duration_ms: 600_000,
        max_duration_ms: 0,
        ..offline(64, 100_000.0)
    };
    assert!(matches!(
        s.validate(),
        Err(SettingsError::TooManyGeneratedQueries {
            scenario: Scenario::Offline,
            ..
        })
    ));
}

#[test]
fn every_preset_validates() {
    for scenario in Scenario::ALL {
        for preset in [
            TestSettings::quick(scenario),
            TestSettings::mlperf(scenario),
            TestSettings::loadgen_default(scenario),
        ] {
            assert_eq!(preset.validate(), Ok(()), "{scenario}: {preset:?}");
            assert_eq!(preset.scenario(), scenario);
            assert!(Runner::new(preset, 360).is_ok());
        }
    }
}

#[test]
fn mlperf_preset_carries_the_official_numbers() {
    for scenario in Scenario::ALL {
        let s = TestSettings::mlperf(scenario);
        assert_eq!(s.min_duration_ms, 600_000);
        assert_eq!((s.max_duration_ms, s.max_query_count), (0, 0));
        assert_eq!(s.seeds, Seeds::MLPERF);
    }
    assert_eq!(
        TestSettings::mlperf(Scenario::SingleStream).target_percentile,
        0.90
    );
    let ms = TestSettings::mlperf(Scenario::MultiStream);
    assert_eq!(ms.min_query_count, 662);
    assert_eq!(ms.samples_per_call(), 8);
    assert_eq!(ms.target_percentile, 0.99);
    let server = TestSettings::mlperf(Scenario::Server);
    assert_eq!(
        server.scenario,
        ScenarioSettings::Server(ServerSettings {
            target_qps: 1.0,
            latency_bound_ms: 10.0
        })
    );
    assert_eq!(server.target_percentile, 0.99);
    let offline = TestSettings::mlperf(Scenario::Offline);
    assert_eq!(offline.min_query_count, 24_576);
    // max(24,576, 1.1 x 600 s x 1 qps) = 24,576 samples.
    assert_eq!(offline.offline_sample_count(), Some(24_576));
    assert_eq!(Seeds::MLPERF.schedule, 16_159_082_839_903_944_936);
    assert_eq!(Seeds::MLPERF.sample_index, 2_747_215_439_041_700_203);
    // LoadGen's own defaults: 10 s and 100 queries.
    let d = TestSettings::loadgen_default(Scenario::SingleStream);
    assert_eq!((d.min_duration_ms, d.min_query_count), (10_000, 100));
}

#[test]
fn quick_preset_is_a_few_seconds_and_can_be_valid() {
    let ss = TestSettings::quick(Scenario::SingleStream);
    assert!(ss.min_query_count >= 64); // p90 early stopping
    let ms = TestSettings::quick(Scenario::MultiStream);
    assert_eq!(ms.min_query_count, 662); // p99 early stopping
    let server = TestSettings::quick(Scenario::Server);
    match server.scenario {
        // 662 arrivals at 200 qps: about 3.3 s.
        ScenarioSettings::Server(s) => assert_eq!(s.target_qps, 200.0),
        _ => unreachable!(),
    }
    assert_eq!(
        TestSettings::quick(Scenario::Offline).offline_sample_count(),
        Some(11_000)
    );
    for scenario in Scenario::ALL {
        let s = TestSettings::quick(scenario);
        assert!(s.min_duration_ms <= 2_000);
        assert!(s.max_duration_ms > s.min_duration_ms);
    }
}

#[test]
fn settings_survive_a_json_round_trip() {
    for scenario in Scenario::ALL {
        let s = TestSettings::mlperf(scenario);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<TestSettings>(&json).unwrap(), s);
    }
    let json = serde_json::to_string(&server(123.5, 7.0)).unwrap();
    assert!(
        json.contains(r#""scenario":{"kind":"Server","target_qps":123.5,"latency_bound_ms":7.0}"#),
        "{json}"
    );
}
