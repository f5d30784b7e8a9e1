# SPDX-License-Identifier: GPL-2.0
#
# Kernel-side helpers for tests that load modules or watch the kernel log:
# sourced by selftests/guest/lib.sh and selftests/net/lib.sh, which judge
# with their own log_test.

# The kernel log lines that mean something went wrong in the kernel.
KERNEL_SPLAT_RE='BUG|WARNING|Call Trace|refcount|leak'

# dmesg_mark: remember how far the kernel log goes.
dmesg_mark() {
	DMESG_START=$(dmesg | wc -l)
}

# kernel_splats: the alarming lines logged since dmesg_mark ('' none).
kernel_splats() {
	dmesg | tail -n +$((${DMESG_START:-0} + 1)) | grep -E "$KERNEL_SPLAT_RE"
}

# rmmod_wait MODULE: unloads it, retrying for up to 10 s (programs that
# held it are freed after an RCU grace period once their last user goes).
rmmod_wait() {
	local _
	for _ in $(seq 50); do
		rmmod "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

# check_dmesg [WHEN]: nothing alarming in the kernel log since dmesg_mark
# (the kernel-side tests' judge of "no crash"), judged by the sourcing
# library's log_test.
check_dmesg() {
	local splat
	splat=$(kernel_splats)
	[ -z "$splat" ] || echo "$splat"
	[ -z "$splat" ]
	log_test $? "no kernel warnings${1:+ ($1)}"
}
