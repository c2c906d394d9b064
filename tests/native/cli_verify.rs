//! `inferbench verify`: every committed fixture and fresh runs pass; an altered accuracy,
//! model fingerprint, latency column or off-grid browser latency fails with a clear line;
//! exit statuses 0, 1 and 2.

use std::path::PathBuf;

use inferbench::bench::{BenchSession, BenchStep};

use inferbench::encoding::{base64_decode, pack_unsigned, Varints};
use inferbench::loadgen::clock::{measure_resolution, StdClock};
use inferbench::loadgen::settings::{Scenario, ScenarioSettings, Seeds};
use inferbench::loadgen::spin_until;
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset};
use inferbench::results::derive::rederive;
use inferbench::results::io::{read_checked, read_result, to_json};
use inferbench::results::{BenchResult, Environment};
use inferbench::verify::{verify, Outcome, Retrain};
use serde_json::Value;

use super::cli_support::{inferbench, Scratch};

fn fixtures() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures/results", "tests/fixtures/compare"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".json") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn every_fixture_passes() {
    let files = fixtures();
    let mut args = vec!["verify"];
    args.extend(files.iter().map(String::as_str));
    let out = inferbench(&args);
    assert_eq!(out.status, Some(0), "{}\n{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), files.len());
    for (line, file) in lines.iter().zip(&files) {
        assert!(line.starts_with(&format!("{file}: OK: ")), "{line}");
        assert!(
            line.contains("the model retrained from the plan's seeds"),
            "{line}"
        );
    }
    // The browser fixtures' latencies sit on their 5 µs grid.
    let alice = lines.iter().find(|l| l.contains("alice-laptop")).unwrap();
    assert!(
        alice.contains("sit on the recorded 5.000 µs timer grid"),
        "{alice}"
    );
    // --failed-only prints nothing when every file passes.
    args.insert(1, "--failed-only");
    let out = inferbench(&args);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), ""));
}

/// A fresh native run of `model` with two variants and few queries.
fn fresh_run(model: ModelPreset) -> BenchResult {
    let mut plan = BenchPlan::from_preset(
        PlanPreset::Custom,
        "Fresh",
        vec![Variant::F32Naive, Variant::Int8],
        &[Scenario::SingleStream, Scenario::Offline],
    )
    .with_model(model)
    .with_seeds(Seeds::all(11));
    plan.calibrate_offline = false;
    for s in &mut plan.scenarios {
        s.min_duration_ms = 0;
        s.warmup_query_count = 2;
        s.min_query_count = 64;
        if let ScenarioSettings::Offline(o) = &mut s.scenario {
            o.expected_qps = 1.0;
        }
    }
    let clock = StdClock::new();
    let timer = measure_resolution(&clock, 10_000);
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer);
    loop {
        match session
            .step(&clock, std::time::Duration::from_millis(20))
            .unwrap()
        {
            BenchStep::Finished => break,
            BenchStep::WaitUntil(t) => spin_until(&clock, t),
            BenchStep::Progress(_) => {}
        }
    }
    session.finish(Environment::native(Some(timer)), None)
}

#[test]
fn fresh_runs_pass_and_record_their_fingerprint() {
    for model in [ModelPreset::Tiny, ModelPreset::Default] {
        let result = fresh_run(model);
        assert!(result.model.fingerprint.is_some());
        let checked = read_checked(&to_json(&result)).unwrap();
        assert!(checked.is_consistent(), "{:?}", checked.mismatches);
        let v = verify(&checked, Retrain::Always);
        assert!(v.passed(), "{model}: {}", v.verdict());
        let model_check = v.checks.iter().find(|c| c.name == "model").unwrap();
        assert_eq!(model_check.outcome, Outcome::Passed);
        assert!(
            model_check.detail.contains("accuracy match"),
            "{}",
            model_check.detail
        );
    }
}

fn write_altered(scratch: &Scratch, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value =
        serde_json::from_str(&read("tests/fixtures/compare/alice-laptop.json")).unwrap();
    edit(&mut v);
    scratch.file(name, &v.to_string())
}

#[test]
fn altered_files_fail_with_a_clear_line() {
    let scratch = Scratch::new("verify-altered");
    // The accuracy count, with its fraction updated to match: only retraining shows it.
    let accuracy = write_altered(&scratch, "accuracy.json", |v| {
        let acc = &mut v["variants"][0]["accuracy"]["accuracy"];
        let correct = acc["correct"].as_u64().unwrap() - 3;
        let total = acc["total"].as_u64().unwrap();
        acc["correct"] = correct.into();
        acc["top1"] = (correct as f64 / total as f64).into();
    });
    let fingerprint = write_altered(&scratch, "fingerprint.json", |v| {
        v["model"]["fingerprint"] = "0123456789abcdef".into();
    });
    let latency = write_altered(&scratch, "latency.json", |v| {
        // A packed column (schema version 2): the first latency 5 ms longer.
        let column = &mut v["variants"][1]["runs"][1]["run"]["queries"]["latency_ns"];
        let bytes = base64_decode(column.as_str().unwrap()).unwrap();
        let mut reader = Varints::new(&bytes);
        let mut latencies = Vec::new();
        while let Some(l) = reader.next_value().unwrap() {
            latencies.push(l);
        }
        latencies[0] += 5_000_000;
        *column = pack_unsigned(latencies).into();
    });
    let out = inferbench(&["verify", &accuracy, &fingerprint, &latency]);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "inferbench: 3 of 3 file(s) failed verification\n"
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with(&format!("{accuracy}: FAILED: its f32-naive accuracy, ")));
    assert!(lines[0].contains("test samples correct, is not the retrained variant's"));
    assert!(lines[1].starts_with(&format!(
        "{fingerprint}: FAILED: the file's model fingerprint 0123456789abcdef is not the \
         retrained model's "
    )));
    assert!(
        lines[2].starts_with(&format!("{latency}: FAILED: stored int8 Server "))
            && lines[2].contains("does not match its query records"),
        "{}",
        lines[2]
    );
}

#[test]
fn browser_latencies_off_the_timer_grid_fail() {
    // Derived values rebuilt, so only the grid shows that the records were made up.
    let mut r = read_result(&read("tests/fixtures/compare/alice-laptop.json")).unwrap();
    for q in &mut r.variants[0].runs[0].run.queries {
        q.completed_ns += 1_234;
    }
    let r = rederive(r);
    let checked = read_checked(&to_json(&r)).unwrap();
    assert!(checked.is_consistent());
    let v = verify(&checked, Retrain::Never);
    assert!(!v.passed());
    let n = r.variants[0].runs[0].run.queries.len();
    assert!(
        v.verdict().starts_with(&format!(
            "FAILED: {n} of {n} service times of its f32-naive SingleStream run are off the \
             recorded 5.000 µs timer grid, so they were not measured with that timer"
        )),
        "{}",
        v.verdict()
    );
    assert!(v
        .verdict()
        .ends_with("(not checked: the model was not retrained (asked not to))"));
}

#[test]
fn unreadable_files_exit_2_and_the_others_are_still_checked() {
    let scratch = Scratch::new("verify-unreadable");
    let empty = scratch.file("empty.json", "");
    let newer = write_altered(&scratch, "newer.json", |v| {
        v["app_version"] = "99.0.0".into()
    });
    let future = write_altered(&scratch, "future.json", |v| v["schema_version"] = 99.into());
    let out = inferbench(&["verify", "--no-retrain", &empty, &newer, &future]);
    assert_eq!(out.status, Some(2), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], format!("{empty}: UNREADABLE: the file is empty"));
    assert!(
        lines[1].starts_with(&format!("{newer}: OK: ")),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("it was written by InferBench 99.0.0, newer than this one"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]
            .contains("UNREADABLE: result schema version 99 is newer than this InferBench reads"),
        "{}",
        lines[2]
    );
    assert_eq!(out.stderr, "inferbench: 2 of 3 file(s) could not be read\n");
}
