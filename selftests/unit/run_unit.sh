#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole unit tier as one test (for the guest, where it proves the BPF
# programs pass the 6.1 verifier): every plain C unit test, then every
# BPF_PROG_TEST_RUN fixture file. Exit 0 pass, 1 fail, 4 if all skipped.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${SFC_BUILD:-$REPO/build}

rc=0 ran=0 skipped=0
run() {
	echo "# $*"
	"$@"
	case $? in
	0) ran=$((ran + 1)) ;;
	4) skipped=$((skipped + 1)) ;;
	*) rc=1 ;;
	esac
}

for t in "$BUILD"/selftests/unit/test_*; do
	[ -x "$t" ] && run "$t"
done
fixtures=("$BUILD"/selftests/fixtures/*.fix)
[ -e "${fixtures[0]}" ] || { echo "no fixtures in $BUILD (run make)"; exit 1; }
run "$BUILD/selftests/unit/bpf_fixtures" "${fixtures[@]}"

[ $rc = 0 ] && [ $ran = 0 ] && [ $skipped -gt 0 ] && exit 4
exit $rc
