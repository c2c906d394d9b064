//! Large payloads from the worker to the page as **transferred** typed arrays: a result's
//! query columns ([`crate::view::transfer::QueryColumns`]) and a download's bytes.
//!
//! yew-agent posts its messages without a transfer list, so the worker posts these itself
//! (`postMessage(message, [buffers])`, which moves the buffers: no copy, no parsing) just
//! before the agent message that names them ([`WorkerEvent::Show`] and
//! [`WorkerEvent::File`] carry the transfer's id). Messages from one worker arrive in order.
//! On the page, the agent's message handler hands every message to [`super::codec`]'s
//! decoder, which puts these in an inbox ([`take_and_join`], [`take_bytes`]) and answers the
//! agent with a message it ignores.
//!
//! [`WorkerEvent::Show`]: crate::view::protocol::WorkerEvent::Show
//! [`WorkerEvent::File`]: crate::view::protocol::WorkerEvent::File

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use js_sys::{Array, BigUint64Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::yield_now::yield_now;
use crate::view::transfer::QueryColumns;

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

/// Worker side: posts each run's columns (in their order) as typed arrays, moved.
///
/// # Errors
///
/// The browser's exception if the message cannot be posted.
pub fn post_columns(columns: &[QueryColumns]) -> Result<u64, JsValue> {
    let runs = Array::new();
    let buffers = Array::new();
    for c in columns {
        let run = Object::new();
        let u64s = |v: &[u64]| {
            let a = BigUint64Array::new_with_length(v.len() as u32);
            a.copy_from(v);
            buffers.push(&a.buffer());
            a
        };
        set(&run, "scheduled", &u64s(&c.scheduled_ns));
        set(&run, "issued", &u64s(&c.issued_ns));
        set(&run, "completed", &u64s(&c.completed_ns));
        let samples = Uint32Array::new_with_length(c.samples.len() as u32);
        samples.copy_from(&c.samples);
        buffers.push(&samples.buffer());
        set(&run, "samples", &samples);
        let sorted = Float64Array::new_with_length(c.sorted_sample_ms.len() as u32);
        sorted.copy_from(&c.sorted_sample_ms);
        buffers.push(&sorted.buffer());
        set(&run, "sorted", &sorted);
        set(&run, "server", &JsValue::from_bool(c.server));
        runs.push(&run);
    }
    let payload = Object::new();
    set(&payload, "runs", &runs);
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

/// Elements copied, or queries put back, per task by [`take_and_join`]: a few
/// milliseconds of the page's main thread each.
const STEP: usize = 1 << 17;

/// Copies a typed array of `len` elements into this thread's memory, [`STEP`] elements per
/// task (`copy(begin, end, into)` copies elements `begin..end`).
async fn copy_stepwise<T: Copy + Default>(len: u32, copy: impl Fn(u32, u32, &mut [T])) -> Vec<T> {
    let mut v = vec![T::default(); len as usize];
    let mut begin = 0;
    while begin < len {
        let end = len.min(begin.saturating_add(STEP as u32));
        copy(begin, end, &mut v[begin as usize..end as usize]);
        begin = end;
        yield_now().await;
    }
    v
}

/// Page side: the result of `shell` with the columns of transfer `id` put back, as
/// [`crate::view::transfer::join`] does, but a part per task (each
/// typed array copied [`STEP`] elements at a time, the records rebuilt [`STEP`] queries at
/// a time), yielding to the page's event loop between parts: a million queries took the
/// page's main thread for 130-270 ms at once.
///
/// # Errors
///
/// No such transfer, one that does not hold columns, or what
/// [`crate::view::transfer::join`] refuses.
pub async fn take_and_join(
    shell: &crate::view::transfer::ResultShell,
    id: u64,
) -> Result<
    (
        crate::results::BenchResult,
        crate::view::transfer::SortedSamples,
    ),
    String,
> {
    let message =
        take(id).ok_or_else(|| format!("the result's queries (transfer {id}) did not arrive"))?;
    let runs: Array = get(&message, "runs")
        .dyn_into()
        .map_err(|_| "the transfer holds no query columns".to_string())?;
    let array = |run: &JsValue, key: &str| -> Result<JsValue, String> {
        let a = get(run, key);
        if a.is_undefined() {
            Err(format!("the transfer's {key} column is missing"))
        } else {
            Ok(a)
        }
    };
    let mut built = Vec::new();
    for run in runs.iter() {
        let mut u64s = Vec::new();
        for key in ["scheduled", "issued", "completed"] {
            let a: BigUint64Array = array(&run, key)?
                .dyn_into()
                .map_err(|_| format!("the transfer's {key} column is not of integers"))?;
            u64s.push(copy_stepwise(a.length(), |b, e, into| a.subarray(b, e).copy_to(into)).await);
        }
        let samples: Uint32Array = array(&run, "samples")?
            .dyn_into()
            .map_err(|_| "the transfer's samples column is not of integers".to_string())?;
        let samples = copy_stepwise(samples.length(), |b, e, into| {
            samples.subarray(b, e).copy_to(into)
        })
        .await;
        let sorted: Float64Array = array(&run, "sorted")?
            .dyn_into()
            .map_err(|_| "the transfer's sorted values are not numbers".to_string())?;
        let sorted = copy_stepwise(sorted.length(), |b, e, into| {
            sorted.subarray(b, e).copy_to(into)
        })
        .await;
        let completed_ns = u64s.pop().unwrap_or_default();
        let issued_ns = u64s.pop().unwrap_or_default();
        let scheduled_ns = u64s.pop().unwrap_or_default();
        let columns = QueryColumns {
            scheduled_ns,
            issued_ns,
            completed_ns,
            samples,
            server: get(&run, "server").as_bool().unwrap_or(false),
            sorted_sample_ms: Vec::new(),
        };
        let mut records = Vec::with_capacity(columns.len());
        let mut begin = 0;
        loop {
            let end = columns.len().min(begin + STEP);
            records.extend(columns.records_in(begin..end)?);
            begin = end;
            yield_now().await;
            if begin >= columns.len() {
                break;
            }
        }
        built.push((records, sorted));
    }
    crate::view::transfer::join_records(shell, built)
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
