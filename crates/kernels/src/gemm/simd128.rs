//! The WebAssembly SIMD micro-kernel: explicit `core::arch::wasm32` f32x4 intrinsics.
//!
//! Compiled only for `wasm32` with `target-feature=+simd128`. Each block of 8 columns is two
//! `v128` accumulators; `f32x4_mul` then `f32x4_add` (never a fused or relaxed multiply-add)
//! keep every lane's result bit-identical to the portable kernel. Loads and stores go through
//! the safe `f32x4(..)` constructor and `f32x4_extract_lane`, which LLVM turns into
//! `v128.load`/`v128.store`, so no `unsafe` is needed.

use core::arch::wasm32::{f32x4, f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128};

use super::{Tiles, NR};

/// Builds a vector from 4 consecutive floats.
#[inline(always)]
fn load4(x: &[f32]) -> v128 {
    f32x4(x[0], x[1], x[2], x[3])
}

/// Writes a vector into 4 consecutive floats.
#[inline(always)]
fn store4(v: v128, x: &mut [f32]) {
    x[0] = f32x4_extract_lane::<0>(v);
    x[1] = f32x4_extract_lane::<1>(v);
    x[2] = f32x4_extract_lane::<2>(v);
    x[3] = f32x4_extract_lane::<3>(v);
}

/// `C[row..row + R, blocks block..block + Q] += A * B` for a tile of `R` rows and `Q` blocks of
/// 8 columns.
#[inline(always)]
pub fn kernel<const R: usize, const Q: usize>(
    tiles: &Tiles<'_>,
    row: usize,
    block: usize,
    c: &mut [f32],
) {
    let zero = f32x4_splat(0.0);
    let mut acc = [[[zero; 2]; Q]; R];
    for (r, acc_row) in acc.iter_mut().enumerate() {
        for (q, halves) in acc_row.iter_mut().enumerate() {
            let offset = tiles.c_offset(row + r, block + q);
            let lanes = &c[offset..offset + NR];
            *halves = [load4(&lanes[..4]), load4(&lanes[4..])];
        }
    }
    let a_rows: [&[f32]; R] = core::array::from_fn(|r| tiles.a_row(row + r));
    let b_blocks: [usize; Q] = core::array::from_fn(|q| tiles.b_block(block + q));
    let row_stride = tiles.b_layout.row_stride;
    for p in 0..tiles.kc {
        let b: [[v128; 2]; Q] = core::array::from_fn(|q| {
            let offset = b_blocks[q] + p * row_stride;
            let lanes = &tiles.b[offset..offset + NR];
            [load4(&lanes[..4]), load4(&lanes[4..])]
        });
        for (acc_row, a_row) in acc.iter_mut().zip(&a_rows) {
            let a_p = f32x4_splat(a_row[p]);
            for (halves, b_halves) in acc_row.iter_mut().zip(&b) {
                halves[0] = f32x4_add(halves[0], f32x4_mul(a_p, b_halves[0]));
                halves[1] = f32x4_add(halves[1], f32x4_mul(a_p, b_halves[1]));
            }
        }
    }
    for (r, acc_row) in acc.iter().enumerate() {
        for (q, halves) in acc_row.iter().enumerate() {
            let offset = tiles.c_offset(row + r, block + q);
            let lanes = &mut c[offset..offset + NR];
            let (low, high) = lanes.split_at_mut(4);
            store4(halves[0], low);
            store4(halves[1], high);
        }
    }
}
