//! MLPerf LoadGen's log files for InferBench's runs: `mlperf_log_summary.txt` in LoadGen's
//! own layout and wording ([`summary`]) and `mlperf_log_detail.txt` with `:::MLLOG` JSON
//! lines for the same keys ([`detail`]), so that people and tools who read LoadGen's logs
//! read InferBench's.
//!
//! The layout follows LoadGen 6.0.17 (`loadgen/results.cc`, `PerformanceSummary::LogSummary`
//! and `LogDetail`; `loadgen/test_settings_internal.cc`, `LogSummary`), line for line: the
//! tests diff it against real LoadGen summaries (`tests/fixtures/loadgen/summary_*.txt`),
//! numbers aside. Every number comes from the run's records (latencies in whole ns, means
//! truncated as LoadGen's integer division does) and its validity; where InferBench has no
//! counterpart of a LoadGen setting the value is `n/a`, never LoadGen's default (see
//! [`summary`]). Recommendations are InferBench's (they name its settings), and its own
//! INVALID reasons (cancelled, page hidden, timer too coarse) are listed with them and counted
//! as errors. A last line says that InferBench, not LoadGen, wrote the file.
//!
//! Logs are written for performance runs only ([`log_files`]).

mod cfmt;
pub mod detail;
pub mod summary;

use crate::loadgen::record::REPORTED_PERCENTILES;
use crate::loadgen::result::RunResult;
use crate::loadgen::settings::{Scenario, TestMode};
use crate::results::BenchResult;

/// What one run's logs are written from.
#[derive(Debug, Clone, Copy)]
pub struct LogRun<'a> {
    /// The run.
    pub run: &'a RunResult,
    /// The system under test's name ("SUT name"): the variant, or the synthetic system.
    pub sut_name: &'a str,
    /// Samples in the accuracy set (the whole test split).
    pub accuracy_sample_count: usize,
    /// The InferBench version that ran it.
    pub app_version: &'a str,
    /// When the run ended (RFC 3339 UTC), if known.
    pub created_utc: Option<&'a str>,
}

/// One run's two log files and where they go: `<variant>/<scenario>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFiles {
    /// The directory for the system under test: the variant's or the synthetic system's
    /// name, with characters other than letters, digits, `.`, `_` and `-` replaced by `_`.
    pub sut_dir: String,
    /// The scenario's directory: `SingleStream`, `MultiStream`, `Server`, `Offline`.
    pub scenario_dir: String,
    /// `mlperf_log_summary.txt`.
    pub summary: String,
    /// `mlperf_log_detail.txt`.
    pub detail: String,
}

/// The summary file's name.
pub const SUMMARY_FILE: &str = "mlperf_log_summary.txt";

/// The detail file's name.
pub const DETAIL_FILE: &str = "mlperf_log_detail.txt";

/// A performance run of a result: where it is, and where its logs go.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunRef {
    /// Index into `result.variants`.
    pub variant_index: usize,
    /// Index into that variant's `runs`.
    pub run_index: usize,
    /// See [`LogFiles::sut_dir`].
    pub sut_dir: String,
    /// The scenario.
    pub scenario: Scenario,
}

/// Every performance run of `result`, variant by variant in the plan's order (cheap: no
/// log is written).
pub fn performance_runs(result: &BenchResult) -> Vec<RunRef> {
    let mut refs = Vec::new();
    for (variant_index, v) in result.variants.iter().enumerate() {
        for (run_index, r) in v.runs.iter().enumerate() {
            if r.run.mode == TestMode::Performance {
                refs.push(RunRef {
                    variant_index,
                    run_index,
                    sut_dir: dir_name(&result.plan.sut_name(v.variant)),
                    scenario: r.run.scenario,
                });
            }
        }
    }
    refs
}

/// Renders `write` for the run `at` of `result` (`None` if `at` is not one of its runs).
fn with_run<T>(result: &BenchResult, at: &RunRef, write: impl Fn(&LogRun<'_>) -> T) -> Option<T> {
    let v = result.variants.get(at.variant_index)?;
    let r = v.runs.get(at.run_index)?;
    let name = result.plan.sut_name(v.variant);
    Some(write(&LogRun {
        run: &r.run,
        sut_name: &name,
        accuracy_sample_count: result.model.training.test_samples,
        app_version: &result.app_version,
        created_utc: result.created_utc.as_deref(),
    }))
}

/// The `mlperf_log_summary.txt` of one run.
pub fn summary_of(result: &BenchResult, at: &RunRef) -> Option<String> {
    with_run(result, at, summary::render)
}

/// The logs of every performance run of `result`, variant by variant in the plan's order.
pub fn log_files(result: &BenchResult) -> Vec<LogFiles> {
    performance_runs(result)
        .into_iter()
        .filter_map(|at| {
            with_run(result, &at, |run| LogFiles {
                sut_dir: at.sut_dir.clone(),
                scenario_dir: at.scenario.to_string(),
                summary: summary::render(run),
                detail: detail::render(run),
            })
        })
        .collect()
}

/// `name` as a directory name.
fn dir_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The numbers both files print, from the run's records.
pub(crate) struct Figures {
    /// Queries issued (Offline: 1).
    pub query_count: u64,
    /// Samples.
    pub sample_count: u64,
    /// Every sample's latency, ascending, in ns (Offline: each batch's once per sample;
    /// MultiStream: each query's once per sample, its samples completing together).
    pub sample_ns: Vec<u64>,
    /// Every query's latency, ascending, in ns.
    pub query_ns: Vec<u64>,
    /// The final query's issue and scheduled times, and the last completion, in ns.
    pub final_issued_ns: u64,
    pub final_scheduled_ns: u64,
    pub final_completed_ns: u64,
}

impl Figures {
    pub(crate) fn of(run: &RunResult) -> Figures {
        let mut sample_ns: Vec<u64> = run
            .queries
            .iter()
            .flat_map(|q| std::iter::repeat_n(q.latency_ns(), q.samples as usize))
            .collect();
        sample_ns.sort_unstable();
        let mut query_ns: Vec<u64> = run.queries.iter().map(|q| q.latency_ns()).collect();
        query_ns.sort_unstable();
        let last = run.queries.last();
        Figures {
            query_count: run.query_count,
            sample_count: run.sample_count,
            sample_ns,
            query_ns,
            final_issued_ns: last.map_or(0, |q| q.issued_ns),
            final_scheduled_ns: last.map_or(0, |q| q.scheduled_ns),
            final_completed_ns: run
                .queries
                .iter()
                .map(|q| q.completed_ns)
                .max()
                .unwrap_or(0),
        }
    }

    /// The latencies the summary's latency lines describe: per query for MultiStream, per
    /// sample otherwise.
    pub(crate) fn reported(&self, scenario: Scenario) -> &[u64] {
        match scenario {
            Scenario::MultiStream => &self.query_ns,
            _ => &self.sample_ns,
        }
    }
}

/// Min, max, LoadGen's integer mean, and the six percentiles (`sorted[floor(n p)]`) of sorted
/// latencies; `None` when there are none.
pub(crate) struct LatencyLines {
    pub min: u64,
    pub max: u64,
    pub mean: u64,
    pub percentiles: Vec<(f64, u64)>,
}

impl LatencyLines {
    pub(crate) fn of(sorted: &[u64]) -> Option<LatencyLines> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let sum: u128 = sorted.iter().map(|&x| u128::from(x)).sum();
        let at = |p: f64| sorted[crate::stats::percentile::loadgen_percentile_index(n, p)];
        Some(LatencyLines {
            min: sorted[0],
            max: sorted[n - 1],
            mean: (sum / n as u128) as u64,
            percentiles: REPORTED_PERCENTILES.iter().map(|&p| (p, at(p))).collect(),
        })
    }
}

/// `count / (ns / 1e9)`, when `ns` is positive.
pub(crate) fn per_second(count: u64, ns: u64) -> Option<f64> {
    (ns > 0).then(|| count as f64 / (ns as f64 / 1e9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_names_are_safe() {
        assert_eq!(dir_name("f32-naive"), "f32-naive");
        assert_eq!(dir_name("fixed:1ms"), "fixed_1ms");
        assert_eq!(dir_name("lognormal:50us,0.3"), "lognormal_50us_0.3");
    }
}
