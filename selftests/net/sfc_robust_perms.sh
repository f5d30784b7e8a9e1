#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Permissions (issue 8): what sfcctl leaves on disk and in bpffs is not
# writable (nor, for pins, readable) by an unprivileged user, even when
# sfcctl runs under umask 000; and sfcctl run without privileges
# (uid 65534, no capabilities) fails every command that needs the data
# plane with exit 1 and one line saying why, changing nothing.
#
#   host ns: veths p1..p4; app1 p1, v1 p2 (one-port VNF), c1: g1 [pp1]
#   the state directory and the bpffs root are 0755, as /var/lib and
#   /sys/fs/bpf are, so only the files' own modes protect them.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq bpftool setpriv stat
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

setup() {
	local i
	setup_ns HOST || return 1
	for i in $(seq 4); do
		ip -n "$HOST" link add "p$i" type veth peer name "q$i" &&
			ip -n "$HOST" link set "p$i" up || return 1
	done
	sfc_bpffs || return 1
	chmod 755 "$(dirname "$SFC_PIN")" "$(dirname "$SFC_STATE")"
	# a state directory sfcctl must create itself
	SFC_STATE=$(dirname "$SFC_STATE")/sub/config.json
}

configure() {
	(umask 000
	 sfc "$HOST" port add app1 dev p1 mac 02:00:00:00:00:01 &&
	 sfc "$HOST" port add v1 dev p2 &&
	 sfc "$HOST" port-pair add pp1 ingress v1 egress v1 &&
	 sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	 sfc "$HOST" flow-classifier add fc1 protocol tcp logical-source-port app1 &&
	 sfc "$HOST" port-chain add c1 port-pair-group g1 flow-classifier fc1)
}

# no_bits WHAT PATH MASK: none of the octal MASK bits in PATH's mode.
no_bits() {
	local mode
	mode=$(stat -c %a "$2") || { log_test 1 "$1: $2 missing"; return; }
	if (( (8#$mode & 8#$3) == 0 )); then
		log_test 0 "$1 ($2: $mode)"
	else
		log_test 1 "$1 ($2: mode $mode has bits of $3)"
	fi
}

test_modes() {
	local f n=0 bad=0
	no_bits "state directory created without group/other access" \
		"$(dirname "$SFC_STATE")" 077
	no_bits "state file not writable by others" "$SFC_STATE" 022
	no_bits "lock file not writable by others" "$SFC_STATE.lock" 022
	no_bits "pin directory without group/other access" "$SFC_PIN" 077
	for f in "$SFC_PIN"/*; do
		n=$((n + 1))
		(( (8#$(stat -c %a "$f") & 8#077) == 0 )) || {
			bad=$((bad + 1)); echo "    $(stat -c '%a %n' "$f")"; }
	done
	check_ge "pinned maps and programs" 10 "$n"
	check_eq "none of them readable or writable by group or others" 0 "$bad"
}

# As nobody, with the paths themselves: the kernel and the file modes
# refuse, whatever sfcctl does.
test_unprivileged_access() {
	! "${NOBODY[@]}" sh -c "echo '{}' > '$SFC_STATE'" 2>/dev/null
	log_test $? "nobody cannot write the state file"
	! "${NOBODY[@]}" sh -c "echo x >> '$SFC_STATE.lock'" 2>/dev/null
	log_test $? "nobody cannot write the lock file"
	! "${NOBODY[@]}" flock -n "$SFC_STATE.lock" true 2>/dev/null
	log_test $? "nobody cannot take the lock (and so block sfcctl)"
	! "${NOBODY[@]}" bpftool map dump pinned "$SFC_PIN/sfc_global" >/dev/null 2>&1
	log_test $? "nobody cannot open a pinned map"
	! "${NOBODY[@]}" bpftool map update pinned "$SFC_PIN/sfc_global" key hex 0 0 0 0 \
		value hex $(printf '00 %.0s' $(seq 40)) >/dev/null 2>&1
	log_test $? "nobody cannot update a pinned map"
	! "${NOBODY[@]}" bpftool prog show pinned "$SFC_PIN/sfc_tc_ingress" >/dev/null 2>&1
	log_test $? "nobody cannot open a pinned program"
	"${NOBODY[@]}" rm -f "$SFC_PIN/sfc_global" 2>/dev/null
	[ -e "$SFC_PIN/sfc_global" ]
	log_test $? "nobody cannot unpin a map"
}

# unpriv_refused WHAT ARGS...: sfcctl as nobody, on a state file nobody
# may use (so the lock is not what stops it): exit 1, one line on stderr
# naming the cause, the data plane untouched.
unpriv_refused() {
	local what=$1 rc err gen; shift
	gen=$(bpftool -j map dump pinned "$SFC_PIN/sfc_global" |
		jq '.[0].formatted.value.generation')
	SFC_STATE=$NSTATE "${NOBODY[@]}" "$SFCCTL" --bpffs "$SFC_PIN" "$@" \
		>"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	err=$(cat "$TMP/err")
	if [ $rc != 1 ]; then
		log_test 1 "$what: exit $rc ($err)"
	elif [ "$(wc -l <"$TMP/err")" != 1 ]; then
		log_test 1 "$what: expected one line, got '$err'"
	elif ! grep -qiE 'permission|not permitted|CAP_|root' "$TMP/err"; then
		log_test 1 "$what: message does not say why: '$err'"
	elif [ "$(bpftool -j map dump pinned "$SFC_PIN/sfc_global" |
		  jq '.[0].formatted.value.generation')" != "$gen" ]; then
		log_test 1 "$what: the data plane changed"
	else
		log_test 0 "$what: $err"
	fi
}

test_unprivileged_sfcctl() {
	local d
	d=$(mktemp -d) && chown 65534:65534 "$d"
	defer "rm -rf '$d'"
	NSTATE=$d/config.json
	cp "$SFC_STATE" "$NSTATE" && chown 65534:65534 "$NSTATE"
	unpriv_refused "port add without privileges" port add x dev p3
	unpriv_refused "port-chain set without privileges" port-chain set c1 symmetric on
	jq '.port_chains[0].chain_parameters.symmetric = true' "$NSTATE" \
		>"$TMP/edited.json" && chmod 644 "$TMP/edited.json" && chmod 755 "$TMP"
	unpriv_refused "apply (a change) without privileges" apply -f "$TMP/edited.json"
	unpriv_refused "restore without privileges" restore
	unpriv_refused "attach without privileges" attach
	unpriv_refused "stats without privileges" stats
	unpriv_refused "port-chain del without privileges" port-chain del c1
	# On the real state file it is the lock that stops it.
	"${NOBODY[@]}" "$SFCCTL" --bpffs "$SFC_PIN" port add x dev p3 \
		>/dev/null 2>"$TMP/err"
	check_eq "on root's state file: refused at the lock" \
		"1 1" "$? $(grep -c 'Permission denied' "$TMP/err")"
	# status reports, and says it lacks privileges, not kernel features
	SFC_STATE=$NSTATE "${NOBODY[@]}" "$SFCCTL" --bpffs "$SFC_PIN" status \
		>"$TMP/out" 2>"$TMP/err"
	check_eq "status without privileges names the missing privileges" "1 1" \
		"$? $(grep -c 'need privileges: run as root' "$TMP/err")"
}

setup || skip "could not build the topology"
configure
log_test $? "a chain configured under umask 000"
test_modes
test_unprivileged_access
test_unprivileged_sfcctl
exit $RET
