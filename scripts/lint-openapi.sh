#!/usr/bin/env bash
# Lints the API contract (src/ChorusFunctions/openapi.yaml) with Spectral and the project's ruleset (.spectral.yaml).
# Fails on any finding, warnings included: the document is kept clean rather than allowed to drift into noise.
# Only Node 20 and the pinned npm packages are needed; nothing runs against a server.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/spectral ]; then
  echo "Installing npm packages (Spectral)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

node_modules/.bin/spectral lint src/ChorusFunctions/openapi.yaml \
  --ruleset .spectral.yaml --fail-severity warn --format stylish "$@"
echo "OpenAPI lint: no findings."
