//! MLPerf LoadGen's early-stopping criterion (`loadgen/early_stopping.cc`,
//! `loadgen/results.cc::EarlyStopping`; policy: `inference_rules.adoc`, appendix "Early
//! Stopping Criterion").
//!
//! Each query is a Bernoulli trial: under the latency bound (success) or over it. A system
//! meets a percentile `p` if its true under-bound rate is at least `p`. Having seen `t` queries
//! over the bound, the smallest number `h` of under-bound queries that makes us confident
//! (`c` = 0.99) that the rate is at least `p - d` (tolerance `d` = 0) is the smallest `h` with
//!
//! ```text
//! P(at most t over-bound queries in h + t | under-bound rate p - d) = I_{p-d}(h, t + 1) < 1 - c
//! ```
//!
//! where `I` is the regularised incomplete beta function (the binomial CDF). `h(t)` is found
//! by a galloping, then binary search, memoised per `t` ([`MinPassingQueries`]). LoadGen uses
//! a hypergeometric series with tolerance 2^-33; here it is `statrs`' `beta_reg`, and a unit
//! test checks it against a direct binomial sum.
//!
//! - **Server**: with `t` queries over the bound, the run is long enough iff
//!   `queries >= h(t) + t`; otherwise it "would need at least `h(t) + t - queries` more".
//! - **SingleStream / MultiStream**: with `q` queries, take the largest `t` with
//!   `q >= h(t) + t`; discard the `t - 1` highest latencies and report the next one,
//!   `sorted[q - t]`, as the early-stopping percentile estimate. If `q < h(1) + 1` there is
//!   no estimate ("Need to process at least `h(1) + 1` queries").
//! - **Offline**: not applied.
//!
//! Reference points (ANCHORS.md, checked in the tests): p90 needs 64 queries, p99 662; at
//! 7,914 queries p90 discards 728; at p99 a Server run needs 459 queries with none over the
//! bound, 662 with one, 2,010 with 10, 12,571 with 100.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use statrs::function::beta::checked_beta_reg;

/// LoadGen's confidence `c` (hard-coded in `results.cc`).
pub const CONFIDENCE: f64 = 0.99;

/// LoadGen's tolerance `d` (hard-coded in `results.cc`).
pub const TOLERANCE: f64 = 0.0;

/// Beyond this many under-bound queries the search gives up and returns this value; no
/// percentile accepted by the settings (< 1) gets near it for counts below
/// [`MAX_QUERY_COUNT`](super::settings::MAX_QUERY_COUNT).
const H_CAP: u64 = 1 << 40;

/// The probability that a system whose under-bound rate is exactly `rate` shows at most `t`
/// over-bound queries among `h + t`: `I_rate(h, t + 1)` (LoadGen's `odds`).
///
/// Returns 1 for `h == 0` (with no under-bound query, "at most `t` over" is certain) and for
/// parameters outside the function's domain.
pub fn odds(h: u64, t: u64, rate: f64) -> f64 {
    if h == 0 {
        return 1.0;
    }
    checked_beta_reg(h as f64, (t + 1) as f64, rate).unwrap_or(1.0)
}

/// `h(t)`: the smallest number of under-bound queries that, with `t` over-bound ones, shows
/// with confidence `c` that the under-bound rate is at least `p - d` (LoadGen's
/// `MinPassingQueriesFinder`). Memoised: keep one per percentile for repeated questions.
#[derive(Debug, Clone)]
pub struct MinPassingQueries {
    rate: f64,
    threshold: f64,
    cache: BTreeMap<u64, u64>,
}

impl MinPassingQueries {
    /// The finder for `percentile` with LoadGen's confidence 0.99 and tolerance 0.
    ///
    /// # Panics
    ///
    /// Panics if `percentile` is not strictly between 0 and 1 (validated settings never are).
    pub fn new(percentile: f64) -> Self {
        Self::with_parameters(percentile, TOLERANCE, CONFIDENCE)
    }

    /// The finder for `percentile`, tolerance `d` and confidence `c`.
    ///
    /// # Panics
    ///
    /// Panics unless `0 < percentile - tolerance < 1` and `0 < confidence < 1`.
    pub fn with_parameters(percentile: f64, tolerance: f64, confidence: f64) -> Self {
        let rate = percentile - tolerance;
        assert!(
            rate > 0.0 && rate < 1.0,
            "percentile - tolerance must be in (0, 1)"
        );
        assert!(
            confidence > 0.0 && confidence < 1.0,
            "confidence must be in (0, 1)"
        );
        Self {
            rate,
            threshold: 1.0 - confidence,
            cache: BTreeMap::new(),
        }
    }

    fn passes(&self, h: u64, t: u64) -> bool {
        // Strictly below, as LoadGen's find_min_passing (`prob < 1 - c`).
        odds(h, t, self.rate) < self.threshold
    }

    /// `h(t)` for `t` over-bound queries.
    pub fn min_under_latency(&mut self, t: u64) -> u64 {
        if let Some(&h) = self.cache.get(&t) {
            return h;
        }
        // h(t) is nondecreasing in t: cached neighbours bracket it.
        let mut lo = self
            .cache
            .range(..t)
            .next_back()
            .map_or(1, |(_, &h)| h.max(1));
        let known_hi = self.cache.range(t + 1..).next().map(|(_, &h)| h);
        let mut hi = match known_hi {
            Some(h) => h,
            None => {
                // Gallop up from `lo` until a passing h is found.
                let mut step = 1u64;
                let mut candidate = lo;
                while !self.passes(candidate, t) {
                    lo = candidate + 1;
                    candidate = candidate.saturating_add(step);
                    step = step.saturating_mul(2);
                    if candidate >= H_CAP {
                        return H_CAP;
                    }
                }
                candidate
            }
        };
        // Binary search for the smallest passing h in [lo, hi]; `hi` passes.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.passes(mid, t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        self.cache.insert(t, hi);
        hi
    }

    /// The fewest queries for which an early-stopping percentile estimate exists:
    /// `h(1) + 1` (p90: 64, p99: 662).
    pub fn min_queries_for_estimate(&mut self) -> u64 {
        self.min_under_latency(1) + 1
    }
}

/// Where the early-stopping percentile estimate sits among `query_count` sorted latencies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EstimateRank {
    /// The percentile estimated, in (0, 1).
    pub percentile: f64,
    /// Queries processed, `q`.
    pub query_count: u64,
    /// `h(1) + 1`: the fewest queries for which an estimate exists.
    pub min_query_count: u64,
    /// `t`: the largest over-bound count the run can afford (`q >= h(t) + t`).
    pub overlatency_allowed: u64,
    /// `t - 1`: the highest latencies discarded.
    pub discarded: u64,
    /// `q - t`: the 0-based index of the estimate in the ascending latencies.
    pub index: u64,
}

/// Too few queries for an early-stopping estimate (LoadGen: "Need to process at least N
/// queries for early stopping").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TooFewQueries {
    /// Queries processed.
    pub query_count: u64,
    /// Queries needed, `h(1) + 1`.
    pub min_query_count: u64,
}

/// The SingleStream/MultiStream early-stopping rank for `query_count` queries.
///
/// # Errors
///
/// [`TooFewQueries`] when `query_count < h(1) + 1`.
pub fn estimate_rank(
    finder: &mut MinPassingQueries,
    percentile: f64,
    query_count: u64,
) -> Result<EstimateRank, TooFewQueries> {
    let q = query_count;
    let min_query_count = finder.min_queries_for_estimate();
    if q < min_query_count {
        return Err(TooFewQueries {
            query_count: q,
            min_query_count,
        });
    }
    // The largest t in [1, q] with h(t) + t <= q; h(t) + t is increasing in t, t = 1 fits
    // and t = q does not (h >= 1). LoadGen scans t = 2, 3, ... linearly; this gallops and
    // bisects to the same t.
    let mut fits = |t: u64| finder.min_under_latency(t).saturating_add(t) <= q;
    let mut lo = 1u64; // fits
    let mut hi = 2u64;
    while hi < q && fits(hi) {
        lo = hi;
        hi = hi.saturating_mul(2).min(q);
    }
    // `lo` fits; `hi` does not (or hi == q, which never fits).
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let t = lo;
    Ok(EstimateRank {
        percentile,
        query_count: q,
        min_query_count,
        overlatency_allowed: t,
        discarded: t - 1,
        index: q - t,
    })
}

/// The Server's early-stopping check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServerCheck {
    /// The percentile judged, in (0, 1).
    pub percentile: f64,
    /// Queries issued.
    pub query_count: u64,
    /// Queries over the latency bound, `t`.
    pub overlatency_count: u64,
    /// `h(t) + t`: queries needed with that many over the bound.
    pub required_query_count: u64,
    /// Whether `query_count >= required_query_count`.
    pub met: bool,
    /// `required_query_count - query_count` when not met, else 0 (LoadGen: "Would need to run
    /// at least N more queries, with the run being successful if every additional query were
    /// under latency").
    pub more_queries_needed: u64,
}

/// LoadGen's Server early-stopping check for `query_count` queries of which
/// `overlatency_count` were over the bound.
pub fn server_check(
    finder: &mut MinPassingQueries,
    percentile: f64,
    query_count: u64,
    overlatency_count: u64,
) -> ServerCheck {
    let required = finder
        .min_under_latency(overlatency_count)
        .saturating_add(overlatency_count);
    ServerCheck {
        percentile,
        query_count,
        overlatency_count,
        required_query_count: required,
        met: query_count >= required,
        more_queries_needed: required.saturating_sub(query_count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P(at most t failures in h + t trials with failure rate 1 - rate), summed term by term in
    /// log space: an independent check of `odds`.
    fn binomial_cdf_direct(h: u64, t: u64, rate: f64) -> f64 {
        let n = (h + t) as f64;
        let q = 1.0 - rate;
        // term_0 = rate^n; term_{k+1} = term_k * (n - k) / (k + 1) * q / rate.
        let mut log_term = n * rate.ln();
        let mut sum = log_term.exp();
        for k in 0..t {
            let k = k as f64;
            log_term += ((n - k) / (k + 1.0)).ln() + (q / rate).ln();
            sum += log_term.exp();
        }
        sum
    }

    #[test]
    fn odds_agrees_with_a_direct_binomial_sum() {
        for &(h, t, rate) in &[
            (63u64, 1u64, 0.9),
            (459, 0, 0.99),
            (2000, 10, 0.99),
            (12_471, 100, 0.99),
            (7_185, 729, 0.9),
            (22_229, 2_347, 0.9),
            (24_368, 208, 0.99),
            // A million queries at p90: near the 0.01 threshold the continued fraction
            // still agrees.
            (900_697, 99_302, 0.9),
        ] {
            let a = odds(h, t, rate);
            let b = binomial_cdf_direct(h, t, rate);
            assert!(
                (a - b).abs() < 1e-9 * b.max(1e-3),
                "h={h} t={t}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn odds_at_ten_million_queries_agrees_with_scipy() {
        // InferBench's limit per run. scipy.special.betainc(h, t + 1, rate); at this size
        // the log-gamma prefactor limits statrs (and a term-by-term sum) to about 1e-8
        // relative, which moves h(t) by at most one query where the odds sit that close to
        // the 0.01 threshold.
        for (h, t, rate, scipy) in [
            (9_000_000u64, 999_000u64, 0.9, 0.171_516_495_124_213_66),
            (9_900_000, 99_500, 0.99, 0.057_925_564_022_392_83),
        ] {
            let got = odds(h, t, rate);
            assert!(
                ((got - scipy) / scipy).abs() < 1e-7,
                "h={h} t={t}: {got} vs {scipy}"
            );
        }
        // The estimate's rank at the limit is found in a few dozen evaluations.
        let mut f = MinPassingQueries::new(0.9);
        let rank = estimate_rank(&mut f, 0.9, 10_000_000).unwrap();
        assert!(
            rank.discarded > 990_000 && rank.discarded < 1_000_000,
            "{rank:?}"
        );
        assert!(f.cache.len() < 200, "{} evaluations of h", f.cache.len());
    }

    #[test]
    fn h_is_memoised_and_monotone() {
        let mut f = MinPassingQueries::new(0.9);
        let h: Vec<u64> = (0..50).map(|t| f.min_under_latency(t)).collect();
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
        // Asking again, in another order, gives the same values.
        let mut g = MinPassingQueries::new(0.9);
        for t in (0..50).rev() {
            assert_eq!(g.min_under_latency(t), h[t as usize]);
        }
    }

    #[test]
    fn h_zero_is_the_geometric_bound() {
        // With no over-bound query: p^h < 0.01, so h = ceil(ln 0.01 / ln p) (LoadGen's y1).
        let mut f = MinPassingQueries::new(0.99);
        assert_eq!(f.min_under_latency(0), 459);
        let mut f = MinPassingQueries::new(0.9);
        assert_eq!(f.min_under_latency(0), 44);
    }
}
