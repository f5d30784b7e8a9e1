#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs sfc on a Kubernetes node from the sfc-cni image (run by the
# DaemonSet in deploy/daemonset.yaml, or by hand with the image's files):
#
#   1. sfc-cni into the CNI bin dir, sfcctl into a bin dir of the host,
#      each copied beside and renamed, so the kubelet never runs half a file;
#   2. SFC_CHAIN=FILE: chains sfc-cni after the main plugin of the node's
#      network configuration list FILE (a name in the CNI conf dir; "auto":
#      the first .conflist there, the one the runtime uses);
#      SFC_CONFLIST=example: installs the example list (bridge + sfc-cni)
#      instead, for a node without another CNI;
#   3. SFC_RESTORE=1: removes the ports of pods that are gone and rebuilds
#      the data plane from the saved configuration (after a reboot the
#      pinned maps and the pods are gone, the state file is not);
#   4. with --sleep, stays (a DaemonSet's pod must keep running).
#
# Paths are those of the host as mounted into the pod (see the manifest).
set -eu

HOST=${HOST_ROOT:-/host}
CNI_BIN_DIR=${CNI_BIN_DIR:-$HOST/opt/cni/bin}
CNI_CONF_DIR=${CNI_CONF_DIR:-$HOST/etc/cni/net.d}
SFC_BIN_DIR=${SFC_BIN_DIR:-$HOST/usr/local/sbin}
SFC_CHAIN=${SFC_CHAIN:-}
SFC_CONFLIST=${SFC_CONFLIST:-}
SFC_RESTORE=${SFC_RESTORE:-0}
# As seen by sfc-cni and sfcctl on the host (they run there, not here).
SFC_BPFFS=${SFC_BPFFS:-/sys/fs/bpf/sfc}
SFC_STATE=${SFC_STATE:-/var/lib/sfc/config.json}
SFC_LOG=${SFC_LOG:-/var/log/sfc-cni.log}
HERE=$(cd "$(dirname "$0")" && pwd)

say() { echo "sfc install: $*"; }

# put FILE DIR: a copy beside, then a rename (atomic for the reader).
put() {
	mkdir -p "$2"
	cp "$1" "$2/.$(basename "$1").new"
	chmod 0755 "$2/.$(basename "$1").new"
	mv -f "$2/.$(basename "$1").new" "$2/$(basename "$1")"
	say "installed $2/$(basename "$1")"
}

put "$HERE/bin/sfc-cni" "$CNI_BIN_DIR"
put "$HERE/bin/sfcctl" "$SFC_BIN_DIR"

if [ -n "$SFC_CHAIN" ]; then
	if [ "$SFC_CHAIN" = auto ]; then	# the first, as the runtime picks
		for f in "$CNI_CONF_DIR"/*.conflist; do
			[ -e "$f" ] && SFC_CHAIN=$(basename "$f") && break
		done
		[ "$SFC_CHAIN" != auto ] || { say "no .conflist in $CNI_CONF_DIR"; exit 1; }
	fi
	"$HERE/bin/sfc-cni" chain "$CNI_CONF_DIR/$SFC_CHAIN" \
		"bpffs=$SFC_BPFFS" "state=$SFC_STATE" "logFile=$SFC_LOG"
	say "sfc-cni chained in $CNI_CONF_DIR/$SFC_CHAIN"
elif [ "$SFC_CONFLIST" = example ]; then
	sed -e "s|@BPFFS@|$SFC_BPFFS|" -e "s|@STATE@|$SFC_STATE|" \
	    -e "s|@LOG@|$SFC_LOG|" "$HERE/sfc.conflist.example" \
		>"$CNI_CONF_DIR/.05-sfc.conflist.new"
	mv -f "$CNI_CONF_DIR/.05-sfc.conflist.new" "$CNI_CONF_DIR/05-sfc.conflist"
	say "installed $CNI_CONF_DIR/05-sfc.conflist"
fi

# After a reboot the pods of before are gone: their ports go first (no
# configuration naming a missing device can be committed). A failure is
# not fatal: the next pod's ADD rebuilds the data plane too.
if [ "$SFC_RESTORE" = 1 ] && [ -f "$HOST$SFC_STATE" ]; then
	if "$HERE/bin/sfc-cni" sweep "state=$HOST$SFC_STATE" "bpffs=$SFC_BPFFS" &&
	   "$HERE/bin/sfcctl" --state "$HOST$SFC_STATE" --bpffs "$SFC_BPFFS" restore; then
		say "data plane restored from $SFC_STATE"
	else
		say "restoring the data plane failed (see above)"
	fi
fi

if [ "${1:-}" = --sleep ]; then
	trap 'exit 0' TERM INT
	while :; do sleep 3600 & wait $!; done
fi
