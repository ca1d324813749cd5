#!/usr/bin/env bash
# The soak (gateway's SoakTest, tag soak): mixed load against the real server in its own JVM for MINUTES (60),
# SIGKILL and restart every KILL_EVERY_MINUTES (6); checks every acknowledged outcome at the end and no oversell in
# samples every 10 s; writes its report (restarts with recovery times, RSS and heap over time) to
# benchmarks/results/soak-<date>.md. Other settings: WRITES_PER_SECOND (100), READS_PER_SECOND (100), SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${MINUTES:-60}"
report="$(pwd)/benchmarks/results/soak-$(date -u +%Y-%m-%dT%H%M).md"
mkdir -p benchmarks/results
seed_flag=()
if [[ -n "${SEED:-}" ]]; then seed_flag=("-Dtruestock.soak.seed=$SEED"); fi
mvn -B -pl gateway -am verify -DskipITs -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtruestock.excluded.groups=jazzer -Djacoco.skip=true \
  -Dsurefire.timeout=$(( (minutes + 30) * 60 )) \
  -Dtruestock.soak.minutes="$minutes" \
  -Dtruestock.soak.kill-every-minutes="${KILL_EVERY_MINUTES:-6}" \
  -Dtruestock.soak.writes-per-second="${WRITES_PER_SECOND:-100}" \
  -Dtruestock.soak.reads-per-second="${READS_PER_SECOND:-100}" \
  -Dtruestock.soak.report="$report" "${seed_flag[@]}"
echo "report: $report"
