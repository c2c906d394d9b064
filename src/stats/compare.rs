//! [`Comparison`]: everything InferBench says about "is the candidate faster than the
//! baseline?", for two samples of latencies (two variants, or two machines on the same
//! workload).
//!
//! **Sign convention.** Every signed difference and effect is *candidate minus baseline*
//! (the tests run with `a` = candidate, `b` = baseline), so a negative value means the
//! candidate has the lower latency; every ratio is *baseline / candidate*, so a speedup
//! above 1 means the candidate is faster.
//!
//! One bootstrap run (candidate resampled first, then baseline, see
//! [`crate::stats::bootstrap`]) gives the speedup intervals and the tail comparisons, so
//! they agree with the stand-alone [`speedup`](crate::stats::speedup) and
//! [`TailComparison::of`] called with the same seed.
//!
//! When several candidates are compared with one baseline, [`compare_family`] (or
//! [`adjust_family`] on comparisons built separately) applies Holm's correction to the
//! quoted p-values before deciding the verdicts.

use serde::{Deserialize, Serialize};

use super::bootstrap::{
    resample_statistics, speedup_from_replicates, validate_latencies, BootstrapConfig, Speedup,
    Statistic, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES,
};
use super::ci::DEFAULT_CONFIDENCE_LEVEL;
use super::effect::{cliffs_delta_sorted, cohens_d_from_moments, EffectMagnitude};
use super::error::StatsError;
use super::holm::holm_adjust;
use super::mann_whitney::MannWhitney;
use super::sample::validate_open_unit;
use super::sorted::SortedSample;
use super::summary::Summary;
use super::tail::TailComparison;
use super::verdict::{
    QuotedTest, RatioOf, Verdict, VerdictInputs, DEFAULT_ALPHA, DEFAULT_NOISE_THRESHOLD,
};
use super::welch::WelchTest;

/// Settings of a comparison. `Default` gives α = 0.05, 95% intervals, a 1% noise threshold,
/// 10,000 bootstrap resamples, Welch's p and the speedup of means, and tail comparisons at
/// p90 and p99.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareConfig {
    /// Significance level of the verdict, in `(0, 1)`.
    pub alpha: f64,
    /// Confidence level of every interval (Welch, bootstrap, summaries), in `(0, 1)`.
    pub confidence_level: f64,
    /// Noise threshold as a fraction (`0.01` = 1%): speedups whose interval does not clear
    /// `1 + θ` (or `1 / (1 + θ)`) are "within noise".
    pub noise_threshold: f64,
    /// Number of bootstrap resamples (at least 100).
    pub resamples: usize,
    /// Seed of the bootstrap's `ChaCha8Rng`.
    pub seed: u64,
    /// The test whose p-value the verdict quotes.
    pub test: QuotedTest,
    /// The speedup the verdict uses.
    pub ratio_of: RatioOf,
    /// LoadGen percentiles (fractions in `(0, 1)`) whose candidate-vs-baseline difference
    /// is bootstrapped.
    pub tail_percentiles: Vec<f64>,
}

impl Default for CompareConfig {
    fn default() -> Self {
        CompareConfig {
            alpha: DEFAULT_ALPHA,
            confidence_level: DEFAULT_CONFIDENCE_LEVEL,
            noise_threshold: DEFAULT_NOISE_THRESHOLD,
            resamples: DEFAULT_RESAMPLES,
            seed: DEFAULT_BOOTSTRAP_SEED,
            test: QuotedTest::Welch,
            ratio_of: RatioOf::Means,
            tail_percentiles: vec![0.9, 0.99],
        }
    }
}

impl CompareConfig {
    /// Checks every setting, so that a bad one is reported before any work is done.
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidParameter`] for `alpha`, `confidence_level` or a tail percentile
    /// outside `(0, 1)`, a noise threshold that is negative or not finite, or fewer than 100
    /// resamples.
    pub fn validate(&self) -> Result<(), StatsError> {
        self.bootstrap().validate()?;
        validate_open_unit("alpha", self.alpha)?;
        if !(self.noise_threshold >= 0.0 && self.noise_threshold.is_finite()) {
            return Err(StatsError::InvalidParameter {
                name: "noise_threshold",
                value: self.noise_threshold,
                expected: "a finite fraction >= 0 (0.01 means 1%)",
            });
        }
        for &p in &self.tail_percentiles {
            validate_open_unit("tail_percentiles", p)?;
        }
        Ok(())
    }

    /// The bootstrap settings these comparison settings imply.
    pub fn bootstrap(&self) -> BootstrapConfig {
        BootstrapConfig {
            resamples: self.resamples,
            seed: self.seed,
            confidence_level: self.confidence_level,
        }
    }
}

/// The full comparison of a candidate's latencies with a baseline's (milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Summary of the baseline sample.
    pub baseline: Summary,
    /// Summary of the candidate sample.
    pub candidate: Summary,
    /// Welch's t-test of candidate against baseline: `t < 0` and a negative
    /// `mean_difference_ms` when the candidate's mean latency is lower.
    pub welch: WelchTest,
    /// Mann-Whitney U test of candidate against baseline; `u` is the candidate's U.
    pub mann_whitney: MannWhitney,
    /// Cohen's d of candidate against baseline (pooled SD, `n - 1` weights); negative when
    /// the candidate is faster.
    pub cohens_d: f64,
    /// Cohen's label for `|cohens_d|`.
    pub cohens_d_magnitude: EffectMagnitude,
    /// Cliff's delta of candidate against baseline, in `[-1, 1]`; `-1` means every
    /// candidate latency is below every baseline latency.
    pub cliffs_delta: f64,
    /// Romano et al.'s label for `|cliffs_delta|`.
    pub cliffs_delta_magnitude: EffectMagnitude,
    /// Speedup (baseline / candidate) of means and of medians, with bootstrap intervals.
    pub speedup: Speedup,
    /// For each configured tail percentile: candidate's minus baseline's, with a bootstrap
    /// interval and the p-value of "the candidate's percentile is lower".
    pub tails: Vec<TailComparison>,
    /// The verdict and the numbers it rests on.
    pub verdict: Verdict,
}

impl Comparison {
    /// Compares `candidate_ms` with `baseline_ms`.
    ///
    /// - Time: dominated by the bootstrap, `O(resamples · (n_baseline + n_candidate))`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] (fewer than 2 values in a sample),
    /// [`StatsError::NonFinite`], [`StatsError::OutOfRange`], [`StatsError::NonPositive`] (a latency `<= 0`),
    /// [`StatsError::ZeroVariance`] when both samples are constant (no test is defined),
    /// [`StatsError::InvalidParameter`] for bad settings.
    pub fn of(
        baseline_ms: &[f64],
        candidate_ms: &[f64],
        config: &CompareConfig,
    ) -> Result<Self, StatsError> {
        validate_latencies(baseline_ms, candidate_ms)?;
        config.validate()?;
        Self::of_sorted(
            &SortedSample::new(baseline_ms)?,
            &SortedSample::new(candidate_ms)?,
            config,
        )
    }

    /// [`Comparison::of`] on samples already sorted ([`SortedSample`]), e.g. runs whose
    /// samples a report or a comparison of machines prepared once: the same comparison,
    /// without sorting or ranking again.
    ///
    /// - Time: `O(n_baseline + n_candidate)` (merges), plus the bootstrap (see
    ///   [`crate::stats::bootstrap`]).
    ///
    /// # Errors
    ///
    /// As [`Comparison::of`].
    pub fn of_sorted(
        baseline: &SortedSample,
        candidate: &SortedSample,
        config: &CompareConfig,
    ) -> Result<Self, StatsError> {
        baseline.validate_len("baseline", 2)?;
        candidate.validate_len("candidate", 2)?;
        baseline.validate_positive("baseline")?;
        candidate.validate_positive("candidate")?;
        config.validate()?;
        let bootstrap = config.bootstrap();
        let moments = |s: &SortedSample| (s.mean(), s.variance(), s.len());
        let welch = WelchTest::from_moments(
            moments(candidate),
            moments(baseline),
            config.confidence_level,
        )?;
        let mann_whitney = MannWhitney::of_sorted(candidate.sorted(), baseline.sorted());
        let d = cohens_d_from_moments(moments(candidate), moments(baseline))?;
        let delta = cliffs_delta_sorted(candidate.sorted(), baseline.sorted());

        let mut statistics = vec![Statistic::Mean, Statistic::Median];
        statistics.extend(
            config
                .tail_percentiles
                .iter()
                .map(|&p| Statistic::LoadGen(p)),
        );
        let (replicates, method) =
            resample_statistics(candidate, baseline, &statistics, &bootstrap);
        let speedup = speedup_from_replicates(
            baseline,
            candidate,
            &replicates[0],
            &replicates[1],
            &bootstrap,
            method,
        );
        let tails = config
            .tail_percentiles
            .iter()
            .zip(&replicates[2..])
            .map(|(&p, r)| {
                TailComparison::from_replicates(candidate, baseline, p, r, &bootstrap, method)
            })
            .collect();

        let verdict = Verdict::decide(VerdictInputs {
            speedup: match config.ratio_of {
                RatioOf::Means => speedup.of_means,
                RatioOf::Medians => speedup.of_medians,
            },
            ratio_of: config.ratio_of,
            test: config.test,
            p_value: match config.test {
                QuotedTest::Welch => welch.p_value,
                QuotedTest::MannWhitney => mann_whitney.p_value,
            },
            alpha: config.alpha,
            noise_threshold: config.noise_threshold,
        })?;
        Ok(Comparison {
            baseline: Summary::of_sorted(baseline, config.confidence_level)?,
            candidate: Summary::of_sorted(candidate, config.confidence_level)?,
            welch,
            mann_whitney,
            cohens_d: d,
            cohens_d_magnitude: EffectMagnitude::of_cohens_d(d),
            cliffs_delta: delta,
            cliffs_delta_magnitude: EffectMagnitude::of_cliffs_delta(delta),
            speedup,
            tails,
            verdict,
        })
    }
}

/// Compares each of `candidates_ms` with `baseline_ms` and decides every verdict on
/// Holm-adjusted p-values over the family (see [`adjust_family`]).
///
/// # Errors
///
/// As [`Comparison::of`] for any candidate, and [`StatsError::TooFewSamples`] for an empty
/// list of candidates.
pub fn compare_family(
    baseline_ms: &[f64],
    candidates_ms: &[&[f64]],
    config: &CompareConfig,
) -> Result<Vec<Comparison>, StatsError> {
    let mut comparisons = candidates_ms
        .iter()
        .map(|c| Comparison::of(baseline_ms, c, config))
        .collect::<Result<Vec<_>, _>>()?;
    adjust_family(&mut comparisons)?;
    Ok(comparisons)
}

/// Re-decides the verdicts of comparisons made at once, on Holm-adjusted p-values of their
/// quoted tests (the unadjusted p stays in `verdict.inputs.p_value`). A family of one is
/// left unadjusted.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] for an empty family.
pub fn adjust_family(comparisons: &mut [Comparison]) -> Result<(), StatsError> {
    let raw: Vec<f64> = comparisons
        .iter()
        .map(|c| c.verdict.inputs.p_value)
        .collect();
    let adjusted = holm_adjust(&raw)?;
    let m = comparisons.len();
    if m == 1 {
        return Ok(());
    }
    for (c, p) in comparisons.iter_mut().zip(adjusted) {
        c.verdict = Verdict::decide_adjusted(c.verdict.inputs, p, Some(m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unsorted_inputs_give_one_comparison() {
        let base: Vec<f64> = (0..300)
            .map(|i| 2.0 + ((i * 37) % 101) as f64 / 50.0)
            .collect();
        let cand: Vec<f64> = (0..250)
            .map(|i| 1.5 + ((i * 53) % 97) as f64 / 60.0)
            .collect();
        let config = CompareConfig {
            resamples: 500,
            ..CompareConfig::default()
        };
        let a = Comparison::of(&base, &cand, &config).unwrap();
        let b = Comparison::of_sorted(
            &SortedSample::new(&base).unwrap(),
            &SortedSample::new(&cand).unwrap(),
            &config,
        )
        .unwrap();
        assert_eq!(a, b);
        // The slice-based tests agree with the merges.
        assert_eq!(a.mann_whitney, MannWhitney::of(&cand, &base).unwrap());
        assert_eq!(
            a.cliffs_delta,
            crate::stats::cliffs_delta(&cand, &base).unwrap()
        );
        assert_eq!(a.welch, WelchTest::of(&cand, &base, 0.95).unwrap());
    }
}
