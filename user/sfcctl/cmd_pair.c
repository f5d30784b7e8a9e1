// SPDX-License-Identifier: GPL-2.0
/* sfcctl port-pair: one VNF instance, by the ports it is entered and left by. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(port_pair, SFC_KIND_PAIR,
	"A port pair is one VNF instance: traffic enters it through its ingress\n"
	"port and comes back on its egress port (the reverse direction of a\n"
	"symmetric chain the other way round). A one-port VNF gives the same\n"
	"port for both. Weight (1..65535) shares a group's flows between its\n"
	"pairs; correlation other than none is not supported yet.\n")
