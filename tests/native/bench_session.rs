//! The whole benchmark session, driven by a scripted clock: tasks in order, results per
//! variant, cancel, and the result file round trip.

use std::time::Duration;

use inferbench::bench::{BenchProgress, BenchSession, BenchStep};

use inferbench::loadgen::clock::{Clock, ManualClock, TimerResolution};
use inferbench::loadgen::settings::Scenario;
use inferbench::model::{ModelPreset, Variant};
use inferbench::plan::{BenchPlan, PlanPreset, TaskKind};
use inferbench::report::verdict_text::AbSentence;
use inferbench::results::io::{read_result, to_json};
use inferbench::results::{BenchResult, Environment, RunStatus};

/// A small, fast plan: tiny model, 2 epochs, every scenario with small counts and no
/// minimum duration (the scripted clock does not move while the model computes).
fn small_plan(variants: Vec<Variant>) -> BenchPlan {
    let mut plan =
        BenchPlan::from_preset(PlanPreset::Quick, "test machine", variants, &Scenario::ALL)
            .with_model(ModelPreset::Tiny);
    plan.train.epochs = 2;
    plan.calibrate_offline = false;
    for s in &mut plan.scenarios {
        s.min_duration_ms = 0;
        s.warmup_query_count = 2;
        s.min_query_count = match s.scenario() {
            Scenario::Offline => 256,
            Scenario::MultiStream | Scenario::Server => 700,
            Scenario::SingleStream => 100,
        };
    }
    plan
}

/// Drives `session` to its end on `clock`, with a zero budget (one unit of work per step), advancing the clock 1 us per step and jumping
/// to each Server arrival; `on_progress` may cancel.
fn drive(
    session: &mut BenchSession,
    clock: &ManualClock,
    mut on_progress: impl FnMut(&mut BenchSession, &TaskKind),
) {
    for _ in 0..10_000_000 {
        match session
            .step(clock, Duration::ZERO)
            .expect("no training failure")
        {
            BenchStep::Progress(p) => {
                assert!((0.0..=1.0).contains(&p.fraction_done));
                on_progress(session, &p.task);
                clock.advance(Duration::from_micros(1));
            }
            BenchStep::WaitUntil(t) => clock.set(t.max(clock.now())),
            BenchStep::Finished => return,
        }
    }
    panic!("the session did not finish");
}

fn environment() -> Environment {
    Environment::native(Some(TimerResolution {
        resolution_ms: Some(1e-6),
        reads: 10,
        distinct_values: 10,
    }))
}

#[test]
fn runs_every_task_in_order_and_round_trips() {
    let plan = small_plan(vec![Variant::F32Naive, Variant::Int8]);
    let mut session = BenchSession::new(plan).unwrap();
    assert_eq!(session.tasks().len(), 1 + 2 * 5);
    assert_eq!(session.tasks()[0], TaskKind::Training);
    assert_eq!(
        session.tasks()[1],
        TaskKind::Accuracy {
            variant: Variant::F32Naive
        }
    );
    assert_eq!(
        session.tasks()[6],
        TaskKind::Accuracy {
            variant: Variant::Int8
        }
    );
    let clock = ManualClock::new();
    let mut seen = Vec::new();
    drive(&mut session, &clock, |_, task| {
        if seen.last() != Some(task) {
            seen.push(*task);
        }
    });
    assert_eq!(seen.first(), Some(&TaskKind::Training));
    let result = session.finish(environment(), Some("2026-11-23T12:00:00Z".into()));
    assert_eq!(result.status, RunStatus::Completed);
    assert_eq!(result.variants.len(), 2);
    assert_eq!(
        result.model.training.steps_done,
        result.model.training.total_steps
    );
    for v in &result.variants {
        assert_eq!(v.runs.len(), 4);
        let accuracy = v.top1().expect("accuracy measured");
        assert!(accuracy > 0.5, "{} accuracy {accuracy}", v.variant);
        assert_eq!(
            v.accuracy.as_ref().unwrap().sample_count as usize,
            result.model.training.test_samples
        );
        assert!(v.size_bytes > 0);
        for r in &v.runs {
            assert!(r.run.validity.reasons.iter().all(|reason| !matches!(
                reason,
                inferbench::loadgen::validity::InvalidReason::Cancelled { .. }
            )));
            assert!(!r.run.queries.is_empty());
        }
    }
    assert!(
        result.variants[1].size_bytes < result.variants[0].size_bytes,
        "int8 is smaller"
    );
    let json = to_json(&result);
    let back: BenchResult = read_result(&json).unwrap();
    assert_eq!(back, result);
}

#[test]
fn cancel_keeps_measurements_and_marks_the_run_invalid() {
    let plan = small_plan(vec![Variant::F32Naive, Variant::F32Fast]);
    let mut session = BenchSession::new(plan).unwrap();
    let clock = ManualClock::new();
    let mut steps_in_multi_stream = 0;
    drive(&mut session, &clock, |s, task| {
        if *task
            == (TaskKind::Scenario {
                variant: Variant::F32Naive,
                scenario: Scenario::MultiStream,
            })
        {
            steps_in_multi_stream += 1;
            if steps_in_multi_stream == 20 {
                s.cancel();
            }
        }
    });
    let result = session.finish(environment(), None);
    assert_eq!(result.status, RunStatus::Cancelled);
    assert_eq!(result.variants.len(), 1, "the second variant never started");
    let runs = &result.variants[0].runs;
    assert_eq!(runs.len(), 2, "SingleStream done, MultiStream interrupted");
    let interrupted = &runs[1].run;
    assert!(!interrupted.validity.valid);
    assert!(!interrupted.queries.is_empty(), "measurements kept");
}

#[test]
fn cancel_during_training_stops_everything() {
    let plan = small_plan(vec![Variant::F32Naive]);
    let mut session = BenchSession::new(plan).unwrap();
    let clock = ManualClock::new();
    session.cancel();
    drive(&mut session, &clock, |_, _| {});
    let result = session.finish(environment(), None);
    assert_eq!(result.status, RunStatus::Cancelled);
    assert!(result.variants.is_empty());
}

#[test]
fn an_invalid_plan_is_refused_with_its_reason() {
    let mut plan = small_plan(vec![Variant::F32Naive]);
    plan.machine_label.clear();
    let err = BenchSession::new(plan).err().unwrap();
    assert!(err.to_string().contains("label"), "{err}");
}

#[test]
fn ab_run_interleaves_two_variants_with_a_seeded_split() {
    use inferbench::plan::{AbSettings, Arm};
    let ab = AbSettings {
        a: Variant::F32Naive,
        b: Variant::F32Fast,
        scenario: Scenario::SingleStream,
        share_b: 0.5,
        seed: 42,
    };
    let run = |seed: u64| {
        let mut plan = small_plan(vec![Variant::F32Naive]);
        plan.scenarios
            .retain(|s| s.scenario() == Scenario::SingleStream);
        plan.scenarios[0].min_query_count = 400;
        plan.ab_test = Some(AbSettings { seed, ..ab });
        let mut session = BenchSession::new(plan).unwrap();
        assert_eq!(
            session.tasks().last(),
            Some(&TaskKind::AbTest {
                a: Variant::F32Naive,
                b: Variant::F32Fast,
                scenario: Scenario::SingleStream
            })
        );
        // A real clock, so that latencies vary and the statistics are defined.
        let clock = inferbench::loadgen::clock::StdClock::new();
        loop {
            match session.step(&clock, Duration::from_millis(20)).unwrap() {
                BenchStep::Finished => break,
                BenchStep::WaitUntil(t) => inferbench::loadgen::driver::spin_until(&clock, t),
                BenchStep::Progress(_) => {}
            }
        }
        session.finish(environment(), None)
    };
    let result = run(42);
    let report = inferbench::report::render_markdown(&result);
    let first = result.ab_test.expect("the A/B run is in the result");
    let section = report
        .split("## A/B run\n\n")
        .nth(1)
        .expect("the report has an A/B section");
    assert!(
        section.contains("f32-naive (A) and f32-fast (B) served one SingleStream run together"),
        "{section}"
    );
    assert!(section.contains(&format!("Verdict: {}", first.sentence().unwrap())));
    assert_eq!(first.arms.len(), first.run.queries.len());
    assert_eq!(first.run.queries.len(), 400);
    let b_count = first.arms.iter().filter(|a| **a == Arm::B).count();
    assert!((150..=250).contains(&b_count), "B got {b_count} of 400");
    let c = first
        .comparison
        .as_ref()
        .expect("both arms have varying latencies");
    assert_eq!(c.baseline.n + c.candidate.n, 400);
    assert_eq!(c.candidate.n, b_count);
    assert!(first.sentence().unwrap().contains("f32-fast"));
    // The same seed gives the same assignment; another seed another one.
    assert_eq!(run(42).ab_test.unwrap().arms, first.arms);
    assert_ne!(run(43).ab_test.unwrap().arms, first.arms);
}

#[test]
fn mlperf_offline_with_a_very_fast_calibration_starts_within_the_limits() {
    // A scripted clock that never moves makes the calibration report the largest rate; under
    // MLPerf's 600 s minimum that would size an impossible query. The session clamps it.
    let mut plan = BenchPlan::from_preset(
        PlanPreset::Mlperf,
        "fast machine",
        vec![Variant::F32Fast],
        &[Scenario::Offline],
    )
    .with_model(ModelPreset::Tiny);
    plan.train.epochs = 1;
    plan.accuracy_mode = false;
    let mut session = BenchSession::new(plan).unwrap();
    let clock = ManualClock::new();
    let mut steps = 0;
    drive(&mut session, &clock, |s, task| {
        if matches!(task, TaskKind::Scenario { .. }) {
            steps += 1;
            if steps == 3 {
                s.cancel();
            }
        }
    });
    let result = session.finish(environment(), None);
    let run = &result.variants[0].runs[0].run;
    let expected = run.settings.offline_sample_count().unwrap();
    assert!(
        expected <= inferbench::loadgen::settings::MAX_QUERY_COUNT,
        "{expected}"
    );
    assert!(!run.validity.valid, "cancelled");
}

/// `plan`'s session with the clock check, on a timer that ticks every 1 us.
fn checked_session(plan: BenchPlan) -> BenchSession {
    let timer = TimerResolution {
        resolution_ms: Some(0.001),
        reads: 10,
        distinct_values: 10,
    };
    BenchSession::new(plan)
        .unwrap()
        .with_timer_resolution(timer)
        .with_clock_check()
}

/// Steps `session` to its end on `clock` (5 ms steps, jumping to each wait), handing each
/// progress to `on_progress`.
fn drive_on(
    session: &mut BenchSession,
    clock: &super::view_support::SteppingClock,
    mut on_progress: impl FnMut(BenchProgress),
) {
    loop {
        match session.step(clock, Duration::from_millis(5)).unwrap() {
            BenchStep::Progress(p) => on_progress(p),
            BenchStep::WaitUntil(t) => clock.jump(t),
            BenchStep::Finished => break,
        }
    }
}

/// A synthetic system's timer-limited runs are cross-checked on the synthetic system itself
/// (a `--sut null` run on the CLI, which checks the clock, panicked there: the cross-check
/// looked for a variant's classifier).
#[test]
fn a_synthetic_systems_timer_limited_runs_are_cross_checked_on_it() {
    use inferbench::loadgen::synthetic::SyntheticSut;
    let clock = super::view_support::SteppingClock::new(7);
    let plan =
        super::view_support::plan(vec![Variant::F32Naive]).with_synthetic_sut(SyntheticSut::Null);
    let mut session = checked_session(plan);
    assert_eq!(session.tasks()[0], TaskKind::ClockCheck);
    drive_on(&mut session, &clock, |_| {});
    let result = session.finish(environment(), None);
    let single = result.variants[0]
        .run(Scenario::SingleStream)
        .expect("the SingleStream run");
    assert!(single.run.validity.timer_limited.is_some());
    assert!(
        single.cross_check.is_some(),
        "the timer-limited run was cross-checked"
    );
}

/// With the clock check: the check runs after training (reported as such), its findings go
/// into the environment and every run's dither verdict, and each timer-limited run is
/// cross-checked on its own samples.
#[test]
fn a_checked_session_checks_the_clock_and_cross_checks_timer_limited_runs() {
    use inferbench::bench::timer_checks::CheckKind;
    use inferbench::loadgen::timing_check::Dither;

    // Every reading moves the clock 7 us and the timer ticks every 1 us: queries read 7 us,
    // 7 ticks, timer-limited; the busy loop of the clock check never shows on this clock.
    let clock = super::view_support::SteppingClock::new(7);
    let plan = super::view_support::plan(vec![Variant::F32Naive]);
    let mut session = checked_session(plan);
    assert_eq!(
        session.tasks()[..2],
        [TaskKind::Training, TaskKind::ClockCheck]
    );
    let mut kinds = Vec::new();
    drive_on(&mut session, &clock, |p| {
        if let Some(c) = p.check {
            assert!((0.0..=1.0).contains(&c.fraction_done));
            if kinds.last() != Some(&c.kind) {
                kinds.push(c.kind);
            }
        }
    });
    assert_eq!(kinds.first(), Some(&CheckKind::CrossCheck));
    let check = *session.clock_check().expect("the clock was checked");
    assert_eq!(check.dither, Dither::NotMeasured);
    let result = session.finish(environment(), None);
    assert_eq!(result.environment.clock_check, Some(check));
    let runs = &result.variants[0].runs;
    for r in runs {
        assert_eq!(r.run.clock_dither, Some(Dither::NotMeasured));
        let limited = r.run.validity.timer_limited.is_some();
        if matches!(
            r.run.scenario,
            Scenario::SingleStream | Scenario::MultiStream
        ) {
            assert!(limited, "{}", r.run.scenario);
        }
        // Offline's latencies run from t = 0: never timer-limited, never cross-checked.
        assert_eq!(r.cross_check.is_some(), limited, "{}", r.run.scenario);
    }
    // SingleStream: every reading is 7 us, one by one and in groups alike.
    let ss = runs[0].cross_check.expect("cross-checked");
    let close = |x: f64| (x - 0.007).abs() < 1e-12;
    assert!(close(ss.run_mean_ms), "{ss:?}");
    assert!(close(ss.times.per_query_mean_ms), "{ss:?}");
    assert!(close(ss.times.batch_mean_ms), "{ss:?}");
    assert!(ss.times.difference_ms.abs() < 1e-12);
    assert!(ss.agrees());
    // Groups of at least 100 ticks: 15 queries of 7 ticks.
    assert_eq!(ss.times.calls_per_group, 15);
}

#[test]
fn the_runs_share_the_results_query_budget() {
    // A budget of 4,000 queries for 2 variants x 4 scenarios; every SingleStream and
    // MultiStream run would take 10,000 (no minimum duration, so its count decides).
    let mut plan = small_plan(vec![Variant::F32Naive, Variant::F32Fast]);
    for s in &mut plan.scenarios {
        if matches!(s.scenario(), Scenario::SingleStream | Scenario::MultiStream) {
            s.min_query_count = 10_000;
        }
    }
    let clock = ManualClock::new();
    let mut session = BenchSession::new(plan).unwrap().with_query_budget(4_000);
    drive(&mut session, &clock, |_, _| {});
    let result = session.finish(environment(), None);
    assert!(result.query_count() <= 4_000, "{}", result.query_count());
    let runs: Vec<_> = result.variants.iter().flat_map(|v| &v.runs).collect();
    // The first run gets its share: (4,000 less the accuracy batches) / 8 runs.
    let first = &runs[0].run;
    assert_eq!(
        first.stop_reason,
        inferbench::loadgen::StopReason::QueryLimit
    );
    assert!(
        (480..=500).contains(&first.queries.len()),
        "{}",
        first.queries.len()
    );
    // Its minimum query count is not met, and the result says the limit stopped it.
    assert!(!first.validity.valid);
    let said = first
        .validity
        .reasons
        .iter()
        .map(|r| r.recommendation())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("It stopped at its share of the 10,000,000 queries InferBench keeps"),
        "{said}"
    );
    // Server and Offline need fewer than their share: the runs after them get more.
    let last_stream = runs
        .iter()
        .rev()
        .find(|r| r.run.scenario == Scenario::MultiStream)
        .unwrap();
    assert!(last_stream.run.queries.len() > first.queries.len());
    // The result reads back.
    assert_eq!(read_result(&to_json(&result)).unwrap(), result);
}

#[test]
fn an_imported_model_runs_every_variant_and_scenario_with_pythons_accuracy() {
    let imported = super::byom_support::import_fixture("sequential-mlp.safetensors");
    let info = imported.info.clone();
    let plan = small_plan(Variant::ALL.to_vec()).with_model_file(info.clone());
    let plan_split_seed = plan.split_seed;
    // Nothing to train: the worker's clock check comes first.
    let checked = BenchSession::with_model(plan.clone(), imported.model.clone())
        .unwrap()
        .with_clock_check();
    assert_eq!(checked.tasks()[0], TaskKind::ClockCheck);
    assert_eq!(checked.tasks().len(), 4 * 5 + 1);
    let mut session = BenchSession::with_model(plan, imported.model).unwrap();
    assert!(!session.tasks().contains(&TaskKind::Training));
    assert_eq!(session.tasks().len(), 4 * 5);
    let clock = ManualClock::new();
    drive(&mut session, &clock, |_, _| {});
    let result = session.finish(environment(), None);
    assert_eq!(result.status, RunStatus::Completed);
    assert_eq!(result.plan.model_file.as_ref(), Some(&info));
    assert_eq!(
        result.model.fingerprint.as_deref(),
        Some(info.fingerprint.as_str())
    );
    assert_eq!(result.model.description, info.description);
    assert_eq!(result.model.training.total_steps, 0);
    assert_eq!(result.variants.len(), 4);
    for v in &result.variants {
        assert_eq!(v.runs.len(), 4, "{}: every scenario", v.variant);
        let top1 = v.top1().expect("accuracy measured on the digits");
        if matches!(v.variant, Variant::F32Naive | Variant::F32Fast) {
            // scripts/gen_byom_fixtures.py printed "test accuracy: 0.9833 (353 of 359)".
            let acc = v.accuracy.as_ref().unwrap().accuracy.unwrap();
            assert_eq!((acc.correct, acc.total), (353, 359), "{}", v.variant);
        } else if v.variant == Variant::Int8 {
            assert!(top1 > 0.9, "{} {top1}", v.variant);
        } else {
            // pruned without fine-tuning costs a two-layer model much of its accuracy: the
            // session measures what its dense equivalent gives.
            let dense = inferbench::model::pruned::magnitude_prune(
                &super::byom_support::import_fixture("sequential-mlp.safetensors").model,
                inferbench::model::pruned::PruningSparsity::default(),
            );
            let data = inferbench::model::dataset::embedded_digits().unwrap();
            let test = inferbench::model::split::split_dataset(&data, 0.2, plan_split_seed)
                .unwrap()
                .test;
            let mut naive = inferbench::model::variant::build(Variant::F32Naive, &dense);
            let expected = inferbench::model::variant::accuracy(naive.as_mut(), &test);
            assert!(
                (top1 - expected).abs() < 1e-12,
                "{} {top1} vs {expected}",
                v.variant
            );
        }
    }
    let report = inferbench::report::render_markdown(&result);
    assert!(
        report.contains("The imported model `sequential-mlp.safetensors`"),
        "{report}"
    );
    assert!(report.contains("imported from `sequential-mlp.safetensors`"));
    assert!(report.contains(&info.fingerprint));
    assert!(!report.contains("training did not start"));
    let back: BenchResult = read_result(&to_json(&result)).unwrap();
    assert_eq!(back, result);
    // The new fields are documented (the schema test reads the committed fixtures only).
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/result-schema.md"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&to_json(&result)).unwrap();
    let file = json["plan"]["model_file"].as_object().unwrap();
    let keys = file.keys().map(String::as_str);
    for key in keys.chain(["model_file", "fingerprint", "samples"]) {
        assert!(doc.contains(&format!("`{key}`")), "{key} is not documented");
    }
    for value in [
        "\"digits_test_split\"",
        "\"synthetic\"",
        "\"out_in\"",
        "\"in_out\"",
        "\"F32\"",
    ] {
        assert!(doc.contains(value), "{value} is not documented");
    }
}

#[test]
fn a_model_of_another_shape_runs_on_synthetic_inputs_without_accuracy() {
    use inferbench::model::synthetic::{PerformanceSamples, SYNTHETIC_SAMPLES};
    let imported = super::byom_support::import_fixture("other-shape.safetensors");
    let plan = small_plan(vec![Variant::F32Naive]).with_model_file(imported.info.clone());
    assert!(plan.accuracy_mode, "asked for, but there are no labels");
    let mut session = BenchSession::with_model(plan.clone(), imported.model.clone()).unwrap();
    assert_eq!(session.tasks().len(), 4, "no training, no accuracy task");
    assert_eq!(session.test_samples(), SYNTHETIC_SAMPLES);
    let clock = ManualClock::new();
    drive(&mut session, &clock, |_, _| {});
    let result = session.finish(environment(), None);
    assert_eq!(
        result.model.samples,
        PerformanceSamples::Synthetic {
            samples: SYNTHETIC_SAMPLES,
            width: 20,
            seed: plan.seeds.model_init
        }
    );
    let v = &result.variants[0];
    assert!(v.accuracy.is_none() && v.top1().is_none());
    assert_eq!(v.runs.len(), 4);
    let report = inferbench::report::render_markdown(&result);
    assert!(
        report.contains("Accuracy was not measured: the model takes 20 inputs and gives 3 classes"),
        "{report}"
    );
    // Every variant's kernel takes this shape.
    let all = small_plan(Variant::ALL.to_vec()).with_model_file(imported.info.clone());
    assert!(BenchSession::with_model(all, imported.model).is_ok());
}

#[test]
fn a_session_needs_the_model_its_plan_names() {
    let imported = super::byom_support::import_fixture("sequential-mlp.safetensors");
    let other = super::byom_support::import_fixture("sequential-mlp-f16.safetensors");
    let plan = small_plan(vec![Variant::F32Naive]).with_model_file(imported.info.clone());
    let err = BenchSession::new(plan.clone()).err().unwrap();
    assert!(err
        .to_string()
        .contains("its weights were not given: load the model file again"));
    let err = BenchSession::with_model(plan, other.model).err().unwrap();
    assert!(err.to_string().contains("is not the one the plan names"));
    let err = BenchSession::with_model(small_plan(vec![Variant::F32Naive]), imported.model)
        .err()
        .unwrap();
    assert!(err
        .to_string()
        .contains("the plan does not name a model file"));
}
