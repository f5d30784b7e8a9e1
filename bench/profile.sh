#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the per-packet time of the TC ingress program goes: perf samples of
# BPF_PROG_TEST_RUN (prog_cost.c) on the classify + first hop path with the
# classification cache on (every packet after a flow's first) and on the
# mid-chain hop, with gen_config.py's 10 classifiers, plus the program's
# size (bpftool prog show); and of `sfcctl apply` of 10k classifiers. Needs
# perf (linux-perf); skipped without it.
#
# Loading the program (the verifier: states_equal, do_check_common, regsafe,
# ...) lands in the same samples; the large repeat keeps it a small share.
#
# Usage: profile.sh OUT.txt   (env: PROFILE_REPEAT=20000000)
set -uo pipefail
source "$(dirname "$0")/../selftests/net/lib.sh"

require_root
require_command perf bpftool jq
require_sfcctl
trap 'exit 130' INT TERM

OUT=${1:?usage: profile.sh OUT.txt}
REPEAT=${PROFILE_REPEAT:-20000000}
HERE=$(cd "$(dirname "$0")" && pwd)
PROG_COST=${PROG_COST:-$SFC_BUILD/bench/prog_cost}
TMP=$(mktemp -d /tmp/sfc-bench.XXXXXX)
defer "rm -rf '$TMP'"

bridged_pair && vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
	vnf_two_port VNF3 v3i v3o && sfc_bpffs || skip "no topology"
/usr/bin/python3 "$HERE/gen_config.py" 10 >"$TMP/cfg.json"
sfc "$HOST" apply -f "$TMP/cfg.json" >/dev/null || skip "apply failed"
ip netns exec "$APP1" /usr/bin/python3 - "$TMP/pkt" "$(mac_of "$APP2" eth0)" <<-'PY'
	import sys
	from scapy.all import Ether, IP, UDP, Raw, get_if_hwaddr
	p = Ether(src=get_if_hwaddr("eth0"), dst=sys.argv[2]) / \
	    IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=40000, dport=5201)
	open(sys.argv[1], "wb").write(bytes(p / Raw(b"\0" * (64 - len(p)))))
PY
ifx() { ip -n "$HOST" -j link show dev "$1" | jq '.[0].ifindex'; }

{
	echo "# bpftool prog show (sfcctl's programs)"
	for p in sfc_tc_ingress sfc_tc_egress; do
		bpftool -j prog show pinned "$SFC_PIN/$p" |
			jq -r '"\(.name): xlated \(.bytes_xlated) B (~\(.bytes_xlated / 8) insns), jited \(.bytes_jited) B, verified insns \(.verified_insns // "n/a")"'
	done
	for path in "p1:classify+first-hop/hit" "v1o:mid-chain-hop"; do
		dev=${path%%:*}
		# the steps before it write the flow records it needs
		ip netns exec "$HOST" "$PROG_COST" "$SFC_PIN" "$TMP/pkt" 1 \
			$(ifx p1) $(ifx v1o) >/dev/null
		echo
		echo "# perf: ${path#*:}, repeat $REPEAT (self time, top symbols)"
		ip netns exec "$HOST" perf record -q -o "$TMP/perf.data" -e cpu-clock -F 4999 -- \
			"$PROG_COST" "$SFC_PIN" "$TMP/pkt" "$REPEAT" $(ifx "$dev") 2>/dev/null |
			sed 's/^[0-9]* /ns\/pkt /'
		perf report -q -i "$TMP/perf.data" --no-children --sort sym 2>/dev/null |
			grep -v '^$' | head -25
	done
	echo
	/usr/bin/python3 "$HERE/gen_config.py" 10000 >"$TMP/cfg10k.json"
	echo "# perf: sfcctl apply -f (10k classifiers) over the running 10-classifier configuration"
	ip netns exec "$HOST" perf record -q -o "$TMP/perf2.data" -e cpu-clock -F 4999 -- \
		/usr/bin/time -f "wall %e s, max RSS %M KiB" "$SFCCTL" --bpffs "$SFC_PIN" \
		apply -f "$TMP/cfg10k.json" 2>&1 >/dev/null | grep -v '^\[' 
	perf report -q -i "$TMP/perf2.data" --no-children --sort dso,sym 2>/dev/null |
		grep -v '^$' | head -20
} | tee "$OUT"
exit 0
