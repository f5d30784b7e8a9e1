/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration as one JSON document with networking-sfc's field
 * names: the saved state file, what `sfcctl export` prints and what
 * `sfcctl apply -f` reads.
 *
 *   {"version": 1, "generation": N, "ports": [...], "port_pairs": [...],
 *    "port_pair_groups": [...], "flow_classifiers": [...],
 *    "port_chains": [...]}
 *
 * Unset optional fields are omitted; resources keep their order. Reading
 * rejects unknown keys, wrong types and bad values with the path of the
 * offending field ("flow_classifiers[2].source_ip_prefix: bad prefix
 * '10.0.0.1/8'"). Ids may be missing: they are 0 until assigned.
 */
#ifndef SFC_CONFIG_JSON_H
#define SFC_CONFIG_JSON_H

#include <stddef.h>
#include <json-c/json.h>

#include "config.h"
#include "config_schema.h"

/* One resource, as in the document (a new reference). */
struct json_object *sfc_res_to_json(enum sfc_kind k, const void *res);
/* The whole document (a new reference). */
struct json_object *sfc_config_to_json(const struct sfc_config *c);
/*
 * The document as text, pretty-printed and ending in a newline; equal
 * configurations give identical bytes. malloc'd; NULL when out of memory.
 */
char *sfc_config_to_text(const struct sfc_config *c);

/* Reads a document into c, which the call initialises (and frees on error). */
int sfc_config_from_json(struct json_object *doc, struct sfc_config *c,
			 char *err, size_t errlen);
int sfc_config_from_text(const char *text, size_t len, struct sfc_config *c,
			 char *err, size_t errlen);

#endif /* SFC_CONFIG_JSON_H */
