#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs the npm packages the tests use
# (from committed lock files), then the .NET test projects and the Node test suites.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

for dir in tests/node/*/ tests/connectiq/; do
  if [ -f "$dir/package-lock.json" ]; then
    echo "== npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

if [ -x scripts/test-prereqs.sh ]; then scripts/test-prereqs.sh; fi

echo "== dotnet test"
set +e
dotnet test NirsSync.sln -c Release 2>&1 | tee "$root/.test-dotnet.log"
dotnet_rc=${PIPESTATUS[0]}
set -e

node_rc=0
for dir in tests/node/*/ tests/connectiq/; do
  if [ -d "$dir/test" ]; then
    echo "== node --test in $dir"
    set +e
    (cd "$dir" && node --test --test-reporter=spec test/) 2>&1 | tee -a "$root/.test-node.log"
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" -ne 0 ] && node_rc=$rc
  fi
done

# One closing line for the whole run.
passed=0; failed=0
while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  grep -hoE 'Failed: +[0-9]+, Passed: +[0-9]+' "$root/.test-dotnet.log" | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
if [ -f "$root/.test-node.log" ]; then
  np=$(grep -hoE '^ℹ pass [0-9]+' "$root/.test-node.log" | awk '{s+=$3} END {print s+0}')
  nf=$(grep -hoE '^ℹ fail [0-9]+' "$root/.test-node.log" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + np)); failed=$((failed + nf))
fi
# Name the failed tests (and the first lines of their messages) at the very end, where a CI
# log that keeps only its tail still shows them.
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  grep -hE -A6 '^\s+Failed [A-Za-z_]' "$root/.test-dotnet.log" | cut -c1-300 | head -60 || true
  grep -hE '^✖ ' "$root/.test-node.log" 2>/dev/null | head -20 || true
fi
rm -f "$root/.test-dotnet.log" "$root/.test-node.log"
echo "tests: $passed passed, $failed failed"
if [ "$dotnet_rc" -ne 0 ] || [ "$node_rc" -ne 0 ]; then exit 1; fi
