#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Give an out-of-tree module built against Debian's 6.1 headers the BTF
# that makes its kfuncs resolvable on that exact kernel. The headers
# package has neither vmlinux nor resolve_btfids, so kbuild skips module
# BTF ("Skipping BTF generation ... unavailability of vmlinux") and the
# kfunc set would register without BTF (dmesg: "missing module BTF").
#
#   scripts/kmod_btf.sh CACHE VMLINUZ MODULE.ko
#
# CACHE keeps what is slow to make and depends only on the kernel:
#   resolve_btfids   built from linux-source-6.1's tools/ (~1 min, once)
#   vmlinux.btf      the .BTF section of VMLINUZ (identical to the running
#                    guest's /sys/kernel/btf/vmlinux)
# Then: pahole -J --btf_base vmlinux.btf (split BTF, as kbuild's
# link-vmlinux/modpost step makes it) and resolve_btfids -b, which fills
# the .BTF_ids set of kfunc ids; without it every program calling a kfunc
# fails to load ("calling kernel function ... is not allowed"). Finally
# checks both, so a module without working kfuncs never leaves the build.
set -euo pipefail

[ $# = 3 ] || { echo "usage: $0 CACHE VMLINUZ MODULE.ko" >&2; exit 2; }
CACHE=$1 VMLINUZ=$2 KO=$3
SRC_TAR=/usr/src/linux-source-6.1.tar.xz

die() { echo "kmod_btf: $*" >&2; exit 1; }

command -v pahole >/dev/null || die "pahole not found: run 'make deps' (dwarves)"
[ -f "$VMLINUZ" ] || die "$VMLINUZ missing: run 'make deps' (guest kernel)"

# resolve_btfids needs tools/ (its own libbpf and libsubcmd) and
# scripts/bpf_doc.py (libbpf's generated helper definitions).
build_tools() {
	local tmp
	[ -x "$CACHE/resolve_btfids" ] && [ -f "$CACHE/extract-vmlinux" ] && return 0
	[ -f "$SRC_TAR" ] || die "$SRC_TAR missing: run 'make deps' (linux-source-6.1)"
	tmp=$(mktemp -d "$CACHE/src.XXXXXX")
	tar -xJf "$SRC_TAR" -C "$tmp" --wildcards 'linux-source-6.1/tools/*' \
		linux-source-6.1/scripts/bpf_doc.py \
		linux-source-6.1/scripts/extract-vmlinux
	make -s -C "$tmp/linux-source-6.1/tools/bpf/resolve_btfids" \
		>"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log" >&2; die "resolve_btfids build failed"; }
	install -m 755 "$tmp/linux-source-6.1/tools/bpf/resolve_btfids/resolve_btfids" \
		"$CACHE/resolve_btfids"
	install -m 755 "$tmp/linux-source-6.1/scripts/extract-vmlinux" \
		"$CACHE/extract-vmlinux"
	rm -rf "$tmp"
}

base_btf() {
	local elf
	[ -s "$CACHE/vmlinux.btf" ] && [ "$CACHE/vmlinux.btf" -nt "$VMLINUZ" ] && return 0
	elf=$(mktemp "$CACHE/vmlinux.XXXXXX")
	sh "$CACHE/extract-vmlinux" "$VMLINUZ" >"$elf" || die "cannot extract $VMLINUZ"
	objcopy -O binary --only-section=.BTF "$elf" "$CACHE/vmlinux.btf.tmp"
	rm -f "$elf"
	[ -s "$CACHE/vmlinux.btf.tmp" ] || die "$VMLINUZ has no .BTF section"
	mv "$CACHE/vmlinux.btf.tmp" "$CACHE/vmlinux.btf"
}

# The section's size from objdump -h; 0 when absent.
section_size() {	# section_size FILE SECTION
	local hex
	hex=$(objdump -h "$1" | awk -v s="$2" '$2 == s { print $3 }')
	echo $((16#${hex:-0}))
}

mkdir -p "$CACHE"
build_tools
base_btf

LLVM_OBJCOPY=objcopy pahole -J --btf_gen_floats -j --lang_exclude=rust \
	--btf_base "$CACHE/vmlinux.btf" "$KO"
"$CACHE/resolve_btfids" -b "$CACHE/vmlinux.btf" "$KO"

[ "$(section_size "$KO" .BTF)" -gt 0 ] || die "$KO: no .BTF after pahole"
[ "$(section_size "$KO" .BTF_ids)" -gt 0 ] || die "$KO: empty .BTF_ids"
# Unresolved ids stay 0: each kfunc's id (first word of each 8-byte pair
# after the set's 8-byte header) must be non-zero.
objdump -s -j .BTF_ids "$KO" | awk '
	/^ [0-9a-f]+ / { for (i = 2; i <= 5 && length($i) == 8; i++) w[n++] = $i }
	END {
		if (n < 4) exit 1
		for (i = 2; i < n; i += 2) if (w[i] == "00000000") exit 1
	}' || die "$KO: a kfunc id in .BTF_ids is unresolved"
