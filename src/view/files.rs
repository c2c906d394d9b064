//! File names of downloads (`inferbench-<label>-<YYYY-MM-DD>.md`, the comparison report's
//! `inferbench-comparison-<YYYY-MM-DD>.md`) and the UTC timestamp a result records.

use crate::results::BenchResult;

/// The longest label part of a file name, in characters.
const MAX_SLUG_CHARS: usize = 40;

/// The machine label as a file-name part: lower case, letters and digits kept (any
/// script), every other run of characters turned into one `-`, no leading or trailing
/// `-`, at most 40 characters; `machine` when nothing is left.
///
/// `"Alice's Laptop (2024)"` becomes `"alice-s-laptop-2024"`.
pub fn label_slug(label: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    let slug: String = slug.chars().take(MAX_SLUG_CHARS).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "machine".to_string()
    } else {
        slug.to_string()
    }
}

/// The `YYYY-MM-DD` date of an RFC 3339 timestamp (`2026-11-23T14:05:09Z`), or `undated`
/// when there is no timestamp or it does not start with a date.
pub fn result_date(created_utc: Option<&str>) -> String {
    let Some(text) = created_utc else {
        return "undated".to_string();
    };
    let date = text.get(..10).unwrap_or("");
    let bytes = date.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if shape_ok {
        date.to_string()
    } else {
        "undated".to_string()
    }
}

/// The stem shared by a result's downloads: `inferbench-<label-slug>-<YYYY-MM-DD>`.
pub fn file_stem(result: &BenchResult) -> String {
    format!(
        "inferbench-{}-{}",
        label_slug(&result.machine_label),
        result_date(result.created_utc.as_deref())
    )
}

/// The report's file name: `inferbench-<label-slug>-<YYYY-MM-DD>.md`.
pub fn report_file_name(result: &BenchResult) -> String {
    format!("{}.md", file_stem(result))
}

/// The result's file name: `inferbench-<label-slug>-<YYYY-MM-DD>.json`.
pub fn result_file_name(result: &BenchResult) -> String {
    format!("{}.json", file_stem(result))
}

/// The comparison report's file name: `inferbench-comparison-<YYYY-MM-DD>.md`, dated by
/// `now_utc` (the browser's clock, RFC 3339), or `undated`.
pub fn comparison_file_name(now_utc: Option<&str>) -> String {
    format!("inferbench-comparison-{}.md", result_date(now_utc))
}

/// The name a result saved in this browser takes in a comparison:
/// `inferbench-<label-slug>-<YYYY-MM-DD>.json (saved in this browser)`.
pub fn saved_file_name(machine_label: &str, created_utc: Option<&str>) -> String {
    format!(
        "inferbench-{}-{}.json (saved in this browser)",
        label_slug(machine_label),
        result_date(created_utc)
    )
}

/// A UTC time as the browser's `Date` reports it, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcTime {
    /// The year, e.g. 2026.
    pub year: u32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
    /// The hour, 0 to 23.
    pub hour: u32,
    /// The minute, 0 to 59.
    pub minute: u32,
    /// The second, 0 to 60 (a leap second).
    pub second: u32,
}

impl UtcTime {
    /// The time as an RFC 3339 UTC timestamp with whole seconds (`2026-11-23T14:05:09Z`),
    /// or `None` if a field is out of range (a clock that cannot be trusted).
    pub fn rfc3339(&self) -> Option<String> {
        let ok = (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second <= 60;
        ok.then(|| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                self.year, self.month, self.day, self.hour, self.minute, self.second
            )
        })
    }
}
