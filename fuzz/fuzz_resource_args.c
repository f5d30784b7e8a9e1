// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: sfcctl's resource arguments, as `sfcctl KIND add NAME
 * KEYWORD VALUE...` handles them, without sfcctl's side effects (no state
 * file, no maps): the schema's value parsers (config_schema.c, parse.c),
 * the name checks, validation of the resulting configuration and its JSON
 * round trip.
 *
 * Input: NUL- or newline-separated words. Each "command" is a kind word
 * ("port", "port-pair", ...), a name, a count byte's worth of KEYWORD
 * VALUE pairs; commands repeat until the input ends. Unknown keywords are
 * matched by exact word, as sfcctl does after its prefix matching.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_json.h"
#include "config_schema.h"

#define MAX_WORDS 64

static int split(char *buf, size_t size, char **w)
{
	int n = 0;
	size_t i, start = 0;

	for (i = 0; i <= size && n < MAX_WORDS; i++) {
		if (i == size || buf[i] == '\0' || buf[i] == '\n') {
			buf[i] = '\0';
			w[n++] = buf + start;
			start = i + 1;
		}
	}
	return n;
}

static const struct sfc_attr *by_word(const struct sfc_kind_info *ki, const char *w)
{
	size_t i;

	for (i = 0; i < ki->nr_attrs; i++)
		if (ki->attrs[i].word && !strcmp(ki->attrs[i].word, w) &&
		    !(ki->attrs[i].flags & SFC_ATTR_READONLY))
			return &ki->attrs[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *w[MAX_WORDS], err[512], why[256], val[512];
	struct sfc_config c;
	int n, i = 0, k;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	n = split(buf, size, w);
	sfc_config_init(&c);
	while (i + 1 < n) {
		const struct sfc_kind_info *ki = NULL;
		void *res;

		for (k = 0; k < SFC_KIND__MAX; k++)
			if (!strcmp(sfc_kind_info(k)->word, w[i]))
				ki = sfc_kind_info(k);
		if (!ki)
			break;
		res = sfc_cfg_find(&c, (enum sfc_kind)(ki - sfc_kind_info(0)), w[i + 1]);
		if (!res)
			res = sfc_cfg_add(&c, (enum sfc_kind)(ki - sfc_kind_info(0)),
					  w[i + 1], err, sizeof(err));
		i += 2;
		if (!res)
			continue;
		while (i + 1 < n) {
			const struct sfc_attr *a = by_word(ki, w[i]);
			size_t j;

			if (!a)
				break;
			sfc_attr_parse(a, res, w[i + 1], why, sizeof(why));
			sfc_attr_check(a, res, why, sizeof(why));
			for (j = 0; j < sfc_attr_count(a, res); j++)
				sfc_attr_format(a, res, j, val, sizeof(val));
			sfc_attr_metavar(a, val, sizeof(val));
			i += 2;
		}
	}
	if (!sfc_config_validate(&c, err, sizeof(err)) &&
	    !sfc_config_assign_ids(&c, err, sizeof(err))) {
		struct sfc_config back;
		char *text = sfc_config_to_text(&c), *again;

		if (!text)
			abort();
		if (sfc_config_from_text(text, strlen(text), &back, err, sizeof(err))) {
			fprintf(stderr, "valid configuration does not read back: %s\n%s",
				err, text);
			abort();
		}
		if (sfc_config_validate(&back, err, sizeof(err))) {
			fprintf(stderr, "read back, no longer valid: %s\n%s", err, text);
			abort();
		}
		again = sfc_config_to_text(&back);
		if (!again || strcmp(text, again)) {
			fprintf(stderr, "round trip changed it:\n%s---\n%s", text,
				again ? again : "(null)");
			abort();
		}
		free(again);
		free(text);
		sfc_config_free(&back);
	}
	sfc_config_free(&c);
	free(buf);
	return 0;
}
