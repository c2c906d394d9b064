//! How the page keeps completed results in the browser's storage: the stored form of a
//! result ([`pack`], [`unpack`]), the index of saved results ([`SavedIndex`]), the keys, how
//! much of the browser's storage they use ([`StorageUsage`]), and what to tell the user when
//! storage fails ([`StorageError`]).
//!
//! **Where**: IndexedDB, written and read by the worker (the page's thread never encodes or
//! decodes a result), with `navigator.storage.persist()` asked for so that the browser
//! keeps them. Results that earlier InferBench versions kept in `localStorage` (about 5
//! million characters at most) are moved there when the page opens.
//!
//! **The stored form** is the result file's own JSON, compact (no indentation): its query
//! records are packed columns ([`crate::loadgen::columnar`]), about 6 bytes per query, so a
//! run of a million queries takes about 6 MB and a result at InferBench's limit of ten
//! million about 60 MB, within what browsers give an origin (a share of the disk, shown with
//! the saved results). Reading it back goes through the result file reader, so a stored
//! result is checked like an imported file, its derived values rebuilt ([`unpack_checked`]);
//! only a result this process has just produced is read as it is ([`unpack_fresh`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::results::consistency::Checked;
use crate::results::io::{read_checked, read_stored};
use crate::results::{BenchResult, RunStatus};

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
        /// How much the page used of how much, when the browser tells.
        usage: Option<StorageUsage>,
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
            StorageError::Full { chars, usage } => write!(
                f,
                "Not saved in the browser: storage is full (this result needs {:.1} MB{}). \
                 Download the JSON to keep it, or clear saved results to make room.",
                *chars as f64 / 1e6,
                usage.map_or_else(String::new, |u| format!(
                    "; the page uses {} of the {} this browser allows it",
                    megabytes(u.used_bytes),
                    megabytes(u.quota_bytes)
                ))
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

/// How much of the browser's storage the page uses (`navigator.storage.estimate()`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StorageUsage {
    /// Bytes used by the page's origin (all its storage, not only the saved results).
    pub used_bytes: f64,
    /// Bytes the browser allows the origin.
    pub quota_bytes: f64,
}

impl StorageUsage {
    /// One sentence for the Saved results section; `persisted` is the answer to
    /// `navigator.storage.persist()` (`None`: not asked, or the browser cannot tell).
    pub fn description(&self, persisted: Option<bool>) -> String {
        let kept = match persisted {
            Some(true) => " The browser keeps them until you clear them (persistent storage).",
            Some(false) => {
                " The browser did not grant persistent storage: it may clear them when the disk \
                 runs short, so download the results you want to keep."
            }
            None => "",
        };
        format!(
            "This page uses {} of the {} of storage this browser allows it ({}).{kept}",
            megabytes(self.used_bytes),
            megabytes(self.quota_bytes),
            crate::report::verdict_text::format_percent(if self.quota_bytes > 0.0 {
                self.used_bytes / self.quota_bytes
            } else {
                0.0
            })
        )
    }
}

/// Bytes in MB or GB, e.g. "12.3 MB", "1.2 GB".
fn megabytes(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.1} MB", bytes / 1e6)
    }
}

/// The stored form of `result` (see the module docs).
pub fn pack(result: &BenchResult) -> String {
    crate::results::json::to_compact(result).expect("a result always serialises")
}

/// Reads a stored result back, its derived values rebuilt from its query records (a saved
/// result is read like any file: the storage can be edited).
///
/// # Errors
///
/// [`StorageError::Corrupt`] if the text is not a readable result of this schema version.
pub fn unpack(text: &str) -> Result<BenchResult, StorageError> {
    unpack_checked(text).map(|c| c.result)
}

/// [`unpack`], keeping what the stored derived values got wrong
/// ([`Checked::summary`]), for the page to say so.
///
/// # Errors
///
/// As [`unpack`].
pub fn unpack_checked(text: &str) -> Result<Checked, StorageError> {
    read_checked(text).map_err(|e| StorageError::Corrupt {
        message: e.to_string(),
    })
}

/// Reads back the packed result the worker has just produced, without rebuilding its
/// derived values (it computed them a moment ago, from the same records): the page's main
/// thread then does no analysis.
///
/// # Errors
///
/// As [`unpack`].
pub fn unpack_fresh(text: &str) -> Result<BenchResult, StorageError> {
    read_stored(text).map_err(|e| StorageError::Corrupt {
        message: e.to_string(),
    })
}

/// What the page says of a saved result whose stored values do not match its records.
pub fn altered_notice(summary: &str) -> String {
    format!(
        "This saved result does not match its own query records ({summary}): it was changed \
         after the run. The page shows the values recomputed from the records."
    )
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
        crate::results::json::to_compact(self).expect("an index always serialises")
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
