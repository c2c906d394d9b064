//! InferBench against MLPerf LoadGen itself (`tests/fixtures/loadgen/`, written by
//! `scripts/gen_loadgen_fixtures.py` from the pip package `mlcommons-loadgen` 6.0.17).
//!
//! Each case gave LoadGen its `mlperf.conf` and a `user.conf`, and ran a synthetic system.
//! Here InferBench reads the same two files (from LoadGen's built-in defaults, as LoadGen
//! starts), replays LoadGen's own latencies on a scripted clock, writes its summary log, and
//! the two summaries must agree: the effective settings, "Result is", the four "satisfied"
//! lines, the whole Early Stopping Result block (the number of discarded queries and the
//! estimate to the nanosecond, hence the same order statistic), and the latency lines. The
//! layout of InferBench's summary is diffed against real LoadGen summaries, numbers masked.

use std::time::Duration;

use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::result::RunResult;
use inferbench::loadgen::runner::Runner;
use inferbench::loadgen::settings::{OfflineSettings, Scenario, ScenarioSettings, TestSettings};
use inferbench::loadgen::sut::{FakeSut, ServiceTime};
use inferbench::loadgen::user_conf::{apply, ConfFile};
use inferbench::report::mlperf_log::summary;
use inferbench::report::mlperf_log::LogRun;
use serde_json::Value;

use super::loadgen_support::drive;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/loadgen");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cases() -> Vec<Value> {
    let v: Value = serde_json::from_str(&fixture("agreement.json")).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn scenario_of(name: &str) -> Scenario {
    match name {
        "SingleStream" => Scenario::SingleStream,
        "MultiStream" => Scenario::MultiStream,
        "Server" => Scenario::Server,
        "Offline" => Scenario::Offline,
        other => panic!("scenario {other}"),
    }
}

/// InferBench's settings for a case: LoadGen's built-in defaults, then LoadGen's mlperf.conf
/// and the case's user.conf, for the model LoadGen was told ("default").
fn settings_of(case: &Value) -> TestSettings {
    let scenario = scenario_of(case["scenario"].as_str().unwrap());
    let files = [
        ConfFile::parse("mlperf.conf", &fixture("mlperf.conf")).unwrap(),
        ConfFile::parse("user.conf", case["user_conf"].as_str().unwrap()).unwrap(),
    ];
    let mut settings = [TestSettings::loadgen_default(scenario)];
    apply(&files, "default", &mut settings).unwrap();
    settings[0].clone()
}

/// LoadGen's latencies, replayed: each query (SingleStream, MultiStream) or each query's
/// service (Server, at a rate so low that no query waits) takes what LoadGen measured.
fn replay(case: &Value, settings: TestSettings) -> RunResult {
    let latencies: Vec<Duration> = case["latencies_ns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Duration::from_nanos(v.as_u64().unwrap()))
        .collect();
    let mut settings = settings;
    if let ScenarioSettings::Server(s) = &mut settings.scenario {
        // One arrival per 1,000 s on average: the queue is always empty, so each latency is
        // its service time (checked below). LoadGen's decisions depend on the latencies,
        // the query count and the bound, not on the rate.
        s.target_qps = 0.001;
    }
    let clock = ManualClock::new();
    let mut sut = FakeSut::new(&clock, ServiceTime::Script(latencies.clone()));
    let run = drive(Runner::new(settings, 1024).unwrap(), &clock, &mut sut);
    let replayed: Vec<Duration> = run
        .queries
        .iter()
        .map(|q| Duration::from_nanos(q.latency_ns()))
        .collect();
    assert_eq!(replayed, latencies, "{}: the replay is exact", case["name"]);
    run
}

fn summary_of(run: &RunResult) -> String {
    summary::render(&LogRun {
        run,
        sut_name: "replay",
        accuracy_sample_count: 1024,
        app_version: "test",
        created_utc: None,
    })
}

/// The value after `label :` in a summary.
fn value<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == label).then(|| v.trim())
    })
}

fn early_stopping_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| *l == "Early Stopping Result:") else {
        return Vec::new();
    };
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.to_string())
        .collect()
}

fn yes(v: &Value) -> Option<&'static str> {
    v.as_bool().map(|b| if b { "Yes" } else { "NO" })
}

#[test]
fn the_effective_settings_of_the_same_conf_files_agree() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let s = settings_of(&case);
        let e = &case["loadgen"]["effective"];
        let u = |k: &str| e[k].as_u64().unwrap_or_else(|| panic!("{name}: {k}"));
        assert_eq!(s.min_duration_ms, u("min_duration_ms"), "{name}");
        assert_eq!(s.max_duration_ms, u("max_duration_ms"), "{name}");
        assert_eq!(s.min_query_count, u("min_query_count"), "{name}");
        assert_eq!(s.max_query_count, u("max_query_count"), "{name}");
        assert_eq!(s.seeds.sample_index, u("sample_index_rng_seed"), "{name}");
        assert_eq!(s.seeds.schedule, u("schedule_rng_seed"), "{name}");
        let p = e["target_latency_percentile"].as_f64().unwrap();
        assert!((s.target_percentile - p).abs() < 1e-12, "{name}: {p}");
        match s.scenario {
            ScenarioSettings::MultiStream(m) => {
                assert_eq!(
                    u64::from(m.samples_per_query),
                    u("samples_per_query"),
                    "{name}"
                )
            }
            ScenarioSettings::Server(v) => {
                assert_eq!(v.target_qps, e["target_qps"].as_f64().unwrap(), "{name}");
                assert_eq!(
                    (v.latency_bound_ms * 1e6) as u64,
                    u("target_latency_ns"),
                    "{name}"
                );
            }
            _ => assert_eq!(u("samples_per_query"), 1, "{name}"),
        }
    }
}

#[test]
fn the_summaries_agree_on_every_decision_and_estimate() {
    let cases = cases();
    assert_eq!(cases.len(), 44);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let lg = &case["loadgen"];
        let run = replay(case, settings_of(case));
        let ours = summary_of(&run);
        assert_eq!(value(&ours, "Result is"), lg["result"].as_str(), "{name}");
        for (label, key) in [
            ("Min duration satisfied", "min_duration_satisfied"),
            ("Min queries satisfied", "min_queries_satisfied"),
            ("Early stopping satisfied", "early_stopping_satisfied"),
            (
                "Performance constraints satisfied",
                "performance_constraints_satisfied",
            ),
        ] {
            assert_eq!(value(&ours, label), yes(&lg[key]), "{name}: {label}");
        }
        // The whole block: discards, the estimate in ns, "need at least N", "N more".
        let expected: Vec<String> = lg["early_stopping_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect();
        assert_eq!(early_stopping_lines(&ours), expected, "{name}");
        if let Some(index) = lg["estimate_index"].as_u64() {
            let mut sorted: Vec<u64> = run.queries.iter().map(|q| q.latency_ns()).collect();
            sorted.sort_unstable();
            assert_eq!(
                Some(sorted[index as usize]),
                lg["estimate_ns"].as_u64(),
                "{name}: the same order statistic"
            );
        }
        for (label, key) in [
            ("Min latency (ns)", "min_latency_ns"),
            ("Max latency (ns)", "max_latency_ns"),
            ("Mean latency (ns)", "mean_latency_ns"),
        ] {
            assert_eq!(
                value(&ours, label).map(|v| v.parse::<u64>().unwrap()),
                lg[key].as_u64(),
                "{name}: {label}"
            );
        }
        for (p, v) in lg["percentiles_ns"].as_object().unwrap() {
            let label = format!("{p} percentile latency (ns)");
            assert_eq!(
                value(&ours, &label).map(|x| x.parse::<u64>().unwrap()),
                v.as_u64(),
                "{name}: {label}"
            );
        }
        if let Some(over) = lg["overlatency_query_count"].as_u64() {
            let bound = match run.settings.scenario {
                ScenarioSettings::Server(s) => (s.latency_bound_ms * 1e6) as u64,
                _ => unreachable!(),
            };
            let ours_over = run
                .queries
                .iter()
                .filter(|q| q.latency_ns() > bound)
                .count();
            assert_eq!(ours_over as u64, over, "{name}");
        }
    }
}

#[test]
fn settings_loadgen_runs_but_inferbench_refuses_are_refused_up_front() {
    // LoadGen runs min_query_count > max_query_count and reports "Min queries satisfied :
    // NO"; InferBench refuses the settings before running, saying which to change.
    let files = [ConfFile::parse(
        "user.conf",
        "*.SingleStream.min_query_count = 200\n*.SingleStream.max_query_count = 100\n",
    )
    .unwrap()];
    let mut s = [TestSettings::loadgen_default(Scenario::SingleStream)];
    apply(&files, "default", &mut s).unwrap();
    let e = s[0].validate().unwrap_err().to_string();
    assert!(e.contains("min_query_count"), "{e}");
}

/// A summary's shape: every line with its values masked (each number becomes `#`), the
/// recommendations' wording (InferBench's own) and the warning and error counts masked, and
/// InferBench's last line dropped.
fn shape(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_recommendations = false;
    for line in text.lines() {
        if line.starts_with("Written by InferBench") {
            continue;
        }
        if line == "Recommendations:" {
            in_recommendations = true;
            out.push(line.to_string());
            continue;
        }
        if in_recommendations && line.starts_with(" * ") {
            out.push(" * <recommendation>".to_string());
            continue;
        }
        in_recommendations = false;
        let masked = if line.ends_with("encountered during test.")
            || line.ends_with("encountered. See detailed log.")
        {
            if line.contains("warning") {
                "<warnings>"
            } else {
                "<errors>"
            }
            .to_string()
        } else if let Some((k, _)) = line.split_once(" : ") {
            format!("{k} : <v>")
        } else if let Some((k, _)) = line.split_once(": ") {
            format!("{k}: <v>")
        } else {
            line.to_string()
        };
        // A run of digits (a number of any length) becomes one '#'.
        let mut line = String::new();
        for c in masked.chars() {
            if !c.is_ascii_digit() {
                line.push(c);
            } else if !line.ends_with('#') {
                line.push('#');
            }
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn case(name: &str) -> Value {
    cases()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn the_summary_layout_is_loadgens() {
    let ours_of = |name: &str| {
        let c = case(name);
        summary_of(&replay(&c, settings_of(&c)))
    };
    for (fixture_name, ours) in [
        (
            "summary_singlestream.txt",
            ours_of("SingleStream-p90-n1000"),
        ),
        ("summary_multistream.txt", ours_of("MultiStream-p99-n1000")),
        ("summary_server.txt", ours_of("Server-n2010-over10")),
        ("summary_server_invalid.txt", ours_of("Server-n1000-over11")),
    ] {
        assert_eq!(
            shape(&ours),
            shape(&fixture(fixture_name)),
            "{fixture_name}:\n{ours}"
        );
        assert!(ours.trim_end().ends_with("InferBench's load generator."));
    }
    // SingleStream, too few queries and too short: replayed from the 50-query case with the
    // layout fixture's minimum duration of one hour.
    let c = case("SingleStream-p90-n50");
    let mut s = settings_of(&c);
    s.min_duration_ms = 3_600_000;
    let ours = summary_of(&replay(&c, s));
    assert_eq!(
        shape(&ours),
        shape(&fixture("summary_singlestream_invalid.txt")),
        "{ours}"
    );
    // Offline: one query of 5,000 samples.
    let mut s = TestSettings::loadgen_default(Scenario::Offline);
    s.scenario = ScenarioSettings::Offline(OfflineSettings {
        batch_size: 64,
        expected_qps: 5000.0,
    });
    s.min_duration_ms = 0;
    s.min_query_count = 5000;
    s.max_query_count = 5000;
    let clock = ManualClock::new();
    let mut sut = FakeSut::constant(&clock, Duration::from_micros(20));
    let run = drive(Runner::new(s, 1024).unwrap(), &clock, &mut sut);
    let ours = summary_of(&run);
    assert_eq!(
        shape(&ours),
        shape(&fixture("summary_offline.txt")),
        "{ours}"
    );
}
