#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Crash safety of sfcctl's transactions (issue 8).
#
#   host ns: veths p1..p8; two configurations A and B of the same ports:
#   A: c1 = g1 [pp1] -> g2 [pp2], symmetric, fc1 (tcp from app1)
#   B: A + pp3 in g1 (two instances), fc2 (udp to 10.0.0.0/24), chain c2 = g2
#
# sfcctl is killed (-9) at random points of `apply -f` (A <-> B), `port
# add` and `port-chain set`, as often as SFC_CRASH_SECONDS (default 28)
# allow: a commit right after another waits out its grace period (250
# ms), so that is ~60-80 kills; `SFC_CRASH_SECONDS=300` gives hundreds. After every kill the saved configuration must be exactly the old
# or the new one (never torn, never lost); the next sfcctl must run (no
# stale lock). Every few kills, `sfcctl restore` must rebuild the data
# plane's live configuration (ports, chains, groups, rule lists and rules
# of the live generation, as bpftool reads the maps) identical to what a
# clean apply of that same configuration produced.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq bpftool cmp timeout
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
BUDGET=${SFC_CRASH_SECONDS:-28}

setup() {
	local i
	setup_ns HOST || return 1
	for i in $(seq 8); do
		ip -n "$HOST" link add "p$i" type veth peer name "q$i" &&
			ip -n "$HOST" link set "p$i" up || return 1
	done
	sfc_bpffs
}

configure_a() {
	sfc "$HOST" port add app1 dev p1 mac 02:00:00:00:00:01 &&
	sfc "$HOST" port add app2 dev p2 mac 02:00:00:00:00:02 &&
	sfc "$HOST" port add v1i dev p3 && sfc "$HOST" port add v1o dev p4 &&
	sfc "$HOST" port add v2 dev p5 &&
	sfc "$HOST" port add v3i dev p6 && sfc "$HOST" port add v3o dev p7 &&
	sfc "$HOST" port-pair add pp1 ingress v1i egress v1o &&
	sfc "$HOST" port-pair add pp2 ingress v2 egress v2 &&
	sfc "$HOST" port-pair add pp3 ingress v3i egress v3o &&
	sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	sfc "$HOST" port-pair-group add g2 port-pair pp2 &&
	sfc "$HOST" flow-classifier add fc1 ethertype IPv4 protocol tcp \
		source-ip 10.0.0.0/24 destination-port 80-90 \
		logical-source-port app1 &&
	sfc "$HOST" flow-classifier add fc2 ethertype IPv4 protocol udp \
		destination-ip 10.0.0.0/24 logical-source-port app2 &&
	sfc "$HOST" port-chain add c1 port-pair-group g1 port-pair-group g2 \
		flow-classifier fc1 symmetric on
}

configure_b() {
	sfc "$HOST" port-pair-group set g1 port-pair pp1 port-pair pp3 &&
	sfc "$HOST" port-chain add c2 port-pair-group g2 flow-classifier fc2
}

# The live generation's configuration as the data plane holds it, in
# what it means rather than where it sits: ports; the chains of the live
# generation (entries of older generations are dead); the groups those
# chains name; the classifier's tuples and entries of the live slot (the
# slot number taken out); generation numbers and times removed.
live_maps() {
	local m
	for m in sfc_global sfc_ports sfc_chains sfc_ppgs sfc_class_tuples \
		sfc_class_rules sfc_class_more; do
		bpftool -j map dump pinned "$SFC_PIN/$m" >"$TMP/dump.$m" || return 1
	done
	jq -nS --slurpfile g "$TMP/dump.sfc_global" \
		--slurpfile ports "$TMP/dump.sfc_ports" \
		--slurpfile chains "$TMP/dump.sfc_chains" \
		--slurpfile ppgs "$TMP/dump.sfc_ppgs" \
		--slurpfile tuples "$TMP/dump.sfc_class_tuples" \
		--slurpfile crules "$TMP/dump.sfc_class_rules" \
		--slurpfile cmore "$TMP/dump.sfc_class_more" '
	($g[0][0].formatted.value) as $glob | ($glob.generation) as $gen |
	($gen % 2) as $slot |
	def slot(n): map(.formatted | select(.key >= $slot * n and
		.key < ($slot + 1) * n) | .key -= $slot * n);
	($chains[0] | slot(256) | map(select(.value.generation == $gen))
		| map(.value |= del(.generation))) as $live |
	([$live[].value.hops[] | select(. > 0)] | unique) as $used |
	($tuples[0] | map(.formatted) | map(select(.key == $slot))[0].value) as $t |
	{ global: ($glob | del(.generation, .switched_ns)),
	  ports: ($ports[0] | map(.formatted) | sort_by(.key.ifindex)),
	  chains: $live,
	  groups: ($ppgs[0] | slot(256) | map(select(.key as $k | any($used[]; . == $k)))),
	  tuples: $t.t[0:$t.count],
	  class_rules: ($crules[0] | map(.formatted | select(.key.slot == $slot)
		| .key |= del(.slot)) | sort_by(.key)),
	  class_more: ($cmore[0] | map(.formatted | select(.key.k.slot == $slot)
		| .key.k |= del(.slot)) | sort_by(.key)) }' | jq -c .
}

# normalized FILE: a saved configuration without its generation (and
# without the id of port k, which each add may give anew).
normalized() {
	jq -S 'del(.generation) | del(.ports[] | select(.name == "k") | .id)' "$1"
}

# One kill: run sfcctl ARGS in the background, kill -9 after a random
# delay up to MS milliseconds. Then the state file must hold OLD or NEW
# (normalised texts); prints "old" or "new", or "torn" with the diff.
kill_one() {
	local ms=$1 old=$2 new=$3 got; shift 3
	ip netns exec "$HOST" "$SFCCTL" --bpffs "$SFC_PIN" "$@" \
		>/dev/null 2>&1 </dev/null &
	local pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % ms)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if ! normalized "$SFC_STATE" >"$TMP/got" 2>&1; then
		echo "unreadable: $(head -c 200 "$TMP/got")"
	elif cmp -s "$TMP/got" "$old"; then
		echo old
	elif cmp -s "$TMP/got" "$new"; then
		echo new
	else
		echo torn
		diff "$old" "$TMP/got" | head -20 >&2
	fi
}

# restore_check: restore from the saved configuration; the live maps must
# be those of a clean apply of the same configuration.
restore_check() {
	local want
	normalized "$SFC_STATE" >"$TMP/cur"
	if cmp -s "$TMP/cur" "$TMP/A.norm"; then
		want=$TMP/A.maps
	else
		want=$TMP/B.maps
	fi
	timeout 20 ip netns exec "$HOST" "$SFCCTL" --bpffs "$SFC_PIN" restore \
		>/dev/null 2>"$TMP/restore.err" || { cat "$TMP/restore.err"; return 1; }
	live_maps >"$TMP/now.maps"
	cmp -s "$want" "$TMP/now.maps" && return 0
	diff "$want" "$TMP/now.maps" | head -10 | cut -c1-300
	return 1
}

test_kills() {
	local end=$((SECONDS + BUDGET)) n=0 old=0 new=0 bad=0 restores=0 rbad=0
	local r=old from=A to=B op=0 t
	sfc "$HOST" apply -f "$TMP/A.json" >/dev/null || return 1
	while [ $SECONDS -lt $end ]; do
		n=$((n + 1))
		# the current configuration decides what the kill interrupts
		if [ "$r" = new ] && [ $op -lt 2 ]; then
			t=$from from=$to to=$t
		fi
		op=$((n % 4))
		case $op in
		0|1) r=$(kill_one 350 "$TMP/$from.norm" "$TMP/$to.norm" \
			apply -f "$TMP/$to.json") ;;
		2) # add and delete a port: the new file is the old plus it
		   r=$(kill_one 250 "$TMP/$from.norm" "$TMP/$from+k.norm" \
			port add k dev p8)
		   [ "$r" = new ] && { sfc "$HOST" port del k >/dev/null || r=stuck; } ;;
		3) r=$(kill_one 250 "$TMP/$from.norm" "$TMP/$from-sym.norm" \
			port-chain set c1 symmetric off)
		   [ "$r" = new ] && { sfc "$HOST" port-chain set c1 symmetric on \
			>/dev/null || r=stuck; } ;;
		esac
		case $r in
		old) old=$((old + 1)) ;;
		new) new=$((new + 1)) ;;
		*) bad=$((bad + 1)); echo "    kill $n ($op): $r" ;;
		esac
		if [ $((n % 25)) = 0 ]; then
			restores=$((restores + 1))
			restore_check || { rbad=$((rbad + 1)); echo "    restore after kill $n differs"; }
		fi
	done
	check_ge "kills in ${BUDGET}s" 50 "$n"
	check_eq "every kill left the old ($old) or the new ($new) configuration" \
		"$n" $((old + new))
	check_ge "... some of each" 1 "$(( old < new ? old : new ))"
	check_eq "$restores restores rebuilt the maps of a clean apply" 0 "$rbad"
	restore_check
	log_test $? "a last restore rebuilds them too"
}

setup || skip "could not build the topology"
configure_a
log_test $? "configuration A on the command line"
sfc "$HOST" export >"$TMP/A.json" && live_maps >"$TMP/A.maps"
configure_b
log_test $? "configuration B"
sfc "$HOST" export >"$TMP/B.json" && live_maps >"$TMP/B.maps"
# What each interrupted command leaves when it completes, from A and B.
for c in A B; do
	sfc "$HOST" apply -f "$TMP/$c.json" >/dev/null &&
	normalized "$SFC_STATE" >"$TMP/$c.norm" &&
	sfc "$HOST" port add k dev p8 && normalized "$SFC_STATE" >"$TMP/$c+k.norm" &&
	sfc "$HOST" port del k &&
	sfc "$HOST" port-chain set c1 symmetric off &&
	normalized "$SFC_STATE" >"$TMP/$c-sym.norm" &&
	sfc "$HOST" port-chain set c1 symmetric on
	log_test $? "the outcomes of apply, port add, port-chain set from $c"
done
sfc "$HOST" apply -f "$TMP/A.json" >/dev/null && live_maps >"$TMP/A2.maps" &&
	cmp -s "$TMP/A2.maps" "$TMP/A.maps" || diff "$TMP/A.maps" "$TMP/A2.maps" | cut -c1-600 | head
log_test $? "applying A again gives A's maps (the comparison is sound)"
cmp -s "$TMP/A.maps" "$TMP/B.maps"
check_eq "A's and B's maps differ" 1 $?
test_kills
exit $RET
