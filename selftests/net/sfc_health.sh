#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Health checks of VNF instances: `sfcctl health run` probes each instance
# of a group through the function itself (ICMP echo into the pair's
# ingress port, expected back on its egress port) and publishes up/down
# transitions in the sfc_health map.
#
#   app1 ns 10.0.0.1                               app2 ns 10.0.0.2
#      eth0                                           eth0
#       |                                              |
#   +---p1-------------------- br0 -------------------p4------ host ns --+
#   |  v1i v1o     v2i v2o     v3i v3o     (v4i v4o)      v5             |
#   +---|---|-------|---|-------|---|--------|---|---------|--------------+
#     [ vnf1 ]    [ vnf2 ]    [ vnf3 ]    [ vnf4 ]     [ vnf5 ]
#     two-port VNFs: in->out, out->in (tc mirred)      one port: p->p
#
# Group g = pp1, pp2, pp3, health-check on: interval 200 ms, timeout 100 ms,
# rise 2, fall 2; chain c (ICMP app1 -> app2) through g. Group g1p = pp5,
# the one-port VNF, same checks. The checker runs in the background in the
# host namespace with the test's pins and state.
# Checks: `health run --once` gives every instance a verdict; all up;
# vnf2 stops forwarding -> pp2 down within interval x fall (+ timeout and
# slack), logged once, the others stay up; vnf2 forwards again -> pp2 up
# within interval x rise; the sfc_health map and `health show -j` agree;
# the same for the one-port VNF (probe out and back by one device);
# a link down (send fails) is a failure too; a pair added to the group
# later is probed (the checker follows the state file); health-check off
# removes the group's entries; the probes are counted as health-probe
# drops, never as unknown-hop or unsteered-to-vnf; SIGTERM stops the
# checker cleanly.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq tc bpftool
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
INTERVAL=200
TIMEOUT=100
RISE=2
FALL=2
SLACK=600	# ms: sfcctl start-up, polling, a loaded machine
LOG=$TMP/health.log
DOWN_LIMIT=$((INTERVAL * FALL + TIMEOUT + SLACK))
UP_LIMIT=$((INTERVAL * RISE + TIMEOUT + SLACK))
HEALTH="health-check on health-interval $INTERVAL health-timeout $TIMEOUT
	health-rise $RISE health-fall $FALL"

setup_topology() {
	bridged_pair || return 1
	vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o && vnf_two_port VNF4 v4i v4o &&
		vnf_one_port VNF5 v5 || return 1
	sfc_bpffs
}

configure() {
	local i
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for i in 1 2 3 4; do
		sfc "$HOST" port add v${i}i dev v${i}i && sfc "$HOST" port add v${i}o dev v${i}o &&
		sfc "$HOST" port-pair add pp$i ingress v${i}i egress v${i}o || return 1
	done
	sfc "$HOST" port add v5 dev v5 &&
	sfc "$HOST" port-pair add pp5 ingress v5 egress v5 || return 1
	sfc "$HOST" port-pair-group add g port-pair pp1 port-pair pp2 port-pair pp3 \
		$HEALTH &&
	sfc "$HOST" port-pair-group add g1p port-pair pp5 $HEALTH &&
	sfc "$HOST" flow-classifier add fc ethertype IPv4 protocol icmp \
		logical-source-port app1 destination-ip 10.0.0.2 &&
	sfc "$HOST" port-chain add c port-pair-group g flow-classifier fc symmetric on
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# health_field PAIR FIELD: from `sfcctl -j health show`.
health_field() {
	sfc "$HOST" -j health show | jq -r --arg p "$1" --arg f "$2" \
		'.instances[] | select(.pair == $p) | .[$f]'
}

# wait_state PAIR STATE LIMIT_MS: until `health show` says STATE; prints
# the milliseconds it took (since START_MS), fails after LIMIT_MS.
wait_state() {
	local now
	while :; do
		now=$(now_ms)
		if [ "$(health_field "$1" state)" = "$2" ]; then
			echo $((now - START_MS))
			return 0
		fi
		[ $((now - START_MS)) -gt "$3" ] && { echo "> $3"; return 1; }
		sleep 0.02
	done
}

# map_entry DEV: "state transitions since_ns" of DEV's sfc_health entry,
# read with bpftool (not sfcctl); "none" when there is none.
map_entry() {
	local ifindex bytes
	ifindex=$(ip -n "$HOST" -j link show dev "$1" | jq '.[0].ifindex')
	bytes=$(bpftool -j map lookup pinned "$SFC_PIN/sfc_health" key \
		$((ifindex & 255)) $((ifindex >> 8 & 255)) $((ifindex >> 16 & 255)) \
		$((ifindex >> 24)) 2>/dev/null | jq -r '.value // empty | join(" ")')
	[ -n "$bytes" ] || { echo none; return; }
	# struct sfc_health: u8 state, pad[3], u32 transitions, u64 since_ns (LE)
	set -- $bytes
	printf '%d %d %d\n' "$1" "$(le "${@:5:4}")" "$(le "${@:9:8}")"
}

le() {	# hex bytes, little endian -> decimal
	local v=0 i
	for ((i = $#; i >= 1; i--)); do
		v=$((v * 256 + ${!i}))
	done
	echo $v
}

# show_entry PAIR: the same triple from `sfcctl -j health show`.
show_entry() {
	sfc "$HOST" -j health show | jq -r --arg p "$1" '.instances[] |
		select(.pair == $p) | if .entry then
		"\(if .state == "down" then 1 else 0 end) \(.transitions) \(.since_ns)"
		else "none" end'
}

log_count() {
	grep -c -- "$1" "$LOG"
}

drops() {
	sfc_drop_counter "$HOST" "$1"
}

# check_transition "GROUP pair PAIR" FROM TO REASON DEV STATE TRANSITIONS:
# logged once, with its reason; the sfc_health entry of DEV (read by
# bpftool) holds STATE (0 up, 1 down) and TRANSITIONS, as `health show -j`
# says.
check_transition() {
	local who=$1 from=$2 to=$3 why=$4 dev=$5 pair=${1##* }
	check_eq "$pair $from -> $to logged once" 1 "$(log_count "group $who: $from -> $to")"
	grep -q -- "group $who: $from -> $to, $why" "$LOG"
	log_test $? "the log line says why ($why)"
	check_eq "sfc_health: $pair $to, transitions $7" "$6 $7" \
		"$(map_entry "$dev" | cut -d' ' -f1,2)"
	check_eq "sfc_health and health show -j agree ($pair)" "$(map_entry "$dev")" \
		"$(show_entry "$pair")"
}

test_once() {
	local out
	out=$(sfc "$HOST" -j health run --once --log "$TMP/once.log")
	log_test $? "health run --once exits 0"
	check_eq "--once: a verdict for the four instances" "up up up up" \
		"$(jq -r '[.instances[].state] | join(" ")' <<<"$out")"
	check_ge "--once: pp1 answered max(rise, fall) probes" $RISE \
		"$(jq -r '.instances[] | select(.pair == "pp1") | .probes_answered' <<<"$out")"
	check_eq "--once: nothing written while all are up" "none" "$(map_entry v1i)"
}

start_checker() {
	ip netns exec "$HOST" "$SFCCTL" --bpffs "$SFC_PIN" health run \
		--log "$LOG" &
	CHECKER=$!
	defer "kill $CHECKER 2>/dev/null"
	local i
	for ((i = 0; i < 50; i++)); do
		grep -q "probing 4 instances of 2 groups" "$LOG" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "probing 4 instances of 2 groups" "$LOG"
	log_test $? "health run started and probes 4 instances of 2 groups"
	# the first verdicts: rise + 1 intervals
	sleep "$(printf '%d.%03d' $((INTERVAL * (RISE + 1) / 1000)) \
		$((INTERVAL * (RISE + 1) % 1000)))"
}

test_all_up() {
	check_eq "all instances up" "up up up up" \
		"$(sfc "$HOST" -j health show | jq -r '[.instances[].state] | join(" ")')"
	check_eq "no sfc_health entries while all are up" "none none none none" \
		"$(map_entry v1i) $(map_entry v2i) $(map_entry v3i) $(map_entry v5)"
	check_eq "health show group g1p: only pp5" "pp5" \
		"$(sfc "$HOST" -j health show group g1p | jq -r '[.instances[].pair] | join(" ")')"
}

# change_then PAIR STATE LIMIT_MS WHAT CMD...: runs CMD, then PAIR must be
# STATE within LIMIT_MS.
change_then() {
	local pair=$1 state=$2 limit=$3 what=$4 took
	shift 4
	START_MS=$(now_ms)
	"$@"
	took=$(wait_state "$pair" "$state" "$limit")
	log_test $? "$what: $pair $state after $took ms (limit $limit)"
}

test_failure() {
	change_then pp2 down $DOWN_LIMIT "vnf2 stops forwarding" \
		ip netns exec "$VNF2" tc filter del dev in ingress
	sleep 0.5	# more failed probes: still one transition
	check_transition "g pair pp2" up down "$FALL probes timed out" v2i 1 1
	check_eq "pp1, pp3 stay up" "up up" \
		"$(health_field pp1 state) $(health_field pp3 state)"
}

test_recovery() {
	change_then pp2 up $UP_LIMIT "vnf2 forwards again" vnf_mirred "$VNF2" in out
	sleep 0.3
	check_transition "g pair pp2" down up "$RISE probes answered" v2i 0 2
}

test_link_down() {
	change_then pp3 down $DOWN_LIMIT "v3i link down" ip -n "$HOST" link set v3i down
	check_transition "g pair pp3" up down "$FALL probes failed, last: send on v3i" \
		v3i 1 1
	change_then pp3 up $UP_LIMIT "v3i link up" ip -n "$HOST" link set v3i up
}

test_one_port() {
	change_then pp5 down $DOWN_LIMIT "one-port vnf5 stops" \
		ip netns exec "$VNF5" tc filter del dev p ingress
	check_eq "pp1, pp2, pp3 stay up" "up up up" \
		"$(health_field pp1 state) $(health_field pp2 state) $(health_field pp3 state)"
	change_then pp5 up $UP_LIMIT "one-port vnf5 back" vnf_mirred "$VNF5" p p
	check_transition "g1p pair pp5" down up "$RISE probes answered" v5 0 2
}

test_follows_config() {
	# vnf4 is broken before it joins: the checker must probe it to know.
	ip netns exec "$VNF4" tc filter del dev in ingress
	# (a tick, up to an interval, before the checker reads the change)
	change_then pp4 down $((DOWN_LIMIT + INTERVAL)) \
		"the checker follows the state file: pp4 added to g, probed" \
		sfc "$HOST" port-pair-group set g port-pair pp1 port-pair pp2 \
		port-pair pp3 port-pair pp4

	sfc "$HOST" port-pair-group set g health-check off
	log_test $? "health-check off for group g"
	sleep 1.5
	check_eq "health-check off: the group's sfc_health entries are removed" \
		"none none" "$(map_entry v2i) $(map_entry v4i)"
	grep -q "group g pair pp4: no longer checked" "$LOG"
	log_test $? "the down instance leaving the checker is logged"
	check_eq "group g1p is still checked (pp5's entry kept)" "0 2" \
		"$(map_entry v5 | cut -d' ' -f1,2)"
}

test_drop_counters() {
	check_ge "probes counted as health-probe drops" 20 "$(drops health-probe)"
	check_eq "no unknown-hop drops" 0 "$(drops unknown-hop)"
	check_eq "no unsteered-to-vnf drops (probes carry the steered mark)" 0 \
		"$(drops unsteered-to-vnf)"
}

test_stop() {
	kill -TERM "$CHECKER"
	wait "$CHECKER"
	log_test $? "SIGTERM: the checker exits 0"
	grep -q "health checker stopped" "$LOG"
	log_test $? "and says so in its log"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure ports, pairs, group g (health-check on), chain c"
ip netns exec "$APP1" ping -q -c 3 -i 0.1 -W 2 10.0.0.2 >/dev/null
log_test $? "ping app1 -> app2 through group g"
test_once
start_checker
test_all_up
test_failure
test_recovery
test_link_down
test_one_port
test_follows_config
test_drop_counters
test_stop
echo "    info   checker log:"
sed 's/^/    info     /' "$LOG"
exit $RET
