//! The seeded, stratified train/test split.
//!
//! For each class in turn (by label, ascending), its row indices are shuffled with one
//! ChaCha8 generator seeded from the split seed, and the first `round(count * test_fraction)`
//! of them go to the test set. Class proportions are thus the same in both parts (up to
//! rounding), the parts are disjoint and together cover every row, and the same seed gives the
//! same split on every platform. Both index lists are returned sorted.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::dataset::{Dataset, DatasetError};
use super::rng::{seeded_rng, shuffle, Stream};

/// The test fraction InferBench uses: an 80/20 split.
pub const DEFAULT_TEST_FRACTION: f64 = 0.2;

/// The split seed InferBench uses unless told otherwise.
pub const DEFAULT_SPLIT_SEED: u64 = 2024;

/// Row indices of the two parts of a split, each sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitIndices {
    /// Rows used for training.
    pub train: Vec<usize>,
    /// Rows used for testing (accuracy and benchmarking).
    pub test: Vec<usize>,
}

/// A data set split into its training and test parts.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSplit {
    /// The training rows.
    pub train: Dataset,
    /// The test rows.
    pub test: Dataset,
    /// Which rows of the original went where.
    pub indices: SplitIndices,
}

/// Stratified split of rows labelled `labels`: per class, a `test_fraction` share (rounded to
/// the nearest row) goes to the test part, chosen by a seeded shuffle.
///
/// # Errors
///
/// [`SplitError::InvalidTestFraction`] unless `0 < test_fraction < 1`;
/// [`SplitError::EmptyPart`] if rounding leaves the test or the training part empty.
pub fn stratified_split(
    labels: &[u8],
    test_fraction: f64,
    seed: u64,
) -> Result<SplitIndices, SplitError> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(SplitError::InvalidTestFraction {
            value: test_fraction,
        });
    }
    let mut by_class: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for (row, &label) in labels.iter().enumerate() {
        by_class.entry(label).or_default().push(row);
    }
    let mut rng = seeded_rng(seed, Stream::Split);
    let mut train = Vec::with_capacity(labels.len());
    let mut test = Vec::new();
    for rows in by_class.values_mut() {
        shuffle(rows, &mut rng);
        let n_test = (rows.len() as f64 * test_fraction).round() as usize;
        test.extend_from_slice(&rows[..n_test]);
        train.extend_from_slice(&rows[n_test..]);
    }
    if test.is_empty() || train.is_empty() {
        return Err(SplitError::EmptyPart {
            rows: labels.len(),
            test_fraction,
        });
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok(SplitIndices { train, test })
}

/// Splits `data` with [`stratified_split`] and copies out the two parts.
///
/// # Errors
///
/// As [`stratified_split`].
pub fn split_dataset(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<DataSplit, SplitError> {
    let indices = stratified_split(data.labels(), test_fraction, seed)?;
    let train = data.subset(&indices.train).map_err(SplitError::Dataset)?;
    let test = data.subset(&indices.test).map_err(SplitError::Dataset)?;
    Ok(DataSplit {
        train,
        test,
        indices,
    })
}

/// Why a split could not be made.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SplitError {
    /// The test fraction is not strictly between 0 and 1 (or is NaN).
    InvalidTestFraction {
        /// The fraction given.
        value: f64,
    },
    /// Rounding per class left the test part or the training part without rows.
    EmptyPart {
        /// Rows in the data.
        rows: usize,
        /// The fraction given.
        test_fraction: f64,
    },
    /// Copying the rows out failed (cannot happen for indices made by the split).
    Dataset(DatasetError),
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidTestFraction { value } => write!(
                f,
                "test fraction {value} is invalid: give a number strictly between 0 and 1 \
                 (0.2 for an 80/20 split)"
            ),
            Self::EmptyPart {
                rows,
                test_fraction,
            } => write!(
                f,
                "a test fraction of {test_fraction} leaves one part of {rows} rows empty: \
                 choose a fraction closer to 0.5 or use more rows"
            ),
            Self::Dataset(err) => write!(f, "could not copy the split rows: {err}"),
        }
    }
}

impl std::error::Error for SplitError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy_labels() -> Vec<u8> {
        // 50 of class 0, 30 of class 1, 20 of class 2, interleaved.
        let mut labels = Vec::new();
        for i in 0..100u32 {
            labels.push(match i % 10 {
                0..=4 => 0,
                5..=7 => 1,
                _ => 2,
            });
        }
        labels
    }

    #[test]
    fn preserves_class_proportions_and_covers_all_rows_once() {
        let labels = toy_labels();
        let split = stratified_split(&labels, 0.2, 5).expect("valid split");
        let count =
            |rows: &[usize], class: u8| rows.iter().filter(|&&r| labels[r] == class).count();
        assert_eq!(
            [0, 1, 2].map(|c| count(&split.test, c)),
            [10, 6, 4],
            "20% of 50, 30 and 20 rows"
        );
        assert_eq!([0, 1, 2].map(|c| count(&split.train, c)), [40, 24, 16]);
        let mut all: Vec<usize> = split.train.iter().chain(&split.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>(), "disjoint and complete");
        assert!(split.test.windows(2).all(|w| w[0] < w[1]), "sorted");
    }

    #[test]
    fn same_seed_same_split_other_seed_other_split() {
        let labels = toy_labels();
        let a = stratified_split(&labels, 0.2, 11).expect("valid");
        let b = stratified_split(&labels, 0.2, 11).expect("valid");
        let c = stratified_split(&labels, 0.2, 12).expect("valid");
        assert_eq!(a, b);
        assert_ne!(a.test, c.test);
        assert_eq!(a.test.len(), c.test.len());
    }

    #[test]
    fn rejects_bad_fractions_and_empty_parts() {
        let labels = toy_labels();
        for bad in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            assert!(matches!(
                stratified_split(&labels, bad, 1),
                Err(SplitError::InvalidTestFraction { .. })
            ));
        }
        assert!(matches!(
            stratified_split(&[3, 3], 0.1, 1),
            Err(SplitError::EmptyPart { rows: 2, .. })
        ));
        assert!(matches!(
            stratified_split(&[], 0.2, 1),
            Err(SplitError::EmptyPart { rows: 0, .. })
        ));
    }
}
