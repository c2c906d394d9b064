//! The page's Web Worker built with the `relaxed-simd` feature: the same worker as
//! `src/bin/worker.rs`, with kernels that use relaxed SIMD (fused multiply-add, i8 dot
//! products). trunk builds it next to the SIMD128 worker; the page starts this one where the
//! browser validates relaxed-SIMD code (`inferbench::web::kernels`).

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
