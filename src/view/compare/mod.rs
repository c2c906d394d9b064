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

mod groups;

use groups::{group_view, not_compared, summary};

use super::file_check::FileCheck;
use crate::compare::{ImportSet, MachineComparison, RegressionVerdict};
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::results::io::{ReadError, MAX_RESULT_BYTES};
use crate::results::BenchResult;
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
