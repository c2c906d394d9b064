//! The few probability distributions the statistics need, as small total functions over
//! [statrs](https://docs.rs/statrs): the standard normal, Student's t and the binomial.
//!
//! Callers pass parameters they have already validated (finite, in range); these helpers
//! never panic on such input. Accuracy, checked against scipy in
//! `tests/native/stats_reference.rs`: tail probabilities to about 1e-12 relative, quantiles
//! to about 1e-12 (Student's t quantile is polished by Newton steps on statrs's CDF, because
//! statrs's own inverse is only accurate to about 1e-9).

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};
use statrs::function::gamma::ln_gamma;

/// The standard normal distribution (cannot fail to construct).
fn standard_normal() -> Normal {
    Normal::standard()
}

/// `P(Z > z)` for a standard normal `Z`.
pub(crate) fn normal_sf(z: f64) -> f64 {
    standard_normal().sf(z)
}

/// The standard normal quantile `Phi^-1(p)` for `p` in `(0, 1)`; the caller validates `p`.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    standard_normal().inverse_cdf(p)
}

/// Student's t with `df > 0` degrees of freedom (location 0, scale 1).
fn students_t(df: f64) -> StudentsT {
    // df > 0 and finite is guaranteed by every caller (n >= 2); a fallback keeps this total.
    StudentsT::new(0.0, 1.0, df).unwrap_or_else(|_| {
        StudentsT::new(0.0, 1.0, f64::INFINITY).expect("the standard normal limit is valid")
    })
}

/// The two-sided p-value `2 P(T > |t|)` for Student's t with `df` degrees of freedom,
/// clamped to `[0, 1]`. `t` may be infinite (p = 0).
pub(crate) fn students_t_two_sided_p(t: f64, df: f64) -> f64 {
    (2.0 * students_t(df).sf(t.abs())).clamp(0.0, 1.0)
}

/// The quantile of Student's t with `df` degrees of freedom at probability `p` in `(0, 1)`.
///
/// statrs's `inverse_cdf` (via its incomplete-beta inverse) is a good start; three Newton
/// steps on the CDF bring it to the CDF's own accuracy.
pub(crate) fn students_t_quantile(p: f64, df: f64) -> f64 {
    let dist = students_t(df);
    let mut x = dist.inverse_cdf(p);
    for _ in 0..3 {
        let density = dist.pdf(x);
        if density.is_nan() || density <= 0.0 || !x.is_finite() {
            break;
        }
        let step = (dist.cdf(x) - p) / density;
        if !step.is_finite() {
            break;
        }
        x -= step;
    }
    x
}

/// The binomial probability mass `P(B = k)` for `B ~ Binomial(n, p)`, `0 < p < 1`, computed
/// in log space so that large `n` neither overflows nor loses relative accuracy.
fn binomial_pmf(n: u64, p: f64, k: u64) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    let ln_choose = ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0);
    (ln_choose + kf * p.ln() + (nf - kf) * (-p).ln_1p()).exp()
}

/// The smallest `k` with `P(B <= k) >= q` (scipy's `binom(n, p).ppf(q)`), for `0 < q < 1`.
pub(crate) fn binomial_ppf(n: u64, p: f64, q: f64) -> u64 {
    let mut k = 0;
    let mut cdf = binomial_pmf(n, p, 0);
    while cdf < q && k < n {
        k += 1;
        cdf += binomial_pmf(n, p, k);
    }
    k
}

/// The smallest `k` with `P(B > k) <= q` (scipy's `binom(n, p).isf(q)`), for `0 < q < 1`.
/// The survival function is summed from the top, so tiny upper tails keep their accuracy.
pub(crate) fn binomial_isf(n: u64, p: f64, q: f64) -> u64 {
    let mut k = n;
    let mut sf = 0.0; // P(B > n)
    while k > 0 {
        let next = sf + binomial_pmf(n, p, k); // P(B > k - 1)
        if next > q {
            break;
        }
        sf = next;
        k -= 1;
    }
    k
}

/// `P(lo < B <= hi)` for `B ~ Binomial(n, p)`, `lo < hi <= n`.
pub(crate) fn binomial_mass_between(n: u64, p: f64, lo: u64, hi: u64) -> f64 {
    ((lo + 1)..=hi)
        .map(|k| binomial_pmf(n, p, k))
        .sum::<f64>()
        .min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_of_mlperf_confidence() {
        // scipy.stats.norm.ppf(0.005) = -2.575829303548901
        assert!((normal_quantile(0.005) + 2.575_829_303_548_901).abs() < 1e-13);
    }

    #[test]
    fn t_quantile_is_polished() {
        // scipy.stats.t.ppf(0.975, 4) = 2.7764451051977934
        assert!((students_t_quantile(0.975, 4.0) - 2.776_445_105_197_793_4).abs() < 1e-12);
        // scipy.stats.t.ppf(0.975, 1) = 12.706204736174694
        assert!((students_t_quantile(0.975, 1.0) - 12.706_204_736_174_694).abs() < 1e-9);
    }

    #[test]
    fn binomial_tails_match_scipy() {
        // scipy.stats.binom(100, 0.9): ppf(0.025) = 84, isf(0.025) = 95
        assert_eq!(binomial_ppf(100, 0.9, 0.025), 84);
        assert_eq!(binomial_isf(100, 0.9, 0.025), 95);
        // n too small for the upper bound: isf returns n.
        assert_eq!(binomial_isf(10, 0.99, 0.025), 10);
    }
}
