//! The seeded two-sample percentile bootstrap, and the speedup ratios it gives intervals
//! for.
//!
//! **Procedure** (stated so that a result file can be reproduced): one
//! `ChaCha8Rng::seed_from_u64(seed)`; for each of `resamples` rounds, draw `n_first`
//! indices uniformly with replacement into the *first* sample sorted ascending (rand 0.9's
//! `Uniform<u32>`), then `n_second` into the *second*, sorted; each group is resampled
//! independently, keeping its size. The statistic of interest is computed on every resample pair, and the interval is
//! the percentile interval: numpy-linear quantiles ([`crate::stats::sample::quantile_linear`])
//! of the replicates at `(1 - level) / 2` and `1 - (1 - level) / 2`, as criterion does.
//! The same seed and data give the same interval on every platform (no floating-point
//! operation in the procedure depends on the platform's math library).
//!
//! Everywhere in [`crate::stats`] the *first* group is the candidate and the second the
//! baseline, so a [`crate::stats::Comparison`] and a stand-alone [`speedup`] or
//! [`crate::stats::TailComparison`] with the same seed see the very same resamples.
//!
//! **Speedup** (latencies: lower is better): `baseline / candidate`, of the means and of
//! the medians; `> 1` means the candidate is faster.
//!
//! - Time: `O(resamples · (n_first + n_second))`; medians and percentiles are read by
//!   counting draws per index, not by sorting or selecting each resample. About 3 s for
//!   10,000 resamples of two groups of 24,576 values (native, release build).

use rand::distr::{Distribution, Uniform};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::bootstrap_large::large_sample_replicates;
pub use super::bootstrap_large::BootstrapMethod;
use super::ci::{ConfidenceInterval, DEFAULT_CONFIDENCE_LEVEL};
use super::error::StatsError;
use super::percentile::loadgen_percentile_index;
pub(crate) use super::replicates::{GroupReplicates, Statistic};
use super::sample::{quantile_linear, validate, validate_open_unit, validate_positive};
use super::sorted::SortedSample;

/// The number of bootstrap resamples used when none is given.
pub const DEFAULT_RESAMPLES: usize = 10_000;

/// The smallest number of resamples accepted: fewer cannot place a 95% interval's bounds.
pub const MIN_RESAMPLES: usize = 100;

/// The seed used when none is given (any fixed value would do; results record theirs).
pub const DEFAULT_BOOTSTRAP_SEED: u64 = 0x1BFE_BE7C;

/// Settings of a seeded bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootstrapConfig {
    /// Number of resamples (default 10,000; at least 100).
    pub resamples: usize,
    /// Seed of the `ChaCha8Rng` that draws the resamples.
    pub seed: u64,
    /// Confidence level of the percentile interval, in `(0, 1)` (default 0.95).
    pub confidence_level: f64,
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        BootstrapConfig {
            resamples: DEFAULT_RESAMPLES,
            seed: DEFAULT_BOOTSTRAP_SEED,
            confidence_level: DEFAULT_CONFIDENCE_LEVEL,
        }
    }
}

impl BootstrapConfig {
    /// Checks the settings.
    ///
    /// # Errors
    ///
    /// [`StatsError::InvalidParameter`] for fewer than [`MIN_RESAMPLES`] resamples or a
    /// level outside `(0, 1)`.
    pub fn validate(&self) -> Result<(), StatsError> {
        if self.resamples < MIN_RESAMPLES {
            return Err(StatsError::InvalidParameter {
                name: "resamples",
                value: self.resamples as f64,
                expected: "at least 100 (10,000 is the default)",
            });
        }
        validate_open_unit("confidence_level", self.confidence_level)
    }
}

/// A ratio with its bootstrap confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatioEstimate {
    /// The ratio computed on the observed samples (a plain factor, e.g. `1.82`).
    pub point: f64,
    /// Its percentile-bootstrap confidence interval (same unit).
    pub ci: ConfidenceInterval,
}

/// Speedup of a candidate over a baseline (`baseline / candidate` latency; `> 1` means the
/// candidate is faster), of the means and of the medians, with bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Speedup {
    /// `mean(baseline) / mean(candidate)`.
    pub of_means: RatioEstimate,
    /// `median(baseline) / median(candidate)` (conventional medians).
    pub of_medians: RatioEstimate,
    /// The bootstrap settings the intervals were computed with.
    pub bootstrap: BootstrapConfig,
    /// How the replicates were drawn (results of schema version 1: always resampling).
    #[serde(default)]
    pub method: BootstrapMethod,
}

/// The speedup of `candidate_ms` over `baseline_ms` with seeded bootstrap intervals.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] (fewer than 2 values), [`StatsError::NonFinite`], [`StatsError::OutOfRange`],
/// [`StatsError::NonPositive`] (a latency `<= 0` cannot be a denominator),
/// [`StatsError::InvalidParameter`] for bad settings.
pub fn speedup(
    baseline_ms: &[f64],
    candidate_ms: &[f64],
    config: &BootstrapConfig,
) -> Result<Speedup, StatsError> {
    validate_latencies(baseline_ms, candidate_ms)?;
    config.validate()?;
    let (baseline, candidate) = (
        SortedSample::new(baseline_ms)?,
        SortedSample::new(candidate_ms)?,
    );
    let (replicates, method) = resample_statistics(
        &candidate,
        &baseline,
        &[Statistic::Mean, Statistic::Median],
        config,
    );
    Ok(speedup_from_replicates(
        &baseline,
        &candidate,
        &replicates[0],
        &replicates[1],
        config,
        method,
    ))
}

/// Validation shared by every two-sample latency comparison.
pub(crate) fn validate_latencies(
    baseline_ms: &[f64],
    candidate_ms: &[f64],
) -> Result<(), StatsError> {
    validate("baseline", baseline_ms, 2)?;
    validate("candidate", candidate_ms, 2)?;
    validate_positive("baseline", baseline_ms)?;
    validate_positive("candidate", candidate_ms)
}

/// Builds [`Speedup`] from mean and median replicates (first group = candidate).
pub(crate) fn speedup_from_replicates(
    baseline: &SortedSample,
    candidate: &SortedSample,
    means: &GroupReplicates,
    medians: &GroupReplicates,
    config: &BootstrapConfig,
    method: BootstrapMethod,
) -> Speedup {
    let ratio = |r: &GroupReplicates| -> Vec<f64> {
        r.second.iter().zip(&r.first).map(|(b, c)| b / c).collect()
    };
    Speedup {
        of_means: RatioEstimate {
            point: baseline.mean() / candidate.mean(),
            ci: percentile_interval(ratio(means), config.confidence_level),
        },
        of_medians: RatioEstimate {
            point: baseline.median() / candidate.median(),
            ci: percentile_interval(ratio(medians), config.confidence_level),
        },
        bootstrap: *config,
        method,
    }
}

/// Runs the bootstrap procedure of the module doc and returns, for each statistic in
/// order, its replicates, and the method used: resampling up to
/// [`EXACT_BOOTSTRAP_DRAWS`](super::bootstrap_large::EXACT_BOOTSTRAP_DRAWS) draws, the
/// large-sample method beyond ([`super::bootstrap_large`]). Samples have fewer than 2^32
/// values.
pub(crate) fn resample_statistics(
    first: &SortedSample,
    second: &SortedSample,
    statistics: &[Statistic],
    config: &BootstrapConfig,
) -> (Vec<GroupReplicates>, BootstrapMethod) {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let method = BootstrapMethod::for_sizes(config.resamples, first.len() + second.len());
    if method == BootstrapMethod::LargeSample {
        let replicates =
            large_sample_replicates(&mut rng, first, second, statistics, config.resamples);
        return (replicates, method);
    }
    let mut out: Vec<GroupReplicates> = statistics
        .iter()
        .map(|_| GroupReplicates {
            first: Vec::with_capacity(config.resamples),
            second: Vec::with_capacity(config.resamples),
        })
        .collect();
    let mut first_group = Group::new(first.sorted(), statistics);
    let mut second_group = Group::new(second.sorted(), statistics);
    let mut values = vec![0.0; statistics.len()];
    for _ in 0..config.resamples {
        first_group.resample(&mut rng, statistics, &mut values);
        for (o, &v) in out.iter_mut().zip(&values) {
            o.first.push(v);
        }
        second_group.resample(&mut rng, statistics, &mut values);
        for (o, &v) in out.iter_mut().zip(&values) {
            o.second.push(v);
        }
    }
    (out, method)
}

/// One group's sorted data, the counts of its current resample and the order statistics its
/// statistics need.
///
/// A resample is drawn as `n` indices into the **sorted** data; instead of materialising and
/// selecting the resampled values, the draws are counted per index, and one cumulative pass
/// over the counts reads every needed order statistic (the resample's k-th smallest value is
/// `sorted[j]` for the first `j` whose cumulative count exceeds `k`). This is exact and about
/// 1.6 times as fast as selection for LoadGen-sized samples.
struct Group<'a> {
    sorted: &'a [f64],
    index: Uniform<u32>,
    /// How many times each sorted index was drawn in the current resample.
    counts: Vec<u32>,
    /// Distinct order-statistic positions needed (0-based), ascending.
    positions: Vec<usize>,
    /// The current resample's value at each of `positions`.
    order_values: Vec<f64>,
}

impl<'a> Group<'a> {
    /// A group of `sorted` values (ascending).
    fn new(sorted: &'a [f64], statistics: &[Statistic]) -> Self {
        let n = sorted.len();
        let mut positions = Vec::new();
        for s in statistics {
            match *s {
                Statistic::Mean => {}
                Statistic::Median => {
                    positions.push(n / 2);
                    if n.is_multiple_of(2) {
                        positions.push(n / 2 - 1);
                    }
                }
                Statistic::LoadGen(p) => positions.push(loadgen_percentile_index(n, p)),
            }
        }
        positions.sort_unstable();
        positions.dedup();
        Group {
            sorted,
            // n >= 1 and n < 2^32 are guaranteed by the callers.
            index: Uniform::new(0, n as u32).expect("a non-empty sample gives a valid range"),
            counts: if positions.is_empty() {
                Vec::new()
            } else {
                vec![0; n]
            },
            order_values: vec![0.0; positions.len()],
            positions,
        }
    }

    /// Draws one resample and writes each statistic's value into `values`.
    fn resample(&mut self, rng: &mut ChaCha8Rng, statistics: &[Statistic], values: &mut [f64]) {
        let n = self.sorted.len();
        let mut sum = 0.0;
        if self.positions.is_empty() {
            for _ in 0..n {
                sum += self.sorted[self.index.sample(rng) as usize];
            }
        } else {
            self.counts.fill(0);
            for _ in 0..n {
                let i = self.index.sample(rng) as usize;
                self.counts[i] += 1;
                sum += self.sorted[i];
            }
            self.read_order_statistics();
        }
        for (value, s) in values.iter_mut().zip(statistics) {
            *value = match *s {
                Statistic::Mean => sum / n as f64,
                Statistic::Median if n % 2 == 1 => self.order_value(n / 2),
                Statistic::Median => {
                    let (lo, hi) = (self.order_value(n / 2 - 1), self.order_value(n / 2));
                    lo + (hi - lo) / 2.0
                }
                Statistic::LoadGen(p) => self.order_value(loadgen_percentile_index(n, p)),
            };
        }
    }

    /// Fills `order_values` from `counts` in one cumulative pass.
    fn read_order_statistics(&mut self) {
        let mut next = 0;
        let mut below: usize = 0; // values of the resample at sorted indices < j
        for (j, &c) in self.counts.iter().enumerate() {
            below += c as usize;
            while next < self.positions.len() && self.positions[next] < below {
                self.order_values[next] = self.sorted[j];
                next += 1;
            }
            if next == self.positions.len() {
                break;
            }
        }
    }

    /// The current resample's order statistic at `position` (one of `positions`).
    fn order_value(&self, position: usize) -> f64 {
        self.positions
            .binary_search(&position)
            .map_or(f64::NAN, |i| self.order_values[i])
    }

    /// The current resample's values, sorted (for tests).
    #[cfg(test)]
    fn materialise(&self) -> Vec<f64> {
        self.counts
            .iter()
            .zip(self.sorted)
            .flat_map(|(&c, &v)| std::iter::repeat_n(v, c as usize))
            .collect()
    }
}

/// The percentile interval of bootstrap `replicates` at `confidence_level`.
pub(crate) fn percentile_interval(
    mut replicates: Vec<f64>,
    confidence_level: f64,
) -> ConfidenceInterval {
    replicates.sort_unstable_by(f64::total_cmp);
    let tail = (1.0 - confidence_level) / 2.0;
    ConfidenceInterval {
        confidence_level,
        lower: quantile_linear(&replicates, tail).unwrap_or(f64::NAN),
        upper: quantile_linear(&replicates, 1.0 - tail).unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::percentile::loadgen_percentile;
    use crate::stats::sample::{mean, median_sorted, sorted_copy};

    fn config(resamples: usize, seed: u64) -> BootstrapConfig {
        BootstrapConfig {
            resamples,
            seed,
            confidence_level: 0.95,
        }
    }

    #[test]
    fn counting_matches_sorting_the_resample() {
        // Every statistic read from the counts equals the one on the sorted resample.
        let data: Vec<f64> = (0..101).map(|i| ((i * 37) % 101) as f64).collect();
        let stats = [
            Statistic::Mean,
            Statistic::Median,
            Statistic::LoadGen(0.9),
            Statistic::LoadGen(0.99),
        ];
        let sorted = sorted_copy(&data);
        let mut group = Group::new(&sorted, &stats);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut values = [0.0; 4];
        for _ in 0..20 {
            group.resample(&mut rng, &stats, &mut values);
            let resample = group.materialise();
            assert_eq!(resample.len(), data.len());
            assert!((values[0] - mean(&resample)).abs() < 1e-12);
            assert_eq!(values[1], median_sorted(&resample).unwrap());
            assert_eq!(values[2], loadgen_percentile(&resample, 0.9).unwrap());
            assert_eq!(values[3], loadgen_percentile(&resample, 0.99).unwrap());
        }
    }

    #[test]
    fn even_sized_median_uses_both_middle_values() {
        let data = sorted_copy(&[10.0, 1.0, 3.0, 2.0]);
        let stats = [Statistic::Median];
        let mut group = Group::new(&data, &stats);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut values = [0.0];
        for _ in 0..50 {
            group.resample(&mut rng, &stats, &mut values);
            assert_eq!(values[0], median_sorted(&group.materialise()).unwrap());
        }
    }

    #[test]
    fn same_seed_same_interval_other_seed_other_interval() {
        let base: Vec<f64> = (0..50).map(|i| 10.0 + (i % 7) as f64).collect();
        let cand: Vec<f64> = (0..40).map(|i| 5.0 + (i % 5) as f64).collect();
        let a = speedup(&base, &cand, &config(500, 1)).unwrap();
        let b = speedup(&base, &cand, &config(500, 1)).unwrap();
        let c = speedup(&base, &cand, &config(500, 2)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.of_means.ci, c.of_means.ci);
    }

    #[test]
    fn rejects_too_few_resamples_and_zero_latency() {
        let x = [1.0, 2.0, 3.0];
        assert!(matches!(
            speedup(&x, &x, &config(10, 0)),
            Err(StatsError::InvalidParameter {
                name: "resamples",
                ..
            })
        ));
        assert_eq!(
            speedup(&x, &[1.0, 0.0], &config(100, 0)),
            Err(StatsError::NonPositive {
                sample: "candidate",
                index: 1,
                value: 0.0
            })
        );
    }
}
