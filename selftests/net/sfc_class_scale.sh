#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The classifier's capacity (docs/design.md, "Classifier").
#
#   app1 -- p1 --+ br0 +-- p4 -- app2        vnf1..3: two-port (mirred)
#
# 1. 100k classifiers of bench/gen_config.py's mixed shapes (IPv4/IPv6
#    prefixes of several lengths, single ports and ranges, with and without
#    a logical source port; 250 chains of 400) apply, and UDP to
#    10.0.0.2:5201 from app1, matched only by the last-ranked classifier,
#    goes through its chain (vnf1..3) while ICMP, matched by none, does
#    not.
# 2. Entries: a configuration whose port ranges expand to exactly
#    SFC_MAX_CLASS_ENTRIES (2^19) entries applies; one classifier more is
#    refused with one line, and the configuration (file and data plane
#    generation) is what it was.
# 3. Shapes: 257 classifiers of 257 distinct mask shapes are refused, the
#    configuration unchanged.
source "$(dirname "$0")/lib.sh"

require_root
require_command ip jq bpftool
require_sfcctl

HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
defer "rm -rf '$TMP'"

setup() {
	bridged_pair && vnf_two_port VNF1 v1i v1o && vnf_two_port VNF2 v2i v2o &&
		vnf_two_port VNF3 v3i v3o && sfc_bpffs
}

# capacity_config MODE > FILE: app1, app2, vnf1 as one group; MODE full:
# 582 classifiers with both port ranges 1-65534 (30 x 30 blocks = 900
# entries each), 16 with the destination range only (30 each), 8 single
# ports (1 each): 524288 entries. MODE over: one single port more.
# MODE shapes: 257 classifiers, each a different source prefix length and
# destination port block size (33 x 8 shapes).
capacity_config() {
	/usr/bin/python3 - "$1" <<-'PY'
		import json, sys
		mode = sys.argv[1]
		fcs = []
		def fc(name, i, **kw):
		    d = {"name": name, "ethertype": "IPv4", "protocol": "udp",
		         "destination_ip_prefix": "10.%d.%d.%d/32" % (1 + i // 65536,
		                                                     i // 256 % 256, i % 256)}
		    d.update(kw)
		    fcs.append(d)
		if mode == "shapes":
		    for i in range(257):
		        fcs.append({"name": "x%03d" % i, "ethertype": "IPv4", "protocol": "tcp",
		                    "source_ip_prefix": "128.0.0.0/%d" % (i % 33) if i % 33 else
		                    "0.0.0.0/0",
		                    "destination_port_range_min": 0,
		                    "destination_port_range_max": (1 << (i // 33)) - 1})
		else:
		    for i in range(582):
		        fc("b%03d" % i, i, source_port_range_min=1, source_port_range_max=65534,
		           destination_port_range_min=1, destination_port_range_max=65534)
		    for i in range(16):
		        fc("d%02d" % i, 1000 + i, destination_port_range_min=1,
		           destination_port_range_max=65534)
		    for i in range(9 if mode == "over" else 8):
		        fc("s%d" % i, 2000 + i, destination_port_range_min=80 + i,
		           destination_port_range_max=80 + i)
		for f in fcs:
		    if f.get("source_ip_prefix") == "0.0.0.0/0":
		        del f["source_ip_prefix"]
		chains = [{"name": "k%d" % (c // 500), "port_pair_groups": ["g1"],
		           "flow_classifiers": [f["name"] for f in fcs[c:c + 500]]}
		          for c in range(0, len(fcs), 500)]
		json.dump({"version": 1,
		           "ports": [{"name": "app1", "device": "p1"}, {"name": "app2", "device": "p4"},
		                     {"name": "v1i", "device": "v1i"}, {"name": "v1o", "device": "v1o"}],
		           "port_pairs": [{"name": "pp1", "ingress": "v1i", "egress": "v1o"}],
		           "port_pair_groups": [{"name": "g1", "port_pairs": ["pp1"]}],
		           "flow_classifiers": fcs, "port_chains": chains}, sys.stdout)
	PY
}

generation() {
	bpftool -j map lookup pinned "$SFC_PIN/sfc_global" key 0 0 0 0 |
		jq -r '.formatted.value.generation'
}

# memlock: bytes_memlock of every pinned map and of the classifier's
# entries (both slots), in MiB.
memlock() {
	local m sum=0 b
	for m in "$SFC_PIN"/sfc_*; do
		b=$(bpftool -j map show pinned "$m" 2>/dev/null | jq '.bytes_memlock // 0')
		[ -n "$b" ] && sum=$((sum + b))
	done
	b=$(bpftool -j map show pinned "$SFC_PIN/sfc_class_rules" | jq '.bytes_memlock')
	echo "all maps $((sum / 1048576)) MiB, sfc_class_rules $((b / 1048576)) MiB"
}

# refused FILE WHAT: apply of FILE fails with one line naming WHAT, and
# leaves the saved configuration and the live generation as they were.
refused() {
	local before gen rc
	sfc "$HOST" export >"$TMP/before.json"
	gen=$(generation)
	sfc "$HOST" apply -f "$1" >"$TMP/out" 2>&1
	rc=$?
	check_eq "apply refused" 1 "$rc"
	grep -q "$2" "$TMP/out"
	log_test $? "one line says why: $(head -c 200 "$TMP/out")"
	check_eq "... in one line" 1 "$(grep -c . "$TMP/out")"
	sfc "$HOST" export >"$TMP/after.json"
	cmp -s "$TMP/before.json" "$TMP/after.json"
	log_test $? "saved configuration unchanged"
	check_eq "live generation unchanged" "$gen" "$(generation)"
}

setup || skip "could not build the topology"

echo "# 100k classifiers (bench/gen_config.py 100000)"
/usr/bin/python3 "$HERE/../../bench/gen_config.py" 100000 >"$TMP/100k.json"
t0=$(date +%s%N)
sfc "$HOST" apply -f "$TMP/100k.json" >"$TMP/out" 2>&1
log_test $? "apply of 100000 classifiers in 251 chains ($(( ($(date +%s%N) - t0) / 1000000 )) ms) $(head -c 200 "$TMP/out")"
check_eq "classifiers configured" 100000 \
	"$(sfc "$HOST" -j flow-classifier list | jq length)"
echo "#   bytes_memlock: $(memlock)"
ip netns exec "$VNF1" tc -s filter show dev in ingress >"$TMP/vnf1.before"
in0=$(dev_rx_packets "$VNF1" in)
send_udp_flows "$APP1" "$(mac_of "$APP2" eth0)" 10.0.0.2 5201 40000 5
sleep 0.5
check_ge "the last-ranked classifier's UDP went through vnf1" \
	$((in0 + 5)) "$(dev_rx_packets "$VNF1" in)"
in0=$(dev_rx_packets "$VNF1" in)
ip netns exec "$APP1" ping -q -c 3 -i 0.2 10.0.0.2 >/dev/null
log_test $? "ICMP (no classifier) reaches app2"
check_eq "... and not vnf1" "$in0" "$(dev_rx_packets "$VNF1" in)"

echo "# entries: exactly the capacity, then one more"
capacity_config full >"$TMP/full.json"
capacity_config over >"$TMP/over.json"
capacity_config shapes >"$TMP/shapes.json"
sfc "$HOST" apply -f "$TMP/full.json" >"$TMP/out" 2>&1
log_test $? "606 classifiers expanding to 524288 entries apply $(head -c 200 "$TMP/out")"
echo "#   bytes_memlock: $(memlock)"
refused "$TMP/over.json" "expand to 524289 entries"

echo "# shapes: 257 distinct"
refused "$TMP/shapes.json" "more than 256 distinct shapes"

exit $RET
