//! Hostile inputs found by fuzzing the CLI (issue 9): each gives one clear line with its
//! control characters escaped, or a correct result. The small inputs are committed in
//! `tests/fixtures/hostile/` (`scripts/gen_hostile_fixtures.py`); the large ones are built
//! here. No test asserts a duration: a hang would time the suite out, and the reader's
//! limits make every large input fail before it is parsed.

use std::path::PathBuf;

use inferbench::results::io::{read_checked, read_result, ReadError};
use inferbench::results::limits::{Limit, MAX_DEPTH};
use inferbench::stats::CompareConfig;
use inferbench::view::compare::{compare_files, FileOutcome};

use super::cli_support::{assert_bad_input, inferbench, Output, Scratch};

fn hostile(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}")
}

fn text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(hostile(name));
    std::fs::read_to_string(path).expect("the fixture exists")
}

/// No raw control character (ANSI escape, line break inside a line) reaches the terminal.
fn assert_no_raw_controls(out: &Output) {
    for (what, s) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{what} holds a raw control character: {s:?}"
        );
    }
}

#[test]
fn a_percentile_whose_complement_rounds_to_one_ends_with_a_result() {
    // `inferbench compare` looped forever in the percentile interval's sample-size walk.
    let (a, b) = (
        hostile("percentile-1e-17-a.json"),
        hostile("percentile-1e-17-b.json"),
    );
    let out = inferbench(&["compare", &a, &b]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Mallory B [altered file: recomputed values]: p0 latency "),
        "{}",
        out.stdout
    );
    // The stored metric was LoadGen's p99; the records and settings give p1e-15.
    assert!(
        out.stderr.contains("percentile-1e-17-a.json: stored"),
        "{}",
        out.stderr
    );
    let view = compare_files(
        &[
            ("a.json".into(), text("percentile-1e-17-a.json")),
            ("b.json".into(), text("percentile-1e-17-b.json")),
        ],
        None,
        0.01,
        &CompareConfig::default(),
    );
    assert!(matches!(view.files[1], FileOutcome::Loaded { .. }));
    assert!(!view.groups.is_empty());
}

#[test]
fn labels_with_line_breaks_and_escapes_are_refused_without_echoing_them() {
    let path = hostile("ansi-label.json");
    for args in [
        vec!["report", path.as_str()],
        vec!["regression", path.as_str(), path.as_str()],
    ] {
        let out = inferbench(&args);
        assert_bad_input(&out, "the machine label holds control characters");
        assert_no_raw_controls(&out);
    }
    let out = inferbench(&["compare", &path, &hostile("plain.json")]);
    assert_eq!(out.status, Some(2));
    assert!(
        out.stderr
            .contains("the machine label holds control characters"),
        "{}",
        out.stderr
    );
    assert_no_raw_controls(&out);
}

#[test]
fn enum_values_with_escapes_are_echoed_escaped() {
    let out = inferbench(&["report", &hostile("ansi-enum.json")]);
    assert_bad_input(
        &out,
        "unknown variant `f32-naive\\n\\u{1b}[31mFORGED: VALID`",
    );
    assert_no_raw_controls(&out);
}

#[test]
fn a_fifty_megabyte_string_is_refused_before_parsing_and_not_echoed() {
    let scratch = Scratch::new("hostile-long-string");
    let long = "A".repeat(50 * 1024 * 1024);
    let json = text("plain.json").replacen("\"Trent\"", &format!("\"{long}\""), 1);
    let e = read_result(&json).unwrap_err();
    assert!(
        matches!(&e, ReadError::BeyondLimits(l) if l.limit == Limit::String),
        "{e}"
    );
    let path = scratch.file("long.json", &json);
    let out = inferbench(&["report", &path]);
    assert_bad_input(&out, "is longer than 64 KiB");
    assert!(out.stderr.len() < 1_000, "{} bytes", out.stderr.len());
    // An unknown variant 60 KiB long (under the string limit) is echoed cut short.
    let variant = "x".repeat(60 * 1024);
    let json = text("plain.json").replacen("\"f32-naive\"", &format!("\"{variant}\""), 1);
    let e = read_result(&json).unwrap_err().to_string();
    assert!(e.contains("more characters)"), "{e}");
    assert!(e.len() < 1_000, "{} bytes", e.len());
}

#[test]
fn a_stored_more_queries_needed_of_u64_max_is_recomputed() {
    let path = hostile("overflow-more-queries.json");
    let out = inferbench(&["report", &path]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("overflow-more-queries.json: stored f32-naive Server validity INVALID"),
        "{}",
        out.stderr
    );
    for n in ["18446744073709551615", "18,446,744,073,709,551,615"] {
        assert!(!out.stdout.contains(n), "{n} in the report");
    }
    // The rendered recommendation of such a reason saturates instead of overflowing.
    let checked = read_checked(&text("overflow-more-queries.json")).unwrap();
    assert!(checked.result.variants[0].runs[0].run.is_valid());
}

#[test]
fn a_file_larger_than_a_result_is_refused_from_its_size() {
    let scratch = Scratch::new("hostile-large-file");
    let path = scratch.path().join("huge.json");
    // A sparse 600 MB file: nothing is written, and nothing may be read.
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(600 * 1024 * 1024))
        .unwrap();
    let out = inferbench(&["report", path.to_str().unwrap()]);
    assert_bad_input(
        &out,
        "the file is 600.0 MiB, more than the 512 MiB a result can be",
    );
}

#[test]
#[cfg(unix)]
fn an_endless_device_is_read_no_further_than_a_result_can_be() {
    let out = inferbench(&["report", "/dev/zero"]);
    assert_bad_input(
        &out,
        "/dev/zero: it holds more than the 512 MiB a result can be",
    );
}

#[test]
fn a_hundred_thousand_scenarios_are_refused_before_parsing() {
    let mut value: serde_json::Value = serde_json::from_str(&text("plain.json")).unwrap();
    let one = value["plan"]["scenarios"][0].clone();
    value["plan"]["scenarios"] = serde_json::Value::Array(vec![one; 100_001]);
    let json = serde_json::to_string(&value).unwrap();
    assert!(json.len() > 20_000_000, "{} bytes", json.len());
    let e = read_result(&json).unwrap_err();
    assert!(
        matches!(&e, ReadError::BeyondLimits(l) if l.limit == Limit::Items),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "not a result InferBench wrote: a list at line 1 (in \"scenarios\") has more than \
         10,000 items"
    );
    // Within the limit, a plan with a repeated scenario is refused by the plan's own check.
    value["plan"]["scenarios"] =
        serde_json::Value::Array(vec![value["plan"]["scenarios"][0].clone(); 2]);
    let e = read_result(&value.to_string()).unwrap_err().to_string();
    assert!(e.contains("its plan is not one InferBench runs"), "{e}");
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    for json in [
        "[".repeat(1_000_000),
        format!("{{\"schema\": {}", "{\"a\": ".repeat(MAX_DEPTH + 1)),
    ] {
        let e = read_result(&json).unwrap_err();
        assert!(
            matches!(&e, ReadError::BeyondLimits(l) if l.limit == Limit::Depth)
                || matches!(&e, ReadError::NotJson { .. }),
            "{e}"
        );
    }
    // Text that is not even an object says why, without parsing its million levels.
    let e = read_result(&"[".repeat(1_000_000)).unwrap_err().to_string();
    assert!(e.contains("nest more than 32 levels deep"), "{e}");
    let e = read_result(&format!("{{\"a\": {}", "[".repeat(100))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not a result InferBench wrote: arrays and objects nest more than 32 levels deep at \
         line 1"
    );
}

#[test]
fn more_records_than_a_run_states_are_refused() {
    let e = read_result(&text("more-records-than-stated.json")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the result holds impossible values: the f32-naive Server run holds 460 query \
         records, more than the 10 queries it states"
    );
}

#[test]
fn a_script_label_stays_escaped_in_the_comparison_report() {
    let out = inferbench(&[
        "compare",
        &hostile("script-label.json"),
        &hostile("plain.json"),
        "--markdown",
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        !out.stdout.to_lowercase().contains("<script"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\\u003cscript\\u003e"),
        "the embedded JSON"
    );
    assert!(out.stdout.contains("&lt;script&gt;"), "the tables");
}

#[test]
fn an_unwritable_destination_fails_before_the_benchmark() {
    let scratch = Scratch::new("hostile-out");
    let missing_dir = scratch.path().join("no-such-dir").join("r.json");
    for out_path in [
        missing_dir.to_str().unwrap(),
        scratch.path().to_str().unwrap(),
    ] {
        let out = inferbench(&["run", "--model", "tiny", "--out", out_path]);
        assert_eq!(out.status, Some(1), "{}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert!(
            lines[0].starts_with("inferbench: cannot write the result to ")
                && lines[0].ends_with("choose another --out (nothing was run)"),
            "{}",
            lines[0]
        );
    }
    // A writable new destination passes the check and is not left behind when the run
    // then fails (here its plan: a negative power draw).
    let fresh = scratch.path().join("fresh.json");
    let out = inferbench(&[
        "run",
        "--model",
        "tiny",
        "--power-watts",
        "-5",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(out.status, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("power"), "{}", out.stderr);
    assert!(!fresh.exists());
}
