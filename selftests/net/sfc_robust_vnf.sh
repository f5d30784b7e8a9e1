#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A misbehaving VNF is contained (issue 8).
#
#   app1 ns 10.0.0.1 (p1) --- br0 --- (p4) app2 ns 10.0.0.2
#   vnf-good: two-port, tc mirred in<->out, host ports g-in / g-out
#   vnf-bad:  two-port, host ports b-in / b-out, misbehaving in turn
#   c-good: icmp app1 -> 10.0.0.2 through vnf-good, symmetric
#   c-bad:  udp dport 5000 from app1 through vnf-bad
#
# vnf-bad first works, then (1) sends traffic back out of the port it came
# in on, (2) rewrites the source address (a bridge inside the VNF and an
# nft payload statement), (3) floods both its ports with broadcast and
# random frames. Each time: what it returns is dropped and counted as
# unknown-hop, nothing of it reaches app2, and c-good keeps carrying its
# pings with no loss through its own VNF.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping tc nft
require_sfcctl
$PYTHON -c 'import scapy' 2>/dev/null || skip "python3-scapy missing"

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup_topology() {
	bridged_pair || return 1
	vnf_two_port VNFG g-in g-out && vnf_two_port VNFB b-in b-out || return 1
	sfc_bpffs
}

configure() {
	local p
	for p in p1:app1 p4:app2 g-in:gi g-out:go b-in:bi b-out:bo; do
		sfc "$HOST" port add "${p#*:}" dev "${p%%:*}" >/dev/null || return 1
	done
	sfc "$HOST" port-pair add ppg ingress gi egress go &&
	sfc "$HOST" port-pair add ppb ingress bi egress bo &&
	sfc "$HOST" port-pair-group add gg port-pair ppg &&
	sfc "$HOST" port-pair-group add gb port-pair ppb &&
	sfc "$HOST" flow-classifier add fc-icmp ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2/32 &&
	sfc "$HOST" flow-classifier add fc-udp ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 5000 &&
	sfc "$HOST" port-chain add c-good port-pair-group gg \
		flow-classifier fc-icmp symmetric on &&
	sfc "$HOST" port-chain add c-bad port-pair-group gb flow-classifier fc-udp
}

unknown_hop() {
	sfc_drop_counter "$HOST" unknown-hop
}

# udp_burst N: N datagrams from app1 to app2:5000 (into c-bad).
udp_burst() {
	ip netns exec "$APP1" bash -c "for i in \$(seq $1); do
		echo x >/dev/udp/10.0.0.2/5000; done" 2>/dev/null
	sleep 0.2
}

# UDP datagrams to port 5000 app2 received (a counter of nft in app2).
app2_udp() {
	ip netns exec "$APP2" nft -j list counter inet t c5000 |
		jq '.nftables[] | select(.counter) | .counter.packets'
}

# good_chain_ok WHAT: c-good still carries pings both ways, no loss.
good_chain_ok() {
	local before after
	before=$(sfc_port_counter "$HOST" g-out rx_packets)
	ip netns exec "$APP1" ping -c 10 -i 0.02 -W 1 -q 10.0.0.2 >/dev/null
	log_test $? "$1: c-good carries pings, no loss"
	after=$(sfc_port_counter "$HOST" g-out rx_packets)
	check_ge "$1: ... through vnf-good" 10 $((after - before))
}

# contained WHAT N: after a burst of N, unknown-hop grew by N and app2
# saw none of it.
contained() {
	local what=$1 n=$2 d0 d1 a0 a1
	d0=$(unknown_hop); a0=$(app2_udp)
	udp_burst "$n"
	d1=$(unknown_hop); a1=$(app2_udp)
	# (>=: a bridge inside the VNF adds frames of its own)
	check_ge "$what: every returned datagram dropped as unknown-hop" \
		"$n" $((d1 - d0))
	check_eq "$what: none reached app2" 0 $((a1 - a0))
}

vnf_reset() {
	ip netns exec "$VNFB" tc qdisc del dev in clsact 2>/dev/null
	ip netns exec "$VNFB" tc qdisc del dev out clsact 2>/dev/null
	ip -n "$VNFB" link del vbr 2>/dev/null
	ip netns exec "$VNFB" nft flush ruleset
}

setup_topology || skip "could not build the topology"
configure
log_test $? "two chains, one VNF each"
ip netns exec "$APP2" nft -f - <<'NFT'
table inet t {
	counter c5000 { }
	chain in { type filter hook input priority 0; udp dport 5000 counter name c5000; }
}
NFT
ip netns exec "$APP1" ping -c 1 -W 2 10.0.0.2 >/dev/null	# ARP, flows

a0=$(app2_udp)
udp_burst 20
check_eq "vnf-bad behaving: its chain delivers" 20 $(($(app2_udp) - a0))
good_chain_ok "baseline"

# (1) traffic back out of the port it came in on
vnf_reset
vnf_mirred "$VNFB" in in && vnf_mirred "$VNFB" out out
contained "wrong port" 20
good_chain_ok "wrong port"

# (2) a rewritten source address, forwarded by a bridge inside the VNF
vnf_reset
ip -n "$VNFB" link add vbr type bridge && ip -n "$VNFB" link set vbr up &&
	ip -n "$VNFB" link set in master vbr && ip -n "$VNFB" link set out master vbr &&
ip netns exec "$VNFB" nft -f - <<'NFT'
table bridge mangle {
	chain rewrite {
		type filter hook forward priority 0;
		ip protocol udp ip saddr set 10.0.0.99
	}
}
NFT
log_test $? "vnf-bad rewrites the source address (nft payload set)"
contained "rewritten headers" 20
good_chain_ok "rewritten headers"

# (3) a flood out of both ports: broadcasts, and frames looking like
# c-good's and c-bad's traffic with random addresses
vnf_reset
d0=$(unknown_hop); a0=$(app2_udp)
ip netns exec "$VNFB" $PYTHON - 2>/dev/null <<'PY' &
import random
from scapy.all import Ether, IP, UDP, ICMP, Raw, sendp
random.seed(8)
frames = []
for i in range(150):
    ip = IP(src="10.0.0.%d" % random.randrange(1, 255), dst="10.0.0.2")
    l4 = UDP(sport=random.randrange(1024, 65535), dport=5000) if i % 2 else ICMP()
    frames.append(Ether(dst="ff:ff:ff:ff:ff:ff") / ip / l4 / Raw(b"flood"))
for dev in ("in", "out"):
    sendp(frames, iface=dev, verbose=False)
PY
flood=$!
good_chain_ok "during a flood"
wait $flood
sleep 0.2
check_eq "flood: all 300 frames dropped as unknown-hop" 300 $(($(unknown_hop) - d0))
check_eq "flood: none reached app2" 0 $(($(app2_udp) - a0))

# and once it behaves again, its chain works again
vnf_reset
vnf_mirred "$VNFB" in out && vnf_mirred "$VNFB" out in
a0=$(app2_udp)
udp_burst 20
check_eq "vnf-bad behaving again: its chain delivers" 20 $(($(app2_udp) - a0))
exit $RET
