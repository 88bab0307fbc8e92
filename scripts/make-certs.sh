#!/usr/bin/env bash
# Throwaway certificates for the reference stack's TLS listener and its broken
# TLS variants (targets/nginx-fastapi/variants.ts), made once in $1:
#   ca.crt/.key             the CA a profile trusts (tls.caFile)
#   server.crt/.key         localhost, 127.0.0.1, ::1; signed by the CA; 397 days
#   expired.crt/.key        the same names, signed by the CA, valid only in January 2020
#   wrong-host.crt/.key     wrong-host.example only, signed by the CA
#   untrusted-ca.crt/.key   a second CA that no profile trusts
#   untrusted.crt/.key      localhost, 127.0.0.1, ::1; signed by the untrusted CA
#   expiring-soon.crt/.key  localhost, 127.0.0.1, ::1; signed by the CA; 5 days
# A second run makes nothing. A file is remade only when it is missing, older
# than the CA that signed it, or (server, expiring-soon) too close to its end.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
DAY=86400
LOCAL_NAMES='DNS:localhost,IP:127.0.0.1,IP:::1'

# expires_within <cert> <seconds>: true when the certificate ends within that time (or is unreadable).
expires_within() { ! openssl x509 -checkend "$2" -noout -in "$1" >/dev/null 2>&1; }

# stale <cert> <signing CA cert> [<seconds of validity it must still have>]
stale() {
  [ -s "$1" ] && [ -s "${1%.crt}.key" ] || return 0
  [ "$1" -ot "$2" ] && return 0
  [ -n "${3:-}" ] && expires_within "$1" "$3" && return 0
  return 1
}

make_ca() { # make_ca <name> <common name>
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$2" -keyout "$1.key" -out "$1.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  chmod 600 "$1.key"
}

# leaf <name> <CA name> <common name> <subjectAltName> <days | START END (YYYYMMDDHHMMSSZ)>
leaf() {
  local name=$1 ca=$2 cn=$3 san=$4
  shift 4
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' "$san" > "$name.ext"
  if [ $# = 1 ]; then
    openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -days "$1" -extfile "$name.ext" \
      -out "$name.crt" 2>/dev/null
  else
    # `openssl x509 -days` cannot go back in time (OpenSSL 3.0 has no -not_before):
    # `openssl ca` takes explicit start and end dates, with a throwaway database.
    local db
    db=$(mktemp -d)
    touch "$db/index.txt"
    openssl rand -hex 16 > "$db/serial"
    printf '[ca]\ndefault_ca=throwaway\n[throwaway]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nserial=%s/serial\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\n' \
      "$db" "$db" "$db" > "$db/ca.cnf"
    openssl ca -batch -notext -config "$db/ca.cnf" -cert "$ca.crt" -keyfile "$ca.key" -in "$name.csr" \
      -startdate "$1" -enddate "$2" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -rf "$db"
  fi
  rm -f "$name.csr" "$name.ext"
  chmod 600 "$name.key"
}

say() { printf 'setup: %s\n' "$*" >&2; }

if [ ! -s ca.crt ] || [ ! -s ca.key ] || expires_within ca.crt $((30 * DAY)); then
  say "making a throwaway CA in $dir"
  make_ca ca 'layercheck throwaway CA'
fi
if stale server.crt ca.crt $((30 * DAY)); then
  say 'making the server certificate'
  leaf server ca localhost "$LOCAL_NAMES" 397
fi
if stale expired.crt ca.crt; then
  say 'making an expired certificate (tls-expired-cert)'
  leaf expired ca localhost "$LOCAL_NAMES" 20200101000000Z 20200131000000Z
fi
if stale wrong-host.crt ca.crt; then
  say 'making a certificate for the wrong host name (tls-wrong-host)'
  leaf wrong-host ca wrong-host.example 'DNS:wrong-host.example' 397
fi
if [ ! -s untrusted-ca.crt ] || [ ! -s untrusted-ca.key ] || expires_within untrusted-ca.crt $((30 * DAY)); then
  say 'making a second, untrusted CA (tls-untrusted-ca)'
  make_ca untrusted-ca 'layercheck untrusted CA'
fi
if stale untrusted.crt untrusted-ca.crt; then
  say 'making a certificate signed by the untrusted CA (tls-untrusted-ca)'
  leaf untrusted untrusted-ca localhost "$LOCAL_NAMES" 397
fi
# Under every sensible expiry warning window, and at least a day from expiring outright.
if stale expiring-soon.crt ca.crt $((2 * DAY)); then
  say 'making a certificate that expires in 5 days (tls-expiring-soon)'
  leaf expiring-soon ca localhost "$LOCAL_NAMES" 5
fi
