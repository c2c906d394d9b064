//! A real result altered as a forger would alter it: the validity flipped, the headline
//! percentile changed, a summary's mean changed, the query records changed without the
//! summaries. `report`, `compare` and the page's Compare section each name the file and
//! never show the altered number as a result.

use inferbench::encoding::{base64_decode, pack_unsigned, Varints};
use inferbench::report::render_markdown;
use inferbench::results::derive::rederive;
use inferbench::results::io::{read_checked, read_stored, to_json};
use inferbench::stats::CompareConfig;
use inferbench::view::compare::{compare_files, FileOutcome};
use serde_json::Value;

use super::cli_support::{inferbench, Scratch};

const ALICE: &str = "tests/fixtures/compare/alice-laptop.json";
const BOB: &str = "tests/fixtures/compare/bob-desktop.json";

fn alice() -> String {
    std::fs::read_to_string(format!("{}/{ALICE}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// An alteration: its name, what it does to the JSON, the text the notice must hold, and
/// the altered number as the report would print it (which must then appear nowhere).
struct Alteration {
    name: &'static str,
    edit: fn(&mut Value),
    notice: &'static str,
    shown_as: Option<&'static str>,
}

fn first_run(v: &mut Value) -> &mut Value {
    &mut v["variants"][0]["runs"][0]
}

const ALTERATIONS: [Alteration; 4] = [
    Alteration {
        name: "validity",
        edit: |v| {
            let valid = &mut first_run(v)["run"]["validity"]["valid"];
            *valid = Value::Bool(!valid.as_bool().unwrap());
        },
        notice: "stored f32-naive SingleStream validity",
        shown_as: None,
    },
    Alteration {
        name: "headline",
        edit: |v| {
            first_run(v)["run"]["metric"]["percentile_latency_ms"] = 98765.4321.into();
        },
        notice: "stored f32-naive SingleStream p90 latency 98765 ms does not match its query \
                 records (",
        shown_as: Some("98765"),
    },
    Alteration {
        name: "summary-mean",
        edit: |v| first_run(v)["summary"]["mean_ms"] = 86420.13579.into(),
        notice: "stored f32-naive SingleStream mean (summary) 86420 ms does not match its \
                 query records (",
        shown_as: Some("86420"),
    },
    Alteration {
        name: "records",
        edit: |v| {
            // A packed column (schema version 2): every latency tripled.
            let column = &mut first_run(v)["run"]["queries"]["latency_ns"];
            let bytes = base64_decode(column.as_str().unwrap()).unwrap();
            let mut latencies = Varints::new(&bytes);
            let mut tripled = Vec::new();
            while let Some(l) = latencies.next_value().unwrap() {
                tripled.push(l * 3);
            }
            *column = pack_unsigned(tripled).into();
        },
        notice: "stored f32-naive SingleStream p90 latency ",
        shown_as: None,
    },
];

fn altered_text(a: &Alteration) -> String {
    let mut v: Value = serde_json::from_str(&alice()).unwrap();
    (a.edit)(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn report_names_the_file_and_shows_the_recomputed_values() {
    let scratch = Scratch::new("altered-report");
    let original = inferbench(&["report", ALICE]);
    assert_eq!(original.status, Some(0), "{}", original.stderr);
    assert_eq!(original.stderr, "", "the fixture checks out");
    for a in &ALTERATIONS {
        let text = altered_text(a);
        let path = scratch.file(&format!("{}.json", a.name), &text);
        let out = inferbench(&["report", &path]);
        assert_eq!(out.status, Some(0), "{}: {}", a.name, out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}: {}", a.name, out.stderr);
        let line = lines[0];
        assert!(line.starts_with(&format!("inferbench: {path}: ")), "{line}");
        assert!(line.contains(a.notice), "{}: {line}", a.name);
        assert!(line.ends_with("; recomputed values are used"), "{line}");
        if a.name == "records" {
            // The report is the one of the records as they now are.
            let rebuilt = rederive(read_stored(&text).unwrap());
            assert_eq!(out.stdout, render_markdown(&rebuilt), "{}", a.name);
        } else {
            // Only derived values changed: the report is the original's, to the byte.
            assert!(
                out.stdout == original.stdout,
                "{}: the reports differ",
                a.name
            );
        }
        if let Some(n) = a.shown_as {
            assert!(
                !original.stdout.contains(n),
                "{n} is not a number of the fixture's"
            );
            assert!(!out.stdout.contains(n), "{}: {n} in the report", a.name);
        }
    }
}

#[test]
fn compare_and_its_report_mark_the_machine() {
    let scratch = Scratch::new("altered-compare");
    for a in &ALTERATIONS {
        let path = scratch.file(&format!("{}.json", a.name), &altered_text(a));
        let out = inferbench(&["compare", &path, BOB]);
        assert_eq!(out.status, Some(0), "{}: {}", a.name, out.stderr);
        assert!(
            out.stderr.starts_with(&format!("inferbench: {path}: "))
                && out.stderr.contains(a.notice),
            "{}: {}",
            a.name,
            out.stderr
        );
        assert!(
            out.stdout
                .starts_with("Baseline: Alice's laptop [altered file: recomputed values]"),
            "{}",
            out.stdout
        );
        let md = inferbench(&["compare", &path, BOB, "--markdown"]);
        assert_eq!(md.status, Some(0));
        assert!(md
            .stdout
            .contains("Alice's laptop (baseline) (**altered file**)"));
        assert!(md.stdout.contains("**Altered files.**"), "{}", a.name);
        // The embedded data carries the mark and the recomputed values.
        let json = md.stdout.split("```json\n").last().unwrap();
        let json = &json[..json.find("\n```").unwrap()];
        let data: Value = serde_json::from_str(json).unwrap();
        let mark = data["machines"][0]["altered"].as_str().unwrap();
        assert!(mark.contains(a.notice), "{mark}");
        assert!(data["machines"][1].get("altered").is_none());
        if let Some(n) = a.shown_as {
            // Only the mark quotes the altered number: no table, sentence or datum shows it.
            assert!(!out.stdout.contains(n), "{}: {n}", a.name);
            let tables: String = md
                .stdout
                .lines()
                .filter(|l| !l.contains("does not match its query records"))
                .collect();
            assert!(!tables.contains(n), "{}: {n} in the report", a.name);
            assert!(
                !data["groups"].to_string().contains(n),
                "{}: {n} in the data",
                a.name
            );
        }
    }
}

#[test]
fn the_page_marks_the_file_and_its_rows() {
    let bob = std::fs::read_to_string(format!("{}/{BOB}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let clean = compare_files(
        &[
            ("alice.json".into(), alice()),
            ("bob.json".into(), bob.clone()),
        ],
        None,
        0.01,
        &CompareConfig::default(),
    );
    for a in &ALTERATIONS {
        let view = compare_files(
            &[
                ("alice.json".into(), altered_text(a)),
                ("bob.json".into(), bob.clone()),
            ],
            None,
            0.01,
            &CompareConfig::default(),
        );
        let FileOutcome::Loaded { check, .. } = &view.files[0] else {
            panic!("{:?}", view.files[0]);
        };
        assert!(!check.passed, "{}", a.name);
        assert!(
            check.altered.as_deref().unwrap().contains(a.notice),
            "{check:?}"
        );
        assert!(
            check.verdict.starts_with("Does not check out: stored "),
            "{}",
            check.verdict
        );
        let FileOutcome::Loaded {
            check: bob_check, ..
        } = &view.files[1]
        else {
            panic!();
        };
        assert!(bob_check.passed, "{bob_check:?}");
        let alice_rows: Vec<_> = view
            .groups
            .iter()
            .flat_map(|g| g.rows.iter().filter(|r| r.machine == "Alice's laptop"))
            .collect();
        assert!(!alice_rows.is_empty() && alice_rows.iter().all(|r| r.altered));
        if a.name != "records" {
            // The rows show what the records give: the clean comparison's.
            assert_eq!(
                view.groups,
                clean
                    .groups
                    .iter()
                    .map(|g| {
                        let mut g = g.clone();
                        for r in &mut g.rows {
                            r.altered = r.machine == "Alice's laptop";
                        }
                        g
                    })
                    .collect::<Vec<_>>(),
                "{}",
                a.name
            );
        }
        if let Some(n) = a.shown_as {
            let shown = serde_json::to_string(&view.groups).unwrap();
            assert!(!shown.contains(n), "{}: {n} in the page", a.name);
        }
    }
}

#[test]
fn a_rebuilt_result_checks_out_and_writes_what_it_read() {
    for a in &ALTERATIONS {
        let checked = read_checked(&altered_text(a)).unwrap();
        assert!(!checked.is_consistent(), "{}", a.name);
        let again = read_checked(&to_json(&checked.result)).unwrap();
        assert!(again.is_consistent(), "{}: {:?}", a.name, again.mismatches);
        assert_eq!(again.result, checked.result);
    }
}
