//! A/B mode in the page: the Setup form's A/B fieldset and its messages, and the Results
//! section's A/B panel (verdict, queries per arm, per-arm summary, CDF).

use inferbench::loadgen::settings::{Scenario, Seeds};
use inferbench::loadgen::QueryRecord;
use inferbench::model::Variant;
use inferbench::plan::ab::{AbMeasure, AbResult, AbSettings, Arm};
use inferbench::plan::PlanPreset;
use inferbench::plot::Chart;
use inferbench::report::verdict_text::AbSentence;
use inferbench::stats::Summary;
use inferbench::view::ab::ab_panel;
use inferbench::view::form::{Field, FormEdit, SetupForm};
use inferbench::view::units::{latency, latency_ci};

use super::view_support;

const TEST_SAMPLES: usize = 359;

fn form_with_ab() -> SetupForm {
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    form.apply(FormEdit::AbEnabled(true));
    form
}

#[test]
fn the_ab_run_is_off_by_default_and_adds_a_task() {
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    assert!(!form.ab.enabled);
    assert_eq!(form.check(TEST_SAMPLES).plan.unwrap().ab_test, None);

    let check = form_with_ab().check(TEST_SAMPLES);
    let plan = check.plan.expect("the defaults are valid");
    let seeds = plan.seeds;
    assert_eq!(
        plan.ab_test,
        Some(AbSettings {
            a: Variant::F32Naive,
            b: Variant::F32Fast,
            scenario: Scenario::SingleStream,
            share_b: 0.5,
            // The plan's schedule seed by default.
            seed: seeds.schedule,
        })
    );
    assert_eq!(
        check.summary.as_deref(),
        Some(
            "13 tasks, at least 19 s plus training and a clock check: for each of 2 variants, \
             accuracy mode and 4 scenarios, then an A/B run of f32-fast against f32-naive \
             (SingleStream)."
        )
    );

    let mut form = form_with_ab();
    form.apply(FormEdit::AbA(Variant::Int8));
    form.apply(FormEdit::AbB(Variant::Pruned));
    form.apply(FormEdit::AbScenario(Scenario::Server));
    form.apply(FormEdit::AbShare(" 25 % ".into()));
    form.apply(FormEdit::AbSeed("42".into()));
    form.apply(FormEdit::Seed("9".into()));
    let plan = form.check(TEST_SAMPLES).plan.unwrap();
    assert_eq!(plan.seeds, Seeds::all(9));
    assert_eq!(
        plan.ab_test,
        Some(AbSettings {
            a: Variant::Int8,
            b: Variant::Pruned,
            scenario: Scenario::Server,
            share_b: 0.25,
            seed: 42,
        })
    );
    // Switched off again: no A/B run, whatever its fields hold.
    form.apply(FormEdit::AbShare("oops".into()));
    form.apply(FormEdit::AbEnabled(false));
    assert_eq!(form.check(TEST_SAMPLES).plan.unwrap().ab_test, None);
}

#[test]
fn each_wrong_ab_field_gets_a_message_next_to_it() {
    let message = |edits: Vec<FormEdit>, field: Field| {
        let mut form = form_with_ab();
        for e in edits {
            form.apply(e);
        }
        let check = form.check(TEST_SAMPLES);
        assert!(check.plan.is_none(), "{:?}", check.plan);
        check.error(field).map(str::to_string).unwrap_or_else(|| {
            panic!("no message at {field:?}: {:?}", check.errors);
        })
    };
    assert_eq!(
        message(vec![FormEdit::AbB(Variant::F32Naive)], Field::AbTest),
        "The A/B run needs two different variants, got f32-naive twice"
    );
    assert_eq!(
        message(
            vec![FormEdit::Scenario(Scenario::SingleStream, false)],
            Field::AbTest
        ),
        "The A/B run uses the SingleStream settings: select the SingleStream scenario too"
    );
    assert_eq!(
        message(vec![FormEdit::AbScenario(Scenario::Offline)], Field::AbTest),
        "The A/B run interleaves queries: use SingleStream, MultiStream or Server, not Offline"
    );
    for share in ["0", "100", "150", "-5"] {
        assert!(
            message(vec![FormEdit::AbShare(share.into())], Field::AbShare)
                .contains("strictly between 0 and 100"),
            "{share}"
        );
    }
    assert_eq!(
        message(vec![FormEdit::AbShare("half".into())], Field::AbShare),
        "\"half\": type the share of queries for B in percent, e.g. 50."
    );
    assert_eq!(
        message(vec![FormEdit::AbShare("".into())], Field::AbShare),
        "\"\": type the share of queries for B in percent, e.g. 50."
    );
    assert!(message(vec![FormEdit::AbSeed("-1".into())], Field::AbSeed)
        .starts_with("The A/B seed is a whole number from 0 to "));
    // Two wrong fields: two messages.
    let mut form = form_with_ab();
    form.apply(FormEdit::AbShare("0".into()));
    form.apply(FormEdit::AbSeed("x".into()));
    let check = form.check(TEST_SAMPLES);
    assert!(check.error(Field::AbShare).is_some() && check.error(Field::AbSeed).is_some());
    assert_eq!(Field::AbShare.id(), "field-ab-share");
    assert_eq!(Field::AbSeed.id(), "field-ab-seed");
    assert_eq!(Field::AbTest.id(), "field-ab-test");
}

#[test]
fn the_ab_panel_shows_the_verdict_the_arms_and_their_cdf() {
    let mut result = view_support::result();
    assert!(ab_panel(&result).is_none(), "no A/B run asked for");
    let settings = AbSettings {
        a: Variant::F32Naive,
        b: Variant::F32Fast,
        scenario: Scenario::SingleStream,
        share_b: 0.5,
        seed: 5,
    };
    // A planned A/B run that did not run is said so.
    result.plan.ab_test = Some(settings);
    let missing = ab_panel(&result).unwrap();
    assert!(
        missing.description.contains("did not run"),
        "{}",
        missing.description
    );
    assert!(missing.arms.is_empty() && missing.chart.is_none());

    let mut run = result.variants[0]
        .run(Scenario::SingleStream)
        .unwrap()
        .run
        .clone();
    // 120 queries: every third to B, B at 0.25 ms and A at 0.5 ms.
    let arms: Vec<Arm> = (0..120)
        .map(|i| if i % 3 == 0 { Arm::B } else { Arm::A })
        .collect();
    let a_ms = view_support::spread(0.5, 80);
    let b_ms = view_support::spread(0.25, 40);
    let (mut ai, mut bi) = (0, 0);
    let latencies: Vec<f64> = arms
        .iter()
        .map(|arm| match arm {
            Arm::A => {
                ai += 1;
                a_ms[ai - 1]
            }
            Arm::B => {
                bi += 1;
                b_ms[bi - 1]
            }
        })
        .collect();
    view_support::set_latencies(&mut run, &latencies);
    let warmup = run.warmup.query_count as usize;
    let all_arms: Vec<Arm> = std::iter::repeat_n(Arm::A, warmup)
        .chain(arms.iter().copied())
        .collect();
    let ab = AbResult::new(settings, run, &all_arms);
    result.ab_test = Some(ab.clone());
    let panel = ab_panel(&result).unwrap();
    assert_eq!(
        panel.title,
        "f32-fast (B) against f32-naive (A), SingleStream"
    );
    assert_eq!(panel.queries, (80, 40));
    assert!(
        panel
            .description
            .contains("A served 80 queries, B served 40"),
        "{}",
        panel.description
    );
    assert!(panel.description.contains("probability 50%"));
    assert!(panel.description.contains("seeded with 5"));
    assert_eq!(panel.verdict, ab.sentence().unwrap());
    assert!(
        panel.verdict.starts_with("f32-fast is 2.0")
            && panel.verdict.contains("x faster than f32-naive"),
        "{}",
        panel.verdict
    );
    assert_eq!(panel.kind, Some(inferbench::stats::VerdictKind::Faster));
    // Each arm's summary, recomputed from its latencies (as recorded: whole nanoseconds).
    let (a_ms, b_ms) = ab.compared_ms();
    assert_eq!((a_ms.len(), b_ms.len()), (80, 40));
    assert!((a_ms[0] - 0.5 * 0.95).abs() < 1e-9 && (b_ms[0] - 0.25 * 0.95).abs() < 1e-9);
    for (row, sample, name) in [
        (&panel.arms[0], &a_ms, "A: f32-naive"),
        (&panel.arms[1], &b_ms, "B: f32-fast"),
    ] {
        let s = Summary::of(sample).unwrap();
        let mut sorted = sample.clone();
        sorted.sort_by(f64::total_cmp);
        let pct = |p: f64| latency(sorted[(sorted.len() as f64 * p).floor() as usize]);
        assert_eq!(row.arm, name);
        assert_eq!(row.queries, sample.len().to_string());
        assert_eq!(
            row.mean,
            latency(sample.iter().sum::<f64>() / sample.len() as f64)
        );
        assert_eq!(row.mean_ci, latency_ci(s.mean_ms, &s.mean_ci_ms));
        assert_eq!(row.p50, pct(0.5));
        assert_eq!(row.p90, pct(0.9));
        assert_eq!(row.p99, pct(0.99));
    }
    let chart = panel.chart.unwrap();
    assert_eq!(chart.id, "chart-ab-cdf");
    let Chart::Cdf(cdf) = chart.chart else {
        panic!("a CDF");
    };
    assert_eq!(cdf.series.len(), 2);
    assert_eq!(cdf.series[0].latencies_ms, a_ms);
    assert_eq!(cdf.series[1].latencies_ms, b_ms);
}

#[test]
fn a_server_ab_run_compares_service_times_not_latencies_that_share_each_others_queueing() {
    // Queries arrive every 1 ms, alternately to A (2 ms of service) and B (1 ms): the
    // server falls behind, and every query queues behind both arms' earlier queries.
    let result = view_support::result();
    let mut run = result.variants[0]
        .run(Scenario::Server)
        .unwrap()
        .run
        .clone();
    let mut free_at = 0u64;
    let mut arms = Vec::new();
    run.queries = (0..200u64)
        .map(|i| {
            let arm = if i % 2 == 0 { Arm::A } else { Arm::B };
            let base = if arm == Arm::A { 2_000_000 } else { 1_000_000 };
            let service = base + base / 100 * ((i * 37) % 11); // up to 10% more
            let scheduled = i * 1_000_000;
            let issued = scheduled.max(free_at);
            free_at = issued + service;
            arms.push(arm);
            QueryRecord::new(scheduled, issued, free_at, 1, true)
        })
        .collect();
    let warmup = run.warmup.query_count as usize;
    let all_arms: Vec<Arm> = std::iter::repeat_n(Arm::A, warmup).chain(arms).collect();
    let settings = AbSettings {
        a: Variant::F32Naive,
        b: Variant::F32Fast,
        scenario: Scenario::Server,
        share_b: 0.5,
        seed: 5,
    };
    let ab = AbResult::new(settings, run, &all_arms);
    assert_eq!(ab.measure, AbMeasure::ServiceTime);
    // Service times: B is twice as fast.
    let c = ab.comparison.as_ref().expect("comparable");
    assert!(
        (c.speedup.of_means.point - 2.0).abs() < 0.05,
        "{}",
        c.speedup.of_means.point
    );
    // Latencies would have said about 1x: each holds the other arm's service.
    let latency = |arm: Arm| {
        let v: Vec<f64> = ab
            .run
            .queries
            .iter()
            .zip(&ab.arms)
            .filter(|(_, a)| **a == arm)
            .map(|(q, _)| q.latency_ms())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let latency_ratio = latency(Arm::A) / latency(Arm::B);
    assert!(latency_ratio < 1.05, "{latency_ratio}");
    // The page and the report say what was compared, and why.
    let mut with_ab = result.clone();
    with_ab.plan.ab_test = Some(settings);
    with_ab.ab_test = Some(ab);
    let panel = ab_panel(&with_ab).unwrap();
    assert!(
        panel
            .description
            .contains("compared on their service times"),
        "{}",
        panel.description
    );
    assert!(
        matches!(&panel.chart, Some(c) if matches!(&c.chart, Chart::Cdf(d) if d.title.contains("service time")))
    );
    let report = inferbench::report::render_markdown(&with_ab);
    assert!(report.contains("Verdict (on service times)"), "{report}");
}
