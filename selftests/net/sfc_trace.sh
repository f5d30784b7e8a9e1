#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sfcctl trace: packets followed through the data plane.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2      vnf1..vnf3 two-port (vNi/vNo)
#   chain c1: ICMP app1 -> app2, vnf1 -> vnf2 -> vnf3, symmetric
#
# One ping must show, in order, the eight program runs of its walk (the
# request into each hop and back to p1, the reply backwards to p4) with
# the right devices, hops and redirect targets; a filter that matches
# nothing shows nothing; a drop shows its reason; tracing is off again
# when the command ends. vnf1 and vnf3 get packets by bpf_redirect_peer
# (veths into their namespaces: the trace says "peer"), vnf2 through its
# host ports' egress (`handoff egress`).
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping bpftool
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

# trace_during OUT ARGS... -- CMD...: runs sfcctl -j trace ARGS while CMD runs.
trace_during() {
	local out=$1 args=() pid; shift
	while [ "$1" != "--" ]; do args+=("$1"); shift; done
	shift
	sfc "$HOST" -j trace "${args[@]}" >"$out" 2>"$out.err" &
	pid=$!
	sleep 1	# tracing is on once the command prints to stderr
	"$@" >/dev/null 2>&1
	wait $pid
}

test_walk() {
	local want got
	trace_during "$TMP/walk.json" proto icmp count 9 duration 30 -- \
		ip netns exec "$APP1" ping -c 1 -W 2 10.0.0.2
	log_test $? "trace ran"
	got=$(jq -r '[.dev, .dir // "-", (.hop | tostring), .verdict, .target // "-", .target_hook // "-"] | join(" ")' \
		"$TMP/walk.json")
	want="p1 forward 0 redirect v1i peer
v1o forward 1 redirect v2i egress
v2o forward 2 redirect v3i peer
v3o forward done redirect p1 ingress
p1 - null pass - -
p4 reverse 2 redirect v3o peer
v3i reverse 1 redirect v2o egress
v2i reverse 0 redirect v1o peer
v1i reverse done redirect p4 ingress"
	check_eq "one ping: the nine program runs of its walk, in order" "$want" "$got"
	check_eq "every event names the flow" 9 \
		"$(jq -r 'select(.proto == 1 and (.src == "10.0.0.1" or .src == "10.0.0.2"))' \
			"$TMP/walk.json" | jq -s length)"
}

test_filter() {
	trace_during "$TMP/none.json" port 4242 duration 2 -- \
		ip netns exec "$APP1" ping -c 3 -i 0.2 -W 2 10.0.0.2
	check_eq "a filter matching nothing shows nothing" 0 "$(wc -l <"$TMP/none.json")"
	trace_during "$TMP/chain.json" chain c1 addr 10.0.0.2 count 4 duration 30 -- \
		ip netns exec "$APP1" ping -c 1 -W 2 10.0.0.2
	check_eq "chain and address filters let the chain's packets through" 4 \
		"$(jq -s 'map(select(.chain == "c1")) | length' "$TMP/chain.json")"
}

test_drop() {
	trace_during "$TMP/drop.json" drops count 1 duration 60 -- \
		ip netns exec "$APP1" $PYTHON -c '
from scapy.all import Ether, IP, UDP, sendp, get_if_hwaddr
sendp(Ether(dst="ff:ff:ff:ff:ff:ff", src=get_if_hwaddr("eth0")) /
      IP(src="10.0.0.1", dst="10.0.0.2", ihl=4) / UDP(dport=7), iface="eth0", verbose=False)'
	check_eq "a drop shows its reason" "p1 drop malformed-l3" \
		"$(jq -r '[.dev, .verdict, .reason] | join(" ")' "$TMP/drop.json")"
}

test_off_after() {
	# struct sfc_trace_cfg starts with __u32 enabled (little endian)
	check_eq "tracing is off when the command ends" "0x00 0x00 0x00 0x00" \
		"$(bpftool -j map lookup pinned "$SFC_PIN/sfc_trace_cfg" key 0 0 0 0 |
			jq -r '.value[0:4] | join(" ")')"
}

three_vnf_chain && sfc "$HOST" port-pair set pp2 handoff egress
log_test $? "three VNFs and chain c1 (vnf2 handed packets by its ports' egress)"
test_walk
test_filter
test_drop
test_off_after
exit $RET
