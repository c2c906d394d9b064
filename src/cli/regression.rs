//! `inferbench regression BASELINE CURRENT [--threshold PCT]`: a run against a saved
//! baseline run: REGRESSION / IMPROVEMENT / NO CHANGE per variant and scenario. Exits with
//! status 1 when a regression is found, so a script can fail on it.

use super::args::Args;
use super::{read_result_file, CliError};
use crate::compare::{regression_check, RegressionOutcome, RegressionVerdict};
use crate::format::{one_line, p_value, sig, times};
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
    let (baseline, current) = (
        read_result_file(base_path)?,
        read_result_file(current_path)?,
    );
    let rows = regression_check(
        &baseline,
        &current,
        threshold_pct / 100.0,
        &CompareConfig::default(),
    )
    .map_err(|e| CliError::usage(e.to_string()))?;
    let mut text = format!(
        "Regression check: {} ({}) against the baseline {} ({}), threshold {}%\n",
        one_line(&current.machine_label, 80),
        one_line(current_path, 200),
        one_line(&baseline.machine_label, 80),
        one_line(base_path, 200),
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
                    "{verdict}: {}; speedup {} (95% CI {}-{}), Mann-Whitney p {}",
                    one_line(sentence, 300),
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
                    .map(|d| one_line(&d.to_string(), 200))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            RegressionOutcome::Missing => "NOT COMPARED: the current result has no such run".into(),
            RegressionOutcome::NotComparable { reason } => {
                format!("NOT COMPARED: {}", one_line(reason, 300))
            }
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
