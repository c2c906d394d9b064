//! The load generator: MLPerf LoadGen's scenarios, driven step by step against a
//! [`clock::Clock`].
//!
//! - [`scenario`]: the four scenarios' names ([`settings::Scenario`]), plain data.
//! - [`settings`] and [`presets`]: what a run is asked to do ([`TestSettings`]), validated
//!   into a typed [`SettingsError`] ([`error`]); presets `quick`, `mlperf` and
//!   `loadgen_default`.
//! - [`sut`]: the boundary to the model ([`SystemUnderTest`]) and the scripted [`FakeSut`].
//! - [`schedule`]: sample orders and Server arrivals, pure functions of the seeds.
//! - [`runner`]: the step-wise [`Runner`] ([`Step`], [`Progress`]); [`driver`]: native
//!   drivers ([`run_to_completion`]).
//! - [`record`], [`columnar`] (the records' compact encoding in result files), [`result`],
//!   [`validity`], [`early_stopping`]: what a run produced
//!   ([`RunResult`]), LoadGen's metrics, VALID/INVALID with reasons and recommendations.
//! - [`peak`]: the Server peak search ([`PeakSearch`]).
//! - [`synthetic`]: synthetic systems under test (`null`, `fixed:D`, `lognormal:M,S`)
//!   that spin on the clock; [`overhead`]: the load generator's cost per query.
//! - [`user_conf`]: LoadGen's `mlperf.conf` / `user.conf` lines read into [`TestSettings`].
//! - [`timer_rule`]: when the tick makes a run INVALID or only timer-limited;
//!   [`timing_check`]: the clock's dither check and its paired-timing engine;
//!   [`cross_check`]: the batch cross-check of a timer-limited run; [`sim_clock`]: a
//!   simulated coarse clock for tests.
//!
//! The load generator never reads time except through the clock it is given, never sleeps,
//! and draws every random number from a seeded `ChaCha8Rng`.
//!
//! # Where InferBench differs from LoadGen, on purpose
//!
//! LoadGen's rules are followed as its sources state them (`mlcommons/inference` @ b66003e1,
//! `loadgen/`): scenarios, Poisson arrivals, latency from the scheduled time, the stop rule,
//! the minimum-duration basis per scenario, the percentile estimator, early stopping
//! (c = 0.99, d = 0), the metrics and the validity checks. The differences:
//!
//! - **Warm-up**: untimed warm-up queries (LoadGen has none); the first query's latency is
//!   reported on its own.
//! - **Single-server SUT**: the system under test takes one query at a time (a browser worker
//!   is single-threaded), so Server is a single-server FIFO queue; LoadGen lets a SUT hold any
//!   number of queries.
//! - **Offline batches**: the single query is fed to the SUT in `batch_size` calls, so a worker
//!   can yield between them; a non-zero `max_duration_ms` stops issuing batches.
//! - **Samples**: SingleStream/MultiStream draw samples lazily from the seeded stream (never
//!   "running out of generated queries"); MultiStream's N samples are independent draws
//!   (LoadGen: contiguous); Offline draws at random (LoadGen: the loaded set in order).
//! - **Random generator**: `ChaCha8Rng` instead of `std::mt19937`, portable to wasm32; the
//!   same seed gives other sequences than LoadGen's.
//! - **Accuracy mode**: back to back with no arrival schedule, and top-1 is scored here
//!   (LoadGen leaves scoring to external scripts).
//! - **More INVALID reasons**: cancelled, page hidden, and a timer rule ([`timer_rule`]): a
//!   run whose median is under 20 ticks is VALID but *timer-limited*, its percentiles carrying
//!   the tick's bound; INVALID only where the tick makes the metric meaningless.
//! - **Peak search**: a probe limit, and a stop at [`settings::MAX_QPS`].
//! - **Configuration files** ([`user_conf`]): lines LoadGen would ignore silently or misread
//!   are refused with their line number; every file may set the seeds (LoadGen: its
//!   `mlperf.conf` only); `min_query_count` above `max_query_count` is refused before the run
//!   (LoadGen runs it and reports "Min queries satisfied : NO").
//! - **Synthetic systems under test** ([`synthetic`]): LoadGen has none built in.
//! - **Limits**: settings are validated against documented limits ([`settings`]), and every
//!   run stops at [`settings::MAX_QUERY_COUNT`] queries even without a maximum, so memory stays
//!   bounded (a run that stops there before its minimum duration is INVALID).

pub mod clock;
pub mod columnar;
pub mod cross_check;
pub mod driver;
mod duration_hint;
pub mod early_stopping;
pub mod error;
mod invalid_text;
pub mod metric;
pub mod offline;
pub mod overhead;
pub mod peak;
pub mod presets;
pub mod record;
pub mod result;
pub mod run_overlap;
pub mod runner;
pub mod scenario;
pub mod schedule;
pub mod settings;
pub mod sim_clock;
pub mod stop_rule;
pub mod sut;
pub mod synthetic;
pub mod timer_limited;
pub mod timer_rule;
pub mod timing_check;
pub mod user_conf;
pub mod validity;

pub use driver::{run_to_completion, run_with_progress, spin_until};
pub use error::SettingsError;
pub use peak::{PeakResult, PeakSearch, PeakSearchSettings};
pub use record::{LatencySummary, QueryRecord};
pub use result::{RunResult, ScenarioMetric};
pub use runner::{Phase, Progress, Runner, Step, Stepwise};
pub use settings::{Scenario, ScenarioSettings, TestMode, TestSettings};
pub use sut::{FakeSut, ServiceTime, SystemUnderTest, VaryingSut};
pub use validity::{InvalidReason, StopReason, Validity};
