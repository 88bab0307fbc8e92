#!/usr/bin/env bash
# A throwaway CA and a server certificate for 127.0.0.1/localhost, made once.
# Regenerated when missing or when the server certificate expires within 30 days.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
if [ -s server.crt ] && [ -s ca.crt ] && openssl x509 -checkend $((30 * 86400)) -noout -in server.crt >/dev/null 2>&1; then
  exit 0
fi
printf 'setup: making a throwaway CA and server certificate in %s\n' "$dir" >&2
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=layercheck throwaway CA" \
  -keyout ca.key -out ca.crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 397 -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext
chmod 600 ca.key server.key
