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
	linux-headers-amd64 kmod dwarves libclang-rt-dev
	# module BTF (scripts/kmod_btf.sh): resolve_btfids, extract-vmlinux
	linux-source-6.1 xz-utils
	# tests and demo
	iproute2 ethtool iputils-ping tcpdump tshark python3-scapy iperf3 jq
	nftables bridge-utils util-linux graphviz containernetworking-plugins
	# guest tier
	qemu-system-x86 busybox-static cpio
	# benchmarks
	gnuplot-nox openvswitch-switch time linux-perf
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

# Suricata 7, the real VNF of selftests/net/sfc_suricata.sh, is only in
# bookworm-backports. Add that suite through a private sources list, with
# the archive URI and keyring of the machine's own "bookworm" source (read
# at run time, never written into the repo), and update only that list.
# Optional: a failure only warns, and the test skips saying why.
APT_DIR=$BUILD/cache/apt

# bookworm_source: "URI [KEYRING]" of the machine's apt source for bookworm.
bookworm_source() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush() {
				if (on && uri != "" && (" " suites " ") ~ / bookworm /) {
					print uri, key; done = 1; exit
				}
				uri = suites = key = ""; on = 1
			}
			BEGIN { on = 1 }
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{ field = tolower($1); val = $0; sub(/^[^:]*:[ \t]*/, "", val) }
			field == "uris:" { split(val, u, /[ \t]+/); uri = u[1] }
			field == "suites:" { suites = val }
			field == "signed-by:" { key = val }
			field == "enabled:" && tolower(val) == "no" { on = 0 }
			END { if (!done) flush() }' "$f" | grep . && return 0
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" {
				key = ""; i = 2
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /^\[?signed-by=/) {
							key = $i; sub(/^\[?signed-by=/, "", key); sub(/\]$/, "", key)
						}
						if ($i ~ /\]$/) { i++; break }
					}
				}
				if ($(i + 1) == "bookworm") { print $i, key; exit }
			}' "$f" | grep . && return 0
	done
	return 1
}

install_suricata() {
	local uri key list added_policy=0
	command -v suricata >/dev/null && return 0
	if [ "${1:-}" = --check ]; then
		echo "deps: optional suricata (bookworm-backports) not installed"
		return 0
	fi
	[ "$(id -u)" = 0 ] || { echo "deps: WARNING: suricata not installed (needs root)" >&2; return 0; }
	read -r uri key < <(bookworm_source) || true
	if [ -z "${uri:-}" ]; then
		echo "deps: WARNING: no apt source for bookworm; suricata not installed" \
			"(sfc_suricata will skip)" >&2
		return 0
	fi
	mkdir -p "$APT_DIR"
	list=$(realpath "$APT_DIR")/backports.list
	echo "deb ${key:+[signed-by=$key] }$uri bookworm-backports main" >"$list"
	# Installing sees the machine's sources too (suricata's dependencies come
	# from bookworm), so its list is ours plus the machine's one-line list.
	if [ -f /etc/apt/sources.list ]; then
		cat /etc/apt/sources.list "$list"
	else
		cat "$list"
	fi >"$APT_DIR/install.list"
	# Debian would start suricata as a service; we run it by hand in a
	# namespace. policy-rc.d exit 101 stops invoke-rc.d and deb-systemd-invoke.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		added_policy=1
	fi
	echo "deps: installing suricata from bookworm-backports"
	# A failure may be bookworm's own lists missing: update those too, and
	# ours again (a full update drops the lists of sources it does not know).
	{ suricata_apt_update && suricata_apt_install; } ||
		{ apt_update_once; suricata_apt_update && suricata_apt_install; } ||
		echo "deps: WARNING: could not install suricata from bookworm-backports" \
			"(sfc_suricata will skip)" >&2
	[ $added_policy = 0 ] || rm -f /usr/sbin/policy-rc.d
	if [ -d /run/systemd/system ]; then
		systemctl disable --now suricata >/dev/null 2>&1 || true
	fi
	return 0
}

suricata_apt_update() {
	apt-get -qq -o Dir::Etc::sourcelist="$(realpath "$APT_DIR")/backports.list" \
		-o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 update
}

suricata_apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o Dir::Etc::sourcelist="$(realpath "$APT_DIR")/install.list" \
		-t bookworm-backports suricata >/dev/null
}

rc=0
install_packages "${1:-}" || rc=1
install_guest_kernel "${1:-}" || rc=1
install_suricata "${1:-}"
exit $rc
