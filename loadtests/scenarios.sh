#!/usr/bin/env bash
# Runs the scenario harness against a real node it starts here, in the production configuration: rate
# limiter on (limits raised far above the offered load, so its cost is measured), audit trail and change log
# on (their defaults), embedded store. Manual only: not part of CI.
#   bash loadtests/scenarios.sh all                       # every scenario, closed loop, 10,000 handles
#   SKIP_BUILD=1 bash loadtests/scenarios.sh resolve-hot --rate 20000 --seconds 20
#   NODE_ARGS="--Cache:MaxTtlSeconds=0" bash loadtests/scenarios.sh resolve-cold --handles 1000000
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HTTP_PORT="${HTTP_PORT:-18580}"
GRPC_PORT="${GRPC_PORT:-18581}"
BASE="http://127.0.0.1:${HTTP_PORT}"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build -c Release "$ROOT/src/IdResolution.Node" -nologo -v q
  dotnet build -c Release "$ROOT/loadtests/IdResolution.LoadTests" -nologo -v q
fi
DLL="$ROOT/src/IdResolution.Node/bin/Release/net10.0/IdResolution.Node.dll"
HARNESS="$ROOT/loadtests/IdResolution.LoadTests/bin/Release/net10.0/IdResolution.LoadTests.dll"

WORK="$(mktemp -d)"
NODE_PID=""
cleanup() {
  if [[ -n "$NODE_PID" ]]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$WORK"
# shellcheck disable=SC2086
dotnet "$DLL" --Node:HttpPort="$HTTP_PORT" --Node:GrpcPort="$GRPC_PORT" \
  --RateLimits:Enabled=true \
  --RateLimits:Resolution:PermitsPerSecond=1000000 --RateLimits:Resolution:Burst=1000000 \
  --RateLimits:Writes:PermitsPerSecond=1000000 --RateLimits:Writes:Burst=1000000 \
  --Registry:MaxResolveBatch=1000 \
  --Logging:LogLevel:Default=Warning ${NODE_ARGS:-} >"$WORK/node.log" 2>&1 &
NODE_PID=$!

for _ in $(seq 1 150); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/healthz" >/dev/null || { echo "node did not start" >&2; cat "$WORK/node.log" >&2; exit 1; }

cd "$ROOT"
rc=0
IDRES_ADMIN_PASSWORD="$(cat "$WORK/keys/initial-administrator-password")" \
  dotnet "$HARNESS" "$@" --target "$BASE" --grpc "http://127.0.0.1:${GRPC_PORT}" || rc=$?
echo "node RSS: $(awk '/VmRSS/ {print $2, $3}' "/proc/$NODE_PID/status")"
exit "$rc"
