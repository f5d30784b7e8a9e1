#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real, unmodified VNF as one hop: Suricata 7 inline (af-packet IPS,
# copy-mode ips between its two ports), after a tc-mirred VNF.
#
#   app1 ns 10.0.0.1                      app2 ns 10.0.0.2 (echo server
#      eth0                                  eth0   on 8080 and 8081)
#       |                                     |
#   +---p1---------------- br0 --------------p4------------ host ns --+
#   |  v1i  v1o                 v2i  v2o                              |
#   +---|----|-------------------|----|-------------------------------+
#     [ vnf1 ]                 [ vnf2: suricata -, af-packet in <-> out,
#     in->out (tc mirred)        IPS, runmode workers ]
#
# Chain c-tcp: tcp from app1 to 10.0.0.2 ports 8080-8081: vnf1 -> vnf2,
# symmetric. Suricata's rules: drop everything to port 8080, drop a flow
# whose payload has "EVIL", alert (only) on "hello".
# Checks: a connection to 8081 passes both VNFs both ways and Suricata
# inspected it (alert, action allowed); one to 8080 never connects and
# Suricata logged the drop; a flow to 8081 carrying "EVIL" is cut mid-flow;
# per-hop counters of the chain; the mirred VNF saw the packets.
# KEEP=1 keeps the temp dir (Suricata's config, logs, eve.json).
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq tc ethtool ss
require_sfcctl
command -v suricata >/dev/null ||
	skip "suricata not installed (it comes from bookworm-backports: run 'make deps', see its warning)"

TMP=$(mktemp -d)
[ -n "${KEEP:-}" ] || defer "rm -rf '$TMP'"

setup_topology() {
	bridged_pair || return 1
	# The kernel leaves TCP checksums to the (virtual) NIC; af-packet
	# hands Suricata such a packet as is and Suricata sends it on with the
	# checksum never filled in, so the receiver drops it. Senders compute
	# their checksums in software instead.
	ip netns exec "$APP1" ethtool -K eth0 tx off >/dev/null &&
		ip netns exec "$APP2" ethtool -K eth0 tx off >/dev/null || return 1
	vnf_two_port VNF1 v1i v1o || return 1
	# The Suricata VNF: two bare ports, no addresses, no tc.
	setup_ns VNF2 || return 1
	veth_pair "$VNF2" in "$HOST" v2i && veth_pair "$VNF2" out "$HOST" v2o &&
		sfc_bpffs
}

configure() {
	local p
	for p in p1:app1 p4:app2 v1i:v1i v1o:v1o v2i:v2i v2o:v2o; do
		sfc "$HOST" port add "${p#*:}" dev "${p%%:*}" || return 1
	done
	sfc "$HOST" port-pair add pp1 ingress v1i egress v1o &&
	sfc "$HOST" port-pair add pp2 ingress v2i egress v2o &&
	sfc "$HOST" port-pair-group add g1 port-pair pp1 &&
	sfc "$HOST" port-pair-group add g2 port-pair pp2 &&
	sfc "$HOST" flow-classifier add fc-tcp ethertype IPv4 protocol tcp \
		logical-source-port app1 destination-ip 10.0.0.2/32 \
		destination-port 8080-8081 &&
	sfc "$HOST" port-chain add c-tcp port-pair-group g1 port-pair-group g2 \
		flow-classifier fc-tcp symmetric on
}

write_suricata_config() {
	cat >"$TMP/sfc.rules" <<-'EOF'
	drop tcp any any -> any 8080 (msg:"sfc test block port 8080"; sid:1000001; rev:1;)
	drop tcp any any -> any 8081 (msg:"sfc test block EVIL"; flow:to_server; content:"EVIL"; sid:1000002; rev:1;)
	alert tcp any any -> any 8081 (msg:"sfc test saw hello"; flow:established,to_server; content:"hello"; sid:1000003; rev:1;)
	EOF
	# Only what this test needs; everything else keeps Suricata's defaults.
	cat >"$TMP/suricata.yaml" <<-EOF
	%YAML 1.1
	---
	vars:
	  address-groups:
	    HOME_NET: "[10.0.0.0/24]"
	    EXTERNAL_NET: "any"
	  port-groups:
	    HTTP_PORTS: "80"
	default-log-dir: $TMP
	default-rule-path: $TMP
	rule-files:
	  - sfc.rules
	classification-file: /etc/suricata/classification.config
	reference-config-file: /etc/suricata/reference.config
	runmode: workers
	unix-command:
	  enabled: no
	logging:
	  default-log-level: notice
	  outputs:
	    - console:
	        enabled: no
	    - file:
	        enabled: yes
	        level: info
	        filename: $TMP/suricata.log
	stats:
	  enabled: yes
	  interval: 1
	outputs:
	  - fast:
	      enabled: yes
	      filename: fast.log
	  - eve-log:
	      enabled: yes
	      filetype: regular
	      filename: eve.json
	      types:
	        - alert
	        - stats:
	            totals: yes
	            threads: no
	af-packet:
	  - interface: in
	    threads: 1
	    cluster-id: 91
	    cluster-type: cluster_flow
	    defrag: no
	    use-mmap: yes
	    copy-mode: ips
	    copy-iface: out
	  - interface: out
	    threads: 1
	    cluster-id: 92
	    cluster-type: cluster_flow
	    defrag: no
	    use-mmap: yes
	    copy-mode: ips
	    copy-iface: in
	EOF
}

start_suricata() {
	local i
	write_suricata_config
	ip netns exec "$VNF2" suricata -c "$TMP/suricata.yaml" --af-packet \
		-l "$TMP" --pidfile "$TMP/suricata.pid" >"$TMP/suricata.out" 2>&1 &
	SURICATA_PID=$!
	defer "kill $SURICATA_PID 2>/dev/null; wait $SURICATA_PID 2>/dev/null"
	for i in $(seq 300); do
		grep -q 'Engine started' "$TMP/suricata.log" 2>/dev/null && return 0
		kill -0 $SURICATA_PID 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/    suricata: /' "$TMP/suricata.out" "$TMP/suricata.log" 2>/dev/null | tail -20
	return 1
}

start_server() {
	local i
	ip netns exec "$APP2" $PYTHON -u -c '
import socket, sys, threading
log = open(sys.argv[1], "a", buffering=1)
def echo(c, port):
    c.settimeout(5)
    try:
        d = c.recv(100)
        log.write("recv %d %s\n" % (port, d.decode(errors="replace")))
        c.sendall(d)
    except OSError:
        pass
    c.close()
def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.0.0.2", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        log.write("accept %d\n" % port)
        threading.Thread(target=echo, args=(c, port), daemon=True).start()
for p in (8080, 8081):
    threading.Thread(target=serve, args=(p,), daemon=True).start()
threading.Event().wait()' "$TMP/server.log" >/dev/null 2>&1 &
	defer "kill $! 2>/dev/null"
	for i in $(seq 50); do
		[ "$(ip netns exec "$APP2" ss -Hltn | grep -c ':808[01] ')" = 2 ] && return 0
		sleep 0.1
	done
	return 1
}

# client PORT MESSAGE: prints "reply MSG", "connect-failed" or "no-reply".
client() {
	ip netns exec "$APP1" $PYTHON -c '
import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect(("10.0.0.2", int(sys.argv[1])))
except OSError:
    print("connect-failed"); sys.exit()
s.sendall(sys.argv[2].encode())
try:
    d = s.recv(100)
except OSError:
    d = b""
print("reply " + d.decode() if d else "no-reply")' "$1" "$2"
}

# alert_action SID: the action of Suricata's alerts for SID (blocked or
# allowed), once its eve log has one (it writes within a second).
alert_action() {
	local i a
	for i in $(seq 30); do
		a=$(jq -r --argjson s "$1" 'select(.event_type == "alert" and
			.alert.signature_id == $s) | .alert.action' \
			"$TMP/eve.json" 2>/dev/null | sort -u | tr '\n' ' ')
		[ -n "$a" ] && { echo "${a% }"; return; }
		sleep 0.1
	done
}

# suricata_stat PATH: a counter from Suricata's newest stats record.
suricata_stat() {
	jq -r "select(.event_type == \"stats\") | .stats.$1 // 0" \
		"$TMP/eve.json" 2>/dev/null | tail -1
}

hop_packets() {	# DIR [HOP]: DIR forward_done/reverse_done without HOP
	sfc "$HOST" -j stats | jq -r --arg d "$1" --argjson h "${2:-null}" \
		'.chains[] | select(.name == "c-tcp") | .[$d] |
			if $h == null then .packets else .[$h].packets end'
}

test_pass() {
	local v1 in out
	v1=$(dev_rx_packets "$VNF1" in)
	in=$(dev_rx_packets "$VNF2" in); out=$(dev_rx_packets "$VNF2" out)
	check_eq "8081: echo through vnf1 and Suricata and back" "reply hello" \
		"$(client 8081 hello)"
	check_eq "8081: Suricata inspected the payload (alert, not blocked)" allowed \
		"$(alert_action 1000003)"
	check_ge "8081: Suricata's port in received the requests" $((in + 4)) \
		"$(dev_rx_packets "$VNF2" in)"
	check_ge "8081: Suricata's port out received the replies" $((out + 3)) \
		"$(dev_rx_packets "$VNF2" out)"
	check_ge "8081: the mirred vnf1 saw the requests" $((v1 + 4)) \
		"$(dev_rx_packets "$VNF1" in)"
}

test_block_port() {
	local in
	in=$(dev_rx_packets "$VNF2" in)
	check_eq "8080: blocked by Suricata's drop rule" connect-failed \
		"$(client 8080 hello)"
	check_eq "8080: Suricata logged the drop" blocked "$(alert_action 1000001)"
	check_eq "8080: fast.log has the drop" 1 \
		"$(grep -c -m1 'Drop.*sfc test block port 8080' "$TMP/fast.log")"
	check_eq "8080: app2 never saw a connection" 0 \
		"$(grep -c 'accept 8080' "$TMP/server.log")"
	check_ge "8080: the SYNs did reach Suricata" $((in + 2)) \
		"$(dev_rx_packets "$VNF2" in)"
}

test_block_content() {
	check_eq "8081 with EVIL in the payload: cut mid-flow" no-reply \
		"$(client 8081 EVIL)"
	check_eq "8081 with EVIL: Suricata logged the drop" blocked \
		"$(alert_action 1000002)"
	check_eq "8081 with EVIL: app2 never got the payload" 0 \
		"$(grep -c 'recv 8081 EVIL' "$TMP/server.log")"
}

test_counters() {
	sleep 1.2	# one more stats interval
	check_ge "Suricata forwarded the packets of the passing flows" 8 \
		"$(suricata_stat ips.accepted)"
	check_ge "Suricata dropped the blocked ones" 3 "$(suricata_stat ips.blocked)"
	check_ge "Suricata's drops by rule (8080 SYN, EVIL payload)" 2 \
		"$(suricata_stat ips.drop_reason.rules)"
	check_eq "Suricata lost nothing in capture" 0 \
		"$(suricata_stat capture.kernel_drops)"
	# Hops are numbered by their place in the chain in both directions.
	local fwd_in fwd_done
	fwd_in=$(hop_packets forward 1); fwd_done=$(hop_packets forward_done)
	check_ge "c-tcp: forward hop 0 (vnf1) counted" 10 "$(hop_packets forward 0)"
	check_ge "c-tcp: forward hop 1 (Suricata) counted" 10 "$fwd_in"
	check_ge "c-tcp: reverse hop 1 (Suricata) counted" 4 "$(hop_packets reverse 1)"
	check_ge "c-tcp: reverse hop 0 (vnf1) counted" 4 "$(hop_packets reverse 0)"
	check_ge "c-tcp: packets sent into Suricata but not out of it" 3 \
		"$((fwd_in - fwd_done))"
	check_eq "no data-plane drops" 0 \
		"$(sfc "$HOST" -j status | jq '[.drops[]] | add')"
}

setup_topology || skip "could not build the topology"
configure
log_test $? "configure ports, pairs, groups, classifier and chain"
start_suricata
log_test $? "Suricata $(suricata -V 2>/dev/null | sed -n 's/.*version \([^ ]*\).*/\1/p') started inline (af-packet IPS) in vnf2"
[ $RET = 0 ] || exit $RET
start_server
log_test $? "echo server on app2:8080 and app2:8081"
test_pass
test_block_port
test_block_content
test_counters
exit $RET
