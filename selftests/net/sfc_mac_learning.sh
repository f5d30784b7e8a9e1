#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MAC learning stays right: the seed's Case 3 on one host. App2 sits behind
# an uplink bridge standing for the physical switch.
#
#   app1 ns                  host ns                          phys ns
#   eth0 --- p1 -+                        +- uplink ==== upl -+
#                | br-host ------------- |                    | br-phys -- pa2 --- eth0 app2 ns
#   vnf1 in/out -v1i,v1o-+  vnf2 -v2i,v2o-+  vnf3 -v3i,v3o-+ (join br-host
#   once configured: a bump in the wire on one bridge is an L2 loop until
#   sfc guards its ports)
#
# Chain c1: IPv4 from app1 -> vnf1 -> vnf2 -> vnf3, symmetric. While
# traffic flows both ways, both bridges' forwarding tables are sampled.
# With re-injection at the source port (the default) a workload MAC is only
# ever learned on its own port: app1 on p1 (br-host) and upl (br-phys),
# app2 on uplink (br-host) and pa2 (br-phys), and nothing on a VNF port.
# Then the same run with naive end-of-chain delivery (`end direct`) must
# show the flap (app1's MAC learned on a VNF port), or this test proves
# nothing; the VNF egress guard must keep the confused bridge from sending
# packets round the chain again.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping bridge
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup_topology() {
	case3_topology || return 1
	APP1_MAC=$(mac_of "$APP1" eth0)
	APP2_MAC=$(mac_of "$APP2" eth0)
	sfc_bpffs
}

configure() {
	local p
	for p in p1:app1 uplink:uplink v1i:v1i v1o:v1o v2i:v2i v2o:v2o v3i:v3i v3o:v3o; do
		sfc "$HOST" port add "${p#*:}" dev "${p%%:*}" || return 1
	done
	for p in 1 2 3; do
		sfc "$HOST" port-pair add pp$p ingress v${p}i egress v${p}o &&
		sfc "$HOST" port-pair-group add g$p port-pair pp$p || return 1
	done
	sfc "$HOST" flow-classifier add fc1 ethertype IPv4 logical-source-port app1 &&
	sfc "$HOST" port-chain add c1 port-pair-group g1 port-pair-group g2 \
		port-pair-group g3 flow-classifier fc1 symmetric on
}

# sample_fdbs FILE: appends "bridge port mac" lines until killed.
sample_fdbs() {
	while :; do
		bridge -n "$HOST" -j fdb show br br-host |
			jq -r '.[] | select(.master == "br-host") | "host \(.ifname) \(.mac)"'
		bridge -n "$PHYS" -j fdb show br br-phys |
			jq -r '.[] | select(.master == "br-phys") | "phys \(.ifname) \(.mac)"'
		sleep 0.02
	done >>"$1" 2>/dev/null
}

# run_traffic TAG: ping both ways while sampling; samples in $TMP/TAG.fdb.
run_traffic() {
	local sampler rc
	bridge -n "$HOST" fdb flush dev br-host 2>/dev/null
	ip -n "$HOST" link set br-host type bridge fdb_flush 2>/dev/null
	ip -n "$PHYS" link set br-phys type bridge fdb_flush 2>/dev/null
	sample_fdbs "$TMP/$1.fdb" &
	sampler=$!
	ip netns exec "$APP1" ping -q -c 20 -i 0.05 -W 2 10.0.0.2 >/dev/null
	rc=$?
	ip netns exec "$APP2" ping -q -c 20 -i 0.05 -W 2 10.0.0.1 >/dev/null
	rc=$((rc | $?))
	sleep 0.2
	kill $sampler; wait $sampler 2>/dev/null
	return $rc
}

# ports_of TAG BRIDGE MAC: every port the MAC was ever learned on.
ports_of() {
	awk -v b="$2" -v m="$3" '$1 == b && $3 == m { print $2 }' "$TMP/$1.fdb" |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

test_reinject() {
	run_traffic reinject
	log_test $? "reinject: ping both ways through the chain"
	check_ge "reinject: chain completions (forward)" 20 \
		"$(sfc "$HOST" -j stats | jq '.chains[0].forward_done.packets')"
	check_ge "reinject: chain completions (reverse)" 20 \
		"$(sfc "$HOST" -j stats | jq '.chains[0].reverse_done.packets')"
	check_eq "reinject: br-host learned app1 only on p1" p1 \
		"$(ports_of reinject host "$APP1_MAC")"
	check_eq "reinject: br-host learned app2 only on uplink" uplink \
		"$(ports_of reinject host "$APP2_MAC")"
	check_eq "reinject: br-phys learned app1 only on upl" upl \
		"$(ports_of reinject phys "$APP1_MAC")"
	check_eq "reinject: br-phys learned app2 only on pa2" pa2 \
		"$(ports_of reinject phys "$APP2_MAC")"
	check_eq "reinject: nothing learned on any VNF port" "" \
		"$(awk '$1 == "host" && $2 ~ /^v[0-9]/' "$TMP/reinject.fdb" | head -3)"
}

# Packets app1 sent: everything the chain can ever see from it.
app1_tx() {
	ip -n "$APP1" -j -s link show dev eth0 | jq '.[0].stats64.tx.packets'
}

test_naive_flaps() {
	local done_before tx_before done sent
	sfc "$HOST" port-chain set c1 end direct
	log_test $? "switch c1 to naive end-of-chain delivery"
	done_before=$(sfc "$HOST" -j stats | jq '.chains[0].forward_done.packets')
	tx_before=$(app1_tx)
	# Replies may not come back: once br-host learns app1 on a VNF port,
	# it sends app1's traffic there, and the VNF egress guard drops it.
	run_traffic direct
	check_eq "direct: br-host learned app1 on a VNF port (the flap)" yes \
		"$(ports_of direct host "$APP1_MAC" | grep -q 'v3o' && echo yes)"
	check_eq "direct: br-host learned app2 on a VNF port (the flap)" yes \
		"$(ports_of direct host "$APP2_MAC" | grep -q 'v1i' && echo yes)"
	check_ge "direct: the VNF egress guard dropped what the bridge sent there" 1 \
		"$(sfc "$HOST" -j status | jq '.drops["unsteered-to-vnf"]')"
	# No loop: every chain completion is a packet app1 sent (its echo
	# requests, and its replies to app2's pings when those got through:
	# how many do depends on when the bridge learned what), none twice.
	done=$(( $(sfc "$HOST" -j stats | jq '.chains[0].forward_done.packets') - done_before ))
	sent=$(( $(app1_tx) - tx_before ))
	[ "$done" -ge 20 ] && [ "$done" -le "$sent" ]
	log_test $? "direct: no packet went round the chain twice ($done completions, 20 <= n <= $sent sent by app1)"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure the Case 3 chain"
join_bridge "$HOST" br-host v1i v1o v2i v2o v3i v3o
log_test $? "VNF ports join br-host"
test_reinject
test_naive_flaps
exit $RET
