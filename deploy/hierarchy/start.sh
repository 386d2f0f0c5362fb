#!/usr/bin/env bash
# Starts a small hierarchy on this machine: a top level (88), two secondaries (88.709, 88.710) and an
# enterprise node (88.709.911, a child of 88.709), each in its own directory under $HIERARCHY (default
# ./hierarchy), from the settings files beside this script; then admits the secondaries at the top level
# and the enterprise node at 88.709, as their operators would. Tokens go to $HIERARCHY/tokens.env.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
root=$(mkdir -p "${HIERARCHY:-./hierarchy}" && cd "${HIERARCHY:-./hierarchy}" && pwd)
dotnet build -c Release -v quiet -nologo "$repo/src/IdResolution.Node" >/dev/null
dll="$repo/src/IdResolution.Node/bin/Release/net10.0/IdResolution.Node.dll"

declare -A http=([top]=8100 [secondary-a]=8200 [secondary-b]=8300 [enterprise]=8400)
start() { # starts node $1 in its directory, with any further settings
  local name=$1
  shift
  mkdir -p "$root/$name"
  (cd "$root/$name" && exec dotnet "$dll" --Config="$here/$name.json" "$@" >node.log 2>&1) &
  echo $! >"$root/$name/node.pid"
}
ready() { # waits until node $1 answers /readyz
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:${http[$1]}/readyz" >/dev/null && return 0
    sleep 0.2
  done
  echo "$1 did not start; see $root/$1/node.log" >&2
  exit 1
}
token() { # the generated administrator's token of node $1
  curl -sf -X POST "http://127.0.0.1:${http[$1]}/identity/token" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$(cat "$root/$1/keys/initial-administrator-password")\"}" |
    sed 's/.*"token":"\([^"]*\)".*/\1/'
}
credential() { # the node key credential node $1 hands to its parent (and to its children, for their escrow feed)
  curl -sf -H "authorization: Bearer $(token "$1")" "http://127.0.0.1:${http[$1]}/v1/admin/node" |
    sed 's/.*"credential":"\([^"]*\)".*/\1/'
}

# Parents first: a child serves its escrow feed only to the key it is given as its parent's.
start top
ready top
start secondary-a --Federation:Parent:Credentials:0="$(credential top)"
start secondary-b --Federation:Parent:Credentials:0="$(credential top)"
ready secondary-a
ready secondary-b
start enterprise --Federation:Parent:Credentials:0="$(credential secondary-a)"
ready enterprise

admit() { # at node $1, admit node $2 for prefix $3
  curl -sf -X POST "http://127.0.0.1:${http[$1]}/v1/admin/nodes" -H "authorization: Bearer $(token "$1")" \
    -H 'content-type: application/json' -d "{\"prefix\":\"$3\",\"name\":\"$2\",\"credentials\":[\"$(credential "$2")\"]}"
  echo
}
admit top secondary-a 88.709
admit top secondary-b 88.710
admit secondary-a enterprise 88.709.911

# Each node files its site (HS_SITE: its gRPC and HTTP URLs) with its parent, and the parent files its
# children's prefix handles on to the top level: wait until the top level can refer to every node.
for prefix in 88.709 88.710 88.709.911; do
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:8100/v1/handles/0.NA/$prefix?noRecursion=true&type=HS_SITE" | grep -q '"HS_SITE"' && break
    sleep 0.2
  done
done

{
  echo "TOP=$(token top)"
  echo "A=$(token secondary-a)"
  echo "B=$(token secondary-b)"
  echo "E=$(token enterprise)"
} >"$root/tokens.env"
echo "hierarchy up under $root; tokens in $root/tokens.env; stop it with: bash $here/stop.sh"
