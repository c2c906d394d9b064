//! `f32-fast`: packed weights, a register-blocked kernel per shape, SIMD.
//!
//! Each layer's weights are packed once into panels of 8 outputs (`model::kernels::dense`).
//! A single sample goes through the matrix-vector kernel (48 outputs at a time, the weights
//! streamed once); a batch is processed in blocks of up to [`BLOCK_ROWS`] rows, each block
//! through one matrix-matrix product per layer (6 x 8 register tiles). The lanes are those of
//! the build (`model::kernels::lanes`): SIMD128 multiply then add, or relaxed SIMD's fused
//! multiply-add in the relaxed module (then the logits differ from `f32-naive`'s in the last
//! bits; with SIMD128 and natively they are bit-identical, the additions being in the same
//! order).

use super::classifier::{batches_by_blocks, Classifier, Variant};
use super::kernels::dense::{PackedDense, MR};
use super::kernels::{KernelPath, KERNEL_PATH};
use super::mlp::IoShape;
use super::mlp::Mlp;
use super::BLOCK_ROWS;

/// The `f32-fast` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct FastMlp {
    layers: Vec<PackedDense>,
    current: Vec<f32>,
    next: Vec<f32>,
    tiles: Vec<f32>,
    logits: Vec<f32>,
    /// The model's inputs and classes per sample.
    shape: IoShape,
}

impl FastMlp {
    /// Packs `model`'s layers and allocates scratch for [`BLOCK_ROWS`] samples.
    pub fn new(model: &Mlp) -> Self {
        let layers: Vec<PackedDense> = model
            .layers()
            .iter()
            .map(|l| PackedDense::new(l.in_features(), l.out_features(), l.weights(), l.biases()))
            .collect();
        let width = layers
            .iter()
            .map(PackedDense::padded_out)
            .max()
            .unwrap_or(0);
        let deepest = layers.iter().map(PackedDense::inputs).max().unwrap_or(0);
        Self {
            layers,
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            tiles: vec![0.0; BLOCK_ROWS.div_ceil(MR) * MR * deepest],
            logits: vec![0.0; BLOCK_ROWS * model.shape().classes],
            shape: model.shape(),
        }
    }

    /// Which kernels this build uses.
    pub fn kernel_path() -> KernelPath {
        KERNEL_PATH
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
            if index == 0 {
                layer.forward(inputs, lda, m, &mut self.tiles, &mut self.current, relu);
            } else {
                layer.forward(&self.current, lda, m, &mut self.tiles, &mut self.next, relu);
                std::mem::swap(&mut self.current, &mut self.next);
            }
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

impl Classifier for FastMlp {
    fn variant(&self) -> Variant {
        Variant::F32Fast
    }

    fn size_bytes(&self) -> usize {
        self.layers.iter().map(PackedDense::stored_bytes).sum()
    }

    batches_by_blocks!();
}
