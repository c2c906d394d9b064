//! The Server scenario on a `ManualClock` with a `FakeSut`: Poisson arrivals, waiting when
//! idle, queueing when behind (latency = queueing + service, from the scheduled arrival), the
//! M/D/1 mean, the latency bound, LoadGen's throughput formulas, and seeded schedules.

use std::time::Duration;

use inferbench::loadgen::clock::{Clock, ManualClock};
use inferbench::loadgen::result::{ScenarioMetric, ServerMetric};
use inferbench::loadgen::schedule::{performance_sample_indices, server_arrivals_ns};
use inferbench::loadgen::settings::{ScenarioSettings, ServerSettings, TestSettings};
use inferbench::loadgen::validity::{DurationHint, InvalidReason, StopReason};
use inferbench::loadgen::{FakeSut, RunResult, Runner, Step};

use crate::loadgen_support::{bare, drive, ms, us};

fn server(target_qps: f64, latency_bound_ms: f64, min_query_count: u64) -> TestSettings {
    let mut s = bare(
        ScenarioSettings::Server(ServerSettings {
            target_qps,
            latency_bound_ms,
        }),
        min_query_count,
    );
    s.target_percentile = 0.99;
    s
}

fn metric(result: &RunResult) -> ServerMetric {
    match result.metric {
        Some(ScenarioMetric::Server(m)) => m,
        ref other => panic!("not a Server metric: {other:?}"),
    }
}

/// Checks the single-server FIFO recursion on every record: a query starts at the later of its
/// arrival and the previous completion, and its latency is exactly queueing + service.
fn assert_fifo(result: &RunResult, service_ns: u64) {
    let mut previous_completion = 0;
    for (i, r) in result.queries.iter().enumerate() {
        assert_eq!(
            r.issued_ns,
            r.scheduled_ns.max(previous_completion),
            "query {i}"
        );
        assert_eq!(r.completed_ns, r.issued_ns + service_ns, "query {i}");
        assert_eq!(
            r.completed_ns - r.scheduled_ns,
            (r.issued_ns - r.scheduled_ns) + (r.completed_ns - r.issued_ns)
        );
        assert_eq!(
            r.queueing_ms(),
            Some((r.issued_ns - r.scheduled_ns) as f64 / 1e6)
        );
        assert_eq!(r.service_ms(), Some(service_ns as f64 / 1e6));
        previous_completion = r.completed_ns;
    }
}

#[test]
fn queueing_appears_when_arrivals_outpace_service() {
    // 100 qps offered, 15 ms per query: rho = 1.5, the queue grows without bound.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(15));
    let result = drive(
        Runner::new(server(100.0, 10.0, 200), 50).unwrap(),
        &clock,
        &mut sut,
    );
    assert_eq!(result.query_count, 200);
    assert_fifo(&result, 15_000_000);
    let waits: Vec<f64> = result
        .queries
        .iter()
        .map(|r| r.queueing_ms().unwrap())
        .collect();
    assert_eq!(waits[0], 0.0);
    // The last query waits for everything before it: about 200 x 15 ms - 2 s.
    assert!(waits[199] > 500.0, "{}", waits[199]);
    let m = metric(&result);
    assert_eq!(m.service.min_ms, 15.0);
    assert_eq!(m.service.max_ms, 15.0);
    assert_eq!(m.queueing.max_ms, waits.iter().cloned().fold(0.0, f64::max));
}

#[test]
fn an_overloaded_server_is_invalid_on_the_latency_bound() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(15));
    let result = drive(
        Runner::new(server(100.0, 10.0, 200), 50).unwrap(),
        &clock,
        &mut sut,
    );
    let m = metric(&result);
    assert!(!m.latency_bound_met);
    assert_eq!(result.validity.checks.latency_bound_met, Some(false));
    let reason = &result.validity.reasons[0];
    assert_eq!(
        *reason,
        InvalidReason::LatencyBoundExceeded {
            percentile: 0.99,
            percentile_latency_ms: m.percentile_latency_ms,
            latency_bound_ms: 10.0,
            target_qps: 100.0,
        }
    );
    assert!(reason.recommendation().starts_with("Reduce target QPS"));
    // Every query is over 10 ms (even the first takes 15 ms): early stopping fails too.
    assert_eq!(m.early_stopping.overlatency_count, 200);
    assert!(!m.early_stopping.met);
    assert!(result
        .validity
        .reasons
        .iter()
        .any(|r| matches!(r, InvalidReason::EarlyStoppingNeedsMoreQueries { .. })));
}

#[test]
fn an_idle_server_waits_for_each_arrival_without_spinning() {
    // 10 qps, 100 us per query: the SUT is nearly always idle.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, us(100));
    let mut runner = Runner::new(server(10.0, 10.0, 20), 50).unwrap();
    let arrivals = runner.arrivals_ns().unwrap().to_vec();
    let mut waits = 0;
    loop {
        match runner.step(&clock, &mut sut, ms(1_000)) {
            Step::WaitUntil(deadline) => {
                // Asking again before the deadline does no work and gives the same answer.
                let calls = sut.calls().len();
                assert_eq!(
                    runner.step(&clock, &mut sut, ms(1_000)),
                    Step::WaitUntil(deadline)
                );
                assert_eq!(sut.calls().len(), calls);
                assert!(deadline > clock.now());
                clock.set(deadline);
                waits += 1;
            }
            Step::Progress(_) => {}
            Step::Done => break,
        }
    }
    // Every arrival after the first (at t = 0) needed a wait.
    assert_eq!(waits, arrivals.len() - 1);
    let result = runner.finish();
    for (r, &a) in result.queries.iter().zip(&arrivals) {
        assert_eq!((r.scheduled_ns, r.issued_ns), (a, a));
        assert_eq!(r.latency_ms(), 0.1);
        assert_eq!(r.queueing_ms(), Some(0.0));
    }
}

#[test]
fn md1_mean_latency_at_half_load_matches_the_formula() {
    // M/D/1: W = S + rho S / (2 (1 - rho)); S = 1 ms, 500 qps -> rho = 0.5, W = 1.5 ms.
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let result = drive(
        Runner::new(server(500.0, 10.0, 20_000), 50).unwrap(),
        &clock,
        &mut sut,
    );
    assert_eq!(result.query_count, 20_000);
    assert_fifo(&result, 1_000_000);
    let mean_ms = result.latency.unwrap().mean_ms;
    let rho: f64 = 0.5;
    let expected_ms = 1.0 + rho * 1.0 / (2.0 * (1.0 - rho));
    assert!(
        ((mean_ms - expected_ms) / expected_ms).abs() < 0.03,
        "mean {mean_ms} ms vs M/D/1 {expected_ms} ms"
    );
    // The offered rate: (n - 1) / final scheduled time, within 3% of 500 qps.
    let scheduled = metric(&result).scheduled_samples_per_second.unwrap();
    assert!((scheduled / 500.0 - 1.0).abs() < 0.03, "{scheduled}");
}

#[test]
fn a_moderate_server_run_is_valid_and_its_throughput_is_loadgens() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(1));
    let mut settings = server(100.0, 10.0, 662);
    settings.min_duration_ms = 1_000;
    let result = drive(Runner::new(settings, 50).unwrap(), &clock, &mut sut);
    assert!(result.is_valid(), "{:?}", result.validity.reasons);
    assert_eq!(result.stop_reason, StopReason::ScheduleExhausted);
    let n = result.query_count;
    assert!(n >= 662);
    let last = result.queries.last().unwrap();
    let m = metric(&result);
    assert_eq!(
        m.completed_samples_per_second,
        Some((n - 1) as f64 / (last.completed_ns as f64 / 1e9))
    );
    assert_eq!(
        m.scheduled_samples_per_second,
        Some((n - 1) as f64 / (last.scheduled_ns as f64 / 1e9))
    );
    assert!(m.latency_bound_met);
    assert!(m.early_stopping.met);
    assert_eq!(result.validity.checks.min_duration_met, Some(true));
    // The latency counts from the scheduled arrival.
    for r in &result.queries {
        assert_eq!(
            r.latency_ms(),
            (r.completed_ns - r.scheduled_ns) as f64 / 1e6
        );
    }
}

#[test]
fn the_schedule_alone_meets_the_minimum_duration() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, us(100));
    let mut settings = server(50.0, 10.0, 10);
    settings.min_duration_ms = 2_000;
    let result = drive(Runner::new(settings, 50).unwrap(), &clock, &mut sut);
    assert!(result.times.final_query_scheduled_ms >= 2_000.0);
    assert_eq!(result.validity.checks.min_duration_met, Some(true));
    // The previous arrival was still below the minimum duration.
    let n = result.queries.len();
    assert!(result.queries[n - 2].scheduled_ns < 2_000_000_000);
}

#[test]
fn max_query_count_cuts_the_schedule_and_says_how_many_are_needed() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, us(100));
    let mut settings = server(100.0, 10.0, 10);
    settings.min_duration_ms = 10_000;
    settings.max_query_count = 50;
    let result = drive(Runner::new(settings, 50).unwrap(), &clock, &mut sut);
    assert_eq!(result.query_count, 50);
    assert_eq!(result.stop_reason, StopReason::MaxQueryCount);
    let hint = result.validity.reasons.iter().find_map(|r| match r {
        InvalidReason::MinDurationNotMet { hint, .. } => Some(*hint),
        _ => None,
    });
    // 100 qps x 10 s, plus the arrival at t = 0.
    assert_eq!(
        hint,
        Some(DurationHint::RaiseMaxQueryCount { at_least: 1_001 })
    );
}

#[test]
fn same_seed_same_schedule_other_seed_another() {
    let settings = server(200.0, 10.0, 500);
    let a = Runner::new(settings.clone(), 50).unwrap();
    let b = Runner::new(settings.clone(), 50).unwrap();
    assert_eq!(a.arrivals_ns(), b.arrivals_ns());
    assert_eq!(
        a.arrivals_ns().unwrap(),
        &server_arrivals_ns(200.0, 0, 500, 0, settings.seeds.schedule)[..]
    );
    let mut other = settings.clone();
    other.seeds.schedule += 1;
    let c = Runner::new(other, 50).unwrap();
    assert_ne!(a.arrivals_ns(), c.arrivals_ns());
    // Changing the sample-index seed changes the samples but not the schedule.
    let mut other = settings;
    other.seeds.sample_index += 1;
    let d = Runner::new(other, 50).unwrap();
    assert_eq!(a.arrivals_ns(), d.arrivals_ns());
}

#[test]
fn server_samples_follow_the_sample_index_seed() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, Duration::from_micros(10));
    let settings = server(1_000.0, 10.0, 100);
    let seed = settings.seeds.sample_index;
    drive(Runner::new(settings, 37).unwrap(), &clock, &mut sut);
    assert_eq!(
        sut.calls().concat(),
        performance_sample_indices(seed, 37, 100)
    );
}

#[test]
fn a_driver_pause_while_a_query_is_due_is_not_counted_as_queueing() {
    // 100 qps, 100 us per query: idle between arrivals. The driver yields for 30 ms right
    // before the 5th arrival is due (a worker's forced yield on a busy machine).
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, us(100));
    let mut runner = Runner::new(server(100.0, 10.0, 50), 50).unwrap();
    let arrivals = runner.arrivals_ns().unwrap().to_vec();
    let mut excused = Duration::ZERO;
    let mut waits = 0;
    loop {
        match runner.step(&clock, &mut sut, ms(1_000)) {
            Step::WaitUntil(deadline) => {
                waits += 1;
                if waits == 4 {
                    let from = clock.now();
                    clock.set(deadline + ms(30));
                    excused = runner.driver_paused(from, clock.now());
                } else {
                    clock.set(deadline);
                }
            }
            Step::Progress(_) => {}
            Step::Done => break,
        }
    }
    // The 30 ms past the deadline are excused: the query is issued at once, and every
    // arrival after it moves 30 ms later, so no query queued.
    assert_eq!(excused, ms(30));
    let result = runner.finish();
    for (i, r) in result.queries.iter().enumerate() {
        assert_eq!(r.queueing_ms(), Some(0.0), "query {i}");
        let shift = if i >= 4 { 30_000_000 } else { 0 };
        assert_eq!(r.scheduled_ns, arrivals[i] + shift, "query {i}");
    }
    assert_eq!(result.schedule_paused_ms, 30.0);
    // A pause while nothing is due, or in another phase, excuses nothing.
    let mut idle = Runner::new(server(100.0, 10.0, 50), 50).unwrap();
    assert_eq!(idle.driver_paused(ms(0), ms(5)), Duration::ZERO);
}
