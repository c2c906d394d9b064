//! SingleStream, MultiStream, Offline and accuracy mode on a `ManualClock` with a `FakeSut`:
//! every latency, count and metric is exact. Also warm-up, the stop rule, cancel, the page
//! visibility and timer checks, progress, and the result's serde round trip.

use std::time::Duration;

use inferbench::loadgen::clock::{ManualClock, TimerResolution};
use inferbench::loadgen::result::ScenarioMetric;
use inferbench::loadgen::schedule::{accuracy_order, performance_sample_indices};
use inferbench::loadgen::settings::{
    MultiStreamSettings, OfflineSettings, ScenarioSettings, TestMode,
};
use inferbench::loadgen::timing_check::Dither;
use inferbench::loadgen::validity::{DurationHint, InvalidReason, StopReason};
use inferbench::loadgen::{FakeSut, Phase, Progress, RunResult, Runner, ServiceTime, Step};

use crate::loadgen_support::{bare, drive, ms, ns, us};

fn metric_ss(result: &RunResult) -> inferbench::loadgen::result::SingleStreamMetric {
    match result.metric {
        Some(ScenarioMetric::SingleStream(m)) => m,
        other => panic!("not a SingleStream metric: {other:?}"),
    }
}

#[test]
fn single_stream_latencies_and_percentiles_are_exact() {
    // Service times 1, 2, ..., 10 ms, repeated: 100 queries, each value ten times.
    let clock = ManualClock::new();
    let script: Vec<Duration> = (1..=10).map(ms).collect();
    let mut sut = FakeSut::new(&clock, ServiceTime::Script(script));
    let settings = bare(ScenarioSettings::SingleStream, 100);
    let result = drive(Runner::new(settings, 50).unwrap(), &clock, &mut sut);

    assert_eq!(result.query_count, 100);
    assert_eq!(result.stop_reason, StopReason::MinimumsMet);
    let mut t = 0;
    for (i, r) in result.queries.iter().enumerate() {
        let service = ns(i as u64 % 10 + 1);
        assert_eq!(r.issued_ns, t, "query {i}");
        assert_eq!(r.scheduled_ns, t);
        assert_eq!(r.completed_ns, t + service);
        assert_eq!(r.latency_ms(), (i % 10 + 1) as f64);
        assert_eq!(r.samples, 1);
        assert_eq!(r.queueing_ms(), None);
        t += service;
    }
    // Sorted: ten 1s, ten 2s, ..., ten 10s. LoadGen's sorted[floor(n p)].
    let l = result.latency.unwrap();
    assert_eq!((l.min_ms, l.max_ms, l.mean_ms), (1.0, 10.0, 5.5));
    assert_eq!(l.p50_ms, 6.0); // sorted[50]
    assert_eq!(l.p90_ms, 10.0); // sorted[90]
    assert_eq!(l.p95_ms, 10.0);
    let m = metric_ss(&result);
    assert_eq!(m.percentile, 0.9);
    assert_eq!(m.percentile_latency_ms, 10.0);
    // q = 100 at p90: discard 2 highest, report sorted[98] = 10 ms.
    assert_eq!(m.early_stopping.discarded, Some(2));
    assert_eq!(m.early_stopping.estimate_ms, Some(10.0));
    assert_eq!(m.early_stopping_p99.estimate_ms, None);
    assert_eq!(m.early_stopping_p99.min_query_count, 662);
    // (n - 1) / final issue time: the last query (10 ms) was issued at 540 ms.
    assert_eq!(result.times.final_query_issued_ms, 540.0);
    assert!((m.qps_with_loadgen_overhead.unwrap() - 99.0 / 0.540).abs() < 1e-9);
    assert!((m.qps_without_loadgen_overhead.unwrap() - 1e3 / 5.5).abs() < 1e-9);
    assert!(result.is_valid(), "{:?}", result.validity);
}

#[test]
fn single_stream_early_stopping_estimate_discards_the_highest() {
    // 100 queries of 1..=100 ms (one each): p90 = sorted[90] = 91 ms. Early stopping allows
    // t = 3 over-bound queries, discards the t - 1 = 2 highest and reports sorted[q - t] =
    // sorted[97] = 98 ms (rank 98 of 100).
    let clock = ManualClock::new();
    let script: Vec<Duration> = (1..=100).map(ms).collect();
    let mut sut = FakeSut::new(&clock, ServiceTime::Script(script));
    let result = drive(
        Runner::new(bare(ScenarioSettings::SingleStream, 100), 10).unwrap(),
        &clock,
        &mut sut,
    );
    let m = metric_ss(&result);
    assert_eq!(m.percentile_latency_ms, 91.0);
    assert_eq!(m.early_stopping.estimate_ms, Some(98.0));
}

#[test]
fn warmup_queries_are_run_but_not_recorded() {
    let clock = ManualClock::new();
    let mut script = vec![ms(50), ms(40), ms(30)];
    script.extend(std::iter::repeat_n(ms(1), 97));
    let mut sut = FakeSut::new(&clock, ServiceTime::Script(script));
    let mut settings = bare(ScenarioSettings::SingleStream, 5);
    settings.warmup_query_count = 3;
    let result = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);

    assert_eq!(sut.calls().len(), 8);
    assert_eq!(result.warmup.query_count, 3);
    assert_eq!(result.warmup.first_query_latency_ms, Some(50.0));
    assert_eq!(result.query_count, 5);
    // The measured run starts after the warm-up: its first query is issued at t = 0.
    assert_eq!(result.queries[0].issued_ns, 0);
    assert!(result.queries.iter().all(|r| r.latency_ms() == 1.0));
}

#[test]
fn without_warmup_the_first_measured_query_is_the_first_query() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(&clock, ServiceTime::Script(vec![ms(9), ms(1)]));
    let result = drive(
        Runner::new(bare(ScenarioSettings::SingleStream, 4), 10).unwrap(),
        &clock,
        &mut sut,
    );
    assert_eq!(result.warmup.query_count, 0);
    assert_eq!(result.warmup.first_query_latency_ms, Some(9.0));
}

#[test]
fn warmup_does_not_shift_the_measured_sample_order() {
    let run = |warmup| {
        let clock = ManualClock::new();
        let mut sut = FakeSut::constant(&clock, ms(1));
        let mut settings = bare(ScenarioSettings::SingleStream, 30);
        settings.warmup_query_count = warmup;
        drive(Runner::new(settings, 1000).unwrap(), &clock, &mut sut);
        sut.calls()[warmup as usize..].concat()
    };
    let expected = performance_sample_indices(11, 1000, 30);
    assert_eq!(run(0), expected);
    assert_eq!(run(5), expected);
}

#[test]
fn stop_rule_min_duration_met_before_min_queries() {
    // 10 ms queries, 50 ms minimum, 20 queries minimum: the count decides.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(10));
    let mut settings = bare(ScenarioSettings::SingleStream, 20);
    settings.min_duration_ms = 50;
    let result = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 20);
    assert_eq!(result.stop_reason, StopReason::MinimumsMet);
    assert_eq!(result.times.final_query_issued_ms, 190.0);
    assert_eq!(result.validity.checks.min_duration_met, Some(true));
    assert_eq!(result.validity.checks.min_queries_met, Some(true));
}

#[test]
fn stop_rule_min_queries_met_before_min_duration() {
    // 10 ms queries, 5 queries minimum, 100 ms minimum: LoadGen measures the duration on the
    // final query's issue time, so query 11 (issued at 100 ms) is the last.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(10));
    let mut settings = bare(ScenarioSettings::SingleStream, 5);
    settings.min_duration_ms = 100;
    let result = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 11);
    assert_eq!(result.times.final_query_issued_ms, 100.0);
    assert_eq!(result.stop_reason, StopReason::MinimumsMet);
    assert_eq!(result.validity.checks.min_duration_met, Some(true));
}

#[test]
fn stop_rule_max_query_count_stops_early_and_says_what_to_raise() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(10));
    let mut settings = bare(ScenarioSettings::SingleStream, 5);
    settings.min_duration_ms = 1_000;
    settings.max_query_count = 7;
    let result = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 7);
    assert_eq!(result.stop_reason, StopReason::MaxQueryCount);
    assert!(!result.is_valid());
    let reason = result
        .validity
        .reasons
        .iter()
        .find(|r| matches!(r, InvalidReason::MinDurationNotMet { .. }))
        .expect("min duration not met");
    match reason {
        InvalidReason::MinDurationNotMet {
            measured_ms, hint, ..
        } => {
            assert_eq!(*measured_ms, 60.0);
            // One query every 10 ms: 1,000 ms needs 100 intervals, 101 queries.
            assert_eq!(*hint, DurationHint::RaiseMaxQueryCount { at_least: 101 });
        }
        _ => unreachable!(),
    }
    assert!(reason.recommendation().contains("at least 101"));
}

#[test]
fn stop_rule_max_duration_stops_early_and_min_queries_fail() {
    // LoadGen ends once a query was issued *after* max_duration: the 7th, issued at 60 ms.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(10));
    let mut settings = bare(ScenarioSettings::SingleStream, 100);
    settings.min_duration_ms = 50;
    settings.max_duration_ms = 50;
    let result = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 7);
    assert_eq!(result.stop_reason, StopReason::MaxDuration);
    assert_eq!(result.validity.checks.min_queries_met, Some(false));
    let reason = result
        .validity
        .reasons
        .iter()
        .find(|r| matches!(r, InvalidReason::MinQueriesNotMet { .. }))
        .expect("min queries not met");
    assert_eq!(
        *reason,
        InvalidReason::MinQueriesNotMet {
            scenario: inferbench::loadgen::Scenario::SingleStream,
            issued: 7,
            required: 100,
            stop_reason: StopReason::MaxDuration,
            // 7 queries in 70 ms: 100 need about 1,000 ms.
            duration_needed_ms: Some(1_000.0),
        }
    );
    assert!(reason.recommendation().contains("93 more queries"));
}

#[test]
fn too_few_queries_for_early_stopping_is_invalid_with_the_count_needed() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let result = drive(
        Runner::new(bare(ScenarioSettings::SingleStream, 50), 10).unwrap(),
        &clock,
        &mut sut,
    );
    assert_eq!(result.validity.checks.early_stopping_met, Some(false));
    assert_eq!(
        result.validity.reasons,
        vec![InvalidReason::EarlyStoppingTooFewQueries {
            percentile: 0.9,
            query_count: 50,
            min_query_count: 64,
        }]
    );
    assert!(result.validity.reasons[0]
        .explanation()
        .contains("Need to process at least 64 queries"));
    assert!(result.validity.reasons[0]
        .recommendation()
        .contains("min_query_count to at least 64"));
}

#[test]
fn multi_stream_sends_n_samples_per_call_and_times_queries() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(
        &clock,
        ServiceTime::Linear {
            per_call: us(500),
            per_sample: us(250),
        },
    );
    let mut settings = bare(
        ScenarioSettings::MultiStream(MultiStreamSettings {
            samples_per_query: 8,
        }),
        662,
    );
    settings.target_percentile = 0.99;
    let result = drive(Runner::new(settings, 100).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 662);
    assert_eq!(result.sample_count, 662 * 8);
    assert!(sut.call_sizes().iter().all(|&n| n == 8));
    assert_eq!(sut.calls().len(), 662);
    // The samples are the seeded stream, eight per query.
    assert_eq!(
        sut.calls().concat(),
        performance_sample_indices(11, 100, 662 * 8)
    );
    assert!(result
        .queries
        .iter()
        .all(|r| r.latency_ms() == 2.5 && r.samples == 8));
    match result.metric {
        Some(ScenarioMetric::MultiStream(m)) => {
            assert_eq!(m.samples_per_query, 8);
            assert_eq!(m.percentile_latency_ms, 2.5);
            assert_eq!(m.early_stopping.discarded, Some(0));
            assert_eq!(m.early_stopping.estimate_ms, Some(2.5));
        }
        other => panic!("{other:?}"),
    }
    assert!(result.is_valid(), "{:?}", result.validity.reasons);
}

#[test]
fn offline_batches_with_one_call_per_batch_and_exact_throughput() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(
        &clock,
        ServiceTime::Linear {
            per_call: ms(1),
            per_sample: us(10),
        },
    );
    let settings = bare(
        ScenarioSettings::Offline(OfflineSettings {
            batch_size: 64,
            expected_qps: 100.0,
        }),
        1_000,
    );
    assert_eq!(settings.offline_sample_count(), Some(1_000));
    let result = drive(Runner::new(settings, 360).unwrap(), &clock, &mut sut);

    let mut sizes = vec![64; 15];
    sizes.push(40);
    assert_eq!(sut.call_sizes(), sizes);
    assert_eq!(result.query_count, 1);
    assert_eq!(result.sample_count, 1_000);
    assert_eq!(result.queries.len(), 16);
    assert_eq!(result.stop_reason, StopReason::AllSamplesProcessed);
    // Batch k (64 samples) takes 1.64 ms; the last (40) 1.4 ms. All scheduled at t = 0.
    let mut t = 0;
    for (k, r) in result.queries.iter().enumerate() {
        let took = if k < 15 { 1_640_000 } else { 1_400_000 };
        assert_eq!(
            (r.scheduled_ns, r.issued_ns, r.completed_ns),
            (0, t, t + took)
        );
        t += took;
    }
    let end_ns = 15 * 1_640_000 + 1_400_000;
    assert_eq!(t, end_ns);
    match result.metric {
        Some(ScenarioMetric::Offline(m)) => {
            assert_eq!(m.sample_count, 1_000);
            assert_eq!(m.max_latency_ms, end_ns as f64 / 1e6);
            assert_eq!(m.samples_per_second, Some(1_000.0 / (end_ns as f64 / 1e9)));
        }
        other => panic!("{other:?}"),
    }
    // Sample latencies: each batch's latency once per sample. 1,000 of them; the median
    // (sorted[500]) lies in batch 7 (samples 448..512), completed at 8 x 1.64 ms.
    let l = result.latency.unwrap();
    assert_eq!(l.count, 1_000);
    assert_eq!(l.p50_ms, 8.0 * 1.64);
    assert_eq!(l.max_ms, end_ns as f64 / 1e6);
    // Offline does not apply early stopping nor a latency bound.
    assert_eq!(result.validity.checks.early_stopping_met, None);
    assert_eq!(result.validity.checks.latency_bound_met, None);
    assert!(result.is_valid(), "{:?}", result.validity.reasons);
}

#[test]
fn offline_query_shorter_than_the_minimum_recommends_an_expected_qps() {
    // 1,000 samples at 100 us each take 100 ms, below the 1 s minimum: expected_qps should be
    // at least the measured 10,000 samples/s.
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(
        &clock,
        ServiceTime::Linear {
            per_call: Duration::ZERO,
            per_sample: us(100),
        },
    );
    let mut settings = bare(
        ScenarioSettings::Offline(OfflineSettings {
            batch_size: 100,
            expected_qps: 500.0,
        }),
        1_000,
    );
    settings.min_duration_ms = 1_000;
    // max(1,000, 1.1 x 1 s x 500) = 1,000.
    let result = drive(Runner::new(settings, 360).unwrap(), &clock, &mut sut);
    assert_eq!(result.sample_count, 1_000);
    match &result.validity.reasons[..] {
        [InvalidReason::MinDurationNotMet {
            measured_ms, hint, ..
        }] => {
            assert_eq!(*measured_ms, 100.0);
            assert_eq!(*hint, DurationHint::RaiseExpectedQps { at_least: 10_000.0 });
        }
        other => panic!("{other:?}"),
    }
    assert!(result.validity.reasons[0]
        .recommendation()
        .contains("expected_qps to at least 10000"));
}

#[test]
fn accuracy_mode_counts_every_sample_once_exactly() {
    let labels: Vec<u8> = (0..100).map(|i| (i % 10) as u8).collect();
    let mut predictions = labels.clone();
    for wrong in [3, 17, 42, 58, 61, 77, 99] {
        predictions[wrong] = (predictions[wrong] + 1) % 10;
    }
    for scenario in [
        ScenarioSettings::SingleStream,
        ScenarioSettings::MultiStream(MultiStreamSettings {
            samples_per_query: 8,
        }),
        ScenarioSettings::Offline(OfflineSettings {
            batch_size: 32,
            expected_qps: 1.0,
        }),
    ] {
        let clock = ManualClock::new();
        let mut sut = FakeSut::constant(&clock, ms(1)).with_predictions(predictions.clone());
        let mut settings = bare(scenario, 1);
        settings.mode = TestMode::Accuracy;
        settings.warmup_query_count = 5; // ignored in accuracy mode
        let result = drive(
            Runner::with_labels(settings, labels.clone()).unwrap(),
            &clock,
            &mut sut,
        );
        let accuracy = result.accuracy.unwrap();
        assert_eq!((accuracy.correct, accuracy.total), (93, 100));
        assert_eq!(accuracy.top1, Some(0.93));
        assert_eq!(result.warmup.query_count, 0);
        // Every sample once, in the seeded shuffled order.
        assert_eq!(sut.calls().concat(), accuracy_order(11, 100));
        let per_call = sut.call_sizes();
        assert_eq!(per_call.iter().sum::<usize>(), 100);
        assert_eq!(result.metric, None);
        assert!(result.is_valid());
        assert_eq!(result.stop_reason, StopReason::AllSamplesProcessed);
    }
}

#[test]
fn accuracy_mode_needs_labels() {
    let mut settings = bare(ScenarioSettings::SingleStream, 1);
    settings.mode = TestMode::Accuracy;
    assert!(Runner::new(settings.clone(), 10).is_err());
    assert!(Runner::with_labels(settings, vec![0; 10]).is_ok());
}

#[test]
fn cancel_keeps_the_records_and_is_invalid() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(2));
    let mut runner = Runner::new(bare(ScenarioSettings::SingleStream, 1_000), 10).unwrap();
    for _ in 0..5 {
        assert!(matches!(
            runner.step(&clock, &mut sut, Duration::ZERO),
            Step::Progress(_)
        ));
    }
    runner.cancel();
    assert_eq!(runner.step(&clock, &mut sut, Duration::ZERO), Step::Done);
    assert_eq!(sut.calls().len(), 5);
    let result = runner.finish();
    assert_eq!(result.query_count, 5);
    assert_eq!(result.queries.len(), 5);
    assert_eq!(result.stop_reason, StopReason::Cancelled);
    assert!(!result.is_valid());
    assert_eq!(
        result.validity.reasons[0],
        InvalidReason::Cancelled { query_count: 5 }
    );
}

#[test]
fn finishing_an_unended_run_marks_it_cancelled() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(2));
    let mut runner = Runner::new(bare(ScenarioSettings::SingleStream, 1_000), 10).unwrap();
    runner.step(&clock, &mut sut, Duration::ZERO);
    let result = runner.finish();
    assert_eq!(result.stop_reason, StopReason::Cancelled);
    assert_eq!(result.query_count, 1);
}

#[test]
fn page_hidden_during_the_run_is_invalid() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let mut runner = Runner::new(bare(ScenarioSettings::SingleStream, 100), 10).unwrap();
    runner.step(&clock, &mut sut, Duration::ZERO);
    runner.visibility_changed();
    let result = drive(runner, &clock, &mut sut);
    assert_eq!(result.visibility_changes, 1);
    assert_eq!(
        result.validity.reasons,
        vec![InvalidReason::PageHidden { times: 1 }]
    );
}

#[test]
fn the_timer_rule_marks_timer_limited_runs_and_invalidates_only_meaningless_metrics() {
    let tick = TimerResolution {
        resolution_ms: Some(0.1),
        reads: 1000,
        distinct_values: 10,
    };
    let run = |settings: ScenarioSettings, service, dither: Option<Dither>| {
        let clock = ManualClock::new();
        let mut sut = FakeSut::constant(&clock, service);
        let mut runner = Runner::new(bare(settings, 100), 10)
            .unwrap()
            .with_timer_resolution(tick);
        if let Some(d) = dither {
            runner = runner.with_clock_dither(d);
        }
        drive(runner, &clock, &mut sut)
    };
    // 1 ms = 10 ticks: VALID, timer-limited, its p90 known to 2 ticks (0.2 ms, 20%).
    let limited = run(
        ScenarioSettings::SingleStream,
        ms(1),
        Some(Dither::Dithered),
    );
    assert_eq!(limited.timer_resolution_ms, Some(0.1));
    assert_eq!(limited.clock_dither, Some(Dither::Dithered));
    assert!(limited.is_valid(), "{:?}", limited.validity.reasons);
    let mark = limited.validity.timer_limited.expect("timer-limited");
    assert_eq!(
        (mark.tick_ms, mark.median_latency_ms, mark.percentile),
        (0.1, 1.0, 0.9)
    );
    assert_eq!((mark.percentile_latency_ms, mark.bound_ms), (1.0, 0.2));
    assert_eq!(mark.mark(), "timer-limited (p90 ±200.0 µs, ±20%)");
    // Not checked for dithering: still VALID (the means' intervals carry the bound instead).
    assert!(run(ScenarioSettings::SingleStream, ms(1), None).is_valid());
    // Found not dithered: a timer-limited run's means may be biased, INVALID.
    let biased = run(
        ScenarioSettings::SingleStream,
        ms(1),
        Some(Dither::NotDithered),
    );
    assert_eq!(
        biased.validity.reasons,
        vec![InvalidReason::ClockNotDithered {
            p50_latency_ms: 1.0,
            tick_ms: 0.1,
        }]
    );
    // 0.2 ms = 2 ticks: the p90 is within its bound of 0, INVALID.
    let zero = run(ScenarioSettings::SingleStream, us(200), None);
    assert_eq!(
        zero.validity.reasons,
        vec![InvalidReason::TimerBoundReachesZero {
            percentile: 0.9,
            percentile_latency_ms: 0.2,
            tick_ms: 0.1,
            bound_ms: 0.2,
        }]
    );
    // The same latency in Server is VALID (its metric is a throughput within a bound of
    // milliseconds), timer-limited; on a clock that is not dithered, INVALID.
    let server = ScenarioSettings::Server(inferbench::loadgen::settings::ServerSettings {
        target_qps: 100.0,
        latency_bound_ms: 10.0,
    });
    let fast_server = run(server, us(200), Some(Dither::Dithered));
    assert!(fast_server.is_valid(), "{:?}", fast_server.validity.reasons);
    assert!(fast_server.validity.timer_limited.is_some());
    assert!(matches!(
        run(server, us(200), Some(Dither::NotDithered))
            .validity
            .reasons[..],
        [InvalidReason::ClockNotDithered { .. }]
    ));
    // 2 ms = 20 ticks: not timer-limited, whatever the dithering.
    let long = run(
        ScenarioSettings::SingleStream,
        ms(2),
        Some(Dither::NotDithered),
    );
    assert!(long.is_valid());
    assert_eq!(long.validity.timer_limited, None);
}

#[test]
fn a_timer_that_never_moved_makes_the_run_invalid() {
    let frozen = TimerResolution {
        resolution_ms: None,
        reads: 1000,
        distinct_values: 1,
    };
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(5));
    let runner = Runner::new(bare(ScenarioSettings::SingleStream, 100), 10)
        .unwrap()
        .with_timer_resolution(frozen);
    let result = drive(runner, &clock, &mut sut);
    assert_eq!(
        result.validity.reasons,
        vec![InvalidReason::TimerUnmeasurable {
            p50_latency_ms: 5.0
        }]
    );
}

#[test]
fn a_step_spends_its_budget_then_reports_progress_with_an_eta() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let mut settings = bare(ScenarioSettings::SingleStream, 100);
    settings.warmup_query_count = 2;
    let mut runner = Runner::new(settings, 10).unwrap();
    // Warm-up: two queries of 1 ms fit a 5 ms budget; the phase then changes and the
    // measured run starts within the same step.
    let Step::Progress(p) = runner.step(&clock, &mut sut, ms(5)) else {
        panic!("expected progress")
    };
    assert_eq!(p.phase, Phase::Measure);
    assert_eq!((p.done, p.total), (3, 100));
    assert_eq!(p.elapsed_ms, 3.0);
    // 97 queries left at 1 ms each.
    assert_eq!(p.eta_ms, Some(97.0));
    let Step::Progress(p) = runner.step(&clock, &mut sut, ms(5)) else {
        panic!("expected progress")
    };
    assert_eq!(
        p,
        Progress {
            scenario: inferbench::loadgen::Scenario::SingleStream,
            mode: TestMode::Performance,
            phase: Phase::Measure,
            done: 8,
            total: 100,
            unit: inferbench::loadgen::runner::ProgressUnit::Queries,
            elapsed_ms: 8.0,
            eta_ms: Some(92.0),
        }
    );
}

#[test]
fn warmup_progress_counts_warmup_queries() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(4));
    let mut settings = bare(ScenarioSettings::SingleStream, 100);
    settings.warmup_query_count = 10;
    let mut runner = Runner::new(settings, 10).unwrap();
    let Step::Progress(p) = runner.step(&clock, &mut sut, Duration::ZERO) else {
        panic!("expected progress")
    };
    assert_eq!(p.phase, Phase::WarmUp);
    assert_eq!((p.done, p.total), (1, 10));
    assert_eq!(p.eta_ms, Some(36.0));
}

#[test]
fn result_survives_a_json_round_trip() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let result = drive(
        Runner::new(bare(ScenarioSettings::SingleStream, 70), 10).unwrap(),
        &clock,
        &mut sut,
    );
    let json = serde_json::to_string(&result).unwrap();
    let back: RunResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back, result);
    // Records are stored column-wise, packed (base64 varints), without derived fields:
    // 70 latencies of 1 ms (3 bytes each), and idle times of 0 ns (1 byte each).
    assert!(json.contains("\"queries\":{\"count\":70,"), "{json}");
    let packed = |v: u64| inferbench::encoding::pack_unsigned(std::iter::repeat_n(v, 70));
    assert!(
        json.contains(&format!("\"latency_ns\":\"{}\"", packed(1_000_000))),
        "{json}"
    );
    assert!(
        json.contains(&format!("\"idle_ns\":\"{}\"", packed(0))),
        "{json}"
    );
    assert!(json.contains("\"samples\":1,"), "{json}");
    assert!(!json.contains("issue_delay_ns"), "{json}");
    assert!(!json.contains("\"latency_ms\":1.0"));
}

#[test]
fn malformed_query_columns_are_rejected_on_reading() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let result = drive(
        Runner::new(bare(ScenarioSettings::SingleStream, 70), 10).unwrap(),
        &clock,
        &mut sut,
    );
    let json = serde_json::to_string(&result).unwrap();
    let reject = |text: &str| {
        assert_ne!(text, json);
        serde_json::from_str::<RunResult>(text)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    // Version 2: a count the columns do not hold.
    let err = reject(&json.replacen(
        "\"queries\":{\"count\":70,",
        "\"queries\":{\"count\":71,",
        1,
    ));
    assert!(err.contains("column ends at query 70"), "{err}");
    // Version 1's arrays, as a version 1 file holds them.
    let v1 = |gaps: &str, latencies: &str| {
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value["queries"] = serde_json::from_str(&format!(
            "{{\"scheduled_gap_ns\": [{gaps}], \"latency_ns\": [{latencies}], \"samples\": 1}}"
        ))
        .unwrap();
        serde_json::to_string(&value).unwrap()
    };
    assert!(serde_json::from_str::<RunResult>(&v1("0, 1000000", "1000000, 1000000")).is_ok());
    let err = reject(&v1("0, 1000000", "1000000"));
    assert!(err.contains("query columns differ in length"), "{err}");
    let err = reject(&v1("-5, 1000000", "1000000, 1000000"));
    assert!(
        err.contains("query 0 is scheduled at a negative time (-5 ns)"),
        "{err}"
    );
}
