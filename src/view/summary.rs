//! The summary block that opens the results, readable in five seconds: per scenario, each
//! variant's headline metric with its interval, VALID or INVALID (with the first reason) and
//! its timer-limited mark, then that scenario's verdict sentences; and one overview chart, the
//! speedup of each variant against the baseline in every scenario ([`SummaryView`]).
//!
//! Everything comes from the cards ([`super::cards`]) and the verdict panel
//! ([`super::verdict`]); the summary adds no number of its own.

use std::rc::Rc;

use crate::format::count;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::plot::estimates::{Estimate, EstimatesData};
use crate::plot::Chart;
use crate::stats::VerdictKind;

use super::cards::ResultCards;
use super::charts::ChartView;
use super::state::Pending;
use super::verdict::VerdictPanel;

/// One variant's headline in one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryLine {
    /// The variant.
    pub variant: Variant,
    /// The headline value with its unit, e.g. "152.3 µs".
    pub value: String,
    /// Its confidence interval, e.g. "95% CI 151.0–153.9 µs", when it has one.
    pub ci: Option<String>,
    /// VALID or INVALID.
    pub valid: bool,
    /// Why it is INVALID, the first of its reasons (the card lists them all).
    pub reason: Option<String>,
    /// Its timer-limited mark, e.g. "timer-limited (p90 ±10.00 µs, ±17%)", when its latencies
    /// are under 20 ticks (the card's, see [`super::timing`]).
    pub timer_limited: Option<String>,
}

/// A verdict sentence of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryVerdict {
    /// The candidate compared with the baseline.
    pub candidate: Variant,
    /// The conclusion.
    pub kind: VerdictKind,
    /// The sentence, e.g. "f32-fast is 4.03x faster than f32-naive (95% CI ...)".
    pub sentence: String,
    /// What to keep in mind (an INVALID run among the two).
    pub caveats: Vec<String>,
    /// The samples compared, e.g. "n = 13,163 and 52,017 (query latency)".
    pub samples: String,
}

/// What the verdict panel says besides its sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictNotes {
    /// Shown instead of verdicts when there is nothing to compare (a single variant).
    pub note: Option<String>,
    /// Comparisons that could not be made, and why.
    pub problems: Vec<String>,
    /// How the verdicts were reached, in one paragraph.
    pub method: String,
}

/// One scenario of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSummary {
    /// The scenario.
    pub scenario: Scenario,
    /// The headline metric's name, e.g. "p90 latency".
    pub metric: String,
    /// Each variant that ran it, in the plan's order (baseline first).
    pub lines: Vec<SummaryLine>,
    /// The scenario's verdicts, once the worker has computed them.
    pub verdicts: Vec<SummaryVerdict>,
}

/// The summary block.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryView {
    /// Per scenario, in the plan's order.
    pub scenarios: Vec<ScenarioSummary>,
    /// Where the verdict stands: waiting for the worker, failed (with why), or ready.
    pub verdict: Pending<VerdictNotes>,
    /// Scenario runs that are VALID, and all of them.
    pub valid_runs: (usize, usize),
    /// The overview chart: each variant's speedup against the baseline in every scenario,
    /// when there is a verdict to draw.
    pub overview: Option<ChartView>,
}

/// The summary of the result whose cards are `cards`, with its verdict panel as far as it
/// is known.
pub fn summary_view(cards: &ResultCards, verdict: &Pending<Rc<VerdictPanel>>) -> SummaryView {
    let panel = match verdict {
        Pending::Ready(p) => Some(p.as_ref()),
        _ => None,
    };
    let scenarios: Vec<ScenarioSummary> = cards
        .scenarios
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(scenario, cards)| ScenarioSummary {
            scenario: *scenario,
            metric: cards[0].headline.label.clone(),
            lines: cards
                .iter()
                .map(|c| SummaryLine {
                    variant: c.variant,
                    value: c.headline.value.clone(),
                    ci: c.headline.ci.clone(),
                    valid: c.valid,
                    reason: c.reasons.first().map(|r| r.explanation.clone()),
                    timer_limited: c.timer_limited.clone(),
                })
                .collect(),
            verdicts: panel.map_or_else(Vec::new, |p| {
                p.rows
                    .iter()
                    .filter(|r| r.scenario == *scenario)
                    .map(|r| SummaryVerdict {
                        candidate: r.candidate,
                        kind: r.kind,
                        sentence: r.sentence.clone(),
                        caveats: r.caveats.clone(),
                        samples: format!(
                            "n = {} and {} ({})",
                            count(r.sample_sizes.0 as u64),
                            count(r.sample_sizes.1 as u64),
                            r.measure
                        ),
                    })
                    .collect()
            }),
        })
        .collect();
    let runs: Vec<&SummaryLine> = scenarios.iter().flat_map(|s| &s.lines).collect();
    SummaryView {
        valid_runs: (runs.iter().filter(|l| l.valid).count(), runs.len()),
        verdict: match verdict {
            Pending::Waiting => Pending::Waiting,
            Pending::Failed(m) => Pending::Failed(m.clone()),
            Pending::Ready(p) => Pending::Ready(VerdictNotes {
                note: p.note.clone(),
                problems: p.problems.clone(),
                method: p.method.clone(),
            }),
        },
        overview: panel.and_then(speedup_chart),
        scenarios,
    }
}

/// The speedup of each candidate against the baseline in every scenario, with its bootstrap
/// interval (from the verdict), or `None` when nothing was compared.
pub fn speedup_chart(panel: &VerdictPanel) -> Option<ChartView> {
    if panel.rows.is_empty() {
        return None;
    }
    let baseline = panel.baseline.map_or_else(String::new, |b| b.to_string());
    Some(ChartView {
        id: "chart-speedup".into(),
        chart: Chart::Estimates(EstimatesData {
            title: format!("Speedup against {baseline}"),
            y_desc: "Speedup (baseline / variant, x)".into(),
            estimates: panel
                .rows
                .iter()
                .map(|r| Estimate {
                    label: format!("{} {}", r.candidate, short(r.scenario)),
                    value: r.speedup,
                    lower: Some(r.speedup_lower),
                    upper: Some(r.speedup_upper),
                })
                .collect(),
            reference: Some((format!("as fast as {baseline}"), 1.0)),
            from_zero: false,
        }),
        how_to_read: format!(
            "Each dot is how many times faster a variant is than {baseline} in a scenario \
             (SS SingleStream, MS MultiStream, Srv Server, Off Offline), with its bootstrap \
             95% interval. Above the red line is faster; an interval that crosses it is \
             no clear difference."
        ),
    })
}

/// A scenario's short name for crowded axis labels.
fn short(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::SingleStream => "SS",
        Scenario::MultiStream => "MS",
        Scenario::Server => "Srv",
        Scenario::Offline => "Off",
    }
}
