#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data-plane cost per packet and control-plane cost against the rule count.
#
# For each rule count R (RULES="10 1000 10000 100000"), a private topology (APP1,
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
#           cache compiled out (the classifier's tuple walk, the last-ranked
#           rule matches: the first packet of a flow; repeat REPEAT/10),
#           /hit as sfcctl loads it (cache on: every later packet of the
#           flow),
#      v1o  mid-chain hop (flow record written by the previous step),
#      v3o  chain end: the last VNF's port re-injects at the source port
#           with the done mark. test_run reuses one skb, so the next
#           repetition sees that mark and takes the other half of the chain
#           end (the mark consumed, the packet passed on): the figure is the
#           mean of the two program runs a finished packet costs,
#    and on the SFC-aware chains gen_config.py --corr adds (VNF4: MPLS,
#    VNF5: NSH; UDP to :5202 and :5203 from app1):
#      mpls-push, nsh-push   classify + first hop into the aware pair,
#           header pushed (cache on, as the hit path);
#      xdp-pop-mpls, xdp-pop-nsh   sfc_xdp_pop on the frame the push left
#           (as the aware VNF sends it back), header popped, metadata set.
#    A push or pop changes the packet, and test_run repeats a program on
#    its own output, so these run as PERCALL (default REPEAT) separate
#    test runs of one repetition (prog_cost --per-call): their mean
#    includes the test_run timer's cost per call, measured in the same run
#    as per-call minus repeated on the hit path (TC) and on a plain frame
#    the pop passes (XDP); report.py subtracts it,
#    RUNS times interleaved (R1 R2 R3 paths, then again).
#
# Also: whether the largest configurations can be applied (LIMITS="16384
# 20000"; RULES may go to 100000: gen_config.py spreads them over 250
# chains).
#
# Usage: prog_cost.sh OUTDIR   (env: RULES, REPEAT=1000000, RUNS=3, LIMITS,
#        PERCALL=REPEAT, CORR=1: 0 leaves the aware chains out)
# Writes OUTDIR/prog_cost.tsv (rules path run ns), OUTDIR/ctl.tsv (key value).
set -uo pipefail
source "$(dirname "$0")/../selftests/net/lib.sh"

require_root
require_command ip jq bpftool /usr/bin/time
require_sfcctl
trap 'exit 130' INT TERM

OUTDIR=${1:?usage: prog_cost.sh OUTDIR}
RULES=${RULES:-10 1000 10000 100000}
REPEAT=${REPEAT:-1000000}
RUNS=${RUNS:-3}
LIMITS=${LIMITS:-16384 20000}
PERCALL=${PERCALL:-$REPEAT}
CORR=${CORR:-1}
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
	if [ "$CORR" = 1 ]; then
		vnf_two_port VNF4 v4i v4o && vnf_two_port VNF5 v5i v5o || return 1
	fi
	sfc_bpffs || return 1
	T_HOST[$r]=$HOST T_PIN[$r]=$SFC_PIN T_STATE[$r]=$SFC_STATE T_APP1[$r]=$APP1
	/usr/bin/python3 "$HERE/gen_config.py" $([ "$CORR" = 1 ] && echo --corr) "$r" \
		>"$TMP/cfg$r.json"
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
	# pkt: chain cmatch; pktmpls, pktnsh: the aware chains
	ip netns exec "$APP1" /usr/bin/python3 - "$TMP" "$r" "$(mac_of "$APP2" eth0)" <<-'PY'
		import sys
		from scapy.all import Ether, IP, UDP, Raw, get_if_hwaddr
		for name, port in (("pkt", 5201), ("pktmpls", 5202), ("pktnsh", 5203)):
		    p = Ether(src=get_if_hwaddr("eth0"), dst=sys.argv[3]) / \
		        IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=40000, dport=port)
		    p = p / Raw(b"\0" * (64 - len(p)))
		    open("%s/%s%s" % (sys.argv[1], name, sys.argv[2]), "wb").write(bytes(p))
	PY
	local dev
	for dev in p1 v1o v3o; do
		/usr/bin/python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(b"\0" * 36 + struct.pack("<I", int(sys.argv[2])))' \
			"$TMP/ctx$r-$dev" "$(ip -n "$HOST" -j link show dev $dev | jq '.[0].ifindex')"
	done
}

# prog_run R [PROG_COST OPTION...] DEV...: "DEV ns verdict" lines, in path
# order. FRAME (env) replaces the 64-byte frame of chain cmatch.
prog_run() {
	local r=$1 d opts=() args=(); shift
	while [[ $1 == --* ]]; do
		opts+=("$1")
		[ "$1" = --out ] && { opts+=("$2"); shift; }
		shift
	done
	for d in "$@"; do args+=("$(ip -n "${T_HOST[$r]}" -j link show dev "$d" | jq '.[0].ifindex')"); done
	ip netns exec "${T_HOST[$r]}" "$PROG_COST" "${opts[@]}" "${T_PIN[$r]}" \
		"${FRAME:-$TMP/pkt$r}" "$REPEAT" \
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

# ethertype FILE [SKIP]: of the frame SKIP bytes into FILE, 4 hex digits.
ethertype() { od -An -tx1 -j$((12 + ${2:-0})) -N2 "$1" | tr -d ' \n'; }

# corr_paths R RUN: push and pop on the aware chains, per call, and the
# timer cost per call (per-call minus repeated, on paths that allow both).
corr_paths() {
	local r=$1 i=$2 ns ret c et
	REPEAT=$PERCALL prog_run "$r" --per-call p1 >"$TMP/steps" || return 1
	read -r _ ns ret <"$TMP/steps"
	cost "$r" classify+first-hop/hit/per-call "$i" "$ns" "$ret" "$PERCALL"
	for c in mpls nsh; do
		FRAME=$TMP/pkt$c$r REPEAT=$PERCALL prog_run "$r" --per-call \
			--out "$TMP/out$c$r" p1 >"$TMP/steps" || return 1
		read -r _ ns ret <"$TMP/steps"
		et=$(ethertype "$TMP/out$c$r")
		case $c:$et in mpls:8847|nsh:894f) ;; *)
			echo "# $c push left ethertype $et (verdict $ret): not measured" >&2
			return 1 ;;
		esac
		cost "$r" $c-push/per-call "$i" "$ns" "$ret" "$PERCALL"
	done
	prog_run "$r" --xdp v4o >"$TMP/steps" || return 1
	read -r _ ns ret <"$TMP/steps"
	cost "$r" xdp-pass "$i" "$ns" "$ret" "$REPEAT"
	REPEAT=$PERCALL prog_run "$r" --xdp --per-call v4o >"$TMP/steps" || return 1
	read -r _ ns ret <"$TMP/steps"
	cost "$r" xdp-pass/per-call "$i" "$ns" "$ret" "$PERCALL"
	for c in mpls nsh; do
		FRAME=$TMP/out$c$r REPEAT=$PERCALL prog_run "$r" --xdp --per-call \
			--out "$TMP/pop$c$r" v4o >"$TMP/steps" || return 1
		read -r _ ns ret <"$TMP/steps"
		et=$(ethertype "$TMP/pop$c$r" 16)	# behind the sfc_meta
		[ "$et" = 0800 ] || {
			echo "# $c pop left ethertype $et (verdict $ret)" >&2; return 1; }
		cost "$r" xdp-pop-$c/per-call "$i" "$ns" "$ret" "$PERCALL"
	done
}

echo "# data plane: BPF_PROG_TEST_RUN, repeat $REPEAT"
# miss: classification cache compiled out (the first packet of every flow);
# hit: the sfcctl-loaded program, cache on (every later packet).
cost() {	# R PATHNAME RUN NS RET REPEAT
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$COST"
	printf '  rules=%-6s %-23s run %s %6s ns/pkt (TC verdict %s, repeat %s)\n' "$@"
}
for i in $(seq "$RUNS"); do
	for r in $RULES; do
		# The tuple walk grows with the number of mask shapes (~250
		# at 100k), not of rules: a tenth of REPEAT keeps it to about
		# a second per run.
		miss=$(( REPEAT / 10 ))
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
		[ "$CORR" = 1 ] && { corr_paths "$r" "$i" || exit 1; }
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
