#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: benchmarks that print figures (never pass/fail).
#
# Today: kernel-measured cost per packet of each TC entry-point path
# (BPF_PROG_TEST_RUN, --repeat N), as ratios against the cheapest path in
# the same run (an unmanaged device: one hash lookup and TC_ACT_OK), medians
# of RUNS interleaved runs. The peers of the product benchmarks (tc u32 +
# mirred, OVS, ...) join with the chaining work.
set -euo pipefail

BUILD=$(cd "${1:-build}" && pwd)
REPEAT=${REPEAT:-1000000}
RUNS=${RUNS:-3}
OUT=$BUILD/bench
mkdir -p "$OUT"

for i in $(seq "$RUNS"); do
	"$BUILD/selftests/unit/bpf_fixtures" --repeat "$REPEAT" \
		"$BUILD"/selftests/fixtures/tc_ingress.fix |
		sed -n 's/^# bench \([0-9]*\) ns\/pkt: /\1\t/p'
done > "$OUT/tc_paths.tsv"

/usr/bin/python3 - "$OUT/tc_paths.tsv" "$REPEAT" "$RUNS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    ns, name = line.rstrip("\n").split("\t", 1)
    rows.setdefault(name, []).append(int(ns))
base_name = next(n for n in rows if n.startswith("unmanaged"))
base = statistics.median(rows[base_name])
print("TC entry point, ns/packet (median of %s runs x %s repeats)" % (sys.argv[3], sys.argv[2]))
print("%8s %7s  %s" % ("ns/pkt", "ratio", "path"))
for name, v in rows.items():
    m = statistics.median(v)
    print("%8.0f %7.2f  %s" % (m, m / base if base else float("nan"), name))
PY
