// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "names.h"
#include "uapi/sfc_drop.h"

static const char *const drop_names[SFC_DROP__MAX] = {
#define DROP_NAME(name, val, str) [val] = str,
	SFC_DROP_REASONS(DROP_NAME)
#undef DROP_NAME
};

const char *sfc_drop_name(unsigned int reason)
{
	return reason < SFC_DROP__MAX ? drop_names[reason] : NULL;
}

unsigned int sfc_drop_by_name(const char *name)
{
	unsigned int r;

	for (r = 1; r < SFC_DROP__MAX; r++)
		if (drop_names[r] && !strcmp(drop_names[r], name))
			return r;
	return SFC_DROP_NONE;
}
