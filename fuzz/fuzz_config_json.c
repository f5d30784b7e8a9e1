// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the configuration document reader (config_json.c),
 * what `sfcctl apply -f` and every start-up read of the state file go
 * through, then validation and id assignment.
 *
 * Besides "no crash, no leak, no undefined behaviour" it checks a round
 * trip: a document the reader accepts is written out, read back and
 * written again, and both texts must be identical.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sfc_config c, back;
	char err[512];
	char *text, *again;

	if (sfc_config_from_text((const char *)data, size, &c, err, sizeof(err)))
		return 0;
	text = sfc_config_to_text(&c);
	if (!text)
		abort();
	if (sfc_config_from_text(text, strlen(text), &back, err, sizeof(err))) {
		fprintf(stderr, "written document does not read back: %s\n%s", err, text);
		abort();
	}
	again = sfc_config_to_text(&back);
	if (!again || strcmp(text, again)) {
		fprintf(stderr, "round trip changed the document:\n%s---\n%s", text,
			again ? again : "(null)");
		abort();
	}
	if (!sfc_config_validate(&c, err, sizeof(err)))
		sfc_config_assign_ids(&c, err, sizeof(err));
	free(again);
	free(text);
	sfc_config_free(&back);
	sfc_config_free(&c);
	return 0;
}
