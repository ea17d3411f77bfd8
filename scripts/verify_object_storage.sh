#!/usr/bin/env bash
# Verify the store on object storage against Azurite (Microsoft's Azure Storage emulator):
# install Azurite from npm into .tools/azurite (not committed), start it on 127.0.0.1,
# copy every table of the data directory to a blob container, read them back (rows and
# checksums), run two concurrent writers on one partitioned table and time-travel.
#
#   scripts/verify_object_storage.sh            # the data directory of BUDGETRUMMET_DATA_DIR
#   AZURITE_PORT=10000 scripts/verify_object_storage.sh
#
# Needs node and npm (apt-get install nodejs npm). Exit status 0 when every check held.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${AZURITE_PORT:-10000}"
tools=".tools/azurite"
azurite="$tools/node_modules/.bin/azurite-blob"
if [ ! -x "$azurite" ]; then
  command -v npm >/dev/null || { echo "npm saknas: apt-get install nodejs npm" >&2; exit 2; }
  mkdir -p "$tools"
  npm install --no-audit --no-fund --silent --prefix "$tools" azurite@3 >&2
fi
work="$(mktemp -d)"
"$azurite" --blobHost 127.0.0.1 --blobPort "$port" --location "$work" --silent \
  --disableTelemetry --skipApiVersionCheck >"$work/azurite.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$work/azurite.log" >&2; exit 1; }
  sleep 0.1
done
echo "Azurite $("$azurite" --version) på 127.0.0.1:$port"
.venv/bin/python -m budgetrummet store copy-to "az://budget/prov-$(date +%s)" --azurite --verify
