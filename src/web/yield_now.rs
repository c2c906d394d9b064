//! Yielding to the event loop without the 4 ms clamp of nested `setTimeout`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Lets the current global's event loop run queued tasks (a worker's incoming messages, a
/// page's input events), then resumes.
///
/// It posts a message to itself through a `MessageChannel` and waits for it: a macrotask
/// that, unlike a nested `setTimeout(0)`, is not clamped to 4 ms, so a benchmark loop can
/// yield often (to see a cancel message) at a cost of microseconds.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            return;
        };
        let on_message = resolve.clone();
        let onmessage = Closure::once_into_js(move |_event: web_sys::MessageEvent| {
            let _ = on_message.call0(&wasm_bindgen::JsValue::UNDEFINED);
        });
        channel
            .port1()
            .set_onmessage(Some(onmessage.unchecked_ref()));
        if channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::NULL)
            .is_err()
        {
            channel.port1().set_onmessage(None);
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}
