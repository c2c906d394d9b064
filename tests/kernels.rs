//! Browser tests of the kernels of this build (wasm32 only): SIMD128 by default, relaxed SIMD
//! with `--features relaxed-simd` (`scripts/test.sh` runs both in Chromium). Each variant
//! against the naive loop, the int8 logits against the bits every build must give, and the
//! page's relaxed-SIMD probe against what this browser runs. Run with
//! `wasm-pack test --headless --chrome -- --test kernels [--features relaxed-simd]`.
#![cfg(target_arch = "wasm32")]

mod kernel_support;

use inferbench::model::kernels::{KernelPath, KERNEL_PATH};
use inferbench::model::pruned::{magnitude_prune, PruningSparsity};
use inferbench::model::Variant;
use inferbench::web::kernels::{relaxed_simd_supported, validates, RELAXED_SIMD_PROBE};
use kernel_support::{
    fingerprint, logits, logits_one_by_one, odd_model, relative_difference, INT8_LOGITS,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// How far a fused multiply-add may move the f32 logits (one rounding fewer per term).
const FUSED_TOLERANCE: f32 = 1e-5;

#[wasm_bindgen_test]
fn f32_kernels_match_the_naive_loop() {
    let model = odd_model();
    let naive = logits(Variant::F32Naive, &model);
    let dense_pruned = magnitude_prune(&model, PruningSparsity::default());
    let pruned_reference = logits(Variant::F32Naive, &dense_pruned);
    for (variant, reference) in [
        (Variant::F32Fast, &naive),
        (Variant::Pruned, &pruned_reference),
    ] {
        for got in [logits(variant, &model), logits_one_by_one(variant, &model)] {
            match KERNEL_PATH {
                // Separately rounded lanes: the naive loop's bits.
                KernelPath::WasmSimd128 => assert_eq!(&got, reference, "{variant}"),
                _ => {
                    let d = relative_difference(reference, &got);
                    assert!(d <= FUSED_TOLERANCE, "{variant} ({KERNEL_PATH}): {d}");
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn int8_logits_have_the_bits_of_every_other_build() {
    let model = odd_model();
    let batch = logits(Variant::Int8, &model);
    assert_eq!(logits_one_by_one(Variant::Int8, &model), batch);
    assert_eq!(fingerprint(&batch), INT8_LOGITS, "{KERNEL_PATH}");
}

#[wasm_bindgen_test]
fn the_relaxed_simd_probe_agrees_with_this_module() {
    // A module built with relaxed SIMD instantiated here, so the browser has relaxed SIMD and
    // the page would load that module.
    if KERNEL_PATH == KernelPath::WasmRelaxedSimd {
        assert!(relaxed_simd_supported());
    }
    // The probe with its opcode replaced by one that does not exist is refused: the check
    // can fail.
    let mut broken = RELAXED_SIMD_PROBE;
    let at = broken.len() - 3;
    broken[at] = 0xff;
    assert!(!validates(&broken));
}
