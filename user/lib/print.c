// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "print.h"

#define MAX_DEPTH 16

static bool json_mode;
static bool json_pretty;
static struct json_object *stack[MAX_DEPTH];
static int depth;		/* number of open containers */
static struct json_object *root;

const char *sfc_prog_name = "sfcctl";

void sfc_print_begin(bool json, bool pretty)
{
	json_mode = json;
	json_pretty = pretty;
	depth = 0;
	root = NULL;
}

bool sfc_print_is_json(void)
{
	return json_mode;
}

static void json_add(const char *key, struct json_object *val)
{
	struct json_object *parent;

	if (!depth) {
		/* A bare value at top level becomes the document. */
		json_object_put(root);
		root = val;
		return;
	}
	parent = stack[depth - 1];
	if (json_object_is_type(parent, json_type_array))
		json_object_array_add(parent, val);
	else
		json_object_object_add(parent, key ? key : "", val);
}

static void json_push(const char *key, struct json_object *container)
{
	if (depth >= MAX_DEPTH) {
		json_object_put(container);
		return;
	}
	json_add(key, container);
	/* json_add handed over one reference; the stack borrows it. */
	stack[depth++] = container;
}

void sfc_print_open_object(const char *key)
{
	if (json_mode)
		json_push(key, json_object_new_object());
}

void sfc_print_open_array(const char *key)
{
	if (json_mode)
		json_push(key, json_object_new_array());
}

void sfc_print_close_object(void)
{
	if (json_mode && depth)
		depth--;
}

void sfc_print_close_array(void)
{
	sfc_print_close_object();
}

#define TEXT_OUT(k, fmt, val)					\
	do {							\
		if (!json_mode && ((k) & PRINT_FP) && (fmt))	\
			printf(fmt, val);			\
	} while (0)

void sfc_print_string(enum sfc_print_kind k, const char *key, const char *fmt,
		      const char *val)
{
	if (json_mode && (k & PRINT_JSON))
		json_add(key, val ? json_object_new_string(val) : NULL);
	TEXT_OUT(k, fmt, val ? val : "-");
}

void sfc_print_uint(enum sfc_print_kind k, const char *key, const char *fmt,
		    uint64_t val)
{
	if (json_mode && (k & PRINT_JSON))
		json_add(key, json_object_new_uint64(val));
	TEXT_OUT(k, fmt, val);
}

void sfc_print_int(enum sfc_print_kind k, const char *key, const char *fmt,
		   int64_t val)
{
	if (json_mode && (k & PRINT_JSON))
		json_add(key, json_object_new_int64(val));
	TEXT_OUT(k, fmt, val);
}

void sfc_print_bool(enum sfc_print_kind k, const char *key, const char *fmt,
		    bool val)
{
	if (json_mode && (k & PRINT_JSON))
		json_add(key, json_object_new_boolean(val));
	TEXT_OUT(k, fmt, val ? "yes" : "no");
}

void sfc_print_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int sfc_print_end(void)
{
	int flags = json_pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;

	flags |= JSON_C_TO_STRING_NOSLASHESCAPE;

	if (json_mode && root) {
		puts(json_object_to_json_string_ext(root, flags));
		json_object_put(root);
		root = NULL;
	}
	depth = 0;
	if (fflush(stdout) || ferror(stdout))
		return -EIO;
	return 0;
}

void sfc_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	fprintf(stderr, "%s: %s\n", sfc_prog_name, msg);
	if (json_mode) {
		struct json_object *err = json_object_new_object();

		json_object_put(root);
		root = NULL;
		depth = 0;
		json_object_object_add(err, "error", json_object_new_string(msg));
		puts(json_object_to_json_string_ext(err, JSON_C_TO_STRING_PLAIN));
		json_object_put(err);
		fflush(stdout);
	}
}
