#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need (npm packages, dotnet tools), builds, lints
# the infrastructure, then runs the unit, orchestration, integration and browser tests. Tests start their own
# Azurite, smtp4dev and local host on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
ensure_tools

echo "== build"
dotnet build ChorusFunctions.sln -c Debug -nologo -v quiet -clp:ErrorsOnly

echo "== infrastructure lint"
scripts/lint-infra.sh

if [ -x scripts/lint-openapi.sh ]; then
  echo "== OpenAPI lint"
  scripts/lint-openapi.sh
fi

mkdir -p test-output
log=test-output/dotnet-test.log
echo "== tests"
status=0
dotnet test ChorusFunctions.sln -c Debug --no-build --results-directory test-output 2>&1 | tee "$log" || status=$?

# One plain summary line over every test assembly.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
