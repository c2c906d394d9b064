//! What the page does with each message from the worker (a result's page completed with
//! its transferred chart columns, a download offered, moved `localStorage` entries removed),
//! and how a picked model file reaches the worker.

use std::rc::Rc;

use crate::view::form::FormEdit;
use crate::view::protocol::{WorkerEvent, WorkerRequest};
use crate::view::state::{Action, NoticeLevel};
use crate::web::download::download_bytes;
use crate::web::storage::remove_legacy;
use crate::web::transfer::{take_bytes, take_columns};

use super::{Bridge, Dispatch};

/// Shows `text` as a warning.
pub(super) fn notify(dispatch: &Dispatch, text: impl Into<String>) {
    dispatch.dispatch(Action::Notify(NoticeLevel::Warning, text.into()));
}

/// Handles a message from the worker: a result to show gets its charts' transferred
/// columns back, a prepared download is offered, moved `localStorage` entries
/// are removed; the rest goes to the state.
pub(super) fn on_worker_event(event: WorkerEvent, dispatch: &Dispatch) {
    match event {
        WorkerEvent::Show {
            mut page,
            transfer,
            key,
        } => {
            // Copied a part per task (a million queries at once held the page's main thread
            // for 130-270 ms), then shown.
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match take_columns(transfer)
                    .await
                    .and_then(|columns| page.fill_columns(columns))
                {
                    Ok(()) => dispatch.dispatch(Action::Show {
                        page: Rc::from(page),
                        key,
                    }),
                    Err(e) => notify(&dispatch, format!("A result could not be shown: {e}")),
                }
            });
        }
        WorkerEvent::File {
            name,
            mime,
            transfer,
            ..
        } => {
            let outcome = take_bytes(transfer)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    download_bytes(&name, &mime, &bytes).map_err(|e| {
                        e.as_string()
                            .unwrap_or_else(|| "the browser refused".into())
                    })
                });
            if let Err(e) = outcome {
                notify(dispatch, format!("The download of {name} failed: {e}"));
            }
        }
        WorkerEvent::LegacyMoved(keys) => {
            if let Err(e) = remove_legacy(&keys) {
                notify(
                    dispatch,
                    format!(
                        "The results moved to IndexedDB could not be removed from localStorage: {}",
                        e.as_string().unwrap_or_default()
                    ),
                );
            }
        }
        other => dispatch.dispatch(Action::Worker(other)),
    }
}

/// Reads the one model file of `files` (request `id`) and sends its bytes to the worker; a
/// file over the size limit is refused before a byte is read.
pub(super) fn load_model_file(
    files: Vec<web_sys::File>,
    id: u64,
    dispatch: &Dispatch,
    bridge: &Bridge,
) {
    use crate::model::import::{clean_file_name, ImportError, MAX_MODEL_FILE_BYTES};
    let refuse = |file_name: String, message: String| {
        dispatch.dispatch(Action::Edit(FormEdit::ModelFileRefused {
            file_name,
            message,
        }));
    };
    let file = match files.as_slice() {
        [] => return,
        [file] => file.clone(),
        _ => {
            return refuse(
                format!("{} files", files.len()),
                "choose or drop one .safetensors file at a time".into(),
            )
        }
    };
    let file_name = clean_file_name(&file.name());
    let size = file.size();
    if size.is_nan() || size > MAX_MODEL_FILE_BYTES as f64 {
        let bytes = if size.is_finite() {
            size as u64
        } else {
            u64::MAX
        };
        return refuse(file_name, ImportError::FileTooLarge { bytes }.to_string());
    }
    dispatch.dispatch(Action::Edit(FormEdit::ModelFileReading {
        id,
        file_name: file_name.clone(),
    }));
    let dispatch = dispatch.clone();
    let bridge = bridge.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match crate::web::files::read_bytes(&file).await {
            Ok(bytes) => bridge.send(WorkerRequest::LoadModel {
                id,
                file_name,
                base64: crate::encoding::base64_encode(&bytes),
            }),
            Err(message) => dispatch.dispatch(Action::Edit(FormEdit::ModelFileRefused {
                file_name,
                message,
            })),
        }
    });
}
