//! A result at InferBench's query limit (10 million queries in all) survives the round
//! trip: written, read back identical, reported and compared; one query more is refused.
//!
//! The result is synthetic (no benchmark is run): two SingleStream runs driven by the real
//! runner on a scripted clock, with service times that vary from query to query.

use std::time::{Duration, Instant};

use inferbench::loadgen::clock::ManualClock;
use inferbench::loadgen::settings::{Scenario, ScenarioSettings, MAX_RESULT_QUERIES};
use inferbench::loadgen::{run_to_completion, Runner, VaryingSut};
use inferbench::results::io::{parse_result, to_json};
use inferbench::results::ScenarioRun;

use crate::loadgen_support::bare;

fn single_stream_run(queries: u64, base_ns: u64) -> ScenarioRun {
    let clock = ManualClock::new();
    let mut sut = VaryingSut::new(&clock, Duration::from_nanos(base_ns));
    let runner = Runner::new(bare(ScenarioSettings::SingleStream, queries), 359).unwrap();
    ScenarioRun::new(run_to_completion(runner, &clock, &mut sut, |t| {
        clock.set(t)
    }))
}

#[test]
fn a_result_at_the_query_limit_is_written_read_reported_and_compared() {
    let started = Instant::now();
    let mut result = super::view_support::result();
    // Two SingleStream runs fill the result to exactly its limit.
    let others: u64 = result.query_count()
        - result
            .variants
            .iter()
            .filter_map(|v| v.run(Scenario::SingleStream))
            .map(|r| r.run.queries.len() as u64)
            .sum::<u64>();
    let each = (MAX_RESULT_QUERIES - others) / 2;
    for (v, base_ns) in [(0, 150_000), (1, 100_000)] {
        let runs = &mut result.variants[v].runs;
        let i = runs
            .iter()
            .position(|r| r.run.scenario == Scenario::SingleStream)
            .unwrap();
        runs[i] = single_stream_run(
            each + (v as u64) * ((MAX_RESULT_QUERIES - others) % 2),
            base_ns,
        );
    }
    assert_eq!(result.query_count(), MAX_RESULT_QUERIES);
    let built = started.elapsed();

    let json = to_json(&result);
    // About 6 bytes a query (4 characters of latency, 2 of idle time, and the rest).
    assert!(
        json.len() < 8 * MAX_RESULT_QUERIES as usize,
        "{} bytes",
        json.len()
    );
    let back = parse_result(json.as_bytes()).expect("a result at the limit reads");
    assert!(back == result, "the result reads back identical");
    drop(back);

    // The report compares the two runs (five million queries each).
    let report = inferbench::report::render_markdown(&result);
    assert!(
        report.contains("f32-fast is 1.5") && report.contains("x faster than f32-naive"),
        "{}",
        report
            .lines()
            .filter(|l| l.contains("faster"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!(
        "# {} queries: built in {:.1} s, {:.0} MB written, round trip and report in {:.1} s",
        MAX_RESULT_QUERIES,
        built.as_secs_f64(),
        json.len() as f64 / 1e6,
        (started.elapsed() - built).as_secs_f64()
    );

    // One query more than a result may hold is refused, with the limit in the message.
    let queries = &mut result.variants[0].runs[0].run.queries;
    let last = *queries.last().unwrap();
    queries.push(last);
    let over = to_json(&result);
    let err = parse_result(over.as_bytes()).unwrap_err().to_string();
    assert!(
        err.contains("more than the 10,000,000 InferBench records in one result"),
        "{err}"
    );
}
