//! The energy estimate: an assumed power draw times the measured time per sample.
//!
//! A web page cannot read a power meter, so InferBench never measures energy. When the user
//! types the power their machine draws under load ([`crate::plan::BenchPlan`]'s
//! `assumed_power_watts`), each variant gets `energy per sample = assumed watts x seconds per
//! sample`, labelled everywhere as an estimate. The time per sample is the Offline run's
//! (LoadGen's samples per second, the machine at full load), or else the SingleStream run's
//! mean latency (one sample per query). The estimate is only as good as the power figure:
//! it ranks variants run on one machine (same watts), and says nothing that the timing does
//! not already say when the figure is the same for all.

use crate::format::sig;
use crate::loadgen::{Scenario, ScenarioMetric};
use crate::model::Variant;

use super::BenchResult;

/// Which measurement a variant's time per sample comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyBasis {
    /// The Offline run: 1 / LoadGen's samples per second.
    OfflineThroughput,
    /// The SingleStream run: its mean query latency (one sample per query).
    SingleStreamMean,
}

impl EnergyBasis {
    /// The basis in words, for tables: "Offline throughput", "SingleStream mean latency".
    pub fn describe(self) -> &'static str {
        match self {
            EnergyBasis::OfflineThroughput => "Offline throughput",
            EnergyBasis::SingleStreamMean => "SingleStream mean latency",
        }
    }
}

/// One variant's energy estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnergyEstimate {
    /// The variant.
    pub variant: Variant,
    /// Where its time per sample comes from.
    pub basis: EnergyBasis,
    /// Measured seconds per sample.
    pub seconds_per_sample: f64,
    /// Estimated joules per sample: the assumed watts times `seconds_per_sample`.
    pub joules_per_sample: f64,
}

/// The estimates of every variant with an Offline or SingleStream measurement, in the
/// result's order; empty when the plan assumes no power draw.
pub fn energy_estimates(result: &BenchResult) -> Vec<EnergyEstimate> {
    let Some(watts) = result.plan.assumed_power_watts else {
        return Vec::new();
    };
    result
        .variants
        .iter()
        .filter_map(|v| {
            let offline = v.run(Scenario::Offline).and_then(|r| match r.run.metric {
                Some(ScenarioMetric::Offline(m)) => m
                    .samples_per_second
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .map(|rate| (EnergyBasis::OfflineThroughput, 1.0 / rate)),
                _ => None,
            });
            let single = || {
                v.run(Scenario::SingleStream)
                    .and_then(|r| r.run.latency)
                    .map(|l| l.mean_ms / 1e3)
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(|s| (EnergyBasis::SingleStreamMean, s))
            };
            offline
                .or_else(single)
                .map(|(basis, seconds)| EnergyEstimate {
                    variant: v.variant,
                    basis,
                    seconds_per_sample: seconds,
                    joules_per_sample: watts * seconds,
                })
        })
        .collect()
}

/// The estimate's explanation for `watts` assumed, shared by the page and
/// the report.
pub fn energy_method(watts: f64) -> String {
    format!(
        "An estimate, not a measurement: InferBench does not read the machine's power (a web \
         page cannot), so each variant's measured time per sample (from its Offline \
         throughput, or else its SingleStream mean latency) is multiplied by the {} W the user \
         typed as the machine's power draw. It is only as right as that figure; with one \
         figure for every variant it ranks them exactly as their times do.",
        sig(watts, 3)
    )
}
