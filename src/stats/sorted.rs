//! [`SortedSample`]: a validated sample sorted once, with its moments, so that its summary
//! and every comparison it takes part in reuse one sort.
//!
//! A run of ten million latencies takes about a second to sort; a report compares each
//! variant's run with the baseline's and summarises every run, and a comparison of machines
//! compares every machine with one baseline. Building a [`SortedSample`] per run once, then
//! [`Summary::of_sorted`](super::Summary::of_sorted) and
//! [`Comparison::of_sorted`](super::Comparison::of_sorted) on it, makes each of those
//! `O(n)` (merges of sorted samples) or less, instead of a sort each.
//!
//! The mean and variance are computed over the values in their given order (issue order
//! for latencies), as `stats::sample::mean` does on the unsorted slice, so that a
//! summary built either way is the same to the last bit.

use super::error::StatsError;
use super::sample::{mean, median_sorted, validate, variance, MIN_RATIO_VALUE};

/// A validated (finite, at most 1e50 in magnitude), non-empty sample, sorted ascending,
/// with its mean and sample variance.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedSample {
    sorted: Vec<f64>,
    mean: f64,
    variance: f64,
    /// The first value (in the given order) that is `<= 0`, with its index.
    first_non_positive: Option<(usize, f64)>,
    /// The first value (in the given order) below [`MIN_RATIO_VALUE`], with its index.
    first_below_ratio_minimum: Option<(usize, f64)>,
}

impl SortedSample {
    /// Sorts a copy of `values`.
    ///
    /// - Time: `O(n log n)`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`] for an empty sample, [`StatsError::NonFinite`],
    /// [`StatsError::OutOfRange`] (with indices into `values`).
    pub fn new(values: &[f64]) -> Result<Self, StatsError> {
        Self::from_vec(values.to_vec())
    }

    /// Sorts `values` in place (no copy).
    ///
    /// # Errors
    ///
    /// As [`SortedSample::new`].
    pub fn from_vec(mut values: Vec<f64>) -> Result<Self, StatsError> {
        validate("sample", &values, 1)?;
        let m = mean(&values);
        // A single value is constant: variance 0.
        let v = variance(&values, m);
        let first =
            |bad: &dyn Fn(f64) -> bool| values.iter().position(|&x| bad(x)).map(|i| (i, values[i]));
        let first_non_positive = first(&|x| x <= 0.0);
        let first_below_ratio_minimum = first(&|x| x < MIN_RATIO_VALUE);
        values.sort_unstable_by(f64::total_cmp);
        Ok(Self {
            sorted: values,
            mean: m,
            variance: v,
            first_non_positive,
            first_below_ratio_minimum,
        })
    }

    /// The values, ascending.
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// Number of values (at least 1).
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always false: a sorted sample has at least one value.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The arithmetic mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample variance (divisor `n - 1`; exactly 0 for a constant sample or one value).
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The conventional median.
    pub fn median(&self) -> f64 {
        median_sorted(&self.sorted).unwrap_or(f64::NAN)
    }

    /// Checks what a latency in a ratio must be (as
    /// [`validate_positive`](super::sample::validate_positive) on the values in their given
    /// order), naming the sample `name`.
    ///
    /// # Errors
    ///
    /// [`StatsError::NonPositive`] or [`StatsError::OutOfRange`].
    pub fn validate_positive(&self, name: &'static str) -> Result<(), StatsError> {
        if let Some((index, value)) = self.first_non_positive {
            return Err(StatsError::NonPositive {
                sample: name,
                index,
                value,
            });
        }
        match self.first_below_ratio_minimum {
            Some((index, value)) => Err(StatsError::OutOfRange {
                sample: name,
                index,
                value,
                expected: "at least 1e-50 to form a ratio",
            }),
            None => Ok(()),
        }
    }

    /// Checks that the sample has at least `needed` values, naming it `name`.
    ///
    /// # Errors
    ///
    /// [`StatsError::TooFewSamples`].
    pub fn validate_len(&self, name: &'static str, needed: usize) -> Result<(), StatsError> {
        if self.len() < needed {
            Err(StatsError::TooFewSamples {
                sample: name,
                needed,
                got: self.len(),
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::sample::validate_positive;

    #[test]
    fn moments_follow_the_given_order_and_values_are_sorted() {
        let x = [3.0, 1.0, 2.0, 10.0];
        let s = SortedSample::new(&x).unwrap();
        assert_eq!(s.sorted(), &[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(s.mean(), mean(&x));
        assert_eq!(s.variance(), variance(&x, mean(&x)));
        assert_eq!(s.median(), 2.5);
        assert_eq!(SortedSample::new(&[4.0; 3]).unwrap().variance(), 0.0);
    }

    #[test]
    fn positivity_errors_match_the_slice_checks() {
        for x in [vec![2.0, 0.0, -1.0], vec![1.0, 1e-60], vec![1.0, 2.0]] {
            let s = SortedSample::new(&x).unwrap();
            assert_eq!(
                s.validate_positive("baseline"),
                validate_positive("baseline", &x)
            );
        }
        assert!(SortedSample::new(&[]).is_err());
        assert!(SortedSample::new(&[1.0, f64::NAN]).is_err());
    }
}
