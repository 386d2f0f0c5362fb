#!/usr/bin/env bash
# Measures proxy resolution (GET /{handle}, a 302) against the native JSON resolve
# (GET /v1/handles/{handle}) on loopback with wrk. Manual only: not part of CI.
#   bash loadtests/proxy-vs-native.sh            # builds Release first
#   SKIP_BUILD=1 DURATION=10s CONNECTIONS=32 bash loadtests/proxy-vs-native.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HTTP_PORT="${HTTP_PORT:-18480}"
GRPC_PORT="${GRPC_PORT:-18481}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
HANDLE="88.709.911/LOAD-0001"
BASE="http://127.0.0.1:${HTTP_PORT}"

command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 1; }
if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build -c Release "$ROOT/src/IdResolution.Node" -nologo -v q
fi
DLL="$ROOT/src/IdResolution.Node/bin/Release/net10.0/IdResolution.Node.dll"

WORK="$(mktemp -d)"
NODE_PID=""
cleanup() {
  if [[ -n "$NODE_PID" ]]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$WORK"
dotnet "$DLL" --Node:HttpPort="$HTTP_PORT" --Node:GrpcPort="$GRPC_PORT" --RateLimits:Enabled=false \
  --Logging:LogLevel:Default=Warning >"$WORK/node.log" 2>&1 &
NODE_PID=$!

for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/healthz" >/dev/null || { echo "node did not start" >&2; cat "$WORK/node.log" >&2; exit 1; }

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
