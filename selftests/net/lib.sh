#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the netns selftests, after the kernel's
# tools/testing/selftests/net/lib.sh: namespaces with unique names, cleanup
# on exit, log_test lines, require_* that skip with exit 4 and a reason.
#
# A test sources this file, builds its topology with setup_ns, registers
# extra cleanup with defer, and ends with `exit $RET`.

ksft_pass=0
ksft_fail=1
ksft_skip=4

RET=0
NS_LIST=()
DEFERRED=()

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SFC_BUILD=${SFC_BUILD:-$REPO/build}
SFCCTL=${SFCCTL:-$SFC_BUILD/sfcctl}
# Debian's scapy is only importable by Debian's python.
PYTHON=/usr/bin/python3

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

require_command() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || skip "command '$cmd' not found"
	done
}

require_sfcctl() {
	[ -x "$SFCCTL" ] || skip "$SFCCTL not built (run make)"
}

# log_test RC DESCRIPTION: one result line; a failure fails the test.
log_test() {
	local rc=$1; shift
	if [ "$rc" = 0 ]; then
		printf "    ok     %s\n" "$*"
	else
		printf "    FAIL   %s\n" "$*"
		RET=$ksft_fail
	fi
}

# check_eq WHAT EXPECTED GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		log_test 0 "$1"
	else
		log_test 1 "$1 (expected '$2', got '$3')"
	fi
}

# check_ge WHAT MIN GOT
check_ge() {
	if [ -n "$3" ] && [ "$3" -ge "$2" ] 2>/dev/null; then
		log_test 0 "$1 ($3 >= $2)"
	else
		log_test 1 "$1 (expected >= $2, got '$3')"
	fi
}

# setup_ns VAR...: creates a namespace per VAR with a unique name, stored
# in that variable (so parallel runs and leftovers never collide), with
# loopback up and netfilter off on bridged traffic. New interfaces start
# without IPv6, so nothing sends router or MLD solicitations on its own
# (a test's counters see only its traffic); workload() turns it on where
# a test gives an IPv6 address.
setup_ns() {
	local var name
	for var in "$@"; do
		name="${var}-$$-$RANDOM"
		ip netns add "$name" || return 1
		NS_LIST+=("$name")
		ip -n "$name" link set lo up
		ip netns exec "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
		ip netns exec "$name" sysctl -qw \
			net.bridge.bridge-nf-call-iptables=0 \
			net.bridge.bridge-nf-call-ip6tables=0 2>/dev/null
		printf -v "$var" '%s' "$name"
	done
}

# defer CMD...: run at cleanup, last registered first.
defer() {
	DEFERRED+=("$*")
}

cleanup_all() {
	# (the deferred commands are eval'ed here: a name of their own for
	# the index, so one that loops over `i` cannot make us skip others)
	local _deferred_idx ns
	for ((_deferred_idx = ${#DEFERRED[@]} - 1; _deferred_idx >= 0; _deferred_idx--)); do
		eval "${DEFERRED[$_deferred_idx]}" >/dev/null 2>&1
	done
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup_all EXIT

# veth_pair NS_A DEV_A NS_B DEV_B: a veth with one end in each namespace.
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# sfc_bpffs: a private bpffs for this test, outside /sys (which
# `ip netns exec` remounts), so sfcctl run inside namespaces sees the pins,
# and a private state file. Sets SFC_PIN (passed as --bpffs) and exports
# SFC_STATE.
sfc_bpffs() {
	local dir
	dir=$(mktemp -d /tmp/sfc-bpffs.XXXXXX)
	mount -t bpf bpf "$dir" || return 1
	defer "umount '$dir'; rmdir '$dir'"
	SFC_PIN=$dir/sfc
	SFC_STATE=$(mktemp -d /tmp/sfc-state.XXXXXX)/config.json
	export SFC_STATE
	defer "rm -rf '$(dirname "$SFC_STATE")'"
}

# sfc NS ARGS...: sfcctl inside namespace NS on the test's pins.
sfc() {
	local ns=$1; shift
	ip netns exec "$ns" "$SFCCTL" --bpffs "$SFC_PIN" "$@"
}

# sfc_vnf_hop NAME [CORRELATION]: the sfcctl side of a two-port VNF whose
# host ports are NAMEi/NAMEo: ports of those names, port pair ppNAME
# (with the correlation, if given) and its own group gNAME.
sfc_vnf_hop() {
	local v=$1
	sfc "$HOST" port add ${v}i dev ${v}i && sfc "$HOST" port add ${v}o dev ${v}o &&
		sfc "$HOST" port-pair add pp$v ingress ${v}i egress ${v}o \
			${2:+correlation "$2"} &&
		sfc "$HOST" port-pair-group add g$v port-pair pp$v
}

# sfc_port_counter NS DEV FIELD: a port counter from `sfcctl status -j`.
sfc_port_counter() {
	sfc "$1" -j status | jq -r --arg d "$2" --arg f "$3" \
		'.ports[] | select(.dev == $d) | .[$f]'
}

# sfc_drop_counter NS REASON
sfc_drop_counter() {
	sfc "$1" -j status | jq -r --arg r "$2" '.drops[$r]'
}

# --- VNFs for chaining tests ---------------------------------------------
#
# A bump-in-the-wire VNF is a namespace whose interfaces forward to each
# other with tc mirred (what a simple inline appliance does, and ~15%
# faster than a Linux bridge inside the VNF, see ENVIRONMENT.md). It takes
# no part in networking: no addresses, no ARP.

# vnf_mirred NS FROM TO: everything arriving on FROM leaves through TO.
vnf_mirred() {
	ip netns exec "$1" tc qdisc add dev "$2" clsact 2>/dev/null
	ip netns exec "$1" tc filter add dev "$2" ingress u32 match u32 0 0 \
		action mirred egress redirect dev "$3"
}

# vnf_two_port VAR HOST_IN HOST_OUT: a two-port VNF in a new namespace
# (name stored in VAR); its ports face the host as HOST_IN / HOST_OUT.
vnf_two_port() {
	vnf_ports "$1" "$2" "$3" || return 1
	vnf_mirred "${!1}" in out && vnf_mirred "${!1}" out in
}

# vnf_ports VAR HOST_IN HOST_OUT: the namespace of a two-port VNF (name in
# VAR) with its ports in/out facing the host as HOST_IN/HOST_OUT; what
# forwards between them is up to the caller.
vnf_ports() {
	setup_ns "$1" || return 1
	veth_pair "${!1}" in "$HOST" "$2" && veth_pair "${!1}" out "$HOST" "$3"
}

# vnf_bridged VAR HOST_IN HOST_OUT: vnf_ports with a Linux bridge (vnfbr)
# forwarding between in and out.
vnf_bridged() {
	local ns
	vnf_ports "$1" "$2" "$3" || return 1
	ns=${!1}
	ip -n "$ns" link add vnfbr type bridge && ip -n "$ns" link set vnfbr up &&
		ip -n "$ns" link set in master vnfbr && ip -n "$ns" link set out master vnfbr
}

# vnf_one_port VAR HOST_PORT: a one-port VNF that sends back what it gets.
vnf_one_port() {
	local var=$1 hp=$2 ns
	setup_ns "$var" || return 1
	ns=${!var}
	veth_pair "$ns" p "$HOST" "$hp" && vnf_mirred "$ns" p p
}

# join_bridge NS BRIDGE DEV...: puts VNF ports on a bridge, as in the seed's
# picture. Only once sfcctl made them VNF ports: a two-port bump in the
# wire with both legs on one bridge is an L2 loop, which sfc's egress guard
# on VNF ports breaks; before that, one broadcast would storm.
join_bridge() {
	local ns=$1 br=$2 d; shift 2
	for d in "$@"; do
		ip -n "$ns" link set "$d" master "$br" || return 1
	done
}

# dev_rx_packets NS DEV
dev_rx_packets() {
	ip -n "$1" -j -s link show dev "$2" | jq '.[0].stats64.rx.packets'
}

dev_rx_bytes() {	# dev_rx_bytes NS DEV
	ip -n "$1" -j -s link show dev "$2" | jq '.[0].stats64.rx.bytes'
}

# workload VAR HOST_DEV ADDR [ADDR6]: a namespace with eth0 facing HOST_DEV.
workload() {
	local var=$1 hdev=$2 ns
	setup_ns "$var" || return 1
	ns=${!var}
	veth_pair "$ns" eth0 "$HOST" "$hdev" || return 1
	ip -n "$ns" addr add "$3" dev eth0
	[ -z "${4:-}" ] || {
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
		ip -n "$ns" addr add "$4" dev eth0 nodad
	}
}

# mac_of NS DEV
mac_of() {
	ip -n "$1" -j link show dev "$2" | jq -r '.[0].address'
}

# fdb_port_of BRIDGE_NS MAC: the bridge port a MAC was learned on ('' none).
fdb_port_of() {
	bridge -n "$1" -j fdb show | jq -r --arg m "$2" \
		'[.[] | select(.mac == $m and (.flags // [] | index("self") | not)) | .ifname] | first // ""'
}

# wait_for_line FILE TEXT SECONDS: until FILE has a line TEXT (slow starts
# under the TCG guest make fixed sleeps unreliable).
wait_for_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# --- captures --------------------------------------------------------------
#
# capture_start FILE NS DEV [FILTER...]: record what DEV receives (what it
# sends with CAPTURE_Q=out in the caller's environment, both with inout),
# with nanosecond timestamps, for tshark to judge later. DEV "any" is every
# device of NS, in Linux cooked v2 framing: sll.ifindex and sll.pkttype
# (4: outgoing) then say where and which way each packet went. --immediate-mode
# matters: otherwise packets wait in the kernel ring until a block is
# retired, and the ones still waiting are lost when tcpdump is stopped.
# It returns once tcpdump is listening (a busy machine can take seconds),
# with an 8 MiB buffer so a loaded CPU does not make it drop packets, and
# a 1 KiB snapshot: immediate mode makes libpcap use TPACKET_V2, a ring
# of fixed-size slots sized from the snapshot length, so the default
# (256 KiB) leaves few slots in 8 MiB, and a burst of small packets
# overflowed them on a busy machine ("packets dropped by kernel").
# Headers and the tests' payloads fit in 1 KiB; tshark still sees each
# frame's full length.
CAPTURE_PIDS=()
CAPTURE_FILES=()
capture_start() {
	local file=$1 ns=$2 dev=$3 i link=(); shift 3
	[ "$dev" != any ] || link=(-y LINUX_SLL2)
	ip netns exec "$ns" tcpdump -i "$dev" "${link[@]}" -Q "${CAPTURE_Q:-in}" \
		-nn -U --immediate-mode \
		-s 1024 -B 8192 --time-stamp-precision=nano -w "$file" "$@" 2>"$file.log" &
	CAPTURE_PIDS+=($!)
	CAPTURE_FILES+=("$file")
	defer "kill $! 2>/dev/null"
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$file.log" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "    warn   tcpdump on $dev not ready after 5 s"
}

# capture_stop: stops every capture once the last packets are written;
# fails the test when tcpdump says the kernel dropped packets, since a
# test reading the captures would then judge incomplete evidence.
capture_stop() {
	local f dropped
	sleep 0.5
	kill "${CAPTURE_PIDS[@]}" 2>/dev/null
	wait "${CAPTURE_PIDS[@]}" 2>/dev/null
	for f in "${CAPTURE_FILES[@]}"; do
		dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$f.log")
		[ "${dropped:-0}" = 0 ] ||
			log_test 1 "capture $(basename "$f") complete ($dropped packets dropped by the kernel)"
	done
	CAPTURE_PIDS=()
	CAPTURE_FILES=()
}

# tshark_fields PCAP FILTER FIELD...: the FIELDS of every packet matching
# the display FILTER ("" for all), one line per packet, tab-separated.
tshark_fields() {
	local pcap=$1 filter=$2 args=() f; shift 2
	for f in "$@"; do args+=(-e "$f"); done
	tshark -r "$pcap" ${filter:+-Y "$filter"} -T fields "${args[@]}" 2>/dev/null
}

# tshark_table PCAP FIELD...: tshark's decoding of every packet in PCAP,
# written to PCAP.tsv: a header line naming the FIELDS, then one line per
# packet with their values, tab-separated (multiple occurrences joined by
# commas). Tests then ask table_select/table_count instead of running
# tshark, which takes seconds on a loaded machine, for every question.
tshark_table() {
	local pcap=$1 args=() f; shift
	for f in "$@"; do args+=(-e "$f"); done
	tshark -r "$pcap" -T fields -E header=y -E separator=/t "${args[@]}" \
		>"$pcap.tsv" 2>/dev/null
}

# pcap_note PCAP: one line saying how many packets a capture holds and
# how many rows tshark made of them (a check on its table that fails
# then tells an empty capture from a decoding problem).
pcap_note() {
	echo "    note   $(basename "$1"): $(tcpdump -r "$1" 2>/dev/null | wc -l) packets," \
		"$(($(wc -l <"$1.tsv" 2>/dev/null || echo 1) - 1)) tshark rows"
}

# table_select TSV WHERE FIELD...: the FIELDS (space-separated) of the
# first packet matching WHERE: FIELD=VALUE or FIELD!=VALUE, comma-separated,
# all must hold, an empty VALUE meaning the field is absent. '' if none
# matches.
# table_count TSV WHERE: how many packets match.
table_select() {
	local tsv=$1 where=$2; shift 2
	table_awk "$tsv" "$where" "$*" 'print out; found = 1; exit'
}

table_count() {
	table_awk "$1" "$2" "" 'n++' 'END { if (!bad) print n + 0 }'
}

# table_awk TSV WHERE FIELDS ACTION [END]: runs ACTION on each matching
# row with `out` set to its FIELDS; a field name not in the table is an
# error (no silent empty match).
table_awk() {
	awk -F'\t' -v where="$2" -v want="$3" '
	function colof(name) {
		if (!(name in col)) {
			print "table: no field " name > "/dev/stderr"; bad = 1; exit 2
		}
		return col[name]
	}
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		nw = split(where, w, ","); no = split(want, o, " ")
		for (k = 1; k <= nw; k++) {
			eq = index(w[k], "=")
			wv[k] = substr(w[k], eq + 1)
			wn[k] = substr(w[k], eq - 1, 1) == "!"
			wc[k] = colof(substr(w[k], 1, eq - 1 - wn[k]))
		}
		for (k = 1; k <= no; k++) oc[k] = colof(o[k])
		next
	}
	{
		for (k = 1; k <= nw; k++) if (($wc[k] == wv[k]) == wn[k]) next
		out = ""
		for (k = 1; k <= no; k++) out = out (k > 1 ? " " : "") $oc[k]
		'"$4"'
	}
	'"${5:-}" "$1"
}

# icmp_seen FILE ICMPTYPE SEQ: when a capture first saw that echo packet.
icmp_seen() {
	tshark -r "$1" -Y "icmp.type == $2 && icmp.seq == $3" \
		-T fields -e frame.time_epoch 2>/dev/null | head -1
}

# ascending T...: the timestamps are all present and strictly increasing.
ascending() {
	printf '%s\n' "$@" | awk 'NF == 0 { bad = 1 } NR > 1 && $1 <= prev { bad = 1 }
		{ prev = $1 } END { exit bad }'
}

# --- shared topologies and traffic -----------------------------------------

# bridged_pair [ADDR6_1 ADDR6_2]: the host namespace HOST with bridge br0,
# and workloads APP1 (10.0.0.1, port p1) and APP2 (10.0.0.2, port p4) on it.
bridged_pair() {
	setup_ns HOST || return 1
	ip -n "$HOST" link add br0 type bridge && ip -n "$HOST" link set br0 up
	workload APP1 p1 10.0.0.1/24 ${1:+"$1"} &&
		workload APP2 p4 10.0.0.2/24 ${2:+"$2"} || return 1
	ip -n "$HOST" link set p1 master br0 && ip -n "$HOST" link set p4 master br0
}

# case3_topology: the seed's Case 3 on one host. HOST has br-host with
# APP1's port p1 and the uplink to PHYS, whose br-phys stands for the
# physical switch with APP2 (port pa2) behind it; VNF1..3 are two-port
# VNFs with host ports vNi/vNo, not yet on any bridge (see join_bridge).
case3_topology() {
	setup_ns HOST PHYS || return 1
	ip -n "$HOST" link add br-host type bridge && ip -n "$HOST" link set br-host up
	ip -n "$PHYS" link add br-phys type bridge && ip -n "$PHYS" link set br-phys up
	workload APP1 p1 10.0.0.1/24 || return 1
	setup_ns APP2 && veth_pair "$APP2" eth0 "$PHYS" pa2 || return 1
	ip -n "$APP2" addr add 10.0.0.2/24 dev eth0
	veth_pair "$HOST" uplink "$PHYS" upl || return 1
	join_bridge "$PHYS" br-phys pa2 upl && join_bridge "$HOST" br-host p1 uplink &&
		vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o
}

# iperf_tcp SECONDS OUT.json: iperf3 TCP from APP1 to APP2 (10.0.0.2).
iperf_tcp() {
	iperf_tcp_between "$APP1" "$APP2" 10.0.0.2 "$1" "$2"
}

# iperf_tcp_between CLIENT_NS SERVER_NS SERVER_ADDR SECS OUT.json: one
# iperf3 TCP run, its one-shot server started first.
iperf_tcp_between() {
	ip netns exec "$2" iperf3 -s -1 -D -B "$3" >/dev/null 2>&1
	sleep 0.5
	ip netns exec "$1" iperf3 -c "$3" -t "$4" -J >"$5" 2>&1
}

# iperf_bytes OUT.json: bytes received in that run ('' if it failed).
# Across hosts (sfc_multihost*.sh): each "host" is a namespace with its
# bridge br0 and an uplink to an underlay bridge br-ul in namespace $UL,
# and an underlay interface ulN with its address, which its Geneve device
# uses.

# require_geneve: skip loudly when this kernel has no Geneve devices.
require_geneve() {
	modprobe geneve 2>/dev/null
	setup_ns PROBE || return 1
	ip -n "$PROBE" link add g type geneve external 2>/dev/null ||
		skip "no Geneve devices in this kernel (ip link add type geneve external fails): run in the guest tier"
}

# underlay: the namespace UL with the underlay bridge br-ul.
underlay() {
	setup_ns UL || return 1
	ip -n "$UL" link add br-ul type bridge && ip -n "$UL" link set br-ul up
}

# geneve_host VAR UNDERLAY_IP N: host namespace N (name in VAR): br0,
# uplink upN to br-ul (underlay side uN), underlay interface ulN (tN).
geneve_host() {
	local var=$1 ip=$2 n=$3 ns
	setup_ns "$var" || return 1
	ns=${!var}
	ip -n "$ns" link add br0 type bridge && ip -n "$ns" link set br0 up &&
		veth_pair "$ns" "up$n" "$UL" "u$n" &&
		ip -n "$ns" link set "up$n" master br0 &&
		ip -n "$UL" link set "u$n" master br-ul &&
		veth_pair "$ns" "ul$n" "$UL" "t$n" &&
		ip -n "$UL" link set "t$n" master br-ul || return 1
	# Room for the encapsulation: the workloads keep 1500.
	ip -n "$ns" link set "ul$n" mtu 9000 && ip -n "$UL" link set "t$n" mtu 9000 &&
		ip -n "$ns" addr add "$ip/24" dev "ul$n"
}

# geneve_hosts N: the underlay and hosts H1..HN (geneve_host, underlay
# address 192.0.2.n), each with its own pins and configuration (PINn,
# STATEn) and its sfcctl, sfcN ARGS.... Skips without Geneve.
geneve_hosts() {
	local n
	require_geneve || return 1
	underlay || return 1
	for ((n = 1; n <= $1; n++)); do
		geneve_host "H$n" "192.0.2.$n" "$n" && sfc_bpffs || return 1
		eval "PIN$n=\$SFC_PIN STATE$n=\$SFC_STATE"
		eval "sfc$n() { SFC_PIN=\$PIN$n SFC_STATE=\$STATE$n sfc \"\$H$n\" \"\$@\"; }"
	done
}

# host_workload N VAR DEV ADDR: workload VAR on host N facing DEV, which
# joins the host's br0; VAR_MAC its MAC. TCP checksums are left to the
# receiver on veth; the guest's Geneve path needs them complete (as on
# real hardware with offload): transmit checksumming off.
host_workload() {
	local host=H$1 ns
	HOST=${!host} workload "$2" "$3" "$4" &&
		ip -n "${!host}" link set "$3" master br0 || return 1
	ns=${!2}
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
	printf -v "${2}_MAC" %s "$(mac_of "$ns" eth0)"
}

# port_on N NAME DEV KEY HOME [MAC]: port NAME (key KEY) as host N
# (sfcctl sfcN, underlay 192.0.2.N) configures it: its own device DEV when
# it lives there (HOME = N), else remote on host HOME; with MAC on either.
port_on() {
	if [ "$1" = "$5" ]; then
		"sfc$1" port add "$2" dev "$3" key "$4" ${6:+mac "$6"}
	else
		"sfc$1" port add "$2" remote "192.0.2.$5" key "$4" ${6:+mac "$6"}
	fi
}

# geneve_crossing TEXT FROM_HOST DST CLASSES DATA ICMPTYPE [MIN]: at least
# MIN (5) packets of $TMP/ul.pcap.tsv (a tshark_table of sll.ifindex ip.dst
# geneve.vni geneve.option.class geneve.option.type
# geneve.option.unknown.data icmp.type, captured on "any" in $UL) sent by
# host FROM_HOST (into br-ul by tN) to underlay address DST (the outer of
# tshark's two ip.dst), VNI $VNI, with exactly the option classes CLASSES
# and data DATA (tshark's comma lists).
geneve_crossing() {
	local ifindex n
	ifindex=$(ip -n "$UL" -j link show "t$2" | jq '.[0].ifindex')
	n=$(awk -F'\t' -v i="$ifindex" -v dst="$3," -v vni="$(printf 0x%06x $VNI)" \
		-v cls="$4" -v data="$5" -v icmp="$6" \
		'FNR > 1 && $1 == i && index($2, dst) == 1 && $3 == vni && $4 == cls &&
			$6 == data && $7 == icmp { n++ } END { print n + 0 }' "$TMP/ul.pcap.tsv")
	check_ge "tshark: $1" "${7:-5}" "$n"
}

# hop_packets sfcN DIR [CHAIN [HOP]]: packets CHAIN steered into HOP in
# DIR (forward|reverse) on a host, as its sfcctl stats say.
hop_packets() {
	"$1" -j stats | jq -r --arg d "$2" --arg c "${3:-c1}" --argjson h "${4:-0}" \
		'[.chains[] | select(.name == $c) | .[$d][] | select(.hop == $h) | .packets] | first // 0'
}

# dmesg_mark, kernel_splats, rmmod_wait, check_dmesg: shared with the
# guest tests.
source "$(dirname "${BASH_SOURCE[0]}")/../guest/kernel.sh"

iperf_bytes() {
	jq '.end.sum_received.bytes | floor' "$1" 2>/dev/null
}

# vnf_stateful_fw VAR HOST_IN HOST_OUT CLIENT: a two-port VNF that is a
# stateful firewall: a Linux bridge between its ports, br_netfilter on,
# nftables accepting new connections only from CLIENT and otherwise only
# packets of connections it has seen (strict TCP tracking). A reply that
# reaches an instance which did not see the request is dropped, which is
# what makes symmetric load balancing observable.
vnf_stateful_fw() {
	local ns
	vnf_bridged "$1" "$2" "$3" || return 1
	ns=${!1}
	ip netns exec "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1 \
		net.netfilter.nf_conntrack_tcp_loose=0 || return 1
	ip netns exec "$ns" nft -f - <<-NFT
		table inet vnf {
			chain through {
				type filter hook forward priority 0; policy drop;
				ct state established,related accept
				ip saddr $4 ct state new accept
			}
		}
	NFT
}

# send_udp_flows NS DST_MAC DST_IP DPORT FIRST_SPORT COUNT: one datagram
# per flow (distinct source ports), sent by scapy from eth0 of NS.
send_udp_flows() {
	ip netns exec "$1" $PYTHON - "$2" "$3" "$4" "$5" "$6" <<-'PY'
		import sys
		from scapy.all import Ether, IP, UDP, Raw, sendp, get_if_hwaddr, get_if_addr
		mac, dst, dport, first, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
		    int(sys.argv[4]), int(sys.argv[5])
		src, smac = get_if_addr("eth0"), get_if_hwaddr("eth0")
		sendp([Ether(src=smac, dst=mac) / IP(src=src, dst=dst) /
		       UDP(sport=first + i, dport=dport) / Raw(b"sfc-flow")
		       for i in range(n)], iface="eth0", verbose=False)
	PY
}

# vnf_aware VAR HOST_IN HOST_OUT: a two-port SFC-aware VNF of our own
# (selftests/net/vnf/aware_vnf.bpf.c): it decrements the service index of
# the MPLS or NSH header it receives, and a bridge forwards it on.
vnf_aware() {
	local ns d obj=$SFC_BUILD/selftests/vnf/aware_vnf.bpf.o
	vnf_bridged "$1" "$2" "$3" || return 1
	ns=${!1}
	for d in in out; do
		ip netns exec "$ns" tc qdisc add dev "$d" clsact 2>/dev/null
		ip netns exec "$ns" tc filter add dev "$d" ingress bpf da obj "$obj" sec tc ||
			return 1
	done
}

# three_vnf_chain: bridged_pair, two-port VNFs VNF1..VNF3 (host ports
# vNi/vNo), and chain c1: ICMP from app1 to 10.0.0.2 through groups g1, g2,
# g3 (pairs pp1..pp3), symmetric. Leaves SFC_PIN/SFC_STATE set.
three_vnf_chain() {
	local i
	bridged_pair || return 1
	vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o || return 1
	sfc_bpffs || return 1
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for i in 1 2 3; do
		sfc "$HOST" port add v${i}i dev v${i}i && sfc "$HOST" port add v${i}o dev v${i}o &&
		sfc "$HOST" port-pair add pp$i ingress v${i}i egress v${i}o &&
		sfc "$HOST" port-pair-group add g$i port-pair pp$i || return 1
	done
	sfc "$HOST" flow-classifier add fc1 ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2 &&
	sfc "$HOST" port-chain add c1 port-pair-group g1 port-pair-group g2 \
		port-pair-group g3 flow-classifier fc1 symmetric on
}

# --- Open vSwitch (a peer we did not write) --------------------------------
#
# ovs_start NS: ovsdb-server and ovs-vswitchd inside NS, started by hand
# with private run/db/log directories (ENVIRONMENT.md: no openvswitch
# module here, so bridges must use datapath_type=netdev, the userspace
# datapath, which reads and writes the ports through AF_PACKET sockets).
# Both daemons are killed at cleanup. Sets OVS_DIR and exports OVS_RUNDIR/
# OVS_DBDIR/OVS_LOGDIR, which ovs-vsctl/ovs-ofctl/ovs-appctl then use.
ovs_start() {
	local ns=$1
	require_command ovs-vswitchd ovsdb-server ovsdb-tool ovs-vsctl ovs-ofctl ovs-appctl
	OVS_DIR=$(mktemp -d /tmp/sfc-ovs.XXXXXX)
	defer "rm -rf '$OVS_DIR'"
	export OVS_RUNDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR
	ovsdb-tool create "$OVS_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema &&
		ip netns exec "$ns" ovsdb-server "$OVS_DIR/conf.db" \
			--remote=punix:"$OVS_DIR/db.sock" --pidfile --detach \
			--log-file="$OVS_DIR/ovsdb-server.log" 2>/dev/null &&
		ovs_defer_kill ovsdb-server &&
		ovs-vsctl --db=unix:"$OVS_DIR/db.sock" --no-wait init &&
		ip netns exec "$ns" ovs-vswitchd unix:"$OVS_DIR/db.sock" --pidfile \
			--detach --log-file="$OVS_DIR/ovs-vswitchd.log" 2>/dev/null &&
		ovs_defer_kill ovs-vswitchd
}

# ovs_defer_kill DAEMON: kill it (by its pidfile's pid) at cleanup, and
# wait for it to exit before its directory and namespace go.
ovs_defer_kill() {
	local pid
	pid=$(cat "$OVS_DIR/$1.pid") && [ -n "$pid" ] || return 1
	defer "kill $pid; wait_gone $pid"
}

# wait_gone PID: until PID has exited (a zombie counts as gone), 5 s at
# most. (A function, so deferred commands need no loop variable of their
# own: cleanup_all evals them in its scope.)
wait_gone() {
	local t
	for ((t = 0; t < 50; t++)); do
		grep -qs '^State:[[:space:]]*[^Z]' "/proc/$1/status" || return 0
		sleep 0.1
	done
	return 1
}

# ovs NS CMD ARGS...: an OVS client (ovs-vsctl, ovs-ofctl, ovs-appctl) run
# inside NS against the daemons of ovs_start.
ovs() {
	local ns=$1 cmd=$2; shift 2
	case $cmd in
	ovs-vsctl) ip netns exec "$ns" ovs-vsctl --db=unix:"$OVS_DIR/db.sock" "$@" ;;
	ovs-ofctl) ip netns exec "$ns" ovs-ofctl -O OpenFlow13 "$@" ;;
	*) ip netns exec "$ns" "$cmd" "$@" ;;
	esac
}
