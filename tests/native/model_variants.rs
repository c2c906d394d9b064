//! The four inference variants against each other: equal logits where they must be equal,
//! batch-size invariance, accuracy of int8 against f32, sparsity of the pruned variant, sizes.

use std::ops::ControlFlow;
use std::sync::OnceLock;

use inferbench::model::pruned::{magnitude_prune, PrunedMlp, PruningSparsity};
use inferbench::model::train::train;
use inferbench::model::variant::{accuracy, build, build_with, summarize};
use inferbench::model::{
    Classifier, Mlp, ModelPreset, TrainConfig, Variant, VariantOptions, NUM_CLASSES,
};

use super::model_train::default_split;

/// The tiny preset, trained with its default configuration (once per test binary).
fn tiny_model() -> &'static Mlp {
    static MODEL: OnceLock<Mlp> = OnceLock::new();
    MODEL.get_or_init(|| {
        let preset = ModelPreset::Tiny;
        train(
            preset.layer_sizes(),
            &default_split().train,
            &TrainConfig::for_preset(preset),
            |_| ControlFlow::Continue(()),
        )
        .expect("tiny preset trains")
    })
}

/// An untrained network with awkward sizes: a layer deeper than the kernel's depth slice
/// (300 > 256) and widths that are not multiples of 8.
fn odd_model() -> Mlp {
    Mlp::initialised(&[64, 300, 37, 10], 5).expect("valid sizes")
}

fn all_logits(classifier: &mut dyn Classifier) -> Vec<f32> {
    let test = &default_split().test;
    let mut logits = vec![0.0; test.len() * NUM_CLASSES];
    classifier.logits_batch(test.inputs(), &mut logits);
    logits
}

fn all_predictions(classifier: &mut dyn Classifier) -> Vec<u8> {
    let test = &default_split().test;
    let mut predictions = vec![0; test.len()];
    classifier.predict_batch(test.inputs(), &mut predictions);
    predictions
}

#[test]
fn fast_logits_equal_naive_logits_over_the_test_set() {
    for model in [tiny_model().clone(), odd_model()] {
        let naive = all_logits(build(Variant::F32Naive, &model).as_mut());
        let fast = all_logits(build(Variant::F32Fast, &model).as_mut());
        let scale = naive.iter().fold(1.0f32, |m, v| m.max(v.abs()));
        let max_diff = naive
            .iter()
            .zip(&fast)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(
            max_diff <= 1e-4 * scale,
            "max |naive - fast| = {max_diff} for logits up to {scale}"
        );
        assert_eq!(
            all_predictions(build(Variant::F32Naive, &model).as_mut()),
            all_predictions(build(Variant::F32Fast, &model).as_mut())
        );
    }
}

#[test]
fn one_call_for_all_samples_equals_one_call_per_sample() {
    let test = &default_split().test;
    for model in [tiny_model().clone(), odd_model()] {
        for variant in Variant::ALL {
            let mut classifier = build(variant, &model);
            let batched = all_logits(classifier.as_mut());
            let mut single = vec![0.0; batched.len()];
            for (input, out) in test
                .inputs()
                .chunks_exact(64)
                .zip(single.chunks_exact_mut(NUM_CLASSES))
            {
                classifier.logits_batch(input, out);
            }
            assert_eq!(batched, single, "{variant}: batch of 359 vs one at a time");
            let predictions = all_predictions(classifier.as_mut());
            let mut one = [0u8; 1];
            classifier.predict_batch(test.input(100).expect("row 100"), &mut one);
            assert_eq!(one[0], predictions[100], "{variant}");
        }
    }
}

#[test]
fn int8_is_within_one_and_a_half_points_of_f32() {
    let test = &default_split().test;
    let model = tiny_model();
    let f32_accuracy = accuracy(build(Variant::F32Naive, model).as_mut(), test);
    let int8_accuracy = accuracy(build(Variant::Int8, model).as_mut(), test);
    assert!(f32_accuracy > 0.9, "the tiny preset learns: {f32_accuracy}");
    assert!(
        (f32_accuracy - int8_accuracy).abs() <= 0.015,
        "int8 {int8_accuracy} vs f32 {f32_accuracy}"
    );
}

#[test]
fn pruned_meets_its_sparsity_and_equals_the_dense_pruned_model() {
    let model = odd_model();
    for target in [0.5, 0.8] {
        let sparsity = PruningSparsity::new(target).expect("valid");
        let pruned = PrunedMlp::new(&model, sparsity);
        assert!(
            pruned.sparsity() >= target,
            "{} < {target}",
            pruned.sparsity()
        );
        let dense = magnitude_prune(&model, sparsity);
        let zeros: usize = dense
            .layers()
            .iter()
            .map(|l| l.weights().iter().filter(|&&w| w == 0.0).count())
            .sum();
        assert_eq!(pruned.kept_weights(), 64 * 300 + 300 * 37 + 37 * 10 - zeros);
        let options = VariantOptions {
            pruning_sparsity: sparsity,
        };
        let sparse_logits = all_logits(build_with(Variant::Pruned, &model, &options).as_mut());
        let dense_logits = all_logits(build(Variant::F32Naive, &dense).as_mut());
        let scale = dense_logits.iter().fold(1.0f32, |m, v| m.max(v.abs()));
        let max_diff = sparse_logits
            .iter()
            .zip(&dense_logits)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(
            max_diff <= 1e-5 * scale,
            "max diff {max_diff} at sparsity {target}"
        );
    }
}

#[test]
fn sizes_follow_each_storage_format() {
    let model = odd_model();
    let params = model.description().parameters;
    let size = |variant| build(variant, &model).size_bytes();
    assert_eq!(size(Variant::F32Naive), 4 * params);
    // Packed: outputs padded to multiples of 8 (300 -> 304, 37 -> 40, 10 -> 16).
    assert_eq!(
        size(Variant::F32Fast),
        4 * (304 * 64 + 304 + 40 * 300 + 40 + 16 * 37 + 16)
    );
    // int8: one byte per weight, inputs padded to multiples of 8 (300 -> 304, 37 -> 40) and
    // outputs to multiples of 8, plus an f32 scale, an i32 row sum and an f32 bias per output.
    assert_eq!(
        size(Variant::Int8),
        304 * 64 + 40 * 304 + 16 * 40 + 12 * (304 + 40 + 16)
    );
    // Block-sparse: per panel of 8 outputs, the kept rows as 8 f32 weights and a u16 index
    // each, and 8 f32 biases. At 50%, the hidden layer (300 x 37, 11,100 of 30,670 weights)
    // gives at most 90% (270 of 300 rows), so the outer layers give the rest, 27.3% each:
    // 18 of 64 rows and 11 of 37.
    assert_eq!(
        size(Variant::Pruned),
        38 * ((64 - 18) * 34 + 32) + 5 * ((300 - 270) * 34 + 32) + 2 * ((37 - 11) * 34 + 32)
    );
}

#[test]
fn summary_reports_variant_size_and_counted_accuracy() {
    let test = &default_split().test;
    let model = tiny_model();
    for variant in Variant::ALL {
        let mut classifier = build(variant, model);
        let predictions = all_predictions(classifier.as_mut());
        let correct = predictions
            .iter()
            .zip(test.labels())
            .filter(|(p, l)| p == l)
            .count();
        let summary = summarize(classifier.as_mut(), test);
        assert_eq!(summary.variant, variant);
        assert_eq!(summary.size_bytes, classifier.size_bytes());
        assert_eq!(summary.accuracy, correct as f64 / test.len() as f64);
        let json = serde_json::to_value(&summary).expect("serialises");
        assert_eq!(json["variant"], variant.as_str());
    }
}
