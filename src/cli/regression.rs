//! `inferbench regression BASELINE CURRENT [--threshold PCT]`: a run against a saved
//! baseline run: REGRESSION / IMPROVEMENT / NO CHANGE per variant and scenario. Exits with
//! status 1 when a regression is found, so a script can fail on it.

use super::args::Args;
use super::{read_file, CliError};
use crate::compare::{regression_check, RegressionOutcome, RegressionVerdict};
use crate::format::{p_value, sig, times};
use crate::results::io::read_result;
use crate::stats::CompareConfig;

/// The default threshold, in percent.
const DEFAULT_THRESHOLD_PCT: f64 = 5.0;

pub(super) fn regression(args: Vec<String>) -> Result<(), CliError> {
    let args = Args::parse(args, &["--threshold"], &[])?;
    let [base_path, current_path] = args.positional.as_slice() else {
        return Err(CliError::usage(format!(
            "regression needs two result files (the baseline, then the current run), got {}",
            args.positional.len()
        )));
    };
    let threshold_pct = super::threshold(&args, DEFAULT_THRESHOLD_PCT)? * 100.0;
    let read = |path: &String| {
        read_result(&read_file(path)?).map_err(|e| CliError::usage(format!("{path}: {e}")))
    };
    let (baseline, current) = (read(base_path)?, read(current_path)?);
    let rows = regression_check(
        &baseline,
        &current,
        threshold_pct / 100.0,
        &CompareConfig::default(),
    )
    .map_err(|e| CliError::usage(e.to_string()))?;
    let mut text = format!(
        "Regression check: {} ({current_path}) against the baseline {} ({base_path}), threshold {}%\n",
        current.machine_label,
        baseline.machine_label,
        sig(threshold_pct, 3)
    );
    let mut regressions = 0;
    for r in &rows {
        let line = match &r.outcome {
            RegressionOutcome::Checked {
                verdict,
                comparison,
                sentence,
                ..
            } => {
                if *verdict == RegressionVerdict::Regression {
                    regressions += 1;
                }
                format!(
                    "{verdict}: {sentence}; speedup {} (95% CI {}-{}), Mann-Whitney p {}",
                    times(comparison.speedup.of_means.point),
                    times(comparison.speedup.of_means.ci.lower),
                    times(comparison.speedup.of_means.ci.upper),
                    p_value(comparison.mann_whitney.p_value)
                )
            }
            RegressionOutcome::WorkloadDiffers { differences } => format!(
                "NOT COMPARED: the workload differs ({})",
                differences
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            RegressionOutcome::Missing => "NOT COMPARED: the current result has no such run".into(),
            RegressionOutcome::NotComparable { reason } => format!("NOT COMPARED: {reason}"),
        };
        text.push_str(&format!("  {} {:?}: {line}\n", r.variant, r.scenario));
    }
    super::out(&text);
    if regressions > 0 {
        return Err(CliError {
            message: format!(
                "{regressions} regression(s) beyond {}%",
                sig(threshold_pct, 3)
            ),
            status: 1,
        });
    }
    Ok(())
}
