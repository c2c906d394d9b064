//! One group of the comparison (a variant and a scenario): every machine's row against the
//! baseline, with its headline, speedup and verdict, and the group's charts' data; the
//! machines not compared and why; and the comparison's summary sentences.

use super::{
    cdf_quantiles_ms, CdfCurve, CompareView, GroupView, MachineRowView, RowView, SpeedupPoint,
    WorkloadDiffers, CDF_QUANTILES,
};
use crate::compare::{Difference, ImportSet, MachineComparison, RegressionVerdict, RowStatus};
use crate::format::{count, p_value, times};
use crate::loadgen::settings::Scenario;
use crate::plot::cdf::{CdfData, CdfSeries};
use crate::plot::estimates::{Estimate, EstimatesData};
use crate::plot::Chart;
use crate::report::text::join_and;
use crate::report::verdict_text::format_percent;
use crate::results::headline::HeadlineKind;
use crate::results::{analysis_sample_label, analysis_sample_ms, Headline};
use crate::view::charts::ChartView;
use crate::view::units::{latency, latency_ci, rate, rate_ci};

/// "seeds.schedule: 7 (baseline) vs 8".
pub(super) fn difference_text(d: &Difference) -> String {
    format!("{}: {} (baseline) vs {}", d.field, d.a, d.b)
}

pub(super) fn headline_text(h: &Headline) -> (String, Option<String>) {
    match h.kind {
        HeadlineKind::LatencyPercentile => (
            latency(h.value),
            h.ci.as_ref().map(|ci| latency_ci(h.value, ci)),
        ),
        HeadlineKind::Throughput => (
            rate(h.value, "samples/s"),
            h.ci.as_ref().map(|ci| rate_ci(ci, "samples/s")),
        ),
    }
}

pub(super) fn group_view(
    c: &MachineComparison,
    set: &ImportSet,
    g: &crate::compare::machines::Group,
) -> GroupView {
    let name = |i: usize| c.machines[i].name.clone();
    let mut rows = Vec::with_capacity(g.rows.len());
    let mut workload_differs = Vec::new();
    let mut speedups = Vec::new();
    let mut cdf = Vec::new();
    let headline_label = g
        .rows
        .iter()
        .find_map(|r| r.headline.map(|h| h.label()))
        .unwrap_or_else(|| "headline".into());
    for r in &g.rows {
        let (headline, headline_ci) = r
            .headline
            .as_ref()
            .map_or(("–".to_string(), None), headline_text);
        let mut curve = false;
        let status = match &r.status {
            RowStatus::Baseline => {
                curve = true;
                RowView::Baseline
            }
            RowStatus::Compared(v) => {
                curve = true;
                let s = &v.comparison.speedup.of_means;
                if s.point.is_finite() && s.ci.lower.is_finite() && s.ci.upper.is_finite() {
                    speedups.push(SpeedupPoint {
                        machine: name(r.machine),
                        speedup: s.point,
                        lower: s.ci.lower,
                        upper: s.ci.upper,
                    });
                }
                RowView::Compared {
                    speedup: times(s.point),
                    speedup_ci: format!(
                        "{} CI {}–{}",
                        crate::view::units::level(s.ci.confidence_level),
                        times(s.ci.lower),
                        times(s.ci.upper)
                    ),
                    welch_p_holm: p_value(v.welch_p_holm),
                    mann_whitney_p_holm: p_value(v.mann_whitney_p_holm),
                    verdict: RegressionVerdict::of(v.comparison.verdict.kind),
                    sentence: v.sentence.clone(),
                }
            }
            RowStatus::WorkloadDiffers { differences } => {
                workload_differs.push(WorkloadDiffers {
                    machine: name(r.machine),
                    differences: differences.iter().map(difference_text).collect(),
                });
                RowView::NotCompared {
                    reason: "not compared: its workload differs (see below)".into(),
                }
            }
            RowStatus::Missing => RowView::NotCompared {
                reason: format!("did not run {} {}", g.variant, g.scenario),
            },
            RowStatus::NotComparable { reason } => RowView::NotCompared {
                reason: format!("not compared: {reason}"),
            },
        };
        if curve {
            if let Some(run) = set.files()[r.machine]
                .result
                .variants
                .iter()
                .find(|v| v.variant == g.variant)
                .and_then(|v| v.run(g.scenario))
            {
                let sample = analysis_sample_ms(&run.run);
                cdf.push(CdfCurve {
                    machine: name(r.machine),
                    quantiles_ms: cdf_quantiles_ms(&sample, CDF_QUANTILES),
                    n: sample.len(),
                });
            }
        }
        rows.push(MachineRowView {
            machine: name(r.machine),
            altered: c.machines[r.machine].altered.is_some(),
            headline,
            headline_ci,
            valid: r.valid,
            queries: if r.valid.is_some() {
                count(r.queries as u64)
            } else {
                "–".into()
            },
            status,
            notes: r
                .notes
                .iter()
                .map(|d| format!("{} differs: {} (baseline) vs {}", d.field, d.a, d.b))
                .collect(),
        });
    }
    GroupView {
        id: format!(
            "compare-{}-{}",
            g.variant,
            g.scenario.to_string().to_ascii_lowercase()
        ),
        variant: g.variant,
        scenario: g.scenario,
        headline_label,
        measure: analysis_sample_label(g.scenario).to_string(),
        rows,
        workload_differs,
        speedups,
        cdf,
    }
}

/// Every machine left out somewhere, with the union of what differs (first seen order).
pub(super) fn not_compared(groups: &[GroupView]) -> Vec<WorkloadDiffers> {
    let mut out: Vec<WorkloadDiffers> = Vec::new();
    for w in groups.iter().flat_map(|g| &g.workload_differs) {
        let entry = match out.iter().position(|o| o.machine == w.machine) {
            Some(i) => &mut out[i],
            None => {
                out.push(WorkloadDiffers {
                    machine: w.machine.clone(),
                    differences: Vec::new(),
                });
                out.last_mut().expect("just pushed")
            }
        };
        for d in &w.differences {
            if !entry.differences.contains(d) {
                entry.differences.push(d.clone());
            }
        }
    }
    out
}

pub(super) fn summary(c: &MachineComparison, view: &CompareView) -> Vec<String> {
    let base = &c.machines[c.baseline].name;
    let threshold = format_percent(c.config.noise_threshold);
    let mut out = vec![format!(
        "Every machine against {base} (the baseline), run by run, at a {threshold} threshold: a \
         change is a REGRESSION or an IMPROVEMENT only when it is significant (Holm-corrected \
         p < {}) and its whole {} speedup interval lies beyond ±{threshold}; anything else is \
         NO CHANGE.",
        c.config.alpha,
        crate::view::units::level(c.config.confidence_level),
    )];
    let (mut up, mut down, mut same) = (0u64, 0u64, 0u64);
    for g in &view.groups {
        for r in &g.rows {
            if let RowView::Compared { verdict, .. } = &r.status {
                match verdict {
                    RegressionVerdict::Improvement => up += 1,
                    RegressionVerdict::Regression => down += 1,
                    RegressionVerdict::NoChange => same += 1,
                }
            }
        }
    }
    let compared = up + down + same;
    out.push(if compared == 0 {
        "No run could be compared with the baseline's.".to_string()
    } else {
        format!(
            "{} compared: {up} IMPROVEMENT, {down} REGRESSION, {same} NO CHANGE.",
            crate::report::text::plural(compared, "run", "runs")
        )
    });
    if !view.not_compared.is_empty() {
        let who: Vec<String> = view
            .not_compared
            .iter()
            .map(|w| w.machine.clone())
            .collect();
        out.push(format!(
            "Not compared where their workload differs from the baseline's: {}. Results are \
             compared only when they did the same work: the same InferBench version, model \
             preset, variants, seeds and scenario settings. Run again with the baseline's \
             settings (listed below) to compare them, or pick one of them as the baseline.",
            join_and(&who)
        ));
    }
    let missing: Vec<String> = view
        .groups
        .iter()
        .flat_map(|g| {
            g.rows.iter().filter_map(move |r| match &r.status {
                RowView::NotCompared { reason } if reason.starts_with("did not run") => {
                    Some(format!("{} ({} {})", r.machine, g.variant, g.scenario))
                }
                _ => None,
            })
        })
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "Runs the baseline has and these machines do not: {}.",
            join_and(&missing)
        ));
    }
    out
}

impl GroupView {
    /// The group's title: "f32-naive, SingleStream".
    pub fn title(&self) -> String {
        format!("{}, {}", self.variant, self.scenario)
    }

    /// The speedup chart (CI error bars, reference at 1x) and the overlaid CDFs.
    pub fn charts(&self, baseline: &str) -> Vec<ChartView> {
        let mut charts = Vec::new();
        if !self.speedups.is_empty() {
            charts.push(ChartView {
                id: format!("{}-speedup", self.id),
                chart: Chart::Estimates(EstimatesData {
                    title: format!("{}: speedup against {baseline}", self.title()),
                    y_desc: "Speedup vs baseline (x)".into(),
                    estimates: self
                        .speedups
                        .iter()
                        .map(|s| Estimate {
                            label: s.machine.clone(),
                            value: s.speedup,
                            lower: Some(s.lower),
                            upper: Some(s.upper),
                        })
                        .collect(),
                    reference: Some((format!("as fast as {baseline}"), 1.0)),
                    from_zero: false,
                }),
                how_to_read: format!(
                    "Each dot is how many times faster a machine is than {baseline} (ratio of \
                     mean {}s), with its bootstrap 95% interval. Above the red line is faster, \
                     below is slower; an interval that crosses it is no clear difference.",
                    self.measure
                ),
            });
        }
        if !self.cdf.is_empty() {
            let unit = if self.scenario == Scenario::Offline {
                "batches"
            } else {
                "queries"
            };
            charts.push(ChartView {
                id: format!("{}-cdf", self.id),
                chart: Chart::Cdf(CdfData {
                    title: format!("{}: {} CDF by machine", self.title(), self.measure),
                    series: self
                        .cdf
                        .iter()
                        .map(|c| CdfSeries {
                            label: c.machine.clone(),
                            latencies_ms: c.quantiles_ms.clone(),
                        })
                        .collect(),
                    bound_ms: None,
                }),
                how_to_read: format!(
                    "Each curve gives the share of a machine's {unit} (y) that took at most a \
                     given {} (x): a curve further left is faster. Only the baseline and the \
                     machines compared with it are drawn.",
                    self.measure
                ),
            });
        }
        charts
    }
}
