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

# The API reference page is tested in a real browser: Debian's Chromium (nothing is started here;
# the test runs it headless against a node on loopback).
if [ ! -x /usr/bin/chromium ]; then
  as_root=""
  [ "$(id -u)" = 0 ] || as_root="sudo"
  echo "installing chromium for the browser test"
  $as_root apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null \
    || echo "could not install chromium; the browser test will fail and say so" >&2
fi

dotnet build IdResolution.sln -c "$configuration" -nologo -v quiet 2>&1 | tail -n 20
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "0 passed, 1 failed, 0 skipped"
  exit "$build"
fi

dotnet test IdResolution.sln -c "$configuration" --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# VSTest prints one summary line per test assembly; sum them into the one line CI reads.
awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
