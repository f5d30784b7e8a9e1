#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the three test tiers and reports in TAP, ending with the line
# "N passed, N failed, N skipped". Exit 1 when anything failed.
#
# usage: selftests/run_tests.sh [--build DIR] [--tier unit|net|guest]...
#                               [--test SUBSTRING]
#
#   unit   plain C unit tests and BPF_PROG_TEST_RUN fixtures, on this kernel
#   net    network-namespace topologies with real traffic, on this kernel
#   guest  the module test, the unit tier and the net tests marked
#          "# guest-tier: yes" inside Debian's 6.1 kernel under qemu
#          (selftests/guest/run_guest.sh)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$REPO/build
TIERS=()
ONLY=
TIMEOUT=$(sed -n 's/^timeout=//p' "$REPO/selftests/settings")

N=0 PASSED=0 FAILED=0 SKIPPED=0
FAILED_NAMES=()

while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=$(cd "$2" && pwd); shift 2 ;;
	--tier) TIERS+=("$2"); shift 2 ;;
	--test) ONLY=$2; shift 2 ;;
	*) sed -n 's/^# \{0,1\}//; 6,8p' "$0" >&2; exit 2 ;;
	esac
done
[ ${#TIERS[@]} = 0 ] && TIERS=(unit net guest)
export SFC_BUILD=$BUILD

selected() {
	[ -z "$ONLY" ] || [[ $1 == *"$ONLY"* ]]
}

# report NAME RC [SECONDS]: one TAP line, kselftest meaning of RC.
report() {
	local name=$1 rc=$2 secs=${3:-}
	N=$((N + 1))
	case $rc in
	0) PASSED=$((PASSED + 1)); echo "ok $N $name${secs:+ # ${secs}s}" ;;
	4) SKIPPED=$((SKIPPED + 1)); echo "ok $N $name # SKIP" ;;
	*) FAILED=$((FAILED + 1)); FAILED_NAMES+=("$name")
	   echo "not ok $N $name # exit=$rc" ;;
	esac
}

# run_one NAME CMD...: runs a test on this kernel, output as TAP comments.
run_one() {
	local name=$1 start rc; shift
	selected "$name" || return 0
	start=$SECONDS
	timeout --kill-after=10 "$TIMEOUT" "$@" 2>&1 | sed 's/^/# /'
	rc=${PIPESTATUS[0]}
	report "$name" "$rc" $((SECONDS - start))
}

tier_unit() {
	local t f
	for t in "$BUILD"/selftests/unit/test_*; do
		[ -x "$t" ] && run_one "unit: $(basename "$t")" "$t"
	done
	for f in "$BUILD"/selftests/fixtures/*.fix; do
		[ -e "$f" ] || continue
		run_one "unit: fixtures $(basename "$f" .fix)" \
			"$BUILD/selftests/unit/bpf_fixtures" "$f"
	done
}

net_tests() {
	ls "$REPO"/selftests/net/sfc_*.sh 2>/dev/null | sed "s|^$REPO/||"
}

tier_net() {
	local t
	for t in $(net_tests); do
		run_one "net: $(basename "$t")" "$REPO/$t"
	done
}

# Net tests that also run in the guest say so with a "# guest-tier: yes"
# line: under TCG everything is ~20x slower, so the guest gets the ones
# that prove the data plane on the older kernel, not the long ones.
guest_net_tests() {
	grep -l '^# guest-tier: yes' "$REPO"/selftests/net/sfc_*.sh 2>/dev/null |
		sed "s|^$REPO/||"
}

# The guest runs its own tests, the unit tier and the chosen net tests, all
# in one boot; each comes back as "GUEST <rc> <test>".
tier_guest() {
	local tests=() t out rc line start=$SECONDS
	for t in selftests/guest/guest_sanity.sh selftests/guest/kmod_genl.sh \
		 selftests/guest/kmod_kfunc.sh \
		 selftests/unit/run_unit.sh $(guest_net_tests); do
		selected "guest: $(basename "$t")" && tests+=("$t")
	done
	[ ${#tests[@]} = 0 ] && return 0
	out=$(mktemp)
	(cd "$REPO" && selftests/guest/run_guest.sh --build "$BUILD" \
		--timeout "$TIMEOUT" "${tests[@]}") >"$out" 2> >(sed 's/^/# /')
	rc=$?
	while read -r line; do
		set -- $line
		[ "${1:-}" = GUEST ] && report "guest: $(basename "$3")" "$2"
	done <"$out"
	if [ $rc != 0 ]; then
		report "guest: boot and report every test" "$rc" $((SECONDS - start))
	fi
	rm -f "$out"
}

echo "TAP version 13"
for tier in "${TIERS[@]}"; do
	echo "# tier $tier"
	case $tier in
	unit) tier_unit ;;
	net) tier_net ;;
	guest) tier_guest ;;
	*) echo "unknown tier $tier" >&2; exit 2 ;;
	esac
done
echo "1..$N"
for name in "${FAILED_NAMES[@]}"; do
	echo "# failed: $name"
done
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ $FAILED = 0 ] && [ $N -gt 0 ]
