//! `pruned`: structured magnitude pruning that the kernels exploit: whole rows of the packed
//! panels (the 8 weights from one input to 8 outputs) are removed, and the `f32-fast`
//! kernels walk only the kept rows (`model::kernels::sparse`).
//!
//! **Which layers.** The input layer (its rows are pixels) and the output layer are the most
//! sensitive to pruning; the hidden-to-hidden layers the least. So, as is common practice, the
//! target sparsity `s` (a share of the whole model's weights) is taken from the hidden-to-hidden
//! layers first: they lose `s * W / W_hidden` of their weights (`W` all weights, `W_hidden`
//! theirs), at most [`MAX_HIDDEN_SPARSITY`]; what they cannot give is taken from the input and
//! output layers at one shared rate. A network with no hidden-to-hidden layer (two layers)
//! loses `s` in every layer. On the default preset (64-512-512-10) at `s = 0.5` the middle
//! layer loses 57% and the others nothing: pruning every layer by half instead costs about 12
//! points of accuracy, this allocation under 1.
//!
//! **Within a layer, per panel**: in every panel of 8 outputs, the `ceil(rate * in)` rows of
//! smallest L2 norm go (ties broken by input index, so the choice is deterministic); each
//! layer, and hence the model, loses at least its share. Biases are kept. There is no
//! fine-tuning afterwards: the accuracy reported is that of the pruned trained model as it is.
//! Unstructured pruning (single weights, stored as CSR) removes the same share at a smaller
//! accuracy cost, but an irregular sparse product is slower than the dense packed kernel at 50%
//! sparsity: blocks a kernel can skip are what pays.
//!
//! [`magnitude_prune`] gives the dense equivalent (the removed weights set to zero): with
//! separately rounded lanes (natively and with SIMD128) the `pruned` logits equal
//! `f32-naive`'s on it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::classifier::{batches_by_blocks, Classifier, Variant};
use super::kernels::dense::{PackedDense, MR};
use super::kernels::sparse::{kept_rows, PanelSparse};
use super::mlp::IoShape;
use super::mlp::{DenseLayer, Mlp};
use super::BLOCK_ROWS;

/// The fraction of weights the `pruned` variant removes unless told otherwise.
pub const DEFAULT_PRUNING_SPARSITY: f64 = 0.5;

/// The largest share of a hidden-to-hidden layer's weights the allocation removes before it
/// prunes the input and output layers too (see the module docs).
pub const MAX_HIDDEN_SPARSITY: f64 = 0.9;

/// A target sparsity: the fraction of each layer's weights to remove, in `0..1`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct PruningSparsity(f64);

impl PruningSparsity {
    /// A target sparsity.
    ///
    /// # Errors
    ///
    /// [`PruneError::InvalidSparsity`] unless `0 <= sparsity < 1`.
    pub fn new(sparsity: f64) -> Result<Self, PruneError> {
        if (0.0..1.0).contains(&sparsity) {
            Ok(Self(sparsity))
        } else {
            Err(PruneError::InvalidSparsity { value: sparsity })
        }
    }

    /// The fraction, in `0..1`.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The share of each layer's weights to remove, so that the whole model (layers given by
    /// their `(inputs, outputs)`) loses this sparsity (the allocation of the module docs).
    pub fn layer_rates(self, layers: &[(usize, usize)]) -> Vec<f64> {
        let size = |&(k, n): &(usize, usize)| (k * n) as f64;
        let total: f64 = layers.iter().map(size).sum();
        if layers.len() < 3 || total == 0.0 {
            return vec![self.0; layers.len()];
        }
        let hidden: f64 = layers[1..layers.len() - 1].iter().map(size).sum();
        let wanted = self.0 * total;
        let hidden_rate = (wanted / hidden).min(MAX_HIDDEN_SPARSITY);
        let outer_rate = ((wanted - hidden_rate * hidden) / (total - hidden)).clamp(0.0, 1.0);
        (0..layers.len())
            .map(|i| {
                if i == 0 || i + 1 == layers.len() {
                    outer_rate
                } else {
                    hidden_rate
                }
            })
            .collect()
    }

    /// The rows to remove from each panel of each of `model`'s layers.
    fn removed_rows(self, model: &Mlp) -> Vec<usize> {
        let shapes: Vec<(usize, usize)> = model
            .layers()
            .iter()
            .map(|l| (l.in_features(), l.out_features()))
            .collect();
        self.layer_rates(&shapes)
            .into_iter()
            .zip(&shapes)
            // Rounded up (less a hair, so that an exact product is not pushed up by its last
            // bit), so that each layer loses at least its share.
            .map(|(rate, &(k, _))| (((rate * k as f64) - 1e-9).ceil().max(0.0) as usize).min(k))
            .collect()
    }
}

impl Default for PruningSparsity {
    fn default() -> Self {
        Self(DEFAULT_PRUNING_SPARSITY)
    }
}

impl TryFrom<f64> for PruningSparsity {
    type Error = PruneError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<PruningSparsity> for f64 {
    fn from(value: PruningSparsity) -> Self {
        value.0
    }
}

/// Why a pruning setting was rejected.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PruneError {
    /// The sparsity is not in `0..1` (or is NaN).
    InvalidSparsity {
        /// The value given.
        value: f64,
    },
}

impl fmt::Display for PruneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSparsity { value } => write!(
                f,
                "pruning sparsity {value} is invalid: give the fraction of weights to remove, \
                 at least 0 and below 1 (e.g. 0.5)"
            ),
        }
    }
}

impl std::error::Error for PruneError {}

/// `model` with the rows of each panel that `pruned` removes set to zero (see the module
/// docs): the dense equivalent of the `pruned` variant.
pub fn magnitude_prune(model: &Mlp, sparsity: PruningSparsity) -> Mlp {
    let layers = model
        .layers()
        .iter()
        .zip(sparsity.removed_rows(model))
        .map(|(layer, removed)| {
            let (k, n) = (layer.in_features(), layer.out_features());
            let mut weights = vec![0.0; n * k];
            for (q, inputs) in kept_rows(k, n, layer.weights(), removed).iter().enumerate() {
                for o in q * 8..((q + 1) * 8).min(n) {
                    for &p in inputs {
                        weights[o * k + p] = layer.weights()[o * k + p];
                    }
                }
            }
            DenseLayer::new(k, n, weights, layer.biases().to_vec())
                .expect("same sizes and finite values as a valid layer")
        })
        .collect();
    Mlp::from_layers(layers).expect("same shape as a valid model")
}

/// A layer of the `pruned` variant: dense when the allocation removes nothing from it.
#[derive(Debug, Clone)]
enum PrunedLayer {
    Dense(PackedDense),
    Sparse(PanelSparse),
}

impl PrunedLayer {
    fn padded_out(&self) -> usize {
        match self {
            Self::Dense(l) => l.padded_out(),
            Self::Sparse(l) => l.padded_out(),
        }
    }

    fn inputs(&self) -> usize {
        match self {
            Self::Dense(l) => l.inputs(),
            Self::Sparse(l) => l.inputs(),
        }
    }

    fn kept_weights(&self) -> usize {
        match self {
            Self::Dense(l) => l.inputs() * l.outputs(),
            Self::Sparse(l) => l.kept_weights(),
        }
    }

    fn stored_bytes(&self) -> usize {
        match self {
            Self::Dense(l) => l.stored_bytes(),
            Self::Sparse(l) => l.stored_bytes(),
        }
    }
}

/// The `pruned` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct PrunedMlp {
    layers: Vec<PrunedLayer>,
    target: PruningSparsity,
    total_weights: usize,
    current: Vec<f32>,
    next: Vec<f32>,
    tiles: Vec<f32>,
    logits: Vec<f32>,
    /// The model's inputs and classes per sample.
    shape: IoShape,
}

impl PrunedMlp {
    /// Prunes `model` to `sparsity` and stores the kept panel rows.
    pub fn new(model: &Mlp, sparsity: PruningSparsity) -> Self {
        let layers: Vec<PrunedLayer> = model
            .layers()
            .iter()
            .zip(sparsity.removed_rows(model))
            .map(|(l, removed)| {
                let (k, n) = (l.in_features(), l.out_features());
                if removed == 0 {
                    PrunedLayer::Dense(PackedDense::new(k, n, l.weights(), l.biases()))
                } else {
                    PrunedLayer::Sparse(PanelSparse::new(k, n, l.weights(), l.biases(), removed))
                }
            })
            .collect();
        let width = layers
            .iter()
            .map(PrunedLayer::padded_out)
            .max()
            .unwrap_or(0);
        let deepest = layers.iter().map(PrunedLayer::inputs).max().unwrap_or(0);
        Self {
            layers,
            target: sparsity,
            total_weights: model.layers().iter().map(|l| l.weights().len()).sum(),
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            tiles: vec![0.0; BLOCK_ROWS.div_ceil(MR) * MR * deepest],
            logits: vec![0.0; BLOCK_ROWS * model.shape().classes],
            shape: model.shape(),
        }
    }

    /// The sparsity asked for.
    pub fn target_sparsity(&self) -> PruningSparsity {
        self.target
    }

    /// Weights kept (stored), over all layers, padding not counted.
    pub fn kept_weights(&self) -> usize {
        self.layers.iter().map(PrunedLayer::kept_weights).sum()
    }

    /// Fraction of weights removed over the whole model (at least the target).
    pub fn sparsity(&self) -> f64 {
        1.0 - self.kept_weights() as f64 / self.total_weights as f64
    }

    /// Logits of at most [`BLOCK_ROWS`] samples.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "relaxed-simd"),
        target_feature(enable = "relaxed-simd")
    )]
    fn forward_block(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let shape = self.shape;
        let m = inputs.len() / shape.inputs;
        let last = self.layers.len() - 1;
        let mut lda = shape.inputs;
        for (index, layer) in self.layers.iter().enumerate() {
            let relu = index < last;
            let input = if index == 0 {
                inputs
            } else {
                &self.current[..]
            };
            let (tiles, out) = (&mut self.tiles, &mut self.next);
            match layer {
                PrunedLayer::Dense(l) => l.forward(input, lda, m, tiles, out, relu),
                PrunedLayer::Sparse(l) => l.forward(input, lda, m, tiles, out, relu),
            }
            std::mem::swap(&mut self.current, &mut self.next);
            lda = layer.padded_out();
        }
        for (out, row) in logits
            .chunks_exact_mut(shape.classes)
            .zip(self.current.chunks_exact(lda))
        {
            out.copy_from_slice(&row[..shape.classes]);
        }
    }
}

impl Classifier for PrunedMlp {
    fn variant(&self) -> Variant {
        Variant::Pruned
    }

    fn size_bytes(&self) -> usize {
        self.layers.iter().map(PrunedLayer::stored_bytes).sum()
    }

    batches_by_blocks!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparsity_is_validated_and_serialised_as_a_number() {
        assert!(PruningSparsity::new(0.0).is_ok());
        for bad in [1.0, -0.1, f64::NAN] {
            assert!(matches!(
                PruningSparsity::new(bad),
                Err(PruneError::InvalidSparsity { .. })
            ));
        }
        let s = PruningSparsity::new(0.75).expect("valid");
        assert_eq!(serde_json::to_string(&s).expect("serialises"), "0.75");
        assert!(serde_json::from_str::<PruningSparsity>("1.5").is_err());
        assert_eq!(PruningSparsity::default().get(), DEFAULT_PRUNING_SPARSITY);
    }

    #[test]
    fn the_hidden_layers_give_the_target_sparsity_first() {
        let half = PruningSparsity::new(0.5).expect("valid");
        // Default preset: 150,016 of 300,032 weights, all from the 512 x 512 layer.
        assert_eq!(
            half.layer_rates(&[(64, 512), (512, 512), (512, 10)]),
            vec![0.0, 150_016.0 / 262_144.0, 0.0]
        );
        // Two layers: both give the target.
        assert_eq!(half.layer_rates(&[(64, 32), (32, 10)]), vec![0.5, 0.5]);
        // A small hidden layer gives at most 90%, the outer layers the rest at one rate.
        let rates = half.layer_rates(&[(64, 300), (300, 37), (37, 10)]);
        assert_eq!(rates[1], MAX_HIDDEN_SPARSITY);
        assert_eq!(rates[0], rates[2]);
        let removed = rates[0] * (64.0 * 300.0 + 37.0 * 10.0) + rates[1] * 300.0 * 37.0;
        assert!((removed - 0.5 * 30_670.0).abs() < 1e-6);
    }

    #[test]
    fn removes_the_panel_rows_of_smallest_norm_ties_by_input() {
        // Layer 0 (4 -> 10, panels of outputs 0-7 and 8-9): W[o][i] = (i + 1) * sign, except
        // input 2 of outputs 8-9, which is large. Output layer: all 0.5 (equal norms).
        let mut weights: Vec<f32> = (0..40)
            .map(|j| ((j % 4) + 1) as f32 * if j % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        weights[8 * 4] = 9.0; // output 8, input 0
        weights[9 * 4] = -9.0; // output 9, input 0
        let hidden = DenseLayer::new(
            64,
            10,
            {
                let mut w = vec![0.0; 640];
                for o in 0..10 {
                    w[o * 64..o * 64 + 4].copy_from_slice(&weights[o * 4..o * 4 + 4]);
                }
                w
            },
            vec![0.0; 10],
        )
        .expect("valid");
        let output = DenseLayer::new(10, 10, vec![0.5; 100], vec![0.0; 10]).expect("valid");
        let model = Mlp::from_layers(vec![hidden, output]).expect("valid");
        let sparsity = PruningSparsity::new(0.95).expect("valid");
        // ceil(0.95 * 64) = 61 rows go from each panel of layer 0: 3 are kept.
        let pruned = magnitude_prune(&model, sparsity);
        let w0 = pruned.layers()[0].weights();
        for o in 0..8 {
            // Panel 0 keeps inputs 1, 2, 3 (norms 2, 3, 4 beat 1 and the zeros).
            assert_eq!(
                &w0[o * 64..o * 64 + 4],
                &[
                    0.0,
                    weights[o * 4 + 1],
                    weights[o * 4 + 2],
                    weights[o * 4 + 3]
                ]
            );
        }
        for o in 8..10 {
            // Panel 1 keeps inputs 0 (9), 2 (3) and 3 (4).
            assert_eq!(
                &w0[o * 64..o * 64 + 4],
                &[weights[o * 4], 0.0, weights[o * 4 + 2], weights[o * 4 + 3]]
            );
        }
        assert!(w0.iter().enumerate().all(|(j, &w)| j % 64 < 4 || w == 0.0));
        // Output layer: ceil(0.95 * 10) = 10 rows go from every panel: nothing is kept.
        assert!(pruned.layers()[1].weights().iter().all(|&w| w == 0.0));

        let sparse = PrunedMlp::new(&model, sparsity);
        assert_eq!(sparse.kept_weights(), 3 * 10);
        assert_eq!(sparse.sparsity(), 1.0 - 30.0 / 740.0);
        // Layer 0: 2 panels x 3 rows x (32 + 2) bytes + 16 biases x 4; layer 1: 0 rows + 16 x 4.
        assert_eq!(sparse.size_bytes(), (6 * 34 + 64) + 64);
    }
}
