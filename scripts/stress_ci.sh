#!/usr/bin/env bash
# The "tests pass under load" check (issue 16): a fresh clone of this repository at COMMIT,
# and `CI=true bash .ci/run` (the README's test command, setup included) run beside
# `stress --cpu 1` (Debian's stress: one core kept busy). Prints the CI run's output and
# exits with its status.
#   bash scripts/stress_ci.sh [COMMIT]   (default: HEAD)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMIT="$(git -C "$ROOT" rev-parse "${1:-HEAD}")" || exit 2
command -v stress >/dev/null || { echo "stress is not installed: apt-get install stress" >&2; exit 2; }
WORK="$(mktemp -d)"
echo "stress_ci: $COMMIT, start $(date -u +%T) UTC, clone in $WORK/p"
git clone -q "$ROOT" "$WORK/p" && git -C "$WORK/p" checkout -q "$COMMIT" || exit 2
stress --cpu 1 --timeout 7200 >/dev/null 2>&1 &
STRESS=$!
# Only this run's stress: its parent and the worker it forks.
trap 'pkill -P "$STRESS" 2>/dev/null; kill "$STRESS" 2>/dev/null; rm -rf "$WORK"' EXIT
(cd "$WORK/p" && CI=true bash .ci/run)
rc=$?
echo "stress_ci: $COMMIT, end $(date -u +%T) UTC, exit status $rc"
exit "$rc"
