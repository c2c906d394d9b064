//! The `int8` layer: 7-bit weights per output channel, 7-bit activations per sample, exact
//! integer sums, and the one-sample and batch kernels over them.
//!
//! **Quantisation.** Weights, symmetric per output `o`: `s_o = max_i |W[o][i]| / 63`,
//! `q[o][i] = round(W[o][i] / s_o)` in `-63..=63` (stored as i8; a zero row keeps `s_o = 0`).
//! Activations, per sample and layer, computed on the fly (no calibration set), asymmetric so
//! that any input range maps to `0..=127`: `s_x = (max - min) / 127` over the sample's vector
//! with `min` clamped to at most 0 (so `x = 0`, the ReLU floor, is exact), zero point
//! `z = round(-min / s_x)`, `u = round(x / s_x) + z`. Then
//! `W x ~ s_o s_x (sum_i q[o][i] u_i - z sum_i q[o][i])`; the row sums `sum_i q[o][i]` are
//! kept. After ReLU and on the digits' pixels `min = 0`, so `z = 0`. The 7-bit ranges let the
//! relaxed-SIMD kernel add pairs of products in 16 bits without overflow (`super::qlanes`).
//!
//! **Layout.** Weights in panels of 8 outputs (two groups of 4); a panel holds, for each
//! block of 8 inputs, four quads `[g0 i0..4][g0 i4..8][g1 i0..4][g1 i4..8]` (16 bytes each:
//! 4 outputs x 4 inputs). Inputs are padded to a multiple of 8 with zero weights.
//!
//! **Kernels.** One sample: 4 panels (32 outputs) at a time, per block of 8 inputs two
//! 4-byte activation broadcasts and 8 double-quad dot products. A batch: tiles of 4 rows
//! against each panel, the 4 x 8 sums in 8 vector accumulators. Both end with
//! `z = s_o s_x (sum - z_x rowsum_o) + b_o`, ReLU on hidden layers, in f32.

use super::qlanes::QuantLanes;

/// Outputs per panel.
const NR: usize = 8;
/// Inputs per block (two quads).
const KB: usize = 8;
/// Rows per tile of the batch kernel.
const MR: usize = 4;
/// Panels per group of the one-sample kernel.
const GEMV_PANELS: usize = 4;
/// Largest quantised weight magnitude.
const W_MAX: f32 = 63.0;
/// Largest quantised activation.
const X_MAX: f32 = 127.0;

/// One block of 8 inputs of a panel: `[group][half]` quads of 4 outputs x 4 inputs.
type PanelBlock = [[[i8; 16]; 2]; 2];

/// A sample's quantised activations: the scale and zero point, and the codes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowScale {
    /// `s_x`.
    pub scale: f32,
    /// `z`.
    pub zero: i32,
}

/// A quantised dense layer (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct QuantDense {
    k: usize,
    n: usize,
    /// `k_pad / 8` blocks per panel, panel-major.
    panels: Vec<PanelBlock>,
    /// `s_o`, padded with zeros to a multiple of 8.
    scales: Vec<f32>,
    /// `sum_i q[o][i]`, padded.
    row_sums: Vec<i32>,
    /// Biases, padded.
    biases: Vec<f32>,
}

impl QuantDense {
    /// Quantises a layer with `k` inputs and `n` outputs from its row-major `[n][k]` weights.
    ///
    /// # Panics
    ///
    /// Panics if `weights.len() != n * k` or `biases.len() != n`.
    pub fn new(k: usize, n: usize, weights: &[f32], biases: &[f32]) -> Self {
        assert_eq!(weights.len(), n * k, "weights are [out][in]");
        assert_eq!(biases.len(), n, "one bias per output");
        let (panels_n, blocks) = (n.div_ceil(NR), k.div_ceil(KB));
        let mut layer = Self {
            k,
            n,
            panels: vec![[[[0; 16]; 2]; 2]; panels_n * blocks],
            scales: vec![0.0; panels_n * NR],
            row_sums: vec![0; panels_n * NR],
            biases: vec![0.0; panels_n * NR],
        };
        for o in 0..n {
            let row = &weights[o * k..(o + 1) * k];
            let scale = row.iter().fold(0.0f32, |m, w| m.max(w.abs())) / W_MAX;
            let inverse = if scale > 0.0 { 1.0 / scale } else { 0.0 };
            let (panel, lane) = (o / NR, o % NR);
            let (group, slot) = (lane / 4, lane % 4);
            let mut sum = 0;
            for (i, &w) in row.iter().enumerate() {
                let q = (w * inverse).round().clamp(-W_MAX, W_MAX) as i8;
                sum += i32::from(q);
                let (block, within) = (i / KB, i % KB);
                let (half, t) = (within / 4, within % 4);
                layer.panels[panel * blocks + block][group][half][4 * slot + t] = q;
            }
            layer.scales[o] = scale;
            layer.row_sums[o] = sum;
            layer.biases[o] = biases[o];
        }
        layer
    }

    /// Inputs rounded up to a multiple of 8: the row stride of the quantised activations.
    pub fn padded_in(&self) -> usize {
        self.k.div_ceil(KB) * KB
    }

    /// Outputs rounded up to a multiple of 8: the row stride of this layer's outputs.
    pub fn padded_out(&self) -> usize {
        self.scales.len()
    }

    /// Bytes stored: one per weight (padding included), and an f32 scale, an i32 row sum and
    /// an f32 bias per (padded) output.
    pub fn stored_bytes(&self) -> usize {
        64 * self.panels.len() + 12 * self.scales.len()
    }

    /// Outputs (unpadded).
    pub fn outputs(&self) -> usize {
        self.n
    }

    /// `out = relu?(x W^T + b)` for `m` rows of `x` (row stride `lda`) into `out` (row stride
    /// [`QuantDense::padded_out`]); `codes` (at least `m * padded_in` bytes) and `row_scales`
    /// (at least `m`) are scratch.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "relaxed-simd"),
        target_feature(enable = "relaxed-simd")
    )]
    #[allow(clippy::too_many_arguments)]
    pub fn forward(
        &self,
        x: &[f32],
        lda: usize,
        m: usize,
        codes: &mut [u8],
        row_scales: &mut [RowScale],
        out: &mut [f32],
        relu: bool,
    ) {
        // The lanes of this build: compiled here, the entry point for other crates.
        type Q = super::qlanes::QLanes;
        let kp = self.padded_in();
        let codes = &mut codes[..m * kp];
        for ((row, codes), scale) in codes
            .chunks_exact_mut(kp)
            .enumerate()
            .zip(row_scales.iter_mut())
        {
            *scale = quantise_row(&x[row * lda..row * lda + self.k], codes);
        }
        let ldc = self.padded_out();
        let blocks = kp / KB;
        let panels = self.scales.len() / NR;
        let (codes, _) = codes.as_chunks::<KB>();
        let mut q = 0;
        if m == 1 {
            while q + GEMV_PANELS <= panels {
                self.tile::<Q, 1, GEMV_PANELS>(codes, blocks, &row_scales[..1], q, out, ldc, relu);
                q += GEMV_PANELS;
            }
            while q < panels {
                self.tile::<Q, 1, 1>(codes, blocks, &row_scales[..1], q, out, ldc, relu);
                q += 1;
            }
            return;
        }
        for q in 0..panels {
            let mut row = 0;
            while row + MR <= m {
                self.tile::<Q, MR, 1>(
                    &codes[row * blocks..],
                    blocks,
                    &row_scales[row..row + MR],
                    q,
                    &mut out[row * ldc..],
                    ldc,
                    relu,
                );
                row += MR;
            }
            while row < m {
                self.tile::<Q, 1, 1>(
                    &codes[row * blocks..],
                    blocks,
                    &row_scales[row..row + 1],
                    q,
                    &mut out[row * ldc..],
                    ldc,
                    relu,
                );
                row += 1;
            }
        }
    }

    /// `R` rows (codes with row stride `blocks`) against panels `q..q + P`.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn tile<Q: QuantLanes, const R: usize, const P: usize>(
        &self,
        codes: &[[u8; KB]],
        blocks: usize,
        scales: &[RowScale],
        q: usize,
        out: &mut [f32],
        ldc: usize,
        relu: bool,
    ) {
        let rows: [&[[u8; KB]]; R] = core::array::from_fn(|r| &codes[r * blocks..][..blocks]);
        let panels: [&[PanelBlock]; P] =
            core::array::from_fn(|p| &self.panels[(q + p) * blocks..][..blocks]);
        let mut acc = [[[Q::zero(); 2]; P]; R];
        for b in 0..blocks {
            for (r, row) in rows.iter().enumerate() {
                let (x0, x1) = row[b].split_at(4);
                let (x0, x1): (&[u8; 4], &[u8; 4]) = (
                    x0.try_into().expect("4 of 8"),
                    x1.try_into().expect("4 of 8"),
                );
                for (p, panel) in panels.iter().enumerate() {
                    let block = &panel[b];
                    for g in 0..2 {
                        acc[r][p][g] = acc[r][p][g].dot2(&block[g][0], &block[g][1], x0, x1);
                    }
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            let RowScale { scale, zero } = scales[r];
            for (p, acc) in acc.iter().enumerate() {
                for (g, acc) in acc.iter().enumerate() {
                    let first = (q + p) * NR + 4 * g;
                    for (t, sum) in acc.sums().into_iter().enumerate() {
                        let o = first + t;
                        let z = (sum - zero * self.row_sums[o]) as f32 * (self.scales[o] * scale)
                            + self.biases[o];
                        out[r * ldc + o] = if relu { z.max(0.0) } else { z };
                    }
                }
            }
        }
    }
}

/// Quantises one sample's activations into `codes` (zero past `x.len()`); see the module docs.
fn quantise_row(x: &[f32], codes: &mut [u8]) -> RowScale {
    let (min, max) = x
        .iter()
        .fold((0.0f32, 0.0f32), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let scale = (max - min) / X_MAX;
    if scale <= 0.0 {
        codes.fill(0);
        return RowScale {
            scale: 0.0,
            zero: 0,
        };
    }
    let inverse = 1.0 / scale;
    let zero = (-min * inverse).round();
    for (code, &v) in codes.iter_mut().zip(x) {
        *code = (v * inverse + zero).round().clamp(0.0, X_MAX) as u8;
    }
    codes[x.len()..].fill(0);
    RowScale {
        scale,
        zero: zero as i32,
    }
}

#[cfg(test)]
mod tests {
    //! Run natively (`cargo test`), where the lanes of the build are the portable ones; the
    //! SIMD128 and relaxed lanes are tested in the browser (`tests/kernels.rs`).

    use super::*;

    fn values(n: usize, salt: u32) -> Vec<f32> {
        (0..n as u32)
            .map(|i| {
                ((i.wrapping_mul(2_654_435_761).wrapping_add(salt) >> 8) % 2001) as f32 / 1000.0
                    - 1.0
            })
            .collect()
    }

    /// The same quantised arithmetic, written plainly from the module docs' formulas.
    fn reference(layer: &QuantDense, w: &[f32], x: &[f32], relu: bool) -> Vec<f32> {
        let (k, n) = (layer.k, layer.n);
        let mut codes = vec![0u8; layer.padded_in()];
        let rs = quantise_row(x, &mut codes);
        (0..n)
            .map(|o| {
                let row = &w[o * k..(o + 1) * k];
                let s_o = row.iter().fold(0.0f32, |m, v| m.max(v.abs())) / W_MAX;
                let inv = if s_o > 0.0 { 1.0 / s_o } else { 0.0 };
                let q: Vec<i32> = row
                    .iter()
                    .map(|&v| (v * inv).round().clamp(-W_MAX, W_MAX) as i32)
                    .collect();
                let dot: i32 = q.iter().zip(&codes).map(|(&a, &b)| a * i32::from(b)).sum();
                let rowsum: i32 = q.iter().sum();
                let z = (dot - rs.zero * rowsum) as f32 * (s_o * rs.scale) + layer.biases[o];
                if relu {
                    z.max(0.0)
                } else {
                    z
                }
            })
            .collect()
    }

    #[test]
    fn both_kernels_compute_the_documented_quantised_sums() {
        for &(m, k, n) in &[
            (1, 64, 512),
            (1, 13, 10),
            (3, 64, 40),
            (9, 70, 17),
            (64, 64, 10),
        ] {
            let w = values(n * k, 1);
            let b = values(n, 2);
            let lda = k + 1;
            let x = values(m * lda, 3);
            let layer = QuantDense::new(k, n, &w, &b);
            let ldc = layer.padded_out();
            let mut out = vec![f32::NAN; m * ldc];
            let mut codes = vec![0u8; m * layer.padded_in()];
            let mut scales = vec![
                RowScale {
                    scale: 0.0,
                    zero: 0
                };
                m
            ];
            layer.forward(&x, lda, m, &mut codes, &mut scales, &mut out, true);
            for r in 0..m {
                let expected = reference(&layer, &w, &x[r * lda..r * lda + k], true);
                assert_eq!(
                    &out[r * ldc..r * ldc + n],
                    &expected[..],
                    "m={m} k={k} n={n}"
                );
            }
        }
    }

    #[test]
    fn activations_map_to_seven_bits_with_an_exact_zero() {
        let mut codes = [9u8; 8];
        let rs = quantise_row(&[0.0, 1.27, 0.5, -0.5], &mut codes);
        // s_x = (1.27 - -0.5) / 127, z = round(0.5 / s_x) = round(35.88).
        assert_eq!(rs.zero, 36);
        assert!(codes.iter().all(|&c| c <= 127));
        assert_eq!(&codes[4..], &[0, 0, 0, 0]);
        // Zero maps to the zero point exactly.
        assert_eq!(i32::from(codes[0]), rs.zero);
    }
}
