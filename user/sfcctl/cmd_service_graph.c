// SPDX-License-Identifier: GPL-2.0
/* sfcctl service-graph: chains that go on into other chains. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(service_graph, SFC_KIND_GRAPH,
	"A service graph joins port chains (networking-sfc): a branching point\n"
	"SRC:DST1,DST2 sends the traffic that finishes chain SRC on into the\n"
	"first hop of whichever destination chain's flow classifiers match it\n"
	"(their logical source ports play no part there); traffic matching\n"
	"none leaves as after any chain. A destination chain takes traffic only\n"
	"from its source chains. Graphs are acyclic, a chain is in one graph\n"
	"at most and keeps its port pair groups while it is, all chains of a\n"
	"graph have one correlation and are not symmetric, and destination\n"
	"chains of one branching point classify differently. set replaces the\n"
	"branching points given.\n")
