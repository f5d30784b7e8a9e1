// SPDX-License-Identifier: GPL-2.0
/* sfcctl port-pair-group: equivalent VNF instances, one hop of a chain. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(port_pair_group, SFC_KIND_PPG,
	"A port pair group holds 1..16 equivalent port pairs; each flow sticks\n"
	"to one of them, the same one in both directions. \"set NAME port-pair\n"
	"...\" replaces the pairs.\n")
