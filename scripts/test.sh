#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need (npm packages, dotnet tools), builds, lints
# the infrastructure, then runs the unit, orchestration, integration and browser tests, then the fault run at its
# CI size and a tiny benchmark. Tests start their own Azurite, smtp4dev and local host on free ports.
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
summary="tests: $passed passed, $failed failed, $skipped skipped"
echo "$summary"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi

# The kill -9 test at its CI size, and a tiny benchmark so that neither script can rot (no timing is asserted).
echo "== fault run (CI size)"
faults=0
FAULTS_SIGNUPS=${FAULTS_SIGNUPS:-40} FAULTS_CONCURRENCY=${FAULTS_CONCURRENCY:-8} FAULTS_KILLS=${FAULTS_KILLS:-3} \
  FAULTS_EMAIL_WAIT=${FAULTS_EMAIL_WAIT:-20} FAULTS_SETTLE=${FAULTS_SETTLE:-120} scripts/faults.sh || faults=$?

echo "== benchmark (tiny)"
bench=0
BENCH_SIGNUPS=${BENCH_SIGNUPS:-20} BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-4} BENCH_IDLE=${BENCH_IDLE:-5} \
  BENCH_PROBE=${BENCH_PROBE:-1} BENCH_EMAIL_WAIT=${BENCH_EMAIL_WAIT:-15} scripts/bench.sh || bench=$?

echo "fault run: $([ "$faults" -eq 0 ] && echo ok || echo "FAILED ($faults)"); benchmark: $([ "$bench" -eq 0 ] && echo ok || echo "FAILED ($bench)")"
echo "$summary"
if [ "$faults" -ne 0 ] || [ "$bench" -ne 0 ]; then
  exit 1
fi
