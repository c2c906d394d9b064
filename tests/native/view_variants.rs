//! The Results section's variant comparison: every number recomputed here from the result's
//! own queries, sizes and accuracies, independently of `stats::normalized` and
//! `stats::pareto`.

use inferbench::loadgen::result::ScenarioMetric;
use inferbench::loadgen::settings::Scenario;
use inferbench::model::Variant;
use inferbench::results::BenchResult;
use inferbench::stats::{loadgen_percentile, CompareConfig};
use inferbench::view::variants::variant_table;
use inferbench::view::verdict::verdict_panel;

use super::view_support;

fn mean_ss_ms(result: &BenchResult, i: usize) -> f64 {
    let q = &result.variants[i]
        .run(Scenario::SingleStream)
        .unwrap()
        .run
        .queries;
    q.iter().map(|x| x.latency_ms()).sum::<f64>() / q.len() as f64
}

fn p90_ss_ms(result: &BenchResult, i: usize) -> f64 {
    let mut l: Vec<f64> = result.variants[i]
        .run(Scenario::SingleStream)
        .unwrap()
        .run
        .queries
        .iter()
        .map(|x| x.latency_ms())
        .collect();
    l.sort_by(f64::total_cmp);
    // LoadGen's estimator: sorted[floor(n p)].
    l[(l.len() as f64 * 0.9).floor() as usize]
}

#[test]
fn the_variant_table_recomputes_from_the_result() {
    let mut result = view_support::run(
        view_support::plan(vec![Variant::F32Naive, Variant::Int8, Variant::Pruned]),
        7,
        0.0001,
        None,
    );
    // Distinct latencies per variant so that speedups and dominance are not ties: int8
    // twice as fast as the baseline, pruned 1.25x.
    for (i, center) in [(0, 0.4), (1, 0.2), (2, 0.32)] {
        let v = &mut result.variants[i];
        let idx = v
            .runs
            .iter()
            .position(|r| r.run.scenario == Scenario::SingleStream)
            .unwrap();
        let mut run = v.runs[idx].run.clone();
        view_support::set_latencies(&mut run, &view_support::spread(center, 200));
        // The stored metric follows the new latencies (LoadGen's p90 of the run).
        let mut sorted: Vec<f64> = run.queries.iter().map(|q| q.latency_ms()).collect();
        sorted.sort_by(f64::total_cmp);
        if let Some(ScenarioMetric::SingleStream(m)) = &mut run.metric {
            m.percentile_latency_ms = loadgen_percentile(&sorted, 0.9).unwrap();
        }
        v.runs[idx] = inferbench::results::ScenarioRun::new(run);
    }
    let config = CompareConfig {
        resamples: 500,
        ..CompareConfig::default()
    };
    let panel = verdict_panel(&result, &config);
    let table = variant_table(&result, Some(&panel)).expect("three variants");
    assert_eq!(table.baseline, Variant::F32Naive);
    assert_eq!(table.rows.len(), 3);
    let base = &table.rows[0];
    assert!(base.baseline);
    assert_eq!(base.speedup, "1x (baseline)");
    assert_eq!(base.accuracy_delta, "0 (baseline)");
    let acc = |i: usize| result.variants[i].top1().unwrap();
    let size = |i: usize| result.variants[i].size_bytes as f64;
    for i in 1..3 {
        let row = &table.rows[i];
        let n = row.numbers;
        let speedup = mean_ss_ms(&result, 0) / mean_ss_ms(&result, i);
        let compression = size(0) / size(i);
        let delta = acc(i) - acc(0);
        let efficiency = speedup * compression / (1.0 + delta.abs());
        assert!((n.speedup.unwrap() - speedup).abs() < 1e-12, "{i}");
        assert!((n.compression.unwrap() - compression).abs() < 1e-12);
        assert!((n.accuracy_delta.unwrap() - delta).abs() < 1e-12);
        assert!((n.efficiency.unwrap() - efficiency).abs() < 1e-12);
        assert_eq!(n.p90_ms, Some(p90_ss_ms(&result, i)));
        // The interval is the verdict's SingleStream comparison.
        let v = panel
            .rows
            .iter()
            .find(|r| r.scenario == Scenario::SingleStream && r.candidate == row.variant)
            .unwrap();
        assert_eq!(n.speedup_ci, Some((v.speedup_lower, v.speedup_upper)));
        assert!(
            (v.speedup - speedup).abs() < 1e-9,
            "the same point as the verdict"
        );
        assert_eq!(
            row.speedup_ci.as_deref(),
            Some(
                format!(
                    "95% CI {}–{}",
                    inferbench::format::times(v.speedup_lower),
                    inferbench::format::times(v.speedup_upper)
                )
                .as_str()
            )
        );
        assert_eq!(row.speedup, inferbench::format::times(speedup));
        assert_eq!(row.accuracy_delta, format!("{:+.2} points", delta * 100.0));
    }
    assert_eq!(table.rows[1].speedup, "2.00x");
    assert_eq!(table.rows[2].speedup, "1.25x");
    // Dominance, decided here from the definition (at least as accurate and as fast,
    // strictly better in one).
    let point = |i: usize| (acc(i), p90_ss_ms(&result, i));
    for i in 0..3 {
        let dominators: Vec<String> = (0..3)
            .filter(|&j| {
                let (aj, lj) = point(j);
                let (ai, li) = point(i);
                aj >= ai && lj <= li && (aj > ai || lj < li)
            })
            .map(|j| result.variants[j].variant.to_string())
            .collect();
        let expected = if dominators.is_empty() {
            "on the frontier".to_string()
        } else {
            format!(
                "dominated by {}",
                inferbench::report::text::join_and(&dominators)
            )
        };
        assert_eq!(table.rows[i].pareto, expected, "{}", table.rows[i].variant);
    }
    assert!(table.method.contains("as a fraction"));
    assert!(table.notes.is_empty(), "{:?}", table.notes);

    // Before the worker's verdict: the point speedup, the interval still computing.
    let early = variant_table(&result, None).unwrap();
    assert_eq!(early.rows[1].speedup, "2.00x");
    assert_eq!(early.rows[1].speedup_ci.as_deref(), Some("CI: computing…"));
}

#[test]
fn missing_figures_are_said_not_guessed() {
    let mut plan = view_support::plan(vec![Variant::F32Naive, Variant::F32Fast]);
    plan.accuracy_mode = false;
    plan.scenarios
        .retain(|s| s.scenario() != Scenario::SingleStream);
    let result = view_support::run(plan, 7, 0.0001, None);
    let table = variant_table(&result, None).unwrap();
    let fast = &table.rows[1];
    assert_eq!(fast.speedup, "n/a (no SingleStream run)");
    assert_eq!(fast.speedup_ci, None);
    assert_eq!(fast.accuracy_delta, "n/a (no accuracy run)");
    assert_eq!(fast.efficiency, "n/a");
    assert_eq!(fast.pareto, "not placed: no accuracy (accuracy mode off)");
    assert!(fast.compression.ends_with('x'));

    let one = view_support::run(view_support::plan(vec![Variant::Int8]), 7, 0.0001, None);
    assert_eq!(variant_table(&one, None), None);
}
