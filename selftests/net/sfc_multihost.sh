#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Chains across hosts over Geneve: the seed's Case 2 on two "hosts"
# (namespaces) joined by an underlay bridge standing for the physical
# network. Needs the geneve module: runs in the guest tier.
#
#        host1 ns                                 host2 ns
#  app1 -a1-+                                            +-a2- app2
#  vnf1 -v1i,v1o-+ br0 -up1--+            +--up2- br0 ---+
#                            |  ul ns     |
#  ul1 192.0.2.1 ------t1----+- br-ul ----+---t2----- ul2 192.0.2.2
#  gnv0 (sfcctl tunnel)                             gnv0 (sfcctl tunnel)
#
# Chain c1 (chain-id 10, symmetric): ICMP from app2 (10.0.0.2) to app1
# (10.0.0.1) through vnf1, which lives on host1 (Case 2). Chain c3
# (chain-id 30, symmetric): TCP app2 -> app1 through vnf1, vnf2 and vnf3,
# all on host1 (Case 3). app2's packets are
# classified on host2, cross the tunnel to host1 with the SFC context
# option (hop), go through vnf1, cross back (re-inject) and are re-injected
# at app2's port on host2, whose bridge forwards them to app1 over the
# uplinks. app1's replies are the reverse of the flow host1 resumed: they
# go through vnf1 backwards and are re-injected at app1's port.
#
# Checks: ping through vnf1 and iperf3 TCP through the three VNFs, app2 ->
# app1 and the replies, counted per hop on both hosts; no workload MAC is
# ever learned on a wrong port of br0 (either host) or br-ul; tshark
# decodes the Geneve option (class, type, length, data) of both
# crossings as intended; a flower geneve_opts filter on a monitor that
# receives a mirror of the underlay counts them without our code;
# crafted packets with a critical unknown option of our class, without
# our option and naming an unknown port are dropped and counted; a
# crafted packet with a foreign option (class 0x0102) next to ours leaves
# host1 again (the re-inject) still carrying it. sfc_multihost_kmod.sh
# then loads the sfc_geneve module and runs the walk with its kfuncs, and
# unloads it (both hosts reloaded in fallback mode first) and loads it
# again while ping and iperf3 run, with dmesg checked.
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
SPI=10
KEY_APP1=1
KEY_APP2=2
KEY_V1I=11
KEY_V1O=12

setup_topology() {
	geneve_hosts 2 || return 1
	host_workload 1 APP1 a1 10.0.0.1/24 && host_workload 2 APP2 a2 10.0.0.2/24 &&
		HOST=$H1 vnf_two_port VNF1 v1i v1o &&
		HOST=$H1 vnf_two_port VNF2 v2i v2o &&
		HOST=$H1 vnf_two_port VNF3 v3i v3o
}

configure() {
	local rc=0
	sfc1 tunnel add t0 dev gnv0 vni $VNI || rc=1
	sfc1 port add app1 dev a1 key $KEY_APP1 || rc=1
	sfc1 port add app2 remote 192.0.2.2 key $KEY_APP2 || rc=1
	sfc1 port add v1i dev v1i key $KEY_V1I || rc=1
	sfc1 port add v1o dev v1o key $KEY_V1O || rc=1
	local_groups sfc1 "dev v2i key 21" "dev v2o key 22" "dev v3i key 31" "dev v3o key 32" || rc=1
	sfc1 port-pair add pp1 ingress v1i egress v1o || rc=1
	sfc1 port-pair-group add g1 port-pair pp1 || rc=1
	sfc1 flow-classifier add fc1 ethertype IPv4 protocol icmp \
		source-ip 10.0.0.2/32 destination-ip 10.0.0.1/32 || rc=1
	sfc1 flow-classifier add fc3 ethertype IPv4 protocol tcp \
		source-ip 10.0.0.2/32 destination-ip 10.0.0.1/32 || rc=1
	sfc1 port-chain add c1 port-pair-group g1 flow-classifier fc1 \
		chain-id $SPI symmetric on || rc=1
	sfc1 port-chain add c3 port-pair-group g1 port-pair-group g2 \
		port-pair-group g3 flow-classifier fc3 chain-id 30 symmetric on || rc=1
	log_test $rc "host1: tunnel, local and remote ports, chains c1 and c3"
	rc=0
	sfc2 tunnel add t0 dev gnv0 vni $VNI || rc=1
	sfc2 port add app2 dev a2 key $KEY_APP2 || rc=1
	sfc2 port add app1 remote 192.0.2.1 key $KEY_APP1 || rc=1
	sfc2 port add v1i remote 192.0.2.1 key $KEY_V1I || rc=1
	sfc2 port add v1o remote 192.0.2.1 key $KEY_V1O || rc=1
	local_groups sfc2 "remote 192.0.2.1 key 21" "remote 192.0.2.1 key 22" \
		"remote 192.0.2.1 key 31" "remote 192.0.2.1 key 32" || rc=1
	sfc2 port-pair add pp1 ingress v1i egress v1o || rc=1
	sfc2 port-pair-group add g1 port-pair pp1 || rc=1
	sfc2 flow-classifier add fc1 ethertype IPv4 protocol icmp source-ip 10.0.0.2/32 \
		destination-ip 10.0.0.1/32 logical-source-port app2 || rc=1
	sfc2 flow-classifier add fc3 ethertype IPv4 protocol tcp source-ip 10.0.0.2/32 \
		destination-ip 10.0.0.1/32 logical-source-port app2 || rc=1
	sfc2 port-chain add c1 port-pair-group g1 flow-classifier fc1 \
		chain-id $SPI symmetric on || rc=1
	sfc2 port-chain add c3 port-pair-group g1 port-pair-group g2 \
		port-pair-group g3 flow-classifier fc3 chain-id 30 symmetric on || rc=1
	log_test $rc "host2: the same chains, the VNFs and app1 remote"
	check_eq "host1: gnv0 is a Geneve device in external mode" true \
		"$(ip -n "$H1" -d -j link show gnv0 | jq '.[0].linkinfo.info_kind == "geneve" and (.[0].linkinfo.info_data.external // false)')"
	join_bridge "$H1" br0 v1i v1o v2i v2o v3i v3o
}

# local_groups sfcN PORTARGS(v2i) PORTARGS(v2o) PORTARGS(v3i) PORTARGS(v3o):
# vnf2 and vnf3's ports as given (local or remote), their pairs and groups.
local_groups() {
	local sfcn=$1
	$sfcn port add v2i $2 && $sfcn port add v2o $3 &&
		$sfcn port add v3i $4 && $sfcn port add v3o $5 &&
		$sfcn port-pair add pp2 ingress v2i egress v2o &&
		$sfcn port-pair add pp3 ingress v3i egress v3o &&
		$sfcn port-pair-group add g2 port-pair pp2 &&
		$sfcn port-pair-group add g3 port-pair pp3
}

test_config_errors() {
	local out
	out=$(sfc1 port add bad remote 192.0.2.9 2>&1)
	check_eq "remote port without key: one-line error, exit 1" \
		"1:sfcctl: port bad: a remote port needs a key (the port key its own host gives it)" \
		"$?:$out"
	ip -n "$H1" link add notgnv type veth peer name notgnv2
	out=$(sfc1 tunnel set t0 dev notgnv 2>&1)
	check_eq "tunnel on a device that is not Geneve: refused" \
		"1:sfcctl: tunnel device notgnv exists and is not a Geneve device (veth)" "$?:$out"
	check_eq "configuration unchanged after the errors" gnv0 \
		"$(sfc1 -j export | jq -r '.tunnels[0].device')"
	check_eq "stats: a remote port names its host" 192.0.2.2 \
		"$(sfc1 -j stats | jq -r '.ports[] | select(.name == "app2") | .remote')"
}

test_ping() {
	local f1 r1 f2 v1 v2
	ip netns exec "$APP2" ping -q -c 10 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping app2 -> app1 through vnf1 on the other host"
	f2=$(hop_packets sfc2 forward)
	f1=$(hop_packets sfc1 forward)
	r1=$(hop_packets sfc1 reverse)
	check_ge "host2 sent the requests into the tunnel (hop 0 forward)" 10 "$f2"
	check_ge "host1 resumed them into vnf1 (hop 0 forward)" 10 "$f1"
	check_ge "host1 sent the replies into vnf1 backwards (hop 0 reverse)" 10 "$r1"
	v1=$(dev_rx_packets "$VNF1" in)
	v2=$(dev_rx_packets "$VNF1" out)
	check_ge "vnf1 saw the requests on its ingress port" 10 "$v1"
	check_ge "vnf1 saw the replies on its egress port" 10 "$v2"
}

test_tcp() {
	local bytes
	iperf_tcp_between "$APP2" "$APP1" 10.0.0.1 3 "$TMP/iperf.json"
	bytes=$(iperf_bytes "$TMP/iperf.json")
	check_ge "iperf3 TCP app2 -> app1 across hosts through vnf1..vnf3 (bytes)" 100000 "${bytes:-0}"
	check_ge "host2 sent c3's segments into the tunnel (hop 0)" 100 "$(hop_packets sfc2 forward c3 0)"
	check_ge "host1 walked them through hop 2 (vnf3)" 100 "$(hop_packets sfc1 forward c3 2)"
	check_ge "host1 walked the ACKs backwards through hop 0 (vnf1)" 100 "$(hop_packets sfc1 reverse c3 0)"
	check_ge "vnf2 forwarded the segments" 100 "$(dev_rx_packets "$VNF2" in)"
}

# No workload MAC on a wrong port anywhere: each host's bridge learns its
# own workload on its port and the other on the uplink; the underlay
# learns each on its host's uplink; never on a VNF port or the underlay
# interfaces the tunnel uses.
test_mac_learning() {
	check_eq "host1 br0: app1 on a1" a1 "$(fdb_port_of "$H1" "$APP1_MAC")"
	check_eq "host1 br0: app2 on the uplink" up1 "$(fdb_port_of "$H1" "$APP2_MAC")"
	check_eq "host2 br0: app2 on a2" a2 "$(fdb_port_of "$H2" "$APP2_MAC")"
	check_eq "host2 br0: app1 on the uplink" up2 "$(fdb_port_of "$H2" "$APP1_MAC")"
	check_eq "underlay: app1 on host1's uplink" u1 "$(fdb_port_of "$UL" "$APP1_MAC")"
	check_eq "underlay: app2 on host2's uplink" u2 "$(fdb_port_of "$UL" "$APP2_MAC")"
}

# monitor VAR HOST_NS N UL_PORT OPTION_HEX: a monitor namespace that gets
# a copy of everything sent to host N's underlay address (what enters the
# underlay bridge at UL_PORT, the other host's) and decapsulates it with a
# Geneve device of its own, where a flower geneve_opts filter counts the
# given option list: a count made without our code. It has host N's
# address and MAC (it is not on the bridge, so nothing conflicts).
monitor() {
	local var=$1 hns=$2 n=$3 port=$4 ns
	setup_ns "$var" || return 1
	ns=${!var}
	veth_pair "$UL" "m$n" "$ns" mon || return 1
	ip -n "$ns" link set mon address "$(mac_of "$hns" "ul$n")" mtu 9000 &&
		ip -n "$UL" link set "m$n" mtu 9000 &&
		ip -n "$ns" addr add "192.0.2.$n/24" dev mon &&
		ip -n "$ns" link add gnvm type geneve external &&
		ip -n "$ns" link set gnvm up || return 1
	tc -n "$UL" qdisc add dev "$port" clsact 2>/dev/null
	tc -n "$UL" filter add dev "$port" ingress u32 match u32 0 0 \
		action mirred egress mirror dev "m$n" || return 1
	tc -n "$ns" qdisc add dev gnvm clsact &&
		tc -n "$ns" filter add dev gnvm ingress prio 1 protocol all flower \
			enc_dst_ip "192.0.2.$n" geneve_opts "$5" action drop
}

setup_monitors() {
	# what host2 sends host1: the hop (SPI 10 SI 255, forward, hop flag,
	# app2 -> v1i); what host1 sends host2: the re-inject (SPI 10, SI 0,
	# chain-done|re-inject, app2 -> app2)
	monitor MON1 "$H1" 1 t2 "${CLASS#0x}:${TYPE#0x}:00000aff0004000000000002000000${KEY_V1I_HEX}" &&
		monitor MON2 "$H2" 2 t1 "${CLASS#0x}:${TYPE#0x}:00000a00000300000000000200000002"
}

flower_hits() {	# flower_hits NS
	tc -n "$1" -s -j filter show dev gnvm ingress |
		jq '[.[] | select(.options.actions) | .options.actions[0].stats.packets] | first // 0'
}

test_wire_format() {
	local n rows hop done
	capture_start "$TMP/h2.pcap" "$UL" t2 udp port 6081
	capture_start "$TMP/h1.pcap" "$UL" t1 udp port 6081
	ip netns exec "$APP2" ping -q -c 5 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping app2 -> app1 while capturing the underlay"
	capture_stop
	for n in 1 2; do
		tshark_table "$TMP/h$n.pcap" geneve.vni geneve.option.class \
			geneve.option.type geneve.option.type.critical \
			geneve.option.length geneve.option.unknown.data icmp.type
	done
	# tshark's forms: VNI and class/type in hex, critical 0; the option
	# length (in bytes, printed for the option and its data) is checked
	# below for every packet.
	hop=$(table_count "$TMP/h2.pcap.tsv" "geneve.vni=$(printf 0x%06x $VNI),geneve.option.class=$CLASS,geneve.option.type=$TYPE,geneve.option.type.critical=0,geneve.option.unknown.data=00000aff00040000000000020000000b,icmp.type=8")
	check_ge "tshark: host2 -> host1 echo requests: VNI $VNI, class $CLASS type $TYPE, not critical, SPI 10 SI 255 fwd hop, app2 -> v1i" 5 "$hop"
	done=$(table_count "$TMP/h1.pcap.tsv" "geneve.vni=$(printf 0x%06x $VNI),geneve.option.class=$CLASS,geneve.option.type=$TYPE,geneve.option.unknown.data=00000a00000300000000000200000002,icmp.type=8")
	check_ge "tshark: host1 -> host2 after vnf1: SPI 10 chain-done|re-inject, back to app2" 5 "$done"
	rows=$(awk -F'\t' 'FNR > 1 { print $2 "/" $5 }' "$TMP/h1.pcap.tsv" "$TMP/h2.pcap.tsv" | sort -u | tr '\n' ' ')
	check_eq "tshark: every Geneve packet either way has exactly our one 20-byte option" "$CLASS/20,20 " "$rows"
	check_ge "flower geneve_opts counted the hop option (monitor of host1's address)" 5 "$(flower_hits "$MON1")"
	check_ge "flower geneve_opts counted the re-inject option (monitor of host2's address)" 5 "$(flower_hits "$MON2")"
}

# send_geneve OPTIONS_HEX DST_KEY_NOTE: one Geneve packet from host2 to
# host1 carrying an inner ICMP app2 -> app1 and the given option list.
send_geneve() {
	ip netns exec "$H2" "$PYTHON" - "$1" "$(mac_of "$H1" ul1)" <<'EOF'
import sys
from scapy.all import Ether, IP, UDP, ICMP, Raw, sendp
opts = bytes.fromhex(sys.argv[1])
geneve = bytes([len(opts) // 4, 0, 0x65, 0x58]) + (100 << 8).to_bytes(4, "big") + opts
inner = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / \
	IP(src="10.0.0.2", dst="10.0.0.1") / ICMP()
pkt = Ether(dst=sys.argv[2]) / IP(src="192.0.2.2", dst="192.0.2.1") / \
	UDP(sport=40000, dport=6081) / Raw(geneve + bytes(inner))
sendp(pkt, iface="ul2", verbose=False)
EOF
}

test_bad_options() {
	local before after ctx hdr
	# SPI 10 SI 255, forward, hop, app2 -> v1i: good context
	ctx=00000aff00040000000000020000000b
	hdr="${CLASS#0x}${TYPE#0x}04"
	before=$(sfc_drop_counter_of sfc1 geneve-critical-opt)
	send_geneve "${hdr}${ctx}fff0850100000000"
	after=$(sfc_drop_counter_of sfc1 geneve-critical-opt)
	check_eq "critical unknown option of our class: dropped, counted" 1 $((after - before))
	before=$(sfc_drop_counter_of sfc1 geneve-no-ctx)
	send_geneve "0102010100000000"
	after=$(sfc_drop_counter_of sfc1 geneve-no-ctx)
	check_eq "only a foreign option, no SFC context: dropped, counted" 1 $((after - before))
	before=$(sfc_drop_counter_of sfc1 unknown-port-key)
	send_geneve "${hdr}00000aff000400000000000200000063"
	after=$(sfc_drop_counter_of sfc1 unknown-port-key)
	check_eq "context naming an unknown port key: dropped, counted" 1 $((after - before))
	before=$(sfc_drop_counter_of sfc1 geneve-bad-opt)
	send_geneve "${hdr}00000aff"
	after=$(sfc_drop_counter_of sfc1 geneve-bad-opt)
	check_eq "our option with a length past the list: dropped as bad" 1 $((after - before))
	before=$(sfc_drop_counter_of sfc1 geneve-bad-opt)
	send_geneve "${hdr}00000a0000030000000000020000000b"
	after=$(sfc_drop_counter_of sfc1 geneve-bad-opt)
	check_eq "re-inject naming a VNF port (not a workload's): dropped as bad" 1 $((after - before))
}

# A Geneve option of another class (0x0102) in front of ours on a packet
# host1 resumes at vnf1: host1 keeps the list for the flow, and the next
# crossing (the re-inject back to host2 after vnf1) carries the foreign
# option as it came, in its place, with our option replaced in place by
# the re-inject context. The same flow again without the foreign option
# leaves with ours alone (the kept list is forgotten). tshark judges.
FOREIGN_OPT=0102010100c0ffee	# class 0x0102, type 0x01, 4 bytes: 00c0ffee
test_foreign_carried() {	# test_foreign_carried MODE
	local m=$1 ctx hdr row
	ctx=00000aff00040000000000020000000b	# SPI 10 SI 255 fwd hop app2 -> v1i
	hdr="${CLASS#0x}${TYPE#0x}04"
	capture_start "$TMP/fo-$m.pcap" "$UL" t1 udp port 6081
	send_geneve "${FOREIGN_OPT}${hdr}${ctx}"
	sleep 0.5
	send_geneve "${hdr}${ctx}"
	capture_stop
	tshark_table "$TMP/fo-$m.pcap" frame.number geneve.option.class \
		geneve.option.type geneve.option.unknown.data icmp.type
	row=$(awk -F'\t' 'FNR > 1 && $5 == 8 { print $2 " " $3 " " $4 }' "$TMP/fo-$m.pcap.tsv" | tr '\n' ';')
	check_eq "$m: tshark: the re-inject after vnf1 carries the foreign option (0x0102, data as sent) before ours; then ours alone" \
		"0x0102,$CLASS 0x01,$TYPE 00c0ffee,00000a00000300000000000200000002;$CLASS $TYPE 00000a00000300000000000200000002;" \
		"$row"
}

sfc_drop_counter_of() {	# sfc_drop_counter_of sfcN REASON
	"$1" -j status | jq -r --arg r "$2" '.drops[$r] // 0'
}

# The same walk with the sfc_geneve module's kfuncs writing and reading the
# option: the module loaded, each host's data plane rebuilt (the loader
# picks the mode), sfcctl having set the module's class and type (per
# netns) to the tunnel's; the module's own counters and the wire judge.
# The module stays loaded: our programs hold it until the namespaces go.
test_kfunc_mode() {
	local ko=$SFC_BUILD/kmod/sfc_geneve.ko set2 get1 hop n
	grep -q "^sfc_geneve " /proc/modules || insmod "$ko"
	log_test $? "insmod sfc_geneve.ko"
	sfc1 restore >/dev/null && sfc2 restore >/dev/null
	log_test $? "both hosts rebuild their data plane with the module"
	check_eq "host1: kfunc mode, module class/type set to the tunnel's" \
		"kfunc $((CLASS)) $((TYPE))" \
		"$(sfc1 -j module show | jq -r '"\(.mode) \(.opt_class) \(.opt_type)"')"
	capture_start "$TMP/k2.pcap" "$UL" t2 udp port 6081
	capture_start "$TMP/k1.pcap" "$UL" t1 udp port 6081
	ip netns exec "$APP2" ping -q -c 5 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping app2 -> app1 through vnf1, options by kfunc"
	capture_stop
	set2=$(sfc2 -j module show | jq .stats.set)
	get1=$(sfc1 -j module show | jq .stats.get)
	check_ge "host2's module wrote the hop options" 5 "$set2"
	check_ge "host1's module read them" 5 "$get1"
	for n in 1 2; do
		tshark_table "$TMP/k$n.pcap" geneve.vni geneve.option.class \
			geneve.option.type geneve.option.unknown.data icmp.type
		pcap_note "$TMP/k$n.pcap"
	done
	hop=$(table_count "$TMP/k2.pcap.tsv" "geneve.vni=$(printf 0x%06x $VNI),geneve.option.class=$CLASS,geneve.option.type=$TYPE,geneve.option.unknown.data=00000aff00040000000000020000000b,icmp.type=8")
	check_ge "tshark: the kfunc-written hop option is the fallback's, byte for byte" 5 "$hop"
	n=$(table_count "$TMP/k1.pcap.tsv" "geneve.option.unknown.data=00000a00000300000000000200000002,icmp.type=8")
	check_ge "tshark: the kfunc-written re-inject option too" 5 "$n"
	test_foreign_carried kfunc
}

status_mode() {	# status_mode sfcN: "LOADED MODE" as sfcctl status says
	"$1" -j status | jq -r '"\(.module.loaded) \(.module.mode)"'
}

# The module out and back in while ping and iperf3 TCP cross the hosts.
# Programs loaded in kfunc mode hold a reference on the module (each
# kfunc call site's BTF), so rmmod is refused while they exist, pinned or
# attached; unloading is: reload every host's data plane in fallback mode
# (SFC_GENEVE_MODE=fallback sfcctl restore: new programs replace the
# attached ones, the old are freed after an RCU grace period), then rmmod.
# Back: insmod, then sfcctl restore picks kfunc mode again.
test_module_unload() {
	local ko=$SFC_BUILD/kmod/sfc_geneve.ko bytes tx rx ppid ipid
	dmesg_mark
	ip netns exec "$APP1" iperf3 -s -1 -D -B 10.0.0.1 >/dev/null 2>&1
	sleep 0.5
	# iperf3 for long enough (TCG, a loaded machine); ping until stopped.
	ip netns exec "$APP2" iperf3 -c 10.0.0.1 -t 40 -J >"$TMP/iperf-rm.json" 2>&1 &
	ipid=$!
	ip netns exec "$APP2" ping -i 0.1 -W 2 10.0.0.1 >"$TMP/ping-rm.txt" 2>&1 &
	ppid=$!
	sleep 2
	! rmmod sfc_geneve 2>/dev/null
	log_test $? "rmmod refused while kfunc-mode programs exist (they hold the module)"
	SFC_GENEVE_MODE=fallback sfc1 restore && SFC_GENEVE_MODE=fallback sfc2 restore
	log_test $? "both hosts reload their data plane in fallback mode under traffic"
	check_eq "host1 status: module loaded, data plane in fallback mode" "true fallback" "$(status_mode sfc1)"
	rmmod_wait sfc_geneve
	log_test $? "rmmod sfc_geneve once no program holds it"
	check_eq "host2 status: module not loaded, fallback mode" "false fallback" "$(status_mode sfc2)"
	sleep 3
	insmod "$ko" && sfc1 restore && sfc2 restore
	log_test $? "insmod and both hosts back to kfunc mode under traffic"
	check_eq "host1 status: module loaded, kfunc mode" "true kfunc" "$(status_mode sfc1)"
	check_eq "host2 module show: kfunc mode" kfunc "$(sfc2 -j module show | jq -r .mode)"
	sleep 2
	kill -INT "$ppid"
	wait "$ppid" "$ipid"
	bytes=$(iperf_bytes "$TMP/iperf-rm.json")
	check_ge "iperf3 TCP through vnf1..vnf3 across the switches (bytes)" 1000000 "${bytes:-0}"
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMP/ping-rm.txt")
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/ping-rm.txt")
	check_ge "ping through vnf1 across the switches: replies ($rx of ${tx:-?}, 90%)" \
		$(( ${tx:-1000} * 9 / 10 )) "${rx:-0}"
	ip netns exec "$APP2" ping -q -c 5 -i 0.1 -W 3 10.0.0.1 >/dev/null
	log_test $? "ping after the switch back"
	check_ge "host2's reloaded module wrote their options" 5 "$(sfc2 -j module show | jq .stats.set)"
	check_dmesg "module unloaded and reloaded under traffic"
}

KEY_V1I_HEX=$(printf %02x $KEY_V1I)

# The walk in fallback mode. sfc_multihost_kmod.sh sources this file for
# its functions (SFC_MULTIHOST_SOURCED=1) and runs the module's part on a
# topology of its own: together they passed the guest's per-test time
# limit on a loaded machine.
multihost_fallback() {
	setup_topology || { echo "topology setup failed"; exit 1; }
	configure
	[ $RET = 0 ] || exit $RET	# nothing below means anything then
	test_config_errors
	test_ping
	test_tcp
	test_mac_learning
	setup_monitors || log_test 1 "monitors with flower geneve_opts"
	test_wire_format
	test_bad_options
	test_foreign_carried fallback
}

[ -n "${SFC_MULTIHOST_SOURCED:-}" ] && return 0
multihost_fallback
exit $RET
