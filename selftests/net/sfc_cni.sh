#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sfc-cni as a container runtime runs it: Debian's real
# containernetworking-plugins (bridge, ptp, host-local IPAM) followed by
# sfc-cni in network configuration lists, executed by this script's own
# spec driver (Debian ships no cnitool). Namespaces stand for pods
# (CNI_NETNS=/run/netns/NAME); HOST is the runtime's namespace.
#
#   network sfc-br (bridge cnibr0, 10.99.0.0/24)    network sfc-ptp (routed)
#
#   default/a --veth--+                              default/c --veth-- HOST
#   default/b --veth--+-- cnibr0  (in HOST)
#                        HOST: v1i --[ vnf: in->out, out->in ]-- v1o
#
#   chain c-ab: icmp from default/a to default/b through the vnf,
#   symmetric, configured with sfcctl by pod names before the pods exist.
#
# Checks: ADD registers NAMESPACE/POD on the pod's host veth (the peer of
# CNI_IFNAME) and passes prevResult on; the pending chain becomes active
# when both pods are there and traffic goes through the vnf; a newer
# sandbox takes the name over and the old sandbox's DEL leaves it alone;
# DEL makes the chain pending again and its counters stop; CHECK notices a
# missing filter; GC removes attachments no longer valid (in its network
# only); a port sfcctl made is never taken; ports of pods gone without DEL
# are swept; pods that classifiers name come and go four at a time; 200
# ADD/DEL cycles, four at a time, leave no port, map entry, filter, record
# or address behind.
source "$(dirname "$0")/lib.sh"

CNI_BIN=${CNI_BIN:-/usr/lib/cni}
SFC_CNI=${SFC_CNI:-$SFC_BUILD/sfc-cni}

require_root
[ -d "$CNI_BIN" ] || skip "$CNI_BIN missing (Debian package containernetworking-plugins)"
for p in bridge ptp host-local; do
	[ -x "$CNI_BIN/$p" ] || skip "$CNI_BIN/$p missing"
done
[ -x "$SFC_CNI" ] || skip "$SFC_CNI not built (run make)"
require_command ip jq ping tc bpftool
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

# --- a CNI runtime, after the spec's section 3 -------------------------------
#
# cni LIST CMD CONTAINERID NETNS IFNAME CNI_ARGS: runs CMD (ADD, DEL, CHECK)
# for one attachment through every plugin of LIST, as libcni does: ADD in
# order, each plugin getting the previous one's result as prevResult; DEL
# in reverse order and CHECK in order, both with the cached ADD result.
# The result of the last ADD is cached per attachment (libcni's cache), and
# that cache is the list of valid attachments GC sends. Prints the failing
# plugin's output and returns 1 on an error.

CNI_PATH=$(dirname "$SFC_CNI"):$CNI_BIN
CACHE=$TMP/cache

plugin_bin() {
	case $1 in
	sfc-cni) echo "$SFC_CNI" ;;
	*) echo "$CNI_BIN/$1" ;;
	esac
}

# cni_exec CMD TYPE CONTAINERID NETNS IFNAME ARGS <REQUEST
cni_exec() {
	ip netns exec "$HOST" env CNI_COMMAND="$1" CNI_CONTAINERID="$3" \
		CNI_NETNS="$4" CNI_IFNAME="$5" CNI_ARGS="$6" CNI_PATH="$CNI_PATH" \
		"$(plugin_bin "$2")"
}

# load_list LIST: each plugin's request configuration (the plugin's own
# object with the list's cniVersion and name), its type, and the network
# name, parsed once: jq takes ~40 ms to start, and churn runs this a lot.
declare -A LIST_REQ LIST_TYPE LIST_N LIST_NET
load_list() {
	local list=$1 i=0 line
	while IFS= read -r line; do
		LIST_REQ[$list:$i]=$line
		LIST_TYPE[$list:$i]=$(jq -r .type <<<"$line")
		i=$((i + 1))
	done < <(jq -c '.plugins[] + {cniVersion: $l.cniVersion, name: $l.name}' \
		 --argjson l "$(jq -c 'del(.plugins)' "$list")" "$list")
	LIST_N[$list]=$i
	LIST_NET[$list]=$(jq -r .name "$list")
}

# request LIST I [PREV]: the I-th plugin's request, with PREV's JSON as
# prevResult (spliced in as text: both are compact JSON objects).
request() {
	local req=${LIST_REQ[$1:$2]}
	if [ -n "${3:-}" ]; then
		printf '%s,"prevResult":%s}\n' "${req%\}}" "$(<"$3")"
	else
		printf '%s\n' "$req"
	fi
}

cni() {
	local list=$1 cmd=$2 cid=$3 netns=${4:+/run/netns/$4} ifn=$5 args=$6
	local net=${LIST_NET[$list]} n=${LIST_N[$list]} i order prev='' out rc
	case $cmd in
	ADD|CHECK) order=$(seq 0 $((n - 1))) ;;
	DEL) order=$(seq $((n - 1)) -1 0) ;;
	esac
	[ "$cmd" = ADD ] || [ ! -f "$CACHE/$net/$cid:$ifn" ] || prev=$CACHE/$net/$cid:$ifn
	mkdir -p "$CACHE/$net"
	for i in $order; do
		out=$(request "$list" "$i" "$prev" |
		      cni_exec "$cmd" "${LIST_TYPE[$list:$i]}" "$cid" "$netns" "$ifn" "$args")
		rc=$?
		if [ $rc != 0 ]; then
			echo "${LIST_TYPE[$list:$i]} $cmd: $out"
			return 1
		fi
		if [ "$cmd" = ADD ]; then	# each plugin's result, kept
			printf '%s\n' "$out" >"$TMP/res.$cid.$ifn.$i"
			prev=$TMP/res.$cid.$ifn.$i
		fi
	done
	case $cmd in
	ADD) cp "$prev" "$CACHE/$net/$cid:$ifn" ;;
	DEL) rm -f "$CACHE/$net/$cid:$ifn" ;;
	esac
}

# cni_gc LIST [CONTAINERID:IFNAME...]: GC with those attachments valid
# (default: every cached one), sent to each plugin whose VERSION has
# 1.1.0 (Debian's plugins stop at 1.0.0, and GC needs 1.1.0). Errors do
# not stop the others (the spec); returns 1 if any failed.
cni_gc() {
	local list=$1 net=${LIST_NET[$1]} valid i rc=0 out; shift
	if [ $# = 0 ] && [ -d "$CACHE/$net" ]; then
		set -- $(cd "$CACHE/$net" && echo *)	# ID:IFNAME, no spaces
	fi
	valid=$(printf '%s\n' "$@" | jq -R 'split(":") | {containerID: .[0], ifname: .[1]}' |
		jq -cs '[.[] | select(.containerID != "")]')
	for ((i = 0; i < ${LIST_N[$list]}; i++)); do
		echo '{"cniVersion": "1.1.0"}' |
			cni_exec VERSION "${LIST_TYPE[$list:$i]}" "" "" "" "" |
			jq -e '.supportedVersions | index("1.1.0")' >/dev/null || continue
		out=$(request "$list" "$i" |
		      jq -c --argjson v "$valid" \
			'.cniVersion = "1.1.0" | .["cni.dev/valid-attachments"] = $v' |
		      cni_exec GC "${LIST_TYPE[$list:$i]}" "" "" "" "") || {
			echo "${LIST_TYPE[$list:$i]} GC: $out"
			rc=1
		}
	done
	return $rc
}

pod_args() {	# NAMESPACE POD
	echo "IgnoreUnknown=1;K8S_POD_NAMESPACE=$1;K8S_POD_NAME=$2;K8S_POD_INFRA_CONTAINER_ID=x"
}

# --- topology ------------------------------------------------------------------

write_lists() {
	local sfc
	sfc=$(jq -nc --arg pin "$SFC_PIN" --arg state "$SFC_STATE" \
		--arg log "$TMP/sfc-cni.log" \
		'{type: "sfc-cni", bpffs: $pin, state: $state, logFile: $log,
		  logLevel: "debug"}')
	jq -n --arg name "sfc-br" --arg dir "$TMP/ipam" --argjson sfc "$sfc" \
		'{cniVersion: "1.0.0", name: $name, plugins: [
		  {type: "bridge", bridge: "cnibr0",
		   ipam: {type: "host-local", subnet: "10.99.0.0/24", dataDir: $dir}},
		  $sfc]}' >"$TMP/br.conflist"
	jq -n --arg name "sfc-ptp" --arg dir "$TMP/ipam" --argjson sfc "$sfc" \
		'{cniVersion: "1.0.0", name: $name, plugins: [
		  {type: "ptp",
		   ipam: {type: "host-local", subnet: "10.98.0.0/24", dataDir: $dir}},
		  $sfc]}' >"$TMP/ptp.conflist"
	BR=$TMP/br.conflist
	PTP=$TMP/ptp.conflist
	load_list "$BR" && load_list "$PTP"
}

setup() {
	setup_ns HOST POD_A POD_B POD_B2 POD_C POD_D POD_Z || return 1
	ip netns exec "$HOST" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	vnf_two_port VNF v1i v1o || return 1
	ip -n "$HOST" link add xh type veth peer name xp || return 1
	# The bridge plugin creates cnibr0 if missing, with the kernel's
	# default of a MAC that follows the lowest port's; its CHECK then
	# fails once a port with a lower MAC joins. A bridge with its own
	# MAC keeps it, and the plugin uses the bridge it finds.
	ip -n "$HOST" link add cnibr0 address 02:5f:c0:00:00:01 type bridge &&
		ip -n "$HOST" link set cnibr0 up || return 1
	sfc_bpffs || return 1
	write_lists
}

sfc_port_dev() {	# NAME: the device of sfc port NAME ('' if none)
	sfc "$HOST" export | jq -r --arg n "$1" '.ports[] | select(.name == $n) | .device'
}

# pod_veth NS: the host side of NS's eth0, as the kernel says (ifindex of
# eth0's peer), for comparing with what sfc-cni found.
pod_veth() {
	local peer
	peer=$(ip -n "$1" -j link show eth0 | jq '.[0].link_index')
	ip -n "$HOST" -j link show | jq -r --argjson i "$peer" '.[] | select(.ifindex == $i) | .ifname'
}

pod_ip() {
	ip -n "$1" -j addr show eth0 | jq -r '.[0].addr_info[] | select(.family == "inet") | .local'
}

hop_packets() {	# CHAIN DIR HOP
	sfc "$HOST" -j stats | jq -r --arg c "$1" --arg d "$2" --argjson h "$3" \
		'.chains[] | select(.name == $c) | .[$d][$h].packets'
}

log_has() {	# TEXT: the plugin's log has a line with TEXT
	grep -qF -- "$1" "$TMP/sfc-cni.log"
}

filter_on() {	# DEV: our filter is on DEV's ingress
	tc -n "$HOST" filter show dev "$1" ingress 2>/dev/null | grep -q sfc_tc_ingress
}

# --- tests ---------------------------------------------------------------------

# The chain names pods that do not exist yet: accepted, pending.
test_pending_chain() {
	sfc "$HOST" port add v1i dev v1i && sfc "$HOST" port add v1o dev v1o &&
	sfc "$HOST" port-pair add pp1 ingress v1i egress v1o &&
	sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	sfc "$HOST" flow-classifier add fc-ab ethertype IPv4 protocol icmp \
		logical-source-port default/a logical-destination-port default/b &&
	sfc "$HOST" port-chain add c-ab port-pair-group g1 flow-classifier fc-ab \
		symmetric on
	log_test $? "a chain naming pods default/a and default/b before they exist"
	sfc "$HOST" flow-classifier add fc-typo logical-source-port nosuchport \
		2>/dev/null
	check_eq "a missing port without a '/' is still refused" 1 $?
}

test_add() {
	local out
	out=$(cni "$BR" ADD cid-a "$POD_A" eth0 "$(pod_args default a)")
	log_test $? "ADD default/a: bridge, then sfc-cni"
	check_eq "sfc-cni passed the bridge's result on (cniVersion set)" \
		"$(jq -cS 'del(.cniVersion)' "$TMP/res.cid-a.eth0.0" 2>/dev/null || echo x)" \
		"$(jq -cS 'del(.cniVersion)' "$CACHE/sfc-br/cid-a:eth0")"
	check_eq "... and its cniVersion is the configuration's" 1.0.0 \
		"$(jq -r .cniVersion "$CACHE/sfc-br/cid-a:eth0")"
	check_eq "port default/a is a's host veth (its eth0's peer)" \
		"$(pod_veth "$POD_A")" "$(sfc_port_dev default/a)"
	check_eq "... with a's mac" "$(mac_of "$POD_A" eth0)" \
		"$(sfc "$HOST" export | jq -r '.ports[] | select(.name == "default/a") | .mac')"
	filter_on "$(pod_veth "$POD_A")"
	log_test $? "the programs are attached to it"
	! log_has "chain c-ab: fc-ab now active"
	log_test $? "c-ab stays pending while default/b is missing"

	cni "$BR" ADD cid-b "$POD_B" eth0 "$(pod_args default b)"
	log_test $? "ADD default/b"
	log_has "chain c-ab: fc-ab now active"
	log_test $? "c-ab's classifier became active with default/b (sfc-cni's log says so)"
}

test_traffic() {
	local vnf0 fwd0 b
	b=$(pod_ip "$POD_B")
	vnf0=$(dev_rx_packets "$VNF" in)
	fwd0=$(hop_packets c-ab forward 0)
	ip netns exec "$POD_A" ping -q -c 5 -i 0.1 -W 2 "$b" >/dev/null
	log_test $? "ping default/a -> default/b ($b)"
	check_ge "the vnf saw the echo requests" $((vnf0 + 5)) "$(dev_rx_packets "$VNF" in)"
	check_ge "c-ab forward hop 0 counted them" $((fwd0 + 5)) "$(hop_packets c-ab forward 0)"
	check_ge "c-ab reverse hop 0 counted the replies" 5 "$(hop_packets c-ab reverse 0)"
}

test_check() {
	local out
	out=$(cni "$BR" CHECK cid-a "$POD_A" eth0 "$(pod_args default a)")
	log_test $? "CHECK default/a (bridge and sfc-cni)${out:+: $out}"
	sfc "$HOST" detach port default/a >/dev/null
	out=$(cni "$BR" CHECK cid-a "$POD_A" eth0 "$(pod_args default a)")
	check_eq "CHECK fails once the filter is gone (code 103)" 103 \
		"$(sed -n 's/^sfc-cni CHECK: //p' <<<"$out" | jq .code)"
	sfc "$HOST" attach >/dev/null
	cni "$BR" CHECK cid-a "$POD_A" eth0 "$(pod_args default a)" >/dev/null
	log_test $? "CHECK passes again after sfcctl attach"
}

# A new sandbox of pod b (another container id) takes the name over; the
# old sandbox's DEL must not remove it.
test_takeover() {
	local old new vnf0
	old=$(pod_veth "$POD_B")
	cni "$BR" ADD cid-b2 "$POD_B2" eth0 "$(pod_args default b)"
	log_test $? "ADD a second sandbox of default/b"
	new=$(pod_veth "$POD_B2")
	check_eq "default/b moved to the new sandbox's veth" "$new" "$(sfc_port_dev default/b)"
	cni "$BR" DEL cid-b "$POD_B" eth0 "$(pod_args default b)"
	log_test $? "DEL the old sandbox"
	check_eq "... left default/b on the new sandbox" "$new" "$(sfc_port_dev default/b)"
	ip -n "$HOST" link show "$old" >/dev/null 2>&1
	check_eq "... and the bridge plugin removed the old veth" 1 $?
	vnf0=$(dev_rx_packets "$VNF" in)
	ip netns exec "$POD_A" ping -q -c 3 -i 0.1 -W 2 "$(pod_ip "$POD_B2")" >/dev/null
	log_test $? "ping default/a -> the new default/b"
	check_ge "... through the vnf" $((vnf0 + 3)) "$(dev_rx_packets "$VNF" in)"
}

test_del() {
	local fwd b2 veth
	b2=$(pod_ip "$POD_B2")
	veth=$(pod_veth "$POD_B2")
	cni "$BR" DEL cid-b2 "$POD_B2" eth0 "$(pod_args default b)"
	log_test $? "DEL default/b"
	check_eq "port default/b is gone" "" "$(sfc_port_dev default/b)"
	check_eq "c-ab and its classifier naming default/b stay configured" default/b \
		"$(sfc "$HOST" export | jq -r '.flow_classifiers[] | select(.name == "fc-ab") | .logical_destination_port')"
	log_has "chain c-ab: fc-ab now pending"
	log_test $? "c-ab's classifier is pending again (sfc-cni's log says so)"
	fwd=$(hop_packets c-ab forward 0)
	ip netns exec "$POD_A" ping -q -c 3 -i 0.1 -W 0.3 "$b2" >/dev/null 2>&1
	check_eq "c-ab's counters stop: nothing steered towards the gone pod" \
		"$fwd" "$(hop_packets c-ab forward 0)"
	cni "$BR" DEL cid-b2 "$POD_B2" eth0 "$(pod_args default b)"
	log_test $? "DEL again (idempotent)"
	cni "$BR" ADD cid-b3 "$POD_B" eth0 "$(pod_args default b)" &&
		ip netns exec "$POD_A" ping -q -c 3 -i 0.1 -W 2 "$(pod_ip "$POD_B")" >/dev/null
	log_test $? "default/b back (a third sandbox): ping through c-ab again"
	check_ge "c-ab's counters move again" $((fwd + 3)) "$(hop_packets c-ab forward 0)"
	cni "$BR" DEL cid-b3 "$POD_B" eth0 "$(pod_args default b)"
	log_test $? "DEL it"
	cni "$BR" DEL cid-never "" eth1 ""
	log_test $? "DEL of an attachment never added, without netns nor prevResult"
}

test_ptp() {
	local c
	cni "$PTP" ADD cid-c "$POD_C" eth0 "$(pod_args default c)"
	log_test $? "ADD default/c on the ptp network"
	check_eq "port default/c is c's host veth" "$(pod_veth "$POD_C")" \
		"$(sfc_port_dev default/c)"
	cni "$PTP" CHECK cid-c "$POD_C" eth0 "$(pod_args default c)" >/dev/null
	log_test $? "CHECK default/c"
	c=$(pod_ip "$POD_C")
	ip netns exec "$HOST" ping -q -c 3 -i 0.1 -W 2 "$c" >/dev/null
	log_test $? "ping the routed pod default/c from the host"
	check_ge "default/c's port counted its replies" 3 \
		"$(sfc_port_counter "$HOST" "$(pod_veth "$POD_C")" rx_packets)"
}

test_gc() {
	local veth
	cni "$BR" ADD cid-d "$POD_D" eth0 "$(pod_args default d)"
	log_test $? "ADD default/d"
	veth=$(pod_veth "$POD_D")
	cni_gc "$BR" cid-a:eth0
	log_test $? "GC of sfc-br with only default/a's attachment valid"
	check_eq "default/d's port is gone" "" "$(sfc_port_dev default/d)"
	filter_on "$veth"
	check_eq "... and its filter" 1 $?
	check_eq "default/a's stays" "$(pod_veth "$POD_A")" "$(sfc_port_dev default/a)"
	check_eq "default/c's (network sfc-ptp) stays" "$(pod_veth "$POD_C")" \
		"$(sfc_port_dev default/c)"
	cni "$BR" DEL cid-d "$POD_D" eth0 "$(pod_args default d)"
	log_test $? "DEL default/d after GC"
	cni_gc "$BR"
	log_test $? "GC with every cached attachment valid"
	check_eq "... changes nothing" "$(pod_veth "$POD_A")" "$(sfc_port_dev default/a)"
}

# A port sfcctl made is not sfc-cni's to take, nor to remove.
test_conflict() {
	local out
	sfc "$HOST" port add default/z dev xh
	out=$(cni "$BR" ADD cid-z "$POD_Z" eth0 "$(pod_args default z)")
	check_eq "ADD of a pod whose name sfcctl's port has fails (code 102)" 102 \
		"$(sed -n 's/^sfc-cni ADD: //p' <<<"$out" | jq .code)"
	cni "$BR" DEL cid-z "$POD_Z" eth0 "$(pod_args default z)"
	log_test $? "DEL after the failed ADD (what a runtime does)"
	check_eq "default/z is still sfcctl's, on xh" xh "$(sfc_port_dev default/z)"
	sfc "$HOST" port del default/z
}

# Pods torn down without DEL (a runtime crash, a reboot): their ports name
# devices that are gone, which no commit accepts; the next sfc-cni command,
# or `sfc-cni sweep`, removes them.
test_sweep() {
	local err
	setup_ns POD_E POD_F || return 1
	cni "$BR" ADD cid-e "$POD_E" eth0 "$(pod_args default e)" &&
		cni "$BR" ADD cid-f "$POD_F" eth0 "$(pod_args default f)"
	log_test $? "ADD default/e and default/f"
	ip netns del "$POD_E" && ip netns del "$POD_F"	# their veths go too
	err=$(sfc "$HOST" port add xp dev xp 2>&1)
	check_eq "then sfcctl cannot commit" "sfcctl: port default/e: no device" \
		"$(grep -o 'sfcctl: port default/[ef]: no device' <<<"$err")"
	ip netns exec "$HOST" "$SFC_CNI" sweep "state=$SFC_STATE" "bpffs=$SFC_PIN"
	log_test $? "sfc-cni sweep"
	check_eq "... removed both ports" "" \
		"$(sfc_port_dev default/e)$(sfc_port_dev default/f)"
	check_eq "... and their records" "" \
		"$(cd "$(dirname "$SFC_STATE")/cni/sfc-br" && shopt -s nullglob && echo cid-[ef]*)"
	sfc "$HOST" port add xp dev xp && sfc "$HOST" port del xp
	log_test $? "sfcctl commits again"
	setup_ns POD_E || return 1
	cni "$BR" ADD cid-e2 "$POD_E" eth0 "$(pod_args default e)" >/dev/null &&
		ip netns del "$POD_E" &&
		cni "$BR" DEL cid-never "" eth0 ""
	check_eq "a DEL of another attachment sweeps too" "" "$(sfc_port_dev default/e)"
	# The runtime's DEL comes eventually: host-local frees the addresses.
	cni "$BR" DEL cid-e "" eth0 "$(pod_args default e)" &&
		cni "$BR" DEL cid-f "" eth0 "$(pod_args default f)" &&
		cni "$BR" DEL cid-e2 "" eth0 "$(pod_args default e)"
	log_test $? "their DELs, late and without netns, succeed"
}

# par_cni CMD: CMD for pods par/p1..4 at once; prints how many failed.
par_cni() {
	local i ns pids=() fails=0
	for i in 1 2 3 4; do
		ns=PAR$i
		cni "$BR" "$1" "cid-par$i" "${!ns}" eth0 "$(pod_args par "p$i")" >/dev/null &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fails=$((fails + 1)); done
	echo "$fails"
}

par_ports() {
	sfc "$HOST" export | jq '[.ports[] | select(.name | startswith("par/"))] | length'
}

# Pods that classifiers name, added and deleted four at a time: every
# commit changes the rules (no shortcut), and the lock serialises them.
test_parallel_named() {
	local i
	for i in 1 2 3 4; do
		sfc "$HOST" flow-classifier add "fc-par$i" logical-source-port "par/p$i" ||
			return 1
	done
	sfc "$HOST" port-chain add c-par port-pair-group g1 flow-classifier fc-par1 \
		flow-classifier fc-par2 flow-classifier fc-par3 flow-classifier fc-par4
	log_test $? "a chain with four classifiers naming four pods to come"
	setup_ns PAR1 PAR2 PAR3 PAR4 || return 1
	check_eq "four parallel ADDs succeeded" 0 "$(par_cni ADD)"
	check_eq "... all four ports are there" 4 "$(par_ports)"
	check_eq "... and all four classifiers became active" 4 \
		"$(grep -c 'chain c-par: fc-par[1-4] now active' "$TMP/sfc-cni.log")"
	check_eq "four parallel DELs succeeded" 0 "$(par_cni DEL)"
	check_eq "... no port left" 0 "$(par_ports)"
	check_eq "... all four classifiers pending again" 4 \
		"$(grep -c 'chain c-par: fc-par[1-4] now pending' "$TMP/sfc-cni.log")"
}

# churn_worker W N: N ADD/DEL cycles of pods churn/wW-I in fresh namespaces.
churn_worker() {
	local w=$1 n=$2 i ns fails=0
	for ((i = 0; i < n; i++)); do
		ns=churn-$$-$w-$i
		ip netns add "$ns" || { fails=$((fails + 1)); continue; }
		cni "$BR" ADD "churn$w-$i" "$ns" eth0 "$(pod_args churn "w$w-$i")" >/dev/null ||
			fails=$((fails + 1))
		cni "$BR" DEL "churn$w-$i" "$ns" eth0 "$(pod_args churn "w$w-$i")" >/dev/null ||
			fails=$((fails + 1))
		ip netns del "$ns"
	done
	echo "$fails" >"$TMP/churn.$w"
}

count_map() {	# MAP: entries of a pinned map
	bpftool -j map dump pinned "$SFC_PIN/$1" | jq length
}

test_churn() {
	local w fails=0 start=$SECONDS ports
	defer "ip netns list | awk '/^churn-$$-/ { print \$1 }' | xargs -rn1 ip netns del"
	for w in 1 2 3 4; do
		churn_worker "$w" 50 &
	done
	wait
	for w in 1 2 3 4; do
		fails=$((fails + $(cat "$TMP/churn.$w")))
	done
	check_eq "200 ADD/DEL cycles, four at a time, all succeeded ($((SECONDS - start)) s)" 0 "$fails"
	ports=$(sfc "$HOST" export | jq '.ports | length')
	check_eq "no churn port left in the configuration" 0 \
		"$(sfc "$HOST" export | jq '[.ports[] | select(.name | startswith("churn/"))] | length')"
	check_eq "sfc_ports holds exactly the configured ports" "$ports" "$(count_map sfc_ports)"
	check_eq "sfc_macs holds exactly the configured macs" \
		"$(sfc "$HOST" export | jq '[.ports[] | select(.mac)] | length')" \
		"$(count_map sfc_macs)"
	check_eq "only default/a's record is left in sfc-br" "cid-a:eth0" \
		"$(ls "$(dirname "$SFC_STATE")/cni/sfc-br")"
	check_eq "only default/a's veth is left on cnibr0" "$(pod_veth "$POD_A")" \
		"$(ip -n "$HOST" -j link show master cnibr0 | jq -r '.[].ifname' | xargs)"
	check_eq "host-local holds only default/a's address" "$(pod_ip "$POD_A")" \
		"$(cd "$TMP/ipam/sfc-br" && echo [0-9]*)"
	check_eq "no filter on a device that is no port" "" \
		"$(for d in $(ip -n "$HOST" -j link show | jq -r '.[].ifname'); do
			filter_on "$d" && ! sfc "$HOST" export |
				jq -e --arg d "$d" '.ports[] | select(.device == $d)' >/dev/null &&
				echo "$d"
		   done)"
	check_eq "the configuration is whole: every port once" "$ports" \
		"$(sfc "$HOST" export | jq '[.ports[].name] | unique | length')"
}

setup || skip "could not build the topology"
test_pending_chain
test_add
test_traffic
test_check
test_takeover
test_del
test_ptp
test_gc
test_conflict
test_sweep
test_parallel_named
test_churn
[ $RET = 0 ] || { echo "# sfc-cni's log:"; tail -n 40 "$TMP/sfc-cni.log" | sed 's/^/# /'; }
exit $RET
