#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The hostile packet corpus for selftests/unit/test_corpus.c.

A deterministic (seeded) set of >= 10,000 frames, most of them malformed
on purpose, to be run through sfc_tc_ingress (at edge ports, VNF ports and
unmanaged devices) and sfc_tc_egress against one realistic configuration.
Structured cases are built with scapy (truncated at every byte, bad IHL,
IPv4 options, IPv6 extension header chains, fragments, VLAN/QinQ, MPLS
without bottom of stack, NSH with bad length/MD type/TTL 0, Geneve with bad
option lengths, jumbo frames, random bytes); seeded random mutation of
those and of well-formed chain traffic makes up the rest.

Configuration (live generation 3, slot 1; ifindexes = port ids):

  chain 1, symmetric:   P1=11 (rules) ... P4=14
    group 1 {21:22, 23:24} (Maglev, 5-tuple) -> group 2 {25:25} -> group 3 {26:27}
  chain 2, one way:     P5=15 (rules) ... P6=16
    group 4 {31:32, 33:34, 35:36} -> group 5 {1:1}  (lo: the egress cases)
  chain 3, symmetric, IPv6:  P7=17 (rules)
    group 6 {41:42}
  P8=18: an edge port without rules; 99: an unmanaged device.

Flow state is pre-seeded for the base flows at every VNF port where they
come back, so unmutated and lightly mutated frames walk whole chains.

Output format (text, one item a line):

  port <ifindex> <port_id> <flags>
  map <name> <key hex> <value hex>
  vnf <chain> <ifindex>          a VNF port of that chain
  edge <ifindex> <chain>         an edge port and the chain its rules select
  case <ingress|egress> <ifindex> <mark> <tag chain> <frame hex>

The tag is the chain whose address space the frame was built from (0:
none); an edge port may steer a frame only into its own rules' chain or
the tag's (a reply walks its chain backwards).
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixtures"))

from fixlib import (CHAIN_F_SYMMETRIC, DIR_FWD, DIR_REV, MARK_DONE,  # noqa
                    MARK_STEER, MAX_RULES, PORT_F_VNF, PORT_F_WORKLOAD,
                    chain_entry, flow_key, flow_val, global_entry, ppg_entry,
                    rule_entry, rule_list_entry)
from scapy.all import (ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether,  # noqa: E402
                       IPOption_NOP, IPOption_RR, IPOption_Timestamp, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, raw)
from scapy.contrib.mpls import MPLS  # noqa: E402
from scapy.contrib.nsh import NSH  # noqa: E402

SEED = 8
TARGET = int(os.environ.get("SFC_CORPUS_CASES", "12000"))
GEN, SLOT = 3, 1
RULE0 = SLOT * MAX_RULES

P1, P4, P5, P6, P7, P8, UNMANAGED = 11, 14, 15, 16, 17, 18, 99
CHAINS = {
    1: dict(flags=CHAIN_F_SYMMETRIC, edge=(P1, P4), v6=False,
            groups=[(1, [(21, 22), (23, 24)]), (2, [(25, 25)]),
                    (3, [(26, 27)])]),
    2: dict(flags=0, edge=(P5, P6), v6=False,
            groups=[(4, [(31, 32), (33, 34), (35, 36)]), (5, [(1, 1)])]),
    3: dict(flags=CHAIN_F_SYMMETRIC, edge=(P7, P8), v6=True,
            groups=[(6, [(41, 42)])]),
}
RULE_PORT = {P1: 1, P5: 2, P7: 3}      # edge port -> chain its rules select
EDGES = [P1, P4, P5, P6, P7, P8]

rnd = random.Random(SEED)


def addrs(chain, v6):
    """Client and server address of a chain's address space."""
    if v6:
        return "2001:db8:%d:1::10" % chain, "2001:db8:%d:2::20" % chain
    return "10.%d.1.10" % chain, "10.%d.2.20" % chain


def mac(n):
    return "02:00:00:00:00:%02x" % n


def config():
    lines = []
    ports = [(i, i, PORT_F_WORKLOAD) for i in EDGES]
    maps = [global_entry(GEN)]
    for c, ch in CHAINS.items():
        maps.append(chain_entry(SLOT, c, GEN, [g for g, _ in ch["groups"]],
                                ch["flags"]))
        for g, pairs in ch["groups"]:
            maps.append(ppg_entry(SLOT, g, pairs, lb_fields=0))
            for i, e in pairs:
                for x in {i, e}:
                    ports.append((x, x, PORT_F_VNF))
                    lines.append("vnf %d %d" % (c, x))
    # Classifier rules: rank-sorted lists per logical source port.
    r = RULE0
    lists = {}
    for port, c, rules in (
            (P1, 1, [dict(family=4, proto=17, dport=(80, 90), dst="10.1.2.0/24"),
                     dict(family=4, proto=6, dst="10.1.0.0/16"),
                     dict(family=4, proto=1, src="10.1.1.0/24")]),
            (P5, 2, [dict(family=4, dst="10.2.0.0/16"),
                     dict(family=4, proto=132)]),
            (P7, 3, [dict(family=6, dst="2001:db8:3::/48")])):
        lists[port] = (r, len(rules))
        for rank, kw in enumerate(rules):
            maps.append(rule_entry(r, rank, c, **kw))
            r += 1
    for port, (first, n) in lists.items():
        maps.append(rule_list_entry(SLOT, port, first, n))
    for port in EDGES:
        lines.append("edge %d %d" % (port, RULE_PORT.get(port, 0)))
    return ports, maps, lines


def base_flows():
    """(chain, forward frame, reply frame, 5-tuple) of well-formed traffic."""
    out = []
    for c, ch in CHAINS.items():
        cl, sv = addrs(c, ch["v6"])
        L3 = IPv6 if ch["v6"] else IP
        fam = 6 if ch["v6"] else 4
        for proto, l4f, l4r, sp, dp in (
                (17, UDP(sport=1000 + c, dport=80), UDP(sport=80, dport=1000 + c),
                 1000 + c, 80),
                (6, TCP(sport=2000 + c, dport=443, flags="S"),
                 TCP(sport=443, dport=2000 + c, flags="SA"), 2000 + c, 443)):
            fwd = Ether(src=mac(1), dst=mac(4)) / L3(src=cl, dst=sv) / l4f / \
                Raw(b"f" * 20)
            rev = Ether(src=mac(4), dst=mac(1)) / L3(src=sv, dst=cl) / l4r / \
                Raw(b"r" * 20)
            out.append((c, fwd, rev, (fam, proto, cl, sv, sp, dp)))
    return out


def seeded_flows(flows):
    """Flow state as if each base flow had been steered into every hop
    (forward) and, for symmetric chains, back (reverse)."""
    maps = []
    for c, _, _, t in flows:
        ch = CHAINS[c]
        fam, proto, cl, sv, sp, dp = t
        rt = (fam, proto, sv, cl, dp, sp)
        src_f, src_r = ch["edge"]
        for hop, (_, pairs) in enumerate(ch["groups"]):
            for i, e in pairs:
                maps.append(("sfc_flows", flow_key(e, *t),
                             flow_val(GEN, c, hop, DIR_FWD, src_f)))
                if ch["flags"] & CHAIN_F_SYMMETRIC:
                    maps.append(("sfc_flows", flow_key(i, *rt),
                                 flow_val(GEN, c, hop, DIR_REV, src_r)))
        if ch["flags"] & CHAIN_F_SYMMETRIC:
            maps.append(("sfc_flows", flow_key(0, *rt),
                         flow_val(GEN, c, 0, DIR_REV, 0)))
    return maps


# --- structured hostile frames ------------------------------------------------

def eth(c=1):
    return Ether(src=mac(1), dst=mac(4))


def v4(c=1, **kw):
    cl, sv = addrs(c, False)
    return IP(src=cl, dst=sv, **kw)


def v6(c=3, **kw):
    cl, sv = addrs(c, True)
    return IPv6(src=cl, dst=sv, **kw)


def structured():
    """(chain tag, frame bytes) of malformed or unusual frames."""
    out = []
    add = out.append
    for c in (1, 2):
        # IPv4 header length: every IHL, with and without room for it
        for ihl in range(16):
            add((c, raw(eth() / v4(c, ihl=ihl) / UDP(dport=80) / Raw(b"x" * 8))))
            add((c, raw(eth() / v4(c, ihl=ihl, options=[IPOption_NOP()] * 40)
                        / UDP(dport=80))))
        # total length vs. frame, version field
        for tl in (0, 1, 19, 20, 27, 28, 29, 60, 1500, 65535):
            add((c, raw(eth() / v4(c, len=tl) / UDP(dport=80) / Raw(b"y" * 8))))
        for ver in (0, 5, 6, 15):
            add((c, raw(eth() / v4(c, version=ver) / TCP(dport=22))))
        # IPv4 options
        for opts in ([IPOption_RR()], [IPOption_Timestamp()],
                     [IPOption_NOP()] * 3 + [IPOption_RR(length=39)],
                     [IPOption_RR(length=0)], [IPOption_RR(length=255)]):
            add((c, raw(eth() / v4(c, options=opts) / UDP(dport=80))))
            add((c, raw(eth() / v4(c, options=opts) / TCP(dport=443))))
        # fragments: first, middle, last; tiny first fragment
        for flags, frag in ((1, 0), (1, 100), (0, 200), (0, 8191), (2, 0)):
            add((c, raw(eth() / v4(c, flags=flags, frag=frag) / UDP(dport=80)
                        / Raw(b"z" * 30))))
        add((c, raw(eth() / v4(c, flags=1, proto=6) / Raw(b"\x00" * 4))))
        # TCP data offset
        for doff in range(16):
            add((c, raw(eth() / v4(c) / TCP(dport=443, dataofs=doff))))
        # VLAN, QinQ, three tags, truncated tags
        inner = v4(c) / UDP(dport=80) / Raw(b"v" * 10)
        for l2 in (Ether(src=mac(1), dst=mac(4)) / Dot1Q(vlan=10),
                   Ether(src=mac(1), dst=mac(4)) / Dot1AD(vlan=20) / Dot1Q(vlan=10),
                   Ether(src=mac(1), dst=mac(4)) / Dot1Q(vlan=1) / Dot1Q(vlan=2),
                   Ether(src=mac(1), dst=mac(4)) / Dot1AD(vlan=1) / Dot1AD(vlan=2)
                   / Dot1Q(vlan=3)):
            f = raw(l2 / inner)
            add((c, f))
            for cut in range(12, 14 + 4 * 3 + 2):
                add((c, f[:cut]))
        # MPLS: stacks with and without bottom of stack
        for depth in (1, 2, 8, 30):
            stack = None
            for i in range(depth):
                m = MPLS(label=100 + i, s=0, ttl=64)
                stack = m if stack is None else stack / m
            add((c, raw(Ether(src=mac(1), dst=mac(4), type=0x8847) / stack
                        / inner)))
            last = MPLS(label=99, s=1, ttl=0)
            add((c, raw(Ether(src=mac(1), dst=mac(4), type=0x8847) / stack
                        / last / inner)))
        # UDP to the Geneve and VXLAN ports, bad option lengths
        for optlen in (0, 1, 8, 63):
            gnv = struct.pack("!BBH3sB", optlen & 0x3f, 0, 0x6558, b"\0\0\x07", 0)
            gnv += bytes(min(optlen * 4, 16))      # fewer bytes than claimed
            add((c, raw(eth() / v4(c) / UDP(sport=5000, dport=6081) / Raw(gnv))))
            add((c, raw(eth() / v4(c) / UDP(sport=5000, dport=6081) / Raw(
                gnv + raw(Ether() / v4(c) / UDP(dport=80))))))
        add((c, raw(eth() / v4(c) / UDP(dport=4789) / Raw(b"\x08" + bytes(7)))))
        # jumbo frames (longer than test_run accepts: the runner clips them)
        for size in (1500, 1514, 2048, 3000, 3500, 3700, 4000, 9000):
            pl = max(0, size - 14 - 20 - 8)
            add((c, raw(eth() / v4(c) / UDP(sport=1000 + c, dport=80)
                        / Raw(b"j" * pl))))
    # NSH (ethertype 0x894f): bad length, MD type, TTL 0, next protocols
    for ttl, length, mdtype, np in ((0, 6, 1, 1), (63, 6, 2, 1), (1, 0, 1, 1),
                                    (63, 63, 2, 3), (0, 2, 0, 1), (63, 6, 15, 1),
                                    (63, 2, 2, 4), (63, 3, 1, 0xff)):
        b0 = (ttl >> 2) & 0x0f
        b1 = ((ttl & 3) << 6) | (length & 0x3f)
        nsh = bytes([b0, b1, mdtype & 0x0f, np]) + struct.pack("!I", (7 << 8) | 255)
        nsh += bytes(16 if mdtype == 1 else 4)
        inner = raw(v4(1) / UDP(dport=80))
        add((1, raw(Ether(src=mac(1), dst=mac(4), type=0x894f) / Raw(nsh + inner))))
        add((1, raw(Ether(src=mac(1), dst=mac(4), type=0x894f) / Raw(nsh[:5]))))
        add((1, raw(Ether(src=mac(1), dst=mac(4)) / Dot1Q(vlan=5, type=0x894f)
                    / Raw(nsh + inner))))
    # What an SFC-aware VNF sends back for the XDP pop (sfc_xdp_pop), built
    # by scapy's MPLS and NSH layers: whole headers of every kind the data
    # plane pushes, then cut short; MPLS over non-IP; NSH TTL 0/1, bad
    # lengths, MD types, next protocols; an Ethernet next protocol with no
    # whole inner frame. Mutation (below) starts from these too.
    ip4 = v4(1) / UDP(sport=1001, dport=80) / Raw(b"m" * 12)
    ip6 = v6(3) / UDP(sport=1003, dport=80) / Raw(b"m" * 12)
    mpls_eth = Ether(src=mac(22), dst=mac(4), type=0x8847)
    nsh_eth = Ether(src=mac(22), dst=mac(4), type=0x894f)
    tlv = struct.pack(">HBBI", 0xfff6, 1, 4, 11)
    pops = []
    for inner in (ip4, ip6):
        pops.append(mpls_eth / MPLS(label=5 << 8 | 254, s=1, ttl=254) / inner)
        pops.append(mpls_eth / MPLS(label=5, s=0, ttl=255) /
                    MPLS(label=254, s=1, ttl=254) / inner)
        pops.append(mpls_eth / MPLS(label=5 << 8 | 254, s=1, ttl=254) /
                    Raw(b"\x00" * 20))                  # not IP under the label
        pops.append(mpls_eth / MPLS(label=5, s=0) / MPLS(label=254, s=0) /
                    MPLS(label=3, s=0) / inner)          # no bottom of stack
    for ttl in (0, 1, 2, 63):
        md1 = NSH(ttl=ttl, length=6, mdtype=1, spi=5, si=254,
                  context_header=struct.pack(">I", 11) + bytes(12))
        md2 = NSH(ttl=ttl, length=4, mdtype=2, nextproto=1, spi=5, si=254) / Raw(tlv)
        md1.nextproto = 3
        pops.append(nsh_eth / md1.copy() / Ether(src=mac(1), dst=mac(4)) / ip4)
        pops.append(nsh_eth / md2 / ip4)
        md1.nextproto = 2
        pops.append(nsh_eth / md1 / ip6)
    pops.append(nsh_eth / NSH(length=6, mdtype=1, nextproto=3, spi=5, si=254,
                              context_header=bytes(16)) / Raw(b"e" * 10))
    pops.append(nsh_eth / NSH(length=2, mdtype=2, nextproto=3, spi=5, si=254))
    whole = len(pops)           # the rest are only whole frames
    for length in (0, 1, 2, 3, 5, 7, 16, 17, 63):
        for md in (0, 1, 2, 3, 15):
            pops.append(nsh_eth / NSH(length=length, mdtype=md, nextproto=1,
                                      spi=5, si=254) / Raw(bytes(16)) / ip4)
    for np in (0, 4, 5, 0xfe):
        pops.append(nsh_eth / NSH(length=2, mdtype=2, nextproto=np, spi=5,
                                  si=254) / ip4)
    pops.append(nsh_eth / NSH(ver=1, length=2, mdtype=2, nextproto=1, spi=5,
                              si=254) / ip4)
    for i, p in enumerate(pops):
        f = raw(p)
        add((1, f))
        for cut in range(14, min(len(f), 14 + 36) if i < whole else 0):
            add((1, f[:cut]))
    # IPv6: extension header chains, long ones, bad lengths, fragments
    ext = [IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt(), IPv6ExtHdrRouting(),
           IPv6ExtHdrFragment(offset=0, m=1), IPv6ExtHdrDestOpt()]
    for n in range(0, 12):
        chain = None
        for i in range(n):
            h = ext[i % len(ext)].copy()
            chain = h if chain is None else chain / h
        l4 = UDP(sport=1003, dport=80) / Raw(b"6" * 8)
        p = v6(3) / chain / l4 if chain is not None else v6(3) / l4
        add((3, raw(eth() / p)))
    for hlen in (0, 1, 2, 30, 255):
        add((3, raw(eth() / v6(3) / IPv6ExtHdrDestOpt(len=hlen, autopad=0)
                    / UDP(dport=80))))
        add((3, raw(eth() / v6(3) / IPv6ExtHdrRouting(len=hlen) / TCP())))
    for off, m in ((0, 1), (1, 1), (100, 0), (8191, 0)):
        add((3, raw(eth() / v6(3) / IPv6ExtHdrFragment(offset=off, m=m)
                    / UDP(dport=80) / Raw(b"q" * 16))))
    add((3, raw(eth() / v6(3, nh=51) / Raw(bytes([17, 255]) + bytes(10)))))  # AH
    add((3, raw(eth() / v6(3, nh=51) / Raw(bytes([17, 0]) + bytes(2)))))
    add((3, raw(eth() / v6(3, nh=50) / Raw(bytes(16)))))                    # ESP
    for plen in (0, 1, 7, 8, 100, 65535):
        add((3, raw(eth() / v6(3, plen=plen) / UDP(dport=80) / Raw(b"p" * 8))))
    for ver in (0, 4, 15):
        add((3, raw(eth() / v6(3, version=ver) / UDP(dport=80))))
    # IPv6 in an IPv4 ethertype and the reverse
    add((1, raw(Ether(src=mac(1), dst=mac(4), type=0x0800) / v6(1) / UDP())))
    add((3, raw(Ether(src=mac(1), dst=mac(4), type=0x86dd) / v4(3) / UDP())))
    # ICMP errors quoting a flow
    add((1, raw(eth() / v4(1) / ICMP(type=3, code=4) / v4(1) / UDP(dport=80))))
    # random bytes: bare, and behind a plausible Ethernet header
    for _ in range(200):
        n = rnd.randrange(0, 300)
        add((0, bytes(rnd.getrandbits(8) for _ in range(n))))
    for et in (0x0800, 0x86dd, 0x8100, 0x88a8, 0x8847, 0x894f, 0x0806):
        for _ in range(20):
            n = rnd.randrange(0, 120)
            add((0, raw(Ether(src=mac(1), dst=mac(4), type=et))
                 + bytes(rnd.getrandbits(8) for _ in range(n))))
    return out


def truncations(frames):
    """Every prefix of a few well-formed frames: a cut at every layer."""
    out = []
    for c, f in frames:
        for n in range(0, len(f)):
            out.append((c, f[:n]))
    return out


def mutate(f):
    b = bytearray(f)
    for _ in range(rnd.choice((1, 1, 1, 2, 3, 8))):
        op = rnd.randrange(6)
        if not b:
            b = bytearray(rnd.getrandbits(8) for _ in range(rnd.randrange(64)))
            continue
        # header bytes matter most: aim 3 out of 4 edits at the first 80
        pos = rnd.randrange(min(len(b), 80) if rnd.random() < 0.75 else len(b))
        if op == 0:
            b[pos] ^= 1 << rnd.randrange(8)
        elif op == 1:
            b[pos] = rnd.getrandbits(8)
        elif op == 2:
            b[pos] = rnd.choice((0, 0xff, 0x7f, 0x80, 0x40, 0x45, 0x60, 0x06,
                                 0x11, 0x2b, 0x2c, 0x3c, 0x81, 0x88))
        elif op == 3:
            del b[pos:pos + rnd.randrange(1, 9)]
        elif op == 4:
            b[pos:pos] = bytes(rnd.getrandbits(8)
                               for _ in range(rnd.randrange(1, 9)))
        else:
            del b[rnd.randrange(len(b) + 1):]
    return bytes(b)


def where(tag):
    """An (program, ifindex, mark) for a frame of a chain's address space."""
    r = rnd.random()
    marks = (0, 0, 0, 0, MARK_STEER, MARK_DONE, rnd.getrandbits(32))
    mark = rnd.choice(marks)
    if r < 0.08:
        return "egress", 1, rnd.choice((MARK_STEER, MARK_DONE, 0, mark))
    if r < 0.12:
        return "ingress", UNMANAGED, mark
    if r < 0.55 or tag == 0:
        # an edge port: the chain's own classifying end mostly
        ch = CHAINS.get(tag)
        port = ch["edge"][0] if ch and rnd.random() < 0.7 else rnd.choice(EDGES)
        return "ingress", port, mark
    ch = CHAINS[tag]
    if r < 0.9:
        # back from one of the chain's VNFs
        pairs = [p for _, ps in ch["groups"] for p in ps]
        return "ingress", rnd.choice(rnd.choice(pairs)), mark
    # a VNF of another chain (a miswired or misbehaving VNF)
    other = rnd.choice([c for c in CHAINS if c != tag])
    pairs = [p for _, ps in CHAINS[other]["groups"] for p in ps]
    return "ingress", rnd.choice(rnd.choice(pairs)), mark


def main():
    ports, maps, lines = config()
    flows = base_flows()
    maps += seeded_flows(flows)
    w = sys.stdout.write
    w("# hostile packet corpus, seed %d (selftests/unit/corpus/hostile.py)\n"
      % SEED)
    for p in ports:
        w("port %d %d %d\n" % p)
    for m, k, v in maps:
        w("map %s %s %s\n" % (m, k.hex(), v.hex()))
    for line in lines:
        w(line + "\n")

    cases = []
    # well-formed traffic on its way through the chains
    for c, fwd, rev, _ in flows:
        ch = CHAINS[c]
        cases.append(("ingress", ch["edge"][0], 0, c, raw(fwd)))
        cases.append(("ingress", ch["edge"][1], 0, c, raw(rev)))
        for _, pairs in ch["groups"]:
            for i, e in pairs:
                cases.append(("ingress", e, 0, c, raw(fwd)))
                cases.append(("ingress", i, 0, c, raw(rev)))
    struct_frames = structured()
    seeds = [(c, raw(f)) for c, f, _, _ in flows] + \
        [(c, raw(r)) for c, _, r, _ in flows] + struct_frames
    for c, f in truncations([(c, raw(f)) for c, f, _, _ in flows[::2]]) + \
            struct_frames:
        cases.append(where(c) + (c, f))
    while len(cases) < TARGET:
        c, f = rnd.choice(seeds)
        cases.append(where(c) + (c, mutate(f)))
    for prog, ifindex, mark, tag, f in cases:
        w("case %s %d 0x%x %d %s\n" % (prog, ifindex, mark, tag, f.hex()))


if __name__ == "__main__":
    main()
