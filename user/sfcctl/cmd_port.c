// SPDX-License-Identifier: GPL-2.0
/* sfcctl port: a logical port, the host side of a workload's or VNF's device. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(port, SFC_KIND_PORT,
	"A port names a host-side device: the host end of a workload's or a\n"
	"VNF's veth. Adding one attaches the data plane to its device; deleting\n"
	"it detaches. MAC is the workload's address, needed when a flow\n"
	"classifier names the port as its logical-destination-port.\n"
	"A port on another host has remote IPV4 (its host's underlay address)\n"
	"and key N (the port key all hosts name it by) instead of dev; a\n"
	"local port another host must name gets the same key there. vni N:\n"
	"the VNI to reach a remote port with (default: the tunnel's).\n")
