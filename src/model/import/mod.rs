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
//! ([`MAX_LAYERS`], [`MAX_PARAMETERS`], [`MAX_LAYER_WIDTH`], [`MAX_CLASSES`]) and files over
//! [`MAX_MODEL_FILE_BYTES`]. Nothing of the file is interpreted beyond these tensors; names
//! appear in messages only quoted and escaped ([`error::quoted`]).

pub mod error;
pub mod naming;
pub mod values;

use std::collections::BTreeMap;

use safetensors::{SafeTensorError, SafeTensors};
use serde::{Deserialize, Serialize};

pub use error::ImportError;
use naming::{LayerName, Naming, Role, Unknown};

use super::mlp::{DenseLayer, IoShape, Mlp, MAX_CLASSES, MAX_LAYER_WIDTH};
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

type Named<'a> = (&'a str, safetensors::tensor::TensorView<'a>);

/// One layer's tensors.
struct Layer<'a> {
    naming: Naming,
    weight: Named<'a>,
    bias: Option<Named<'a>>,
}

/// Groups the tensors (in name order) into layers ordered by number.
fn group_layers<'a>(tensors: &[Named<'a>]) -> Result<Vec<Layer<'a>>, ImportError> {
    struct Slot<'a> {
        weight: Option<Named<'a>>,
        bias: Option<Named<'a>>,
    }
    let mut naming: Option<(Naming, &str)> = None;
    let mut slots: BTreeMap<u64, Slot<'a>> = BTreeMap::new();
    for &(name, ref view) in tensors {
        let LayerName {
            naming: this,
            number,
            role,
        } = naming::parse(name).map_err(|unknown| match unknown {
            Unknown::Unnumbered => ImportError::Unnumbered { name: name.into() },
            Unknown::Other(looks_like) => ImportError::UnexpectedTensor {
                name: name.into(),
                looks_like,
            },
        })?;
        match &naming {
            Some((first, first_name)) if *first != this => {
                return Err(ImportError::MixedNaming {
                    first: (*first_name).into(),
                    second: name.into(),
                })
            }
            Some(_) => {}
            None => naming = Some((this, name)),
        }
        let slot = slots.entry(number).or_insert(Slot {
            weight: None,
            bias: None,
        });
        let place = match role {
            Role::Weight => &mut slot.weight,
            Role::Bias => &mut slot.bias,
        };
        if let Some((other, _)) = place {
            return Err(ImportError::DuplicateLayer {
                first: (*other).into(),
                second: name.into(),
            });
        }
        *place = Some((name, view.clone()));
    }
    let naming = naming.map(|(n, _)| n).ok_or(ImportError::NoTensors)?;
    if slots.len() > MAX_LAYERS {
        return Err(ImportError::TooManyLayers { count: slots.len() });
    }
    slots
        .into_values()
        .map(|slot| match slot.weight {
            Some(weight) => Ok(Layer {
                naming: naming.clone(),
                weight,
                bias: slot.bias,
            }),
            None => Err(ImportError::MissingWeight {
                bias: slot.bias.map_or_else(String::new, |(n, _)| n.into()),
            }),
        })
        .collect()
}

/// Checks a tensor's dtype and rank.
fn check_tensor((name, view): &Named<'_>, bias: bool) -> Result<(), ImportError> {
    if !values::READABLE_DTYPES.contains(&view.dtype()) {
        return Err(ImportError::UnsupportedDtype {
            name: (*name).into(),
            dtype: view.dtype().to_string(),
        });
    }
    let rank = view.shape().len();
    if rank != if bias { 1 } else { 2 } {
        let looks_like = match (bias, rank) {
            (false, 1) => Some("a normalisation layer's scale (BatchNorm, LayerNorm)"),
            (false, 3..) => Some("a convolution's kernel"),
            _ => None,
        };
        return Err(ImportError::WrongRank {
            name: (*name).into(),
            bias,
            shape: view.shape().to_vec(),
            looks_like,
        });
    }
    Ok(())
}

/// The tensor's values as f32, or the error naming its first non-finite value.
fn values_of((name, view): &Named<'_>) -> Result<Vec<f32>, ImportError> {
    values::to_f32(view.dtype(), view.data()).map_err(|(flat, value)| {
        let mut index = Vec::with_capacity(view.shape().len());
        let mut rest = flat;
        for &dim in view.shape().iter().rev() {
            index.push(rest % dim.max(1));
            rest /= dim.max(1);
        }
        index.reverse();
        ImportError::NonFinite {
            name: (*name).into(),
            index,
            value,
        }
    })
}

/// Checks shapes and sizes, then converts the layers into an [`Mlp`]; also returns the
/// dtypes seen and the layers without bias.
fn build_layers(
    layers: &[Layer<'_>],
    layout: WeightLayout,
) -> Result<(Mlp, Vec<String>, Vec<usize>), ImportError> {
    let mut sizes: Vec<(usize, usize)> = Vec::with_capacity(layers.len());
    let mut parameters = 0u64;
    for (index, layer) in layers.iter().enumerate() {
        check_tensor(&layer.weight, false)?;
        let shape = layer.weight.1.shape();
        if shape.iter().any(|&d| d == 0 || d > MAX_LAYER_WIDTH) {
            return Err(ImportError::BadWidth {
                name: layer.weight.0.into(),
                shape: shape.to_vec(),
            });
        }
        let (out, inputs) = layout.out_in(shape);
        if let Some(bias) = &layer.bias {
            check_tensor(bias, true)?;
            let len = bias.1.shape()[0];
            if len != out {
                return Err(ImportError::BiasLength {
                    weight: layer.weight.0.into(),
                    shape: shape.to_vec(),
                    bias: bias.0.into(),
                    len,
                    transposed_fits: layout.other().out_in(shape).0 == len,
                    layout,
                });
            }
        }
        if let Some(&(previous_out, _)) = sizes.last() {
            if previous_out != inputs {
                return Err(ImportError::NotChained {
                    weight: layer.weight.0.into(),
                    inputs,
                    previous: layers[index - 1].weight.0.into(),
                    outputs: previous_out,
                });
            }
        }
        parameters += (out * inputs + out) as u64;
        sizes.push((out, inputs));
    }
    if parameters > MAX_PARAMETERS {
        return Err(ImportError::TooManyParameters { count: parameters });
    }
    if let (Some(&(classes, _)), Some(last)) = (sizes.last(), layers.last()) {
        if classes > MAX_CLASSES {
            return Err(ImportError::TooManyClasses {
                name: last.weight.0.into(),
                classes,
            });
        }
    }
    let mut dtypes: Vec<String> = Vec::new();
    let mut without_bias = Vec::new();
    let mut dense = Vec::with_capacity(layers.len());
    for (index, (layer, &(out, inputs))) in layers.iter().zip(&sizes).enumerate() {
        let mut seen = |view: &safetensors::tensor::TensorView<'_>| {
            let name = view.dtype().to_string();
            if !dtypes.contains(&name) {
                dtypes.push(name);
            }
        };
        seen(&layer.weight.1);
        let raw = values_of(&layer.weight)?;
        let weights = match layout {
            WeightLayout::OutIn => raw,
            WeightLayout::InOut => (0..out * inputs)
                .map(|k| raw[(k % inputs) * out + k / inputs])
                .collect(),
        };
        let biases = match &layer.bias {
            Some(bias) => {
                seen(&bias.1);
                values_of(bias)?
            }
            None => {
                without_bias.push(index);
                vec![0.0; out]
            }
        };
        dense.push(
            DenseLayer::new(inputs, out, weights, biases)
                .expect("widths, lengths and values were checked above"),
        );
    }
    let model = Mlp::from_layers_any_shape(dense)
        .expect("the chain and the class count were checked above");
    Ok((model, dtypes, without_bias))
}
