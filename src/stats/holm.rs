//! Holm-Bonferroni adjustment of a family of p-values.
//!
//! When several comparisons are made at once (every variant against the baseline), some
//! will look significant by chance. Holm's step-down method controls the family-wise error
//! rate: sort the `m` p-values ascending, `p_(1) <= ... <= p_(m)`; the adjusted values are
//!
//! ```text
//! p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j))
//! ```
//!
//! returned in the input order. This is statsmodels'
//! `multipletests(p, method="holm")[1]`. Equal p-values keep their input order (a stable
//! sort), which cannot change the adjusted values.

use super::error::StatsError;

/// Holm-adjusted p-values, in the order of `p_values`.
///
/// # Errors
///
/// [`StatsError::TooFewSamples`] for an empty family, [`StatsError::NonFinite`] for NaN or
/// infinity and [`StatsError::InvalidParameter`] for a value outside `[0, 1]`.
pub fn holm_adjust(p_values: &[f64]) -> Result<Vec<f64>, StatsError> {
    super::sample::validate("family of p-values", p_values, 1)?;
    if let Some(&bad) = p_values.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return Err(StatsError::InvalidParameter {
            name: "p_value",
            value: bad,
            expected: "between 0 and 1",
        });
    }
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p_values[i].total_cmp(&p_values[j]));
    let mut adjusted = vec![0.0; m];
    let mut running_max: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let candidate = ((m - rank) as f64 * p_values[i]).min(1.0);
        running_max = running_max.max(candidate);
        adjusted[i] = running_max;
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusts_by_hand() {
        // sorted: 0.01 (x3 = 0.03), 0.02 (x2 = 0.04), 0.04 (x1 = 0.04); back in input order.
        let adj = holm_adjust(&[0.04, 0.01, 0.02]).unwrap();
        assert_eq!(adj, vec![0.04, 0.03, 0.04]);
        // Monotonicity enforced: 0.03 * 2 = 0.06 < running max 0.09 -> 0.09.
        let adj = holm_adjust(&[0.03, 0.03, 0.5]).unwrap();
        assert_eq!(adj, vec![0.09, 0.09, 0.5]);
        assert_eq!(holm_adjust(&[0.6, 0.7]).unwrap(), vec![1.0, 1.0]);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(holm_adjust(&[]).is_err());
        assert!(holm_adjust(&[0.5, 1.5]).is_err());
        assert!(holm_adjust(&[f64::NAN]).is_err());
    }
}
