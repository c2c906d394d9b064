//! The README's numbers come from the code: the model preset table, the percentile
//! intervals' minimum sample sizes and MLPerf's sample size.

use inferbench::format::count;
use inferbench::model::{ModelPreset, TrainConfig};
use inferbench::stats::{percentile_ci_min_samples, MlperfSampleSize};

fn readme() -> String {
    std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR")))
        .expect("README.md exists")
}

#[test]
fn model_preset_table_matches_the_presets() {
    let readme = readme();
    for preset in ModelPreset::ALL {
        let d = preset.description();
        let row = format!(
            "| `{preset}` | {} | {} | {} | {} | {} |",
            d.layers_label(),
            count(d.parameters as u64),
            count(d.f32_bytes as u64),
            count(d.flops_per_sample),
            TrainConfig::for_preset(preset).epochs
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn statistics_section_quotes_the_computed_values() {
    let readme = readme();
    let sizes: Vec<String> = [0.5, 0.9, 0.95, 0.97, 0.99, 0.999]
        .iter()
        .map(|&p| count(percentile_ci_min_samples(p, 0.95).unwrap() as u64))
        .collect();
    let text = format!(
        "{} values for p50, {} for\n  p90, {} for p95, {} for p97, {} for p99, {} for p99.9",
        sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5]
    );
    assert!(readme.contains(&text), "README lacks {text:?}");
    let p90 = MlperfSampleSize::of(0.9, 0.99).unwrap();
    assert!(readme.contains(&format!(
        "gives {} queries for p90 at 99% confidence",
        count(p90.queries)
    )));
    assert!(readme.contains(&format!("multiple of 2^13: {}", count(p90.queries_loadgen))));
}
