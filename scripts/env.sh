# Sourced by the scripts: puts the project's tools first on PATH and points the browser
# tests at the system ChromeDriver and the cargo-installed geckodriver. Safe to source more
# than once.
INFERBENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# npm's binaryen (wasm-opt 132) must come before Debian's /usr/bin/wasm-opt (108, broken).
case ":$PATH:" in
*":$INFERBENCH_ROOT/.tools/binaryen/node_modules/.bin:"*) ;;
*) PATH="$INFERBENCH_ROOT/.tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH" ;;
esac
export PATH
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# geckodriver (cargo-installed) drives Debian's firefox-esr for the browser tests in Firefox:
# passed with --geckodriver, never exported (the test runner takes a GECKODRIVER variable over
# CHROMEDRIVER, so exporting it would run the Chromium tests in Firefox).
INFERBENCH_GECKODRIVER="$HOME/.cargo/bin/geckodriver"
# trunk: never look for updates or download tools (the versions are pinned in Trunk.toml).
export TRUNK_SKIP_VERSION_CHECK=true
