//! The bootstrap of large samples, at a cost that does not grow with the sample
//! ([`BootstrapMethod::LargeSample`]).
//!
//! Resampling draws every value of every resample: 10,000 resamples of two runs of a million
//! latencies each is 2·10^10 draws, minutes of work. Above
//! [`EXACT_BOOTSTRAP_DRAWS`] draws (20,000 values in all at the default 10,000 resamples),
//! each statistic of a resample is drawn straight from its resampling distribution instead:
//!
//! - an **order statistic** (a LoadGen percentile, the median's middle values) exactly: the
//!   `k`-th smallest of `n` draws with replacement from the sorted sample `x` is
//!   `x[floor(n U)]` with `U ~ Beta(k, n + 1 - k)`, the `k`-th smallest of `n` uniforms
//!   (`U = X / (X + Y)`, `X ~ Gamma(k)`, `Y ~ Gamma(n + 1 - k)`, Marsaglia and Tsang's
//!   method); an even-sized median's second middle value is the smallest of the `n - k`
//!   uniforms above the first, `U' = U + (1 - U)(1 - V^(1 / (n - k)))`;
//! - the **mean** from its normal limit, `mean + sd_n / sqrt(n) Z` (`sd_n` the standard
//!   deviation with divisor `n`, the resampling distribution's own), which the resampled
//!   mean's distribution approaches (its skewness is the sample's divided by `sqrt(n)`: below
//!   0.1 for any latency sample of this size short of extreme outliers).
//!
//! Each statistic is drawn on its own, so replicates of different statistics are
//! independent (every interval InferBench reports is a marginal one, so none depends on
//! their joint distribution). Cost: `O(resamples x statistics)`, milliseconds.
//!
//! **Reproducible everywhere.** The uniforms come from the caller's `ChaCha8Rng`; the normal
//! draws (Marsaglia's polar method) and the gammas use only `+ - * /`, `sqrt` (exact in IEEE
//! arithmetic) and the `libm` crate's `log` and `exp` (the same software functions natively
//! and in WebAssembly), so the same seed gives the same replicates on every platform.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::percentile::loadgen_percentile_index;
use super::replicates::{GroupReplicates, Statistic};
use super::sorted::SortedSample;

/// The most values the resampling bootstrap draws in all (resamples x values in both
/// samples): 2·10^8, about a second natively. Beyond it, [`BootstrapMethod::LargeSample`].
pub const EXACT_BOOTSTRAP_DRAWS: u64 = 200_000_000;

/// How the replicates of a bootstrap were drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BootstrapMethod {
    /// Every value of every resample drawn (resamples x values within
    /// [`EXACT_BOOTSTRAP_DRAWS`]).
    #[default]
    Resampling,
    /// Each resample's statistics drawn from their resampling distributions (larger
    /// samples; see the module docs).
    LargeSample,
}

impl BootstrapMethod {
    /// The method for `resamples` resamples of `n_total` values in all.
    pub fn for_sizes(resamples: usize, n_total: usize) -> Self {
        if (resamples as u64).saturating_mul(n_total as u64) <= EXACT_BOOTSTRAP_DRAWS {
            BootstrapMethod::Resampling
        } else {
            BootstrapMethod::LargeSample
        }
    }
}

/// A uniform in `(0, 1]`.
fn open_uniform(rng: &mut ChaCha8Rng) -> f64 {
    1.0 - rng.random::<f64>()
}

/// A standard normal draw (Marsaglia's polar method; one of the pair is used).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * libm::log(s) / s).sqrt();
        }
    }
}

/// A `Gamma(shape, 1)` draw for `shape >= 1` (Marsaglia and Tsang, 2000).
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_uniform(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// The `k`-th smallest (1-based) of `n` uniforms: `Beta(k, n + 1 - k)`.
fn uniform_order_statistic(rng: &mut ChaCha8Rng, k: usize, n: usize) -> f64 {
    let x = gamma(rng, k as f64);
    let y = gamma(rng, (n + 1 - k) as f64);
    x / (x + y)
}

/// The value of the sorted sample at resample-uniform `u`.
fn value_at(sorted: &[f64], u: f64) -> f64 {
    let n = sorted.len();
    sorted[((n as f64 * u) as usize).min(n - 1)]
}

/// One group's statistics for one resample, drawn from their resampling distributions.
fn draw(rng: &mut ChaCha8Rng, sample: &SortedSample, statistics: &[Statistic], values: &mut [f64]) {
    let sorted = sample.sorted();
    let n = sorted.len();
    // The resampling distribution's standard deviation (divisor n).
    let sd_n = (sample.variance() * (n - 1) as f64 / n as f64).sqrt();
    for (value, s) in values.iter_mut().zip(statistics) {
        *value = match *s {
            Statistic::Mean => sample.mean() + sd_n / (n as f64).sqrt() * standard_normal(rng),
            Statistic::Median if n % 2 == 1 => {
                value_at(sorted, uniform_order_statistic(rng, n / 2 + 1, n))
            }
            Statistic::Median => {
                // The (n/2)-th and (n/2 + 1)-th smallest: the second is the smallest of the
                // n/2 uniforms above the first.
                let k = n / 2;
                let u = uniform_order_statistic(rng, k, n);
                let above = 1.0 - libm::exp(libm::log(open_uniform(rng)) / (n - k) as f64);
                let u2 = u + (1.0 - u) * above;
                let (lo, hi) = (value_at(sorted, u), value_at(sorted, u2));
                lo + (hi - lo) / 2.0
            }
            Statistic::LoadGen(p) => {
                let k = loadgen_percentile_index(n, p) + 1;
                value_at(sorted, uniform_order_statistic(rng, k, n))
            }
        };
    }
}

/// [`super::bootstrap`]'s replicates by the large-sample method: for each resample, the
/// first group's statistics, then the second's, from `rng`.
pub(crate) fn large_sample_replicates(
    rng: &mut ChaCha8Rng,
    first: &SortedSample,
    second: &SortedSample,
    statistics: &[Statistic],
    resamples: usize,
) -> Vec<GroupReplicates> {
    let mut out: Vec<GroupReplicates> = statistics
        .iter()
        .map(|_| GroupReplicates {
            first: Vec::with_capacity(resamples),
            second: Vec::with_capacity(resamples),
        })
        .collect();
    let mut values = vec![0.0; statistics.len()];
    for _ in 0..resamples {
        draw(rng, first, statistics, &mut values);
        for (o, &v) in out.iter_mut().zip(&values) {
            o.first.push(v);
        }
        draw(rng, second, statistics, &mut values);
        for (o, &v) in out.iter_mut().zip(&values) {
            o.second.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn gamma_and_beta_draws_have_their_moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for shape in [1.0, 3.5, 1000.0, 1e7] {
            let n = 20_000;
            let draws: Vec<f64> = (0..n).map(|_| gamma(&mut rng, shape)).collect();
            let m = draws.iter().sum::<f64>() / n as f64;
            let v = draws.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
            // Mean = variance = shape; 5 standard errors.
            assert!(
                (m - shape).abs() < 5.0 * (shape / n as f64).sqrt(),
                "{shape}: mean {m}"
            );
            assert!((v / shape - 1.0).abs() < 0.06, "{shape}: variance {v}");
        }
        // The 9th smallest of 10 uniforms: Beta(9, 2), mean 9/11.
        let m = (0..20_000)
            .map(|_| uniform_order_statistic(&mut rng, 9, 10))
            .sum::<f64>()
            / 20_000.0;
        assert!((m - 9.0 / 11.0).abs() < 0.005, "{m}");
    }

    #[test]
    fn the_method_changes_above_the_draw_budget() {
        assert_eq!(
            BootstrapMethod::for_sizes(10_000, 20_000),
            BootstrapMethod::Resampling
        );
        assert_eq!(
            BootstrapMethod::for_sizes(10_000, 20_001),
            BootstrapMethod::LargeSample
        );
    }

    #[test]
    fn large_sample_replicates_match_resampling() {
        // Two skewed samples of 3,000 latencies; 1,000 resamples: the resampling bootstrap
        // (exact), and the large-sample draws, give the same 95% intervals up to Monte
        // Carlo error (a few percent of their width) for every statistic.
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let mut sample = |scale: f64| {
            let v: Vec<f64> = (0..3_000)
                .map(|_| scale * (1.0 + libm::exp(0.6 * standard_normal(&mut rng))))
                .collect();
            SortedSample::from_vec(v).unwrap()
        };
        let (a, b) = (sample(1.0), sample(1.3));
        let statistics = [
            Statistic::Mean,
            Statistic::Median,
            Statistic::LoadGen(0.9),
            Statistic::LoadGen(0.99),
        ];
        let config = crate::stats::BootstrapConfig {
            resamples: 1_000,
            seed: 3,
            confidence_level: 0.95,
        };
        let (exact, method) =
            super::super::bootstrap::resample_statistics(&a, &b, &statistics, &config);
        assert_eq!(method, BootstrapMethod::Resampling);
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let large = large_sample_replicates(&mut rng, &a, &b, &statistics, 1_000);
        let interval = |r: &[f64]| {
            let ci = crate::stats::bootstrap::percentile_interval(r.to_vec(), 0.95);
            (ci.lower, ci.upper)
        };
        for (i, s) in statistics.iter().enumerate() {
            for (e, l) in [
                (&exact[i].first, &large[i].first),
                (&exact[i].second, &large[i].second),
            ] {
                let ((el, eu), (ll, lu)) = (interval(e), interval(l));
                let width = eu - el;
                assert!(
                    (el - ll).abs() < 0.15 * width && (eu - lu).abs() < 0.15 * width,
                    "{s:?}: resampling [{el}, {eu}], large-sample [{ll}, {lu}]"
                );
            }
        }
    }
}
