#!/usr/bin/env bash
# Resolutions per second of the node core for an in-process cache hit, a Redis hit and a store
# read, measured in one run on this machine, each also given as a ratio to the in-process hit.
# Starts its own redis-server on a spare loopback port (the Redis scenario is skipped without one)
# and removes it afterwards. Manual only: not part of CI. Arguments are passed to the benchmark:
#   bash loadtests/cache-tiers.sh                     # builds Release first; 10,000 handles, 32 workers, 2 s + 10 s per scenario
#   SKIP_BUILD=1 bash loadtests/cache-tiers.sh --scenario redis --concurrency 64 --seconds 20
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="$ROOT/loadtests/IdResolution.LoadTests"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build -c Release "$PROJECT" -nologo -v q
fi

exec dotnet "$PROJECT/bin/Release/net10.0/IdResolution.LoadTests.dll" "$@"
