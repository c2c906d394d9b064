//! The A/B run's plain data: what it compares ([`AbSettings`]), which arm served each query
//! ([`Arm`]), what the arms are compared on ([`AbMeasure`]) and the analysed run
//! ([`AbResult`]). The run itself (the system under test that draws the arm per query) is
//! [`crate::bench::ab`].

use serde::{Deserialize, Serialize};

use crate::loadgen::result::RunResult;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::stats::{CompareConfig, Comparison};

/// What an A/B run compares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbSettings {
    /// Variant A (the baseline of the comparison).
    pub a: Variant,
    /// Variant B (the candidate).
    pub b: Variant,
    /// The scenario whose settings the run uses: SingleStream, MultiStream or Server (one
    /// call per query; Offline's batches are not queries).
    pub scenario: Scenario,
    /// Probability that a query goes to B, in (0, 1); 0.5 splits evenly.
    pub share_b: f64,
    /// Seed of the assignment.
    pub seed: u64,
}

/// Which variant served a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arm {
    /// Variant A.
    A,
    /// Variant B.
    B,
}

/// What an A/B run's arms are compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbMeasure {
    /// Each query's latency (SingleStream, MultiStream; results of schema version 1, where
    /// Server A/B runs were compared on latencies too).
    #[default]
    Latency,
    /// Each query's service time, issue to completion (Server): a Server query's latency
    /// includes its wait behind earlier queries, which belong to either arm, so the arms'
    /// latencies share each other's service and their ratio is pulled towards 1.
    ServiceTime,
}

impl AbMeasure {
    /// The measure of an A/B run of `scenario`.
    pub fn of(scenario: Scenario) -> Self {
        if scenario == Scenario::Server {
            AbMeasure::ServiceTime
        } else {
            AbMeasure::Latency
        }
    }

    /// In words, for labels: "query latency" or "service time".
    pub fn label(self) -> &'static str {
        match self {
            AbMeasure::Latency => "query latency",
            AbMeasure::ServiceTime => "service time",
        }
    }

    /// Why this measure, in one sentence for the page and the report (empty for latency).
    pub fn reason(self) -> &'static str {
        match self {
            AbMeasure::Latency => "",
            AbMeasure::ServiceTime => {
                "In a Server run a query's latency includes its wait behind earlier queries, \
                 whichever arm served them, which would pull the two arms' latencies together \
                 (and the speedup towards 1x): the arms are compared on their service times, \
                 from issue to completion."
            }
        }
    }
}

/// An A/B run and its analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbResult {
    /// What was compared.
    pub settings: AbSettings,
    /// The run: every query of both arms, in issue order.
    pub run: RunResult,
    /// The arm of each measured query, aligned with `run.queries`.
    pub arms: Vec<Arm>,
    /// What the comparison compares: query latencies, or (Server) service times.
    #[serde(default)]
    pub measure: AbMeasure,
    /// B against A (A is the baseline) on [`AbResult::measure`]; `None` when an arm has
    /// fewer than 2 queries or the statistics are undefined (`comparison_error` says why).
    pub comparison: Option<Comparison>,
    /// Why there is no comparison.
    pub comparison_error: Option<String>,
}

impl AbResult {
    /// Analyses a finished A/B run: `arms` are all the calls' arms, warm-up first.
    pub fn new(settings: AbSettings, run: RunResult, arms: &[Arm]) -> Self {
        let warmup = run.warmup.query_count as usize;
        let measured: Vec<Arm> = arms
            .iter()
            .skip(warmup)
            .take(run.queries.len())
            .copied()
            .collect();
        Self::analyse(settings, run, measured)
    }

    /// Analyses an A/B run whose measured queries went to `measured` arms (one per query of
    /// `run`, in order): what [`AbResult::new`] does once the warm-up's arms are dropped, and
    /// what a reader does to rebuild the comparison from a file ([`crate::results::derive`]).
    pub fn analyse(settings: AbSettings, run: RunResult, measured: Vec<Arm>) -> Self {
        let measure = AbMeasure::of(settings.scenario);
        let (a, b) = split_values(&run, &measured, measure);
        let (comparison, comparison_error) = if measured.len() != run.queries.len() {
            (
                None,
                Some(
                    "the assignment does not cover every query (the run was interrupted)"
                        .to_string(),
                ),
            )
        } else {
            match Comparison::of(&a, &b, &CompareConfig::default()) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        Self {
            settings,
            run,
            arms: measured,
            measure,
            comparison,
            comparison_error,
        }
    }

    /// The values of arm A and arm B that the comparison compares ([`AbResult::measure`]),
    /// in ms.
    pub fn compared_ms(&self) -> (Vec<f64>, Vec<f64>) {
        split_values(&self.run, &self.arms, self.measure)
    }
}

fn split_values(run: &RunResult, arms: &[Arm], measure: AbMeasure) -> (Vec<f64>, Vec<f64>) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (q, arm) in run.queries.iter().zip(arms) {
        let v = match measure {
            AbMeasure::Latency => q.latency_ms(),
            AbMeasure::ServiceTime => (q.completed_ns - q.issued_ns) as f64 / 1e6,
        };
        match arm {
            Arm::A => a.push(v),
            Arm::B => b.push(v),
        }
    }
    (a, b)
}
