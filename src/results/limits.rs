//! What a result file's text may hold before any of it is parsed ([`check_limits`]): the one
//! place where every reader refuses a text built to exhaust memory or time.
//!
//! A result that InferBench writes nests about 8 levels deep, holds strings of at most a few
//! hundred bytes (labels, user agents, messages), arrays of a handful of items (variants,
//! scenarios, reasons, probes) and the query columns, whose length the load generator caps at
//! [`MAX_QUERY_COUNT`]: packed strings in schema version 2 (at most
//! [`MAX_COLUMN_STRING_BYTES`]), arrays of numbers in version 1. A text beyond the limits below is not a result InferBench wrote, and
//! is refused in one linear pass over its bytes, without allocating: a parser never sees
//! 100,000 scenarios, a 50 MB label or ten thousand nested arrays.
//!
//! The limits are far above what a result needs, so that every file the app can write is
//! read back (`tests/native/results_hostile.rs` checks a result at the query cap); after
//! parsing, [`super::derive`] checks the records against the totals the file states.

use std::fmt;

use crate::loadgen::settings::MAX_QUERY_COUNT;

/// The deepest nesting of arrays and objects: 32 levels (a result uses about 8).
pub const MAX_DEPTH: usize = 32;

/// The longest string: 64 KiB (a result's longest strings, user agents and messages, are a
/// few hundred bytes).
pub const MAX_STRING_BYTES: usize = 64 * 1024;

/// The longest number literal: 64 characters (an `f64` needs at most 24).
pub const MAX_NUMBER_CHARS: usize = 64;

/// The most items of an array or members of an object that is not a query column: 10,000
/// (a result's lists hold at most a few dozen: variants, scenarios, reasons, probes).
pub const MAX_ITEMS: usize = 10_000;

/// The most items of a query column: the load generator's query cap ([`MAX_QUERY_COUNT`]),
/// the most records a run can hold.
pub const MAX_COLUMN_ITEMS: usize = MAX_QUERY_COUNT as usize;

/// The longest packed query column (schema version 2, [`crate::loadgen::columnar`]): the
/// base64 text of [`MAX_COLUMN_ITEMS`] varints of 10 bytes each, the longest a `u64` takes
/// (about 127 MiB; a column of a result at the query cap is typically 13 MiB).
pub const MAX_COLUMN_STRING_BYTES: usize = (MAX_COLUMN_ITEMS * 10).div_ceil(3) * 4;

/// The keys whose arrays (version 1) or packed strings (version 2) hold one item per recorded
/// query (the columnar records and an A/B run's arms), which may be as long as
/// [`MAX_COLUMN_ITEMS`] items or [`MAX_COLUMN_STRING_BYTES`].
pub const COLUMN_KEYS: [&str; 6] = [
    "idle_ns",
    "scheduled_gap_ns",
    "issue_delay_ns",
    "latency_ns",
    "samples",
    "arms",
];

/// A limit a text went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    Depth,
    /// A string longer than [`MAX_STRING_BYTES`], or a packed query column longer than
    /// [`MAX_COLUMN_STRING_BYTES`].
    String,
    /// A number literal longer than [`MAX_NUMBER_CHARS`].
    Number,
    /// An array or object with more than [`MAX_ITEMS`] items.
    Items,
    /// A query column with more than [`MAX_COLUMN_ITEMS`] items.
    ColumnItems,
}

/// Where and how a text went beyond a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// The limit.
    pub limit: Limit,
    /// The 1-based line where it was crossed.
    pub line: usize,
    /// The key of the array or string, when it has one.
    pub key: Option<String>,
    /// Whether the key is a query column's ([`COLUMN_KEYS`]).
    pub column: bool,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match &self.key {
            Some(k) => format!(
                "at line {} (in \"{}\")",
                self.line,
                crate::format::one_line(k, 40)
            ),
            None => format!("at line {}", self.line),
        };
        match self.limit {
            Limit::Depth => write!(
                f,
                "arrays and objects nest more than {MAX_DEPTH} levels deep {at}"
            ),
            Limit::String if self.column => write!(
                f,
                "a packed query column {at} is longer than {} MiB, more than the most queries a run can record take",
                MAX_COLUMN_STRING_BYTES / (1024 * 1024)
            ),
            Limit::String => write!(
                f,
                "a string {at} is longer than {} KiB",
                MAX_STRING_BYTES / 1024
            ),
            Limit::Number => write!(
                f,
                "a number {at} has more than {MAX_NUMBER_CHARS} characters"
            ),
            Limit::Items => write!(
                f,
                "a list {at} has more than {} items",
                crate::format::count(MAX_ITEMS as u64)
            ),
            Limit::ColumnItems => write!(
                f,
                "a query column {at} has more than {} items, the most queries a run can record",
                crate::format::count(MAX_COLUMN_ITEMS as u64)
            ),
        }
    }
}

/// A string's bytes in the text: its start and end (exclusive), quotes left out.
type Span = (usize, usize);

/// The most bytes of a key kept for a message.
const KEY_BYTES: usize = 160;

/// Checks `json` against the limits above in one pass over its bytes, allocating only for
/// the open containers (at most [`MAX_DEPTH`]). It does not check that the text is JSON:
/// the parser does that afterwards, on a text known to be within limits.
///
/// - Time: `O(len)`. Memory: `O(MAX_DEPTH)`.
///
/// # Errors
///
/// The first limit crossed, with its line.
pub fn check_limits(json: &str) -> Result<(), LimitError> {
    let bytes = json.as_bytes();
    // Per open container: commas seen, the most items allowed, the key it is the value of.
    let mut stack: Vec<(usize, usize, Option<Span>)> = Vec::with_capacity(MAX_DEPTH);
    let mut line = 1usize;
    // The last string read, while it may still turn out to be a key (until the next token).
    let mut last_string: Option<Span> = None;
    // The key of the value being read, when it is an object member's.
    let mut key: Option<Span> = None;
    let is_column = |k: Option<Span>| {
        k.is_some_and(|(s, e)| COLUMN_KEYS.iter().any(|c| c.as_bytes() == &bytes[s..e]))
    };
    let fail = |limit: Limit, line: usize, k: Option<Span>| LimitError {
        limit,
        line,
        key: k.map(|(s, e)| String::from_utf8_lossy(&bytes[s..e.min(s + KEY_BYTES)]).into_owned()),
        column: is_column(k),
    };
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                match bytes[j] {
                    b'\\' => j += 1,
                    b'\n' => line += 1,
                    _ => {}
                }
                j += 1;
            }
            let end = j.min(bytes.len());
            let most = if is_column(key) {
                MAX_COLUMN_STRING_BYTES
            } else {
                MAX_STRING_BYTES
            };
            if end - start > most {
                return Err(fail(Limit::String, line, key));
            }
            last_string = Some((start, end));
            i = end + 1;
            continue;
        }
        match c {
            b'\n' => line += 1,
            b' ' | b'\t' | b'\r' => {}
            b':' => key = last_string,
            b'[' | b'{' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(Limit::Depth, line, key));
                }
                let column = c == b'[' && is_column(key);
                stack.push((0, if column { MAX_COLUMN_ITEMS } else { MAX_ITEMS }, key));
                key = None;
            }
            b']' | b'}' => {
                stack.pop();
                key = None;
            }
            b',' => {
                if let Some((commas, most, of)) = stack.last_mut() {
                    *commas += 1;
                    if *commas >= *most {
                        let limit = if *most == MAX_COLUMN_ITEMS {
                            Limit::ColumnItems
                        } else {
                            Limit::Items
                        };
                        return Err(fail(limit, line, *of));
                    }
                }
                key = None;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                if i - start > MAX_NUMBER_CHARS {
                    return Err(fail(Limit::Number, line, key));
                }
                last_string = None;
                continue;
            }
            _ => {}
        }
        if !matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            last_string = None;
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_of(json: &str) -> Option<Limit> {
        check_limits(json).err().map(|e| e.limit)
    }

    #[test]
    fn results_pass_and_each_limit_is_found() {
        assert_eq!(
            limit_of(r#"{"a": [1, 2, {"b": "x\"y]"}], "c": null}"#),
            None
        );
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(limit_of(&deep), None);
        assert_eq!(limit_of(&format!("[{deep}]")), Some(Limit::Depth));
        let long = format!(r#"{{"label": "{}"}}"#, "a".repeat(MAX_STRING_BYTES + 1));
        assert_eq!(limit_of(&long), Some(Limit::String));
        assert_eq!(
            limit_of(&format!("[{}]", "1".repeat(65))),
            Some(Limit::Number)
        );
        let items = |key: &str, n: usize| format!(r#"{{"{key}": [{}]}}"#, vec!["0"; n].join(","));
        assert_eq!(limit_of(&items("probes", MAX_ITEMS)), None);
        assert_eq!(
            limit_of(&items("probes", MAX_ITEMS + 1)),
            Some(Limit::Items)
        );
        // Query columns may be as long as a run's records, as arrays or packed strings.
        assert_eq!(limit_of(&items("latency_ns", MAX_ITEMS + 1)), None);
        let packed = |n: usize| format!(r#"{{"idle_ns": "{}"}}"#, "A".repeat(n));
        assert_eq!(limit_of(&packed(MAX_STRING_BYTES + 4)), None);
        let members = format!(
            "{{{}}}",
            (0..=MAX_ITEMS)
                .map(|i| format!("\"k{i}\": 0"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(limit_of(&members), Some(Limit::Items));
    }

    #[test]
    fn the_error_says_where() {
        let e = check_limits(
            "{\n\"a\":\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(
            e.to_string(),
            "arrays and objects nest more than 32 levels deep at line 3"
        );
        let e = check_limits(&format!("{{\"arms\": [\"{}\"]}}", "A".repeat(70_000))).unwrap_err();
        assert_eq!(e.limit, Limit::String);
    }
}
