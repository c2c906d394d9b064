//! Why a session could not start or go on ([`BenchError`]).

use std::fmt;

use crate::model::train::TrainError;
use crate::model::{DatasetError, SplitError};
use crate::plan::PlanError;

/// Why a session could not start or go on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BenchError {
    /// The plan is invalid.
    Plan(PlanError),
    /// The embedded data set could not be read (a build problem).
    Data(DatasetError),
    /// The data could not be split.
    Split(SplitError),
    /// Training failed.
    Training(TrainError),
    /// The plan names a model file but no model was given, or the model given is not the
    /// one the plan names.
    ModelFile {
        /// The fingerprint the plan records, if any.
        planned: Option<String>,
        /// The fingerprint of the model given, if any.
        given: Option<String>,
    },
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenchError::Plan(e) => write!(f, "{e}"),
            BenchError::Data(e) => write!(f, "the embedded digits data set is unreadable: {e}"),
            BenchError::Split(e) => write!(f, "the data set could not be split: {e}"),
            BenchError::Training(e) => write!(f, "training failed: {e}"),
            BenchError::ModelFile { planned, given } => match (planned, given) {
                (Some(p), None) => write!(
                    f,
                    "the plan benchmarks an imported model (fingerprint {p}) but its weights \
                     were not given: load the model file again"
                ),
                (None, Some(_)) => write!(
                    f,
                    "a model was given but the plan does not name a model file"
                ),
                (p, g) => write!(
                    f,
                    "the model given (fingerprint {}) is not the one the plan names ({}): load \
                     the model file again",
                    g.as_deref().unwrap_or("none"),
                    p.as_deref().unwrap_or("none")
                ),
            },
        }
    }
}

impl std::error::Error for BenchError {}
