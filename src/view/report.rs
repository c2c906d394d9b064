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
