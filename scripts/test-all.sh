#!/usr/bin/env bash
# The whole test suite: system packages, typecheck, lint, build, unit, integration and
# end-to-end tests. Prints one closing line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh || exit 1
[ -f native/node/better_sqlite3.node ] || node scripts/native-builds.mjs

log=$(mktemp)
status=0
step() {
  echo "== $1"
  shift
  "$@" || { echo "== FAILED: $*"; status=1; }
}

step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint src test bench
step build npx electron-vite build
run_tests() {
  node --import tsx --test --test-reporter=spec "$@" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}
step unit run_tests --test-concurrency=2 test/unit/*.test.ts
step integration run_tests --test-concurrency=1 test/integration/*.test.ts
step e2e run_tests --test-concurrency=1 test/e2e/*.test.ts

sum() { grep -E "^ℹ $1 [0-9]+" "$log" | awk '{s+=$3} END {print s+0}'; }
passed=$(sum pass); failed=$(sum fail); skipped=$(sum skipped)
rm -f "$log"
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
