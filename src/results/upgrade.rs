//! Reading a result of an older schema version as the current one.
//!
//! Version 1 holds the same fields as version 2 (only the query columns' encoding differs,
//! which the reader handles), but two stored analyses were defined differently:
//!
//! - an Offline run's `summary` was of every batch's service time, the partial last batch
//!   included; version 2 summarises the full batches only
//!   ([`analysis_sample_ms`](super::analysis_sample_ms));
//! - a Server A/B run's `comparison` was of the arms' latencies; version 2 compares their
//!   service times ([`AbMeasure::ServiceTime`]).
//!
//! [`upgrade`] recomputes exactly those from the recorded queries, and nothing else, so a
//! version 1 result reads as a consistent version 2 one.

use super::{BenchResult, ScenarioRun, SCHEMA_VERSION};
use crate::loadgen::settings::Scenario;
use crate::plan::ab::{AbMeasure, AbResult};

/// `result` (read from a file of its `schema_version`) as a result of [`SCHEMA_VERSION`].
pub fn upgrade(mut result: BenchResult) -> BenchResult {
    if result.schema_version >= SCHEMA_VERSION {
        return result;
    }
    for v in &mut result.variants {
        v.runs = std::mem::take(&mut v.runs)
            .into_iter()
            .map(|r| match r.run.scenario {
                Scenario::Offline => ScenarioRun::new(r.run).with_cross_check(r.cross_check),
                _ => r,
            })
            .collect();
    }
    if let Some(ab) = result.ab_test.take() {
        result.ab_test = Some(if AbMeasure::of(ab.settings.scenario) == ab.measure {
            ab
        } else {
            AbResult::analyse(ab.settings, ab.run, ab.arms)
        });
    }
    result.schema_version = SCHEMA_VERSION;
    result
}
