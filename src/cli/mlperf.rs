//! The CLI's LoadGen parts: `--user-conf FILE` (read, applied, reported on stderr),
//! the effective settings under LoadGen's names, and `--mlperf-log DIR` (each performance
//! run's `mlperf_log_summary.txt` and `mlperf_log_detail.txt` under
//! `DIR/<variant>/<scenario>/`).

use std::path::Path;

use super::{read_file, CliError};
use crate::format::count;
use crate::loadgen::settings::{ScenarioSettings, TestSettings};
use crate::loadgen::user_conf::ConfSource;
use crate::plan::BenchPlan;
use crate::report::mlperf_log::{log_files, DETAIL_FILE, SUMMARY_FILE};
use crate::results::BenchResult;

/// Reads `paths` and applies them, in order, to `plan`; reports on stderr what each line
/// did.
///
/// # Errors
///
/// An unreadable file, or every refused line (exit status 2).
pub(super) fn apply_user_conf(plan: &mut BenchPlan, paths: &[&str]) -> Result<(), CliError> {
    if paths.is_empty() {
        return Ok(());
    }
    let sources = paths
        .iter()
        .map(|p| {
            Ok(ConfSource {
                name: p.to_string(),
                text: read_file(p)?,
            })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let applied = plan.apply_user_conf(sources).map_err(|e| {
        CliError::usage(format!(
            "the user.conf was refused, nothing was run:\n{e}\n(LoadGen's syntax: \
             MODEL.SCENARIO.KEY = VALUE, one per line; MODEL is * or {})",
            plan.model
        ))
    })?;
    let mut other_models: Vec<String> = Vec::new();
    let mut not_run = 0;
    for l in &applied.lines {
        match &l.effect {
            crate::loadgen::user_conf::Effect::OtherModel => {
                if !other_models.contains(&l.line.model) {
                    other_models.push(l.line.model.clone());
                }
            }
            crate::loadgen::user_conf::Effect::ScenarioNotRun => not_run += 1,
            _ => eprintln!(
                "inferbench: {} line {}: {} -> {}",
                l.file,
                l.line.line,
                l.line.text,
                l.describe()
            ),
        }
    }
    if !other_models.is_empty() {
        let lines = applied
            .lines
            .iter()
            .filter(|l| l.effect == crate::loadgen::user_conf::Effect::OtherModel)
            .count();
        eprintln!(
            "inferbench: {} for other models ({}) ignored: this run's model is {}",
            crate::report::text::plural(lines as u64, "line", "lines"),
            other_models.join(", "),
            plan.model
        );
    }
    if not_run > 0 {
        eprintln!(
            "inferbench: {} for scenarios that are not run ignored",
            crate::report::text::plural(not_run, "line", "lines")
        );
    }
    if applied.offline_expected_qps_set {
        eprintln!(
            "inferbench: Offline's expected QPS comes from the user.conf: the Offline \
             calibration is off"
        );
    }
    Ok(())
}

/// One scenario's effective settings under LoadGen's names, for stderr.
pub(super) fn effective_settings(s: &TestSettings) -> String {
    let mut parts = vec![
        format!("min_duration {} ms", count(s.min_duration_ms)),
        format!("max_duration {} ms", count(s.max_duration_ms)),
        format!("min_query_count {}", count(s.min_query_count)),
        format!("max_query_count {}", count(s.max_query_count)),
    ];
    match s.scenario {
        ScenarioSettings::SingleStream => {}
        ScenarioSettings::MultiStream(m) => {
            parts.push(format!("samples_per_query {}", m.samples_per_query));
        }
        ScenarioSettings::Server(v) => {
            parts.push(format!("target_qps {}", v.target_qps));
            parts.push(format!("target_latency {} ms", v.latency_bound_ms));
        }
        ScenarioSettings::Offline(o) => {
            parts.push(format!("target_qps (expected) {}", o.expected_qps));
            parts.push(format!("batch_size {}", o.batch_size));
        }
    }
    if !matches!(s.scenario, ScenarioSettings::Offline(_)) {
        parts.push(format!(
            "target_latency_percentile {}",
            s.target_percentile * 100.0
        ));
    }
    parts.push(format!("sample_index_rng_seed {}", s.seeds.sample_index));
    parts.push(format!("schedule_rng_seed {}", s.seeds.schedule));
    parts.push(format!("warm-up {}", count(s.warmup_query_count)));
    format!("{}: {}", s.scenario(), parts.join(", "))
}

/// Writes the LoadGen logs of every performance run of `result` under `dir`.
///
/// # Errors
///
/// A directory or file that cannot be written (exit status 1).
pub(super) fn write_logs(result: &BenchResult, dir: &str) -> Result<usize, CliError> {
    let files = log_files(result);
    for f in &files {
        let at = Path::new(dir).join(&f.sut_dir).join(&f.scenario_dir);
        let fail = |e: std::io::Error| CliError {
            message: format!("cannot write the MLPerf logs to {}: {e}", at.display()),
            status: 1,
        };
        std::fs::create_dir_all(&at).map_err(fail)?;
        std::fs::write(at.join(SUMMARY_FILE), &f.summary).map_err(fail)?;
        std::fs::write(at.join(DETAIL_FILE), &f.detail).map_err(fail)?;
    }
    Ok(files.len())
}
