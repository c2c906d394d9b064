//! Shared by the browser tests (`tests/web.rs`, `tests/worker.rs`): short plans and settings
//! that finish in about a second, and a [`Control`] that records what the driver reports.
#![allow(dead_code)]

use inferbench::bench::{BenchProgress, BenchSession};

use inferbench::loadgen::settings::{Scenario, ScenarioSettings, ServerSettings, TestSettings};
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::web::drive::Control;

/// Settings of `scenario` that finish in about a second with the large model, and
/// that a working browser meets (VALID): short minimum durations, the p90 everywhere (its
/// early-stopping estimate needs 64 queries, the p99's 662), a generous Server bound.
pub fn short_settings(scenario: Scenario) -> TestSettings {
    let mut s = TestSettings::quick(scenario);
    s.min_duration_ms = 250;
    s.max_duration_ms = 20_000;
    s.warmup_query_count = 5;
    s.target_percentile = 0.9;
    s.min_query_count = 100;
    match &mut s.scenario {
        ScenarioSettings::Server(v) => {
            *v = ServerSettings {
                target_qps: 400.0,
                // Far above a query's ~0.6 ms: only a broken driver would miss it.
                latency_bound_ms: 50.0,
            }
        }
        ScenarioSettings::Offline(o) => {
            // Sizes a query of 5,500 samples when used alone; a plan measures each variant's
            // throughput instead (`calibrate_offline`).
            o.expected_qps = 20_000.0;
            s.min_query_count = 256;
        }
        _ => {}
    }
    s
}

/// A plan of `scenarios` with [`short_settings`] (Offline sized by the calibration), the
/// large model trained for one epoch (a query lasts hundreds of microseconds, far over the
/// 20 timer ticks of 5 us a VALID run needs, even on a machine several times faster than
/// this one), for `variants`.
pub fn short_plan(label: &str, variants: Vec<Variant>, scenarios: &[Scenario]) -> BenchPlan {
    let mut plan = BenchPlan::from_preset(PlanPreset::Custom, label, variants, scenarios)
        .with_model(ModelPreset::Large);
    plan.train.epochs = 1;
    plan.scenarios = scenarios
        .iter()
        .map(|&s| TestSettings {
            seeds: plan.seeds,
            ..short_settings(s)
        })
        .collect();
    plan.calibrate_offline = true;
    plan
}

/// A [`Control`] that records progress and cancels once it has seen `cancel_after` reports
/// from the measured part of a run of `cancel_in` (if set).
#[derive(Default)]
pub struct RecordingControl {
    pub reports: Vec<BenchProgress>,
    pub cancel_in: Option<Scenario>,
    pub cancel_after: usize,
    pub cancelled: bool,
}

impl Control for RecordingControl {
    fn poll(&mut self, session: &mut BenchSession) -> bool {
        if !self.cancelled {
            if let Some(scenario) = self.cancel_in {
                // Reports of the measured part (warm-up queries are not recorded).
                let seen = self
                    .reports
                    .iter()
                    .filter(|p| {
                        p.run.as_ref().is_some_and(|r| {
                            r.scenario == scenario
                                && r.phase == inferbench::loadgen::runner::Phase::Measure
                                && r.done > 0
                        })
                    })
                    .count();
                if seen >= self.cancel_after {
                    session.cancel();
                    self.cancelled = true;
                }
            }
        }
        self.cancelled
    }

    fn progress(&mut self, progress: BenchProgress) {
        self.reports.push(progress);
    }
}
