//! Snapshot tests of the Markdown report (everything before the embedded JSON) for the
//! committed fixture results and for a session cancelled during training. A change to the
//! report's wording or numbers shows up as a snapshot diff (`cargo insta review`).

use std::time::Duration;

use inferbench::bench::{BenchSession, BenchStep};

use inferbench::loadgen::clock::{Clock, ManualClock, TimerResolution};
use inferbench::loadgen::settings::Scenario;
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::report::render_markdown;
use inferbench::results::{BenchResult, Environment, Runtime};

use super::report_support::{fixture, report_body};

fn snapshot(name: &str, result: &BenchResult) {
    let report = render_markdown(result);
    insta::assert_snapshot!(name, report_body(&report));
}

#[test]
fn three_variants_all_scenarios() {
    snapshot("three_variants", &fixture("three-variants.json"));
}

#[test]
fn one_variant_with_a_peak_search() {
    snapshot("peak_search", &fixture("peak-search.json"));
}

#[test]
fn coarse_timer() {
    snapshot("coarse_timer", &fixture("coarse-timer.json"));
}

#[test]
fn cancelled_mid_run() {
    snapshot("cancelled", &fixture("cancelled.json"));
}

/// A session cancelled before training finished: no variant has any result.
pub fn cancelled_during_training() -> BenchResult {
    let plan = BenchPlan::from_preset(
        PlanPreset::Quick,
        "cancelled early",
        vec![Variant::F32Naive, Variant::Int8],
        &[Scenario::SingleStream, Scenario::Server],
    )
    .with_model(ModelPreset::Tiny);
    let clock = ManualClock::new();
    let mut session = BenchSession::new(plan).expect("a valid plan");
    for _ in 0..3 {
        match session.step(&clock, Duration::ZERO).expect("no failure") {
            BenchStep::Progress(_) => clock.advance(Duration::from_millis(1)),
            BenchStep::WaitUntil(t) => clock.set(t.max(clock.now())),
            BenchStep::Finished => break,
        }
    }
    session.cancel();
    // An environment written out (not read from this machine), so the snapshot is the same
    // everywhere.
    let environment = Environment {
        runtime: Runtime::Native,
        user_agent: None,
        os_arch: Some("linux x86_64".into()),
        logical_cores: Some(4),
        device_memory_gib: None,
        timer: Some(TimerResolution {
            resolution_ms: Some(1e-6),
            reads: 1000,
            distinct_values: 1000,
        }),
        clock_check: None,
        cross_origin_isolated: None,
        simd: true,
        kernels: Some(inferbench::model::kernels::KernelPath::WasmSimd128),
        wasm_memory_bytes: None,
        visibility_changes: 0,
    };
    session.finish(environment, None)
}

#[test]
fn cancelled_during_training_renders() {
    snapshot("cancelled_during_training", &cancelled_during_training());
}
