//! The Results section's energy estimate: the user's assumed power draw times each
//! variant's measured time per sample (see [`crate::results::energy`]), never shown as a
//! measurement.

use serde::{Deserialize, Serialize};

use crate::format::{energy_j, fine_duration_ms};
use crate::results::energy::{energy_estimates, energy_method};
use crate::results::BenchResult;

/// One variant's line of the estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyRow {
    /// The variant's name.
    pub variant: String,
    /// Where its time per sample comes from, e.g. "Offline throughput".
    pub basis: String,
    /// The measured time per sample, e.g. "21.3 µs".
    pub time_per_sample: String,
    /// The estimated energy per sample, e.g. "639 µJ".
    pub energy_per_sample: String,
}

/// The estimate, when the plan assumed a power draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyView {
    /// What the figures are, with the assumed watts: an estimate, not a measurement.
    pub method: String,
    /// One row per variant with a time per sample.
    pub rows: Vec<EnergyRow>,
}

/// The energy estimate of `result`, or `None` when its plan assumed no power draw.
pub fn energy_view(result: &BenchResult) -> Option<EnergyView> {
    let watts = result.plan.assumed_power_watts?;
    Some(EnergyView {
        method: energy_method(watts),
        rows: energy_estimates(result)
            .into_iter()
            .map(|e| EnergyRow {
                variant: e.variant.to_string(),
                basis: e.basis.describe().to_string(),
                time_per_sample: fine_duration_ms(e.seconds_per_sample * 1e3),
                energy_per_sample: energy_j(e.joules_per_sample),
            })
            .collect(),
    })
}
