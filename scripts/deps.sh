#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package that building, testing, the demo and the
# benchmarks need, and unpack Debian's 6.1 kernel image for the guest tier.
# Idempotent and non-interactive: runs `apt-get update` once, and only when
# something is missing; does nothing when all is there.
#
# usage: scripts/deps.sh [--check]     (--check: only report what is missing)
set -euo pipefail

BUILD=${O:-build}
GUEST_DIR=$BUILD/cache/guest-kernel

PACKAGES=(
	# build
	make gcc clang llvm libbpf-dev bpftool pkg-config libelf-dev zlib1g-dev
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libjson-c-dev
	linux-headers-amd64 kmod dwarves
	# tests and demo
	iproute2 ethtool iputils-ping tcpdump tshark python3-scapy iperf3 jq
	nftables bridge-utils util-linux graphviz
	# guest tier
	qemu-system-x86 busybox-static cpio
	# benchmarks
	gnuplot-nox
)

missing_packages() {
	local p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

updated=0
apt_update_once() {
	if [ $updated = 0 ]; then
		echo "deps: apt-get update"
		apt-get update -qq
		updated=1
	fi
}

install_packages() {
	local missing
	mapfile -t missing < <(missing_packages)
	[ ${#missing[@]} = 0 ] && return 0
	if [ "${1:-}" = --check ]; then
		echo "deps: missing: ${missing[*]}"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages (${missing[*]}); run as root (sudo make deps)" >&2
		exit 1
	fi
	apt_update_once
	echo "deps: installing ${missing[*]}"
	# tshark asks whether non-root users may capture: answer no, quietly.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# The guest boots the kernel whose headers the module is built against.
guest_kver() {
	ls /usr/src | sed -n 's/^linux-headers-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' |
		sort -V | tail -1
}

install_guest_kernel() {
	local kver deb
	kver=$(guest_kver)
	[ -n "$kver" ] || { echo "deps: no linux-headers-6.1 installed" >&2; exit 1; }
	[ -f "$GUEST_DIR/$kver/boot/vmlinuz-$kver" ] && return 0
	[ "${1:-}" = --check ] && { echo "deps: guest kernel $kver missing"; return 1; }
	mkdir -p "$GUEST_DIR/$kver.tmp"
	(
		cd "$GUEST_DIR/$kver.tmp"
		if ! apt-get download "linux-image-$kver" >/dev/null 2>&1; then
			apt_update_once
			apt-get download "linux-image-$kver" >/dev/null
		fi
		deb=$(ls linux-image-"$kver"_*.deb)
		dpkg-deb -x "$deb" root
		rm -f "$deb"
	)
	rm -rf "${GUEST_DIR:?}/$kver"
	mv "$GUEST_DIR/$kver.tmp/root" "$GUEST_DIR/$kver"
	rmdir "$GUEST_DIR/$kver.tmp"
	depmod -b "$GUEST_DIR/$kver" "$kver"
	echo "deps: guest kernel $kver unpacked in $GUEST_DIR/$kver"
}

rc=0
install_packages "${1:-}" || rc=1
install_guest_kernel "${1:-}" || rc=1
exit $rc
