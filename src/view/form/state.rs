//! What the user filled in ([`SetupForm`]), with the model file's state ([`ModelFileState`])
//! and the A/B run's fields ([`AbForm`]): the form's data, changed by
//! [`super::edit`] and validated by [`super::check`].

use std::collections::{HashMap, HashSet};

use super::fields::{Field, Param};
use crate::loadgen::settings::{Scenario, TestSettings};
use crate::loadgen::user_conf::ConfSource;
use crate::model::import::ModelFileInfo;
use crate::model::{ModelPreset, Variant};
use crate::plan::PlanPreset;

/// "Your model" in the form: none (the preset is trained), being read by the worker, read
/// (its description), or refused (why).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ModelFileState {
    /// No file: the preset is trained and benchmarked.
    #[default]
    None,
    /// The worker is reading the file (request `id`).
    Reading {
        /// The request's id.
        id: u64,
        /// The file's name.
        file_name: String,
    },
    /// The worker read the file and holds the model.
    Loaded(Box<ModelFileInfo>),
    /// The file cannot be benchmarked.
    Refused {
        /// The file's name.
        file_name: String,
        /// Why, in one sentence.
        message: String,
    },
}

/// The A/B run as the form holds it (see [`crate::bench::ab`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AbForm {
    /// Whether the run includes an A/B run (off by default).
    pub enabled: bool,
    /// Variant A (the baseline of the A/B verdict).
    pub a: Variant,
    /// Variant B.
    pub b: Variant,
    /// The scenario whose settings the A/B run uses (SingleStream, MultiStream or Server).
    pub scenario: Scenario,
    /// Share of queries sent to B, in percent, as typed.
    pub share_percent: String,
    /// The seed of the split, as typed: empty for the plan's schedule seed.
    pub seed: String,
}

impl Default for AbForm {
    fn default() -> Self {
        AbForm {
            enabled: false,
            a: Variant::F32Naive,
            b: Variant::F32Fast,
            scenario: Scenario::SingleStream,
            share_percent: "50".into(),
            seed: String::new(),
        }
    }
}

impl AbForm {
    /// The scenarios an A/B run can use (one call per query; Offline's batches are not
    /// queries).
    pub const SCENARIOS: [Scenario; 3] = [
        Scenario::SingleStream,
        Scenario::MultiStream,
        Scenario::Server,
    ];
}

/// What the user filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupForm {
    /// The machine label.
    pub label: String,
    /// The preset the parameters came from (`Custom` once one differs from it).
    pub preset: PlanPreset,
    /// The preset last chosen (what `Custom` settings started from).
    pub(super) base: PlanPreset,
    /// The model preset.
    pub model: ModelPreset,
    /// "Your model": an imported model file instead of the preset.
    pub model_file: ModelFileState,
    /// The variants ticked, in [`Variant::ALL`] order.
    pub variants: Vec<Variant>,
    /// The baseline of the comparisons (run first).
    pub baseline: Variant,
    /// The scenarios ticked, in [`Scenario::ALL`] order.
    pub scenarios: Vec<Scenario>,
    /// Each scenario's parameters, as typed.
    pub params: HashMap<(Scenario, Param), String>,
    /// Measure the Offline throughput before each Offline run and size the run by it.
    pub calibrate_offline: bool,
    /// Search for the peak Server QPS.
    pub peak_search: bool,
    /// Run accuracy mode for each variant.
    pub accuracy_mode: bool,
    /// The seed: empty for MLPerf's official seeds, or a whole number.
    pub seed: String,
    /// The A/B run.
    pub ab: AbForm,
    /// The assumed power draw in watts, as typed: empty for no energy estimate.
    pub power_watts: String,
    /// The system under test, as typed: empty for the model.
    pub sut: String,
    /// LoadGen configuration files applied on top of the settings, in order.
    pub user_conf: Vec<ConfSource>,
    /// Workers serving an Offline run, as typed: empty for one per logical core.
    pub offline_workers: String,
    /// Whether the "Advanced" settings (seed, power, options, LoadGen table, A/B run) are
    /// open.
    pub advanced_open: bool,
    /// The fields the user has edited: only these show their messages.
    pub(super) touched: HashSet<Field>,
}

impl SetupForm {
    /// The form for `preset` with every scenario, the baseline `f32-naive` and `f32-fast`,
    /// accuracy mode on, MLPerf's seeds and no label.
    pub fn new(preset: PlanPreset) -> Self {
        let mut form = SetupForm {
            label: String::new(),
            preset,
            base: preset,
            model: ModelPreset::Default,
            model_file: ModelFileState::None,
            variants: vec![Variant::F32Naive, Variant::F32Fast],
            baseline: Variant::F32Naive,
            scenarios: Scenario::ALL.to_vec(),
            params: HashMap::new(),
            calibrate_offline: true,
            peak_search: false,
            accuracy_mode: true,
            seed: String::new(),
            ab: AbForm::default(),
            power_watts: String::new(),
            sut: String::new(),
            user_conf: Vec::new(),
            offline_workers: String::new(),
            advanced_open: false,
            touched: HashSet::new(),
        };
        form.load_preset(preset);
        form
    }

    /// The form for `preset` with a default machine label (see
    /// [`crate::view::machine::default_machine_label`]), which the user may edit.
    pub fn with_label(preset: PlanPreset, label: impl Into<String>) -> Self {
        SetupForm {
            label: label.into(),
            ..Self::new(preset)
        }
    }

    /// Whether the user has edited `field`.
    pub fn touched(&self, field: Field) -> bool {
        self.touched.contains(&field)
    }

    /// The parameters of `preset`, as the form writes them.
    pub(super) fn preset_params(preset: PlanPreset) -> HashMap<(Scenario, Param), String> {
        let mut params = HashMap::new();
        for scenario in Scenario::ALL {
            let settings = match preset {
                PlanPreset::Mlperf => TestSettings::mlperf(scenario),
                PlanPreset::Quick | PlanPreset::Custom => TestSettings::quick(scenario),
            };
            for p in Param::ALL.into_iter().filter(|p| p.applies_to(scenario)) {
                params.insert((scenario, p), p.text_of(&settings));
            }
        }
        params
    }

    pub(super) fn load_preset(&mut self, preset: PlanPreset) {
        self.params = Self::preset_params(preset);
        self.preset = preset;
        self.base = preset;
    }

    /// The text of a parameter.
    pub fn param(&self, scenario: Scenario, param: Param) -> &str {
        self.params
            .get(&(scenario, param))
            .map_or("", String::as_str)
    }

    /// The variants in run order: the baseline first, then the others.
    pub fn ordered_variants(&self) -> Vec<Variant> {
        let mut v: Vec<Variant> = self
            .variants
            .iter()
            .copied()
            .filter(|&x| x != self.baseline)
            .collect();
        if self.variants.contains(&self.baseline) {
            v.insert(0, self.baseline);
        }
        v
    }

    /// The worker's answer to the model-file request `id`: the file's description, or why
    /// it was refused. An answer to an older request (another file since) is ignored.
    pub fn model_file_read(&mut self, id: u64, outcome: Result<ModelFileInfo, String>) {
        if let ModelFileState::Reading {
            id: current,
            file_name,
        } = &self.model_file
        {
            if *current == id {
                self.model_file = match outcome {
                    Ok(info) => ModelFileState::Loaded(Box::new(info)),
                    Err(message) => ModelFileState::Refused {
                        file_name: file_name.clone(),
                        message,
                    },
                };
            }
        }
    }
}
