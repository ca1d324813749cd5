# Sourced by the scripts that test the packaged server from outside (.ci/mcp-interop.sh, .ci/console-e2e.sh): the
# pinned npm packages of a test directory, and the server run as `./truestock demo` runs it (the demo catalog and
# its agent key) over "$work/data", on a free port, with the binary port off. Expects $root (the repository) and
# $work (a temporary directory); the caller stops "$server_pid" on exit.

# Installs the npm packages pinned in $1/package.json (and package-lock.json when there is one).
install_npm_packages() {
  if [ -f "$1/package-lock.json" ]; then
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$1" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

# Starts the demo server with any further arguments ($2...) and waits until it is ready; sets server_pid, base (its
# URL) and agent_token (the demo's agent key). $1 names the caller in messages. Set TRUESTOCK_ADMIN_TOKEN (and any
# secret the arguments' config reads) in the environment of the call.
start_packaged_demo() {
  local label="$1"
  shift
  local jar="$root/gateway/target/truestock-gateway.jar"
  if [ ! -f "$jar" ] || [ ! -f "$root/gateway/target/jvm.flags" ]; then
    echo "$label: $jar is missing; build first (mvn -B verify)" >&2
    exit 1
  fi
  echo "$label: starting the demo server"
  : > "$work/server.log"
  # shellcheck disable=SC2046
  java $(cat "$root/gateway/target/jvm.flags") -cp "$jar:$root/gateway/target/lib/*" io.truestock.gateway.Main demo \
    --data-dir "$work/data" --http-port 0 --binary-port -1 "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  base=""
  for _ in $(seq 1 600); do
    base="$(sed -n 's/^Truestock is ready at \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)"
    if [ -n "$base" ] && [ -f "$work/data/demo-agent-token" ] && grep -q 'mcpServers' "$work/server.log"; then
      break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$label: the server stopped:" >&2
      cat "$work/server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [ -z "$base" ]; then
    echo "$label: the server did not start within 60 s:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  agent_token="$(cat "$work/data/demo-agent-token")"
  echo "$label: server at $base"
}

# For the caller's EXIT trap: stops the helper processes whose pids are given, then the server (waiting for it to
# drain), and removes $work.
stop_packaged_demo() {
  local pid
  for pid in "$@"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  done
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

# Prints the first line a helper process writes to the file $1 (its URL), waiting up to 10 s; exits naming $2 when
# none comes.
first_line_of() {
  local line=""
  for _ in $(seq 1 100); do
    line="$(head -n 1 "$1" 2>/dev/null || true)"
    if [ -n "$line" ]; then
      printf '%s\n' "$line"
      return 0
    fi
    sleep 0.1
  done
  echo "$2 did not start" >&2
  exit 1
}
