#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sfc_multihost.sh's topology and chains (the seed's Cases 2 and 3 on two
# hosts over Geneve), with the sfc_geneve module: its kfuncs write and
# read the option (the same bytes on the wire as the fallback, a foreign
# option carried on), then the module is unloaded and loaded again under
# ping and iperf3 TCP: rmmod refused while kfunc-mode programs exist, both
# hosts reloaded in fallback mode (SFC_GENEVE_MODE=fallback sfcctl
# restore), rmmod, traffic going on, insmod and restore back to kfunc
# mode, sfcctl status/module show telling the mode, dmesg clean.
# Needs geneve and the module built for the running kernel: guest tier.
# guest-tier: yes
SFC_MULTIHOST_SOURCED=1
source "$(dirname "$0")/sfc_multihost.sh"

[ -e "$SFC_BUILD/kmod/sfc_geneve.ko" ] ||
	skip "$SFC_BUILD/kmod/sfc_geneve.ko not built (make kmod)"
setup_topology || { echo "topology setup failed"; exit 1; }
configure
[ $RET = 0 ] || exit $RET
test_kfunc_mode
test_module_unload
exit $RET
