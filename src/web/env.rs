//! What the browser tells about where a run happens: the [`Environment`] recorded in every
//! result, built in the worker (or a page), and the current UTC time.

use wasm_bindgen::JsValue;

use crate::loadgen::clock::TimerResolution;
use crate::model::kernels::KERNEL_PATH;
use crate::results::{Environment, Runtime};
use crate::view::files::UtcTime;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// The environment of a browser run: `navigator.userAgent`, `hardwareConcurrency` and
/// `deviceMemory` (Chromium only) of the current global (page or worker), whether this build
/// has SIMD128, the WebAssembly memory's size now, and the given timer facts.
pub fn browser_environment(timer: TimerResolution, isolated: bool) -> Environment {
    let navigator = get(&js_sys::global(), "navigator");
    let nav = |name: &str| navigator.as_ref().and_then(|n| get(n, name));
    let memory_bytes = js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .ok()
        .and_then(|b| get(&b, "byteLength"))
        .and_then(|v| v.as_f64())
        .map(|b| b as u64);
    Environment {
        runtime: Runtime::Browser,
        user_agent: nav("userAgent").and_then(|v| v.as_string()),
        os_arch: None,
        logical_cores: nav("hardwareConcurrency")
            .and_then(|v| v.as_f64())
            .filter(|n| *n >= 1.0)
            .map(|n| n as u32),
        device_memory_gib: nav("deviceMemory")
            .and_then(|v| v.as_f64())
            .filter(|g| *g > 0.0),
        timer: Some(timer),
        clock_check: None,
        cross_origin_isolated: Some(isolated),
        simd: cfg!(target_feature = "simd128"),
        kernels: Some(KERNEL_PATH),
        wasm_memory_bytes: memory_bytes,
        visibility_changes: 0,
    }
}

/// The current time as an RFC 3339 UTC timestamp (whole seconds), from `Date`.
pub fn now_utc() -> Option<String> {
    let d = js_sys::Date::new_0();
    UtcTime {
        year: d.get_utc_full_year(),
        month: d.get_utc_month() + 1,
        day: d.get_utc_date(),
        hour: d.get_utc_hours(),
        minute: d.get_utc_minutes(),
        second: d.get_utc_seconds(),
    }
    .rfc3339()
}
