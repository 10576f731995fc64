#!/usr/bin/env bash
# Helpers shared by run.sh and test.sh.

# Installs the pinned Azurite (npm) and smtp4dev (dotnet tool) when missing.
ensure_tools() {
  if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing npm packages (Azurite, axe-core, …)…"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  dotnet tool restore > /dev/null
}

# Waits until a loopback TCP port accepts connections.
wait_for_port() {
  local port=$1 name=$2 timeout=${3:-60} waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    sleep 0.5
    waited=$((waited + 1))
    if [ "$waited" -ge $((timeout * 2)) ]; then
      echo "error: $name did not open port $port within ${timeout}s" >&2
      return 1
    fi
  done
}

# Azurite's well-known development account, on the given ports.
azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}
