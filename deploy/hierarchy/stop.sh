#!/usr/bin/env bash
# Stops the nodes deploy/hierarchy/start.sh started under $HIERARCHY (default ./hierarchy).
set -uo pipefail
root=${HIERARCHY:-./hierarchy}
for pid in "$root"/*/node.pid; do
  [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
  rm -f "$pid"
done
echo stopped
