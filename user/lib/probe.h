/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel offers the data plane, probed, never assumed. */
#ifndef SFC_PROBE_H
#define SFC_PROBE_H

#include <stdbool.h>

struct sfc_feature {
	const char *name;	/* JSON key and text label */
	bool present;
	bool required;		/* the data plane cannot run without it */
};

#define SFC_MAX_FEATURES 16

struct sfc_features {
	char kernel[128];	/* uname -r */
	int nr;
	struct sfc_feature f[SFC_MAX_FEATURES];
};

void sfc_probe_features(struct sfc_features *out);
/* True when every required feature is present. */
bool sfc_features_ok(const struct sfc_features *f);

#endif /* SFC_PROBE_H */
