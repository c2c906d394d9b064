//! The browser shell (wasm32 only): Yew components, the benchmark worker, the
//! `performance.now()` clock, charts on canvas, storage and downloads.
//!
//! The shell is thin: every number it shows comes from the core, through [`crate::view`].

pub mod app;
pub mod chart;
pub mod clock;
pub mod codec;
pub mod components;
pub mod download;
pub mod drive;
pub mod env;
pub mod files;
pub mod idb;
pub mod kernels;
pub mod pool;
pub mod storage;
pub mod transfer;
pub mod worker;
pub mod yield_now;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<app::App>::new().render();
}
