//! The stored form of a result and the index of saved results.

use inferbench::results::RunStatus;
use inferbench::view::storage::{
    pack, unpack, SavedEntry, SavedIndex, StorageError, StorageUsage, RESULT_KEY_PREFIX,
};

use super::view_support;

#[test]
fn a_result_round_trips_exactly_and_compactly() {
    let result = view_support::result();
    let packed = pack(&result);
    assert_eq!(unpack(&packed).unwrap(), result);
    let queries: usize = result
        .variants
        .iter()
        .flat_map(|v| v.accuracy.iter().chain(v.runs.iter().map(|r| &r.run)))
        .map(|r| r.queries.len())
        .sum();
    // The stored form is the result file's JSON without indentation: under 20 characters
    // a query, everything included.
    assert!(packed.len() < inferbench::results::io::to_json(&result).len());
    assert!(
        packed.len() < 20 * queries,
        "{} characters for {queries} queries",
        packed.len()
    );
}

#[test]
fn a_cancelled_result_with_partial_runs_round_trips() {
    let plan = view_support::plan(vec![inferbench::model::Variant::Int8]);
    let result = view_support::run(plan, 7, 0.0001, Some(40));
    assert_eq!(result.status, RunStatus::Cancelled);
    assert_eq!(unpack(&pack(&result)).unwrap(), result);
}

#[test]
fn damaged_stored_results_are_reported() {
    let packed = pack(&view_support::result());
    let corrupt = |text: &str| match unpack(text) {
        Err(StorageError::Corrupt { message }) => message,
        other => panic!("expected Corrupt, got {other:?}"),
    };
    assert!(corrupt("not json").starts_with("not a result file"));
    let other_version = packed.replacen("\"schema_version\":2", "\"schema_version\":9", 1);
    assert!(corrupt(&other_version).contains("version 9"));
    // A query column with one value more than its count.
    let long = packed.replacen("\"latency_ns\":\"", "\"latency_ns\":\"AA", 1);
    assert!(
        corrupt(&long).contains("latency_ns column"),
        "{}",
        corrupt(&long)
    );
    assert!(corrupt(&packed[..packed.len() / 2]).contains("EOF"));
}

#[test]
fn the_index_lists_newest_first_with_unique_keys() {
    let result = view_support::result();
    let mut index = SavedIndex::default();
    let first = index.new_key(&result);
    assert_eq!(first, format!("{RESULT_KEY_PREFIX}2026-11-23T14:05:09Z"));
    index.add(SavedEntry::of(&result, &first, 1000));
    let second = index.new_key(&result);
    assert_eq!(second, format!("{first}-2"));
    index.add(SavedEntry::of(&result, &second, 2000));
    assert_eq!(index.entries[0].key, second, "newest first");
    let text = index.to_text();
    assert_eq!(SavedIndex::parse(Some(&text)).unwrap(), index);
    index.remove(&second);
    assert_eq!(index.entries.len(), 1);
    assert_eq!(SavedIndex::parse(None).unwrap(), SavedIndex::default());
    assert!(matches!(
        SavedIndex::parse(Some("[1, 2")),
        Err(StorageError::Corrupt { .. })
    ));
}

#[test]
fn entries_describe_the_run() {
    let result = view_support::result();
    let entry = SavedEntry::of(&result, "k", 12_345);
    assert_eq!(
        entry.description(),
        "2026-11-23 14:05 UTC · f32-naive, f32-fast · 8 of 8 runs VALID"
    );
    let mut cancelled = entry.clone();
    cancelled.status = RunStatus::Cancelled;
    cancelled.created_utc = None;
    assert!(cancelled.description().starts_with("undated"));
    assert!(cancelled.description().ends_with(" · cancelled"));
}

#[test]
fn storage_errors_tell_what_to_do() {
    let full = StorageError::Full {
        chars: 6_200_000,
        usage: None,
    };
    assert_eq!(
        full.to_string(),
        "Not saved in the browser: storage is full (this result needs 6.2 MB). \
         Download the JSON to keep it, or clear saved results to make room."
    );
    let usage = StorageUsage {
        used_bytes: 59_800_000.0,
        quota_bytes: 60_000_000.0,
    };
    let full = StorageError::Full {
        chars: 6_200_000,
        usage: Some(usage),
    };
    assert!(
        full.to_string()
            .contains("; the page uses 59.8 MB of the 60.0 MB this browser allows it)"),
        "{full}"
    );
    let unavailable = StorageError::Unavailable {
        message: "SecurityError".into(),
    };
    assert!(unavailable.to_string().contains("Download the JSON"));
}

#[test]
fn storage_usage_says_how_much_and_whether_it_is_kept() {
    let usage = StorageUsage {
        used_bytes: 12_300_000.0,
        quota_bytes: 2_500_000_000.0,
    };
    let text = usage.description(Some(true));
    assert!(
        text.starts_with(
            "This page uses 12.3 MB of the 2.5 GB of storage this browser allows it ("
        ),
        "{text}"
    );
    assert!(text.ends_with("(persistent storage)."), "{text}");
    assert!(usage
        .description(Some(false))
        .contains("did not grant persistent storage"));
    assert!(usage.description(None).ends_with(")."));
    let empty = StorageUsage {
        used_bytes: 0.0,
        quota_bytes: 0.0,
    };
    assert!(
        empty.description(None).contains("(0"),
        "{}",
        empty.description(None)
    );
}
