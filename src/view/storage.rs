//! How the page keeps completed results in the browser's storage: a compact stored form of a
//! result ([`pack`], [`unpack`]), the index of saved results ([`SavedIndex`]), the keys, and
//! what to tell the user when storage fails ([`StorageError`]).
//!
//! **Why a stored form.** A quick run of two variants records about 100,000 queries; as a
//! result file (JSON, columns of nanoseconds) that is over 10 MB, more than a browser gives
//! one origin (localStorage holds about 5 million characters). The stored form keeps the
//! result's JSON without its query records, and the records as deltas in LEB128 varints,
//! base64-encoded: about 11 characters per query instead of about 100. It is lossless: the
//! records come back bit for bit (their derived fields are recomputed as the result file
//! reader does), so a restored result gives the same charts, verdict and report.
//!
//! Per query, the varints are (all differences of whole nanoseconds):
//! `zigzag(scheduled - previous scheduled)`, `zigzag(issued - scheduled)`,
//! `completed - max(scheduled, issued)` (never negative, so a decoded record can never
//! complete before it started), `zigzag(samples - previous samples)`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::loadgen::record::QueryRecord;
use crate::loadgen::result::RunResult;
use crate::results::{BenchResult, RunStatus};

/// The `format` field of a stored result.
pub const STORED_FORMAT: &str = "inferbench-stored-result";

/// The version of the stored form; a different version is not read (the index says so).
pub const STORED_VERSION: u32 = 1;

/// The storage key of the index of saved results.
pub const INDEX_KEY: &str = "inferbench.saved.v1.index";

/// The prefix of each saved result's storage key.
pub const RESULT_KEY_PREFIX: &str = "inferbench.saved.v1.result.";

/// Why a result could not be saved, listed or restored.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StorageError {
    /// The browser gives the page no storage (disabled, private mode, sandboxed frame).
    Unavailable {
        /// The browser's message.
        message: String,
    },
    /// The storage quota is used up.
    Full {
        /// Characters the result needed.
        chars: usize,
    },
    /// Writing failed for another reason.
    WriteFailed {
        /// The browser's message.
        message: String,
    },
    /// A saved entry is missing or cannot be read back.
    Corrupt {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable { message } => write!(
                f,
                "Results cannot be kept in this browser (its storage is unavailable: {message}). \
                 Download the JSON to keep this result."
            ),
            StorageError::Full { chars } => write!(
                f,
                "Not saved in the browser: storage is full (this result needs {:.1} million \
                 characters). Download the JSON to keep it, or clear saved results.",
                *chars as f64 / 1e6
            ),
            StorageError::WriteFailed { message } => write!(
                f,
                "Not saved in the browser ({message}). Download the JSON to keep this result."
            ),
            StorageError::Corrupt { message } => write!(
                f,
                "A saved result could not be read back ({message}); it was left out. Clear \
                 saved results to remove it."
            ),
        }
    }
}

impl std::error::Error for StorageError {}

/// A result as stored: its JSON without query records, and the records packed.
#[derive(Serialize, Deserialize)]
struct StoredResult {
    format: String,
    version: u32,
    result: BenchResult,
    /// One entry per run, in [`runs_mut`] order.
    queries: Vec<PackedQueries>,
}

/// One run's query records, packed.
#[derive(Serialize, Deserialize)]
struct PackedQueries {
    /// Records.
    n: usize,
    /// Whether they carry the Server queueing/service split.
    server: bool,
    /// The varints, base64 (standard alphabet, no padding).
    data: String,
}

/// Every run of a result, in a fixed order: per variant, accuracy, scenario runs, peak run.
fn runs_mut(result: &mut BenchResult) -> Vec<&mut RunResult> {
    let mut runs = Vec::new();
    for v in &mut result.variants {
        if let Some(a) = v.accuracy.as_mut() {
            runs.push(a);
        }
        for r in &mut v.runs {
            runs.push(&mut r.run);
        }
        if let Some(p) = v.peak.as_mut().and_then(|p| p.peak_run.as_mut()) {
            runs.push(p);
        }
    }
    runs
}

/// The stored form of `result` (see the module docs).
pub fn pack(result: &BenchResult) -> String {
    let mut stripped = result.clone();
    let queries = runs_mut(&mut stripped)
        .into_iter()
        .map(|run| {
            let records = std::mem::take(&mut run.queries);
            PackedQueries {
                n: records.len(),
                server: records.iter().any(|r| r.service_ms.is_some()),
                data: base64_encode(&encode_records(&records)),
            }
        })
        .collect();
    let stored = StoredResult {
        format: STORED_FORMAT.to_string(),
        version: STORED_VERSION,
        result: stripped,
        queries,
    };
    serde_json::to_string(&stored).expect("a result always serialises")
}

/// Reads a stored result back.
///
/// # Errors
///
/// [`StorageError::Corrupt`] if the text is not a stored result of this version or its
/// records do not decode.
pub fn unpack(text: &str) -> Result<BenchResult, StorageError> {
    let corrupt = |message: String| StorageError::Corrupt { message };
    let stored: StoredResult =
        serde_json::from_str(text).map_err(|e| corrupt(format!("not a stored result: {e}")))?;
    if stored.format != STORED_FORMAT || stored.version != STORED_VERSION {
        return Err(corrupt(format!(
            "stored as {} version {}, this page reads {STORED_FORMAT} version {STORED_VERSION}",
            stored.format, stored.version
        )));
    }
    let mut result = stored.result;
    let mut runs = runs_mut(&mut result);
    if runs.len() != stored.queries.len() {
        return Err(corrupt(format!(
            "{} runs but {} packed query lists",
            runs.len(),
            stored.queries.len()
        )));
    }
    for (run, packed) in runs.iter_mut().zip(&stored.queries) {
        let bytes = base64_decode(&packed.data).map_err(corrupt)?;
        run.queries = decode_records(&bytes, packed.n, packed.server).map_err(corrupt)?;
    }
    Ok(result)
}

fn zigzag(v: i128) -> u64 {
    // Differences of u64 values fit in i65; every difference stored here is far smaller.
    let v = v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn encode_records(records: &[QueryRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 8);
    let (mut scheduled, mut samples) = (0u64, 0u32);
    for r in records {
        push_varint(
            &mut out,
            zigzag(i128::from(r.scheduled_ns) - i128::from(scheduled)),
        );
        push_varint(
            &mut out,
            zigzag(i128::from(r.issued_ns) - i128::from(r.scheduled_ns)),
        );
        push_varint(&mut out, r.completed_ns - r.scheduled_ns.max(r.issued_ns));
        push_varint(
            &mut out,
            zigzag(i128::from(r.samples) - i128::from(samples)),
        );
        scheduled = r.scheduled_ns;
        samples = r.samples;
    }
    out
}

struct VarintReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl VarintReader<'_> {
    fn next(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err("the packed queries end early".into());
            };
            self.at += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a packed number is too long".into())
    }
}

fn add_signed(base: u64, delta: i64, what: &str) -> Result<u64, String> {
    base.checked_add_signed(delta)
        .ok_or_else(|| format!("a packed {what} is out of range"))
}

fn decode_records(bytes: &[u8], n: usize, server: bool) -> Result<Vec<QueryRecord>, String> {
    let mut reader = VarintReader { bytes, at: 0 };
    let mut records = Vec::with_capacity(n.min(bytes.len()));
    let (mut scheduled, mut samples) = (0u64, 0u32);
    for _ in 0..n {
        scheduled = add_signed(scheduled, unzigzag(reader.next()?), "scheduled time")?;
        let issued = add_signed(scheduled, unzigzag(reader.next()?), "issue time")?;
        let completed = scheduled
            .max(issued)
            .checked_add(reader.next()?)
            .ok_or("a packed completion time is out of range")?;
        let s = add_signed(u64::from(samples), unzigzag(reader.next()?), "sample count")?;
        samples = u32::try_from(s).map_err(|_| "a packed sample count is out of range")?;
        records.push(QueryRecord::new(
            scheduled, issued, completed, samples, server,
        ));
    }
    if reader.at != bytes.len() {
        return Err(format!(
            "{} bytes left after {n} packed queries",
            bytes.len() - reader.at
        ));
    }
    Ok(records)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// `BASE64` inverted: the 6-bit value of each byte, 255 for bytes outside the alphabet.
const BASE64_VALUES: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        table[BASE64[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = BASE64_VALUES[c as usize];
        if v == 255 {
            return Err(format!(
                "the packed queries hold {:?}, not base64",
                c as char
            ));
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// One saved result, as the "Saved results" list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedEntry {
    /// Its storage key.
    pub key: String,
    /// The machine label.
    pub machine_label: String,
    /// When the run ended (RFC 3339 UTC), if known.
    pub created_utc: Option<String>,
    /// Completed or cancelled.
    pub status: RunStatus,
    /// The variants run, baseline first.
    pub variants: Vec<String>,
    /// Scenario runs that are VALID.
    pub valid_runs: usize,
    /// Scenario runs in all.
    pub runs: usize,
    /// Characters the stored result takes.
    pub chars: usize,
}

impl SavedEntry {
    /// The entry for `result`, stored under `key` in `chars` characters.
    pub fn of(result: &BenchResult, key: &str, chars: usize) -> Self {
        let runs: Vec<_> = result.variants.iter().flat_map(|v| &v.runs).collect();
        SavedEntry {
            key: key.to_string(),
            machine_label: result.machine_label.clone(),
            created_utc: result.created_utc.clone(),
            status: result.status,
            variants: result
                .variants
                .iter()
                .map(|v| v.variant.to_string())
                .collect(),
            valid_runs: runs.iter().filter(|r| r.run.is_valid()).count(),
            runs: runs.len(),
            chars,
        }
    }

    /// One line for the list: "2026-11-23 14:05 UTC · f32-naive, f32-fast · 8 of 8 runs
    /// VALID" (and "cancelled" when it was).
    pub fn description(&self) -> String {
        let when = self
            .created_utc
            .as_deref()
            .and_then(|t| Some(format!("{} {} UTC", t.get(..10)?, t.get(11..16)?)))
            .unwrap_or_else(|| "undated".to_string());
        let status = match self.status {
            RunStatus::Completed => String::new(),
            RunStatus::Cancelled => " · cancelled".to_string(),
        };
        format!(
            "{when} · {} · {} of {} runs VALID{status}",
            self.variants.join(", "),
            self.valid_runs,
            self.runs
        )
    }
}

/// The list of saved results, newest first (stored as JSON under [`INDEX_KEY`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedIndex {
    /// The entries, newest first.
    pub entries: Vec<SavedEntry>,
}

impl SavedIndex {
    /// Reads the index from its stored text; no text is an empty index.
    ///
    /// # Errors
    ///
    /// [`StorageError::Corrupt`] if the text is not an index.
    pub fn parse(text: Option<&str>) -> Result<Self, StorageError> {
        match text {
            None => Ok(Self::default()),
            Some(t) => serde_json::from_str(t).map_err(|e| StorageError::Corrupt {
                message: format!("the list of saved results is unreadable: {e}"),
            }),
        }
    }

    /// The index as stored text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("an index always serialises")
    }

    /// A key for `result` not used by any entry: the prefix, the run's timestamp (or
    /// `undated`), and a counter when needed.
    pub fn new_key(&self, result: &BenchResult) -> String {
        let stamp = result.created_utc.as_deref().unwrap_or("undated");
        let base = format!("{RESULT_KEY_PREFIX}{stamp}");
        let taken = |k: &str| self.entries.iter().any(|e| e.key == k);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|k| !taken(k))
            .expect("an unused counter exists")
    }

    /// Adds `entry` as the newest (replacing an entry with the same key).
    pub fn add(&mut self, entry: SavedEntry) {
        self.remove(&entry.key);
        self.entries.insert(0, entry);
    }

    /// Removes the entry with `key`, if any.
    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|e| e.key != key);
    }

    /// The entry with `key`.
    pub fn get(&self, key: &str) -> Option<&SavedEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}
