#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An 8-hop symmetric chain mixing two-port and one-port VNFs.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2
#   vnf1..vnf8: odd ones two-port (vNi/vNo), even ones one-port (vN)
#   chain c8: vnf1 -> vnf2 -> ... -> vnf8, classifier: IPv4 app1 -> app2
#
# Checks: ping both ways; the echo request visits vnf1..vnf8 in order and
# the reply vnf8..vnf1 (pcap timestamps read by tshark); every hop counted;
# a 1-hop chain on the same ports works too (chains of 1, 3 and 8 hops are
# all covered with sfc_chain_basic.sh).
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
N=8

setup_topology() {
	local i
	bridged_pair || return 1
	for i in $(seq $N); do
		if [ $((i % 2)) = 1 ]; then
			vnf_two_port VNF$i v${i}i v${i}o || return 1
		else
			vnf_one_port VNF$i v$i || return 1
		fi
	done
	sfc_bpffs
}

configure() {
	local i groups=()
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for i in $(seq $N); do
		if [ $((i % 2)) = 1 ]; then
			sfc "$HOST" port add v${i}i dev v${i}i &&
			sfc "$HOST" port add v${i}o dev v${i}o &&
			sfc "$HOST" port-pair add pp$i ingress v${i}i egress v${i}o || return 1
		else
			sfc "$HOST" port add v$i dev v$i &&
			sfc "$HOST" port-pair add pp$i ingress v$i egress v$i || return 1
		fi
		sfc "$HOST" port-pair-group add g$i port-pair pp$i || return 1
		groups+=(port-pair-group g$i)
	done
	sfc "$HOST" flow-classifier add fc8 ethertype IPv4 logical-source-port app1 \
		destination-ip 10.0.0.2 &&
	sfc "$HOST" port-chain add c8 "${groups[@]}" flow-classifier fc8 symmetric on
}

# vnf_rx_dev I: the VNF-side interface that receives forward traffic.
vnf_fwd_dev() { [ $(($1 % 2)) = 1 ] && echo in || echo p; }
vnf_rev_dev() { [ $(($1 % 2)) = 1 ] && echo out || echo p; }

test_long_chain() {
	local i fwd=() rev=() ns
	for i in $(seq $N); do
		ns=VNF$i
		capture_start "$TMP/f$i.pcap" "${!ns}" "$(vnf_fwd_dev $i)" icmp
		[ $((i % 2)) = 1 ] &&
			capture_start "$TMP/r$i.pcap" "${!ns}" "$(vnf_rev_dev $i)" icmp
	done
	sleep 0.5
	ip netns exec "$APP1" ping -q -c 4 -i 0.2 -W 2 10.0.0.2 >/dev/null
	log_test $? "c8: ping app1 -> app2 through 8 VNFs and back"
	capture_stop

	for i in $(seq $N); do
		fwd+=("$(icmp_seen "$TMP/f$i.pcap" 8 2)")
	done
	for i in $(seq $N -1 1); do
		if [ $((i % 2)) = 1 ]; then
			rev+=("$(icmp_seen "$TMP/r$i.pcap" 0 2)")
		else
			rev+=("$(icmp_seen "$TMP/f$i.pcap" 0 2)")
		fi
	done
	ascending "${fwd[@]}"
	log_test $? "c8: the request visited vnf1, vnf2, ..., vnf8 in that order"
	ascending "${rev[@]}"
	log_test $? "c8: the reply visited vnf8, vnf7, ..., vnf1 in that order"

	for i in $(seq 0 $((N - 1))); do
		check_ge "c8: forward hop $i counted" 4 \
			"$(sfc "$HOST" -j stats | jq ".chains[0].forward[$i].packets")"
	done
	check_ge "c8: reverse completions" 4 \
		"$(sfc "$HOST" -j stats | jq '.chains[0].reverse_done.packets')"
}

test_one_hop_chain() {
	local before
	sfc "$HOST" port-chain set c8 port-pair-group g4
	log_test $? "shorten c8 to one hop (vnf4, one-port)"
	before=$(dev_rx_packets "$VNF4" p)
	ip netns exec "$APP1" ping -q -c 4 -i 0.1 -W 2 10.0.0.2 >/dev/null
	log_test $? "1-hop chain: ping both ways"
	check_ge "1-hop chain: vnf4 saw requests and replies" $((before + 8)) \
		"$(dev_rx_packets "$VNF4" p)"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure an 8-hop chain"
test_long_chain
test_one_hop_chain
check_eq "no drops" 0 "$(sfc "$HOST" -j status | jq '[.drops[]] | add')"
exit $RET
