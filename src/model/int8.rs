//! `int8`: post-training quantisation with int8 weights, int8 activations and i32 sums.
//!
//! - Weights: symmetric, per output channel. For output `o`, `s_o = max_i |W[o][i]| / 127`
//!   and `q[o][i] = round(W[o][i] / s_o)` in `-127..=127` (a zero row keeps `s_o = 0`).
//! - Activations: symmetric, per layer and **per sample, computed dynamically** (no
//!   calibration set): before each layer, each sample's input vector `x` gets
//!   `s_x = max_i |x_i| / 127` and `q_x = round(x / s_x)`. So a sample's result does not
//!   depend on which other samples share its batch.
//! - Product: `acc = sum_i q[o][i] * q_x[i]` in i32 (at most 32768 * 127 * 127 < 2^31), then
//!   `z_o = acc * (s_o * s_x) + b_o` in f32 (biases stay f32), ReLU on hidden layers.
//!
//! Stored size: one byte per weight, plus an f32 scale and an f32 bias per output.

use super::mlp::Mlp;
use super::variant::{logits_by_blocks, predict_by_blocks, Classifier, Variant};
use super::{BLOCK_ROWS, INPUT_FEATURES, NUM_CLASSES};

/// Largest magnitude of a quantised value (symmetric range `-127..=127`).
const Q_MAX: f32 = 127.0;

/// One quantised layer.
#[derive(Debug, Clone, PartialEq)]
struct QuantLayer {
    in_features: usize,
    out_features: usize,
    /// Row-major `[out][in]`.
    weights: Vec<i8>,
    /// `s_o`, one per output.
    scales: Vec<f32>,
    biases: Vec<f32>,
}

/// Symmetric scale for values whose largest magnitude is `max_abs` (0 for an all-zero vector).
fn scale_for(max_abs: f32) -> f32 {
    max_abs / Q_MAX
}

/// Quantises `values` with `scale` into `out` (zeros if the scale is zero).
fn quantise(values: &[f32], scale: f32, out: &mut [i8]) {
    let inverse = if scale > 0.0 { 1.0 / scale } else { 0.0 };
    for (q, &v) in out.iter_mut().zip(values) {
        // In range by construction of the scale; the clamp guards rounding at the edge.
        *q = (v * inverse).round().clamp(-Q_MAX, Q_MAX) as i8;
    }
}

fn max_abs(values: &[f32]) -> f32 {
    values.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

/// `sum_i a[i] * b[i]` in i32 (integer addition is associative, so LLVM vectorises it).
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

/// The `int8` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct Int8Mlp {
    layers: Vec<QuantLayer>,
    /// f32 activations of the block, `BLOCK_ROWS * max_width`, two buffers.
    current: Vec<f32>,
    next: Vec<f32>,
    /// Quantised activations of the block.
    quantised: Vec<i8>,
    /// `s_x` of each row of the block.
    row_scales: Vec<f32>,
    logits: Vec<f32>,
}

impl Int8Mlp {
    /// Quantises `model`'s weights and allocates scratch for [`BLOCK_ROWS`] samples.
    pub fn new(model: &Mlp) -> Self {
        let layers = model
            .layers()
            .iter()
            .map(|layer| {
                let rows = layer.weights().chunks_exact(layer.in_features());
                let scales: Vec<f32> = rows.clone().map(|row| scale_for(max_abs(row))).collect();
                let mut weights = vec![0i8; layer.weights().len()];
                for ((row, out), &scale) in rows
                    .zip(weights.chunks_exact_mut(layer.in_features()))
                    .zip(&scales)
                {
                    quantise(row, scale, out);
                }
                QuantLayer {
                    in_features: layer.in_features(),
                    out_features: layer.out_features(),
                    weights,
                    scales,
                    biases: layer.biases().to_vec(),
                }
            })
            .collect();
        let width = model.max_width();
        Self {
            layers,
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            quantised: vec![0; BLOCK_ROWS * width],
            row_scales: vec![0.0; BLOCK_ROWS],
            logits: vec![0.0; BLOCK_ROWS * NUM_CLASSES],
        }
    }

    /// Logits of at most [`BLOCK_ROWS`] samples.
    fn forward_block(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let m = inputs.len() / INPUT_FEATURES;
        self.current[..inputs.len()].copy_from_slice(inputs);
        let last = self.layers.len() - 1;
        for (index, layer) in self.layers.iter().enumerate() {
            let (n_in, n_out) = (layer.in_features, layer.out_features);
            for ((x, q), s_x) in self.current[..m * n_in]
                .chunks_exact(n_in)
                .zip(self.quantised.chunks_exact_mut(n_in))
                .zip(&mut self.row_scales[..m])
            {
                *s_x = scale_for(max_abs(x));
                quantise(x, *s_x, q);
            }
            let quantised = &self.quantised[..m * n_in];
            let out = &mut self.next[..m * n_out];
            for (o, w) in layer.weights.chunks_exact(n_in).enumerate() {
                let (s_o, b_o) = (layer.scales[o], layer.biases[o]);
                for (row, (q, &s_x)) in quantised
                    .chunks_exact(n_in)
                    .zip(&self.row_scales[..m])
                    .enumerate()
                {
                    let z = dot_i8(w, q) as f32 * (s_o * s_x) + b_o;
                    out[row * n_out + o] = if index < last { z.max(0.0) } else { z };
                }
            }
            std::mem::swap(&mut self.current, &mut self.next);
        }
        logits.copy_from_slice(&self.current[..m * NUM_CLASSES]);
    }
}

impl Classifier for Int8Mlp {
    fn variant(&self) -> Variant {
        Variant::Int8
    }

    fn size_bytes(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.weights.len() + 4 * (l.scales.len() + l.biases.len()))
            .sum()
    }

    fn logits_batch(&mut self, inputs: &[f32], logits: &mut [f32]) {
        logits_by_blocks(inputs, logits, |block, out| self.forward_block(block, out));
    }

    fn predict_batch(&mut self, inputs: &[f32], predictions: &mut [u8]) {
        let mut scratch = std::mem::take(&mut self.logits);
        predict_by_blocks(inputs, predictions, &mut scratch, |block, logits| {
            self.forward_block(block, logits)
        });
        self.logits = scratch;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mlp::DenseLayer;

    #[test]
    fn quantises_symmetrically_per_output_channel() {
        // Row 0 spans +-2, row 1 spans +-0.5: each gets its own scale.
        let mut weights = vec![0.0; 2 * 64];
        weights[0] = 2.0;
        weights[1] = -0.75;
        weights[64] = 0.5;
        weights[65] = 0.25;
        let hidden = DenseLayer::new(64, 2, weights, vec![0.0, 0.0]).expect("valid");
        let output = DenseLayer::new(2, 10, vec![0.0; 20], vec![0.0; 10]).expect("valid");
        let model = Mlp::from_layers(vec![hidden, output]).expect("valid");
        let int8 = Int8Mlp::new(&model);
        let layer = &int8.layers[0];
        assert_eq!(layer.scales, vec![2.0 / 127.0, 0.5 / 127.0]);
        assert_eq!(&layer.weights[..2], &[127, -48]); // -0.75 / (2/127) = -47.6
        assert_eq!(&layer.weights[64..66], &[127, 64]);
        assert_eq!(int8.size_bytes(), 128 + 8 + 8 + 20 + 40 + 40);
    }

    #[test]
    fn integer_dot_product_and_zero_scale() {
        assert_eq!(dot_i8(&[127, -127, 3], &[127, 127, -2]), -6);
        let mut out = [5i8; 3];
        quantise(&[0.0, 0.0, 0.0], scale_for(0.0), &mut out);
        assert_eq!(out, [0, 0, 0]);
    }
}
