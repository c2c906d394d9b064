#!/usr/bin/env bash
# Sets up what is missing (scripts/setup.sh), then serves the app with `trunk serve` on
# http://127.0.0.1:8080/ (cross-origin isolated). Extra arguments go to trunk serve,
# e.g. `bash scripts/run-app.sh --release` or `--port 9000`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
echo "[run-app] building and serving InferBench on http://127.0.0.1:8080/ (Ctrl-C stops it)"
exec trunk serve --offline "$@"
