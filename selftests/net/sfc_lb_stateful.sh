#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Symmetric load balancing through stateful VNFs.
#
#   app1 -- p1 --+ br0 +-- p4 -- app2 (TCP echo server on 9000)
#   group ga: fw1, fw2, fw3     group gb: fw4, fw5, fw6
#   each fwN: a bridge with br_netfilter and nftables that accepts new
#   connections from app1 only and otherwise only packets of connections
#   it has seen (strict TCP tracking): a reply reaching another instance
#   than its request is dropped.
#   chain cs: tcp dport 9000 from app1 -> ga -> gb, symmetric.
#
# With symmetric selection every connection works. With `lb-symmetric off`
# (what a balancer hashing each direction as seen does) most break: the
# test shows both, so it proves symmetry is what makes the first work.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq nft
require_sfcctl

TMP=$(mktemp -d)
defer "rm -rf '$TMP'"
CONNS=30

setup_topology() {
	local i
	bridged_pair || return 1
	for i in 1 2 3 4 5 6; do
		vnf_stateful_fw FW$i f${i}i f${i}o 10.0.0.1 || return 1
	done
	sfc_bpffs
}

configure() {
	local i
	sfc "$HOST" port add app1 dev p1 && sfc "$HOST" port add app2 dev p4 || return 1
	for i in 1 2 3 4 5 6; do
		sfc "$HOST" port add f${i}i dev f${i}i && sfc "$HOST" port add f${i}o dev f${i}o &&
		sfc "$HOST" port-pair add fw$i ingress f${i}i egress f${i}o || return 1
	done
	sfc "$HOST" port-pair-group add ga port-pair fw1 port-pair fw2 port-pair fw3 &&
	sfc "$HOST" port-pair-group add gb port-pair fw4 port-pair fw5 port-pair fw6 &&
	sfc "$HOST" flow-classifier add fc ethertype IPv4 protocol tcp \
		logical-source-port app1 destination-port 9000 &&
	sfc "$HOST" port-chain add cs port-pair-group ga port-pair-group gb \
		flow-classifier fc symmetric on
}

start_echo_server() {
	ip netns exec "$APP2" $PYTHON -c '
import socket, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.2", 9000)); s.listen(64)
print("ready", flush=True)
def serve(c):
    with c:
        c.sendall(c.recv(100))
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' >"$TMP/server.out" 2>&1 &
	defer "kill $! 2>/dev/null"
	wait_for_line "$TMP/server.out" ready 30
}

# connections N: how many of N fresh connections (new source ports) echo.
connections() {
	ip netns exec "$APP1" $PYTHON - "$1" <<-'PY'
		import socket, sys
		ok = 0
		for i in range(int(sys.argv[1])):
		    try:
		        c = socket.create_connection(("10.0.0.2", 9000), timeout=0.5)
		        c.sendall(b"sfc-%d" % i)
		        ok += c.recv(100) == b"sfc-%d" % i
		        c.close()
		    except OSError:
		        pass
		print(ok)
	PY
}

instances_used() {	# how many of the six firewalls forwarded something
	local i n=0 ns
	for i in 1 2 3 4 5 6; do
		ns=FW$i
		[ "$(dev_rx_packets "${!ns}" in)" -gt 0 ] && n=$((n + 1))
	done
	echo $n
}

test_symmetric() {
	check_eq "symmetric: all $CONNS connections through two stateful groups" \
		$CONNS "$(connections $CONNS)"
	check_eq "symmetric: all six instances carried connections" 6 "$(instances_used)"
}

test_asymmetric() {
	local ok
	sfc "$HOST" port-pair-group set ga lb-symmetric off &&
		sfc "$HOST" port-pair-group set gb lb-symmetric off
	log_test $? "switch both groups to asymmetric hashing"
	ok=$(connections $CONNS)
	# Both groups must pick the same instance for request and reply: with
	# three instances each that happens for ~1 in 9 connections.
	[ "$ok" -lt $((CONNS / 2)) ]
	log_test $? "asymmetric: most connections break ($ok of $CONNS worked)"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure two groups of three stateful firewalls"
start_echo_server || skip "the echo server did not start"
test_symmetric
test_asymmetric
exit $RET
