#!/usr/bin/env bash
# Installs everything layercheck and its reference stack need, idempotently:
# a second run only checks stamps and finishes in seconds.
#   - Debian packages: nginx, openssl, python3-venv, chromium (only when missing)
#   - npm ci (only when package-lock.json changed)
#   - a Python venv with the pinned reference app (only when requirements changed)
#   - the real Toxiproxy server, built with `go install` at a pinned release
#   - a throwaway CA and a server certificate for the TLS listener
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE="$ROOT/.layercheck"
TOXIPROXY_VERSION=v2.12.0
mkdir -p "$STATE/bin" "$STATE/certs"

say() { printf 'setup: %s\n' "$*" >&2; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
# Debian's chromium, driven by playwright-core in the HTML report tests (never a downloaded browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  # policy-rc.d 101: install nginx without starting the distribution's service
  # on port 80; layercheck starts its own nginx on free ports.
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  if [ $had_policy = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
fi

# --- npm -------------------------------------------------------------------
lock_hash=$(hash_of package-lock.json package.json)
if [ ! -x node_modules/.bin/node ] || [ "$(cat node_modules/.layercheck-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.layercheck-lock
fi
node_major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 24 ] || { say "node_modules/.bin/node is Node $node_major, expected 24: the node@24 package's install script did not run"; exit 1; }

# --- Python venv for the reference app ------------------------------------
req=targets/nginx-fastapi/requirements.txt
req_hash=$(hash_of "$req")
if [ ! -x .venv/bin/gunicorn ] || [ "$(cat .venv/.layercheck-req 2>/dev/null)" != "$req_hash" ]; then
  say "python venv with $(grep -c '==' "$req") pinned packages"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
  echo "$req_hash" > .venv/.layercheck-req
fi

# --- Toxiproxy (real server, pinned) --------------------------------------
if [ "$(cat "$STATE/bin/toxiproxy.version" 2>/dev/null)" != "$TOXIPROXY_VERSION" ] || [ ! -x "$STATE/bin/server" ]; then
  GO=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$GO" ] || { say "go is not installed: it is needed to build the Toxiproxy server"; exit 1; }
  say "building toxiproxy $TOXIPROXY_VERSION with go install"
  GOBIN="$STATE/bin" GOFLAGS=-mod=mod "$GO" install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
  echo "$TOXIPROXY_VERSION" > "$STATE/bin/toxiproxy.version"
fi

# --- certificates ---------------------------------------------------------
bash scripts/make-certs.sh "$STATE/certs"
say "ready"
