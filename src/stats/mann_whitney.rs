//! The Mann-Whitney U test (Wilcoxon rank-sum), tie-corrected, normal approximation with
//! continuity correction.
//!
//! With `R_a` the sum of `a`'s average ranks in the pooled sample (`n = n_a + n_b`) and
//! `t_j` the sizes of the tie groups:
//!
//! ```text
//! U_a = R_a - n_a (n_a + 1) / 2,         U_b = n_a n_b - U_a
//! mu  = n_a n_b / 2
//! s   = sqrt(n_a n_b / 12 · ((n + 1) - Σ (t_j³ - t_j) / (n (n - 1))))
//! z   = (max(U_a, U_b) - mu - 1/2) / s
//! p   = min(1, 2 P(Z > z))
//! ```
//!
//! This is `scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic",
//! use_continuity=True)`, which reports `U_a`. When every one of the `n` values is equal,
//! `s = 0` and there is no evidence of any difference: `z = 0` and `p = 1` are returned
//! (scipy's limit too).

use serde::{Deserialize, Serialize};

use super::dist::normal_sf;
use super::error::StatsError;
use super::rank::average_ranks;
use super::sample::validate;

/// The result of the Mann-Whitney U test of `a` against `b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// `U` of the first sample: the number of pairs `(x from a, y from b)` with `x > y`,
    /// ties counting one half. Ranges from 0 to `n_a n_b`.
    pub u: f64,
    /// The standardised statistic `z` (with continuity correction) for the larger of the
    /// two `U`s; `>= 0` apart from the continuity correction's half.
    pub z: f64,
    /// Two-sided p-value from the normal approximation.
    pub p_value: f64,
}

impl MannWhitney {
    /// Runs the two-sided test of `a` against `b`.
    ///
    /// - Time: `O(n log n)`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] when a sample is empty, [`StatsError::NonFinite`], [`StatsError::OutOfRange`].
    pub fn of(a: &[f64], b: &[f64]) -> Result<Self, StatsError> {
        validate("a", a, 1)?;
        validate("b", b, 1)?;
        let pooled: Vec<f64> = a.iter().chain(b).copied().collect();
        let (ranks, groups) = average_ranks(&pooled);
        let rank_sum_a: f64 = ranks[..a.len()].iter().sum();
        let tie_term: f64 = groups
            .iter()
            .map(|&t| {
                let t = t as f64;
                t * t * t - t
            })
            .sum();
        Ok(Self::from_rank_sum(rank_sum_a, tie_term, a.len(), b.len()))
    }

    /// [`MannWhitney::of`] on two samples sorted ascending (validated, non-empty), by one
    /// merge: `O(n_a + n_b)`, where ranking the pooled values sorts them. The result is the
    /// same to the last bit (the ranks are half-integers, whose sums are exact).
    pub(crate) fn of_sorted(a: &[f64], b: &[f64]) -> Self {
        let (mut i, mut j) = (0usize, 0usize);
        let mut rank_sum_a = 0.0;
        let mut tie_term = 0.0;
        while i < a.len() || j < b.len() {
            let v = match (a.get(i), b.get(j)) {
                (Some(&x), Some(&y)) => x.min(y),
                (Some(&x), None) => x,
                (None, Some(&y)) => y,
                (None, None) => unreachable!("the loop runs while a value is left"),
            };
            let start = i + j; // values below v
            let i0 = i;
            while i < a.len() && a[i] == v {
                i += 1;
            }
            while j < b.len() && b[j] == v {
                j += 1;
            }
            let t = (i + j - start) as f64;
            let rank = (start + 1 + i + j) as f64 / 2.0;
            rank_sum_a += (i - i0) as f64 * rank;
            tie_term += t * t * t - t;
        }
        Self::from_rank_sum(rank_sum_a, tie_term, a.len(), b.len())
    }

    /// The test from `a`'s rank sum in the pooled sample and the ties' `sum(t^3 - t)`.
    fn from_rank_sum(rank_sum_a: f64, tie_term: f64, na: usize, nb: usize) -> Self {
        let (na, nb) = (na as f64, nb as f64);
        let u_a = rank_sum_a - na * (na + 1.0) / 2.0;
        let u_max = u_a.max(na * nb - u_a);
        let n = na + nb;
        let s2 = na * nb / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
        if s2 <= 0.0 || n < 2.0 {
            return MannWhitney {
                u: u_a,
                z: 0.0,
                p_value: 1.0,
            };
        }
        let z = (u_max - na * nb / 2.0 - 0.5) / s2.sqrt();
        MannWhitney {
            u: u_a,
            z,
            p_value: (2.0 * normal_sf(z)).clamp(0.0, 1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_with_half_ties() {
        // a = [1, 2, 3], b = [2, 4]: pairs a > b: (3, 2); ties: (2, 2) -> U = 1.5
        let m = MannWhitney::of(&[1.0, 2.0, 3.0], &[2.0, 4.0]).unwrap();
        assert_eq!(m.u, 1.5);
    }

    #[test]
    fn all_equal_gives_p_one() {
        let m = MannWhitney::of(&[2.0, 2.0], &[2.0, 2.0, 2.0]).unwrap();
        assert_eq!((m.u, m.z, m.p_value), (3.0, 0.0, 1.0));
    }

    #[test]
    fn the_merge_gives_the_same_test_as_ranking() {
        let a = [3.0, 1.0, 2.0, 2.0, 7.5, 4.0, 4.0, 4.0];
        let b = [2.0, 4.0, 5.0, 0.5, 4.0, 9.0];
        let (mut sa, mut sb) = (a.to_vec(), b.to_vec());
        sa.sort_by(f64::total_cmp);
        sb.sort_by(f64::total_cmp);
        assert_eq!(
            MannWhitney::of_sorted(&sa, &sb),
            MannWhitney::of(&a, &b).unwrap()
        );
        assert_eq!(
            MannWhitney::of_sorted(&sb, &sa),
            MannWhitney::of(&b, &a).unwrap()
        );
    }
}
