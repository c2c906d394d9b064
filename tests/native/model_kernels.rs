//! The kernels natively against the naive loop, and the fingerprint every other build must
//! reproduce (`tests/kernels.rs` checks it in the browser).

#[path = "../kernel_support/mod.rs"]
mod kernel_support;

use inferbench::model::pruned::{magnitude_prune, PruningSparsity};
use inferbench::model::Variant;
use kernel_support::{fingerprint, logits, logits_one_by_one, odd_model, INT8_LOGITS};

#[test]
fn native_kernels_reproduce_the_naive_loop_and_the_pinned_int8_logits() {
    let model = odd_model();
    let naive = logits(Variant::F32Naive, &model);
    // Separately rounded multiply and add, in input order: the same bits, both shapes.
    assert_eq!(logits(Variant::F32Fast, &model), naive);
    assert_eq!(logits_one_by_one(Variant::F32Fast, &model), naive);
    let dense_pruned = magnitude_prune(&model, PruningSparsity::default());
    let pruned_reference = logits(Variant::F32Naive, &dense_pruned);
    assert_eq!(logits(Variant::Pruned, &model), pruned_reference);
    assert_eq!(logits_one_by_one(Variant::Pruned, &model), pruned_reference);
    let int8 = logits(Variant::Int8, &model);
    assert_eq!(logits_one_by_one(Variant::Int8, &model), int8);
    assert_eq!(fingerprint(&int8), INT8_LOGITS);
}
