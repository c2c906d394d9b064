//! The performance sample set of a model ([`PerformanceSamples`]): the digits test split for
//! a model of the digits' shape, else seeded synthetic inputs ([`synthetic_inputs`]).
//!
//! A model that does not take 64 pixels and give 10 classes (an imported one) cannot
//! classify the digits, so it is benchmarked on [`SYNTHETIC_SAMPLES`] rows of uniform
//! `[0, 1)` values (the range of the scaled pixels) drawn by ChaCha8 (stream "synthetic
//! inputs" of the seed). Its accuracy is not measured: there are no labels to measure it
//! against.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::rng::{seeded_rng, Stream};

/// Rows of synthetic inputs: about as many as the digits test split has (359), so that the
/// scenarios' settings validate alike for both kinds of model.
pub const SYNTHETIC_SAMPLES: usize = 360;

/// What a run's queries draw their samples from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PerformanceSamples {
    /// The digits test split (accuracy measured on it).
    #[default]
    DigitsTestSplit,
    /// Seeded synthetic inputs (accuracy not measured).
    Synthetic {
        /// Rows.
        samples: usize,
        /// Values per row (the model's input width).
        width: usize,
        /// The seed of the values.
        seed: u64,
    },
}

impl PerformanceSamples {
    /// Whether accuracy can be measured on these samples (they have labels).
    pub fn has_labels(self) -> bool {
        matches!(self, PerformanceSamples::DigitsTestSplit)
    }
}

/// `rows` rows of `width` values, uniform in `[0, 1)`, from `seed`: row-major, the same on
/// every platform (uniform `f32` sampling is exact).
pub fn synthetic_inputs(width: usize, rows: usize, seed: u64) -> Vec<f32> {
    let mut rng = seeded_rng(seed, Stream::SyntheticInputs);
    (0..width * rows).map(|_| rng.random::<f32>()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_inputs_are_seeded_and_in_range() {
        let a = synthetic_inputs(5, 7, 1);
        assert_eq!(a.len(), 35);
        assert_eq!(a, synthetic_inputs(5, 7, 1));
        assert_ne!(a, synthetic_inputs(5, 7, 2));
        assert!(a.iter().all(|&x| (0.0..1.0).contains(&x)));
        assert!(a.iter().any(|&x| x > 0.5) && a.iter().any(|&x| x < 0.5));
        assert!(PerformanceSamples::DigitsTestSplit.has_labels());
    }
}
