#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end benchmark: APP1 -> chain of N bump-in-the-wire VNFs -> APP2 on
# one host, for each steering method, interleaved run by run:
#
#   L  the physical limit: APP1 - VNF1 - ... - VNFn - APP2 wired back to back
#      with veth, no steering at all;
#   F  the kernel's own alternative: in the host namespace, clsact
#      `u32 match u32 0 0` + `mirred egress redirect` on every host port
#      (this kernel has no cls_flower), both directions;
#   O  Open vSwitch 3.1, userspace (netdev) datapath, in_port -> output
#      OpenFlow rules doing the same steering (only when ovs-vswitchd exists);
#   S  ours: sfcctl port chain, default configuration (symmetric, reinject,
#      packets handed to the VNFs by bpf_redirect_peer);
#   E  ours with `handoff egress`: handed to the VNFs through the host end
#      of their veths (what S did before the peer handoff);
#   D  ours with `end direct` (saves a redirect per packet; meant for routed
#      hosts: on this bridged topology replies go astray, so not in the
#      default METHODS).
#
# Every VNF is the same: a namespace whose two ports forward to each other
# with tc mirred. The workloads APP1 10.0.0.1 and APP2 10.0.0.2 are alike
# in every topology. Tests per run: TCP 1 and 4 streams (iperf3), 64-byte
# UDP (iperf3 -u -l 64 -b 0, packets the receiver got per second), ping RTT
# (median). After each test the forward rx counter of every VNF is compared
# with what APP2 received: `ok` means every VNF saw at least that many
# packets (the traffic really went through all of them).
#
# Usage: e2e.sh OUT.tsv   (env: CHAINS="1 3 8" RUNS=3 DURATION=3
#                          METHODS="L F O S E D" PINGS=300)
# Output lines: chain method run test value unit vnf_min app2_rx ok
set -uo pipefail
source "$(dirname "$0")/../selftests/net/lib.sh"

require_root
require_command ip tc jq iperf3 ping
require_sfcctl

OUT=${1:?usage: e2e.sh OUT.tsv}
CHAINS=${CHAINS:-1 3 8}
RUNS=${RUNS:-3}
DURATION=${DURATION:-3}
PINGS=${PINGS:-300}
METHODS=${METHODS:-L F O S E}
trap 'exit 130' INT TERM
TMP=$(mktemp -d /tmp/sfc-bench.XXXXXX)	# removed by the EXIT trap below

have_ovs() { command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null; }

# Per topology: T_APP1[m], T_APP2[m], T_VNFS[m] (space-separated namespaces).
declare -A T_APP1 T_APP2 T_VNFS T_PIN

# mirror_vnf NS: NS's ports in and out forward to each other.
mirror_vnf() {
	vnf_mirred "$1" in out && vnf_mirred "$1" out in
}

build_L() {
	local n=$1 i prev ns vnfs=""
	setup_ns LA1 LA2 || return 1
	prev_ns=$LA1 prev_dev=eth0
	for i in $(seq "$n"); do
		setup_ns LV || return 1
		veth_pair "$prev_ns" "$prev_dev" "$LV" in || return 1
		vnfs+=" $LV"
		prev_ns=$LV prev_dev=out
	done
	veth_pair "$prev_ns" "$prev_dev" "$LA2" eth0 || return 1
	for ns in $vnfs; do
		ip -n "$ns" link set out up
		mirror_vnf "$ns" || return 1
	done
	ip -n "$LA1" addr add 10.0.0.1/24 dev eth0
	ip -n "$LA2" addr add 10.0.0.2/24 dev eth0
	T_APP1[L]=$LA1 T_APP2[L]=$LA2 T_VNFS[L]=${vnfs# }
}

# host_topology M N: bridged_pair plus N two-port VNFs vKi/vKo on HOST.
host_topology() {
	local m=$1 n=$2 i vnfs="" v
	bridged_pair || return 1
	for i in $(seq "$n"); do
		vnf_two_port VNF v${i}i v${i}o || return 1
		vnfs+=" $VNF"
	done
	T_APP1[$m]=$APP1 T_APP2[$m]=$APP2 T_VNFS[$m]=${vnfs# }
	eval "HOST_$m=\$HOST"
}

host_redirect() {	# NS FROM TO
	ip netns exec "$1" tc qdisc add dev "$2" clsact 2>/dev/null
	ip netns exec "$1" tc filter add dev "$2" ingress u32 match u32 0 0 \
		action mirred egress redirect dev "$3"
}

build_F() {
	local n=$1 i
	host_topology F "$n" || return 1
	host_redirect "$HOST" p1 v1i && host_redirect "$HOST" v1i p1 || return 1
	for ((i = 1; i < n; i++)); do
		host_redirect "$HOST" v${i}o v$((i + 1))i &&
			host_redirect "$HOST" v$((i + 1))i v${i}o || return 1
	done
	host_redirect "$HOST" v${n}o p4 && host_redirect "$HOST" p4 v${n}o
}

sfc_config() {	# N END HANDOFF: the JSON configuration of one chain
	/usr/bin/python3 - "$1" "$2" "$3" <<-'PY'
		import json, sys
		n, end, handoff = int(sys.argv[1]), sys.argv[2], sys.argv[3]
		ports = [{"name": "app1", "device": "p1"}, {"name": "app2", "device": "p4"}]
		pairs, groups = [], []
		for i in range(1, n + 1):
		    ports += [{"name": "v%di" % i, "device": "v%di" % i},
		              {"name": "v%do" % i, "device": "v%do" % i}]
		    pairs.append({"name": "pp%d" % i, "ingress": "v%di" % i, "egress": "v%do" % i,
		                  "handoff": handoff})
		    groups.append({"name": "g%d" % i, "port_pairs": ["pp%d" % i]})
		print(json.dumps({"version": 1, "ports": ports, "port_pairs": pairs,
		    "port_pair_groups": groups,
		    "flow_classifiers": [{"name": "fc", "ethertype": "IPv4",
		        "logical_source_port": "app1", "destination_ip_prefix": "10.0.0.2/32"}],
		    "port_chains": [{"name": "c", "port_pair_groups": [g["name"] for g in groups],
		        "flow_classifiers": ["fc"],
		        "chain_parameters": {"symmetric": True, "end": end}}]}, indent=1))
	PY
}

build_sfc() {	# M N END HANDOFF
	local m=$1 n=$2
	host_topology "$m" "$n" || return 1
	sfc_bpffs || return 1
	sfc_config "$n" "$3" "$4" >"$TMP/sfc-$m.json"
	sfc "$HOST" apply -f "$TMP/sfc-$m.json" >/dev/null || return 1
	T_PIN[$m]=$SFC_PIN
}
build_S() { build_sfc S "$1" reinject auto; }
build_E() { build_sfc E "$1" reinject egress; }
build_D() { build_sfc D "$1" direct auto; }

# Open vSwitch, userspace datapath, started by hand inside HOST with its own
# run/db/log directories (no kernel module needed).
build_O() {
	local n=$1 i d dir
	host_topology O "$n" || return 1
	dir=$(mktemp -d /tmp/sfc-bench-ovs.XXXXXX)
	defer "rm -rf '$dir'"
	export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir
	ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	ip netns exec "$HOST" ovsdb-server "$dir/conf.db" \
		--remote=punix:"$dir/db.sock" --pidfile --detach \
		--log-file="$dir/ovsdb.log" 2>/dev/null || return 1
	defer "kill \$(cat '$dir/ovsdb-server.pid')"
	ip netns exec "$HOST" ovs-vsctl --db=unix:"$dir/db.sock" --no-wait init
	ip netns exec "$HOST" ovs-vswitchd unix:"$dir/db.sock" --pidfile --detach \
		--log-file="$dir/vswitchd.log" 2>/dev/null || return 1
	defer "kill \$(cat '$dir/ovs-vswitchd.pid')"
	OVS_VSCTL="ip netns exec $HOST ovs-vsctl --db=unix:$dir/db.sock"
	OVS_OFCTL="ip netns exec $HOST ovs-ofctl"
	$OVS_VSCTL add-br brx -- set bridge brx datapath_type=netdev || return 1
	for d in p1 p4; do
		ip -n "$HOST" link set "$d" nomaster
	done
	for d in p1 p4 $(for i in $(seq "$n"); do echo v${i}i v${i}o; done); do
		$OVS_VSCTL add-port brx "$d" || return 1
	done
	# af_packet hands OVS checksum-partial packets it then sends on with a
	# bad checksum: the workloads must compute checksums themselves
	# (ENVIRONMENT.md; this also turns TSO off: part of OVS netdev's cost).
	ip netns exec "$APP1" ethtool -K eth0 tx off >/dev/null 2>&1
	ip netns exec "$APP2" ethtool -K eth0 tx off >/dev/null 2>&1
	local flows="$dir/flows"
	{
		echo "in_port=p1 actions=output:v1i"
		echo "in_port=v1i actions=output:p1"
		for ((i = 1; i < n; i++)); do
			echo "in_port=v${i}o actions=output:v$((i + 1))i"
			echo "in_port=v$((i + 1))i actions=output:v${i}o"
		done
		echo "in_port=v${n}o actions=output:p4"
		echo "in_port=p4 actions=output:v${n}o"
	} >"$flows"
	$OVS_OFCTL del-flows brx &&
		$OVS_OFCTL add-flows brx "$flows" ||
		$OVS_OFCTL -O OpenFlow13 add-flows "unix:$dir/brx.mgmt" "$flows"
}

# Running minimum of VNF deltas needs per-VNF baselines.
snapshot() {	# M -> prints per-VNF counters then APP2's
	local m=$1 ns
	for ns in ${T_VNFS[$m]}; do dev_rx_packets "$ns" in; done | tr '\n' ' '
	dev_rx_packets "${T_APP2[$m]}" eth0
}

# record N M RUN TEST VALUE UNIT BEFORE AFTER
record() {
	local before=($7) after=($8) k last min=-1 d app2 ok
	last=$((${#after[@]} - 1))
	for ((k = 0; k < last; k++)); do
		d=$((after[k] - before[k]))
		if [ "$min" -lt 0 ] || [ "$d" -lt "$min" ]; then min=$d; fi
	done
	app2=$((after[last] - before[last]))
	ok=no
	[ "$app2" -gt 0 ] && [ "$min" -ge $((app2 - 20)) ] && ok=yes
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-nan}" \
		"$6" "$min" "$app2" "$ok" >>"$OUT"
	printf '  n=%s %s run %s %-5s %10s %-6s vnf_min=%s app2=%s traversed=%s\n' \
		"$1" "$2" "$3" "$4" "${5:-nan}" "$6" "$min" "$app2" "$ok"
}

iperf_server() {	# NS
	ip netns exec "$1" timeout $((DURATION + 15)) iperf3 -s -1 -B 10.0.0.2 \
		>/dev/null 2>&1 &
	local pid=$! i
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$1" ss -ltn 2>/dev/null | grep -q ':5201 ' && return 0
		sleep 0.05
	done
}

# With kernel.bpf_stats_enabled, run_tests also records the mean ns per run of
# our two TC programs during its traffic, as test "bpf_ns".
prog_stats() {	# M -> "run_time_ns run_cnt" summed over our two programs
	local p t=0 c=0 j
	for p in sfc_tc_ingress sfc_tc_egress; do
		j=$(bpftool -j prog show pinned "${T_PIN[$1]}/$p" 2>/dev/null) || continue
		t=$((t + $(echo "$j" | jq '.run_time_ns // 0')))
		c=$((c + $(echo "$j" | jq '.run_cnt // 0')))
	done
	echo "$t $c"
}

run_tests() {	# N M RUN
	local n=$1 m=$2 r=$3 a1=${T_APP1[$2]} a2=${T_APP2[$2]} b v st0 st1
	[ -n "${T_PIN[$m]:-}" ] && st0=$(prog_stats "$m")
	# warm up: ARP, flow state
	ip netns exec "$a1" ping -q -c 3 -i 0.05 -W 1 10.0.0.2 >/dev/null 2>&1

	b=$(snapshot "$m"); iperf_server "$a2"
	ip netns exec "$a1" iperf3 --connect-timeout 3000 -c 10.0.0.2 -t "$DURATION" -J >"$TMP/j" 2>&1
	v=$(jq '.end.sum_received.bits_per_second / 1e9' "$TMP/j" 2>/dev/null)
	wait; record "$n" "$m" "$r" tcp1 "$v" Gbit/s "$b" "$(snapshot "$m")"

	b=$(snapshot "$m"); iperf_server "$a2"
	ip netns exec "$a1" iperf3 --connect-timeout 3000 -c 10.0.0.2 -P 4 -t "$DURATION" -J >"$TMP/j" 2>&1
	v=$(jq '.end.sum_received.bits_per_second / 1e9' "$TMP/j" 2>/dev/null)
	wait; record "$n" "$m" "$r" tcp4 "$v" Gbit/s "$b" "$(snapshot "$m")"

	b=$(snapshot "$m"); iperf_server "$a2"
	ip netns exec "$a1" iperf3 --connect-timeout 3000 -c 10.0.0.2 -u -l 64 -b 0 -t "$DURATION" -J >"$TMP/j" 2>&1
	v=$(jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds / 1e3' \
		"$TMP/j" 2>/dev/null)
	wait; record "$n" "$m" "$r" udp64 "$v" kpps "$b" "$(snapshot "$m")"

	b=$(snapshot "$m")
	v=$(ip netns exec "$a1" ping -c "$PINGS" -i 0.005 -W 1 10.0.0.2 2>/dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -g |
		awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] * 1000 }')
	record "$n" "$m" "$r" rtt "$v" us "$b" "$(snapshot "$m")"
	if [ -n "${T_PIN[$m]:-}" ]; then
		st1=$(prog_stats "$m")
		set -- $st0 $st1
		[ "$4" -gt "$2" ] && printf '%s\t%s\t%s\tbpf_ns\t%s\tns/run\t0\t0\tyes\n' \
			"$n" "$m" "$r" "$(( ($3 - $1) / ($4 - $2) ))" >>"$OUT"
	fi
}

methods=()
for m in $METHODS; do
	if [ "$m" = O ] && ! have_ovs; then
		echo "# O skipped: ovs-vswitchd not installed (openvswitch-switch)"
		continue
	fi
	methods+=("$m")
done

: >"$OUT"
# run_time_ns/run_cnt of our programs (restored on exit)
BPF_STATS=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
sysctl -qw kernel.bpf_stats_enabled=1 2>/dev/null
trap 'sysctl -qw kernel.bpf_stats_enabled=$BPF_STATS 2>/dev/null; cleanup_all; rm -rf "$TMP"' EXIT
for n in $CHAINS; do
	for m in "${methods[@]}"; do
		"build_$m" "$n" || { echo "# could not build $m for n=$n" >&2; exit 1; }
	done
	sleep 1
	for r in $(seq "$RUNS"); do
		for m in "${methods[@]}"; do
			run_tests "$n" "$m" "$r"
		done
	done
	# tear this chain length down before the next one
	cleanup_all
	NS_LIST=() DEFERRED=()
	T_APP1=() T_APP2=() T_VNFS=() T_PIN=()
done
exit 0
