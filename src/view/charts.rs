//! The data of every chart the results page draws, with one or two lines under each saying
//! how to read it ([`ChartView`]).
//!
//! Per scenario: the CDF of the variants' latencies overlaid, a histogram per variant, and
//! for Server each variant's latency over time (queueing against service). Across
//! scenarios: Offline throughput with CI error bars, accuracy against SingleStream p90
//! latency with the Pareto frontier, and latency against QPS when the peak search ran. (The
//! speedup of each variant against the baseline is the summary's chart, [`super::summary`].)

use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::Scenario;
use crate::plot::cdf::{CdfData, CdfSeries};
use crate::plot::estimates::{Estimate, EstimatesData};
use crate::plot::histogram::HistogramData;
use crate::plot::pareto::{ParetoData, ParetoPoint};
use crate::plot::qps::{QpsData, QpsProbe};
use crate::plot::timeline::{TimelineData, TimelinePoint};
use crate::plot::Chart;
use crate::results::{analysis_sample_label, analysis_sample_ms, BenchResult};
use crate::stats::pareto::{pareto_frontier, ParetoPoint as StatsParetoPoint};
use crate::stats::sample::finite_sorted;

use super::cards::offline_throughput;
use super::units::percentile_name;

/// A chart with its reading guide.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChartView {
    /// A stable id for the page (`chart-cdf-server`, `chart-hist-server-int8`...).
    pub id: String,
    /// The chart and its data.
    pub chart: Chart,
    /// How to read it, in one or two sentences.
    pub how_to_read: String,
}

/// The charts of one scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioCharts {
    /// The scenario.
    pub scenario: Scenario,
    /// CDF, histograms, timelines.
    pub charts: Vec<ChartView>,
}

fn slug(scenario: Scenario) -> String {
    scenario.to_string().to_ascii_lowercase()
}

/// The charts of each scenario that ran, in the plan's order.
///
/// - Time: a sort of every run's values (the CDF and the histogram draw them sorted): the
///   worker's work, never the page's ([`super::result_page`]).
pub fn scenario_charts(result: &BenchResult) -> Vec<ScenarioCharts> {
    result
        .plan
        .scenarios
        .iter()
        .map(|s| s.scenario())
        .filter_map(|scenario| {
            let runs: Vec<_> = result
                .variants
                .iter()
                .filter_map(|v| v.run(scenario).map(|r| (v.variant, &r.run)))
                .collect();
            if runs.is_empty() {
                return None;
            }
            let mut sorted: Vec<Vec<f64>> = runs
                .iter()
                .map(|(_, r)| finite_sorted(&analysis_sample_ms(r)))
                .collect();
            let measure = analysis_sample_label(scenario);
            let unit = if scenario == Scenario::Offline {
                "batches"
            } else {
                "queries"
            };
            let bound_ms = runs.iter().find_map(|(_, r)| match r.metric {
                Some(ScenarioMetric::Server(m)) => Some(m.latency_bound_ms),
                _ => None,
            });
            let mut charts = vec![ChartView {
                id: format!("chart-cdf-{}", slug(scenario)),
                chart: Chart::Cdf(CdfData {
                    title: format!("{scenario}: {measure} CDF"),
                    series: runs
                        .iter()
                        .zip(&sorted)
                        .map(|((v, _), x)| CdfSeries {
                            label: v.to_string(),
                            latencies_ms: x.clone(),
                        })
                        .collect(),
                    bound_ms,
                }),
                how_to_read: format!(
                    "Each curve gives the share of {unit} (y) that took at most a given {measure} \
                     (x): a curve further left is faster, and where it flattens near the top \
                     shows the slow tail. When the tail would squash the curves against the \
                     left edge, the x axis is logarithmic (its label says so).{}",
                    if bound_ms.is_some() {
                        " The red line is the latency bound."
                    } else {
                        ""
                    }
                ),
            }];
            for ((variant, r), sample) in runs.iter().zip(sorted.iter_mut()) {
                let sample = std::mem::take(sample);
                let mut markers = Vec::new();
                if let Some(l) = r.latency.filter(|_| scenario != Scenario::Offline) {
                    markers.push(("p50".to_string(), l.p50_ms));
                    let p = r.settings.target_percentile;
                    let at = match r.metric {
                        Some(m) => match m {
                            ScenarioMetric::SingleStream(m) => Some(m.percentile_latency_ms),
                            ScenarioMetric::MultiStream(m) => Some(m.percentile_latency_ms),
                            ScenarioMetric::Server(m) => Some(m.percentile_latency_ms),
                            ScenarioMetric::Offline(_) => None,
                        },
                        None => None,
                    };
                    if let Some(at) = at {
                        markers.push((percentile_name(p), at));
                    }
                }
                charts.push(ChartView {
                    id: format!("chart-hist-{}-{variant}", slug(scenario)),
                    chart: Chart::Histogram(HistogramData {
                        title: format!("{variant} {scenario}: {measure}"),
                        latencies_ms: sample,
                        markers,
                        resolution_ms: r.timer_resolution_ms,
                    }),
                    how_to_read: format!(
                        "Bars count the {unit} in each {measure} bin (no bin is narrower than \
                         one timer tick){}. A second hump or a long right tail means some {unit} \
                         were much slower than the rest.",
                        if scenario == Scenario::Offline {
                            ""
                        } else {
                            "; the vertical lines mark the median and the scenario's percentile"
                        }
                    ),
                });
            }
            if scenario == Scenario::Server {
                for (variant, r) in &runs {
                    charts.push(ChartView {
                        id: format!("chart-timeline-server-{variant}"),
                        chart: Chart::Timeline(TimelineData {
                            title: format!("{variant} Server: latency over the run"),
                            points: r
                                .queries
                                .iter()
                                .map(|q| TimelinePoint {
                                    at_s: q.scheduled_ns as f64 / 1e9,
                                    latency_ms: q.latency_ms(),
                                    service_ms: q.service_ms(),
                                })
                                .collect(),
                            bound_ms,
                        }),
                        how_to_read: "Each query at its scheduled arrival: its latency \
                                      (queueing + service) and its service time alone; the gap \
                                      between the two is time spent waiting. Latencies that \
                                      climb during the run mean the arrivals outpace the model."
                            .to_string(),
                    });
                }
            }
            Some(ScenarioCharts { scenario, charts })
        })
        .collect()
}

/// The charts across variants: Offline throughput, Pareto, latency against QPS (the speedups
/// are the summary's overview chart, [`super::summary::speedup_chart`]).
pub fn comparison_charts(result: &BenchResult) -> Vec<ChartView> {
    let mut charts = Vec::new();
    let offline: Vec<Estimate> = result
        .variants
        .iter()
        .filter_map(|v| {
            let run = v.run(Scenario::Offline)?;
            let t = offline_throughput(&run.run, run.summary.as_ref())?;
            Some(Estimate {
                label: v.variant.to_string(),
                value: t.samples_per_second,
                lower: t.ci.map(|c| c.lower),
                upper: t.ci.map(|c| c.upper),
            })
        })
        .collect();
    if !offline.is_empty() {
        charts.push(ChartView {
            id: "chart-offline-throughput".into(),
            chart: Chart::Estimates(EstimatesData {
                title: "Offline throughput (from batch service times)".into(),
                y_desc: "Samples per second".into(),
                estimates: offline,
                reference: None,
                from_zero: true,
            }),
            how_to_read: "Each dot is a variant's throughput, batch size over its mean batch \
                          service time; the whiskers are the 95% confidence interval. \
                          Higher is better; whiskers that overlap mean the difference may \
                          be noise."
                .into(),
        });
    }
    if let Some(pareto) = pareto_chart(result) {
        charts.push(pareto);
    }
    for v in &result.variants {
        let Some(peak) = &v.peak else { continue };
        let probes: Vec<QpsProbe> = peak
            .probes
            .iter()
            .filter_map(|p| {
                Some(QpsProbe {
                    target_qps: p.target_qps,
                    percentile_latency_ms: p.percentile_latency_ms?,
                    valid: p.valid,
                })
            })
            .collect();
        let Some(first) = peak.probes.first() else {
            continue;
        };
        charts.push(ChartView {
            id: format!("chart-qps-{}", v.variant),
            chart: Chart::Qps(QpsData {
                title: format!("{} Server: latency against offered load", v.variant),
                probes,
                bound_ms: first.latency_bound_ms,
                percentile_label: percentile_name(first.percentile),
            }),
            how_to_read: "Each point is one Server run of the peak search at a target QPS: \
                          filled points were VALID. The highest filled point below the bound \
                          is the peak the machine sustains."
                .into(),
        });
    }
    charts
}

/// The accuracy/latency chart, when at least one variant has both an accuracy and a
/// SingleStream p90.
fn pareto_chart(result: &BenchResult) -> Option<ChartView> {
    let measured: Vec<(String, StatsParetoPoint)> = result
        .variants
        .iter()
        .filter_map(|v| {
            let accuracy = v.top1()?;
            let p90 = v.run(Scenario::SingleStream)?.run.percentile_latency_ms()?;
            Some((
                v.variant.to_string(),
                StatsParetoPoint {
                    accuracy,
                    p90_latency_ms: p90,
                },
            ))
        })
        .collect();
    if measured.is_empty() {
        return None;
    }
    let points: Vec<StatsParetoPoint> = measured.iter().map(|m| m.1).collect();
    let status = pareto_frontier(&points).ok()?;
    Some(ChartView {
        id: "chart-pareto".into(),
        chart: Chart::Pareto(ParetoData {
            title: "Accuracy against SingleStream p90 latency".into(),
            points: measured
                .into_iter()
                .zip(status)
                .map(|((label, p), s)| ParetoPoint {
                    label,
                    latency_ms: p.p90_latency_ms,
                    accuracy: p.accuracy,
                    dominated: !s.on_frontier,
                })
                .collect(),
        }),
        how_to_read: "Up is more accurate, left is faster. Filled points are on the Pareto \
                      frontier (no variant is both faster and at least as accurate); hollow \
                      points are dominated by one that is."
            .into(),
    })
}
