# Sourced by the scripts: puts the project's tools first on PATH and points the browser
# tests at the system ChromeDriver. Safe to source more than once.
INFERBENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# npm's binaryen (wasm-opt 132) must come before Debian's /usr/bin/wasm-opt (108, broken).
case ":$PATH:" in
*":$INFERBENCH_ROOT/.tools/binaryen/node_modules/.bin:"*) ;;
*) PATH="$INFERBENCH_ROOT/.tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH" ;;
esac
export PATH
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# trunk: never look for updates or download tools (the versions are pinned in Trunk.toml).
export TRUNK_SKIP_VERSION_CHECK=true
