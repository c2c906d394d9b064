//! The line next to Run when the plan is valid: its tasks (the session's own task list) and
//! the least time they take.

use crate::loadgen::settings::{ScenarioSettings, TestSettings};
use crate::plan::tasks::{task_list, TaskKind};
use crate::plan::BenchPlan;

/// What `plan` will do, in one sentence that starts with the tasks and the least time its
/// scenarios take ("11 tasks, at least 17 s plus training: ...").
pub fn plan_summary(plan: &BenchPlan) -> String {
    let least_ms = |s: &TestSettings| {
        let min = s.min_duration_ms as f64;
        match s.scenario {
            ScenarioSettings::Server(v) => min.max(s.min_query_count as f64 / v.target_qps * 1e3),
            ScenarioSettings::Offline(_) => {
                1.1 * min
                    + if plan.calibrate_offline {
                        crate::plan::limits::OFFLINE_CALIBRATION_MS as f64
                    } else {
                        0.0
                    }
            }
            _ => min,
        }
    };
    let per_variant_ms: f64 = plan.scenarios.iter().map(least_ms).sum();
    let ab_ms: f64 = plan.ab_test.map_or(0.0, |ab| {
        plan.scenarios
            .iter()
            .find(|s| s.scenario() == ab.scenario)
            .map_or(0.0, least_ms)
    });
    let total_s = (per_variant_ms * plan.variants.len() as f64 + ab_ms) / 1e3;
    let synthetic = plan.synthetic_sut;
    // The session's own task list, with the clock check the worker always makes.
    let planned = task_list(plan, true);
    let tasks = planned.len();
    let trains = planned.contains(&TaskKind::Training);
    let accuracy = planned
        .iter()
        .any(|t| matches!(t, TaskKind::Accuracy { .. }));
    let time = if total_s < 120.0 {
        format!("{total_s:.0} s")
    } else {
        format!("{:.0} min", total_s / 60.0)
    };
    let ab = plan.ab_test.map_or_else(String::new, |ab| {
        format!(
            ", then an A/B run of {} against {} ({})",
            ab.b, ab.a, ab.scenario
        )
    });
    if let Some(sut) = synthetic {
        return format!(
            "{tasks} task{}, at least {time}{}: {} scenario{} on the synthetic system {sut} \
             (no model, no training, no accuracy mode).",
            if tasks == 1 { "" } else { "s" },
            if plan.peak_search.is_some() {
                " before the peak search"
            } else {
                ""
            },
            plan.scenarios.len(),
            if plan.scenarios.len() == 1 { "" } else { "s" },
        );
    }
    format!(
        "{tasks} tasks, at least {time}{} plus {}a clock check: for each of {} variant{}, {}{} \
         scenario{}{ab}.",
        if plan.peak_search.is_some() {
            " before the peak search"
        } else {
            ""
        },
        if trains { "training and " } else { "" },
        plan.variants.len(),
        if plan.variants.len() == 1 { "" } else { "s" },
        if accuracy { "accuracy mode and " } else { "" },
        plan.scenarios.len(),
        if plan.scenarios.len() == 1 { "" } else { "s" },
    )
}
