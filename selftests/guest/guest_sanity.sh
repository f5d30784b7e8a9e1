#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest tier sanity check: proves run_guest.sh really put us in Debian's 6.1
# kernel, that stock modules load from the extracted tree with the host's
# modprobe, and that a veth pair can be made and used across a netns.
#
#   [root netns] sfcgs-a <--veth--> sfcgs-b [netns sfcgs-<pid>]
#
# kselftest exit codes: 0 pass, 1 fail, 4 skip.
set -u
source "$(dirname "$0")/lib.sh"

NS=sfcgs-$$

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
	ip link del sfcgs-a 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}

check_guest() {
	local kver
	[ "${SFC_IN_GUEST:-}" = 1 ] || skip "not in the guest (SFC_IN_GUEST unset)"
	kver=$(uname -r)
	[[ $kver == 6.1.* ]]
	log_test $? "guest kernel is 6.1 (uname -r: $kver)"
	[ -d "/lib/modules/$kver/kernel" ]
	log_test $? "modules of $kver under /lib/modules"
	[ -n "${SFC_BUILD:-}" ] && [ -d "$SFC_BUILD" ]
	log_test $? "SFC_BUILD is a directory (${SFC_BUILD:-unset})"
	touch "$SFC_BUILD/guest/.sanity" && rm "$SFC_BUILD/guest/.sanity"
	log_test $? "build dir is writable from the guest"
	[ -d /sys/fs/bpf ] && grep -q ' /sys/fs/bpf bpf ' /proc/mounts
	log_test $? "bpffs mounted on /sys/fs/bpf"
}

check_modules() {
	local m
	for m in veth bridge sch_ingress cls_bpf geneve; do
		modprobe "$m"
		log_test $? "modprobe $m"
	done
}

check_veth_netns() {
	ip netns add "$NS" &&
		ip link add sfcgs-a type veth peer name sfcgs-b netns "$NS"
	log_test $? "veth pair into netns $NS"
	ip addr add 10.99.0.1/24 dev sfcgs-a && ip link set sfcgs-a up &&
		ip -n "$NS" addr add 10.99.0.2/24 dev sfcgs-b &&
		ip -n "$NS" link set sfcgs-b up &&
		ping -c 1 -W 5 10.99.0.2 >/dev/null
	log_test $? "ping across the veth pair"
}

require_command ip
require_command modprobe
require_command ping
trap cleanup EXIT
check_guest
check_modules
check_veth_netns
exit $rc
