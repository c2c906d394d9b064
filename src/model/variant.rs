//! The four inference variants and the factory that builds them from a model, with the
//! accuracy measurement.
//!
//! | variant     | what it does                                                      |
//! |-------------|-------------------------------------------------------------------|
//! | `f32-naive` | plain loops over `[out][in]` weights, one sample at a time       |
//! | `f32-fast`  | weights packed in panels, blocked GEMM per block of samples, SIMD |
//! | `int8`      | int8 weights per output channel, int8 activations, i32 sums       |
//! | `pruned`    | magnitude-pruned weights stored sparse (CSR), sparse products     |
//!
//! Every variant is built from the same [`Mlp`] (trained or imported, of any shape), owns its
//! scratch buffers (sized at construction for [`BLOCK_ROWS`] samples) and never allocates in
//! [`Classifier::logits_batch`] or [`Classifier::predict_batch`]: a call with more samples is
//! processed block by block. The interface and the names are in [`super::classifier`].

use serde::{Deserialize, Serialize};

pub use super::classifier::{Classifier, UnknownVariantError, Variant};
use super::dataset::Dataset;
use super::fast::FastMlp;
use super::int8::Int8Mlp;
#[cfg(doc)]
use super::mlp::IoShape;
use super::mlp::Mlp;
use super::naive::NaiveMlp;
use super::pruned::{PrunedMlp, PruningSparsity};
use super::{BLOCK_ROWS, INPUT_FEATURES};

/// Options for building variants; [`VariantOptions::default`] is what [`build`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct VariantOptions {
    /// Fraction of the weights the `pruned` variant removes (default 0.5).
    pub pruning_sparsity: PruningSparsity,
}

/// Builds `variant` from the trained `model` with default options.
///
/// # Panics
///
/// As [`build_with`].
pub fn build(variant: Variant, model: &Mlp) -> Box<dyn Classifier> {
    build_with(variant, model, &VariantOptions::default())
}

/// Builds `variant` from `model` (trained or imported, of any [`IoShape`]) with `options`.
pub fn build_with(variant: Variant, model: &Mlp, options: &VariantOptions) -> Box<dyn Classifier> {
    match variant {
        Variant::F32Naive => Box::new(NaiveMlp::new(model)),
        Variant::F32Fast => Box::new(FastMlp::new(model)),
        Variant::Int8 => Box::new(Int8Mlp::new(model)),
        Variant::Pruned => Box::new(PrunedMlp::new(model, options.pruning_sparsity)),
    }
}

/// Top-1 accuracy of `classifier` (a digits-shaped model) on `data`, in `0..=1`: every row
/// once, in blocks of [`BLOCK_ROWS`].
pub fn accuracy(classifier: &mut dyn Classifier, data: &Dataset) -> f64 {
    let mut predictions = [0u8; BLOCK_ROWS];
    let mut correct = 0usize;
    for (inputs, labels) in data
        .inputs()
        .chunks(BLOCK_ROWS * INPUT_FEATURES)
        .zip(data.labels().chunks(BLOCK_ROWS))
    {
        let predictions = &mut predictions[..labels.len()];
        classifier.predict_batch(inputs, predictions);
        correct += predictions
            .iter()
            .zip(labels)
            .filter(|(p, l)| p == l)
            .count();
    }
    correct as f64 / data.len() as f64
}

/// What a result file records about one built variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// The variant.
    pub variant: Variant,
    /// [`Classifier::size_bytes`].
    pub size_bytes: usize,
    /// Top-1 accuracy on the data it was evaluated on, in `0..=1`.
    pub accuracy: f64,
}

/// Size and measured accuracy of `classifier` on `data` (normally the test split).
pub fn summarize(classifier: &mut dyn Classifier, data: &Dataset) -> VariantSummary {
    VariantSummary {
        variant: classifier.variant(),
        size_bytes: classifier.size_bytes(),
        accuracy: accuracy(classifier, data),
    }
}
