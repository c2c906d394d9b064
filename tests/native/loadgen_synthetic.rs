//! Synthetic systems under test in a whole session (no training, no accuracy mode), the
//! load-generator overhead recorded in the result, and the MLPerf log files of the result.

use inferbench::bench::{BenchSession, BenchStep};

use inferbench::loadgen::clock::StdClock;
use inferbench::loadgen::overhead::measure_overhead;
use inferbench::loadgen::settings::Scenario;
use inferbench::loadgen::spin_until;
use inferbench::loadgen::synthetic::SyntheticSut;
use inferbench::loadgen::user_conf::ConfSource;
use inferbench::model::Variant;
use inferbench::plan::{BenchPlan, PlanPreset, TaskKind};
use inferbench::report::mlperf_log::log_files;
use inferbench::report::render_markdown;
use inferbench::results::{BenchResult, Environment};

fn run(plan: BenchPlan) -> BenchResult {
    let clock = StdClock::new();
    let overhead = measure_overhead(&clock, 1_000);
    let mut session = BenchSession::new(plan)
        .unwrap()
        .with_loadgen_overhead(overhead);
    loop {
        match session
            .step(&clock, std::time::Duration::from_millis(20))
            .unwrap()
        {
            BenchStep::Progress(_) => {}
            BenchStep::WaitUntil(t) => spin_until(&clock, t),
            BenchStep::Finished => break,
        }
    }
    session.finish(
        Environment::native(None),
        Some("2026-12-01T10:00:00Z".into()),
    )
}

fn plan(sut: SyntheticSut, conf: &str) -> BenchPlan {
    let mut plan = BenchPlan::from_preset(
        PlanPreset::Quick,
        "synthetic",
        vec![Variant::F32Naive, Variant::F32Fast],
        &[Scenario::SingleStream, Scenario::Server],
    )
    .with_synthetic_sut(sut);
    plan.apply_user_conf(vec![ConfSource {
        name: "user.conf".into(),
        text: conf.into(),
    }])
    .unwrap();
    plan
}

const SHORT: &str = "*.*.min_duration = 0\n*.*.min_query_count = 100\n\
                     *.*.max_query_count = 100\n*.Server.target_qps = 2000\n";

#[test]
fn a_synthetic_system_replaces_the_model() {
    let sut: SyntheticSut = "fixed:20us".parse().unwrap();
    let plan = plan(sut, SHORT);
    assert_eq!(plan.variants, vec![Variant::F32Naive]);
    assert!(!plan.accuracy_mode);
    let session = BenchSession::new(plan.clone()).unwrap();
    assert_eq!(
        session.tasks(),
        &[
            TaskKind::Scenario {
                variant: Variant::F32Naive,
                scenario: Scenario::SingleStream
            },
            TaskKind::Scenario {
                variant: Variant::F32Naive,
                scenario: Scenario::Server
            },
        ]
    );
    let result = run(plan);
    let runs = &result.variants[0].runs;
    assert_eq!(runs.len(), 2);
    for r in runs {
        assert_eq!(r.run.queries.len(), 100);
        // A spin lasts at least its service time: every service is 20 us or more.
        assert!(r
            .run
            .queries
            .iter()
            .all(|q| q.completed_ns - q.issued_ns >= 20_000));
    }
    assert!(result.loadgen_overhead.is_some());
    let report = render_markdown(&result);
    assert!(report.contains("### System under test"), "{report}");
    assert!(report.contains("`fixed:20us`: a synthetic system whose every call takes 20us"));
    assert!(report.contains("### Load-generator overhead"));
    assert!(report.contains("### LoadGen configuration files"));
    assert!(report.contains("## Queueing theory (Server)"));
    assert!(report.contains("### fixed:20us (Server)"));
    assert!(!report.contains("It was trained on"));
    // The result reads back with its synthetic system and configuration.
    let back =
        inferbench::results::io::read_result(&inferbench::results::io::to_json(&result)).unwrap();
    assert_eq!(back.plan.synthetic_sut, Some(sut));
    assert_eq!(back.plan.user_conf, result.plan.user_conf);
    assert_eq!(back.loadgen_overhead, result.loadgen_overhead);
}

#[test]
fn the_logs_name_the_system_and_parse_as_mlperf_logs() {
    let result = run(plan(SyntheticSut::Null, SHORT));
    let files = log_files(&result);
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].sut_dir, "null");
    assert_eq!(files[0].scenario_dir, "SingleStream");
    assert!(files[0]
        .summary
        .contains("SUT name : null\nScenario : SingleStream\n"));
    for f in &files {
        let mut keys = Vec::new();
        for line in f.detail.lines() {
            let json = line.strip_prefix(":::MLLOG ").expect("an MLLOG line");
            let v: serde_json::Value = serde_json::from_str(json).expect(line);
            keys.push(v["key"].as_str().unwrap().to_string());
            assert_eq!(v["namespace"], "mlperf::logging");
        }
        for key in [
            "sut_name",
            "effective_min_query_count",
            "result_validity",
            "result_min_duration_met",
            "early_stopping_met",
            "result_query_count",
            "result_99.90_percentile_latency_ns",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        // The summary's Result line and the detail's result_validity agree.
        let valid = f.summary.contains("Result is : VALID\n");
        assert!(f.detail.contains(&format!(
            "\"key\": \"result_validity\", \"value\": \"{}\"",
            if valid { "VALID" } else { "INVALID" }
        )));
    }
}

#[test]
fn a_synthetic_system_and_a_model_file_are_refused_together() {
    use inferbench::bench::BenchError;
    use inferbench::plan::PlanError;
    use inferbench::view::form::{Field, FormEdit, SetupForm};
    let imported = super::byom_support::import_fixture("sequential-mlp.safetensors");
    let sut: SyntheticSut = "fixed:20us".parse().unwrap();
    let plan = plan(sut, SHORT).with_model_file(imported.info.clone());
    assert_eq!(
        plan.validate(359),
        Err(PlanError::SyntheticSutWithModelFile)
    );
    let refused = BenchSession::with_model(plan, imported.model.clone()).err();
    assert!(
        matches!(
            refused,
            Some(BenchError::Plan(PlanError::SyntheticSutWithModelFile))
        ),
        "{refused:?}"
    );
    assert!(PlanError::SyntheticSutWithModelFile
        .to_string()
        .contains("benchmark one at a time"));

    // The page's form: the message next to the system under test, and no plan to run.
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    form.apply(FormEdit::Sut("fixed:20us".into()));
    form.apply(FormEdit::ModelFileReading {
        id: 1,
        file_name: "sequential-mlp.safetensors".into(),
    });
    form.model_file_read(1, Ok(imported.info));
    let check = form.check(359);
    assert!(check.plan.is_none());
    let message = check.errors.get(&Field::Sut).expect("a message at the SUT");
    assert!(message.contains("both replace the"), "{message}");
    // Either one alone runs.
    form.apply(FormEdit::Sut(String::new()));
    assert!(
        form.check(359).plan.is_some(),
        "{:?}",
        form.check(359).errors
    );
}

#[test]
fn a_coarse_timer_asks_a_synthetic_system_for_a_longer_service_time() {
    use inferbench::view::timing::timing_notes;
    let plan = super::view_support::plan(vec![Variant::F32Naive])
        .with_synthetic_sut(SyntheticSut::Fixed { service_ns: 3_000 });
    // 7 us clock steps read on a 0.1 ms timer: the latencies are below a few ticks.
    let r = super::view_support::run(plan, 7, 0.1, None);
    let suggestion = timing_notes(&r)
        .into_iter()
        .find_map(|n| n.suggestion)
        .expect("a timer-limited run suggests what to change");
    assert!(
        suggestion.starts_with("Give the synthetic system a longer service time"),
        "{suggestion}"
    );
    assert!(!suggestion.contains("preset"), "{suggestion}");
    let report = render_markdown(&r);
    assert!(
        report.contains(
            "The synthetic system `fixed:3us` serves a query in 3.000 µs on average, about 0.030 \
             ticks of this timer: a service time of at least 2.000 ms (20 ticks) would no \
             longer be timer-limited."
        ),
        "{report}"
    );
    assert!(!report.contains("larger model preset"), "{report}");
}
