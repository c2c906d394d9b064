//! Machines against a baseline machine ([`MachineComparison`]): for every variant and
//! scenario the baseline ran, each other machine's headline metric, its speedup over the
//! baseline with a bootstrap interval, Welch and Mann-Whitney p-values Holm-corrected over
//! the machines compared, and the verdict sentence; runs whose workloads differ from the
//! baseline's are listed with what differs, never compared.

use serde::{Deserialize, Serialize};

use super::fingerprint::{sample_size_differences, workload_differences, Difference, Workload};
use super::import::ImportSet;
use crate::loadgen::run_overlap::percentile_overlap;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::report::verdict_text::VerdictSentence;
use crate::results::{analysis_sample_ms, headline, Headline, ScenarioRun};
use crate::stats::{holm_adjust, CompareConfig, Comparison, SortedSample, StatsError, TickOverlap};

/// One machine of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Its display name (the label, made unique).
    pub name: String,
    /// The file it came from.
    pub file_name: String,
    /// When its run ended, if known.
    pub created_utc: Option<String>,
    /// The user agent or OS of the run.
    pub platform: String,
    /// The measured timer resolution, in ms.
    pub timer_resolution_ms: Option<f64>,
    /// Whether the page was cross-origin isolated (browser runs).
    pub cross_origin_isolated: Option<bool>,
    /// What its file's stored derived values got wrong, when they do not match its query
    /// records (the comparison uses the rebuilt values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altered: Option<String>,
}

/// One machine's line in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineRow {
    /// Index into [`MachineComparison::machines`].
    pub machine: usize,
    /// The run's headline metric with its interval (`None` if it did not run this).
    pub headline: Option<Headline>,
    /// Whether the run was VALID.
    pub valid: Option<bool>,
    /// Queries in the run.
    pub queries: usize,
    /// How this machine relates to the baseline.
    pub status: RowStatus,
    /// Sample-size differences from the baseline's run (compared anyway).
    pub notes: Vec<Difference>,
}

/// How a machine's run relates to the baseline's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RowStatus {
    /// This is the baseline.
    Baseline,
    /// Compared with the baseline.
    Compared(Box<VersusBaseline>),
    /// The workload differs from the baseline's: not compared.
    WorkloadDiffers {
        /// What differs.
        differences: Vec<Difference>,
    },
    /// The machine's result has no such run.
    Missing,
    /// The statistics could not be computed (e.g. fewer than 2 queries).
    NotComparable {
        /// Why.
        reason: String,
    },
}

/// A machine against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersusBaseline {
    /// Every statistic (the verdict is decided on the Holm-adjusted quoted p-value).
    pub comparison: Comparison,
    /// Welch's p-value, Holm-adjusted over the machines compared in this group.
    pub welch_p_holm: f64,
    /// Mann-Whitney's p-value, Holm-adjusted over the machines compared in this group.
    pub mann_whitney_p_holm: f64,
    /// The verdict sentence ("Bob is 1.31x faster than Alice (...)"), with whether the
    /// target percentiles differ beyond the two machines' tick bounds when that matters.
    pub sentence: String,
    /// The target percentiles against the two machines' tick bounds: set when either run is
    /// timer-limited or the difference is within the bounds
    /// ([`percentile_overlap`]).
    #[serde(default)]
    pub tick: Option<TickOverlap>,
}

/// One variant's scenario across machines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// The baseline's workload.
    pub workload: Workload,
    /// One row per machine, in the import order.
    pub rows: Vec<MachineRow>,
}

/// Every machine against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineComparison {
    /// The machines, in the import order.
    pub machines: Vec<Machine>,
    /// Index of the baseline machine.
    pub baseline: usize,
    /// One group per (variant, scenario) the baseline ran, in the baseline's order.
    pub groups: Vec<Group>,
    /// The settings of every comparison.
    pub config: CompareConfig,
}

impl MachineComparison {
    /// Compares every machine of `set` with machine `baseline`.
    ///
    /// Returns `None` if `baseline` is out of range.
    pub fn of(
        set: &ImportSet,
        baseline: usize,
        config: &CompareConfig,
    ) -> Option<MachineComparison> {
        Self::of_with_progress(set, baseline, config, &mut |_| {})
    }

    /// [`MachineComparison::of`], calling `progress` before each (variant, scenario) group
    /// is compared, so that a long comparison (millions of queries) can say where it is.
    ///
    /// Each run's sample is sorted once ([`SortedSample`]): the baseline's for all the
    /// machines compared with it.
    pub fn of_with_progress(
        set: &ImportSet,
        baseline: usize,
        config: &CompareConfig,
        progress: &mut dyn FnMut(GroupProgress),
    ) -> Option<MachineComparison> {
        let files = set.files();
        let base = files.get(baseline)?;
        let names = set.machine_names();
        let machines = files
            .iter()
            .zip(&names)
            .map(|(f, name)| Machine {
                name: name.clone(),
                file_name: f.file_name.clone(),
                created_utc: f.result.created_utc.clone(),
                platform: f
                    .result
                    .environment
                    .user_agent
                    .clone()
                    .or_else(|| f.result.environment.os_arch.clone())
                    .unwrap_or_else(|| "unknown".into()),
                timer_resolution_ms: f.result.environment.timer.and_then(|t| t.resolution_ms),
                cross_origin_isolated: f.result.environment.cross_origin_isolated,
                altered: f.altered.clone(),
            })
            .collect();
        let mut groups = Vec::new();
        let total = base.result.variants.iter().map(|v| v.runs.len()).sum();
        for v in &base.result.variants {
            for base_run in &v.runs {
                let scenario = base_run.run.scenario;
                progress(GroupProgress {
                    done: groups.len(),
                    total,
                    variant: v.variant,
                    scenario,
                });
                let workload =
                    Workload::from_settings(&base.result, v.variant, &base_run.run.settings);
                let base_sample = Prepared::of(analysis_sample_ms(&base_run.run));
                let mut rows: Vec<MachineRow> = Vec::with_capacity(files.len());
                let mut compared: Vec<Candidate> = Vec::new();
                let base_tick = base.result.environment.timer.and_then(|t| t.resolution_ms);
                for (i, f) in files.iter().enumerate() {
                    let run = f
                        .result
                        .variants
                        .iter()
                        .find(|x| x.variant == v.variant)
                        .and_then(|x| x.run(scenario));
                    let mut row = row_of(i, run);
                    match run {
                        None => row.status = RowStatus::Missing,
                        Some(_) if i == baseline => row.status = RowStatus::Baseline,
                        Some(r) => {
                            let theirs =
                                Workload::from_settings(&f.result, v.variant, &r.run.settings);
                            let differences = workload_differences(&workload, &theirs);
                            if differences.is_empty() {
                                row.notes = sample_size_differences(
                                    &base_run.run.settings,
                                    &r.run.settings,
                                );
                                let tick = f.result.environment.timer.and_then(|t| t.resolution_ms);
                                compared.push(Candidate {
                                    row: rows.len(),
                                    sample: Prepared::of(analysis_sample_ms(&r.run)),
                                    tick: percentile_overlap(
                                        &r.run,
                                        tick,
                                        &base_run.run,
                                        base_tick,
                                    ),
                                });
                            } else {
                                row.status = RowStatus::WorkloadDiffers { differences };
                            }
                        }
                    }
                    rows.push(row);
                }
                compare_rows(&mut rows, &compared, &base_sample, &names, baseline, config);
                groups.push(Group {
                    variant: v.variant,
                    scenario,
                    workload,
                    rows,
                });
            }
        }
        Some(MachineComparison {
            machines,
            baseline,
            groups,
            config: config.clone(),
        })
    }
}

fn row_of(machine: usize, run: Option<&ScenarioRun>) -> MachineRow {
    MachineRow {
        machine,
        headline: run.and_then(headline),
        valid: run.map(|r| r.run.validity.valid),
        queries: run.map_or(0, |r| r.run.queries.len()),
        status: RowStatus::Missing,
        notes: Vec::new(),
    }
}

/// Where [`MachineComparison::of_with_progress`] stands: about to compare group `done + 1`
/// of `total`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupProgress {
    /// Groups compared so far.
    pub done: usize,
    /// Groups in all (the baseline's runs).
    pub total: usize,
    /// The group's variant.
    pub variant: crate::model::Variant,
    /// The group's scenario.
    pub scenario: crate::loadgen::settings::Scenario,
}

/// A run's sample sorted once, or (when it cannot be) the values, whose comparison then
/// gives the error.
enum Prepared {
    Sorted(SortedSample),
    Raw(Vec<f64>),
}

impl Prepared {
    fn of(values: Vec<f64>) -> Self {
        match SortedSample::new(&values) {
            Ok(s) => Prepared::Sorted(s),
            Err(_) => Prepared::Raw(values),
        }
    }

    fn compare(
        &self,
        candidate: &Prepared,
        config: &CompareConfig,
    ) -> Result<Comparison, StatsError> {
        match (self, candidate) {
            (Prepared::Sorted(b), Prepared::Sorted(c)) => Comparison::of_sorted(b, c, config),
            (b, c) => Comparison::of(&b.values(), &c.values(), config),
        }
    }

    fn values(&self) -> Vec<f64> {
        match self {
            Prepared::Sorted(s) => s.sorted().to_vec(),
            Prepared::Raw(v) => v.clone(),
        }
    }
}

/// A machine's run to compare with the baseline's.
struct Candidate {
    /// Its row.
    row: usize,
    /// Its values ([`analysis_sample_ms`]), sorted once.
    sample: Prepared,
    /// Its target percentile against the baseline's, with both ticks.
    tick: Option<TickOverlap>,
}

/// Compares the `compared` rows with the baseline sample and fills in their status, with
/// Holm's correction over the comparisons that could be computed.
fn compare_rows(
    rows: &mut [MachineRow],
    compared: &[Candidate],
    base_sample: &Prepared,
    names: &[String],
    baseline: usize,
    config: &CompareConfig,
) {
    let mut done: Vec<(usize, Comparison)> = Vec::new();
    for c in compared {
        match base_sample.compare(&c.sample, config) {
            Ok(comparison) => done.push((c.row, comparison)),
            Err(e) => {
                rows[c.row].status = RowStatus::NotComparable {
                    reason: e.to_string(),
                }
            }
        }
    }
    if done.is_empty() {
        return;
    }
    let mut comparisons: Vec<Comparison> = done.iter().map(|(_, c)| c.clone()).collect();
    let adjusted = crate::stats::adjust_family(&mut comparisons);
    let welch_raw: Vec<f64> = comparisons.iter().map(|c| c.welch.p_value).collect();
    let mw_raw: Vec<f64> = comparisons.iter().map(|c| c.mann_whitney.p_value).collect();
    let (welch_holm, mw_holm) = match (adjusted, holm_adjust(&welch_raw), holm_adjust(&mw_raw)) {
        (Ok(()), Ok(w), Ok(m)) => (w, m),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            let reason = StatsError::to_string(&e);
            for (row, _) in &done {
                rows[*row].status = RowStatus::NotComparable {
                    reason: reason.clone(),
                };
            }
            return;
        }
    };
    for (k, ((row, _), comparison)) in done.iter().zip(comparisons).enumerate() {
        let machine = rows[*row].machine;
        let tick = compared.iter().find(|c| c.row == *row).and_then(|c| c.tick);
        let mut sentence = comparison.sentence(&names[baseline], &names[machine]);
        if let Some(o) = &tick {
            sentence.push_str("; ");
            sentence.push_str(&crate::report::text::tick_overlap_text(o));
        }
        rows[*row].status = RowStatus::Compared(Box::new(VersusBaseline {
            comparison,
            welch_p_holm: welch_holm[k],
            mann_whitney_p_holm: mw_holm[k],
            sentence,
            tick,
        }));
    }
}
