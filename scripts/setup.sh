#!/usr/bin/env bash
# Installs everything layercheck and its reference stack need, idempotently:
# a second run only checks stamps and finishes in seconds.
#   - Debian packages: nginx, haproxy, caddy, openssl, python3-venv, chromium (only when missing)
#   - npm ci (only when package-lock.json changed)
#   - a Python venv with the pinned reference app and the matrix's Flask app (only when requirements changed)
#   - the real Toxiproxy server, built with `go install` at a pinned release
#   - a throwaway CA and a server certificate for the TLS listener
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE="$ROOT/.layercheck"
TOXIPROXY_VERSION=v2.12.0
# The oldest Node the package supports (engines), for the packaged test.
NODE22_VERSION=22.23.3
mkdir -p "$STATE/bin" "$STATE/certs"

say() { printf 'setup: %s\n' "$*" >&2; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# The target matrix's other fronts (targets/matrix/fronts/), started on free ports like nginx.
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ -x /usr/bin/caddy ] || missing+=(caddy)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
# Debian's chromium, driven by playwright-core in the HTML report tests (never a downloaded browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  # What this script supports, said before anything fails obscurely: Debian or Ubuntu (apt-get), as root or with sudo.
  # Elsewhere, install the same programs yourself (same paths) and run it again; checking your own deployment needs none of them.
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]}. This script installs them with apt-get (Debian 12 or Ubuntu 22.04 and later); this system has no apt-get."
    say "Install them with your package manager (nginx at /usr/sbin/nginx, haproxy, caddy, openssl, python3 with venv, chromium at /usr/bin/chromium), then run it again."
    say "Checking your own deployment needs only Node 22.12 or later: npm i -D layercheck, then npx layercheck run --target <url>."
    exit 1
  fi
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "missing: ${missing[*]}. Installing Debian packages needs root: run this script as root, or install sudo."
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  # policy-rc.d 101: install nginx, haproxy and caddy without starting the
  # distribution's services (port 80 and friends); layercheck starts its own on free ports.
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  if [ $had_policy = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $had_policy = 1 ] || as_root rm -f /usr/sbin/policy-rc.d
  # A service started despite policy-rc.d (a systemd host, say) is left alone:
  # nothing here uses ports 80/443 or the distribution's configs.
  for unit in nginx haproxy caddy; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then
      say "note: the distribution's $unit service is running; layercheck does not use it"
    fi
  done
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

# --- Node 22 for the packaged test (package.json engines: >=22.12) ------------
if [ "$("$STATE/node22/node_modules/node/bin/node" --version 2>/dev/null)" != "v$NODE22_VERSION" ]; then
  say "node $NODE22_VERSION for the packaged test"
  rm -rf "$STATE/node22" && mkdir -p "$STATE/node22"
  echo '{ "private": true, "allowScripts": { "node": true } }' > "$STATE/node22/package.json"
  (cd "$STATE/node22" && npm i "node@$NODE22_VERSION" --no-audit --no-fund --loglevel=error)
fi

# --- Python venv for the reference app ------------------------------------
# The reference app's pins, then the matrix's Flask app (gunicorn comes from the first).
reqs=(targets/nginx-fastapi/requirements.txt)
[ -f targets/matrix/apps/flask/requirements.txt ] && reqs+=(targets/matrix/apps/flask/requirements.txt)
req_hash=$(hash_of "${reqs[@]}")
if [ ! -x .venv/bin/gunicorn ] || [ "$(cat .venv/.layercheck-req 2>/dev/null)" != "$req_hash" ]; then
  say "python venv with $(cat "${reqs[@]}" | grep -c '==') pinned packages"
  python3 -m venv .venv
  pip_args=(); for r in "${reqs[@]}"; do pip_args+=(-r "$r"); done
  .venv/bin/pip install --quiet --disable-pip-version-check "${pip_args[@]}"
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
