#!/usr/bin/env bash
# Installs, idempotently and only what is missing, everything InferBench's two README
# commands need on a fresh Debian machine:
#   - the Rust target wasm32-unknown-unknown
#   - trunk 0.21.14, wasm-bindgen-cli (exactly the wasm-bindgen version in Cargo.lock),
#     wasm-pack 0.15.1 (cargo install, into ~/.cargo/bin)
#   - Chromium and ChromeDriver (Debian packages, same version)
#   - Firefox ESR (Debian package) and geckodriver 0.37.1 (cargo install), for the browser
#     tests in Firefox
#   - a working wasm-opt (npm binaryen@132, into .tools/; Debian's binaryen 108 is broken
#     for current Rust output) and the end-to-end test's npm packages
#   - the crate's dependencies (cargo fetch), so trunk can build with --offline
# A second run checks versions and installs nothing. See ../shared/TOOLCHAIN.md for why
# these versions and flags.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

TRUNK_VERSION="0.21.14"
WASM_PACK_VERSION="0.15.1"
GECKODRIVER_VERSION="0.37.1"
BINARYEN_VERSION="132.0.0"
LOG_DIR="$ROOT/target/setup-logs"
mkdir -p "$LOG_DIR"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() {
    printf '\033[1;31m[setup] FAILED:\033[0m %s\n' "$1" >&2
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        printf '[setup] last lines of %s:\n' "$2" >&2
        tail -n 15 "$2" | sed 's/^/    /' >&2
    fi
    exit 1
}
# run LABEL LOGFILE CMD...: runs CMD quietly into LOGFILE; on failure shows its tail.
run() {
    local label="$1" log="$2"
    shift 2
    say "$label (log: ${log#"$ROOT"/})"
    if ! "$@" >"$log" 2>&1; then
        fail "$label" "$log"
    fi
}
# version_of CMD: the first x.y.z in `CMD --version`, or nothing.
version_of() {
    command -v "$1" >/dev/null 2>&1 || return 0
    "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1
}
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        fail "need root (or sudo) to run: $*"
    fi
}

command -v cargo >/dev/null || fail "cargo is not installed: install Rust with rustup (https://rustup.rs) first"
command -v rustup >/dev/null || fail "rustup is not installed: the wasm32 target is added with rustup"

# 1. Rust target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target: present"
else
    run "adding the wasm32-unknown-unknown target" "$LOG_DIR/rustup-target.log" \
        rustup target add wasm32-unknown-unknown
fi

# 2. Cargo-installed tools, each at an exact version.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || fail "could not read the wasm-bindgen version from Cargo.lock"

install_tool() { # install_tool BIN CRATE VERSION [extra cargo args...]
    local bin="$1" crate="$2" version="$3"
    shift 3
    local have
    have="$(version_of "$bin")"
    if [ "$have" = "$version" ]; then
        say "$bin $version: present"
        return
    fi
    say "$bin: found '${have:-nothing}', need $version: building it from crates.io (takes minutes)"
    run "cargo install $crate@$version" "$LOG_DIR/install-$crate.log" \
        cargo install --force "$@" "$crate@$version"
    [ "$(version_of "$bin")" = "$version" ] ||
        fail "$bin $version was installed but \`$bin --version\` does not say so (is ~/.cargo/bin first on PATH?)"
}
install_tool wasm-pack wasm-pack "$WASM_PACK_VERSION" --locked
# No --locked: wasm-bindgen-cli's lock file wants a webpki-roots the registry mirror lacks.
install_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
install_tool trunk trunk "$TRUNK_VERSION" --locked
install_tool geckodriver geckodriver "$GECKODRIVER_VERSION" --locked

# 3. Browsers from Debian: Chromium and ChromeDriver (same apt run, so their versions match),
#    and Firefox ESR (geckodriver, above, drives it).
APT_UPDATED=""
apt_update_once() {
    [ -n "$APT_UPDATED" ] && return
    run "apt-get update" "$LOG_DIR/apt-update.log" as_root apt-get update
    APT_UPDATED=1
}
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium $(version_of /usr/bin/chromium) and chromedriver $(version_of /usr/bin/chromedriver): present"
else
    apt_update_once
    run "installing chromium and chromium-driver (Debian packages)" "$LOG_DIR/apt-chromium.log" \
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
if [ -x /usr/bin/firefox-esr ]; then
    say "firefox-esr $(version_of /usr/bin/firefox-esr): present"
else
    apt_update_once
    run "installing firefox-esr (Debian package)" "$LOG_DIR/apt-firefox.log" \
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr
fi
[ "$(version_of /usr/bin/chromium)" = "$(version_of /usr/bin/chromedriver)" ] ||
    fail "chromium $(version_of /usr/bin/chromium) and chromedriver $(version_of /usr/bin/chromedriver) differ: reinstall both in one apt-get run"

# 4. npm packages: wasm-opt (binaryen) for trunk's release builds, playwright-core for the e2e test.
command -v npm >/dev/null || fail "npm is not installed: install Node.js 18 or newer (apt-get install nodejs npm)"
if ! "$ROOT/.tools/binaryen/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    mkdir -p "$ROOT/.tools/binaryen"
    run "npm install binaryen@$BINARYEN_VERSION (wasm-opt) into .tools/binaryen" "$LOG_DIR/npm-binaryen.log" \
        npm install --prefix "$ROOT/.tools/binaryen" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION"
else
    say "wasm-opt (binaryen ${BINARYEN_VERSION%%.*}): present"
fi
[ "$(command -v wasm-opt)" = "$ROOT/.tools/binaryen/node_modules/.bin/wasm-opt" ] ||
    fail "the first wasm-opt on PATH is $(command -v wasm-opt), not .tools/binaryen's (scripts/env.sh sets PATH)"

if [ -f "$ROOT/tests/e2e/package-lock.json" ]; then
    if [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] &&
        [ "$ROOT/tests/e2e/node_modules/.package-lock.json" -nt "$ROOT/tests/e2e/package-lock.json" ]; then
        say "end-to-end test packages: present"
    else
        run "npm ci (end-to-end test packages)" "$LOG_DIR/npm-e2e.log" \
            npm ci --prefix "$ROOT/tests/e2e" --no-audit --no-fund
    fi
fi

# 5. The crate's dependencies, for both targets (trunk builds with --offline).
run "cargo fetch (crate dependencies)" "$LOG_DIR/cargo-fetch.log" cargo fetch

say "ready: wasm32 target, trunk $(version_of trunk), wasm-bindgen $(version_of wasm-bindgen), wasm-pack $(version_of wasm-pack), wasm-opt $(wasm-opt --version | grep -oE '[0-9]+' | head -n 1), chromium $(version_of /usr/bin/chromium), firefox-esr $(version_of /usr/bin/firefox-esr), geckodriver $(version_of geckodriver)"
