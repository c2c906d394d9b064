//! The load generator: MLPerf LoadGen's scenarios, driven step by step against a
//! [`clock::Clock`].
//!
//! - [`settings`] and [`presets`]: what a run is asked to do ([`TestSettings`]), validated
//!   into a typed [`SettingsError`]; presets `quick`, `mlperf` and `loadgen_default`.
//! - [`sut`]: the boundary to the model ([`SystemUnderTest`]) and the scripted [`FakeSut`].
//! - [`schedule`]: sample orders and Server arrivals, pure functions of the seeds.
//! - [`runner`]: the step-wise [`Runner`] ([`Step`], [`Progress`]); [`driver`]: native
//!   drivers ([`run_to_completion`]).
//! - [`record`], [`result`], [`validity`], [`early_stopping`]: what a run produced
//!   ([`RunResult`]), LoadGen's metrics, VALID/INVALID with reasons and recommendations.
//! - [`peak`]: the Server peak search ([`PeakSearch`]).
//!
//! The load generator never reads time except through the clock it is given, never sleeps,
//! and draws every random number from a seeded `ChaCha8Rng`.

pub mod clock;
pub mod driver;
pub mod early_stopping;
pub mod error;
pub mod peak;
pub mod presets;
pub mod record;
pub mod result;
pub mod runner;
pub mod schedule;
pub mod settings;
pub mod sut;
pub mod validity;

pub use driver::{run_to_completion, run_with_progress, spin_until};
pub use error::SettingsError;
pub use peak::{PeakResult, PeakSearch, PeakSearchSettings};
pub use record::{LatencySummary, QueryRecord};
pub use result::{RunResult, ScenarioMetric};
pub use runner::{Phase, Progress, Runner, Step, Stepwise};
pub use settings::{Scenario, ScenarioSettings, TestMode, TestSettings};
pub use sut::{FakeSut, ServiceTime, SystemUnderTest};
pub use validity::{InvalidReason, StopReason, Validity};
