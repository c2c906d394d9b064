//! Browser tests (wasm32 only): run with `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

use inferbench::loadgen::clock::{measure_resolution, Clock};
use inferbench::web::clock::{cross_origin_isolated, PerformanceClock};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn performance_clock_reads_a_monotonic_time() {
    let clock = PerformanceClock::new().expect("a page has performance.now()");
    let a = clock.now();
    let b = clock.now();
    assert!(b >= a);
}

#[wasm_bindgen_test]
fn timer_resolution_is_measured_and_isolation_gives_fine_ticks() {
    let clock = PerformanceClock::new().expect("a page has performance.now()");
    let r = measure_resolution(&clock, 200_000);
    let ms = r
        .resolution_ms
        .expect("performance.now() moves over 200,000 reads");
    assert!(ms > 0.0 && ms <= 1.0, "resolution {ms} ms");
    // The test runner serves its page cross-origin isolated (COOP/COEP): Chromium then
    // ticks at 5 us, where an unisolated page would see 100 us.
    assert!(cross_origin_isolated());
    assert!(ms < 0.05, "isolated page but {ms} ms resolution");
}

#[wasm_bindgen_test]
async fn app_renders_name_resolution_and_isolation() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<inferbench::web::app::App>::with_root(root.clone()).render();
    // Rendering is scheduled: let the scheduler run before reading the DOM.
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("InferBench"), "rendered: {text}");
    let resolution = root
        .query_selector("#timer-resolution")
        .unwrap()
        .expect("timer resolution shown");
    let ms: f64 = resolution
        .get_attribute("data-ms")
        .expect("a measured value")
        .parse()
        .unwrap();
    assert!(ms > 0.0);
    let isolation = root
        .query_selector("#isolation")
        .unwrap()
        .expect("isolation shown");
    assert_eq!(
        isolation.get_attribute("data-isolated").as_deref(),
        Some("true")
    );
}
