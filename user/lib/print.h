/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printer for text and JSON, in the manner of iproute2's json_print:
 * every call names the JSON key and the text format, so a command writes
 * its output once. JSON is accumulated (json-c) and emitted by
 * sfc_print_end(), so a command that fails half way prints only an error.
 */
#ifndef SFC_PRINT_H
#define SFC_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum sfc_print_kind {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = 3,		/* both */
};

void sfc_print_begin(bool json, bool pretty);
bool sfc_print_is_json(void);
/* Emits the JSON document (if any); returns 0 or -errno on write errors. */
int sfc_print_end(void);

/* key is ignored (may be NULL) inside arrays and at top level. */
void sfc_print_open_object(const char *key);
void sfc_print_close_object(void);
void sfc_print_open_array(const char *key);
void sfc_print_close_array(void);

void sfc_print_string(enum sfc_print_kind k, const char *key, const char *fmt,
		      const char *val);
void sfc_print_uint(enum sfc_print_kind k, const char *key, const char *fmt,
		    uint64_t val);
void sfc_print_int(enum sfc_print_kind k, const char *key, const char *fmt,
		   int64_t val);
void sfc_print_bool(enum sfc_print_kind k, const char *key, const char *fmt,
		    bool val);
/* Text-only literal (labels, newlines). */
void sfc_print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An error: text on stderr ("sfcctl: ..."), and in JSON mode also
 * {"error": "..."} on stdout, as bpftool does. Discards pending JSON.
 */
void sfc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SFC_PRINT_H */
