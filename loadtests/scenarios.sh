#!/usr/bin/env bash
# Runs the scenario harness against a real node it starts here, in the production configuration: rate
# limiter on (limits raised far above the offered load, so its cost is measured), audit trail and change log
# on (their defaults), embedded store. Manual only: not part of CI.
#   bash loadtests/scenarios.sh all                       # every scenario, closed loop, 10,000 handles
#   SKIP_BUILD=1 bash loadtests/scenarios.sh resolve-hot --rate 20000 --seconds 20
#   NODE_ARGS="--Cache:MaxTtlSeconds=0" bash loadtests/scenarios.sh resolve-cold --handles 1000000
set -euo pipefail

HTTP_PORT="${HTTP_PORT:-18580}"
GRPC_PORT="${GRPC_PORT:-18581}"

# shellcheck source=loadtests/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/node.sh"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build -c Release "$ROOT/loadtests/IdResolution.LoadTests" -nologo -v q
fi
# shellcheck disable=SC2086
start_node --RateLimits:Enabled=true \
  --RateLimits:Resolution:PermitsPerSecond=1000000 --RateLimits:Resolution:Burst=1000000 \
  --RateLimits:Writes:PermitsPerSecond=1000000 --RateLimits:Writes:Burst=1000000 \
  --Registry:MaxResolveBatch=1000 ${NODE_ARGS:-}

cd "$ROOT"
rc=0
IDRES_ADMIN_PASSWORD="$(cat "$WORK/keys/initial-administrator-password")" \
  dotnet "$ROOT/loadtests/IdResolution.LoadTests/bin/Release/net10.0/IdResolution.LoadTests.dll" "$@" --target "$BASE" --grpc "http://127.0.0.1:${GRPC_PORT}" || rc=$?
echo "node RSS: $(awk '/VmRSS/ {print $2, $3}' "/proc/$NODE_PID/status")"
exit "$rc"
