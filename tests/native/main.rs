//! Native integration tests of the platform-independent core: one test binary
//! (`cargo test --test native`), one module per area.
#![cfg(not(target_arch = "wasm32"))]

mod bench_session;
mod byom_support;
mod cli_compare;
mod cli_compare_samples;
mod cli_errors;
mod cli_model_file;
mod cli_report;
mod cli_support;
mod compare_fixtures;
mod compare_machines;
mod loadgen_early_stopping;
mod loadgen_peak;
mod loadgen_scenarios;
mod loadgen_server;
mod loadgen_settings;
mod loadgen_support;
mod loadgen_timing_check;
mod model_alloc;
mod model_data;
mod model_import;
mod model_train;
mod model_variants;
mod pages_workflow;
mod plot_fit;
mod report_content;
mod report_readme;
mod report_schema_doc;
mod report_snapshots;
mod report_support;
mod stats_props;
mod stats_reference;
mod view_ab;
mod view_compare;
mod view_files;
mod view_form;
mod view_results;
mod view_state;
mod view_storage;
mod view_support;
mod view_variants;
