//! Why a file could not be read as a result ([`ReadError`]), in sentences a person can act
//! on, and the reader's size limits: named by the reader ([`super::io`]) and by the checks
//! it runs ([`super::consistency`], [`super::derive`]).

use std::fmt;

use super::limits::LimitError;
use super::{MAX_RESULT_QUERIES, SCHEMA_NAME, SCHEMA_VERSION};

/// The largest file read as a result: 512 MiB, more than any result InferBench writes.
///
/// A result holds at most [`MAX_RESULT_QUERIES`] queries. Written (version 2), a query takes
/// about 6 bytes (a latency of a few hundred microseconds is a 3-byte varint, 4 base64
/// characters) and at most [`MAX_ENCODED_BYTES_PER_QUERY`], so a result at the limit is at
/// most 320 MB and typically 60 MB; a version 1 file at the limit, in decimal text, is
/// typically 140 MB. The rest of a result (settings, summaries) is a few kilobytes per run.
pub const MAX_RESULT_BYTES: usize = 512 * 1024 * 1024;

/// The most base64 characters one query takes in a version 2 file: its idle time, issue
/// delay and latency as 7-byte varints (durations up to 2^48 ns, 78 hours, longer than any
/// run's 24-hour limit), its sample count as 3 bytes (at most 65,536): 24 bytes, 32 characters.
pub const MAX_ENCODED_BYTES_PER_QUERY: usize = 32;

const _: () = assert!(
    MAX_RESULT_QUERIES as usize * MAX_ENCODED_BYTES_PER_QUERY + 64 * 1024 * 1024
        <= MAX_RESULT_BYTES
);

/// The most characters of a parser's message (or of a string the file supplies) shown in a
/// [`ReadError`]: a message quotes the offending text, which a hostile file can make huge.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// Why a file could not be read as a result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReadError {
    /// The file is empty.
    Empty,
    /// The file is larger than [`MAX_RESULT_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// The text is not JSON, and not a report with an embedded result.
    NotJson {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The JSON is not an InferBench result (no or another `schema` field).
    NotAResult {
        /// The `schema` found, if any.
        found: Option<String>,
    },
    /// A result of a schema version this InferBench does not read.
    UnsupportedVersion {
        /// The file's version.
        found: u64,
    },
    /// The JSON is a result of the right version but a field is missing or malformed.
    Malformed {
        /// The parser's message, naming the field, with line and column.
        message: String,
    },
    /// The result parses but holds impossible values (e.g. a negative or non-finite latency).
    Invalid {
        /// What is wrong.
        message: String,
    },
    /// The text goes beyond what any result holds (nesting depth, a string's or a list's
    /// length): refused before parsing ([`super::limits`]).
    BeyondLimits(LimitError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(f, "the file is empty"),
            ReadError::TooLarge { bytes } => write!(
                f,
                "the file is {:.1} MiB, more than the {} MiB a result can be: is it the right file?",
                *bytes as f64 / 1048576.0,
                MAX_RESULT_BYTES / 1048576
            ),
            ReadError::NotJson { message } => write!(
                f,
                "not a result file: it is neither JSON nor an InferBench report with an embedded result ({})",
                clip(message)
            ),
            ReadError::NotAResult { found: None } => write!(
                f,
                "not an InferBench result: the JSON has no \"schema\": \"{SCHEMA_NAME}\" field"
            ),
            ReadError::NotAResult { found: Some(s) } => write!(
                f,
                "not an InferBench result: its schema is \"{}\", expected \"{SCHEMA_NAME}\"",
                crate::format::one_line(s, 60)
            ),
            ReadError::UnsupportedVersion { found } if *found > u64::from(SCHEMA_VERSION) => write!(
                f,
                "result schema version {found} is newer than this InferBench reads ({SCHEMA_VERSION}): update InferBench"
            ),
            ReadError::UnsupportedVersion { found } => write!(
                f,
                "result schema version {found} is not supported (this InferBench reads versions 1 to {SCHEMA_VERSION})"
            ),
            ReadError::Malformed { message } => write!(f, "the result is malformed: {}", clip(message)),
            ReadError::Invalid { message } => {
                write!(f, "the result holds impossible values: {}", clip(message))
            }
            ReadError::BeyondLimits(e) => {
                write!(f, "not a result InferBench wrote: {e}")
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// A message for one line: control characters escaped, at most [`MAX_MESSAGE_CHARS`].
pub(super) fn clip(message: &str) -> String {
    crate::format::one_line(message, MAX_MESSAGE_CHARS)
}
