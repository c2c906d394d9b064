//! The browser's [`OfflinePool`]: helper Web Workers that serve an Offline query's batches
//! beside the benchmark worker (`bench::pool`, `loadgen::offline`).
//!
//! The benchmark worker starts its helpers itself (nested dedicated workers, from its own
//! script, so they run the same kernels), named [`HELPER_NAME`]: the worker binary's `main`
//! sees the name and serves as a helper ([`serve_helper`]) instead of as the benchmark worker.
//! A helper first answers `loaded` (messages posted before it listens would be lost). For
//! each Offline run:
//! 1. `prepare` posts the job to every helper (once all are loaded): the query and the variant options as JSON, the
//!    model's parameters and the samples as typed arrays, and a `SharedArrayBuffer` of four
//!    32-bit slots (next batch, stop flag, go flag, spare) and one f64 (the query's origin);
//! 2. each helper builds its copy of the variant, runs the warm-up batches, answers `ready`
//!    and blocks in `Atomics.wait` on the go flag;
//! 3. `start` writes the origin (as `timeOrigin + now`, the one time base all workers share)
//!    and sets the flag: every executor claims batches with `Atomics.add` on the counter;
//! 4. each helper posts its batches back when the counter runs out (or the stop flag is set).
//!
//! Sharing memory needs a cross-origin isolated page; without it the pool has no helper and
//! Offline runs on the benchmark worker alone.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Atomics, Float32Array, Float64Array, Int32Array, Object, Reflect, SharedArrayBuffer};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::clock::{cross_origin_isolated, PerformanceClock};
use crate::bench::pool::{warm_up, OfflineJob, OfflinePool};
use crate::loadgen::offline::{execute, BatchTiming, OfflineQuery, OfflineStop};
use crate::model::{DenseLayer, Mlp, Variant, VariantOptions};

/// The name helper workers are started with.
pub const HELPER_NAME: &str = "inferbench-offline-helper";

/// Slots of the shared counter array.
const NEXT: u32 = 0;
const STOP: u32 = 1;
const GO: u32 = 2;
/// Byte offset of the origin (f64) in the shared buffer.
const ORIGIN_BYTE: u32 = 16;
const SHARED_BYTES: u32 = 24;

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &key.into(), value);
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `performance.timeOrigin` of this global, in ms.
fn time_origin() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    get(&performance, "timeOrigin").as_f64().unwrap_or(0.0)
}

/// What the helpers' message handlers share with the pool.
#[derive(Default)]
struct Replies {
    loaded: u32,
    ready: u32,
    reports: Vec<(Vec<BatchTiming>, OfflineStop)>,
    failures: Vec<String>,
}

/// Helper workers (see the module docs).
pub struct WorkerPool {
    workers: Vec<web_sys::Worker>,
    replies: Rc<RefCell<Replies>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
    counters: Option<Int32Array>,
    origin: Option<Float64Array>,
    batches: u64,
    /// The `prepare` message, until every helper is loaded and it is posted.
    pending: Option<Object>,
}

impl WorkerPool {
    /// Starts `helpers` helper workers from `script` (the benchmark worker's own URL); none
    /// when the page is not cross-origin isolated or a worker cannot be started.
    pub fn new(helpers: u32, script: &str) -> Self {
        let replies = Rc::new(RefCell::new(Replies::default()));
        let on_message = {
            let replies = Rc::clone(&replies);
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                on_reply(&replies, &e.data());
            })
        };
        let on_error = {
            let replies = Rc::clone(&replies);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                on_reply(&replies, &JsValue::NULL);
            })
        };
        let mut workers = Vec::new();
        if cross_origin_isolated() {
            for _ in 0..helpers {
                let options = web_sys::WorkerOptions::new();
                options.set_name(HELPER_NAME);
                match web_sys::Worker::new_with_options(script, &options) {
                    Ok(w) => {
                        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                        w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                        workers.push(w);
                    }
                    Err(_) => break,
                }
            }
        }
        Self {
            workers,
            replies,
            _on_message: on_message,
            _on_error: on_error,
            counters: None,
            origin: None,
            batches: 0,
            pending: None,
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        for w in &self.workers {
            w.terminate();
        }
    }
}

/// Records a helper's message: `{kind: "ready"}`, `{kind: "report", batches, stop}` or
/// `{kind: "failed", message}`.
fn on_reply(replies: &Rc<RefCell<Replies>>, data: &JsValue) {
    let mut r = replies.borrow_mut();
    match get(data, "kind").as_string().as_deref() {
        Some("loaded") => r.loaded += 1,
        Some("ready") => r.ready += 1,
        Some("report") => {
            let flat = Float64Array::new(&get(data, "batches")).to_vec();
            let batches = flat
                .chunks_exact(3)
                .map(|c| BatchTiming {
                    batch: c[0] as u64,
                    issued_ns: c[1] as u64,
                    completed_ns: c[2] as u64,
                })
                .collect();
            let stop = match get(data, "stop").as_string().as_deref() {
                Some("max-duration") => OfflineStop::MaxDuration,
                Some("cancelled") => OfflineStop::Cancelled,
                _ => OfflineStop::Exhausted,
            };
            r.reports.push((batches, stop));
        }
        Some("failed") => {
            r.failures
                .push(get(data, "message").as_string().unwrap_or_default());
            // A failed helper serves nothing: count it as done with no batch.
            r.ready += 1;
            r.reports.push((Vec::new(), OfflineStop::Cancelled));
        }
        // The worker could not start (its script or module failed to load): it will never
        // answer, so it counts as loaded, ready and done, with no batch.
        _ => {
            r.failures.push("a helper worker failed to start".into());
            r.loaded += 1;
            r.ready += 1;
            r.reports.push((Vec::new(), OfflineStop::Cancelled));
        }
    }
}

impl OfflinePool for WorkerPool {
    fn helpers(&self) -> u32 {
        self.workers.len() as u32
    }

    fn prepare(&mut self, job: &OfflineJob) {
        {
            let mut r = self.replies.borrow_mut();
            *r = Replies {
                loaded: r.loaded,
                ..Replies::default()
            };
        }
        let shared = SharedArrayBuffer::new(SHARED_BYTES);
        self.counters = Some(Int32Array::new_with_byte_offset_and_length(&shared, 0, 4));
        self.origin = Some(Float64Array::new_with_byte_offset_and_length(
            &shared,
            ORIGIN_BYTE,
            1,
        ));
        self.batches = job.query.batch_count();
        let message = Object::new();
        set(&message, "kind", &"prepare".into());
        set(&message, "shared", &shared);
        set(
            &message,
            "query",
            &crate::results::json::to_compact(&job.query)
                .unwrap_or_default()
                .into(),
        );
        set(
            &message,
            "options",
            &crate::results::json::to_compact(&job.options)
                .unwrap_or_default()
                .into(),
        );
        set(&message, "variant", &job.variant.as_str().into());
        set(&message, "warmup", &job.warmup_batches.into());
        let sizes: Vec<u32> = job.model.layer_sizes().iter().map(|&s| s as u32).collect();
        set(
            &message,
            "sizes",
            &js_sys::Uint32Array::from(sizes.as_slice()),
        );
        let params: Vec<f32> = job
            .model
            .layers()
            .iter()
            .flat_map(|l| l.weights().iter().chain(l.biases()).copied())
            .collect();
        set(&message, "params", &Float32Array::from(params.as_slice()));
        set(&message, "rows", &Float32Array::from(job.rows.as_slice()));
        set(&message, "width", &(job.width as u32).into());
        self.pending = Some(message);
    }

    fn ready(&mut self) -> bool {
        let loaded = self.replies.borrow().loaded >= self.helpers();
        if loaded {
            if let Some(message) = self.pending.take() {
                for w in &self.workers {
                    if w.post_message(&message).is_err() {
                        on_reply(&self.replies, &JsValue::NULL);
                    }
                }
            }
        }
        self.replies.borrow().ready >= self.helpers()
    }

    fn start(&mut self, origin: Duration) {
        let (Some(counters), Some(shared_origin)) = (&self.counters, &self.origin) else {
            return;
        };
        shared_origin.set_index(0, time_origin() + origin.as_secs_f64() * 1e3);
        let _ = Atomics::store(counters, GO, 1);
        let _ = Atomics::notify(counters, GO);
    }

    fn claim(&mut self) -> Option<u64> {
        let counters = self.counters.as_ref()?;
        claim(counters, self.batches)
    }

    fn claimed(&self) -> u64 {
        self.counters
            .as_ref()
            .and_then(|c| Atomics::load(c, NEXT).ok())
            .map_or(0, |n| (n.max(0) as u64).min(self.batches))
    }

    fn stop(&mut self) {
        if self.pending.take().is_some() {
            // Not handed out yet: no helper has the job, none will report.
            let mut r = self.replies.borrow_mut();
            r.ready = self.workers.len() as u32;
            r.reports = vec![(Vec::new(), OfflineStop::Cancelled); self.workers.len()];
        }
        if let Some(counters) = &self.counters {
            let _ = Atomics::store(counters, STOP, 1);
            let _ = Atomics::store(counters, GO, 1);
            let _ = Atomics::notify(counters, GO);
        }
    }

    fn collect(&mut self) -> Option<Vec<(Vec<BatchTiming>, OfflineStop)>> {
        let mut r = self.replies.borrow_mut();
        (r.reports.len() as u32 >= self.helpers()).then(|| std::mem::take(&mut r.reports))
    }
}

/// The next batch from the shared counter, `None` past `batches` or once stopped.
fn claim(counters: &Int32Array, batches: u64) -> Option<u64> {
    if Atomics::load(counters, STOP).ok()? != 0 {
        return None;
    }
    let batch = Atomics::add(counters, NEXT, 1).ok()?;
    u64::try_from(batch).ok().filter(|&b| b < batches)
}

/// Serves as a helper (the worker binary's `main` when started as [`HELPER_NAME`]): every
/// `prepare` message is one Offline run (see the module docs).
pub fn serve_helper() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let reply = match help(&e.data()) {
                Ok(reply) => reply,
                Err(message) => {
                    let failed = Object::new();
                    set(&failed, "kind", &"failed".into());
                    set(&failed, "message", &message.into());
                    failed
                }
            };
            let _ = reply_scope.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let loaded = Object::new();
    set(&loaded, "kind", &"loaded".into());
    let _ = scope.post_message(&loaded);
}

/// One Offline run as a helper: prepares, says ready, waits for the go flag, serves batches
/// and returns the report.
fn help(data: &JsValue) -> Result<Object, String> {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let clock = PerformanceClock::new().ok_or("this worker has no performance.now() clock")?;
    let job = read_job(data)?;
    let counters = Int32Array::new_with_byte_offset_and_length(&get(data, "shared"), 0, 4);
    let origin_abs =
        Float64Array::new_with_byte_offset_and_length(&get(data, "shared"), ORIGIN_BYTE, 1);
    let mut sut = job.sut();
    warm_up(&job.query, &clock, &mut sut, job.warmup_batches);
    let ready = Object::new();
    set(&ready, "kind", &"ready".into());
    scope
        .post_message(&ready)
        .map_err(|_| "could not answer the benchmark worker")?;
    // Blocks this helper (allowed in a worker) until the query is issued or stopped.
    while Atomics::load(&counters, GO).map_err(|_| "the shared counter is unreadable")? == 0 {
        let _ = Atomics::wait(&counters, GO, 0);
    }
    let origin_ms = origin_abs.get_index(0) - time_origin();
    let mut batches = Vec::new();
    let stop = if Atomics::load(&counters, STOP).unwrap_or(1) != 0
        || origin_ms.is_nan()
        || origin_ms < 0.0
    {
        OfflineStop::Cancelled
    } else {
        let total = job.query.batch_count();
        execute(
            &job.query,
            &clock,
            Duration::from_secs_f64(origin_ms / 1e3),
            &mut sut,
            &mut || claim(&counters, total),
            &mut batches,
            Duration::MAX,
        )
        .unwrap_or(OfflineStop::Exhausted)
    };
    let stop = if Atomics::load(&counters, STOP).unwrap_or(0) != 0 {
        OfflineStop::Cancelled
    } else {
        stop
    };
    let flat: Vec<f64> = batches
        .iter()
        .flat_map(|b| [b.batch as f64, b.issued_ns as f64, b.completed_ns as f64])
        .collect();
    let report = Object::new();
    set(&report, "kind", &"report".into());
    set(&report, "batches", &Float64Array::from(flat.as_slice()));
    let stop = match stop {
        OfflineStop::Exhausted => "exhausted",
        OfflineStop::MaxDuration => "max-duration",
        OfflineStop::Cancelled => "cancelled",
    };
    set(&report, "stop", &stop.into());
    Ok(report)
}

/// The job a `prepare` message describes.
fn read_job(data: &JsValue) -> Result<OfflineJob, String> {
    let text = |key: &str| {
        get(data, key)
            .as_string()
            .ok_or(format!("the job has no {key}"))
    };
    let query: OfflineQuery =
        serde_json::from_str(&text("query")?).map_err(|e| format!("the job's query: {e}"))?;
    let options: VariantOptions =
        serde_json::from_str(&text("options")?).map_err(|e| format!("the job's options: {e}"))?;
    let variant: Variant = text("variant")?.parse().map_err(|e| format!("{e}"))?;
    let sizes: Vec<usize> = js_sys::Uint32Array::new(&get(data, "sizes"))
        .to_vec()
        .into_iter()
        .map(|s| s as usize)
        .collect();
    let params = Float32Array::new(&get(data, "params")).to_vec();
    let mut layers = Vec::new();
    let mut offset = 0;
    for pair in sizes.windows(2) {
        let (k, n) = (pair[0], pair[1]);
        let end = offset + n * k + n;
        let slice = params
            .get(offset..end)
            .ok_or("the job's parameters are too short")?;
        layers.push(
            DenseLayer::new(k, n, slice[..n * k].to_vec(), slice[n * k..].to_vec())
                .map_err(|e| e.to_string())?,
        );
        offset = end;
    }
    let model = Mlp::from_layers(layers).map_err(|e| e.to_string())?;
    let rows = Float32Array::new(&get(data, "rows")).to_vec();
    let width = get(data, "width").as_f64().unwrap_or(0.0) as usize;
    if width == 0 || !rows.len().is_multiple_of(width) {
        return Err(format!(
            "the job's {} sample values are not whole rows of {width}",
            rows.len()
        ));
    }
    Ok(OfflineJob {
        query,
        model,
        variant,
        options,
        rows,
        width,
        warmup_batches: get(data, "warmup").as_f64().unwrap_or(0.0) as u32,
    })
}
