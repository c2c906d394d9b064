//! Effect sizes: Cohen's d (how many standard deviations apart the means are) and Cliff's
//! delta (how often a value of one sample exceeds a value of the other), with the
//! conventional magnitude labels.
//!
//! - **Cohen's d** = `(mean_a - mean_b) / s_p` with the pooled standard deviation
//!   `s_p = sqrt(((n_a - 1) v_a + (n_b - 1) v_b) / (n_a + n_b - 2))` (variances with divisor
//!   `n - 1`). Labels (Cohen 1988): |d| < 0.2 negligible, < 0.5 small, < 0.8 medium, else
//!   large.
//! - **Cliff's delta** = `(#{x > y} - #{x < y}) / (n_a n_b)` over all pairs `x` from `a`,
//!   `y` from `b`, in `[-1, 1]`; computed exactly in `O(n log n)` by sorting `b` and binary
//!   searching each `x`. Labels (Romano et al. 2006): |δ| < 0.147 negligible, < 0.33 small,
//!   < 0.474 medium, else large.

use serde::{Deserialize, Serialize};

use super::error::StatsError;
use super::sample::{mean, sorted_copy, validate, variance};

/// A conventional verbal label for the size of an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum EffectMagnitude {
    /// Below the "small" threshold.
    Negligible,
    /// Small effect.
    Small,
    /// Medium effect.
    Medium,
    /// Large effect.
    Large,
}

impl EffectMagnitude {
    /// Cohen's labels for `|d|`: 0.2, 0.5, 0.8.
    pub fn of_cohens_d(d: f64) -> Self {
        Self::by_thresholds(d.abs(), [0.2, 0.5, 0.8])
    }

    /// Romano et al.'s labels for `|delta|`: 0.147, 0.33, 0.474.
    pub fn of_cliffs_delta(delta: f64) -> Self {
        Self::by_thresholds(delta.abs(), [0.147, 0.33, 0.474])
    }

    fn by_thresholds(x: f64, [small, medium, large]: [f64; 3]) -> Self {
        if x < small {
            EffectMagnitude::Negligible
        } else if x < medium {
            EffectMagnitude::Small
        } else if x < large {
            EffectMagnitude::Medium
        } else {
            EffectMagnitude::Large
        }
    }

    /// The label in lower case, for sentences ("negligible", "small", ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            EffectMagnitude::Negligible => "negligible",
            EffectMagnitude::Small => "small",
            EffectMagnitude::Medium => "medium",
            EffectMagnitude::Large => "large",
        }
    }
}

/// Cohen's d of `a` against `b` with the pooled standard deviation (`n - 1` weights).
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] when a sample has fewer than 2 values,
/// [`StatsError::NonFinite`], [`StatsError::OutOfRange`], [`StatsError::ZeroVariance`] when both samples are constant
/// (the pooled standard deviation is 0).
pub fn cohens_d(a: &[f64], b: &[f64]) -> Result<f64, StatsError> {
    validate("a", a, 2)?;
    validate("b", b, 2)?;
    let (ma, mb) = (mean(a), mean(b));
    cohens_d_from_moments(
        (ma, variance(a, ma), a.len()),
        (mb, variance(b, mb), b.len()),
    )
}

/// Cohen's d of `a` against `b` from their means, sample variances and sizes (at least 2).
pub(crate) fn cohens_d_from_moments(
    (ma, va, na): (f64, f64, usize),
    (mb, vb, nb): (f64, f64, usize),
) -> Result<f64, StatsError> {
    let (na, nb) = (na as f64, nb as f64);
    let pooled_var = ((na - 1.0) * va + (nb - 1.0) * vb) / (na + nb - 2.0);
    if pooled_var == 0.0 {
        return Err(StatsError::ZeroVariance {
            statistic: "Cohen's d",
        });
    }
    Ok((ma - mb) / pooled_var.sqrt())
}

/// Cliff's delta of two samples sorted ascending (non-empty), by one merge:
/// `O(n_a + n_b)`. The same value as [`cliffs_delta`] (the counts are exact integers).
pub(crate) fn cliffs_delta_sorted(a: &[f64], b: &[f64]) -> f64 {
    let nb = b.len() as i128;
    let (mut below, mut not_above) = (0usize, 0usize); // b values < x, <= x
    let mut balance: i128 = 0;
    for &x in a {
        while below < b.len() && b[below] < x {
            below += 1;
        }
        not_above = not_above.max(below);
        while not_above < b.len() && b[not_above] <= x {
            not_above += 1;
        }
        balance += below as i128 - (nb - not_above as i128);
    }
    balance as f64 / (a.len() as f64 * b.len() as f64)
}

/// Cliff's delta of `a` against `b`: positive when values of `a` tend to be larger.
///
/// - Time: `O((n_a + n_b) log n_b)`.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] when a sample is empty, [`StatsError::NonFinite`], [`StatsError::OutOfRange`].
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> Result<f64, StatsError> {
    validate("a", a, 1)?;
    validate("b", b, 1)?;
    let sorted_b = sorted_copy(b);
    let nb = sorted_b.len() as i128;
    let mut balance: i128 = 0; // #{x > y} - #{x < y}
    for &x in a {
        let below = sorted_b.partition_point(|&y| y < x) as i128;
        let not_above = sorted_b.partition_point(|&y| y <= x) as i128;
        balance += below - (nb - not_above);
    }
    Ok(balance as f64 / (a.len() as f64 * b.len() as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohens_d_by_hand() {
        // a: mean 2, var 1; b: mean 4, var 1 -> pooled sd 1, d = -2.
        assert_eq!(cohens_d(&[1.0, 2.0, 3.0], &[3.0, 4.0, 5.0]), Ok(-2.0));
        assert_eq!(
            cohens_d(&[1.0, 1.0], &[3.0, 3.0]),
            Err(StatsError::ZeroVariance {
                statistic: "Cohen's d"
            })
        );
    }

    #[test]
    fn cliffs_delta_by_hand() {
        // a = [1, 2, 3], b = [2, 4]: pairs x > y: (3, 2) = 1; x < y: (1,2), (1,4), (2,4),
        // (3,4) = 4; tie (2, 2). delta = (1 - 4) / 6 = -0.5.
        assert_eq!(cliffs_delta(&[1.0, 2.0, 3.0], &[2.0, 4.0]), Ok(-0.5));
        assert_eq!(cliffs_delta(&[5.0, 6.0], &[1.0, 2.0]), Ok(1.0));
        assert_eq!(cliffs_delta(&[1.0, 1.0], &[1.0]), Ok(0.0));
    }

    #[test]
    fn magnitude_labels() {
        assert_eq!(
            EffectMagnitude::of_cohens_d(-0.1),
            EffectMagnitude::Negligible
        );
        assert_eq!(EffectMagnitude::of_cohens_d(0.5), EffectMagnitude::Medium);
        assert_eq!(
            EffectMagnitude::of_cliffs_delta(-0.5),
            EffectMagnitude::Large
        );
        assert_eq!(EffectMagnitude::of_cliffs_delta(0.2).as_str(), "small");
    }

    #[test]
    fn the_merge_gives_the_same_delta() {
        let a = [3.0, 1.0, 2.0, 2.0, 7.5, 4.0];
        let b = [2.0, 4.0, 5.0, 0.5, 4.0];
        let (mut sa, mut sb) = (a.to_vec(), b.to_vec());
        sa.sort_by(f64::total_cmp);
        sb.sort_by(f64::total_cmp);
        assert_eq!(Ok(cliffs_delta_sorted(&sa, &sb)), cliffs_delta(&a, &b));
        assert_eq!(Ok(cliffs_delta_sorted(&sb, &sa)), cliffs_delta(&b, &a));
    }
}
