//! A result crossing from the worker to the page as a JSON shell and query columns.

use inferbench::loadgen::settings::Scenario;
use inferbench::results::analysis_sample_ms;
use inferbench::view::transfer::{join, runs_mut, split, QueryColumns, SortedSamples};

use super::view_support;

#[test]
fn a_result_split_into_shell_and_columns_joins_back_identical() {
    let mut result = view_support::result();
    let before = result.clone();
    let (shell, columns) = split(&mut result);
    assert_eq!(result, before, "split leaves the result as it was");
    let runs = runs_mut(&mut result).len();
    assert_eq!(shell.runs, runs);
    assert_eq!(columns.len(), runs);
    let queries: usize = columns.iter().map(|c| c.scheduled_ns.len()).sum();
    assert!(queries > 0);
    // The shell holds no query: the columns carry them all.
    let mut bare = before.clone();
    for run in runs_mut(&mut bare) {
        run.queries.clear();
    }
    assert_eq!(
        shell.json.len(),
        serde_json::to_string(&bare).unwrap().len()
    );

    let (joined, samples) = join(&shell, columns).unwrap();
    assert_eq!(joined, before);
    assert_eq!(samples, SortedSamples::of(&before));
    let v = &before.variants[0];
    let run = v
        .runs
        .iter()
        .find(|r| r.run.scenario == Scenario::SingleStream)
        .unwrap();
    let sorted = samples.get(v.variant, Scenario::SingleStream).unwrap();
    let mut expected = analysis_sample_ms(&run.run);
    expected.sort_by(f64::total_cmp);
    assert_eq!(sorted, &expected[..]);
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn columns_that_do_not_fit_the_shell_are_refused() {
    let mut result = view_support::result();
    let (shell, mut columns) = split(&mut result);
    let last = columns.pop().unwrap();
    let e = join(&shell, columns.clone()).unwrap_err();
    assert!(e.contains("query columns came"), "{e}");
    columns.push(QueryColumns {
        completed_ns: last.completed_ns[1..].to_vec(),
        ..last
    });
    let e = join(&shell, columns).unwrap_err();
    assert!(e.contains("differ in length"), "{e}");
    let bad = inferbench::view::transfer::ResultShell {
        json: "{".into(),
        runs: 0,
    };
    assert!(join(&bad, Vec::new()).is_err());
}

#[test]
fn the_raw_fields_of_every_feature_cross_to_the_page() {
    use inferbench::loadgen::clock::StdClock;
    use inferbench::loadgen::overhead::measure_overhead;
    use inferbench::loadgen::timing_check::Dither;
    use inferbench::loadgen::user_conf::ConfSource;
    use inferbench::results::io::read_result;

    // A result with a clock check, cross-checks and each run's clock dither ...
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/results/coarse-timer.json"
    ))
    .unwrap();
    let mut result = read_result(&text).unwrap();
    assert!(result.environment.clock_check.is_some());
    assert!(result.variants[0]
        .runs
        .iter()
        .any(|r| r.cross_check.is_some()));
    // ... the load generator's overhead, a user.conf, Offline on several executors.
    result.loadgen_overhead = Some(measure_overhead(&StdClock::new(), 10));
    result.plan.user_conf = vec![ConfSource {
        name: "user.conf".into(),
        text: "*.SingleStream.target_latency_percentile = 90\n".into(),
    }];
    result.plan.offline_workers = Some(3);
    for v in &mut result.variants {
        for r in &mut v.runs {
            r.run.clock_dither = Some(Dither::Dithered);
            if r.run.scenario == Scenario::Offline {
                r.run.executors = 3;
            }
        }
    }
    let before = result.clone();
    let (shell, columns) = split(&mut result);
    let (joined, _) = join(&shell, columns).unwrap();
    assert_eq!(joined, before);
    assert_eq!(joined.loadgen_overhead, before.loadgen_overhead);
    assert_eq!(joined.plan.user_conf, before.plan.user_conf);
    assert_eq!(
        joined.environment.clock_check,
        before.environment.clock_check
    );
}
