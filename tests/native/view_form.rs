//! The setup form: presets, edits, and validation into a plan or a message per field.

use inferbench::loadgen::settings::{Scenario, Seeds, TestSettings};
use inferbench::model::dataset::embedded_digits;
use inferbench::model::split::{split_dataset, DEFAULT_SPLIT_SEED};
use inferbench::model::{ModelPreset, TrainConfig, Variant};
use inferbench::plan::limits::{DIGITS_TEST_SAMPLES, TEST_FRACTION};
use inferbench::plan::PlanPreset;
use inferbench::view::form::{plan_summary, Field, FormEdit, Param, SetupForm};
use inferbench::view::machine::{browser_name, default_machine_label, os_name, FALLBACK_LABEL};

const TEST_SAMPLES: usize = DIGITS_TEST_SAMPLES;

fn labelled() -> SetupForm {
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Label("Lab 3".into()));
    form
}

fn param(s: Scenario, p: Param) -> Field {
    Field::Param(s, p)
}

#[test]
fn the_quick_form_needs_only_a_label() {
    let form = SetupForm::new(PlanPreset::Quick);
    assert_eq!(form.param(Scenario::Server, Param::TargetQps), "200");
    assert_eq!(form.param(Scenario::Offline, Param::MinDurationMs), "1000");
    assert_eq!(form.param(Scenario::Offline, Param::MaxQueryCount), "");
    let check = form.check(TEST_SAMPLES);
    assert!(check.plan.is_none());
    assert_eq!(check.errors.len(), 1, "{:?}", check.errors);
    assert_eq!(
        check.error(Field::Label),
        Some("Type a label for this machine (e.g. \"Alice's laptop\"): results are compared by it")
    );

    let check = labelled().check(TEST_SAMPLES);
    let plan = check.plan.expect("valid");
    assert_eq!(plan.machine_label, "Lab 3");
    assert_eq!(plan.variants, vec![Variant::F32Naive, Variant::F32Fast]);
    assert_eq!(plan.model, ModelPreset::Default);
    assert!(plan.accuracy_mode && plan.calibrate_offline && plan.peak_search.is_none());
    for (s, settings) in Scenario::ALL.iter().zip(&plan.scenarios) {
        let expected = TestSettings {
            seeds: plan.seeds,
            ..TestSettings::quick(*s)
        };
        assert_eq!(settings, &expected);
    }
    assert_eq!(
        check.summary.as_deref(),
        Some(
            "12 tasks, at least 17 s plus training and a clock check: for each of 2 variants, \
             accuracy mode and 4 scenarios."
        )
    );
}

#[test]
fn the_mlperf_preset_loads_the_official_values() {
    let mut form = labelled();
    form.apply(FormEdit::Preset(PlanPreset::Mlperf));
    assert_eq!(form.preset, PlanPreset::Mlperf);
    assert_eq!(
        form.param(Scenario::SingleStream, Param::MinDurationMs),
        "600000"
    );
    assert_eq!(form.param(Scenario::Offline, Param::MinQueryCount), "24576");
    let plan = form.check(TEST_SAMPLES).plan.expect("valid");
    assert_eq!(plan.preset, PlanPreset::Mlperf);
    assert_eq!(plan.scenarios[2].min_duration_ms, 600_000);
    assert!(
        plan_summary(&plan).contains("at least 82 min"),
        "{}",
        plan_summary(&plan)
    );
}

#[test]
fn editing_a_parameter_makes_the_preset_custom() {
    let mut form = labelled();
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "200".into(),
    ));
    assert_eq!(
        form.preset,
        PlanPreset::Quick,
        "the same value changes nothing"
    );
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "1,500".into(),
    ));
    assert_eq!(form.preset, PlanPreset::Custom);
    assert_eq!(
        form.check(TEST_SAMPLES)
            .error(param(Scenario::Server, Param::TargetQps)),
        Some("\"1,500\": write numbers without commas (1500, or 12.5 with a decimal point).")
    );
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "200".into(),
    ));
    assert_eq!(
        form.preset,
        PlanPreset::Quick,
        "back to the preset's values"
    );
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        " 1_500 ".into(),
    ));
    assert_eq!(form.preset, PlanPreset::Custom);
    let plan = form.check(TEST_SAMPLES).plan.expect("valid");
    assert_eq!(plan.preset, PlanPreset::Custom);
    match plan.scenarios[2].scenario {
        inferbench::loadgen::settings::ScenarioSettings::Server(s) => {
            assert_eq!(s.target_qps, 1500.0)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_wrong_field_gets_its_own_message() {
    let mut form = SetupForm::new(PlanPreset::Quick);
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "fast".into(),
    ));
    form.apply(FormEdit::Param(
        Scenario::SingleStream,
        Param::MinQueryCount,
        "1.5".into(),
    ));
    form.apply(FormEdit::Param(
        Scenario::MultiStream,
        Param::MaxDurationMs,
        "1000".into(),
    ));
    form.apply(FormEdit::Param(
        Scenario::Offline,
        Param::BatchSize,
        "0".into(),
    ));
    form.apply(FormEdit::Seed("x".into()));
    let check = form.check(TEST_SAMPLES);
    assert!(check.plan.is_none());
    assert_eq!(
        check.error(param(Scenario::Server, Param::TargetQps)),
        Some("\"fast\" is not a number: type one like 200 or 12.5.")
    );
    assert_eq!(
        check.error(param(Scenario::SingleStream, Param::MinQueryCount)),
        Some("\"1.5\" is not a whole number: type digits only.")
    );
    assert_eq!(
        check.error(param(Scenario::MultiStream, Param::MaxDurationMs)),
        Some(
            "MultiStream: min_duration_ms (2000) is larger than max_duration_ms (1000): raise \
             max_duration_ms, lower min_duration_ms, or set max_duration_ms to 0 for no limit"
        )
    );
    assert_eq!(
        check.error(param(Scenario::Offline, Param::BatchSize)),
        Some("Offline: scenario.batch_size is 0: it must be at least 1; set it to 1 or more")
    );
    assert!(check
        .error(Field::Seed)
        .unwrap()
        .starts_with("The seed is a whole number"));
    assert!(check.error(Field::Label).is_some());
    assert_eq!(check.errors.len(), 6, "{:?}", check.errors);
}

#[test]
fn a_rate_of_zero_is_refused_by_the_core_rule() {
    let mut form = labelled();
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "0".into(),
    ));
    let check = form.check(TEST_SAMPLES);
    let message = check
        .error(param(Scenario::Server, Param::TargetQps))
        .unwrap();
    assert!(
        message.starts_with("Server: scenario.target_qps is 0"),
        "{message}"
    );
    // An unticked scenario is not validated.
    form.apply(FormEdit::Scenario(Scenario::Server, false));
    assert!(form.check(TEST_SAMPLES).plan.is_some());
}

#[test]
fn selections_are_checked() {
    let mut form = labelled();
    form.apply(FormEdit::Variant(Variant::F32Naive, false));
    form.apply(FormEdit::Variant(Variant::F32Fast, false));
    assert_eq!(
        form.check(TEST_SAMPLES).error(Field::Variants),
        Some("Select at least one model variant")
    );
    let mut form = labelled();
    for s in Scenario::ALL {
        form.apply(FormEdit::Scenario(s, false));
    }
    let plan = form
        .check(TEST_SAMPLES)
        .plan
        .expect("accuracy mode alone is a plan");
    assert!(plan.scenarios.is_empty());
    form.apply(FormEdit::AccuracyMode(false));
    assert_eq!(
        form.check(TEST_SAMPLES).error(Field::Scenarios),
        Some("Select at least one scenario, or accuracy mode")
    );
    let mut form = labelled();
    form.apply(FormEdit::PeakSearch(true));
    assert!(form.check(TEST_SAMPLES).plan.is_some());
    form.apply(FormEdit::Scenario(Scenario::Server, false));
    assert_eq!(
        form.check(TEST_SAMPLES).error(Field::PeakSearch),
        Some("The peak-QPS search runs the Server scenario: select Server too")
    );
}

#[test]
fn the_baseline_runs_first_and_follows_the_selection() {
    let mut form = labelled();
    form.apply(FormEdit::Variant(Variant::Int8, true));
    form.apply(FormEdit::Baseline(Variant::Int8));
    assert_eq!(
        form.ordered_variants(),
        vec![Variant::Int8, Variant::F32Naive, Variant::F32Fast]
    );
    form.apply(FormEdit::Variant(Variant::Int8, false));
    assert_eq!(form.baseline, Variant::F32Naive);
    form.apply(FormEdit::Baseline(Variant::Pruned));
    assert!(
        form.variants.contains(&Variant::Pruned),
        "choosing a baseline ticks it"
    );
}

#[test]
fn seeds_are_mlperfs_or_the_typed_one() {
    let mut form = labelled();
    let plan = form.check(TEST_SAMPLES).plan.unwrap();
    assert_eq!(
        plan.seeds,
        Seeds {
            model_init: TrainConfig::for_preset(ModelPreset::Default).seed,
            ..Seeds::MLPERF
        }
    );
    form.apply(FormEdit::Seed(" 42 ".into()));
    let plan = form.check(TEST_SAMPLES).plan.unwrap();
    assert_eq!(plan.seeds, Seeds::all(42));
    assert_eq!(plan.train.seed, 42);
    assert!(plan.scenarios.iter().all(|s| s.seeds == Seeds::all(42)));
}

#[test]
fn fields_have_stable_ids() {
    assert_eq!(Field::Label.id(), "field-label");
    assert_eq!(
        param(Scenario::Server, Param::TargetQps).id(),
        "field-server-target-qps"
    );
    assert_eq!(
        param(Scenario::SingleStream, Param::MinDurationMs).id(),
        "field-singlestream-min-duration-ms"
    );
    assert!(!Param::MaxQueryCount.applies_to(Scenario::Offline));
    assert!(Param::SamplesPerQuery.applies_to(Scenario::MultiStream));
    assert!(!Param::SamplesPerQuery.applies_to(Scenario::Server));
}

#[test]
fn the_assumed_power_is_optional_and_checked() {
    let mut form = labelled();
    assert_eq!(
        form.check(TEST_SAMPLES).plan.unwrap().assumed_power_watts,
        None
    );
    form.apply(FormEdit::Power("45 W".into()));
    assert_eq!(
        form.check(TEST_SAMPLES).plan.unwrap().assumed_power_watts,
        Some(45.0)
    );
    for (text, says) in [
        ("lots", "type the machine's power draw in watts"),
        ("0", "use a figure above 0 and at most 2000 W"),
        ("-5", "use a figure above 0 and at most 2000 W"),
        ("5000", "use a figure above 0 and at most 2000 W"),
    ] {
        form.apply(FormEdit::Power(text.into()));
        let check = form.check(TEST_SAMPLES);
        assert!(check.plan.is_none(), "{text}");
        let message = check.error(Field::Power).unwrap_or_default();
        assert!(message.contains(says), "{text}: {message}");
    }
    assert_eq!(Field::Power.id(), "field-power");
}

#[test]
fn the_page_validates_against_the_real_test_split_size() {
    // The page holds no data set (its worker does): its constant must be the split's size.
    let digits = embedded_digits().unwrap();
    let split = split_dataset(&digits, TEST_FRACTION, DEFAULT_SPLIT_SEED).unwrap();
    assert_eq!(split.test.len(), DIGITS_TEST_SAMPLES);
}

#[test]
fn a_default_label_makes_the_fresh_form_runnable_and_shows_no_error() {
    let form = SetupForm::with_label(PlanPreset::Quick, "Chrome 156 · Linux · 2 cores");
    let check = form.check(TEST_SAMPLES);
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    let plan = check.plan.as_ref().expect("Run works at once");
    assert_eq!(plan.machine_label, "Chrome 156 · Linux · 2 cores");
    assert!(form.run_hint(&check).starts_with("12 tasks, at least 17 s"));
    assert!(!form.advanced_open, "Advanced is folded at first");
}

#[test]
fn errors_show_on_touched_fields_and_run_says_what_stops_it() {
    // A fresh form without a label: invalid, but no field shows a message yet...
    let mut form = SetupForm::new(PlanPreset::Quick);
    let check = form.check(TEST_SAMPLES);
    assert!(check.error(Field::Label).is_some());
    assert_eq!(form.shown_error(&check, Field::Label), None);
    // ...while the line next to Run names the problem.
    assert_eq!(
        form.run_hint(&check),
        "To run, fix Machine label: Type a label for this machine (e.g. \"Alice's laptop\"): \
         results are compared by it"
    );
    // Typing in a field shows its message; an untouched field stays quiet.
    form.apply(FormEdit::Param(
        Scenario::Server,
        Param::TargetQps,
        "fast".into(),
    ));
    let check = form.check(TEST_SAMPLES);
    let qps = param(Scenario::Server, Param::TargetQps);
    assert!(form
        .shown_error(&check, qps)
        .unwrap()
        .contains("not a number"));
    assert_eq!(form.shown_error(&check, Field::Label), None);
    assert_eq!(
        form.run_hint(&check),
        format!(
            "To run, fix Machine label: {} (1 more field to fix)",
            check.error(Field::Label).unwrap()
        )
    );
    form.apply(FormEdit::Label("Lab 3".into()));
    let check = form.check(TEST_SAMPLES);
    assert_eq!(
        form.run_hint(&check),
        format!(
            "To run, fix Server Target QPS (under Advanced): {}",
            check.error(qps).unwrap()
        )
    );
    // Clearing the label now shows its message next to it.
    form.apply(FormEdit::Label(String::new()));
    let check = form.check(TEST_SAMPLES);
    assert!(form.shown_error(&check, Field::Label).is_some());
    // An edit of one field can make another wrong: unticking Server with the peak search on.
    let mut form = labelled();
    form.apply(FormEdit::PeakSearch(true));
    form.apply(FormEdit::Scenario(Scenario::Server, false));
    let check = form.check(TEST_SAMPLES);
    assert!(form.shown_error(&check, Field::PeakSearch).is_some());
}

#[test]
fn the_custom_preset_keeps_the_settings_and_opens_advanced() {
    let mut form = labelled();
    form.apply(FormEdit::Preset(PlanPreset::Mlperf));
    form.apply(FormEdit::Preset(PlanPreset::Custom));
    assert_eq!(form.preset, PlanPreset::Custom);
    assert!(form.advanced_open);
    assert_eq!(
        form.param(Scenario::SingleStream, Param::MinDurationMs),
        "600000",
        "the MLPerf values are kept to be edited"
    );
    form.apply(FormEdit::Advanced(false));
    assert!(!form.advanced_open);
    form.apply(FormEdit::Preset(PlanPreset::Quick));
    assert_eq!(
        form.param(Scenario::SingleStream, Param::MinDurationMs),
        "2000"
    );
    assert!(form.check(TEST_SAMPLES).plan.is_some());
}

#[test]
fn the_default_label_names_the_browser_the_system_and_the_cores() {
    let cases = [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/156.0.0.0 Safari/537.36",
            Some(2),
            "Chrome 156 · Linux · 2 cores",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
             HeadlessChrome/156.0.0.0 Safari/537.36",
            Some(8),
            "Headless Chrome 156 · Linux · 8 cores",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
            Some(16),
            "Edge 131 · Windows · 16 cores",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0",
            Some(1),
            "Firefox 128 · macOS · 1 core",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like \
             Gecko) Version/17.4 Safari/605.1.15",
            None,
            "Safari 17 · macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, \
             like Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1",
            Some(6),
            "Chrome 122 · iOS · 6 cores",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/124.0.0.0 Mobile Safari/537.36",
            Some(9),
            "Chrome 124 · Android · 9 cores",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/120.0.0.0 Safari/537.36",
            Some(4),
            "Chrome 120 · ChromeOS · 4 cores",
        ),
        ("", Some(4), "4 cores"),
        ("something else entirely", None, FALLBACK_LABEL),
    ];
    for (ua, cores, want) in cases {
        let label = default_machine_label(Some(ua), cores);
        assert_eq!(label, want, "{ua}");
        // Every default is a label the form accepts.
        let form = SetupForm::with_label(PlanPreset::Quick, label);
        assert!(form.check(TEST_SAMPLES).plan.is_some(), "{want}");
    }
    assert_eq!(default_machine_label(None, None), FALLBACK_LABEL);
    assert_eq!(default_machine_label(None, Some(0)), FALLBACK_LABEL);
    assert_eq!(
        browser_name("Opera OPR/110.0.0.0 Chrome/124"),
        Some("Opera 110".into())
    );
    assert_eq!(
        os_name("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X)"),
        Some("iPadOS")
    );
}
