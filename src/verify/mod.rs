//! Verifying a result file ([`verify`]): what `inferbench verify` prints per file and what the
//! page's Compare section shows next to each file.
//!
//! The checks, each passed, failed or not run (with why):
//! 1. **derived values**: every stored summary, metric, validity and comparison equals what
//!    the query records give ([`crate::results::consistency`]);
//! 2. **model**: the model retrained from the plan's seeds and preset ([`retrain`]) has the
//!    file's fingerprint, training steps and loss, and each variant's size and accuracy count;
//! 3. **timer**: in a browser run on a coarse timer, every run records the environment's
//!    timer and every service time sits on its grid ([`grid`]);
//! 4. **version**: a result from a newer InferBench is checked by this version's rules, and
//!    says so.

pub mod grid;
pub mod retrain;

use serde::{Deserialize, Serialize};

use crate::format::{count, fine_duration_ms, one_line};
use crate::loadgen::result::RunResult;
use crate::model::ModelPreset;
use crate::results::consistency::Checked;
use crate::results::{BenchResult, Runtime};

/// When to retrain the model (the one check that takes long).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retrain {
    /// Always (`inferbench verify`).
    Always,
    /// Only the `tiny` preset, which trains in well under a second (the page).
    OnlyTiny,
    /// Never (`inferbench verify --no-retrain`).
    Never,
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// It ran and the file passed.
    Passed,
    /// It ran and the file failed.
    Failed,
    /// It did not run (the detail says why).
    NotRun,
}

/// One check of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Its name: "derived values", "model", "timer", "version".
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// What it found, in words.
    pub detail: String,
}

/// Every check of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// The checks, in order.
    pub checks: Vec<CheckResult>,
}

impl Verification {
    /// Whether no check failed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Failed)
    }

    /// The verdict in one line, without the file's name: "OK: ..." or "FAILED: ...", then
    /// the checks not run and why.
    pub fn verdict(&self) -> String {
        let of = |o: Outcome| -> Vec<&str> {
            self.checks
                .iter()
                .filter(|c| c.outcome == o)
                .map(|c| c.detail.as_str())
                .collect()
        };
        let failed = of(Outcome::Failed);
        let mut line = if failed.is_empty() {
            format!("OK: {}", of(Outcome::Passed).join("; "))
        } else {
            format!("FAILED: {}", failed.join("; "))
        };
        let not_run = of(Outcome::NotRun);
        if !not_run.is_empty() {
            line.push_str(&format!(" (not checked: {})", not_run.join("; ")));
        }
        line
    }

    /// The line `inferbench verify` prints: "alice.json: OK: ..." (the name escaped).
    pub fn line(&self, file_name: &str) -> String {
        format!("{}: {}", one_line(file_name, 200), self.verdict())
    }

    /// Which checks ran and which did not, for the page: "checked: derived values, timer;
    /// not checked: model".
    pub fn checks_ran(&self) -> String {
        let names = |pick: &dyn Fn(Outcome) -> bool| -> Vec<&str> {
            self.checks
                .iter()
                .filter(|c| pick(c.outcome))
                .map(|c| c.name.as_str())
                .collect()
        };
        let ran = names(&|o| o != Outcome::NotRun);
        let skipped = names(&|o| o == Outcome::NotRun);
        let mut text = format!("checked: {}", ran.join(", "));
        if !skipped.is_empty() {
            text.push_str(&format!("; not checked: {}", skipped.join(", ")));
        }
        text
    }
}

/// Verifies a read result (see the module docs).
///
/// - Time: the derivation is already done by the reader; retraining takes the model's
///   training time, the timer check `O(queries)`.
pub fn verify(checked: &Checked, retrain: Retrain) -> Verification {
    verify_result(&checked.result, checked.summary().as_deref(), retrain)
}

/// [`verify`] for a result already read, given what its stored values got wrong
/// (`altered`, as [`Checked::summary`] says it; `None` when they match).
pub fn verify_result(
    result: &BenchResult,
    altered: Option<&str>,
    retrain: Retrain,
) -> Verification {
    let mut checks = vec![CheckResult {
        name: "derived values".into(),
        outcome: if altered.is_none() {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
        detail: altered.map_or_else(
            || "its summaries, metrics and validity match its query records".into(),
            str::to_string,
        ),
    }];
    checks.push(model_check(result, retrain));
    checks.push(timer_check(result));
    if let Some(version) = version_check(result, altered.is_none()) {
        checks.push(version);
    }
    Verification { checks }
}

fn check(name: &str, outcome: Outcome, detail: impl Into<String>) -> CheckResult {
    CheckResult {
        name: name.into(),
        outcome,
        detail: detail.into(),
    }
}

/// Retrains the model and compares (see [`retrain`]).
fn model_check(result: &BenchResult, when: Retrain) -> CheckResult {
    let name = "model";
    if let Some(sut) = &result.plan.synthetic_sut {
        return check(
            name,
            Outcome::NotRun,
            format!("a synthetic system under test ({sut}) has no model to retrain"),
        );
    }
    if let Some(file) = &result.plan.model_file {
        // An imported model: its weights are not in the result, nothing to retrain.
        return match &result.model.fingerprint {
            Some(f) if *f != file.fingerprint => check(
                name,
                Outcome::Failed,
                format!(
                    "the model fingerprint {f} is not that of the imported file {} ({})",
                    file.file_name, file.fingerprint
                ),
            ),
            _ => check(
                name,
                Outcome::NotRun,
                format!(
                    "an imported model ({}) is not retrained: its weights are not in the result",
                    file.file_name
                ),
            ),
        };
    }
    let run = match when {
        Retrain::Always => true,
        Retrain::OnlyTiny => result.plan.model == ModelPreset::Tiny,
        Retrain::Never => false,
    };
    if !run {
        let why = match when {
            Retrain::OnlyTiny => format!(
                "the {} model was not retrained here (that takes long in a page); `inferbench \
                 verify` retrains it",
                result.plan.model
            ),
            _ => "the model was not retrained (asked not to)".to_string(),
        };
        return check(name, Outcome::NotRun, why);
    }
    let training = &result.model.training;
    let retrained = match retrain::retrain(&result.plan, Some(training.steps_done)) {
        Ok(r) => r,
        Err(e) => {
            return check(
                name,
                Outcome::Failed,
                format!("the model cannot be retrained from its plan: {e}"),
            )
        }
    };
    let mut failures = Vec::new();
    match &result.model.fingerprint {
        Some(f) if *f != retrained.fingerprint => failures.push(format!(
            "the file's model fingerprint {} is not the retrained model's {}",
            one_line(f, 40),
            retrained.fingerprint
        )),
        _ => {}
    }
    if (
        training.train_samples,
        training.test_samples,
        training.total_steps,
    ) != (
        retrained.train_samples,
        retrained.test_samples,
        retrained.total_steps,
    ) {
        failures.push(format!(
            "its training split and steps ({} train, {} test rows, {} steps) are not the plan's \
             ({}, {}, {})",
            training.train_samples,
            training.test_samples,
            training.total_steps,
            retrained.train_samples,
            retrained.test_samples,
            retrained.total_steps
        ));
    }
    let loss_matches = match (training.final_loss, retrained.final_loss) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()),
        (a, b) => a == b,
    };
    if !loss_matches {
        failures.push(format!(
            "its final training loss {} is not the retrained model's {}",
            training
                .final_loss
                .map_or("none".into(), |l| format!("{l:.6}")),
            retrained
                .final_loss
                .map_or("none".into(), |l| format!("{l:.6}"))
        ));
    }
    let mut accuracy_checked = 0;
    for v in &result.variants {
        let Some(r) = retrained.variants.iter().find(|r| r.variant == v.variant) else {
            failures.push(format!(
                "it holds {}, which its plan did not run",
                v.variant
            ));
            continue;
        };
        if v.size_bytes != r.size_bytes {
            failures.push(format!(
                "its {} size {} bytes is not the retrained variant's {}",
                v.variant,
                count(v.size_bytes),
                count(r.size_bytes)
            ));
        }
        let Some(acc) = v.accuracy.as_ref().and_then(|a| a.accuracy) else {
            continue;
        };
        if acc.total != retrained.test_samples as u64 {
            continue;
        }
        accuracy_checked += 1;
        if acc.correct != r.correct {
            failures.push(format!(
                "its {} accuracy, {} of {} test samples correct, is not the retrained \
                 variant's {} of {}",
                v.variant,
                count(acc.correct),
                count(acc.total),
                count(r.correct),
                count(acc.total)
            ));
        }
    }
    if !failures.is_empty() {
        return check(name, Outcome::Failed, failures.join("; "));
    }
    let what = match (&result.model.fingerprint, accuracy_checked) {
        (Some(f), 0) => format!("fingerprint {f}, training loss and variant sizes match"),
        (Some(f), _) => format!("fingerprint {f}, training loss, variant sizes and accuracy match"),
        (None, 0) => "training loss and variant sizes match (no fingerprint recorded)".into(),
        (None, _) => {
            "training loss, variant sizes and accuracy match (no fingerprint recorded)".into()
        }
    };
    check(
        name,
        Outcome::Passed,
        format!("the model retrained from the plan's seeds: {what}"),
    )
}

/// Every run of a result, with a name for messages.
fn runs(result: &BenchResult) -> Vec<(String, &RunResult)> {
    let mut out = Vec::new();
    for v in &result.variants {
        if let Some(a) = &v.accuracy {
            out.push((format!("{} accuracy", v.variant), a));
        }
        for r in &v.runs {
            out.push((format!("{} {}", v.variant, r.run.scenario), &r.run));
        }
        if let Some(run) = v.peak.as_ref().and_then(|p| p.peak_run.as_ref()) {
            out.push((format!("{} peak", v.variant), run));
        }
    }
    if let Some(ab) = &result.ab_test {
        out.push(("A/B".into(), &ab.run));
    }
    out
}

/// The timer check (see [`grid`]).
fn timer_check(result: &BenchResult) -> CheckResult {
    let name = "timer";
    let tick = result.environment.timer.and_then(|t| t.resolution_ms);
    let grid = match (result.environment.runtime, tick.and_then(grid::grid_ns)) {
        (Runtime::Browser, Some(g)) => g,
        (Runtime::Browser, None) => {
            return check(
                name,
                Outcome::NotRun,
                "its browser timer is finer than 1 µs, so its readings have no grid to check",
            )
        }
        (Runtime::Native, _) => {
            return check(
                name,
                Outcome::NotRun,
                "a native run's clock is not coarsened, so its readings have no grid to check",
            )
        }
    };
    let tick_text = fine_duration_ms(grid as f64 / 1e6);
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (what, run) in runs(result) {
        if run.timer_resolution_ms != tick {
            failures.push(format!(
                "its {what} run records a {} timer, its environment a {tick_text} one",
                run.timer_resolution_ms
                    .map_or_else(|| "missing".into(), fine_duration_ms)
            ));
            continue;
        }
        let (off, n) = grid::off_grid(run, grid);
        checked += n;
        if off > 0 {
            failures.push(format!(
                "{} of {} service times of its {what} run are off the recorded {tick_text} \
                 timer grid, so they were not measured with that timer",
                count(off as u64),
                count(n as u64)
            ));
        }
    }
    if failures.is_empty() {
        check(
            name,
            Outcome::Passed,
            format!(
                "its {} service times sit on the recorded {tick_text} timer grid",
                count(checked as u64)
            ),
        )
    } else {
        check(name, Outcome::Failed, failures.join("; "))
    }
}

/// `major.minor.patch` as numbers (missing or non-numeric parts count as 0).
fn version_numbers(v: &str) -> [u64; 3] {
    let mut out = [0; 3];
    for (slot, part) in out.iter_mut().zip(v.split(['.', '-', '+'])) {
        *slot = part.parse().unwrap_or(0);
    }
    out
}

/// A note when the file comes from another InferBench version: newer (checked by this
/// version's rules), or older with values that differ (a rule may have changed since).
fn version_check(result: &BenchResult, consistent: bool) -> Option<CheckResult> {
    let file = version_numbers(&result.app_version);
    let this = version_numbers(crate::APP_VERSION);
    let v = one_line(&result.app_version, 40);
    if file > this {
        Some(check(
            "version",
            Outcome::Passed,
            format!(
                "it was written by InferBench {v}, newer than this one ({}): it was checked by \
                 this version's rules; update InferBench to check it by its own",
                crate::APP_VERSION
            ),
        ))
    } else if file < this && !consistent {
        Some(check(
            "version",
            Outcome::Passed,
            format!(
                "it was written by InferBench {v}, older than this one ({}): a value that \
                 differs may come from a rule changed since",
                crate::APP_VERSION
            ),
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_number() {
        assert_eq!(version_numbers("0.10.2"), [0, 10, 2]);
        assert!(version_numbers("0.10.0") > version_numbers("0.9.9"));
        assert_eq!(version_numbers("1.2.3-beta"), [1, 2, 3]);
        assert_eq!(version_numbers("nonsense"), [0, 0, 0]);
    }
}
