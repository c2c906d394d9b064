//! Bring your own model: an MLP read from a `.safetensors` file ([`import_safetensors`]), the
//! format PyTorch (`safetensors.torch.save_file`), NumPy (`safetensors.numpy.save_file`) and
//! JAX write.
//!
//! What is read: dense layers as weight and bias tensors in one of the namings of
//! [`naming`] (PyTorch's `nn.Sequential` `N.weight` / `N.bias`, with or without a prefix such
//! as `layers.N` or `fcN`; or `W1` / `b1`), ordered by layer number, ReLU between them and
//! logits out (what the variants compute). Weights are `[out, in]` (PyTorch's `nn.Linear`)
//! unless the file's metadata says `weight_layout = in_out` (`x @ W`); a layer without bias
//! (`bias=False`) gets zero biases. Values may be F32, F16, BF16 or F64 ([`values`]).
//!
//! The file's `__metadata__` may also say `activation` (only `relu` is accepted: the file
//! cannot otherwise tell which parameter-free layers sat between the dense ones, and
//! InferBench assumes ReLU), `input_size` and `num_classes` (checked against the layers).
//! Other metadata keys (PyTorch writes `format = pt`) are ignored.
//!
//! Everything else is refused with an [`ImportError`] naming the tensor and what is wrong:
//! other layer types, shapes that do not chain, NaN or infinite values, absurd sizes
//! ([`MAX_LAYERS`], [`MAX_PARAMETERS`], [`MAX_LAYER_WIDTH`](super::mlp::MAX_LAYER_WIDTH), [`MAX_CLASSES`](super::mlp::MAX_CLASSES)) and files over
//! [`MAX_MODEL_FILE_BYTES`]. Nothing of the file is interpreted beyond these tensors; names
//! appear in messages only quoted and escaped ([`error::quoted`]).

pub mod error;
mod layers;
pub mod naming;
pub mod values;

use safetensors::{SafeTensorError, SafeTensors};
use serde::{Deserialize, Serialize};

pub use error::ImportError;
use layers::{build_layers, group_layers, Layer};

use super::mlp::{IoShape, Mlp};
use super::preset::ModelDescription;

/// The largest model file accepted, in bytes (64 MiB): a file is refused on its size before
/// it is read. The large preset's weights take 4.5 MB as f32.
pub const MAX_MODEL_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most parameters (weights and biases) an imported model may have: 2^24, 64 MiB as f32
/// (each variant holds its own copy of the weights).
pub const MAX_PARAMETERS: u64 = 1 << 24;

/// The most dense layers an imported model may have.
pub const MAX_LAYERS: usize = 64;

/// How a file stores each weight matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightLayout {
    /// `[out, in]`: one row per output (PyTorch's `nn.Linear`, InferBench's own layout).
    #[default]
    OutIn,
    /// `[in, out]`: one column per output (`x @ W + b`, common in NumPy code).
    InOut,
}

impl WeightLayout {
    /// The metadata value: `out_in` or `in_out`.
    pub fn as_str(self) -> &'static str {
        match self {
            WeightLayout::OutIn => "out_in",
            WeightLayout::InOut => "in_out",
        }
    }

    /// The layout in words, for messages.
    pub fn description(self) -> &'static str {
        match self {
            WeightLayout::OutIn => "read as [out, in], PyTorch's nn.Linear layout",
            WeightLayout::InOut => "read as [in, out], the x @ W layout",
        }
    }

    /// The other layout.
    pub fn other(self) -> WeightLayout {
        match self {
            WeightLayout::OutIn => WeightLayout::InOut,
            WeightLayout::InOut => WeightLayout::OutIn,
        }
    }

    /// `(out, in)` of a weight of this `shape` (2-D) in this layout.
    fn out_in(self, shape: &[usize]) -> (usize, usize) {
        match self {
            WeightLayout::OutIn => (shape[0], shape[1]),
            WeightLayout::InOut => (shape[1], shape[0]),
        }
    }
}

/// Where an imported model came from and what it is, as plans and results record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFileInfo {
    /// The file's name as the user gave it (its last path component, control characters
    /// removed, at most 128 characters).
    pub file_name: String,
    /// The file's size in bytes.
    pub file_bytes: u64,
    /// The tensor naming found, e.g. `N.weight, N.bias` or `WN, bN`.
    pub naming: String,
    /// The weight layout the file was read with.
    pub weight_layout: WeightLayout,
    /// The dtypes of the tensors read (`F32`, `F16`, `BF16`, `F64`), each once, in layer
    /// order.
    pub dtypes: Vec<String>,
    /// Layers saved without a bias (given zero biases), by index from 0.
    pub layers_without_bias: Vec<usize>,
    /// Layer sizes, parameters, bytes as f32 and FLOPs per sample.
    pub description: ModelDescription,
    /// [`Mlp::fingerprint`] of the weights as read (after conversion to f32).
    pub fingerprint: String,
}

impl ModelFileInfo {
    /// The model's inputs and classes (from its layer sizes).
    pub fn shape(&self) -> IoShape {
        let sizes = &self.description.layer_sizes;
        IoShape {
            inputs: sizes.first().copied().unwrap_or(0),
            classes: sizes.last().copied().unwrap_or(0),
        }
    }
}

/// A model read from a file, with what to record about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedModel {
    /// The network.
    pub model: Mlp,
    /// Its file and description.
    pub info: ModelFileInfo,
}

/// The longest file name kept, in characters.
const MAX_FILE_NAME_CHARS: usize = 128;

/// `name`'s last path component, without control characters, cut to 128 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect()
}

/// Reads an MLP from the bytes of a `.safetensors` file named `file_name` (see the module
/// docs for what is accepted).
///
/// # Errors
///
/// An [`ImportError`] naming the first problem found, tensors taken in name order.
pub fn import_safetensors(bytes: &[u8], file_name: &str) -> Result<ImportedModel, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() as u64 > MAX_MODEL_FILE_BYTES {
        return Err(ImportError::FileTooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let (_, header) = SafeTensors::read_metadata(bytes).map_err(not_safetensors)?;
    let metadata = header.metadata().as_ref();
    let settings = Settings::from_metadata(|key| metadata.and_then(|m| m.get(key)))?;
    let file = SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
    if file.is_empty() {
        return Err(ImportError::NoTensors);
    }
    if file.len() > 2 * MAX_LAYERS {
        return Err(ImportError::TooManyTensors { count: file.len() });
    }
    let mut tensors: Vec<(&str, safetensors::tensor::TensorView<'_>)> = file.iter().collect();
    tensors.sort_by(|a, b| a.0.cmp(b.0));
    let layers = group_layers(&tensors)?;
    let (model, dtypes, without_bias) = build_layers(&layers, settings.layout)?;
    settings.check(&model, &layers)?;
    let naming = layers
        .first()
        .map(|l| l.naming.to_string())
        .unwrap_or_default();
    let info = ModelFileInfo {
        file_name: clean_file_name(file_name),
        file_bytes: bytes.len() as u64,
        naming,
        weight_layout: settings.layout,
        dtypes,
        layers_without_bias: without_bias,
        description: model.description(),
        fingerprint: model.fingerprint(),
    };
    Ok(ImportedModel { model, info })
}

/// The reader's complaint about the container, in words (nothing of the file echoed but a
/// quoted tensor name).
fn not_safetensors(e: SafeTensorError) -> ImportError {
    let reason = match e {
        SafeTensorError::HeaderTooSmall | SafeTensorError::InvalidHeaderLength => {
            "it is shorter than its header says".to_string()
        }
        SafeTensorError::HeaderTooLarge => "its header says it is over 100 MB".to_string(),
        SafeTensorError::InvalidHeader(_) => "its header is not UTF-8 text".to_string(),
        SafeTensorError::InvalidHeaderDeserialization(_) | SafeTensorError::JsonError(_) => {
            "its header is not the JSON table of tensors safetensors writes".to_string()
        }
        SafeTensorError::InvalidOffset(name) => format!(
            "the data of tensor {} does not start where the previous tensor's ends",
            error::quoted(&name)
        ),
        SafeTensorError::TensorInvalidInfo => {
            "a tensor's byte length does not match its shape and dtype".to_string()
        }
        SafeTensorError::MetadataIncompleteBuffer => {
            "its tensors do not cover the data exactly: the file is truncated or padded".to_string()
        }
        SafeTensorError::ValidationOverflow => "a tensor's shape is too large".to_string(),
        other => format!("{other}")
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect(),
    };
    ImportError::NotSafetensors { reason }
}

/// What the metadata says.
struct Settings {
    layout: WeightLayout,
    input_size: Option<(usize, String)>,
    num_classes: Option<(usize, String)>,
}

impl Settings {
    /// The settings from the metadata entries `get` finds.
    fn from_metadata<'m>(get: impl Fn(&str) -> Option<&'m String>) -> Result<Self, ImportError> {
        if let Some(value) = get("activation") {
            if !value.trim().eq_ignore_ascii_case("relu") {
                return Err(ImportError::BadMetadata {
                    key: "activation",
                    value: value.clone(),
                    expected: "InferBench's variants apply ReLU between layers: only relu \
                               is supported"
                        .into(),
                });
            }
        }
        let layout = match get("weight_layout").map(|v| v.trim()) {
            None | Some("out_in") => WeightLayout::OutIn,
            Some("in_out") => WeightLayout::InOut,
            Some(other) => {
                return Err(ImportError::BadMetadata {
                    key: "weight_layout",
                    value: other.to_string(),
                    expected: "use out_in ([out, in], PyTorch's nn.Linear) or in_out ([in, out])"
                        .into(),
                })
            }
        };
        let count = |key: &'static str| -> Result<Option<(usize, String)>, ImportError> {
            get(key)
                .map(|v| {
                    v.trim()
                        .parse::<usize>()
                        .map(|n| (n, v.clone()))
                        .map_err(|_| ImportError::BadMetadata {
                            key,
                            value: v.clone(),
                            expected: "give a whole number".into(),
                        })
                })
                .transpose()
        };
        Ok(Settings {
            layout,
            input_size: count("input_size")?,
            num_classes: count("num_classes")?,
        })
    }

    /// The metadata's sizes against the layers read.
    fn check(&self, model: &Mlp, layers: &[Layer<'_>]) -> Result<(), ImportError> {
        let shape = model.shape();
        if let Some((n, text)) = &self.input_size {
            if *n != shape.inputs {
                return Err(ImportError::BadMetadata {
                    key: "input_size",
                    value: text.clone(),
                    expected: format!(
                        "the first layer ({}) takes {} inputs",
                        error::quoted(layers[0].weight.0),
                        shape.inputs
                    ),
                });
            }
        }
        if let Some((n, text)) = &self.num_classes {
            if *n != shape.classes {
                return Err(ImportError::BadMetadata {
                    key: "num_classes",
                    value: text.clone(),
                    expected: format!(
                        "the last layer ({}) gives {} outputs",
                        error::quoted(layers[layers.len() - 1].weight.0),
                        shape.classes
                    ),
                });
            }
        }
        Ok(())
    }
}
