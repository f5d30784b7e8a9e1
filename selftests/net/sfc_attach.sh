#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The TC ingress entry point attached for real by sfcctl, with real traffic.
#
#   app1 ns                 host ns                        app2 ns
#  +--------+        +---------------------------+        +--------+
#  | eth0   |--veth--| h1 [sfc] --- br0 --- h2 [sfc] |--veth--| eth0   |
#  |10.0.0.1|        +---------------------------+        |10.0.0.2|
#  +--------+                                             +--------+
#
# Checks: adding the two host-side ports as sfcctl ports attaches the data
# plane to them; ping and iperf3 TCP (GSO) pass and are counted per port;
# a malformed frame from app1 is dropped and counted under its reason, and
# does not reach app2; detach removes only our filter and keeps the port,
# attach puts it back, deleting the port removes filter and entry. (Ports
# are named after their devices: status reports devices.)
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping iperf3 tc
require_sfcctl

setup_topology() {
	setup_ns HOST APP1 APP2 || return 1
	ip -n "$HOST" link add br0 type bridge && ip -n "$HOST" link set br0 up
	veth_pair "$APP1" eth0 "$HOST" h1 && veth_pair "$APP2" eth0 "$HOST" h2
	ip -n "$HOST" link set h1 master br0 && ip -n "$HOST" link set h2 master br0
	ip -n "$APP1" addr add 10.0.0.1/24 dev eth0
	ip -n "$APP2" addr add 10.0.0.2/24 dev eth0
	sfc_bpffs
}

# sfc_filters DEV: how many of our filters tc lists on DEV's ingress.
sfc_filters() {
	tc -n "$HOST" -j filter show dev "$1" ingress | jq \
		'[.[] | select((.options.bpf_name // "") | startswith("sfc_tc_ingress"))] | length'
}

test_attach() {
	sfc "$HOST" port add h1 dev h1
	log_test $? "sfcctl port add h1 dev h1"
	sfc "$HOST" port add h2 dev h2
	log_test $? "sfcctl port add h2 dev h2"
	check_eq "status lists two attached ports" 2 \
		"$(sfc "$HOST" -j status | jq '[.ports[] | select(.attached)] | length')"
	check_eq "tc shows one sfc filter on h1 ingress" 1 "$(sfc_filters h1)"
	check_eq "data plane loaded" true "$(sfc "$HOST" -j status | jq .loaded)"
}

test_traffic() {
	local rx1 rx2
	ip netns exec "$APP1" ping -q -c 5 -i 0.05 -W 2 10.0.0.2 >/dev/null
	log_test $? "ping app1 -> app2 through attached ports"
	rx1=$(sfc_port_counter "$HOST" h1 rx_packets)
	rx2=$(sfc_port_counter "$HOST" h2 rx_packets)
	check_ge "h1 counted the echo requests" 5 "$rx1"
	check_ge "h2 counted the echo replies" 5 "$rx2"

	iperf_tcp 2 "$TMP/iperf.json"
	log_test $? "iperf3 TCP (GSO) through attached ports"
	check_ge "iperf3 moved data" 1000000 "$(iperf_bytes "$TMP/iperf.json")"
	check_eq "no drops on well-formed traffic" 0 \
		"$(sfc "$HOST" -j status | jq '[.drops[]] | add')"
}

# A frame whose IPv4 header claims IHL 4: the data plane must drop it and
# count it as malformed-l3, and app2 must not see it.
test_malformed() {
	local before after
	require_scapy || { log_test 0 "malformed frame (skipped: no scapy)"; return; }
	before=$(sfc_drop_counter "$HOST" malformed-l3)
	ip netns exec "$APP2" tcpdump -c 1 -i eth0 -nn -w "$TMP/app2.pcap" \
		'udp port 7777' >/dev/null 2>&1 &
	local tcpd=$!
	sleep 0.5
	ip netns exec "$APP1" $PYTHON - <<-'PY'
		from scapy.all import Ether, IP, UDP, sendp, get_if_hwaddr
		f = Ether(dst="ff:ff:ff:ff:ff:ff", src=get_if_hwaddr("eth0")) / \
		    IP(src="10.0.0.1", dst="10.0.0.2", ihl=4) / UDP(dport=7777)
		sendp(f, iface="eth0", verbose=False)
	PY
	sleep 0.5
	kill $tcpd 2>/dev/null; wait $tcpd 2>/dev/null
	after=$(sfc_drop_counter "$HOST" malformed-l3)
	check_eq "malformed IPv4 counted as malformed-l3" $((before + 1)) "$after"
	check_eq "malformed frame did not reach app2" 0 \
		"$(tcpdump -r "$TMP/app2.pcap" 2>/dev/null | wc -l)"
}

require_scapy() {
	$PYTHON -c 'import scapy' 2>/dev/null
}

test_detach() {
	sfc "$HOST" detach port h1 >/dev/null
	log_test $? "sfcctl detach port h1"
	check_eq "h1 has no sfc filter left" 0 "$(sfc_filters h1)"
	check_eq "h2 keeps its filter" 1 "$(sfc_filters h2)"
	check_eq "the port stays configured" h1 \
		"$(sfc "$HOST" -j port show h1 | jq -r .name)"
	sfc "$HOST" detach port h1 >/dev/null 2>&1
	check_eq "detaching it again fails" 1 $?
	sfc "$HOST" attach port h1 >/dev/null
	log_test $? "sfcctl attach port h1"
	check_eq "h1 has its filter back" 1 "$(sfc_filters h1)"

	sfc "$HOST" port del h1
	log_test $? "sfcctl port del h1"
	check_eq "h1 has no sfc filter left" 0 "$(sfc_filters h1)"
	check_eq "status lists one port" 1 "$(sfc "$HOST" -j status | jq '.ports | length')"
	sfc "$HOST" detach port h1 >/dev/null 2>&1
	check_eq "detach of the deleted port fails" 1 $?
	ip netns exec "$APP1" ping -q -c 2 -i 0.05 -W 2 10.0.0.2 >/dev/null
	log_test $? "traffic still flows after the port is gone"
}

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
setup_topology || skip "could not build the topology"
test_attach
test_traffic
test_malformed
test_detach
exit $RET
