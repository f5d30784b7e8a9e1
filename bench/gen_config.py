#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sfcctl apply configuration with N flow classifiers of mixed shapes.

Ports app1 (p1), app2 (p4) and three two-port VNFs v1..v3 (vKi/vKo), one
group each. Chain `cmatch` (g1 g2 g3, symmetric) holds the one classifier
that matches the benchmark packet (IPv4 UDP 10.0.0.1 -> 10.0.0.2:5201 from
app1) with the worst priority, so it ranks last: every other rule is
checked first. The N-1 others never match that packet; their shapes mix
IPv4 and IPv6 (about 2:1), prefixes of several lengths, single ports and
port ranges, tcp/udp/icmp, with and without a logical source port (so
both lists the data plane looks up are long), spread over chains of 64
classifiers each (every chain g1 g2 g3), or of ceil(N / 250) when more
than 250 such chains would be needed (sfcctl allows 255 chains of up to
512 classifiers: 100k classifiers make 250 chains of 400).

With --corr, two SFC-aware VNFs v4 (port pair pp4, correlation mpls) and
v5 (pp5, nsh) join, each the one group of a chain of its correlation:
`cmpls` (networking-sfc single label) for udp 10.0.0.2:5202 and `cnsh`
(MD type 1, next protocol Ethernet) for :5203, both from app1 and ranked
last like `zmatch`; the classifiers still add up to N (two fewer of the
others). bench/prog_cost.sh measures MPLS/NSH push and the XDP pop on them.

    gen_config.py [--corr] N [SEED] > config.json
"""
import ipaddress
import json
import random
import sys

PER_CHAIN = 64
MAX_CHAINS = 250    # of the 255 usable: room for cmatch and --corr's two


def per_chain(n):
    return max(PER_CHAIN, -(-n // MAX_CHAINS))


def v4_rule(rnd, name):
    fc = {"name": name, "ethertype": "IPv4"}
    shape = rnd.randrange(6)
    plen = rnd.choice([8, 12, 16, 20, 24, 28, 32])
    # never 10.0.0.0/8: that is where the benchmark packet lives
    net = "%d.%d.%d.%d/%d" % (rnd.choice([172, 192, 100, 198]), rnd.randrange(256),
                              rnd.randrange(256), rnd.randrange(256), plen)
    net = str(ipaddress.ip_network(net, strict=False))
    if shape == 0:
        fc["destination_ip_prefix"] = net
    elif shape == 1:
        fc["source_ip_prefix"] = net
        fc["protocol"] = "tcp"
    elif shape == 2:
        # matches the packet's addresses, fails on the port range (late miss)
        fc["protocol"] = "udp"
        fc["source_ip_prefix"] = "10.0.0.0/%d" % rnd.choice([8, 16, 24])
        lo = rnd.randrange(6000, 60000)
        fc["destination_port_range_min"] = lo
        fc["destination_port_range_max"] = lo + rnd.choice([0, 9, 99, 999])
    elif shape == 3:
        fc["protocol"] = "tcp"
        fc["destination_ip_prefix"] = "10.0.0.2/32"
        fc["destination_port_range_min"] = fc["destination_port_range_max"] = \
            rnd.randrange(1, 5000)
    elif shape == 4:
        fc["protocol"] = "icmp"
        fc["destination_ip_prefix"] = net
    else:
        fc["protocol"] = "udp"
        fc["destination_ip_prefix"] = net
        lo = rnd.randrange(1, 60000)
        fc["source_port_range_min"] = lo
        fc["source_port_range_max"] = lo + rnd.choice([0, 15, 255])
    return fc


def v6_rule(rnd, name):
    fc = {"name": name, "ethertype": "IPv6"}
    plen = rnd.choice([32, 48, 56, 64, 96, 128])
    words = ["%x" % rnd.randrange(0x10000) for _ in range(8)]
    words[0] = rnd.choice(["2001", "fd00", "fd12", "2a02"])
    net = "%s/%d" % (":".join(words), plen)
    # canonical: host bits zero
    net = str(ipaddress.ip_network(net, strict=False))
    if rnd.randrange(2):
        fc["destination_ip_prefix"] = net
    else:
        fc["source_ip_prefix"] = net
    if rnd.randrange(2):
        fc["protocol"] = rnd.choice(["tcp", "udp"])
        lo = rnd.randrange(1, 60000)
        fc["destination_port_range_min"] = lo
        fc["destination_port_range_max"] = lo + rnd.choice([0, 7, 1023])
    return fc


def corr_parts(ports, pairs, groups):
    """The aware VNFs v4 (MPLS) and v5 (NSH), their chains and classifiers."""
    fcs, chains = [], []
    for i, corr, port in ((4, "mpls", 5202), (5, "nsh", 5203)):
        ports += [{"name": "v%di" % i, "device": "v%di" % i},
                  {"name": "v%do" % i, "device": "v%do" % i}]
        pairs.append({"name": "pp%d" % i, "ingress": "v%di" % i, "egress": "v%do" % i,
                      "service_function_parameters": {"correlation": corr}})
        groups.append({"name": "g%d" % i, "port_pairs": ["pp%d" % i]})
        fcs.append({"name": "z%s" % corr, "ethertype": "IPv4", "protocol": "udp",
                    "logical_source_port": "app1", "destination_ip_prefix": "10.0.0.2/32",
                    "destination_port_range_min": port,
                    "destination_port_range_max": port, "priority": 65535})
        chains.append({"name": "c%s" % corr, "port_pair_groups": ["g%d" % i],
                       "flow_classifiers": ["z%s" % corr],
                       "chain_parameters": {"symmetric": True, "correlation": corr}})
    return fcs, chains


def config(n, seed=1, corr=False):
    rnd = random.Random(seed)
    ports = [{"name": "app1", "device": "p1"}, {"name": "app2", "device": "p4"}]
    pairs, groups = [], []
    for i in (1, 2, 3):
        ports += [{"name": "v%di" % i, "device": "v%di" % i},
                  {"name": "v%do" % i, "device": "v%do" % i}]
        pairs.append({"name": "pp%d" % i, "ingress": "v%di" % i, "egress": "v%do" % i})
        groups.append({"name": "g%d" % i, "port_pairs": ["pp%d" % i]})
    hops = ["g1", "g2", "g3"]
    cfcs, cchains = corr_parts(ports, pairs, groups) if corr else ([], [])
    fcs = []
    for k in range(n - 1 - len(cfcs)):
        name = "fc%05d" % k
        fc = v4_rule(rnd, name) if rnd.randrange(3) else v6_rule(rnd, name)
        if rnd.randrange(2):
            fc["logical_source_port"] = "app1"
        fc["priority"] = rnd.randrange(1, 1000)
        fcs.append(fc)
    chains = []
    size = per_chain(len(fcs))
    for c in range(0, len(fcs), size):
        chains.append({"name": "c%03d" % (c // size), "port_pair_groups": hops,
                       "flow_classifiers": [f["name"] for f in fcs[c:c + size]],
                       "chain_parameters": {"symmetric": True}})
    fcs.append({"name": "zmatch", "ethertype": "IPv4", "protocol": "udp",
                "logical_source_port": "app1", "destination_ip_prefix": "10.0.0.2/32",
                "destination_port_range_min": 5201, "destination_port_range_max": 5201,
                "priority": 65535})
    chains.append({"name": "cmatch", "port_pair_groups": hops,
                   "flow_classifiers": ["zmatch"], "chain_parameters": {"symmetric": True}})
    fcs += cfcs
    chains += cchains
    return {"version": 1, "ports": ports, "port_pairs": pairs, "port_pair_groups": groups,
            "flow_classifiers": fcs, "port_chains": chains}


if __name__ == "__main__":
    args = sys.argv[1:]
    corr = "--corr" in args
    args = [a for a in args if a != "--corr"]
    n = int(args[0])
    seed = int(args[1]) if len(args) > 1 else 1
    json.dump(config(n, seed, corr), sys.stdout, indent=1)
    sys.stdout.write("\n")
