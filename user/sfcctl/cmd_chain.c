// SPDX-License-Identifier: GPL-2.0
/* sfcctl port-chain: port pair groups in order, and the traffic they get. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(port_chain, SFC_KIND_CHAIN,
	"A port chain sends the traffic of its flow classifiers through its\n"
	"port pair groups (1..16 hops) in order. chain-id (1..16777215, the SPI)\n"
	"is chosen when not given. symmetric on: replies walk the hops\n"
	"backwards. end reinject (default) hands a finished packet back at its\n"
	"source port, so switches learn MACs only where they belong; end direct\n"
	"lets it leave from the last VNF (routed hosts: no detour, but a bridge\n"
	"then sees the source MAC on a VNF port). A port may serve one hop of a\n"
	"chain only. set replaces the lists given.\n")
