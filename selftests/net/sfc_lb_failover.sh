#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What instance health does to traffic: failover, fail-close, fail-open.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2
#   group g: pp1, pp2, pp3 (two-port tc-mirred VNFs), health checks every
#   200 ms (fall 2, rise 2) by `sfcctl health run` in the background
#   chain c: udp dport 7000 from app1 -> g
#
# 1. all up: new flows spread over the three instances;
# 2. vnf2 stops forwarding: detected within interval x fall, and new
#    flows avoid it while every datagram still arrives;
#    the flows it had move and arrive;
# 3. vnf2 forwards again: back within interval x rise, new flows reach it,
#    flows that moved away stay where they went (stickiness);
# 4. every instance down, fail-close (the default): flows are dropped and
#    counted as group-down, none arrive;
# 5. fail-open: the same flows skip the group and arrive.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq tc tcpdump tshark
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
INTERVAL=200
FALL=2
RISE=2
LIMIT_MS=$((INTERVAL * 3 + 1000))	# interval x threshold + timeout + slack
SPORT=10000

setup_topology() {
	bridged_pair || return 1
	vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o || return 1
	APP2_MAC=$(mac_of "$APP2" eth0)
	sfc_bpffs
}

configure() {
	local i
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for i in 1 2 3; do
		sfc "$HOST" port add v${i}i dev v${i}i && sfc "$HOST" port add v${i}o dev v${i}o &&
		sfc "$HOST" port-pair add pp$i ingress v${i}i egress v${i}o || return 1
	done
	sfc "$HOST" port-pair-group add g port-pair pp1 port-pair pp2 port-pair pp3 \
		health-check on health-interval $INTERVAL health-timeout 100 \
		health-rise $RISE health-fall $FALL &&
	sfc "$HOST" flow-classifier add fc ethertype IPv4 protocol udp \
		logical-source-port app1 destination-port 7000 &&
	sfc "$HOST" port-chain add c port-pair-group g flow-classifier fc
}

start_checker() {
	sfc "$HOST" health run --log "$TMP/health.log" &
	defer "kill $! 2>/dev/null; wait $! 2>/dev/null"
}

health_of() {	# PAIR
	sfc "$HOST" -j health show 2>/dev/null |
		jq -r --arg p "$1" '.instances[] | select(.pair == $p) | .state'
}

# wait_health PAIR STATE: within LIMIT_MS; prints how long it took.
wait_health() {
	local start=$(date +%s%3N) now
	while :; do
		now=$(date +%s%3N)
		[ "$(health_of "$1")" = "$2" ] && { echo $((now - start)); return 0; }
		[ $((now - start)) -gt $LIMIT_MS ] && { echo "> $LIMIT_MS"; return 1; }
		sleep 0.05
	done
}

vnf_forwarding() {	# I on|off
	local ns=VNF$1
	if [ "$2" = off ]; then
		ip netns exec "${!ns}" tc filter del dev in ingress
	else
		vnf_mirred "${!ns}" in out
	fi
}

# burst N: N new UDP flows (source ports from $SPORT on: the caller moves
# SPORT on, a $(...) subshell cannot). Writes how many datagrams app2 and
# each VNF received to $TMP/{app2,vnf1,vnf2,vnf3}.count (health probes,
# which are ICMP, are not counted).
burst() {
	local i ns
	capture_start "$TMP/app2.pcap" "$APP2" eth0 udp dst port 7000
	for i in 1 2 3; do
		ns=VNF$i
		capture_start "$TMP/vnf$i.pcap" "${!ns}" in udp dst port 7000
	done
	sleep 0.3
	send_udp_flows "$APP1" "$APP2_MAC" 10.0.0.2 7000 "$SPORT" "$1"
	capture_stop
	for i in app2 vnf1 vnf2 vnf3; do
		tshark -r "$TMP/$i.pcap" 2>/dev/null | wc -l >"$TMP/$i.count"
	done
}

got() {	# WHO: from the last burst
	cat "$TMP/$1.count"
}

next_flows() {	# N
	burst "$1"
	SPORT=$((SPORT + $1))
}

test_all_up() {
	next_flows 300
	check_eq "all up: 300 flows arrive" 300 "$(got app2)"
	check_ge "all up: vnf1 took flows" 50 "$(got vnf1)"
	check_ge "all up: vnf2 took flows" 50 "$(got vnf2)"
	check_ge "all up: vnf3 took flows" 50 "$(got vnf3)"
}

test_failover() {
	local took old=$SPORT
	vnf_forwarding 2 off
	took=$(wait_health pp2 down)
	log_test $? "vnf2 stops forwarding: pp2 down after ${took} ms"
	next_flows 300
	check_eq "failover: all 300 new flows still arrive" 300 "$(got app2)"
	check_eq "failover: none of them went to vnf2" 0 "$(got vnf2)"
	SPORT=10000 burst 300	# the flows of the first burst again
	check_eq "failover: vnf2's old flows moved, all arrive" 300 "$(got app2)"
	vnf_forwarding 2 on
	took=$(wait_health pp2 up)
	log_test $? "vnf2 forwards again: pp2 up after ${took} ms"
	next_flows 300
	check_eq "recovery: all 300 new flows arrive" 300 "$(got app2)"
	check_ge "recovery: vnf2 takes new flows again" 50 "$(got vnf2)"
	SPORT=10000 burst 300
	check_eq "recovery: flows that moved away stay where they went" 0 "$(got vnf2)"
	check_eq "transitions logged: one down, one up for pp2" "1 1" \
		"$(grep -c 'pp2.*up -> down' "$TMP/health.log") $(grep -c 'pp2.*down -> up' "$TMP/health.log")"
}

group_down_drops() {
	sfc "$HOST" -j status | jq '.drops["group-down"]'
}

test_fail_close_and_open() {
	local i before
	for i in 1 2 3; do
		vnf_forwarding $i off
	done
	for i in 1 2 3; do
		wait_health pp$i down >/dev/null || log_test 1 "pp$i did not go down"
	done
	before=$(group_down_drops)
	next_flows 100
	check_eq "fail-close: no flow arrives while every instance is down" 0 \
		"$(got app2)"
	check_eq "fail-close: the 100 datagrams counted as group-down" \
		$((before + 100)) "$(group_down_drops)"
	sfc "$HOST" port-pair-group set g fail-mode open
	log_test $? "switch g to fail-open"
	next_flows 100
	check_eq "fail-open: all 100 flows skip the group and arrive" 100 "$(got app2)"
	check_eq "fail-open: no more group-down drops" $((before + 100)) \
		"$(group_down_drops)"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure a group of three with health checks"
start_checker
for i in 1 2 3; do
	wait_health pp$i up >/dev/null || log_test 1 "pp$i not up at start"
done
test_all_up
test_failover
test_fail_close_and_open
exit $RET
