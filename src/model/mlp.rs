//! The multilayer perceptron: dense layers with ReLU between them, and its seeded initialisation.
//!
//! Weights are stored row-major as `[out][in]` (one contiguous row per output neuron, the
//! `nn.Linear` convention); layer `l` computes `z = W x + b`, hidden layers then apply ReLU,
//! and the last layer's `z` are the logits (softmax is only needed for the training loss;
//! prediction is the argmax). This type is the trained model every inference variant is
//! built from; it does no inference itself.

use std::fmt;

use super::preset::ModelDescription;
use super::rng::{seeded_rng, Stream};
use super::{INPUT_FEATURES, NUM_CLASSES};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The widest layer a model may have: the `pruned` variant stores column indices as `u16`
/// and row offsets as `u32`, which this bound keeps in range.
pub const MAX_LAYER_WIDTH: usize = 1 << 15;

/// The most classes (outputs of the last layer) a model may have: a prediction is one byte
/// (`u8`) from the classifier to the load generator.
pub const MAX_CLASSES: usize = 256;

/// What a network reads and writes per sample: its input width and its class count.
///
/// Every [`super::Classifier`] takes `n * inputs` floats (one row per sample) and writes
/// `n * classes` logits or `n` predicted class indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IoShape {
    /// Inputs per sample (the first layer's `in_features`).
    pub inputs: usize,
    /// Logits per sample (the last layer's `out_features`).
    pub classes: usize,
}

impl IoShape {
    /// The digits task: 64 pixels in, 10 classes out.
    pub const DIGITS: IoShape = IoShape {
        inputs: INPUT_FEATURES,
        classes: NUM_CLASSES,
    };

    /// Whether this is the digits task's shape (so the digits test split can be classified
    /// and accuracy measured).
    pub fn is_digits(self) -> bool {
        self == Self::DIGITS
    }
}

impl fmt::Display for IoShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} inputs, {} classes", self.inputs, self.classes)
    }
}

/// One dense layer: `out_features` rows of `in_features` weights, and one bias per output.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseLayer {
    in_features: usize,
    out_features: usize,
    weights: Vec<f32>,
    biases: Vec<f32>,
}

impl DenseLayer {
    /// A layer from its weights (row-major `[out][in]`) and biases.
    ///
    /// # Errors
    ///
    /// [`MlpError::ZeroWidth`] or [`MlpError::WidthTooLarge`] for a bad size,
    /// [`MlpError::ParameterCount`] if the vectors do not match the sizes,
    /// [`MlpError::NonFinite`] for a NaN or infinite parameter. The error's `layer` is 0.
    pub fn new(
        in_features: usize,
        out_features: usize,
        weights: Vec<f32>,
        biases: Vec<f32>,
    ) -> Result<Self, MlpError> {
        for width in [in_features, out_features] {
            check_width(0, width)?;
        }
        if weights.len() != in_features * out_features || biases.len() != out_features {
            return Err(MlpError::ParameterCount {
                layer: 0,
                expected_weights: in_features * out_features,
                weights: weights.len(),
                expected_biases: out_features,
                biases: biases.len(),
            });
        }
        if weights.iter().chain(&biases).any(|v| !v.is_finite()) {
            return Err(MlpError::NonFinite { layer: 0 });
        }
        Ok(Self {
            in_features,
            out_features,
            weights,
            biases,
        })
    }

    /// Inputs of the layer.
    pub fn in_features(&self) -> usize {
        self.in_features
    }

    /// Outputs of the layer.
    pub fn out_features(&self) -> usize {
        self.out_features
    }

    /// Weights, row-major `[out][in]`: `weights()[o * in_features() + i]`.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Biases, one per output.
    pub fn biases(&self) -> &[f32] {
        &self.biases
    }

    /// The weights of output `o` (one row), or `None` past the last output.
    pub fn weight_row(&self, o: usize) -> Option<&[f32]> {
        self.weights
            .get(o * self.in_features..(o + 1) * self.in_features)
    }

    /// Weights and biases, for the training step (sizes never change).
    pub(crate) fn parameters_mut(&mut self) -> (&mut [f32], &mut [f32]) {
        (&mut self.weights, &mut self.biases)
    }
}

/// A network: trained here for the digits task (64 inputs, 10 classes), or imported
/// ([`super::import`]) with any input width and class count.
///
/// Invariants: at least one layer; consecutive layers chain (`out` of one is `in` of the
/// next); every width is in `1..=MAX_LAYER_WIDTH` and the last layer has at most
/// [`MAX_CLASSES`] outputs; every parameter is finite. [`Mlp::from_layers`] and
/// [`Mlp::initialised`] also require the digits shape ([`IoShape::DIGITS`]);
/// [`Mlp::from_layers_any_shape`] does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    layers: Vec<DenseLayer>,
}

impl Mlp {
    /// A network from its layers (the first takes the 64 inputs, the last gives 10 logits).
    ///
    /// # Errors
    ///
    /// [`MlpError::NoLayers`], [`MlpError::InputWidth`], [`MlpError::OutputWidth`] or
    /// [`MlpError::LayersDoNotChain`] if the layers do not form a 64-to-10 network.
    pub fn from_layers(layers: Vec<DenseLayer>) -> Result<Self, MlpError> {
        let first = layers.first().ok_or(MlpError::NoLayers)?;
        if first.in_features != INPUT_FEATURES {
            return Err(MlpError::InputWidth {
                got: first.in_features,
            });
        }
        let model = Self::from_layers_any_shape(layers)?;
        if model.shape().classes != NUM_CLASSES {
            return Err(MlpError::OutputWidth {
                got: model.shape().classes,
            });
        }
        Ok(model)
    }

    /// A network of any input width and class count from its layers (an imported model).
    ///
    /// # Errors
    ///
    /// [`MlpError::NoLayers`], [`MlpError::LayersDoNotChain`] if a layer does not take the
    /// previous one's outputs, [`MlpError::TooManyClasses`] for more than [`MAX_CLASSES`]
    /// outputs.
    pub fn from_layers_any_shape(layers: Vec<DenseLayer>) -> Result<Self, MlpError> {
        if layers.is_empty() {
            return Err(MlpError::NoLayers);
        }
        for (index, pair) in layers.windows(2).enumerate() {
            if pair[0].out_features != pair[1].in_features {
                return Err(MlpError::LayersDoNotChain {
                    layer: index + 1,
                    expected_in: pair[0].out_features,
                    got_in: pair[1].in_features,
                });
            }
        }
        let last = layers.last().ok_or(MlpError::NoLayers)?;
        if last.out_features > MAX_CLASSES {
            return Err(MlpError::TooManyClasses {
                got: last.out_features,
            });
        }
        Ok(Self { layers })
    }

    /// Inputs per sample and classes: what every variant built from this model reads and
    /// writes.
    pub fn shape(&self) -> IoShape {
        IoShape {
            inputs: self.layers[0].in_features,
            classes: self.layers[self.layers.len() - 1].out_features,
        }
    }

    /// A network with these layer sizes (`[64, ..., 10]`) and seeded He-uniform weights:
    /// each weight of a layer with `fan_in` inputs is drawn uniformly from
    /// `(-sqrt(6 / fan_in), sqrt(6 / fan_in))` by a ChaCha8 generator (stream "init" of
    /// `seed`), layer by layer, row by row; biases start at zero. Uniform `f32` sampling and
    /// `sqrt` are exact operations, so the weights are the same on every platform.
    ///
    /// # Errors
    ///
    /// [`MlpError::NoLayers`] for fewer than two sizes, and the errors of
    /// [`Mlp::from_layers`] and [`DenseLayer::new`] (with the layer's index).
    pub fn initialised(layer_sizes: &[usize], seed: u64) -> Result<Self, MlpError> {
        if layer_sizes.len() < 2 {
            return Err(MlpError::NoLayers);
        }
        for (layer, &width) in layer_sizes.iter().enumerate() {
            check_width(layer, width)?;
        }
        let mut rng = seeded_rng(seed, Stream::Init);
        let layers = layer_sizes
            .windows(2)
            .map(|pair| {
                let (fan_in, fan_out) = (pair[0], pair[1]);
                let limit = (6.0 / fan_in as f32).sqrt();
                let weights = (0..fan_in * fan_out)
                    .map(|_| rng.random_range(-limit..limit))
                    .collect();
                DenseLayer {
                    in_features: fan_in,
                    out_features: fan_out,
                    weights,
                    biases: vec![0.0; fan_out],
                }
            })
            .collect();
        Self::from_layers(layers)
    }

    /// The layers, input side first.
    pub fn layers(&self) -> &[DenseLayer] {
        &self.layers
    }

    /// Layer sizes, inputs first: `[64, ..., 10]` for the digits task.
    pub fn layer_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.shape().inputs];
        sizes.extend(self.layers.iter().map(|l| l.out_features));
        sizes
    }

    /// The widest layer (inputs included).
    pub fn max_width(&self) -> usize {
        self.layer_sizes()
            .into_iter()
            .max()
            .unwrap_or(self.shape().inputs)
    }

    /// Parameters, bytes and FLOPs per sample of this network.
    pub fn description(&self) -> ModelDescription {
        ModelDescription::from_layer_sizes(&self.layer_sizes())
    }

    /// A fingerprint of the exact parameters: FNV-1a (64-bit) over the layer sizes and the bit
    /// pattern of every weight and bias, as 16 hex digits. Two models with the same
    /// fingerprint compute the same function; result files record it so that runs on
    /// different machines can check they benchmarked the same model. (Hex text, because JSON
    /// numbers above 2^53 do not survive JavaScript.)
    pub fn fingerprint(&self) -> String {
        // Widths are at most MAX_LAYER_WIDTH, so they fit in u32.
        let sizes = self
            .layer_sizes()
            .into_iter()
            .flat_map(|size| (size as u32).to_le_bytes());
        let parameters = self
            .layers
            .iter()
            .flat_map(|layer| layer.weights.iter().chain(&layer.biases))
            .flat_map(|value| value.to_bits().to_le_bytes());
        format!("{:016x}", fnv1a_64(sizes.chain(parameters)))
    }

    /// Mutable layers, for the training step (sizes never change).
    pub(crate) fn layers_mut(&mut self) -> &mut [DenseLayer] {
        &mut self.layers
    }
}

/// The 64-bit FNV-1a hash of `bytes` (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3).
fn fnv1a_64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn check_width(layer: usize, width: usize) -> Result<(), MlpError> {
    if width == 0 {
        return Err(MlpError::ZeroWidth { layer });
    }
    if width > MAX_LAYER_WIDTH {
        return Err(MlpError::WidthTooLarge { layer, width });
    }
    Ok(())
}

/// Why a network could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MlpError {
    /// No layers (or fewer than two layer sizes).
    NoLayers,
    /// A layer has zero width.
    ZeroWidth {
        /// Index of the layer size (inputs are 0).
        layer: usize,
    },
    /// A layer is wider than [`MAX_LAYER_WIDTH`].
    WidthTooLarge {
        /// Index of the layer size (inputs are 0).
        layer: usize,
        /// The width given.
        width: usize,
    },
    /// The first layer does not take the 64 pixel inputs.
    InputWidth {
        /// Inputs of the first layer.
        got: usize,
    },
    /// The last layer does not give 10 logits.
    OutputWidth {
        /// Outputs of the last layer.
        got: usize,
    },
    /// The last layer has more than [`MAX_CLASSES`] outputs.
    TooManyClasses {
        /// Outputs of the last layer.
        got: usize,
    },
    /// Layer `layer` does not take the previous layer's outputs as inputs.
    LayersDoNotChain {
        /// Index of the layer (0-based).
        layer: usize,
        /// Outputs of the previous layer.
        expected_in: usize,
        /// Inputs of this layer.
        got_in: usize,
    },
    /// The weight or bias vector does not match the layer's sizes.
    ParameterCount {
        /// Index of the layer (0-based).
        layer: usize,
        /// `in * out`.
        expected_weights: usize,
        /// Weights given.
        weights: usize,
        /// `out`.
        expected_biases: usize,
        /// Biases given.
        biases: usize,
    },
    /// A weight or bias is NaN or infinite.
    NonFinite {
        /// Index of the layer (0-based).
        layer: usize,
    },
}

impl fmt::Display for MlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoLayers => write!(
                f,
                "the network has no layers: give at least the sizes [64, 10]"
            ),
            Self::ZeroWidth { layer } => {
                write!(
                    f,
                    "layer size {layer} is zero: every layer needs at least one unit"
                )
            }
            Self::WidthTooLarge { layer, width } => write!(
                f,
                "layer size {layer} is {width}: use at most {MAX_LAYER_WIDTH} units per layer"
            ),
            Self::InputWidth { got } => write!(
                f,
                "the first layer takes {got} inputs: it must take the {INPUT_FEATURES} pixels"
            ),
            Self::OutputWidth { got } => write!(
                f,
                "the last layer gives {got} outputs: it must give {NUM_CLASSES} logits (one \
                 per digit)"
            ),
            Self::TooManyClasses { got } => write!(
                f,
                "the last layer gives {got} outputs: InferBench predicts at most {MAX_CLASSES} \
                 classes (a prediction is one byte)"
            ),
            Self::LayersDoNotChain {
                layer,
                expected_in,
                got_in,
            } => write!(
                f,
                "layer {layer} takes {got_in} inputs but the previous layer gives \
                 {expected_in}: make consecutive sizes agree"
            ),
            Self::ParameterCount {
                layer,
                expected_weights,
                weights,
                expected_biases,
                biases,
            } => write!(
                f,
                "layer {layer} has {weights} weights and {biases} biases: its sizes need \
                 {expected_weights} weights and {expected_biases} biases"
            ),
            Self::NonFinite { layer } => write!(
                f,
                "layer {layer} has a NaN or infinite parameter: retrain with a smaller \
                 learning rate"
            ),
        }
    }
}

impl std::error::Error for MlpError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisation_is_seeded_and_bounded_by_he_uniform_limit() {
        let a = Mlp::initialised(&[64, 16, 10], 3).expect("valid sizes");
        let b = Mlp::initialised(&[64, 16, 10], 3).expect("valid sizes");
        let c = Mlp::initialised(&[64, 16, 10], 4).expect("valid sizes");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.layer_sizes(), vec![64, 16, 10]);
        let first = &a.layers()[0];
        let limit = (6.0f32 / 64.0).sqrt();
        assert!(first.weights().iter().all(|w| w.abs() < limit));
        // Spread over the interval, not collapsed near zero.
        let max = first.weights().iter().fold(0.0f32, |m, w| m.max(w.abs()));
        assert!(max > 0.9 * limit);
        assert!(first.biases().iter().all(|&b| b == 0.0));
        assert_eq!(a.description().parameters, 64 * 16 + 16 + 16 * 10 + 10);
    }

    #[test]
    fn fingerprint_changes_with_any_parameter_bit() {
        let a = Mlp::initialised(&[64, 4, 10], 3).expect("valid sizes");
        assert_eq!(a.fingerprint().len(), 16);
        assert_eq!(a.fingerprint(), a.clone().fingerprint());
        let mut b = a.clone();
        let (weights, _) = b.layers_mut()[1].parameters_mut();
        weights[7] = f32::from_bits(weights[7].to_bits() ^ 1);
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn fnv1a_matches_reference_vectors() {
        // Test vectors of the FNV reference implementation (64-bit FNV-1a).
        assert_eq!(fnv1a_64(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(*b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(Mlp::initialised(&[64], 1), Err(MlpError::NoLayers));
        assert_eq!(
            Mlp::initialised(&[64, 0, 10], 1),
            Err(MlpError::ZeroWidth { layer: 1 })
        );
        assert_eq!(
            Mlp::initialised(&[32, 10], 1),
            Err(MlpError::InputWidth { got: 32 })
        );
        assert_eq!(
            Mlp::initialised(&[64, 8], 1),
            Err(MlpError::OutputWidth { got: 8 })
        );
        let l1 = DenseLayer::new(64, 4, vec![0.0; 256], vec![0.0; 4]).expect("valid");
        let l2 = DenseLayer::new(5, 10, vec![0.0; 50], vec![0.0; 10]).expect("valid");
        assert_eq!(
            Mlp::from_layers(vec![l1, l2]),
            Err(MlpError::LayersDoNotChain {
                layer: 1,
                expected_in: 4,
                got_in: 5
            })
        );
        assert!(matches!(
            DenseLayer::new(2, 2, vec![0.0; 3], vec![0.0; 2]),
            Err(MlpError::ParameterCount { .. })
        ));
        assert_eq!(
            DenseLayer::new(1, 1, vec![f32::INFINITY], vec![0.0]),
            Err(MlpError::NonFinite { layer: 0 })
        );
    }
}
