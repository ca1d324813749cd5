#!/usr/bin/env bash
# The seller console in a real browser, on the packaged server (run after `mvn -B verify`): playwright-core (pinned in
# gateway/src/test/console-e2e/package.json) drives Debian's Chromium (/usr/bin/chromium; installed with apt when
# missing: Playwright's own browser download is not used) through gateway/src/test/console-e2e/console.test.mjs.
# The server runs as `./truestock demo` runs it (the demo catalog and its agent key) over a temporary data dir, on a
# free port, with one webhook connector (channel shopify) pushing to a local sink so the Channels page has a connector
# to reconcile. Screenshots of every page go to gateway/target/console-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
e2e_dir="$root/gateway/src/test/console-e2e"
jar="$root/gateway/target/truestock-gateway.jar"
if [ ! -f "$jar" ] || [ ! -f "$root/gateway/target/jvm.flags" ]; then
  echo "console-e2e: $jar is missing; build first (mvn -B verify)" >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "console-e2e: installing Debian's chromium"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium > /dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium > /dev/null
  fi
fi

work="$(mktemp -d)"
server_pid=""
sink_pid=""
cleanup() {
  if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "console-e2e: installing the pinned npm packages"
if [ -f "$e2e_dir/package-lock.json" ]; then
  (cd "$e2e_dir" && npm ci --no-audit --no-fund --loglevel=error)
else
  (cd "$e2e_dir" && npm install --no-audit --no-fund --loglevel=error)
fi

node "$e2e_dir/webhook-sink.mjs" > "$work/sink.out" 2>&1 &
sink_pid=$!
sink_url=""
for _ in $(seq 1 100); do
  sink_url="$(head -n 1 "$work/sink.out" 2>/dev/null || true)"
  if [ -n "$sink_url" ]; then break; fi
  sleep 0.1
done
if [ -z "$sink_url" ]; then
  echo "console-e2e: the webhook sink did not start" >&2
  exit 1
fi
cat > "$work/console.yaml" <<YAML
connectors:
  shopify:
    type: webhook
    url: $sink_url
    secret_env: CONSOLE_E2E_WEBHOOK_SECRET
YAML

echo "console-e2e: starting the demo server"
: > "$work/server.log"
admin_token="console-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# shellcheck disable=SC2046
CONSOLE_E2E_WEBHOOK_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" TRUESTOCK_ADMIN_TOKEN="$admin_token" \
  java $(cat "$root/gateway/target/jvm.flags") -cp "$jar:$root/gateway/target/lib/*" io.truestock.gateway.Main demo \
  --data-dir "$work/data" --http-port 0 --binary-port -1 --config "$work/console.yaml" > "$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 600); do
  base="$(sed -n 's/^Truestock is ready at \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)"
  if [ -n "$base" ] && [ -f "$work/data/demo-agent-token" ] && grep -q 'mcpServers' "$work/server.log"; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "console-e2e: the server stopped:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "console-e2e: the server did not start within 60 s:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "console-e2e: server at $base"

CONSOLE_BASE="$base" ADMIN_TOKEN="$admin_token" AGENT_TOKEN="$(cat "$work/data/demo-agent-token")" \
  SHOTS="$root/gateway/target/console-screenshots" node --test "$e2e_dir/console.test.mjs"
echo "console-e2e: passed; screenshots in gateway/target/console-screenshots/"
