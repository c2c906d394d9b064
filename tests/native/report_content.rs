//! What the report says, checked against the data: numbers recomputed here independently,
//! text that changes with the result, the JSON round trip, escaping of hostile labels, and
//! partial or cancelled results.

use inferbench::format::{count, p_value, sig, sig_grouped, times};
use inferbench::loadgen::result::ScenarioMetric;
use inferbench::loadgen::settings::Scenario;
use inferbench::loadgen::timing_check::Dither;
use inferbench::report::{render_markdown, render_markdown_with, ReportOptions};
use inferbench::results::io::{read_result, REPORT_JSON_MARKER};
use inferbench::results::{BenchResult, RunStatus, Runtime};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::report_snapshots::cancelled_during_training;
use super::report_support::{fixture, report_body};

/// Options with 200 bootstrap resamples instead of 10,000, for tests that do not check
/// bootstrap numbers (the test build leaves the random generator unoptimised).
fn quick() -> ReportOptions {
    let mut options = ReportOptions::default();
    options.compare.resamples = 200;
    options
}

/// The text of the `## heading` section, up to the next `## ` heading.
fn section<'a>(report: &'a str, heading: &str) -> &'a str {
    let start = report
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading:?}"));
    let rest = &report[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

/// The text of the `### heading` subsection, up to the next `##` or `###` heading.
fn subsection<'a>(report: &'a str, heading: &str) -> &'a str {
    let start = report
        .find(&format!("\n### {heading}\n"))
        .unwrap_or_else(|| panic!("no subsection {heading:?}"));
    let rest = &report[start + 1..];
    let end = rest[4..].find("\n##").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

/// A run's latencies (completion minus scheduled time), in ms, in issue order.
fn latencies_ms(result: &BenchResult, variant: usize, scenario: Scenario) -> Vec<f64> {
    let run = &result.variants[variant]
        .run(scenario)
        .expect("the run exists")
        .run;
    run.queries
        .iter()
        .map(|q| (q.completed_ns - q.scheduled_ns) as f64 / 1e6)
        .collect()
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn sd(x: &[f64]) -> f64 {
    let m = mean(x);
    (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

/// Welch's two-sided p of `a` against `b`, computed here from the textbook formulas.
fn welch_p(a: &[f64], b: &[f64]) -> f64 {
    let (va, vb) = (
        sd(a).powi(2) / a.len() as f64,
        sd(b).powi(2) / b.len() as f64,
    );
    let t = (mean(a) - mean(b)) / (va + vb).sqrt();
    let df = (va + vb).powi(2) / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    2.0 * StudentsT::new(0.0, 1.0, df).unwrap().sf(t.abs())
}

/// The cells of the table row whose first cell is `first`, in `text`.
fn row<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("| {first} |")))
        .unwrap_or_else(|| panic!("no row {first:?} in:\n{text}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

#[test]
fn latency_statistics_match_an_independent_computation() {
    let r = fixture("three-variants.json");
    let report = render_markdown_with(&r, &quick());
    let naive = latencies_ms(&r, 0, Scenario::SingleStream);
    let n = naive.len();
    let mut sorted = naive.clone();
    sorted.sort_by(f64::total_cmp);
    let text = subsection(&report, "f32-naive (SingleStream)");

    // LoadGen's estimator: sorted[floor(n p)].
    for (label, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
        let expected = sorted[((n as f64) * p).floor() as usize];
        assert_eq!(row(text, label)[1], sig(expected, 4), "{label}");
    }
    // The mean and its Student-t interval.
    let m = mean(&naive);
    let half = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .unwrap()
        .inverse_cdf(0.975)
        * sd(&naive)
        / (n as f64).sqrt();
    // Its interval carries the tick bound (2 ticks) unless the clock check showed the clock
    // dithered.
    let tick = r.environment.timer.and_then(|t| t.resolution_ms).unwrap();
    let dithered = r.environment.clock_check.map(|c| c.dither) == Some(Dither::Dithered);
    let bound = if dithered { 0.0 } else { 2.0 * tick };
    let cells = row(text, "mean (Student t)");
    assert_eq!(cells[1], sig(m, 4));
    assert_eq!(cells[2], format!("±{}", sig(bound, 3)));
    assert_eq!(
        cells[3],
        format!(
            "{} to {}",
            sig(m - half - bound, 4),
            sig(m + half + bound, 4)
        )
    );
    // Each percentile's bound is 2 ticks.
    assert_eq!(row(text, "p90")[2], format!("±{}", sig(2.0 * tick, 3)));
    assert_eq!(
        row(text, &format!("n = {}", count(n as u64)))[0],
        format!("n = {n}")
    );

    // Offline: LoadGen's samples per second = samples / time of the last completion.
    let offline = &r.variants[1].run(Scenario::Offline).unwrap().run;
    let last_ns = offline
        .queries
        .iter()
        .map(|q| q.completed_ns)
        .max()
        .unwrap();
    let rate = offline.sample_count as f64 / (last_ns as f64 / 1e9);
    let summary = section(&report, "Executive summary");
    let rows: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("| Offline | f32-fast | samples/s (LoadGen's metric)"))
        .collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains(&format!("| {} |", sig_grouped(rate, 4))),
        "{}",
        rows[0]
    );

    // The power estimate at f32-naive SingleStream's CV: 2 (z_0.975 + z_0.8)^2 cv^2 / 0.05^2.
    let cv = sd(&naive) / m;
    // (At least 2, as a sample size must be.)
    let needed = (2.0 * (1.959_963_985 + 0.841_621_234_f64).powi(2) * cv * cv / 0.0025)
        .ceil()
        .max(2.0);
    let validation = section(&report, "Statistical validation");
    let cells = row(
        subsection(validation, "Is the sample large enough?"),
        "f32-naive SingleStream",
    );
    assert_eq!(cells[5], count(needed as u64));
}

#[test]
fn comparisons_are_holm_adjusted_and_speedups_match() {
    // Welch's p and the speedup's point estimate do not depend on the bootstrap.
    let r = fixture("three-variants.json");
    let report = render_markdown_with(&r, &quick());
    let base = latencies_ms(&r, 0, Scenario::Server);
    let fast = latencies_ms(&r, 1, Scenario::Server);
    let int8 = latencies_ms(&r, 2, Scenario::Server);
    // Holm over the two candidates, by hand: sort ascending, multiply by (m - rank),
    // keep the running maximum, cap at 1.
    let raw = [welch_p(&fast, &base), welch_p(&int8, &base)];
    let (lo, hi) = if raw[0] <= raw[1] { (0, 1) } else { (1, 0) };
    let mut adjusted = [0.0; 2];
    adjusted[lo] = (2.0 * raw[lo]).min(1.0);
    adjusted[hi] = raw[hi].max(adjusted[lo]).min(1.0);

    let text = subsection(&report, "Server");
    assert!(text.contains("| Welch p (Holm) |"));
    for (i, variant) in ["f32-fast", "int8"].iter().enumerate() {
        let cells = row(text, variant);
        let shown: f64 = cells[6].parse().expect("a number");
        assert!(
            (shown - adjusted[i]).abs() <= 1e-3 * adjusted[i],
            "{variant}: shown {shown}, Holm {}",
            adjusted[i]
        );
        // Speedup of means = mean(baseline) / mean(candidate).
        let candidate = if i == 0 { &fast } else { &int8 };
        assert_eq!(cells[2], times(mean(&base) / mean(candidate)));
    }
    // The p-value the verdict quotes is the adjusted one.
    assert!(report.contains("Holm-adjusted for 2 comparisons"));
    let shown = p_value(adjusted[1]);
    assert!(text.contains(&shown), "{shown} not in the Server table");
}

#[test]
fn sample_size_text_quotes_the_formula_and_loadgen_rounding() {
    let report = render_markdown_with(&fixture("three-variants.json"), &quick());
    let text = subsection(&report, "Is the sample large enough?");
    // MLPerf's formula gives 23,886 for p90 at 99% (23,885.6 unrounded); LoadGen's rules round
    // up to 3 x 2^13 = 24,576. p99: 262,742 and 270,336 = 33 x 2^13.
    assert!(
        text.contains("For p90: 23,886 queries (23,885.6 unrounded"),
        "{text}"
    );
    assert!(text.contains("24,576 = 3 x 2^13"));
    assert!(text.contains("For p99: 262,742 queries"));
    assert!(text.contains("270,336 = 33 x 2^13"));
    // Early-stopping minimums: 64 queries for p90, 459 for a Server p99 run with none over.
    assert!(row(text, "f32-naive SingleStream")[2] == "64");
    assert!(row(text, "f32-naive Server")[2] == "459");
}

#[test]
fn quantised_readings_are_counted_and_never_shown_as_latencies() {
    let r = fixture("coarse-timer.json");
    let report = render_markdown(&r);
    let timer = section(&report, "Timer honesty");
    for (i, v) in ["f32-naive", "f32-fast"].iter().enumerate() {
        let zeros = latencies_ms(&r, i, Scenario::SingleStream)
            .iter()
            .filter(|&&x| x == 0.0)
            .count();
        assert!(zeros > 0, "the fixture should hold quantised zeros");
        let cells = row(timer, &format!("{v} SingleStream"));
        assert_eq!(cells[7], count(zeros as u64));
        // Its p90 reads 0: within its 2-tick bound of 0, INVALID for the timer.
        assert_eq!(cells[4], "INVALID (timer)");
        assert_eq!(cells[6], "±200.0 µs (reads 0)");
    }
    // No table cell or sentence presents a zero latency in ms.
    let body = report_body(&report);
    assert!(!body.contains("| 0.000 |"));
    assert!(!body.contains("0.0000 ms"));
    assert!(body.contains("| p50 | < 0.100 |"));
    assert!(timer.contains("Clock check, before the scenarios"));
    assert!(timer.contains("Batch cross-check of each timer-limited run"));
    let recs = section(&report, "Recommendations");
    assert!(recs.contains("Use a larger model preset"), "{recs}");
    // The comparisons cannot be made on zeros, and the report says so instead of failing.
    assert!(section(&report, "Comparisons").contains("could not be compared"));
}

#[test]
fn different_results_give_different_summaries_and_recommendations() {
    let a = render_markdown_with(&fixture("three-variants.json"), &quick());
    let b = render_markdown_with(&fixture("coarse-timer.json"), &quick());
    assert_ne!(
        section(&a, "Executive summary"),
        section(&b, "Executive summary")
    );
    assert_ne!(
        section(&a, "Recommendations"),
        section(&b, "Recommendations")
    );

    // The same result with the page hidden twice: new sentences appear where they belong.
    let mut hidden = fixture("three-variants.json");
    hidden.environment.visibility_changes = 2;
    let c = render_markdown_with(&hidden, &quick());
    assert!(!section(&a, "Environment").contains("hidden"));
    assert!(section(&c, "Environment").contains("The page was hidden 2 times during the run"));
    assert!(section(&c, "Recommendations").contains("keep the page visible"));
    assert!(!section(&a, "Recommendations").contains("keep the page visible"));
}

#[test]
fn the_report_imports_back_to_the_same_result() {
    for name in [
        "three-variants.json",
        "peak-search.json",
        "coarse-timer.json",
        "cancelled.json",
    ] {
        let result = fixture(name);
        let report = render_markdown_with(&result, &quick());
        assert_eq!(report.matches(REPORT_JSON_MARKER).count(), 1, "{name}");
        assert_eq!(read_result(&report).expect(name), result, "{name}");
    }
    let early = cancelled_during_training();
    assert_eq!(read_result(&render_markdown(&early)).unwrap(), early);
}

#[test]
fn the_same_result_always_gives_the_same_report() {
    let r = fixture("three-variants.json");
    assert_eq!(
        render_markdown_with(&r, &quick()),
        render_markdown_with(&r, &quick())
    );
}

/// Every run of consecutive table lines has the same number of unescaped `|` per line.
fn assert_tables_well_formed(report: &str) {
    let pipes = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                n += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        n
    };
    let mut expected: Option<usize> = None;
    for line in report_body(report).lines() {
        if line.starts_with('|') {
            let n = pipes(line);
            match expected {
                None => expected = Some(n),
                Some(e) => assert_eq!(n, e, "a row breaks its table: {line}"),
            }
        } else {
            expected = None;
        }
    }
}

#[test]
fn hostile_labels_cannot_break_tables_or_inject_html() {
    let labels = [
        "a | b | c",
        "*bold* _it_ ~~x~~",
        "<script>alert(1)</script>",
        "`code` and ```fence```",
        "<!-- inferbench-result-json -->",
        "line\n| injected | row |",
        "[link](javascript:alert(1)) & #h",
    ];
    for label in labels {
        let mut r = fixture("three-variants.json");
        r.machine_label = label.to_string();
        r.plan.machine_label = label.to_string();
        r.environment.runtime = Runtime::Browser;
        r.environment.user_agent =
            Some(format!("Mozilla/5.0 {label} <img src=x onerror=alert(1)>"));
        let report = render_markdown_with(&r, &quick());
        assert!(!report.contains("<script"), "{label}");
        assert!(!report.contains("<img"), "{label}");
        assert_eq!(report.matches(REPORT_JSON_MARKER).count(), 1, "{label}");
        let title = report.lines().next().unwrap();
        assert!(title.starts_with("# InferBench report: "), "{title}");
        assert!(!title.contains('<'), "{title}");
        // Every backtick, star and underscore of the label is escaped.
        let bytes = title.as_bytes();
        for (i, c) in bytes.iter().enumerate() {
            if matches!(c, b'`' | b'*' | b'_' | b'|' | b'[') {
                assert_eq!(bytes[i - 1], b'\\', "unescaped {} in {title}", *c as char);
            }
        }
        assert_tables_well_formed(&report);
        if label.chars().any(char::is_control) {
            // InferBench never writes such a label (the plan refuses it), so a reader refuses
            // a file that holds one, saying why.
            let e = read_result(&report).unwrap_err().to_string();
            assert!(
                e.contains("the machine label holds control characters"),
                "{e}"
            );
            continue;
        }
        let back = read_result(&report).expect(label);
        assert_eq!(back.machine_label, label);
        assert_eq!(back, r);
    }
}

#[test]
fn a_cancelled_run_says_what_is_missing() {
    let r = fixture("cancelled.json");
    assert_eq!(r.status, RunStatus::Cancelled);
    let report = render_markdown(&r);
    assert!(report.contains(
        "Status: **cancelled**. Interrupted mid-way, its measurements kept and INVALID: \
         f32-naive MultiStream. Missing: f32-naive has no Server run, no Offline run; \
         f32-fast did not run at all."
    ));
    assert!(report.contains("The run was cancelled after 40 queries."));
    assert!(section(&report, "Comparisons")
        .contains("Only one variant, f32-naive, has results (the plan had 2"));

    let early = cancelled_during_training();
    let report = render_markdown(&early);
    assert!(
        report.contains("training stopped after 3 of 1,800 steps"),
        "{report}"
    );
    assert!(report.contains("f32-naive did not run at all; int8 did not run at all"));
    assert!(report.contains("No performance run has results"));
}

#[test]
fn partial_results_render_and_say_what_lacks() {
    let mut r = fixture("three-variants.json");
    // The baseline lost its Server run, int8 its accuracy run, and f32-fast's SingleStream run
    // lost every query.
    r.variants[0]
        .runs
        .retain(|x| x.run.scenario != Scenario::Server);
    r.variants[2].accuracy = None;
    let ss = r.variants[1]
        .runs
        .iter_mut()
        .find(|x| x.run.scenario == Scenario::SingleStream)
        .unwrap();
    ss.run.queries.clear();
    ss.run.query_count = 0;
    ss.run.sample_count = 0;
    ss.run.latency = None;
    ss.run.metric = None;
    ss.summary = None;
    let report = render_markdown_with(&r, &quick());
    assert!(report.contains(
        "Status: **completed**, but the result lacks parts of the plan: f32-naive has no Server \
         run; int8 has no accuracy run."
    ));
    assert!(section(&report, "Comparisons").contains(
        "No comparison: only f32-fast and int8 ran this scenario, and the baseline did not."
    ));
    assert!(report.contains("No statistics for f32-fast SingleStream"));
    assert!(report.contains("- No metric: no query completed."));
    assert!(report.contains("f32-fast SingleStream: no trend test: the sample has 0 value(s)"));
    // The edit left the emptied run's validity as it was; a reader rebuilds it from the
    // (now empty) records.
    assert_eq!(
        read_result(&report).unwrap(),
        inferbench::results::derive::rederive(r.clone())
    );
    // The Pareto table places only the variants with both figures.
    let pareto = subsection(&report, "Normalised metrics and Pareto frontier");
    assert!(row(pareto, "int8")[8].starts_with("not placed"));
    assert!(row(pareto, "f32-fast")[8].starts_with("not placed"));
    assert!(!matches!(
        r.variants[1]
            .run(Scenario::SingleStream)
            .unwrap()
            .run
            .metric,
        Some(ScenarioMetric::SingleStream(_))
    ));
}

#[test]
fn one_variant_has_no_comparisons_and_says_why() {
    let r = fixture("peak-search.json");
    let report = render_markdown(&r);
    assert!(section(&report, "Comparisons")
        .contains("Only one variant, f32-fast, was run, so there is nothing to compare it with"));
    let peak = section(&report, "Peak-QPS search (Server)");
    let found = r.variants[0]
        .peak
        .as_ref()
        .unwrap()
        .peak_target_qps
        .unwrap();
    assert!(
        peak.contains(&format!("**{} QPS**", sig_grouped(found, 6))),
        "{peak}"
    );
}

#[test]
fn the_energy_estimate_is_assumed_watts_times_measured_time_and_says_so() {
    let plain = render_markdown_with(&fixture("three-variants.json"), &quick());
    assert!(
        !plain.contains("## Energy"),
        "no estimate without an assumed power"
    );

    let mut r = fixture("three-variants.json");
    r.plan.assumed_power_watts = Some(45.0);
    // int8 loses its Offline run: its estimate falls back on the SingleStream mean.
    r.variants[2]
        .runs
        .retain(|x| x.run.scenario != Scenario::Offline);
    let report = render_markdown_with(&r, &quick());
    let s = section(
        &report,
        "Energy per sample (an estimate, not a measurement)",
    );
    assert!(s.contains("An estimate, not a measurement"));
    assert!(s.contains("45.0 W"));
    for (i, v) in r.variants.iter().enumerate() {
        let cells = row(s, &v.variant.to_string());
        let (seconds, from) = match v.run(Scenario::Offline).and_then(|x| x.run.metric) {
            Some(ScenarioMetric::Offline(m)) => {
                (1.0 / m.samples_per_second.unwrap(), "Offline throughput")
            }
            _ => {
                let l = latencies_ms(&r, i, Scenario::SingleStream);
                (mean(&l) / 1e3, "SingleStream mean latency")
            }
        };
        assert_eq!(cells[2], from, "{cells:?}");
        assert_eq!(
            cells[3],
            inferbench::format::energy_j(45.0 * seconds),
            "{cells:?}"
        );
    }
}
