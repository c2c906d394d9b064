//! The page's Web Worker: trunk builds this binary for wasm32 (`data-type="worker"`), and
//! the page spawns it to train and benchmark the model off the main thread
//! (`inferbench::web::worker::BenchWorker`, wasm32 only).
//!
//! Natively there is no worker; this binary only says so.

#[cfg(target_arch = "wasm32")]
fn main() {
    inferbench::web::worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The InferBench worker runs inside the browser page (trunk builds it). \
         Natively, use the `inferbench` command-line tool."
    );
    std::process::exit(2);
}
