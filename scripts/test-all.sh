#!/usr/bin/env bash
# The whole test suite: system packages, typecheck, lint, build, unit, integration and
# end-to-end tests. Prints one closing line: "N passed, N failed, N skipped", where a failed
# check (typecheck, lint, build) counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh || exit 1
[ -f native/node/better_sqlite3.node ] || node scripts/native-builds.mjs

log=$(mktemp)
status=0
failed_checks=0

check() {
  local name=$1
  shift
  echo "== $name"
  "$@" || { echo "== FAILED: $name"; status=1; failed_checks=$((failed_checks + 1)); }
}

run_tests() {
  local name=$1
  shift
  echo "== $name"
  node --import tsx --test --test-reporter=spec "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "== FAILED: $name"; status=1; }
}

check typecheck npx tsc --noEmit -p tsconfig.json
check lint npx eslint src test bench
check build npx electron-vite build
run_tests unit --test-concurrency=2 test/unit/*.test.ts
run_tests integration --test-concurrency=1 test/integration/*.test.ts
run_tests e2e --test-concurrency=1 test/e2e/*.test.ts

sum() { grep -E "^ℹ $1 [0-9]+" "$log" | awk '{s+=$3} END {print s+0}'; }
passed=$(sum pass)
failed=$(($(sum fail) + failed_checks))
skipped=$(sum skipped)
rm -f "$log"
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
