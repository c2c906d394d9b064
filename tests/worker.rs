//! Browser tests in a dedicated Web Worker (wasm32 only), where the benchmark runs in the
//! app: the clock, its resolution, a short session driven as the worker drives it, waits
//! that do not inflate Server latencies, and cancelling.
//! Run with `wasm-pack test --headless --chrome -- --test worker`.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::{short_plan, RecordingControl};
use inferbench::bench::BenchSession;
use inferbench::loadgen::clock::{measure_resolution, Clock};
use inferbench::loadgen::settings::Scenario;
use inferbench::loadgen::validity::{InvalidReason, StopReason};
use inferbench::model::Variant;
use inferbench::results::RunStatus;
use inferbench::web::clock::{cross_origin_isolated, PerformanceClock};
use inferbench::web::drive::{drive, DriveSettings};
use inferbench::web::env::browser_environment;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
fn the_clock_works_in_a_worker_with_a_fine_resolution() {
    assert!(
        js_sys::global()
            .dyn_ref::<web_sys::DedicatedWorkerGlobalScope>()
            .is_some(),
        "these tests run in a dedicated worker"
    );
    let clock = PerformanceClock::new().expect("a worker has performance.now()");
    let a = clock.now();
    let r = measure_resolution(&clock, 200_000);
    assert!(clock.now() >= a);
    let ms = r.resolution_ms.expect("the clock moves over 200,000 reads");
    web_sys::console::log_1(
        &format!(
            "worker timer: {ms} ms over {} reads, {} distinct values",
            r.reads, r.distinct_values
        )
        .into(),
    );
    // The test runner serves the page and its workers cross-origin isolated: 5 us ticks.
    assert!(cross_origin_isolated());
    assert!(ms > 0.0 && ms < 0.05, "resolution {ms} ms");
    let env = browser_environment(r, true);
    assert!(env.user_agent.is_some_and(|ua| !ua.is_empty()));
    assert!(env.logical_cores.is_some_and(|n| n >= 1));
    assert!(env.wasm_memory_bytes.is_some_and(|b| b >= 65_536));
    assert_eq!(env.simd, cfg!(target_feature = "simd128"));
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn a_short_session_runs_in_the_worker_and_waits_do_not_inflate_latencies() {
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 200_000);
    let plan = short_plan(
        "worker test",
        vec![Variant::F32Naive],
        &[Scenario::SingleStream, Scenario::Server],
    );
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer);
    let mut control = RecordingControl::default();
    let before = descheduled_share(&clock);
    drive(&mut session, &clock, &mut control, DriveSettings::default())
        .await
        .unwrap();
    let result = session.finish(browser_environment(timer, cross_origin_isolated()), None);
    assert_eq!(result.status, RunStatus::Completed);
    // Progress went out during training and during both runs.
    assert!(control.reports.iter().any(|p| p.training.is_some()));
    for s in [Scenario::SingleStream, Scenario::Server] {
        assert!(
            control
                .reports
                .iter()
                .any(|p| p.run.as_ref().is_some_and(|r| r.scenario == s)),
            "no progress during {s}"
        );
    }
    let variant = &result.variants[0];
    let single = &variant.run(Scenario::SingleStream).unwrap().run;
    assert!(single.is_valid(), "{:?}", single.validity.reasons);
    // An idle Server (400 QPS, a query takes ~0.6 ms) starts each query on time: the
    // driver's waits spin. Waits that slept on setTimeout would start late by its clamp
    // (4 ms) or more. Only the queries that arrived while the system was idle (the query
    // before them had completed) tell: their lateness is the driver's alone, not queueing
    // behind an earlier query. A busy machine delays a spinning thread too (it is
    // descheduled), so the bound applies only when a busy loop around the session found the
    // thread descheduled for under 5% of the time; else the test says why it does not judge.
    let server = &variant.run(Scenario::Server).unwrap().run;
    let mut idle_lateness_ms: Vec<f64> = server
        .queries
        .windows(2)
        .filter(|w| w[1].scheduled_ns >= w[0].completed_ns)
        .map(|w| (w[1].issued_ns - w[1].scheduled_ns) as f64 / 1e6)
        .collect();
    idle_lateness_ms.sort_by(f64::total_cmp);
    let descheduled = descheduled_share(&clock).max(before);
    let tick = timer.resolution_ms.unwrap();
    let median = idle_lateness_ms.get(idle_lateness_ms.len() / 2).copied();
    web_sys::console::log_1(
        &format!(
            "Server: {} of {} queries arrived with the system idle, their median lateness \
             {median:?} ms (tick {tick} ms); the thread was descheduled for {:.1}% of a busy \
             loop",
            idle_lateness_ms.len(),
            server.queries.len(),
            descheduled * 100.0
        )
        .into(),
    );
    match median {
        Some(median) if descheduled < 0.05 => assert!(
            median < 2.0,
            "median lateness {median} ms of idle arrivals: waits that sleep?"
        ),
        _ => web_sys::console::log_1(
            &"Server lateness not judged: the machine is busy (the thread was descheduled \
              for 5% or more of a busy loop) or no query arrived with the system idle"
                .into(),
        ),
    }
}

/// The share of a 200 ms busy loop during which this thread did not run: the gaps of over
/// 0.5 ms between consecutive clock readings (a preemption), over the loop's length.
fn descheduled_share(clock: &PerformanceClock) -> f64 {
    let start = clock.now();
    let mut last = start;
    let mut gaps = std::time::Duration::ZERO;
    while last - start < std::time::Duration::from_millis(200) {
        let now = clock.now();
        if now - last > std::time::Duration::from_micros(500) {
            gaps += now - last;
        }
        last = now;
    }
    gaps.as_secs_f64() / (last - start).as_secs_f64()
}

#[wasm_bindgen_test]
async fn a_cancelled_session_keeps_its_measurements_and_is_invalid() {
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 100_000);
    let plan = short_plan(
        "cancel test",
        vec![Variant::F32Naive, Variant::F32Fast],
        &[Scenario::SingleStream, Scenario::MultiStream],
    );
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer);
    let mut control = RecordingControl {
        cancel_in: Some(Scenario::SingleStream),
        cancel_after: 1,
        ..RecordingControl::default()
    };
    drive(&mut session, &clock, &mut control, DriveSettings::default())
        .await
        .unwrap();
    let result = session.finish(browser_environment(timer, true), None);
    assert_eq!(result.status, RunStatus::Cancelled);
    assert_eq!(result.variants.len(), 1, "the second variant never started");
    let run = &result.variants[0].run(Scenario::SingleStream).unwrap().run;
    assert_eq!(run.stop_reason, StopReason::Cancelled);
    assert!(!run.queries.is_empty(), "measurements are kept");
    assert!(matches!(
        run.validity.reasons.first(),
        Some(InvalidReason::Cancelled { .. })
    ));
    assert!(result.variants[0].run(Scenario::MultiStream).is_none());
}

#[wasm_bindgen_test]
async fn the_overhead_and_a_synthetic_system_run_in_the_worker() {
    use inferbench::loadgen::overhead::{measure_overhead, OVERHEAD_QUERIES};
    use inferbench::loadgen::synthetic::SyntheticSut;
    use inferbench::plan::BenchPlan;
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 200_000);
    let overhead = measure_overhead(&clock, OVERHEAD_QUERIES);
    assert_eq!(overhead.queries, OVERHEAD_QUERIES);
    assert!(overhead.per_query_ns > 0.0, "{overhead:?}");
    // The figures the README quotes for the page (a measurement, not a check).
    web_sys::console::log_1(
        &format!(
            "load generator in the worker: {:.0} ns between issues, {:.0} ns mean latency, \
             {:.0} ns overhead per query ({} null queries, timer {:?} ms)",
            overhead.per_query_ns,
            overhead.mean_latency_ns,
            overhead.overhead_ns,
            overhead.queries,
            timer.resolution_ms
        )
        .into(),
    );
    let sut: SyntheticSut = "fixed:50us".parse().unwrap();
    let plan: BenchPlan = short_plan(
        "synthetic",
        vec![Variant::F32Naive],
        &[Scenario::SingleStream],
    )
    .with_synthetic_sut(sut);
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer)
        .with_loadgen_overhead(overhead);
    let mut control = RecordingControl::default();
    drive(&mut session, &clock, &mut control, DriveSettings::default())
        .await
        .unwrap();
    let result = session.finish(browser_environment(timer, cross_origin_isolated()), None);
    assert_eq!(result.status, RunStatus::Completed);
    assert_eq!(result.loadgen_overhead, Some(overhead));
    let run = &result.variants[0].run(Scenario::SingleStream).unwrap().run;
    // A spin on performance.now() lasts at least its service time.
    assert!(run
        .queries
        .iter()
        .all(|q| q.completed_ns - q.issued_ns >= 50_000));
}

/// A system under test that spins a fixed busy loop per call: a work item of known length.
struct SpinSut(u64);

impl inferbench::loadgen::SystemUnderTest for SpinSut {
    fn process(&mut self, _samples: &[usize], predictions: &mut [u8]) {
        let x = inferbench::loadgen::timing_check::spin(self.0);
        predictions.fill((x % 10) as u8);
    }
}

#[wasm_bindgen_test]
fn the_clock_check_finds_the_worker_clock_dithered_or_says_it_cannot_tell() {
    use inferbench::loadgen::timing_check::{ClockCheckRun, ClockCheckSettings, Dither};
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 200_000);
    let mut check = ClockCheckRun::new(timer.resolution_ms, ClockCheckSettings::default());
    while !check.step(&clock, std::time::Duration::from_millis(30)) {}
    let c = check.finish();
    let t = c.times.expect("a moving clock is checked");
    let readings: u64 = c.readings_by_ticks.iter().sum();
    web_sys::console::log_1(
        &format!(
            "clock check: tick {} ms, item {:.3} ticks, one by one {:.6} ms, tick-free {:.6} \
             ms, difference {:.6} ms ({:.6} to {:.6}), readings 0/1/2/3+ ticks {:?} of \
             {readings}: {:?}",
            timer.resolution_ms.unwrap(),
            t.batch_mean_ms / timer.resolution_ms.unwrap(),
            t.per_query_mean_ms,
            t.batch_mean_ms,
            t.difference_ms,
            t.difference_interval_ms.lower,
            t.difference_interval_ms.upper,
            c.readings_by_ticks,
            c.dither
        )
        .into(),
    );
    assert_eq!(readings, u64::from(t.groups) * u64::from(t.calls_per_group));
    // Browsers dither their clock (a run would be INVALID on one that is not): the check
    // never finds it biased, whatever the load of the machine (which can only make it unsure).
    assert_ne!(c.dither, Dither::NotDithered, "{c:?}");
}

#[wasm_bindgen_test]
fn the_batch_cross_check_agrees_with_the_per_query_mean_on_a_work_item_of_known_length() {
    use inferbench::loadgen::cross_check::{CrossCheckRun, CrossCheckSettings};
    use inferbench::loadgen::runner::Runner;
    use inferbench::loadgen::timing_check::{ClockCheckRun, ClockCheckSettings};
    use inferbench::loadgen::{run_to_completion, spin_until};
    let clock = PerformanceClock::new().unwrap();
    let timer = measure_resolution(&clock, 200_000);
    let tick = timer.resolution_ms.unwrap();
    // The item: a busy loop of about 4 ticks, its length measured by the clock check's
    // groups (tick-free).
    let settings = ClockCheckSettings {
        item_ticks: 4.0,
        groups: 12,
        ..ClockCheckSettings::default()
    };
    let mut calibration = ClockCheckRun::new(Some(tick), settings);
    while !calibration.step(&clock, std::time::Duration::from_millis(30)) {}
    let item = calibration.finish();
    let known_ms = item.times.unwrap().batch_mean_ms;
    // A SingleStream run of it: timer-limited (4 ticks at most: a stall during the calibration
    // only shortens the item).
    let mut test = browser_support::short_settings(Scenario::SingleStream);
    test.min_duration_ms = 250;
    let runner = Runner::new(test, 359)
        .unwrap()
        .with_timer_resolution(timer)
        .with_clock_dither(item.dither);
    let mut sut = SpinSut(item.item_iterations);
    let run = run_to_completion(runner, &clock, &mut sut, |t| spin_until(&clock, t));
    let mut check = CrossCheckRun::new(&run, 359, tick, CrossCheckSettings::default())
        .expect("a SingleStream run is cross-checked");
    while !check.step(&clock, &mut sut, std::time::Duration::from_millis(30)) {}
    let c = check.finish().expect("every group was timed");
    let t = c.times;
    web_sys::console::log_1(
        &format!(
            "cross-check on a {known_ms:.6} ms item ({:.2} ticks of {tick} ms): run's mean \
             {:.6} ms over {} queries; one by one {:.6} ms, tick-free {:.6} ms, difference \
             {:.6} ms ({:.6} to {:.6}) ({} groups of {}); run {}",
            known_ms / tick,
            c.run_mean_ms,
            c.run_calls,
            t.per_query_mean_ms,
            t.batch_mean_ms,
            t.difference_ms,
            t.difference_interval_ms.lower,
            t.difference_interval_ms.upper,
            t.groups,
            t.calls_per_group,
            run.validity
                .timer_limited
                .map_or_else(|| "not timer-limited".to_string(), |l| l.mark())
        )
        .into(),
    );
    assert!(run.validity.timer_limited.is_some(), "{:?}", run.latency);
    assert!(t.batch_mean_ms > 0.0);
    // The agreement, within the error the check itself states.
    assert!(
        c.agrees(),
        "one by one {} ms against tick-free {} ms: difference {} ms, its interval {:?}",
        t.per_query_mean_ms,
        t.batch_mean_ms,
        t.difference_ms,
        t.difference_interval_ms
    );
}
