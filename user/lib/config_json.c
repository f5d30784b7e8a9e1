// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration to and from JSON (config_json.h), driven by the
 * attribute tables of config_schema.c: a value's JSON form is its text
 * form, typed (numbers and booleans are not strings).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_json.h"

/* ---- writing ---- */

static bool json_number(const struct sfc_attr *a, const char *text)
{
	switch (a->type) {
	case SFC_ATTR_U32:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		return true;
	case SFC_ATTR_PROTO:
		return isdigit((unsigned char)text[0]);	/* no name for it */
	default:
		return false;
	}
}

static struct json_object *value_to_json(const struct sfc_attr *a,
					 const void *res, size_t i)
{
	char text[SFC_VALUE_MAX];

	if (sfc_attr_format(a, res, i, text, sizeof(text)))
		text[0] = '\0';		/* validation rules this out */
	if (a->type == SFC_ATTR_BOOL)
		return json_object_new_boolean(!strcmp(text, "on"));
	if (json_number(a, text))
		return json_object_new_int64(strtoll(text, NULL, 10));
	return json_object_new_string(text);
}

/*
 * The object an attribute's key goes in: obj, or its sub-object group
 * ("a.b": b inside a), made when missing.
 */
static struct json_object *group_of(struct json_object *obj,
				    const char *group)
{
	struct json_object *sub;
	char name[128];
	size_t n;

	while (group) {
		n = strcspn(group, ".");
		snprintf(name, sizeof(name), "%.*s", (int)n, group);
		if (!json_object_object_get_ex(obj, name, &sub)) {
			sub = json_object_new_object();
			json_object_object_add(obj, name, sub);
		}
		obj = sub;
		group = group[n] ? group + n + 1 : NULL;
	}
	return obj;
}

struct json_object *sfc_res_to_json(enum sfc_kind k, const void *res)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	struct json_object *obj = json_object_new_object(), *list;
	const struct sfc_attr *a;
	size_t i, n;

	json_object_object_add(obj, "name",
			       json_object_new_string(sfc_res_name(res)));
	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++) {
		n = sfc_attr_count(a, res);
		if (!a->key || (!n && !sfc_attr_is_list(a)))
			continue;
		if (!sfc_attr_is_list(a)) {
			json_object_object_add(group_of(obj, a->group), a->key,
					       value_to_json(a, res, 0));
			continue;
		}
		list = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(list, value_to_json(a, res, i));
		json_object_object_add(group_of(obj, a->group), a->key, list);
	}
	return obj;
}

struct json_object *sfc_config_to_json(const struct sfc_config *c)
{
	struct json_object *doc = json_object_new_object(), *list;
	enum sfc_kind k;
	size_t i;

	json_object_object_add(doc, "version",
			       json_object_new_int(SFC_CONFIG_VERSION));
	json_object_object_add(doc, "generation",
			       json_object_new_int64(c->generation));
	for (k = 0; k < SFC_KIND__MAX; k++) {
		list = json_object_new_array();
		for (i = 0; i < sfc_cfg_count(c, k); i++)
			json_object_array_add(list,
					      sfc_res_to_json(k, sfc_cfg_at(c, k, i)));
		json_object_object_add(doc, sfc_kind_info(k)->key, list);
	}
	return doc;
}

char *sfc_config_to_text(const struct sfc_config *c)
{
	struct json_object *doc = sfc_config_to_json(c);
	const char *s = json_object_to_json_string_ext(doc,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE);
	char *text = NULL;

	if (s && asprintf(&text, "%s\n", s) < 0)
		text = NULL;
	json_object_put(doc);
	return text;
}

/* ---- reading ---- */

/* Paths name fields in messages: "port_chains[3].chain_parameters.end". */
#define PATH_LEN	256

struct reader {
	char *err;
	size_t errlen;
};

/* A path one level down; a too deep one is cut, it only names a field. */
static void __attribute__((format(printf, 2, 3)))
path_join(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, PATH_LEN, fmt, ap);
	va_end(ap);
}

static int __attribute__((format(printf, 3, 4)))
fail_at(struct reader *r, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s: %s", path, msg);
	return -EINVAL;
}

static int expect_type(struct reader *r, const char *path,
		       struct json_object *v, enum json_type t)
{
	static const char *const what[] = {
		[json_type_null] = "null", [json_type_boolean] = "a boolean",
		[json_type_double] = "a number", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};

	if (json_object_is_type(v, t))
		return 0;
	return fail_at(r, path, "expected %s", what[t]);
}

/* The text form of a scalar JSON value, once its type is right. */
static const char *scalar_text(struct reader *r, const char *path,
			       const struct sfc_attr *a, struct json_object *v)
{
	switch (a->type) {
	case SFC_ATTR_BOOL:
		if (expect_type(r, path, v, json_type_boolean))
			return NULL;
		return json_object_get_boolean(v) ? "on" : "off";
	case SFC_ATTR_U32:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		if (expect_type(r, path, v, json_type_int))
			return NULL;
		break;
	case SFC_ATTR_PROTO:
		if (!json_object_is_type(v, json_type_int) &&
		    expect_type(r, path, v, json_type_string))
			return NULL;
		break;
	default:
		if (expect_type(r, path, v, json_type_string))
			return NULL;
	}
	return json_object_get_string(v);
}

static int read_scalar(struct reader *r, const char *path,
		       const struct sfc_attr *a, void *res,
		       struct json_object *v)
{
	const char *text = scalar_text(r, path, a, v);
	char why[256];

	if (!text)
		return -EINVAL;
	if (sfc_attr_parse(a, res, text, why, sizeof(why)))
		return fail_at(r, path, "%s", why);
	return 0;
}

static int read_list(struct reader *r, const char *path,
		     const struct sfc_attr *a, void *res, struct json_object *v)
{
	char elem[PATH_LEN];
	size_t i;

	if (expect_type(r, path, v, json_type_array))
		return -EINVAL;
	sfc_attr_clear(a, res);
	for (i = 0; i < json_object_array_length(v); i++) {
		path_join(elem, "%s[%zu]", path, i);
		if (read_scalar(r, elem, a, res, json_object_array_get_idx(v, i)))
			return -EINVAL;
	}
	return 0;
}

/* Whether some attribute is in group, or in a group inside it. */
static bool is_group(enum sfc_kind k, const char *group)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a;
	size_t n = strlen(group);

	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++)
		if (a->group && !strncmp(a->group, group, n) &&
		    (!a->group[n] || a->group[n] == '.'))
			return true;
	return false;
}

/* The members of obj (a resource, or its sub-object group) into res. */
static int read_members(struct reader *r, const char *path, enum sfc_kind k,
			const char *group, void *res, struct json_object *obj)
{
	const struct sfc_attr *a;
	char sub[PATH_LEN], inner[PATH_LEN];
	int ret;

	json_object_object_foreach(obj, key, v) {
		path_join(sub, "%s.%s", path, key);
		if (!group && !strcmp(key, "name"))
			continue;	/* read first, by read_resource */
		if (group)
			path_join(inner, "%s.%s", group, key);
		else
			path_join(inner, "%s", key);
		if (is_group(k, inner)) {
			ret = expect_type(r, sub, v, json_type_object) ?:
			      read_members(r, sub, k, inner, res, v);
		} else {
			a = sfc_attr_by_key(k, group, key);
			if (!a)
				return fail_at(r, sub, "unknown key");
			ret = sfc_attr_is_list(a) ?
				read_list(r, sub, a, res, v) :
				read_scalar(r, sub, a, res, v);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int read_resource(struct reader *r, const char *path,
			 struct sfc_config *c, enum sfc_kind k,
			 struct json_object *obj)
{
	struct json_object *name;
	char sub[PATH_LEN], why[256];
	void *res;

	if (expect_type(r, path, obj, json_type_object))
		return -EINVAL;
	path_join(sub, "%s.name", path);
	if (!json_object_object_get_ex(obj, "name", &name))
		return fail_at(r, path, "missing name");
	if (expect_type(r, sub, name, json_type_string))
		return -EINVAL;
	res = sfc_cfg_add(c, k, json_object_get_string(name), why, sizeof(why));
	if (!res)
		return fail_at(r, sub, "%s", why);
	return read_members(r, path, k, NULL, res, obj);
}

static int read_resources(struct reader *r, struct sfc_config *c,
			  enum sfc_kind k, struct json_object *list)
{
	const char *key = sfc_kind_info(k)->key;
	char path[PATH_LEN];
	size_t i;

	if (expect_type(r, key, list, json_type_array))
		return -EINVAL;
	for (i = 0; i < json_object_array_length(list); i++) {
		path_join(path, "%s[%zu]", key, i);
		if (read_resource(r, path, c, k,
				  json_object_array_get_idx(list, i)))
			return -EINVAL;
	}
	return 0;
}

static int read_header(struct reader *r, struct sfc_config *c,
		       const char *key, struct json_object *v)
{
	uint32_t n;

	if (expect_type(r, key, v, json_type_int))
		return -EINVAL;
	if (sfc_parse_u32(json_object_get_string(v), UINT32_MAX, &n))
		return fail_at(r, key, "bad number '%s'",
			       json_object_get_string(v));
	if (!strcmp(key, "generation"))
		c->generation = n;
	else if (n != SFC_CONFIG_VERSION)
		return fail_at(r, key, "version %u is not supported (only %d)",
			       n, SFC_CONFIG_VERSION);
	return 0;
}

static int read_top_member(struct reader *r, struct sfc_config *c,
			   const char *key, struct json_object *v)
{
	enum sfc_kind k;

	if (!strcmp(key, "version") || !strcmp(key, "generation"))
		return read_header(r, c, key, v);
	for (k = 0; k < SFC_KIND__MAX; k++)
		if (!strcmp(key, sfc_kind_info(k)->key))
			return read_resources(r, c, k, v);
	return fail_at(r, key, "unknown key");
}

int sfc_config_from_json(struct json_object *doc, struct sfc_config *c,
			 char *err, size_t errlen)
{
	struct reader r = { err, errlen };

	sfc_config_init(c);
	if (!json_object_is_type(doc, json_type_object)) {
		snprintf(err, errlen, "expected a JSON object");
		return -EINVAL;
	}
	json_object_object_foreach(doc, key, v) {
		if (read_top_member(&r, c, key, v)) {
			sfc_config_free(c);
			return -EINVAL;
		}
	}
	return 0;
}

/* "line L column C" of offset in text, for syntax errors. */
static void locate(const char *text, size_t off, char *buf, size_t len)
{
	size_t i, line = 1, col = 1;

	for (i = 0; i < off; i++, col++) {
		if (text[i] == '\n') {
			line++;
			col = 0;
		}
	}
	snprintf(buf, len, "line %zu column %zu", line, col);
}

int sfc_config_from_text(const char *text, size_t len, struct sfc_config *c,
			 char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	struct json_object *doc;
	char where[64];
	size_t end;
	int ret;

	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!doc || jerr != json_tokener_success) {
		locate(text, end, where, sizeof(where));
		snprintf(err, errlen, "bad JSON at %s: %s", where,
			 jerr == json_tokener_continue ? "unexpected end" :
			 json_tokener_error_desc(jerr));
		json_object_put(doc);
		return -EINVAL;
	}
	ret = sfc_config_from_json(doc, c, err, errlen);
	json_object_put(doc);
	return ret;
}
