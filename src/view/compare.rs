//! The "Compare machines" section: the files a user loads, the threshold they type, and
//! what the worker answers ([`CompareView`]): per file its machine or its one-line error,
//! then per variant and scenario every machine against the chosen baseline, with
//! REGRESSION / IMPROVEMENT / NO CHANGE at the threshold, the machines whose workload
//! differs with what differs, the data of two charts, and the comparison report.
//!
//! [`compare_files`] runs in the worker (its bootstraps take seconds); everything here is
//! pure and tested natively (`tests/native/view_compare.rs`).
//!
//! **This panel is the regression check**: a saved baseline result against the current one
//! with a threshold. A change is REGRESSION or IMPROVEMENT only when it is significant
//! (Holm-corrected p < α) *and* its whole speedup interval lies beyond the threshold;
//! [`crate::compare::regression_check`] gives the same verdicts for two files.

use serde::{Deserialize, Serialize};

use super::charts::ChartView;
use super::file_check::FileCheck;
use super::units::{latency, latency_ci, rate, rate_ci};
use crate::compare::{Difference, ImportSet, MachineComparison, RegressionVerdict, RowStatus};
use crate::format::{count, p_value, times};
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::plot::cdf::{CdfData, CdfSeries};
use crate::plot::estimates::{Estimate, EstimatesData};
use crate::plot::Chart;
use crate::report::text::join_and;
use crate::report::verdict_text::format_percent;
use crate::results::headline::HeadlineKind;
use crate::results::io::{ReadError, MAX_RESULT_BYTES};
use crate::results::{analysis_sample_label, analysis_sample_ms, BenchResult, Headline};
use crate::stats::sample::finite_sorted;
use crate::stats::CompareConfig;

/// The largest file the page reads for a comparison, in bytes (checked on the file's size
/// before it is read, and again on its text).
pub const MAX_FILE_BYTES: u64 = MAX_RESULT_BYTES as u64;

/// The threshold the panel starts with, in percent.
pub const DEFAULT_THRESHOLD_PERCENT: &str = "1";

/// The largest threshold accepted, in percent (as `inferbench compare --threshold`).
pub const MAX_THRESHOLD_PERCENT: f64 = 1000.0;

/// Quantiles sent per machine for a CDF (instead of every latency).
pub const CDF_QUANTILES: usize = 400;

/// The message for a file refused on its size, before it is read.
pub fn too_large_message(bytes: u64) -> String {
    ReadError::TooLarge {
        bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
    }
    .to_string()
}

/// Reads the threshold as typed, in percent (`1`, `2.5`, `1%`), into a fraction (`0.01`).
///
/// # Errors
///
/// A message for the field: empty, not a number, a comma, negative, or above
/// [`MAX_THRESHOLD_PERCENT`].
pub fn parse_threshold(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Err(
            "Type a threshold in percent, e.g. 1 (0 counts any significant change).".into(),
        );
    }
    if t.contains(',') {
        return Err(format!(
            "{:?}: write the threshold without commas (2.5 with a decimal point).",
            text.trim()
        ));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=MAX_THRESHOLD_PERCENT).contains(&v) => Ok(v / 100.0),
        Ok(v) if v.is_finite() => Err(format!(
            "{} is out of range: the threshold is a percentage from 0 to {}.",
            text.trim(),
            MAX_THRESHOLD_PERCENT
        )),
        _ => Err(format!(
            "{:?} is not a number: type a percentage like 1 or 2.5.",
            text.trim()
        )),
    }
}

/// What became of one file sent for comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FileOutcome {
    /// Loaded: the machine it holds.
    Loaded {
        /// The machine's name in the comparison (its label, made unique).
        machine: String,
        /// What the result holds: date, preset, variants, scenarios.
        detail: String,
        /// Its checks: altered stored values, the retrained model, the timer grid.
        check: FileCheck,
    },
    /// Not loaded, with why (one line).
    Refused {
        /// Why.
        message: String,
    },
}

/// A machine the baseline can be chosen from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineChoice {
    /// Index of its file in the request.
    pub file: usize,
    /// Its name.
    pub name: String,
}

/// How a machine's row stands against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RowView {
    /// The baseline itself.
    Baseline,
    /// Compared with the baseline.
    Compared {
        /// Speedup of means (baseline / machine), e.g. "1.44x".
        speedup: String,
        /// Its bootstrap interval, e.g. "95% CI 1.42x–1.45x".
        speedup_ci: String,
        /// Welch's p-value, Holm-corrected over the machines compared in this group.
        welch_p_holm: String,
        /// Mann-Whitney's p-value, Holm-corrected likewise.
        mann_whitney_p_holm: String,
        /// REGRESSION / IMPROVEMENT / NO CHANGE at the threshold.
        verdict: RegressionVerdict,
        /// The verdict sentence.
        sentence: String,
    },
    /// Not compared, with why ("workload differs", "did not run it", ...).
    NotCompared {
        /// Why, in a few words.
        reason: String,
    },
}

/// One machine's line in a group's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineRowView {
    /// The machine's name.
    pub machine: String,
    /// Whether the machine's file does not check out (its stored values differ from its
    /// query records): the page marks the row; the numbers are recomputed.
    pub altered: bool,
    /// The headline metric with its unit, or "–" when it did not run this.
    pub headline: String,
    /// Its confidence interval, if any.
    pub headline_ci: Option<String>,
    /// VALID / INVALID, `None` when it did not run this.
    pub valid: Option<bool>,
    /// Queries (Offline: batches) in the run.
    pub queries: String,
    /// Against the baseline.
    pub status: RowView,
    /// Sample-size differences from the baseline's run (compared anyway).
    pub notes: Vec<String>,
}

/// A machine left out of a group because its workload differs, with what differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadDiffers {
    /// The machine's name.
    pub machine: String,
    /// Each difference: "seeds.schedule: 7 (baseline) vs 8".
    pub differences: Vec<String>,
}

/// A point of the speedup chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedupPoint {
    /// The machine.
    pub machine: String,
    /// Speedup of means (baseline / machine).
    pub speedup: f64,
    /// Lower end of its bootstrap interval.
    pub lower: f64,
    /// Upper end of its bootstrap interval.
    pub upper: f64,
}

/// One machine's distribution as thinned quantiles (see [`cdf_quantiles_ms`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CdfCurve {
    /// The machine.
    pub machine: String,
    /// Evenly spaced quantiles of its sample, ascending, in ms.
    pub quantiles_ms: Vec<f64>,
    /// How many values the sample had.
    pub n: usize,
}

/// One variant's scenario across machines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    /// A stable id for the page: `compare-f32-naive-singlestream`.
    pub id: String,
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// What the headline column holds, e.g. "p90 latency".
    pub headline_label: String,
    /// What the statistics compare: "query latency" or "batch service time".
    pub measure: String,
    /// One row per machine, in the import order.
    pub rows: Vec<MachineRowView>,
    /// Machines not compared because their workload differs.
    pub workload_differs: Vec<WorkloadDiffers>,
    /// Speedups of the compared machines.
    pub speedups: Vec<SpeedupPoint>,
    /// The baseline's and the compared machines' distributions.
    pub cdf: Vec<CdfCurve>,
}

/// Everything the panel shows after a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    /// One outcome per file of the request, in its order.
    pub files: Vec<FileOutcome>,
    /// The machines loaded (what the baseline is chosen from).
    pub machines: Vec<MachineChoice>,
    /// The file of the baseline machine, when one loaded.
    pub baseline_file: Option<usize>,
    /// The threshold used, as a fraction.
    pub threshold: f64,
    /// Shown instead of the comparison when there is nothing to compare yet.
    pub note: Option<String>,
    /// The summary, sentence by sentence.
    pub summary: Vec<String>,
    /// Machines left out somewhere because their workload differs, with every difference.
    pub not_compared: Vec<WorkloadDiffers>,
    /// One group per variant and scenario the baseline ran.
    pub groups: Vec<GroupView>,
    /// The comparison report (Markdown with the data embedded as JSON).
    pub report_markdown: Option<String>,
}

/// Evenly spaced order statistics of `sample_ms` (the smallest and the largest always
/// kept), at most `points` of them: enough to draw its CDF, without sending every value.
/// Non-finite values are dropped.
pub fn cdf_quantiles_ms(sample_ms: &[f64], points: usize) -> Vec<f64> {
    let sorted = finite_sorted(sample_ms);
    let n = sorted.len();
    if n <= points || points < 2 {
        return sorted;
    }
    (0..points)
        .map(|i| {
            let rank = (i as f64 * (n - 1) as f64 / (points - 1) as f64).round() as usize;
            sorted[rank.min(n - 1)]
        })
        .collect()
}

/// A one-line description of a loaded result: date, preset, variants, scenarios.
pub fn result_detail(result: &BenchResult) -> String {
    let date = super::files::result_date(result.created_utc.as_deref());
    let variants: Vec<String> = result
        .variants
        .iter()
        .map(|v| v.variant.to_string())
        .collect();
    let mut scenarios: Vec<Scenario> = Vec::new();
    for s in result
        .variants
        .iter()
        .flat_map(|v| v.runs.iter().map(|r| r.run.scenario))
    {
        if !scenarios.contains(&s) {
            scenarios.push(s);
        }
    }
    let scenarios: Vec<String> = scenarios.iter().map(Scenario::to_string).collect();
    format!(
        "{date} · {} preset, {} · {} · {}",
        result.plan.preset,
        super::model::model_label(result),
        if variants.is_empty() {
            "no variant".to_string()
        } else {
            variants.join(", ")
        },
        if scenarios.is_empty() {
            "no scenario".to_string()
        } else {
            scenarios.join(", ")
        }
    )
}

/// Reads `files` (name, text), compares every machine with the baseline's (the file at
/// index `baseline`, or the first that loads) at `threshold` (a fraction: `0.01` is 1%;
/// it replaces `config.noise_threshold`), and builds the panel. What the worker runs.
pub fn compare_files(
    files: &[(String, String)],
    baseline: Option<usize>,
    threshold: f64,
    config: &CompareConfig,
) -> CompareView {
    let sources: Vec<(String, Result<String, String>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), Ok(text.clone())))
        .collect();
    compare_sources(&sources, baseline, threshold, config)
}

/// [`compare_files`] where a file's text may be missing, with why (a saved result that
/// could not be read back): that file is listed as refused with the message.
pub fn compare_sources(
    files: &[(String, Result<String, String>)],
    baseline: Option<usize>,
    threshold: f64,
    config: &CompareConfig,
) -> CompareView {
    let mut set = ImportSet::new();
    let added: Vec<Result<usize, String>> = files
        .iter()
        .map(|(name, text)| match text {
            Ok(text) => set.add(name, text).map_err(|e| e.to_string()),
            Err(message) => Err(message.clone()),
        })
        .collect();
    let loaded: Vec<Option<usize>> = added.iter().map(|a| a.as_ref().ok().copied()).collect();
    let names = set.machine_names();
    let outcomes: Vec<FileOutcome> = added
        .iter()
        .map(|a| match a {
            Ok(i) => {
                let f = &set.files()[*i];
                FileOutcome::Loaded {
                    machine: names[*i].clone(),
                    detail: result_detail(&f.result),
                    check: FileCheck::of(&f.result, f.altered.as_deref()),
                }
            }
            Err(message) => FileOutcome::Refused {
                message: message.clone(),
            },
        })
        .collect();
    let machines: Vec<MachineChoice> = loaded
        .iter()
        .enumerate()
        .filter_map(|(file, l)| {
            l.map(|i| MachineChoice {
                file,
                name: names[i].clone(),
            })
        })
        .collect();
    let baseline_file = baseline
        .filter(|&b| loaded.get(b).copied().flatten().is_some())
        .or_else(|| machines.first().map(|m| m.file));
    let mut view = CompareView {
        files: outcomes,
        machines,
        baseline_file,
        threshold,
        note: None,
        summary: Vec::new(),
        not_compared: Vec::new(),
        groups: Vec::new(),
        report_markdown: None,
    };
    if set.files().len() < 2 {
        view.note = Some(match set.files().len() {
            0 => "No file loaded yet: add two or more result files (.json) or reports (.md)."
                .to_string(),
            _ => "One machine loaded: add at least one more result to compare it with.".to_string(),
        });
        return view;
    }
    let config = CompareConfig {
        noise_threshold: threshold,
        ..config.clone()
    };
    if let Err(e) = config.validate() {
        view.note = Some(format!("The comparison settings are invalid: {e}."));
        return view;
    }
    let base_index = baseline_file
        .and_then(|f| loaded[f])
        .expect("two machines loaded, so a baseline exists");
    let comparison =
        MachineComparison::of(&set, base_index, &config).expect("the baseline index is in range");
    view.groups = comparison
        .groups
        .iter()
        .map(|g| group_view(&comparison, &set, g))
        .collect();
    view.not_compared = not_compared(&view.groups);
    view.summary = summary(&comparison, &view);
    view.report_markdown = Some(crate::compare::render_comparison(&comparison));
    view
}

/// "seeds.schedule: 7 (baseline) vs 8".
fn difference_text(d: &Difference) -> String {
    format!("{}: {} (baseline) vs {}", d.field, d.a, d.b)
}

fn headline_text(h: &Headline) -> (String, Option<String>) {
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

fn group_view(
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
                        super::units::level(s.ci.confidence_level),
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
fn not_compared(groups: &[GroupView]) -> Vec<WorkloadDiffers> {
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

fn summary(c: &MachineComparison, view: &CompareView) -> Vec<String> {
    let base = &c.machines[c.baseline].name;
    let threshold = format_percent(c.config.noise_threshold);
    let mut out = vec![format!(
        "Every machine against {base} (the baseline), run by run, at a {threshold} threshold: a \
         change is a REGRESSION or an IMPROVEMENT only when it is significant (Holm-corrected \
         p < {}) and its whole {} speedup interval lies beyond ±{threshold}; anything else is \
         NO CHANGE.",
        c.config.alpha,
        super::units::level(c.config.confidence_level),
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
