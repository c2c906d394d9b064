//! Numbers with their units, as the page prints them: latencies (a range in the unit of its
//! estimate), rates, percentile names, sizes.

use crate::format::{count, sig};
use crate::stats::ConfidenceInterval;

/// The unit a latency is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeUnit {
    Micros,
    Millis,
    Seconds,
}

impl TimeUnit {
    fn of(ms: f64) -> Self {
        let a = ms.abs();
        if a < 1.0 && a != 0.0 {
            TimeUnit::Micros
        } else if a >= 10_000.0 {
            TimeUnit::Seconds
        } else {
            TimeUnit::Millis
        }
    }

    fn print(self, ms: f64) -> String {
        match self {
            TimeUnit::Micros => format!("{} µs", sig(ms * 1e3, 4)),
            TimeUnit::Millis => format!("{} ms", sig(ms, 4)),
            TimeUnit::Seconds => format!("{} s", sig(ms / 1e3, 4)),
        }
    }

    fn bare(self, ms: f64) -> String {
        let text = self.print(ms);
        text.split(' ').next().unwrap_or_default().to_string()
    }
}

/// A latency in milliseconds with 4 significant digits and its unit (µs below 1 ms, s from
/// 10 s): `0.2143` is `"214.3 µs"`.
pub fn latency(ms: f64) -> String {
    TimeUnit::of(ms).print(ms)
}

/// A confidence interval of a latency, in the unit of its estimate `ms`:
/// `"95% CI 212.0–216.1 µs"`.
pub fn latency_ci(ms: f64, ci: &ConfidenceInterval) -> String {
    let unit = TimeUnit::of(ms);
    format!(
        "{} CI {}–{}",
        level(ci.confidence_level),
        unit.bare(ci.lower),
        unit.print(ci.upper)
    )
}

/// A rate per second: thousands separated from 1,000 up (`"55,123 samples/s"`), else 4
/// significant digits (`"199.4 samples/s"`).
pub fn rate(per_second: f64, unit: &str) -> String {
    format!("{} {unit}", rate_number(per_second))
}

fn rate_number(per_second: f64) -> String {
    if per_second.is_finite() && per_second.abs() >= 1000.0 {
        let rounded = per_second.round();
        let text = count(rounded.abs() as u64);
        if rounded < 0.0 {
            format!("-{text}")
        } else {
            text
        }
    } else {
        sig(per_second, 4)
    }
}

/// A confidence interval of a rate: `"95% CI 54,900–55,400 samples/s"`.
pub fn rate_ci(ci: &ConfidenceInterval, unit: &str) -> String {
    format!(
        "{} CI {}–{} {unit}",
        level(ci.confidence_level),
        rate_number(ci.lower),
        rate_number(ci.upper)
    )
}

/// A confidence level as a percentage: `0.95` is `"95%"`, `0.995` is `"99.5%"`.
pub fn level(confidence_level: f64) -> String {
    crate::report::verdict_text::format_percent(confidence_level)
}

/// A percentile's short name: `0.9` is `"p90"`, `0.999` is `"p99.9"`.
pub fn percentile_name(p: f64) -> String {
    let text = format!("{:.1}", p * 100.0);
    format!("p{}", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A size in bytes: `"1.20 MB"`, `"301.1 kB"`, `"812 B"` (decimal units).
pub fn bytes(n: u64) -> String {
    let b = n as f64;
    if b >= 1e9 {
        format!("{} GB", sig(b / 1e9, 3))
    } else if b >= 1e6 {
        format!("{} MB", sig(b / 1e6, 3))
    } else if b >= 1e3 {
        format!("{} kB", sig(b / 1e3, 4))
    } else {
        format!("{n} B")
    }
}
