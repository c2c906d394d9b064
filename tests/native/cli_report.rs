//! `inferbench report` prints the report of a result file, or of a report file (its embedded
//! result), exactly as the library renders it.

use inferbench::report::render_markdown;

use super::cli_support::{inferbench, Scratch};
use super::report_support::fixture;

#[test]
fn report_prints_the_markdown_report_of_a_result() {
    let out = inferbench(&["report", "tests/fixtures/results/peak-search.json"]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.starts_with("# InferBench report: Lab PC 7\n"));
    assert_eq!(out.stdout, render_markdown(&fixture("peak-search.json")));
}

#[test]
fn report_reads_a_saved_report_too() {
    let s = Scratch::new("report-md");
    let report = render_markdown(&fixture("coarse-timer.json"));
    let md = s.file("saved report.md", &report);
    let out = inferbench(&["report", &md]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, report);
}
