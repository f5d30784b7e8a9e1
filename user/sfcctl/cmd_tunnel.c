// SPDX-License-Identifier: GPL-2.0
/* sfcctl tunnel: this host's Geneve device, for chains across hosts. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(tunnel, SFC_KIND_TUNNEL,
	"A tunnel is this host's Geneve device (at most one), through which\n"
	"packets reach ports on other hosts (port add NAME remote IPV4 key N).\n"
	"The device is created in external (collect_md) mode with dstport\n"
	"(6081) when it does not exist, and must be a Geneve device in\n"
	"external mode when it does. vni (default 1) is what remote ports\n"
	"without their own use. option-class (default 65520 = 0xfff0, from\n"
	"the experimental range) and option-type (1) identify the SFC context\n"
	"option; every host of a deployment must use the same.\n")
