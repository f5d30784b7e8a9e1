// SPDX-License-Identifier: GPL-2.0
/* sfcctl flow-classifier: which traffic a port chain takes. */
#include "resource.h"
#include "sfcctl.h"

SFCCTL_RESOURCE_CMD(flow_classifier, SFC_KIND_FC,
	"A flow classifier matches traffic entering the data plane at a\n"
	"workload's port; everything left out matches anything. Port ranges\n"
	"need protocol tcp, udp or sctp (6, 17, 132). logical-source-port is the\n"
	"port the traffic comes from, logical-destination-port the workload it\n"
	"goes to (by its MAC). The lowest priority wins (default 100), ties by\n"
	"name. A classifier belongs to one port chain at most.\n")
