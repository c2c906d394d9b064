//! The setup form: what the user typed ([`SetupForm`]), how each edit changes it
//! ([`FormEdit`]), and its validation into a runnable [`BenchPlan`] or a message next to
//! each field that is wrong ([`FormCheck`]).
//!
//! Fields hold text as typed; parsing and the core's own validation ([`BenchPlan::validate`],
//! [`TestSettings::validate`]) turn it into a plan. Every core message names the setting by
//! its MLPerf name (`min_duration_ms`), which the form shows next to each label.
//!
//! A message is shown next to a field only once the user has edited it
//! ([`SetupForm::shown_error`]): a page that has just loaded shows no error. While the plan
//! is invalid, the line next to Run says what stops it ([`SetupForm::run_hint`]), so a
//! disabled Run always has its reason in sight.

use std::collections::{HashMap, HashSet};

use crate::bench::ab::AbSettings;
use crate::bench::plan::{BenchPlan, PlanError, PlanPreset};
use crate::format::count;
use crate::loadgen::error::SettingsError;
use crate::loadgen::peak::PeakSearchSettings;
use crate::loadgen::settings::{Scenario, ScenarioSettings, Seeds, TestSettings};
use crate::loadgen::user_conf::ConfSource;
use crate::model::import::ModelFileInfo;
use crate::model::synthetic::SYNTHETIC_SAMPLES;
use crate::model::{ModelPreset, Variant};

/// A scenario parameter of the form (MLPerf's names, see [`Param::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Param {
    /// `min_duration_ms`.
    MinDurationMs,
    /// `max_duration_ms` (0: none).
    MaxDurationMs,
    /// `min_query_count` (Offline: samples).
    MinQueryCount,
    /// `max_query_count` (0: none; not for Offline).
    MaxQueryCount,
    /// `warmup_query_count`.
    WarmupQueryCount,
    /// MultiStream `samples_per_query`.
    SamplesPerQuery,
    /// Server `target_qps`.
    TargetQps,
    /// Server `latency_bound_ms`.
    LatencyBoundMs,
    /// Offline `batch_size`.
    BatchSize,
    /// Offline `expected_qps`.
    ExpectedQps,
}

impl Param {
    /// Every parameter, in the order the form lists them.
    pub const ALL: [Param; 10] = [
        Param::MinDurationMs,
        Param::MaxDurationMs,
        Param::MinQueryCount,
        Param::MaxQueryCount,
        Param::WarmupQueryCount,
        Param::SamplesPerQuery,
        Param::TargetQps,
        Param::LatencyBoundMs,
        Param::BatchSize,
        Param::ExpectedQps,
    ];

    /// The setting's name in LoadGen's vocabulary, as the core's messages use it.
    pub fn name(self) -> &'static str {
        match self {
            Param::MinDurationMs => "min_duration_ms",
            Param::MaxDurationMs => "max_duration_ms",
            Param::MinQueryCount => "min_query_count",
            Param::MaxQueryCount => "max_query_count",
            Param::WarmupQueryCount => "warmup_query_count",
            Param::SamplesPerQuery => "scenario.samples_per_query",
            Param::TargetQps => "scenario.target_qps",
            Param::LatencyBoundMs => "scenario.latency_bound_ms",
            Param::BatchSize => "scenario.batch_size",
            Param::ExpectedQps => "scenario.expected_qps",
        }
    }

    /// The label the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Param::MinDurationMs => "Min duration (ms)",
            Param::MaxDurationMs => "Max duration (ms, 0 = none)",
            Param::MinQueryCount => "Min queries (Offline: samples)",
            Param::MaxQueryCount => "Max queries (0 = none)",
            Param::WarmupQueryCount => "Warm-up queries (not recorded)",
            Param::SamplesPerQuery => "Samples per query",
            Param::TargetQps => "Target QPS",
            Param::LatencyBoundMs => "Latency bound (ms)",
            Param::BatchSize => "Batch size",
            Param::ExpectedQps => "Expected QPS",
        }
    }

    /// Whether `scenario` has this parameter.
    pub fn applies_to(self, scenario: Scenario) -> bool {
        match self {
            Param::MinDurationMs
            | Param::MaxDurationMs
            | Param::MinQueryCount
            | Param::WarmupQueryCount => true,
            Param::MaxQueryCount => scenario != Scenario::Offline,
            Param::SamplesPerQuery => scenario == Scenario::MultiStream,
            Param::TargetQps | Param::LatencyBoundMs => scenario == Scenario::Server,
            Param::BatchSize | Param::ExpectedQps => scenario == Scenario::Offline,
        }
    }

    fn of_setting_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The parameter's value in `settings`, as the form writes it.
    fn text_of(self, s: &TestSettings) -> String {
        match (self, s.scenario) {
            (Param::MinDurationMs, _) => s.min_duration_ms.to_string(),
            (Param::MaxDurationMs, _) => s.max_duration_ms.to_string(),
            (Param::MinQueryCount, _) => s.min_query_count.to_string(),
            (Param::MaxQueryCount, _) => s.max_query_count.to_string(),
            (Param::WarmupQueryCount, _) => s.warmup_query_count.to_string(),
            (Param::SamplesPerQuery, ScenarioSettings::MultiStream(m)) => {
                m.samples_per_query.to_string()
            }
            (Param::TargetQps, ScenarioSettings::Server(v)) => number_text(v.target_qps),
            (Param::LatencyBoundMs, ScenarioSettings::Server(v)) => number_text(v.latency_bound_ms),
            (Param::BatchSize, ScenarioSettings::Offline(o)) => o.batch_size.to_string(),
            (Param::ExpectedQps, ScenarioSettings::Offline(o)) => number_text(o.expected_qps),
            _ => String::new(),
        }
    }
}

/// A number as the form writes it: no trailing `.0`.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A field of the form: where a message is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The machine label.
    Label,
    /// The model preset.
    Model,
    /// The imported model file ("your model").
    ModelFile,
    /// The variant checkboxes.
    Variants,
    /// The baseline variant.
    Baseline,
    /// The scenario checkboxes.
    Scenarios,
    /// A scenario's parameter.
    Param(Scenario, Param),
    /// The peak-QPS search switch.
    PeakSearch,
    /// The seed.
    Seed,
    /// The A/B run's settings as a whole (its variants and scenario).
    AbTest,
    /// The A/B run's share of queries for B, in percent.
    AbShare,
    /// The A/B run's seed.
    AbSeed,
    /// The assumed power draw for the energy estimate.
    Power,
    /// The system under test (empty: the model; or a synthetic one).
    Sut,
    /// The loaded user.conf files.
    UserConf,
    /// How many workers serve an Offline run.
    OfflineWorkers,
}

impl Field {
    /// Where the field is in the form, top to bottom (the order in which [`SetupForm::run_hint`]
    /// names problems).
    fn position(self) -> (u8, usize, usize) {
        let index_of = |s: Scenario| Scenario::ALL.iter().position(|&x| x == s).unwrap_or(0);
        match self {
            Field::Label => (0, 0, 0),
            Field::Model => (1, 0, 0),
            Field::ModelFile => (1, 1, 0),
            Field::Variants => (2, 0, 0),
            Field::Baseline => (3, 0, 0),
            Field::Scenarios => (4, 0, 0),
            Field::Seed => (5, 0, 0),
            Field::Power => (6, 0, 0),
            Field::OfflineWorkers => (6, 1, 0),
            Field::PeakSearch => (7, 0, 0),
            Field::Param(s, p) => (
                8,
                Param::ALL.iter().position(|&x| x == p).unwrap_or(0),
                index_of(s),
            ),
            Field::AbTest => (9, 0, 0),
            Field::AbShare => (10, 0, 0),
            Field::AbSeed => (11, 0, 0),
            Field::Sut => (12, 0, 0),
            Field::UserConf => (13, 0, 0),
        }
    }

    /// What the field is called next to Run's hint, e.g. "Machine label", "Server Target QPS".
    pub fn name(self) -> String {
        match self {
            Field::Label => "Machine label".into(),
            Field::Model => "Model".into(),
            Field::ModelFile => "Your model".into(),
            Field::Variants => "Variants".into(),
            Field::Baseline => "Baseline".into(),
            Field::Scenarios => "Scenarios".into(),
            Field::Seed => "Seed".into(),
            Field::Power => "Power draw".into(),
            Field::OfflineWorkers => "Offline workers".into(),
            Field::PeakSearch => "Peak search".into(),
            Field::Param(s, p) => format!("{s} {}", p.label()),
            Field::AbTest => "A/B run".into(),
            Field::AbShare => "A/B share of queries to B".into(),
            Field::AbSeed => "A/B assignment seed".into(),
            Field::Sut => "System under test".into(),
            Field::UserConf => "user.conf".into(),
        }
    }

    /// Whether the field sits under "Advanced" (folded until opened).
    pub fn is_advanced(self) -> bool {
        self.position().0 >= 5
    }

    /// The field's HTML id, e.g. `field-label`, `field-server-target-qps`.
    pub fn id(self) -> String {
        match self {
            Field::Label => "field-label".into(),
            Field::Model => "field-model".into(),
            Field::ModelFile => "field-model-file".into(),
            Field::Variants => "field-variants".into(),
            Field::Baseline => "field-baseline".into(),
            Field::Scenarios => "field-scenarios".into(),
            Field::PeakSearch => "field-peak-search".into(),
            Field::Seed => "field-seed".into(),
            Field::AbTest => "field-ab-test".into(),
            Field::AbShare => "field-ab-share".into(),
            Field::AbSeed => "field-ab-seed".into(),
            Field::Power => "field-power".into(),
            Field::Sut => "field-sut".into(),
            Field::UserConf => "field-user-conf".into(),
            Field::OfflineWorkers => "field-offline-workers".into(),
            Field::Param(s, p) => format!(
                "field-{}-{}",
                s.to_string().to_ascii_lowercase(),
                p.name().trim_start_matches("scenario.").replace('_', "-")
            ),
        }
    }
}

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
    base: PlanPreset,
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
    touched: HashSet<Field>,
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

    /// The message to show next to `field`: its error in `check`, once the field was edited.
    pub fn shown_error<'c>(&self, check: &'c FormCheck, field: Field) -> Option<&'c str> {
        check.error(field).filter(|_| self.touched(field))
    }

    /// The line next to Run: what the plan will do when valid; else what stops it, naming
    /// the first problem in the form's order (and how many there are), whether or not its
    /// field shows a message yet.
    pub fn run_hint(&self, check: &FormCheck) -> String {
        if let (Some(summary), Some(_)) = (&check.summary, &check.plan) {
            return summary.clone();
        }
        let mut problems: Vec<(Field, &String)> =
            check.errors.iter().map(|(f, m)| (*f, m)).collect();
        problems.sort_by_key(|(f, _)| f.position());
        match problems.first() {
            None => "The plan is not ready to run.".to_string(),
            Some((field, message)) => {
                let more = match problems.len() {
                    1 => String::new(),
                    n => format!(
                        " ({} more field{} to fix)",
                        n - 1,
                        if n == 2 { "" } else { "s" }
                    ),
                };
                let place = if field.is_advanced() {
                    " (under Advanced)"
                } else {
                    ""
                };
                format!("To run, fix {}{place}: {message}{more}", field.name())
            }
        }
    }

    /// The parameters of `preset`, as the form writes them.
    fn preset_params(preset: PlanPreset) -> HashMap<(Scenario, Param), String> {
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

    fn load_preset(&mut self, preset: PlanPreset) {
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

    /// Validates every field against a test split of `test_samples` samples (an imported
    /// model of another shape runs on its synthetic samples instead).
    pub fn check(&self, test_samples: usize) -> FormCheck {
        let mut errors = HashMap::new();
        let model_file = match &self.model_file {
            ModelFileState::None => None,
            ModelFileState::Loaded(info) => Some((**info).clone()),
            ModelFileState::Reading { file_name, .. } => {
                errors.insert(
                    Field::ModelFile,
                    format!("Reading {file_name}: Run waits for its description."),
                );
                None
            }
            ModelFileState::Refused { file_name, message } => {
                errors.insert(
                    Field::ModelFile,
                    format!("{file_name}: {}", capitalise(message)),
                );
                None
            }
        };
        let test_samples = match &model_file {
            Some(info) if !info.shape().is_digits() => SYNTHETIC_SAMPLES,
            _ => test_samples,
        };
        // A seed that does not parse is reported; the rest is checked with MLPerf's seeds.
        let seeds = parse_seed(&self.seed).unwrap_or_else(|e| {
            errors.insert(Field::Seed, e);
            official_seeds()
        });
        if self.variants.is_empty() {
            errors.insert(
                Field::Variants,
                capitalise(&PlanError::NoVariants.to_string()),
            );
        }
        if self.scenarios.is_empty() && !self.accuracy_mode {
            errors.insert(
                Field::Scenarios,
                capitalise(&PlanError::NothingToRun.to_string()),
            );
        }
        let mut settings = Vec::new();
        for &scenario in &self.scenarios {
            if let Some(s) = self.scenario_settings(scenario, &mut errors) {
                match s.validate_for(test_samples, None) {
                    Ok(()) => settings.push(s),
                    Err(e) => {
                        let field = param_of(&e, scenario)
                            .map_or(Field::Scenarios, |p| Field::Param(scenario, p));
                        errors
                            .entry(field)
                            .or_insert_with(|| format!("{scenario}: {e}"));
                    }
                }
            }
        }
        let mut plan = BenchPlan::from_preset(
            self.preset,
            &self.label,
            self.ordered_variants(),
            &self.scenarios,
        )
        .with_model(self.model)
        .with_seeds(seeds);
        plan.model_file = model_file;
        plan.accuracy_mode = self.accuracy_mode;
        plan.calibrate_offline = self.calibrate_offline;
        plan.peak_search = self.peak_search.then(PeakSearchSettings::default);
        if self.ab.enabled {
            plan.ab_test = self.ab_settings(seeds, &mut errors);
        }
        plan.assumed_power_watts = parse_power(&self.power_watts)
            .map_err(|e| errors.insert(Field::Power, e))
            .ok()
            .flatten();
        plan.offline_workers = parse_workers(&self.offline_workers)
            .map_err(|e| errors.insert(Field::OfflineWorkers, e))
            .ok()
            .flatten();
        if settings.len() == self.scenarios.len() {
            plan.scenarios = settings
                .into_iter()
                .map(|s| TestSettings { seeds, ..s })
                .collect();
        }
        match super::conf::parse_sut(&self.sut) {
            Ok(Some(sut)) if self.ab.enabled => {
                errors.insert(
                    Field::AbTest,
                    format!("An A/B run compares two model variants: switch it off to run the synthetic system {sut}."),
                );
            }
            Ok(Some(_)) if plan.model_file.is_some() => {
                errors.insert(
                    Field::Sut,
                    capitalise(&PlanError::SyntheticSutWithModelFile.to_string()),
                );
            }
            Ok(Some(sut)) => plan = plan.with_synthetic_sut(sut),
            Ok(None) => {}
            Err(e) => {
                errors.insert(Field::Sut, e);
            }
        }
        let mut conf_rows = Vec::new();
        if !self.user_conf.is_empty() {
            match super::conf::apply_user_conf(&mut plan, &self.user_conf) {
                Ok(rows) => conf_rows = rows,
                Err(e) => {
                    errors.insert(Field::UserConf, e);
                }
            }
        }
        // The plan's own checks stop at the first problem, the label's first: after a label
        // problem, check again with a stand-in label so that the rest is found too.
        let mut probe = plan.clone();
        if let Err(e) = probe.validate(test_samples) {
            let label_problem = plan_error_field(&e) == Field::Label;
            record_plan_error(&mut errors, &e);
            if label_problem {
                probe.machine_label = "label".into();
                if let Err(e) = probe.validate(test_samples) {
                    record_plan_error(&mut errors, &e);
                }
            }
        }
        if errors.is_empty() {
            FormCheck {
                summary: Some(plan_summary(&plan)),
                plan: Some(plan),
                errors,
                user_conf: conf_rows,
            }
        } else {
            FormCheck {
                user_conf: conf_rows,
                ..FormCheck::failed(errors)
            }
        }
    }

    /// The A/B settings from the form's text (the seed defaulting to `seeds.schedule`), or
    /// `None` after recording a message next to each field that does not parse.
    fn ab_settings(&self, seeds: Seeds, errors: &mut HashMap<Field, String>) -> Option<AbSettings> {
        let share = parse_share_percent(&self.ab.share_percent)
            .map_err(|e| errors.insert(Field::AbShare, e))
            .ok();
        let seed = if self.ab.seed.trim().is_empty() {
            Some(seeds.schedule)
        } else {
            parse_whole(&self.ab.seed)
                .map_err(|_| {
                    errors.insert(
                        Field::AbSeed,
                        format!(
                            "The A/B seed is a whole number from 0 to {}, or empty for the \
                             plan's schedule seed.",
                            count(u64::MAX)
                        ),
                    )
                })
                .ok()
        };
        Some(AbSettings {
            a: self.ab.a,
            b: self.ab.b,
            scenario: self.ab.scenario,
            share_b: share?,
            seed: seed?,
        })
    }

    /// The settings of `scenario` from the form's text, or `None` after recording each
    /// field that does not parse.
    fn scenario_settings(
        &self,
        scenario: Scenario,
        errors: &mut HashMap<Field, String>,
    ) -> Option<TestSettings> {
        let mut s = match self.preset {
            PlanPreset::Mlperf => TestSettings::mlperf(scenario),
            PlanPreset::Quick | PlanPreset::Custom => TestSettings::quick(scenario),
        };
        let mut r = Reader {
            form: self,
            scenario,
            errors,
            ok: true,
        };
        let counts = [
            (Param::MinDurationMs, &mut s.min_duration_ms),
            (Param::MaxDurationMs, &mut s.max_duration_ms),
            (Param::MinQueryCount, &mut s.min_query_count),
            (Param::MaxQueryCount, &mut s.max_query_count),
            (Param::WarmupQueryCount, &mut s.warmup_query_count),
        ];
        for (p, target) in counts {
            if p.applies_to(scenario) {
                if let Some(v) = r.read(p, parse_whole) {
                    *target = v;
                }
            }
        }
        match &mut s.scenario {
            ScenarioSettings::SingleStream => {}
            ScenarioSettings::MultiStream(m) => {
                if let Some(v) = r.read(Param::SamplesPerQuery, parse_size) {
                    m.samples_per_query = v;
                }
            }
            ScenarioSettings::Server(v) => {
                if let Some(x) = r.read(Param::TargetQps, parse_number) {
                    v.target_qps = x;
                }
                if let Some(x) = r.read(Param::LatencyBoundMs, parse_number) {
                    v.latency_bound_ms = x;
                }
            }
            ScenarioSettings::Offline(o) => {
                if let Some(x) = r.read(Param::BatchSize, parse_size) {
                    o.batch_size = x;
                }
                if let Some(x) = r.read(Param::ExpectedQps, parse_number) {
                    o.expected_qps = x;
                }
            }
        }
        r.ok.then_some(s)
    }
}

/// Parses a scenario's fields, recording a message for each that does not parse.
struct Reader<'a> {
    form: &'a SetupForm,
    scenario: Scenario,
    errors: &'a mut HashMap<Field, String>,
    ok: bool,
}

impl Reader<'_> {
    fn read<T>(&mut self, p: Param, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        match parse(self.form.param(self.scenario, p)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.insert(Field::Param(self.scenario, p), e);
                self.ok = false;
                None
            }
        }
    }
}

/// A whole number that fits a `u32` (sizes).
fn parse_size(text: &str) -> Result<u32, String> {
    parse_whole(text).and_then(|v| {
        u32::try_from(v)
            .map_err(|_| format!("{v} is too large: at most {}.", count(u64::from(u32::MAX))))
    })
}

/// The field a plan error is about.
fn plan_error_field(e: &PlanError) -> Field {
    match e {
        PlanError::EmptyLabel
        | PlanError::LabelTooLong { .. }
        | PlanError::LabelControlCharacters => Field::Label,
        PlanError::NoVariants | PlanError::DuplicateVariant(_) => Field::Variants,
        PlanError::NothingToRun | PlanError::DuplicateScenario(_) => Field::Scenarios,
        PlanError::Scenario { scenario, error } => {
            param_of(error, *scenario).map_or(Field::Scenarios, |p| Field::Param(*scenario, p))
        }
        PlanError::PeakSearchWithoutServer => Field::PeakSearch,
        PlanError::SeedMismatch => Field::Seed,
        PlanError::Training(_) => Field::Model,
        PlanError::AbSameVariant(_) | PlanError::AbOffline | PlanError::AbScenarioNotPlanned(_) => {
            Field::AbTest
        }
        PlanError::AbShare { .. } => Field::AbShare,
        PlanError::AssumedPower { .. } => Field::Power,
        PlanError::SyntheticSut(_)
        | PlanError::SyntheticSutAlone
        | PlanError::SyntheticSutWithModelFile => Field::Sut,
        PlanError::PerformanceSampleCount { .. } => Field::UserConf,
        PlanError::OfflineWorkers { .. } => Field::OfflineWorkers,
    }
}

/// Records `e` next to its field, unless that field already has a message.
fn record_plan_error(errors: &mut HashMap<Field, String>, e: &PlanError) {
    errors
        .entry(plan_error_field(e))
        .or_insert_with(|| capitalise(&e.to_string()));
}

/// The form's validation.
#[derive(Debug, Clone, PartialEq)]
pub struct FormCheck {
    /// The plan, when every field is valid.
    pub plan: Option<BenchPlan>,
    /// A message per invalid field.
    pub errors: HashMap<Field, String>,
    /// What the plan will do, when valid (tasks and the least time it takes).
    pub summary: Option<String>,
    /// What each line of the loaded user.conf files did (empty without files, or when they
    /// were refused: see [`Field::UserConf`]).
    pub user_conf: Vec<super::conf::ConfRow>,
}

impl FormCheck {
    fn failed(errors: HashMap<Field, String>) -> Self {
        FormCheck {
            plan: None,
            errors,
            summary: None,
            user_conf: Vec::new(),
        }
    }

    /// The message of `field`, if it is invalid.
    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors.get(&field).map(String::as_str)
    }
}

fn capitalise(text: &str) -> String {
    crate::report::text::capitalised(text)
}

/// Which parameter a settings error is about.
fn param_of(error: &SettingsError, scenario: Scenario) -> Option<Param> {
    match error {
        SettingsError::InvalidRate { field, .. }
        | SettingsError::RateTooHigh { field, .. }
        | SettingsError::ZeroSize { field }
        | SettingsError::SizeTooLarge { field, .. }
        | SettingsError::QueryCountTooLarge { field, .. }
        | SettingsError::DurationTooLong { field, .. } => Param::of_setting_name(field),
        SettingsError::InvalidLatencyBound { .. } => Some(Param::LatencyBoundMs),
        SettingsError::MinDurationAboveMax { .. } => Some(Param::MaxDurationMs),
        SettingsError::MinQueryCountAboveMax { .. } => Some(Param::MaxQueryCount),
        SettingsError::TooManyGeneratedQueries { .. } => match scenario {
            Scenario::Server => Some(Param::TargetQps),
            _ => Some(Param::ExpectedQps),
        },
        _ => None,
    }
}

/// A comma is refused rather than guessed: "1,500" may be 1500 or 1.5 depending on where
/// the reader learnt to write numbers.
fn refuse_commas(text: &str) -> Result<(), String> {
    if text.contains(',') {
        Err(format!(
            "{:?}: write numbers without commas (1500, or 12.5 with a decimal point).",
            text.trim()
        ))
    } else {
        Ok(())
    }
}

/// A whole number, digits only (`_` may separate thousands).
fn parse_whole(text: &str) -> Result<u64, String> {
    refuse_commas(text)?;
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    if t.is_empty() {
        return Err("Type a whole number (digits only).".into());
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{:?} is not a whole number: type digits only.",
            text.trim()
        ));
    }
    t.parse::<u64>()
        .map_err(|_| format!("{} is too large.", text.trim()))
}

/// A finite number (`200`, `12.5`).
fn parse_number(text: &str) -> Result<f64, String> {
    refuse_commas(text)?;
    let t = text.trim().replace('_', "");
    if t.is_empty() {
        return Err("Type a number, e.g. 200.".into());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "{:?} is not a number: type one like 200 or 12.5.",
            text.trim()
        )),
    }
}

/// The assumed power draw, typed in watts (`45`, `45 W`): `None` when empty. Its range is
/// checked with the plan.
fn parse_power(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim().trim_end_matches(['W', 'w']).trim_end();
    if t.is_empty() {
        return Ok(None);
    }
    parse_number(t).map(Some).map_err(|_| {
        format!(
            "{:?}: type the machine's power draw in watts, e.g. 45, or leave it empty.",
            text.trim()
        )
    })
}

/// The Offline worker count: `None` when empty (one per logical core). Its range is checked
/// with the plan.
fn parse_workers(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_size(t).map(Some).map_err(|e| {
        format!("{t:?}: type how many workers serve Offline, e.g. 2, or leave it empty for one per core ({e})")
    })
}

/// The A/B share of queries for B, typed in percent (`50`, `25.5`, `50%`), as a fraction.
fn parse_share_percent(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%');
    let v = parse_number(t).map_err(|_| {
        format!(
            "{:?}: type the share of queries for B in percent, e.g. 50.",
            text.trim()
        )
    })?;
    if v > 0.0 && v < 100.0 {
        Ok(v / 100.0)
    } else {
        Err(format!(
            "{} is out of range: the share for B is a percentage strictly between 0 and 100 \
             (both variants need queries), e.g. 50.",
            text.trim()
        ))
    }
}

/// MLPerf's official seeds, with InferBench's default model-initialisation seed.
fn official_seeds() -> Seeds {
    Seeds {
        model_init: crate::model::TrainConfig::for_preset(ModelPreset::Default).seed,
        ..Seeds::MLPERF
    }
}

/// The seeds: MLPerf's official ones when empty, else the typed seed for every dimension.
fn parse_seed(text: &str) -> Result<Seeds, String> {
    if text.trim().is_empty() {
        return Ok(official_seeds());
    }
    parse_whole(text).map(Seeds::all).map_err(|_| {
        format!(
            "The seed is a whole number from 0 to {}, or empty for MLPerf's official seeds.",
            count(u64::MAX)
        )
    })
}

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
                        crate::bench::plan::OFFLINE_CALIBRATION_MS as f64
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
    // Training (unless the model is imported or the system synthetic) and the worker's
    // clock check, then the variants' tasks.
    let trains = plan.model_file.is_none() && synthetic.is_none();
    let accuracy = plan.measures_accuracy() && synthetic.is_none();
    let tasks = usize::from(trains)
        + 1
        + plan.variants.len()
            * (plan.scenarios.len()
                + usize::from(accuracy)
                + usize::from(plan.peak_search.is_some()))
        + usize::from(plan.ab_test.is_some());
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
