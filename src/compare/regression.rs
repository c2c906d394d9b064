//! Regression check ([`regression_check`]): a saved baseline result against the current
//! one, with a threshold.
//!
//! For every variant and scenario both results ran on the same workload, the current run
//! is compared with the baseline run ([`Comparison`], noise threshold = the regression
//! threshold). The rule is the verdict's, as criterion.rs has it:
//! - **REGRESSION**: the slowdown is significant (p < α) and its whole confidence interval
//!   lies beyond the threshold (speedup interval below `1 / (1 + threshold)`);
//! - **IMPROVEMENT**: significant, and the speedup interval lies above `1 + threshold`;
//! - **NO CHANGE**: otherwise (not significant, or not clearly beyond the threshold).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::fingerprint::{workload_differences, Difference, Workload};
use crate::loadgen::run_overlap::percentile_overlap;
use crate::loadgen::settings::Scenario;
use crate::model::Variant;
use crate::report::verdict_text::VerdictSentence;
use crate::results::{analysis_sample_ms, BenchResult};
use crate::stats::{CompareConfig, Comparison, StatsError, TickOverlap, VerdictKind};

/// The outcome of one regression comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegressionVerdict {
    /// Significantly slower, beyond the threshold.
    Regression,
    /// Significantly faster, beyond the threshold.
    Improvement,
    /// Neither.
    NoChange,
}

impl RegressionVerdict {
    /// The verdict for a comparison's [`VerdictKind`] (decided with the threshold as its
    /// noise threshold).
    pub fn of(kind: VerdictKind) -> Self {
        match kind {
            VerdictKind::Faster => RegressionVerdict::Improvement,
            VerdictKind::Slower => RegressionVerdict::Regression,
            VerdictKind::WithinNoise | VerdictKind::NoSignificantDifference => {
                RegressionVerdict::NoChange
            }
        }
    }
}

impl fmt::Display for RegressionVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegressionVerdict::Regression => "REGRESSION",
            RegressionVerdict::Improvement => "IMPROVEMENT",
            RegressionVerdict::NoChange => "NO CHANGE",
        })
    }
}

/// One variant's scenario in the regression check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionRow {
    /// The variant.
    pub variant: Variant,
    /// The scenario.
    pub scenario: Scenario,
    /// The outcome, or why there is none.
    pub outcome: RegressionOutcome,
}

/// What the check found for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RegressionOutcome {
    /// Compared.
    Checked {
        /// The verdict.
        verdict: RegressionVerdict,
        /// Every statistic (current against baseline).
        comparison: Box<Comparison>,
        /// The verdict sentence, with whether the target percentiles differ beyond the two
        /// runs' tick bounds when that matters.
        sentence: String,
        /// The target percentiles against the two runs' tick bounds: set when either run is
        /// timer-limited or the difference is within the bounds.
        #[serde(default)]
        tick: Option<TickOverlap>,
    },
    /// The workloads differ: not compared.
    WorkloadDiffers {
        /// What differs.
        differences: Vec<Difference>,
    },
    /// The current result has no such run.
    Missing,
    /// The statistics could not be computed.
    NotComparable {
        /// Why.
        reason: String,
    },
}

/// Checks `current` against `baseline` with a regression threshold (a fraction: `0.05` is
/// 5%); the other settings (significance level, bootstrap) come from `config`, whose noise
/// threshold is replaced by `threshold`. One row per run of the baseline.
///
/// # Errors
///
/// [`StatsError::InvalidParameter`] for a threshold that is negative or not finite, or an
/// invalid `config`.
pub fn regression_check(
    baseline: &BenchResult,
    current: &BenchResult,
    threshold: f64,
    config: &CompareConfig,
) -> Result<Vec<RegressionRow>, StatsError> {
    let config = CompareConfig {
        noise_threshold: threshold,
        ..config.clone()
    };
    config.validate()?;
    let mut rows = Vec::new();
    for v in &baseline.variants {
        for base_run in &v.runs {
            let scenario = base_run.run.scenario;
            let found = current
                .variants
                .iter()
                .find(|x| x.variant == v.variant)
                .and_then(|x| x.run(scenario));
            let outcome = match found {
                None => RegressionOutcome::Missing,
                Some(cur) => {
                    let differences = workload_differences(
                        &Workload::from_settings(baseline, v.variant, &base_run.run.settings),
                        &Workload::from_settings(current, v.variant, &cur.run.settings),
                    );
                    if !differences.is_empty() {
                        RegressionOutcome::WorkloadDiffers { differences }
                    } else {
                        match Comparison::of(
                            &analysis_sample_ms(&base_run.run),
                            &analysis_sample_ms(&cur.run),
                            &config,
                        ) {
                            Ok(comparison) => {
                                let tick = percentile_overlap(
                                    &cur.run,
                                    current.environment.timer.and_then(|t| t.resolution_ms),
                                    &base_run.run,
                                    baseline.environment.timer.and_then(|t| t.resolution_ms),
                                );
                                let mut sentence =
                                    comparison.sentence("the baseline", "the current run");
                                if let Some(o) = &tick {
                                    sentence.push_str("; ");
                                    sentence.push_str(&crate::report::text::tick_overlap_text(o));
                                }
                                RegressionOutcome::Checked {
                                    verdict: RegressionVerdict::of(comparison.verdict.kind),
                                    sentence,
                                    comparison: Box::new(comparison),
                                    tick,
                                }
                            }
                            Err(e) => RegressionOutcome::NotComparable {
                                reason: e.to_string(),
                            },
                        }
                    }
                }
            };
            rows.push(RegressionRow {
                variant: v.variant,
                scenario,
                outcome,
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{
        ConfidenceInterval, QuotedTest, RatioEstimate, RatioOf, Verdict, VerdictInputs,
    };

    fn verdict(lower: f64, upper: f64, p: f64, threshold: f64) -> RegressionVerdict {
        let inputs = VerdictInputs {
            speedup: RatioEstimate {
                point: (lower + upper) / 2.0,
                ci: ConfidenceInterval {
                    confidence_level: 0.95,
                    lower,
                    upper,
                },
            },
            ratio_of: RatioOf::Means,
            test: QuotedTest::Welch,
            p_value: p,
            alpha: 0.05,
            noise_threshold: threshold,
        };
        RegressionVerdict::of(Verdict::decide(inputs).unwrap().kind)
    }

    #[test]
    fn threshold_edges() {
        let t = 0.05;
        // A slowdown whose interval ends exactly at the threshold is not beyond it.
        assert_eq!(
            verdict(0.80, 1.0 / 1.05, 0.001, t),
            RegressionVerdict::NoChange
        );
        assert_eq!(
            verdict(0.80, 1.0 / 1.05 - 1e-9, 0.001, t),
            RegressionVerdict::Regression
        );
        assert_eq!(verdict(1.05, 1.20, 0.001, t), RegressionVerdict::NoChange);
        assert_eq!(
            verdict(1.05 + 1e-9, 1.20, 0.001, t),
            RegressionVerdict::Improvement
        );
        // Beyond the threshold but not significant: no change.
        assert_eq!(verdict(0.5, 0.6, 0.05, t), RegressionVerdict::NoChange);
        assert_eq!(verdict(0.5, 0.6, 0.0499, t), RegressionVerdict::Regression);
        // A zero threshold: any significant change whose interval excludes 1.
        assert_eq!(
            verdict(0.98, 0.99, 0.01, 0.0),
            RegressionVerdict::Regression
        );
    }

    #[test]
    fn labels() {
        assert_eq!(RegressionVerdict::Regression.to_string(), "REGRESSION");
        assert_eq!(RegressionVerdict::NoChange.to_string(), "NO CHANGE");
        assert_eq!(
            serde_json::to_string(&RegressionVerdict::NoChange).unwrap(),
            "\"NO_CHANGE\""
        );
    }
}
