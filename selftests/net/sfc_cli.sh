#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sfcctl's configuration commands against a real data plane.
#
#   host ns: veths p1..p10 and w1..w20 (peers q*, x*): devices for ports
#   app1 p1, app2 p2 (workloads with MACs), edge p6 (no MAC),
#   pp1 = v1i p3 / v1o p4, pp2 = v2 p5 (one port); g1 [pp1], g2 [pp2]
#   c1: g1, g2, fc1 (tcp from app1), symmetric
#   c2: g2, fc2 (icmpv6 to app2), chain-id 42, end direct
#   (p9, p10: a tap pair for a while, in test_groups)
#
# Checks: a valid configuration built on the command line, shown in text
# and JSON (the export format); every kind of bad input refused with exit
# 1, one line on stderr and neither the saved configuration (`sfcctl
# export`, byte for byte) nor the live data plane generation changed;
# apply -f of an export is a no-op, apply of an edited one changes just
# that and keeps ids; restore; 20 concurrent writers all land; sfcctl
# killed (-9) at random points leaves the old or the new configuration.
# Port pair groups: the load-balancing, health-check and tap keywords, in
# the export and in show, with each instance's health from sfc_health.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq bpftool cmp
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup() {
	local i
	setup_ns HOST || return 1
	for i in $(seq 10); do
		ip -n "$HOST" link add "p$i" type veth peer name "q$i" &&
			ip -n "$HOST" link set "p$i" up || return 1
	done
	for i in $(seq 20); do
		ip -n "$HOST" link add "w$i" type veth peer name "x$i" || return 1
	done
	sfc_bpffs
}

configure() {
	sfc "$HOST" port add app1 dev p1 mac 02:00:00:00:00:01 &&
	sfc "$HOST" port add app2 dev p2 mac 02:00:00:00:00:02 &&
	sfc "$HOST" port add v1i dev p3 && sfc "$HOST" port add v1o dev p4 &&
	sfc "$HOST" port create v2 dev p5 && sfc "$HOST" port add edge dev p6 &&
	sfc "$HOST" port-pair add pp1 ingress v1i egress v1o &&
	sfc "$HOST" port-pair add pp2 ingress v2 egress v2 weight 3 &&
	sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	sfc "$HOST" port-pair-group add g2 port-pair pp2 &&
	sfc "$HOST" flow-classifier add fc1 ethertype IPv4 protocol tcp \
		source-ip 10.0.0.0/24 destination-port 80-90 \
		logical-source-port app1 &&
	sfc "$HOST" flow-classifier add fc2 ethertype IPv6 protocol icmpv6 \
		logical-destination-port app2 priority 10 &&
	sfc "$HOST" port-chain add c1 port-pair-group g1 port-pair-group g2 \
		flow-classifier fc1 symmetric on &&
	sfc "$HOST" port-chain add c2 port-pair-group g2 flow-classifier fc2 \
		chain-id 42 end direct
}

# The generation the data plane runs: it moves on every commit.
live_generation() {
	bpftool -j map dump pinned "$SFC_PIN/sfc_global" |
		jq '.[0].formatted.value.generation'
}

test_show() {
	check_eq "port show (text, command-line words)" \
		"port app1 dev p1 mac 02:00:00:00:00:01 id 1" \
		"$(sfc "$HOST" port show app1)"
	check_eq "port-chain show (text)" \
		"port-chain c2 chain-id 42 port-pair-group g2 flow-classifier fc2 symmetric off correlation none end direct id 2" \
		"$(sfc "$HOST" port-chain s c2)"
	check_eq "flow-classifier -j show is the export's object" \
		"$(sfc "$HOST" export | jq -cS '.flow_classifiers[0]')" \
		"$(sfc "$HOST" -j flow-classifier show fc1 | jq -cS .)"
	check_eq "port-pair -j list is the export's array" \
		"$(sfc "$HOST" export | jq -cS '.port_pairs')" \
		"$(sfc "$HOST" -j port-pair list | jq -cS .)"
	check_eq "a port pair group list" "g1 g2" \
		"$(sfc "$HOST" port-pair-group | awk '/^port-pair-group/ { print $2 }' | xargs)"
	check_eq "... with a line per instance" \
		"    instance pp2 weight 3 health up transitions 0" \
		"$(sfc "$HOST" port-pair-group list | sed -n 4p)"
	sfc "$HOST" port-chain help | grep -q '^Usage: sfcctl port-chain'
	log_test $? "port-chain help"
	sfc "$HOST" flow-classifier add help | grep -q 'destination-port N\[-M\]'
	log_test $? "flow-classifier add help lists the keywords"
	check_eq "--state FILE wins over \$SFC_STATE" 0 \
		"$(sfc "$HOST" --state "$TMP/other.json" export | jq '.ports | length')"
	check_eq "all ports attached" 6 \
		"$(sfc "$HOST" -j status | jq '[.ports[] | select(.attached)] | length')"
}

# refused WHAT MESSAGE ARGS...: sfcctl ARGS must fail with exit 1 and one
# line on stderr containing MESSAGE, print nothing on stdout, and change
# neither the saved configuration nor the live data plane.
refused() {
	local what=$1 msg=$2 rc gen err; shift 2
	gen=$(live_generation)
	sfc "$HOST" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	err=$(cat "$TMP/err")
	sfc "$HOST" export >"$TMP/after.json"
	if [ "$rc" != 1 ]; then
		log_test 1 "$what: exit $rc ($err)"
	elif [ "$(wc -l <"$TMP/err")" != 1 ] || [[ $err != *"$msg"* ]]; then
		log_test 1 "$what: expected one line with '$msg', got '$err'"
	elif [ -s "$TMP/out" ]; then
		log_test 1 "$what: printed on stdout: $(head -c 200 "$TMP/out")"
	elif ! cmp -s "$TMP/before.json" "$TMP/after.json"; then
		log_test 1 "$what: the saved configuration changed"
	elif [ "$(live_generation)" != "$gen" ]; then
		log_test 1 "$what: the data plane switched generation"
	else
		log_test 0 "$what: $err"
	fi
}

test_bad_input() {
	local long
	long=$(printf 'n%.0s' $(seq 64))
	sfc "$HOST" export >"$TMP/before.json"

	# unknown names and dangling references
	refused "unknown port in a pair" "ingress: unknown port nope" \
		port-pair add ppx ingress nope egress v1o
	refused "unknown pair in a group" "unknown port pair nope" \
		port-pair-group add gx port-pair nope
	refused "unknown group in a chain" "unknown port pair group nope" \
		port-chain set c1 port-pair-group nope
	refused "unknown classifier in a chain" "unknown flow classifier nope" \
		port-chain add cx port-pair-group g1 flow-classifier nope
	refused "unknown logical port" "unknown port nope" \
		flow-classifier add fcx logical-source-port nope
	refused "show of an unknown name" "no port named nope" port show nope
	refused "set of an unknown name" "no port chain named nope" \
		port-chain set nope symmetric on
	refused "del of an unknown name" "no flow classifier named nope" \
		flow-classifier del nope
	refused "a device that does not exist" "no device nosuchdev" \
		port add p9 dev nosuchdev
	refused "attach of an unknown port" "no port named nope" attach port nope

	# deleting what is in use
	refused "del a port a classifier uses" \
		"port app1 is used by flow classifier fc1" port del app1
	refused "del a port a pair uses" "port v1i is used by port pair pp1" \
		port delete v1i
	refused "del a pair a group uses" \
		"port pair pp1 is used by port pair group g1" port-pair del pp1
	refused "del a group a chain uses" \
		"port pair group g2 is used by port chain c1" port-pair-group del g2
	refused "del a classifier a chain uses" \
		"flow classifier fc1 is used by port chain c1" flow-classifier del fc1

	# bad values
	refused "a prefix with host bits" "bad prefix '10.0.0.1/8'" \
		flow-classifier add fcx source-ip 10.0.0.1/8
	refused "a prefix longer than /32" "bad prefix '10.0.0.0/33'" \
		flow-classifier add fcx destination-ip 10.0.0.0/33
	refused "a reversed port range" "bad port range '90-80'" \
		flow-classifier add fcx protocol tcp source-port 90-80
	refused "a port beyond 65535" "bad port range '70000'" \
		flow-classifier add fcx protocol udp destination-port 70000
	refused "ports without tcp/udp/sctp" "port ranges need protocol" \
		flow-classifier add fcx protocol icmp destination-port 80
	refused "ethertype against the prefix" "is not IPv6" \
		flow-classifier add fcx ethertype IPv6 source-ip 10.0.0.0/8
	refused "a bad protocol" "bad protocol 'gre'" \
		flow-classifier add fcx protocol gre
	refused "a bad mac" "bad mac 'zz'" port add px dev p7 mac zz
	refused "weight 0" "bad number '0': expected 1..65535" \
		port-pair add ppx ingress v1i egress v1o weight 0
	refused "a bad on/off" "expected on or off" port-chain set c1 symmetric yes
	refused "a chain id beyond single-label MPLS" "does not fit the single-label MPLS SPI" \
		port-chain set c1 correlation mpls chain-id 5000
	refused "a logical destination port without mac" \
		"port edge has no mac: logical-destination-port needs it" \
		flow-classifier add fcx logical-destination-port edge
	refused "a VNF port as logical source port" \
		"port v1i is a VNF port (port pair pp1)" \
		flow-classifier add fcx logical-source-port v1i

	# port pair groups: load balancing, health checks, taps
	refused "an unknown lb field" "bad lb field 'mac': expected eth_src," \
		port-pair-group set g1 lb-fields 'ip_src&mac'
	refused "an unknown lb field, comma-separated" "bad lb field 'ip'" \
		port-pair-group add gx port-pair pp1 lb-fields ip,ip_dst
	refused "an empty lb field" "bad lb field ''" \
		port-pair-group set g1 lb-fields 'ip_src&&ip_dst'
	refused "a bad lb-symmetric" "lb-symmetric: bad value 'yes'" \
		port-pair-group set g1 lb-symmetric yes
	refused "a bad tap" "tap: bad value '1': expected on or off" \
		port-pair-group set g1 tap 1
	refused "a bad fail mode" "bad value 'half': expected open or close" \
		port-pair-group set g1 fail-mode half
	refused "a bad health-check" "health-check: bad value 'yes'" \
		port-pair-group set g1 health-check yes
	refused "a health interval below 100 ms" \
		"health-interval: bad number '99': expected 100..3600000" \
		port-pair-group set g1 health-interval 99
	refused "a health interval above an hour" \
		"bad number '3600001': expected 100..3600000" \
		port-pair-group set g1 health-interval 3600001
	refused "a health timeout not below the interval" \
		"port pair group g1: health-timeout 1000 ms is not below health-interval 1000 ms" \
		port-pair-group set g1 health-check on health-timeout 1000
	refused "an interval not above the default timeout" \
		"health-timeout 500 ms is not below health-interval 500 ms" \
		port-pair-group set g1 health-interval 500
	refused "health-rise 0" "health-rise: bad number '0': expected 1..100" \
		port-pair-group set g1 health-rise 0
	refused "health-fall 101" "health-fall: bad number '101': expected 1..100" \
		port-pair-group set g1 health-fall 101
	refused "a bad probe address" "probe-src: bad address '10.0.0'" \
		port-pair-group set g1 probe-src 10.0.0
	refused "an IPv6 probe address" "probe-dst: bad address 'fd00::1'" \
		port-pair-group set g1 probe-dst fd00::1
	refused "a multicast probe address" \
		"bad address '224.0.0.5': not a unicast IPv4 address" \
		port-pair-group set g1 probe-dst 224.0.0.5
	refused "one address for both probe ends" \
		"probe-src and probe-dst are both 169.254.255.2" \
		port-pair-group set g1 probe-src 169.254.255.2
	refused "a chain of tap groups only" \
		"port chain c2 has only tap groups: nothing forwards its traffic" \
		port-pair-group set g2 tap on
	refused "a pair in a tap group and a chain group" \
		"port pair pp1 is in tap group gx and in group g1: a port cannot be both a tap return port and a chain return port" \
		port-pair-group add gx port-pair pp1 tap on
	refused "a port pair weight of 65536" \
		"weight: bad number '65536': expected 1..65535" \
		port-pair set pp1 weight 65536
	jq '.port_pair_groups[0].port_pair_group_parameters.health_check.rise = 0' \
		"$TMP/before.json" >"$TMP/bad.json"
	refused "apply with a bad health check parameter" \
		"port_pair_groups[0].port_pair_group_parameters.health_check.rise: bad number '0'" \
		apply -f "$TMP/bad.json"
	jq '.port_pair_groups[1].port_pair_group_parameters.lb_fields = "ip_src&vlan"' \
		"$TMP/before.json" >"$TMP/bad.json"
	refused "apply with an unknown lb field" \
		"port_pair_groups[1].port_pair_group_parameters.lb_fields: bad lb field 'vlan'" \
		apply -f "$TMP/bad.json"
	jq '.port_pair_groups[0].tap_enabled = "yes"' \
		"$TMP/before.json" >"$TMP/bad.json"
	refused "apply with a non-boolean tap_enabled" \
		"port_pair_groups[0].tap_enabled: expected a boolean" \
		apply -f "$TMP/bad.json"

	# chains
	refused "a chain without groups" "missing 'port-pair-group PPG'" \
		port-chain add cx flow-classifier fc2
	refused "a group twice in a chain" "lists port pair group g1 twice" \
		port-chain add cx port-pair-group g1 port-pair-group g1
	refused "a classifier in two chains" \
		"flow classifier fc1 is used by port chains c1 and cx" \
		port-chain add cx port-pair-group g1 flow-classifier fc1
	refused "a chain id taken" "have the same chain-id 42" \
		port-chain add cx port-pair-group g1 chain-id 42
	refused "a group without pairs" "missing 'port-pair PAIR'" \
		port-pair-group add gx

	# names
	refused "a name too long" "is too long (max 63 characters)" \
		port add "$long" dev p7
	refused "a bad name" "bad name 'a b'" port add "a b" dev p7
	refused "a duplicate name" "port app1 already exists" port add app1 dev p7
	refused "a duplicate device" "ports app1 and px have the same dev p1" \
		port add px dev p1

	# the command line itself
	refused "an unknown keyword" "unknown keyword 'colour' for port" \
		port add px dev p7 colour red
	refused "a missing value" "dev: missing value" port add px dev
	refused "a missing name" "port: missing NAME" port add
	refused "a keyword given twice" "protocol: given twice" \
		flow-classifier add fcx protocol tcp protocol udp
	refused "an ambiguous keyword" "ambiguous keyword 's'" \
		flow-classifier add fcx s 10.0.0.0/8
	refused "an unknown command" "unknown command 'frob'" port frob
	refused "an extra argument" "unexpected argument 'x'" export x

	# apply
	printf '{"ports": [' >"$TMP/bad.json"
	refused "apply of broken JSON" "bad JSON at line 1" apply -f "$TMP/bad.json"
	jq '.ports[0].colour = 1' "$TMP/before.json" >"$TMP/bad.json"
	refused "apply with an unknown key" "ports[0].colour: unknown key" \
		apply -f "$TMP/bad.json"
	jq '.flow_classifiers[1].source_ip_prefix = "10.0.0.1/8"' \
		"$TMP/before.json" >"$TMP/bad.json"
	refused "apply with a bad value" \
		"flow_classifiers[1].source_ip_prefix: bad prefix '10.0.0.1/8'" \
		apply -f "$TMP/bad.json"
	jq '.port_pairs += [{"name": "ppx", "ingress": "v1i", "egress": "gone"}]' \
		"$TMP/before.json" >"$TMP/bad.json"
	refused "apply with a dangling reference (the rest is valid)" \
		"port pair ppx: egress: unknown port gone" apply -f "$TMP/bad.json"
	refused "apply of a missing file" "No such file or directory" \
		apply -f "$TMP/missing.json"

	sfc "$HOST" -j port del app1 >"$TMP/out" 2>/dev/null
	check_eq "-j: the error as JSON on stdout" \
		"port app1 is used by flow classifier fc1 (logical-source-port)" \
		"$(jq -r .error "$TMP/out")"
}

test_apply_export_restore() {
	local gen
	sfc "$HOST" export >"$TMP/e1.json"
	sfc "$HOST" apply -f "$TMP/e1.json"
	log_test $? "apply -f of the export"
	sfc "$HOST" export | cmp -s - "$TMP/e1.json"
	log_test $? "... reproduces the same export, byte for byte"

	# Without ids, and one change: ids stay, the change lands.
	jq 'del(.ports[].id, .port_pair_groups[].id, .port_chains[].id)
	    | .port_chains[0].chain_parameters.symmetric = false' \
		"$TMP/e1.json" | sfc "$HOST" apply -f -
	log_test $? "apply -f - of an edited export without ids"
	check_eq "only the edit changed (and the generation)" \
		"$(jq -S 'del(.generation) | .port_chains[0].chain_parameters.symmetric = false' "$TMP/e1.json")" \
		"$(sfc "$HOST" export | jq -S 'del(.generation)')"

	sfc "$HOST" apply -f "$TMP/e1.json" && sfc "$HOST" restore
	log_test $? "restore"
	check_eq "restore keeps the configuration" \
		"$(jq -S 'del(.generation)' "$TMP/e1.json")" \
		"$(sfc "$HOST" export | jq -S 'del(.generation)')"
	gen=$(live_generation)
	check_eq "the saved generation is the live one" "$gen" \
		"$(sfc "$HOST" export | jq .generation)"
	check_eq "every port attached again" 6 \
		"$(sfc "$HOST" -j status | jq '[.ports[] | select(.attached)] | length')"
}

test_attach_detach() {
	local before ifindex
	before=$(sfc "$HOST" export)
	ifindex=$(ip -n "$HOST" -j link show p2 | jq '.[0].ifindex')
	sfc "$HOST" detach port app2 >/dev/null
	log_test $? "detach port app2"
	check_eq "app2's device has no filter" false \
		"$(sfc "$HOST" -j status |
		   jq --argjson i "$ifindex" '.ports[] | select(.ifindex == $i) | .attached')"
	check_eq "detach leaves the configuration as it was" "$before" \
		"$(sfc "$HOST" export)"
	sfc "$HOST" attach >/dev/null
	log_test $? "attach (every port)"
	check_eq "every port attached" 6 \
		"$(sfc "$HOST" -j status | jq '[.ports[] | select(.attached)] | length')"
}

# le_bytes N VALUE: VALUE as N little-endian hex bytes, for bpftool.
le_bytes() {
	local i
	for ((i = 0; i < $1; i++)); do
		printf '%02x ' $((($2 >> (8 * i)) & 255))
	done
}

# The new group keywords on the command line, in the export (defaults left
# out) and in show, with the health `sfcctl health` would have written;
# then a tap group; everything undone at the end.
test_groups() {
	local key since line _
	sfc "$HOST" export >"$TMP/groups.json"
	sfc "$HOST" port-pair-group set g1 lb-fields 'udp_dst&ip_src,eth_dst' \
		lb-symmetric off fail-mode open health-check on \
		health-interval 2000 health-timeout 300 health-rise 4 \
		health-fall 5 probe-src 192.0.2.1 probe-dst 192.0.2.2
	log_test $? "port-pair-group set with every load-balancing keyword"
	check_eq "... exported in networking-sfc's form" \
		'{"lb_fields":"eth_dst&ip_src&tcp_dst","symmetric":false,"fail_mode":"open","health_check":{"enabled":true,"interval_ms":2000,"timeout_ms":300,"rise":4,"fall":5,"probe_src":"192.0.2.1","probe_dst":"192.0.2.2"}}' \
		"$(sfc "$HOST" export | jq -c '.port_pair_groups[0].port_pair_group_parameters')"
	check_eq "... shown in command-line words" \
		"port-pair-group g1 port-pair pp1 lb-fields eth_dst&ip_src&tcp_dst lb-symmetric off fail-mode open health-check on health-interval 2000 health-timeout 300 health-rise 4 health-fall 5 probe-src 192.0.2.1 probe-dst 192.0.2.2 id 1" \
		"$(sfc "$HOST" port-pair-group show g1 | head -1)"
	check_eq "-j show is the export's object and the instances" \
		"$(sfc "$HOST" export | jq -cS '.port_pair_groups[0]')" \
		"$(sfc "$HOST" -j port-pair-group show g1 | jq -cS 'del(.instances)')"
	check_eq "an instance without a health entry is up" \
		'[{"port_pair":"pp1","weight":1,"health":"up","transitions":0}]' \
		"$(sfc "$HOST" -j port-pair-group show g1 | jq -c .instances)"

	# As `sfcctl health` records pp1 (ingress p3) going down 5 s ago.
	key=$(le_bytes 4 "$(ip -n "$HOST" -j link show p3 | jq '.[0].ifindex')")
	read -r since _ </proc/uptime	# CLOCK_BOOTTIME, in s with 2 decimals
	since=$(((${since/./} - 500) * 10000000))
	bpftool map update pinned "$SFC_PIN/sfc_health" key hex $key \
		value hex 01 00 00 00 $(le_bytes 4 3) $(le_bytes 8 "$since")
	log_test $? "an entry in sfc_health"
	check_eq "-j show: the instance is down, 3 transitions, since 5..59 s" \
		'{"port_pair":"pp1","weight":1,"health":"down","transitions":3,"since_s":true}' \
		"$(sfc "$HOST" -j port-pair-group show g1 |
		   jq -c '.instances[0] | .since_s |= (. >= 5 and . < 60)')"
	line=$(sfc "$HOST" port-pair-group show g1 | sed -n 2p)
	[[ $line =~ ^"    instance pp1 weight 1 health down transitions 3 since "[0-9]+"s ago"$ ]]
	log_test $? "text show: $line"
	bpftool map delete pinned "$SFC_PIN/sfc_health" key hex $key

	sfc "$HOST" port add t1 dev p9 && sfc "$HOST" port add t2 dev p10 &&
		sfc "$HOST" port-pair add ppt ingress t1 egress t2 &&
		sfc "$HOST" port-pair-group add gt port-pair ppt tap on &&
		sfc "$HOST" port-chain set c1 port-pair-group g1 \
			port-pair-group gt port-pair-group g2
	log_test $? "a tap group as a hop of a chain"
	check_eq "... exported as tap_enabled" true \
		"$(sfc "$HOST" export | jq '.port_pair_groups[2].tap_enabled')"

	sfc "$HOST" port-pair-group set g1 lb-fields 'ip_src&ip_dst&tcp_src&tcp_dst' \
		lb-symmetric on fail-mode close health-check off \
		health-interval 1000 health-timeout 500 health-rise 2 \
		health-fall 3 probe-src 169.254.255.1 probe-dst 169.254.255.2
	check_eq "set back to the defaults, nothing of them is exported" false \
		"$(sfc "$HOST" export | jq '.port_pair_groups[0] | has("port_pair_group_parameters")')"
	sfc "$HOST" port-chain set c1 port-pair-group g1 port-pair-group g2 &&
		sfc "$HOST" port-pair-group del gt && sfc "$HOST" port-pair del ppt &&
		sfc "$HOST" port del t1 && sfc "$HOST" port del t2
	check_eq "all undone: the export is the old one (but the generation)" \
		"$(jq -S 'del(.generation)' "$TMP/groups.json")" \
		"$(sfc "$HOST" export | jq -S 'del(.generation)')"
}

# 20 writers at once: the lock serialises them, none is lost.
test_concurrent_writers() {
	local i pids=() fails=0
	for i in $(seq 20); do
		ip netns exec "$HOST" "$SFCCTL" --bpffs "$SFC_PIN" port add "w$i" \
			dev "w$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || fails=$((fails + 1))
	done
	check_eq "20 concurrent port adds succeeded" 0 "$fails"
	check_eq "all 20 ports are in the configuration" 20 \
		"$(sfc "$HOST" export | jq '[.ports[] | select(.name | startswith("w"))] | length')"
	check_eq "with distinct ids" 26 \
		"$(sfc "$HOST" export | jq '[.ports[].id] | unique | length')"
}

# kill -9 at random points of a commit (one takes ~0.25 s: it waits out
# the previous switch's grace period): the file is the old or the new one.
test_kill() {
	local i before after old=0 new=0
	for i in $(seq 15); do
		before=$(sfc "$HOST" export | jq -c '[.ports[].name]')
		ip netns exec "$HOST" "$SFCCTL" --bpffs "$SFC_PIN" port add k dev p7 &
		sleep "0.$(printf %03d $((RANDOM % 300)))"
		kill -9 $! 2>/dev/null
		wait $! 2>/dev/null
		after=$(sfc "$HOST" export | jq -c '[.ports[].name]') || break
		if [ "$after" = "$before" ]; then
			old=$((old + 1))
		elif [ "$after" = "$(jq -c '. + ["k"]' <<<"$before")" ] &&
		     sfc "$HOST" port del k; then
			new=$((new + 1))
		fi
	done
	check_eq "15 kills mid-commit left the old ($old) or the new ($new) configuration" \
		15 $((old + new))
}

setup || skip "could not build the topology"
configure
log_test $? "a valid configuration on the command line"
test_show
test_groups
test_bad_input
test_apply_export_restore
test_attach_detach
test_concurrent_writers
test_kill
exit $RET
