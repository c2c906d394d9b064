//! The form's fields: each scenario parameter ([`Param`], with its MLPerf name, unit and
//! text) and every field a message can sit next to ([`Field`]).

use crate::loadgen::settings::{Scenario, ScenarioSettings, TestSettings};

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

    pub(super) fn of_setting_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The parameter's value in `settings`, as the form writes it.
    pub(super) fn text_of(self, s: &TestSettings) -> String {
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
    pub(super) fn position(self) -> (u8, usize, usize) {
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
