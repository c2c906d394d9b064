//! The full result as a fenced JSON block after the marker line, so that the report itself
//! can be imported again ([`read_result`](crate::results::io::read_result)).

use crate::results::io::{to_json, REPORT_JSON_MARKER};
use crate::results::BenchResult;

pub(crate) fn render(result: &BenchResult, out: &mut String) {
    out.push_str("## Result data\n\n");
    out.push_str(
        "The complete result follows, as JSON: save the report and load it in InferBench (or \
         `inferbench report`) to import it again.\n\n",
    );
    out.push_str(REPORT_JSON_MARKER);
    out.push_str("\n```json\n");
    out.push_str(&html_safe_json(&to_json(result)));
    out.push_str("\n```\n");
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`. In JSON these
/// characters occur only inside strings, where the escapes mean the same characters, so the
/// text parses to the same value; but no user text can then form an HTML tag or comment in
/// the report, even in a renderer that mishandles code blocks.
pub(crate) fn html_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
