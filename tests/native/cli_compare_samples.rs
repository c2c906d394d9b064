//! `inferbench compare-samples` on the committed sample files agrees with scipy
//! (`tests/fixtures/samples/expected.json`, written by `scripts/gen_stats_fixtures.py`).

use serde_json::Value;

use super::cli_support::inferbench;

const SAMPLES: &str = "tests/fixtures/samples";

fn expected_cases() -> Vec<Value> {
    let path = format!("{}/{SAMPLES}/expected.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("expected.json exists");
    let json: Value = serde_json::from_str(&text).expect("expected.json parses");
    json["cases"].as_array().expect("a list of cases").clone()
}

fn number(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

/// `actual` within `rel` of `expected`, relatively (absolutely near 0).
fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    let tolerance = rel * expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs scipy {expected} (relative {rel})"
    );
}

#[test]
fn json_output_agrees_with_scipy() {
    let cases = expected_cases();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let a = format!("{SAMPLES}/{}", case["baseline_file"].as_str().unwrap());
        let b = format!("{SAMPLES}/{}", case["candidate_file"].as_str().unwrap());
        let out = inferbench(&["compare-samples", &a, &b, "--json"]);
        assert_eq!(out.status, Some(0), "{name}: {}", out.stderr);
        let json: Value = serde_json::from_str(&out.stdout).expect("--json prints JSON");
        assert_eq!(json["baseline_file"], a.as_str());
        assert_eq!(json["candidate_file"], b.as_str());
        let c = &json["comparison"];
        assert_eq!(
            c["baseline"]["n"].as_u64(),
            case["n_baseline"].as_u64(),
            "{name}"
        );
        assert_eq!(
            c["candidate"]["n"].as_u64(),
            case["n_candidate"].as_u64(),
            "{name}"
        );
        let w = &case["welch"];
        assert_close(
            number(&c["welch"]["t"], "t"),
            number(&w["t"], "t"),
            1e-9,
            name,
        );
        assert_close(
            number(&c["welch"]["df"], "df"),
            number(&w["df"], "df"),
            1e-9,
            name,
        );
        assert_close(
            number(&c["welch"]["p_value"], "p"),
            number(&w["p"], "p"),
            1e-6,
            name,
        );
        let m = &case["mann_whitney"];
        assert_eq!(
            number(&c["mann_whitney"]["u"], "U"),
            number(&m["u"], "U"),
            "{name}"
        );
        assert_close(
            number(&c["mann_whitney"]["p_value"], "p"),
            number(&m["p"], "p"),
            1e-6,
            name,
        );
        let verdict = json["verdict"].as_str().expect("a verdict sentence");
        assert!(
            verdict.contains(&format!("{name}-baseline"))
                && verdict.contains(&format!("{name}-candidate")),
            "{verdict}"
        );
    }
}

#[test]
fn text_output_states_the_tests_and_the_verdict() {
    let out = inferbench(&[
        "compare-samples",
        &format!("{SAMPLES}/clear-baseline.txt"),
        &format!("{SAMPLES}/clear-candidate.txt"),
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("Welch's t-test:      t = -6.74349"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("tie-corrected normal approximation"));
    let last = out.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("Verdict: clear-candidate is 1.1")
            && last.contains("faster than clear-baseline"),
        "{last}"
    );
}
