#!/usr/bin/env bash
# Measures proxy resolution (GET /{handle}, a 302) against the native JSON resolve
# (GET /v1/handles/{handle}) on loopback with wrk. Manual only: not part of CI.
#   bash loadtests/proxy-vs-native.sh            # builds Release first
#   SKIP_BUILD=1 DURATION=10s CONNECTIONS=32 bash loadtests/proxy-vs-native.sh
set -euo pipefail

HTTP_PORT="${HTTP_PORT:-18480}"
GRPC_PORT="${GRPC_PORT:-18481}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
HANDLE="88.709.911/LOAD-0001"

command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 1; }
# shellcheck source=loadtests/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
start_node --RateLimits:Enabled=false
cd "$WORK"

PASSWORD="$(cat keys/initial-administrator-password)"
TOKEN="$(curl -fs -X POST "$BASE/identity/token" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')"
curl -fs -X PUT "$BASE/v1/handles/$HANDLE" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/products/load-0001"}}]}' >/dev/null

echo "proxy:  $(curl -s -o /dev/null -w '%{http_code} -> %{redirect_url}' "$BASE/$HANDLE")"
echo "proxy (%2F): $(curl -s -o /dev/null -w '%{http_code} -> %{redirect_url}' "$BASE/${HANDLE/\//%2F}")"
echo "native: $(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/handles/$HANDLE")"

# Warm both paths (JIT, cache), then measure.
wrk -t1 -c"$CONNECTIONS" -d2s "$BASE/$HANDLE" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d2s "$BASE/v1/handles/$HANDLE" >/dev/null
echo "== GET /$HANDLE (proxy, 302)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/$HANDLE"
echo "== GET /v1/handles/$HANDLE (native JSON, 200)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/v1/handles/$HANDLE"
