//! What a benchmark run is asked to do ([`BenchPlan`]), its presets and its validation.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ab::AbSettings;
use super::error::PlanError;
use super::limits::{MAX_ASSUMED_POWER_WATTS, MAX_LABEL_CHARS, MAX_OFFLINE_WORKERS};
use crate::loadgen::peak::PeakSearchSettings;
use crate::loadgen::settings::{Scenario, Seeds, TestSettings};
use crate::loadgen::synthetic::SyntheticSut;
use crate::loadgen::user_conf::ConfSource;
use crate::model::import::ModelFileInfo;
use crate::model::split::DEFAULT_SPLIT_SEED;
use crate::model::synthetic::{PerformanceSamples, SYNTHETIC_SAMPLES};
use crate::model::{IoShape, ModelPreset, TrainConfig, Variant, VariantOptions};

/// Everything a run needs: model, variants (the first is the baseline), scenarios with
/// their settings, seeds. Stored in every result, so a run can be repeated from its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchPlan {
    /// The label of the machine, typed by the user ("Alice's laptop").
    pub machine_label: String,
    /// Which preset's settings the plan started from (informational).
    pub preset: PlanPreset,
    /// The model's size (the preset trained; unused when `model_file` is set).
    pub model: ModelPreset,
    /// Training: epochs, batch size, learning rate and the weight-initialisation seed
    /// (always equal to `seeds.model_init`; unused when `model_file` is set).
    pub train: TrainConfig,
    /// The imported model, when the run benchmarks a model file instead of training a
    /// preset: the file, its layers and its weight fingerprint. The weights themselves are
    /// not in the plan: the session is given the model ([`crate::bench::BenchSession::with_model`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_file: Option<ModelFileInfo>,
    /// The seed of the stratified 80/20 train/test split.
    pub split_seed: u64,
    /// The variants to measure; the first is the baseline of every comparison.
    pub variants: Vec<Variant>,
    /// Options for building variants (the pruned variant's sparsity).
    pub variant_options: VariantOptions,
    /// Run accuracy mode (every test sample once) for each variant.
    pub accuracy_mode: bool,
    /// The performance runs, one per scenario, each with its settings (their `seeds` are
    /// the plan's).
    pub scenarios: Vec<TestSettings>,
    /// Search for the highest valid Server QPS (after the Server run), when set.
    pub peak_search: Option<PeakSearchSettings>,
    /// Before each Offline run, measure the variant's batch throughput for
    /// [`OFFLINE_CALIBRATION_MS`](super::limits::OFFLINE_CALIBRATION_MS) (after a short warm-up; not recorded) and use it, times
    /// [`OFFLINE_CALIBRATION_MARGIN`](super::limits::OFFLINE_CALIBRATION_MARGIN), as the run's `expected_qps`, so that the single query
    /// holds `1.1 x min duration x expected_qps` samples and meets the minimum duration. This is what an MLPerf submitter does by hand in `user.conf`
    /// (`offline_expected_qps`); the run's settings in the result hold the value used.
    #[serde(default)]
    pub calibrate_offline: bool,
    /// An A/B run after the variants' runs: two variants interleaved query by query
    /// (see [`super::ab`]), when set.
    #[serde(default)]
    pub ab_test: Option<AbSettings>,
    /// The power the machine is assumed to draw while it runs the benchmark, in watts, typed
    /// by the user for an energy estimate (time per sample x this figure). Never measured: a
    /// web page has no power reading. `None`: no estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_power_watts: Option<f64>,
    /// Executors that serve an Offline run at once, each with its own copy of the variant
    /// (threads natively, Web Workers in a browser): `None` for one per logical core, the
    /// default. Other scenarios always run on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_workers: Option<u32>,
    /// One seed per dimension, as LoadGen has: sample order, arrival schedule, model
    /// initialisation.
    pub seeds: Seeds,
    /// A synthetic system under test that replaces the model (no training, no accuracy mode,
    /// one variant slot): see [`crate::loadgen::synthetic`]. `None`: the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synthetic_sut: Option<SyntheticSut>,
    /// LoadGen's `performance_sample_count_override`: the performance runs draw from the
    /// first this many samples of the test split. `None`: the whole split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performance_sample_count: Option<u64>,
    /// The LoadGen configuration files (`mlperf.conf`, `user.conf`) applied to the settings,
    /// in order, with their text (see [`crate::bench::user_conf`]); the settings above are the
    /// effective ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_conf: Vec<ConfSource>,
}

/// The named starting points for a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanPreset {
    /// A classroom run: every scenario for a few seconds (see
    /// [`TestSettings::quick`](crate::loadgen::settings::TestSettings::quick)).
    Quick,
    /// MLPerf's official durations and query counts (10 minutes per scenario).
    Mlperf,
    /// Settings edited by hand.
    Custom,
}

impl PlanPreset {
    /// The preset's name: `quick`, `mlperf`, `custom`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanPreset::Quick => "quick",
            PlanPreset::Mlperf => "mlperf",
            PlanPreset::Custom => "custom",
        }
    }
}

impl fmt::Display for PlanPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl BenchPlan {
    /// A plan from `preset` (quick or MLPerf rules) for `scenarios` and `variants`, on the
    /// default model, with the default seeds.
    pub fn from_preset(
        preset: PlanPreset,
        machine_label: &str,
        variants: Vec<Variant>,
        scenarios: &[Scenario],
    ) -> BenchPlan {
        let settings = |s: Scenario| match preset {
            PlanPreset::Mlperf => TestSettings::mlperf(s),
            PlanPreset::Quick | PlanPreset::Custom => TestSettings::quick(s),
        };
        let model = ModelPreset::Default;
        let train = TrainConfig::for_preset(model);
        let seeds = Seeds {
            model_init: train.seed,
            ..Seeds::MLPERF
        };
        let mut plan = BenchPlan {
            machine_label: machine_label.to_string(),
            preset,
            model,
            train,
            model_file: None,
            split_seed: DEFAULT_SPLIT_SEED,
            variants,
            variant_options: VariantOptions::default(),
            accuracy_mode: true,
            scenarios: scenarios.iter().map(|&s| settings(s)).collect(),
            peak_search: None,
            calibrate_offline: true,
            ab_test: None,
            assumed_power_watts: None,
            offline_workers: None,
            seeds,
            synthetic_sut: None,
            performance_sample_count: None,
            user_conf: Vec::new(),
        };
        plan.apply_seeds();
        plan
    }

    /// Sets every seed from `seeds`: the scenarios' and the training's.
    pub fn with_seeds(mut self, seeds: Seeds) -> Self {
        self.seeds = seeds;
        self.apply_seeds();
        self
    }

    /// Uses `model` with its default training configuration (keeping the seed).
    pub fn with_model(mut self, model: ModelPreset) -> Self {
        self.model = model;
        self.train = TrainConfig {
            seed: self.seeds.model_init,
            ..TrainConfig::for_preset(model)
        };
        self
    }

    fn apply_seeds(&mut self) {
        self.train.seed = self.seeds.model_init;
        for s in &mut self.scenarios {
            s.seeds = self.seeds;
        }
    }

    /// Replaces the model with the synthetic system `sut`: the plan keeps its first variant
    /// only (a slot for the results), and runs neither training, accuracy mode nor an A/B run.
    pub fn with_synthetic_sut(mut self, sut: SyntheticSut) -> Self {
        self.synthetic_sut = Some(sut);
        self.variants.truncate(1);
        self.accuracy_mode = false;
        self.ab_test = None;
        self
    }

    /// How many samples the performance runs draw from, out of `test_samples` available:
    /// the override when set (at most what is available), else all of them.
    pub fn performance_sample_limit(&self, test_samples: usize) -> usize {
        match self.performance_sample_count {
            Some(n) if n > 0 => usize::try_from(n).map_or(test_samples, |n| n.min(test_samples)),
            _ => test_samples,
        }
    }

    /// The name of what answered the queries of `variant`'s runs, for logs and reports: the
    /// synthetic system (`fixed:1ms`) or the variant (`f32-naive`).
    pub fn sut_name(&self, variant: Variant) -> String {
        match &self.synthetic_sut {
            Some(sut) => sut.to_string(),
            None => variant.to_string(),
        }
    }

    /// Benchmarks the imported model described by `info` instead of training a preset.
    pub fn with_model_file(mut self, info: ModelFileInfo) -> Self {
        self.model_file = Some(info);
        self
    }

    /// The baseline variant (the first).
    pub fn baseline(&self) -> Option<Variant> {
        self.variants.first().copied()
    }

    /// The inputs and classes of the model benchmarked.
    pub fn model_shape(&self) -> IoShape {
        self.model_file
            .as_ref()
            .map_or(IoShape::DIGITS, |f| f.shape())
    }

    /// What the queries draw their samples from: the digits test split for a model of the
    /// digits' shape, else [`SYNTHETIC_SAMPLES`] synthetic rows seeded by `seeds.model_init`
    /// (which no training uses for an imported model).
    pub fn performance_samples(&self) -> PerformanceSamples {
        let shape = self.model_shape();
        if shape.is_digits() {
            PerformanceSamples::DigitsTestSplit
        } else {
            PerformanceSamples::Synthetic {
                samples: SYNTHETIC_SAMPLES,
                width: shape.inputs,
                seed: self.seeds.model_init,
            }
        }
    }

    /// Whether accuracy mode runs: asked for, and the samples have labels.
    pub fn measures_accuracy(&self) -> bool {
        self.accuracy_mode && self.performance_samples().has_labels()
    }

    /// Checks the plan against a test split of `test_samples` samples.
    ///
    /// # Errors
    ///
    /// The first problem found, as a [`PlanError`] that says what to change.
    pub fn validate(&self, test_samples: usize) -> Result<(), PlanError> {
        let label = self.machine_label.trim();
        if label.is_empty() {
            return Err(PlanError::EmptyLabel);
        }
        let chars = self.machine_label.chars().count();
        if chars > MAX_LABEL_CHARS {
            return Err(PlanError::LabelTooLong { chars });
        }
        if self.machine_label.chars().any(char::is_control) {
            return Err(PlanError::LabelControlCharacters);
        }
        if self.variants.is_empty() {
            return Err(PlanError::NoVariants);
        }
        for (i, v) in self.variants.iter().enumerate() {
            if self.variants[..i].contains(v) {
                return Err(PlanError::DuplicateVariant(*v));
            }
        }
        if self.scenarios.is_empty() && !self.accuracy_mode {
            return Err(PlanError::NothingToRun);
        }
        if let Some(sut) = &self.synthetic_sut {
            sut.validate().map_err(PlanError::SyntheticSut)?;
            if self.model_file.is_some() {
                return Err(PlanError::SyntheticSutWithModelFile);
            }
            if self.variants.len() > 1 || self.accuracy_mode || self.ab_test.is_some() {
                return Err(PlanError::SyntheticSutAlone);
            }
        }
        if let Some(n) = self.performance_sample_count {
            if n as u128 > test_samples as u128 {
                return Err(PlanError::PerformanceSampleCount {
                    asked: n,
                    available: test_samples,
                });
            }
        }
        let perf_samples = self.performance_sample_limit(test_samples);
        for (i, s) in self.scenarios.iter().enumerate() {
            let scenario = s.scenario();
            if self.scenarios[..i].iter().any(|o| o.scenario() == scenario) {
                return Err(PlanError::DuplicateScenario(scenario));
            }
            s.validate_for(perf_samples, None)
                .map_err(|error| PlanError::Scenario { scenario, error })?;
        }
        if self.peak_search.is_some()
            && !self
                .scenarios
                .iter()
                .any(|s| s.scenario() == Scenario::Server)
        {
            return Err(PlanError::PeakSearchWithoutServer);
        }
        if let Some(ab) = &self.ab_test {
            if ab.a == ab.b {
                return Err(PlanError::AbSameVariant(ab.a));
            }
            if ab.scenario == Scenario::Offline {
                return Err(PlanError::AbOffline);
            }
            if !self.scenarios.iter().any(|s| s.scenario() == ab.scenario) {
                return Err(PlanError::AbScenarioNotPlanned(ab.scenario));
            }
            if !(ab.share_b > 0.0 && ab.share_b < 1.0) {
                return Err(PlanError::AbShare { value: ab.share_b });
            }
        }
        if let Some(watts) = self.assumed_power_watts {
            if !(watts > 0.0 && watts <= MAX_ASSUMED_POWER_WATTS) {
                return Err(PlanError::AssumedPower { watts });
            }
        }
        if let Some(workers) = self.offline_workers {
            if !(1..=MAX_OFFLINE_WORKERS).contains(&workers) {
                return Err(PlanError::OfflineWorkers { workers });
            }
        }
        self.train.validate().map_err(PlanError::Training)?;
        if self.train.seed != self.seeds.model_init {
            return Err(PlanError::SeedMismatch);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> BenchPlan {
        BenchPlan::from_preset(
            PlanPreset::Quick,
            "lab machine 3",
            vec![Variant::F32Naive, Variant::F32Fast],
            &Scenario::ALL,
        )
    }

    #[test]
    fn presets_validate_and_share_the_plan_seeds() {
        let plan = quick();
        plan.validate(360).unwrap();
        assert_eq!(plan.baseline(), Some(Variant::F32Naive));
        assert!(plan.scenarios.iter().all(|s| s.seeds == plan.seeds));
        assert_eq!(plan.train.seed, plan.seeds.model_init);
        let mlperf = BenchPlan::from_preset(
            PlanPreset::Mlperf,
            "x",
            vec![Variant::Int8],
            &[Scenario::SingleStream],
        );
        mlperf.validate(360).unwrap();
        assert_eq!(mlperf.scenarios[0].min_duration_ms, 600_000);
        let reseeded = quick().with_seeds(Seeds {
            sample_index: 1,
            schedule: 2,
            model_init: 3,
        });
        assert!(reseeded.scenarios.iter().all(|s| s.seeds.schedule == 2));
        assert_eq!(reseeded.train.seed, 3);
    }

    #[test]
    fn each_problem_is_reported() {
        let mut p = quick();
        p.machine_label = "  ".into();
        assert_eq!(p.validate(360), Err(PlanError::EmptyLabel));
        p.machine_label = "x".repeat(65);
        assert_eq!(p.validate(360), Err(PlanError::LabelTooLong { chars: 65 }));
        p.machine_label = "a\nb".into();
        assert_eq!(p.validate(360), Err(PlanError::LabelControlCharacters));
        let mut p = quick();
        p.variants.clear();
        assert_eq!(p.validate(360), Err(PlanError::NoVariants));
        p.variants = vec![Variant::Int8, Variant::Int8];
        assert_eq!(
            p.validate(360),
            Err(PlanError::DuplicateVariant(Variant::Int8))
        );
        let mut p = quick();
        p.scenarios.push(p.scenarios[0].clone());
        assert_eq!(
            p.validate(360),
            Err(PlanError::DuplicateScenario(Scenario::SingleStream))
        );
        let mut p = quick();
        p.scenarios.clear();
        p.accuracy_mode = false;
        assert_eq!(p.validate(360), Err(PlanError::NothingToRun));
        let mut p = quick();
        p.scenarios.retain(|s| s.scenario() != Scenario::Server);
        p.peak_search = Some(PeakSearchSettings::default());
        assert_eq!(p.validate(360), Err(PlanError::PeakSearchWithoutServer));
        let mut p = quick();
        p.scenarios[0].target_percentile = 1.5;
        assert!(matches!(
            p.validate(360),
            Err(PlanError::Scenario {
                scenario: Scenario::SingleStream,
                ..
            })
        ));
        assert!(p
            .validate(360)
            .unwrap_err()
            .to_string()
            .starts_with("SingleStream: "));
        let mut p = quick();
        p.train.epochs = 0;
        assert!(matches!(p.validate(360), Err(PlanError::Training(_))));
        let mut p = quick();
        p.train.seed += 1;
        assert_eq!(p.validate(360), Err(PlanError::SeedMismatch));
        let ab = AbSettings {
            a: Variant::F32Naive,
            b: Variant::F32Fast,
            scenario: Scenario::SingleStream,
            share_b: 0.5,
            seed: 1,
        };
        let mut p = quick();
        p.ab_test = Some(ab);
        p.validate(360).unwrap();
        p.ab_test = Some(AbSettings {
            b: Variant::F32Naive,
            ..ab
        });
        assert_eq!(
            p.validate(360),
            Err(PlanError::AbSameVariant(Variant::F32Naive))
        );
        p.ab_test = Some(AbSettings {
            scenario: Scenario::Offline,
            ..ab
        });
        assert_eq!(p.validate(360), Err(PlanError::AbOffline));
        p.ab_test = Some(AbSettings { share_b: 1.0, ..ab });
        assert_eq!(p.validate(360), Err(PlanError::AbShare { value: 1.0 }));
        p.ab_test = Some(ab);
        p.scenarios
            .retain(|s| s.scenario() != Scenario::SingleStream);
        assert_eq!(
            p.validate(360),
            Err(PlanError::AbScenarioNotPlanned(Scenario::SingleStream))
        );
    }
}
