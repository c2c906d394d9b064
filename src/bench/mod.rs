//! A whole benchmark: train the model, then for each variant run accuracy mode and the
//! planned scenarios, step by step, into a [`crate::results::BenchResult`].
//!
//! [`session::BenchSession`] is driven like a load-generator run (it never reads the clock
//! except through the [`Clock`](crate::loadgen::clock::Clock) it is given, never sleeps), so
//! the same code runs in the browser's worker and in the native CLI.

pub mod ab;
mod calibration;
pub mod error;
mod parallel;
pub mod pool;
pub mod session;
pub mod sut;
pub mod timer_checks;
pub mod user_conf;

pub use error::BenchError;
pub use session::{BenchProgress, BenchSession, BenchStep};
