#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest test tier: boot Debian's 6.1 kernel under qemu (TCG; the host kernel
# has no modules and KVM is unavailable), share the host root read-only and
# the build dir writable over 9p, run each TEST inside the guest in a chroot
# of the host root, and report its exit code.
#
# usage: selftests/guest/run_guest.sh --build BUILD_DIR [--timeout SECS] TEST...
#
#   TEST       path relative to the repo root (script or binary, executable);
#              runs with cwd = repo root, SFC_BUILD=<abs build dir>,
#              SFC_IN_GUEST=1; output in BUILD/guest/logs/<basename>.log
#              (e.g. guest_sanity.sh.log); absolute paths work too
#   --timeout  per-test limit in seconds (default 300): rc 124 when it fires
#              (137 if the test then ignored SIGTERM for 10 s)
#
# stdout: one line "GUEST <rc> <TEST>" per test, in order (0 pass, 4 skip,
# 126/127 not executable/not found, other: fail).
# Exit status: 0 when the guest booted and reported every test, whatever the
# results; 1 otherwise (boot failure, overall timeout, missing reports), 2 on
# usage errors. Logs of failed tests are echoed to stderr.
#
# Environment: GUEST_MEM (default 2G), GUEST_SMP (default 2),
# GUEST_CMDLINE_EXTRA (replaces "quiet loglevel=5" on the kernel command
# line, e.g. "loglevel=8"). Level 5 puts warnings and the stack traces of
# a lockup on the console, which a failed run prints.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd -P)
INIT=$REPO/selftests/guest/init
BUSYBOX=/bin/busybox

# What the initramfs needs to mount 9p, in dependency order.
INITRAMFS_MODULES=(
	drivers/virtio/virtio_ring drivers/virtio/virtio
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
	drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache
	net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p
)

BOOT_ALLOWANCE=120	# seconds for boot + shutdown on a slow CI machine
TEST_SLACK=15		# per test, on top of --timeout (kill grace, setup)

BUILD=
TEST_TIMEOUT=300
TESTS=()

die() {
	echo "run_guest: $*" >&2
	exit 1
}

usage() {
	sed -n '/^# usage:/,/^set -e/{/^set -e/d; s/^# \{0,1\}//; p}' "$0" >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--build) BUILD=${2:?}; shift 2 ;;
		--timeout) TEST_TIMEOUT=${2:?}; shift 2 ;;
		-h|--help) usage ;;
		--) shift; break ;;
		-*) echo "run_guest: unknown option $1" >&2; usage ;;
		*) break ;;
		esac
	done
	TESTS=("$@")
	if [ -z "$BUILD" ] || [ ${#TESTS[@]} = 0 ]; then
		usage
	fi
	if ! [[ $TEST_TIMEOUT =~ ^[1-9][0-9]*$ ]]; then
		echo "run_guest: --timeout wants a number of seconds" >&2
		usage
	fi
	[ -d "$BUILD" ] || die "no build dir $BUILD"
	BUILD=$(cd "$BUILD" && pwd -P)
	GUEST=$BUILD/guest
}

# Same rule as scripts/deps.sh and the Makefile: the newest 6.1 headers.
# shellcheck disable=SC2012 # kept identical to theirs; names are tame
guest_kver() {
	ls /usr/src | sed -n 's/^linux-headers-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' |
		sort -V | tail -1
}

find_kernel() {
	KVER=$(guest_kver)
	[ -n "$KVER" ] || die "no linux-headers-6.1.*-amd64 installed (make deps)"
	KTREE=$BUILD/cache/guest-kernel/$KVER
	VMLINUZ=$KTREE/boot/vmlinuz-$KVER
	[ -f "$VMLINUZ" ] || die "no guest kernel at $VMLINUZ (run scripts/deps.sh)"
	[ -f "$KTREE/lib/modules/$KVER/modules.dep.bin" ] ||
		die "guest modules not depmod'ed in $KTREE (run scripts/deps.sh)"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86 missing"
	[ -x "$BUSYBOX" ] || die "busybox-static missing"
}

# Little-endian unsigned integer of SIZE bytes at OFFSET in FILE.
le_uint() {
	od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# Boot the decompressed ELF through its PVH entry instead of the bzImage:
# the kernel's own xz decompression costs ~4 s under TCG, xz on the host
# ~1 s once. The payload's place is in the bzImage header (boot protocol
# >= 2.08: payload_offset/length, counted from the protected-mode code); it
# ends with 4 bytes of size, hence --single-stream. Falls back to the
# bzImage when anything about this does not hold.
extract_vmlinux() {
	local setup_sects offset length
	KERNEL=$GUEST/vmlinux-$KVER
	[ "$KERNEL" -nt "$VMLINUZ" ] && return 0
	rm -f "$GUEST"/vmlinux-*	# other kernel versions: 60+ MB each
	setup_sects=$(le_uint "$VMLINUZ" $((0x1f1)) 1)
	[ "$setup_sects" != 0 ] || setup_sects=4
	offset=$(le_uint "$VMLINUZ" $((0x248)) 4)
	length=$(le_uint "$VMLINUZ" $((0x24c)) 4)
	if command -v xz >/dev/null &&
		dd if="$VMLINUZ" iflag=skip_bytes,count_bytes status=none \
			skip=$(((setup_sects + 1) * 512 + offset)) count="$length" |
		xz -dc --single-stream >"$KERNEL.tmp" 2>/dev/null &&
		[ "$(head -c 4 "$KERNEL.tmp")" = $'\x7fELF' ]; then
		mv "$KERNEL.tmp" "$KERNEL"
	else
		echo "run_guest: cannot unpack $VMLINUZ, booting it as is (slower)" >&2
		rm -f "$KERNEL.tmp"
		KERNEL=$VMLINUZ
	fi
}

module_path() {
	echo "$KTREE/lib/modules/$KVER/kernel/$1.ko"
}

# The initramfs is rebuilt only when one of its inputs changes: hashing them
# costs a few milliseconds, packing about a hundred.
initramfs_inputs_hash() {
	local m
	{
		echo "$KVER"
		sha256sum "$INIT" "$BUSYBOX"
		for m in "${INITRAMFS_MODULES[@]}"; do
			sha256sum "$(module_path "$m")"
		done
	} | sha256sum | cut -d' ' -f1
}

# Uncompressed newc cpio: the kernel unpacks it faster than it would
# decompress it under TCG. No device nodes needed (see init).
build_initramfs() {
	local hash stage i m
	INITRAMFS=$GUEST/initramfs.cpio
	hash=$(initramfs_inputs_hash)
	if [ -f "$INITRAMFS" ] && [ "$(cat "$INITRAMFS.hash" 2>/dev/null)" = "$hash" ]; then
		return 0
	fi
	stage=$(mktemp -d "$GUEST/initramfs.XXXXXX")
	mkdir -p "$stage"/{bin,dev,proc,sys,modules}
	cp "$BUSYBOX" "$stage/bin/busybox"
	cp "$INIT" "$stage/init"
	chmod 755 "$stage/init"
	i=10
	for m in "${INITRAMFS_MODULES[@]}"; do
		cp "$(module_path "$m")" "$stage/modules/$i-${m##*/}.ko"
		i=$((i + 1))
	done
	(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --quiet) >"$INITRAMFS.tmp"
	rm -rf "$stage"
	mv "$INITRAMFS.tmp" "$INITRAMFS"
	echo "$hash" >"$INITRAMFS.hash"
}

# The guest reads this from the work share (see read_job in init).
write_job() {
	local t
	rm -f "$GUEST/results"
	mkdir -p "$GUEST/logs"
	for t in "${TESTS[@]}"; do
		[ -e "$t" ] || echo "run_guest: warning: no $t in $REPO" >&2
		rm -f "$GUEST/logs/${t##*/}.log"
	done
	{
		printf '%s\n' "$REPO" "$BUILD" \
			"$(readlink -f "$KTREE/lib/modules/$KVER")" "$TEST_TIMEOUT"
		printf '%s\n' "${TESTS[@]}"
	} >"$GUEST/job"
}

# qemu splits option values on commas; a literal comma is written twice.
qemu_escape() {
	echo "${1//,/,,}"
}

# multidevs=remap: the host root spans several filesystems (/proc, /dev...);
# without it inode numbers collide and /proc inside the chroot breaks.
run_qemu() {
	local overall rc=0
	overall=$((BOOT_ALLOWANCE + ${#TESTS[@]} * (TEST_TIMEOUT + TEST_SLACK)))
	timeout -k 10 "$overall" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max \
		-smp "${GUEST_SMP:-2}" -m "${GUEST_MEM:-2G}" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$KERNEL" -initrd "$INITRAMFS" \
		-append "console=ttyS0 panic=-1 ${GUEST_CMDLINE_EXTRA:-quiet loglevel=5} mitigations=off rdinit=/init" \
		-serial "file:$(qemu_escape "$GUEST/console.log")" \
		-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=root,mount_tag=root \
		-fsdev "local,id=work,path=$(qemu_escape "$BUILD"),security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=work,mount_tag=work \
		</dev/null >"$GUEST/qemu.log" 2>&1 || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "run_guest: guest timed out after ${overall}s" >&2
	elif [ "$rc" != 0 ]; then
		echo "run_guest: qemu exited with $rc:" >&2
		tail -20 "$GUEST/qemu.log" >&2
	fi
}

# From the last line init wrote (it names the test that was running), so a
# panic's head is not cut off; capped for CI logs.
show_console() {
	local console=$GUEST/console.log from
	echo "run_guest: console of the guest ($console):" >&2
	from=$(grep -n 'guest-init:' "$console" 2>/dev/null | tail -1 | cut -d: -f1)
	tail -n +"${from:-1}" "$console" 2>/dev/null | head -100 | sed 's/^/    /' >&2
}

show_failed_log() {
	local t=$1 rc=$2 log=$GUEST/logs/${1##*/}.log
	echo "run_guest: $t failed (rc $rc); last lines of $log:" >&2
	tail -50 "$log" 2>/dev/null | sed 's/^/    /' >&2 || true
}

# The guest appends "GUEST <rc> <test>" in the order of the job: the i-th
# such line must name the i-th test (a test may be listed twice).
report() {
	local i t line rc results=()
	if ! grep -q '^BOOT ' "$GUEST/results" 2>/dev/null; then
		echo "run_guest: the guest did not get to run tests" >&2
		show_console
		return 1
	fi
	mapfile -t results < <(grep '^GUEST ' "$GUEST/results")
	for i in "${!TESTS[@]}"; do
		t=${TESTS[i]}
		line=${results[i]:-}
		rc=${line#GUEST }
		rc=${rc%% *}
		if [ "$line" != "GUEST $rc $t" ]; then
			echo "run_guest: no result for $t" >&2
			show_console
			return 1
		fi
		echo "$line"
		[ "$rc" = 0 ] || [ "$rc" = 4 ] || show_failed_log "$t" "$rc"
	done
	grep -q '^END$' "$GUEST/results" || {
		echo "run_guest: the guest stopped before its end" >&2
		show_console
		return 1
	}
	warn_kernel_trouble
}

# A test can pass while the module under test oopses or WARNs: say so.
warn_kernel_trouble() {
	local dmesg=$GUEST/logs/dmesg.log
	if grep -qE 'Oops|BUG:|WARNING:|Call Trace:' "$dmesg" 2>/dev/null; then
		echo "run_guest: warning: the guest kernel logged an oops or warning:" >&2
		grep -E -m5 'Oops|BUG:|WARNING:' "$dmesg" | sed 's/^/    /' >&2
		echo "    (all of it in $dmesg)" >&2
	fi
}

main() {
	local start
	parse_args "$@"
	cd "$REPO"
	find_kernel
	mkdir -p "$GUEST"
	# One guest per build dir at a time: they share job, results and logs.
	exec 9>"$GUEST/lock"
	flock -n 9 || {
		echo "run_guest: waiting for another guest run on $BUILD" >&2
		flock 9
	}
	start=$SECONDS
	extract_vmlinux
	build_initramfs
	write_job
	run_qemu
	report || exit 1
	echo "run_guest: ${#TESTS[@]} test(s) in the $KVER guest, $((SECONDS - start))s" >&2
}

main "$@"
