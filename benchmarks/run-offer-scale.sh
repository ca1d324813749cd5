#!/usr/bin/env bash
# Offer reads at the HTTP edge with a 1 M SKU catalog: one hot SKU against random SKUs over the whole catalog, same
# server, same run, interleaved (benchmarks/README.md, "Offer reads on random SKUs, 2026-12-04"). The server is
# started as the README says (config file: bounds.max_skus 1048576, 4 locations, 8 channels), 4 locations and 8
# channels drawing from all of them are defined, and SKUS SKUs (sku-0 .. sku-<SKUS-1>) are created by inventory
# imports (`POST /v1/import/inventory?create_skus=true`, files of ROWS_PER_FILE rows, each SKU stocked at one
# location). The C generator (benchmarks/c/openloop.c) then reads `GET /v1/offers/sku-<k>?channel=c0`: `--skus 1` is
# the hot SKU (sku-0), `--skus SKUS` spreads the calls over every SKU by a multiplicative hash of the call's index.
#
# Per phase: calls/s, p50/p99/p99.9/max (us), the server's CPU per call, errors; then the random/hot ratio of p99
# for each pair. Phases: closed loop over CONNECTIONS connections (each sends its next call when the last is
# answered), then open loop at each of RATES calls/s over 4 connections, latency from each call's due instant (so a
# queue counts), the generator spinning between calls (WAIT=sleep: a timer wakes it). Each rate starts with an idle
# phase (no call: how late the generator's thread wakes, the floor under every figure on this machine). Every pair is run ROUNDS times, hot then random. The collector's pauses in each phase come
# from the server's GC log; "steal ms" is the CPU time the hypervisor took from both CPUs during the phase.
#
#   benchmarks/run-offer-scale.sh                      defaults: 1 048 576 SKUs, 10 s a phase, 2 rounds
#   SKUS=100000 SECONDS_PER_PHASE=5 benchmarks/run-offer-scale.sh
#   RATES="1000 10000 30000" benchmarks/run-offer-scale.sh
#
# With taskset and at least 2 CPUs, the server is pinned to CPU 0 and the generator to CPU 1 (PIN=0 disables).
# JAVA_OPTS adds JVM options to the server's.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=benchmarks/edge-catalog.sh
. "$here/edge-catalog.sh"
skus="${SKUS:-1048576}"
rows_per_file="${ROWS_PER_FILE:-5000}"
seconds="${SECONDS_PER_PHASE:-10}"
rounds="${ROUNDS:-2}"
rates="${RATES:-1000 10000}"
connections="${CONNECTIONS:-32}"
wait_mode="${WAIT:-spin}"
pin="${PIN:-1}"

log() { echo "run-offer-scale: $*" >&2; }

edge_openloop log
jar="$root/gateway/target/truestock-gateway.jar"
if [[ ! -f "$jar" || ! -f "$root/gateway/target/jvm.flags" ]]; then
  (cd "$root" && mvn -B -q package -pl gateway -am -DskipTests)
fi

edge_pin "$pin" generator

edge_work

port=$(edge_free_port)
cat > "$work/config.yaml" <<YAML
data_dir: $work/db
http_port: $port
binary_port: -1
bounds:
  max_skus: 1048576
  max_locations: 4
  max_channels: 8
YAML
# shellcheck disable=SC2046,SC2086
"${server_pin[@]}" java $(cat "$root/gateway/target/jvm.flags") -Xlog:gc:file="$work/gc.log" ${JAVA_OPTS:-} \
  -cp "$jar:$root/gateway/target/lib/*" io.truestock.gateway.Main server --config "$work/config.yaml" \
  > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
token="$(cat "$work/db/admin.token")"
auth=(-H "Authorization: Bearer $token")
base="http://127.0.0.1:$port"

for l in 0 1 2 3; do
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X PUT -d "{\"name\":\"l$l\"}" "$base/v1/locations/l$l" >/dev/null
done
for c in 0 1 2 3 4 5 6 7; do
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X PUT -d "{\"name\":\"c$c\"}" "$base/v1/channels/c$c" >/dev/null
done

# The catalog, one import file after another: sku-<k> with k units at location l<k mod 4>.
load_start=$(date +%s.%N)
for ((first = 0; first < skus; first += rows_per_file)); do
  awk -v first="$first" -v last="$((first + rows_per_file < skus ? first + rows_per_file : skus))" 'BEGIN {
    print "sku,location,on_hand"; for (k = first; k < last; k++) printf "sku-%d,l%d,%d\n", k, k % 4, 1000 + k % 1000 }' \
    > "$work/import.csv"
  answer=$(curl -s "${auth[@]}" -H 'Content-Type: text/csv' --data-binary @"$work/import.csv" \
    "$base/v1/import/inventory?create_skus=true")
  if [[ "$answer" != *'"error_count":0'* ]]; then
    log "import from sku-$first refused: ${answer:0:300}"
    exit 1
  fi
done
load_seconds=$(awk -v s="$load_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
if ! curl -sf "${auth[@]}" "$base/v1/offers/sku-$((skus - 1))?channel=c0" | grep -q '"quote"'; then
  log "the last SKU has no offer"
  exit 1
fi
rss_mb=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$server_pid/status")

cpu_ticks() { awk '{print $14+$15}' "/proc/$server_pid/stat"; }
gc_pauses() { grep -c 'Pause' "$work/gc.log" || true; }
steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }

# phase NAME SKUS LOOP-OPTIONS...: one generator run; prints a table row and leaves p99 in $last_p99.
phase() {
  local name="$1" phase_skus="$2"; shift 2
  local before after line gc_from gc steal_from steal
  before=$(cpu_ticks); gc_from=$(gc_pauses); steal_from=$(steal_ticks)
  line=$("${load_pin[@]}" "$generator" --port "$port" --token "$token" --channel c0 \
    --skus "$phase_skus" --seconds "$seconds" "$@")
  after=$(cpu_ticks); steal=$(awk -v a="$steal_from" -v b="$(steal_ticks)" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f", (b - a) * 1000 / hz }')
  # The collector's pauses during the phase (every pause the JVM logs): count, longest ms.
  gc=$( (grep 'Pause' "$work/gc.log" || true) | tail -n +"$((gc_from + 1))" | (grep -oE '[0-9.]+ms$' || true) |
    tr -d 'ms' | awk '{n++; if ($1 > m) m = $1} END {printf "%d, %.1f", n, m}')
  last_p99=$(sed -E 's/.*p99_us=([0-9.]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" -v gc="$gc" -v steal="$steal" 'BEGIN {
    split(l, f, " "); for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    printf "| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s | %s |\n", n, v["calls"] / v["seconds"], v["p50_us"],
      v["p99_us"], v["p999_us"], v["max_us"], (v["calls"] > 0 ? cpu * 1e6 / hz / v["calls"] : 0), v["errors"], gc, steal }'
}

# Warm-up (JIT, the generator's connections), not reported.
"${load_pin[@]}" "$generator" --mode rest --port "$port" --token "$token" --channel c0 --skus "$skus" \
  --loop closed --connections "$connections" --seconds 10 >/dev/null
"${load_pin[@]}" "$generator" --mode rest --port "$port" --token "$token" --channel c0 --skus 1 \
  --loop closed --connections "$connections" --seconds 5 >/dev/null

echo "# Offer reads at the HTTP edge, hot SKU against random SKUs"
echo
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $pin_note," \
  "$(java -version 2>&1 | head -1)"
echo "catalog: $skus SKUs, 4 locations, 8 channels, imported in $load_seconds s ($(( (skus + rows_per_file - 1) / rows_per_file )) files); server RSS $rss_mb MB"
echo
echo "| phase | calls/s | p50 us | p99 us | p99.9 us | max us | server CPU us/call | errors | GC pauses (n, max ms) | steal ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"
ratios=()
for round in $(seq 1 "$rounds"); do
  phase "closed $connections conn, hot (round $round)" 1 --mode rest --loop closed --connections "$connections"; hot=$last_p99
  phase "closed $connections conn, random (round $round)" "$skus" --mode rest --loop closed --connections "$connections"
  ratios+=("closed $connections conn, round $round: $(awk -v r="$last_p99" -v h="$hot" 'BEGIN { printf "%.2f", r / h }')")
  for rate in $rates; do
    phase "open $rate/s, idle: no call, the generator's wake-up lateness (round $round)" 1 --mode idle --rate "$rate" --wait "$wait_mode"
    phase "open $rate/s, hot (round $round)" 1 --mode rest --rate "$rate" --wait "$wait_mode" --connections 4; hot=$last_p99
    phase "open $rate/s, random (round $round)" "$skus" --mode rest --rate "$rate" --wait "$wait_mode" --connections 4
    ratios+=("open $rate/s, round $round: $(awk -v r="$last_p99" -v h="$hot" 'BEGIN { printf "%.2f", r / h }')")
  done
done
echo
echo "p99 random / p99 hot:"
printf -- '- %s\n' "${ratios[@]}"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
