//! A simulated coarse clock for tests: true time that work advances explicitly, read in whole
//! ticks the way a browser coarsens `performance.now()` ([`QuantisedClock`]).
//!
//! Where a [`ManualClock`](super::clock::ManualClock) returns exact times, this one returns
//! what a browser would: the true time rounded to a tick, down ([`Rounding::Down`]), to either
//! neighbouring tick by a pseudo-random threshold per tick interval as Chromium and Firefox do
//! ([`Rounding::Dithered`]), or, to model a biased clock, down and updated lazily
//! ([`Rounding::Lagging`]: a reading taken soon after the previous one repeats it, so a
//! latency whose start is read right after the previous end also counts the gap between
//! them). Reading it also costs time (`read_cost`), as a real call does.

use std::cell::Cell;
use std::time::Duration;

use super::clock::Clock;

/// How a [`QuantisedClock`] turns the true time into a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Down to the tick.
    Down,
    /// Down or up by a threshold drawn per tick interval from `seed`: the reading is up with
    /// probability equal to the true time's position in its interval (unbiased on average).
    Dithered {
        /// The threshold hash's seed.
        seed: u64,
    },
    /// Down, but a reading taken less than `hold_ns` of true time after the last fresh one
    /// returns that reading (biased).
    Lagging {
        /// How long a reading is held, in ns.
        hold_ns: u64,
    },
}

/// A clock over simulated true time (see the module docs).
#[derive(Debug)]
pub struct QuantisedClock {
    true_ns: Cell<f64>,
    tick_ns: f64,
    read_cost_ns: f64,
    rounding: Rounding,
    /// The previous reading and the true time it was taken at.
    last: Cell<(f64, f64)>,
}

/// SplitMix64: a well-mixed hash of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl QuantisedClock {
    /// A clock at true time 0 with ticks of `tick` whose reading costs `read_cost` of true
    /// time.
    pub fn new(tick: Duration, read_cost: Duration, rounding: Rounding) -> Self {
        Self {
            true_ns: Cell::new(0.0),
            tick_ns: tick.as_nanos() as f64,
            read_cost_ns: read_cost.as_nanos() as f64,
            rounding,
            last: Cell::new((0.0, f64::NEG_INFINITY)),
        }
    }

    /// Moves true time forward by `ns` nanoseconds (what work does).
    pub fn advance_ns(&self, ns: f64) {
        self.true_ns.set(self.true_ns.get() + ns.max(0.0));
    }

    /// The true time, in ns.
    pub fn true_ns(&self) -> f64 {
        self.true_ns.get()
    }

    fn read(&self, t: f64) -> f64 {
        if self.tick_ns <= 0.0 {
            return t;
        }
        let k = (t / self.tick_ns).floor();
        let fraction = t / self.tick_ns - k;
        let up = match self.rounding {
            Rounding::Down | Rounding::Lagging { .. } => false,
            Rounding::Dithered { seed } => {
                let threshold = (mix(seed ^ (k as u64)) >> 11) as f64 / (1u64 << 53) as f64;
                fraction >= threshold
            }
        };
        (k + f64::from(u8::from(up))) * self.tick_ns
    }
}

impl Clock for QuantisedClock {
    fn now(&self) -> Duration {
        let t = self.true_ns.get() + self.read_cost_ns / 2.0;
        let (previous, previous_at) = self.last.get();
        let reading = match self.rounding {
            // Held: the reading and its time stay those of the last fresh reading.
            Rounding::Lagging { hold_ns } if t - previous_at < hold_ns as f64 => previous,
            _ => {
                let fresh = self.read(t).max(previous);
                self.last.set((fresh, t));
                fresh
            }
        };
        self.advance_ns(self.read_cost_ns);
        Duration::from_nanos(reading.max(0.0) as u64)
    }
}
