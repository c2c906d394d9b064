//! What every inference variant is: its name ([`Variant`]), the [`Classifier`] interface the
//! load generator drives, and the block helpers the implementations share.
//!
//! A classifier reads and writes per sample what its model does ([`Mlp::shape`], an
//! [`IoShape`]): the digits models take 64 inputs and give 10 logits; an imported model may
//! take any width and give up to [`MAX_CLASSES`](super::mlp::MAX_CLASSES) classes. The block
//! helpers take the shape (`logits_by_blocks_of`, `predict_by_blocks_of`, `batch_rows_of`)
//! and process a call of any size in blocks of [`BLOCK_ROWS`] samples, so that no call
//! allocates. The variants themselves, and the factory that builds them, are in
//! [`super::variant`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::mlp::IoShape;
#[cfg(doc)]
use super::mlp::Mlp;
use super::BLOCK_ROWS;

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

/// The [`Classifier`] batch methods of a variant that computes logits a block of at most
/// [`BLOCK_ROWS`] samples at a time: expands, inside its `impl Classifier`, to
/// `logits_batch` and `predict_batch` in terms of its `forward_block(&mut self, inputs,
/// logits)` method, its `shape: IoShape` field and its `logits: Vec<f32>` scratch field (at
/// least `BLOCK_ROWS * classes` floats), through [`logits_by_blocks_of`] and
/// [`predict_by_blocks_of`].
macro_rules! batches_by_blocks {
    () => {
        fn logits_batch(&mut self, inputs: &[f32], logits: &mut [f32]) {
            let shape = self.shape;
            $crate::model::classifier::logits_by_blocks_of(shape, inputs, logits, |block, out| {
                self.forward_block(block, out)
            });
        }

        fn predict_batch(&mut self, inputs: &[f32], predictions: &mut [u8]) {
            let mut scratch = std::mem::take(&mut self.logits);
            $crate::model::classifier::predict_by_blocks_of(
                self.shape,
                inputs,
                predictions,
                &mut scratch,
                |block, logits| self.forward_block(block, logits),
            );
            self.logits = scratch;
        }
    };
}
pub(crate) use batches_by_blocks;

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
