//! A small async wrapper over IndexedDB (web-sys directly; a wrapper crate would add to
//! every student's download for the dozen calls used here): one database of string values
//! in named object stores, in a window or a worker, with the browser's errors turned into
//! [`StorageError`]s the page can show.

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use crate::view::storage::{StorageError, StorageUsage};

/// The browser's message for `e`.
pub fn message(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}

/// Whether `e` is the browser saying the storage quota is used up.
pub fn is_quota_error(e: &JsValue) -> bool {
    e.dyn_ref::<web_sys::DomException>().is_some_and(|d| {
        // The standard name, Firefox's legacy one, and the legacy code 22.
        d.name() == "QuotaExceededError"
            || d.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || d.code() == 22
    })
}

fn unavailable(e: &JsValue) -> StorageError {
    StorageError::Unavailable {
        message: message(e),
    }
}

/// The global scope's `indexedDB` (window or worker).
fn factory() -> Result<IdbFactory, StorageError> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .ok()
        .and_then(|f| f.dyn_into::<IdbFactory>().ok())
        .ok_or_else(|| StorageError::Unavailable {
            message: "this browser gives the page no IndexedDB".into(),
        })
}

/// Resolves with `request`'s result, or rejects with its error.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let r = request.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = r.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let bad = r.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = bad
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        r.set_onsuccess(Some(on_success.unchecked_ref()));
        r.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Resolves when `tx` commits, or rejects with its error (a quota error among them: a
/// write that does not fit fails when its transaction commits).
async fn committed(tx: &IdbTransaction) -> Result<(), JsValue> {
    let t = tx.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let bad = t.clone();
        let reject_ = reject.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = bad.error().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject_.call1(&JsValue::NULL, &error);
        });
        let aborted = t.clone();
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let error = aborted
                .error()
                .map_or(JsValue::from_str("the write was aborted"), JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        t.set_oncomplete(Some(on_complete.unchecked_ref()));
        t.set_onerror(Some(on_error.unchecked_ref()));
        t.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

/// An open database whose object stores hold strings.
#[derive(Debug, Clone)]
pub struct Database {
    db: IdbDatabase,
}

impl Database {
    /// Opens database `name` (version 1), creating `stores` the first time.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the browser gives the page no IndexedDB (some
    /// private modes) or refuses to open it.
    pub async fn open(name: &str, stores: &'static [&'static str]) -> Result<Self, StorageError> {
        let request: IdbOpenDbRequest = factory()?
            .open_with_u32(name, 1)
            .map_err(|e| unavailable(&e))?;
        let r = request.clone();
        let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
            if let Ok(db) = r.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
                for s in stores {
                    if !db.object_store_names().contains(s) {
                        let _ = db.create_object_store(s);
                    }
                }
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db = done(&request)
            .await
            .map_err(|e| unavailable(&e))?
            .dyn_into::<IdbDatabase>()
            .map_err(|e| unavailable(&e))?;
        Ok(Self { db })
    }

    fn transaction(
        &self,
        store: &str,
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, StorageError> {
        self.db
            .transaction_with_str_and_mode(store, mode)
            .map_err(|e| unavailable(&e))
    }

    /// The string under `key` in `store`, if any.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if it cannot be read; [`StorageError::Corrupt`] if the
    /// value is not a string.
    pub async fn get(&self, store: &str, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.transaction(store, IdbTransactionMode::Readonly)?;
        let request = tx
            .object_store(store)
            .and_then(|s| s.get(&JsValue::from_str(key)))
            .map_err(|e| unavailable(&e))?;
        let value = done(&request).await.map_err(|e| unavailable(&e))?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| StorageError::Corrupt {
                message: format!("the value under {key} is not text"),
            })
    }

    /// Writes each (store, key, value) in one transaction: all or none.
    ///
    /// # Errors
    ///
    /// [`StorageError::Full`] (with `chars`, the size being written) when the quota is used
    /// up, [`StorageError::WriteFailed`] otherwise.
    pub async fn put_all(
        &self,
        writes: &[(&str, &str, &str)],
        chars: usize,
    ) -> Result<(), StorageError> {
        let mut stores: Vec<&str> = writes.iter().map(|w| w.0).collect();
        stores.sort_unstable();
        stores.dedup();
        let names = js_sys::Array::new();
        for s in &stores {
            names.push(&JsValue::from_str(s));
        }
        let write_error = |e: JsValue| {
            if is_quota_error(&e) {
                StorageError::Full { chars, usage: None }
            } else {
                StorageError::WriteFailed {
                    message: message(&e),
                }
            }
        };
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
            .map_err(|e| unavailable(&e))?;
        for (store, key, value) in writes {
            tx.object_store(store)
                .and_then(|s| s.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key)))
                .map_err(write_error)?;
        }
        committed(&tx).await.map_err(write_error)
    }

    /// Removes every value of `stores`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if the browser refuses.
    pub async fn clear(&self, stores: &[&str]) -> Result<(), StorageError> {
        for store in stores {
            let tx = self.transaction(store, IdbTransactionMode::Readwrite)?;
            tx.object_store(store)
                .and_then(|s| s.clear())
                .map_err(|e| unavailable(&e))?;
            committed(&tx).await.map_err(|e| unavailable(&e))?;
        }
        Ok(())
    }

    /// Removes `key` from `store`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] if the browser refuses.
    pub async fn delete(&self, store: &str, key: &str) -> Result<(), StorageError> {
        let tx = self.transaction(store, IdbTransactionMode::Readwrite)?;
        tx.object_store(store)
            .and_then(|s| s.delete(&JsValue::from_str(key)))
            .map_err(|e| unavailable(&e))?;
        committed(&tx).await.map_err(|e| unavailable(&e))
    }
}

/// `navigator.storage` of the global scope (window or worker), if the browser has it.
fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    js_sys::Reflect::get(&navigator, &JsValue::from_str("storage"))
        .ok()?
        .dyn_into::<web_sys::StorageManager>()
        .ok()
}

/// `navigator.storage.estimate()`: how much the page's origin uses of its quota.
pub async fn usage() -> Option<StorageUsage> {
    let estimate = JsFuture::from(storage_manager()?.estimate().ok()?)
        .await
        .ok()?;
    let number = |key: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_f64())
    };
    Some(StorageUsage {
        used_bytes: number("usage")?,
        quota_bytes: number("quota")?,
    })
}

/// `navigator.storage.persist()` (a window only): whether the browser will keep the page's
/// storage until the user clears it; `None` when it cannot be asked.
pub async fn persist() -> Option<bool> {
    let manager = storage_manager()?;
    let persist = js_sys::Reflect::get(&manager, &JsValue::from_str("persist")).ok()?;
    let persist: Function = persist.dyn_into().ok()?;
    let promise: Promise = persist.call0(&manager).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}
