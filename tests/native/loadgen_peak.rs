//! The Server peak search (LoadGen's FindPeakPerformance) on a `ManualClock` with a
//! `FakeSut`: bracketing by doubling, bisection to 0.1 QPS, and every way it can end.

use std::time::Duration;

use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::peak::{PeakOutcome, ProbeKind};
use inferbench::loadgen::settings::{Scenario, ScenarioSettings, ServerSettings, TestSettings};
use inferbench::loadgen::{FakeSut, PeakSearch, PeakSearchSettings, SettingsError, Step, Stepwise};

use crate::loadgen_support::{bare, drive, ms};

fn base(target_qps: f64, min_query_count: u64) -> TestSettings {
    let mut s = bare(
        ScenarioSettings::Server(ServerSettings {
            target_qps,
            latency_bound_ms: 10.0,
        }),
        min_query_count,
    );
    s.target_percentile = 0.99;
    s
}

#[test]
fn brackets_by_doubling_then_bisects_to_a_tenth_of_a_qps() {
    // 2 ms per query: the p99 latency crosses 10 ms somewhere below 500 qps (rho = 1).
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(2));
    let search = PeakSearch::new(base(50.0, 2_000), 50, PeakSearchSettings::default()).unwrap();
    let result = drive(search, &clock, &mut sut);

    assert_eq!(result.outcome, PeakOutcome::Found);
    let probes = &result.probes;
    assert_eq!(probes[0].kind, ProbeKind::LowerBound);
    assert_eq!(probes[0].target_qps, 50.0);
    assert!(probes[0].latency_bound_met);

    // Replay the search: widening doubles until a miss, then each bisection probe is the
    // midpoint of the current bracket, which it halves.
    let mut lower = 50.0;
    let mut upper: Option<f64> = None;
    for p in &probes[1..] {
        match upper {
            None => {
                assert_eq!(p.kind, ProbeKind::Widen);
                assert_eq!(p.target_qps, lower * 2.0);
            }
            Some(u) => {
                assert_eq!(p.kind, ProbeKind::Bisect);
                assert_eq!(p.target_qps, lower + (u - lower) / 2.0);
            }
        }
        if p.latency_bound_met {
            lower = p.target_qps;
        } else {
            upper = Some(p.target_qps);
        }
    }
    let upper = upper.expect("the search found a failing rate");
    // LoadGen's stopping rule at one decimal: floor(10 l) + 1 >= floor(10 u).
    assert!((lower * 10.0).floor() + 1.0 >= (upper * 10.0).floor());
    assert_eq!(result.peak_target_qps, Some(lower));
    assert_eq!(result.lowest_failing_qps, Some(upper));
    assert!(lower > 100.0 && upper < 500.0, "[{lower}, {upper})");
    // The peak run is the full run at the peak, within the bound.
    let run = result.peak_run.as_ref().unwrap();
    assert!(run.percentile_latency_ms().unwrap() <= 10.0);
    match run.settings.scenario {
        ScenarioSettings::Server(s) => assert_eq!(s.target_qps, lower),
        _ => unreachable!(),
    }
    // Every probe is kept with what the page needs to draw latency against QPS.
    assert!(probes.iter().all(|p| p.percentile_latency_ms.is_some()));
    assert!(probes
        .iter()
        .all(|p| p.latency_bound_met == (p.percentile_latency_ms.unwrap() <= 10.0)));
}

#[test]
fn a_failing_lower_bound_ends_the_search() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(15));
    let search = PeakSearch::new(base(100.0, 200), 50, PeakSearchSettings::default()).unwrap();
    let result = drive(search, &clock, &mut sut);
    assert_eq!(result.outcome, PeakOutcome::LowerBoundFails);
    assert_eq!(result.probes.len(), 1);
    assert_eq!(result.peak_target_qps, None);
    assert_eq!(result.lowest_failing_qps, Some(100.0));
    assert!(result.peak_run.is_none());
}

#[test]
fn a_system_that_never_misses_stops_at_the_qps_limit() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, Duration::ZERO);
    let search = PeakSearch::new(base(1_000.0, 10), 50, PeakSearchSettings::default()).unwrap();
    let result = drive(search, &clock, &mut sut);
    assert_eq!(result.outcome, PeakOutcome::QpsLimitReached);
    // 1,000 x 2^9 = 512,000 is the last rate below the 1e6 limit.
    assert_eq!(result.probes.len(), 10);
    assert_eq!(result.peak_target_qps, Some(512_000.0));
}

#[test]
fn the_probe_limit_stops_the_search_with_the_best_so_far() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(2));
    let settings = PeakSearchSettings {
        max_probes: 3,
        ..PeakSearchSettings::default()
    };
    let result = drive(
        PeakSearch::new(base(50.0, 2_000), 50, settings).unwrap(),
        &clock,
        &mut sut,
    );
    assert_eq!(result.outcome, PeakOutcome::ProbeLimitReached);
    assert_eq!(result.probes.len(), 3);
    // 50 and 100 qps (rho 0.1, 0.2) meet the bound; 200 (rho 0.4) too.
    assert_eq!(result.peak_target_qps, Some(200.0));
}

#[test]
fn cancel_ends_the_search_and_keeps_the_probes() {
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, ms(2));
    let mut search = PeakSearch::new(base(50.0, 200), 50, PeakSearchSettings::default()).unwrap();
    // Run until the first probe has finished and the second has started.
    while search.probes().is_empty() {
        match search.step(&clock, &mut sut, ms(100)) {
            Step::WaitUntil(t) => clock.set(t),
            Step::Progress(_) => {}
            Step::Done => panic!("the search ended too early"),
        }
    }
    search.step(&clock, &mut sut, Duration::ZERO);
    assert_eq!(search.current_probe(), Some((ProbeKind::Widen, 100.0)));
    search.cancel();
    assert_eq!(search.step(&clock, &mut sut, Duration::ZERO), Step::Done);
    let result = search.finish();
    assert_eq!(result.outcome, PeakOutcome::Cancelled);
    assert_eq!(result.probes.len(), 1);
    assert_eq!(result.peak_target_qps, Some(50.0));
}

#[test]
fn the_search_refuses_what_it_cannot_run() {
    let ss = TestSettings::quick(Scenario::SingleStream);
    assert_eq!(
        PeakSearch::new(ss, 50, PeakSearchSettings::default()).err(),
        Some(SettingsError::PeakSearchNeedsServer {
            scenario: Scenario::SingleStream
        })
    );
    for bad in [
        PeakSearchSettings {
            boundary_step_size: 0.0,
            ..PeakSearchSettings::default()
        },
        PeakSearchSettings {
            decimals_of_precision: 9,
            ..PeakSearchSettings::default()
        },
        PeakSearchSettings {
            max_probes: 0,
            ..PeakSearchSettings::default()
        },
    ] {
        assert!(matches!(
            PeakSearch::new(base(50.0, 100), 50, bad),
            Err(SettingsError::InvalidPeakSearch { .. })
        ));
    }
    assert!(matches!(
        PeakSearch::new(base(0.0, 100), 50, PeakSearchSettings::default()),
        Err(SettingsError::InvalidRate { .. })
    ));
}
