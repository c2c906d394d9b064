//! InferBench: an MLPerf-style inference benchmark of a real neural network, for the browser.
//!
//! The crate has two halves (see the README's "Architecture" section):
//!
//! - a **platform-independent core** that compiles and is tested natively: the model
//!   ([`model`]), the load generator ([`loadgen`]) and the statistics ([`stats`]).
//!   The core never reads the clock, entropy or sleeps by itself: time comes in through a
//!   [`loadgen::clock::Clock`], randomness from seeds stored in the settings.
//! - a **thin browser shell** (`web`, wasm32 only): Yew components, the worker, the
//!   `performance.now()` clock, charts on canvas and downloads. Every number it shows comes
//!   from the core.

pub mod bench;
pub mod compare;
pub mod encoding;
pub mod format;
pub mod loadgen;
pub mod model;
pub mod plan;
pub mod plot;
pub mod report;
pub mod results;
pub mod stats;
pub mod verify;
pub mod view;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// The application's version, recorded in every result.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
