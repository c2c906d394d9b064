//! The numbers a plan is held to and run with: the limits of its fields, the digits' test
//! split, and the Offline calibration's constants.

/// How long the Offline calibration measures, in ms (see [`BenchPlan::calibrate_offline`](super::BenchPlan::calibrate_offline)).
pub const OFFLINE_CALIBRATION_MS: u64 = 200;

/// Batches run before the Offline calibration measures (caches and branch predictors warm).
pub const OFFLINE_CALIBRATION_WARMUP_BATCHES: u32 = 3;

/// The Offline calibration's `expected_qps` is the measured throughput times this margin,
/// so that the single query lasts about `1.1 x 1.5 = 1.65` times the minimum duration and
/// still meets it if the run is a little faster than the calibration.
pub const OFFLINE_CALIBRATION_MARGIN: f64 = 1.5;

/// The share of the data set held out as the test split (the performance sample set).
pub const TEST_FRACTION: f64 = 0.2;

/// Samples in the built-in digits' test split (what the page validates a plan against without
/// loading the data, which only its worker holds; a native test checks it against the split).
pub const DIGITS_TEST_SAMPLES: usize = 359;

/// The longest machine label, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

/// The largest assumed power draw accepted, in watts (a workstation under full load).
pub const MAX_ASSUMED_POWER_WATTS: f64 = 2000.0;

/// The most Offline workers a plan may ask for (each holds a copy of the model).
pub const MAX_OFFLINE_WORKERS: u32 = 64;
