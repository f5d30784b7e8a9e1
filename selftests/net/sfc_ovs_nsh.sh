#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An NSH-aware service function we did not write: Open vSwitch 3.1 with its
# userspace (netdev) datapath, started by hand in namespace SF, is two SFs
# X and Y (bridges brx and bry). Their OpenFlow rules match the NSH packet
# our data plane hands them (dl_type 0x894f, in_port, nsh_spi, nsh_si: OVS
# checks the SPI and SI it expects), set nsh_si to SI - 1, leave the TTL
# alone (RFC 8300: the SFF, our forwarder, decrements it) and send the
# packet back through the other port; anything else hits a counted drop.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2            (namespace HOST)
#        xi xo  yi yo          bi bo
#   [SF: brx(x_in,x_out) bry(y_in,y_out)]  [B: unaware, tc mirred]
#
#   c-md1 (chain 11, MD type 1, next protocol IPv4, symmetric; ICMP and
#          UDP 9001): X -> Y                   (aware -> aware -> end)
#   c-mix (chain 12, MD type 2, next protocol Ethernet, symmetric;
#          UDP 9002): Y -> B -> X   (aware -> unaware -> aware: the proxy)
#   c-kept (13, UDP 9003): X, whose rule does not decrement the SI
#   c-bad  (14, UDP 9004): X, whose rule sets SI - 2
#   c-ttl  (15, nsh-ttl 2, UDP 9005): X, whose rule also does dec_nsh_ttl
#
# Checks: ping and UDP (a socket echo) cross c-md1 and c-mix both ways;
# tshark decodes, on OVS's own ports, what entered each SF and what it sent
# back (SPI, SI decremented by OVS, TTL, MD type, next protocol, MD1
# context / MD2 TLV); B sees plain packets; OVS's flow counters show each
# rule handled exactly the packets of its path and nothing missed; no drop
# in our data plane. Then the behaviour docs/design.md documents when the
# SF misbehaves: an SI kept is forwarded and counted (si_kept), a wrong SI
# is dropped as bad-si, a TTL that reaches 1 as nsh-ttl-expired.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq ping tcpdump tshark ethtool ovs-vswitchd ovsdb-server
require_sfcctl
# a netdev bridge's own port is a tap device
[ -c /dev/net/tun ] || skip "no /dev/net/tun: OVS netdev bridges need it"

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

N=5			# datagrams per UDP test
REV=$((0x800000))	# the reverse path's SPI bit (24-bit NSH SPI)

setup_topology() {
	local b
	bridged_pair || return 1
	setup_ns SF || return 1
	for b in x y; do
		veth_pair "$SF" ${b}_in "$HOST" ${b}i &&
			veth_pair "$SF" ${b}_out "$HOST" ${b}o || return 1
	done
	vnf_two_port B bi bo || return 1
	# OVS's AF_PACKET ports hand it checksum-partial packets that it sends
	# on unfinished (as bench/e2e.sh found, and ENVIRONMENT.md for other
	# af-packet VNFs): the workloads compute their checksums.
	ip netns exec "$APP1" ethtool -K eth0 tx off >/dev/null &&
		ip netns exec "$APP2" ethtool -K eth0 tx off >/dev/null || return 1
	sfc_bpffs
}

# start_ovs: the daemons in SF and the two SFs' bridges, userspace datapath,
# OpenFlow rules only (fail-mode secure: no NORMAL switching).
start_ovs() {
	local b
	ovs_start "$SF" || return 1
	for b in x y; do
		ovs "$SF" ovs-vsctl add-br br$b -- set bridge br$b datapath_type=netdev \
			protocols=OpenFlow13 fail-mode=secure \
			-- add-port br$b ${b}_in -- add-port br$b ${b}_out || return 1
	done
}

# rule COOKIE IN_PORT SPI SI ACTIONS...: an OVS rule for one NSH path and
# service index; the cookie names it for the counters.
rule() {
	local cookie=$1 in=$2 spi=$3 si=$4; shift 4
	printf 'cookie=%s,priority=100,in_port=%s,dl_type=0x894f,nsh_spi=%s,nsh_si=%s' \
		"$cookie" "$in" "$spi" "$si"
	echo " actions=$(IFS=,; echo "$*")"
}

# SI 255 at the first hop a direction walks, one less per hop (unaware
# hops included); OVS must hand back SI - 1.
configure_ovs() {
	{
		rule 0x11 x_in 11 255 set_field:254-\>nsh_si output:x_out
		rule 0x12 x_out $((REV | 11)) 254 set_field:253-\>nsh_si output:x_in
		rule 0x13 x_in 12 253 set_field:252-\>nsh_si output:x_out
		rule 0x14 x_out $((REV | 12)) 255 set_field:254-\>nsh_si output:x_in
		rule 0x15 x_in 13 255 output:x_out
		rule 0x16 x_in 14 255 set_field:253-\>nsh_si output:x_out
		rule 0x17 x_in 15 255 set_field:254-\>nsh_si dec_nsh_ttl output:x_out
		echo "cookie=0xff,priority=0 actions=drop"
	} >"$TMP/brx.flows"
	{
		rule 0x21 y_in 11 254 set_field:253-\>nsh_si output:y_out
		rule 0x22 y_out $((REV | 11)) 255 set_field:254-\>nsh_si output:y_in
		rule 0x23 y_in 12 255 set_field:254-\>nsh_si output:y_out
		rule 0x24 y_out $((REV | 12)) 253 set_field:252-\>nsh_si output:y_in
		echo "cookie=0xff,priority=0 actions=drop"
	} >"$TMP/bry.flows"
	ovs "$SF" ovs-ofctl replace-flows brx "$TMP/brx.flows" &&
		ovs "$SF" ovs-ofctl replace-flows bry "$TMP/bry.flows"
}

configure_sfc() {
	local v corr
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for v in x:nsh y:nsh b:none; do
		corr=${v#*:}; v=${v%%:*}
		sfc_vnf_hop $v $corr || return 1
	done
	sfc "$HOST" flow-classifier add fc-icmp ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2 || return 1
	for v in 1 2 3 4 5; do
		sfc "$HOST" flow-classifier add fc-900$v ethertype IPv4 protocol udp \
			logical-source-port app1 destination-port 900$v || return 1
	done
	sfc "$HOST" port-chain add c-md1 chain-id 11 correlation nsh nsh-md-type 1 \
		nsh-next-protocol ip symmetric on port-pair-group gx port-pair-group gy \
		flow-classifier fc-icmp flow-classifier fc-9001 &&
	sfc "$HOST" port-chain add c-mix chain-id 12 correlation nsh nsh-md-type 2 \
		nsh-next-protocol ethernet symmetric on port-pair-group gy \
		port-pair-group gb port-pair-group gx flow-classifier fc-9002 &&
	sfc "$HOST" port-chain add c-kept chain-id 13 correlation nsh \
		port-pair-group gx flow-classifier fc-9003 &&
	sfc "$HOST" port-chain add c-bad chain-id 14 correlation nsh \
		port-pair-group gx flow-classifier fc-9004 &&
	sfc "$HOST" port-chain add c-ttl chain-id 15 correlation nsh nsh-ttl 2 \
		port-pair-group gx flow-classifier fc-9005
}

# udp_echo_server NS PORT...: echoes every datagram to its sender.
udp_echo_server() {
	local ns=$1; shift
	ip netns exec "$ns" $PYTHON - "$TMP/echo.ready" "$@" <<-'PY' &
		import select, socket, sys
		socks = []
		for port in sys.argv[2:]:
		    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		    s.bind(("0.0.0.0", int(port)))
		    socks.append(s)
		with open(sys.argv[1], "w") as f:
		    f.write("ready\n")
		while True:
		    for s in select.select(socks, [], [])[0]:
		        data, peer = s.recvfrom(4096)
		        s.sendto(data, peer)
	PY
	defer "kill $!"
	wait_for_line "$TMP/echo.ready" ready 10
}

# udp_echo NS DST PORT COUNT: sends COUNT datagrams from one socket and
# prints how many echoes came back (waiting up to 2 s for them).
udp_echo() {
	ip netns exec "$1" $PYTHON - "$2" "$3" "$4" <<-'PY'
		import socket, sys, time
		dst, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		for i in range(n):
		    s.sendto(b"sfc-ovs-nsh %d" % i, (dst, port))
		    time.sleep(0.02)
		got, deadline = 0, time.time() + 2
		while got < n and time.time() < deadline:
		    s.settimeout(max(deadline - time.time(), 0.01))
		    try:
		        s.recv(4096)
		        got += 1
		    except socket.timeout:
		        break
		print(got)
	PY
}

# ovs_packets BRIDGE COOKIE: n_packets of that rule, as OVS counts it (after
# a revalidator pass has pushed the datapath flows' statistics).
ovs_packets() {
	ovs "$SF" ovs-ofctl dump-flows "$1" "cookie=$2/-1" |
		sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p'
}

drops() {
	sfc "$HOST" -j status | jq '[.drops[]] | add'
}

si_kept() {
	sfc "$HOST" -j status | jq '[.ports[].si_kept_packets] | add'
}

# All the traffic, captured in SF (every port, both ways: what enters OVS
# and what it sends back) and in B (what it receives). The well-behaved
# chains first, then the misbehaving SF paths; counters are read between.
run_traffic() {
	local got
	CAPTURE_Q=inout capture_start "$TMP/sf.pcap" "$SF" any
	capture_start "$TMP/b.pcap" "$B" any
	ip netns exec "$APP1" ping -q -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	log_test $? "c-md1: ping app1 -> app2 and back through OVS X and Y"
	got=$(udp_echo "$APP1" 10.0.0.2 9001 $N)
	check_eq "c-md1: UDP datagrams echoed back through X and Y" $N "$got"
	got=$(udp_echo "$APP1" 10.0.0.2 9002 $N)
	check_eq "c-mix: UDP echoed through Y (OVS), B (unaware), X (OVS)" $N "$got"
	check_eq "no drops in our data plane" 0 "$(drops)"
	check_eq "OVS decremented every SI (no si_kept)" 0 "$(si_kept)"

	# what docs/design.md ("Correlation") says happens when the SF misbehaves
	got=$(udp_echo "$APP1" 10.0.0.2 9003 $N)
	check_eq "c-kept: an SF that keeps the SI is still followed" $N "$got"
	check_eq "c-kept: and counted as si_kept on its return port" $N \
		"$(sfc_port_counter "$HOST" xo si_kept_packets)"
	check_eq "c-kept: no drop" 0 "$(drops)"
	got=$(udp_echo "$APP1" 10.0.0.2 9004 $N)
	check_eq "c-bad: nothing arrives" 0 "$got"
	check_eq "c-bad: each dropped as bad-si" $N "$(sfc_drop_counter "$HOST" bad-si)"
	got=$(udp_echo "$APP1" 10.0.0.2 9005 $N)
	check_eq "c-ttl: nothing arrives" 0 "$got"
	check_eq "c-ttl: each dropped as nsh-ttl-expired" $N \
		"$(sfc_drop_counter "$HOST" nsh-ttl-expired)"
	check_eq "no other drop" $((2 * N)) "$(drops)"
	capture_stop
	FIELDS=(sll.ifindex sll.pkttype icmp.type udp.srcport udp.dstport nsh.spi
		nsh.si nsh.ttl nsh.mdtype nsh.nextproto nsh.contextheader
		nsh.metadataclass nsh.metadatatype nsh.metadatalen nsh.metadata)
	tshark_table "$TMP/sf.pcap" "${FIELDS[@]}" &&
		tshark_table "$TMP/b.pcap" "${FIELDS[@]}"
}

# at NS PORT in|out: the table condition for packets PORT of NS received
# (in) or sent (out); in SF, "in" is what OVS got and "out" what it sent.
at() {
	local idx
	idx=$(ip -n "$1" -j link show dev "$2" | jq '.[0].ifindex')
	if [ "$3" = in ]; then
		echo "sll.ifindex=$idx,sll.pkttype!=4"
	else
		echo "sll.ifindex=$idx,sll.pkttype=4"
	fi
}

# sf PORT in|out WHERE FIELD...: of the first such packet on an SF port.
sf() {
	local where
	where=$(at "$SF" "$1" "$2"),$3; shift 3
	table_select "$TMP/sf.pcap.tsv" "$where" "$@"
}

# seen TSV WHERE PORT: "TO FROM PLAIN": how many UDP datagrams matching
# WHERE went to PORT, came from it, and how many of those were not NSH.
seen() {
	local t=$1 w=$2 p=$3
	echo "$(table_count "$t" "$w,udp.dstport=$p") $(table_count "$t" "$w,udp.srcport=$p")" \
		"$(($(table_count "$t" "$w,udp.dstport=$p,nsh.spi=") +
		    $(table_count "$t" "$w,udp.srcport=$p,nsh.spi=")))"
}

NSH_F="nsh.spi nsh.si nsh.ttl nsh.mdtype nsh.nextproto"
MD1_CTX="00000001,00000000,00000000,00000000"	# source port app1: id 1

check_md1() {
	local rev=$((REV | 11)) d got=
	# (tshark prints the TTL in hex; next protocol 1 = IPv4)
	check_eq "c-md1: into X: SPI 11, SI 255, TTL 63, MD type 1, next protocol IPv4" \
		"11 255 0x003f 1 1" "$(sf x_in in icmp.type=8 $NSH_F)"
	check_eq "c-md1: into X: MD1 context word 0 is the source port's id (app1: 1)" \
		"$MD1_CTX" "$(sf x_in in icmp.type=8 nsh.contextheader)"
	check_eq "c-md1: out of X: OVS decremented the SI to 254, kept TTL and context" \
		"11 254 0x003f 1 1 $MD1_CTX" "$(sf x_out out icmp.type=8 $NSH_F nsh.contextheader)"
	check_eq "c-md1: into Y: SI 254, TTL 62 (our forwarder's hop)" "11 254 0x003e" \
		"$(sf y_in in icmp.type=8 nsh.spi nsh.si nsh.ttl)"
	check_eq "c-md1: out of Y: SI 253" "11 253 0x003e" \
		"$(sf y_out out icmp.type=8 nsh.spi nsh.si nsh.ttl)"
	check_eq "c-md1: the reply enters Y first: reverse SPI, SI 255, TTL 63" \
		"$rev 255 0x003f" "$(sf y_out in icmp.type=0 nsh.spi nsh.si nsh.ttl)"
	check_eq "c-md1: and leaves Y at SI 254" "$rev 254" \
		"$(sf y_in out icmp.type=0 nsh.spi nsh.si)"
	check_eq "c-md1: then enters X at SI 254, TTL 62" "$rev 254 0x003e" \
		"$(sf x_out in icmp.type=0 nsh.spi nsh.si nsh.ttl)"
	check_eq "c-md1: and leaves X at SI 253" "$rev 253" \
		"$(sf x_in out icmp.type=0 nsh.spi nsh.si)"
	# each datagram enters through one port and leaves through the other
	# of each SF, and each echo the reverse way
	for d in "x_in in" "x_out out" "y_in in" "y_out out" "x_out in" "x_in out" \
		"y_out in" "y_in out"; do
		got+="$(seen "$TMP/sf.pcap.tsv" "$(at "$SF" $d)" 9001), "
	done
	check_eq "c-md1: each UDP datagram entered and left X and Y once, in NSH" \
		"$N 0 0, $N 0 0, $N 0 0, $N 0 0, 0 $N 0, 0 $N 0, 0 $N 0, 0 $N 0, " "$got"
}

check_mix() {
	local rev=$((REV | 12)) f=udp.dstport=9002 r=udp.srcport=9002
	# next protocol 3 = Ethernet; MD2 class 65526 = 0xfff6
	check_eq "c-mix: into Y: SPI 12, SI 255, TTL 63, MD type 2, next protocol Ethernet" \
		"12 255 0x003f 2 3" "$(sf y_in in $f $NSH_F)"
	check_eq "c-mix: into Y: MD2 TLV class 0xfff6, type 1, the source port's id" \
		"65526 1 0x04 00000001" \
		"$(sf y_in in $f nsh.metadataclass nsh.metadatatype nsh.metadatalen nsh.metadata)"
	check_eq "c-mix: out of Y: SI 254, TLV kept by OVS" "12 254 0x003f 2 3 65526 00000001" \
		"$(sf y_out out $f $NSH_F nsh.metadataclass nsh.metadata)"
	check_eq "c-mix: aware -> unaware: B gets the datagrams and echoes plain" \
		"$N 0 $N, 0 $N $N" \
		"$(seen "$TMP/b.pcap.tsv" "$(at "$B" in in)" 9002), $(seen "$TMP/b.pcap.tsv" "$(at "$B" out in)" 9002)"
	# the proxy pushes a new header after the unaware hop: the chain's TTL
	check_eq "c-mix: unaware -> aware: X gets SI 253 (hop 2), a new header, TTL 63" \
		"12 253 0x003f 2 3" "$(sf x_in in $f $NSH_F)"
	check_eq "c-mix: out of X: SI 252" "12 252" "$(sf x_out out $f nsh.spi nsh.si)"
	check_eq "c-mix: the echo enters X first: reverse SPI, SI 255, and leaves at 254" \
		"$rev 255, $rev 254" \
		"$(sf x_out in $r nsh.spi nsh.si), $(sf x_in out $r nsh.spi nsh.si)"
	check_eq "c-mix: and Y last at SI 253, handing back 252" "$rev 253, $rev 252" \
		"$(sf y_out in $r nsh.spi nsh.si), $(sf y_in out $r nsh.spi nsh.si)"
}

check_misbehaving_sf() {
	check_eq "c-kept: OVS handed back SI 255 unchanged" "13 255, 13 255" \
		"$(sf x_in in udp.dstport=9003 nsh.spi nsh.si), $(sf x_out out udp.dstport=9003 nsh.spi nsh.si)"
	check_eq "c-bad: OVS handed back SI 253 for 255" "14 253" \
		"$(sf x_out out udp.dstport=9004 nsh.spi nsh.si)"
	check_eq "c-ttl: OVS's dec_nsh_ttl turned our TTL 2 into 1, SI 254" \
		"15 0x0002 15 254 0x0001" \
		"$(sf x_in in udp.dstport=9005 nsh.spi nsh.ttl) $(sf x_out out udp.dstport=9005 nsh.spi nsh.si nsh.ttl)"
}

# OVS's own view: each rule handled exactly its path's packets (the
# datagrams, the echoes of symmetric chains, the 3 pings and replies of
# c-md1), and nothing missed the rules.
check_ovs_counters() {
	local c br cookie n want=(
		brx:0x11:$((3 + N)) brx:0x12:$((3 + N)) bry:0x21:$((3 + N)) bry:0x22:$((3 + N))
		brx:0x13:$N brx:0x14:$N bry:0x23:$N bry:0x24:$N
		brx:0x15:$N brx:0x16:$N brx:0x17:$N brx:0xff:0 bry:0xff:0)
	ovs "$SF" ovs-appctl revalidator/purge >/dev/null
	for c in "${want[@]}"; do
		IFS=: read -r br cookie n <<<"$c"
		check_eq "OVS $br rule $cookie: $n packets" "$n" "$(ovs_packets "$br" "$cookie")"
	done
}

setup_topology || skip "could not build the topology"
start_ovs && configure_ovs
log_test $? "OVS: two netdev bridges with NSH rules"
[ $RET = 0 ] || exit $RET
configure_sfc
log_test $? "sfc: NSH chains through the OVS SFs"
udp_echo_server "$APP2" 9001 9002 9003 9004 9005
log_test $? "UDP echo server on app2"
run_traffic
log_test $? "tshark decoded the captures"
check_md1
check_mix
check_misbehaving_sf
check_ovs_counters
exit $RET
