//! A/B mode: two variants interleaved query by query in one run, each query sent to A or
//! B by a seeded draw, so that both see the same conditions (thermal state, other tabs,
//! background work) at the same times, and drift cannot favour either.
//!
//! The traffic split is a Bernoulli draw per query (probability `share_b` of going to B)
//! from a `ChaCha8Rng` seeded with [`AbSettings::seed`]: the same seed gives the same
//! assignment. The draw happens inside the timed region (a few nanoseconds). Warm-up
//! queries are assigned too (both variants warm up); only measured queries are analysed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::sut::ClassifierSut;
use crate::loadgen::sut::SystemUnderTest;
use crate::plan::ab::{AbSettings, Arm};

/// The ChaCha stream of the A/B assignment.
const AB_STREAM: u64 = 7;

/// Two variants behind one system under test, choosing per query.
pub struct AbSut {
    a: ClassifierSut,
    b: ClassifierSut,
    share_b: f64,
    rng: ChaCha8Rng,
    arms: Vec<Arm>,
}

impl AbSut {
    /// Serves queries with `a` or `b` as `settings` say.
    pub fn new(a: ClassifierSut, b: ClassifierSut, settings: &AbSettings) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        rng.set_stream(AB_STREAM);
        Self {
            a,
            b,
            share_b: settings.share_b,
            rng,
            arms: Vec::new(),
        }
    }

    /// The arm of every call so far (warm-up first), in order.
    pub fn arms(&self) -> &[Arm] {
        &self.arms
    }
}

impl SystemUnderTest for AbSut {
    fn process(&mut self, samples: &[usize], predictions: &mut [u8]) {
        let arm = if self.rng.random::<f64>() < self.share_b {
            Arm::B
        } else {
            Arm::A
        };
        self.arms.push(arm);
        match arm {
            Arm::A => self.a.process(samples, predictions),
            Arm::B => self.b.process(samples, predictions),
        }
    }

    fn name(&self) -> &str {
        "A/B"
    }
}
