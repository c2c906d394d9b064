//! Machines compared with a baseline machine, on the committed fixtures; import checks;
//! workload mismatch detection; the regression check.

use inferbench::compare::{
    regression_check, ImportSet, MachineComparison, RegressionOutcome, RegressionVerdict,
    RowStatus, Severity,
};
use inferbench::loadgen::settings::Scenario;
use inferbench::model::Variant;
use inferbench::results::analysis_sample_ms;
use inferbench::results::io::to_json;
use inferbench::stats::{holm_adjust, CompareConfig, Comparison, VerdictKind};

use super::compare_fixtures::{fixture_dir, load, MACHINES};

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap()
}

fn three_machines() -> ImportSet {
    let mut set = ImportSet::new();
    for m in &MACHINES {
        set.add(m.file_name, &fixture_text(m.file_name)).unwrap();
    }
    set
}

#[test]
fn faster_machine_is_found_faster_and_other_workloads_are_not_compared() {
    let set = three_machines();
    let config = CompareConfig {
        resamples: 2_000,
        ..CompareConfig::default()
    };
    let cmp = MachineComparison::of(&set, 0, &config).unwrap();
    assert_eq!(cmp.machines.len(), 3);
    assert_eq!(cmp.machines[0].name, "Alice's laptop");
    // Two variants x three scenarios, in the baseline's order.
    assert_eq!(cmp.groups.len(), 6);
    for g in &cmp.groups {
        assert!(matches!(g.rows[0].status, RowStatus::Baseline));
        // Bob's clock ticks 30% faster: every scenario is faster on Bob's machine.
        let RowStatus::Compared(bob) = &g.rows[1].status else {
            panic!(
                "Bob is compared in {:?} {:?}: {:?}",
                g.variant, g.scenario, g.rows[1].status
            );
        };
        assert_eq!(
            bob.comparison.verdict.kind,
            VerdictKind::Faster,
            "{}",
            bob.sentence
        );
        assert!(
            bob.sentence.starts_with("Bob's desktop is "),
            "{}",
            bob.sentence
        );
        assert!((1.2..1.6).contains(&bob.comparison.speedup.of_means.point));
        // Carol ran other seeds: listed with the differences, never compared.
        let RowStatus::WorkloadDiffers { differences } = &g.rows[2].status else {
            panic!("Carol is not compared: {:?}", g.rows[2].status);
        };
        let fields: Vec<&str> = differences.iter().map(|d| d.field.as_str()).collect();
        assert!(fields.contains(&"seeds.sample_index"), "{fields:?}");
        assert!(fields.contains(&"seeds.model_init"), "{fields:?}");
        assert!(differences.iter().all(|d| d.severity == Severity::Workload));
        assert!(g.rows.iter().all(|r| r.headline.is_some()));
    }
}

#[test]
fn p_values_are_holm_corrected_over_the_machines_compared() {
    // Bob twice (under two names) makes a family of two.
    let mut set = three_machines();
    let mut bob2 = load(&MACHINES[1]);
    bob2.machine_label = "Bob again".into();
    bob2.created_utc = Some("2026-11-21T10:00:00Z".into());
    set.add("bob-again.json", &to_json(&bob2)).unwrap();
    let config = CompareConfig {
        resamples: 500,
        ..CompareConfig::default()
    };
    let cmp = MachineComparison::of(&set, 0, &config).unwrap();
    let g = cmp
        .groups
        .iter()
        .find(|g| g.variant == Variant::F32Naive && g.scenario == Scenario::SingleStream)
        .unwrap();
    let alice = analysis_sample_ms(
        &load(&MACHINES[0]).variants[0]
            .run(Scenario::SingleStream)
            .unwrap()
            .run,
    );
    let bob = analysis_sample_ms(
        &load(&MACHINES[1]).variants[0]
            .run(Scenario::SingleStream)
            .unwrap()
            .run,
    );
    let raw = Comparison::of(&alice, &bob, &config).unwrap();
    let expected_welch = holm_adjust(&[raw.welch.p_value, raw.welch.p_value]).unwrap();
    let expected_mw = holm_adjust(&[raw.mann_whitney.p_value, raw.mann_whitney.p_value]).unwrap();
    for (row, k) in [(1, 0), (3, 1)] {
        let RowStatus::Compared(v) = &g.rows[row].status else {
            panic!("compared")
        };
        assert_eq!(v.welch_p_holm, expected_welch[k]);
        assert_eq!(v.mann_whitney_p_holm, expected_mw[k]);
        assert_eq!(v.comparison.verdict.holm_family_size, Some(2));
    }
}

#[test]
fn duplicate_and_broken_files_are_reported_and_the_rest_loads() {
    let mut set = ImportSet::new();
    set.add("alice.json", &fixture_text("alice-laptop.json"))
        .unwrap();
    let e = set
        .add("alice-copy.json", &fixture_text("alice-laptop.json"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the same result is already loaded from alice.json"
    );
    let truncated = &fixture_text("bob-desktop.json")[..5_000];
    let e = set.add("bob-truncated.json", truncated).unwrap_err();
    assert!(e.to_string().contains("EOF"), "{e}");
    let bob = fixture_text("bob-desktop.json");
    let negative = bob.replacen("\"latency_ns\": [", "\"latency_ns\": [-5, ", 1);
    assert_ne!(negative, bob);
    let e = set.add("bob-negative.json", &negative).unwrap_err();
    assert!(e.to_string().starts_with("the result is malformed"), "{e}");
    let huge = format!(
        "{{\"schema\": \"inferbench-result\", \"pad\": \"{}\"}}",
        "x".repeat(65 * 1024 * 1024)
    );
    let e = set.add("huge.json", &huge).unwrap_err();
    assert!(e.to_string().contains("MiB"), "{e}");
    set.add("bob.json", &fixture_text("bob-desktop.json"))
        .unwrap();
    assert_eq!(set.files().len(), 2);
}

#[test]
fn regression_check_finds_the_improvement_and_refuses_other_workloads() {
    let alice = load(&MACHINES[0]);
    let bob = load(&MACHINES[1]);
    let carol = load(&MACHINES[2]);
    let config = CompareConfig {
        resamples: 1_000,
        ..CompareConfig::default()
    };
    // Bob's runs are about 30% faster: an improvement at 5%, no change at a 100% threshold.
    let rows = regression_check(&alice, &bob, 0.05, &config).unwrap();
    assert_eq!(rows.len(), 6);
    for r in &rows {
        let RegressionOutcome::Checked { verdict, .. } = &r.outcome else {
            panic!("checked: {:?}", r.outcome)
        };
        assert_eq!(
            *verdict,
            RegressionVerdict::Improvement,
            "{:?} {:?}",
            r.variant,
            r.scenario
        );
    }
    let rows = regression_check(&bob, &alice, 0.05, &config).unwrap();
    assert!(rows.iter().all(|r| matches!(
        r.outcome,
        RegressionOutcome::Checked {
            verdict: RegressionVerdict::Regression,
            ..
        }
    )));
    let rows = regression_check(&bob, &alice, 1.0, &config).unwrap();
    assert!(rows.iter().all(|r| matches!(
        r.outcome,
        RegressionOutcome::Checked {
            verdict: RegressionVerdict::NoChange,
            ..
        }
    )));
    let rows = regression_check(&alice, &carol, 0.05, &config).unwrap();
    assert!(rows
        .iter()
        .all(|r| matches!(r.outcome, RegressionOutcome::WorkloadDiffers { .. })));
    assert!(regression_check(&alice, &bob, -0.1, &config).is_err());
    let bad_alpha = CompareConfig {
        alpha: 1.5,
        ..config.clone()
    };
    assert!(regression_check(&alice, &bob, 0.05, &bad_alpha).is_err());
}
#[test]
fn a_report_imports_like_its_result() {
    let alice = load(&MACHINES[0]);
    let report = inferbench::report::render_markdown(&alice);
    let mut set = ImportSet::new();
    set.add("alice.md", &report).unwrap();
    assert_eq!(set.files()[0].result, alice);
    let e = set.add("alice.json", &to_json(&alice)).unwrap_err();
    assert!(
        e.to_string().contains("already loaded from alice.md"),
        "{e}"
    );
}

#[test]
fn two_different_imported_models_are_different_workloads() {
    use inferbench::compare::fingerprint::workload_differences;
    use inferbench::compare::Workload;
    use inferbench::results::io::read_result;
    let base = read_result(&fixture_text("alice-laptop.json")).unwrap();
    let a_model = super::byom_support::import_fixture("sequential-mlp.safetensors");
    let b_model = super::byom_support::import_fixture("sequential-mlp-f16.safetensors");
    let imported = |info: &inferbench::model::import::ModelFileInfo| {
        let mut r = base.clone();
        r.plan.model_file = Some(info.clone());
        r.model.fingerprint = Some(info.fingerprint.clone());
        r.model.description = info.description.clone();
        r
    };
    let (a, b) = (imported(&a_model.info), imported(&b_model.info));
    let variant = base.variants[0].variant;
    let scenario = base.variants[0].runs[0].run.scenario;
    let w = |r: &inferbench::results::BenchResult| Workload::of(r, variant, scenario).unwrap();
    let diffs = workload_differences(&w(&a), &w(&b));
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert_eq!(diffs[0].field, "model weights (fingerprint)");
    assert_eq!(diffs[0].severity, Severity::Workload);
    assert!(workload_differences(&w(&a), &w(&a.clone())).is_empty());
    // An imported model against the trained preset: another model.
    let fields: Vec<String> = workload_differences(&w(&base), &w(&a))
        .into_iter()
        .map(|d| d.field)
        .collect();
    assert!(fields.contains(&"model".to_string()), "{fields:?}");
    assert!(fields.contains(&"model weights (fingerprint)".to_string()));
}
