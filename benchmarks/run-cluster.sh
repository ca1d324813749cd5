#!/usr/bin/env bash
# Cluster measurements (gateway's ClusterBenchmarkTest, tag cluster-bench): failover time over KILLS (10) leader
# kills, then reservations/s and latency in cluster mode against a single node over SECONDS (30) each. Three server
# JVMs on this machine; prints the numbers (also in gateway/target/surefire-reports).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -pl gateway -am verify -DskipITs -Dtest=ClusterBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtruestock.excluded.groups=jazzer,soak -Djacoco.skip=true -Dsurefire.timeout=3600 \
  -Dtruestock.cluster.kills="${KILLS:-10}" -Dtruestock.cluster.seconds="${SECONDS_EACH:-30}" 2>&1 \
  | grep -E "^kill |^failover |reservations/s|Tests run:|FAIL"
