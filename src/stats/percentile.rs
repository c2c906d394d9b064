//! The percentile estimator InferBench uses everywhere: MLPerf LoadGen's.
//!
//! LoadGen (`loadgen/results.cc`) sorts the latencies and takes `sorted[floor(n * p)]`, with
//! no interpolation; for `p = 1.0` that index is out of range and the maximum is taken. So the
//! 90th percentile of 100 values is the 91st smallest (index 90). InferBench states this
//! definition in every report.

/// The LoadGen percentile of already **sorted** (ascending) values: `sorted[floor(n * p)]`,
/// clamped to the last element.
///
/// Returns `None` for an empty slice or a `p` outside `[0, 1]` (or NaN).
pub fn loadgen_percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let index = loadgen_percentile_index(sorted.len(), p);
    Some(sorted[index])
}

/// The index LoadGen's estimator reads for `n` sorted values: `min(floor(n * p), n - 1)`.
///
/// # Panics
///
/// Panics if `n` is zero (there is no index to return).
pub fn loadgen_percentile_index(n: usize, p: f64) -> usize {
    assert!(n > 0, "no percentile of an empty sample");
    // The product is rounded to the nearest f64 first, as in LoadGen's C++ (`n * p` in
    // double precision); 100 * 0.9 is exactly 90.0 there too.
    let index = (n as f64 * p).floor() as usize;
    index.min(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_floor_of_n_times_p_without_interpolation() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(loadgen_percentile(&sorted, 0.5), Some(51.0));
        assert_eq!(loadgen_percentile(&sorted, 0.9), Some(91.0));
        assert_eq!(loadgen_percentile(&sorted, 0.99), Some(100.0));
        assert_eq!(loadgen_percentile(&sorted, 0.0), Some(1.0));
        assert_eq!(loadgen_percentile(&sorted, 1.0), Some(100.0));
        let ten: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(loadgen_percentile(&ten, 0.95), Some(9.0));
        assert_eq!(loadgen_percentile(&ten, 0.999), Some(9.0));
        assert_eq!(loadgen_percentile(&ten, 0.25), Some(2.0));
    }

    #[test]
    fn rejects_empty_input_and_bad_p() {
        assert_eq!(loadgen_percentile(&[], 0.5), None);
        assert_eq!(loadgen_percentile(&[1.0], 1.5), None);
        assert_eq!(loadgen_percentile(&[1.0], f64::NAN), None);
    }
}
