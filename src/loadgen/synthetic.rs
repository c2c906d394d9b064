//! Synthetic systems under test: no model, only a service time ([`SyntheticSut`]), spent by
//! spinning on the run's [`Clock`] ([`SpinSut`]), never by sleeping.
//!
//! - `null`: returns at once, reading no clock: what a query costs the load generator itself
//!   (see [`super::overhead`]).
//! - `fixed:D`: every call takes `D` (e.g. `fixed:50us`, `fixed:1ms`): a deterministic
//!   server, for the M/D/1 queue and exact checks.
//! - `lognormal:M,S`: service times drawn from a log-normal distribution with **mean** `M`
//!   and log-space standard deviation `S` (`lognormal:50us,0.3`), seeded: a general server,
//!   for the M/G/1 queue. Its median is `M exp(-S²/2)`.
//!
//! Durations take `ns`, `us` (or `µs`), `ms` or `s`. The service time is per *call*: a query
//! (SingleStream, MultiStream, Server) or an Offline batch, whatever its number of samples.
//! Spinning works wherever the clock does: natively (`Instant`) and in a browser worker
//! (`performance.now()`, whose coarse tick then rounds each spin up to the next tick).
//!
//! The log-normal draws come from a `ChaCha8Rng` seeded with the run's `sample_index` seed on
//! its own stream ([`SERVICE_STREAM`]), so a run's service times are reproducible.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::sut::SystemUnderTest;

/// The ChaCha stream of a log-normal system's service times (the sample streams use 0 to 3,
/// see [`super::schedule`]).
pub const SERVICE_STREAM: u64 = 4;

/// The longest synthetic service time: 10 s.
pub const MAX_SERVICE_NS: u64 = 10_000_000_000;

/// The largest log-normal `sigma` accepted (at 3 the mean is 90 times the median: far beyond
/// any real system).
pub const MAX_SIGMA: f64 = 3.0;

/// A synthetic system under test (JSON: `{"kind": "fixed", "service_ns": 1000000}`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyntheticSut {
    /// Returns at once.
    Null,
    /// Every call takes `service_ns`.
    Fixed {
        /// The service time, in ns.
        service_ns: u64,
    },
    /// Log-normal service times.
    Lognormal {
        /// The mean service time, in ns.
        mean_ns: u64,
        /// The standard deviation of the service time's logarithm.
        sigma: f64,
    },
}

impl SyntheticSut {
    /// The mean service time, in ns.
    pub fn mean_service_ns(&self) -> f64 {
        match *self {
            SyntheticSut::Null => 0.0,
            SyntheticSut::Fixed { service_ns } => service_ns as f64,
            SyntheticSut::Lognormal { mean_ns, .. } => mean_ns as f64,
        }
    }

    /// The second moment of the service time, `E[S²]`, in ns²: `S²` for a fixed system,
    /// `M² exp(S²)` for a log-normal one of mean `M`.
    pub fn service_second_moment_ns2(&self) -> f64 {
        match *self {
            SyntheticSut::Null => 0.0,
            SyntheticSut::Fixed { service_ns } => (service_ns as f64).powi(2),
            SyntheticSut::Lognormal { mean_ns, sigma } => {
                (mean_ns as f64).powi(2) * (sigma * sigma).exp()
            }
        }
    }

    /// The kind's name: `null`, `fixed`, `lognormal`.
    pub fn kind(&self) -> &'static str {
        match self {
            SyntheticSut::Null => "null",
            SyntheticSut::Fixed { .. } => "fixed",
            SyntheticSut::Lognormal { .. } => "lognormal",
        }
    }

    /// What the system does, in words.
    pub fn describe(&self) -> String {
        match *self {
            SyntheticSut::Null => {
                "a null system that returns at once (no model runs): the load generator's own \
                 cost per query"
                    .to_string()
            }
            SyntheticSut::Fixed { service_ns } => format!(
                "a synthetic system whose every call takes {} (a spin on the clock; no model \
                 runs)",
                duration_text(service_ns)
            ),
            SyntheticSut::Lognormal { mean_ns, sigma } => format!(
                "a synthetic system with log-normal service times of mean {} and log-space \
                 standard deviation {sigma} (seeded; a spin on the clock; no model runs)",
                duration_text(mean_ns)
            ),
        }
    }

    /// Checks the limits.
    ///
    /// # Errors
    ///
    /// A sentence saying which value is out of range.
    pub fn validate(&self) -> Result<(), String> {
        let check = |ns: u64| {
            if ns == 0 {
                Err("a synthetic service time must be above 0 (use null for none)".to_string())
            } else if ns > MAX_SERVICE_NS {
                Err(format!(
                    "a synthetic service time of {} is above the {} limit",
                    duration_text(ns),
                    duration_text(MAX_SERVICE_NS)
                ))
            } else {
                Ok(())
            }
        };
        match *self {
            SyntheticSut::Null => Ok(()),
            SyntheticSut::Fixed { service_ns } => check(service_ns),
            SyntheticSut::Lognormal { mean_ns, sigma } => {
                check(mean_ns)?;
                if !(sigma > 0.0 && sigma <= MAX_SIGMA) {
                    return Err(format!(
                        "the log-normal sigma is {sigma}: use a value above 0 and at most \
                         {MAX_SIGMA} (0.3 is a mildly variable system; fixed:D has none)"
                    ));
                }
                Ok(())
            }
        }
    }
}

/// A duration in ns as the syntax writes it: the largest unit that keeps it whole, else
/// decimals (`1500000` → `1.5ms`).
pub fn duration_text(ns: u64) -> String {
    for (unit, scale) in [("s", 1_000_000_000u64), ("ms", 1_000_000), ("us", 1_000)] {
        if ns >= scale {
            return if ns.is_multiple_of(scale) {
                format!("{}{unit}", ns / scale)
            } else {
                let value = ns as f64 / scale as f64;
                format!("{}{unit}", trim_decimals(value))
            };
        }
    }
    format!("{ns}ns")
}

fn trim_decimals(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl fmt::Display for SyntheticSut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SyntheticSut::Null => f.write_str("null"),
            SyntheticSut::Fixed { service_ns } => write!(f, "fixed:{}", duration_text(service_ns)),
            SyntheticSut::Lognormal { mean_ns, sigma } => {
                write!(f, "lognormal:{},{sigma}", duration_text(mean_ns))
            }
        }
    }
}

/// Parses a duration such as `50us`, `1.5ms`, `2s`, `800ns` into whole ns.
///
/// # Errors
///
/// A sentence naming the text and the expected form.
pub fn parse_duration_ns(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = match unit.trim() {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "" => {
            return Err(format!(
                "{text:?} has no unit: write e.g. 50us, 1ms or 0.5s (units ns, us, ms, s)"
            ))
        }
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use ns, us (or µs), ms or s"
            ))
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 50us or 1.5ms"))?;
    let ns = (value * scale).round();
    if !(ns.is_finite() && ns >= 0.0 && ns <= MAX_SERVICE_NS as f64) {
        return Err(format!(
            "{text:?} is above the {} limit",
            duration_text(MAX_SERVICE_NS)
        ));
    }
    Ok(ns as u64)
}

/// Why a synthetic system's text was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSutError(pub String);

impl fmt::Display for SyntheticSutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SyntheticSutError {}

impl FromStr for SyntheticSut {
    type Err = SyntheticSutError;

    /// `null`, `fixed:DURATION` or `lognormal:MEAN,SIGMA`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let t = text.trim();
        let (kind, args) = t.split_once(':').unwrap_or((t, ""));
        let sut = match (kind.to_ascii_lowercase().as_str(), args) {
            ("null", "") => SyntheticSut::Null,
            ("fixed", d) if !d.is_empty() => SyntheticSut::Fixed {
                service_ns: parse_duration_ns(d).map_err(SyntheticSutError)?,
            },
            ("lognormal", a) if a.contains(',') => {
                let (mean, sigma) = a.split_once(',').expect("checked");
                SyntheticSut::Lognormal {
                    mean_ns: parse_duration_ns(mean).map_err(SyntheticSutError)?,
                    sigma: sigma.trim().parse().map_err(|_| {
                        SyntheticSutError(format!(
                            "the log-normal sigma {:?} is not a number (e.g. 0.3)",
                            sigma.trim()
                        ))
                    })?,
                }
            }
            _ => {
                return Err(SyntheticSutError(format!(
                    "unknown system under test {text:?}: use null, fixed:DURATION (e.g. \
                     fixed:50us) or lognormal:MEAN,SIGMA (e.g. lognormal:50us,0.3)"
                )))
            }
        };
        sut.validate().map_err(SyntheticSutError)?;
        Ok(sut)
    }
}

/// A synthetic system's service times, one per call.
#[derive(Debug, Clone)]
pub struct ServiceTimes {
    sut: SyntheticSut,
    draw: Option<(ChaCha8Rng, LogNormal<f64>)>,
}

impl ServiceTimes {
    /// The service times of `sut`, drawn (log-normal) from `seed` on [`SERVICE_STREAM`].
    ///
    /// # Panics
    ///
    /// Panics if `sut` does not [validate](SyntheticSut::validate).
    pub fn new(sut: SyntheticSut, seed: u64) -> Self {
        sut.validate().expect("a validated synthetic system");
        let draw = match sut {
            SyntheticSut::Lognormal { mean_ns, sigma } => {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(SERVICE_STREAM);
                // ln S ~ N(mu, sigma²) with E[S] = exp(mu + sigma²/2) = mean.
                let mu = (mean_ns as f64).ln() - sigma * sigma / 2.0;
                let dist = LogNormal::new(mu, sigma).expect("validated sigma");
                Some((rng, dist))
            }
            _ => None,
        };
        Self { sut, draw }
    }

    /// The system.
    pub fn sut(&self) -> SyntheticSut {
        self.sut
    }

    /// The next call's service time.
    pub fn next_service(&mut self) -> Duration {
        match (self.sut, &mut self.draw) {
            (SyntheticSut::Null, _) => Duration::ZERO,
            (SyntheticSut::Fixed { service_ns }, _) => Duration::from_nanos(service_ns),
            (SyntheticSut::Lognormal { .. }, Some((rng, dist))) => {
                let ns = dist.sample(rng).min(MAX_SERVICE_NS as f64);
                Duration::from_nanos(ns as u64)
            }
            (SyntheticSut::Lognormal { .. }, None) => unreachable!("built with its distribution"),
        }
    }
}

/// A synthetic system spending its service times by spinning on `clock` (borrowed for the
/// duration of a run step: the runner passes the same clock it measures with).
pub struct SpinSut<'a, C: Clock + ?Sized> {
    clock: &'a C,
    times: &'a mut ServiceTimes,
    name: &'a str,
}

impl<'a, C: Clock + ?Sized> SpinSut<'a, C> {
    /// A system taking `times`' service times on `clock`, named `name` in logs.
    pub fn new(clock: &'a C, times: &'a mut ServiceTimes, name: &'a str) -> Self {
        Self { clock, times, name }
    }
}

/// Busy-waits `d` on `clock` (a clock that never moves would spin forever: the manual clock
/// of tests is advanced by [`FakeSut`](super::sut::FakeSut) instead).
pub fn spin_for<C: Clock + ?Sized>(clock: &C, d: Duration) {
    if d.is_zero() {
        return;
    }
    let start = clock.now();
    while clock.now().saturating_sub(start) < d {
        std::hint::spin_loop();
    }
}

impl<C: Clock + ?Sized> SystemUnderTest for SpinSut<'_, C> {
    fn process(&mut self, _samples: &[usize], predictions: &mut [u8]) {
        spin_for(self.clock, self.times.next_service());
        predictions.fill(0);
    }

    fn name(&self) -> &str {
        self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_syntax_round_trips() {
        for text in [
            "null",
            "fixed:50us",
            "fixed:1ms",
            "fixed:1.5ms",
            "lognormal:50us,0.3",
        ] {
            let sut: SyntheticSut = text.parse().unwrap();
            assert_eq!(sut.to_string(), text);
        }
        assert_eq!(
            "fixed:1000us".parse::<SyntheticSut>().unwrap(),
            SyntheticSut::Fixed {
                service_ns: 1_000_000
            }
        );
        assert_eq!(
            "fixed:2µs".parse::<SyntheticSut>().unwrap().to_string(),
            "fixed:2us"
        );
    }

    #[test]
    fn bad_text_says_what_to_write() {
        let e = |t: &str| t.parse::<SyntheticSut>().unwrap_err().to_string();
        assert!(e("fixed:50").contains("no unit"));
        assert!(e("fixed:50m").contains("unknown unit"));
        assert!(e("fixed:0us").contains("above 0"));
        assert!(e("fixed:20s").contains("limit"));
        assert!(e("lognormal:50us").contains("unknown system"));
        assert!(e("lognormal:50us,x").contains("not a number"));
        assert!(e("lognormal:50us,0").contains("sigma"));
        assert!(e("model").contains("use null, fixed"));
    }

    #[test]
    fn lognormal_times_have_the_asked_mean_and_are_seeded() {
        let sut = SyntheticSut::Lognormal {
            mean_ns: 50_000,
            sigma: 0.3,
        };
        let mut a = ServiceTimes::new(sut, 7);
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| a.next_service().as_nanos() as f64).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let second = draws.iter().map(|x| x * x).sum::<f64>() / n as f64;
        assert!((mean / 50_000.0 - 1.0).abs() < 0.005, "{mean}");
        assert!((second / sut.service_second_moment_ns2() - 1.0).abs() < 0.02);
        let mut b = ServiceTimes::new(sut, 7);
        assert_eq!(b.next_service(), Duration::from_nanos(draws[0] as u64));
    }
}
