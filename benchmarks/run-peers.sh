#!/usr/bin/env bash
# Flash-sale comparison: Truestock (HTTP/JSON, in-process) against Redis (Lua reserve script, AOF everysec) and
# PostgreSQL (conditional UPDATE, synchronous_commit on), one run, one load generator, same concurrency.
#
#   benchmarks/run-peers.sh                 the default comparison (a few minutes on 2 cores); writes
#                                           benchmarks/results/<date>-flash-sale.md and .json
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
harness_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --long) long=1 ;;
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

build_if_needed() {
  if [ -f "$jar" ] && [ -f "$flags_file" ] && [ -z "$(find "$root/pom.xml" "$root/engine" "$root/journal" \
      "$root/gateway" "$root/benchmarks" -type f -newer "$jar" \( -name '*.java' -o -name 'pom.xml' \) \
      -not -path '*/target/*' -print -quit)" ]; then
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
# shellcheck disable=SC2207
jvm=($(cat "$flags_file") -Xms2g -Xmx2g -XX:+UseG1GC)
main=io.truestock.benchmarks.peers.FlashSaleComparison

if [ "$smoke" = 1 ]; then
  exec "$java_bin" "${jvm[@]}" -cp "$jar" "$main" --smoke "${harness_args[@]}"
fi

work="$(mktemp -d -t truestock-peers.XXXXXX)"
start_redis
start_postgres

mode_args=()
if [ "$long" = 1 ]; then
  mode_args=(--open-seconds 100 --propagation-orders 10000 --warmup-attempts 20000)
fi
out_args=(--out "$here/results/$(date -u +%F)-flash-sale")
for arg in "${harness_args[@]}"; do
  case "$arg" in --out|--out=*) out_args=() ;; esac
done
command_line="benchmarks/run-peers.sh"
[ "$long" = 1 ] && command_line+=" --long"
for arg in "${harness_args[@]}"; do
  command_line+=" $arg"
done
# In the background and waited for, so that a signal runs the cleanup at once (and stops the harness too).
"$java_bin" "${jvm[@]}" -cp "$jar" "$main" \
  --redis "127.0.0.1:${redis_port:-0}" --postgres "127.0.0.1:${pg_port:-0}" --postgres-user bench \
  "${unavailable[@]}" "${notes[@]}" "${mode_args[@]}" \
  --note "jvm options=-Xms2g -Xmx2g -XX:+UseG1GC plus the project's jvm.flags" \
  --work-dir "$work" --command "$command_line" "${out_args[@]}" "${harness_args[@]}" &
harness_pid=$!
set +e
wait "$harness_pid"
status=$?
set -e
harness_pid=""
exit "$status"
