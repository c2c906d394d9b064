//! The Server scenario is an M/G/1 queue: on the scripted clock (exact service times, the
//! seeded Poisson schedule) its mean latency converges to the Pollaczek-Khinchine formula.
//! This is the exact counterpart of running `inferbench run --sut fixed:1ms` at 50% and 80%
//! utilisation (the README quotes those measured runs).

use std::time::Duration;

use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::runner::Runner;
use inferbench::loadgen::settings::{ScenarioSettings, ServerSettings};
use inferbench::loadgen::sut::{FakeSut, ServiceTime};
use inferbench::loadgen::synthetic::{ServiceTimes, SyntheticSut};
use inferbench::stats::queueing::{md1_mean_latency, mg1_mean_latency};

use super::loadgen_support::{bare, drive};

/// The mean latency, in ms, of a Server run of `queries` at `qps` whose calls take `service`.
fn mean_latency_ms(qps: f64, queries: u64, service: ServiceTime) -> f64 {
    let mut settings = bare(
        ScenarioSettings::Server(ServerSettings {
            target_qps: qps,
            latency_bound_ms: 1_000.0,
        }),
        queries,
    );
    settings.max_query_count = queries;
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(&clock, service);
    let run = drive(Runner::new(settings, 10).unwrap(), &clock, &mut sut);
    assert_eq!(run.queries.len() as u64, queries);
    run.queries.iter().map(|q| q.latency_ms()).sum::<f64>() / queries as f64
}

#[test]
fn fixed_service_at_half_and_four_fifths_load_is_md1() {
    // 1 ms per query at 500 and 800 queries per second: theory 1.5 ms and 3 ms.
    for (qps, expected) in [(500.0, 1.5), (800.0, 3.0)] {
        let theory = md1_mean_latency(qps / 1e3, 1.0).unwrap();
        assert!((theory - expected).abs() < 1e-12);
        let measured = mean_latency_ms(
            qps,
            200_000,
            ServiceTime::Constant(Duration::from_millis(1)),
        );
        let error = (measured - theory).abs() / theory;
        assert!(error < 0.05, "{qps} QPS: {measured} ms against {theory} ms");
    }
}

#[test]
fn lognormal_service_is_mg1() {
    let sut = SyntheticSut::Lognormal {
        mean_ns: 1_000_000,
        sigma: 0.5,
    };
    let mut times = ServiceTimes::new(sut, 3);
    let service = ServiceTime::Custom(Box::new(move |_, _| times.next_service()));
    let theory = mg1_mean_latency(
        0.7,
        sut.mean_service_ns() / 1e6,
        sut.service_second_moment_ns2() / 1e12,
    )
    .unwrap();
    let measured = mean_latency_ms(700.0, 200_000, service);
    let error = (measured - theory).abs() / theory;
    assert!(error < 0.05, "{measured} ms against {theory} ms");
}
