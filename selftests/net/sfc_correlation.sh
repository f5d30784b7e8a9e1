#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Correlation with SFC-aware VNFs (MPLS and NSH), and the SFC proxy.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2
#   A, C: our MPLS-aware VNF (decrements the SI)    B: unaware (tc mirred)
#   D, E: the same aware VNF, in an NSH chain
#
#   c-mpls (chain id 5, single label, symmetric; ICMP and TCP 5201):
#          A (aware) -> B (unaware) -> C (aware)
#   c-8595 (chain id 7, RFC 8595 labels; UDP 7777): A -> C (aware -> aware)
#   c-nsh  (chain id 9, MD type 2, next protocol IP, symmetric; UDP 9999):
#          D -> E (aware -> aware)
#
# What each VNF receives is decoded by tshark (not by our code) and
# compared with what the chain means: labels SPI<<8|SI with TTL = SI,
# RFC 8595's SPI and SI labels, NSH SPI/SI/TTL/MD type/next protocol and
# the MD2 TLV carrying the source port; the reverse path's SPI has its top
# bit set. The unaware hop sees plain IP (the proxy stripped the header).
# All four proxy cases run (aware/unaware current hop x aware/unaware
# next hop, the chain end counting as unaware), traffic flows both ways,
# TCP crosses the MPLS chain with the senders' default offloads (GSO
# super-packets; sfc_correlation_gso.sh covers every encoding), nothing
# is dropped.
# guest-tier: yes
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping tcpdump tshark iperf3
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup_topology() {
	bridged_pair || return 1
	vnf_aware A ai ao && vnf_two_port B bi bo && vnf_aware C ci co &&
		vnf_aware D di do && vnf_aware E ei eo || return 1
	APP2_MAC=$(mac_of "$APP2" eth0)
	sfc_bpffs
}

configure() {
	local v corr
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for v in a:mpls b:none c:mpls d:nsh e:nsh; do
		corr=${v#*:}; v=${v%%:*}
		sfc_vnf_hop $v $corr || return 1
	done
	sfc "$HOST" flow-classifier add fc-icmp ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2 &&
	sfc "$HOST" flow-classifier add fc-tcp ethertype IPv4 protocol tcp \
		logical-source-port app1 destination-port 5201 &&
	sfc "$HOST" flow-classifier add fc-8595 ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 7777 &&
	sfc "$HOST" flow-classifier add fc-nsh ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 9999 &&
	sfc "$HOST" port-chain add c-mpls chain-id 5 correlation mpls symmetric on \
		port-pair-group ga port-pair-group gb port-pair-group gc \
		flow-classifier fc-icmp flow-classifier fc-tcp &&
	sfc "$HOST" port-chain add c-8595 chain-id 7 correlation mpls \
		mpls-encoding rfc8595 port-pair-group ga port-pair-group gc \
		flow-classifier fc-8595 &&
	sfc "$HOST" port-chain add c-nsh chain-id 9 correlation nsh nsh-md-type 2 \
		nsh-next-protocol ip symmetric on port-pair-group gd port-pair-group ge \
		flow-classifier fc-nsh
}

# fields PCAP FILTER FIELDS...: tshark's decoding, first matching packet.
fields() {
	tshark_fields "$@" | head -1 | tr '\t' ' '
}

test_mpls() {
	local ns v
	for v in A:in A:out B:in C:in C:out; do
		ns=${v%%:*}
		capture_start "$TMP/${v/:/-}.pcap" "${!ns}" "${v#*:}"
	done
	ip netns exec "$APP1" ping -q -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	log_test $? "c-mpls: ping both ways through A (aware), B (unaware), C (aware)"
	capture_stop
	# SI 255 at hop 0, 253 at hop 2: label = SPI << 8 | SI, TTL = SI
	check_eq "A receives label 5<<8|255, EXP 0, bottom of stack, TTL 255" "1535 0 1 255" \
		"$(fields "$TMP/A-in.pcap" "icmp.type == 8" mpls.label mpls.exp mpls.bottom mpls.ttl)"
	check_eq "B (unaware) receives plain IP: the header was stripped" 0 \
		"$(tshark -r "$TMP/B-in.pcap" -Y mpls 2>/dev/null | wc -l)"
	check_ge "B received the requests" 3 \
		"$(tshark -r "$TMP/B-in.pcap" -Y 'icmp.type == 8' 2>/dev/null | wc -l)"
	check_eq "C receives label 5<<8|253 (pushed again after B), TTL 253" "1533 1 253" \
		"$(fields "$TMP/C-in.pcap" "icmp.type == 8" mpls.label mpls.bottom mpls.ttl)"
	# the reverse path: SPI 5 | 0x800 (12-bit SPI field), entering C first
	check_eq "the reply enters C first with the reverse SPI, SI 255" "525823 255" \
		"$(fields "$TMP/C-out.pcap" "icmp.type == 0" mpls.label mpls.ttl)"
	check_eq "and A last, at SI 253" "525821 253" \
		"$(fields "$TMP/A-out.pcap" "icmp.type == 0" mpls.label mpls.ttl)"
}

test_rfc8595() {
	capture_start "$TMP/c8595.pcap" "$C" in udp or mpls
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 7777 40000 5
	capture_stop
	check_eq "RFC 8595 aware -> aware: C gets SPI label 7 (not bottom), SI label 254" \
		"7,254 0,1 255,254" \
		"$(fields "$TMP/c8595.pcap" "udp.dstport == 7777" mpls.label mpls.bottom mpls.ttl)"
}

test_nsh() {
	capture_start "$TMP/D.pcap" "$D" in
	capture_start "$TMP/E.pcap" "$E" in
	capture_start "$TMP/Eo.pcap" "$E" out
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 9999 41000 5
	capture_stop
	# (tshark prints the TTL in hex, the MD2 class in decimal: 65526 = 0xfff6)
	check_eq "NSH at D: SPI 9, SI 255, TTL 63, MD type 2, next protocol IPv4" \
		"9 255 0x003f 2 1" \
		"$(fields "$TMP/D.pcap" "udp.dstport == 9999" nsh.spi nsh.si nsh.ttl nsh.mdtype nsh.nextproto)"
	check_eq "its MD2 TLV: class 0xfff6, type 1, 4 bytes, the source port's id (1)" \
		"65526 1 0x04 00000001" \
		"$(fields "$TMP/D.pcap" "udp.dstport == 9999" nsh.metadataclass nsh.metadatatype nsh.metadatalen nsh.metadata)"
	check_eq "aware -> aware: E gets SI 254 and TTL 62 (our forwarder's hop)" \
		"9 254 0x003e" "$(fields "$TMP/E.pcap" "udp.dstport == 9999" nsh.spi nsh.si nsh.ttl)"
}

# TCP with the senders' default offloads: TSO super-packets and partial
# checksums cross the pushed headers (docs/design.md, "GSO through pushed
# headers"). A single label fits veth's 1500-byte MTU slack; the longer
# headers need MTU room (sfc_correlation_gso.sh).
test_tcp() {
	iperf_tcp 2 "$TMP/iperf.json"
	log_test $? "c-mpls: iperf3 TCP through the aware/unaware/aware chain"
	check_ge "c-mpls: TCP data moved" 10000000 "$(iperf_bytes "$TMP/iperf.json")"
}

test_clean() {
	check_eq "no drops" 0 "$(sfc "$HOST" -j status | jq '[.drops[]] | add')"
	check_eq "every aware VNF decremented the SI" 0 \
		"$(sfc "$HOST" -j status | jq '[.ports[].si_kept_packets] | add')"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure MPLS and NSH chains"
test_mpls
test_rfc8595
test_nsh
test_tcp
test_clean
exit $RET
