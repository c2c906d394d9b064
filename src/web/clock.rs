//! `performance.now()` as a [`Clock`], usable from a page (Window) or a worker.

use std::time::Duration;

use wasm_bindgen::JsCast;

use crate::loadgen::clock::Clock;

/// The browser's high-resolution clock, read from `globalThis.performance` so that it works
/// in a page and in a dedicated worker alike (a worker has no `window`).
///
/// Its origin is the global's `timeOrigin`: a page and a worker have different origins, so
/// only durations may cross between them, never timestamps.
#[derive(Debug, Clone)]
pub struct PerformanceClock {
    performance: web_sys::Performance,
}

impl PerformanceClock {
    /// The clock of the current global scope; `None` where it has no `performance`.
    pub fn new() -> Option<Self> {
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
        Some(Self {
            performance: performance.dyn_into().ok()?,
        })
    }
}

impl Clock for PerformanceClock {
    fn now(&self) -> Duration {
        // DOMHighResTimeStamp: milliseconds since timeOrigin, never negative.
        Duration::from_secs_f64(self.performance.now().max(0.0) / 1e3)
    }
}

/// `self.crossOriginIsolated` of the current global scope (page or worker).
pub fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
