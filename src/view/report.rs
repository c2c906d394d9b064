//! The report preview: the Markdown report as text, without the result JSON it embeds
//! (megabytes of numbers that belong in the downloaded file, not on the screen). The page
//! downloads that embedded JSON as the result file
//! ([`embedded_json`](crate::results::io::embedded_json)), so that it never writes JSON
//! itself.

use serde::{Deserialize, Serialize};

use crate::results::io::REPORT_JSON_MARKER;

/// What the report section shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPreview {
    /// The report up to its embedded result (all of it when it embeds none).
    pub text: String,
    /// Characters of the report left out of the preview (the embedded result), if any.
    pub omitted_chars: Option<usize>,
}

/// The preview of `markdown`.
pub fn report_preview(markdown: &str) -> ReportPreview {
    match markdown.find(REPORT_JSON_MARKER) {
        Some(at) => ReportPreview {
            text: markdown[..at].trim_end().to_string(),
            omitted_chars: Some(markdown[at..].chars().count()),
        },
        None => ReportPreview {
            text: markdown.to_string(),
            omitted_chars: None,
        },
    }
}

/// A run's LoadGen summary log, offered for download.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SummaryDownload {
    /// The button's text: "f32-naive SingleStream".
    pub label: String,
    /// `inferbench-<label>-<date>-<variant>-<Scenario>-mlperf_log_summary.txt`.
    pub file_name: String,
    /// The run.
    pub run: crate::report::mlperf_log::RunRef,
}

/// One download per performance run of `result` (the text is written when asked for, with
/// [`crate::report::mlperf_log::summary_of`]).
pub fn summary_downloads(result: &crate::results::BenchResult) -> Vec<SummaryDownload> {
    crate::report::mlperf_log::performance_runs(result)
        .into_iter()
        .map(|run| SummaryDownload {
            label: format!("{} {}", run.sut_dir, run.scenario),
            file_name: format!(
                "{}-{}-{}-{}",
                super::files::file_stem(result),
                run.sut_dir,
                run.scenario,
                crate::report::mlperf_log::SUMMARY_FILE
            ),
            run,
        })
        .collect()
}
