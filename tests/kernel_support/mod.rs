//! Shared by the native kernel tests (`tests/native/model_kernels.rs`) and the browser ones
//! (`tests/kernels.rs`): a seeded network with awkward sizes, seeded inputs, and a
//! fingerprint of logits, so that a build's results can be compared with another build's.
#![allow(dead_code)]

use inferbench::model::variant::build;
use inferbench::model::{Mlp, Variant, NUM_CLASSES};

/// A network with a layer deeper than one kernel slice (1,100 > 512 inputs) and widths that
/// are not multiples of 8: every edge of the kernels' tiling.
pub fn odd_model() -> Mlp {
    Mlp::initialised(&[64, 1100, 37, 10], 11).expect("valid sizes")
}

/// 77 seeded rows of 64 values in `[0, 1)` (xorshift32), like scaled pixels.
pub fn inputs() -> Vec<f32> {
    let mut s: u32 = 0x1234_5678;
    (0..77 * 64)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / 16_777_216.0
        })
        .collect()
}

/// The logits of every input row, all rows in one call.
pub fn logits(variant: Variant, model: &Mlp) -> Vec<f32> {
    let x = inputs();
    let mut out = vec![0.0; x.len() / 64 * NUM_CLASSES];
    build(variant, model).logits_batch(&x, &mut out);
    out
}

/// The logits row by row (the one-sample kernels).
pub fn logits_one_by_one(variant: Variant, model: &Mlp) -> Vec<f32> {
    let x = inputs();
    let mut classifier = build(variant, model);
    let mut out = vec![0.0; x.len() / 64 * NUM_CLASSES];
    for (row, o) in x.chunks_exact(64).zip(out.chunks_exact_mut(NUM_CLASSES)) {
        classifier.logits_batch(row, o);
    }
    out
}

/// FNV-1a (64-bit) over the bit patterns of `values`, as 16 hex digits.
pub fn fingerprint(values: &[f32]) -> String {
    let hash = values
        .iter()
        .flat_map(|v| v.to_bits().to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// The largest `|a - b|` relative to the largest `|a|` (at least 1).
pub fn relative_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    let scale = a.iter().fold(1.0f32, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// `fingerprint` of the `int8` logits of [`odd_model`] on [`inputs`]: integer sums are exact,
/// so every build (native, SIMD128, relaxed SIMD) must give these bits.
pub const INT8_LOGITS: &str = "cff8abc8292ec1d9";
