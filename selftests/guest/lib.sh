# SPDX-License-Identifier: GPL-2.0
#
# What the guest tests (run inside Debian's 6.1 kernel by run_guest.sh)
# share: kselftest exit codes, their "TEST: ... [ OK ]" lines (rc ends as
# the test's exit code), loud skips, and the kernel-log judge.
# shellcheck shell=bash

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4
rc=$KSFT_PASS

source "$(dirname "${BASH_SOURCE[0]}")/kernel.sh"

log_test() {	# log_test RC DESCRIPTION
	if [ "$1" = 0 ]; then
		echo "TEST: $2 [ OK ]"
	else
		echo "TEST: $2 [FAIL]"
		rc=$KSFT_FAIL
	fi
}

skip() {
	echo "SKIP: $*"
	exit $KSFT_SKIP
}

require_command() {
	command -v "$1" >/dev/null || skip "$1 not found"
}

