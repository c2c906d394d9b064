//! Time sources for the load generator, and the measurement of a clock's resolution.
//!
//! The core never reads time by itself: everything that measures takes a `&impl Clock`.
//! The browser's `performance.now()` clock lives in the web shell; here are the scripted
//! clock for tests and the native monotonic clock.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

/// A monotonic time source.
///
/// [`Clock::now`] returns the time elapsed since an origin fixed by the implementation.
/// Successive readings from one clock never decrease.
pub trait Clock {
    /// Time since this clock's origin.
    fn now(&self) -> Duration;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Duration {
        (**self).now()
    }
}

/// A clock that moves only when told to: for tests and simulations.
///
/// Besides [`ManualClock::advance`] and [`ManualClock::set`], it can be given a script of
/// readings ([`ManualClock::with_script`]): each call to [`Clock::now`] then returns the next
/// scripted value until the script runs out, after which the clock stays at its last value.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Cell<Duration>,
    script: RefCell<VecDeque<Duration>>,
}

impl ManualClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// A clock whose successive readings are `readings`, in order.
    pub fn with_script(readings: impl IntoIterator<Item = Duration>) -> Self {
        Self {
            now: Cell::new(Duration::ZERO),
            script: RefCell::new(readings.into_iter().collect()),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.now.set(self.now.get() + by);
    }

    /// Moves the clock to `to`.
    ///
    /// # Panics
    ///
    /// Panics if `to` is earlier than the current time: a clock never goes back.
    pub fn set(&self, to: Duration) {
        assert!(to >= self.now.get(), "a monotonic clock cannot go back");
        self.now.set(to);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        if let Some(next) = self.script.borrow_mut().pop_front() {
            self.now.set(next.max(self.now.get()));
        }
        self.now.get()
    }
}

/// The native monotonic clock (`std::time::Instant`); not available on wasm32, where
/// `Instant::now()` panics.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy)]
pub struct StdClock {
    origin: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl StdClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for StdClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// What [`measure_resolution`] saw of a clock.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimerResolution {
    /// The smallest positive difference between two successive readings, in milliseconds;
    /// `None` when the clock never moved during the measurement.
    pub resolution_ms: Option<f64>,
    /// How many readings were taken.
    pub reads: u32,
    /// How many distinct values were read (a jittered or coarse timer shows few).
    pub distinct_values: u32,
}

impl TimerResolution {
    /// What two measurements of the same clock saw together, as if one: the smaller of the
    /// two resolutions, the reads and the distinct values of both (a value read at the end of
    /// one burst and again at the start of the next counts twice: the count can be over by
    /// one per burst, which a figure in the thousands does not notice). The page measures its
    /// clock in bursts with a yield to the event loop between them (one burst of 200,000 reads
    /// blocked its thread for over 100 ms while loading) and merges them with this.
    #[must_use]
    pub fn merged(self, other: Self) -> Self {
        let resolution_ms = match (self.resolution_ms, other.resolution_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self {
            resolution_ms,
            reads: self.reads.saturating_add(other.reads),
            distinct_values: self.distinct_values.saturating_add(other.distinct_values),
        }
    }
}

/// Measures a clock's resolution: reads it `reads` times back to back and returns the
/// smallest positive step between successive readings.
///
/// This is the tick that bounds every single measurement (100 us in Chromium without
/// cross-origin isolation, 5 us with it; see the README's "Timing" section).
pub fn measure_resolution(clock: &impl Clock, reads: u32) -> TimerResolution {
    let mut previous = clock.now();
    let mut smallest: Option<Duration> = None;
    let mut distinct = 1u32;
    for _ in 1..reads {
        let now = clock.now();
        if now > previous {
            let step = now - previous;
            smallest = Some(smallest.map_or(step, |s| s.min(step)));
            distinct += 1;
        }
        previous = now;
    }
    TimerResolution {
        resolution_ms: smallest.map(|d| d.as_secs_f64() * 1e3),
        reads,
        distinct_values: if reads == 0 { 0 } else { distinct },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(n: u64) -> Duration {
        Duration::from_micros(n)
    }

    #[test]
    fn resolution_is_the_smallest_positive_step() {
        // Steps of 0, 100, 0, 5, 100, 0 microseconds: the smallest positive is 5 us.
        let clock =
            ManualClock::with_script([us(0), us(0), us(100), us(100), us(105), us(205), us(205)]);
        let r = measure_resolution(&clock, 7);
        assert_eq!(r.resolution_ms, Some(0.005));
        assert_eq!(r.reads, 7);
        assert_eq!(r.distinct_values, 4);
    }

    #[test]
    fn bursts_merge_into_one_measurement() {
        // Two bursts of the same clock: steps of 100 and 5 us in the first, 100 in the second.
        let first = measure_resolution(
            &ManualClock::with_script([us(0), us(100), us(105), us(105)]),
            4,
        );
        let second = measure_resolution(&ManualClock::with_script([us(900), us(1000)]), 2);
        let merged = first.merged(second);
        assert_eq!(merged.resolution_ms, Some(0.005));
        assert_eq!(merged.reads, 6);
        assert_eq!(
            merged.distinct_values,
            first.distinct_values + second.distinct_values
        );
        assert_eq!(
            second.merged(first),
            merged,
            "the order of the bursts does not matter"
        );
        // A burst in which the clock never moved adds reads, not a resolution.
        let still = measure_resolution(&ManualClock::new(), 10);
        assert_eq!(still.merged(second).resolution_ms, Some(0.1));
        assert_eq!(still.merged(still).resolution_ms, None);
        assert_eq!(still.merged(still).reads, 20);
    }

    #[test]
    fn a_clock_that_never_moves_has_no_resolution() {
        let clock = ManualClock::new();
        let r = measure_resolution(&clock, 1000);
        assert_eq!(r.resolution_ms, None);
        assert_eq!(r.distinct_values, 1);
    }

    #[test]
    fn manual_clock_advances_and_sets() {
        let clock = ManualClock::new();
        clock.advance(us(7));
        assert_eq!(clock.now(), us(7));
        clock.set(us(20));
        assert_eq!(clock.now(), us(20));
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn std_clock_is_monotonic_and_moves() {
        let clock = StdClock::new();
        let a = clock.now();
        let r = measure_resolution(&clock, 10_000);
        let b = clock.now();
        assert!(b >= a);
        assert!(
            r.resolution_ms.is_some_and(|ms| ms > 0.0 && ms < 1.0),
            "{r:?}"
        );
    }
}
