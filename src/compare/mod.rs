//! Comparing results: several machines on the same workload, a run against a saved
//! baseline (regression check), and the files they come from.
//!
//! - [`import`]: loading result files and reports, each checked on its own;
//! - [`fingerprint`]: the workload of a run, and what differs between two;
//! - [`machines`]: every machine against a baseline machine;
//! - [`regression`]: REGRESSION / IMPROVEMENT / NO CHANGE against a saved baseline;
//! - [`markdown`]: the comparison report.

pub mod fingerprint;
pub mod import;
pub mod machines;
pub mod markdown;
pub mod regression;

pub use fingerprint::{Difference, Severity, Workload};
pub use import::{ImportError, ImportSet, ImportedFile};
pub use machines::{GroupProgress, MachineComparison, RowStatus};
pub use markdown::render_comparison;
pub use regression::{regression_check, RegressionOutcome, RegressionRow, RegressionVerdict};
