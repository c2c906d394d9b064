//! Why a plan cannot run ([`PlanError`]), in a sentence that names the field and what to do.

use std::fmt;

use crate::loadgen::error::SettingsError;
use crate::loadgen::settings::Scenario;
use crate::model::train::TrainError;
use crate::model::Variant;

use super::limits::{MAX_ASSUMED_POWER_WATTS, MAX_LABEL_CHARS, MAX_OFFLINE_WORKERS};

/// Why a plan cannot run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlanError {
    /// The machine label is empty.
    EmptyLabel,
    /// The machine label is longer than [`MAX_LABEL_CHARS`].
    LabelTooLong {
        /// Its length.
        chars: usize,
    },
    /// The machine label holds control characters (line breaks, tabs...).
    LabelControlCharacters,
    /// No variant selected.
    NoVariants,
    /// A variant is listed twice.
    DuplicateVariant(Variant),
    /// Neither a scenario nor accuracy mode selected.
    NothingToRun,
    /// A scenario is listed twice.
    DuplicateScenario(Scenario),
    /// A scenario's settings are invalid.
    Scenario {
        /// The scenario.
        scenario: Scenario,
        /// What is wrong with its settings.
        error: SettingsError,
    },
    /// A peak-QPS search needs the Server scenario.
    PeakSearchWithoutServer,
    /// The training configuration is invalid.
    Training(TrainError),
    /// `train.seed` differs from `seeds.model_init`.
    SeedMismatch,
    /// The A/B run compares a variant with itself.
    AbSameVariant(Variant),
    /// The A/B run was asked for Offline, whose batches are not queries.
    AbOffline,
    /// The A/B run's scenario is not among the planned scenarios (its settings come from
    /// there).
    AbScenarioNotPlanned(Scenario),
    /// The A/B traffic share is not strictly between 0 and 1.
    AbShare {
        /// The share given.
        value: f64,
    },
    /// The assumed power draw is not in `(0, MAX_ASSUMED_POWER_WATTS]` watts.
    AssumedPower {
        /// The figure given.
        watts: f64,
    },
    /// The synthetic system under test is out of its limits.
    SyntheticSut(String),
    /// A synthetic system under test replaces the model, so it runs alone: one variant slot,
    /// no accuracy mode, no A/B run.
    SyntheticSutAlone,
    /// Both a synthetic system under test and an imported model: each replaces the model,
    /// so only one can be benchmarked.
    SyntheticSutWithModelFile,
    /// `performance_sample_count_override` asks for more samples than the test split holds.
    PerformanceSampleCount {
        /// The count asked for.
        asked: u64,
        /// Samples in the test split.
        available: usize,
    },
    /// The Offline worker count is not in `1..=MAX_OFFLINE_WORKERS`.
    OfflineWorkers {
        /// The count given.
        workers: u32,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::EmptyLabel => write!(f, "type a label for this machine (e.g. \"Alice's laptop\"): results are compared by it"),
            PlanError::LabelTooLong { chars } => {
                write!(f, "the machine label has {chars} characters: keep it to {MAX_LABEL_CHARS}")
            }
            PlanError::LabelControlCharacters => write!(f, "the machine label must be one line of text"),
            PlanError::NoVariants => write!(f, "select at least one model variant"),
            PlanError::DuplicateVariant(v) => write!(f, "variant {v} is selected twice"),
            PlanError::NothingToRun => write!(f, "select at least one scenario, or accuracy mode"),
            PlanError::DuplicateScenario(s) => write!(f, "scenario {s:?} is listed twice"),
            PlanError::Scenario { scenario, error } => write!(f, "{scenario:?}: {error}"),
            PlanError::PeakSearchWithoutServer => {
                write!(f, "the peak-QPS search runs the Server scenario: select Server too")
            }
            PlanError::Training(e) => write!(f, "training: {e}"),
            PlanError::SeedMismatch => write!(f, "the training seed must equal the model-init seed"),
            PlanError::AbSameVariant(v) => write!(f, "the A/B run needs two different variants, got {v} twice"),
            PlanError::AbOffline => write!(
                f,
                "the A/B run interleaves queries: use SingleStream, MultiStream or Server, not Offline"
            ),
            PlanError::AbScenarioNotPlanned(s) => {
                write!(f, "the A/B run uses the {s:?} settings: select the {s:?} scenario too")
            }
            PlanError::AbShare { value } => {
                write!(f, "the A/B share of traffic for B is {value}: use a value strictly between 0 and 1, e.g. 0.5")
            }
            PlanError::SyntheticSut(e) => write!(f, "system under test: {e}"),
            PlanError::SyntheticSutAlone => write!(
                f,
                "a synthetic system under test replaces the model: it runs with one variant \
                 slot, without accuracy mode and without an A/B run"
            ),
            PlanError::SyntheticSutWithModelFile => write!(
                f,
                "a synthetic system under test and an imported model file both replace the \
                 trained model: benchmark one at a time (remove the system under test or the \
                 model file)"
            ),
            PlanError::PerformanceSampleCount { asked, available } => write!(
                f,
                "performance_sample_count_override is {asked}, but the test split holds \
                 {available} samples: use at most {available}, or 0 for all of them"
            ),
            PlanError::AssumedPower { watts } => write!(
                f,
                "the assumed power draw is {watts} W: use a figure above 0 and at most \
                 {MAX_ASSUMED_POWER_WATTS} W (a laptop draws about 15-60 W, a desktop 50-300 W), \
                 or none"
            ),
            PlanError::OfflineWorkers { workers } => write!(
                f,
                "{workers} Offline workers: use 1 to {MAX_OFFLINE_WORKERS} (one per logical core \
                 serves the query fastest), or leave it to InferBench"
            ),
        }
    }
}

impl std::error::Error for PlanError {}
