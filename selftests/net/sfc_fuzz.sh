#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bounded fuzz run of `make check`: every libFuzzer harness of fuzz/
# (configuration JSON, sfcctl's resource arguments, sfc-cni's request
# parsing) for a few seconds each under ASan and UBSan, from the seed
# corpora plus what earlier runs kept in BUILD/fuzz/corpus. Longer runs:
# `make fuzz FUZZ_TIME=3600` (docs/robustness.md).
#
# Not a network test, but it lives with the tests `make check` runs on the
# host; SFC_FUZZ_SECONDS sets the time per harness (default 6).
# Exit 0 pass, 1 fail, 4 skip (clang's libFuzzer runtime is missing).
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${SFC_BUILD:-$REPO/build}
SECONDS_EACH=${SFC_FUZZ_SECONDS:-6}

if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
	>/dev/null 2>&1; then
	echo "SKIP: clang's libFuzzer runtime is missing (make deps installs libclang-rt-dev)"
	exit 4
fi
# Up to date with the sources (a no-op when they are).
make -s -C "$REPO" O="$BUILD" fuzz-build || exit 1
exec "$REPO/fuzz/run.sh" --build "$BUILD" --time "$SECONDS_EACH"
