//! The few probability distributions the statistics need, as small total functions over
//! [statrs](https://docs.rs/statrs): the standard normal, Student's t and the binomial.
//!
//! Callers pass parameters they have already validated (finite, in range); these helpers
//! never panic on such input. Accuracy, checked against scipy by this module's tests on
//! `tests/fixtures/stats/distributions.json`: Student's t and normal quantiles to better
//! than 1e-11 relative, two-sided t p-values to 1e-10 relative, binomial tail indices
//! exactly (for samples of 6 to 30 million values).
//!
//! The binomial's tails are regularised incomplete beta functions, each `O(1)` to evaluate,
//! and its quantiles bisections on them, `O(log n)`: an order-statistic interval of a
//! percentile of ten million latencies costs a few dozen evaluations, not ten million terms.

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg;

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

/// Degrees of freedom from which [`students_t_quantile`] uses the asymptotic expansion.
const T_EXPANSION_MIN_DF: f64 = 1000.0;

/// The quantile of Student's t with `df` degrees of freedom at probability `p` in `(0, 1)`.
///
/// - `df < 1000`: statrs's `inverse_cdf` (via its incomplete-beta inverse), polished by
///   three Newton steps on the CDF;
/// - `df >= 1000`: the Cornish-Fisher-type expansion in `1 / df` (Abramowitz & Stegun
///   26.7.5, four terms), accurate to about 1e-13 there. The CDF route loses accuracy for
///   large `df` (statrs's incomplete beta subtracts log-gammas of size `df`), to about 1e-10
///   at `df = 40,000`.
pub(crate) fn students_t_quantile(p: f64, df: f64) -> f64 {
    if df >= T_EXPANSION_MIN_DF {
        return students_t_quantile_expansion(p, df);
    }
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

/// Abramowitz & Stegun 26.7.5: `t = z + g1/v + g2/v² + g3/v³ + g4/v⁴` with `z = Φ⁻¹(p)`.
fn students_t_quantile_expansion(p: f64, v: f64) -> f64 {
    let z = normal_quantile(p);
    let z2 = z * z;
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
}

/// `P(B <= k)` for `B ~ Binomial(n, p)`, `0 < p < 1`: the regularised incomplete beta
/// `I_{1-p}(n - k, k + 1)` (statrs' `beta_reg`, a continued fraction), in `O(1)` whatever `n`.
pub(crate) fn binomial_cdf(n: u64, p: f64, k: u64) -> f64 {
    if k >= n {
        1.0
    } else {
        beta_reg((n - k) as f64, k as f64 + 1.0, 1.0 - p)
    }
}

/// `P(B > k)` for `B ~ Binomial(n, p)`: `I_p(k + 1, n - k)`, computed directly (not as
/// `1 - cdf`), so that tiny upper tails keep their relative accuracy.
pub(crate) fn binomial_sf(n: u64, p: f64, k: u64) -> f64 {
    if k >= n {
        0.0
    } else {
        beta_reg(k as f64 + 1.0, (n - k) as f64, p)
    }
}

/// The smallest `k` in `0..=n` for which `holds(k)`, given that `holds` is false then true
/// as `k` grows and `holds(n)`: a bisection, `O(log n)` calls.
fn first_k(n: u64, holds: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (0u64, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The smallest `k` with `P(B <= k) >= q` (scipy's `binom(n, p).ppf(q)`), for `0 < q < 1`.
///
/// - Time: `O(log n)` evaluations of [`binomial_cdf`].
pub(crate) fn binomial_ppf(n: u64, p: f64, q: f64) -> u64 {
    first_k(n, |k| binomial_cdf(n, p, k) >= q)
}

/// The smallest `k` with `P(B > k) <= q` (scipy's `binom(n, p).isf(q)`), for `0 < q < 1`.
/// The survival function is evaluated directly, so tiny upper tails keep their accuracy.
///
/// - Time: `O(log n)` evaluations of [`binomial_sf`].
pub(crate) fn binomial_isf(n: u64, p: f64, q: f64) -> u64 {
    first_k(n, |k| binomial_sf(n, p, k) <= q)
}

/// `P(lo < B <= hi)` for `B ~ Binomial(n, p)`, `lo < hi <= n`: `P(B > lo) - P(B > hi)`.
pub(crate) fn binomial_mass_between(n: u64, p: f64, lo: u64, hi: u64) -> f64 {
    (binomial_sf(n, p, lo) - binomial_sf(n, p, hi)).clamp(0.0, 1.0)
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

    /// Every case of `tests/fixtures/stats/distributions.json` (scipy `t.ppf`, `2 t.sf`,
    /// `norm.ppf`, `binom.ppf` / `binom.isf`); see `scripts/gen_stats_fixtures.py`.
    #[test]
    fn matches_scipy_fixture() {
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/stats/distributions.json"
        ))
        .expect("fixture parses");
        let cases = fixture["cases"].as_array().expect("cases");
        assert!(cases.len() > 100);
        let num = |c: &serde_json::Value, k: &str| c[k].as_f64().expect(k);
        let int = |c: &serde_json::Value, k: &str| c[k].as_u64().expect(k);
        for c in cases {
            match c["kind"].as_str().expect("kind") {
                "t_ppf" => {
                    let (got, want) = (
                        students_t_quantile(num(c, "prob"), num(c, "df")),
                        num(c, "value"),
                    );
                    assert!(((got - want) / want).abs() < 1e-11, "t.ppf {c}: got {got}");
                }
                "t_two_sided_p" => {
                    let (got, want) = (
                        students_t_two_sided_p(num(c, "t"), num(c, "df")),
                        num(c, "value"),
                    );
                    let ok = (got - want).abs() < 1e-15 || ((got - want) / want).abs() < 1e-10;
                    assert!(ok, "2 t.sf {c}: got {got:e}");
                }
                "norm_ppf" => {
                    let (got, want) = (normal_quantile(num(c, "prob")), num(c, "value"));
                    assert!(
                        ((got - want) / want).abs() < 1e-14,
                        "norm.ppf {c}: got {got}"
                    );
                }
                "binom_tails" => {
                    let (n, p, q) = (int(c, "n"), num(c, "p"), num(c, "q"));
                    assert_eq!(binomial_ppf(n, p, q), int(c, "ppf"), "binom.ppf {c}");
                    assert_eq!(binomial_isf(n, p, q), int(c, "isf"), "binom.isf {c}");
                }
                other => panic!("unknown fixture kind {other}"),
            }
        }
    }

    #[test]
    fn binomial_tails_match_scipy() {
        // scipy.stats.binom(100, 0.9): ppf(0.025) = 84, isf(0.025) = 95
        assert_eq!(binomial_ppf(100, 0.9, 0.025), 84);
        assert_eq!(binomial_isf(100, 0.9, 0.025), 95);
        // n too small for the upper bound: isf returns n.
        assert_eq!(binomial_isf(10, 0.99, 0.025), 10);
    }

    /// `P(B = k)` in log space: the term-by-term oracle.
    fn pmf(n: u64, p: f64, k: u64) -> f64 {
        use statrs::function::gamma::ln_gamma;
        let (nf, kf) = (n as f64, k as f64);
        let ln_choose = ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0);
        (ln_choose + kf * p.ln() + (nf - kf) * (-p).ln_1p()).exp()
    }

    #[test]
    fn bisection_agrees_with_summing_the_terms() {
        // The O(n) walks these functions replaced: the same indices, and the same coverage.
        for n in [6u64, 37, 500, 9_999, 24_576, 100_003] {
            for p in [0.5, 0.9, 0.95, 0.97, 0.99, 0.999] {
                for q in [0.025, 0.005] {
                    let (mut k, mut cdf) = (0, pmf(n, p, 0));
                    while cdf < q && k < n {
                        k += 1;
                        cdf += pmf(n, p, k);
                    }
                    assert_eq!(binomial_ppf(n, p, q), k, "ppf n={n} p={p} q={q}");
                    let (mut k, mut sf) = (n, 0.0);
                    while k > 0 && sf + pmf(n, p, k) <= q {
                        sf += pmf(n, p, k);
                        k -= 1;
                    }
                    assert_eq!(binomial_isf(n, p, q), k, "isf n={n} p={p} q={q}");
                }
            }
        }
        let summed: f64 = (85..=95).map(|k| pmf(100, 0.9, k)).sum();
        let between = binomial_mass_between(100, 0.9, 84, 95);
        assert!((between - summed).abs() < 1e-12, "{between} vs {summed}");
    }
}
