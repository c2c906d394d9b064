//! A VALID run's timer-limited mark ([`TimerLimited`]) and the tick count below which a run
//! gets it: plain data, named by the validity of a run ([`super::validity`]) and computed by
//! the timer rule ([`super::timer_rule`]).

use serde::{Deserialize, Serialize};

use crate::format::fine_duration_ms;
use crate::stats::error::percentile_label;

/// A run whose median latency is below this many ticks is timer-limited (its percentiles'
/// bound of 2 ticks is then more than 10% of its median).
pub const TIMER_LIMITED_TICKS: f64 = 20.0;

/// A VALID run's mark: how far the tick limits its metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimerLimited {
    /// The tick, in ms.
    pub tick_ms: f64,
    /// The run's median latency (LoadGen's p50), in ms.
    pub median_latency_ms: f64,
    /// The scenario's target percentile, a fraction.
    pub percentile: f64,
    /// Its latency, in ms.
    pub percentile_latency_ms: f64,
    /// The bound on it (and on every latency and percentile of the run), in ms: 2 ticks.
    pub bound_ms: f64,
}

impl TimerLimited {
    /// The bound as a fraction of the target percentile's latency; `None` when it reads 0.
    pub fn relative_error(&self) -> Option<f64> {
        (self.percentile_latency_ms > 0.0).then(|| self.bound_ms / self.percentile_latency_ms)
    }

    /// The mark as the report and the page show it: "timer-limited (p90 ±10.00 µs, ±17%)".
    pub fn mark(&self) -> String {
        let relative = match self.relative_error() {
            Some(e) => format!(", ±{}%", crate::format::sig(e * 100.0, 2)),
            None => ", the value reads 0".to_string(),
        };
        format!(
            "timer-limited ({} ±{}{relative})",
            percentile_label(self.percentile),
            fine_duration_ms(self.bound_ms)
        )
    }
}
