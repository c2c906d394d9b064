//! Seeded training: mini-batch Adam on the softmax cross-entropy loss, one batch per step.
//!
//! A [`Trainer`] owns the model being trained and advances one mini-batch per
//! [`Trainer::step`], so a browser worker can run a few steps, post progress, yield to its
//! event loop and resume (or drop the trainer to cancel). [`train`] runs all steps with a
//! callback that may stop between batches.
//!
//! - Initialisation: He-uniform weights, zero biases ([`Mlp::initialised`], stream "init" of
//!   the seed).
//! - Each epoch visits every training row once, in an order shuffled by a ChaCha8 generator
//!   (stream "epoch order" of the seed), in batches of `batch_size` (the last one smaller).
//! - Loss: mean over the batch of `logsumexp(z) - z[label]` (computed stably). Gradients of
//!   the logits `(softmax(z) - onehot(label)) / batch`, backpropagated through ReLU.
//! - Forward pass: the `f32-fast` packed layers (one blocked matrix-matrix product per layer,
//!   weights repacked after each update); backward pass: the same blocked kernel on row-major
//!   matrices (`dW = dZ^T A`, `dA = dZ W`).
//! - Adam (Kingma and Ba, 2015): `beta1 = 0.9`, `beta2 = 0.999`, `epsilon = 1e-8`, bias
//!   corrected, no weight decay.
//!
//! For a given seed and configuration the weights are the same on every run and on every
//! platform: besides IEEE-exact operations (`+ - * /`, `sqrt`), training only needs `exp`
//! (softmax), and it uses its own `portable_exp`, built from those operations, instead of the
//! platform's math library (whose last bit differs between glibc and wasm's libm). Only the
//! reported loss uses the platform's `ln`.

mod config;
mod exp;

use std::ops::ControlFlow;

use rand_chacha::ChaCha8Rng;

use super::classifier::argmax;
use super::dataset::Dataset;
use super::gemm::{gemm_acc, BLayout, Dims};
use super::mlp::Mlp;
use super::packed::PackedLayer;
use super::rng::{seeded_rng, shuffle, Stream};
use super::{INPUT_FEATURES, NUM_CLASSES};

pub use config::{TrainConfig, TrainError, TrainProgress, DEFAULT_TRAIN_SEED};
use exp::portable_exp;
use inferbench_kernels::adam::{adam_update, AdamState, BETA1, BETA2};

/// Scratch matrices for one step, sized for a full batch.
#[derive(Debug, Clone)]
struct Scratch {
    /// The batch's inputs, `batch x 64`.
    inputs: Vec<f32>,
    /// Output of each layer (after ReLU for hidden layers), `batch x padded_out`.
    activations: Vec<Vec<f32>>,
    /// Gradient of the loss with respect to the current layer's pre-activations.
    delta: Vec<f32>,
    /// The same for the layer below (computed from `delta`).
    delta_below: Vec<f32>,
    /// `delta` transposed: `out x batch`.
    delta_t: Vec<f32>,
    /// Gradients of the weights (`[out][in]`) and biases of each layer.
    grad_weights: Vec<Vec<f32>>,
    grad_biases: Vec<Vec<f32>>,
}

/// A model in training, advanced one mini-batch at a time (see the module docs).
#[derive(Debug, Clone)]
pub struct Trainer {
    model: Mlp,
    packed: Vec<PackedLayer>,
    data: Dataset,
    config: TrainConfig,
    order: Vec<usize>,
    order_rng: ChaCha8Rng,
    adam: Vec<AdamState>,
    scratch: Scratch,
    /// 0-based epoch of the next step.
    epoch: usize,
    /// 0-based batch (within the epoch) of the next step.
    batch: usize,
    steps_done: usize,
    /// `beta1^t` and `beta2^t` for the next update.
    beta1_power: f32,
    beta2_power: f32,
    epoch_loss_sum: f64,
    epoch_correct: usize,
    epoch_seen: usize,
    failed: bool,
}

impl Trainer {
    /// A freshly initialised network with `layer_sizes` (`[64, ..., 10]`), ready to train on
    /// a copy of `data`.
    ///
    /// # Errors
    ///
    /// [`TrainError::Model`] for bad layer sizes, and the errors of [`TrainConfig::validate`].
    pub fn new(
        layer_sizes: &[usize],
        data: &Dataset,
        config: &TrainConfig,
    ) -> Result<Self, TrainError> {
        config.validate()?;
        let model = Mlp::initialised(layer_sizes, config.seed).map_err(TrainError::Model)?;
        let packed: Vec<PackedLayer> = model.layers().iter().map(PackedLayer::new).collect();
        let batch = config.batch_size.min(data.len());
        let max_width = model.max_width();
        let scratch = Scratch {
            inputs: vec![0.0; batch * INPUT_FEATURES],
            activations: packed
                .iter()
                .map(|p| vec![0.0; batch * p.padded_out()])
                .collect(),
            delta: vec![0.0; batch * max_width],
            delta_below: vec![0.0; batch * max_width],
            delta_t: vec![0.0; batch * max_width],
            grad_weights: model
                .layers()
                .iter()
                .map(|l| vec![0.0; l.weights().len()])
                .collect(),
            grad_biases: model
                .layers()
                .iter()
                .map(|l| vec![0.0; l.biases().len()])
                .collect(),
        };
        let adam = model
            .layers()
            .iter()
            .map(|l| AdamState {
                m_weights: vec![0.0; l.weights().len()],
                v_weights: vec![0.0; l.weights().len()],
                m_biases: vec![0.0; l.biases().len()],
                v_biases: vec![0.0; l.biases().len()],
            })
            .collect();
        Ok(Self {
            model,
            packed,
            data: data.clone(),
            config: *config,
            order: (0..data.len()).collect(),
            order_rng: seeded_rng(config.seed, Stream::EpochOrder),
            adam,
            scratch,
            epoch: 0,
            batch: 0,
            steps_done: 0,
            beta1_power: BETA1,
            beta2_power: BETA2,
            epoch_loss_sum: 0.0,
            epoch_correct: 0,
            epoch_seen: 0,
            failed: false,
        })
    }

    /// Batches per epoch: `ceil(rows / batch_size)`.
    pub fn batches_per_epoch(&self) -> usize {
        self.data.len().div_ceil(self.config.batch_size)
    }

    /// Steps in total: `epochs * batches_per_epoch`.
    pub fn total_steps(&self) -> usize {
        self.config.epochs * self.batches_per_epoch()
    }

    /// Whether every step has been done (or training failed).
    pub fn is_finished(&self) -> bool {
        self.failed || self.steps_done >= self.total_steps()
    }

    /// The model as trained so far.
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// The model as trained so far, consuming the trainer.
    pub fn into_model(self) -> Mlp {
        self.model
    }

    /// Trains on the next mini-batch. Returns the progress after it, or `None` once
    /// finished.
    ///
    /// # Errors
    ///
    /// [`TrainError::Diverged`] if the loss became NaN or infinite (the trainer is then
    /// finished and its model must not be used).
    pub fn step(&mut self) -> Result<Option<TrainProgress>, TrainError> {
        if self.is_finished() {
            return Ok(None);
        }
        if self.batch == 0 {
            shuffle(&mut self.order, &mut self.order_rng);
            self.epoch_loss_sum = 0.0;
            self.epoch_correct = 0;
            self.epoch_seen = 0;
        }
        let start = self.batch * self.config.batch_size;
        let end = (start + self.config.batch_size).min(self.data.len());
        let m = end - start;
        for (slot, &row) in self
            .scratch
            .inputs
            .chunks_exact_mut(INPUT_FEATURES)
            .zip(&self.order[start..end])
        {
            slot.copy_from_slice(self.data.input(row).expect("order holds valid rows"));
        }
        self.forward(m);
        let loss_sum = self.output_gradient(start, m);
        if !loss_sum.is_finite() {
            self.failed = true;
            return Err(TrainError::Diverged {
                epoch: self.epoch + 1,
                batch: self.batch + 1,
            });
        }
        self.backward(m);
        self.update();

        self.epoch_loss_sum += loss_sum;
        self.epoch_seen += m;
        self.steps_done += 1;
        let progress = TrainProgress {
            epoch: self.epoch + 1,
            epochs: self.config.epochs,
            batch: self.batch + 1,
            batches_per_epoch: self.batches_per_epoch(),
            steps_done: self.steps_done,
            total_steps: self.total_steps(),
            loss: self.epoch_loss_sum / self.epoch_seen as f64,
            train_accuracy: self.epoch_correct as f64 / self.epoch_seen as f64,
        };
        self.batch += 1;
        if self.batch == self.batches_per_epoch() {
            self.batch = 0;
            self.epoch += 1;
        }
        Ok(Some(progress))
    }

    /// Runs the packed layers on the first `m` rows of the batch.
    fn forward(&mut self, m: usize) {
        let last = self.packed.len() - 1;
        let activations = &mut self.scratch.activations;
        for (index, layer) in self.packed.iter().enumerate() {
            let (below, rest) = activations.split_at_mut(index);
            let (input, lda) = match below.last() {
                Some(previous) => (previous.as_slice(), self.packed[index - 1].padded_out()),
                None => (self.scratch.inputs.as_slice(), INPUT_FEATURES),
            };
            layer.forward(input, lda, m, &mut rest[0], index < last);
        }
    }

    /// Loss of the batch (summed over rows) and `delta = dLoss/dLogits` (mean over the batch).
    /// Also counts correct predictions.
    fn output_gradient(&mut self, start: usize, m: usize) -> f64 {
        let stride = self.packed[self.packed.len() - 1].padded_out();
        let logits = &self.scratch.activations[self.packed.len() - 1];
        let delta = &mut self.scratch.delta[..m * NUM_CLASSES];
        let mut loss_sum = 0.0f64;
        for (s, (z, d)) in logits
            .chunks_exact(stride)
            .take(m)
            .zip(delta.chunks_exact_mut(NUM_CLASSES))
            .enumerate()
        {
            let z = &z[..NUM_CLASSES];
            let label = usize::from(self.data.labels()[self.order[start + s]]);
            let max = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let mut sum = 0.0f32;
            for (d_c, &z_c) in d.iter_mut().zip(z) {
                *d_c = portable_exp(z_c - max);
                sum += *d_c;
            }
            loss_sum += f64::from(sum.ln() + max - z[label]);
            if usize::from(argmax(z)) == label {
                self.epoch_correct += 1;
            }
            for (c, d_c) in d.iter_mut().enumerate() {
                let target = if c == label { 1.0 } else { 0.0 };
                *d_c = (*d_c / sum - target) / m as f32;
            }
        }
        loss_sum
    }

    /// Gradients of every layer from `delta` of the output layer.
    fn backward(&mut self, m: usize) {
        let scratch = &mut self.scratch;
        for index in (0..self.packed.len()).rev() {
            let layer = &self.model.layers()[index];
            let (n_in, n_out) = (layer.in_features(), layer.out_features());
            let (a_below, lda) = if index == 0 {
                (scratch.inputs.as_slice(), INPUT_FEATURES)
            } else {
                (
                    scratch.activations[index - 1].as_slice(),
                    self.packed[index - 1].padded_out(),
                )
            };
            let delta = &scratch.delta[..m * n_out];
            // delta^T, so that dW = delta^T * A reads rows of A contiguously.
            let delta_t = &mut scratch.delta_t[..n_out * m];
            for (s, row) in delta.chunks_exact(n_out).enumerate() {
                for (o, &d) in row.iter().enumerate() {
                    delta_t[o * m + s] = d;
                }
            }
            let grad_w = &mut scratch.grad_weights[index];
            grad_w.fill(0.0);
            let dims = Dims {
                m: n_out,
                n: n_in,
                k: m,
                lda: m,
                ldc: n_in,
            };
            gemm_acc(dims, delta_t, a_below, BLayout::row_major(lda), grad_w);
            let grad_b = &mut scratch.grad_biases[index];
            grad_b.fill(0.0);
            for row in delta.chunks_exact(n_out) {
                for (g, &d) in grad_b.iter_mut().zip(row) {
                    *g += d;
                }
            }
            if index > 0 {
                // dA = delta * W, then through the ReLU of the layer below.
                let below = &mut scratch.delta_below[..m * n_in];
                below.fill(0.0);
                let dims = Dims {
                    m,
                    n: n_in,
                    k: n_out,
                    lda: n_out,
                    ldc: n_in,
                };
                gemm_acc(
                    dims,
                    delta,
                    layer.weights(),
                    BLayout::row_major(n_in),
                    below,
                );
                for (d_row, a_row) in below.chunks_exact_mut(n_in).zip(a_below.chunks(lda)) {
                    for (d, &a) in d_row.iter_mut().zip(a_row) {
                        if a <= 0.0 {
                            *d = 0.0;
                        }
                    }
                }
                std::mem::swap(&mut scratch.delta, &mut scratch.delta_below);
            }
        }
    }

    /// One Adam update of every parameter, then repacking for the next forward pass.
    fn update(&mut self) {
        let lr = self.config.learning_rate;
        let (c1, c2) = (1.0 - self.beta1_power, 1.0 - self.beta2_power);
        for (index, layer) in self.model.layers_mut().iter_mut().enumerate() {
            let state = &mut self.adam[index];
            let (weights, biases) = layer.parameters_mut();
            adam_update(
                weights,
                &self.scratch.grad_weights[index],
                &mut state.m_weights,
                &mut state.v_weights,
                lr,
                c1,
                c2,
            );
            adam_update(
                biases,
                &self.scratch.grad_biases[index],
                &mut state.m_biases,
                &mut state.v_biases,
                lr,
                c1,
                c2,
            );
        }
        for (packed, layer) in self.packed.iter_mut().zip(self.model.layers()) {
            packed.repack(layer);
        }
        self.beta1_power *= BETA1;
        self.beta2_power *= BETA2;
    }
}

/// Trains a network with `layer_sizes` on `data`, calling `on_progress` after every batch;
/// returning [`ControlFlow::Break`] from it stops training.
///
/// # Errors
///
/// The errors of [`Trainer::new`] and [`Trainer::step`], and [`TrainError::Cancelled`] when
/// the callback stopped training.
pub fn train(
    layer_sizes: &[usize],
    data: &Dataset,
    config: &TrainConfig,
    mut on_progress: impl FnMut(&TrainProgress) -> ControlFlow<()>,
) -> Result<Mlp, TrainError> {
    let mut trainer = Trainer::new(layer_sizes, data, config)?;
    while let Some(progress) = trainer.step()? {
        if on_progress(&progress).is_break() {
            return Err(TrainError::Cancelled {
                epoch: progress.epoch,
                batch: progress.batch,
            });
        }
    }
    Ok(trainer.into_model())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MlpError, ModelPreset};

    fn toy_data() -> Dataset {
        // Ten rows, one per class: pixel `class` lit.
        let mut inputs = vec![0.0; 10 * INPUT_FEATURES];
        for class in 0..10 {
            inputs[class * INPUT_FEATURES + class] = 1.0;
        }
        Dataset::new(inputs, (0..10).collect()).expect("valid")
    }

    #[test]
    fn validates_the_configuration() {
        let data = toy_data();
        let good = TrainConfig::for_preset(ModelPreset::Tiny);
        let sizes = ModelPreset::Tiny.layer_sizes();
        let cases = [
            (TrainConfig { epochs: 0, ..good }, TrainError::ZeroEpochs),
            (
                TrainConfig {
                    batch_size: 0,
                    ..good
                },
                TrainError::ZeroBatchSize,
            ),
            (
                TrainConfig {
                    learning_rate: -1.0,
                    ..good
                },
                TrainError::InvalidLearningRate { value: -1.0 },
            ),
        ];
        for (config, expected) in cases {
            assert_eq!(Trainer::new(sizes, &data, &config).unwrap_err(), expected);
        }
        assert_eq!(
            Trainer::new(&[64, 10, 3], &data, &good).unwrap_err(),
            TrainError::Model(MlpError::OutputWidth { got: 3 })
        );
    }

    #[test]
    fn counts_steps_and_learns_a_separable_toy_problem() {
        let data = toy_data();
        let config = TrainConfig {
            seed: 1,
            epochs: 60,
            batch_size: 4,
            learning_rate: 0.01,
        };
        let mut trainer = Trainer::new(&[64, 16, 10], &data, &config).expect("valid");
        assert_eq!(trainer.batches_per_epoch(), 3);
        let mut last = None;
        while let Some(progress) = trainer.step().expect("no divergence") {
            last = Some(progress);
        }
        let last = last.expect("at least one step");
        assert_eq!((last.epoch, last.batch, last.steps_done), (60, 3, 180));
        assert_eq!(last.train_accuracy, 1.0);
        assert!(last.loss < 0.05, "loss {}", last.loss);
        assert!(trainer.is_finished());
        assert_eq!(trainer.step(), Ok(None));
    }

    #[test]
    fn cancelling_stops_after_the_current_batch() {
        let data = toy_data();
        let config = TrainConfig::for_preset(ModelPreset::Tiny);
        let mut calls = 0;
        let result = train(ModelPreset::Tiny.layer_sizes(), &data, &config, |p| {
            calls += 1;
            if p.steps_done == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(result, Err(TrainError::Cancelled { epoch: 2, batch: 1 }));
        assert_eq!(calls, 2);
    }
}
