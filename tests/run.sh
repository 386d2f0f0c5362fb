#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine of this kind (Debian 12 with the .NET SDK):
# installs and starts what the tests need, runs them, stops it again, and ends with one line
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

configuration=${CONFIGURATION:-Release}
log=$(mktemp -t idres-tests.XXXXXX.log)
trap 'rm -f "$log"' EXIT

if ! command -v dotnet >/dev/null 2>&1; then
  echo "the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

as_root=""
[ "$(id -u)" = 0 ] || as_root="sudo"
apt_updated=""
# apt_install PACKAGE WHAT-FOR: installs a Debian package, updating the package lists once per run.
apt_install() {
  echo "installing $1 for $2"
  if [ -z "$apt_updated" ]; then
    $as_root apt-get update -qq >/dev/null && apt_updated=1
  fi
  [ -n "$apt_updated" ] && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "$1" >/dev/null \
    || echo "could not install $1; $2 will fail and say so" >&2
}

# The API reference page and the dashboard are tested in a real browser: Debian's Chromium (nothing is started here;
# the test runs it headless against a node on loopback).
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "the browser test"
fi

# The Redis cache tests start their own redis-server processes on loopback; the package brings
# redis-cli (redis-tools) too, which makes their cluster.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  apt_install redis-server "the Redis cache tests"
fi

# The OpenAPI document is linted with Redocly CLI, pinned in tests/tools/openapi-lint (package-lock.json).
# Without Node.js and npm that test skips and says why.
lint_tools=tests/tools/openapi-lint
if [ ! -d "$lint_tools/node_modules" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "installing Redocly CLI for the OpenAPI lint test"
    # A failed install leaves nothing behind, so the next run tries again.
    (cd "$lint_tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || { rm -rf "$lint_tools/node_modules"; echo "could not install Redocly CLI; the OpenAPI lint test will skip and say why" >&2; }
  else
    echo "npm is missing; the OpenAPI lint test will skip (it needs Node.js 20.19 or later and npm)" >&2
  fi
fi

# The disk-full fault-injection test builds a small preloaded library (tests/IdResolution.Node.Tests/Disks/enospc.c).
if ! command -v cc >/dev/null 2>&1; then
  apt_install gcc "the disk-full fault-injection test"
fi

dotnet build IdResolution.sln -c "$configuration" -nologo -v quiet 2>&1 | tail -n 20
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "0 passed, 1 failed, 0 skipped"
  exit "$build"
fi

# The Cassandra tests run against a real cluster only when one is named; CI here has none.
if [ -z "${IDRES_TEST_CASSANDRA:-}" ]; then
  echo "Cassandra integration tests: skipped (IDRES_TEST_CASSANDRA is not set; e.g. IDRES_TEST_CASSANDRA=127.0.0.1:9042,cassandra,cassandra)"
fi

# The solution includes tests/IdResolution.Cli.Tests (idres against real node processes; its 1,000,000-row
# scenario runs only with IDRES_CLI_MILLION=1, see README "Command line").
dotnet test IdResolution.sln -c "$configuration" --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# The Redis fixtures stop their servers; a crashed test host leaves its servers running. They are
# found by their data directory on the command line (the fixtures keep it there) and removed.
for pid in $(pgrep -f -- '^[^ ]*redis-server .*--dir /tmp/idres-redis-' || true); do
  echo "stopping redis-server $pid left behind by the tests" >&2
  kill -KILL "$pid" 2>/dev/null || true
done
rm -rf /tmp/idres-redis-*

# VSTest prints one summary line per test assembly; sum them into the one line CI reads.
awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
