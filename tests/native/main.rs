//! The native integration tests of the core: one test binary (`cargo test --test native`).

mod loadgen_early_stopping;
mod loadgen_peak;
mod loadgen_scenarios;
mod loadgen_server;
mod loadgen_settings;
mod loadgen_support;
