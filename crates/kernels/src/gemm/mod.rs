//! The blocked matrix-matrix product behind training: `C += A * B` (the inference kernels
//! are in the other modules of this crate).
//!
//! `A` is `m x k`, row-major with row stride `lda`; `C` is `m x n`, row-major with row stride
//! `ldc`. `B` (`k x n`) is read in blocks of [`NR`] = 8 adjacent columns, each block row being
//! 8 contiguous floats; [`BLayout`] says where they are, so the same code reads `B` either
//! packed in panels (`f32-fast`: each `k x 8` panel contiguous, see `inferbench::model::packed`) or
//! plainly row-major (training's backward pass).
//!
//! The work is split into micro-kernels that keep a small tile of `C` in registers while
//! walking `k`: 4 rows x 8 columns when there are 4 rows left, else 1 row x 32 columns (four
//! blocks at once, so a single sample still has 8 independent vector accumulators), else
//! 1 x 8. The depth `k` is cut into slices of 256, and within a slice blocks of `B` are the
//! outer loop, so the slice of a panel being used stays in L1 while the rows of `A` stream
//! past it.
//!
//! Every element of `C` is accumulated in the same order as a plain loop (`c`, then `+ a[p] *
//! b[p]` for `p = 0..k`), with separate multiply and add (no fused multiply-add), so results
//! are bit-identical to the naive triple loop on every target. Two kernels with this
//! behaviour exist: `portable` (plain Rust over `[f32; 8]` lanes, which LLVM vectorises) and
//! `simd128` (explicit `core::arch::wasm32` f32x4 intrinsics), compiled instead of the portable
//! one when building for `wasm32` with `target-feature=+simd128`.

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use portable::kernel;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128::kernel;

/// Columns of `B` and `C` per block (two 128-bit vectors of f32).
pub const NR: usize = 8;

/// Rows of `A` and `C` per full micro-kernel tile.
const MR: usize = 4;

/// Column blocks per tile when a single row is left (1 x 32).
const WIDE_BLOCKS: usize = 4;

/// Steps of `k` summed per pass over `C` (depth blocking).
const KC: usize = 256;

/// Where the 8-column blocks of `B` live: element `(p, j)` is at
/// `(j / NR) * block_stride + p * row_stride + j % NR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BLayout {
    /// Distance between rows `p` and `p + 1` of one block.
    pub row_stride: usize,
    /// Distance between blocks `q` and `q + 1` at the same row.
    pub block_stride: usize,
}

impl BLayout {
    /// `B` packed in panels: each `k x 8` block contiguous, blocks one after the other.
    pub fn packed(k: usize) -> Self {
        Self {
            row_stride: NR,
            block_stride: k * NR,
        }
    }

    /// `B` row-major with row stride `ldb`.
    pub fn row_major(ldb: usize) -> Self {
        Self {
            row_stride: ldb,
            block_stride: NR,
        }
    }

    fn index(self, p: usize, j: usize) -> usize {
        (j / NR) * self.block_stride + p * self.row_stride + j % NR
    }
}

/// Writes the `[n][k]` row-major `weights` (one row per output) into `panels` as
/// [`BLayout::packed`]`(k)` reads them, the `B = W^T` of a layer's forward pass: output `o`,
/// input `i` at `(o / NR) * k * NR + i * NR + o % NR`. Padding lanes are left as they are.
///
/// # Panics
///
/// Panics if `panels` is too short for `weights.len() / k` outputs rounded up to [`NR`].
pub fn pack_panels(weights: &[f32], k: usize, panels: &mut [f32]) {
    for (o, row) in weights.chunks_exact(k.max(1)).enumerate() {
        let base = (o / NR) * k * NR + o % NR;
        for (i, &w) in row.iter().enumerate() {
            panels[base + i * NR] = w;
        }
    }
}

/// The shapes and strides of one product `C[m x n] += A[m x k] * B[k x n]`.
#[derive(Debug, Clone, Copy)]
pub struct Dims {
    /// Rows of `A` and `C`.
    pub m: usize,
    /// Columns of `B` and `C`.
    pub n: usize,
    /// Columns of `A`, rows of `B`.
    pub k: usize,
    /// Row stride of `A` (at least `k`).
    pub lda: usize,
    /// Row stride of `C` (at least `n`).
    pub ldc: usize,
}

/// `C += A * B` (shapes in `dims`, `B` laid out as `b_layout`).
///
/// # Panics
///
/// Panics if a slice is too short for the shapes and strides given (a bug in the caller).
pub fn gemm_acc(dims: Dims, a: &[f32], b: &[f32], b_layout: BLayout, c: &mut [f32]) {
    let Dims { m, n, k, lda, ldc } = dims;
    if m == 0 || n == 0 {
        return;
    }
    assert!(lda >= k && ldc >= n, "strides shorter than rows");
    assert!(a.len() >= (m - 1) * lda + k, "A too short");
    assert!(c.len() >= (m - 1) * ldc + n, "C too short");
    if k > 0 {
        assert!(b.len() > b_layout.index(k - 1, n - 1), "B too short");
    }
    let blocks = n / NR;
    let full_rows = m - m % MR;
    // Depth blocking: `C` is finished in slices of `KC` steps of `k`, so that the part of a
    // panel being reused (KC x 8 floats) and of the rows of `A` (MR x KC) stay in L1. `C`
    // holds the running sums in between, which changes nothing in the order of additions.
    for k0 in (0..k).step_by(KC) {
        let tiles = Tiles {
            k0,
            kc: KC.min(k - k0),
            a,
            lda,
            b,
            b_layout,
            ldc,
        };
        for block in 0..blocks {
            for row in (0..full_rows).step_by(MR) {
                kernel::<MR, 1>(&tiles, row, block, c);
            }
        }
        for row in full_rows..m {
            let mut block = 0;
            while block + WIDE_BLOCKS <= blocks {
                kernel::<1, WIDE_BLOCKS>(&tiles, row, block, c);
                block += WIDE_BLOCKS;
            }
            while block < blocks {
                kernel::<1, 1>(&tiles, row, block, c);
                block += 1;
            }
        }
    }
    // Columns past the last full block (only when `B` is row-major with `n % 8 != 0`).
    for row in 0..m {
        let a_row = &a[row * lda..row * lda + k];
        for j in blocks * NR..n {
            let mut acc = c[row * ldc + j];
            for (p, &a_p) in a_row.iter().enumerate() {
                acc += a_p * b[b_layout.index(p, j)];
            }
            c[row * ldc + j] = acc;
        }
    }
}

/// What every micro-kernel call shares: `A`, `B`, the strides and the slice `k0..k0 + kc` of
/// the depth being summed.
struct Tiles<'a> {
    k0: usize,
    kc: usize,
    a: &'a [f32],
    lda: usize,
    b: &'a [f32],
    b_layout: BLayout,
    ldc: usize,
}

impl Tiles<'_> {
    /// Columns `k0..k0 + kc` of row `row` of `A`.
    fn a_row(&self, row: usize) -> &[f32] {
        let start = row * self.lda + self.k0;
        &self.a[start..start + self.kc]
    }

    /// Offset in `B` of row `k0` of column block `block`.
    fn b_block(&self, block: usize) -> usize {
        block * self.b_layout.block_stride + self.k0 * self.b_layout.row_stride
    }

    /// Offset in `C` of the first of the 8 columns of block `block` in row `row`.
    fn c_offset(&self, row: usize, block: usize) -> usize {
        row * self.ldc + block * NR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain triple loop, same accumulation order.
    fn reference(dims: Dims, a: &[f32], b: &[f32], layout: BLayout, c: &mut [f32]) {
        for i in 0..dims.m {
            for j in 0..dims.n {
                let mut acc = c[i * dims.ldc + j];
                for p in 0..dims.k {
                    acc += a[i * dims.lda + p] * b[layout.index(p, j)];
                }
                c[i * dims.ldc + j] = acc;
            }
        }
    }

    fn values(n: usize, salt: u32) -> Vec<f32> {
        (0..n as u32)
            .map(|i| {
                ((i.wrapping_mul(2_654_435_761).wrapping_add(salt) >> 8) % 2001) as f32 / 1000.0
                    - 1.0
            })
            .collect()
    }

    #[test]
    fn matches_the_triple_loop_bit_for_bit_on_odd_shapes() {
        for &(m, n, k) in &[
            (1, 8, 3),
            (1, 40, 17),
            (5, 24, 9),
            (7, 13, 5),
            (4, 8, 0),
            (9, 3, 6),
        ] {
            let (lda, ldc) = (k + 2, n + 1);
            let dims = Dims { m, n, k, lda, ldc };
            let a = values(m * lda, 1);
            let layout = BLayout::row_major(n + 3);
            let b = values(k * (n + 3) + 8, 2);
            let mut c = values(m * ldc, 3);
            let mut expected = c.clone();
            gemm_acc(dims, &a, &b, layout, &mut c);
            reference(dims, &a, &b, layout, &mut expected);
            assert_eq!(c, expected, "m={m} n={n} k={k}");
        }
    }

    #[test]
    fn reads_packed_panels() {
        let (m, n, k) = (6, 16, 5);
        let dims = Dims {
            m,
            n,
            k,
            lda: k,
            ldc: n,
        };
        let layout = BLayout::packed(k);
        let b = values(n * k, 4);
        let a = values(m * k, 5);
        let mut c = vec![0.5; m * n];
        let mut expected = c.clone();
        gemm_acc(dims, &a, &b, layout, &mut c);
        reference(dims, &a, &b, layout, &mut expected);
        assert_eq!(c, expected);
        // Element (p = 2, j = 9) of a packed B sits in panel 1, row 2, lane 1.
        assert_eq!(layout.index(2, 9), 5 * 8 + 2 * 8 + 1);
    }
}
