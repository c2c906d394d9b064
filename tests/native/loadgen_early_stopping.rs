//! LoadGen's early-stopping criterion against the reference points of ANCHORS.md section 1
//! (computed there by re-implementing `loadgen/early_stopping.cc`, and cross-checked with the
//! LoadGen log quoted in mlcommons/inference#1079: "Processed at least 64 queries (7914).
//! Would discard 728 highest latency queries").

use inferbench::loadgen::early_stopping::{
    estimate_rank, server_check, MinPassingQueries, TooFewQueries,
};

fn rank(percentile: f64, queries: u64) -> Result<u64, TooFewQueries> {
    let mut finder = MinPassingQueries::new(percentile);
    estimate_rank(&mut finder, percentile, queries).map(|r| r.discarded)
}

#[test]
fn minimum_queries_for_an_estimate() {
    for (p, needed) in [
        (0.90, 64),
        (0.95, 130),
        (0.97, 219),
        (0.99, 662),
        (0.999, 6_636),
    ] {
        assert_eq!(
            MinPassingQueries::new(p).min_queries_for_estimate(),
            needed,
            "p = {p}"
        );
        assert_eq!(
            rank(p, needed - 1),
            Err(TooFewQueries {
                query_count: needed - 1,
                min_query_count: needed
            })
        );
        // At exactly the minimum, nothing is discarded: the estimate is the maximum.
        assert_eq!(rank(p, needed), Ok(0), "p = {p}");
    }
}

#[test]
fn p90_discards_as_loadgen_logged_for_7914_queries() {
    let mut finder = MinPassingQueries::new(0.9);
    let r = estimate_rank(&mut finder, 0.9, 7_914).unwrap();
    assert_eq!(r.discarded, 728);
    assert_eq!(r.overlatency_allowed, 729);
    assert_eq!(r.index, 7_914 - 729);
    assert_eq!(r.min_query_count, 64);
}

#[test]
fn table_rows_of_anchors_md() {
    // p90: q = 100 -> 2, 1,000 -> 77, 10,000 -> 929, 24,576 -> 2,347.
    assert_eq!(rank(0.9, 100), Ok(2));
    assert_eq!(rank(0.9, 1_000), Ok(77));
    assert_eq!(rank(0.9, 10_000), Ok(929));
    assert_eq!(rank(0.9, 24_576), Ok(2_347));
    // p99: q = 100 invalid, 1,000 -> 1, 10,000 -> 76, 24,576 -> 208.
    assert!(rank(0.99, 100).is_err());
    assert_eq!(rank(0.99, 1_000), Ok(1));
    assert_eq!(rank(0.99, 10_000), Ok(76));
    assert_eq!(rank(0.99, 24_576), Ok(208));
}

#[test]
fn the_chosen_t_is_the_largest_that_fits() {
    // q >= h(t) + t for the chosen t, and q < h(t + 1) + t + 1.
    let mut finder = MinPassingQueries::new(0.9);
    for q in [64u64, 65, 100, 777, 5_000] {
        let r = estimate_rank(&mut finder, 0.9, q).unwrap();
        let t = r.overlatency_allowed;
        assert!(q >= finder.min_under_latency(t) + t, "q = {q}");
        assert!(q < finder.min_under_latency(t + 1) + t + 1, "q = {q}");
    }
}

#[test]
fn server_p99_required_queries() {
    let mut finder = MinPassingQueries::new(0.99);
    for (over, required) in [(0, 459), (1, 662), (10, 2_010), (100, 12_571)] {
        let check = server_check(&mut finder, 0.99, required, over);
        assert_eq!(check.required_query_count, required, "t = {over}");
        assert!(check.met);
        assert_eq!(check.more_queries_needed, 0);
        let short = server_check(&mut finder, 0.99, required - 1, over);
        assert!(!short.met);
        assert_eq!(short.more_queries_needed, 1);
    }
    // "Would need to run at least N more queries".
    let check = server_check(&mut finder, 0.99, 500, 1);
    assert_eq!(check.more_queries_needed, 162);
}
