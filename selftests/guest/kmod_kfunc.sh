#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sfc_geneve kfuncs end to end, judged by independent parties: two
# "hosts" (netns A and B) joined by a veth underlay, each with a Geneve
# device in external mode. Runs in the 6.1 guest (run_guest.sh).
#
#   A: gnv0 egress  TC "tx": tunnel key, a foreign option (class 0x0102)
#                   with bpf_skb_set_tunnel_opt, then sfc_geneve_ctx_set
#   B: gnv0 ingress TC "rx": sfc_geneve_ctx_get -> rx_results, rx_last
#                   flower geneve_opts: counts the exact option list
#   underlay uB:    tcpdump, decoded by tshark (class/type/length/data)
#
# tx sets a zeroed context first and the real one second: the second must
# replace the first. Then: an option of our class with an unknown critical
# type is dropped with -EPROTO and counted; a malformed list makes
# sfc_geneve_ctx_set fail with -EBADMSG; rmmod is refused while a kfunc
# user is attached and works once detached; without the module the
# fallback (one fixed-size bpf_skb_set_tunnel_opt) still sends the same
# option list; loaded again, the module's get reads what the fallback
# sent, and a malformed list received is -EBADMSG, counted. Last, the
# module loaded without its BTF: sfcctl and the loader say fallback.
#
# kselftest exit codes: 0 pass, 1 fail, 4 skip.
set -u
source "$(dirname "$0")/lib.sh"

MOD=sfc_geneve
NSA=sfckfa-$$
NSB=sfckfb-$$
PIN=/sys/fs/bpf/sfckf-$$
UNDER_A=192.168.77.1
UNDER_B=192.168.77.2
OVER_B=10.77.0.2
VNI=4242
# This test's SFC option: a non-default class/type set in both netns, so
# a module ignoring its per-netns settings fails.
CLASS=0xfff1
TYPE=0x02
FOREIGN_CLASS=0x0102
FOREIGN_TYPE=0x01
FOREIGN_DATA=0xc0ffee00
# SPI 100 SI 5, direction 1 (reverse), flags 1 (chain done), keys 7 and 9.
CTX=100:5:1:1:7:9
CTX_HEX=00006405010100000000000700000009
PINGS=5
EPROTO=71
EBADMSG=74
TMP=
LOAD=
SFCCTL=


fail_setup() {
	echo "FAIL: $*"
	exit $KSFT_FAIL
}

cleanup() {
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$PIN"
	[ -n "$TMP" ] && rm -rf "$TMP"
	# Programs die with their netns, a little later (RCU).
	for _ in $(seq 20); do
		grep -q "^$MOD " /proc/modules || break
		rmmod "$MOD" 2>/dev/null || sleep 0.2
	done
}

a() { ip netns exec "$NSA" "$@"; }
b() { ip netns exec "$NSB" "$@"; }

# Lower-case hex of a number, zero-padded to WIDTH digits.
hex() {	# hex WIDTH NUM
	printf "%0$1x" $(($2))
}

# Value of KEY in a pinned array map of u64 counters.
counter() {	# counter MAP KEY
	bpftool -j map lookup pinned "$1" key $(printf '%d 0 0 0' "$2") |
		jq '.formatted.value // .value'
}

# "errno:count" of a result map's non-zero entries, for failure reports.
nonzero() {	# nonzero MAP
	bpftool -j map dump pinned "$1" |
		jq -r '[.[] | .formatted // . | select(.value != 0) |
			"\(.key):\(.value)"] | join(" ")'
}

setup() {
	local m f
	[ "${SFC_IN_GUEST:-}" = 1 ] || skip "not in the guest (SFC_IN_GUEST unset)"
	[ -f /proc/modules ] || skip "kernel without module support"
	for f in jq bpftool tshark tcpdump tc ip ping; do
		command -v $f >/dev/null || skip "$f not found"
	done
	[ -n "${SFC_BUILD:-}" ] || skip "SFC_BUILD unset"
	LOAD=$SFC_BUILD/selftests/guest/geneve_kfunc_load
	SFCCTL=$SFC_BUILD/sfcctl
	for f in "$SFC_BUILD/kmod/$MOD.ko" "$LOAD" "$SFCCTL"; do
		[ -e "$f" ] || fail_setup "$f not built"
	done
	for m in veth geneve sch_ingress cls_bpf cls_flower act_gact; do
		modprobe "$m" || skip "no $m module"
	done
	mountpoint -q /sys/fs/bpf || skip "no bpffs on /sys/fs/bpf"

	trap cleanup EXIT
	grep -q "^$MOD " /proc/modules && rmmod "$MOD"
	TMP=$(mktemp -d)
	mkdir -p "$PIN"
	dmesg_mark

	ip netns add "$NSA" && ip netns add "$NSB" || fail_setup "netns"
	ip link add uA netns "$NSA" type veth peer name uB netns "$NSB" ||
		fail_setup "veth"
	a ip addr add $UNDER_A/24 dev uA && a ip link set uA up &&
		b ip addr add $UNDER_B/24 dev uB && b ip link set uB up &&
		a ip link add gnv0 type geneve external &&
		b ip link add gnv0 type geneve external &&
		a ip addr add 10.77.0.1/24 dev gnv0 && a ip link set gnv0 up &&
		b ip addr add $OVER_B/24 dev gnv0 && b ip link set gnv0 up ||
		fail_setup "underlay and geneve devices"
	# Traffic is one way (A to B): A knows B's overlay MAC, B never answers
	# through the tunnel (its gnv0 has no program to set a tunnel key).
	a ip neigh add $OVER_B lladdr "$(b cat /sys/class/net/gnv0/address)" \
		dev gnv0 nud permanent || fail_setup "static neighbour"
	a ip link set lo up
	b ip link set lo up
}

# Flower on B's gnv0 ingress, independent of our code: matches the exact
# option list (flower compares the whole list and its length).
add_flower() {	# add_flower PREF OPTS
	b tc filter add dev gnv0 ingress pref "$1" protocol all flower \
		geneve_opts "$2" action pass
}

flower_packets() {	# flower_packets PREF
	b tc -s -j filter show dev gnv0 ingress pref "$1" |
		jq '[.[] | .options.actions[0].stats.packets // empty] | add // 0'
}

# The option lists tshark saw on the underlay: "classes types lengths data".
capture_start() {	# capture_start NAME
	b tcpdump -U -n -i uB -w "$TMP/$1.pcap" udp port 6081 \
		>"$TMP/$1.log" 2>&1 &
	CAP_PID=$!
	for _ in $(seq 50); do
		grep -q "listening on" "$TMP/$1.log" && return 0
		sleep 0.1
	done
	echo "    tcpdump did not start: $(cat "$TMP/$1.log")"
	return 1
}

capture_stop() {
	sleep 0.5
	kill "$CAP_PID"
	wait "$CAP_PID" 2>/dev/null
}

decode() {	# decode NAME -> one line per packet
	tshark -r "$TMP/$1.pcap" -Y geneve -T fields -E occurrence=a \
		-E aggregator=, -e geneve.flags.critical -e geneve.vni \
		-e geneve.option.class -e geneve.option.type \
		-e geneve.option.length -e geneve.option.unknown.data 2>/dev/null
}

send_pings() {
	a ping -q -c $PINGS -i 0.2 -W 1 $OVER_B >/dev/null 2>&1
	return 0	# B does not answer through the tunnel
}

# What every captured packet must decode to: "CRIT VNI CLASSES TYPES
# LENGTHS DATA", tab-separated; lengths are the options' total, then each.
expect_decode() {	# expect_decode NAME EXPECTED
	local got n
	got=$(decode "$1" | sort -u)
	n=$(decode "$1" | wc -l)
	[ "$got" = "$2" ] && [ "$n" -ge $PINGS ] && return 0
	echo "    expected $PINGS+ packets of: $2"
	echo "    got $n packets: $got"
	return 1
}

foreign_opt() { echo "$(hex 4 $FOREIGN_CLASS):$(hex 2 $FOREIGN_TYPE):$(hex 8 $FOREIGN_DATA)"; }
our_opt() { echo "$(hex 4 $CLASS):$(hex 2 $TYPE):$CTX_HEX"; }
expected_list() {	# what tshark shows for foreign + ours
	printf '%s\t0x%06x\t%s\t%s\t%s\t%s' "${1:-0}" $VNI \
		"0x$(hex 4 $FOREIGN_CLASS),0x$(hex 4 $CLASS)" \
		"0x$(hex 2 $FOREIGN_TYPE),0x$(hex 2 $TYPE)" "28,8,20" \
		"$(hex 8 $FOREIGN_DATA),$CTX_HEX"
}

check_kfunc_mode() {
	local out dir=$PIN/k
	insmod "$SFC_BUILD/kmod/$MOD.ko"
	log_test $? "insmod $MOD.ko"
	[ -e /sys/kernel/btf/$MOD ]
	log_test $? "module BTF at /sys/kernel/btf/$MOD"
	! dmesg | tail -n +$((DMESG_START + 1)) | grep -q "missing module BTF"
	log_test $? "no 'missing module BTF' in dmesg"
	a "$SFCCTL" module set class $CLASS type $TYPE &&
		b "$SFCCTL" module set class $CLASS type $TYPE
	log_test $? "class $CLASS type $TYPE set in both netns"
	b "$SFCCTL" -j module show | jq -e '.mode == "kfunc"' >/dev/null
	log_test $? "sfcctl module show: mode kfunc"

	mkdir -p "$dir"
	out=$("$LOAD" tx gnv0 "$dir" --netns "$NSA" --remote $UNDER_B --vni $VNI \
		--ctx $CTX --foreign $FOREIGN_CLASS:$FOREIGN_TYPE:$FOREIGN_DATA \
		--replace) && [ "$out" = "mode kfunc" ]
	log_test $? "tx program loaded in kfunc mode (loader: $out)"
	out=$("$LOAD" rx gnv0 "$dir" --netns "$NSB") && [ "$out" = "mode kfunc" ]
	log_test $? "rx program loaded in kfunc mode"
	add_flower 2 "$(foreign_opt),$(our_opt)"
	log_test $? "flower geneve_opts filter for foreign + SFC option"

	capture_start kfunc && send_pings && capture_stop
	[ "$(counter "$dir/tx_results" 0)" -ge $PINGS ]
	log_test $? "tx: sfc_geneve_ctx_set returned 0 for every packet"
	[ "$(flower_packets 2)" -ge $PINGS ]
	log_test $? "flower counted $(flower_packets 2) packets with the exact list"
	expect_decode kfunc "$(expected_list)"
	log_test $? "tshark: foreign option kept, one SFC option (replaced), class/type/length/data"
	[ "$(counter "$dir/rx_results" 0)" -ge $PINGS ]
	log_test $? "rx: sfc_geneve_ctx_get found the option ($(counter "$dir/rx_results" 0))"
	bpftool -j map lookup pinned "$dir/rx_last" key 0 0 0 0 |
		jq -r '.value | map(ltrimstr("0x")) | join("")' |
		grep -qx "$CTX_HEX"
	log_test $? "rx: the context read back equals what tx set"
	a "$SFCCTL" -j module show | jq -e ".stats.set >= $((2 * PINGS))" >/dev/null &&
		b "$SFCCTL" -j module show | jq -e ".stats.get >= $PINGS and
			.stats.err == 0 and .stats.crit == 0" >/dev/null
	log_test $? "module counters: set in A, get in B, no errors"
}

check_critical() {
	local dir=$PIN/c before
	# Replace tx: "foreign" option now of our class, unknown critical type.
	a tc filter del dev gnv0 egress pref 1
	mkdir -p "$dir"
	"$LOAD" tx gnv0 "$dir" --netns "$NSA" --remote $UNDER_B --vni $VNI \
		--ctx $CTX --foreign $CLASS:0x85:0x01020304 >/dev/null
	log_test $? "tx reloaded with a critical unknown option of our class"
	before=$(counter "$PIN/k/rx_results" $EPROTO)
	capture_start crit && send_pings && capture_stop
	[ $(($(counter "$PIN/k/rx_results" $EPROTO) - before)) -ge $PINGS ]
	log_test $? "rx: sfc_geneve_ctx_get returned -EPROTO for each"
	b "$SFCCTL" -j module show | jq -e ".stats.crit >= $PINGS" >/dev/null
	log_test $? "module counts them (crit)"
	decode crit | cut -f1,3,4 | sort -u |
		grep -qx "1	0x$(hex 4 $CLASS),0x$(hex 4 $CLASS)	0x85,0x$(hex 2 $TYPE)"
	log_test $? "tshark: Geneve C flag set, critical option first, ours after"
}

check_malformed_tx() {
	local dir=$PIN/m
	a tc filter del dev gnv0 egress pref 1
	mkdir -p "$dir"
	# The foreign option claims 5 words but has 1: the list is broken.
	"$LOAD" tx gnv0 "$dir" --netns "$NSA" --remote $UNDER_B --vni $VNI \
		--ctx $CTX --foreign $FOREIGN_CLASS:$FOREIGN_TYPE:$FOREIGN_DATA \
		--foreign-len 5 >/dev/null
	log_test $? "tx reloaded writing a malformed foreign option"
	send_pings
	[ "$(counter "$dir/tx_results" $EBADMSG)" -ge $PINGS ]
	log_test $? "tx: sfc_geneve_ctx_set refused the malformed list (-EBADMSG)"
	a "$SFCCTL" -j module show | jq -e ".stats.err >= $PINGS" >/dev/null
	log_test $? "module counts them (err)"
}

# Unload waiting out the deferred free of detached programs.
check_rmmod() {
	! rmmod "$MOD" 2>/dev/null
	log_test $? "rmmod refused while kfunc programs are attached"
	grep -q "^$MOD " /proc/modules
	log_test $? "module still loaded"
	a tc filter del dev gnv0 egress pref 1 &&
		b tc filter del dev gnv0 ingress pref 1
	log_test $? "tx and rx programs detached"
	# Pinned maps do not hold the programs; freeing them is deferred (RCU).
	rmmod_wait "$MOD"
	log_test $? "rmmod works once detached"
	[ ! -e /sys/kernel/btf/$MOD ]
	log_test $? "module BTF gone"
}

check_fallback() {
	local out dir=$PIN/f
	mkdir -p "$dir"
	out=$("$LOAD" tx gnv0 "$dir" --netns "$NSA" --remote $UNDER_B --vni $VNI \
		--opt $CLASS:$TYPE --ctx $CTX \
		--foreign $FOREIGN_CLASS:$FOREIGN_TYPE:$FOREIGN_DATA) &&
		[ "$out" = "mode fallback" ]
	log_test $? "without the module the loader picks fallback ($out)"
	capture_start fallback && send_pings && capture_stop
	[ "$(counter "$dir/tx_results" 0)" -ge $PINGS ]
	log_test $? "tx: whole-list bpf_skb_set_tunnel_opt returned 0"
	expect_decode fallback "$(expected_list)"
	log_test $? "tshark: the fallback sends the same option list"
	before=$(flower_packets 2)
	[ "$before" -ge $((2 * PINGS)) ]
	log_test $? "flower counted the fallback packets too ($before)"
	a "$SFCCTL" -j status 2>/dev/null | jq -e '.module.mode == "fallback"' \
		>/dev/null || a "$SFCCTL" -j module show 2>/dev/null |
		jq -e '.error | test("not loaded")' >/dev/null
	log_test $? "sfcctl reports the module absent (fallback)"
}

# The module loaded again under a running fallback sender: its get reads
# what the BPF-only path wrote, and flags a malformed list received.
check_interop() {
	local dir=$PIN/i
	insmod "$SFC_BUILD/kmod/$MOD.ko" &&
		b "$SFCCTL" module set class $CLASS type $TYPE
	log_test $? "insmod again under fallback traffic"
	mkdir -p "$dir"
	"$LOAD" rx gnv0 "$dir" --netns "$NSB" >/dev/null
	log_test $? "rx loaded in kfunc mode"
	send_pings
	[ "$(counter "$dir/rx_results" 0)" -ge $PINGS ] &&
		bpftool -j map lookup pinned "$dir/rx_last" key 0 0 0 0 |
		jq -r '.value | map(ltrimstr("0x")) | join("")' | grep -qx "$CTX_HEX"
	log_test $? "rx: sfc_geneve_ctx_get reads the fallback's option"

	a tc filter del dev gnv0 egress pref 1
	mkdir -p "$dir/m"
	# The module is back: only --mode fallback keeps the BPF-only path.
	"$LOAD" tx gnv0 "$dir/m" --netns "$NSA" --mode fallback --remote $UNDER_B \
		--vni $VNI --opt $CLASS:$TYPE --ctx $CTX --foreign-len 5 \
		--foreign $FOREIGN_CLASS:$FOREIGN_TYPE:$FOREIGN_DATA >/dev/null
	log_test $? "fallback tx sending a malformed list"
	send_pings
	[ "$(counter "$dir/rx_results" $EBADMSG)" -ge $PINGS ] &&
		b "$SFCCTL" -j module show | jq -e ".stats.err >= $PINGS" >/dev/null ||
		{ echo "    rx: $(nonzero "$dir/rx_results") tx: $(nonzero "$dir/m/tx_results")"
		  b "$SFCCTL" -j module show; false; }
	log_test $? "rx: -EBADMSG for each, counted by the module (err)"
}

# A module that lost its BTF (a build without scripts/kmod_btf.sh): loads,
# its genetlink works, but no kfunc can resolve: everyone must say fallback.
check_no_btf() {
	local out dir=$PIN/n before
	a tc filter del dev gnv0 egress pref 1 &&
		b tc filter del dev gnv0 ingress pref 1 && rmmod_wait "$MOD"
	log_test $? "detach all, rmmod"
	objcopy --remove-section=.BTF "$SFC_BUILD/kmod/$MOD.ko" "$TMP/nobtf.ko" &&
		insmod "$TMP/nobtf.ko"
	log_test $? "insmod a copy without .BTF"
	[ ! -e /sys/kernel/btf/$MOD ] &&
		dmesg | tail -n +$((DMESG_START + 1)) | grep -q "missing module BTF"
	log_test $? "no /sys/kernel/btf/$MOD; dmesg: missing module BTF"
	b "$SFCCTL" -j module show | jq -e '.mode == "fallback"' >/dev/null
	log_test $? "sfcctl module show: loaded, mode fallback"
	mkdir -p "$dir"
	before=$(flower_packets 2)
	out=$("$LOAD" tx gnv0 "$dir" --netns "$NSA" --remote $UNDER_B --vni $VNI \
		--opt $CLASS:$TYPE --ctx $CTX \
		--foreign $FOREIGN_CLASS:$FOREIGN_TYPE:$FOREIGN_DATA) &&
		[ "$out" = "mode fallback" ]
	log_test $? "loader picks fallback ($out)"
	send_pings
	[ $(($(flower_packets 2) - before)) -ge $PINGS ]
	log_test $? "flower counts the fallback's option list"
	a tc filter del dev gnv0 egress pref 1 && rmmod_wait "$MOD"
	log_test $? "rmmod (no program holds the module)"
}

setup
check_kfunc_mode
check_critical
check_malformed_tx
check_rmmod
check_fallback
check_interop
check_no_btf
check_dmesg
exit $rc
