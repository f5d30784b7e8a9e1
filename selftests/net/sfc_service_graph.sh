#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Service graphs: networking-sfc's example pc1 -> {pc2, pc3} -> pc4 with
# UDP ports 2001..2004, plus a chain sharing pc2's group.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2          VNFs A..D: two-port (tc mirred)
#
#   pc1 [A]  fc1: udp 2001-2003 from app1      graph sg: pc1 -> pc2, pc3
#   pc2 [B]  fc2: udp 2002                                pc2 -> pc4
#   pc3 [C]  fc3: udp 2003                                pc3 -> pc4
#   pc4 [D]  fc4: udp 2002-2004
#   c5  [B]  fc5: udp 2005 from app1           (not in the graph, shares B)
#
# Expected, judged from captures on every VNF (tshark) and at app2:
#   2001: A                 (pc1 only: no destination chain matches)
#   2002: A, B, D in order  (pc1 -> pc2 -> pc4)
#   2003: A, C, D in order  (pc1 -> pc3 -> pc4)
#   2004: nothing           (matches pc4's classifier, but comes from a
#                            port, not from pc2 or pc3: no leakage)
#   2005: B only            (c5 shares B with pc2 but never crosses to D)
# every packet reaches app2, nothing is dropped. An MPLS graph pm1 -> pm2
# through SFC-aware VNFs X and Y (UDP 3001-3002 / 3002): Y receives what
# went on from pm1 with pm2's own label (SPI 22, SI 255, as tshark decodes
# it), X's with pm1's (SPI 21). Then the rules: a chain
# in the graph cannot be deleted or have its groups changed, a cycle is
# rejected, and a failed command leaves the configuration as it was.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq tcpdump tshark
require_sfcctl


TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
N=10		# packets per destination port, each its own flow

setup_topology() {
	bridged_pair || return 1
	vnf_two_port VA ai ao && vnf_two_port VB bi bo &&
		vnf_two_port VC ci co && vnf_two_port VD di do &&
		vnf_aware VX xi xo && vnf_aware VY yi yo || return 1
	APP2_MAC=$(mac_of "$APP2" eth0)
	sfc_bpffs
}

configure() {
	local v
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for v in a b c d; do
		sfc_vnf_hop $v || return 1
	done
	sfc "$HOST" flow-classifier add fc1 ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 2001-2003 &&
	sfc "$HOST" flow-classifier add fc2 ethertype IPv4 protocol udp destination-port 2002 &&
	sfc "$HOST" flow-classifier add fc3 ethertype IPv4 protocol udp destination-port 2003 &&
	sfc "$HOST" flow-classifier add fc4 ethertype IPv4 protocol udp \
		destination-port 2002-2004 &&
	sfc "$HOST" flow-classifier add fc5 ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 2005 &&
	sfc "$HOST" port-chain add pc1 port-pair-group ga flow-classifier fc1 &&
	sfc "$HOST" port-chain add pc2 port-pair-group gb flow-classifier fc2 &&
	sfc "$HOST" port-chain add pc3 port-pair-group gc flow-classifier fc3 &&
	sfc "$HOST" port-chain add pc4 port-pair-group gd flow-classifier fc4 &&
	sfc "$HOST" port-chain add c5 port-pair-group gb flow-classifier fc5 &&
	sfc "$HOST" service-graph add sg branching-point pc1:pc2,pc3 \
		branching-point pc2:pc4 branching-point pc3:pc4 || return 1
	for v in x y; do
		sfc_vnf_hop $v mpls || return 1
	done
	sfc "$HOST" flow-classifier add fm1 ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 3001-3002 &&
	sfc "$HOST" flow-classifier add fm2 ethertype IPv4 protocol udp destination-port 3002 &&
	sfc "$HOST" port-chain add pm1 chain-id 21 correlation mpls port-pair-group gx \
		flow-classifier fm1 &&
	sfc "$HOST" port-chain add pm2 chain-id 22 correlation mpls port-pair-group gy \
		flow-classifier fm2 &&
	sfc "$HOST" service-graph add sm branching-point pm1:pm2
}

# decode PCAP: tshark's reading of the UDP packets to app2, once per
# capture (PCAP.txt: destination port and capture time per packet).
decode() {
	tshark_fields "$1" "udp && ip.dst == 10.0.0.2" udp.dstport \
		frame.time_epoch >"$1.txt"
}

# count PCAP PORT: packets to PORT in a decoded capture.
count() {
	awk -v p="$2" '$1 == p { n++ } END { print n + 0 }' "$1.txt"
}

# first_seen PCAP PORT: when the first packet to PORT was captured.
first_seen() {
	awk -v p="$2" '$1 == p { print $2; exit }' "$1.txt"
}

test_paths() {
	local port v got want path
	for v in A B C D; do
		capture_start "$TMP/$v.pcap" "$(eval echo \$V$v)" in udp
	done
	capture_start "$TMP/app2.pcap" "$APP2" eth0 udp
	for port in 2001 2002 2003 2004 2005; do
		send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 "$port" $((port * 10)) $N
	done
	capture_stop
	for v in A B C D app2; do
		decode "$TMP/$v.pcap"
	done

	for port in 2001 2002 2003 2004 2005; do
		case $port in
		2001) path=A ;; 2002) path=ABD ;; 2003) path=ACD ;;
		2004) path= ;; 2005) path=B ;;
		esac
		for v in A B C D; do
			got=$(count "$TMP/$v.pcap" $port)
			want=0
			[[ $path == *$v* ]] && want=$N
			check_eq "udp $port: VNF $v saw $want of $N packets" "$want" "$got"
		done
		check_eq "udp $port: app2 got all $N" $N "$(count "$TMP/app2.pcap" $port)"
	done
	ascending "$(first_seen "$TMP/A.pcap" 2002)" "$(first_seen "$TMP/B.pcap" 2002)" \
		"$(first_seen "$TMP/D.pcap" 2002)"
	log_test $? "udp 2002 walks A, B, D in that order"
	ascending "$(first_seen "$TMP/A.pcap" 2003)" "$(first_seen "$TMP/C.pcap" 2003)" \
		"$(first_seen "$TMP/D.pcap" 2003)"
	log_test $? "udp 2003 walks A, C, D in that order"
	check_eq "nothing dropped" 0 \
		"$(sfc "$HOST" -j status | jq '[.drops[] | numbers] | add // 0')"
}

# labels PCAP PORT: the MPLS label stack tshark decodes on packets to PORT.
labels() {
	tshark_fields "$1" "udp.dstport == $2" mpls.label mpls.ttl | sort -u
}

test_mpls_graph() {
	local port
	capture_start "$TMP/X.pcap" "$VX" in
	capture_start "$TMP/Y.pcap" "$VY" in
	capture_start "$TMP/app2m.pcap" "$APP2" eth0 udp
	for port in 3001 3002; do
		send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 "$port" $((port * 10)) $N
	done
	capture_stop
	check_eq "udp 3001: X saw pm1's label 21<<8|255, TTL 255" \
		"$(printf '%d\t255' $((21 << 8 | 255)))" "$(labels "$TMP/X.pcap" 3001)"
	check_eq "udp 3002: X saw pm1's label too" \
		"$(printf '%d\t255' $((21 << 8 | 255)))" "$(labels "$TMP/X.pcap" 3002)"
	check_eq "udp 3002: Y saw pm2's own label 22<<8|255" \
		"$(printf '%d\t255' $((22 << 8 | 255)))" "$(labels "$TMP/Y.pcap" 3002)"
	check_eq "udp 3001: Y saw nothing" "" "$(labels "$TMP/Y.pcap" 3001)"
	check_eq "udp 3001-3002: app2 got all, without labels" $((2 * N)) \
		"$(tshark -r "$TMP/app2m.pcap" -Y "udp && !mpls" 2>/dev/null | wc -l)"
	check_eq "nothing dropped" 0 \
		"$(sfc "$HOST" -j status | jq '[.drops[] | numbers] | add // 0')"
}

# expect_refused WHAT MESSAGE ARGS...: sfcctl fails, says MESSAGE, and the
# saved configuration is unchanged.
expect_refused() {
	local what=$1 msg=$2 out before after; shift 2
	before=$(sfc "$HOST" export)
	out=$(sfc "$HOST" "$@" 2>&1)
	local rc=$?
	after=$(sfc "$HOST" export)
	[ $rc != 0 ] && [[ $out == *"$msg"* ]] && [ "$before" = "$after" ]
	log_test $? "$what refused, configuration unchanged${out:+ ($out)}"
}

test_rules() {
	expect_refused "deleting a chain in the graph" \
		"port chain pc4 is used by service graph sg" port-chain del pc4
	expect_refused "changing the groups of a chain in the graph" \
		"its port pair groups cannot change" port-chain set pc2 port-pair-group gc
	expect_refused "a cycle" "has a cycle" \
		service-graph set sg branching-point pc1:pc2,pc3 branching-point pc2:pc4 \
		branching-point pc3:pc4 branching-point pc4:pc1
	expect_refused "two destinations classifying alike" "classify the same traffic" \
		flow-classifier set fc3 destination-port 2002
	expect_refused "a symmetric chain in the graph" "forward only" \
		port-chain set pc3 symmetric on
	sfc "$HOST" service-graph del sg && sfc "$HOST" port-chain del pc4
	log_test $? "without the graph, its chains can go"
}

setup_topology || { log_test 1 "topology"; exit 1; }
configure
log_test $? "configuration with service graph sg"
test_paths
test_mpls_graph
test_rules
exit $RET
