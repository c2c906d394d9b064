//! A dense layer packed for the blocked product, and its batched forward pass.
//!
//! The `[out][in]` weights are transposed into panels of [`NR`] = 8 outputs: panel `q` holds,
//! for each input `i` in order, the 8 weights `W[8q + j][i]` (`j = 0..8`) side by side, so the
//! kernel's inner loop reads contiguous memory. The last panel is padded with zero weights
//! (and zero biases) up to a multiple of 8 outputs; padded outputs are computed and ignored.
//! Used by training's forward pass (bit-identical to the naive loop on every target, so that
//! training gives the same model everywhere).

use super::gemm::{gemm_acc, pack_panels, BLayout, Dims, NR};
use super::mlp::DenseLayer;

/// One layer in panel layout (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PackedLayer {
    in_features: usize,
    out_features: usize,
    padded_out: usize,
    panels: Vec<f32>,
    biases: Vec<f32>,
}

impl PackedLayer {
    /// Packs `layer`.
    pub(crate) fn new(layer: &DenseLayer) -> Self {
        let padded_out = layer.out_features().div_ceil(NR) * NR;
        let mut packed = Self {
            in_features: layer.in_features(),
            out_features: layer.out_features(),
            padded_out,
            panels: vec![0.0; padded_out * layer.in_features()],
            biases: vec![0.0; padded_out],
        };
        packed.repack(layer);
        packed
    }

    /// Copies `layer`'s current parameters in (same sizes as at [`PackedLayer::new`]).
    pub(crate) fn repack(&mut self, layer: &DenseLayer) {
        debug_assert_eq!(layer.in_features(), self.in_features);
        debug_assert_eq!(layer.out_features(), self.out_features);
        pack_panels(layer.weights(), self.in_features, &mut self.panels);
        self.biases[..self.out_features].copy_from_slice(layer.biases());
    }

    /// Outputs rounded up to a multiple of 8: the row stride of this layer's outputs.
    pub(crate) fn padded_out(&self) -> usize {
        self.padded_out
    }

    /// `out = input * W^T + b` for `m` rows, then ReLU if `relu`.
    ///
    /// `input` holds `m` rows of `in_features` values with row stride `lda`; `out` receives
    /// `m` rows of [`PackedLayer::padded_out`] values (stride `padded_out`). Per output, the
    /// sum is `b + w_0 x_0 + w_1 x_1 + ...` in that order, as in the naive loop.
    pub(crate) fn forward(&self, input: &[f32], lda: usize, m: usize, out: &mut [f32], relu: bool) {
        let n = self.padded_out;
        let out = &mut out[..m * n];
        for row in out.chunks_exact_mut(n) {
            row.copy_from_slice(&self.biases);
        }
        let dims = Dims {
            m,
            n,
            k: self.in_features,
            lda,
            ldc: n,
        };
        gemm_acc(
            dims,
            input,
            &self.panels,
            BLayout::packed(self.in_features),
            out,
        );
        if relu {
            for v in out.iter_mut() {
                *v = v.max(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_outputs_in_panels_of_eight_with_zero_padding() {
        // 2 inputs, 10 outputs: W[o][i] = 10 * o + i.
        let weights: Vec<f32> = (0..10)
            .flat_map(|o| (0..2).map(move |i| (10 * o + i) as f32))
            .collect();
        let layer =
            DenseLayer::new(2, 10, weights, (0..10).map(|o| o as f32).collect()).expect("valid");
        let packed = PackedLayer::new(&layer);
        assert_eq!(packed.padded_out(), 16);
        // Panel 0, input 1: W[0..8][1].
        assert_eq!(
            &packed.panels[8..16],
            &[1.0, 11.0, 21.0, 31.0, 41.0, 51.0, 61.0, 71.0]
        );
        // Panel 1, input 0: W[8][0], W[9][0], then padding.
        assert_eq!(
            &packed.panels[16..24],
            &[80.0, 90.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        );
        let mut out = vec![0.0; 16];
        packed.forward(&[1.0, -1.0], 2, 1, &mut out, false);
        // z_o = o + (10 o) - (10 o + 1) = o - 1.
        let expected: Vec<f32> = (0..10).map(|o| o as f32 - 1.0).collect();
        assert_eq!(&out[..10], expected.as_slice());
        packed.forward(&[1.0, -1.0], 2, 1, &mut out, true);
        assert_eq!(out[0], 0.0);
    }
}
