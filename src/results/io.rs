//! Reading and writing result files, with errors a person can act on.
//!
//! A result can be read from its JSON file or from a Markdown report, which embeds the
//! result as a fenced ```` ```json ```` block after the [`REPORT_JSON_MARKER`] line.

use std::fmt;

use serde::Deserialize;

use super::consistency::Checked;
use super::limits::{check_limits, Limit};
pub use super::read_error::{
    ReadError, MAX_ENCODED_BYTES_PER_QUERY, MAX_MESSAGE_CHARS, MAX_RESULT_BYTES,
};
use super::{BenchResult, MAX_RESULT_QUERIES, SCHEMA_NAME, SCHEMA_VERSION};

/// The line of a Markdown report right before its embedded result.
pub const REPORT_JSON_MARKER: &str = "<!-- inferbench-result-json -->";

/// The result as pretty JSON, with arrays of numbers (the query columns) on one line each.
pub fn to_json(result: &BenchResult) -> String {
    let pretty = super::json::to_pretty(result)
        .expect("a result always serialises (no maps with non-string keys)");
    inline_number_arrays(&pretty)
}

/// Rewrites the arrays of a pretty-printed JSON text whose elements are all numbers onto one
/// line (`[1, 2, 3]`); everything else is kept as it is. Strings are skipped correctly.
pub fn inline_number_arrays(pretty: &str) -> String {
    let bytes = pretty.as_bytes();
    let mut out = String::with_capacity(pretty.len());
    let mut i = 0;
    let mut copied = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
        } else if c == b'[' {
            if let Some((end, items)) = number_array(&pretty[i + 1..]) {
                out.push_str(&pretty[copied..=i]);
                out.push_str(&items.join(", "));
                out.push(']');
                i += 1 + end + 1;
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&pretty[copied..]);
    out
}

/// If `rest` (the text after a `[`) holds only numbers up to its `]`, their texts and the
/// offset of the `]`.
fn number_array(rest: &str) -> Option<(usize, Vec<&str>)> {
    let end = rest.find(']')?;
    let body = &rest[..end];
    if body.trim().is_empty() || body.contains(['[', '{', '"']) {
        return None;
    }
    let items: Vec<&str> = body.split(',').map(str::trim).collect();
    items
        .iter()
        .all(|t| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        })
        .then_some((end, items))
}

/// Reads a result from a JSON file's text or from a Markdown report's text, with every
/// derived value (summaries, metrics, validity, the A/B comparison) rebuilt from the raw
/// part ([`super::derive`]); [`read_checked`] also says which stored values disagreed.
///
/// # Errors
///
/// A [`ReadError`] saying what is wrong with the file.
pub fn read_result(text: &str) -> Result<BenchResult, ReadError> {
    read_checked(text).map(|c| c.result)
}

/// Reads a result as [`read_result`] does, keeping the list of stored derived values that
/// do not match what the raw part gives ([`Checked::mismatches`]).
///
/// # Errors
///
/// A [`ReadError`] saying what is wrong with the file.
pub fn read_checked(text: &str) -> Result<Checked, ReadError> {
    super::consistency::check(read_stored(text)?)
}

/// Reads a result as stored, derived values included, without rebuilding them: for a result
/// this process has just produced (the page's worker hands one over), never for a file.
///
/// # Errors
///
/// A [`ReadError`] saying what is wrong with the text.
pub fn read_stored(text: &str) -> Result<BenchResult, ReadError> {
    parse_result(text.as_bytes())
}

/// Parses a result file's bytes, a result's JSON or a Markdown report that embeds one, into
/// the result as stored (derived values as the file states them, see [`read_checked`] for
/// the rebuilt ones): the one place where a file becomes a [`BenchResult`].
///
/// The text is first checked against the limits of any result ([`super::limits`], one pass
/// over its bytes). The JSON is then parsed once, straight into the result (version 1's and
/// version 2's query columns are told apart by their JSON type, see
/// [`crate::loadgen::columnar`]); only when that fails is the text looked at again, to say
/// whether it is not a result at all, of another version, or a result with a malformed
/// field. Then the values JSON types cannot check are checked (`check_values`), and a
/// version 1 result is brought to version 2 ([`upgrade`](super::upgrade::upgrade): the two
/// analyses whose definitions changed are recomputed from its queries).
///
/// # Errors
///
/// A [`ReadError`] saying what is wrong with the file.
pub fn parse_result(bytes: &[u8]) -> Result<BenchResult, ReadError> {
    if bytes.len() > MAX_RESULT_BYTES {
        return Err(ReadError::TooLarge { bytes: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotJson {
        message: format!("the file is not UTF-8 text (at byte {})", e.valid_up_to()),
    })?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ReadError::Empty);
    }
    let json = if trimmed.starts_with('{') {
        trimmed
    } else {
        embedded_json(trimmed).ok_or_else(|| ReadError::NotJson {
            // The parser's message says what the text is; a text nested beyond the limit is
            // not parsed at all (serde skips values without its recursion limit, keeping a
            // stack as deep as the nesting).
            message: match check_limits(trimmed) {
                Err(e) if e.limit == Limit::Depth => e.to_string(),
                _ => match serde_json::from_str::<serde::de::IgnoredAny>(trimmed) {
                    Err(e) => e.to_string(),
                    Ok(_) => "the JSON is not an object".into(),
                },
            },
        })?
    };
    check_limits(json).map_err(ReadError::BeyondLimits)?;
    let result: BenchResult = match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => return Err(classify_failure(json, e)),
    };
    if result.schema != SCHEMA_NAME {
        return Err(ReadError::NotAResult {
            found: Some(result.schema),
        });
    }
    if !READ_VERSIONS.contains(&result.schema_version) {
        return Err(ReadError::UnsupportedVersion {
            found: u64::from(result.schema_version),
        });
    }
    check_values(&result)?;
    Ok(super::upgrade::upgrade(result))
}

/// The schema versions [`parse_result`] reads.
pub const READ_VERSIONS: [u32; 2] = [1, SCHEMA_VERSION];

/// Why `json` did not parse as a result: not JSON, not a result, another version, or a
/// malformed field (`error`, with its line and column).
fn classify_failure(json: &str, error: serde_json::Error) -> ReadError {
    if error.is_syntax() || error.is_eof() {
        return ReadError::NotJson {
            message: error.to_string(),
        };
    }
    let Ok(header) = serde_json::from_str::<Header>(json) else {
        return ReadError::NotAResult { found: None };
    };
    match header.schema {
        Some(Field::Text(s)) if s == SCHEMA_NAME => {}
        Some(Field::Text(s)) => return ReadError::NotAResult { found: Some(s) },
        _ => return ReadError::NotAResult { found: None },
    }
    match header.schema_version {
        Some(Field::Whole(v)) if !READ_VERSIONS.iter().any(|&r| u64::from(r) == v) => {
            ReadError::UnsupportedVersion { found: v }
        }
        Some(Field::Whole(_)) => ReadError::Malformed {
            message: error.to_string(),
        },
        _ => ReadError::Malformed {
            message: "missing or non-integer field `schema_version`".into(),
        },
    }
}

/// The two fields that say what a JSON object is, read when it did not parse as a result:
/// every other field is skipped without being kept.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    schema: Option<Field>,
    #[serde(default)]
    schema_version: Option<Field>,
}

/// A header field: text, a whole number, or anything else (skipped).
enum Field {
    Text(String),
    Whole(u64),
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> serde::de::Visitor<'de> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Field, E> {
                Ok(Field::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Field, E> {
                Ok(Field::Whole(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Field, E> {
                Ok(Field::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Field, E> {
                Ok(Field::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
                Ok(Field::Other)
            }
            fn visit_unit<E>(self) -> Result<Field, E> {
                Ok(Field::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Field, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Field::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Field, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Field::Other)
            }
        }
        d.deserialize_any(FieldVisitor)
    }
}

/// The fenced JSON block that follows [`REPORT_JSON_MARKER`] in a report (the result the
/// report embeds), if there is one.
pub fn embedded_json(text: &str) -> Option<&str> {
    let after = &text[text.find(REPORT_JSON_MARKER)? + REPORT_JSON_MARKER.len()..];
    let open = after.find("```json")?;
    let body = &after[open + "```json".len()..];
    let close = body.find("\n```")?;
    Some(body[..close].trim())
}

/// Checks what JSON types cannot: finite, non-negative numbers where measurements are.
fn check_values(result: &BenchResult) -> Result<(), ReadError> {
    let invalid = |message: String| Err(ReadError::Invalid { message });
    if result.machine_label.trim().is_empty() {
        return invalid("the machine label is empty".into());
    }
    // Query times need no check here: they are whole nanoseconds (`u64` columns) and the
    // columnar reader refuses negative times, completions before issues and runs over the
    // per-run limit.
    let queries = result.query_count();
    if queries > MAX_RESULT_QUERIES {
        return invalid(format!(
            "it holds {} queries, more than the {} InferBench records in one result",
            crate::format::count(queries),
            crate::format::count(MAX_RESULT_QUERIES)
        ));
    }
    if !result.model.training.duration_ms.is_finite() || result.model.training.duration_ms < 0.0 {
        return invalid(format!(
            "training took {} ms",
            result.model.training.duration_ms
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_arrays_go_on_one_line_and_nothing_else_changes() {
        let value = serde_json::json!({
            "a": [1, 2.5, -3e-7],
            "s": "text with [1, 2] and \"quotes\"",
            "nested": [[1, 2], {"x": [4]}],
            "strings": ["a", "b"],
            "empty": []
        });
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let inlined = inline_number_arrays(&pretty);
        assert!(inlined.contains("\"a\": [1, 2.5, -3e-7]"), "{inlined}");
        assert!(inlined.contains("\"x\": [4]"), "{inlined}");
        assert!(
            inlined.contains("[\n      1,\n      2\n    ]") || inlined.contains("[1, 2]"),
            "{inlined}"
        );
        let back: serde_json::Value = serde_json::from_str(&inlined).unwrap();
        assert_eq!(back, value);
    }
}
