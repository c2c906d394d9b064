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
    // driver's waits spin, so the median queueing delay stays within a few timer ticks
    // (a few here; the bound is loose for noisy machines, while waits that slept on
    // setTimeout would be late by 4 ms, 800 ticks).
    let server = &variant.run(Scenario::Server).unwrap().run;
    let mut queueing: Vec<f64> = server
        .queries
        .iter()
        .map(|q| q.queueing_ms().unwrap())
        .collect();
    queueing.sort_by(f64::total_cmp);
    let tick = timer.resolution_ms.unwrap();
    let median = queueing[queueing.len() / 2];
    let p90 = queueing[queueing.len() * 9 / 10];
    web_sys::console::log_1(
        &format!(
            "Server queueing: median {median} ms, p90 {p90} ms, max {} ms over {} queries \
             (tick {tick} ms)",
            queueing.last().unwrap(),
            queueing.len()
        )
        .into(),
    );
    assert!(median <= 20.0 * tick, "median queueing {median} ms");
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
    use inferbench::bench::BenchPlan;
    use inferbench::loadgen::overhead::{measure_overhead, OVERHEAD_QUERIES};
    use inferbench::loadgen::synthetic::SyntheticSut;
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
