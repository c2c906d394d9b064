//! The form's validation ([`SetupForm::check`]) into a runnable plan or a message per field
//! ([`FormCheck`]), and what is shown of it: a field's message once edited, the line next to
//! Run.

use std::collections::HashMap;

use super::fields::{Field, Param};
use super::parse::{
    official_seeds, parse_number, parse_power, parse_seed, parse_share_percent, parse_size,
    parse_whole, parse_workers,
};
use super::state::{ModelFileState, SetupForm};
use super::summary::plan_summary;
use crate::format::count;
use crate::loadgen::error::SettingsError;
use crate::loadgen::peak::PeakSearchSettings;
use crate::loadgen::settings::{Scenario, ScenarioSettings, Seeds, TestSettings};
use crate::model::synthetic::SYNTHETIC_SAMPLES;
use crate::plan::ab::AbSettings;
use crate::plan::{BenchPlan, PlanError, PlanPreset};

impl SetupForm {
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
        match crate::view::conf::parse_sut(&self.sut) {
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
            match crate::view::conf::apply_user_conf(&mut plan, &self.user_conf) {
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
    pub user_conf: Vec<crate::view::conf::ConfRow>,
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
