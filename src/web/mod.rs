//! The browser shell (wasm32 only): Yew components and the `performance.now()` clock.
//!
//! The shell is thin: every number it shows comes from the core.

pub mod app;
pub mod chart;
pub mod clock;
pub mod download;
pub mod yield_now;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<app::App>::new().render();
}
