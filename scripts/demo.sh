#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The namespace demo (`sudo make demo`). Today it shows the foundation:
# two workloads on a host bridge, the sfc TC entry point attached to both
# host-side ports by sfcctl, real traffic both ways, the per-port counters
# and a counted drop of a malformed frame. Service chains join it as they
# land (docs/design.md).
#
#   app1 ns            host ns                  app2 ns
#   eth0 --veth-- h1 [sfc] -- br0 -- h2 [sfc] --veth-- eth0
#   10.0.0.1                                        10.0.0.2
set -uo pipefail

BUILD=$(cd "${1:-build}" && pwd)
export SFC_BUILD=$BUILD
source "$(dirname "$0")/../selftests/net/lib.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
}

require_root
require_sfcctl

say "Topology: app1 and app2 on a host bridge"
setup_ns HOST APP1 APP2 || exit 1
ip -n "$HOST" link add br0 type bridge && ip -n "$HOST" link set br0 up
veth_pair "$APP1" eth0 "$HOST" h1 && veth_pair "$APP2" eth0 "$HOST" h2
ip -n "$HOST" link set h1 master br0 && ip -n "$HOST" link set h2 master br0
ip -n "$APP1" addr add 10.0.0.1/24 dev eth0
ip -n "$APP2" addr add 10.0.0.2/24 dev eth0
sfc_bpffs || exit 1
echo "namespaces: $HOST $APP1 $APP2; pins under $SFC_PIN"

say "Attach the data plane to the host-side ports"
run sfc "$HOST" attach dev h1 || exit 1
run sfc "$HOST" attach dev h2 || exit 1

say "Traffic both ways"
run ip netns exec "$APP1" ping -c 3 -i 0.2 10.0.0.2 || exit 1
run ip netns exec "$APP2" ping -c 3 -i 0.2 10.0.0.1 || exit 1

say "A malformed frame (IPv4 IHL 4) from app1: dropped and counted"
ip netns exec "$APP1" /usr/bin/python3 - <<'PY'
from scapy.all import Ether, IP, UDP, sendp, get_if_hwaddr
sendp(Ether(dst="ff:ff:ff:ff:ff:ff", src=get_if_hwaddr("eth0")) /
      IP(src="10.0.0.1", dst="10.0.0.2", ihl=4) / UDP(dport=7777),
      iface="eth0", verbose=False)
PY

say "Status: kernel features, module, ports and their counters, drops"
run sfc "$HOST" status

say "Detach and clean up"
run sfc "$HOST" detach dev h1
run sfc "$HOST" detach dev h2
echo "demo done"
