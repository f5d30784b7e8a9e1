#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every libFuzzer harness in BUILD/fuzz for SECONDS each, one after
# the other. Each keeps its growing corpus in BUILD/fuzz/corpus/NAME
# (seeded from fuzz/corpus/NAME) and writes crashes, leaks and timeouts to
# BUILD/fuzz/artifacts/NAME/. Exit 0 when no harness found anything, 1
# otherwise (the artifact's path is printed; reproduce with
# "BUILD/fuzz/fuzz_NAME ARTIFACT").
#
# usage: fuzz/run.sh [--build DIR] [--time SECONDS] [--jobs N] [NAME...]
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$REPO/build
TIME=300
JOBS=1
NAMES=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=$(cd "$2" && pwd); shift 2 ;;
	--time) TIME=$2; shift 2 ;;
	--jobs) JOBS=$2; shift 2 ;;
	-*) sed -n 's/^# \{0,1\}//; 11p' "$0" >&2; exit 2 ;;
	*) NAMES+=("$1"); shift ;;
	esac
done
if [ ${#NAMES[@]} = 0 ]; then
	for f in "$BUILD"/fuzz/fuzz_*; do
		[ -x "$f" ] && NAMES+=("$(basename "$f" | sed 's/^fuzz_//')")
	done
fi
[ ${#NAMES[@]} = 0 ] && { echo "no harnesses in $BUILD/fuzz (make fuzz-build)" >&2; exit 1; }

rc=0
for name in "${NAMES[@]}"; do
	bin=$BUILD/fuzz/fuzz_$name
	corpus=$BUILD/fuzz/corpus/$name
	art=$BUILD/fuzz/artifacts/$name
	mkdir -p "$corpus" "$art"
	log=$BUILD/fuzz/$name.log
	echo "fuzz: $name for ${TIME}s (corpus $corpus)"
	# -rss_limit_mb: a configuration struct is large; leaks still fail.
	par=()
	# -jobs writes fuzz-N.log files into the current directory
	[ "$JOBS" -gt 1 ] && par=(-jobs="$JOBS" -workers="$JOBS")
	(cd "$BUILD/fuzz" && "$bin" -max_total_time="$TIME" -timeout=10 \
		-rss_limit_mb=4096 "${par[@]}" -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" "$REPO/fuzz/corpus/$name" \
		>"$log" 2>&1)
	r=$?
	grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$log" |
		sed "s/^/fuzz: $name: /"
	if [ $r != 0 ]; then
		rc=1
		echo "fuzz: $name FAILED (exit $r), log $log:"
		grep -E -A12 '^==[0-9]+==ERROR|runtime error|^SUMMARY|abort|deadly signal' \
			"$log" | head -40
		ls "$art" | sed "s|^|fuzz: artifact $art/|"
	fi
done
exit $rc
