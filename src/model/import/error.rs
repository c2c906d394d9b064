//! Why a model file was refused ([`ImportError`]): one variant per kind of problem, each
//! displayed as one sentence that names the tensor (or the file) and says what to do.
//!
//! Tensor names and metadata values come from the file: they are quoted through
//! [`quoted`], which escapes control characters and shortens long names, so that a
//! message can go to a terminal or a page as plain text.

use std::fmt;

use super::{MAX_LAYERS, MAX_MODEL_FILE_BYTES, MAX_PARAMETERS};
use crate::model::mlp::{MAX_CLASSES, MAX_LAYER_WIDTH};

/// The longest tensor name or metadata value quoted in full in a message, in characters.
const QUOTED_CHARS: usize = 60;

/// `text` in single quotes, control characters escaped, cut to 60 characters
/// (with `…`).
pub fn quoted(text: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in text.chars().enumerate() {
        if i == QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c == '\'' || c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Why a `.safetensors` file could not be imported as an MLP.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// The file is empty.
    Empty,
    /// The file is larger than [`MAX_MODEL_FILE_BYTES`].
    FileTooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// The file is not a valid safetensors file (header or offsets).
    NotSafetensors {
        /// What the safetensors reader found wrong.
        reason: String,
    },
    /// The file holds no tensor.
    NoTensors,
    /// The file holds more tensors than an MLP of [`MAX_LAYERS`] layers has.
    TooManyTensors {
        /// Tensors in the file.
        count: usize,
    },
    /// A tensor's name is not a dense layer's weight or bias in a known naming.
    UnexpectedTensor {
        /// The tensor.
        name: String,
        /// What it looks like, when that can be told (e.g. "a BatchNorm layer's running
        /// mean").
        looks_like: Option<&'static str>,
    },
    /// A `.weight` or `.bias` tensor without a layer number, so the layer order is unknown.
    Unnumbered {
        /// The tensor.
        name: String,
    },
    /// Two tensors use different namings or prefixes (`0.weight` and `fc1.weight`).
    MixedNaming {
        /// One tensor.
        first: String,
        /// Another, named differently.
        second: String,
    },
    /// Two tensors name the same layer (`1.weight` and `01.weight`).
    DuplicateLayer {
        /// One tensor.
        first: String,
        /// The other.
        second: String,
    },
    /// A bias without its layer's weight.
    MissingWeight {
        /// The bias tensor.
        bias: String,
    },
    /// A tensor of a dtype that is not a float InferBench reads.
    UnsupportedDtype {
        /// The tensor.
        name: String,
        /// Its dtype, as the file names it (`I64`, `BOOL`, ...).
        dtype: String,
    },
    /// A weight that is not 2-D, or a bias that is not 1-D.
    WrongRank {
        /// The tensor.
        name: String,
        /// Whether it is a bias (else a weight).
        bias: bool,
        /// Its shape.
        shape: Vec<usize>,
        /// What a tensor of this rank and name usually is.
        looks_like: Option<&'static str>,
    },
    /// A bias whose length is not its weight's output count.
    BiasLength {
        /// The weight tensor.
        weight: String,
        /// Its shape.
        shape: Vec<usize>,
        /// The bias tensor.
        bias: String,
        /// The bias's length.
        len: usize,
        /// Whether the shapes fit the other layout (`[in, out]` for `[out, in]`).
        transposed_fits: bool,
        /// The layout the file was read with.
        layout: super::WeightLayout,
    },
    /// A layer does not take the previous layer's outputs.
    NotChained {
        /// This layer's weight.
        weight: String,
        /// Its inputs.
        inputs: usize,
        /// The previous layer's weight.
        previous: String,
        /// Its outputs.
        outputs: usize,
    },
    /// More than [`MAX_LAYERS`] dense layers.
    TooManyLayers {
        /// Layers in the file.
        count: usize,
    },
    /// A layer has a zero dimension or one wider than [`MAX_LAYER_WIDTH`].
    BadWidth {
        /// The weight tensor.
        name: String,
        /// Its shape.
        shape: Vec<usize>,
    },
    /// More parameters than [`MAX_PARAMETERS`].
    TooManyParameters {
        /// Parameters in the file's layers.
        count: u64,
    },
    /// More classes than [`MAX_CLASSES`].
    TooManyClasses {
        /// The last weight tensor.
        name: String,
        /// Its outputs.
        classes: usize,
    },
    /// A NaN or infinite value (also a finite f64 beyond f32's range).
    NonFinite {
        /// The tensor.
        name: String,
        /// The position of the first such value, in the tensor's own indexing.
        index: Vec<usize>,
        /// The value as read, formatted (`NaN`, `inf`, `1e300`).
        value: String,
    },
    /// A metadata entry that InferBench reads has a value it cannot use.
    BadMetadata {
        /// The key.
        key: &'static str,
        /// The value in the file.
        value: String,
        /// What is expected instead.
        expected: String,
    },
}

fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(ToString::to_string).collect();
    format!("[{}]", dims.join(", "))
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = MAX_MODEL_FILE_BYTES / (1024 * 1024);
        match self {
            Self::Empty => write!(f, "the model file is empty: pick a .safetensors file"),
            Self::FileTooLarge { bytes } => write!(
                f,
                "the model file has {bytes} bytes, over the {mib} MiB limit: InferBench imports \
                 MLPs of at most {MAX_PARAMETERS} parameters"
            ),
            Self::NotSafetensors { reason } => write!(
                f,
                "the file is not a valid safetensors file ({reason}): save the model with \
                 safetensors.torch.save_file or safetensors.numpy.save_file"
            ),
            Self::NoTensors => write!(f, "the file holds no tensor: it has no model to import"),
            Self::TooManyTensors { count } => write!(
                f,
                "the file holds {count} tensors, more than the {} of an MLP of {MAX_LAYERS} \
                 layers: InferBench imports dense layers only",
                2 * MAX_LAYERS
            ),
            Self::UnexpectedTensor { name, looks_like } => {
                write!(
                    f,
                    "tensor {} is not a dense layer's weight or bias",
                    quoted(name)
                )?;
                if let Some(what) = looks_like {
                    write!(
                        f,
                        " (it looks like {what}, which InferBench does not import)"
                    )?;
                }
                write!(
                    f,
                    ": InferBench imports MLPs of dense layers with ReLU between them, named \
                     N.weight and N.bias (PyTorch's nn.Sequential, also with a prefix such as \
                     layers.N or fcN) or W1, b1, W2, b2, ..."
                )
            }
            Self::Unnumbered { name } => write!(
                f,
                "tensor {} has no layer number, so the order of the layers is unknown: number \
                 them (nn.Sequential's 0.weight, 2.weight, ..., or fc1, fc2, ...)",
                quoted(name)
            ),
            Self::MixedNaming { first, second } => write!(
                f,
                "tensors {} and {} are named in two different ways: name every layer alike \
                 (0.weight, 2.weight, ... or W1, W2, ...)",
                quoted(first),
                quoted(second)
            ),
            Self::DuplicateLayer { first, second } => write!(
                f,
                "tensors {} and {} name the same layer: number each layer once",
                quoted(first),
                quoted(second)
            ),
            Self::MissingWeight { bias } => write!(
                f,
                "tensor {} is a bias without its layer's weight: save the weight too",
                quoted(bias)
            ),
            Self::UnsupportedDtype { name, dtype } => write!(
                f,
                "tensor {} is {}: InferBench reads float weights (F32, F16, BF16 or F64); \
                 save it as float32",
                quoted(name),
                quoted(dtype)
            ),
            Self::WrongRank {
                name,
                bias,
                shape,
                looks_like,
            } => {
                let (what, rank) = if *bias {
                    ("a bias", "1-D")
                } else {
                    ("a dense layer's weight", "2-D")
                };
                write!(
                    f,
                    "tensor {} has shape {}: {what} is {rank}",
                    quoted(name),
                    shape_text(shape)
                )?;
                if let Some(like) = looks_like {
                    write!(
                        f,
                        "; this looks like {like}, which InferBench does not import"
                    )?;
                }
                Ok(())
            }
            Self::BiasLength {
                weight,
                shape,
                bias,
                len,
                transposed_fits,
                layout,
            } => {
                write!(
                    f,
                    "tensor {} has shape {} ({}) but its bias {} has {len} values",
                    quoted(weight),
                    shape_text(shape),
                    layout.description(),
                    quoted(bias)
                )?;
                if *transposed_fits {
                    write!(
                        f,
                        ": the weight looks {}; save its transpose, or add the metadata \
                         weight_layout = {}",
                        layout.other().description(),
                        layout.other().as_str()
                    )
                } else {
                    write!(f, ": a layer's bias has one value per output")
                }
            }
            Self::NotChained {
                weight,
                inputs,
                previous,
                outputs,
            } => write!(
                f,
                "tensor {} takes {inputs} inputs but the layer before it ({}) gives {outputs} \
                 outputs: consecutive layers must chain",
                quoted(weight),
                quoted(previous)
            ),
            Self::TooManyLayers { count } => write!(
                f,
                "the file has {count} dense layers: InferBench imports at most {MAX_LAYERS}"
            ),
            Self::BadWidth { name, shape } => write!(
                f,
                "tensor {} has shape {}: every layer needs 1 to {MAX_LAYER_WIDTH} inputs and \
                 outputs",
                quoted(name),
                shape_text(shape)
            ),
            Self::TooManyParameters { count } => write!(
                f,
                "the model has {count} parameters: InferBench imports at most {MAX_PARAMETERS}"
            ),
            Self::TooManyClasses { name, classes } => write!(
                f,
                "the last layer ({}) gives {classes} outputs: InferBench predicts at most \
                 {MAX_CLASSES} classes",
                quoted(name)
            ),
            Self::NonFinite { name, index, value } => write!(
                f,
                "tensor {} holds {value} at {}: every weight and bias must be a finite float32 \
                 (retrain, or clean the weights)",
                quoted(name),
                shape_text(index)
            ),
            Self::BadMetadata {
                key,
                value,
                expected,
            } => write!(
                f,
                "the file's metadata {key} = {} cannot be used: {expected}",
                quoted(value)
            ),
        }
    }
}

impl std::error::Error for ImportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_control_characters_and_shortens() {
        assert_eq!(quoted("0.weight"), "'0.weight'");
        assert_eq!(quoted("a\nb\u{1b}[31m'"), "'a\\nb\\u{1b}[31m\\''");
        let long = "x".repeat(200);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), QUOTED_CHARS + 3);
        assert!(q.ends_with("…'"));
    }
}
