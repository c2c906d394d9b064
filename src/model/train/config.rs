//! How to train ([`TrainConfig`], per preset), where training stands ([`TrainProgress`]) and
//! why it stopped ([`TrainError`]): the training's plain data.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::mlp::MlpError;
use crate::model::preset::ModelPreset;

/// The training seed InferBench uses unless told otherwise.
pub const DEFAULT_TRAIN_SEED: u64 = 7;

/// How to train: seed, epochs, batch size, learning rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Seeds the weight initialisation and the order of samples in each epoch.
    pub seed: u64,
    /// Passes over the training rows (at least 1).
    pub epochs: usize,
    /// Rows per mini-batch (at least 1).
    pub batch_size: usize,
    /// Adam's step size (finite, positive).
    pub learning_rate: f32,
}

impl TrainConfig {
    /// The configuration InferBench uses for `preset`, with [`DEFAULT_TRAIN_SEED`]: batches
    /// of 32 and Adam at 0.001 for every preset, with 40 epochs for `tiny`, 10 for `default`
    /// and 8 for `large` (the test accuracy of `default` and `large` no longer improves after
    /// that; `tiny` needs more passes).
    pub fn for_preset(preset: ModelPreset) -> Self {
        let epochs = match preset {
            ModelPreset::Tiny => 40,
            ModelPreset::Default => 10,
            ModelPreset::Large => 8,
        };
        Self {
            seed: DEFAULT_TRAIN_SEED,
            epochs,
            batch_size: 32,
            learning_rate: 1e-3,
        }
    }

    /// Checks the values.
    ///
    /// # Errors
    ///
    /// [`TrainError::ZeroEpochs`], [`TrainError::ZeroBatchSize`] or
    /// [`TrainError::InvalidLearningRate`].
    pub fn validate(&self) -> Result<(), TrainError> {
        if self.epochs == 0 {
            return Err(TrainError::ZeroEpochs);
        }
        if self.batch_size == 0 {
            return Err(TrainError::ZeroBatchSize);
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(TrainError::InvalidLearningRate {
                value: self.learning_rate,
            });
        }
        Ok(())
    }
}

/// Where training stands after a step (sent to the page as progress).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainProgress {
    /// Current epoch, 1-based.
    pub epoch: usize,
    /// Epochs in total.
    pub epochs: usize,
    /// Batch just done within the epoch, 1-based.
    pub batch: usize,
    /// Batches per epoch.
    pub batches_per_epoch: usize,
    /// Steps (batches) done since the start.
    pub steps_done: usize,
    /// Steps in total: `epochs * batches_per_epoch`.
    pub total_steps: usize,
    /// Mean cross-entropy loss over the rows seen so far in this epoch.
    pub loss: f64,
    /// Top-1 accuracy over the rows seen so far in this epoch (predictions made before each
    /// batch's update), in `0..=1`.
    pub train_accuracy: f64,
}

/// Why training could not start or finish.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TrainError {
    /// `epochs` is zero.
    ZeroEpochs,
    /// `batch_size` is zero.
    ZeroBatchSize,
    /// The learning rate is not a finite positive number.
    InvalidLearningRate {
        /// The value given.
        value: f32,
    },
    /// The layer sizes do not make a valid network.
    Model(MlpError),
    /// The loss became NaN or infinite.
    Diverged {
        /// 1-based epoch.
        epoch: usize,
        /// 1-based batch within the epoch.
        batch: usize,
    },
    /// The progress callback asked to stop.
    Cancelled {
        /// 1-based epoch of the last batch done.
        epoch: usize,
        /// 1-based batch of the last batch done.
        batch: usize,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroEpochs => write!(f, "epochs is 0: train for at least one epoch"),
            Self::ZeroBatchSize => write!(f, "batch size is 0: use at least one row per batch"),
            Self::InvalidLearningRate { value } => write!(
                f,
                "learning rate {value} is invalid: give a finite positive number (e.g. 0.001)"
            ),
            Self::Model(err) => write!(f, "invalid network: {err}"),
            Self::Diverged { epoch, batch } => write!(
                f,
                "training diverged (loss not finite) at epoch {epoch}, batch {batch}: lower \
                 the learning rate"
            ),
            Self::Cancelled { epoch, batch } => {
                write!(
                    f,
                    "training was cancelled after epoch {epoch}, batch {batch}"
                )
            }
        }
    }
}

impl std::error::Error for TrainError {}
