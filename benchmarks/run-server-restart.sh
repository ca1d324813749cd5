#!/usr/bin/env bash
# The server's restart at catalog scale, measured as a user meets it: `./truestock server` with max_skus 1 048 576,
# 4 locations and 8 channels, SKUS SKUs created over HTTP (POST /v1/import/inventory?create_skus=true, 5 000 rows a
# file), a snapshot (POST /v1/admin/snapshot), a tail of at least TAIL journaled commands after it (one-unit
# reservations held 1 s, from the C generator benchmarks/c/openloop.c in closed loop; their expiries add commands of
# their own), then kill -9. Each of RUNS restarts starts from a copy of that data dir, again with `./truestock server`
# and kill -9 after, and reports the wall time from the launcher's start to the first 200 of /health, the server's
# own recovery figures, and the time to the first answer of the MCP search_catalog tool (a catalog of more than
# 50 000 SKUs builds its search index once the server listens; until then a search answers 503 overloaded).
#
#   benchmarks/run-server-restart.sh                    1 M SKUs, a 1 M command tail, 5 restarts
#   SKUS=100000 TAIL=100000 RUNS=3 benchmarks/run-server-restart.sh
#
# Needs curl, python3 and a C compiler (cc). Set-up takes about a minute at 1 M SKUs; the data dir takes about 1 GB.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
skus="${SKUS:-1000000}"
tail_commands="${TAIL:-1000000}"
runs="${RUNS:-5}"

log() { echo "run-server-restart: $*" >&2; }
for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is needed"; exit 2; }
done
# shellcheck source=benchmarks/edge-catalog.sh
. "$here/edge-catalog.sh"
edge_work
edge_openloop log
# Make sure the launcher's jars are built before any timing.
"$root/truestock" --version >/dev/null
port="$(edge_free_port)"

config() { # config DATA_DIR
  cat > "$work/server.yaml" <<YAML
data_dir: $1
http_port: $port
binary_port: -1
snapshot_every_commands: 100000000
bounds:
  max_skus: 1048576
  max_locations: 4
  max_channels: 8
YAML
}

start_server() {
  "$root/truestock" server --config "$work/server.yaml" > "$work/server.log" 2>&1 &
  server_pid=$!
}

now_ms() { date +%s%3N; }

wait_health() {
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { log "the server stopped:"; tail -20 "$work/server.log" >&2; exit 1; }
    sleep 0.02
  done
}

sequence() {
  local value
  value="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" |
    awk '/^truestock_journal_sequence /{print $2}')"
  [ -n "$value" ] || { log "no truestock_journal_sequence in /metrics"; exit 1; }
  echo "$value"
}

# ---- set-up ----
config "$work/data"
start_server
wait_health
token="$(cat "$work/data/admin.token")"
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
for l in l0 l1 l2 l3; do
  curl -sf "${auth[@]}" -X PUT -d "{\"name\":\"$l\"}" "http://127.0.0.1:$port/v1/locations/$l" >/dev/null
done
for c in c0 c1 c2 c3 c4 c5 c6 c7; do
  curl -sf "${auth[@]}" -X PUT -d "{\"name\":\"$c\"}" "http://127.0.0.1:$port/v1/channels/$c" >/dev/null
done
mkdir -p "$work/csv"
python3 - "$work/csv" "$skus" <<'PY'
import sys
out, skus = sys.argv[1], int(sys.argv[2])
for f, start in enumerate(range(0, skus, 5000)):
    with open(f"{out}/f{f:04d}.csv", "w") as o:
        o.write("sku,location,on_hand\n")
        for k in range(start, min(start + 5000, skus)):
            o.write(f"sku-{k},l{k % 4},1000000\n")
PY
load_start="$(now_ms)"
for file in "$work"/csv/*.csv; do
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$file" \
    "http://127.0.0.1:$port/v1/import/inventory?create_skus=true" >/dev/null || { log "import of $file failed"; exit 1; }
done
log "$skus SKUs imported in $(( $(now_ms) - load_start )) ms"
rm -rf "$work/csv"
curl -sf "${auth[@]}" -X POST "http://127.0.0.1:$port/v1/admin/snapshot" >/dev/null
snapshot_sequence="$(sequence)"
while true; do
  left=$(( tail_commands - ($(sequence) - snapshot_sequence) ))
  [ "$left" -gt 0 ] || break
  # Long runs while far from the tail asked for, one-second runs near it, so the tail ends close to TAIL.
  "$generator" --loop closed --mode reserve --port "$port" --token "$token" --channel c0 \
    --sku sku-1 --ttl 1 --connections 32 --seconds "$([ "$left" -gt 300000 ] && echo 3 || echo 1)" --wait sleep >/dev/null
done
log "snapshot at $snapshot_sequence, $(( $(sequence) - snapshot_sequence )) commands journaled after it; kill -9"
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
server_pid=""
mv "$work/data" "$work/pristine"

# ---- restarts ----
search='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_catalog","arguments":{"query":"sku 77","channel":"c0","limit":1}}}'
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "catalog: $skus SKUs, 4 locations, 8 channels; snapshot at $snapshot_sequence, then kill -9"
for run in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  cp -a "$work/pristine" "$work/data"
  sync
  started="$(now_ms)"
  start_server
  wait_health
  healthy="$(now_ms)"
  while true; do
    answer="$(curl -s "${auth[@]}" -H 'Accept: application/json, text/event-stream' \
      -H 'MCP-Protocol-Version: 2025-11-25' -d "$search" "http://127.0.0.1:$port/mcp")"
    case "$answer" in *overloaded*) ;; *) break ;; esac
    [ "$(( $(now_ms) - healthy ))" -lt 120000 ] || { log "search_catalog still refused 120 s after /health"; exit 1; }
    sleep 0.05
  done
  searched="$(now_ms)"
  case "$answer" in *'"sku-77"'*) ;; *) log "search_catalog did not find sku-77: $answer"; exit 1 ;; esac
  recovered="$(grep -o 'recovered to sequence [0-9]* in [0-9]* ms: snapshot at [0-9]*, [0-9]* commands replayed' \
    "$work/server.log" | head -1)"
  echo "run $run: /health after $(( healthy - started )) ms, search_catalog answered after $(( searched - started )) ms; $recovered"
  kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
