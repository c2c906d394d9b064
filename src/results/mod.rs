//! The result file: everything a benchmark run produced, as a versioned, documented schema
//! (`docs/result-schema.md`) that round-trips through JSON.
//!
//! A result holds the plan as run (settings and seeds), the environment it ran in, the
//! trained model, and per variant its accuracy run and its scenario runs with **every
//! recorded latency** ([`crate::loadgen::result::RunResult`]). Summaries, metrics, validity
//! and the A/B comparison are stored too, as a convenience for other readers of the JSON;
//! InferBench never believes them: every reader rebuilds them from the raw part
//! ([`derive`](mod@derive)) and names the stored values that disagree ([`consistency`]), after refusing
//! texts no result could be ([`limits`]).

pub mod consistency;
pub mod derive;
pub mod energy;
pub mod environment;
pub mod headline;
pub mod io;
pub mod json;
pub mod limits;
pub mod read_error;
pub mod upgrade;

use serde::{Deserialize, Serialize};

use crate::loadgen::cross_check::CrossCheck;
use crate::loadgen::overhead::OverheadMeasurement;
use crate::loadgen::peak::PeakResult;
use crate::loadgen::result::RunResult;
use crate::loadgen::settings::{Scenario, ScenarioSettings};
use crate::model::synthetic::PerformanceSamples;
use crate::model::{ModelDescription, ModelPreset, TrainConfig, Variant};
use crate::plan::ab::AbResult;
use crate::plan::BenchPlan;
use crate::stats::Summary;

pub use crate::loadgen::settings::{MAX_QUERY_COUNT, MAX_RESULT_QUERIES};
pub use environment::{Environment, Runtime};
pub use headline::{headline, Headline, HeadlineKind};

/// The schema's name, the `schema` field of every result file.
pub const SCHEMA_NAME: &str = "inferbench-result";

/// The schema's version, the `schema_version` field, written by this InferBench: 2 (query
/// columns packed as base64 varints, see [`crate::loadgen::columnar`]). Readers also read
/// version 1 (the same fields, query columns as arrays of decimal integers) and reject other
/// versions with a message that says which versions they read and which they got.
pub const SCHEMA_VERSION: u32 = 2;

/// A benchmark run: what `inferbench run` and the page write, and what they read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// Always [`SCHEMA_NAME`].
    pub schema: String,
    /// The version of the file it was read from; a result is always *written* as
    /// [`SCHEMA_VERSION`], whatever version it was read from (its query columns are written
    /// in that version's encoding).
    #[serde(serialize_with = "current_version")]
    pub schema_version: u32,
    /// The InferBench version that ran the benchmark.
    pub app_version: String,
    /// The label the user gave the machine, e.g. "Alice's laptop".
    pub machine_label: String,
    /// When the run ended, as an RFC 3339 UTC timestamp (e.g. `2026-11-23T14:05:09Z`), as
    /// the driver read it; `None` if unknown.
    pub created_utc: Option<String>,
    /// Where it ran.
    pub environment: Environment,
    /// What was asked: model, variants, scenarios, settings and seeds.
    pub plan: BenchPlan,
    /// The trained model.
    pub model: ModelSummary,
    /// One entry per variant that was run, in the plan's order (the baseline first).
    pub variants: Vec<VariantResult>,
    /// The A/B run, when the plan asked for one.
    #[serde(default)]
    pub ab_test: Option<AbResult>,
    /// The load generator's own cost per query on this machine, measured by the driver with
    /// the null system before the run ([`crate::loadgen::overhead`]); `None` in results that
    /// did not measure it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loadgen_overhead: Option<OverheadMeasurement>,
    /// Whether every planned task ran.
    pub status: RunStatus,
}

/// Writes [`SCHEMA_VERSION`]: the encoding every field is written in.
fn current_version<S: serde::Serializer>(_: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(SCHEMA_VERSION)
}

impl BenchResult {
    /// Queries (Offline: batches) recorded in every run of the result: accuracy runs,
    /// scenario runs and the A/B run (at most [`MAX_RESULT_QUERIES`] in a result InferBench
    /// writes).
    pub fn query_count(&self) -> u64 {
        queries_recorded(&self.variants, self.ab_test.as_ref())
    }
}

/// Queries (Offline: batches) recorded in `variants`' runs and the A/B run.
pub fn queries_recorded(variants: &[VariantResult], ab: Option<&AbResult>) -> u64 {
    let in_variants: usize = variants
        .iter()
        .map(|v| {
            v.accuracy.as_ref().map_or(0, |a| a.queries.len())
                + v.runs.iter().map(|r| r.run.queries.len()).sum::<usize>()
        })
        .sum();
    (in_variants + ab.map_or(0, |ab| ab.run.queries.len())) as u64
}

/// Whether a run completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every planned task ran to its end.
    Completed,
    /// The user cancelled; what was measured is kept, the interrupted run is INVALID
    /// (cancelled) and later tasks did not run.
    Cancelled,
}

/// The model that was benchmarked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// The preset (the plan's; not what ran when `plan.model_file` is set).
    pub preset: ModelPreset,
    /// Layer sizes, parameters, bytes and FLOPs per sample.
    pub description: ModelDescription,
    /// How it was trained (nothing was when `plan.model_file` is set: no steps).
    pub training: TrainingSummary,
    /// [`crate::model::Mlp::fingerprint`] of the weights benchmarked; `None` in files
    /// written before it was recorded, or when the run stopped before the model existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// What the queries' samples were: the digits test split, or synthetic inputs for a
    /// model that does not take the digits (then no accuracy is measured).
    #[serde(default)]
    pub samples: PerformanceSamples,
}

/// How the model was trained, and how well.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Seed, epochs, batch size, learning rate.
    pub config: TrainConfig,
    /// Rows of the training split.
    pub train_samples: usize,
    /// Rows of the test split (the performance sample set).
    pub test_samples: usize,
    /// Mini-batch steps done (fewer than planned if cancelled).
    pub steps_done: usize,
    /// Steps planned.
    pub total_steps: usize,
    /// Mean cross-entropy of the last epoch.
    pub final_loss: Option<f64>,
    /// Top-1 accuracy on the training rows during the last epoch, in `0..=1`.
    pub final_train_accuracy: Option<f64>,
    /// Wall-clock time of training, in ms, as measured by the run's clock.
    pub duration_ms: f64,
}

/// One variant's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    /// The variant.
    pub variant: Variant,
    /// Bytes of the model as this variant stores it.
    pub size_bytes: u64,
    /// The accuracy-mode run (every test sample once), when the plan asked for it.
    pub accuracy: Option<RunResult>,
    /// The performance runs, one per planned scenario, in the plan's order.
    pub runs: Vec<ScenarioRun>,
    /// The Server peak-QPS search, when the plan asked for it.
    pub peak: Option<PeakResult>,
}

impl VariantResult {
    /// Top-1 accuracy of the accuracy-mode run, in `0..=1`.
    pub fn top1(&self) -> Option<f64> {
        self.accuracy
            .as_ref()
            .and_then(|r| r.accuracy)
            .and_then(|a| a.top1)
    }

    /// The run of `scenario`, if it was run.
    pub fn run(&self, scenario: Scenario) -> Option<&ScenarioRun> {
        self.runs.iter().find(|r| r.run.scenario == scenario)
    }
}

/// A performance run with the statistics InferBench derives from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRun {
    /// The load generator's result: settings, every query, metric, validity.
    pub run: RunResult,
    /// Summary (with confidence intervals) of [`analysis_sample_ms`] of the run; `None`
    /// when it has fewer than 2 values.
    pub summary: Option<Summary>,
    /// The batch cross-check made after the run when it was timer-limited; `None`
    /// otherwise, and in files written before it existed.
    #[serde(default)]
    pub cross_check: Option<CrossCheck>,
}

impl ScenarioRun {
    /// Wraps a run with its summary.
    pub fn new(run: RunResult) -> Self {
        let summary = Summary::of(&analysis_sample_ms(&run)).ok();
        Self {
            run,
            summary,
            cross_check: None,
        }
    }

    /// The run with its batch cross-check.
    pub fn with_cross_check(mut self, check: Option<CrossCheck>) -> Self {
        self.cross_check = check;
        self
    }
}

/// The values InferBench's statistics work on for a run, in ms:
/// - SingleStream, MultiStream, Server: each query's latency (Server: from its scheduled
///   arrival, so queueing counts);
/// - Offline: each **full** batch's service time (its start to its completion), because a
///   sample's Offline "latency" is its batch's completion time since t = 0, a ramp that says
///   nothing about variability; divided by the executors that served batches at once (an
///   Offline run on several cores), so that it is the time per batch the whole system
///   delivers and ratios of means are ratios of throughput whatever the core counts
///   compared. A batch holding fewer samples (the last one) is left out (it is shorter work,
///   as the headline rate leaves it out too). Results of schema version 1 stored summaries
///   over every batch.
pub fn analysis_sample_ms(run: &RunResult) -> Vec<f64> {
    match run.settings.scenario {
        ScenarioSettings::Offline(o) => {
            let executors = f64::from(run.executors.max(1));
            run.queries
                .iter()
                .filter(|q| q.samples == o.batch_size)
                .map(|q| (q.completed_ns - q.issued_ns) as f64 / 1e6 / executors)
                .collect()
        }
        _ => run.queries.iter().map(|q| q.latency_ms()).collect(),
    }
}

/// What [`analysis_sample_ms`] measures for `scenario`, for labels: "query latency" or
/// "batch service time".
pub fn analysis_sample_label(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Offline => "batch service time",
        _ => "query latency",
    }
}
