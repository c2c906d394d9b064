//! The portable micro-kernel: plain Rust over `[f32; 8]` lanes.
//!
//! Each element of the tile is an independent accumulator and the loops over rows, blocks and
//! lanes have constant trip counts, so LLVM unrolls them and turns each row of 8 lanes into
//! vector multiplies and adds (SSE2 on x86-64's baseline, NEON on aarch64, simd128 on wasm if
//! enabled) without changing the order of the additions.

use super::{Tiles, NR};

/// `C[row..row + R, blocks block..block + Q] += A * B` for a tile of `R` rows and `Q` blocks of
/// 8 columns.
#[inline(always)]
pub fn kernel<const R: usize, const Q: usize>(
    tiles: &Tiles<'_>,
    row: usize,
    block: usize,
    c: &mut [f32],
) {
    let mut acc = [[[0.0f32; NR]; Q]; R];
    for (r, acc_row) in acc.iter_mut().enumerate() {
        for (q, lanes) in acc_row.iter_mut().enumerate() {
            let offset = tiles.c_offset(row + r, block + q);
            lanes.copy_from_slice(&c[offset..offset + NR]);
        }
    }
    let a_rows: [&[f32]; R] = core::array::from_fn(|r| tiles.a_row(row + r));
    let b_blocks: [usize; Q] = core::array::from_fn(|q| tiles.b_block(block + q));
    let row_stride = tiles.b_layout.row_stride;
    for p in 0..tiles.kc {
        let b: [&[f32; NR]; Q] = core::array::from_fn(|q| {
            let offset = b_blocks[q] + p * row_stride;
            tiles.b[offset..offset + NR]
                .try_into()
                .expect("a block row is NR floats")
        });
        for (acc_row, a_row) in acc.iter_mut().zip(&a_rows) {
            let a_p = a_row[p];
            for (lanes, b_lanes) in acc_row.iter_mut().zip(&b) {
                for (acc_lane, &b_lane) in lanes.iter_mut().zip(b_lanes.iter()) {
                    *acc_lane += a_p * b_lane;
                }
            }
        }
    }
    for (r, acc_row) in acc.iter().enumerate() {
        for (q, lanes) in acc_row.iter().enumerate() {
            let offset = tiles.c_offset(row + r, block + q);
            c[offset..offset + NR].copy_from_slice(lanes);
        }
    }
}
