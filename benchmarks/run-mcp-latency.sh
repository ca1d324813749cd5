#!/usr/bin/env bash
# MCP get_offer beside GET /v1/offers at fixed rates, open loop, the server in its own JVM and the C generator
# (benchmarks/c/openloop.c, built here with cc) driving both paths; see benchmarks/README.md, "Agent protocols: MCP
# get_offer beside REST". Arguments go to McpOfferLatency (defaults below); for example
#   benchmarks/run-mcp-latency.sh --rates 1000 --generator-wait sleep
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cc >/dev/null 2>&1; then
  echo "a C compiler (cc) is needed for the generator: apt-get install -y gcc" >&2
  exit 2
fi
mkdir -p benchmarks/target
cc -O2 -Wall -Wextra -o benchmarks/target/openloop benchmarks/c/openloop.c
if [[ ! -f benchmarks/target/benchmarks.jar || ! -f benchmarks/target/jvm.flags ]]; then
  mvn -B -q package -pl benchmarks -am -DskipTests
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2046
java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/benchmarks.jar \
  io.truestock.benchmarks.agents.McpOfferLatency --server-process --generator benchmarks/target/openloop \
  --generator-wait spin --clients 4 --warmup-seconds 10 --seconds 20 "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
