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

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$DATA_DIR/azurite" \
  --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
  --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" &
pids+=($!)
dotnet tool run smtp4dev -- --urls "http://127.0.0.1:$MAILBOX_PORT" --smtpport "$SMTP_PORT" --imapport "" --pop3port "" \
  --db "" --hostname localhost --tlsmode None > "$DATA_DIR/smtp4dev.log" 2>&1 &
pids+=($!)

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
pids+=($!)
wait_for_port "$HTTP_PORT" "local host" 120
cat <<MSG

  ChorusFunctions is running.
    Front end : http://localhost:$HTTP_PORT/
    API       : http://localhost:$HTTP_PORT/api   (try: curl http://localhost:$HTTP_PORT/api/health)
    Mailbox   : http://localhost:$MAILBOX_PORT/   (smtp4dev; REST API under /api/messages)
  Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"
