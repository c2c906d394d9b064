//! The verdict panel: in each scenario, every variant against the baseline variant, with the
//! core's sentence (speedup, CI, p-value, test), Holm-adjusted when several variants are
//! compared with the baseline at once ([`VerdictPanel`]).
//!
//! The samples compared are [`analysis_sample_ms`](crate::results::analysis_sample_ms) of each run: query latencies, and batch
//! service times for Offline. The bootstrap makes this the expensive part of a result's
//! analysis (about `resamples x samples` draws), so the page asks its worker for it.

use serde::{Deserialize, Serialize};

use crate::loadgen::run_overlap::percentile_overlap;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::report::text::tick_overlap_text;
use crate::report::verdict_text::{format_p_value_at, VerdictSentence};
use crate::report::{analyse, Analysed, ReportOptions};
use crate::results::{analysis_sample_label, BenchResult};
use crate::stats::{CompareConfig, QuotedTest, RatioOf, VerdictKind};

/// One comparison of a candidate variant with the baseline in one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictRow {
    /// The scenario.
    pub scenario: Scenario,
    /// The baseline variant.
    pub baseline: Variant,
    /// The candidate variant.
    pub candidate: Variant,
    /// What was compared: "query latency" or "batch service time".
    pub measure: String,
    /// The verdict as one sentence, e.g. "f32-fast is 1.82x faster than f32-naive (95% CI
    /// 1.74x-1.90x, p < 0.001, Welch)".
    pub sentence: String,
    /// The conclusion.
    pub kind: VerdictKind,
    /// The speedup (baseline / candidate), its interval and the interval's level.
    pub speedup: f64,
    /// Lower end of the speedup's bootstrap interval.
    pub speedup_lower: f64,
    /// Upper end of the speedup's bootstrap interval.
    pub speedup_upper: f64,
    /// The p-value the verdict used (Holm-adjusted in a family), as printed: "p < 0.001".
    pub p_value: String,
    /// The size of the Holm family, when adjusted.
    pub holm_family_size: Option<usize>,
    /// Sample sizes: baseline, candidate.
    pub sample_sizes: (usize, usize),
    /// What to keep in mind (an INVALID run among the two).
    pub caveats: Vec<String>,
}

/// Everything the verdict panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictPanel {
    /// The baseline variant, if the result has variants.
    pub baseline: Option<Variant>,
    /// The comparisons, by scenario (plan order), then candidate (plan order).
    pub rows: Vec<VerdictRow>,
    /// Comparisons that could not be made, and why.
    pub problems: Vec<String>,
    /// How the verdicts were reached, in one paragraph.
    pub method: String,
    /// Shown instead of rows when there is nothing to compare.
    pub note: Option<String>,
}

/// The verdict panel of `result`, comparing with `config`.
pub fn verdict_panel(result: &BenchResult, config: &CompareConfig) -> VerdictPanel {
    let options = ReportOptions {
        compare: config.clone(),
        ..ReportOptions::default()
    };
    verdict_panel_of(&analyse(result, &options))
}

/// The verdict panel of a result already analysed (the comparisons the report is written
/// from, so that the worker computes them once for both).
pub fn verdict_panel_of(analysed: &Analysed<'_>) -> VerdictPanel {
    let analysis = analysed.analysis();
    let result = analysis.result;
    let config = &analysis.options.compare;
    let baseline = result.variants.first();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let note = match (baseline, result.variants.len()) {
        (None, _) => Some("No variant ran, so there is nothing to compare.".to_string()),
        (Some(b), 1) => Some(format!(
            "Only {} ran: select two or more variants to compare them.",
            b.variant
        )),
        _ => None,
    };
    if let (Some(base), None) = (baseline, &note) {
        for scenario in result.plan.scenarios.iter().map(|s| s.scenario()) {
            let Some(base_run) = base.run(scenario) else {
                problems.push(format!(
                    "{scenario}: the baseline {} did not run it (the run was cancelled).",
                    base.variant
                ));
                continue;
            };
            let Some(family) = analysis.family(scenario) else {
                continue;
            };
            let base_n = analysis.runs[family.baseline_run].sample_ms.len();
            for member in &family.members {
                let c = match &member.comparison {
                    Ok(c) => c,
                    Err(e) => {
                        problems.push(format!(
                            "{scenario}: {} cannot be compared with {}: {e}.",
                            member.variant, base.variant
                        ));
                        continue;
                    }
                };
                let cand_run = analysis.runs[member.run].run;
                let mut caveats = Vec::new();
                for (variant, run) in [(base.variant, &base_run.run), (member.variant, cand_run)] {
                    if let Some(reason) = run.validity.reasons.first() {
                        let more = run.validity.reasons.len() - 1;
                        caveats.push(format!(
                            "The {variant} run is INVALID: {}{}",
                            reason.explanation(),
                            if more > 0 {
                                format!(" ({more} more reason{})", plural(more))
                            } else {
                                String::new()
                            }
                        ));
                    }
                }
                let tick = result.environment.timer.and_then(|t| t.resolution_ms);
                if let Some(o) = percentile_overlap(cand_run, tick, &base_run.run, tick) {
                    caveats.push(capitalised(&tick_overlap_text(&o)) + ".");
                }
                let s = c.verdict.inputs.speedup;
                rows.push(VerdictRow {
                    scenario,
                    baseline: base.variant,
                    candidate: member.variant,
                    measure: analysis_sample_label(scenario).to_string(),
                    sentence: c.sentence(base.variant.as_str(), member.variant.as_str()),
                    kind: c.verdict.kind,
                    speedup: s.point,
                    speedup_lower: s.ci.lower,
                    speedup_upper: s.ci.upper,
                    p_value: format_p_value_at(c.verdict.p_value, c.verdict.inputs.alpha),
                    holm_family_size: c.verdict.holm_family_size,
                    sample_sizes: (base_n, analysis.runs[member.run].sample_ms.len()),
                    caveats,
                });
            }
        }
    }
    VerdictPanel {
        baseline: baseline.map(|b| b.variant),
        rows,
        problems,
        method: method(config, baseline.map(|b| b.variant)),
        note,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// How the verdicts are reached, from the settings.
fn method(config: &CompareConfig, baseline: Option<Variant>) -> String {
    let test = match config.test {
        QuotedTest::Welch => "Welch's t-test",
        QuotedTest::MannWhitney => "the Mann-Whitney U test",
    };
    let ratio = match config.ratio_of {
        RatioOf::Means => "means",
        RatioOf::Medians => "medians",
    };
    format!(
        "In each scenario, every variant's latencies (Offline: the service times of full batches) are \
         compared with the baseline's{}: the p-value comes from {test}, the speedup is the ratio of \
         {ratio} (baseline / variant) with a seeded bootstrap {} confidence interval ({}). A difference is significant when p < {}; when several variants are \
         compared with the baseline in one scenario, their p-values are Holm-adjusted. A \
         significant speedup whose interval does not clear the {} noise threshold is reported as \"within noise\". \
         Where a run is timer-limited, its row says whether the two target percentiles differ \
         by more than their tick bounds (2 ticks each).",
        baseline.map_or_else(String::new, |b| format!(" ({b})")),
        super::units::level(config.confidence_level),
        crate::report::text::resamples_description(config),
        config.alpha,
        crate::report::verdict_text::format_percent(config.noise_threshold),
    )
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
