//! Native timings of the model: training time per preset, then single-sample and batch-64
//! latency of every variant (median of many calls), with size and test accuracy.
//!
//! Run with `cargo run --release --example model_timing [preset ...]` (default: all presets).
//! This is a benchmark for humans, not a test: the numbers depend on the machine and its load.

use std::ops::ControlFlow;
use std::time::Instant;

use inferbench::model::dataset::embedded_digits;
use inferbench::model::fast::FastMlp;
use inferbench::model::split::{split_dataset, DEFAULT_SPLIT_SEED, DEFAULT_TEST_FRACTION};
use inferbench::model::train::train;
use inferbench::model::variant::{build, summarize};
use inferbench::model::{ModelPreset, TrainConfig, Variant, INPUT_FEATURES};

/// Median of `values` (sorts them).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let presets: Vec<ModelPreset> = match std::env::args().skip(1).collect::<Vec<_>>() {
        names if names.is_empty() => ModelPreset::ALL.to_vec(),
        names => names.iter().map(|n| n.parse()).collect::<Result<_, _>>()?,
    };
    let data = embedded_digits()?;
    let split = split_dataset(&data, DEFAULT_TEST_FRACTION, DEFAULT_SPLIT_SEED)?;
    let test = &split.test;
    println!(
        "digits: {} train rows, {} test rows; f32-fast kernel: {}",
        split.train.len(),
        test.len(),
        FastMlp::kernel_path()
    );
    for preset in presets {
        let description = preset.description();
        let config = TrainConfig::for_preset(preset);
        let started = Instant::now();
        let mut last_loss = 0.0;
        let model = train(preset.layer_sizes(), &split.train, &config, |p| {
            last_loss = p.loss;
            ControlFlow::Continue(())
        })?;
        let train_s = started.elapsed().as_secs_f64();
        println!(
            "\n{preset} ({}): {} params, {} FLOPs/sample; trained {} epochs in {train_s:.2} s \
             (last epoch loss {last_loss:.4}, fingerprint {})",
            description.layers_label(),
            description.parameters,
            description.flops_per_sample,
            config.epochs,
            model.fingerprint(),
        );
        println!(
            "  {:<10} {:>10} {:>9} {:>13} {:>15} {:>15}",
            "variant", "bytes", "accuracy", "1-sample us", "batch-64 us", "us/sample@64"
        );
        let calls_single =
            (2_000_000 / description.flops_per_sample.max(1) as usize).clamp(200, 20_000);
        for variant in Variant::ALL {
            let mut classifier = build(variant, &model);
            let summary = summarize(classifier.as_mut(), test);
            let mut prediction = [0u8; 64];
            let inputs = test.inputs();
            // Warm-up.
            for i in 0..100 {
                let row = i % test.len();
                classifier.predict_batch(
                    &inputs[row * INPUT_FEATURES..][..INPUT_FEATURES],
                    &mut prediction[..1],
                );
            }
            let mut single_us = Vec::with_capacity(calls_single);
            for i in 0..calls_single {
                let row = i % test.len();
                let input = &inputs[row * INPUT_FEATURES..][..INPUT_FEATURES];
                let t = Instant::now();
                classifier.predict_batch(input, &mut prediction[..1]);
                single_us.push(t.elapsed().as_secs_f64() * 1e6);
            }
            let batches = (calls_single / 16).max(50);
            let mut batch_us = Vec::with_capacity(batches);
            let full_batches = test.len() / 64;
            for i in 0..batches {
                let start = (i % full_batches) * 64 * INPUT_FEATURES;
                let input = &inputs[start..start + 64 * INPUT_FEATURES];
                let t = Instant::now();
                classifier.predict_batch(input, &mut prediction);
                batch_us.push(t.elapsed().as_secs_f64() * 1e6);
            }
            let single = median(&mut single_us);
            let batch = median(&mut batch_us);
            println!(
                "  {:<10} {:>10} {:>8.2}% {:>13.2} {:>15.1} {:>15.2}",
                variant.as_str(),
                summary.size_bytes,
                100.0 * summary.accuracy,
                single,
                batch,
                batch / 64.0
            );
        }
    }
    Ok(())
}
