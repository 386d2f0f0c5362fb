# Sourced by the load scripts: start_node ARGS... builds the node (unless SKIP_BUILD is set), starts it in a
# temporary directory ($WORK) on HTTP_PORT and GRPC_PORT with ARGS, waits until it answers /healthz, and
# stops it and removes $WORK when the script exits. Sets NODE_PID, WORK and BASE.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="http://127.0.0.1:${HTTP_PORT}"
NODE_PID=""
WORK="$(mktemp -d)"
cleanup() {
  if [[ -n "$NODE_PID" ]]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_node() {
  if [[ -z "${SKIP_BUILD:-}" ]]; then
    dotnet build -c Release "$ROOT/src/IdResolution.Node" -nologo -v q
  fi
  (cd "$WORK" && exec dotnet "$ROOT/src/IdResolution.Node/bin/Release/net10.0/IdResolution.Node.dll" \
    --Node:HttpPort="$HTTP_PORT" --Node:GrpcPort="$GRPC_PORT" --Logging:LogLevel:Default=Warning "$@" >"$WORK/node.log" 2>&1) &
  NODE_PID=$!
  for _ in $(seq 1 150); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "node did not start" >&2
  cat "$WORK/node.log" >&2
  exit 1
}
