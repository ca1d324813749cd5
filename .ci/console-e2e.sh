#!/usr/bin/env bash
# The seller console in a real browser, on the packaged server (run after `mvn -B verify`): playwright-core (pinned in
# gateway/src/test/console-e2e/package.json) drives Debian's Chromium (/usr/bin/chromium, which .ci/run installs with
# apt when missing: Playwright's own browser download is not used) through gateway/src/test/console-e2e/console.test.mjs.
# The server runs as `./truestock demo` runs it (the demo catalog and its agent key) over a temporary data dir, on a
# free port, with one webhook connector (channel shopify) pushing to a local sink so the Channels page has a connector
# to reconcile. Screenshots of every page go to gateway/target/console-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
e2e_dir="$root/gateway/src/test/console-e2e"
# shellcheck source=.ci/packaged-demo.sh
. "$root/.ci/packaged-demo.sh"
if [ ! -x /usr/bin/chromium ]; then
  echo "console-e2e: /usr/bin/chromium is missing (.ci/run installs Debian's chromium package)" >&2
  exit 1
fi

work="$(mktemp -d)"
server_pid=""
sink_pid=""
trap 'stop_packaged_demo "$sink_pid"' EXIT INT TERM

echo "console-e2e: installing the pinned npm packages"
install_npm_packages "$e2e_dir"
node "$e2e_dir/webhook-sink.mjs" > "$work/sink.out" 2>&1 &
sink_pid=$!
sink_url="$(first_line_of "$work/sink.out" "console-e2e: the webhook sink")"
cat > "$work/console.yaml" <<YAML
connectors:
  shopify:
    type: webhook
    url: $sink_url
    secret_env: CONSOLE_E2E_WEBHOOK_SECRET
YAML

admin_token="console-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
CONSOLE_E2E_WEBHOOK_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" TRUESTOCK_ADMIN_TOKEN="$admin_token" \
  start_packaged_demo console-e2e --config "$work/console.yaml"

CONSOLE_BASE="$base" ADMIN_TOKEN="$admin_token" AGENT_TOKEN="$agent_token" \
  SHOTS="$root/gateway/target/console-screenshots" node --test "$e2e_dir/console.test.mjs"
echo "console-e2e: passed; screenshots in gateway/target/console-screenshots/"
