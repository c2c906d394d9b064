//! The report preview: the Markdown report as text, without the result JSON it embeds
//! (megabytes of numbers that belong in the downloaded file, not on the screen); and that
//! embedded JSON, which the page downloads as the result file ([`embedded_json`]), so that the
//! page itself never writes JSON.

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

/// The result JSON that `markdown` embeds after its marker line (the fenced block's text,
/// the same value [`crate::results::io::to_json`] writes, with `<`, `>`, `&` escaped inside
/// strings), if it embeds one.
pub fn embedded_json(markdown: &str) -> Option<&str> {
    let after = &markdown[markdown.find(REPORT_JSON_MARKER)? + REPORT_JSON_MARKER.len()..];
    let start = after.find("```json\n")? + "```json\n".len();
    let body = &after[start..];
    Some(&body[..body.find("\n```")?])
}
