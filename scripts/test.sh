#!/usr/bin/env bash
# The test command (README, .ci/run): sets up everything, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --apt --headers --kernels

echo "== type-check (strict) and build"
npx tsc -b runtime generator generated/vfio generated/iommufd examples/vfio-info
npx tsc -p tsconfig.tests.json

if [ -f generator/dist/cli/generate.js ] && [ -d generated/vfio ]; then
  echo "== generated/ is fresh (uapi-ts generate --check)"
  npm run --silent check:generated
fi

echo "== vitest"
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json "$@" || status=$?
# One plain closing line: N passed, N failed, N skipped.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit "$status"
