//! Whether a browser run's latencies sit on its timer's grid ([`off_grid`]).
//!
//! A browser coarsens `performance.now()` to whole ticks (100 µs in Chromium without
//! cross-origin isolation, 5 µs with it), so every time a run reads is a whole number of ticks
//! from the others, and so is every duration between two readings: each query's service time
//! (its issue to its completion; for SingleStream and MultiStream that is its latency). A
//! latency off that grid was not measured with that timer. Server arrival times come from
//! the seeded schedule, not the clock, so only the service times are checked.

use crate::loadgen::result::RunResult;

/// The finest timer treated as a grid: 1 µs. Finer (native) clocks are not coarsened, and
/// their smallest observed step says nothing about the values they read.
pub const MIN_GRID_MS: f64 = 0.001;

/// How far from a whole tick a duration may be, in ns: the readings are converted from
/// floating-point ms to whole ns, each within 1 ns.
pub const GRID_SLACK_NS: u64 = 2;

/// The grid of a measured tick, in whole ns: the tick rounded to whole µs (a measured tick
/// is a difference of two floating-point readings, e.g. 0.09999999999990905 ms for 100 µs);
/// `None` for a tick finer than [`MIN_GRID_MS`].
pub fn grid_ns(resolution_ms: f64) -> Option<u64> {
    if !(resolution_ms.is_finite() && resolution_ms >= MIN_GRID_MS) {
        return None;
    }
    Some(((resolution_ms * 1e3).round() as u64).max(1) * 1_000)
}

/// How many of `run`'s service times are off the grid of `grid` ns, and how many there are.
pub fn off_grid(run: &RunResult, grid: u64) -> (usize, usize) {
    let off = run
        .queries
        .iter()
        .filter(|q| {
            let r = (q.completed_ns - q.issued_ns) % grid;
            r > GRID_SLACK_NS && grid - r > GRID_SLACK_NS
        })
        .count();
    (off, run.queries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measured_tick_rounds_to_whole_microseconds() {
        assert_eq!(grid_ns(0.09999999999990905), Some(100_000));
        assert_eq!(grid_ns(0.005), Some(5_000));
        assert_eq!(grid_ns(0.1000000000001), Some(100_000));
        assert_eq!(grid_ns(2e-5), None);
        assert_eq!(grid_ns(f64::NAN), None);
    }
}
