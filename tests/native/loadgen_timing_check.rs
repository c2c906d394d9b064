//! The clock check and its paired-timing engine on simulated coarse clocks: a dithered clock
//! is found dithered, a lagging (biased) one is not, a frozen one is not measured, and the
//! engine's tick-free mean is exact on an exact clock.

use std::cell::Cell;
use std::time::Duration;

use inferbench::loadgen::clock::{Clock, ManualClock};
use inferbench::loadgen::sim_clock::{QuantisedClock, Rounding};
use inferbench::loadgen::timing_check::{
    dither_verdict, ClockCheckRun, ClockCheckSettings, Dither, PairedTiming, WorkItem,
};

const TICK_NS: f64 = 5_000.0;

/// A work item of one simulated nanosecond per iteration.
struct SimItem<'c>(&'c QuantisedClock);

impl WorkItem for SimItem<'_> {
    fn run(&mut self, iterations: u64) {
        self.0.advance_ns(iterations as f64);
    }
}

fn clock(rounding: Rounding, read_cost_ns: u64) -> QuantisedClock {
    QuantisedClock::new(
        Duration::from_nanos(TICK_NS as u64),
        Duration::from_nanos(read_cost_ns),
        rounding,
    )
}

fn check(clock: &QuantisedClock) -> inferbench::loadgen::timing_check::ClockCheck {
    let mut run = ClockCheckRun::with_item(
        Some(TICK_NS / 1e6),
        ClockCheckSettings::default(),
        SimItem(clock),
    );
    let mut steps = 0;
    while !run.step(clock, Duration::from_millis(30)) {
        steps += 1;
        assert!(steps < 10_000, "the check ends");
    }
    run.finish()
}

#[test]
fn a_dithered_clock_is_found_dithered_and_reads_sub_tick_items_as_up_to_two_ticks() {
    let c = clock(Rounding::Dithered { seed: 7 }, 40);
    let found = check(&c);
    assert_eq!(found.dither, Dither::Dithered, "{found:?}");
    let t = found.times.expect("measured");
    // The item is calibrated to 0.7 tick: the tick-free mean says so, within a percent
    // (the clock reading inside each call adds its 40 ns).
    let item_ticks = t.batch_mean_ms * 1e6 / TICK_NS;
    assert!((item_ticks - 0.708).abs() < 0.01, "{item_ticks}");
    assert!(t.agrees());
    assert_eq!(t.groups, 120);
    // 100 ticks per group of 0.7-tick items.
    assert_eq!(t.calls_per_group, 143);
    let [zero, one, two, more] = found.readings_by_ticks;
    assert_eq!(zero + one + two + more, 120 * 143);
    // A 0.7-tick latency reads 2 ticks when its start rounds down and its end rounds up:
    // about 0.7^3 / 6 = 5.7% of the time for uniform phases. Never 3.
    let share = two as f64 / (120.0 * 143.0);
    assert!((0.03..0.09).contains(&share), "{share}");
    assert_eq!(more, 0);
}

#[test]
fn a_clock_that_rounds_down_with_drifting_phases_is_unbiased_too() {
    let c = clock(Rounding::Down, 40);
    assert_eq!(check(&c).dither, Dither::Dithered);
}

#[test]
fn a_lagging_clock_is_found_not_dithered() {
    // Readings within 1.5 us of a fresh one repeat it: a latency's start, read 1 us after the
    // previous end, is read as that end, so every reading also counts the 1 us between calls:
    // a bias of 0.2 tick, twice the tolerance.
    let c = clock(Rounding::Lagging { hold_ns: 1_500 }, 1_000);
    let found = check(&c);
    assert_eq!(found.dither, Dither::NotDithered, "{found:?}");
    let t = found.times.unwrap();
    assert!(!t.agrees());
    assert!((t.difference_ms * 1e6 - 1_000.0).abs() < 50.0, "{t:?}");
}

#[test]
fn a_clock_that_never_moves_is_not_measured() {
    let frozen = ManualClock::new();
    let mut run = ClockCheckRun::new(Some(0.005), ClockCheckSettings::default());
    assert!(run.step(&frozen, Duration::from_millis(30)));
    let found = run.finish();
    assert_eq!(found.dither, Dither::NotMeasured);
    assert_eq!(found.times, None);
    let mut unmeasured = ClockCheckRun::new(None, ClockCheckSettings::default());
    assert!(unmeasured.step(&frozen, Duration::ZERO));
    assert_eq!(unmeasured.finish().dither, Dither::NotMeasured);
}

#[test]
fn on_an_exact_clock_both_timings_agree_exactly_and_the_error_is_the_groups_tick_bound() {
    // Every call takes 10 us of a clock with no tick and no reading cost.
    let exact = ManualClock::new();
    let calls = Cell::new(0u64);
    let mut work = |_: u64| {
        calls.set(calls.get() + 1);
        exact.advance(Duration::from_micros(10));
    };
    let mut timing = PairedTiming::new(12, 50, 0.005);
    while !timing.step(&exact, &mut work, Duration::from_millis(1)) {}
    assert_eq!(calls.get(), 12 * 50 * 2);
    let t = timing.times().unwrap();
    assert_eq!((t.per_query_mean_ms, t.batch_mean_ms), (0.01, 0.01));
    assert_eq!(t.difference_ms, 0.0);
    // No scatter: only the groups' own bound, 2 ticks over 50 calls.
    let ci = t.difference_interval_ms;
    assert!((ci.upper - 0.01 / 50.0).abs() < 1e-15 && (ci.lower + 0.01 / 50.0).abs() < 1e-15);
    assert!(t.agrees());
    assert_eq!(dither_verdict(0.005, &t), Dither::Dithered);
    assert_eq!(exact.now(), Duration::from_millis(12));
}
