#!/usr/bin/env bash
# The whole test suite: sets up what is missing (scripts/setup.sh), then runs
#   formatting and lint gates (rustfmt, clippy native and wasm32, rustdoc, actionlint on
#   the GitHub workflows),
#   the native tests (cargo test),
#   the browser tests (wasm-pack test --headless --chrome, the kernels also with relaxed SIMD,
#   then --firefox with the quick run of the default workload),
#   the end-to-end tests (the built page in headless Chromium, tests/e2e),
# and prints each runner's summary lines at the end. Exits non-zero if any step failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh || exit 1
source scripts/env.sh
# A clean CI clone builds every profile once: incremental caches would only take disk space
# (about 4 GB here) and time.
if [ "${CI:-}" = "true" ]; then
    export CARGO_INCREMENTAL=0
fi

LOGS="$ROOT/target/test-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"
STEPS=()
FAILED=0

# step NAME CMD...: runs CMD, showing its output and keeping it in $LOGS/NAME.log.
step() {
    local name="$1"
    shift
    printf '\n\033[1m==> %s\033[0m: %s\n' "$name" "$*"
    local start=$SECONDS
    "$@" 2>&1 | tee "$LOGS/$name.log"
    local status=${PIPESTATUS[0]}
    local took=$((SECONDS - start))
    if [ "$status" -eq 0 ]; then
        STEPS+=("PASS  $name (${took}s)")
    else
        STEPS+=("FAIL  $name (${took}s, exit $status)")
        FAILED=1
    fi
}

step fmt cargo fmt --all -- --check
step clippy-native cargo clippy --all-targets --locked -- -D warnings
step clippy-wasm32 cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step clippy-wasm32-relaxed cargo clippy --all-targets --locked --target wasm32-unknown-unknown \
    --features relaxed-simd -- -D warnings
step rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
step workflows node --test --test-reporter=spec tests/e2e/lint-workflows.mjs
step cargo-test cargo test --locked
# (The runner prefers a GECKODRIVER variable to CHROMEDRIVER: none may be set for Chromium.)
step wasm-pack-test env -u GECKODRIVER WASM_BINDGEN_TEST_TIMEOUT=300 wasm-pack test --headless --chrome \
    --mode no-install --chromedriver "$CHROMEDRIVER" -- --locked --test web --test worker --test kernels
# The relaxed-SIMD kernels (the page's second worker module), in the same Chromium.
step wasm-pack-test-relaxed env -u GECKODRIVER WASM_BINDGEN_TEST_TIMEOUT=300 wasm-pack test --headless --chrome \
    --mode no-install --chromedriver "$CHROMEDRIVER" -- --locked --features relaxed-simd --test kernels
# The same test binaries (already built) in Firefox ESR, plus a quick run of the default
# workload there (Chromium's is the end-to-end test's).
step wasm-pack-test-firefox env WASM_BINDGEN_TEST_TIMEOUT=300 wasm-pack test --headless --firefox \
    --mode no-install --geckodriver "$INFERBENCH_GECKODRIVER" -- --locked --test web --test worker --test kernels --test quick_run
step e2e node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

printf '\n\033[1m==> Summary\033[0m\n'
# Free disk space where the builds went (a full disk fails a build with a one-line error).
df -h "$ROOT/target" 2>/dev/null | awk 'NR == 2 {printf "disk: %s free of %s (%s)\n", $4, $2, $6}'
for s in "${STEPS[@]}"; do echo "$s"; done
echo "-- native tests (cargo test):"
grep -h "^test result:" "$LOGS/cargo-test.log" 2>/dev/null |
    awk '{p+=$4; f+=$6; i+=$8} END {printf "   %d passed, %d failed, %d ignored over %d test binaries\n", p, f, i, NR}'
echo "-- browser tests (wasm-pack test), Chromium (SIMD128, relaxed SIMD) then Firefox:"
grep -h "^test result:" "$LOGS/wasm-pack-test.log" "$LOGS/wasm-pack-test-relaxed.log" "$LOGS/wasm-pack-test-firefox.log" 2>/dev/null | sed 's/^/   /'
echo "-- workflow lint (node --test):"
grep -hE "^ℹ (tests|pass|fail)" "$LOGS/workflows.log" 2>/dev/null | sed 's/^/   /'
echo "-- end-to-end tests (node --test):"
grep -hE "^ℹ (tests|pass|fail|skipped|todo|duration_ms)" "$LOGS/e2e.log" 2>/dev/null | sed 's/^/   /'
if [ "$FAILED" -ne 0 ]; then
    echo "SOME STEPS FAILED (logs in target/test-logs/)"
    exit 1
fi
echo "ALL STEPS PASSED"
