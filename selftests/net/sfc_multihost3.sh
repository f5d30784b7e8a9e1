#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A symmetric chain split over three "hosts" (namespaces) on one underlay
# bridge: the source on host2, the first VNF and the destination on host1,
# the second VNF on host3. Needs the geneve module: runs in the guest tier.
#
#      host1 ns                  host2 ns                  host3 ns
#  app1 -a1-+                +-a2- app2                +-v2i,v2o- vnf2
#  vnf1 -v1i,v1o- br0 -up1-+ |  br0 -up2-+             |  br0 -up3-+
#  ul1 192.0.2.1 -t1-+     | |  ul2 -t2-+|   ul3 192.0.2.3 -t3-+   |
#                    +-----+-+---- br-ul (ul ns) --------------+---+
#
# Chains c1 (ICMP, chain-id 10) and c2 (TCP, chain-id 20), both symmetric,
# app2 (10.0.0.2) -> app1 (10.0.0.1) through vnf1 then vnf2:
#   forward: host2 classifies -> Geneve hop to host1 (vnf1) -> Geneve hop
#     to host3 (vnf2) -> chain done, the source is on host2: re-inject
#     back to host2 -> app2's port -> bridged over the uplinks to app1;
#   reverse (replies, expected on host1 where the forward packet was
#     resumed): host1 -> Geneve hop to host3 (vnf2 backwards) -> Geneve
#     hop to host1 (vnf1 backwards) -> chain done at app1's port on host1.
# Each crossing's option is judged by tshark on the underlay; ping and
# iperf3 TCP both ways, per-hop counters on every host, MAC learning clean
# on all three bridges and the underlay, and a foreign option carried over
# two crossings (host1 -> host3 -> host2).
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping bridge iperf3 tc tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

CLASS=0xfff0
TYPE=0x01
VNI=100

setup_topology() {
	geneve_hosts 3 || return 1
	host_workload 1 APP1 a1 10.0.0.1/24 && host_workload 2 APP2 a2 10.0.0.2/24 &&
		HOST=$H1 vnf_two_port VNF1 v1i v1o && HOST=$H3 vnf_two_port VNF2 v2i v2o
}

# configure_host N [LSP]: the same resources on every host, each port
# local or remote as it lives; the classifiers name app2 as their logical
# source port where app2 is local (host2).
configure_host() {
	local n=$1 lsp=${2:+logical-source-port app2} rc=0
	"sfc$n" tunnel add t0 dev gnv0 vni $VNI || rc=1
	port_on "$n" app1 a1 1 1 && port_on "$n" app2 a2 2 2 &&
		port_on "$n" v1i v1i 11 1 && port_on "$n" v1o v1o 12 1 &&
		port_on "$n" v2i v2i 21 3 && port_on "$n" v2o v2o 22 3 || rc=1
	"sfc$n" port-pair add pp1 ingress v1i egress v1o &&
		"sfc$n" port-pair add pp2 ingress v2i egress v2o &&
		"sfc$n" port-pair-group add g1 port-pair pp1 &&
		"sfc$n" port-pair-group add g2 port-pair pp2 || rc=1
	"sfc$n" flow-classifier add fc1 ethertype IPv4 protocol icmp \
		source-ip 10.0.0.2/32 destination-ip 10.0.0.1/32 $lsp &&
		"sfc$n" flow-classifier add fc2 ethertype IPv4 protocol tcp \
			source-ip 10.0.0.2/32 destination-ip 10.0.0.1/32 $lsp || rc=1
	"sfc$n" port-chain add c1 port-pair-group g1 port-pair-group g2 \
		flow-classifier fc1 chain-id 10 symmetric on &&
		"sfc$n" port-chain add c2 port-pair-group g1 port-pair-group g2 \
			flow-classifier fc2 chain-id 20 symmetric on || rc=1
	log_test $rc "host$n: tunnel, ports (local or remote), chains c1 and c2"
}

configure() {
	configure_host 1 && configure_host 2 lsp && configure_host 3
	# VNF ports hang on their host's bridge like any port: where a
	# wrongly walked packet would teach it a workload MAC.
	join_bridge "$H1" br0 v1i v1o && join_bridge "$H3" br0 v2i v2o
	log_test $? "VNF ports on their hosts' bridges"
}

test_ping() {
	ip netns exec "$APP2" ping -q -c 10 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping app2 -> app1 through vnf1 (host1) and vnf2 (host3)"
	check_ge "host2: requests into the tunnel (hop 0 forward)" 10 "$(hop_packets sfc2 forward c1 0)"
	check_ge "host1: requests resumed into vnf1 (hop 0 forward)" 10 "$(hop_packets sfc1 forward c1 0)"
	check_ge "host1: requests sent on to host3 (hop 1 forward)" 10 "$(hop_packets sfc1 forward c1 1)"
	check_ge "host3: requests resumed into vnf2 (hop 1 forward)" 10 "$(hop_packets sfc3 forward c1 1)"
	check_ge "host1: replies sent to host3 (hop 1 reverse)" 10 "$(hop_packets sfc1 reverse c1 1)"
	check_ge "host3: replies resumed into vnf2 backwards (hop 1 reverse)" 10 "$(hop_packets sfc3 reverse c1 1)"
	check_ge "host3: replies sent on to host1 (hop 0 reverse)" 10 "$(hop_packets sfc3 reverse c1 0)"
	check_ge "host1: replies resumed into vnf1 backwards (hop 0 reverse)" 10 "$(hop_packets sfc1 reverse c1 0)"
	check_ge "vnf2 saw the requests on its ingress port" 10 "$(dev_rx_packets "$VNF2" in)"
	check_ge "vnf2 saw the replies on its egress port" 10 "$(dev_rx_packets "$VNF2" out)"
	check_ge "vnf1 saw the replies on its egress port" 10 "$(dev_rx_packets "$VNF1" out)"
}

test_tcp() {
	local bytes
	iperf_tcp_between "$APP2" "$APP1" 10.0.0.1 3 "$TMP/iperf.json"
	bytes=$(iperf_bytes "$TMP/iperf.json")
	check_ge "iperf3 TCP app2 -> app1 through vnf1 (host1) and vnf2 (host3) (bytes)" 100000 "${bytes:-0}"
	check_ge "host3 walked the segments through vnf2" 100 "$(hop_packets sfc3 forward c2 1)"
	check_ge "host3 walked the ACKs backwards through vnf2" 100 "$(hop_packets sfc3 reverse c2 1)"
	check_ge "host1 walked the ACKs backwards through vnf1" 100 "$(hop_packets sfc1 reverse c2 0)"
}

# Each workload MAC on its own port or its host's uplink, never on a VNF
# port or an underlay interface; host3 has no workload: either MAC there
# only on its uplink (or not learned at all).
test_mac_learning() {
	local p
	check_eq "host1 br0: app1 on a1" a1 "$(fdb_port_of "$H1" "$APP1_MAC")"
	check_eq "host1 br0: app2 on the uplink" up1 "$(fdb_port_of "$H1" "$APP2_MAC")"
	check_eq "host2 br0: app2 on a2" a2 "$(fdb_port_of "$H2" "$APP2_MAC")"
	check_eq "host2 br0: app1 on the uplink" up2 "$(fdb_port_of "$H2" "$APP1_MAC")"
	p=$(fdb_port_of "$H3" "$APP1_MAC")
	check_eq "host3 br0: app1 on the uplink or nowhere" up3 "${p:-up3}"
	p=$(fdb_port_of "$H3" "$APP2_MAC")
	check_eq "host3 br0: app2 on the uplink or nowhere" up3 "${p:-up3}"
	check_eq "underlay: app1 on host1's uplink" u1 "$(fdb_port_of "$UL" "$APP1_MAC")"
	check_eq "underlay: app2 on host2's uplink" u2 "$(fdb_port_of "$UL" "$APP2_MAC")"
}

# What each host sends into the underlay: one capture of everything that
# enters br-ul (the "any" device: each packet once, with the index of the
# port tN it came in by, i.e. of its sender), decoded by one tshark run;
# the five crossings of a request and its reply.
test_wire_format() {
	capture_start "$TMP/ul.pcap" "$UL" any udp port 6081
	ip netns exec "$APP2" ping -q -c 5 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping app2 -> app1 while capturing the underlay"
	capture_stop
	tshark_table "$TMP/ul.pcap" sll.ifindex ip.dst geneve.vni geneve.option.class \
		geneve.option.type geneve.option.unknown.data icmp.type
	geneve_crossing "host2 -> host1: request into vnf1 (SI 255, fwd, hop, app2 -> v1i)" \
		2 192.0.2.1 "$CLASS" 00000aff00040000000000020000000b 8
	geneve_crossing "host1 -> host3: request on to vnf2 (SI 254, fwd, hop, app2 -> v2i)" \
		1 192.0.2.3 "$CLASS" 00000afe000400000000000200000015 8
	geneve_crossing "host3 -> host2: request done, re-inject at app2 (SI 0, done|re-inject)" \
		3 192.0.2.2 "$CLASS" 00000a00000300000000000200000002 8
	geneve_crossing "host1 -> host3: reply into vnf2 backwards (SI 255, rev, hop, app1 -> v2o)" \
		1 192.0.2.3 "$CLASS" 00000aff010400000000000100000016 0
	geneve_crossing "host3 -> host1: reply on to vnf1 backwards (SI 254, rev, hop, app1 -> v1o)" \
		3 192.0.2.1 "$CLASS" 00000afe01040000000000010000000c 0
}

# A request host2 sent with a foreign option (class 0x0102) before ours:
# host1 keeps the list, its crossing to host3 carries it, host3 keeps it
# again and its re-inject to host2 carries it too, ours replaced each time.
test_foreign_two_crossings() {
	capture_start "$TMP/ul.pcap" "$UL" any udp port 6081
	ip netns exec "$H2" "$PYTHON" - "$(mac_of "$H1" ul1)" <<'EOF2'
from scapy.all import Ether, IP, UDP, ICMP, Raw, sendp
import sys
opts = bytes.fromhex("0102010100c0ffee" "fff00104" "00000aff00040000000000020000000b")
geneve = bytes([len(opts) // 4, 0, 0x65, 0x58]) + (100 << 8).to_bytes(4, "big") + opts
inner = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / \
	IP(src="10.0.0.2", dst="10.0.0.1") / ICMP(id=77)
pkt = Ether(dst=sys.argv[1]) / IP(src="192.0.2.2", dst="192.0.2.1") / \
	UDP(sport=40000, dport=6081) / Raw(geneve + bytes(inner))
sendp(pkt, iface="ul2", verbose=False)
EOF2
	capture_stop
	tshark_table "$TMP/ul.pcap" sll.ifindex ip.dst geneve.vni geneve.option.class \
		geneve.option.type geneve.option.unknown.data icmp.type
	geneve_crossing "host1 -> host3 carries the foreign option, then ours (hop to v2i)" \
		1 192.0.2.3 "0x0102,$CLASS" 00c0ffee,00000afe000400000000000200000015 8 1
	geneve_crossing "host3 -> host2 still carries it, then ours (re-inject)" \
		3 192.0.2.2 "0x0102,$CLASS" 00c0ffee,00000a00000300000000000200000002 8 1
}

setup_topology || { echo "topology setup failed"; exit 1; }
configure
[ $RET = 0 ] || exit $RET
test_ping
test_tcp
test_mac_learning
test_wire_format
test_foreign_two_crossings
exit $RET
