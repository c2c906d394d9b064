//! Large payloads from the worker to the page as **transferred** typed arrays: a result
//! page's chart columns ([`crate::view::result_page::ResultPage::take_columns`]) and a
//! download's bytes.
//!
//! yew-agent posts its messages without a transfer list, so the worker posts these itself
//! (`postMessage(message, [buffers])`, which moves the buffers: no copy, no parsing) just
//! before the agent message that names them ([`WorkerEvent::Show`] and
//! [`WorkerEvent::File`] carry the transfer's id). Messages from one worker arrive in order.
//! On the page, the agent's message handler hands every message to [`super::codec`]'s
//! decoder, which puts these in an inbox ([`take_columns`], [`take_bytes`]) and answers the
//! agent with a message it ignores.
//!
//! [`WorkerEvent::Show`]: crate::view::protocol::WorkerEvent::Show
//! [`WorkerEvent::File`]: crate::view::protocol::WorkerEvent::File

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use js_sys::{Array, Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::yield_now::yield_now;

/// The property that marks a transfer message, holding its id.
const MARK: &str = "inferbenchTransfer";

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    static INBOX: RefCell<HashMap<u64, JsValue>> = RefCell::new(HashMap::new());
}

fn set(o: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(key), value);
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Posts `payload` from the worker with its `buffers` moved, under a new id (returned).
fn post(payload: &Object, buffers: &Array) -> Result<u64, JsValue> {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    set(payload, MARK, &JsValue::from_f64(id as f64));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.post_message_with_transfer(payload, buffers)?;
    Ok(id)
}

/// Worker side: posts `columns` (in their order) as `Float64Array`s, moved.
///
/// # Errors
///
/// The browser's exception if the message cannot be posted.
pub fn post_columns(columns: &[Vec<f64>]) -> Result<u64, JsValue> {
    let arrays = Array::new();
    let buffers = Array::new();
    for c in columns {
        let a = Float64Array::new_with_length(c.len() as u32);
        a.copy_from(c);
        buffers.push(&a.buffer());
        arrays.push(&a);
    }
    let payload = Object::new();
    set(&payload, "columns", &arrays);
    post(&payload, &buffers)
}

/// Worker side: posts `bytes` (a download) as a moved `Uint8Array`.
///
/// # Errors
///
/// The browser's exception if the message cannot be posted.
pub fn post_bytes(bytes: &[u8]) -> Result<u64, JsValue> {
    let array = Uint8Array::new_with_length(bytes.len() as u32);
    array.copy_from(bytes);
    let payload = Object::new();
    set(&payload, "bytes", &array);
    post(&payload, &Array::of1(&array.buffer()))
}

/// Page side: whether `message` is a transfer; if so, it is kept in the inbox.
pub fn receive(message: &JsValue) -> bool {
    if !message.is_object() {
        return false;
    }
    let id = get(message, MARK);
    let Some(id) = id.as_f64() else {
        return false;
    };
    INBOX.with(|i| i.borrow_mut().insert(id as u64, message.clone()));
    true
}

fn take(id: u64) -> Option<JsValue> {
    INBOX.with(|i| i.borrow_mut().remove(&id))
}

/// Elements copied per task by [`take_columns`]: a few milliseconds of the page's main
/// thread each.
const STEP: u32 = 1 << 17;

/// Page side: the columns of transfer `id`, copied into this thread's memory [`STEP`]
/// elements per task, yielding to the page's event loop between parts (a million queries'
/// values copied at once held the page's main thread for a long task).
///
/// # Errors
///
/// No such transfer, or one that does not hold columns of numbers.
pub async fn take_columns(id: u64) -> Result<Vec<Vec<f64>>, String> {
    let message = take(id)
        .ok_or_else(|| format!("the result's chart data (transfer {id}) did not arrive"))?;
    let arrays: Array = get(&message, "columns")
        .dyn_into()
        .map_err(|_| "the transfer holds no columns".to_string())?;
    let mut columns = Vec::with_capacity(arrays.length() as usize);
    for a in arrays.iter() {
        let a: Float64Array = a
            .dyn_into()
            .map_err(|_| "the transfer's columns are not numbers".to_string())?;
        let len = a.length();
        let mut v = vec![0.0; len as usize];
        let mut begin = 0;
        while begin < len {
            let end = len.min(begin.saturating_add(STEP));
            a.subarray(begin, end)
                .copy_to(&mut v[begin as usize..end as usize]);
            begin = end;
            yield_now().await;
        }
        columns.push(v);
    }
    Ok(columns)
}

/// Page side: the bytes of transfer `id` (left in JavaScript's memory: a download's Blob
/// is made from them directly).
///
/// # Errors
///
/// No such transfer, or one that does not hold bytes.
pub fn take_bytes(id: u64) -> Result<Uint8Array, String> {
    let message = take(id).ok_or_else(|| format!("the download (transfer {id}) did not arrive"))?;
    get(&message, "bytes")
        .dyn_into()
        .map_err(|_| "the transfer holds no bytes".to_string())
}
