//! `f32-naive`: the baseline. Plain loops, one sample at a time, the trained `[out][in]`
//! weights as they are.
//!
//! For each sample, for each layer, for each output `o`: `acc = b[o]`, then
//! `acc += W[o][i] * x[i]` for `i = 0..in` (one accumulator, so each addition waits for the
//! previous one and nothing is vectorised), then ReLU on hidden layers. This is the textbook
//! loop nest a first implementation would write; every other variant is measured against it.

use super::classifier::{batch_rows_of, predict_by_blocks_of, Classifier, Variant};
use super::mlp::{DenseLayer, IoShape, Mlp};
use super::BLOCK_ROWS;

/// The `f32-naive` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct NaiveMlp {
    shape: IoShape,
    layers: Vec<DenseLayer>,
    current: Vec<f32>,
    next: Vec<f32>,
    logits: Vec<f32>,
}

impl NaiveMlp {
    /// A copy of `model`'s layers and scratch for one sample.
    pub fn new(model: &Mlp) -> Self {
        let width = model.max_width();
        let shape = model.shape();
        Self {
            shape,
            layers: model.layers().to_vec(),
            current: vec![0.0; width],
            next: vec![0.0; width],
            logits: vec![0.0; BLOCK_ROWS * shape.classes],
        }
    }

    /// The logits of one sample.
    fn forward_one(&mut self, input: &[f32], logits: &mut [f32]) {
        self.current[..self.shape.inputs].copy_from_slice(input);
        let last = self.layers.len() - 1;
        for (index, layer) in self.layers.iter().enumerate() {
            inferbench_kernels::naive::dense(
                layer.weights(),
                layer.biases(),
                &self.current[..layer.in_features()],
                index < last,
                &mut self.next,
            );
            std::mem::swap(&mut self.current, &mut self.next);
        }
        logits.copy_from_slice(&self.current[..self.shape.classes]);
    }
}

impl Classifier for NaiveMlp {
    fn variant(&self) -> Variant {
        Variant::F32Naive
    }

    fn size_bytes(&self) -> usize {
        self.layers
            .iter()
            .map(|l| 4 * (l.weights().len() + l.biases().len()))
            .sum()
    }

    fn logits_batch(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let shape = self.shape;
        batch_rows_of(shape.inputs, inputs, logits.len(), shape.classes);
        for (input, out) in inputs
            .chunks_exact(shape.inputs)
            .zip(logits.chunks_exact_mut(shape.classes))
        {
            self.forward_one(input, out);
        }
    }

    fn predict_batch(&mut self, inputs: &[f32], predictions: &mut [u8]) {
        let mut scratch = std::mem::take(&mut self.logits);
        predict_by_blocks_of(
            self.shape,
            inputs,
            predictions,
            &mut scratch,
            |block, logits| self.logits_batch(block, logits),
        );
        self.logits = scratch;
    }
}
