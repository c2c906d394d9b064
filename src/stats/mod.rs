//! Statistics behind every number and verdict InferBench shows.
//!
//! Pure functions of data: no clock, no I/O, no entropy (bootstraps take a seed). Every
//! function validates its input and returns a typed [`StatsError`] rather than panicking or
//! producing NaN. Latencies are in milliseconds throughout.
//!
//! | Module | Holds |
//! |---|---|
//! | [`percentile`] | LoadGen's percentile estimator `sorted[floor(n p)]` |
//! | [`sample`] | validation, mean/variance/median, numpy-linear quantile |
//! | [`sorted`] | [`SortedSample`]: a sample sorted once, shared by its summary and comparisons |
//! | [`summary`] | [`Summary`] of one sample |
//! | [`ci`] | [`ConfidenceInterval`], Student-t interval of the mean |
//! | [`percentile_ci`](mod@percentile_ci) | distribution-free (order-statistic) interval of a percentile |
//! | [`outliers`] | Tukey's fences |
//! | [`welch`], [`mann_whitney`], [`effect`] | two-sample tests and effect sizes |
//! | [`bootstrap`], [`bootstrap_large`] | seeded bootstrap (resampling; large samples), speedup ratios |
//! | [`tail`] | bootstrap comparison of tail percentiles |
//! | [`tick`] | the timer tick's bound on latencies, percentiles and their differences |
//! | [`holm`] | Holm-Bonferroni adjustment |
//! | [`verdict`], [`compare`] | the verdict and its sentence; [`Comparison`] |
//! | [`trend`] | within-run drift (Spearman) |
//! | [`sample_size`] | MLPerf's query counts, power estimate |
//! | [`normalized`], [`pareto`] | speedup/compression/efficiency, Pareto frontier |
//! | [`queueing`] | M/D/1 and M/G/1 mean latency (Pollaczek-Khinchine) |
//!
//! Reference values for all of it come from scipy, numpy and statsmodels
//! (`scripts/gen_stats_fixtures.py`, checked by `tests/native/stats_reference.rs`).

pub mod bootstrap;
pub mod bootstrap_large;
pub mod ci;
pub mod compare;
mod dist;
pub mod effect;
pub mod error;
pub mod holm;
pub mod mann_whitney;
pub mod normalized;
pub mod outliers;
pub mod pareto;
pub mod percentile;
pub mod percentile_ci;
pub mod queueing;
mod rank;
mod replicates;
pub mod sample;
pub mod sample_size;
pub mod sorted;
pub mod summary;
pub mod tail;
pub mod tick;
pub mod trend;
pub mod verdict;
pub mod welch;

pub use bootstrap::{speedup, BootstrapConfig, BootstrapMethod, RatioEstimate, Speedup};
pub use ci::{mean_ci, ConfidenceInterval, DEFAULT_CONFIDENCE_LEVEL};
pub use compare::{adjust_family, compare_family, CompareConfig, Comparison};
pub use effect::{cliffs_delta, cohens_d, EffectMagnitude};
pub use error::StatsError;
pub use holm::holm_adjust;
pub use mann_whitney::MannWhitney;
pub use normalized::{
    accuracy_delta, compression_ratio, efficiency_score, speedup_ratio, NormalizedMetrics,
    VariantFigures,
};
pub use outliers::TukeyOutliers;
pub use pareto::{pareto_frontier, ParetoPoint, ParetoStatus};
pub use percentile::loadgen_percentile;
pub use percentile_ci::{percentile_ci, percentile_ci_min_samples, PercentileCi};
pub use sample_size::{queries_for_power, MlperfSampleSize};
pub use sorted::SortedSample;
pub use summary::{PercentileEstimate, Summary, LOADGEN_PERCENTILES};
pub use tail::TailComparison;
pub use tick::{latency_bound_ms, tick_overlap, TickOverlap, LATENCY_BOUND_TICKS};
pub use trend::{Trend, TrendKind};
pub use verdict::{QuotedTest, RatioOf, Verdict, VerdictInputs, VerdictKind};
pub use welch::WelchTest;
