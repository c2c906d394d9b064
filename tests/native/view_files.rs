//! Download file names, the UTC timestamp, and the report preview.

use inferbench::results::io::REPORT_JSON_MARKER;
use inferbench::view::files::{
    label_slug, report_file_name, result_date, result_file_name, UtcTime,
};
use inferbench::view::report::report_preview;

use super::view_support;

#[test]
fn labels_become_file_name_slugs() {
    assert_eq!(label_slug("Alice's Laptop (2024)"), "alice-s-laptop-2024");
    assert_eq!(label_slug("  Lab 3 / PC #12  "), "lab-3-pc-12");
    assert_eq!(label_slug("Müller-PC"), "müller-pc");
    assert_eq!(label_slug("../../etc"), "etc");
    assert_eq!(label_slug("!!!"), "machine");
    assert_eq!(label_slug(""), "machine");
    let long = "a ".repeat(60);
    let slug = label_slug(&long);
    assert_eq!(slug.chars().count(), 39, "{slug}");
    assert!(!slug.ends_with('-'));
}

#[test]
fn dates_come_from_the_timestamp_or_say_undated() {
    assert_eq!(result_date(Some("2026-11-23T14:05:09Z")), "2026-11-23");
    assert_eq!(result_date(None), "undated");
    assert_eq!(result_date(Some("yesterday")), "undated");
    assert_eq!(result_date(Some("2026-1-3T00:00:00Z")), "undated");
}

#[test]
fn downloads_carry_the_label_and_the_date() {
    let mut result = view_support::result();
    assert_eq!(report_file_name(&result), "inferbench-lab-3-2026-11-23.md");
    assert_eq!(
        result_file_name(&result),
        "inferbench-lab-3-2026-11-23.json"
    );
    result.created_utc = None;
    assert_eq!(report_file_name(&result), "inferbench-lab-3-undated.md");
}

#[test]
fn utc_time_prints_rfc3339_and_refuses_impossible_fields() {
    let t = UtcTime {
        year: 2026,
        month: 11,
        day: 3,
        hour: 4,
        minute: 5,
        second: 9,
    };
    assert_eq!(t.rfc3339().as_deref(), Some("2026-11-03T04:05:09Z"));
    assert_eq!(UtcTime { month: 13, ..t }.rfc3339(), None);
    assert_eq!(UtcTime { hour: 24, ..t }.rfc3339(), None);
    assert_eq!(UtcTime { day: 0, ..t }.rfc3339(), None);
}

#[test]
fn the_preview_leaves_out_the_embedded_result() {
    let md = format!("# Title\n\nBody.\n\n{REPORT_JSON_MARKER}\n```json\n{{}}\n```\n");
    let p = report_preview(&md);
    assert_eq!(p.text, "# Title\n\nBody.");
    let omitted = REPORT_JSON_MARKER.len() + "\n```json\n{}\n```\n".len();
    assert_eq!(p.omitted_chars, Some(omitted));
    let plain = report_preview("# Only text");
    assert_eq!(plain.text, "# Only text");
    assert_eq!(plain.omitted_chars, None);
}
