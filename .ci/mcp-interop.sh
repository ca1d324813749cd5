#!/usr/bin/env bash
# The MCP endpoint against the official MCP tooling, on the packaged server (run after `mvn -B verify`):
#   1. the MCP TypeScript SDK client (gateway/src/test/mcp-client/client.mjs): list tools, get an offer, reserve,
#      confirm at the quoted price, read the order, an out-of-stock refusal;
#   2. the MCP conformance suite's server scenarios that need no test_* tools of their own: server-initialize, ping,
#      tools-list, dns-rebinding-protection (through a loopback proxy that adds the key the suite cannot send).
# The server runs as `./truestock demo` runs it (the demo catalog and its agent key) over a temporary data dir, on a
# free port, and is stopped on exit. Node.js 20+ and npm are required; the npm packages are pinned in package.json and
# package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
client_dir="$root/gateway/src/test/mcp-client"
# shellcheck source=.ci/packaged-demo.sh
. "$root/.ci/packaged-demo.sh"

work="$(mktemp -d)"
server_pid=""
proxy_pid=""
trap 'stop_packaged_demo "$proxy_pid"' EXIT INT TERM

echo "mcp-interop: installing the pinned npm packages"
install_npm_packages "$client_dir"
TRUESTOCK_ADMIN_TOKEN="interop-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" start_packaged_demo mcp-interop

echo "mcp-interop: MCP TypeScript SDK client"
node "$client_dir/client.mjs" "$base/mcp" "$agent_token" trail-shoe-black-m shopify

echo "mcp-interop: MCP conformance suite"
node "$client_dir/auth-proxy.mjs" "$base/mcp" "$agent_token" > "$work/proxy.out" 2>&1 &
proxy_pid=$!
proxied="$(first_line_of "$work/proxy.out" "mcp-interop: the key-adding proxy")"
# The suite imports fs.globSync (Node.js 22+) at load; node20-fs.mjs supplies it where Node.js lacks it.
conformance="$client_dir/node_modules/@modelcontextprotocol/conformance/dist/index.js"
for scenario in server-initialize ping tools-list dns-rebinding-protection; do
  node --import "$client_dir/node20-fs.mjs" "$conformance" server --url "$proxied" --scenario "$scenario"
done
echo "mcp-interop: passed"
