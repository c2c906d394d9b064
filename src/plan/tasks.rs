//! The tasks of a benchmark session, in order ([`task_list`]): what the session runs and what
//! the setup form's plan summary counts, computed in one place.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::BenchPlan;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;

/// One task of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum TaskKind {
    /// Training the model.
    Training,
    /// Checking the clock's dithering, before the scenarios.
    ClockCheck,
    /// Accuracy mode of a variant.
    Accuracy {
        /// The variant.
        variant: Variant,
    },
    /// A performance run of a variant.
    Scenario {
        /// The variant.
        variant: Variant,
        /// The scenario.
        scenario: Scenario,
    },
    /// The Server peak-QPS search of a variant.
    PeakSearch {
        /// The variant.
        variant: Variant,
    },
    /// The A/B run: two variants interleaved query by query.
    AbTest {
        /// Variant A.
        a: Variant,
        /// Variant B.
        b: Variant,
        /// The scenario.
        scenario: Scenario,
    },
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskKind::Training => write!(f, "training the model"),
            TaskKind::ClockCheck => write!(f, "checking the clock"),
            TaskKind::Accuracy { variant } => write!(f, "{variant}: accuracy"),
            TaskKind::Scenario { variant, scenario } => write!(f, "{variant}: {scenario:?}"),
            TaskKind::PeakSearch { variant } => write!(f, "{variant}: Server peak-QPS search"),
            TaskKind::AbTest { a, b, scenario } => write!(f, "A/B {a} vs {b}: {scenario:?}"),
        }
    }
}

/// The tasks a session of `plan` runs, in order: training (unless the plan imports its model
/// or serves a synthetic system), the clock check when `clock_check` (after training, else
/// first), then for each variant accuracy mode (unless skipped or synthetic), each scenario
/// and the peak search, and last the A/B run.
pub fn task_list(plan: &BenchPlan, clock_check: bool) -> Vec<TaskKind> {
    // A synthetic system replaces the model: nothing to train, nothing to classify.
    let synthetic = plan.synthetic_sut.is_some();
    let mut tasks = Vec::new();
    if plan.model_file.is_none() && !synthetic {
        tasks.push(TaskKind::Training);
    }
    if clock_check {
        tasks.push(TaskKind::ClockCheck);
    }
    for &variant in &plan.variants {
        if plan.measures_accuracy() && !synthetic {
            tasks.push(TaskKind::Accuracy { variant });
        }
        for s in &plan.scenarios {
            tasks.push(TaskKind::Scenario {
                variant,
                scenario: s.scenario(),
            });
        }
        if plan.peak_search.is_some() {
            tasks.push(TaskKind::PeakSearch { variant });
        }
    }
    if let Some(ab) = plan.ab_test {
        tasks.push(TaskKind::AbTest {
            a: ab.a,
            b: ab.b,
            scenario: ab.scenario,
        });
    }
    tasks
}
