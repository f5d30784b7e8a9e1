#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data-plane cost per packet and control-plane cost against the rule count.
#
# For each rule count R (RULES="10 1000 10000"), a private topology (APP1,
# APP2 on br0, three two-port VNFs) is configured by `sfcctl apply -f` with
# gen_config.py's R classifiers, the matching one ranked last. Then:
#
#  control plane: wall time and peak RSS of the apply (/usr/bin/time -v),
#    bytes_memlock of the pinned maps, time of one `port-chain set` of the
#    matching chain (hop order reversed) with the configuration loaded, while
#    a ping every 2 ms crosses that chain (lost pings are reported);
#  data plane: BPF_PROG_TEST_RUN (prog_cost.c: the TC ingress program on
#    the pinned maps, repeat REPEAT) with a 64-byte IPv4 UDP frame app1 ->
#    app2:5201 as if it arrived on
#      p1   classify + first hop: /miss with the per-flow classification
#           cache compiled out (every rule scanned, the last one matches:
#           the first packet of a flow; repeat scaled down with the rule
#           count, see below), /hit as sfcctl loads it (cache on: every
#           later packet of the flow),
#      v1o  mid-chain hop (flow record written by the previous step),
#      v3o  chain end: the last VNF's port re-injects at the source port
#           with the done mark. test_run reuses one skb, so the next
#           repetition sees that mark and takes the other half of the chain
#           end (the mark consumed, the packet passed on): the figure is the
#           mean of the two program runs a finished packet costs,
#    RUNS times interleaved (R1 R2 R3 paths, then again).
#
# Also: whether the largest configurations can be applied (LIMITS="16384
# 20000"); 100k classifiers cannot be expressed today (see REPORT.md).
#
# Usage: prog_cost.sh OUTDIR   (env: RULES, REPEAT=1000000, RUNS=3, LIMITS)
# Writes OUTDIR/prog_cost.tsv (rules path run ns), OUTDIR/ctl.tsv (key value).
set -uo pipefail
source "$(dirname "$0")/../selftests/net/lib.sh"

require_root
require_command ip jq bpftool /usr/bin/time
require_sfcctl
trap 'exit 130' INT TERM

OUTDIR=${1:?usage: prog_cost.sh OUTDIR}
RULES=${RULES:-10 1000 10000}
REPEAT=${REPEAT:-1000000}
RUNS=${RUNS:-3}
LIMITS=${LIMITS:-16384 20000}
HERE=$(cd "$(dirname "$0")" && pwd)
PROG_COST=${PROG_COST:-$SFC_BUILD/bench/prog_cost}
[ -x "$PROG_COST" ] || skip "$PROG_COST not built (bench/run.sh builds it)"
TMP=$(mktemp -d /tmp/sfc-bench.XXXXXX)
defer "rm -rf '$TMP'"
COST=$OUTDIR/prog_cost.tsv CTL=$OUTDIR/ctl.tsv
: >"$COST"; : >"$CTL"

declare -A T_HOST T_PIN T_STATE T_APP1

ctl() { printf '%s\t%s\n' "$1" "$2" >>"$CTL"; printf '  %-40s %s\n' "$1" "$2"; }

build() {	# R
	local r=$1
	bridged_pair || return 1
	vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o || return 1
	sfc_bpffs || return 1
	T_HOST[$r]=$HOST T_PIN[$r]=$SFC_PIN T_STATE[$r]=$SFC_STATE T_APP1[$r]=$APP1
	/usr/bin/python3 "$HERE/gen_config.py" "$r" >"$TMP/cfg$r.json"
	/usr/bin/time -v -o "$TMP/time$r" ip netns exec "$HOST" "$SFCCTL" \
		--bpffs "$SFC_PIN" apply -f "$TMP/cfg$r.json" >"$TMP/apply$r.out" 2>&1 || {
		cat "$TMP/apply$r.out" >&2; return 1; }
	ctl "apply_s/$r" "$(awk -F': ' '/Elapsed \(wall/ { n = split($2, t, ":");
		s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$TMP/time$r")"
	ctl "apply_maxrss_kb/$r" "$(awk -F': ' '/Maximum resident/ { print $2 }' "$TMP/time$r")"
	ctl "apply_file_bytes/$r" "$(stat -c %s "$TMP/cfg$r.json")"
	local m sum=0 b
	for m in "$SFC_PIN"/sfc_*; do
		b=$(bpftool -j map show pinned "$m" 2>/dev/null | jq '.bytes_memlock // 0')
		[ -n "$b" ] && sum=$((sum + b))
	done
	ctl "map_memlock_bytes/$r" "$sum"
	# the frame and the contexts
	ip netns exec "$APP1" /usr/bin/python3 - "$TMP/pkt$r" "$(mac_of "$APP2" eth0)" <<-'PY'
		import sys
		from scapy.all import Ether, IP, UDP, Raw, get_if_hwaddr
		p = Ether(src=get_if_hwaddr("eth0"), dst=sys.argv[2]) / \
		    IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=40000, dport=5201)
		p = p / Raw(b"\0" * (64 - len(p)))
		open(sys.argv[1], "wb").write(bytes(p))
	PY
	local dev
	for dev in p1 v1o v3o; do
		/usr/bin/python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(b"\0" * 36 + struct.pack("<I", int(sys.argv[2])))' \
			"$TMP/ctx$r-$dev" "$(ip -n "$HOST" -j link show dev $dev | jq '.[0].ifindex')"
	done
}

# prog_run R [--no-cache] DEV...: "DEV ns verdict" lines, in path order.
prog_run() {
	local r=$1 nc="" d args=(); shift
	[ "$1" = --no-cache ] && { nc=$1; shift; }
	for d in "$@"; do args+=("$(ip -n "${T_HOST[$r]}" -j link show dev "$d" | jq '.[0].ifindex')"); done
	ip netns exec "${T_HOST[$r]}" "$PROG_COST" $nc "${T_PIN[$r]}" "$TMP/pkt$r" "$REPEAT" \
		"${args[@]}" | while read -r ifx ns ret; do
			echo "$1 $ns $ret"; shift
		done
}

update_under_load() {	# R
	local r=$1 h=${T_HOST[$1]} t0 t1 sent recv
	ip netns exec "${T_APP1[$r]}" ping -q -i 0.002 -w 3 10.0.0.2 >"$TMP/ping" 2>&1 &
	local pid=$!
	sleep 1
	t0=$(date +%s%N)
	SFC_STATE=${T_STATE[$r]} ip netns exec "$h" "$SFCCTL" --bpffs "${T_PIN[$r]}" \
		port-chain set cmatch port-pair-group g3 port-pair-group g2 \
		port-pair-group g1 >/dev/null 2>&1
	t1=$(date +%s%N)
	wait "$pid"
	ctl "chain_update_ms/$r" "$(( (t1 - t0) / 1000000 ))"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1/p' "$TMP/ping")
	recv=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2/p' "$TMP/ping")
	ctl "chain_update_ping_lost/$r" "$((sent - recv)) of $sent"
}

echo "# control plane: apply, maps, one chain update"
for r in $RULES; do
	build "$r" || { echo "# could not configure $r rules" >&2; exit 1; }
done

echo "# data plane: BPF_PROG_TEST_RUN, repeat $REPEAT"
# miss: classification cache compiled out (the first packet of every flow);
# hit: the sfcctl-loaded program, cache on (every later packet).
cost() {	# R PATHNAME RUN NS RET REPEAT
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$COST"
	printf '  rules=%-6s %-23s run %s %6s ns/pkt (TC verdict %s, repeat %s)\n' "$@"
}
for i in $(seq "$RUNS"); do
	for r in $RULES; do
		# The rule scan costs ~17 ns per rule: REPEAT/(R/100) repetitions
		# (at least 1000) keep it to a second or two per run.
		miss=$(( r > 100 ? REPEAT * 100 / r : REPEAT ))
		[ "$miss" -ge 1000 ] || miss=1000
		REPEAT=$miss prog_run "$r" --no-cache p1 >"$TMP/steps" || exit 1
		read -r dev ns ret <"$TMP/steps"
		cost "$r" classify+first-hop/miss "$i" "$ns" "$ret" "$miss"
		prog_run "$r" p1 v1o v2o v3o >"$TMP/steps" || exit 1
		while read -r dev ns ret; do
			case $dev in
			p1) cost "$r" classify+first-hop/hit "$i" "$ns" "$ret" "$REPEAT" ;;
			v1o) cost "$r" mid-chain-hop "$i" "$ns" "$ret" "$REPEAT" ;;
			v3o) cost "$r" chain-end "$i" "$ns" "$ret" "$REPEAT" ;;
			esac
		done <"$TMP/steps"
	done
done

echo "# control plane: one chain update with the configuration loaded"
for r in $RULES; do
	update_under_load "$r"
done

cleanup_all; NS_LIST=() DEFERRED=() T_HOST=()
echo "# limits"
TMP=$(mktemp -d /tmp/sfc-bench.XXXXXX)
for r in $LIMITS; do
	bridged_pair && vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o && sfc_bpffs || exit 1
	/usr/bin/python3 "$HERE/gen_config.py" "$r" >"$TMP/lim$r.json"
	if sfc "$HOST" apply -f "$TMP/lim$r.json" >"$TMP/lim$r.out" 2>&1; then
		ctl "apply_ok/$r" yes
	else
		ctl "apply_ok/$r" "no: $(grep -v '^$' "$TMP/lim$r.out" | head -1)"
	fi
	cleanup_all; NS_LIST=() DEFERRED=()
done
rm -rf "$TMP"
exit 0
