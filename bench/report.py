#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turns bench/run.sh's raw data into REPORT.md and PNG plots (gnuplot).

    report.py DATA_DIR RESULTS_DIR

DATA_DIR holds e2e.tsv, prog_cost.tsv, ctl.tsv, tc_paths.tsv and env.txt;
RESULTS_DIR receives REPORT.md and *.png. Prints the summary table.
"""
import os
import statistics
import subprocess
import sys

DATA, RES = sys.argv[1], sys.argv[2]
os.makedirs(RES, exist_ok=True)
METHOD_NAMES = {
    "L": "L: back-to-back veth (limit)",
    "F": "F: tc u32 match-all + mirred (no flower here)",
    "O": "O: Open vSwitch 3.1, netdev datapath",
    "S": "S: sfc, default (symmetric, reinject, handoff by bpf_redirect_peer)",
    "E": "E: sfc, handoff egress (through the host end of the VNF's veth)",
    "D": "D: sfc, end direct",
}
TESTS = [("tcp1", "TCP 1 stream", "Gbit/s", True),
         ("tcp4", "TCP 4 streams", "Gbit/s", True),
         ("udp64", "UDP 64 B received", "kpps", True),
         ("udp64if", "UDP 64 B at APP2 port", "kpps", True),
         ("rtt", "ping RTT median", "us", False)]


def read_tsv(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        return []
    return [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]


def fnum(s):
    try:
        v = float(s)
        return v if v == v else None
    except ValueError:
        return None


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, nd=2):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.*f" % (nd, v)


def gnuplot(script):
    try:
        subprocess.run(["gnuplot"], input=script.encode(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return True
    except (OSError, subprocess.CalledProcessError) as e:
        print("# gnuplot failed: %s" % e, file=sys.stderr)
        return False


out = []
summary = []          # (target, figure, met)

# "refresh: PART DATE ..." lines: parts rerun alone (bench/run.sh ONLY=...)
REFRESH = {}
_envtxt = os.path.join(DATA, "env.txt")
if os.path.exists(_envtxt):
    for line in open(_envtxt):
        if line.startswith("refresh: "):
            REFRESH[line.split()[1]] = line[len("refresh: "):].strip()


def refreshed(part):
    """A note for a section whose part was rerun after the full run."""
    if part not in REFRESH:
        return []
    return ["*Refreshed: `ONLY=%s` rerun on %s; the other sections are from the "
            "full run dated in the header.*\n" % (part, REFRESH[part].split(" ", 1)[1])]

# ---------------------------------------------------------------- e2e
e2e = read_tsv("e2e.tsv")
ENV = open(os.path.join(DATA, "env.txt")).read() if os.path.exists(
    os.path.join(DATA, "env.txt")) else ""
DURATION = 3.0
for tok in ENV.split():
    if tok.startswith("DURATION="):
        DURATION = float(tok.split("=")[1])
data = {}             # (chain, method, test) -> [values]
trav = {}             # (chain, method) -> [ok...]
for row in e2e:
    if len(row) < 9:
        continue
    n, m, r, t, v = row[0], row[1], row[2], row[3], fnum(row[4])
    data.setdefault((int(n), m, t), []).append(v)
    if t == "udp64":
        # what reached APP2's interface: the data plane's rate, not bounded
        # by the iperf3 receiver's socket
        data.setdefault((int(n), m, "udp64if"), []).append(int(row[7]) / DURATION / 1e3)
    if t != "bpf_ns":
        trav.setdefault((int(n), m), []).append(row[8] == "yes")
chains = sorted({k[0] for k in data})
methods = [m for m in "LFOSED" if any(k[1] == m for k in data)]

if e2e:
    out.append("## End to end: chains of bump-in-the-wire VNFs on one host\n")
    out += refreshed("e2e")
    out.append("Medians of the runs (count in the last column); ratio = median / median of L "
               "in the same run set. RTT: lower is better (ratio > 1 is slower). "
               "UDP 64 B received: what the iperf3 server read (its socket drops "
               "included as loss); at APP2's port: rx packets of APP2's interface / "
               "test duration, the rate the steering delivered. "
               "`traversed`: in every run every VNF's forward port received at least "
               "what APP2 received.\n")
    for m in methods:
        out.append("- %s" % METHOD_NAMES.get(m, m))
    out.append("")
    for n in chains:
        out.append("### %d VNF%s\n" % (n, "" if n == 1 else "s"))
        out.append("| method | " + " | ".join("%s (%s) | ratio" % (d, u) for _, d, u, _ in TESTS)
                   + " | traversed | runs |")
        out.append("|---|" + "---|---|" * len(TESTS) + "---|---|")
        for m in methods:
            cells = []
            for t, _, _, _ in TESTS:
                v = med(data.get((n, m, t), []))
                lv = med(data.get((n, "L", t), []))
                cells.append(fmt(v))
                cells.append(fmt(v / lv) if v is not None and lv else "n/a")
            tr = trav.get((n, m), [])
            runs = len(data.get((n, m, "tcp1"), []))
            out.append("| %s | %s | %s | %d |" % (m, " | ".join(cells),
                       "yes" if tr and all(tr) else "NO", runs))
        bp = med(data.get((n, "S", "bpf_ns"), []))
        if bp is not None:
            out.append("\nsfc programs in this traffic (kernel.bpf_stats_enabled): "
                       "%.0f ns per program run (ingress + VNF egress guard)." % bp)
        out.append("")

    # plots: one per test, clusters = chain lengths, bars = methods
    for t, desc, unit, _ in TESTS:
        dat = os.path.join(DATA, "plot_%s.dat" % t)
        with open(dat, "w") as f:
            f.write("chain " + " ".join(methods) + "\n")
            for n in chains:
                f.write("%d " % n + " ".join(
                    fmt(med(data.get((n, m, t), [])), 4) if med(data.get((n, m, t), []))
                    is not None else "NaN" for m in methods) + "\n")
        png = os.path.join(RES, "e2e_%s.png" % t)
        cols = " , ".join("'%s' using %d:xtic(1) title columnheader(%d)" % (dat, i + 2, i + 2)
                          for i in range(len(methods)))
        if gnuplot("""set terminal pngcairo size 720,420 font ',10'
set output '%s'
set title '%s by chain length (medians)'
set ylabel '%s'
set xlabel 'VNFs in the chain'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set key top right
set yrange [0:*]
set grid ytics
plot %s
""" % (png, desc, unit, cols)):
            out.append("![%s](e2e_%s.png)" % (desc, t))
    out.append("")

    # targets
    for n in chains:
        for t, desc, unit, higher in TESTS:
            s = med(data.get((n, "S", t), []))
            for peer in ("F", "O"):
                p = med(data.get((n, peer, t), []))
                if s is None or p is None:
                    continue
                met = s > p if higher else s < p
                summary.append(("S faster than %s: %s, %d VNF%s" % (peer, desc, n, "" if n == 1 else "s"),
                                "S %s vs %s %s %s" % (fmt(s), peer, fmt(p), unit), met))
    for t, desc, unit, _ in TESTS[:4]:
        s, lv = med(data.get((3, "S", t), [])), med(data.get((3, "L", t), []))
        if s is not None and lv:
            summary.append(("S >= 90%% of L: %s, 3 VNFs" % desc,
                            "%.0f%% (S %s, L %s %s)" % (100 * s / lv, fmt(s), fmt(lv), unit),
                            s / lv >= 0.9))

# ---------------------------------------------------------------- BPF_PROG_TEST_RUN
# Paths measured per call (a push or pop changes the packet, so test_run
# cannot repeat them): minus the per-call overhead that the same run
# measured as per-call minus repeated on a path allowing both.
DERIVED = [
    ("mpls-push", "mpls-push/per-call", "classify+first-hop/hit"),
    ("nsh-push", "nsh-push/per-call", "classify+first-hop/hit"),
    ("xdp-pop-mpls", "xdp-pop-mpls/per-call", "xdp-pass"),
    ("xdp-pop-nsh", "xdp-pop-nsh/per-call", "xdp-pass"),
]
cost = read_tsv("prog_cost.tsv")
if cost:
    cdata = {}
    raw = {}
    for row in cost:
        cdata.setdefault((int(row[0]), row[1]), []).append(fnum(row[3]))
        raw[(int(row[0]), row[1], row[2])] = fnum(row[3])
    overhead = {}     # (rules, base path) -> [per-call - repeated, per run]
    for (r, p, run), v in raw.items():
        pc = raw.get((r, p + "/per-call", run))
        if pc is not None and v is not None:
            overhead.setdefault((r, p), []).append(pc - v)
    for name, pc, base in DERIVED:
        for (r, p, run), v in sorted(raw.items()):
            a, b = raw.get((r, base + "/per-call", run)), raw.get((r, base, run))
            if p == pc and None not in (v, a, b):
                cdata.setdefault((r, name), []).append(v - (a - b))
    rules = sorted({k[0] for k in cdata})
    paths = []
    for k in cdata:
        if k[1] not in paths and not k[1].endswith("/per-call"):
            paths.append(k[1])
    runs = max(len(v) for v in cdata.values())
    out.append("## Data-plane cost per packet (BPF_PROG_TEST_RUN)\n")
    out += refreshed("cost")
    out.append("ns/packet, median of %d interleaved runs; ratio to the same path at %d "
               "rules. The one matching classifier ranks last (worst case); the others "
               "mix IPv4/IPv6, prefixes /8../128, single ports and port ranges "
               "(bench/gen_config.py).\n" % (runs, rules[0]))
    reps = {}
    for row in cost:
        if len(row) > 5 and row[1].endswith("/miss"):
            reps[int(row[0])] = row[5]
    out.append("- classify+first-hop/miss: the per-flow classification cache compiled out: "
               "the classifier's tuple walk every new flow pays once (repeat %s; the other paths use "
               "the full repeat)." % ", ".join("%s at %d rules" % (reps[r], r)
                                                 for r in sorted(reps)))
    out.append("- classify+first-hop/hit: the program as sfcctl loads it: every later "
               "packet of a flow.")
    out.append("- mid-chain-hop: a packet back from VNF 1 steered into VNF 2.")
    out.append("- chain-end: mean of the last VNF port's re-injection and the source "
               "port consuming the done mark (a finished packet costs twice this).")
    if any(k[1] in [d[0] for d in DERIVED] for k in cdata):
        out.append("- mpls-push, nsh-push: classify + first hop into an SFC-aware pair "
                   "(cache on, as /hit), the MPLS single label or NSH MD1 (next protocol "
                   "Ethernet) header pushed (gen_config.py --corr).")
        out.append("- xdp-pass: the XDP pop program on a plain IPv4 frame (passed untouched).")
        out.append("- xdp-pop-mpls, xdp-pop-nsh: the XDP pop program on the frame the push "
                   "left: header removed, SPI/SI/TTL handed to TC in the packet metadata.")
        out.append("- A push or pop changes the packet and test_run repeats a program on its "
                   "own output, so these four run as separate one-repetition test runs (a "
                   "fresh frame each); their figure is that mean minus the per-call overhead "
                   "(timer, fresh skb) measured in the same run as per-call minus repeated on "
                   "the /hit path (TC) and on xdp-pass (XDP); raw figures below the plot.")
    out.append("")
    out.append("| path | " + " | ".join("%d rules | ratio" % r for r in rules) + " |")
    out.append("|---|" + "---|---|" * len(rules))
    for p in paths:
        base = med(cdata.get((rules[0], p), []))
        cells = []
        for r in rules:
            v = med(cdata.get((r, p), []))
            cells += [fmt(v, 0), fmt(v / base) if v and base else "n/a"]
        out.append("| %s | %s |" % (p, " | ".join(cells)))
    out.append("")
    dat = os.path.join(DATA, "plot_cost.dat")
    with open(dat, "w") as f:
        f.write("rules " + " ".join(paths) + "\n")
        for r in rules:
            f.write("%d " % r + " ".join(
                str(med(cdata.get((r, p), [])) or "NaN") for p in paths) + "\n")
    png = os.path.join(RES, "prog_cost.png")
    cols = " , ".join("'%s' using 1:%d with linespoints lw 2 title columnheader(%d)"
                      % (dat, i + 2, i + 2) for i in range(len(paths)))
    if gnuplot("""set terminal pngcairo size 720,420 font ',10'
set output '%s'
set title 'sfc data-plane paths: ns/packet vs classifiers (BPF\\_PROG\\_TEST\\_RUN)'
set logscale xy
set xlabel 'flow classifiers'
set ylabel 'ns/packet'
set key top left
set grid
plot %s
""" % (png, cols)):
        out.append("![ns/packet vs classifiers](prog_cost.png)\n")
    pcs = sorted({k[1] for k in cdata if k[1].endswith("/per-call")})
    if pcs:
        out.append("Raw per-call means (ns, median of runs) and the per-call overhead "
                   "subtracted above:\n")
        out.append("| figure | " + " | ".join("%d rules" % r for r in rules) + " |")
        out.append("|---|" + "---|" * len(rules))
        for p in pcs:
            out.append("| %s | %s |" % (p, " | ".join(fmt(med(cdata.get((r, p), [])), 0)
                                                     for r in rules)))
        for base in ("classify+first-hop/hit", "xdp-pass"):
            out.append("| overhead per call (%s) | %s |" % (base, " | ".join(
                fmt(med(overhead.get((r, base), [])), 0) for r in rules)))
        out.append("")
    big = max(rules)
    for p in ("classify+first-hop/miss", "classify+first-hop/hit"):
        v, b = med(cdata.get((big, p), [])), med(cdata.get((rules[0], p), []))
        if v is None or not b:
            continue
        summary.append(("%s <= 100 ns at %d classifiers" % (p, big),
                        "%s ns" % fmt(v, 0), v <= 100))
        summary.append(("%s <= 1.3x its %d-classifier cost, at %d" % (p, rules[0], big),
                        "%.2fx (%s -> %s ns)" % (v / b, fmt(b, 0), fmt(v, 0)), v / b <= 1.3))

# ---------------------------------------------------------------- control plane
ctl = read_tsv("ctl.tsv")
if ctl:
    cv = {}
    for row in ctl:
        k, r = row[0].split("/")
        cv.setdefault(r, {})[k] = row[1]
    out.append("## Control plane\n")
    out += refreshed("cost")
    out.append("`sfcctl apply -f` into a private --bpffs/--state (includes loading and "
               "attaching the data plane), `/usr/bin/time -v`; map memory = sum of "
               "bytes_memlock of the pinned maps; chain update = `port-chain set` of the "
               "matching chain (hops reversed) with the configuration loaded, while a ping "
               "every 2 ms crosses that chain.\n")
    out.append("| classifiers | apply (s) | peak RSS (MiB) | file (KiB) | map memory (MiB) "
               "| chain update (ms) | pings lost during update |")
    out.append("|---|---|---|---|---|---|---|")
    for r in sorted((x for x in cv if "apply_s" in cv[x]), key=int):
        d = cv[r]
        out.append("| %s | %s | %.1f | %.0f | %.1f | %s | %s |" % (
            r, d.get("apply_s", "n/a"), int(d.get("apply_maxrss_kb", 0)) / 1024,
            int(d.get("apply_file_bytes", 0)) / 1024,
            int(d.get("map_memlock_bytes", 0)) / 2**20,
            d.get("chain_update_ms", "n/a"), d.get("chain_update_ping_lost", "n/a")))
    out.append("")
    for r in sorted((x for x in cv if "apply_ok" in cv[x]), key=int):
        out.append("- apply %s classifiers: %s" % (r, cv[r]["apply_ok"]))
    out.append("- Capacity: 512 classifiers per chain x 255 usable chains; per slot "
               "256 classifier shapes and 2^19 entries after port-range expansion "
               "(bench/gen_config.py's 100k classifiers: about 245 000 entries).\n")
    if "10000" in cv and "apply_s" in cv["10000"]:
        s = float(cv["10000"]["apply_s"])
        summary.append(("apply 10k classifiers <= 2 s", "%.2f s" % s, s <= 2))

# ---------------------------------------------------------------- profile
prof = os.path.join(DATA, "profile.txt")
if os.path.exists(prof):
    out.append("## Profile (bench/profile.sh)\n")
    out += refreshed("profile")
    out.append("```")
    out.append(open(prof).read().rstrip())
    out.append("```\n")
ana = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")
if os.path.exists(ana):
    out.append(open(ana).read().rstrip() + "\n")

# ---------------------------------------------------------------- tc paths
tcp = read_tsv("tc_paths.tsv")
if tcp:
    rows = {}
    for ns, name in tcp:
        rows.setdefault(name, []).append(int(ns))
    out.append("## TC entry-point paths (unit fixtures, bpf_fixtures --repeat)\n")
    out += refreshed("tc")
    out.append("| path | ns/packet |")
    out.append("|---|---|")
    for name, v in rows.items():
        out.append("| %s | %.0f |" % (name, statistics.median(v)))
    out.append("")

# ---------------------------------------------------------------- write
env = open(os.path.join(DATA, "env.txt")).read() if os.path.exists(
    os.path.join(DATA, "env.txt")) else ""
head = ["# sfc benchmarks\n", "Produced by `make bench` (bench/run.sh). Benchmarks print "
        "figures; they are not pass/fail. Every figure comes from one run on the machine "
        "below; other jobs sharing its 2 cores make them noisy.\n", "```", env.strip(),
        "```\n", "## Targets (issue 9)\n", "| target | figure | met |", "|---|---|---|"]
for t, fig, met in summary:
    head.append("| %s | %s | %s |" % (t, fig, "yes" if met else "**no**"))
head.append("")
report = "\n".join(head + out) + "\n"
open(os.path.join(RES, "REPORT.md"), "w").write(report)
print("\n".join(head))
print("# full report: %s" % os.path.join(RES, "REPORT.md"))
