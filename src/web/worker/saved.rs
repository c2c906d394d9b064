//! The worker's saved results: saving each finished result to IndexedDB (with the time it
//! took), showing a result to the page (its page, with its charts' columns transferred), opening the store
//! (and moving localStorage's results into it), and showing a saved one.

use crate::results::BenchResult;
use crate::view::protocol::WorkerEvent;
use crate::view::result_page::ResultPage;
use crate::view::storage::{altered_notice, pack, unpack_checked, INDEX_KEY};
use crate::web::idb;
use crate::web::storage::{log_storage, now_ms};
use crate::web::transfer::post_columns;

use super::{send, Current, Scope, Worker};

/// Sends the index of saved results with the storage's usage.
pub(super) async fn send_index(scope: &mut Scope, index: crate::view::storage::SavedIndex) {
    let usage = idb::usage().await;
    send(scope, WorkerEvent::Saved { index, usage }).await;
}

/// Saves `result` (its stored form); returns its key, or tells the page why it is not saved.
pub(super) async fn save(
    scope: &mut Scope,
    worker: &mut Worker,
    result: &BenchResult,
) -> Option<String> {
    let started = now_ms();
    let packed = pack(result);
    let packed_at = now_ms();
    let outcome = match worker.storage().await {
        Ok(s) => s.save(result, &packed, None).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok((index, key)) => {
            log_storage(&format!(
                "saved {key}: {} characters, packed in {:.0} ms, written in {:.0} ms",
                packed.len(),
                packed_at - started,
                now_ms() - packed_at
            ));
            send_index(scope, index).await;
            Some(key)
        }
        Err(e) => {
            send(scope, WorkerEvent::StorageNotice(e.to_string())).await;
            None
        }
    }
}

/// Hands `result` to the page (what its Results section shows, the charts' columns as
/// transferred typed arrays) and keeps it for analysis and downloads.
pub(super) async fn show(
    scope: &mut Scope,
    worker: &mut Worker,
    result: BenchResult,
    key: Option<String>,
) {
    let mut page = ResultPage::of(&result);
    let columns = page.take_columns();
    match post_columns(&columns) {
        Ok(transfer) => {
            drop(columns);
            worker.current = Some(Current {
                result,
                report: None,
            });
            send(
                scope,
                WorkerEvent::Show {
                    page: Box::new(page),
                    transfer,
                    key,
                },
            )
            .await;
        }
        Err(e) => {
            send(
                scope,
                WorkerEvent::Failed(format!(
                    "the result could not be handed to the page: {}",
                    idb::message(&e)
                )),
            )
            .await;
        }
    }
}

/// Opens the saved results (moving those of `localStorage` in), sends the index and shows
/// the newest.
pub(super) async fn open_saved(
    scope: &mut Scope,
    worker: &mut Worker,
    legacy: Vec<(String, String)>,
) {
    let storage = match worker.storage().await {
        Ok(s) => s.clone(),
        Err(e) => {
            send(scope, WorkerEvent::StorageNotice(e.to_string())).await;
            return;
        }
    };
    if legacy.iter().any(|(k, _)| k != INDEX_KEY) {
        let (moved, problems) = storage.migrate(&legacy).await;
        if moved > 0 {
            send(
                scope,
                WorkerEvent::StorageNotice(format!(
                    "{moved} saved result{} moved from this browser's localStorage to IndexedDB, \
                     which holds results of any size.",
                    if moved == 1 { "" } else { "s" }
                )),
            )
            .await;
        }
        for p in &problems {
            send(scope, WorkerEvent::StorageNotice(p.clone())).await;
        }
        if problems.is_empty() {
            let keys = legacy.into_iter().map(|(k, _)| k).collect();
            send(scope, WorkerEvent::LegacyMoved(keys)).await;
        }
    }
    match storage.index().await {
        Ok(index) => {
            let newest = index.entries.first().map(|e| e.key.clone());
            send_index(scope, index).await;
            if let Some(key) = newest {
                show_saved(scope, worker, &key).await;
            }
        }
        Err(e) => send(scope, WorkerEvent::StorageNotice(e.to_string())).await,
    }
}

/// Reads the saved result under `key` and shows it.
pub(super) async fn show_saved(scope: &mut Scope, worker: &mut Worker, key: &str) {
    let loaded = match worker.storage().await {
        Ok(s) => {
            let started = now_ms();
            s.load(key).await.and_then(|text| {
                let read_at = now_ms();
                let checked = unpack_checked(&text);
                log_storage(&format!(
                    "read {key}: {} characters, read in {:.0} ms, checked in {:.0} ms",
                    text.len(),
                    read_at - started,
                    now_ms() - read_at
                ));
                checked
            })
        }
        Err(e) => Err(e),
    };
    match loaded {
        Ok(checked) => {
            if let Some(summary) = checked.summary() {
                send(scope, WorkerEvent::StorageNotice(altered_notice(&summary))).await;
            }
            show(scope, worker, checked.result, Some(key.to_string())).await
        }
        Err(e) => send(scope, WorkerEvent::StorageNotice(e.to_string())).await,
    }
}
