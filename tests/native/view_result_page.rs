//! What the Results section shows of a result, crossing from the worker to the page as JSON
//! without its charts' long columns, which follow as typed arrays.

use inferbench::loadgen::settings::Scenario;
use inferbench::plot::Chart;
use inferbench::results::analysis_sample_ms;
use inferbench::view::result_page::ResultPage;

use super::view_support;

/// `page` as it reaches the page: its JSON without columns, and the columns put back.
fn crossed(page: &ResultPage) -> (String, Vec<Vec<f64>>, ResultPage) {
    let mut sent = page.clone();
    let columns = sent.take_columns();
    let json = serde_json::to_string(&sent).unwrap();
    let mut back: ResultPage = serde_json::from_str(&json).unwrap();
    back.fill_columns(columns.clone()).unwrap();
    (json, columns, back)
}

#[test]
fn a_result_page_crosses_identical_with_its_columns_apart() {
    let result = view_support::result();
    let page = ResultPage::of(&result);
    let (json, columns, back) = crossed(&page);
    assert_eq!(back, page);

    // A CDF series and a histogram per variant and scenario, three timeline columns per
    // Server run: every analysed value of a run crosses in the columns, twice.
    let runs: Vec<_> = result.variants.iter().flat_map(|v| &v.runs).collect();
    let server_runs = runs
        .iter()
        .filter(|r| r.run.scenario == Scenario::Server)
        .count();
    assert_eq!(columns.len(), 2 * runs.len() + 3 * server_runs);
    let values: usize = runs.iter().map(|r| analysis_sample_ms(&r.run).len()).sum();
    assert!(values > 0);
    let server_queries: usize = runs
        .iter()
        .filter(|r| r.run.scenario == Scenario::Server)
        .map(|r| r.run.queries.len())
        .sum();
    assert_eq!(
        columns.iter().map(Vec::len).sum::<usize>(),
        2 * values + 3 * server_queries
    );

    // The JSON holds none of them: every chart's per-query data is empty in it.
    let sent: ResultPage = serde_json::from_str(&json).unwrap();
    for charts in &sent.scenario_charts {
        for c in &charts.charts {
            match &c.chart {
                Chart::Cdf(d) => assert!(d.series.iter().all(|s| s.latencies_ms.is_empty())),
                Chart::Histogram(d) => assert!(d.latencies_ms.is_empty()),
                Chart::Timeline(d) => assert!(d.points.is_empty()),
                _ => {}
            }
        }
    }
    assert!(
        json.len() < 100_000,
        "{} bytes of JSON for {values} values",
        json.len()
    );

    // Each CDF draws its run's values sorted (the worker's sort, never the page's).
    let cdf = back.scenario_charts[0]
        .charts
        .iter()
        .find_map(|c| match &c.chart {
            Chart::Cdf(d) => Some(d),
            _ => None,
        })
        .unwrap();
    let first = &result.variants[0]
        .run(back.scenario_charts[0].scenario)
        .unwrap()
        .run;
    let mut expected = analysis_sample_ms(first);
    expected.sort_by(f64::total_cmp);
    assert_eq!(cdf.series[0].latencies_ms, expected);
}

#[test]
fn columns_that_do_not_fit_the_page_are_refused() {
    let page = ResultPage::of(&view_support::result());
    let mut sent = page.clone();
    let mut columns = sent.take_columns();

    let mut short = columns.clone();
    short.pop();
    let e = sent.clone().fill_columns(short).unwrap_err();
    assert!(e.contains("too few columns"), "{e}");

    let mut long = columns.clone();
    long.push(vec![1.0]);
    let e = sent.clone().fill_columns(long).unwrap_err();
    assert!(e.contains("take fewer"), "{e}");

    // A Server timeline's columns (the last three of its scenario's) of different lengths.
    let server = sent
        .scenario_charts
        .iter()
        .position(|s| s.scenario == Scenario::Server)
        .expect("the test result runs Server");
    let before: usize = sent.scenario_charts[..=server]
        .iter()
        .flat_map(|s| &s.charts)
        .map(|c| match &c.chart {
            Chart::Cdf(d) => d.series.len(),
            Chart::Histogram(_) => 1,
            Chart::Timeline(_) => 3,
            _ => 0,
        })
        .sum();
    columns[before - 1].pop();
    let e = sent.fill_columns(columns).unwrap_err();
    assert!(e.contains("timeline columns of"), "{e}");
    assert!(e.contains("chart-timeline-server"), "{e}");
}

#[test]
fn the_timing_facts_of_a_result_cross_to_the_page() {
    use inferbench::results::io::read_result;

    // A result with a clock check, cross-checks and timer-limited runs.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/results/coarse-timer.json"
    ))
    .unwrap();
    let result = read_result(&text).unwrap();
    let check = result.environment.clock_check.expect("a clock check");
    let page = ResultPage::of(&result);
    let (_, _, back) = crossed(&page);
    assert_eq!(back, page);
    assert_eq!(back.clock_dither, Some(format!("{:?}", check.dither)));
    assert!(
        back.clock_check.starts_with("Clock check"),
        "{}",
        back.clock_check
    );
    assert!(!back.timing_notes.is_empty());
    assert!(back.timing_notes.iter().any(|n| n.cross_check.is_some()));
    assert_eq!(
        back.timer.resolution_ms,
        result
            .environment
            .timer
            .as_ref()
            .and_then(|t| t.resolution_ms)
    );
}

#[test]
fn every_fixture_result_page_crosses_identical() {
    use inferbench::results::io::read_result;

    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut read = 0;
    for dir in ["results", "hostile", "v1/results"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            // Hostile files the reader refuses never reach the page.
            let Ok(result) = read_result(&std::fs::read_to_string(&path).unwrap()) else {
                continue;
            };
            let page = ResultPage::of(&result);
            let (_, _, back) = crossed(&page);
            assert_eq!(back, page, "{}", path.display());
            read += 1;
        }
    }
    assert!(read >= 8, "only {read} fixtures read");
}
