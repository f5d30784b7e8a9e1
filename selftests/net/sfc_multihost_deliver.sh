#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Symmetric chains whose destination lives on a host that walks no hop of
# the chain: the chain end delivers the packet to the destination port
# over the tunnel (chain-done alone), and that host expects the replies.
# Needs the geneve module: runs in the guest tier.
#
#      host1 ns                  host2 ns                host3 ns
#  app1 -a1-+                 app2 -a2-+             app3 -a3-+
#  vnf1 -v1i,v1o- br0 -up1-+     br0 -up2-+             br0 -up3-+
#  ul1 192.0.2.1 -t1-+     |  ul2 -t2-+   |   ul3 192.0.2.3 -t3-+  |
#                    +-----+----------+---+---- br-ul (ul ns) ---+--+
#
# Chains through vnf1 (host1), all symmetric, all to app2 (10.0.0.2):
#   c1 (ICMP, chain-id 10) and c2 (TCP, 20) from app1 (host1): the source
#     and the VNF on one host, the destination on another;
#   c3 (ICMP, 30) from app3 (host3): source, VNF and destination on three
#     hosts.
# First without the workloads' MACs: the chains end by re-injecting at the
# source, and app2's replies are not steered (host2 never saw the forward
# packets): the gap this closes, checked so the test can tell. Then with
# every workload port's MAC on every host: the forward packets are
# delivered to app2's port by host2, the replies walk vnf1 backwards, and
# their chain end delivers them to app1 on host1 or over the tunnel to
# app3 on host3. Ping and iperf3 TCP, hop counters, tshark on every
# crossing, MAC learning, and the receive errors of a chain-done packet.
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping bridge iperf3 tc tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

CLASS=0xfff0
VNI=100

setup_topology() {
	geneve_hosts 3 || return 1
	host_workload 1 APP1 a1 10.0.0.1/24 && host_workload 2 APP2 a2 10.0.0.2/24 &&
		host_workload 3 APP3 a3 10.0.0.3/24 &&
		HOST=$H1 vnf_two_port VNF1 v1i v1o
}

# classifier N NAME PROTO SRC LSP: a classifier of traffic SRC -> app2,
# naming its logical source port only on that port's own host.
classifier() {
	"sfc$1" flow-classifier add "$2" ethertype IPv4 protocol "$3" \
		source-ip "$4/32" destination-ip 10.0.0.2/32 \
		${5:+logical-source-port "$5"}
}

# configure_host N: the same resources on every host, each port local or
# remote as it lives (keys: app1 1, app2 2, app3 3, v1i 11, v1o 12).
configure_host() {
	local n=$1 rc=0
	"sfc$n" tunnel add t0 dev gnv0 vni $VNI || rc=1
	port_on "$n" app1 a1 1 1 && port_on "$n" app2 a2 2 2 &&
		port_on "$n" app3 a3 3 3 &&
		port_on "$n" v1i v1i 11 1 && port_on "$n" v1o v1o 12 1 || rc=1
	"sfc$n" port-pair add pp1 ingress v1i egress v1o &&
		"sfc$n" port-pair-group add g1 port-pair pp1 || rc=1
	classifier "$n" fc1 icmp 10.0.0.1 "$([ "$n" = 1 ] && echo app1)" &&
		classifier "$n" fc2 tcp 10.0.0.1 "$([ "$n" = 1 ] && echo app1)" &&
		classifier "$n" fc3 icmp 10.0.0.3 "$([ "$n" = 3 ] && echo app3)" || rc=1
	"sfc$n" port-chain add c1 port-pair-group g1 flow-classifier fc1 \
		chain-id 10 symmetric on &&
		"sfc$n" port-chain add c2 port-pair-group g1 flow-classifier fc2 \
			chain-id 20 symmetric on &&
		"sfc$n" port-chain add c3 port-pair-group g1 flow-classifier fc3 \
			chain-id 30 symmetric on || rc=1
	log_test $rc "host$n: tunnel, ports (local or remote), chains c1, c2, c3"
}

configure() {
	configure_host 1 && configure_host 2 && configure_host 3
	join_bridge "$H1" br0 v1i v1o
	log_test $? "vnf1's ports on host1's bridge"
}

# Every workload port's MAC, on every host (a port set: a configuration
# switch on each).
give_macs() {
	local n rc=0
	for n in 1 2 3; do
		"sfc$n" port set app1 mac "$APP1_MAC" &&
			"sfc$n" port set app2 mac "$APP2_MAC" &&
			"sfc$n" port set app3 mac "$APP3_MAC" || rc=1
	done
	log_test $rc "every host: the workloads' MACs on their ports"
}

# Without the MACs the forward packets reach app2 bridged, after the
# re-inject at app1's port; host2 has no expectation of the replies.
test_gap_without_macs() {
	ip netns exec "$APP1" ping -q -c 5 -i 0.1 -W 3 10.0.0.2 >/dev/null
	log_test $? "without MACs: ping app1 -> app2 (replies bridged back)"
	check_ge "without MACs: host1 steered the requests through vnf1" 5 \
		"$(hop_packets sfc1 forward c1 0)"
	check_eq "without MACs: host2 steered no reply (the gap)" 0 \
		"$(hop_packets sfc2 reverse c1 0)"
}

test_ping_local_source() {
	local before
	before=$(dev_rx_packets "$VNF1" out)
	ip netns exec "$APP1" ping -q -c 10 -i 0.1 -W 3 10.0.0.2 >/dev/null
	log_test $? "ping app1 -> app2 through vnf1, both ways"
	# (5 more from test_gap_without_macs: counters run on across a switch)
	check_ge "host1: requests into vnf1 (hop 0 forward)" 15 "$(hop_packets sfc1 forward c1 0)"
	check_ge "host2: replies into the tunnel toward vnf1 (hop 0 reverse)" 10 \
		"$(hop_packets sfc2 reverse c1 0)"
	check_ge "host1: replies resumed into vnf1 backwards" 10 "$(hop_packets sfc1 reverse c1 0)"
	check_ge "vnf1 saw the replies on its egress port" 10 \
		"$(($(dev_rx_packets "$VNF1" out) - before))"
}

test_ping_remote_source() {
	ip netns exec "$APP3" ping -q -c 10 -i 0.1 -W 3 10.0.0.2 >/dev/null
	log_test $? "ping app3 (host3) -> app2 (host2) through vnf1 (host1), both ways"
	check_ge "host3: requests into the tunnel toward vnf1" 10 "$(hop_packets sfc3 forward c3 0)"
	check_ge "host1: requests resumed into vnf1" 10 "$(hop_packets sfc1 forward c3 0)"
	check_ge "host2: replies into the tunnel toward vnf1" 10 "$(hop_packets sfc2 reverse c3 0)"
	check_ge "host1: replies resumed into vnf1 backwards" 10 "$(hop_packets sfc1 reverse c3 0)"
}

test_tcp() {
	local bytes
	iperf_tcp 3 "$TMP/iperf.json"
	bytes=$(iperf_bytes "$TMP/iperf.json")
	check_ge "iperf3 TCP app1 -> app2 through vnf1 (bytes)" 100000 "${bytes:-0}"
	check_ge "host1 walked the segments through vnf1" 100 "$(hop_packets sfc1 forward c2 0)"
	check_ge "host2 sent the ACKs back toward vnf1" 100 "$(hop_packets sfc2 reverse c2 0)"
	check_ge "host1 walked the ACKs backwards through vnf1" 100 "$(hop_packets sfc1 reverse c2 0)"
}

# Delivered packets pass no bridge: each workload MAC only on its own port
# or its host's uplink (learned from ARP), or nowhere; never on a VNF port.
test_mac_learning() {
	local h mac name want p
	check_eq "host1 br0: app1 on a1" a1 "$(fdb_port_of "$H1" "$APP1_MAC")"
	check_eq "host2 br0: app2 on a2" a2 "$(fdb_port_of "$H2" "$APP2_MAC")"
	check_eq "host3 br0: app3 on a3" a3 "$(fdb_port_of "$H3" "$APP3_MAC")"
	for h in 1 2 3; do
		for name in APP1 APP2 APP3; do
			[ "$name" = "APP$h" ] && continue
			mac=${name}_MAC
			p=$(fdb_port_of "$(eval echo \$H$h)" "${!mac}")
			check_eq "host$h br0: ${name,,} on the uplink or nowhere" "up$h" "${p:-up$h}"
		done
	done
	for h in 1 2 3; do
		mac=APP${h}_MAC
		p=$(fdb_port_of "$UL" "${!mac}")
		check_eq "underlay: app$h on host$h's uplink or nowhere" "u$h" "${p:-u$h}"
	done
}

# The crossings, as tshark decodes them: option data is SPI(24) SI(8),
# direction, flags (1 done, 2 re-inject, 4 hop), 0, source key, dst key.
test_wire_format() {
	capture_start "$TMP/ul.pcap" "$UL" any udp port 6081
	ip netns exec "$APP1" ping -q -c 5 -i 0.1 -W 3 10.0.0.2 >/dev/null &&
		ip netns exec "$APP3" ping -q -c 5 -i 0.1 -W 3 10.0.0.2 >/dev/null
	log_test $? "ping app1 -> app2 and app3 -> app2 while capturing the underlay"
	capture_stop
	tshark_table "$TMP/ul.pcap" sll.ifindex ip.dst geneve.vni geneve.option.class \
		geneve.option.type geneve.option.unknown.data icmp.type
	geneve_crossing "host1 -> host2: c1 request delivered to app2 (SI 0, fwd, done, app1 -> app2)" \
		1 192.0.2.2 "$CLASS" 00000a00000100000000000100000002 8
	geneve_crossing "host2 -> host1: c1 reply into vnf1 backwards (SI 255, rev, hop, app2 -> v1o)" \
		2 192.0.2.1 "$CLASS" 00000aff01040000000000020000000c 0
	geneve_crossing "host3 -> host1: c3 request into vnf1 (SI 255, fwd, hop, app3 -> v1i)" \
		3 192.0.2.1 "$CLASS" 00001eff00040000000000030000000b 8
	geneve_crossing "host1 -> host2: c3 request delivered to app2 (SI 0, fwd, done, app3 -> app2)" \
		1 192.0.2.2 "$CLASS" 00001e00000100000000000300000002 8
	geneve_crossing "host2 -> host1: c3 reply into vnf1 backwards (SI 255, rev, hop, app2 -> v1o)" \
		2 192.0.2.1 "$CLASS" 00001eff01040000000000020000000c 0
	geneve_crossing "host1 -> host3: c3 reply delivered to app3 (SI 0, rev, done, app2 -> app3)" \
		1 192.0.2.3 "$CLASS" 00001e00010100000000000200000003 0
	# c1's replies end on host1, where app1 is: delivered there, never sent.
	check_eq "c1 replies are not sent back over the underlay" 0 \
		"$(table_count "$TMP/ul.pcap.tsv" "geneve.option.unknown.data=00000a00010100000000000200000001")"
}

# send_done DST_KEY SPI [OUTER_SRC]: from host2's underlay interface, a
# chain-done packet for host1 naming port DST_KEY (app1's MAC inside), as
# a misbehaving or stale host would send it, from host2's address or
# OUTER_SRC.
send_done() {
	ip netns exec "$H2" "$PYTHON" - "$(mac_of "$H1" ul1)" "$1" "$2" \
		"${3:-192.0.2.2}" <<'EOF'
from scapy.all import Ether, IP, ICMP, Raw, UDP, sendp
import sys
dst_mac, key, spi, src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ctx = (spi << 8).to_bytes(4, "big") + bytes([0, 1, 0, 0]) + \
	(2).to_bytes(4, "big") + key.to_bytes(4, "big")
opts = bytes.fromhex("fff00104") + ctx
geneve = bytes([len(opts) // 4, 0, 0x65, 0x58]) + (100 << 8).to_bytes(4, "big") + opts
inner = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / \
	IP(src="10.0.0.2", dst="10.0.0.1") / ICMP(id=99)
sendp(Ether(dst=dst_mac) / IP(src=src, dst="192.0.2.1") /
      UDP(sport=40001, dport=6081) / Raw(geneve + bytes(inner)), iface="ul2",
      verbose=False)
EOF
}

test_receive_errors() {
	local bad spi peer rx
	bad=$(sfc_drop_counter_of sfc1 geneve-bad-opt)
	spi=$(sfc_drop_counter_of sfc1 unknown-spi)
	peer=$(sfc_drop_counter_of sfc1 unknown-peer)
	rx=$(dev_rx_packets "$APP1" eth0)
	send_done 11 10		# vnf1's ingress port: never a destination
	send_done 1 99		# app1, but a chain no host has
	send_done 1 10 192.0.2.9	# well formed, from no configured host
	send_done 1 10		# the same from host2: delivered to app1
	sleep 0.5
	check_eq "chain-done naming a VNF port: dropped as geneve-bad-opt" \
		$((bad + 1)) "$(sfc_drop_counter_of sfc1 geneve-bad-opt)"
	check_eq "chain-done of an unknown chain: dropped as unknown-spi" \
		$((spi + 1)) "$(sfc_drop_counter_of sfc1 unknown-spi)"
	check_eq "from an underlay address no remote port lives on: unknown-peer" \
		$((peer + 1)) "$(sfc_drop_counter_of sfc1 unknown-peer)"
	check_ge "the same packet from host2 reached app1" \
		$((rx + 1)) "$(dev_rx_packets "$APP1" eth0)"
}

# sfc_drop_counter_of sfcN REASON
sfc_drop_counter_of() {
	"$1" -j status | jq -r --arg r "$2" '.drops[$r] // 0'
}

setup_topology || { echo "topology setup failed"; exit 1; }
configure
[ $RET = 0 ] || exit $RET
test_gap_without_macs
give_macs
test_ping_local_source
test_ping_remote_source
test_tcp
test_mac_learning
test_wire_format
test_receive_errors
exit $RET
