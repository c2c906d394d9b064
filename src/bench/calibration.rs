//! The Offline calibration: how many samples per second a variant serves, measured before an
//! Offline run so that its single query is sized to last the minimum duration
//! ([`calibrate_offline`]), and kept within the load generator's limits
//! ([`within_query_limit`]).

use std::time::Duration;

use crate::loadgen::clock::Clock;
use crate::loadgen::sut::SystemUnderTest;
use crate::plan::limits::{
    OFFLINE_CALIBRATION_MARGIN, OFFLINE_CALIBRATION_MS, OFFLINE_CALIBRATION_WARMUP_BATCHES,
};

/// The Offline calibration: processes batches of `batch_size` test samples, first
/// [`OFFLINE_CALIBRATION_WARMUP_BATCHES`] as a warm-up, then for [`OFFLINE_CALIBRATION_MS`]
/// (at least 3 batches; nothing recorded), and returns the measured throughput times
/// [`OFFLINE_CALIBRATION_MARGIN`], in samples per second, rounded to 3 significant digits and
/// kept within the load generator's limits.
///
/// The margin makes the query comfortably long enough: a query sized from an
/// underestimate would end before the minimum duration (INVALID), one sized from an
/// overestimate only runs longer.
pub(crate) fn calibrate_offline<C: Clock + ?Sized, S: SystemUnderTest + ?Sized>(
    clock: &C,
    sut: &mut S,
    batch_size: u32,
    sample_count: usize,
) -> f64 {
    use crate::loadgen::settings::MAX_QPS;
    let batch: Vec<usize> = (0..batch_size as usize).map(|i| i % sample_count).collect();
    let mut predictions = vec![0u8; batch.len()];
    for _ in 0..OFFLINE_CALIBRATION_WARMUP_BATCHES {
        sut.process(&batch, &mut predictions);
    }
    let start = clock.now();
    let mut batches = 0u64;
    let mut elapsed;
    loop {
        sut.process(&batch, &mut predictions);
        batches += 1;
        elapsed = clock.now().saturating_sub(start);
        if batches >= 3 && elapsed >= Duration::from_millis(OFFLINE_CALIBRATION_MS) {
            break;
        }
        if batches >= 100 && elapsed.is_zero() {
            break; // a clock that does not move (scripted tests)
        }
    }
    let seconds = elapsed.as_secs_f64();
    if seconds <= 0.0 {
        return MAX_QPS;
    }
    let qps = OFFLINE_CALIBRATION_MARGIN * (batches * u64::from(batch_size)) as f64 / seconds;
    let rounded = {
        let magnitude = 10f64.powi(qps.log10().floor() as i32 - 2);
        (qps / magnitude).round() * magnitude
    };
    rounded.clamp(1.0, MAX_QPS)
}

/// `expected_qps`, lowered if needed so that the Offline query it sizes
/// (`1.1 x min duration x expected_qps` samples) stays within the load generator's
/// [`MAX_QUERY_COUNT`](crate::loadgen::settings::MAX_QUERY_COUNT): a very fast variant under
/// a long minimum duration then runs the largest query allowed, and is INVALID if that ends
/// before the minimum duration (said in its reasons), rather than asking for an impossible
/// run; and at most [`MAX_QPS`](crate::loadgen::settings::MAX_QPS), the settings' limit.
pub(crate) fn within_query_limit(expected_qps: f64, min_duration_ms: u64) -> f64 {
    use crate::loadgen::settings::{MAX_QPS, MAX_QUERY_COUNT};
    // Several executors of a fast model can be measured above the settings' rate limit.
    let expected_qps = expected_qps.min(MAX_QPS);
    let seconds = min_duration_ms as f64 / 1e3;
    if seconds <= 0.0 {
        return expected_qps;
    }
    // 0.999: stay strictly inside the limit whatever the rounding of the product.
    expected_qps.min(0.999 * MAX_QUERY_COUNT as f64 / (1.1 * seconds))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::bench::sut::ClassifierSut;
    use crate::model::dataset::embedded_digits;
    use crate::model::split::split_dataset;
    use crate::model::variant::build_with;
    use crate::model::{Mlp, ModelPreset, Variant, VariantOptions};
    use crate::plan::limits::TEST_FRACTION;

    /// A clock that moves 1 ms at every reading.
    struct TickingClock(Cell<Duration>);

    impl Clock for TickingClock {
        fn now(&self) -> Duration {
            let t = self.0.get();
            self.0.set(t + Duration::from_millis(1));
            t
        }
    }

    #[test]
    fn calibrated_offline_queries_stay_within_the_query_limit() {
        use crate::loadgen::settings::{offline_sample_count, MAX_QUERY_COUNT};
        // MLPerf's 600 s at a calibrated 100,000 samples/s would ask for 66 million samples.
        let qps = within_query_limit(100_000.0, 600_000);
        assert!(offline_sample_count(24_576, 600_000, qps) <= MAX_QUERY_COUNT);
        assert!(qps > 15_000.0);
        // A short run keeps the measured rate.
        assert_eq!(within_query_limit(100_000.0, 1_000), 100_000.0);
        assert_eq!(within_query_limit(5.0, 0), 5.0);
        // Two executors of a very fast model: measured above the rate limit.
        assert_eq!(
            within_query_limit(2e6, 0),
            crate::loadgen::settings::MAX_QPS
        );
    }

    #[test]
    fn offline_calibration_measures_samples_per_second() {
        let data = embedded_digits().unwrap();
        let split = split_dataset(&data, TEST_FRACTION, 1).unwrap();
        let model = Mlp::initialised(ModelPreset::Tiny.layer_sizes(), 1).unwrap();
        let classifier = build_with(Variant::F32Naive, &model, &VariantOptions::default());
        let mut sut = ClassifierSut::new(classifier, split.test.clone());
        // One reading at the start, one after each batch: 200 batches of 64 in 200 ms, so
        // 64,000 samples/s measured, times the margin (the warm-up batches read no clock).
        let clock = TickingClock(Cell::new(Duration::ZERO));
        assert_eq!(
            calibrate_offline(&clock, &mut sut, 64, split.test.len()),
            64_000.0 * OFFLINE_CALIBRATION_MARGIN
        );
        // A clock that never moves gives the largest rate after 100 batches.
        let still = crate::loadgen::clock::ManualClock::new();
        assert_eq!(
            calibrate_offline(&still, &mut sut, 64, split.test.len()),
            crate::loadgen::settings::MAX_QPS
        );
    }
}
