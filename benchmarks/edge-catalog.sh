# The HTTP edge benchmarks' shared set-up, sourced by run-edge-configs.sh, run-edge-alloc.sh, run-offer-scale.sh and
# run-server-restart.sh.
#
# edge_free_port: prints a free TCP port on the loopback interface.
edge_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# edge_openloop LOG: builds the C load generator (benchmarks/c/openloop.c) into benchmarks/target/openloop and sets
# $generator to it; without a C compiler, says so through LOG (a function) and exits 2.
edge_openloop() {
  local here_dir
  here_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  if ! command -v cc >/dev/null 2>&1; then
    "$1" "a C compiler (cc) is needed for the generator: apt-get install -y gcc"
    exit 2
  fi
  mkdir -p "$here_dir/target"
  cc -O2 -Wall -Wextra -o "$here_dir/target/openloop" "$here_dir/c/openloop.c"
  generator="$here_dir/target/openloop"
}
#
# edge_work: a temporary directory in $work, removed on exit with the server whose pid is in $server_pid (if any).
edge_work() {
  work="$(mktemp -d)"
  server_pid=""
  trap edge_cleanup EXIT
}
edge_cleanup() {
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}

# edge_pin PIN GENERATOR: with PIN 1, taskset and at least 2 CPUs, $server_pin pins the server to CPU 0 and $load_pin
# the load generator to CPU 1; $pin_note says which.
edge_pin() {
  server_pin=(); load_pin=()
  if [ "$1" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    server_pin=(taskset -c 0); load_pin=(taskset -c 1)
    pin_note="server pinned to CPU 0, $2 to CPU 1"
  else
    pin_note="no pinning"
  fi
}

# edge_catalog PORT DB (run-edge-configs.sh and run-edge-alloc.sh): waits for a server started on PORT with data in
# DB to answer /health, reads its admin token into $token and $auth, and makes the catalog both load it with:
# location oak, channel web, SKU hot with 40 000 000 units received (reservations of one unit held 1 s never run out).
edge_catalog() {
  local port="$1" db="$2"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  token="$(cat "$db/admin.token")"
  auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  curl -sf "${auth[@]}" -X PUT -d '{"name":"Oakland"}' "http://127.0.0.1:$port/v1/locations/oak" >/dev/null
  curl -sf "${auth[@]}" -X PUT -d '{"name":"Web"}' "http://127.0.0.1:$port/v1/channels/web" >/dev/null
  curl -sf "${auth[@]}" -X PUT -d '{"title":"Hot","price":{"amount":1000,"currency":"USD"}}' \
    "http://127.0.0.1:$port/v1/skus/hot" >/dev/null
  for _ in $(seq 1 40); do
    curl -sf "${auth[@]}" -d '{"sku":"hot","location":"oak","qty":1000000}' "http://127.0.0.1:$port/v1/stock/receive" >/dev/null
  done
}
