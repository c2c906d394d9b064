//! The A/B panel of a result ([`AbPanel`]): two variants that served one run together, query
//! by query, with a seeded traffic split; the verdict sentence (computed by the session with
//! the same statistics as every other comparison, and stored in the result), the queries per
//! arm, a summary per arm and the CDF of both arms.

use serde::{Deserialize, Serialize};

use super::charts::ChartView;
use super::units::{latency, latency_ci};
use crate::format::count;
use crate::plan::ab::{AbResult, Arm};
use crate::plot::cdf::{CdfData, CdfSeries};
use crate::plot::Chart;
use crate::report::verdict_text::format_percent;
use crate::report::verdict_text::AbSentence;
use crate::results::BenchResult;
use crate::stats::{Summary, VerdictKind};

/// One arm's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmRow {
    /// "A: f32-naive".
    pub arm: String,
    /// Queries it served (measured ones).
    pub queries: String,
    /// Mean latency.
    pub mean: String,
    /// Its interval.
    pub mean_ci: String,
    /// LoadGen p50.
    pub p50: String,
    /// LoadGen p90.
    pub p90: String,
    /// LoadGen p99.
    pub p99: String,
}

/// Everything the A/B panel shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AbPanel {
    /// "f32-fast (B) against f32-naive (A), SingleStream".
    pub title: String,
    /// How the run was split, in one or two sentences.
    pub description: String,
    /// The verdict sentence, or why there is none.
    pub verdict: String,
    /// The verdict's kind, when there is one.
    pub kind: Option<VerdictKind>,
    /// One row per arm, A then B (an arm with fewer than 2 queries has none).
    pub arms: Vec<ArmRow>,
    /// Queries served by A and by B.
    pub queries: (usize, usize),
    /// The CDF of both arms.
    pub chart: Option<ChartView>,
}

fn arm_row(name: String, latencies_ms: &[f64]) -> Option<ArmRow> {
    let s = Summary::of(latencies_ms).ok()?;
    let pct = |p: f64| {
        s.percentiles
            .iter()
            .find(|e| (e.percentile - p).abs() < 1e-12)
            .map_or_else(|| "–".into(), |e| latency(e.value_ms))
    };
    Some(ArmRow {
        arm: name,
        queries: count(s.n as u64),
        mean: latency(s.mean_ms),
        mean_ci: latency_ci(s.mean_ms, &s.mean_ci_ms),
        p50: pct(0.5),
        p90: pct(0.9),
        p99: pct(0.99),
    })
}

/// The A/B panel of `result`: `None` when the plan asked for no A/B run; a panel that says
/// so when it was asked for but did not run (a cancelled session).
pub fn ab_panel(result: &BenchResult) -> Option<AbPanel> {
    let Some(ab) = &result.ab_test else {
        let s = result.plan.ab_test?;
        return Some(AbPanel {
            title: format!("{} (B) against {} (A), {}", s.b, s.a, s.scenario),
            description: "The plan asked for this A/B run, but it did not run: the session \
                          ended first."
                .into(),
            verdict: "No verdict.".into(),
            kind: None,
            arms: Vec::new(),
            queries: (0, 0),
            chart: None,
        });
    };
    Some(panel_of(ab))
}

fn panel_of(ab: &AbResult) -> AbPanel {
    let s = &ab.settings;
    let b_queries = ab.arms.iter().filter(|a| **a == Arm::B).count();
    let a_queries = ab.arms.len() - b_queries;
    let (a, b) = ab.compared_ms();
    let measure = ab.measure.label();
    let a_name = format!("A: {}", s.a);
    let b_name = format!("B: {}", s.b);
    let arms: Vec<ArmRow> = [arm_row(a_name.clone(), &a), arm_row(b_name.clone(), &b)]
        .into_iter()
        .flatten()
        .collect();
    let validity = if ab.run.validity.valid {
        "The run is VALID.".to_string()
    } else {
        format!(
            "The run is INVALID: {}.",
            ab.run
                .validity
                .reasons
                .iter()
                .map(|r| r.explanation().trim_end_matches('.').to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    let verdict = match (ab.sentence(), &ab.comparison_error) {
        (Some(sentence), _) => sentence,
        (None, Some(reason)) => format!("No verdict: {reason}."),
        (None, None) => "No verdict.".into(),
    };
    let chart = (!a.is_empty() || !b.is_empty()).then(|| ChartView {
        id: "chart-ab-cdf".into(),
        chart: Chart::Cdf(CdfData {
            title: format!("A/B {}: {measure} CDF by arm", s.scenario),
            series: vec![
                CdfSeries {
                    label: a_name,
                    latencies_ms: a,
                },
                CdfSeries {
                    label: b_name,
                    latencies_ms: b,
                },
            ],
            bound_ms: None,
        }),
        how_to_read: format!(
            "Each curve gives the share of an arm's queries (y) that took at most a given \
             {measure} (x): the curve further left is the faster variant. Both arms ran at the \
             same times, so drift and background load hit both alike."
        ),
    });
    AbPanel {
        title: format!("{} (B) against {} (A), {}", s.b, s.a, s.scenario),
        description: format!(
            "{} and {} served one {} run together: each query went to B with probability {} by \
             a draw seeded with {}, so both met the same conditions. A served {} queries, B \
             served {}. {validity}{}",
            s.a,
            s.b,
            s.scenario,
            format_percent(s.share_b),
            s.seed,
            count(a_queries as u64),
            count(b_queries as u64),
            match ab.measure.reason() {
                "" => String::new(),
                why => format!(" {why}"),
            }
        ),
        verdict,
        kind: ab.comparison.as_ref().map(|c| c.verdict.kind),
        arms,
        queries: (a_queries, b_queries),
        chart,
    }
}
