//! `pruned`: magnitude pruning, sparse (CSR) storage and sparse products.
//!
//! Pruning is **per layer**: in each layer, the `ceil(sparsity * in * out)` weights of
//! smallest magnitude are removed (ties broken by position, so the choice is deterministic),
//! so every layer, and hence the whole model, reaches at least the target sparsity. Biases are
//! kept. There is no fine-tuning afterwards: the accuracy reported is that of the pruned
//! trained model as it is.
//!
//! Each layer is stored in compressed sparse rows: for each output, the kept weights (f32) and
//! their input columns (u16), and a u32 offset per row. A block of samples is processed with
//! activations transposed (`[feature][sample]`), so that for every kept weight one contiguous
//! run of samples is updated (`y[o][..] += w * x[col][..]`, vectorised across samples); a
//! single sample goes through the plain sparse matrix-vector product (one gathered `x[col]`
//! per kept weight). Per output, the sum is `b`, then
//! the kept terms in column order: the same additions as the dense loop over the pruned
//! weights, minus the zeros.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::mlp::{DenseLayer, Mlp};
use super::variant::{logits_by_blocks, predict_by_blocks, Classifier, Variant};
use super::{BLOCK_ROWS, INPUT_FEATURES, NUM_CLASSES};

/// The fraction of weights the `pruned` variant removes unless told otherwise.
pub const DEFAULT_PRUNING_SPARSITY: f64 = 0.5;

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

    /// Weights to remove from a layer of `weights` weights: `ceil(sparsity * weights)`.
    fn pruned_count(self, weights: usize) -> usize {
        ((self.0 * weights as f64).ceil() as usize).min(weights)
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

/// `model` with the smallest-magnitude weights of each layer set to zero (see the module docs):
/// the dense equivalent of the `pruned` variant.
pub fn magnitude_prune(model: &Mlp, sparsity: PruningSparsity) -> Mlp {
    let layers = model
        .layers()
        .iter()
        .map(|layer| {
            let mut weights = layer.weights().to_vec();
            let remove = sparsity.pruned_count(weights.len());
            if remove > 0 {
                let mut order: Vec<usize> = (0..weights.len()).collect();
                let key = |&i: &usize| (weights[i].abs(), i);
                order.select_nth_unstable_by(remove - 1, |a, b| {
                    let (ma, ia) = key(a);
                    let (mb, ib) = key(b);
                    ma.total_cmp(&mb).then(ia.cmp(&ib))
                });
                for &i in &order[..remove] {
                    weights[i] = 0.0;
                }
            }
            DenseLayer::new(
                layer.in_features(),
                layer.out_features(),
                weights,
                layer.biases().to_vec(),
            )
            .expect("same sizes and finite values as a valid layer")
        })
        .collect();
    Mlp::from_layers(layers).expect("same shape as a valid model")
}

/// One layer in compressed sparse rows.
#[derive(Debug, Clone, PartialEq)]
struct CsrLayer {
    in_features: usize,
    out_features: usize,
    /// Kept weights of output `o` are `values[row_starts[o]..row_starts[o + 1]]`.
    row_starts: Vec<u32>,
    columns: Vec<u16>,
    values: Vec<f32>,
    biases: Vec<f32>,
}

impl CsrLayer {
    /// The non-zero weights of `layer`.
    fn from_dense(layer: &DenseLayer) -> Self {
        let mut row_starts = Vec::with_capacity(layer.out_features() + 1);
        let mut columns = Vec::new();
        let mut values = Vec::new();
        row_starts.push(0);
        for row in layer.weights().chunks_exact(layer.in_features()) {
            for (column, &w) in row.iter().enumerate() {
                if w != 0.0 {
                    // Widths are at most MAX_LAYER_WIDTH = 2^15, so both conversions fit.
                    columns.push(column as u16);
                    values.push(w);
                }
            }
            row_starts.push(values.len() as u32);
        }
        Self {
            in_features: layer.in_features(),
            out_features: layer.out_features(),
            row_starts,
            columns,
            values,
            biases: layer.biases().to_vec(),
        }
    }

    fn stored_bytes(&self) -> usize {
        4 * self.values.len()
            + 2 * self.columns.len()
            + 4 * self.row_starts.len()
            + 4 * self.biases.len()
    }

    /// `y = W x + b` for `m` samples in transposed layout: `x[i * m + s]`, `y[o * m + s]`.
    fn forward_transposed(&self, x: &[f32], m: usize, y: &mut [f32], relu: bool) {
        if m == 1 {
            return self.forward_one(x, y, relu);
        }
        for (o, out) in y[..self.out_features * m].chunks_exact_mut(m).enumerate() {
            out.fill(self.biases[o]);
            let (start, end) = (self.row_starts[o] as usize, self.row_starts[o + 1] as usize);
            for (&column, &w) in self.columns[start..end]
                .iter()
                .zip(&self.values[start..end])
            {
                let column = usize::from(column);
                let x_column = &x[column * m..column * m + m];
                for (y_s, &x_s) in out.iter_mut().zip(x_column) {
                    *y_s += w * x_s;
                }
            }
            if relu {
                for v in out.iter_mut() {
                    *v = v.max(0.0);
                }
            }
        }
    }
}

impl CsrLayer {
    /// `y = W x + b` for one sample: the sparse matrix-vector product.
    fn forward_one(&self, x: &[f32], y: &mut [f32], relu: bool) {
        let x = &x[..self.in_features];
        for (o, (y_o, window)) in y[..self.out_features]
            .iter_mut()
            .zip(self.row_starts.windows(2))
            .enumerate()
        {
            let (start, end) = (window[0] as usize, window[1] as usize);
            let mut acc = self.biases[o];
            for (&column, &w) in self.columns[start..end]
                .iter()
                .zip(&self.values[start..end])
            {
                acc += w * x[usize::from(column)];
            }
            *y_o = if relu { acc.max(0.0) } else { acc };
        }
    }
}

/// The `pruned` variant (see the module docs).
#[derive(Debug, Clone)]
pub struct PrunedMlp {
    layers: Vec<CsrLayer>,
    target: PruningSparsity,
    current: Vec<f32>,
    next: Vec<f32>,
    logits: Vec<f32>,
}

impl PrunedMlp {
    /// Prunes `model` to `sparsity` and stores the kept weights sparse.
    pub fn new(model: &Mlp, sparsity: PruningSparsity) -> Self {
        let pruned = magnitude_prune(model, sparsity);
        let width = model.max_width();
        Self {
            layers: pruned.layers().iter().map(CsrLayer::from_dense).collect(),
            target: sparsity,
            current: vec![0.0; BLOCK_ROWS * width],
            next: vec![0.0; BLOCK_ROWS * width],
            logits: vec![0.0; BLOCK_ROWS * NUM_CLASSES],
        }
    }

    /// The sparsity asked for.
    pub fn target_sparsity(&self) -> PruningSparsity {
        self.target
    }

    /// Weights kept (stored), over all layers.
    pub fn kept_weights(&self) -> usize {
        self.layers.iter().map(|l| l.values.len()).sum()
    }

    /// Fraction of weights removed over the whole model (at least the target).
    pub fn sparsity(&self) -> f64 {
        let total: usize = self
            .layers
            .iter()
            .map(|l| l.in_features * l.out_features)
            .sum();
        1.0 - self.kept_weights() as f64 / total as f64
    }

    /// Logits of at most [`BLOCK_ROWS`] samples.
    fn forward_block(&mut self, inputs: &[f32], logits: &mut [f32]) {
        let m = inputs.len() / INPUT_FEATURES;
        for (s, input) in inputs.chunks_exact(INPUT_FEATURES).enumerate() {
            for (i, &x) in input.iter().enumerate() {
                self.current[i * m + s] = x;
            }
        }
        let last = self.layers.len() - 1;
        for (index, layer) in self.layers.iter().enumerate() {
            layer.forward_transposed(&self.current, m, &mut self.next, index < last);
            std::mem::swap(&mut self.current, &mut self.next);
        }
        for (s, out) in logits.chunks_exact_mut(NUM_CLASSES).enumerate() {
            for (class, value) in out.iter_mut().enumerate() {
                *value = self.current[class * m + s];
            }
        }
    }
}

impl Classifier for PrunedMlp {
    fn variant(&self) -> Variant {
        Variant::Pruned
    }

    fn size_bytes(&self) -> usize {
        self.layers.iter().map(CsrLayer::stored_bytes).sum()
    }

    fn logits_batch(&mut self, inputs: &[f32], logits: &mut [f32]) {
        logits_by_blocks(inputs, logits, |block, out| self.forward_block(block, out));
    }

    fn predict_batch(&mut self, inputs: &[f32], predictions: &mut [u8]) {
        let mut scratch = std::mem::take(&mut self.logits);
        predict_by_blocks(inputs, predictions, &mut scratch, |block, logits| {
            self.forward_block(block, logits)
        });
        self.logits = scratch;
    }
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
    fn removes_the_smallest_magnitudes_per_layer_ties_by_position() {
        // Layer 0 (64 -> 2): weights 1..=128 with alternating signs; output layer all 0.5.
        let weights: Vec<f32> = (1..=128)
            .map(|i| if i % 2 == 0 { i as f32 } else { -(i as f32) })
            .collect();
        let hidden = DenseLayer::new(64, 2, weights, vec![0.0; 2]).expect("valid");
        let output = DenseLayer::new(2, 10, vec![0.5; 20], vec![0.0; 10]).expect("valid");
        let model = Mlp::from_layers(vec![hidden, output]).expect("valid");
        let sparsity = PruningSparsity::new(0.5).expect("valid");
        let pruned = magnitude_prune(&model, sparsity);
        let w0 = pruned.layers()[0].weights();
        assert!(
            w0[..64].iter().all(|&w| w == 0.0),
            "smallest 64 magnitudes gone"
        );
        assert!(w0[64..].iter().all(|&w| w != 0.0));
        // Output layer: 20 equal weights, the first 10 by position go.
        let w1 = pruned.layers()[1].weights();
        assert_eq!(w1.iter().filter(|&&w| w == 0.0).count(), 10);
        assert!(w1[..10].iter().all(|&w| w == 0.0));

        let sparse = PrunedMlp::new(&model, sparsity);
        assert_eq!(sparse.kept_weights(), 64 + 10);
        assert_eq!(sparse.sparsity(), 1.0 - 74.0 / 148.0);
        // Layer 0: 64 kept x (4 + 2) + 3 offsets x 4 + 2 biases x 4; layer 1: 10 x 6 + 11 x 4 + 40.
        assert_eq!(sparse.size_bytes(), (384 + 12 + 8) + (60 + 44 + 40));
    }
}
