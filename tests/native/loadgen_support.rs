//! Helpers shared by the load-generator tests: durations, settings builders, and a driver
//! that runs a runner to its end on a `ManualClock`.

use std::time::Duration;

use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::settings::{ScenarioSettings, Seeds, TestMode, TestSettings};
use inferbench::loadgen::{run_to_completion, Stepwise, SystemUnderTest};

/// `n` milliseconds.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `n` microseconds.
pub fn us(n: u64) -> Duration {
    Duration::from_micros(n)
}

/// Milliseconds to whole nanoseconds.
pub fn ns(ms: u64) -> u64 {
    ms * 1_000_000
}

/// Bare settings for `scenario`: no warm-up, no minimum duration, `min_query_count` queries,
/// no maximum, fixed seeds.
pub fn bare(scenario: ScenarioSettings, min_query_count: u64) -> TestSettings {
    TestSettings {
        scenario,
        mode: TestMode::Performance,
        target_percentile: 0.9,
        warmup_query_count: 0,
        min_duration_ms: 0,
        max_duration_ms: 0,
        min_query_count,
        max_query_count: 0,
        seeds: Seeds {
            sample_index: 11,
            schedule: 22,
            model_init: 33,
        },
    }
}

/// Runs `run` to its end; waits move the manual clock to the deadline.
pub fn drive<R: Stepwise, S: SystemUnderTest>(
    run: R,
    clock: &ManualClock,
    sut: &mut S,
) -> R::Output {
    run_to_completion(run, clock, sut, |deadline| clock.set(deadline))
}
