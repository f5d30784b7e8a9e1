#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `sudo make demo`: the seed's Case 3 on network namespaces, on one host.
#
#   app1 ns                    host ns                            phys ns
#   10.0.0.1 eth0 --- p1 --+                     +- uplink ==== upl -+
#                          | br-host ------------|                   | br-phys -- pa2 -- eth0 10.0.0.2
#   vnf1 [in>out] v1i,v1o -+                                         |            app2 ns
#   vnf2 [in>out] v2i,v2o -+  (VNF ports join br-host, as in the seed, once
#                              sfcctl guards them: see join_bridge in lib.sh)
#   vnf3 [in>out] v3i,v3o -+
#
# App1's IPv4 traffic goes through vnf1 -> vnf2 -> vnf3, App2's replies walk
# back vnf3 -> vnf2 -> vnf1; at the end of the chain the packet is
# re-injected at its source port, so both bridges only ever learn a MAC on
# the port it lives behind. The demo prints every sfcctl command, sends
# traffic both ways, shows the per-hop counters and both MAC tables, and
# draws the chain with its counters (build/demo/chain.png).
set -uo pipefail

BUILD=$(cd "${1:-build}" && pwd)
export SFC_BUILD=$BUILD
source "$(dirname "$0")/../selftests/net/lib.sh"
OUT=$BUILD/demo
mkdir -p "$OUT"

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# sfcctl in the host namespace, printed as a user would type it.
run_sfc() {
	printf '$ sfcctl %s\n' "$*"
	sfc "$HOST" "$@"
}
die() { echo "demo: $*" >&2; exit 1; }

require_root
require_sfcctl

build_topology() {
	case3_topology && sfc_bpffs
}

configure() {
	local i
	run_sfc port add app1 dev p1 mac "$(mac_of "$APP1" eth0)" || return 1
	run_sfc port add uplink dev uplink || return 1
	for i in 1 2 3; do
		run_sfc port add vnf$i-in dev v${i}i &&
		run_sfc port add vnf$i-out dev v${i}o &&
		run_sfc port-pair add vnf$i ingress vnf$i-in egress vnf$i-out &&
		run_sfc port-pair-group add group$i port-pair vnf$i || return 1
	done
	run_sfc flow-classifier add from-app1 ethertype IPv4 logical-source-port app1 \
		destination-ip 10.0.0.2/32 &&
	run_sfc port-chain add app1-to-app2 port-pair-group group1 \
		port-pair-group group2 port-pair-group group3 \
		flow-classifier from-app1 symmetric on
}

traffic() {
	printf '$ ping -c 5 10.0.0.2        (in app1)\n'
	ip netns exec "$APP1" ping -c 5 -i 0.2 10.0.0.2 || return 1
	printf '$ iperf3 -c 10.0.0.2 -t 2   (in app1; TCP with GSO, through the chain)\n'
	ip netns exec "$APP2" iperf3 -s -1 -D -B 10.0.0.2 >/dev/null 2>&1
	sleep 0.3
	ip netns exec "$APP1" iperf3 -c 10.0.0.2 -t 2 -f g | grep -E 'sender|receiver'
}

show_vnf_counters() {
	local i ns
	for i in 1 2 3; do
		ns=VNF$i
		printf 'vnf%d: %s packets in, %s packets back\n' $i \
			"$(dev_rx_packets "${!ns}" in)" "$(dev_rx_packets "${!ns}" out)"
	done
}

# Where each bridge learned the two workloads, checked against where they live.
check_mac_tables() {
	local a1 a2 bad=0 got
	a1=$(mac_of "$APP1" eth0); a2=$(mac_of "$APP2" eth0)
	for spec in "$HOST br-host $a1 p1 app1" "$HOST br-host $a2 uplink app2" \
		    "$PHYS br-phys $a1 upl app1" "$PHYS br-phys $a2 pa2 app2"; do
		set -- $spec
		got=$(fdb_port_of "$1" "$3")
		printf '%-8s %-5s %s learned on %-7s (expected %s)%s\n' "$2" "$5" "$3" \
			"${got:--}" "$4" "$([ "$got" = "$4" ] && echo '  ok' || echo '  WRONG')"
		[ "$got" = "$4" ] || bad=1
	done
	return $bad
}

draw() {
	printf '$ sfcctl graph > %s\n' "$OUT/chain.dot"
	sfc "$HOST" graph >"$OUT/chain.dot" || return 1
	if command -v dot >/dev/null; then
		dot -Tpng "$OUT/chain.dot" -o "$OUT/chain.png" &&
			echo "picture of the chain with its counters: $OUT/chain.png"
	else
		echo "graphviz not installed: DOT left in $OUT/chain.dot"
	fi
}

bold "Topology: app1 and three VNFs on br-host; app2 behind the uplink switch"
build_topology || die "could not build the topology"
echo "namespaces: host=$HOST phys=$PHYS app1=$APP1 app2=$APP2"

bold "Configure the chain (networking-sfc resources)"
configure || die "configuration failed"

bold "VNF ports join br-host (safe now: the chain guards them)"
join_bridge "$HOST" br-host v1i v1o v2i v2o v3i v3o || die "bridge"
bold "Traffic both ways"
traffic || die "traffic failed"

bold "Per-hop counters"
run_sfc stats
show_vnf_counters

bold "MAC tables: every MAC only on its own port"
check_mac_tables || die "a bridge learned a MAC on the wrong port"

bold "The chain as a graph"
draw

bold "Done: cleaning up"
exit 0
