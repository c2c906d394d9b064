//! The inference variants behind one interface: names, the [`Classifier`] trait, the builder
//! and the accuracy measurement.
//!
//! | variant     | what it does                                                      |
//! |-------------|-------------------------------------------------------------------|
//! | `f32-naive` | plain loops over `[out][in]` weights, one sample at a time       |
//! | `f32-fast`  | weights packed in panels, blocked GEMM per block of samples, SIMD |
//! | `int8`      | int8 weights per output channel, int8 activations, i32 sums       |
//! | `pruned`    | magnitude-pruned weights stored sparse (CSR), sparse products     |
//!
//! Every variant is built from the same trained [`Mlp`], owns its scratch buffers (sized at
//! construction for [`BLOCK_ROWS`] samples) and never allocates in [`Classifier::logits_batch`]
//! or [`Classifier::predict_batch`]: a call with more samples is processed block by block.
//!
//! **Model shapes.** A classifier reads and writes per sample what its model does
//! ([`Mlp::shape`], an [`IoShape`]): the digits models take 64 inputs and give 10 logits; an
//! imported model may take any width and give up to [`MAX_CLASSES`](super::mlp::MAX_CLASSES)
//! classes. Every variant takes its model's shape, through the block helpers that take it
//! (`logits_by_blocks_of`, `predict_by_blocks_of`, `batch_rows_of`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::fast::FastMlp;
use super::int8::Int8Mlp;
use super::mlp::{IoShape, Mlp};
use super::naive::NaiveMlp;
use super::pruned::{PrunedMlp, PruningSparsity};
use super::{BLOCK_ROWS, INPUT_FEATURES};

/// The name of an inference variant (stable strings, used in result files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Variant {
    /// `f32-naive`: the baseline.
    #[serde(rename = "f32-naive")]
    F32Naive,
    /// `f32-fast`: packed weights, blocked GEMM, SIMD.
    #[serde(rename = "f32-fast")]
    F32Fast,
    /// `int8`: post-training quantisation.
    #[serde(rename = "int8")]
    Int8,
    /// `pruned`: magnitude pruning, sparse storage.
    #[serde(rename = "pruned")]
    Pruned,
}

impl Variant {
    /// Every variant, baseline first.
    pub const ALL: [Variant; 4] = [Self::F32Naive, Self::F32Fast, Self::Int8, Self::Pruned];

    /// The stable name: `f32-naive`, `f32-fast`, `int8` or `pruned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::F32Naive => "f32-naive",
            Self::F32Fast => "f32-fast",
            Self::Int8 => "int8",
            Self::Pruned => "pruned",
        }
    }

    /// One line saying what the variant does, for reports and the page.
    pub fn summary(self) -> &'static str {
        match self {
            Self::F32Naive => "f32, plain loops over [out][in] weights, one sample at a time",
            Self::F32Fast => {
                "f32, weights packed in 8-wide panels, blocked GEMM per block of samples, SIMD"
            }
            Self::Int8 => {
                "int8 weights (per output channel) and activations (per sample), i32 sums"
            }
            Self::Pruned => "per-layer magnitude pruning, weights stored sparse (CSR)",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Variant {
    type Err = UnknownVariantError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVariantError { given: s.into() })
    }
}

/// A variant name that is not one of `f32-naive`, `f32-fast`, `int8`, `pruned`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariantError {
    /// The name given.
    pub given: String,
}

impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Variant::ALL.iter().map(|v| v.as_str()).collect();
        write!(
            f,
            "unknown model variant {:?}: use one of {}",
            self.given,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownVariantError {}

/// A model that classifies samples: the interface the load generator drives.
///
/// Inputs are `n * inputs` floats, row-major, where `inputs` is the model's input width
/// ([`Mlp::shape`]; 64 for a digits model: one scaled 8x8 image per row); `n` may be anything
/// from 1 (SingleStream) up. Outputs are `classes` logits per sample (10 for the digits), or
/// one predicted class index per sample. Implementations own their scratch buffers (hence
/// `&mut self`) and never allocate in these calls.
pub trait Classifier: Send {
    /// Which variant this is.
    fn variant(&self) -> Variant;

    /// Bytes of the model as stored by this variant: weights, biases and any scales or
    /// indices (scratch buffers are not counted).
    fn size_bytes(&self) -> usize;

    /// The `classes` logits of each of the `n` samples: `logits[s * classes + class]`.
    ///
    /// # Panics
    ///
    /// Panics if `inputs.len()` is not a multiple of `inputs` or
    /// `logits.len() != n * classes`.
    fn logits_batch(&mut self, inputs: &[f32], logits: &mut [f32]);

    /// The predicted class (argmax of the logits, lowest index on ties; a digit for the
    /// digits task) of each of the `n` samples.
    ///
    /// # Panics
    ///
    /// Panics if `inputs.len()` is not a multiple of `inputs` or `predictions.len() != n`.
    fn predict_batch(&mut self, inputs: &[f32], predictions: &mut [u8]);
}

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

/// Number of samples in `inputs` (rows of `width` floats), checking the buffer lengths of a
/// batch call.
///
/// # Panics
///
/// Panics if `inputs.len()` is not a multiple of `width` or `outputs != n * per_sample`.
pub(crate) fn batch_rows_of(
    width: usize,
    inputs: &[f32],
    outputs: usize,
    per_sample: usize,
) -> usize {
    assert!(
        inputs.len().is_multiple_of(width),
        "inputs must be a multiple of {width} floats, got {}",
        inputs.len()
    );
    let n = inputs.len() / width;
    assert_eq!(
        outputs,
        n * per_sample,
        "output buffer must hold {per_sample} value(s) for each of the {n} samples"
    );
    n
}

/// Index of the largest of a sample's logits (lowest index on ties), as a class index. At
/// most the first [`MAX_CLASSES`](super::mlp::MAX_CLASSES) logits are looked at (a model has
/// no more).
pub(crate) fn argmax(logits: &[f32]) -> u8 {
    let mut best = 0;
    for (class, &value) in logits.iter().enumerate().take(super::mlp::MAX_CLASSES) {
        if value > logits[best] {
            best = class;
        }
    }
    best as u8
}

/// `logits_batch` in terms of a block-wise logits function: runs `logits_block` on blocks of
/// at most [`BLOCK_ROWS`] samples (rows of `shape.inputs` floats), each writing its rows of
/// `logits` (`shape.classes` per sample).
///
/// # Panics
///
/// As [`Classifier::logits_batch`], on buffer lengths that do not match.
pub(crate) fn logits_by_blocks_of(
    shape: IoShape,
    inputs: &[f32],
    logits: &mut [f32],
    mut logits_block: impl FnMut(&[f32], &mut [f32]),
) {
    batch_rows_of(shape.inputs, inputs, logits.len(), shape.classes);
    for (block, out) in inputs
        .chunks(BLOCK_ROWS * shape.inputs)
        .zip(logits.chunks_mut(BLOCK_ROWS * shape.classes))
    {
        logits_block(block, out);
    }
}

/// `predict_batch` in terms of a block-wise logits function: runs `logits_block` on blocks of
/// at most [`BLOCK_ROWS`] samples into `scratch` (at least `BLOCK_ROWS * shape.classes`
/// floats) and takes the argmax of each row.
pub(crate) fn predict_by_blocks_of(
    shape: IoShape,
    inputs: &[f32],
    predictions: &mut [u8],
    scratch: &mut [f32],
    mut logits_block: impl FnMut(&[f32], &mut [f32]),
) {
    batch_rows_of(shape.inputs, inputs, predictions.len(), 1);
    for (block, predictions) in inputs
        .chunks(BLOCK_ROWS * shape.inputs)
        .zip(predictions.chunks_mut(BLOCK_ROWS))
    {
        let logits = &mut scratch[..predictions.len() * shape.classes];
        logits_block(block, logits);
        for (prediction, row) in predictions
            .iter_mut()
            .zip(logits.chunks_exact(shape.classes))
        {
            *prediction = argmax(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_from_str_and_serde() {
        for variant in Variant::ALL {
            assert_eq!(variant.as_str().parse::<Variant>(), Ok(variant));
            let json = serde_json::to_string(&variant).expect("serialises");
            assert_eq!(json, format!("\"{variant}\""));
            assert_eq!(
                serde_json::from_str::<Variant>(&json).expect("parses"),
                variant
            );
        }
        assert_eq!(
            "fp16".parse::<Variant>().unwrap_err().to_string(),
            "unknown model variant \"fp16\": use one of f32-naive, f32-fast, int8, pruned"
        );
    }

    #[test]
    fn argmax_takes_the_first_maximum() {
        assert_eq!(
            argmax(&[0.0, 3.0, 1.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
            1
        );
        assert_eq!(argmax(&[-1.0; 10]), 0);
        assert_eq!(
            argmax(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]),
            9
        );
    }
}
