//! One edit of the form ([`FormEdit`]) and how it changes the form ([`SetupForm::apply`]):
//! the form's reducer.

use super::fields::{Field, Param};
use super::state::{ModelFileState, SetupForm};
use crate::loadgen::settings::Scenario;
use crate::loadgen::user_conf::ConfSource;
use crate::model::{ModelPreset, Variant};
use crate::plan::PlanPreset;

/// One edit of the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEdit {
    /// The machine label was typed.
    Label(String),
    /// A preset was chosen: every scenario parameter takes the preset's value.
    Preset(PlanPreset),
    /// A model preset was chosen.
    Model(ModelPreset),
    /// A model file was picked or dropped and is being read (request `id` to the worker).
    ModelFileReading {
        /// The id of the worker request that reads it.
        id: u64,
        /// The file's name.
        file_name: String,
    },
    /// A model file was refused before the worker read it (too large, unreadable).
    ModelFileRefused {
        /// The file's name.
        file_name: String,
        /// Why.
        message: String,
    },
    /// The model file was put away: the preset is benchmarked again.
    ModelFileCleared,
    /// A variant was ticked or unticked.
    Variant(Variant, bool),
    /// The baseline was chosen.
    Baseline(Variant),
    /// A scenario was ticked or unticked.
    Scenario(Scenario, bool),
    /// A scenario parameter was typed (the preset becomes "custom").
    Param(Scenario, Param, String),
    /// The Offline calibration was switched.
    CalibrateOffline(bool),
    /// The peak-QPS search was switched.
    PeakSearch(bool),
    /// Accuracy mode was switched.
    AccuracyMode(bool),
    /// The seed was typed.
    Seed(String),
    /// The A/B run was switched on or off.
    AbEnabled(bool),
    /// The A/B run's variant A was chosen.
    AbA(Variant),
    /// The A/B run's variant B was chosen.
    AbB(Variant),
    /// The A/B run's scenario was chosen.
    AbScenario(Scenario),
    /// The A/B run's share of queries for B was typed (percent).
    AbShare(String),
    /// The A/B run's seed was typed.
    AbSeed(String),
    /// The assumed power draw was typed (watts; empty for no energy estimate).
    Power(String),
    /// The system under test was typed (empty: the model; `null`, `fixed:1ms`, ...).
    Sut(String),
    /// LoadGen configuration files were loaded, in order (empty: none).
    UserConf(Vec<ConfSource>),
    /// The Offline worker count was typed (empty: one per logical core).
    OfflineWorkers(String),
    /// The "Advanced" settings were opened or folded.
    Advanced(bool),
}

impl FormEdit {
    /// The field whose message this edit makes visible (none for a preset or folding).
    pub fn field(&self) -> Option<Field> {
        Some(match self {
            FormEdit::Label(_) => Field::Label,
            FormEdit::Model(_) => Field::Model,
            FormEdit::Variant(..) => Field::Variants,
            FormEdit::Baseline(_) => Field::Baseline,
            FormEdit::Scenario(..) | FormEdit::AccuracyMode(_) => Field::Scenarios,
            FormEdit::Param(s, p, _) => Field::Param(*s, *p),
            FormEdit::CalibrateOffline(_) => Field::Param(Scenario::Offline, Param::ExpectedQps),
            FormEdit::PeakSearch(_) => Field::PeakSearch,
            FormEdit::Seed(_) => Field::Seed,
            FormEdit::AbEnabled(_)
            | FormEdit::AbA(_)
            | FormEdit::AbB(_)
            | FormEdit::AbScenario(_) => Field::AbTest,
            FormEdit::AbShare(_) => Field::AbShare,
            FormEdit::AbSeed(_) => Field::AbSeed,
            FormEdit::Power(_) => Field::Power,
            FormEdit::Sut(_) => Field::Sut,
            FormEdit::UserConf(_) => Field::UserConf,
            FormEdit::OfflineWorkers(_) => Field::OfflineWorkers,
            FormEdit::ModelFileReading { .. }
            | FormEdit::ModelFileRefused { .. }
            | FormEdit::ModelFileCleared => Field::ModelFile,
            FormEdit::Preset(_) | FormEdit::Advanced(_) => return None,
        })
    }
}

impl SetupForm {
    /// Applies `edit`.
    pub fn apply(&mut self, edit: FormEdit) {
        if let Some(field) = edit.field() {
            self.touched.insert(field);
        }
        match edit {
            FormEdit::Label(l) => self.label = l,
            // Custom keeps the settings as they are, to be edited under Advanced.
            FormEdit::Preset(PlanPreset::Custom) => {
                self.preset = PlanPreset::Custom;
                self.advanced_open = true;
            }
            FormEdit::Preset(p) => self.load_preset(p),
            FormEdit::Advanced(open) => self.advanced_open = open,
            FormEdit::Model(m) => {
                self.model = m;
                self.model_file = ModelFileState::None;
            }
            FormEdit::ModelFileReading { id, file_name } => {
                self.model_file = ModelFileState::Reading { id, file_name }
            }
            FormEdit::ModelFileRefused { file_name, message } => {
                self.model_file = ModelFileState::Refused { file_name, message }
            }
            FormEdit::ModelFileCleared => self.model_file = ModelFileState::None,
            FormEdit::Variant(v, on) => {
                self.variants.retain(|&x| x != v);
                if on {
                    self.variants.push(v);
                    self.variants.sort();
                }
                if !self.variants.contains(&self.baseline) {
                    if let Some(&first) = self.variants.first() {
                        self.baseline = first;
                    }
                }
            }
            FormEdit::Baseline(v) => {
                self.baseline = v;
                if !self.variants.contains(&v) {
                    self.variants.push(v);
                    self.variants.sort();
                }
            }
            FormEdit::Scenario(s, on) => {
                self.scenarios.retain(|&x| x != s);
                if on {
                    self.scenarios.push(s);
                    self.scenarios
                        .sort_by_key(|x| Scenario::ALL.iter().position(|y| y == x));
                }
            }
            FormEdit::Param(s, p, text) => {
                self.params.insert((s, p), text);
                self.preset = if self.params == Self::preset_params(self.base) {
                    self.base
                } else {
                    PlanPreset::Custom
                };
            }
            FormEdit::CalibrateOffline(on) => self.calibrate_offline = on,
            FormEdit::PeakSearch(on) => self.peak_search = on,
            FormEdit::AccuracyMode(on) => self.accuracy_mode = on,
            FormEdit::Seed(s) => self.seed = s,
            FormEdit::AbEnabled(on) => self.ab.enabled = on,
            FormEdit::AbA(v) => self.ab.a = v,
            FormEdit::AbB(v) => self.ab.b = v,
            FormEdit::AbScenario(s) => self.ab.scenario = s,
            FormEdit::AbShare(t) => self.ab.share_percent = t,
            FormEdit::AbSeed(t) => self.ab.seed = t,
            FormEdit::Power(t) => self.power_watts = t,
            FormEdit::Sut(t) => self.sut = t,
            FormEdit::UserConf(files) => self.user_conf = files,
            FormEdit::OfflineWorkers(t) => self.offline_workers = t,
        }
    }
}
