#!/usr/bin/env bash
# Bytes allocated per HTTP request at the edge: `./truestock server` as run-edge-configs.sh starts it (same catalog,
# same wrk scripts, server pinned to CPU 0 and wrk to CPU 1 when there are 2 CPUs), warmed up, then async-profiler's
# allocation profiler attached for one phase of wrk posting reservations and one reading availability. Prints the
# bytes per request of each phase (async-profiler's sampled allocation totals divided by wrk's request count) and
# leaves the collapsed stacks (bytes per stack) in OUT for a closer look.
#
#   benchmarks/run-edge-alloc.sh                       15 s per phase, stacks in a temporary directory (removed)
#   OUT=alloc SECONDS_PER_RUN=30 benchmarks/run-edge-alloc.sh
#
# async-profiler comes from the local Maven repository (tools.profiler:async-profiler:4.2, fetched by
# `mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.2` if missing); ASYNC_PROFILER_LIB names another
# libasyncProfiler.so. Allocation per request hardly depends on how busy the machine is; throughput does (use
# run-edge-configs.sh on a quiet machine for that).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=benchmarks/edge-catalog.sh
. "$here/edge-catalog.sh"
seconds="${SECONDS_PER_RUN:-15}"
edge_work
out="${OUT:-$work/out}"
mkdir -p "$out"

lib="${ASYNC_PROFILER_LIB:-}"
if [ -z "$lib" ]; then
  jar="$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar"
  [ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.2 >&2
  (cd "$work" && unzip -q -o "$jar" 'linux-x64/libasyncProfiler.so')
  lib="$work/linux-x64/libasyncProfiler.so"
fi

edge_pin 1 wrk

"$root/truestock" --version >/dev/null
port=$(edge_free_port)
printf 'http_port: %s\nbinary_port: -1\nwait_strategy: phased\n' "$port" > "$work/config.yaml"
"${server_pin[@]}" "$root/truestock" server --data-dir "$work/db" --config "$work/config.yaml" > "$work/server.log" 2>&1 &
server_pid=$!
edge_catalog "$port" "$work/db"
cat > "$work/reserve.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"channel":"web","lines":[{"sku":"hot","qty":1}],"ttl_seconds":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d\n", summary.requests))
end
LUA
grep -v -e '^wrk.method' -e '^wrk.body' -e 'Content-Type' "$work/reserve.lua" > "$work/read.lua"
write_url="http://127.0.0.1:$port/v1/reservations"
read_url="http://127.0.0.1:$port/v1/availability/hot?channel=web"
# Warm-up (JIT), not measured.
TOKEN="$token" "${load_pin[@]}" wrk -t1 -c32 -d10s -s "$work/reserve.lua" "$write_url" >/dev/null 2>&1 || true
TOKEN="$token" "${load_pin[@]}" wrk -t1 -c32 -d5s -s "$work/read.lua" "$read_url" >/dev/null 2>&1 || true
java_home_bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
for phase in write read; do
  if [ "$phase" = write ]; then url="$write_url"; script="$work/reserve.lua"; else url="$read_url"; script="$work/read.lua"; fi
  "${java_home_bin}jcmd" "$server_pid" JVMTI.agent_load "$lib" "\"start,event=alloc\"" >/dev/null
  TOKEN="$token" "${load_pin[@]}" wrk -t1 -c32 -d"${seconds}s" -s "$script" "$url" > "$work/wrk-$phase.out" 2>&1 || true
  "${java_home_bin}jcmd" "$server_pid" JVMTI.agent_load "$lib" "\"stop,file=$out/$phase.collapsed,collapsed,total\"" >/dev/null
  requests=$(awk '/^RESULT/{print $2}' "$work/wrk-$phase.out")
  bytes=$(awk '{s += $NF} END {printf "%.0f", s}' "$out/$phase.collapsed")
  awk -v p="$phase" -v n="${requests:-0}" -v b="$bytes" 'BEGIN { printf "%s: %d requests, %.0f bytes allocated per request\n", p, n, (n > 0 ? b / n : 0) }'
done
