//! `int8`: post-training quantisation, 7-bit integer weights and activations, exact integer
//! sums (`model::kernels::quant` has the formulas, the layout and the kernels).
//!
//! Weights are quantised once per output channel; each sample's activations are quantised
//! before every layer with their own scale (dynamic, no calibration set), so a sample's result
//! does not depend on the other samples of its batch. The integer sums are exact on every
//! instruction set (`model::kernels::qlanes`), so the logits are the same natively, with
//! SIMD128 and with relaxed SIMD. Stored size: one byte per weight, plus an f32 scale, an
//! i32 row sum and an f32 bias per output.

use super::classifier::{batches_by_blocks, Classifier, Variant};
use super::kernels::quant::{QuantDense, RowScale};
use super::mlp::IoShape;
use super::mlp::Mlp;
use super::BLOCK_ROWS;

/// The `int8` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct Int8Mlp {
    layers: Vec<QuantDense>,
    current: Vec<f32>,
    next: Vec<f32>,
    codes: Vec<u8>,
    row_scales: Vec<RowScale>,
    logits: Vec<f32>,
    /// The model's inputs and classes per sample.
    shape: IoShape,
}

impl Int8Mlp {
    /// Quantises `model`'s weights and allocates scratch for [`BLOCK_ROWS`] samples.
    pub fn new(model: &Mlp) -> Self {
        let layers: Vec<QuantDense> = model
            .layers()
            .iter()
            .map(|l| QuantDense::new(l.in_features(), l.out_features(), l.weights(), l.biases()))
            .collect();
        let width = layers.iter().map(QuantDense::padded_out).max().unwrap_or(0);
        let deepest = layers.iter().map(QuantDense::padded_in).max().unwrap_or(0);
        Self {
            layers,
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            codes: vec![0; BLOCK_ROWS * deepest],
            row_scales: vec![
                RowScale {
                    scale: 0.0,
                    zero: 0
                };
                BLOCK_ROWS
            ],
            logits: vec![0.0; BLOCK_ROWS * model.shape().classes],
            shape: model.shape(),
        }
    }

    /// Logits of at most [`BLOCK_ROWS`] samples.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "relaxed-simd"),
        target_feature(enable = "relaxed-simd")
    )]
    fn forward_block(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let shape = self.shape;
        let m = inputs.len() / shape.inputs;
        let last = self.layers.len() - 1;
        let mut lda = shape.inputs;
        for (index, layer) in self.layers.iter().enumerate() {
            let relu = index < last;
            let input = if index == 0 {
                inputs
            } else {
                &self.current[..]
            };
            layer.forward(
                input,
                lda,
                m,
                &mut self.codes,
                &mut self.row_scales,
                &mut self.next,
                relu,
            );
            std::mem::swap(&mut self.current, &mut self.next);
            lda = layer.padded_out();
        }
        for (out, row) in logits
            .chunks_exact_mut(shape.classes)
            .zip(self.current.chunks_exact(lda))
        {
            out.copy_from_slice(&row[..shape.classes]);
        }
    }
}

impl Classifier for Int8Mlp {
    fn variant(&self) -> Variant {
        Variant::Int8
    }

    fn size_bytes(&self) -> usize {
        self.layers.iter().map(QuantDense::stored_bytes).sum()
    }

    batches_by_blocks!();
}
