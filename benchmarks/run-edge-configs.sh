#!/usr/bin/env bash
# The HTTP edge under one server configuration after another, same load, same run: `./truestock server` started
# the way a user starts it (JVM options through TRUESTOCK_JAVA_OPTS, the ring's wait strategy through the config
# file), then wrk (a C load generator, from the distribution's packages) posting reservations and reading
# availability. Per configuration: requests/s, p50/p99/p99.9, server CPU and context switches per request,
# GC pauses (count, max, total; every pause the collector logs, young or not) from the JVM's own log, the collector the JVM
# chose (in brackets after the configuration's name), RSS right after the load and after 40 s idle, and the heap
# (used / committed, as `jcmd GC.heap_info` reports it) after that idle time.
#
#   benchmarks/run-edge-configs.sh                     the configurations below, 20 s of load each
#   SECONDS_PER_RUN=60 benchmarks/run-edge-configs.sh  longer runs
#   CONFIGS='g1|phased|' benchmarks/run-edge-configs.sh  only the named ones (name|wait strategy|JVM options;...)
#   CONFIGS='r512|phased||ring_size: 512' ...          a fourth field adds a line to the server's config file
#   IDLE_SECONDS=0 benchmarks/run-edge-configs.sh      no idle wait before the idle RSS (quicker A/B runs)
#
# With taskset and at least 2 CPUs, the server is pinned to CPU 0 and wrk to CPU 1 (set PIN=0 to disable). A JVM pinned
# to one CPU chooses the Serial collector unless told otherwise: `default` rows show what `./truestock server` gets
# there, the `g1` rows name G1 explicitly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=benchmarks/edge-catalog.sh
. "$here/edge-catalog.sh"
seconds="${SECONDS_PER_RUN:-20}"
configs="${CONFIGS:-default|phased|;default|spin-block|;g1|spin-block|-XX:+UseG1GC;g1-sized|spin-block|-XX:+UseG1GC -Xmx1g -XX:MaxGCPauseMillis=10 -XX:G1PeriodicGCInterval=15000;zgc|spin-block|-XX:+UseZGC -Xmx1g}"
pin="${PIN:-1}"

log() { echo "run-edge-configs: $*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

edge_pin "$pin" wrk

edge_work

# Make sure the jars exist before any timing.
"$root/truestock" --version >/dev/null

cat > "$work/reserve.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"channel":"web","lines":[{"sku":"hot","qty":1}],"ttl_seconds":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f %.1f\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
LUA
sed -e 's/^wrk.method = "POST"$//' -e 's/^wrk.body = .*$//' -e 's/^wrk.headers\["Content-Type"\].*$//' \
  "$work/reserve.lua" > "$work/read.lua"

heap_mb() { # the server's heap, used / committed MB, as the JVM reports it (jcmd GC.heap_info; "?" without jcmd)
  local java_bin; java_bin="$(command -v jcmd || echo "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd")"
  # One line per generation (Serial and Parallel print two, G1 one): their sum.
  "$java_bin" "$1" GC.heap_info 2>/dev/null | awk '
    / total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) { if ($i == "total") t = $(i + 1); if ($i == "used") u = $(i + 1) }
      gsub(/[K,]/, "", t); gsub(/[K,]/, "", u); total += t; used += u; n++ }
    END { if (n) printf "%.0f / %.0f", used / 1024, total / 1024; else printf "?" }'
}

counters() { # cpu ticks, context switches of the server
  local pid=$1
  echo "$(awk '{print $14+$15}' "/proc/$pid/stat") $(cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/ctxt_switches/{s+=$2} END{print s}')"
}

run_wrk() { # name url script
  local before after
  before=$(counters "$server_pid")
  TOKEN="$token" "${load_pin[@]}" wrk -t1 -c32 -d"${seconds}s" --latency -s "$3" "$2" > "$work/wrk.out" 2>&1 || true
  after=$(counters "$server_pid")
  local r; r=$(grep '^RESULT' "$work/wrk.out" || echo "RESULT 0 0 1 0 0 0 0")
  read -r _ requests errors duration p50 p99 p999 max <<<"$r"
  read -r cpu0 ctx0 <<<"$before"; read -r cpu1 ctx1 <<<"$after"
  local hz; hz=$(getconf CLK_TCK)
  awk -v n="$1" -v req="$requests" -v err="$errors" -v dur="$duration" -v p50="$p50" -v p99="$p99" -v p999="$p999" \
    -v cpu=$((cpu1 - cpu0)) -v ctx=$((ctx1 - ctx0)) -v hz="$hz" 'BEGIN {
      rps = req / (dur / 1e6); cpur = req > 0 ? cpu * 1e6 / hz / req : 0; ctxr = req > 0 ? ctx / req : 0;
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %d |", n, rps, p50 / 1000, p99 / 1000, p999 / 1000, cpur, ctxr, err }'
}

echo "# HTTP edge by server configuration"
echo
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $pin_note, wrk -t1 -c32 ${seconds}s per phase, $(java -version 2>&1 | head -1)"
echo
echo "| configuration | wait | phase | req/s | p50 ms | p99 ms | p99.9 ms | CPU us/req | ctx sw/req | errors | GC pauses, both phases (n, max ms, total ms) | RSS MB after / idle | heap MB used / committed, idle |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
IFS=';' read -ra list <<<"$configs"
for entry in "${list[@]}"; do
  IFS='|' read -r name wait opts extra <<<"$entry"
  data="$work/$name-$wait"; mkdir -p "$data"
  port=$(edge_free_port)
  printf 'http_port: %s\nbinary_port: -1\nwait_strategy: %s\n' "$port" "$wait" > "$data/config.yaml"
  if [ -n "${extra:-}" ]; then printf '%s\n' "$extra" >> "$data/config.yaml"; fi
  TRUESTOCK_JAVA_OPTS="$opts -Xlog:gc,gc+phases:file=$data/gc.log" "${server_pin[@]}" "$root/truestock" server \
    --data-dir "$data/db" --config "$data/config.yaml" > "$data/server.log" 2>&1 &
  server_pid=$!
  edge_catalog "$port" "$data/db"
  # Warm-up (JIT), not reported.
  TOKEN="$token" "${load_pin[@]}" wrk -t1 -c32 -d10s -s "$work/reserve.lua" "http://127.0.0.1:$port/v1/reservations" >/dev/null 2>&1 || true
  : > "$data/gc.mark"; gc_from=$(grep -c 'Pause' "$data/gc.log" || true)
  write=$(run_wrk write "http://127.0.0.1:$port/v1/reservations" "$work/reserve.lua")
  read=$(run_wrk read "http://127.0.0.1:$port/v1/availability/hot?channel=web" "$work/read.lua")
  gc=$( (grep 'Pause' "$data/gc.log" || true) | tail -n +"$((gc_from + 1))" | (grep -oE '[0-9.]+ms$' || true) | tr -d 'ms' |
    awk '{n++; t+=$1; if ($1>m) m=$1} END {printf "%d, %.1f, %.0f", n, m, t}')
  # The collector the JVM chose: without an explicit one, a JVM limited to one CPU (taskset) picks Serial.
  collector=$( (grep -m1 -oE 'Using [A-Za-z0-9 ]+' "$data/gc.log" || echo 'Using ?') | sed -e 's/^Using //' -e 's/The Z Garbage Collector/ZGC/')
  rss_after=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$server_pid/status")
  sleep "${IDLE_SECONDS:-40}"
  rss_idle=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$server_pid/status")
  heap_idle=$(heap_mb "$server_pid")
  echo "${write/| write |/| $name ($collector) | $wait | write |} $gc | $rss_after / $rss_idle | $heap_idle |"
  echo "${read/| read |/| $name | $wait | read |} (in the row above) | | |"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
