#!/bin/sh
# azd preprovision hook: makes sure the azd environment holds a stable token-signing key.
#
# Security__TokenKey (base64 of at least 32 random bytes) lives in Key Vault as
# token-signing-key; the Bicep writes it from the tokenSigningKey parameter, which
# main.parameters.json fills from CHORUS_TOKEN_SIGNING_KEY. Bicep alone can only make a new
# random value on every deployment (newGuid), which would invalidate every token already
# issued, so this hook generates the key once with openssl and keeps it in the azd
# environment (.azure/<env>/.env, which azd keeps out of git).
#
# Order of preference:
#   1. CHORUS_TOKEN_SIGNING_KEY already set in the azd environment: nothing to do.
#   2. The vault of an earlier provision exists and `az` can read the secret (another machine,
#      a fresh clone): reuse that value.
#   3. Otherwise: a new key from openssl.
set -eu

if [ -n "${CHORUS_TOKEN_SIGNING_KEY:-}" ]; then
  echo "preprovision: CHORUS_TOKEN_SIGNING_KEY is set; keeping it."
  exit 0
fi

key=""
if [ -n "${AZURE_KEY_VAULT_NAME:-}" ] && command -v az >/dev/null 2>&1; then
  key=$(az keyvault secret show --vault-name "$AZURE_KEY_VAULT_NAME" --name token-signing-key \
    --query value --output tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    echo "preprovision: reusing token-signing-key from Key Vault $AZURE_KEY_VAULT_NAME."
  fi
fi

if [ -z "$key" ]; then
  if ! command -v openssl >/dev/null 2>&1; then
    echo "preprovision: openssl not found; set a key yourself:" >&2
    echo "  azd env set CHORUS_TOKEN_SIGNING_KEY \"\$(head -c 32 /dev/urandom | base64)\"" >&2
    exit 1
  fi
  if [ -n "${AZURE_KEY_VAULT_NAME:-}" ]; then
    echo "preprovision: warning: could not read the existing key from $AZURE_KEY_VAULT_NAME;" \
      "a new key replaces it and tokens already issued stop working." >&2
  fi
  key=$(openssl rand -base64 32)
  echo "preprovision: generated a new token-signing key (32 random bytes)."
fi

azd env set CHORUS_TOKEN_SIGNING_KEY "$key" >/dev/null
