//! The error a coarse timer adds to latencies, as a bound carried by the statistics.
//!
//! **The model.** A browser's `performance.now()` moves in ticks of `r` (5 µs in Chromium
//! when cross-origin isolated, 20 µs in Firefox). Both browsers *dither* it: for each tick
//! interval a pseudo-random threshold decides whether a reading inside it is rounded down or
//! up (Chromium's `TimeClamper`, Firefox's `ReduceTimePrecision` with jitter). A reading is
//! therefore a tick boundary less than one tick from the true time, and a latency, the
//! difference of two readings, is less than **two ticks** from the true one. A clock that only
//! rounds down is off by less than one tick per latency, so two ticks bounds both kinds.
//!
//! **What follows for the statistics** ([`LATENCY_BOUND_TICKS`]):
//! - every order statistic of the readings is within the bound of the same order statistic
//!   of the true latencies, so each percentile (LoadGen's `sorted[floor(n p)]`) is known to
//!   `± 2 r`, and its order-statistic interval widened by `2 r` on each side
//!   ([`widen`]) keeps its coverage of the true percentile;
//! - the mean of dithered readings is unbiased (the rounding is up as often as the true time
//!   is past the threshold), so its Student-t interval, whose width already includes the
//!   rounding's scatter, needs no widening where the clock is shown to be dithered; where it
//!   is not, the mean can be biased by up to the bound, and its interval is widened by it.
//!
//! Two percentiles (two runs, two machines, two ticks) whose difference is within the sum of
//! their bounds cannot be told apart by the timers ([`TickOverlap`]).

use serde::{Deserialize, Serialize};

use super::ci::ConfidenceInterval;

/// How many ticks a latency (the difference of two readings) can be off by: 2.
pub const LATENCY_BOUND_TICKS: f64 = 2.0;

/// The bound on a latency's timer error for a tick of `tick_ms`, in ms: `2 x tick`.
pub fn latency_bound_ms(tick_ms: f64) -> f64 {
    LATENCY_BOUND_TICKS * tick_ms
}

/// `ci` widened by `bound_ms` on both sides; a latency is never negative, so the lower end
/// stops at 0.
pub fn widen(ci: &ConfidenceInterval, bound_ms: f64) -> ConfidenceInterval {
    ConfidenceInterval {
        confidence_level: ci.confidence_level,
        lower: (ci.lower - bound_ms).max(0.0),
        upper: ci.upper + bound_ms,
    }
}

/// Whether the timers could tell two percentiles apart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TickOverlap {
    /// The percentile compared, a fraction (e.g. `0.9`).
    pub percentile: f64,
    /// The candidate's value, in ms.
    pub candidate_ms: f64,
    /// The baseline's value, in ms.
    pub baseline_ms: f64,
    /// `candidate_ms - baseline_ms`, in ms.
    pub difference_ms: f64,
    /// The candidate's tick bound plus the baseline's, in ms.
    pub bounds_ms: f64,
    /// Whether `|difference_ms| <= bounds_ms`: the difference is within what the two
    /// timers' ticks can produce on their own.
    pub within: bool,
}

/// Compares the `percentile` of a candidate (`candidate_ms`, read with a tick of
/// `candidate_tick_ms`) with the baseline's; `None` unless both ticks are known.
pub fn tick_overlap(
    percentile: f64,
    candidate_ms: f64,
    candidate_tick_ms: Option<f64>,
    baseline_ms: f64,
    baseline_tick_ms: Option<f64>,
) -> Option<TickOverlap> {
    let bounds_ms = latency_bound_ms(candidate_tick_ms?) + latency_bound_ms(baseline_tick_ms?);
    let difference_ms = candidate_ms - baseline_ms;
    Some(TickOverlap {
        percentile,
        candidate_ms,
        baseline_ms,
        difference_ms,
        bounds_ms,
        within: difference_ms.abs() <= bounds_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_is_two_ticks_and_widening_stops_at_zero() {
        assert_eq!(latency_bound_ms(0.005), 0.01);
        let ci = ConfidenceInterval {
            confidence_level: 0.95,
            lower: 0.004,
            upper: 0.05,
        };
        let w = widen(&ci, latency_bound_ms(0.005));
        assert_eq!((w.lower, w.confidence_level), (0.0, 0.95));
        assert!((w.upper - 0.06).abs() < 1e-15);
    }

    #[test]
    fn overlap_sums_both_bounds() {
        // Firefox's 20 us tick against Chromium's 5 us: bounds of 40 + 10 us.
        let o = tick_overlap(0.9, 0.100, Some(0.02), 0.060, Some(0.005)).unwrap();
        assert!((o.bounds_ms - 0.05).abs() < 1e-12);
        assert!((o.difference_ms - 0.04).abs() < 1e-12);
        assert!(o.within);
        let apart = tick_overlap(0.9, 0.2, Some(0.005), 0.1, Some(0.005)).unwrap();
        assert!(!apart.within);
        assert_eq!(tick_overlap(0.9, 0.2, None, 0.1, Some(0.005)), None);
    }

    /// A dithered clock's readings of a constant latency spread over three tick counts, and
    /// the highest percentile lands more than one tick from the truth, never two.
    #[test]
    fn dithered_readings_stay_within_two_ticks() {
        let tick = 1.0;
        // Thresholds per interval from a fixed hash, as browsers do.
        let threshold = |k: u64| {
            // SplitMix64 of the interval's index, as a fraction of a tick.
            let mut x = k.wrapping_add(0x9E37_79B9_7F4A_7C15);
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((x ^ (x >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        };
        let read = |t: f64| {
            let k = t.floor();
            if t - k >= threshold(k as u64) {
                k + 1.0
            } else {
                k
            }
        };
        let true_latency = 0.69;
        let mut worst: f64 = 0.0;
        let mut readings = Vec::new();
        for i in 0..10_000 {
            let start = i as f64 * 1.37 + 0.11;
            let reading = read(start + true_latency) - read(start);
            worst = worst.max((reading - true_latency).abs());
            readings.push(reading);
        }
        assert!(worst > tick && worst < latency_bound_ms(tick), "{worst}");
        assert!(
            readings.contains(&2.0),
            "a sub-tick latency can read 2 ticks"
        );
        let mean = readings.iter().sum::<f64>() / readings.len() as f64;
        assert!((mean - true_latency).abs() < 0.02, "dithered mean {mean}");
    }
}
