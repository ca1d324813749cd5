# The C load generator and pipelined phase of benchmarks/run-peers.sh, sourced by it (it uses the script's log,
# free_port, install_packages, package_version, $root, $here, $work, $jar, $java_bin and $jvm_flags).
#
# Every system runs as its own server process, started as its users start it, one system at a time: Truestock with
# `./truestock server`, Redis with `redis-server` (AOF everysec, as in the harness's sales). Every load generator
# runs in its own process: wrk against Truestock's HTTP edge (benchmarks/wrk/truestock.lua), redis-benchmark against
# the Redis reservation script (src/main/resources/redis/reserve.lua, the harness's), and PipelinedLoad (the
# harness's Java generator, in its own JVM) against Truestock's binary protocol and against the same Redis script.
# Then the open loop: benchmarks/c/openloop.c (one C thread, built here with cc) offers each rate of c_open_rates
# to Truestock's HTTP edge, its binary edge (frames encoded by BinaryFrames) and the Redis script, and records each
# call's latency from its due instant; and the same generator in closed loop (--loop closed: each connection sends
# its next call when its last is answered, latency from send to answer) against the three, so that one generator
# measures every system the same way (wrk corrects its latencies for coordinated omission, redis-benchmark does not:
# their p99s do not compare). With taskset and at least 2 CPUs, every server runs on CPU 0 and every load
# generator on CPU 1. Each measurement is one row of $c_rows (see CPhase.java); what the report must say besides
# the figures goes into c_notes as --c-phase-note arguments of the harness.

c_seconds=10
c_warmup_seconds=3
c_jit_warmup_seconds=12
c_connections=32
c_depth=16
c_pin=1
c_server_pid=""
c_server_pin=()
c_load_pin=()
c_notes=()
c_rows=""
c_sku=hot
c_open_rates="1000 4000"
c_openloop=""
c_closed_generator="closed-loop"
c_channel=web
c_clock_ticks="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# Stops the server of the current system: SIGTERM (a clean stop, as a user's), SIGKILL after 60 s.
c_stop_server() {
  if [ -n "$c_server_pid" ] && kill -0 "$c_server_pid" 2>/dev/null; then
    log "stopping the C phase's server (pid $c_server_pid)"
    kill "$c_server_pid"
    for _ in $(seq 1 600); do kill -0 "$c_server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$c_server_pid" 2>/dev/null && kill -9 "$c_server_pid"
    wait "$c_server_pid" 2>/dev/null || true
  fi
  c_server_pid=""
}

# "cpu_ticks context_switches" of a process: utime + stime (fields 14 and 15 of /proc/PID/stat, counted after the
# command's closing parenthesis) and voluntary + nonvoluntary switches summed over its threads.
c_proc_cost() {
  local stat rest switches=0 key value status
  local -a fields
  if ! stat="$(cat "/proc/$1/stat" 2>/dev/null)"; then
    log "the server (pid $1) is gone"
    echo "0 0"
    return 0
  fi
  rest="${stat##*) }"
  read -r -a fields <<<"$rest"
  for status in /proc/"$1"/task/*/status; do
    while read -r key value; do
      case "$key" in
        voluntary_ctxt_switches:|nonvoluntary_ctxt_switches:) switches=$(( switches + value )) ;;
      esac
    done 2>/dev/null <"$status" || true
  done
  echo "$(( fields[11] + fields[12] )) $switches"
}

# The value of key=VALUE in a "name-result key=value ..." line.
c_field() {
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2" | head -1
}

# Appends one measurement: system edge operation generator connections depth requests seconds p50 p99 p99.9
# cpu_ticks context_switches errors conflicts oversells check.
c_row() {
  local IFS=$'\t'
  local -a fields=("$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" "${12}" "$c_clock_ticks" "${13}" \
    "${14}" "${15}" "${16}" "${17}")
  echo "${fields[*]}" >>"$c_rows"
  log "C phase: $1 $2 $3 $4 depth $6: $7 requests in $8 s, p50 $9 us, p99 ${10} us, errors ${14}, refused ${15}, oversells ${16}"
}

c_setup_pinning() {
  local cpus
  cpus="$(nproc 2>/dev/null || echo 1)"
  if [ "$c_pin" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$cpus" -ge 2 ]; then
    c_server_pin=(taskset -c 0)
    c_load_pin=(taskset -c 1)
    c_notes+=(--c-phase-note "pinning=every server on CPU 0 and every load generator on CPU 1 (taskset), the same for every system; a JVM pinned to one CPU sizes its defaults (Netty I/O threads, GC threads) for one")
  elif [ "$c_pin" = 1 ]; then
    c_notes+=(--c-phase-note "pinning=none: taskset missing or fewer than 2 CPUs ($cpus); servers and generators shared every core")
  else
    c_notes+=(--c-phase-note "pinning=none (--no-pin): servers and generators shared every core")
  fi
}

# Installs wrk, redis-server and redis-tools (redis-benchmark) from the distribution when missing.
c_install() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
  if [ "${#missing[@]}" -gt 0 ] && ! install_packages "${missing[@]}"; then
    c_notes+=(--c-phase-note "install=$install_error")
  fi
  if command -v wrk >/dev/null 2>&1; then
    c_notes+=(--c-phase-note "wrk=package $(package_version wrk) ($({ wrk -v 2>&1 || true; } | head -1 | cut -d' ' -f1-3))")
  fi
  if command -v redis-benchmark >/dev/null 2>&1; then
    c_notes+=(--c-phase-note "redis=package $(package_version redis-server) ($(redis-server --version | head -1 | cut -d' ' -f1-3))")
  fi
  if ! command -v cc >/dev/null 2>&1 && ! install_packages gcc; then
    c_notes+=(--c-phase-note "openloop=not run: no C compiler: $install_error")
    return 0
  fi
  mkdir -p "$here/target"
  if cc -O2 -Wall -Wextra -o "$here/target/openloop" "$here/c/openloop.c" 2>"$work/openloop-cc.log"; then
    c_openloop="$here/target/openloop"
    c_notes+=(--c-phase-note "open loop=benchmarks/c/openloop.c, one thread spinning (--wait spin) on the load CPU, $c_connections connections, one call in flight on each, each rate offered for $c_seconds s after a $c_warmup_seconds s warm-up at that rate; latency from each call's due instant to its answer (no coordinated omission)")
    c_notes+=(--c-phase-note "closed loop=the same generator with --loop closed, one thread blocking in epoll_wait (--wait sleep) as wrk and redis-benchmark do, $c_connections connections, each sending its next call when its last is answered, $c_seconds s after a $c_warmup_seconds s warm-up; latency from each call's send to its answer, uncorrected, as redis-benchmark records it (wrk 4.1 adds samples for coordinated omission to its histogram, so its p99 is not comparable with redis-benchmark's; compare these rows)")
  else
    c_notes+=(--c-phase-note "openloop=not run: it did not build: $(head -3 "$work/openloop-cc.log" | tr '\n\t' '  ')")
  fi
}

# openloop at every rate of c_open_rates: SYSTEM EDGE CHECK-FUNCTION, then openloop's own arguments. The check
# function sets c_oversells and c_check after each rate.
c_open_loop() {
  local system="$1" edge="$2" check="$3" rate line before after
  shift 3
  [ -n "$c_openloop" ] || return 0
  for rate in $c_open_rates; do
    before="$(c_proc_cost "$c_server_pid")"
    line="$("${c_load_pin[@]}" "$c_openloop" --rate "$rate" --seconds "$c_seconds" --warmup-seconds "$c_warmup_seconds" \
      --connections "$c_connections" --wait spin --sku "$c_sku" --qty 1 --ttl 1 "$@" 2>"$work/openloop.err" || true)"
    after="$(c_proc_cost "$c_server_pid")"
    if [ -z "$line" ]; then
      log "openloop $system $edge at $rate/s printed no result: $(tr '\n' ' ' <"$work/openloop.err" | cut -c1-300)"
      continue
    fi
    [ -s "$work/openloop.err" ] && log "openloop $system $edge at $rate/s: $(tr '\n' ' ' <"$work/openloop.err" | cut -c1-300)"
    "$check"
    # The warm-up's CPU and switches are in the window too: the figures per request are over both.
    local calls
    calls="$(c_field calls " $line")"
    c_row "$system" "$edge" reserve "openloop $rate/s" "$c_connections" 1 "$calls" "$(c_field seconds " $line")" \
      "$(c_field p50_us " $line")" "$(c_field p99_us " $line")" "$(c_field p999_us " $line")" \
      "$(( (${after% *} - ${before% *}) * c_seconds / (c_seconds + c_warmup_seconds) ))" \
      "$(( (${after#* } - ${before#* }) * c_seconds / (c_seconds + c_warmup_seconds) ))" \
      "$(c_field errors " $line")" 0 "$c_oversells" "$c_check"
  done
}

# openloop --loop closed, as fast as the answers come: SYSTEM EDGE CHECK-FUNCTION, then openloop's own arguments.
c_closed_loop() {
  local system="$1" edge="$2" check="$3" line before after
  shift 3
  [ -n "$c_openloop" ] || return 0
  before="$(c_proc_cost "$c_server_pid")"
  line="$("${c_load_pin[@]}" "$c_openloop" --loop closed --seconds "$c_seconds" --warmup-seconds "$c_warmup_seconds" \
    --connections "$c_connections" --wait sleep --sku "$c_sku" --qty 1 --ttl 1 "$@" 2>"$work/openloop.err" || true)"
  after="$(c_proc_cost "$c_server_pid")"
  if [ -z "$line" ]; then
    log "openloop closed $system $edge printed no result: $(tr '\n' ' ' <"$work/openloop.err" | cut -c1-300)"
    return 0
  fi
  [ -s "$work/openloop.err" ] && log "openloop closed $system $edge: $(tr '\n' ' ' <"$work/openloop.err" | cut -c1-300)"
  "$check"
  # The warm-up's calls are not counted: its CPU and switches are scaled out as the open loop's are.
  c_row "$system" "$edge" reserve "$c_closed_generator" "$c_connections" 1 "$(c_field calls " $line")" \
    "$(c_field seconds " $line")" "$(c_field p50_us " $line")" "$(c_field p99_us " $line")" \
    "$(c_field p999_us " $line")" \
    "$(( (${after% *} - ${before% *}) * c_seconds / (c_seconds + c_warmup_seconds) ))" \
    "$(( (${after#* } - ${before#* }) * c_seconds / (c_seconds + c_warmup_seconds) ))" \
    "$(c_field errors " $line")" 0 "$c_oversells" "$c_check"
}

c_redis_check() {
  local counter
  counter="$(redis-cli -h 127.0.0.1 -p "$c_redis_port" GET "stock:{$c_sku}")"
  c_oversells=$(( counter < 0 ? -counter : 0 ))
  c_check="stock counter $counter after this and the earlier runs"
}

# curl with the admin token against the C phase's Truestock; prints the body, fails on anything but 2xx.
c_http() {
  local method="$1" path="$2" body="${3:-}" status
  local -a data=()
  [ -n "$body" ] && data=(-H 'Content-Type: application/json' --data "$body")
  status="$(curl -sS -o "$work/c-http.out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $c_admin" \
    "${data[@]}" "http://127.0.0.1:$c_http_port$path")" || return 1
  cat "$work/c-http.out"
  case "$status" in
    2??) return 0 ;;
    *) echo " (HTTP $status on $method $path)" >&2; return 1 ;;
  esac
}

# Sums (or, with min, takes the least of) every "name":N of a JSON answer; no JSON tool needed.
c_json_numbers() {
  { grep -o "\"$1\":-\?[0-9]*" <<<"$2" || true; } | cut -d: -f2 | awk -v mode="${3:-sum}" \
    'NR == 1 || (mode == "min" && $1 < v) { if (mode == "min") v = $1 } { s += $1 } END { print (mode == "min" ? v : s) + 0 }'
}

# The oversell check on Truestock's own account of the hot SKU: held units (reserved + committed) beyond on hand,
# and any negative availability (per location or per channel), count as oversold. Sets c_oversells and c_check.
c_truestock_check() {
  local sku on_hand reserved committed least
  sku="$(c_http GET "/v1/skus/$c_sku")" || { c_oversells=0; c_check="final state unreadable"; return; }
  on_hand="$(c_json_numbers on_hand "$sku")"
  reserved="$(c_json_numbers reserved "$sku")"
  committed="$(c_json_numbers committed "$sku")"
  least="$(c_json_numbers available "$sku" min)"
  c_oversells=$(( reserved + committed > on_hand ? reserved + committed - on_hand : 0 ))
  [ "$least" -lt 0 ] && c_oversells=$(( c_oversells - least ))
  c_check="on_hand=$on_hand reserved=$reserved committed=$committed least available=$least (received $c_received)"
}

# wrk against Truestock: MODE DEPTH SECONDS [report]. Without "report" it is a warm-up, measured by nobody.
c_wrk() {
  local mode="$1" depth="$2" seconds="$3" before after line target
  target="http://127.0.0.1:$c_http_port"
  before="$(c_proc_cost "$c_server_pid")"
  line="$("${c_load_pin[@]}" wrk -t2 -c"$c_connections" -d"${seconds}s" --latency -s "$here/wrk/truestock.lua" \
    "$target" -- "$mode" "$c_agent" "$c_sku" "$c_channel" "$depth" | grep '^wrk-result' || true)"
  after="$(c_proc_cost "$c_server_pid")"
  [ "${4:-}" = report ] || return 0
  if [ -z "$line" ]; then
    log "wrk $mode depth $depth printed no result"
    return 0
  fi
  c_truestock_check
  local requests non2xx conflicts socket latencies
  requests="$(c_field requests "$line")"
  latencies="$(c_field p50_us "$line") $(c_field p99_us "$line") $(c_field p999_us "$line")"
  # wrk corrects its latencies for coordinated omission with the interval between answers on a connection; with
  # pipelining that interval is a fraction of a batch's latency and the correction's samples fall below the recorded
  # minimum, where its percentiles do not look: they are not reported (-1) at depth above 1.
  [ "$depth" -gt 1 ] && latencies="-1 -1 -1"
  local -a p
  read -r -a p <<<"$latencies"
  non2xx="$(c_field non2xx "$line")"
  conflicts="$(c_field conflicts "$line")"
  socket="$(c_field socket_errors "$line")"
  c_row truestock http "$mode" wrk "$c_connections" "$depth" "$requests" \
    "$(awk -v us="$(c_field duration_us "$line")" 'BEGIN { print us / 1e6 }')" \
    "${p[0]}" "${p[1]}" "${p[2]}" \
    "$(( ${after% *} - ${before% *} ))" "$(( ${after#* } - ${before#* } ))" \
    "$(( non2xx - conflicts + socket ))" "$conflicts" "$c_oversells" "$c_check"
}

# PipelinedLoad (its own JVM, on the load CPU): SYSTEM PORT DEPTH, extra arguments after.
c_java_load() {
  local system="$1" port="$2" depth="$3"
  shift 3
  # shellcheck disable=SC2086
  "${c_load_pin[@]}" "$java_bin" $jvm_flags -Xms256m -Xmx512m -cp "$jar" io.truestock.benchmarks.peers.PipelinedLoad \
    --system "$system" --port "$port" --depth "$depth" --connections "$c_connections" --seconds "$c_seconds" \
    --warmup-seconds "$c_warmup_seconds" --server-pid "$c_server_pid" --sku "$c_sku" "$@" | grep '^pipelined-result' || true
}

# Appends the row of a PipelinedLoad line: SYSTEM EDGE DEPTH LINE (c_oversells and c_check already set).
c_java_row() {
  local line="$4"
  if [ -z "$line" ]; then
    log "PipelinedLoad $1 depth $3 printed no result"
    return 0
  fi
  [ -n "$(c_field first_error "$line")" ] && log "PipelinedLoad $1 depth $3 first error: $(c_field first_error "$line")"
  c_row "$1" "$2" reserve pipelined-load "$c_connections" "$3" "$(c_field requests "$line")" "$c_seconds" \
    "$(c_field p50_us "$line")" "$(c_field p99_us "$line")" "$(c_field p999_us "$line")" \
    "$(c_field server_cpu_ticks "$line")" "$(c_field server_context_switches "$line")" \
    "$(c_field errors "$line")" "$(c_field rejected "$line")" "$c_oversells" "$c_check"
}

c_truestock() {
  local data="$work/c-truestock" key
  c_http_port="$(free_port)"
  c_binary_port="$(free_port)"
  c_admin="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  log "C phase: starting ./truestock server (HTTP $c_http_port, binary $c_binary_port)"
  TRUESTOCK_ADMIN_TOKEN="$c_admin" "${c_server_pin[@]}" "$root/truestock" server --data-dir "$data" \
    --http-port "$c_http_port" --binary-port "$c_binary_port" >"$work/c-truestock.log" 2>&1 &
  c_server_pid=$!
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$c_http_port/health" >/dev/null 2>&1 && break
    kill -0 "$c_server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! curl -sf "http://127.0.0.1:$c_http_port/health" >/dev/null 2>&1; then
    c_notes+=(--c-phase-note "truestock=not run: the server did not start: $(tail -3 "$work/c-truestock.log" | tr '\n\t' '  ')")
    c_stop_server
    return
  fi
  c_notes+=(--c-phase-note "truestock=./truestock server --data-dir TMP --http-port P --binary-port Q (the default configuration; TRUESTOCK_ADMIN_TOKEN set), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); one location, one channel, SKU '$c_sku' received 5,000,000 units; an agent key whose rate limit the load never reaches; reservations of 1 unit held 1 s (expired holds return their units)")
  # The catalog, over HTTP as a user would make it.
  c_received=0
  if ! { c_http PUT /v1/locations/dc '{"name":"Main DC"}' >/dev/null &&
      c_http PUT "/v1/channels/$c_channel" "{\"name\":\"$c_channel\",\"locations\":[\"dc\"]}" >/dev/null &&
      c_http PUT "/v1/skus/$c_sku" "{\"title\":\"$c_sku\",\"price\":{\"amount\":1999,\"currency\":\"USD\"}}" >/dev/null; }; then
    c_notes+=(--c-phase-note "truestock=not run: the catalog could not be created")
    c_stop_server
    return
  fi
  for _ in 1 2 3 4 5; do
    c_http POST /v1/stock/receive "{\"sku\":\"$c_sku\",\"location\":\"dc\",\"qty\":1000000}" >/dev/null &&
      c_received=$(( c_received + 1000000 ))
  done
  key="$(c_http POST /v1/api-keys '{"scope":"agent","rate_limit":{"reads_per_second":1000000,"read_burst":1000000,"writes_per_second":1000000,"write_burst":1000000}}')" || key=""
  c_agent="$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"$key")"
  if [ -z "$c_agent" ]; then
    c_notes+=(--c-phase-note "truestock=not run: no agent key: $key")
    c_stop_server
    return
  fi

  if command -v wrk >/dev/null 2>&1; then
    # The JIT's warm-up: both operations, long enough that its compilations (which on the server's one CPU compete
    # with the load for seconds) are over before the first measured run; Redis has none to do.
    c_wrk reserve 1 "$c_jit_warmup_seconds"
    c_wrk availability 1 "$(( c_jit_warmup_seconds / 2 ))"
    c_wrk reserve 1 "$c_warmup_seconds"
    c_wrk reserve 1 "$c_seconds" report
    c_wrk availability 1 "$c_seconds" report
    c_wrk reserve "$c_depth" "$c_seconds" report
  fi
  local line
  for depth in 1 "$c_depth"; do
    line="$(c_java_load truestock-binary "$c_binary_port" "$depth" --token "$c_agent" --channel "$c_channel")"
    c_truestock_check
    c_java_row truestock binary "$depth" "$line"
  done
  c_open_loop truestock http c_truestock_check --mode reserve --port "$c_http_port" --token "$c_agent" \
    --channel "$c_channel"
  c_closed_loop truestock http c_truestock_check --mode reserve --port "$c_http_port" --token "$c_agent" \
    --channel "$c_channel"
  local frames
  # shellcheck disable=SC2086
  frames="$("$java_bin" $jvm_flags -cp "$jar" io.truestock.benchmarks.peers.BinaryFrames "$c_agent" "$c_channel" \
    "$c_sku" 1 1 2>>"$work/openloop.err" || true)"
  if [ -n "$frames" ]; then
    c_open_loop truestock binary c_truestock_check --mode binary --port "$c_binary_port" \
      --hello "$(c_field hello " $frames")" --request "$(c_field reserve " $frames")" \
      --outcome-template "$(c_field outcome_template " $frames")" --template-offset "$(c_field template_offset " $frames")" \
      --reject-offset "$(c_field reject_offset " $frames")" --reject-none "$(c_field reject_none " $frames")"
    c_closed_loop truestock binary c_truestock_check --mode binary --port "$c_binary_port" \
      --hello "$(c_field hello " $frames")" --request "$(c_field reserve " $frames")" \
      --outcome-template "$(c_field outcome_template " $frames")" --template-offset "$(c_field template_offset " $frames")" \
      --reject-offset "$(c_field reject_offset " $frames")" --reject-none "$(c_field reject_none " $frames")"
  else
    log "BinaryFrames printed nothing: the binary edge's open loop is not run"
  fi
  c_stop_server
}

# redis-benchmark's figures from its full output: "requests p50_us p99_us p999_us", or nothing.
c_redis_benchmark_figures() {
  tr '\r' '\n' <"$1" | awk '
    /requests completed in/ { requests = $1 }
    /^[0-9.]+% <= [0-9.]+ milliseconds/ && !p999 { pct = $1; sub("%", "", pct); if (pct + 0 >= 99.9) p999 = $3 * 1000 }
    /latency summary/ { getline; getline; p50 = $3 * 1000; p99 = $5 * 1000 }
    END { if (requests) print requests, p50, p99, p999 }'
}

# redis-benchmark running the reservation script: DEPTH REQUESTS [report]; prints the throughput it measured.
c_redis_benchmark() {
  local depth="$1" requests="$2" out="$work/c-redis-benchmark.out" before after counter_before counter_after
  local -a figures
  counter_before="$(redis-cli -h 127.0.0.1 -p "$c_redis_port" GET "stock:{$c_sku}")"
  before="$(c_proc_cost "$c_server_pid")"
  "${c_load_pin[@]}" redis-benchmark -h 127.0.0.1 -p "$c_redis_port" -c "$c_connections" -n "$requests" -P "$depth" \
    -r 1000000000 EVALSHA "$c_sha" 2 "stock:{$c_sku}" "res:{$c_sku}:__rand_int__" 1 1 >"$out" 2>&1 || true
  after="$(c_proc_cost "$c_server_pid")"
  counter_after="$(redis-cli -h 127.0.0.1 -p "$c_redis_port" GET "stock:{$c_sku}")"
  read -r -a figures <<<"$(c_redis_benchmark_figures "$out")"
  if [ "${#figures[@]}" -lt 4 ]; then
    log "redis-benchmark depth $depth printed no result: $(tail -3 "$out" | tr '\n' ' ')"
    echo 0
    return 0
  fi
  local seconds
  seconds="$(tr '\r' '\n' <"$out" | sed -n 's/.*requests completed in \([0-9.]*\) seconds.*/\1/p' | head -1)"
  awk -v n="${figures[0]}" -v s="$seconds" 'BEGIN { print (s > 0 ? int(n / s) : 0) }'
  [ "${3:-}" = report ] || return 0
  # Every call must have held one unit: calls that did not are errors (a refusal cannot happen with this stock).
  local held=$(( counter_before - counter_after ))
  c_row redis resp reserve redis-benchmark "$c_connections" "$depth" "${figures[0]}" "$seconds" \
    "${figures[1]}" "${figures[2]}" "${figures[3]}" \
    "$(( ${after% *} - ${before% *} ))" "$(( ${after#* } - ${before#* } ))" \
    "$(( figures[0] > held ? figures[0] - held : 0 ))" 0 "$(( counter_after < 0 ? -counter_after : 0 ))" \
    "stock counter $counter_before -> $counter_after: $held units held by ${figures[0]} calls"
}

c_redis() {
  local dir="$work/c-redis" stock=1000000000000 rate line
  mkdir -p "$dir"
  c_redis_port="$(free_port)"
  "${c_server_pin[@]}" redis-server --bind 127.0.0.1 --port "$c_redis_port" --dir "$dir" --appendonly yes \
    --appendfsync everysec --save '' --daemonize no --logfile "$dir/redis.log" &
  c_server_pid=$!
  for _ in $(seq 1 100); do
    [ "$(redis-cli -h 127.0.0.1 -p "$c_redis_port" ping 2>/dev/null)" = "PONG" ] && break
    kill -0 "$c_server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$(redis-cli -h 127.0.0.1 -p "$c_redis_port" ping 2>/dev/null)" != "PONG" ]; then
    c_notes+=(--c-phase-note "redis=not run: redis-server did not start: $(tail -3 "$dir/redis.log" 2>/dev/null | tr '\n\t' '  ')")
    c_stop_server
    return
  fi
  c_notes+=(--c-phase-note "redis-server=redis-server --appendonly yes --appendfsync everysec --save '' (its own process, own data dir); stock counter 'stock:{$c_sku}' set to $stock; each call holds 1 unit for 1 s under a random 'res:{$c_sku}:N' key")
  c_sha="$(redis-cli -h 127.0.0.1 -p "$c_redis_port" SCRIPT LOAD "$(cat "$here/src/main/resources/redis/reserve.lua")")"
  redis-cli -h 127.0.0.1 -p "$c_redis_port" SET "stock:{$c_sku}" "$stock" >/dev/null
  if command -v redis-benchmark >/dev/null 2>&1; then
    for depth in 1 "$c_depth"; do
      # A warm-up sized to last about the warm-up seconds; its rate sizes the measured run to about c_seconds.
      rate="$(c_redis_benchmark "$depth" $(( 20000 * depth )))"
      rate="$(c_redis_benchmark "$depth" $(( rate > 0 ? rate * c_warmup_seconds : 50000 * depth )))"
      c_redis_benchmark "$depth" $(( rate > 0 ? rate * c_seconds : 500000 * depth )) report >/dev/null
    done
  fi
  for depth in 1 "$c_depth"; do
    line="$(c_java_load redis "$c_redis_port" "$depth")"
    local counter
    counter="$(redis-cli -h 127.0.0.1 -p "$c_redis_port" GET "stock:{$c_sku}")"
    c_oversells=$(( counter < 0 ? -counter : 0 ))
    c_check="stock counter $stock -> $counter after this and the earlier runs"
    c_java_row redis resp "$depth" "$line"
  done
  c_open_loop redis resp c_redis_check --mode redis --port "$c_redis_port" --sha "$c_sha"
  c_closed_loop redis resp c_redis_check --mode redis --port "$c_redis_port" --sha "$c_sha"
  c_stop_server
}

# Runs the phase; the rows end up in $c_rows.
run_c_phase() {
  c_rows="$work/c-phase.tsv"
  printf 'system\tedge\toperation\tgenerator\tconnections\tdepth\trequests\tseconds\tp50_us\tp99_us\tp999_us\tserver_cpu_ticks\tclock_ticks\tserver_context_switches\terrors\tconflicts\toversells\tcheck\n' >"$c_rows"
  local load_start
  load_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  c_setup_pinning
  c_install
  c_notes+=(--c-phase-note "fairness=each system ran as its own server process, started as its users start it, alone on the machine's share this script uses (one system at a time); each load generator ran in its own process; $c_connections connections; $c_seconds s measured after a $c_warmup_seconds s warm-up")
  c_truestock
  if command -v redis-server >/dev/null 2>&1; then
    c_redis
  else
    c_notes+=(--c-phase-note "redis=not run: redis-server is not installed")
  fi
  c_notes+=(--c-phase-note "load_average=$load_start at the start of this phase, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) at its end (1, 5, 15 min: how much other work competed for the cores)")
}
