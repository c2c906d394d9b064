//! The system under test: the digits data set and a plain-Rust multilayer perceptron.
//!
//! The pieces, in the order an app uses them:
//!
//! 1. [`dataset`]: the embedded handwritten-digits data ([`dataset::embedded_digits`]),
//!    parsed into a [`Dataset`] with pixels scaled to `0..=1`;
//! 2. [`split`]: a seeded, stratified train/test split ([`split::split_dataset`]);
//! 3. [`preset`] and [`mlp`]: the model sizes ([`ModelPreset`]) and the network ([`Mlp`]);
//! 4. [`train`]: seeded mini-batch Adam, step by step ([`Trainer`]) or in one call
//!    ([`train::train`]) with a progress callback that can cancel;
//! 5. [`classifier`]: the [`Classifier`] interface and the [`Variant`] names; [`variant`]: the
//!    four inference variants (`f32-naive`, `f32-fast`, `int8`, `pruned`), built from the
//!    model with [`variant::build`], and their measured [`variant::accuracy`];
//! 6. [`import`]: instead of training, a model read from a `.safetensors` file (PyTorch,
//!    NumPy), of any input width and class count ([`IoShape`]), and [`synthetic`]: the
//!    seeded inputs a model that does not take the digits is benchmarked on.
//!
//! Everything here is deterministic for given seeds, never reads a clock, never allocates in
//! an inference call, and compiles for `wasm32-unknown-unknown`.

pub mod classifier;
pub mod dataset;
pub mod fast;
use inferbench_kernels::gemm;
pub mod import;
pub mod int8;
pub mod kernels;
pub mod mlp;
pub mod naive;
mod packed;
pub mod preset;
pub mod pruned;
mod rng;
pub mod split;
pub mod synthetic;
pub mod train;
pub mod variant;

pub use classifier::{Classifier, Variant};
pub use dataset::{Dataset, DatasetError};
pub use mlp::{DenseLayer, IoShape, Mlp, MlpError, MAX_CLASSES};
pub use preset::{ModelDescription, ModelPreset};
pub use split::{DataSplit, SplitError};
pub use train::{TrainConfig, TrainError, TrainProgress, Trainer};
pub use variant::VariantOptions;

/// Inputs per sample: the 8x8 pixels of one digit image.
pub const INPUT_FEATURES: usize = 64;

/// Output classes: the digits 0 to 9.
pub const NUM_CLASSES: usize = 10;

/// Samples that inference variants process together in one block: their scratch buffers hold
/// this many rows, so a call with more samples is processed block by block without allocating.
pub const BLOCK_ROWS: usize = 64;
