//! Bad input to the command-line tool: each gets a one-line error naming the problem and
//! exit status 2, never a panic.

use super::cli_support::{assert_bad_input, inferbench, Scratch};

const GOOD: &str = "tests/fixtures/samples/close-baseline.txt";
const RESULT: &str = "tests/fixtures/results/peak-search.json";

#[test]
fn compare_samples_rejects_each_bad_file() {
    let s = Scratch::new("compare");
    let missing = s.path().join("missing.txt");
    let missing = missing.to_str().unwrap();
    assert_bad_input(
        &inferbench(&["compare-samples", missing, GOOD]),
        &format!("cannot read {missing}"),
    );
    let dir = s.path().to_str().unwrap();
    assert_bad_input(
        &inferbench(&["compare-samples", GOOD, dir]),
        &format!("{dir} is a directory, not a file"),
    );
    let words = s.file("words.txt", "# ms\n1.5\n2.5\nfast\n3.5\n");
    assert_bad_input(
        &inferbench(&["compare-samples", GOOD, &words]),
        &format!("{words} line 4: \"fast\" is not a number"),
    );
    let one = s.file("one.txt", "# just one\n1.5\n");
    assert_bad_input(
        &inferbench(&["compare-samples", &one, GOOD]),
        &format!("{one} has 1 timing: at least 2 are needed to compare"),
    );
    let empty = s.file("empty.txt", "");
    assert_bad_input(
        &inferbench(&["compare-samples", GOOD, &empty]),
        &format!("{empty} has 0 timings"),
    );
    let infinite = s.file("inf.txt", "1\n2\ninf\n");
    assert_bad_input(
        &inferbench(&["compare-samples", &infinite, GOOD]),
        "line 3: inf is not a finite number",
    );
    let binary = s.path().join("binary.txt");
    std::fs::write(&binary, [0xff_u8, 0xfe, 0x00, 0x31]).unwrap();
    assert_bad_input(
        &inferbench(&["compare-samples", binary.to_str().unwrap(), GOOD]),
        "is not UTF-8 text",
    );
    assert_bad_input(
        &inferbench(&["compare-samples", GOOD]),
        "compare-samples needs two files (baseline, candidate), got 1",
    );
    // Two constant samples: no test is defined, and the message says so.
    let flat = s.file("flat.txt", "2\n2\n2\n");
    assert_bad_input(
        &inferbench(&["compare-samples", &flat, &flat]),
        "cannot compare",
    );
}

#[test]
fn report_rejects_each_bad_file() {
    let s = Scratch::new("report");
    let missing = s.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    assert_bad_input(
        &inferbench(&["report", missing]),
        &format!("cannot read {missing}"),
    );
    let dir = s.path().to_str().unwrap();
    assert_bad_input(
        &inferbench(&["report", dir]),
        &format!("{dir} is a directory, not a file"),
    );
    let empty = s.file("empty.json", "");
    assert_bad_input(&inferbench(&["report", &empty]), "the file is empty");
    let other = s.file(
        "other.json",
        "{\"name\": \"not a result\", \"values\": [1, 2]}\n",
    );
    assert_bad_input(
        &inferbench(&["report", &other]),
        "not an InferBench result: the JSON has no \"schema\": \"inferbench-result\" field",
    );
    let text = s.file("notes.md", "# My notes\n\nNo result in here.\n");
    assert_bad_input(
        &inferbench(&["report", &text]),
        "not a result file: it is neither JSON nor an InferBench report",
    );
    // A real result with its schema version changed.
    let good = std::fs::read_to_string(format!("{}/{RESULT}", env!("CARGO_MANIFEST_DIR")))
        .expect("the fixture exists");
    assert!(good.contains("\"schema_version\":2"));
    let newer = s.file(
        "newer.json",
        &good.replace("\"schema_version\":2", "\"schema_version\":99"),
    );
    assert_bad_input(
        &inferbench(&["report", &newer]),
        "result schema version 99 is newer than this InferBench reads (2): update InferBench",
    );
    let older = s.file(
        "older.json",
        &good.replace("\"schema_version\":2", "\"schema_version\":0"),
    );
    assert_bad_input(
        &inferbench(&["report", &older]),
        "result schema version 0 is not supported",
    );
    let truncated = s.file("truncated.json", &good[..good.len() / 2]);
    assert_bad_input(&inferbench(&["report", &truncated]), "not a result file");
    assert_bad_input(&inferbench(&["report"]), "report needs one result file");
}

#[test]
fn unknown_commands_and_options_are_refused() {
    assert_bad_input(
        &inferbench(&["frobnicate"]),
        "unknown command \"frobnicate\"",
    );
    assert_bad_input(
        &inferbench(&["report", RESULT, "--verbose"]),
        "unknown option --verbose",
    );
    assert_bad_input(
        &inferbench(&["run", "--preset", "huge"]),
        "unknown preset \"huge\": use quick or mlperf",
    );
    assert_bad_input(
        &inferbench(&["run", "--scenario", "batch"]),
        "unknown scenario \"batch\"",
    );
    assert_bad_input(
        &inferbench(&["run", "--seed", "-1"]),
        "--seed \"-1\" is not a whole number",
    );
    // No command at all: the message and the usage, still exit status 2.
    let out = inferbench(&[]);
    assert_eq!(out.status, Some(2));
    assert!(out.stderr.starts_with("inferbench: no command given"));
}
