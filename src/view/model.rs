//! The model as the page describes it: a result's model in a few words ([`model_label`]),
//! and the Setup's "your model" panel ([`ModelFileView`]): an imported file's description
//! before Run, or why it was refused. Every text here is plain text: the page renders it as
//! text nodes, never as HTML.

use crate::format::count;
use crate::model::import::ModelFileInfo;
use crate::model::synthetic::SYNTHETIC_SAMPLES;
use crate::results::BenchResult;

/// The model of `result`: `default model`, or `imported model mlp.safetensors`.
pub fn model_label(result: &BenchResult) -> String {
    match &result.plan.model_file {
        Some(file) => format!("imported model {}", file.file_name),
        None => format!("{} model", result.model.preset),
    }
}

/// What the Setup shows about an imported model file: one row per fact, and what the run
/// will measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFileView {
    /// `(label, value)` rows: file, layers, parameters, bytes, FLOPs, dtypes, fingerprint.
    pub rows: Vec<(String, String)>,
    /// What the run measures on it: accuracy on the digits, or synthetic inputs.
    pub inputs_note: String,
}

impl ModelFileView {
    /// The view of a file read by the worker.
    pub fn of(info: &ModelFileInfo) -> Self {
        let d = &info.description;
        let shape = info.shape();
        let mut rows = vec![
            (
                "File".to_string(),
                format!("{} ({} bytes)", info.file_name, count(info.file_bytes)),
            ),
            ("Layers".to_string(), d.layers_label()),
            ("Parameters".to_string(), count(d.parameters as u64)),
            ("Bytes as f32".to_string(), count(d.f32_bytes as u64)),
            ("FLOPs per sample".to_string(), count(d.flops_per_sample)),
            (
                "Stored as".to_string(),
                format!(
                    "{}; tensors {}; weights {}",
                    info.dtypes.join(", "),
                    info.naming,
                    info.weight_layout.description()
                ),
            ),
            ("Weight fingerprint".to_string(), info.fingerprint.clone()),
        ];
        if !info.layers_without_bias.is_empty() {
            let layers: Vec<String> = info
                .layers_without_bias
                .iter()
                .map(ToString::to_string)
                .collect();
            rows.push((
                "Without bias".to_string(),
                format!("layers {} (zero biases)", layers.join(", ")),
            ));
        }
        let inputs_note = if shape.is_digits() {
            "It takes the digits' 64 pixels and gives 10 classes: it runs on the digits test \
             split, and accuracy mode measures its accuracy."
                .to_string()
        } else {
            format!(
                "It takes {} inputs and gives {} classes, not the digits' 64 and 10: it runs \
                 on {SYNTHETIC_SAMPLES} seeded synthetic inputs, and its accuracy is not \
                 measured.",
                shape.inputs, shape.classes
            )
        };
        ModelFileView { rows, inputs_note }
    }
}
