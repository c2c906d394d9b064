//! Fixture results for the report and CLI tests: loading the committed ones.
//!
//! The committed files in `tests/fixtures/results/` come from real runs (the system clock,
//! the real model) made by `examples/gen_report_fixtures.rs`, so their numbers are
//! measurements of the machine that made them; the tests only need them to be fixed. To
//! regenerate (the snapshots then change too):
//!
//! ```text
//! cargo run --release --example gen_report_fixtures
//! cargo insta review   # or: INSTA_UPDATE=always cargo test --test native report_
//! ```

use std::path::PathBuf;

use inferbench::results::io::read_result;
use inferbench::results::BenchResult;

/// The directory of the committed fixture results.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results")
}

/// A committed fixture result, read with the crate's own reader.
pub fn fixture(name: &str) -> BenchResult {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    read_result(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The report up to (not including) the embedded result, for snapshots and text checks.
pub fn report_body(report: &str) -> &str {
    let marker = inferbench::results::io::REPORT_JSON_MARKER;
    &report[..report.find(marker).expect("the report embeds its result")]
}
