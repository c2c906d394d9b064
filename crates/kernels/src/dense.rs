//! The dense f32 layer of `f32-fast`: weights packed once into panels, a matrix-vector kernel
//! for one sample and a register-blocked matrix-matrix kernel for batches.
//!
//! **Packing.** The `[out][in]` weights are transposed into panels of [`NR`] = 8 outputs:
//! panel `q` holds, for each input `p` in order, the 8 weights `W[8q + j][p]` side by side
//! (one 32-byte row per input), so both kernels read each panel as one contiguous stream.
//! The last panel is padded with zero weights and biases; padded outputs come out as 0 and
//! the next layer never reads them (its inputs are the first `in` columns of a row whose
//! stride is the padded width).
//!
//! **One sample** (`gemv`): groups of `GEMV_PANELS` panels (48 outputs, 12 vector
//! accumulators, enough independent chains to hide the multiply-add latency); per input, one
//! broadcast of `x[p]` and 12 multiply-adds against the panels' rows. The weights are read
//! once, so this is bound by memory bandwidth: a 512 x 512 layer is 1 MiB of f32.
//!
//! **A batch** (`gemm`): the rows are first packed in tiles of [`MR`] = 6 (`[p][6]`, zero
//! rows past the end), then for each panel the tiles stream past it: the micro-kernel keeps a
//! 6 x 8 tile of outputs in 12 vector registers, and per input does 2 loads of the panel, 6
//! broadcasts of the tile's inputs and 12 multiply-adds. Each panel (at most `KC` inputs of
//! it, 16 KiB) stays in L1 while the tiles pass; longer inputs are summed in slices of `KC`.
//!
//! Every output is `b + w_0 x_0 + w_1 x_1 + ...` in input order, one rounding per multiply and
//! per add with `super::lanes::Portable` and `Simd128` lanes (so bit-identical to
//! `f32-naive`), or one per fused multiply-add with the relaxed lanes.

use super::lanes::{load8, store8, F32Lanes};

/// Outputs per panel (two 4-lane vectors).
pub const NR: usize = 8;

// The panels are packed by training's `gemm::pack_panels`: the same width.
const _: () = assert!(NR == super::gemm::NR);

/// Rows per tile of the batch kernel.
pub const MR: usize = 6;

/// Panels per group of the one-sample kernel.
pub(crate) const GEMV_PANELS: usize = 6;

/// Inputs per slice of the batch kernel (a panel slice of 16 KiB).
pub(crate) const KC: usize = 512;

/// A dense layer packed for the kernels (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct PackedDense {
    k: usize,
    n: usize,
    /// `n_pad / NR` panels of `k` rows of `NR` weights.
    panels: Vec<[f32; NR]>,
    /// Biases, padded with zeros, `NR` per panel.
    biases: Vec<[f32; NR]>,
}

impl PackedDense {
    /// Packs a layer with `k` inputs and `n` outputs from its row-major `[n][k]` weights.
    ///
    /// # Panics
    ///
    /// Panics if `weights.len() != n * k` or `biases.len() != n`.
    pub fn new(k: usize, n: usize, weights: &[f32], biases: &[f32]) -> Self {
        assert_eq!(weights.len(), n * k, "weights are [out][in]");
        assert_eq!(biases.len(), n, "one bias per output");
        let panels_n = n.div_ceil(NR);
        // Training's packed layout (`super::gemm`), which these kernels read as `[f32; NR]` rows.
        let mut panels = vec![[0.0; NR]; panels_n * k];
        super::gemm::pack_panels(weights, k, panels.as_flattened_mut());
        let mut padded = vec![[0.0; NR]; panels_n];
        padded.as_flattened_mut()[..n].copy_from_slice(biases);
        Self {
            k,
            n,
            panels,
            biases: padded,
        }
    }

    /// Inputs.
    pub fn inputs(&self) -> usize {
        self.k
    }

    /// Outputs rounded up to a multiple of [`NR`]: the row stride of this layer's outputs.
    pub fn padded_out(&self) -> usize {
        self.biases.len() * NR
    }

    /// Bytes stored: packed weights and biases (padding included), 4 bytes each.
    pub fn stored_bytes(&self) -> usize {
        4 * NR * (self.panels.len() + self.biases.len())
    }

    /// Outputs (unpadded).
    pub fn outputs(&self) -> usize {
        self.n
    }

    /// `out = relu?(x W^T + b)` for `m` rows of `x` (row stride `lda`) into `out` (row stride
    /// [`PackedDense::padded_out`]); `tiles` is scratch for the packed rows (at least
    /// `m.div_ceil(MR) * MR * k` floats; unused for one row).
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "relaxed-simd"),
        target_feature(enable = "relaxed-simd")
    )]
    pub fn forward(
        &self,
        x: &[f32],
        lda: usize,
        m: usize,
        tiles: &mut [f32],
        out: &mut [f32],
        relu: bool,
    ) {
        // The lanes of this build: compiled here, the entry point for other crates.
        type L = super::lanes::Lanes;
        let ldc = self.padded_out();
        if m == 1 {
            gemv::<L>(&x[..self.k], self, relu, &mut out[..ldc]);
        } else {
            gemm::<L>(x, lda, m, self, tiles, out, relu);
        }
    }
}

/// One sample: `out = relu?(W x + b)` (see the module docs).
#[inline(always)]
pub(crate) fn gemv<L: F32Lanes>(x: &[f32], layer: &PackedDense, relu: bool, out: &mut [f32]) {
    let k = layer.k;
    let x = &x[..k];
    let (out, _) = out.as_chunks_mut::<NR>();
    let panels = layer.biases.len();
    let mut q = 0;
    while q + GEMV_PANELS <= panels {
        gemv_group::<L, GEMV_PANELS>(x, layer, q, relu, &mut out[q..q + GEMV_PANELS]);
        q += GEMV_PANELS;
    }
    while q + 2 <= panels {
        gemv_group::<L, 2>(x, layer, q, relu, &mut out[q..q + 2]);
        q += 2;
    }
    if q < panels {
        gemv_group::<L, 1>(x, layer, q, relu, &mut out[q..q + 1]);
    }
}

/// Panels `q..q + G` of the one-sample kernel.
#[inline(always)]
fn gemv_group<L: F32Lanes, const G: usize>(
    x: &[f32],
    layer: &PackedDense,
    q: usize,
    relu: bool,
    out: &mut [[f32; NR]],
) {
    let k = x.len();
    let w: [&[[f32; NR]]; G] = core::array::from_fn(|g| &layer.panels[(q + g) * k..][..k]);
    let biases: [&[f32; NR]; G] = core::array::from_fn(|g| &layer.biases[q + g]);
    panel_group::<L, G>(k, |g, p| (x[p], &w[g][p]), biases, relu, out);
}

/// The one-sample kernel's inner loop over `G` panels: `steps` steps, step `j` of panel `g`
/// adding `at(g, j) = (x, row)` as `x * row`; starts from `biases`, writes `out` (ReLU if
/// `relu`). Shared by the dense kernel (`x[j]`, row `j`) and the block-sparse one
/// (`super::sparse`: the kept rows and their inputs).
#[inline(always)]
pub(crate) fn panel_group<'a, L: F32Lanes, const G: usize>(
    steps: usize,
    at: impl Fn(usize, usize) -> (f32, &'a [f32; NR]),
    biases: [&[f32; NR]; G],
    relu: bool,
    out: &mut [[f32; NR]],
) {
    let mut acc: [[L; 2]; G] = core::array::from_fn(|g| load8(biases[g]));
    for j in 0..steps {
        for (g, acc) in acc.iter_mut().enumerate() {
            let (x, row) = at(g, j);
            let xs = L::splat(x);
            let [w0, w1] = load8::<L>(row);
            acc[0] = acc[0].mul_add(xs, w0);
            acc[1] = acc[1].mul_add(xs, w1);
        }
    }
    for (acc, out) in acc.into_iter().zip(out) {
        store8(acc, relu, out);
    }
}

/// A batch: `out = relu?(x W^T + b)` for `m` rows (see the module docs).
#[inline(always)]
fn gemm<L: F32Lanes>(
    x: &[f32],
    lda: usize,
    m: usize,
    layer: &PackedDense,
    tiles: &mut [f32],
    out: &mut [f32],
    relu: bool,
) {
    let k = layer.k;
    let ldc = layer.padded_out();
    let tile_count = m.div_ceil(MR);
    let (tiles, _) = tiles[..tile_count * MR * k].as_chunks_mut::<MR>();
    pack_rows(x, lda, m, k, tiles);
    let out = &mut out[..m * ldc];
    for k0 in (0..k.max(1)).step_by(KC) {
        let k1 = (k0 + KC).min(k);
        let first = k0 == 0;
        let last = k1 == k;
        for (q, bias) in layer.biases.iter().enumerate() {
            let panel = &layer.panels[q * k + k0..q * k + k1];
            for t in 0..tile_count {
                let tile = &tiles[t * k + k0..t * k + k1];
                let rows = MR.min(m - t * MR);
                let start = if first {
                    Start::Bias(bias)
                } else {
                    Start::Output
                };
                let steps = tile.iter().zip(panel);
                micro::<L>(
                    steps,
                    start,
                    &mut out[t * MR * ldc..],
                    ldc,
                    q,
                    rows,
                    relu && last,
                );
            }
        }
    }
}

/// Rows `x[r * lda..][..k]` of the batch as tiles `[t * k + p][r % MR]`, zero past row `m`.
pub(crate) fn pack_rows(x: &[f32], lda: usize, m: usize, k: usize, tiles: &mut [[f32; MR]]) {
    for (t, tile) in tiles.chunks_exact_mut(k.max(1)).enumerate() {
        for r in 0..MR {
            let row = t * MR + r;
            if row < m {
                for (slot, &v) in tile.iter_mut().zip(&x[row * lda..row * lda + k]) {
                    slot[r] = v;
                }
            } else {
                tile.iter_mut().for_each(|slot| slot[r] = 0.0);
            }
        }
    }
}

/// Where a micro-kernel's sums start.
#[derive(Clone, Copy)]
pub(crate) enum Start<'a> {
    /// From the panel's biases (the first slice of the inputs).
    Bias(&'a [f32; NR]),
    /// From the outputs already written (later slices).
    Output,
}

/// One tile of up to [`MR`] rows against one panel: per step, the tile's [`MR`] inputs
/// times one row of the panel (all rows in order for the dense kernel, the kept ones for the
/// block-sparse kernel); writes the first `rows` rows of block `q` of `out` (row stride `ldc`).
#[inline(always)]
pub(crate) fn micro<'a, L: F32Lanes>(
    steps: impl Iterator<Item = (&'a [f32; MR], &'a [f32; NR])>,
    start: Start<'_>,
    out: &mut [f32],
    ldc: usize,
    q: usize,
    rows: usize,
    relu: bool,
) {
    let block = |r: usize| r * ldc + q * NR;
    let mut acc: [[L; 2]; MR] = match start {
        Start::Bias(bias) => [load8(bias); MR],
        Start::Output => core::array::from_fn(|r| {
            if r < rows {
                load8(out[block(r)..][..NR].try_into().expect("8 floats"))
            } else {
                [L::splat(0.0); 2]
            }
        }),
    };
    for (a, b) in steps {
        let [b0, b1] = load8::<L>(b);
        for r in 0..MR {
            let x = L::splat(a[r]);
            acc[r][0] = acc[r][0].mul_add(x, b0);
            acc[r][1] = acc[r][1].mul_add(x, b1);
        }
    }
    for (r, acc) in acc.into_iter().enumerate().take(rows) {
        let start = block(r);
        store8(
            acc,
            relu,
            (&mut out[start..start + NR]).try_into().expect("8 floats"),
        );
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

    /// The naive loop: `b + sum w x` in input order, then ReLU.
    fn reference(k: usize, n: usize, w: &[f32], b: &[f32], x: &[f32], relu: bool) -> Vec<f32> {
        (0..n)
            .map(|o| {
                let mut acc = b[o];
                for p in 0..k {
                    acc += w[o * k + p] * x[p];
                }
                if relu {
                    acc.max(0.0)
                } else {
                    acc
                }
            })
            .collect()
    }

    #[test]
    fn both_kernels_match_the_naive_loop_bit_for_bit() {
        for &(m, k, n) in &[
            (1, 64, 512),
            (1, 3, 10),
            (1, 17, 56),
            (2, 5, 9),
            (7, 33, 24),
            (13, 64, 40),
            (64, 70, 10),
            (6, 1100, 16),
            (9, 0, 8),
        ] {
            let w = values(n * k, 1);
            let b = values(n, 2);
            let lda = k + 3;
            let x = values(m * lda, 3);
            let layer = PackedDense::new(k, n, &w, &b);
            let ldc = layer.padded_out();
            let mut out = vec![f32::NAN; m * ldc];
            let mut tiles = vec![0.0; m.div_ceil(MR) * MR * k];
            for relu in [false, true] {
                layer.forward(&x, lda, m, &mut tiles, &mut out, relu);
                for r in 0..m {
                    let expected = reference(k, n, &w, &b, &x[r * lda..r * lda + k], relu);
                    assert_eq!(
                        &out[r * ldc..r * ldc + n],
                        &expected[..],
                        "m={m} k={k} n={n}"
                    );
                    assert!(out[r * ldc + n..(r + 1) * ldc].iter().all(|&v| v == 0.0));
                }
            }
        }
    }
}
