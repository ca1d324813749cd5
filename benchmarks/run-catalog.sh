#!/usr/bin/env bash
# The catalog-size sweep: one JVM per size (so resident memory is the size's own), each running CatalogScaleMain
# (benchmarks/README.md, "Catalog size"), then one table. Sizes default to 10 000, 100 000 and 1 000 000 SKUs;
# pass others as arguments. TAIL (1000000) is the number of commands journaled after the snapshot recovery starts
# from; HEAP (-Xmx, 8g) must hold the largest size's catalog and its snapshot while it is captured; BOUNDS
# ("16 48", the server's defaults) are bounds.max_locations and bounds.max_channels (max_skus is 1048576).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(10000 100000 1000000); fi
if [[ ! -f benchmarks/target/benchmarks.jar || ! -f benchmarks/target/jvm.flags ]]; then
  mvn -B -q package -pl benchmarks -am -DskipTests
fi
echo "| SKUs (max_locations x max_channels) | load (commands/s) | RSS loaded (MB) | RSS after recovery in the same JVM (MB) | RSS per SKU (B) | heap per SKU (B) | snapshot (MB) | snapshot per SKU (B) | writer's capture pause (ms) | snapshot write (ms) | shutdown capture + write, ms (CPU ms) | restore of the snapshot, ms (CPU ms) | recovery: snapshot + tail, ms (CPU ms) | offer read hot p50 / p99 (us) | offer read random p50 / p99 (us) | reserve round trip hot p50 / p99 (us) | reserve round trip random p50 / p99 (us) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for skus in "${sizes[@]}"; do
  # shellcheck disable=SC2046,SC2086
  java $(cat benchmarks/target/jvm.flags) -Xmx"${HEAP:-8g}" -cp benchmarks/target/benchmarks.jar \
    io.truestock.benchmarks.CatalogScaleMain "$skus" "${TAIL:-1000000}" ${BOUNDS:-16 48} 2>/dev/null | grep -E '^\||^load'
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
