//! The system-under-test boundary ([`SystemUnderTest`]), a scripted fake ([`FakeSut`]) and a
//! varying one for simulated runs at scale ([`VaryingSut`]).
//!
//! The load generator knows nothing of the model: it hands a SUT the indices of the samples of
//! one query (or one Offline batch) and gets one predicted class per sample back. The real MLP
//! adapter lives outside this module.
//!
//! [`FakeSut`] computes nothing: it advances a [`ManualClock`] by a scripted service time, so
//! every latency of a test run is exact (hyperfine's `MockExecutor` idea).

use std::fmt;
use std::time::Duration;

use super::clock::ManualClock;

/// Something the load generator can measure: it runs inference on a group of samples.
///
/// The load generator calls [`SystemUnderTest::process`] once per query (SingleStream, Server,
/// MultiStream) or once per batch (Offline), times the call with its clock, and never calls it
/// concurrently: the SUT is a single server.
pub trait SystemUnderTest {
    /// Runs inference on `samples` and writes the predicted class of `samples[i]` to
    /// `predictions[i]`.
    ///
    /// `samples` index the performance sample set (the test split, `sample_count` items);
    /// `predictions.len() == samples.len()`. The call must complete the work before returning
    /// (one batched forward pass for an Offline batch): its return is the completion time.
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]);

    /// A name for logs and reports (LoadGen's `SystemUnderTest::Name`).
    fn name(&self) -> &str {
        "unnamed SUT"
    }
}

impl<T: SystemUnderTest + ?Sized> SystemUnderTest for &mut T {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        (**self).process(samples, predictions);
    }

    fn name(&self) -> &str {
        (**self).name()
    }
}

/// A scripted service time: call index and its samples to the time the call takes.
pub type ServiceFn = Box<dyn FnMut(u64, &[usize]) -> Duration>;

/// How long a [`FakeSut`] call "takes".
pub enum ServiceTime {
    /// Every call takes this long, whatever its size.
    Constant(Duration),
    /// A call of `n` samples takes `per_call + n * per_sample`.
    Linear {
        /// Fixed cost of a call.
        per_call: Duration,
        /// Cost of each sample in the call.
        per_sample: Duration,
    },
    /// Call `i` takes `script[i % script.len()]` (an empty script takes no time).
    Script(Vec<Duration>),
    /// Call `i` with samples `s` takes `f(i, s)`.
    Custom(ServiceFn),
}

impl fmt::Debug for ServiceTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Constant(d) => f.debug_tuple("Constant").field(d).finish(),
            Self::Linear {
                per_call,
                per_sample,
            } => f
                .debug_struct("Linear")
                .field("per_call", per_call)
                .field("per_sample", per_sample)
                .finish(),
            Self::Script(s) => f.debug_tuple("Script").field(&s.len()).finish(),
            Self::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// A fake SUT that advances a [`ManualClock`] by a scripted service time per call, predicts
/// scripted classes, and remembers every call.
#[derive(Debug)]
pub struct FakeSut<'c> {
    clock: &'c ManualClock,
    service: ServiceTime,
    predictions: Vec<u8>,
    calls: Vec<Vec<usize>>,
}

impl<'c> FakeSut<'c> {
    /// A fake whose calls advance `clock` by `service`; it predicts class 0 for every sample.
    pub fn new(clock: &'c ManualClock, service: ServiceTime) -> Self {
        Self {
            clock,
            service,
            predictions: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// A fake whose every call takes `service`.
    pub fn constant(clock: &'c ManualClock, service: Duration) -> Self {
        Self::new(clock, ServiceTime::Constant(service))
    }

    /// Predicts `predictions[i]` for sample `i` (class 0 for samples beyond the list).
    pub fn with_predictions(mut self, predictions: Vec<u8>) -> Self {
        self.predictions = predictions;
        self
    }

    /// The samples of every call so far, in order.
    pub fn calls(&self) -> &[Vec<usize>] {
        &self.calls
    }

    /// The number of samples of every call so far, in order.
    pub fn call_sizes(&self) -> Vec<usize> {
        self.calls.iter().map(Vec::len).collect()
    }
}

impl SystemUnderTest for FakeSut<'_> {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        let index = self.calls.len() as u64;
        let took = match &mut self.service {
            ServiceTime::Constant(d) => *d,
            ServiceTime::Linear {
                per_call,
                per_sample,
            } => *per_call + *per_sample * samples.len() as u32,
            ServiceTime::Script(script) if script.is_empty() => Duration::ZERO,
            ServiceTime::Script(script) => script[(index % script.len() as u64) as usize],
            ServiceTime::Custom(f) => f(index, samples),
        };
        for (p, &s) in predictions.iter_mut().zip(samples) {
            *p = self.predictions.get(s).copied().unwrap_or(0);
        }
        self.calls.push(samples.to_vec());
        self.clock.advance(took);
    }

    fn name(&self) -> &str {
        "FakeSut"
    }
}

/// A simulated system for runs at scale: each call advances a [`ManualClock`] by `base` plus a
/// deterministic 0-50% more (call `i` adds `(i * 7,919) mod 51` percent), so that latencies
/// vary from query to query as a real system's do, the same every time; unlike a
/// [`FakeSut`] it remembers nothing, so millions of calls cost no memory.
#[derive(Debug)]
pub struct VaryingSut<'c> {
    clock: &'c ManualClock,
    base_ns: u64,
    calls: u64,
}

impl<'c> VaryingSut<'c> {
    /// A system whose calls take `base` plus 0-50% on `clock`.
    pub fn new(clock: &'c ManualClock, base: Duration) -> Self {
        Self {
            clock,
            base_ns: u64::try_from(base.as_nanos()).unwrap_or(u64::MAX),
            calls: 0,
        }
    }
}

impl SystemUnderTest for VaryingSut<'_> {
    fn process(&mut self, _samples: &[usize], _predictions: &mut [u8]) {
        self.calls += 1;
        let extra = self.base_ns * ((self.calls * 7_919) % 51) / 100;
        self.clock
            .advance(Duration::from_nanos(self.base_ns + extra));
    }

    fn name(&self) -> &str {
        "varying"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadgen::clock::Clock;

    #[test]
    fn fake_advances_the_clock_by_its_script_and_predicts() {
        let clock = ManualClock::new();
        let ms = Duration::from_millis;
        let mut sut = FakeSut::new(&clock, ServiceTime::Script(vec![ms(1), ms(3)]))
            .with_predictions(vec![7, 8, 9]);
        let mut out = [0u8; 2];
        sut.process(&[2, 0], &mut out);
        assert_eq!(out, [9, 7]);
        assert_eq!(clock.now(), ms(1));
        sut.process(&[5], &mut out[..1]);
        assert_eq!(out[0], 0);
        sut.process(&[1], &mut out[..1]);
        assert_eq!(clock.now(), ms(5));
        assert_eq!(sut.call_sizes(), vec![2, 1, 1]);
    }

    #[test]
    fn linear_service_scales_with_the_call_size() {
        let clock = ManualClock::new();
        let us = Duration::from_micros;
        let mut sut = FakeSut::new(
            &clock,
            ServiceTime::Linear {
                per_call: us(100),
                per_sample: us(10),
            },
        );
        sut.process(&[0; 8], &mut [0; 8]);
        assert_eq!(clock.now(), us(180));
    }
}
