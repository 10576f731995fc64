#!/usr/bin/env bash
# Runs the whole local stack in the foreground: Azurite (tables, queues, blobs), smtp4dev (mail catcher) and the
# local host (API, durable orchestrations, timers, front end). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

HTTP_PORT=${CHORUS_HTTP_PORT:-7071}
BLOB_PORT=${CHORUS_BLOB_PORT:-10000}
QUEUE_PORT=${CHORUS_QUEUE_PORT:-10001}
TABLE_PORT=${CHORUS_TABLE_PORT:-10002}
SMTP_PORT=${CHORUS_SMTP_PORT:-2525}
MAILBOX_PORT=${CHORUS_MAILBOX_PORT:-5050}
DATA_DIR=${CHORUS_DATA_DIR:-.local}

ensure_tools
mkdir -p "$DATA_DIR/azurite"

# Azurite and smtp4dev run in sessions of their own, out of reach of the terminal's Ctrl-C: the trap stops the host
# first and them after it. Stopped before it, Azurite would leave the host retrying its partition table until its
# shutdown timeout.
services=()
host=""
stop_all() {
  trap - EXIT INT TERM HUP
  if [ -n "$host" ]; then
    kill -TERM "$host" 2>/dev/null || true
    # It releases its leases and stops its listeners in a few seconds; a host stuck past that is killed.
    for _ in $(seq 1 100); do kill -0 "$host" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$host" 2>/dev/null || true
  fi
  for pid in "${services[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM HUP

# --disableTelemetry: Azurite otherwise reports to a collector at start and at shutdown, and offline its shutdown
# waits for that report to time out (up to two minutes).
setsid node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --loose --location "$DATA_DIR/azurite" \
  --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
  --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" &
services+=($!)
setsid dotnet tool run smtp4dev -- --urls "http://127.0.0.1:$MAILBOX_PORT" --smtpport "$SMTP_PORT" --imapport "" --pop3port "" \
  --db "" --hostname localhost --tlsmode None > "$DATA_DIR/smtp4dev.log" 2>&1 &
services+=($!)

wait_for_port "$TABLE_PORT" azurite
wait_for_port "$SMTP_PORT" smtp4dev

echo "Building the local host…"
if ! dotnet build src/ChorusFunctions.LocalHost -c Debug -nologo > "$DATA_DIR/build.log" 2>&1; then
  grep -E "error" "$DATA_DIR/build.log" >&2 || cat "$DATA_DIR/build.log" >&2
  exit 1
fi

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export ASPNETCORE_URLS="http://localhost:$HTTP_PORT"
export AzureWebJobsStorage="$(azurite_connection_string "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT")"
export Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$SMTP_PORT"
export Email__ActivationUrlBase=${Email__ActivationUrlBase:-"http://localhost:$HTTP_PORT/activation"}
export Email__PortalUrl=${Email__PortalUrl:-"http://localhost:$HTTP_PORT/"}

dotnet src/ChorusFunctions.LocalHost/bin/Debug/net10.0/ChorusFunctions.LocalHost.dll &
host=$!
wait_for_port "$HTTP_PORT" "local host" 120
cat <<MSG

  ChorusFunctions is running.
    Front end : http://localhost:$HTTP_PORT/
    API       : http://localhost:$HTTP_PORT/api   (try: curl http://localhost:$HTTP_PORT/api/health)
    Mailbox   : http://localhost:$MAILBOX_PORT/   (smtp4dev; REST API under /api/messages)
  Ctrl-C stops everything.

MSG
wait -n "$host" "${services[@]}"
