//! Model presets (layer sizes) and the size/cost description of a network.
//!
//! For layer sizes `n_0, n_1, ..., n_L` (inputs first, classes last):
//!
//! - parameters `= sum over l of (n_{l-1} * n_l + n_l)` (weights and biases);
//! - f32 bytes `= 4 * parameters`;
//! - FLOPs per sample `= sum over l of 2 * n_{l-1} * n_l`: one multiply-add counts as two
//!   FLOPs; bias additions, ReLU and argmax (O(n) each) are not counted.
//!
//! | preset    | layers            | parameters | f32 bytes  | FLOPs/sample |
//! |-----------|-------------------|-----------:|-----------:|-------------:|
//! | `tiny`    | 64-32-10          |      2,410 |      9,640 |        4,736 |
//! | `default` | 64-512-512-10     |    301,066 |  1,204,264 |      600,064 |
//! | `large`   | 64-1024-1024-10   |  1,126,410 |  4,505,640 |    2,248,704 |
//!
//! The default is sized so that one single-sample `f32-naive` inference takes well above the
//! browser timer's resolution: on the 2-core development machine (AMD EPYC, x86-64 baseline
//! SSE2) it took 148 us natively (median, release build) and 164 us as wasm32 + simd128 in
//! Node.js 20, against a 5 us (isolated) to 100 us timer tick. `large` does 3.75 times the
//! default's work per sample; `tiny` trains in a blink (about 0.05 s).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A named model size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelPreset {
    /// 64-32-10: for tests and quick demonstrations.
    Tiny,
    /// 64-512-512-10: the benchmark's model.
    Default,
    /// 64-1024-1024-10: 3.7x the default's work per sample.
    Large,
}

impl ModelPreset {
    /// Every preset, smallest first.
    pub const ALL: [ModelPreset; 3] = [Self::Tiny, Self::Default, Self::Large];

    /// The preset's stable name: `tiny`, `default` or `large`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tiny => "tiny",
            Self::Default => "default",
            Self::Large => "large",
        }
    }

    /// Layer sizes, inputs first and classes last.
    pub fn layer_sizes(self) -> &'static [usize] {
        match self {
            Self::Tiny => &[64, 32, 10],
            Self::Default => &[64, 512, 512, 10],
            Self::Large => &[64, 1024, 1024, 10],
        }
    }

    /// Size and cost of the preset's network.
    pub fn description(self) -> ModelDescription {
        ModelDescription::from_layer_sizes(self.layer_sizes())
    }
}

impl fmt::Display for ModelPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ModelPreset {
    type Err = UnknownPresetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownPresetError { given: s.into() })
    }
}

/// A preset name that is not one of `tiny`, `default`, `large`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPresetError {
    /// The name given.
    pub given: String,
}

impl fmt::Display for UnknownPresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = ModelPreset::ALL.iter().map(|p| p.as_str()).collect();
        write!(
            f,
            "unknown model preset {:?}: use one of {}",
            self.given,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownPresetError {}

/// Size and cost of a network, as recorded in result files (formulas in the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDescription {
    /// Layer sizes, inputs first and classes last, e.g. `[64, 512, 512, 10]`.
    pub layer_sizes: Vec<usize>,
    /// Weights and biases.
    pub parameters: usize,
    /// Bytes of the parameters as f32: `4 * parameters`.
    pub f32_bytes: usize,
    /// FLOPs of one forward pass: `sum of 2 * n_{l-1} * n_l` (2 per multiply-add).
    pub flops_per_sample: u64,
}

impl ModelDescription {
    /// The description of a network with these layer sizes (inputs first).
    pub fn from_layer_sizes(layer_sizes: &[usize]) -> Self {
        let pairs = layer_sizes.windows(2);
        let parameters = pairs.clone().map(|w| w[0] * w[1] + w[1]).sum();
        let flops_per_sample = pairs.map(|w| 2 * (w[0] * w[1]) as u64).sum();
        Self {
            layer_sizes: layer_sizes.to_vec(),
            parameters,
            f32_bytes: 4 * parameters,
            flops_per_sample,
        }
    }

    /// The sizes written as `64-512-512-10`.
    pub fn layers_label(&self) -> String {
        let sizes: Vec<String> = self.layer_sizes.iter().map(ToString::to_string).collect();
        sizes.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_match_the_documented_table() {
        let rows: Vec<(String, usize, usize, u64)> = ModelPreset::ALL
            .iter()
            .map(|p| {
                let d = p.description();
                (
                    d.layers_label(),
                    d.parameters,
                    d.f32_bytes,
                    d.flops_per_sample,
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("64-32-10".into(), 2_410, 9_640, 4_736),
                ("64-512-512-10".into(), 301_066, 1_204_264, 600_064),
                ("64-1024-1024-10".into(), 1_126_410, 4_505_640, 2_248_704),
            ]
        );
    }

    #[test]
    fn names_round_trip_through_from_str_and_serde() {
        for preset in ModelPreset::ALL {
            assert_eq!(preset.as_str().parse::<ModelPreset>(), Ok(preset));
            let json = serde_json::to_string(&preset).expect("serialises");
            assert_eq!(json, format!("\"{preset}\""));
            assert_eq!(
                serde_json::from_str::<ModelPreset>(&json).expect("parses"),
                preset
            );
        }
        let err = "huge".parse::<ModelPreset>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown model preset \"huge\": use one of tiny, default, large"
        );
    }
}
