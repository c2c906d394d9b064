//! The saved results: in IndexedDB, read and written by the worker ([`SavedResults`]: one
//! value per result, its stored form [`crate::view::storage::pack`], and the index, written
//! together), and the `localStorage` of earlier versions, which the page reads once to move
//! its results over ([`legacy_entries`], [`remove_legacy`]). Every failure becomes a
//! [`StorageError`] the page shows (never a crash).

use wasm_bindgen::JsValue;

use super::idb::{self, Database};
use crate::results::BenchResult;
use crate::view::storage::{
    pack, unpack, SavedEntry, SavedIndex, StorageError, INDEX_KEY, RESULT_KEY_PREFIX,
};

/// The database's name.
const DATABASE: &str = "inferbench";
/// The store of the results' stored forms, by key.
const RESULTS: &str = "results";
/// The store of the index (under [`INDEX_KEY`]).
const META: &str = "meta";

/// The saved results in IndexedDB.
#[derive(Debug, Clone)]
pub struct SavedResults {
    db: Database,
}

impl SavedResults {
    /// Opens (or creates) the database.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the browser gives the page no IndexedDB.
    pub async fn open() -> Result<Self, StorageError> {
        Ok(Self {
            db: Database::open(DATABASE, &[RESULTS, META]).await?,
        })
    }

    /// The index of saved results.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if it cannot be read, [`StorageError::Corrupt`] if it
    /// is not an index.
    pub async fn index(&self) -> Result<SavedIndex, StorageError> {
        SavedIndex::parse(self.db.get(META, INDEX_KEY).await?.as_deref())
    }

    /// Saves `result` (whose stored form is `packed`) as the newest entry, under `key` when
    /// given (a result moved from `localStorage` keeps its key); returns the new index and
    /// the entry's key. The result and the index are written in one transaction.
    ///
    /// # Errors
    ///
    /// [`StorageError::Full`] when the quota is used up (with the usage, when the browser
    /// tells), other variants when the storage cannot be written or its index read.
    pub async fn save(
        &self,
        result: &BenchResult,
        packed: &str,
        key: Option<&str>,
    ) -> Result<(SavedIndex, String), StorageError> {
        let mut index = self.index().await?;
        let key = key.map_or_else(|| index.new_key(result), str::to_string);
        let chars = packed.len();
        index.add(SavedEntry::of(result, &key, chars));
        let index_text = index.to_text();
        match self
            .db
            .put_all(
                &[(RESULTS, &key, packed), (META, INDEX_KEY, &index_text)],
                chars,
            )
            .await
        {
            Err(StorageError::Full { chars, .. }) => Err(StorageError::Full {
                chars,
                usage: idb::usage().await,
            }),
            other => other.map(|()| (index, key)),
        }
    }

    /// The stored form saved under `key`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Corrupt`] if there is none, [`StorageError::Unavailable`] if the
    /// storage cannot be read.
    pub async fn load(&self, key: &str) -> Result<String, StorageError> {
        self.db
            .get(RESULTS, key)
            .await?
            .ok_or_else(|| StorageError::Corrupt {
                message: format!("nothing is saved under {key}"),
            })
    }

    /// Removes every saved result and the index; returns the (empty) index.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if the storage cannot be written.
    pub async fn clear(&self) -> Result<SavedIndex, StorageError> {
        self.db.clear(&[RESULTS, META]).await?;
        Ok(SavedIndex::default())
    }

    /// Moves results of `localStorage` (`legacy`: key, stored text; the index under
    /// [`INDEX_KEY`]) in, oldest first so that the newest stays first, each read (and so
    /// brought to the current schema) and saved again. Returns how many moved and, for
    /// those that could not be, why.
    pub async fn migrate(&self, legacy: &[(String, String)]) -> (usize, Vec<String>) {
        let index_text = legacy
            .iter()
            .find(|(k, _)| k == INDEX_KEY)
            .map(|(_, t)| t.as_str());
        // The index's order (oldest first), then any result it does not list (a missing or
        // damaged index loses no result).
        let mut order: Vec<String> = SavedIndex::parse(index_text)
            .map(|i| i.entries.iter().rev().map(|e| e.key.clone()).collect())
            .unwrap_or_default();
        for (k, _) in legacy {
            if k.starts_with(RESULT_KEY_PREFIX) && !order.contains(k) {
                order.push(k.clone());
            }
        }
        let (mut moved, mut problems) = (0, Vec::new());
        for key in order {
            let Some((_, text)) = legacy.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let outcome = match unpack(text) {
                Ok(result) => self
                    .save(&result, &pack(&result), Some(&key))
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => moved += 1,
                Err(e) => problems.push(e.to_string()),
            }
        }
        (moved, problems)
    }
}

/// Milliseconds on this global's `performance.now()` (0 where it has none): what the
/// storage's steps take, for [`log_storage`].
pub fn now_ms() -> f64 {
    use crate::loadgen::clock::Clock;
    super::clock::PerformanceClock::new().map_or(0.0, |c| c.now().as_secs_f64() * 1e3)
}

/// Tells the browser's console what storing or reading a result took (`line`, after
/// "InferBench storage: "), for a developer and the end-to-end test of a long run.
pub fn log_storage(line: &str) {
    web_sys::console::info_1(&format!("InferBench storage: {line}").into());
}

/// Page side: the saved results of `localStorage` (InferBench before IndexedDB): each
/// result's key and text, and the index; empty when there are none or it cannot be read.
pub fn legacy_entries() -> Vec<(String, String)> {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(RESULT_KEY_PREFIX) || k == INDEX_KEY)
        .filter_map(|k| Some((k.clone(), storage.get_item(&k).ok().flatten()?)))
        .collect()
}

/// Page side: removes `keys` from `localStorage` (once their results moved).
///
/// # Errors
///
/// The browser's exception.
pub fn remove_legacy(keys: &[String]) -> Result<(), JsValue> {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        for k in keys {
            storage.remove_item(k)?;
        }
    }
    Ok(())
}
