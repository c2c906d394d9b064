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
use crate::bench::ab::{AbMeasure, AbResult, Arm};
use crate::loadgen::settings::Scenario;

/// `result` (read from a file of its `schema_version`) as a result of [`SCHEMA_VERSION`].
pub fn upgrade(mut result: BenchResult) -> BenchResult {
    if result.schema_version >= SCHEMA_VERSION {
        return result;
    }
    for v in &mut result.variants {
        v.runs = std::mem::take(&mut v.runs)
            .into_iter()
            .map(|r| match r.run.scenario {
                Scenario::Offline => ScenarioRun::new(r.run),
                _ => r,
            })
            .collect();
    }
    if let Some(ab) = result.ab_test.take() {
        result.ab_test = Some(if AbMeasure::of(ab.settings.scenario) == ab.measure {
            ab
        } else {
            // The stored arms are the measured queries' (the warm-up's are not kept): put
            // back as many warm-up arms as `AbResult::new` skips.
            let warmup = ab.run.warmup.query_count as usize;
            let arms: Vec<Arm> = std::iter::repeat_n(Arm::A, warmup)
                .chain(ab.arms.iter().copied())
                .collect();
            AbResult::new(ab.settings, ab.run, &arms)
        });
    }
    result.schema_version = SCHEMA_VERSION;
    result
}
