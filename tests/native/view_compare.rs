//! The "Compare machines" section: the comparison the worker computes from the committed
//! fixtures (file outcomes, groups, verdicts at a threshold, what differs, chart data, the
//! report), its agreement with the regression check, the threshold's validation, and the
//! section's state transitions.

use std::rc::Rc;

use inferbench::compare::{regression_check, RegressionOutcome, RegressionVerdict};
use inferbench::results::io::{read_result, REPORT_JSON_MARKER};
use inferbench::stats::CompareConfig;
use inferbench::view::compare::{
    cdf_quantiles_ms, compare_files, compare_sources, parse_threshold, too_large_message,
    CompareView, FileOutcome, RowView, CDF_QUANTILES, MAX_FILE_BYTES,
};
use inferbench::view::compare_state::{CompareEdit, CompareState, FileContent, FileStatus};
use inferbench::view::file_check::FileCheck;
use inferbench::view::files::{comparison_file_name, saved_file_name};
use inferbench::view::protocol::{WorkerEvent, WorkerRequest};
use inferbench::view::state::{Action, AppState};

use super::compare_fixtures::fixture_dir;

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap()
}

fn file(name: &str) -> (String, String) {
    (name.to_string(), text(name))
}

/// Fewer resamples than the page's 10,000: the same code, faster.
fn config() -> CompareConfig {
    CompareConfig {
        resamples: 1_000,
        ..CompareConfig::default()
    }
}

fn verdicts(view: &CompareView, machine: &str) -> Vec<RegressionVerdict> {
    view.groups
        .iter()
        .map(|g| {
            let row = g.rows.iter().find(|r| r.machine == machine).unwrap();
            match &row.status {
                RowView::Compared { verdict, .. } => *verdict,
                other => panic!("{machine} in {}: {other:?}", g.title()),
            }
        })
        .collect()
}

#[test]
fn two_machines_and_a_broken_file_give_verdicts_and_a_message() {
    let files = vec![
        file("alice-laptop.json"),
        (
            "broken.json".to_string(),
            "{\"schema\": \"inferbench-res".to_string(),
        ),
        file("bob-desktop.json"),
        ("empty.md".to_string(), String::new()),
    ];
    let view = compare_files(&files, None, 0.01, &config());
    // Each file on its own: the good ones load, the bad ones say why in one line.
    assert_eq!(view.files.len(), 4);
    let FileOutcome::Loaded {
        machine,
        detail,
        check,
    } = &view.files[0]
    else {
        panic!("{:?}", view.files[0]);
    };
    assert_eq!(machine, "Alice's laptop");
    assert!(detail.starts_with("2026-11-20 · "), "{detail}");
    assert!(detail.contains("f32-naive, int8"), "{detail}");
    // The fixture checks out, tiny model retrained and all.
    assert!(check.passed && check.altered.is_none(), "{check:?}");
    assert_eq!(check.checks_ran, "checked: derived values, model, timer");
    let FileOutcome::Refused { message } = &view.files[1] else {
        panic!("{:?}", view.files[1]);
    };
    assert!(
        message.starts_with("not a result file: it is neither JSON nor an InferBench report"),
        "{message}"
    );
    assert!(!message.contains('\n'));
    assert_eq!(
        view.files[3],
        FileOutcome::Refused {
            message: "the file is empty".into()
        }
    );
    assert!(
        matches!(&view.files[2], FileOutcome::Loaded { machine, .. } if machine == "Bob's desktop")
    );
    // The baseline is the first machine that loaded; both can be chosen.
    assert_eq!(view.baseline_file, Some(0));
    let names: Vec<(usize, &str)> = view
        .machines
        .iter()
        .map(|m| (m.file, m.name.as_str()))
        .collect();
    assert_eq!(names, vec![(0, "Alice's laptop"), (2, "Bob's desktop")]);
    assert_eq!(view.note, None);

    // Two variants x three scenarios; Bob about 1.4x faster everywhere: IMPROVEMENT.
    let titles: Vec<String> = view.groups.iter().map(|g| g.title()).collect();
    assert_eq!(
        titles,
        [
            "f32-naive, SingleStream",
            "f32-naive, Server",
            "f32-naive, Offline",
            "int8, SingleStream",
            "int8, Server",
            "int8, Offline"
        ]
    );
    assert_eq!(
        verdicts(&view, "Bob's desktop"),
        vec![RegressionVerdict::Improvement; 6]
    );
    let ss = &view.groups[0];
    assert_eq!(ss.id, "compare-f32-naive-singlestream");
    assert_eq!(ss.headline_label, "p90 latency");
    assert_eq!(ss.rows[0].status, RowView::Baseline);
    // The fixtures read a 5 µs timer, so latencies are whole ticks.
    assert_eq!(ss.rows[0].headline, "380.0 µs");
    assert_eq!(
        ss.rows[0].headline_ci.as_deref(),
        Some("95% CI 375.0–385.0 µs")
    );
    assert_eq!(ss.rows[0].valid, Some(true));
    assert_eq!(ss.rows[0].queries, "300");
    let RowView::Compared {
        speedup,
        speedup_ci,
        welch_p_holm,
        sentence,
        ..
    } = &ss.rows[1].status
    else {
        panic!("{:?}", ss.rows[1].status);
    };
    assert_eq!(speedup, "1.42x");
    assert!(speedup_ci.starts_with("95% CI 1.4"), "{speedup_ci}");
    assert!(welch_p_holm.contains("e-"), "{welch_p_holm}");
    assert!(
        sentence.starts_with("Bob's desktop is 1.42x faster than Alice's laptop (95% CI"),
        "{sentence}"
    );
    assert!(ss.workload_differs.is_empty());
    assert!(view.not_compared.is_empty());
    // Chart data: one speedup with its interval; the CDFs as quantiles, not every latency.
    assert_eq!(ss.speedups.len(), 1);
    let p = &ss.speedups[0];
    assert!(p.lower < p.speedup && p.speedup < p.upper && p.lower > 1.0);
    assert_eq!(ss.cdf.len(), 2);
    let alice = read_result(&text("alice-laptop.json")).unwrap();
    let run = &alice.variants[0]
        .run(inferbench::loadgen::settings::Scenario::SingleStream)
        .unwrap()
        .run;
    let sample = inferbench::results::analysis_sample_ms(run);
    assert_eq!(ss.cdf[0].n, sample.len());
    assert_eq!(
        ss.cdf[0].quantiles_ms,
        cdf_quantiles_ms(&sample, CDF_QUANTILES)
    );
    let charts = ss.charts("Alice's laptop");
    assert_eq!(charts.len(), 2);
    assert_eq!(charts[0].id, "compare-f32-naive-singlestream-speedup");
    assert_eq!(charts[1].id, "compare-f32-naive-singlestream-cdf");

    assert_eq!(view.summary.len(), 2, "{:?}", view.summary);
    assert!(view.summary[0].contains("against Alice's laptop (the baseline)"));
    assert!(view.summary[0].contains("at a 1% threshold"));
    assert_eq!(
        view.summary[1],
        "6 runs compared: 6 IMPROVEMENT, 0 REGRESSION, 0 NO CHANGE."
    );

    // The report: Markdown with the comparison embedded as JSON.
    let md = view.report_markdown.as_deref().unwrap();
    assert!(md.starts_with("# InferBench comparison: 2 machines against Alice's laptop"));
    let marker = "<!-- inferbench-comparison-json -->";
    let block = &md[md.find(marker).unwrap()..];
    let start = block.find("```json").unwrap() + "```json".len();
    let end = start + block[start..].find("\n```").unwrap();
    let data: serde_json::Value = serde_json::from_str(&block[start..end]).unwrap();
    assert_eq!(data["baseline"], 0);
    assert_eq!(data["groups"].as_array().unwrap().len(), 6);
    assert!(!md.contains(REPORT_JSON_MARKER));

    // The answer crosses to the page as JSON, unchanged (no NaN on the way).
    let event = WorkerEvent::Compared {
        id: 3,
        view: Box::new(view.clone()),
    };
    let back: WorkerEvent = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
    assert_eq!(back, event);
}

#[test]
fn a_different_workload_is_listed_with_what_differs_and_not_compared() {
    let two = compare_files(
        &[file("alice-laptop.json"), file("bob-desktop.json")],
        None,
        0.01,
        &config(),
    );
    let three = compare_files(
        &[
            file("alice-laptop.json"),
            file("bob-desktop.json"),
            file("carol-other-seed.json"),
        ],
        None,
        0.01,
        &config(),
    );
    assert_eq!(three.not_compared.len(), 1);
    let carol = &three.not_compared[0];
    assert_eq!(carol.machine, "Carol's tablet");
    assert_eq!(
        carol.differences,
        [
            "seeds.sample_index: 7 (baseline) vs 8",
            "seeds.schedule: 7 (baseline) vs 8",
            "seeds.model_init: 7 (baseline) vs 8"
        ]
    );
    for (g2, g3) in two.groups.iter().zip(&three.groups) {
        assert_eq!(g3.workload_differs.len(), 1);
        assert_eq!(g3.workload_differs[0].differences, carol.differences);
        assert!(
            matches!(&g3.rows[2].status, RowView::NotCompared { reason } if reason.contains("workload differs"))
        );
        // Carol is not in Bob's Holm family: his numbers do not change.
        assert_eq!(g2.rows[1], g3.rows[1]);
        assert_eq!(g3.speedups.len(), 1);
        assert_eq!(g3.cdf.len(), 2, "no curve for a different workload");
    }
    assert!(three.summary[2].starts_with(
        "Not compared where their workload differs from the baseline's: Carol's tablet."
    ));
    // Carol as the baseline: nobody matches her workload.
    let carol_base = compare_files(
        &[
            file("alice-laptop.json"),
            file("bob-desktop.json"),
            file("carol-other-seed.json"),
        ],
        Some(2),
        0.01,
        &config(),
    );
    assert_eq!(carol_base.baseline_file, Some(2));
    assert_eq!(carol_base.not_compared.len(), 2);
    assert_eq!(
        carol_base.summary[1],
        "No run could be compared with the baseline's."
    );
}

#[test]
fn the_panel_gives_the_regression_checks_verdicts() {
    let alice = read_result(&text("alice-laptop.json")).unwrap();
    let bob = read_result(&text("bob-desktop.json")).unwrap();
    for (threshold, baseline, expected) in [
        (0.01, 0, RegressionVerdict::Improvement),
        (0.01, 1, RegressionVerdict::Regression),
        // Bob is about 1.4x faster: not beyond a 100% threshold.
        (1.0, 0, RegressionVerdict::NoChange),
    ] {
        let view = compare_files(
            &[file("alice-laptop.json"), file("bob-desktop.json")],
            Some(baseline),
            threshold,
            &config(),
        );
        let (base, current, other) = if baseline == 0 {
            (&alice, &bob, "Bob's desktop")
        } else {
            (&bob, &alice, "Alice's laptop")
        };
        let check = regression_check(base, current, threshold, &config()).unwrap();
        let from_check: Vec<RegressionVerdict> = check
            .iter()
            .map(|r| match &r.outcome {
                RegressionOutcome::Checked { verdict, .. } => *verdict,
                o => panic!("{o:?}"),
            })
            .collect();
        let from_panel = verdicts(&view, other);
        assert_eq!(from_panel, from_check, "threshold {threshold}");
        assert_eq!(from_panel, vec![expected; 6], "threshold {threshold}");
    }
}

#[test]
fn duplicates_fall_back_baselines_and_lone_files_are_explained() {
    let view = compare_files(
        &[
            ("junk.txt".into(), "hello".into()),
            file("alice-laptop.json"),
            ("copy.json".into(), text("alice-laptop.json")),
        ],
        Some(0),
        0.01,
        &config(),
    );
    assert_eq!(
        view.files[2],
        FileOutcome::Refused {
            message: "the same result is already loaded from alice-laptop.json".into()
        }
    );
    // The chosen baseline did not load: the first machine that did is the baseline.
    assert_eq!(view.baseline_file, Some(1));
    assert!(view.groups.is_empty() && view.report_markdown.is_none());
    assert_eq!(
        view.note.as_deref(),
        Some("One machine loaded: add at least one more result to compare it with.")
    );
    let none = compare_files(&[("a.json".into(), "[]".into())], None, 0.01, &config());
    assert_eq!(none.baseline_file, None);
    assert!(none.note.unwrap().starts_with("No file loaded yet"));
    // A report (.md) loads through its embedded result.
    let alice = read_result(&text("alice-laptop.json")).unwrap();
    let report = inferbench::report::render_markdown(&alice);
    let view = compare_files(
        &[("alice.md".into(), report), file("bob-desktop.json")],
        None,
        0.01,
        &config(),
    );
    assert!(
        matches!(&view.files[0], FileOutcome::Loaded { machine, .. } if machine == "Alice's laptop")
    );
    assert_eq!(view.groups.len(), 6);
}

#[test]
fn a_saved_result_that_cannot_be_read_is_listed_with_why() {
    let (alice, alice_text) = file("alice-laptop.json");
    let (bob, bob_text) = file("bob-desktop.json");
    let view = compare_sources(
        &[
            (alice, Ok(alice_text)),
            (
                "saved.json".into(),
                Err("nothing is saved under inferbench.result.9".into()),
            ),
            (bob, Ok(bob_text)),
        ],
        Some(1),
        0.01,
        &config(),
    );
    assert_eq!(
        view.files[1],
        FileOutcome::Refused {
            message: "nothing is saved under inferbench.result.9".into()
        }
    );
    // The chosen baseline is the unreadable one: the first that loaded is used.
    assert_eq!(view.baseline_file, Some(0));
    assert_eq!(view.groups.len(), 6);
}

#[test]
fn hostile_labels_stay_text() {
    let mut alice = read_result(&text("alice-laptop.json")).unwrap();
    alice.machine_label = "<img src=x onerror=alert(1)>".into();
    let json = inferbench::results::io::to_json(&alice);
    let view = compare_files(
        &[("a.json".into(), json), file("bob-desktop.json")],
        None,
        0.01,
        &config(),
    );
    // The view holds the label as it is (the page renders it as text); the report escapes it.
    assert_eq!(view.machines[0].name, "<img src=x onerror=alert(1)>");
    let md = view.report_markdown.unwrap();
    // Outside the fenced JSON block (where it is literal text), the report escapes it.
    let prose = &md[..md.find("<!-- inferbench-comparison-json -->").unwrap()];
    assert!(prose.contains("Machines"));
    assert!(
        !prose.contains("<img"),
        "the Markdown report escapes labels"
    );
}

#[test]
fn thresholds_are_percentages_with_a_message() {
    assert_eq!(parse_threshold("1"), Ok(0.01));
    assert_eq!(parse_threshold(" 2.5 % "), Ok(0.025));
    assert_eq!(parse_threshold("0"), Ok(0.0));
    assert_eq!(parse_threshold("1000"), Ok(10.0));
    assert_eq!(
        parse_threshold(""),
        Err("Type a threshold in percent, e.g. 1 (0 counts any significant change).".into())
    );
    assert_eq!(
        parse_threshold("-1"),
        Err("-1 is out of range: the threshold is a percentage from 0 to 1000.".into())
    );
    assert_eq!(
        parse_threshold("1001"),
        Err("1001 is out of range: the threshold is a percentage from 0 to 1000.".into())
    );
    assert_eq!(
        parse_threshold("1,5"),
        Err("\"1,5\": write the threshold without commas (2.5 with a decimal point).".into())
    );
    assert_eq!(
        parse_threshold("five"),
        Err("\"five\" is not a number: type a percentage like 1 or 2.5.".into())
    );
    assert!(parse_threshold("NaN").is_err());
    assert!(parse_threshold("inf").is_err());
}

#[test]
fn quantiles_keep_the_extremes_and_thin_evenly() {
    let sample: Vec<f64> = (1..=1000).rev().map(f64::from).collect();
    let q = cdf_quantiles_ms(&sample, 400);
    assert_eq!(q.len(), 400);
    assert_eq!(q[0], 1.0);
    assert_eq!(q[399], 1000.0);
    assert!(q.windows(2).all(|w| w[0] <= w[1]));
    // Rank i of 400 is the value at round(i * 999 / 399) of the sorted sample.
    assert_eq!(q[200], (200.0_f64 * 999.0 / 399.0).round() + 1.0);
    assert_eq!(cdf_quantiles_ms(&[3.0, f64::NAN, 1.0], 400), vec![1.0, 3.0]);
}

#[test]
fn file_names_and_size_messages() {
    assert_eq!(
        comparison_file_name(Some("2026-11-23T14:05:09Z")),
        "inferbench-comparison-2026-11-23.md"
    );
    assert_eq!(
        comparison_file_name(None),
        "inferbench-comparison-undated.md"
    );
    assert_eq!(
        saved_file_name("Alice's laptop", Some("2026-11-20T10:00:00Z")),
        "inferbench-alice-s-laptop-2026-11-20.json (saved in this browser)"
    );
    // The page accepts every result InferBench writes, as the reader does.
    assert_eq!(MAX_FILE_BYTES, 512 * 1024 * 1024);
    assert_eq!(
        too_large_message(600 * 1024 * 1024),
        "the file is 600.0 MiB, more than the 512 MiB a result can be: is it the right file?"
    );
}

fn text_file(name: &str, body: &str) -> (String, FileContent) {
    (
        name.to_string(),
        FileContent::Text(Rc::new(body.to_string())),
    )
}

fn request_of(state: &CompareState) -> (u64, Vec<String>, Option<usize>, f64) {
    match state.request().expect("a request") {
        WorkerRequest::Compare {
            id,
            files,
            baseline,
            threshold,
        } => (
            id,
            files.into_iter().map(|(n, _)| n).collect(),
            baseline,
            threshold,
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_section_sends_a_request_per_change_and_keeps_the_latest_answer() {
    let mut app = AppState::new();
    assert_eq!(app.compare.request(), None);
    assert_eq!(app.compare.threshold, "1");
    app.apply(Action::Compare(CompareEdit::Add(vec![
        text_file("a.json", "{}"),
        (
            "huge.json".into(),
            FileContent::Unread(too_large_message(70 * 1024 * 1024)),
        ),
        text_file("b.json", "{}"),
    ])));
    let (first_id, names, baseline, threshold) = request_of(&app.compare);
    // The request crosses to the worker as JSON, unchanged.
    let request = app.compare.request().unwrap();
    let back: WorkerRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(back, request);
    // Files refused before reading are not sent; the others keep their order.
    assert_eq!(names, ["a.json", "b.json"]);
    assert_eq!((baseline, threshold), (None, 0.01));
    assert!(app.compare.waiting);
    let ids: Vec<u64> = app.compare.files.iter().map(|f| f.id).collect();
    assert!(
        matches!(app.compare.files[1].status(), FileStatus::Refused(m) if m.contains("70.0 MiB"))
    );
    assert_eq!(app.compare.files[0].status(), FileStatus::Checking);

    // The baseline is sent as its index among the files sent.
    app.apply(Action::Compare(CompareEdit::Baseline(ids[2])));
    let (second_id, _, baseline, _) = request_of(&app.compare);
    assert!(second_id > first_id);
    assert_eq!(baseline, Some(1));

    // An answer to an older request is ignored.
    let check = FileCheck {
        passed: true,
        altered: None,
        verdict: "Checks out: ...".into(),
        checks_ran: "checked: derived values".into(),
    };
    let answer = |machines: &[&str]| CompareView {
        files: machines
            .iter()
            .map(|m| FileOutcome::Loaded {
                machine: m.to_string(),
                detail: "d".into(),
                check: check.clone(),
            })
            .collect(),
        machines: machines
            .iter()
            .enumerate()
            .map(|(i, m)| inferbench::view::compare::MachineChoice {
                file: i,
                name: m.to_string(),
            })
            .collect(),
        baseline_file: Some(1),
        threshold: 0.01,
        note: None,
        summary: vec![],
        not_compared: vec![],
        groups: vec![],
        report_markdown: None,
    };
    app.apply(Action::Worker(WorkerEvent::Compared {
        id: first_id,
        view: Box::new(answer(&["Old", "Old"])),
    }));
    assert!(app.compare.waiting && app.compare.view.is_none());
    app.apply(Action::Worker(WorkerEvent::Compared {
        id: second_id,
        view: Box::new(answer(&["Alice", "Bob"])),
    }));
    assert!(!app.compare.waiting);
    assert_eq!(
        app.compare.files[2].status(),
        FileStatus::Loaded {
            machine: "Bob",
            detail: "d",
            check: &check,
        }
    );
    assert_eq!(
        app.compare.machine_choices(),
        vec![(ids[0], "Alice".to_string()), (ids[2], "Bob".to_string())]
    );
    assert_eq!(app.compare.answered_baseline(), Some(ids[2]));

    // An invalid threshold: a message, no request; the last answer stays.
    app.apply(Action::Compare(CompareEdit::Threshold("x".into())));
    assert!(app.compare.threshold_error().is_some());
    assert_eq!(app.compare.request_id, Some(second_id));
    app.apply(Action::Compare(CompareEdit::Threshold("5".into())));
    let (third, _, _, threshold) = request_of(&app.compare);
    assert!(third > second_id);
    assert_eq!(threshold, 0.05);

    // Removing the baseline's file: back to the first that loads.
    app.apply(Action::Compare(CompareEdit::Remove(ids[2])));
    let (_, names, baseline, _) = request_of(&app.compare);
    assert_eq!(names, ["a.json"]);
    assert_eq!(baseline, None);
    assert_eq!(
        app.compare.machine_choices(),
        vec![(ids[0], "Alice".to_string())]
    );
    // Only unread files left: nothing to send, nothing shown.
    app.apply(Action::Compare(CompareEdit::Remove(ids[0])));
    assert_eq!(app.compare.request(), None);
    assert!(app.compare.view.is_none() && !app.compare.waiting);
    app.apply(Action::Compare(CompareEdit::Clear));
    assert!(app.compare.files.is_empty());
    assert_eq!(app.compare.threshold, "5", "the threshold stays");
}
