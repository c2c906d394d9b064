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
