#!/usr/bin/env bash
# Mutation testing of the journal module (PIT), one package group at a time, and one summary over all of them.
#
#   benchmarks/run-mutation-journal.sh            all four groups (about an hour on 2 cores)
#   PIT_GROUPS='audit snapshot' benchmarks/run-mutation-journal.sh
#
# The groups are io.truestock.journal.audit, .snapshot, .sim and the top-level package. Each runs the command of the
# README with -DtargetClasses for its group; the journal's pom excludes JournalCrashTest (it starts a writer JVM and
# kills it, which under PIT costs a JVM start per mutant) and sets a 2 s timeout constant. Reports are kept per group
# in journal/target/pit-groups/<group>/ (index.html, mutations.xml); the summary is printed as a table.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
groups="${PIT_GROUPS:-audit snapshot sim top}"
out="$root/journal/target/pit-groups"
mkdir -p "$out"

for group in $groups; do
  case "$group" in
    audit|snapshot|sim) target="io.truestock.journal.$group.*"; excluded="" ;;
    top) target="io.truestock.journal.*"
         excluded="io.truestock.journal.audit.*,io.truestock.journal.sim.*,io.truestock.journal.snapshot.*" ;;
    *) echo "unknown group $group (audit, snapshot, sim, top)" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  echo "mutation-journal: $group ($target) started $(date -u +%H:%M:%SZ)" >&2
  (cd "$root" && mvn -B -q -pl journal -am -Dmutate=journal test-compile org.pitest:pitest-maven:mutationCoverage \
    -Dthreads=2 -DtargetClasses="$target" ${excluded:+-DexcludedClasses="$excluded"}) > "$out/$group.log" 2>&1 ||
    { echo "mutation-journal: $group failed, see $out/$group.log" >&2; exit 1; }
  rm -rf "${out:?}/$group"; cp -r "$root/journal/target/pit-reports" "$out/$group"
  echo "$(( $(date +%s) - start ))" > "$out/$group/seconds"
done

python3 - "$out" $groups <<'PY'
import collections, re, sys
out, groups = sys.argv[1], sys.argv[2:]
detected = ("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR")
print("| class | mutants | killed | timed out | survived | no coverage | killed % |")
print("|---|---:|---:|---:|---:|---:|---:|")
total = collections.Counter(); seconds = 0
for group in groups:
    xml = open(f"{out}/{group}/mutations.xml").read()
    seconds += int(open(f"{out}/{group}/seconds").read())
    per = collections.defaultdict(collections.Counter)
    for m in re.finditer(r"status='(\w+)'.*?<mutatedClass>([^<]+)</mutatedClass>", xml):
        per[m.group(2).split("$")[0].replace("io.truestock.journal.", "")][m.group(1)] += 1
    for name, c in sorted(per.items()):
        n = sum(c.values()); k = sum(c[s] for s in detected); total.update(c)
        print(f"| {name} | {n} | {k - c['TIMED_OUT']} | {c['TIMED_OUT']} | {c['SURVIVED']} | {c['NO_COVERAGE']} | {100 * k / n:.1f} |")
n = sum(total.values()); k = sum(total[s] for s in detected)
print(f"| **all** | {n} | {k - total['TIMED_OUT']} | {total['TIMED_OUT']} | {total['SURVIVED']} | {total['NO_COVERAGE']} | {100 * k / n:.1f} |")
print(f"\n{len(groups)} group(s), {seconds} s; killed % counts timed-out mutants as killed, as PIT does.")
PY
