#!/usr/bin/env bash
# Flash-sale comparison: Truestock (HTTP/JSON, in-process) against Redis (Lua reserve script, AOF everysec) and
# PostgreSQL (conditional UPDATE, synchronous_commit on), one run, one load generator, same concurrency; first, the
# C load generator and pipelined phase (c-phase.sh): every server in its own process started as its users start it
# (./truestock server, redis-server), wrk and redis-benchmark (and the harness's Java generator for the binary
# protocol) in their own processes, servers pinned to CPU 0 and generators to CPU 1.
#
#   benchmarks/run-peers.sh                 the default comparison (a few minutes on 2 cores); writes
#                                           benchmarks/results/<date>-flash-sale.md and .json
#   benchmarks/run-peers.sh --c-only        the C load generator phase alone (about three minutes); writes
#                                           benchmarks/results/<date>-flash-sale-c-only.md and .json
#   benchmarks/run-peers.sh --no-c-phase    the harness's sales alone
#   benchmarks/run-peers.sh --c-seconds N   measured seconds of each C phase measurement (default 10)
#   benchmarks/run-peers.sh --no-pin        no taskset pinning in the C phase
#   benchmarks/run-peers.sh --long          10x longer open-loop sales and a longer propagation run
#   benchmarks/run-peers.sh --smoke         seconds-long, Truestock only, nothing installed or written
#   benchmarks/run-peers.sh [--] OPTIONS    any option of the harness (--clients, --attempts, --open-rates, ...;
#                                           see --help), after the script's own
#
# Redis and PostgreSQL come from the distribution's packages (installed when missing), run on 127.0.0.1 on free
# ports with their data in a temporary directory, and are stopped and removed on exit, failure included. A peer
# that cannot be installed or started is reported as such in the results, with the error, and the rest still runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
flags_file="$here/target/jvm.flags"

smoke=0
long=0
c_mode=with
c_flags=()
# shellcheck source=benchmarks/c-phase.sh
. "$here/c-phase.sh"
harness_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --long) long=1 ;;
    --c-only) c_mode=only; c_flags+=("$1") ;;
    --no-c-phase) c_mode=without; c_flags+=("$1") ;;
    --no-pin) c_pin=0; c_flags+=("$1") ;;
    --c-seconds)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run-peers: --c-seconds needs a positive number" >&2; exit 2; }
      c_seconds="$2"; c_flags+=("$1" "$2"); shift ;;
    --) shift; harness_args+=("$@"); break ;;
    *) harness_args+=("$1") ;;
  esac
  shift
done

log() { echo "run-peers: $*" >&2; }

work=""
redis_pid=""
harness_pid=""
pg_data=""
pg_ctl_bin=""
run_as=()

cleanup() {
  local status=$?
  set +e
  c_stop_server
  if [ -n "$harness_pid" ] && kill -0 "$harness_pid" 2>/dev/null; then
    log "stopping the harness (pid $harness_pid)"
    kill "$harness_pid"
    wait "$harness_pid" 2>/dev/null
  fi
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    log "stopping Redis (pid $redis_pid)"
    kill "$redis_pid"
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$redis_pid" 2>/dev/null && kill -9 "$redis_pid"
  fi
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    "${run_as[@]}" "$pg_ctl_bin" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || {
      pg_pid="$(head -1 "$pg_data/postmaster.pid" 2>/dev/null)"
      [ -n "$pg_pid" ] && kill -9 "$pg_pid" 2>/dev/null
    }
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds the harness's jar and, in the same reactor build, the server jars ./truestock runs, so that the launcher
# finds them current (its own check covers resources and the client too) and does not build by itself.
build_if_needed() {
  local gateway_jar="$root/gateway/target/truestock-gateway.jar"
  if [ -f "$jar" ] && [ -f "$flags_file" ] && [ -f "$gateway_jar" ] && [ -d "$root/gateway/target/lib" ] &&
      [ -z "$(find "$root/pom.xml" "$root/protocol" "$root/engine" "$root/journal" "$root/client" "$root/gateway" \
      "$root/benchmarks" -type f \( -newer "$jar" -o -newer "$gateway_jar" \) \( -name '*.java' -o -name '*.xml' \
      -o -name '*.properties' -o -path '*/src/main/resources/*' \) -not -path '*/target/*' -print -quit)" ]; then
    return
  fi
  log "building the benchmarks jar"
  (cd "$root" && mvn -B -q package -pl benchmarks -am -DskipTests) >&2
}

# A TCP port on 127.0.0.1 that nothing answers on (checked by trying to connect).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

package_version() {
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"
}

apt_updated=0
# Installs packages; on failure the reason is the last lines apt printed, kept in $install_error.
install_error=""
install_packages() {
  local output="$work/apt.log"
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    if ! apt-get update -qq >"$output" 2>&1; then
      install_error="apt-get update failed: $(tail -3 "$output" | tr '\n' ' ')"
      return 1
    fi
    apt_updated=1
  fi
  log "installing $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$output" 2>&1; then
    install_error="apt-get install $* failed: $(tail -3 "$output" | tr '\n' ' ')"
    return 1
  fi
}

unavailable=()
notes=()

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if ! install_packages redis-server; then
      unavailable+=("--unavailable" "redis=$install_error")
      return
    fi
  fi
  notes+=("--note" "redis-server package=$(package_version redis-server) ($(redis-server --version | head -1))")
  mkdir -p "$work/redis"
  redis_port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --appendonly yes \
    --appendfsync everysec --save '' --daemonize no --logfile "$work/redis/redis.log" &
  redis_pid=$!
  for _ in $(seq 1 100); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = "PONG" ]; then
      log "Redis ready on 127.0.0.1:$redis_port (pid $redis_pid)"
      return
    fi
    if ! kill -0 "$redis_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  unavailable+=("--unavailable" "redis=redis-server did not start: $(tail -3 "$work/redis/redis.log" 2>/dev/null | tr '\n' ' ')")
}

start_postgres() {
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    if ! install_packages postgresql; then
      unavailable+=("--unavailable" "postgresql=$install_error")
      return
    fi
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  notes+=("--note" "postgresql package=$(package_version postgresql) ($("$bindir/postgres" --version))")
  pg_ctl_bin="$bindir/pg_ctl"
  pg_data="$work/pg"
  mkdir -p "$pg_data"
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the distribution's postgres user.
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      unavailable+=("--unavailable" "postgresql=running as root and there is no postgres user to run the server as")
      pg_data=""
      return
    fi
    chown -R postgres: "$work/pg"
    chmod 755 "$work"
    run_as=(runuser -u postgres --)
  fi
  chmod 700 "$pg_data"
  if ! "${run_as[@]}" "$bindir/initdb" -D "$pg_data" -U bench --auth=trust -E UTF8 >"$work/initdb.log" 2>&1; then
    unavailable+=("--unavailable" "postgresql=initdb failed: $(tail -3 "$work/initdb.log" | tr '\n' ' ')")
    pg_data=""
    return
  fi
  pg_port="$(free_port)"
  if ! "${run_as[@]}" "$pg_ctl_bin" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_data" start >&2; then
    unavailable+=("--unavailable" "postgresql=pg_ctl start failed: $(tail -3 "$pg_data/server.log" | tr '\n' ' ')")
    return
  fi
  log "PostgreSQL ready on 127.0.0.1:$pg_port"
}

build_if_needed
if commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null)"; then
  [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ] && commit+=" plus uncommitted changes"
  notes+=("--note" "truestock commit=$commit")
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jvm_flags="$(cat "$flags_file")"
# shellcheck disable=SC2207
jvm=($jvm_flags -Xms2g -Xmx2g -XX:+UseG1GC)
main=io.truestock.benchmarks.peers.FlashSaleComparison

if [ "$smoke" = 1 ]; then
  exec "$java_bin" "${jvm[@]}" -cp "$jar" "$main" --smoke "${harness_args[@]}"
fi

work="$(mktemp -d -t truestock-peers.XXXXXX)"
c_args=()
if [ "$c_mode" != without ]; then
  # First, while nothing else of this run is up: the servers it starts run alone.
  run_c_phase
  c_args=(--c-phase "$c_rows" "${c_notes[@]}")
  [ "$c_mode" = only ] && c_args+=(--c-only)
fi
if [ "$c_mode" != only ]; then
  start_redis
  start_postgres
fi

mode_args=()
if [ "$long" = 1 ]; then
  mode_args=(--open-seconds 100 --propagation-orders 10000 --warmup-attempts 20000)
fi
out_args=(--out "$here/results/$(date -u +%F)-flash-sale")
[ "$c_mode" = only ] && out_args=(--out "$here/results/$(date -u +%F)-flash-sale-c-only")
for arg in "${harness_args[@]}"; do
  case "$arg" in --out|--out=*) out_args=() ;; esac
done
command_line="benchmarks/run-peers.sh"
[ "$long" = 1 ] && command_line+=" --long"
for arg in "${c_flags[@]}"; do
  command_line+=" $arg"
done
for arg in "${harness_args[@]}"; do
  command_line+=" $arg"
done
# In the background and waited for, so that a signal runs the cleanup at once (and stops the harness too).
"$java_bin" "${jvm[@]}" -cp "$jar" "$main" \
  --redis "127.0.0.1:${redis_port:-0}" --postgres "127.0.0.1:${pg_port:-0}" --postgres-user bench \
  "${unavailable[@]}" "${notes[@]}" "${mode_args[@]}" "${c_args[@]}" \
  --note "jvm options=-Xms2g -Xmx2g -XX:+UseG1GC plus the project's jvm.flags" \
  --work-dir "$work" --command "$command_line" "${out_args[@]}" "${harness_args[@]}" &
harness_pid=$!
set +e
wait "$harness_pid"
status=$?
set -e
harness_pid=""
exit "$status"
