#!/usr/bin/env bash
# The kill -9 test (issue 11): starts Azurite, an SMTP sink and the local host (Release), runs whole signups by
# patient clients while the host is killed with SIGKILL and restarted, then checks every signup. Exits 1 on any
# violation. Sizes by environment (defaults: the big run) or flags passed through:
#   FAULTS_SIGNUPS=300 FAULTS_CONCURRENCY=8 FAULTS_KILLS=20 FAULTS_EMAIL_WAIT=60 FAULTS_SETTLE=180 FAULTS_SEED=<random>
#   scripts/faults.sh --signups 40 --kills 3
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ensure_tools

mkdir -p test-output
echo "== build (Release): local host and load driver"
if ! dotnet build tools/ChorusLoad -c Release -nologo -v quiet -clp:ErrorsOnly > test-output/faults-build.log 2>&1; then
  cat test-output/faults-build.log >&2
  exit 1
fi

dotnet tools/ChorusLoad/bin/Release/net10.0/ChorusLoad.dll faults "$@" 2>&1 | tee test-output/faults.log
exit "${PIPESTATUS[0]}"
