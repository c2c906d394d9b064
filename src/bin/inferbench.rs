//! The native command-line tool `inferbench`, over the same core as the page.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(inferbench::cli::main(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
