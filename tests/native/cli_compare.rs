//! `inferbench compare`: machines against a baseline from a folder of result files.

use super::cli_support::{assert_bad_input, inferbench, Scratch};

const ALICE: &str = "tests/fixtures/compare/alice-laptop.json";
const BOB: &str = "tests/fixtures/compare/bob-desktop.json";
const CAROL: &str = "tests/fixtures/compare/carol-other-seed.json";

#[test]
fn compares_every_machine_with_the_first_and_lists_other_workloads() {
    let out = inferbench(&["compare", ALICE, BOB, CAROL]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out
        .stdout
        .starts_with("Baseline: Alice's laptop (tests/fixtures/compare/alice-laptop.json)"));
    // 2 variants x 3 scenarios, Bob better in each, Carol never compared.
    assert_eq!(out.stdout.matches("Bob's desktop: ").count(), 6);
    assert_eq!(
        out.stdout.matches("IMPROVEMENT Bob's desktop is ").count(),
        6,
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("Carol's tablet: ").count(), 6);
    assert_eq!(
        out.stdout
            .matches("not compared, workload differs: seeds.sample_index: 7 vs 8")
            .count(),
        6
    );
}

#[test]
fn baseline_by_label_threshold_and_markdown() {
    let out = inferbench(&[
        "compare",
        ALICE,
        BOB,
        "--baseline",
        "bob's desktop",
        "--threshold",
        "5%",
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("Baseline: Bob's desktop"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("noise threshold 5.00%"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.matches("REGRESSION Alice's laptop is ").count(),
        6,
        "{}",
        out.stdout
    );

    let md = inferbench(&["compare", ALICE, BOB, "--markdown"]);
    assert_eq!(md.status, Some(0), "{}", md.stderr);
    assert!(md
        .stdout
        .starts_with("# InferBench comparison: 2 machines against Alice's laptop"));
    for heading in [
        "## Summary",
        "## Machines",
        "## f32-naive, SingleStream",
        "## int8, Offline",
        "## Method",
        "## Data",
    ] {
        assert!(md.stdout.contains(heading), "missing {heading}");
    }
    let json = md
        .stdout
        .split("<!-- inferbench-comparison-json -->\n```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("embedded JSON");
    let value: serde_json::Value = serde_json::from_str(json).expect("the embedded JSON parses");
    assert_eq!(value["machines"][1]["name"], "Bob's desktop");
    assert_eq!(value["groups"].as_array().unwrap().len(), 6);
}

#[test]
fn broken_files_are_skipped_with_a_message_and_bad_arguments_refused() {
    let scratch = Scratch::new("compare");
    let broken = scratch.file(
        "broken.json",
        "{\"schema\": \"inferbench-result\", \"schema_version\": 1}",
    );
    let out = inferbench(&["compare", ALICE, BOB, &broken]);
    assert_eq!(out.status, Some(0));
    assert!(
        out.stderr.contains("skipped")
            && out.stderr.contains("broken.json: the result is malformed"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1 file(s) skipped"));
    assert_bad_input(
        &inferbench(&["compare", ALICE]),
        "at least two result files",
    );
    let out = inferbench(&["compare", ALICE, &broken]);
    assert_eq!(out.status, Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("1 of 2 files could be read: at least two are needed"),
        "{}",
        out.stderr
    );
    assert_bad_input(
        &inferbench(&["compare", ALICE, BOB, "--baseline", "Dave"]),
        "no machine is labelled \"Dave\"",
    );
    assert_bad_input(
        &inferbench(&["compare", ALICE, BOB, "--threshold", "lots"]),
        "--threshold \"lots\"",
    );
}

#[test]
fn regression_check_exits_1_on_a_regression() {
    let better = inferbench(&["regression", ALICE, BOB, "--threshold", "5"]);
    assert_eq!(better.status, Some(0), "{}", better.stderr);
    assert!(better.stdout.starts_with("Regression check: Bob's desktop"));
    assert_eq!(
        better.stdout.matches(": IMPROVEMENT: ").count(),
        6,
        "{}",
        better.stdout
    );
    let worse = inferbench(&["regression", BOB, ALICE]);
    assert_eq!(worse.status, Some(1));
    assert_eq!(
        worse.stdout.matches(": REGRESSION: ").count(),
        6,
        "{}",
        worse.stdout
    );
    assert!(
        worse.stderr.contains("6 regression(s) beyond 5.00%"),
        "{}",
        worse.stderr
    );
    let other = inferbench(&["regression", ALICE, CAROL]);
    assert_eq!(other.status, Some(0));
    assert_eq!(
        other
            .stdout
            .matches("NOT COMPARED: the workload differs")
            .count(),
        6
    );
    assert_bad_input(
        &inferbench(&["regression", ALICE]),
        "regression needs two result files",
    );
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_inferbench"))
        .args(["compare", ALICE, BOB, "--markdown"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Read the first bytes only, then close the pipe, as `| head -c 10` does.
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first, b"# InferBen");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
