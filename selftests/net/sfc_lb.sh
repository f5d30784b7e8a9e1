#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load balancing over the instances of a port pair group.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2
#   vnf1..vnf5: two-port tc-mirred VNFs (vNi/vNo), pairs pp1..pp5
#   vt: a one-port VNF, the instance of a tap group
#
# 1. weights 1:1:2:4 over pp1..pp4: 2000 UDP flows spread within 20% of
#    the weights;
# 2. scale-out 4 -> 5 under 16 long-lived TCP flows (iperf3): no flow
#    moves (per flow, the same VNF before and after, from captures), none
#    reaches the new instance, new flows do;
# 3. scale-in 5 -> 4 under traffic: only the removed instance's flows
#    move, TCP survives;
# 4. tap group: the tap sees every packet of the chain's traffic, its
#    output is discarded, and what app2 receives is byte for byte what it
#    receives without the tap.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq iperf3 tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup_topology() {
	local i
	bridged_pair || return 1
	for i in 1 2 3 4 5; do
		vnf_two_port VNF$i v${i}i v${i}o || return 1
	done
	vnf_one_port VT vt || return 1
	APP2_MAC=$(mac_of "$APP2" eth0)
	sfc_bpffs
}

configure() {
	local i w=(0 1 1 2 4 1)
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 &&
		sfc "$HOST" port add vt dev vt || return 1
	for i in 1 2 3 4 5; do
		sfc "$HOST" port add v${i}i dev v${i}i && sfc "$HOST" port add v${i}o dev v${i}o &&
		sfc "$HOST" port-pair add pp$i ingress v${i}i egress v${i}o weight ${w[$i]} ||
			return 1
	done
	sfc "$HOST" port-pair add pt ingress vt egress vt &&
	sfc "$HOST" port-pair-group add gw port-pair pp1 port-pair pp2 port-pair pp3 \
		port-pair pp4 &&
	sfc "$HOST" port-pair-group add g1 port-pair pp5 &&
	sfc "$HOST" port-pair-group add gt port-pair pt tap on &&
	sfc "$HOST" flow-classifier add fc-udp ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 7000 &&
	sfc "$HOST" flow-classifier add fc-tcp ethertype IPv4 protocol tcp \
		logical-source-port app1 destination-port 5201 &&
	sfc "$HOST" flow-classifier add fc-tap ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 7100 &&
	sfc "$HOST" port-chain add cw port-pair-group gw flow-classifier fc-udp &&
	sfc "$HOST" port-chain add ct port-pair-group gw flow-classifier fc-tcp \
		symmetric on &&
	sfc "$HOST" port-chain add ctap port-pair-group g1 flow-classifier fc-tap
}

rx_all() {	# the forward rx counters of vnf1..vnf5, space separated
	local i ns out=""
	for i in 1 2 3 4 5; do
		ns=VNF$i
		out+="$(dev_rx_packets "${!ns}" in) "
	done
	echo $out
}

test_weights() {
	local before after i share got want
	before=($(rx_all))
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 7000 10000 2000
	sleep 0.5
	after=($(rx_all))
	check_eq "weights: all 2000 flows went through the group" 2000 \
		$(( after[0] - before[0] + after[1] - before[1] + after[2] - before[2] + \
		    after[3] - before[3] ))
	for i in 0 1 2 3; do
		share=(1 1 2 4)
		want=$((2000 * share[i] / 8))
		got=$((after[i] - before[i]))
		[ $((got * 100)) -ge $((want * 80)) ] && [ $((got * 100)) -le $((want * 120)) ]
		log_test $? "weights: pp$((i + 1)) (weight ${share[i]}) got $got of 2000, expected $want +-20%"
	done
}

# flow_map PHASE: "sport vnf" lines of the TCP flows each VNF saw.
flow_map() {
	local i
	for i in 1 2 3 4 5; do
		tshark_fields "$TMP/$1-$i.pcap" "" tcp.srcport |
			sort -u | sed "s/\$/ $i/"
	done | sort -n
}

capture_phase() {	# PHASE SECONDS
	local i ns
	for i in 1 2 3 4 5; do
		ns=VNF$i
		capture_start "$TMP/$1-$i.pcap" "${!ns}" in -s 96 tcp dst port 5201
	done
	sleep "$2"
	capture_stop
}

start_iperf() {	# OUT: 16 streams, 2 Mbit/s each, 15 s (past both capture phases, even on a loaded machine)
	ip netns exec "$APP2" iperf3 -s -1 -D -B 10.0.0.2 >/dev/null 2>&1
	sleep 0.3
	ip netns exec "$APP1" iperf3 -c 10.0.0.2 -P 16 -b 2M -t 15 -J >"$1" 2>&1 &
	IPERF=$!
	sleep 1
}

# moved BEFORE AFTER: flows whose VNF differs between two flow maps.
moved() {
	join "$1" "$2" | awk '$2 != $3'
}

test_scale_out() {
	local v5
	sfc "$HOST" port-pair set pp3 weight 1 && sfc "$HOST" port-pair set pp4 weight 1
	log_test $? "equal weights for the scale tests"
	start_iperf "$TMP/out.json"
	capture_phase a 2; flow_map a >"$TMP/a.map"
	sfc "$HOST" port-pair-group set gw port-pair pp1 port-pair pp2 port-pair pp3 \
		port-pair pp4 port-pair pp5
	log_test $? "scale-out: pp5 joins the group under traffic"
	capture_phase b 2; flow_map b >"$TMP/b.map"
	wait $IPERF
	log_test $? "scale-out: iperf3 (16 TCP flows) finished without error"
	check_ge "scale-out: 16 flows seen before" 16 "$(wc -l <"$TMP/a.map")"
	check_ge "scale-out: and after" 16 "$(join "$TMP/a.map" "$TMP/b.map" | wc -l)"
	check_eq "scale-out: no established flow moved" "" "$(moved "$TMP/a.map" "$TMP/b.map")"
	check_eq "scale-out: no established flow reached the new instance" 0 \
		"$(awk '$2 == 5' "$TMP/b.map" | wc -l)"
	v5=$(dev_rx_packets "$VNF5" in)
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 7000 20000 200
	sleep 0.3
	check_ge "scale-out: new flows reach the new instance" $((v5 + 10)) \
		"$(dev_rx_packets "$VNF5" in)"
}

test_scale_in() {
	local busiest keep=()
	start_iperf "$TMP/in.json"
	capture_phase c 2; flow_map c >"$TMP/c.map"
	busiest=$(awk '{ n[$2]++ } END { for (v in n) print n[v], v }' "$TMP/c.map" |
		sort -rn | head -1 | cut -d' ' -f2)
	for i in 1 2 3 4 5; do
		[ "$i" = "$busiest" ] || keep+=(port-pair pp$i)
	done
	sfc "$HOST" port-pair-group set gw "${keep[@]}"
	log_test $? "scale-in: pp$busiest (the busiest, $(awk -v v="$busiest" '$2 == v' "$TMP/c.map" | wc -l) flows) leaves"
	capture_phase d 2; flow_map d >"$TMP/d.map"
	wait $IPERF
	log_test $? "scale-in: iperf3 survived the change"
	check_eq "scale-in: flows of the other instances stayed" "" \
		"$(moved "$TMP/c.map" "$TMP/d.map" | awk -v v="$busiest" '$2 != v')"
	check_eq "scale-in: the removed instance's flows all went on elsewhere" \
		"$(awk -v v="$busiest" '$2 == v' "$TMP/c.map" | wc -l)" \
		"$(join "$TMP/c.map" "$TMP/d.map" | awk -v v="$busiest" '$2 == v && $3 != v' | wc -l)"
	check_eq "scale-in: every flow of the removed instance moved" "" \
		"$(moved "$TMP/c.map" "$TMP/d.map" | awk -v v="$busiest" '$2 == v && $3 == v')"
	check_eq "scale-in: the removed instance saw nothing after" 0 \
		"$(awk -v v="$busiest" '$2 == v' "$TMP/d.map" | wc -l)"
}

# received TAG: what app2 got on port 7100, as comparable lines.
capture_app2() {
	capture_start "$TMP/$1.pcap" "$APP2" eth0 udp dst port 7100
	sleep 0.3
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 7100 30000 200
	capture_stop
	tshark -r "$TMP/$1.pcap" -T fields -e ip.src -e ip.dst -e ip.id -e ip.ttl \
		-e udp.srcport -e udp.dstport -e udp.checksum -e data.data 2>/dev/null |
		sort >"$TMP/$1.txt"
}

test_tap() {
	local tapped
	capture_app2 plain
	check_eq "tap: 200 datagrams reach app2 without a tap" 200 "$(wc -l <"$TMP/plain.txt")"
	sfc "$HOST" port-chain set ctap port-pair-group gt port-pair-group g1
	log_test $? "tap: the tap group joins the chain in front"
	capture_start "$TMP/tap.pcap" "$VT" p udp dst port 7100
	capture_app2 tapped
	check_eq "tap: what app2 receives is identical with the tap" "" \
		"$(diff "$TMP/plain.txt" "$TMP/tapped.txt" | head -3)"
	tapped=$(tshark -r "$TMP/tap.pcap" 2>/dev/null | wc -l)
	check_eq "tap: the tap VNF saw every packet" 200 "$tapped"
	check_eq "tap: its output was discarded" 200 \
		"$(sfc "$HOST" -j status | jq '.drops["tap-return"]')"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure groups and chains"
test_weights
test_scale_out
test_scale_in
test_tap
exit $RET
