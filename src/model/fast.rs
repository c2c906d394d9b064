//! `f32-fast`: packed weights and one blocked matrix-matrix product per layer.
//!
//! Each layer's weights are packed in panels of 8 outputs (`model::packed`), so the inner
//! loop reads contiguous memory; a call's samples are processed in blocks of up to
//! [`BLOCK_ROWS`] rows, each block going through one matrix-matrix product per layer
//! (`model::gemm`: 4x8 register tiles, or 1x32 for a lone row so that a single sample still
//! keeps 8 vector accumulators busy). On `wasm32` built with `+simd128` the kernel uses f32x4
//! intrinsics; elsewhere LLVM vectorises the portable kernel. The additions happen in the same
//! order as in `f32-naive`, so the logits are bit-identical to the baseline's.

use super::gemm::KERNEL_PATH;
use super::mlp::Mlp;
use super::packed::PackedLayer;
use super::variant::{logits_by_blocks, predict_by_blocks, Classifier, Variant};
use super::{BLOCK_ROWS, INPUT_FEATURES, NUM_CLASSES};

/// The `f32-fast` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct FastMlp {
    layers: Vec<PackedLayer>,
    current: Vec<f32>,
    next: Vec<f32>,
    logits: Vec<f32>,
}

impl FastMlp {
    /// Packs `model`'s layers and allocates scratch for [`BLOCK_ROWS`] samples.
    pub fn new(model: &Mlp) -> Self {
        let layers: Vec<PackedLayer> = model.layers().iter().map(PackedLayer::new).collect();
        let width = layers
            .iter()
            .map(PackedLayer::padded_out)
            .max()
            .unwrap_or(0);
        Self {
            layers,
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            logits: vec![0.0; BLOCK_ROWS * NUM_CLASSES],
        }
    }

    /// Which kernel this build uses: `"wasm-simd128"` or `"portable"`.
    pub fn kernel_path() -> &'static str {
        KERNEL_PATH
    }

    /// Logits of at most [`BLOCK_ROWS`] samples.
    fn forward_block(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let m = inputs.len() / INPUT_FEATURES;
        let last = self.layers.len() - 1;
        let mut lda = INPUT_FEATURES;
        for (index, layer) in self.layers.iter().enumerate() {
            let relu = index < last;
            if index == 0 {
                layer.forward(inputs, lda, m, &mut self.current, relu);
            } else {
                layer.forward(&self.current, lda, m, &mut self.next, relu);
                std::mem::swap(&mut self.current, &mut self.next);
            }
            lda = layer.padded_out();
        }
        for (out, row) in logits
            .chunks_exact_mut(NUM_CLASSES)
            .zip(self.current.chunks_exact(lda))
        {
            out.copy_from_slice(&row[..NUM_CLASSES]);
        }
    }
}

impl Classifier for FastMlp {
    fn variant(&self) -> Variant {
        Variant::F32Fast
    }

    fn size_bytes(&self) -> usize {
        self.layers.iter().map(PackedLayer::stored_bytes).sum()
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
