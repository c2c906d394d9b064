//! Drift within a run: do latencies trend with the query index (a laptop throttling, a
//! cache warming up)?
//!
//! Spearman's rank correlation `ρ` between the query index `0, 1, ..., n - 1` and the
//! latency (ties in latency get average ranks), with the p-value of the t approximation
//!
//! ```text
//! t = ρ sqrt((n - 2) / ((1 + ρ)(1 - ρ))),   p = 2 P(T_{n-2} > |t|)
//! ```
//!
//! exactly as `scipy.stats.spearmanr(range(n), latencies)`. At level `α`: `p < α` and
//! `ρ > 0` means later queries are slower, `ρ < 0` faster, otherwise no trend is shown.
//! Being rank-based, the test is insensitive to the size of outliers.

use serde::{Deserialize, Serialize};

use super::dist::students_t_two_sided_p;
use super::error::StatsError;
use super::rank::average_ranks;
use super::sample::{is_constant, validate, validate_open_unit};

/// The direction of a within-run trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TrendKind {
    /// Latency rises with the query index (significant, `ρ > 0`).
    LaterSlower,
    /// Latency falls with the query index (significant, `ρ < 0`).
    LaterFaster,
    /// No significant monotone trend at the chosen level.
    NoTrend,
}

/// Spearman trend test of latency against query order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Number of queries.
    pub n: usize,
    /// Spearman's rank correlation of latency with query index, in `[-1, 1]`.
    pub rho: f64,
    /// Two-sided p-value (t approximation with `n - 2` degrees of freedom).
    pub p_value: f64,
    /// Significance level the classification used.
    pub alpha: f64,
    /// The classification.
    pub kind: TrendKind,
}

impl Trend {
    /// Tests `latencies_ms`, in the order the queries were issued, for a monotone trend at
    /// level `alpha`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] for fewer than 3 values, [`StatsError::NonFinite`], [`StatsError::OutOfRange`],
    /// [`StatsError::InvalidParameter`] for `alpha` outside `(0, 1)`, and
    /// [`StatsError::ZeroVariance`] when every latency is identical (a correlation is then
    /// undefined).
    pub fn of(latencies_ms: &[f64], alpha: f64) -> Result<Self, StatsError> {
        validate("sample", latencies_ms, 3)?;
        validate_open_unit("alpha", alpha)?;
        if is_constant(latencies_ms) {
            return Err(StatsError::ZeroVariance {
                statistic: "Spearman's rank correlation",
            });
        }
        let n = latencies_ms.len();
        let (ranks, _) = average_ranks(latencies_ms);
        let rho = pearson_with_index_ranks(&ranks);
        let df = (n - 2) as f64;
        let t = rho * (df / ((rho + 1.0) * (1.0 - rho))).max(0.0).sqrt();
        let t = if t.is_nan() { 0.0 } else { t };
        let p_value = students_t_two_sided_p(t, df);
        let kind = if p_value >= alpha {
            TrendKind::NoTrend
        } else if rho > 0.0 {
            TrendKind::LaterSlower
        } else {
            TrendKind::LaterFaster
        };
        Ok(Trend {
            n,
            rho,
            p_value,
            alpha,
            kind,
        })
    }
}

/// Pearson correlation of `ranks` with the index ranks `1..=n` (which have no ties).
fn pearson_with_index_ranks(ranks: &[f64]) -> f64 {
    let n = ranks.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, &r) in ranks.iter().enumerate() {
        let dx = (i + 1) as f64 - mean;
        let dy = r - mean; // average ranks also have mean (n + 1) / 2
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increasing_latencies_are_a_slowdown() {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let t = Trend::of(&x, 0.05).unwrap();
        assert_eq!(
            (t.rho, t.p_value, t.kind),
            (1.0, 0.0, TrendKind::LaterSlower)
        );
    }

    #[test]
    fn constant_latencies_are_an_error() {
        assert_eq!(
            Trend::of(&[1.0, 1.0, 1.0], 0.05),
            Err(StatsError::ZeroVariance {
                statistic: "Spearman's rank correlation"
            })
        );
        assert!(matches!(
            Trend::of(&[1.0, 2.0], 0.05),
            Err(StatsError::TooFewSamples { needed: 3, .. })
        ));
    }
}
