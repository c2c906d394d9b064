//! The page's entry point: trunk builds this binary for wasm32 and the page runs it.
//!
//! Natively there is no page; this binary only points at the command-line tool.

#[cfg(target_arch = "wasm32")]
fn main() {
    inferbench::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The InferBench page runs in a browser: start it with `bash scripts/run-app.sh` \
         (trunk serve). Natively, use the `inferbench` command-line tool."
    );
    std::process::exit(2);
}
