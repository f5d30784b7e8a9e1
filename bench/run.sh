#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: benchmarks that print figures (never pass/fail), then
# bench/results/REPORT.md and PNG plots (gnuplot). Needs root. Takes about
# 25 minutes with the defaults (12 before 100k classifiers and method E);
# every namespace and mount it makes is removed on exit.
#
#   1. TC entry-point paths of the unit fixtures (bpf_fixtures --repeat).
#   2. prog_cost.sh: ns/packet per data-plane path (BPF_PROG_TEST_RUN) at
#      RULES classifiers, and the control plane (apply time and memory, map
#      memory, one chain update under load, configuration limits).
#   3. e2e.sh: chains of CHAINS VNFs, methods L F O S E interleaved, RUNS runs
#      of TCP 1/4 streams, 64-byte UDP, ping RTT.
#   4. profile.sh: perf samples of the hit and mid-chain paths and of
#      sfcctl apply with 10k classifiers (the "why" of missed targets).
#   5. report.py: medians, ratios, the targets of issue 9, plots; the
#      hand-written bench/analysis.md is appended.
#
# Knobs (environment): RUNS=3 DURATION=3 (s per iperf3 test) CHAINS="1 3 8"
# METHODS="L F O S E" RULES="10 1000 10000 100000" REPEAT=1000000 PINGS=300
# LIMITS="16384 20000" PROFILE_REPEAT=20000000
# ONLY="tc cost e2e profile" (which parts) RESULTS=bench/results.
# ONLY with some parts refreshes those and keeps the others' raw data in
# BUILD/bench: env.txt keeps the full run's header and gets a "refresh:"
# line, which report.py shows in the refreshed sections.
# A quick look: RUNS=1 DURATION=1 CHAINS=3 REPEAT=100000 make bench
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
REPEAT=${REPEAT:-1000000}
RUNS=${RUNS:-3}
ONLY=${ONLY:-tc cost e2e profile}
RESULTS=${RESULTS:-$HERE/results}
OUT=$BUILD/bench
export SFC_BUILD=$BUILD REPEAT RUNS
mkdir -p "$OUT" "$RESULTS"

[ "$(id -u)" = 0 ] || { echo "make bench needs root" >&2; exit 1; }

# The BPF_PROG_TEST_RUN runner on a live configuration's pinned maps.
cc -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I "$BUILD/skel" \
	-I "$HERE/../include" "$HERE/prog_cost.c" -o "$OUT/prog_cost" \
	$(pkg-config --cflags --libs libbpf) -lelf -lz

COMMIT=${COMMIT:-$(git -C "$HERE/.." describe --always --dirty 2>/dev/null || echo unknown)}
if [ "$ONLY" = "tc cost e2e profile" ] || [ ! -e "$OUT/env.txt" ]; then
	{
		echo "date:    $(date -u +%FT%TZ)"
		echo "commit:  $COMMIT"
		echo "kernel:  $(uname -r)"
		echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
		echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
		echo "knobs:   RUNS=$RUNS DURATION=${DURATION:-3} CHAINS='${CHAINS:-1 3 8}'" \
			"METHODS='${METHODS:-L F O S E}' RULES='${RULES:-10 1000 10000 100000}' REPEAT=$REPEAT"
	} >"$OUT/env.txt"
else
	for part in $ONLY; do
		sed -i "/^refresh: $part /d" "$OUT/env.txt"
		echo "refresh: $part $(date -u +%FT%TZ) commit $COMMIT," \
			"load $(cut -d' ' -f1-3 /proc/loadavg)," \
			"RUNS=$RUNS REPEAT=$REPEAT RULES='${RULES:-10 1000 10000 100000}'" >>"$OUT/env.txt"
	done
fi
cat "$OUT/env.txt"
for part in $ONLY; do
	case $part in
	tc) rm -f "$OUT/tc_paths.tsv" ;;
	cost) rm -f "$OUT/prog_cost.tsv" "$OUT/ctl.tsv" ;;
	e2e) rm -f "$OUT/e2e.tsv" ;;
	profile) rm -f "$OUT/profile.txt" ;;
	esac
done

case " $ONLY " in *" tc "*)
	echo "# TC entry-point paths (unit fixtures)"
	for i in $(seq "$RUNS"); do
		"$BUILD/selftests/unit/bpf_fixtures" --repeat "$REPEAT" \
			"$BUILD"/selftests/fixtures/tc_ingress.fix |
			sed -n 's/^# bench \([0-9]*\) ns\/pkt: /\1\t/p'
	done >"$OUT/tc_paths.tsv" || true
esac

case " $ONLY " in *" cost "*)
	echo "# data-plane cost and control plane (prog_cost.sh)"
	"$HERE/prog_cost.sh" "$OUT" || echo "# prog_cost.sh failed ($?)"
esac

case " $ONLY " in *" e2e "*)
	echo "# end to end (e2e.sh)"
	"$HERE/e2e.sh" "$OUT/e2e.tsv" || echo "# e2e.sh failed ($?)"
esac

case " $ONLY " in *" profile "*)
	echo "# profile (profile.sh)"
	"$HERE/profile.sh" "$OUT/profile.txt" >/dev/null ||
		echo "# profile.sh failed or skipped ($?)"
esac

/usr/bin/python3 "$HERE/report.py" "$OUT" "$RESULTS"
