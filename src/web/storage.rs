//! The saved results in the browser's `localStorage`: one key per result (its stored form,
//! [`crate::view::storage::pack`]) and an index, with every failure turned into a
//! [`StorageError`] the page shows (never a crash).

use wasm_bindgen::{JsCast, JsValue};

use crate::results::BenchResult;
use crate::view::storage::{SavedEntry, SavedIndex, StorageError, INDEX_KEY, RESULT_KEY_PREFIX};

/// The page's `localStorage`.
#[derive(Debug, Clone)]
pub struct BrowserStorage {
    storage: web_sys::Storage,
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}

fn is_quota_error(e: &JsValue) -> bool {
    e.dyn_ref::<web_sys::DomException>().is_some_and(|d| {
        // The standard name, Firefox's legacy one, and the legacy code 22.
        d.name() == "QuotaExceededError"
            || d.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || d.code() == 22
    })
}

impl BrowserStorage {
    /// Opens the page's `localStorage`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the browser gives the page none.
    pub fn open() -> Result<Self, StorageError> {
        let window = web_sys::window().ok_or_else(|| StorageError::Unavailable {
            message: "no window".into(),
        })?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(Self { storage }),
            Ok(None) => Err(StorageError::Unavailable {
                message: "localStorage is disabled".into(),
            }),
            Err(e) => Err(StorageError::Unavailable {
                message: message(&e),
            }),
        }
    }

    /// The index of saved results.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if it cannot be read, [`StorageError::Corrupt`] if it
    /// is not an index.
    pub fn index(&self) -> Result<SavedIndex, StorageError> {
        let text = self
            .storage
            .get_item(INDEX_KEY)
            .map_err(|e| StorageError::Unavailable {
                message: message(&e),
            })?;
        SavedIndex::parse(text.as_deref())
    }

    /// Saves `result` (whose stored form is `packed`) as the newest entry; returns the new
    /// index and the entry's key.
    ///
    /// # Errors
    ///
    /// [`StorageError::Full`] when the quota is used up, other variants when the storage
    /// cannot be written or its index read. Nothing is left half-saved.
    pub fn save(
        &self,
        result: &BenchResult,
        packed: &str,
    ) -> Result<(SavedIndex, String), StorageError> {
        let mut index = self.index()?;
        let key = index.new_key(result);
        let chars = packed.chars().count();
        let write_error = |e: JsValue| {
            if is_quota_error(&e) {
                StorageError::Full { chars }
            } else {
                StorageError::WriteFailed {
                    message: message(&e),
                }
            }
        };
        self.storage.set_item(&key, packed).map_err(write_error)?;
        index.add(SavedEntry::of(result, &key, chars));
        if let Err(e) = self.storage.set_item(INDEX_KEY, &index.to_text()) {
            let _ = self.storage.remove_item(&key);
            return Err(write_error(e));
        }
        Ok((index, key))
    }

    /// The stored form saved under `key`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Corrupt`] if there is none, [`StorageError::Unavailable`] if the
    /// storage cannot be read.
    pub fn load(&self, key: &str) -> Result<String, StorageError> {
        self.storage
            .get_item(key)
            .map_err(|e| StorageError::Unavailable {
                message: message(&e),
            })?
            .ok_or_else(|| StorageError::Corrupt {
                message: format!("nothing is saved under {key}"),
            })
    }

    /// Removes every saved result and the index; returns the (empty) index.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if the storage cannot be listed or written.
    pub fn clear(&self) -> Result<SavedIndex, StorageError> {
        let unavailable = |e: JsValue| StorageError::Unavailable {
            message: message(&e),
        };
        let n = self.storage.length().map_err(unavailable)?;
        let keys: Vec<String> = (0..n)
            .filter_map(|i| self.storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(RESULT_KEY_PREFIX) || k == INDEX_KEY)
            .collect();
        for k in keys {
            self.storage.remove_item(&k).map_err(unavailable)?;
        }
        Ok(SavedIndex::default())
    }
}
