//! The block-sparse f32 layer of `pruned`: whole rows of the packed panels removed, the kept
//! rows stored with their input index, and the `f32-fast` kernels walking only the kept rows.
//!
//! **Pruning.** A panel row is the 8 weights from one input to the panel's 8 outputs (one
//! 32-byte row of `super::dense`'s layout). In every panel, the `ceil(sparsity * in)` rows of
//! smallest L2 norm are removed (ties broken by input index, so the choice is deterministic);
//! every panel keeps the same number of rows, in input order. Biases are kept. So each layer,
//! and the model, loses at least the target share of its weights, in blocks the kernels skip
//! without looking at them.
//!
//! **Kernels.** The same as `f32-fast`'s, over the kept rows only: one sample runs 6 panels in
//! lockstep (each step broadcasts the input its kept row belongs to); a batch packs the rows
//! in tiles of 6 and, per kept row, broadcasts the tile's inputs at that row's index. The
//! weights read shrink with the sparsity (half at 0.5), and so does the arithmetic, for an
//! index per row (2 bytes). The sums are in input order, skipping only zeros, so with
//! separately rounded lanes the logits equal `f32-naive`'s on the dense pruned model.

use super::dense::{micro, pack_rows, panel_group, Start, MR, NR};

/// Panels per group of the one-sample kernel.
const GEMV_PANELS: usize = 6;

/// A block-sparse dense layer (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelSparse {
    k: usize,
    n: usize,
    /// Rows kept per panel.
    kept: usize,
    /// The input index of each kept row, panel-major, ascending within a panel.
    indices: Vec<u16>,
    /// The kept rows, in the same order.
    rows: Vec<[f32; NR]>,
    /// Biases, padded with zeros, `NR` per panel.
    biases: Vec<[f32; NR]>,
}

/// For each of the `n.div_ceil(8)` panels of a `[n][k]` weight matrix, the inputs whose rows
/// it keeps (ascending) when `removed` rows of smallest L2 norm go.
pub fn kept_rows(k: usize, n: usize, weights: &[f32], removed: usize) -> Vec<Vec<usize>> {
    (0..n.div_ceil(NR))
        .map(|q| {
            let outputs = q * NR..((q + 1) * NR).min(n);
            let norm =
                |p: usize| -> f32 { outputs.clone().map(|o| weights[o * k + p].powi(2)).sum() };
            let mut order: Vec<(f32, usize)> = (0..k).map(|p| (norm(p), p)).collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut kept: Vec<usize> = order[removed.min(k)..].iter().map(|&(_, p)| p).collect();
            kept.sort_unstable();
            kept
        })
        .collect()
}

impl PanelSparse {
    /// Prunes a layer with `k` inputs and `n` outputs (row-major `[n][k]` weights), removing
    /// `removed` rows from every panel.
    ///
    /// # Panics
    ///
    /// Panics if `weights.len() != n * k`, `biases.len() != n` or `k > 65,536`.
    pub fn new(k: usize, n: usize, weights: &[f32], biases: &[f32], removed: usize) -> Self {
        assert_eq!(weights.len(), n * k, "weights are [out][in]");
        assert_eq!(biases.len(), n, "one bias per output");
        let panels = kept_rows(k, n, weights, removed);
        let kept = k - removed.min(k);
        let mut layer = Self {
            k,
            n,
            kept,
            indices: Vec::with_capacity(panels.len() * kept),
            rows: Vec::with_capacity(panels.len() * kept),
            biases: vec![[0.0; NR]; panels.len()],
        };
        for (q, inputs) in panels.iter().enumerate() {
            for &p in inputs {
                layer
                    .indices
                    .push(u16::try_from(p).expect("at most 65,536 inputs"));
                let mut row = [0.0; NR];
                for (lane, w) in row.iter_mut().enumerate().take(n - q * NR) {
                    *w = weights[(q * NR + lane) * k + p];
                }
                layer.rows.push(row);
            }
            for (lane, &b) in biases[q * NR..].iter().take(NR).enumerate() {
                layer.biases[q][lane] = b;
            }
        }
        layer
    }

    /// Inputs.
    pub fn inputs(&self) -> usize {
        self.k
    }

    /// Outputs rounded up to a multiple of 8: the row stride of this layer's outputs.
    pub fn padded_out(&self) -> usize {
        self.biases.len() * NR
    }

    /// Weights kept (of real outputs, padding lanes not counted).
    pub fn kept_weights(&self) -> usize {
        self.kept * self.n
    }

    /// Bytes stored: the kept rows (4 bytes per weight, padding lanes included), a 2-byte
    /// index per kept row, and the padded biases.
    pub fn stored_bytes(&self) -> usize {
        4 * NR * self.rows.len() + 2 * self.indices.len() + 4 * NR * self.biases.len()
    }

    /// `out = relu?(x W^T + b)` for `m` rows of `x` (row stride `lda`), as
    /// `super::dense::PackedDense::forward` (same scratch and strides).
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
        let (k, kept) = (self.k, self.kept);
        let ldc = self.padded_out();
        let panels = self.biases.len();
        let rows_of = |q: usize| {
            (
                &self.indices[q * kept..][..kept],
                &self.rows[q * kept..][..kept],
            )
        };
        if m == 1 {
            let x = &x[..k];
            let (out, _) = out[..ldc].as_chunks_mut::<NR>();
            let mut q = 0;
            while q < panels {
                let g = if q + GEMV_PANELS <= panels {
                    GEMV_PANELS
                } else {
                    1
                };
                if g == GEMV_PANELS {
                    let parts: [_; GEMV_PANELS] = core::array::from_fn(|g| rows_of(q + g));
                    let biases = core::array::from_fn(|g| &self.biases[q + g]);
                    panel_group::<L, GEMV_PANELS>(
                        kept,
                        |g, j| (x[usize::from(parts[g].0[j])], &parts[g].1[j]),
                        biases,
                        relu,
                        &mut out[q..q + g],
                    );
                } else {
                    let (indices, rows) = rows_of(q);
                    panel_group::<L, 1>(
                        kept,
                        |_, j| (x[usize::from(indices[j])], &rows[j]),
                        [&self.biases[q]],
                        relu,
                        &mut out[q..q + 1],
                    );
                }
                q += g;
            }
            return;
        }
        let tile_count = m.div_ceil(MR);
        let (tiles, _) = tiles[..tile_count * MR * k].as_chunks_mut::<MR>();
        pack_rows(x, lda, m, k, tiles);
        let out = &mut out[..m * ldc];
        for (q, bias) in self.biases.iter().enumerate() {
            let (indices, rows) = rows_of(q);
            for t in 0..tile_count {
                let tile = &tiles[t * k..(t + 1) * k];
                let steps = indices.iter().map(|&p| &tile[usize::from(p)]).zip(rows);
                let valid = MR.min(m - t * MR);
                micro::<L>(
                    steps,
                    Start::Bias(bias),
                    &mut out[t * MR * ldc..],
                    ldc,
                    q,
                    valid,
                    relu,
                );
            }
        }
    }
}
