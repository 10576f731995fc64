#!/usr/bin/env bash
# The benchmark (issue 15): builds Release, starts Azurite (one line per request on a named pipe, to count them),
# an SMTP sink inside the driver and the local host, drives whole signups and prints throughput, latency per step,
# storage requests per signup, CPU per process and the ceilings measured in the same run; writes
# test-output/bench.json. Asserts no timing. Sizes by environment (or flags passed through):
#   BENCH_SIGNUPS=300 BENCH_CONCURRENCY=16 BENCH_HOSTS=1 BENCH_KILL=0 BENCH_RACE_SHARE=0.05 BENCH_IDLE=10
#   BENCH_HOSTS=2 BENCH_KILL=1 scripts/bench.sh    # two hosts on one task hub, one killed mid-run, nothing lost?
#   BENCH_SIGNUPS=1 BENCH_CONCURRENCY=1 BENCH_RACE_SHARE=0 BENCH_REQUESTS=/tmp/r.tsv scripts/bench.sh   # every request of one signup
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ensure_tools

mkdir -p test-output
echo "== build (Release): load driver; local host published as deployed (ReadyToRun)"
if ! { dotnet build tools/ChorusLoad -c Release -nologo -v quiet -clp:ErrorsOnly \
  && dotnet publish src/ChorusFunctions.LocalHost -c Release -nologo -v quiet -clp:ErrorsOnly; } > test-output/bench-build.log 2>&1; then
  cat test-output/bench-build.log >&2
  exit 1
fi

dotnet tools/ChorusLoad/bin/Release/net10.0/ChorusLoad.dll bench "$@" 2>&1 | tee test-output/bench.log
exit "${PIPESTATUS[0]}"
