#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Single-host chaining, the seed's Case 1, both directions.
#
#   app1 ns 10.0.0.1 fd00::1          app2 ns 10.0.0.2 fd00::2
#      eth0                              eth0
#       |                                 |
#   +---p1------------- br0 -------------p4--------------- host ns --+
#   |  v1i  v1o        v2             v3i  v3o                       |
#   +---|----|----------|--------------|----|------------------------+
#     [ vnf1 ]      [ vnf2 ]         [ vnf3 ]
#     in->out       one port          in->out     (tc mirred inside)
#
# Chains:
#   c-icmp: icmp app1 -> 10.0.0.2: vnf1 -> vnf2 -> vnf3, symmetric
#   c-udp:  udp dport 5000-5010 from app1: vnf1 -> vnf3 (pairs shared)
#   c-tcp:  tcp dport 5201 (any source): vnf3 -> vnf2 -> vnf1, symmetric (iperf3)
#   c-v6:   icmpv6 fd00::1 -> fd00::2: vnf2, symmetric
# Checks: traffic flows; every VNF of a chain saw it, the others did not;
# the order of visits (pcap timestamps read by tshark) forward and reverse;
# per-hop counters; GSO TCP through three VNFs; IPv6; no drops.
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping iperf3 tc tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup_topology() {
	bridged_pair fd00::1/64 fd00::2/64 || return 1
	vnf_two_port VNF1 v1i v1o && vnf_one_port VNF2 v2 && vnf_two_port VNF3 v3i v3o
	sfc_bpffs
}

configure() {
	local p
	for p in p1:app1 p4:app2 v1i:v1i v1o:v1o v2:v2 v3i:v3i v3o:v3o; do
		sfc "$HOST" port add "${p#*:}" dev "${p%%:*}" || return 1
	done
	sfc "$HOST" port-pair add pp1 ingress v1i egress v1o &&
	sfc "$HOST" port-pair add pp2 ingress v2 egress v2 &&
	sfc "$HOST" port-pair add pp3 ingress v3i egress v3o &&
	sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	sfc "$HOST" port-pair-group add g2 port-pair pp2 &&
	sfc "$HOST" port-pair-group add g3 port-pair pp3 &&
	sfc "$HOST" flow-classifier add fc-icmp ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2/32 &&
	sfc "$HOST" flow-classifier add fc-udp ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 5000-5010 &&
	sfc "$HOST" flow-classifier add fc-tcp ethertype IPv4 protocol tcp \
		destination-port 5201 &&
	sfc "$HOST" flow-classifier add fc-v6 ethertype IPv6 protocol icmpv6 \
		source-ip fd00::1/128 destination-ip fd00::2/128 &&
	sfc "$HOST" port-chain add c-icmp port-pair-group g1 port-pair-group g2 \
		port-pair-group g3 flow-classifier fc-icmp symmetric on &&
	sfc "$HOST" port-chain add c-udp port-pair-group g1 port-pair-group g3 \
		flow-classifier fc-udp &&
	sfc "$HOST" port-chain add c-tcp port-pair-group g3 port-pair-group g2 \
		port-pair-group g1 flow-classifier fc-tcp symmetric on &&
	sfc "$HOST" port-chain add c-v6 port-pair-group g2 flow-classifier fc-v6 \
		symmetric on
}

hop_packets() {	# CHAIN DIR HOP
	sfc "$HOST" -j stats | jq -r --arg c "$1" --arg d "$2" --argjson h "$3" \
		'.chains[] | select(.name == $c) | .[$d][$h].packets'
}

done_packets() {	# CHAIN DIR
	sfc "$HOST" -j stats | jq -r --arg c "$1" --arg d "$2" \
		'.chains[] | select(.name == $c) | .[$d + "_done"].packets'
}

test_icmp_chain() {
	local seq=3
	capture_start "$TMP/v1f.pcap" "$VNF1" in icmp
	capture_start "$TMP/v2.pcap" "$VNF2" p icmp
	capture_start "$TMP/v3f.pcap" "$VNF3" in icmp
	capture_start "$TMP/v1r.pcap" "$VNF1" out icmp
	capture_start "$TMP/v3r.pcap" "$VNF3" out icmp
	sleep 0.5
	ip netns exec "$APP1" ping -q -c 5 -i 0.1 -W 2 10.0.0.2 >/dev/null
	log_test $? "c-icmp: ping app1 -> app2 through vnf1, vnf2, vnf3 and back"
	capture_stop

	ascending "$(icmp_seen "$TMP/v1f.pcap" 8 $seq)" \
		"$(icmp_seen "$TMP/v2.pcap" 8 $seq)" "$(icmp_seen "$TMP/v3f.pcap" 8 $seq)"
	log_test $? "c-icmp: echo request visited vnf1, then vnf2, then vnf3"
	ascending "$(icmp_seen "$TMP/v3r.pcap" 0 $seq)" \
		"$(icmp_seen "$TMP/v2.pcap" 0 $seq)" "$(icmp_seen "$TMP/v1r.pcap" 0 $seq)"
	log_test $? "c-icmp: echo reply walked back: vnf3, then vnf2, then vnf1"

	check_ge "c-icmp: forward hop 0 counted" 5 "$(hop_packets c-icmp forward 0)"
	check_ge "c-icmp: forward hop 2 counted" 5 "$(hop_packets c-icmp forward 2)"
	check_ge "c-icmp: forward completions" 5 "$(done_packets c-icmp forward)"
	check_ge "c-icmp: reverse hop 0 counted" 5 "$(hop_packets c-icmp reverse 0)"
	check_ge "c-icmp: reverse completions" 5 "$(done_packets c-icmp reverse)"
	check_ge "app1's port p1 saw its packets re-injected" 5 \
		"$(sfc_port_counter "$HOST" p1 reinjected_packets)"
}

test_udp_chain() {
	local v1 v2 v3 i
	v1=$(dev_rx_packets "$VNF1" in); v2=$(dev_rx_packets "$VNF2" p)
	v3=$(dev_rx_packets "$VNF3" in)
	# A real receiver, so app2 answers no ICMP port-unreachable (which
	# would ride c-icmp's reverse path and reach vnf2).
	ip netns exec "$APP2" timeout 60 $PYTHON -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.2", 5005))
print("ready", flush=True)
for _ in range(10):
    s.recv(100)
print(10)' >"$TMP/udp.count" 2>/dev/null &
	local sink=$!
	wait_for_line "$TMP/udp.count" ready 30 || log_test 1 "UDP sink started"
	for i in $(seq 10); do
		ip netns exec "$APP1" bash -c 'echo hello >/dev/udp/10.0.0.2/5005'
	done
	wait $sink
	check_eq "c-udp: app2 received all 10 datagrams" 10 "$(tail -n 1 "$TMP/udp.count")"
	check_ge "c-udp: vnf1 saw them" $((v1 + 10)) "$(dev_rx_packets "$VNF1" in)"
	check_ge "c-udp: vnf3 saw them" $((v3 + 10)) "$(dev_rx_packets "$VNF3" in)"
	check_eq "c-udp: vnf2 (not in c-udp) saw none" "$v2" "$(dev_rx_packets "$VNF2" p)"

	v1=$(dev_rx_packets "$VNF1" in)
	for i in $(seq 5); do
		ip netns exec "$APP1" bash -c 'echo x >/dev/udp/10.0.0.2/6000'
	done	# (app2's port-unreachables ride c-icmp's reverse path,
		# which enters vnf1 by its out port: not counted here)
	sleep 0.2
	check_eq "udp to port 6000 matches no classifier: no VNF" "$v1" \
		"$(dev_rx_packets "$VNF1" in)"
}

test_tcp_gso() {
	local v1 v1r v2 v3 bytes
	# The data by bytes, not packets: how many frames carry them depends on
	# how GSO and GRO aggregate, which differs between this host and the
	# guest. The ACKs come back the reverse way (vnf1 first, by its out port).
	v1=$(dev_rx_bytes "$VNF1" in); v1r=$(dev_rx_packets "$VNF1" out)
	v2=$(dev_rx_bytes "$VNF2" p); v3=$(dev_rx_bytes "$VNF3" in)
	iperf_tcp 2 "$TMP/iperf.json"
	log_test $? "c-tcp: iperf3 TCP (GSO) through vnf3, vnf2, vnf1"
	bytes=$(iperf_bytes "$TMP/iperf.json")
	check_ge "c-tcp: data moved" 10000000 "$bytes"
	check_ge "c-tcp: vnf3 (first hop) got the data (bytes)" $((v3 + bytes)) \
		"$(dev_rx_bytes "$VNF3" in)"
	check_ge "c-tcp: vnf2 (one port) got the data (bytes)" $((v2 + bytes)) \
		"$(dev_rx_bytes "$VNF2" p)"
	check_ge "c-tcp: vnf1 (last hop) got the data (bytes)" $((v1 + bytes)) \
		"$(dev_rx_bytes "$VNF1" in)"
	check_ge "c-tcp: the ACKs entered vnf1 first, by its out port" \
		$((v1r + 50)) "$(dev_rx_packets "$VNF1" out)"
	echo "    info   c-tcp: $(jq -r '"\(.end.sum_received.bits_per_second / 1e9 | . * 100 | floor / 100) Gbit/s, \(.end.sum_sent.retransmits) retransmits"' "$TMP/iperf.json")"
}

test_ipv6() {
	local v2
	v2=$(dev_rx_packets "$VNF2" p)
	ip netns exec "$APP1" ping -6 -q -c 5 -i 0.1 -W 2 fd00::2 >/dev/null
	log_test $? "c-v6: ping fd00::1 -> fd00::2 through vnf2"
	check_ge "c-v6: vnf2 saw requests and replies" $((v2 + 10)) \
		"$(dev_rx_packets "$VNF2" p)"
	check_ge "c-v6: reverse completions" 5 "$(done_packets c-v6 reverse)"
}

test_no_drops() {
	check_eq "no drops in the whole run" 0 \
		"$(sfc "$HOST" -j status | jq '[.drops[]] | add')"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure ports, pairs, groups, classifiers and chains"
test_icmp_chain
test_udp_chain
test_tcp_gso
test_ipv6
test_no_drops
exit $RET
