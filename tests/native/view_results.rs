//! What the results page shows of a real (deterministic) result: cards, timing warnings,
//! environment, charts and the verdict.

use std::rc::Rc;

use inferbench::loadgen::clock::TimerResolution;
use inferbench::loadgen::result::ScenarioMetric;
use inferbench::loadgen::settings::Scenario;
use inferbench::loadgen::validity::InvalidReason;
use inferbench::model::Variant;
use inferbench::plot::Chart;
use inferbench::stats::{CompareConfig, Summary, VerdictKind};
use inferbench::view::cards::{offline_throughput, result_cards};
use inferbench::view::charts::{comparison_charts, scenario_charts};
use inferbench::view::environment::environment_rows;
use inferbench::view::state::Pending;
use inferbench::view::summary::{speedup_chart, summary_view};
use inferbench::view::timing::{clock_check_line, timer_view, timing_notes, timing_notes_summary};
use inferbench::view::units::latency;
use inferbench::view::verdict::verdict_panel;

use super::view_support::{self, set_latencies, spread};

#[test]
fn cards_show_each_metric_and_validity() {
    let result = view_support::result();
    let cards = result_cards(&result);
    assert_eq!(cards.status_note, None);
    assert_eq!(cards.variants.len(), 2);
    assert!(cards.variants[0].baseline && !cards.variants[1].baseline);
    assert_eq!(cards.variants[0].accuracy, "60.17% (216 of 359)");
    assert_eq!(cards.variants[0].size, "9.640 kB");
    let order: Vec<Scenario> = cards.scenarios.iter().map(|(s, _)| *s).collect();
    assert_eq!(order, Scenario::ALL.to_vec());
    for (_, c) in &cards.scenarios {
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|card| card.valid && card.reasons.is_empty()));
    }
    let ss = &cards.scenarios[0].1[0];
    assert_eq!(ss.headline.label, "p90 latency");
    assert_eq!(ss.headline.value, "7.000 µs");
    // The percentile's interval carries the tick bound: 2 ticks of 0.1 us either side.
    assert_eq!(ss.headline.ci.as_deref(), Some("95% CI 6.800–7.200 µs"));
    let checks: Vec<&str> = ss.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(checks, ["min duration", "min queries", "early stopping"]);
    let server = &cards.scenarios[2].1[0];
    assert_eq!(
        server.headline.label,
        "completed samples per second (target 2000 QPS)"
    );
    assert!(server.details[3]
        .value
        .starts_with("met (100 queries, 0 over the bound"));
    // The fixture's target percentile is p90; the queueing and service rows are p99s.
    let Some(ScenarioMetric::Server(m)) =
        result.variants[0].run(Scenario::Server).unwrap().run.metric
    else {
        panic!("the fixture ran Server");
    };
    assert_eq!(server.details[0].label, "p90 latency (bound 10.00 ms)");
    assert_eq!(
        server.details[1].label,
        "p99 queueing delay (scheduled to start)"
    );
    assert_eq!(server.details[1].value, latency(m.queueing.p99_ms));
    assert_eq!(
        server.details[2].label,
        "p99 service time (start to completion)"
    );
    assert_eq!(server.details[2].value, latency(m.service.p99_ms));
    let offline = &cards.scenarios[3].1[1];
    assert_eq!(
        offline.headline.label,
        "samples per second (all samples / time to the last completion)"
    );
    assert_eq!(
        offline.details[0].label,
        "throughput from batch service times"
    );
}

#[test]
fn cancelled_runs_say_why() {
    let plan = view_support::plan(vec![Variant::F32Naive]);
    let result = view_support::run(plan, 7, 0.0001, Some(60));
    let cards = result_cards(&result);
    assert!(cards
        .status_note
        .unwrap()
        .starts_with("The run was cancelled"));
    let last = cards
        .scenarios
        .iter()
        .flat_map(|(_, c)| c)
        .last()
        .expect("the interrupted run has a card");
    assert!(!last.valid);
    assert!(last.reasons[0]
        .explanation
        .starts_with("The run was cancelled after"));
}

#[test]
fn offline_throughput_maps_the_mean_interval() {
    let mut result = view_support::result();
    let run = &mut result.variants[0].runs[3].run;
    // Four full batches of 16 samples (the summary is of full batches only).
    set_latencies(run, &[2.0, 2.0, 4.0, 4.0]);
    run.sample_count = 64;
    let summary = Summary::of(&[2.0, 2.0, 4.0, 4.0]).unwrap();
    let t = offline_throughput(run, Some(&summary)).unwrap();
    assert!((t.samples_per_second - 16.0 / 0.003).abs() < 1e-9);
    let ci = t.ci.unwrap();
    assert_eq!(ci.lower, 16.0 / (summary.mean_ci_ms.upper / 1e3));
    assert_eq!(ci.upper, 16.0 / (summary.mean_ci_ms.lower / 1e3));
    assert!(offline_throughput(run, None).is_none());
}

#[test]
fn the_timer_is_described_with_its_consequences() {
    let timer = TimerResolution {
        resolution_ms: Some(0.005),
        reads: 200_000,
        distinct_values: 41_000,
    };
    let v = timer_view(Some(&timer), Some(false));
    assert_eq!(v.resolution, "5.000 µs");
    assert_eq!(
        v.method,
        "smallest step between 200,000 back-to-back reads (41,000 distinct values)"
    );
    assert_eq!(v.isolation, "no: the timer is coarsened");
    assert_eq!(
        v.notes[0],
        "Each reading is rounded to a tick less than one tick away, so a latency (two \
         readings) is known to within 2 ticks (10.00 µs), and so is each percentile. A run \
         whose median is below 20 ticks (100.0 µs) is timer-limited: VALID, its percentiles \
         carrying that bound. The timer makes a run INVALID only where it makes the metric \
         meaningless: a SingleStream or MultiStream percentile within 10.00 µs of 0, or a \
         timer-limited run on a clock that is not dithered."
    );
    assert!(v.notes[1].starts_with("The page is not cross-origin isolated"));
    let none = timer_view(None, None);
    assert_eq!(none.resolution, "not measurable");
    assert_eq!(none.isolation, "unknown");
}

#[test]
fn runs_near_the_tick_are_timer_limited_with_each_percentile_bound() {
    assert!(timing_notes(&view_support::result()).is_empty());
    // A 1 us timer: 7 us latencies are 7 ticks, timer-limited but VALID (the p90's bound of
    // 2 us is far from reaching 0).
    let plan = view_support::plan(vec![Variant::F32Naive, Variant::F32Fast]);
    let coarse = view_support::run(plan, 7, 0.001, None);
    let notes = timing_notes(&coarse);
    let runs: Vec<(Variant, Scenario)> = notes.iter().map(|w| (w.variant, w.scenario)).collect();
    assert_eq!(
        runs,
        [
            (Variant::F32Naive, Scenario::SingleStream),
            (Variant::F32Naive, Scenario::MultiStream),
            (Variant::F32Fast, Scenario::SingleStream),
            (Variant::F32Fast, Scenario::MultiStream),
        ]
    );
    let w = &notes[0];
    assert!(!w.invalid);
    assert_eq!(
        w.status,
        "timer-limited (p90 ±2.000 µs, ±29%) (median 7.0 ticks)"
    );
    assert_eq!(w.bounds[0].name, "p50");
    assert_eq!(w.bounds[0].uncertainty, "±2.000 µs (±29%)");
    assert_eq!(w.suggestion, None);
    // No clock check in this session, so no cross-check either.
    assert_eq!(w.cross_check, None);
    let cards = result_cards(&coarse);
    let card = &cards.scenarios[0].1[0];
    assert!(card.valid);
    assert_eq!(
        card.timer_limited.as_deref(),
        Some("timer-limited (p90 ±2.000 µs, ±29%)")
    );
    // The summary carries the card's mark next to VALID.
    let summary = summary_view(&cards, &Pending::Waiting);
    let line = &summary.scenarios[0].lines[0];
    assert!(line.valid);
    assert_eq!(line.timer_limited, card.timer_limited);
    assert_eq!(
        clock_check_line(coarse.environment.clock_check.as_ref()),
        "Clock check: not made, so dithering is not shown: means carry the tick bound too."
    );

    // A 4 us timer: the 7 us p90 is within its 8 us bound of 0, INVALID for the timer.
    let plan = view_support::plan(vec![Variant::F32Naive]);
    let invalid = view_support::run(plan, 7, 0.004, None);
    let notes = timing_notes(&invalid);
    let w = &notes[0];
    assert!(w.invalid);
    assert_eq!(
        w.status,
        "INVALID: The p90 latency reads 7.000 µs, within its timer bound of ±8.000 µs (2 ticks \
         of 4.000 µs) of 0: the timer cannot tell it from no time at all."
    );
    assert_eq!(
        w.suggestion.as_deref(),
        Some(
            "Choose the larger model preset (large: 3.7 times the default's work per sample), \
             so each query lasts more ticks."
        )
    );
    // The folded Timing section's title counts both kinds.
    assert_eq!(
        timing_notes_summary(&notes),
        " · 1 run timer-limited · 2 runs INVALID for the timer"
    );
    assert_eq!(
        timing_notes_summary(&timing_notes(&coarse)),
        " · 4 runs timer-limited"
    );
    assert_eq!(timing_notes_summary(&[]), "");
}

#[test]
fn the_environment_says_what_a_browser_cannot_tell() {
    let rows = environment_rows(&view_support::result());
    let value = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no row {name}"))
            .value
            .clone()
    };
    assert_eq!(value("Machine label"), "Lab 3");
    assert_eq!(value("Logical cores"), "8");
    assert_eq!(value("Device memory"), "not reported by this browser");
    assert_eq!(
        value("Timer resolution"),
        "0.1000 µs (smallest step over 200,000 reads)"
    );
    assert_eq!(value("Cross-origin isolated"), "yes");
    assert_eq!(value("WebAssembly SIMD128"), "on");
    assert_eq!(value("WebAssembly memory at the end"), "16.8 MB");
    assert_eq!(value("Page hidden during the run"), "no");
    assert_eq!(
        value("CPU model, clock speed, temperature"),
        "not available to a web page (browsers do not expose them)"
    );
    assert_eq!(
        value("Energy"),
        "not measured (a web page has no power reading); type the machine's power draw in \
         Setup for an estimate"
    );
}

#[test]
fn each_scenario_has_a_cdf_histograms_and_server_timelines() {
    let result = view_support::result();
    let charts = scenario_charts(&result);
    let ids: Vec<Vec<&str>> = charts
        .iter()
        .map(|c| c.charts.iter().map(|v| v.id.as_str()).collect())
        .collect();
    assert_eq!(
        ids[0],
        [
            "chart-cdf-singlestream",
            "chart-hist-singlestream-f32-naive",
            "chart-hist-singlestream-f32-fast"
        ]
    );
    assert_eq!(
        ids[2],
        [
            "chart-cdf-server",
            "chart-hist-server-f32-naive",
            "chart-hist-server-f32-fast",
            "chart-timeline-server-f32-naive",
            "chart-timeline-server-f32-fast"
        ]
    );
    match &charts[0].charts[1].chart {
        Chart::Histogram(h) => {
            assert_eq!(
                h.markers,
                [("p50".to_string(), 0.007), ("p90".to_string(), 0.007)]
            );
            assert_eq!(h.resolution_ms, Some(0.0001));
            assert_eq!(
                h.latencies_ms.len(),
                result.variants[0].runs[0].run.queries.len()
            );
        }
        other => panic!("{other:?}"),
    }
    match &charts[2].charts[0].chart {
        Chart::Cdf(c) => {
            assert_eq!(c.bound_ms, Some(10.0));
            assert_eq!(c.series.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    match &charts[3].charts[1].chart {
        Chart::Histogram(h) => {
            assert!(h.markers.is_empty(), "Offline shows batch service times");
            assert_eq!(h.title, "f32-naive Offline: batch service time");
        }
        other => panic!("{other:?}"),
    }
    assert!(charts
        .iter()
        .flat_map(|c| &c.charts)
        .all(|c| !c.how_to_read.is_empty()));
}

#[test]
fn comparison_charts_and_the_summary_follow_the_verdict() {
    let mut result = view_support::result();
    let ids = |r: &_| -> Vec<String> { comparison_charts(r).into_iter().map(|c| c.id).collect() };
    assert_eq!(ids(&result), ["chart-offline-throughput", "chart-pareto"]);
    for (i, center) in [(0, 0.2), (1, 0.1)] {
        for run in &mut result.variants[i].runs {
            set_latencies(&mut run.run, &spread(center, 120));
        }
    }
    let cards = result_cards(&result);
    let waiting = summary_view(&cards, &Pending::Waiting);
    assert_eq!(waiting.verdict, Pending::Waiting);
    assert!(waiting.overview.is_none(), "no speedups before the verdict");
    assert_eq!(waiting.scenarios.len(), 4);
    assert!(waiting.scenarios.iter().all(|s| s.verdicts.is_empty()));

    let panel = Rc::new(verdict_panel(&result, &CompareConfig::default()));
    let summary = summary_view(&cards, &Pending::Ready(panel.clone()));
    match &summary.verdict {
        Pending::Ready(notes) => {
            assert_eq!(notes.note, None);
            assert_eq!(notes.method, panel.method);
        }
        other => panic!("{other:?}"),
    }
    let scenarios: Vec<Scenario> = summary.scenarios.iter().map(|s| s.scenario).collect();
    assert_eq!(scenarios, Scenario::ALL);
    for (s, (_, scenario_cards)) in summary.scenarios.iter().zip(&cards.scenarios) {
        assert_eq!(s.metric, scenario_cards[0].headline.label);
        let variants: Vec<Variant> = s.lines.iter().map(|l| l.variant).collect();
        assert_eq!(variants, [Variant::F32Naive, Variant::F32Fast]);
        for (line, card) in s.lines.iter().zip(scenario_cards) {
            assert_eq!(line.value, card.headline.value);
            assert_eq!(line.ci, card.headline.ci);
            assert_eq!(line.valid, card.valid);
            assert_eq!(
                line.reason.as_ref(),
                card.reasons.first().map(|r| &r.explanation)
            );
        }
        assert_eq!(s.verdicts.len(), 1);
        let row = panel
            .rows
            .iter()
            .find(|r| r.scenario == s.scenario)
            .unwrap();
        assert_eq!(s.verdicts[0].sentence, row.sentence);
        assert_eq!(s.verdicts[0].kind, VerdictKind::Faster);
        assert!(
            s.verdicts[0].samples.starts_with("n = 120 and 120 "),
            "{}",
            s.verdicts[0].samples
        );
    }
    assert_eq!(
        summary.valid_runs.1, 8,
        "every scenario run is counted once"
    );
    let overview = summary.overview.expect("the speedup chart");
    assert_eq!(overview.id, "chart-speedup");
    match &overview.chart {
        Chart::Estimates(e) => {
            let labels: Vec<&str> = e.estimates.iter().map(|x| x.label.as_str()).collect();
            assert_eq!(
                labels,
                ["f32-fast SS", "f32-fast MS", "f32-fast Srv", "f32-fast Off"]
            );
            assert!(e.estimates.iter().all(|x| (x.value - 2.0).abs() < 1e-9));
            assert_eq!(e.reference.as_ref().map(|r| r.1), Some(1.0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(speedup_chart(&panel), Some(overview));

    let charts = comparison_charts(&result);
    match &charts[1].chart {
        Chart::Pareto(p) => {
            // Equal accuracy and p90 (the stored metrics): neither dominates the other.
            assert_eq!(p.points.len(), 2);
            assert!(p.points.iter().all(|x| !x.dominated));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_verdict_compares_each_variant_with_the_baseline() {
    let plan = view_support::plan(vec![Variant::F32Naive, Variant::F32Fast, Variant::Int8]);
    let mut result = view_support::run(plan, 7, 0.0001, None);
    for (i, center) in [(0, 0.2), (1, 0.1), (2, 0.2)] {
        for run in &mut result.variants[i].runs {
            set_latencies(&mut run.run, &spread(center, 150));
        }
    }
    result.variants[1].runs[0]
        .run
        .validity
        .reasons
        .push(InvalidReason::PageHidden { times: 1 });
    let panel = verdict_panel(&result, &CompareConfig::default());
    assert_eq!(panel.baseline, Some(Variant::F32Naive));
    assert!(panel.problems.is_empty(), "{:?}", panel.problems);
    assert_eq!(panel.rows.len(), 8);
    let fast = &panel.rows[0];
    assert_eq!(
        (fast.scenario, fast.candidate),
        (Scenario::SingleStream, Variant::F32Fast)
    );
    assert_eq!(fast.kind, VerdictKind::Faster);
    assert!(
        fast.sentence
            .starts_with("f32-fast is 2.00x faster than f32-naive (95% CI "),
        "{}",
        fast.sentence
    );
    assert!(
        fast.sentence
            .ends_with("p < 0.001, Welch, Holm-adjusted for 2 comparisons)"),
        "{}",
        fast.sentence
    );
    assert_eq!(fast.holm_family_size, Some(2));
    assert_eq!(fast.sample_sizes, (150, 150));
    assert_eq!(
        fast.caveats,
        ["The f32-fast run is INVALID: The page was hidden during the run (1 visibility change)."]
    );
    let same = &panel.rows[1];
    assert_eq!(same.candidate, Variant::Int8);
    assert_eq!(same.kind, VerdictKind::NoSignificantDifference);
    assert_eq!(same.measure, "query latency");
    assert_eq!(panel.rows[7].measure, "batch service time");
    assert!(panel.method.contains("Holm-adjusted"));
}

#[test]
fn what_cannot_be_compared_is_said() {
    let one = view_support::run(view_support::plan(vec![Variant::Int8]), 7, 0.0001, None);
    let panel = verdict_panel(&one, &CompareConfig::default());
    assert!(panel.rows.is_empty());
    assert_eq!(
        panel.note.as_deref(),
        Some("Only int8 ran: select two or more variants to compare them.")
    );
    let mut result = view_support::result();
    for v in &mut result.variants {
        for run in &mut v.runs {
            set_latencies(&mut run.run, &spread(0.2, 50));
        }
    }
    set_latencies(&mut result.variants[1].runs[0].run, &[0.1]);
    let panel = verdict_panel(&result, &CompareConfig::default());
    assert_eq!(panel.problems.len(), 1);
    assert!(
        panel.problems[0].starts_with("SingleStream: f32-fast cannot be compared with f32-naive: "),
        "{}",
        panel.problems[0]
    );
}

#[test]
fn a_peak_search_draws_latency_against_qps() {
    use inferbench::loadgen::peak::PeakSearchSettings;
    let mut plan = view_support::plan(vec![Variant::F32Naive]);
    plan.scenarios.retain(|s| s.scenario() == Scenario::Server);
    plan.accuracy_mode = false;
    plan.peak_search = Some(PeakSearchSettings {
        decimals_of_precision: 0,
        boundary_step_size: 1.0,
        max_probes: 3,
    });
    let result = view_support::run(plan, 7, 0.0001, None);
    let probes = result.variants[0].peak.as_ref().unwrap().probes.len();
    assert!(probes >= 1);
    let charts = comparison_charts(&result);
    let qps = charts
        .iter()
        .find(|c| c.id == "chart-qps-f32-naive")
        .expect("the peak search's chart");
    match &qps.chart {
        Chart::Qps(q) => {
            assert_eq!(q.probes.len(), probes);
            assert_eq!(q.bound_ms, 10.0);
            assert_eq!(q.percentile_label, "p90");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_energy_estimate_shows_only_with_an_assumed_power_and_says_what_it_is() {
    let mut result = view_support::result();
    assert_eq!(inferbench::view::energy::energy_view(&result), None);
    result.plan.assumed_power_watts = Some(30.0);
    let view = inferbench::view::energy::energy_view(&result).unwrap();
    assert!(view.method.starts_with("An estimate, not a measurement"));
    assert!(view.method.contains("30.0 W"));
    assert_eq!(
        view.rows
            .iter()
            .map(|r| r.variant.as_str())
            .collect::<Vec<_>>(),
        ["f32-naive", "f32-fast"]
    );
    let environment = environment_rows(&result);
    let energy = environment.iter().find(|r| r.name == "Energy").unwrap();
    assert!(energy.value.contains("30.0 W assumed"), "{energy:?}");
    for (row, v) in view.rows.iter().zip(&result.variants) {
        let Some(inferbench::loadgen::result::ScenarioMetric::Offline(m)) =
            v.run(Scenario::Offline).unwrap().run.metric
        else {
            panic!("the fixture ran Offline");
        };
        let seconds = 1.0 / m.samples_per_second.unwrap();
        assert_eq!(row.basis, "Offline throughput");
        assert_eq!(
            row.time_per_sample,
            inferbench::format::fine_duration_ms(seconds * 1e3)
        );
        assert_eq!(
            row.energy_per_sample,
            inferbench::format::energy_j(30.0 * seconds)
        );
    }
}

#[test]
fn offline_comparisons_leave_out_the_partial_last_batch_as_the_headline_does() {
    let mut result = view_support::result();
    let batch = match result.plan.scenarios.iter().find_map(|s| match s.scenario {
        inferbench::loadgen::settings::ScenarioSettings::Offline(o) => Some(o.batch_size),
        _ => None,
    }) {
        Some(b) => b,
        None => panic!("the fixture plan has Offline"),
    };
    // Both runs: 30 full batches with spread service times (baseline 2 ms, candidate 1 ms);
    // the candidate's last batch a partial one, 50 times slower than the others (a partial
    // batch is other work: it must not move the comparison).
    let full = 30;
    for (v, center_ms) in [(0, 2.0), (1, 1.0)] {
        let run = &mut result.variants[v]
            .runs
            .iter_mut()
            .find(|r| r.run.scenario == Scenario::Offline)
            .unwrap()
            .run;
        let mut t = 0u64;
        run.queries = spread(center_ms, full)
            .into_iter()
            .map(|ms| {
                let start = t;
                t += (ms * 1e6) as u64;
                inferbench::loadgen::QueryRecord::new(0, start, t, batch, false)
            })
            .collect();
        if v == 1 {
            run.queries.push(inferbench::loadgen::QueryRecord::new(
                0,
                t,
                t + 50_000_000,
                batch - 1,
                false,
            ));
        }
    }
    let run = &result.variants[1]
        .runs
        .iter()
        .find(|r| r.run.scenario == Scenario::Offline)
        .unwrap()
        .run;
    let sample = inferbench::results::analysis_sample_ms(run);
    assert_eq!(sample.len(), full, "the partial batch is left out");
    let panel = verdict_panel(&result, &CompareConfig::default());
    let row = panel
        .rows
        .iter()
        .find(|r| r.scenario == Scenario::Offline)
        .filter(|r| (r.speedup - 2.0).abs() < 0.01)
        .unwrap_or_else(|| panic!("an Offline verdict: {:?}", panel.problems));
    assert_eq!(row.sample_sizes.1, full);
    // The report's comparison says the same.
    let report = inferbench::report::render_markdown(&result);
    assert!(report.contains(&row.sentence), "{}", row.sentence);
}

#[test]
fn the_downloaded_result_is_the_json_the_report_embeds() {
    let result = view_support::result();
    let markdown = inferbench::report::render_markdown(&result);
    let json = inferbench::results::io::embedded_json(&markdown).expect("the report embeds it");
    let as_read = inferbench::results::io::read_result(json).expect("a result file");
    assert_eq!(as_read, result);
    // The same value as the result file the CLI writes (escapes inside strings aside).
    let written: serde_json::Value =
        serde_json::from_str(&inferbench::results::io::to_json(&result)).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(json).unwrap(),
        written
    );
    assert_eq!(inferbench::results::io::embedded_json("# No data"), None);
}
