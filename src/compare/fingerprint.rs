//! The workload of a run ([`Workload`]) and what differs between two ([`workload_differences`]):
//! runs are compared only when they did the same work.
//!
//! The workload is everything that decides the work done per query and the queries asked:
//! app version, model (preset, layer sizes, training configuration, split seed; for an
//! imported model its weight fingerprint instead of the training), variant
//! (and the pruned variant's sparsity), scenario and its parameters (samples per query,
//! batch size, target QPS, latency bound, target percentile), and the seeds. How long a run
//! lasted (minimum duration, query counts, warm-up, Offline's calibrated expected QPS) is
//! the *sample size*, not the workload: such differences are listed as notes but do not
//! prevent a comparison.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::loadgen::settings::{Scenario, ScenarioSettings, Seeds, TestSettings};
use crate::model::{ModelPreset, TrainConfig, Variant, VariantOptions};
use crate::results::BenchResult;

/// What decides the work of one scenario run of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    /// The InferBench version.
    pub app_version: String,
    /// The model preset (trained), or `None` for an imported model.
    pub model: Option<ModelPreset>,
    /// Layer sizes.
    pub layer_sizes: Vec<usize>,
    /// The weights' fingerprint ([`crate::model::Mlp::fingerprint`]), when recorded.
    pub model_fingerprint: Option<String>,
    /// Training configuration (its seed is the model-init seed).
    pub train: TrainConfig,
    /// The train/test split's seed.
    pub split_seed: u64,
    /// The variant.
    pub variant: Variant,
    /// Variant options (the pruned variant's sparsity).
    pub variant_options: VariantOptions,
    /// The scenario.
    pub scenario: Scenario,
    /// The scenario's parameters, with Offline's `expected_qps` zeroed (it only sizes the run).
    pub parameters: ScenarioSettings,
    /// The target percentile.
    pub target_percentile: f64,
    /// The seeds.
    pub seeds: Seeds,
}

impl Workload {
    /// The workload of `variant`'s `scenario` run in `result`, from the run's own settings;
    /// `None` if the result has no such run.
    pub fn of(result: &BenchResult, variant: Variant, scenario: Scenario) -> Option<Workload> {
        let run = result
            .variants
            .iter()
            .find(|v| v.variant == variant)?
            .run(scenario)?;
        Some(Self::from_settings(result, variant, &run.run.settings))
    }

    /// The workload of a run of `variant` with `settings` in `result`.
    pub fn from_settings(
        result: &BenchResult,
        variant: Variant,
        settings: &TestSettings,
    ) -> Workload {
        let mut parameters = settings.scenario;
        if let ScenarioSettings::Offline(o) = &mut parameters {
            o.expected_qps = 0.0;
        }
        Workload {
            app_version: result.app_version.clone(),
            model: result
                .plan
                .model_file
                .is_none()
                .then_some(result.model.preset),
            layer_sizes: result.model.description.layer_sizes.clone(),
            model_fingerprint: result.model.fingerprint.clone(),
            train: result.model.training.config,
            split_seed: result.plan.split_seed,
            variant,
            variant_options: result.plan.variant_options,
            scenario: settings.scenario(),
            parameters,
            target_percentile: settings.target_percentile,
            seeds: settings.seeds,
        }
    }
}

/// Whether a difference prevents a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Different work: the runs are not compared.
    Workload,
    /// Same work, different sample size or methodology: compared, with a note.
    Note,
}

/// One field that differs between two runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// The field, e.g. `model` or `seeds.schedule`.
    pub field: String,
    /// Its value in the first run.
    pub a: String,
    /// Its value in the second run.
    pub b: String,
    /// Whether it blocks the comparison.
    pub severity: Severity,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} vs {}", self.field, self.a, self.b)
    }
}

/// Every difference between the workloads `a` and `b` (severity [`Severity::Workload`]).
pub fn workload_differences(a: &Workload, b: &Workload) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut check = |field: &str, x: String, y: String| {
        if x != y {
            out.push(Difference {
                field: field.to_string(),
                a: x,
                b: y,
                severity: Severity::Workload,
            });
        }
    };
    let model_name = |w: &Workload| {
        w.model
            .map_or_else(|| "imported".to_string(), |m| m.to_string())
    };
    check("app version", a.app_version.clone(), b.app_version.clone());
    check("model", model_name(a), model_name(b));
    check(
        "layer sizes",
        format!("{:?}", a.layer_sizes),
        format!("{:?}", b.layer_sizes),
    );
    // An imported model is the same work only with the same weights; a trained preset's
    // weights follow from its preset, training and seeds, compared below (and older files
    // record no fingerprint).
    let imported = a.model.is_none() || b.model.is_none();
    if imported {
        let fingerprint = |w: &Workload| {
            w.model_fingerprint
                .clone()
                .unwrap_or_else(|| "not recorded".into())
        };
        check(
            "model weights (fingerprint)",
            fingerprint(a),
            fingerprint(b),
        );
    }
    if !imported {
        check(
            "training epochs",
            a.train.epochs.to_string(),
            b.train.epochs.to_string(),
        );
        check(
            "training batch size",
            a.train.batch_size.to_string(),
            b.train.batch_size.to_string(),
        );
        check(
            "learning rate",
            a.train.learning_rate.to_string(),
            b.train.learning_rate.to_string(),
        );
    }
    check(
        "split seed",
        a.split_seed.to_string(),
        b.split_seed.to_string(),
    );
    check("variant", a.variant.to_string(), b.variant.to_string());
    check(
        "variant options",
        format!("{:?}", a.variant_options),
        format!("{:?}", b.variant_options),
    );
    check(
        "scenario",
        format!("{:?}", a.scenario),
        format!("{:?}", b.scenario),
    );
    check(
        "scenario parameters",
        parameters(&a.parameters),
        parameters(&b.parameters),
    );
    check(
        "target percentile",
        a.target_percentile.to_string(),
        b.target_percentile.to_string(),
    );
    check(
        "seeds.sample_index",
        a.seeds.sample_index.to_string(),
        b.seeds.sample_index.to_string(),
    );
    check(
        "seeds.schedule",
        a.seeds.schedule.to_string(),
        b.seeds.schedule.to_string(),
    );
    check(
        "seeds.model_init",
        a.seeds.model_init.to_string(),
        b.seeds.model_init.to_string(),
    );
    out
}

/// The sample-size differences (severity [`Severity::Note`]) between two runs' settings.
pub fn sample_size_differences(a: &TestSettings, b: &TestSettings) -> Vec<Difference> {
    let mut out = Vec::new();
    for (field, x, y) in [
        (
            "minimum duration (ms)",
            a.min_duration_ms,
            b.min_duration_ms,
        ),
        (
            "maximum duration (ms)",
            a.max_duration_ms,
            b.max_duration_ms,
        ),
        ("minimum query count", a.min_query_count, b.min_query_count),
        ("maximum query count", a.max_query_count, b.max_query_count),
        (
            "warm-up queries",
            a.warmup_query_count,
            b.warmup_query_count,
        ),
    ] {
        if x != y {
            out.push(Difference {
                field: field.to_string(),
                a: x.to_string(),
                b: y.to_string(),
                severity: Severity::Note,
            });
        }
    }
    out
}

fn parameters(p: &ScenarioSettings) -> String {
    match p {
        ScenarioSettings::SingleStream => "none".into(),
        ScenarioSettings::MultiStream(m) => format!("{} samples per query", m.samples_per_query),
        ScenarioSettings::Server(s) => {
            format!("{} QPS, bound {} ms", s.target_qps, s.latency_bound_ms)
        }
        ScenarioSettings::Offline(o) => format!("batch size {}", o.batch_size),
    }
}
